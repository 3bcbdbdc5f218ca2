/* SPDX-License-Identifier: MIT */
/*
 * task_info(): flavors and structures. The flavor numbers are Mach's
 * (OSF/XNU); MachLine has only 64-bit tasks, so TASK_BASIC_INFO is the
 * 64-bit layout, XNU's flavor 5. Packed to 4 bytes: the result travels as
 * an array of integer_t (see <mach/host_info.h>).
 */
#ifndef _MACH_TASK_INFO_H
#define _MACH_TASK_INFO_H

#include <mach/machine/vm_types.h>
#include <mach/message.h>
#include <mach/policy.h>
#include <mach/time_value.h>

typedef natural_t	task_flavor_t;
typedef integer_t	*task_info_t;
#define TASK_INFO_MAX		1024	/* the largest task_info_t, in integer_t */

#define TASK_EVENTS_INFO	2	/* struct task_events_info */
#define TASK_THREAD_TIMES_INFO	3	/* struct task_thread_times_info */
#define TASK_BASIC_INFO		5	/* struct task_basic_info */
#define TASK_SECURITY_TOKEN	13	/* security_token_t (XNU's number) */

#pragma pack(push, 4)

struct task_basic_info {
	integer_t		suspend_count;
	mach_vm_size_t		virtual_size;	/* bytes mapped */
	mach_vm_size_t		resident_size;	/* bytes resident */
	time_value_t		user_time;	/* of its terminated threads */
	time_value_t		system_time;
	policy_t		policy;		/* for its new threads */
};

#pragma pack(pop)

typedef struct task_basic_info		task_basic_info_data_t;
typedef struct task_basic_info		*task_basic_info_t;
#define TASK_BASIC_INFO_COUNT \
	((natural_t)(sizeof(task_basic_info_data_t) / sizeof(natural_t)))

struct task_events_info {
	integer_t	faults;
	integer_t	pageins;
	integer_t	cow_faults;
	integer_t	messages_sent;
	integer_t	messages_received;
	integer_t	syscalls_mach;
	integer_t	syscalls_unix;	/* always 0: no UNIX traps in the kernel */
	integer_t	csw;		/* context switches */
};

typedef struct task_events_info		task_events_info_data_t;
typedef struct task_events_info		*task_events_info_t;
#define TASK_EVENTS_INFO_COUNT \
	((natural_t)(sizeof(task_events_info_data_t) / sizeof(natural_t)))

struct task_thread_times_info {
	time_value_t	user_time;	/* of its live threads */
	time_value_t	system_time;
};

typedef struct task_thread_times_info	task_thread_times_info_data_t;
typedef struct task_thread_times_info	*task_thread_times_info_t;
#define TASK_THREAD_TIMES_INFO_COUNT \
	((natural_t)(sizeof(task_thread_times_info_data_t) / sizeof(natural_t)))

/*
 * The token the kernel puts in the trailer of every message the task sends
 * (<mach/message.h>): inherited from the task that made it, set by the
 * holder of the privileged host port (host_security_set_task_token()).
 */
#define TASK_SECURITY_TOKEN_COUNT \
	((natural_t)(sizeof(security_token_t) / sizeof(natural_t)))

#endif /* _MACH_TASK_INFO_H */
