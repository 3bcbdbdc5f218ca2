/* SPDX-License-Identifier: MIT */
/* Scheduling policies, with Mach's (OSF) values. */
#ifndef _MACH_POLICY_H
#define _MACH_POLICY_H

typedef int	policy_t;

#define POLICY_NULL		0
#define POLICY_TIMESHARE	1
#define POLICY_RR		2
#define POLICY_FIFO		4

#endif /* _MACH_POLICY_H */
