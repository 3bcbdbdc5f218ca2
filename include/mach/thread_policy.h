/* SPDX-License-Identifier: MIT */
/*
 * thread_policy_set() / thread_policy_get(): a thread's scheduling policy,
 * with XNU's flavors, numbers and structures (thread_act.defs 3617, 3618).
 *
 * THREAD_STANDARD_POLICY   timesharing: the priority decays with CPU use
 *                          (no data; every thread starts so).
 * THREAD_EXTENDED_POLICY   the same flavor with one word: timeshare FALSE
 *                          fixes the thread at its base priority (no decay;
 *                          thread_info() says POLICY_RR), TRUE is standard.
 * THREAD_PRECEDENCE_POLICY importance: the base priority is the task's
 *                          (BASEPRI_USER) plus importance, within the user
 *                          priorities [1, MAXPRI_USER].
 * THREAD_TIME_CONSTRAINT_POLICY is XNU's real-time class: MachLine has none
 * for user threads (KERN_NOT_SUPPORTED). Documentation/threads-and-scheduler.rst.
 */
#ifndef _MACH_THREAD_POLICY_H
#define _MACH_THREAD_POLICY_H

#include <mach/boolean.h>
#include <mach/machine/vm_types.h>

typedef natural_t	thread_policy_flavor_t;
typedef integer_t	*thread_policy_t;
#define THREAD_POLICY_MAX		16	/* the largest thread_policy_t, in integer_t */

#define THREAD_STANDARD_POLICY		1
#define THREAD_STANDARD_POLICY_COUNT	0

#define THREAD_EXTENDED_POLICY		1
struct thread_extended_policy {
	boolean_t	timeshare;
};
typedef struct thread_extended_policy	thread_extended_policy_data_t;
typedef struct thread_extended_policy	*thread_extended_policy_t;
#define THREAD_EXTENDED_POLICY_COUNT \
	((natural_t)(sizeof(thread_extended_policy_data_t) / sizeof(integer_t)))

#define THREAD_TIME_CONSTRAINT_POLICY	2	/* KERN_NOT_SUPPORTED */

#define THREAD_PRECEDENCE_POLICY	3
struct thread_precedence_policy {
	integer_t	importance;
};
typedef struct thread_precedence_policy	thread_precedence_policy_data_t;
typedef struct thread_precedence_policy	*thread_precedence_policy_t;
#define THREAD_PRECEDENCE_POLICY_COUNT \
	((natural_t)(sizeof(thread_precedence_policy_data_t) / sizeof(integer_t)))

#endif /* _MACH_THREAD_POLICY_H */
