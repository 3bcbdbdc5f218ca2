/* SPDX-License-Identifier: MIT */
/*
 * The order in which a semaphore's waiters are served
 * (semaphore_create()'s policy), with Mach's (OSF/XNU) values.
 */
#ifndef _MACH_SYNC_POLICY_H
#define _MACH_SYNC_POLICY_H

typedef int sync_policy_t;

#define SYNC_POLICY_FIFO		0x0	/* first come, first served */
#define SYNC_POLICY_FIXED_PRIORITY	0x1	/* highest priority first, FIFO among equals */
#define SYNC_POLICY_REVERSED		0x2
#define SYNC_POLICY_ORDER_MASK		0x3
#define SYNC_POLICY_LIFO		(SYNC_POLICY_FIFO | SYNC_POLICY_REVERSED)

#endif /* _MACH_SYNC_POLICY_H */
