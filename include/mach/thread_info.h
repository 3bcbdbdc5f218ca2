/* SPDX-License-Identifier: MIT */
/* thread_info(): flavors and structures, with Mach's (OSF/XNU) numbers. */
#ifndef _MACH_THREAD_INFO_H
#define _MACH_THREAD_INFO_H

#include <mach/machine/vm_types.h>
#include <mach/policy.h>
#include <mach/time_value.h>

typedef natural_t	thread_flavor_t;
typedef integer_t	*thread_info_t;
#define THREAD_INFO_MAX		32	/* the largest thread_info_t, in integer_t */

#define THREAD_BASIC_INFO	3	/* struct thread_basic_info */

struct thread_basic_info {
	time_value_t	user_time;
	time_value_t	system_time;
	integer_t	cpu_usage;	/* scaled by TH_USAGE_SCALE */
	policy_t	policy;
	integer_t	run_state;	/* TH_STATE_* */
	integer_t	flags;		/* TH_FLAGS_* */
	integer_t	suspend_count;
	integer_t	sleep_time;	/* seconds asleep */
};

typedef struct thread_basic_info	thread_basic_info_data_t;
typedef struct thread_basic_info	*thread_basic_info_t;
#define THREAD_BASIC_INFO_COUNT \
	((natural_t)(sizeof(thread_basic_info_data_t) / sizeof(natural_t)))

#define TH_USAGE_SCALE		1000	/* cpu_usage of a thread using a whole CPU */

#define TH_STATE_RUNNING		1
#define TH_STATE_STOPPED		2	/* suspended */
#define TH_STATE_WAITING		3
#define TH_STATE_UNINTERRUPTIBLE	4
#define TH_STATE_HALTED			5	/* terminated */

#define TH_FLAGS_SWAPPED	0x1	/* no kernel stack (waiting on a continuation) */
#define TH_FLAGS_IDLE		0x2	/* a CPU's idle thread */

#endif /* _MACH_THREAD_INFO_H */
