/* SPDX-License-Identifier: MIT */
/*
 * Processor information, as host_processor_info() returns it for every
 * processor: flavors and structures with Mach's (OSF/XNU) numbers.
 */
#ifndef _MACH_PROCESSOR_INFO_H
#define _MACH_PROCESSOR_INFO_H

#include <mach/boolean.h>
#include <mach/machine/vm_types.h>
#include <mach/machine.h>

typedef integer_t	*processor_info_t;	/* one processor's */
typedef integer_t	*processor_info_array_t;	/* every processor's, in a row */
typedef integer_t	processor_flavor_t;
#define PROCESSOR_INFO_MAX	1024	/* one processor's, in integer_t */

#define PROCESSOR_BASIC_INFO	1	/* struct processor_basic_info */
#define PROCESSOR_CPU_LOAD_INFO	2	/* struct processor_cpu_load_info */

struct processor_basic_info {
	cpu_type_t	cpu_type;
	cpu_subtype_t	cpu_subtype;
	boolean_t	running;	/* online and scheduling */
	integer_t	slot_num;	/* the CPU's number */
	boolean_t	is_master;	/* the boot CPU */
};

typedef struct processor_basic_info	processor_basic_info_data_t;
typedef struct processor_basic_info	*processor_basic_info_t;
#define PROCESSOR_BASIC_INFO_COUNT \
	((natural_t)(sizeof(processor_basic_info_data_t) / sizeof(integer_t)))

struct processor_cpu_load_info {
	natural_t	cpu_ticks[CPU_STATE_MAX];
};

typedef struct processor_cpu_load_info	processor_cpu_load_info_data_t;
typedef struct processor_cpu_load_info	*processor_cpu_load_info_t;
#define PROCESSOR_CPU_LOAD_INFO_COUNT \
	((natural_t)(sizeof(processor_cpu_load_info_data_t) / sizeof(integer_t)))

#endif /* _MACH_PROCESSOR_INFO_H */
