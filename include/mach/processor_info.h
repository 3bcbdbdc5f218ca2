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

/* Processor sets: processor_set_info() and processor_set_statistics(). */
typedef integer_t	*processor_set_info_t;
typedef integer_t	processor_set_flavor_t;
#define PROCESSOR_SET_INFO_MAX	1024

#define PROCESSOR_SET_LOAD_INFO		4	/* statistics: struct processor_set_load_info */
#define PROCESSOR_SET_BASIC_INFO	5	/* info: struct processor_set_basic_info */

struct processor_set_basic_info {
	integer_t	processor_count;	/* CPUs in the set */
	integer_t	default_policy;		/* POLICY_TIMESHARE */
};

typedef struct processor_set_basic_info	processor_set_basic_info_data_t;
typedef struct processor_set_basic_info	*processor_set_basic_info_t;
#define PROCESSOR_SET_BASIC_INFO_COUNT \
	((natural_t)(sizeof(processor_set_basic_info_data_t) / sizeof(integer_t)))

struct processor_set_load_info {
	integer_t	task_count;
	integer_t	thread_count;
	integer_t	load_average;	/* LOAD_SCALE times the threads running or runnable per CPU */
	integer_t	mach_factor;	/* LOAD_SCALE times the CPUs left idle */
};

typedef struct processor_set_load_info	processor_set_load_info_data_t;
typedef struct processor_set_load_info	*processor_set_load_info_t;
#define PROCESSOR_SET_LOAD_INFO_COUNT \
	((natural_t)(sizeof(processor_set_load_info_data_t) / sizeof(integer_t)))

#endif /* _MACH_PROCESSOR_INFO_H */
