/* SPDX-License-Identifier: MIT */
/*
 * host_info() and host_statistics(): flavors and their structures, with
 * Mach's flavor numbers (OSF/XNU <mach/host_info.h>).
 *
 * Every result travels as an array of integer_t, so the structures are
 * packed to 4 bytes where they hold 64-bit fields: the receiver copies
 * them out of a buffer that is only 4-byte aligned. A caller passes the
 * structure's size in integer_t (the *_COUNT below) and gets back how
 * many it was given; older, shorter layouts keep working that way.
 */
#ifndef _MACH_HOST_INFO_H
#define _MACH_HOST_INFO_H

#include <mach/machine/vm_types.h>
#include <mach/machine.h>
#include <mach/vm_statistics.h>

typedef integer_t	*host_info_t;
typedef integer_t	host_flavor_t;
#define HOST_INFO_MAX		1024	/* the largest host_info_t, in integer_t */

/* host_kernel_version(): a C string of at most 512 bytes with its NUL. */
#define KERNEL_VERSION_MAX	512
typedef char		kernel_version_t[KERNEL_VERSION_MAX];

/* host_info() flavors */
#define HOST_BASIC_INFO		1	/* struct host_basic_info */
#define HOST_SCHED_INFO		3	/* struct host_sched_info */
#define HOST_RESOURCE_SIZES	4	/* struct kernel_resource_sizes */
#define HOST_PRIORITY_INFO	5	/* struct host_priority_info */
#define HOST_SEMAPHORE_TRAPS	7	/* no data: the semaphore traps exist */

#pragma pack(push, 4)

struct host_basic_info {
	integer_t		max_cpus;	/* CPUs the kernel can handle */
	integer_t		avail_cpus;	/* CPUs online now */
	natural_t		memory_size;	/* bytes, saturating at 2 GiB - 1 */
	cpu_type_t		cpu_type;
	cpu_subtype_t		cpu_subtype;
	cpu_threadtype_t	cpu_threadtype;
	integer_t		physical_cpu;
	integer_t		physical_cpu_max;
	integer_t		logical_cpu;
	integer_t		logical_cpu_max;
	uint64_t		max_mem;	/* bytes of memory, in full */
};

#pragma pack(pop)

typedef struct host_basic_info	host_basic_info_data_t;
typedef struct host_basic_info	*host_basic_info_t;
#define HOST_BASIC_INFO_COUNT \
	((natural_t)(sizeof(host_basic_info_data_t) / sizeof(integer_t)))

struct host_sched_info {
	integer_t	min_timeout;	/* milliseconds */
	integer_t	min_quantum;	/* milliseconds */
};

typedef struct host_sched_info	host_sched_info_data_t;
typedef struct host_sched_info	*host_sched_info_t;
#define HOST_SCHED_INFO_COUNT \
	((natural_t)(sizeof(host_sched_info_data_t) / sizeof(integer_t)))

/* Bytes of the kernel's objects, as their zones hand them out. */
struct kernel_resource_sizes {
	natural_t	task;
	natural_t	thread;
	natural_t	port;
	natural_t	memory_region;	/* a vm_map entry */
	natural_t	memory_object;	/* a vm_object */
};

typedef struct kernel_resource_sizes	kernel_resource_sizes_data_t;
typedef struct kernel_resource_sizes	*kernel_resource_sizes_t;
#define HOST_RESOURCE_SIZES_COUNT \
	((natural_t)(sizeof(kernel_resource_sizes_data_t) / sizeof(integer_t)))
#define HOST_SEMAPHORE_TRAPS_COUNT	0

struct host_priority_info {
	integer_t	kernel_priority;
	integer_t	system_priority;
	integer_t	server_priority;
	integer_t	user_priority;
	integer_t	depress_priority;
	integer_t	idle_priority;
	integer_t	minimum_priority;
	integer_t	maximum_priority;
};

typedef struct host_priority_info	host_priority_info_data_t;
typedef struct host_priority_info	*host_priority_info_t;
#define HOST_PRIORITY_INFO_COUNT \
	((natural_t)(sizeof(host_priority_info_data_t) / sizeof(integer_t)))

/* host_statistics() flavors */
#define HOST_LOAD_INFO		1	/* struct host_load_info */
#define HOST_VM_INFO		2	/* vm_statistics_data_t */
#define HOST_CPU_LOAD_INFO	3	/* struct host_cpu_load_info */

#define LOAD_SCALE	1000		/* avenrun and mach_factor are scaled by it */

struct host_load_info {
	integer_t	avenrun[3];	/* load averages over 5, 30 and 60 seconds */
	integer_t	mach_factor[3];	/* the same, as available CPU capacity */
};

typedef struct host_load_info	host_load_info_data_t;
typedef struct host_load_info	*host_load_info_t;
#define HOST_LOAD_INFO_COUNT \
	((natural_t)(sizeof(host_load_info_data_t) / sizeof(integer_t)))

#define HOST_VM_INFO_COUNT	VM_STATISTICS_COUNT

struct host_cpu_load_info {
	natural_t	cpu_ticks[CPU_STATE_MAX];	/* summed over every CPU */
};

typedef struct host_cpu_load_info	host_cpu_load_info_data_t;
typedef struct host_cpu_load_info	*host_cpu_load_info_t;
#define HOST_CPU_LOAD_INFO_COUNT \
	((natural_t)(sizeof(host_cpu_load_info_data_t) / sizeof(integer_t)))

#endif /* _MACH_HOST_INFO_H */
