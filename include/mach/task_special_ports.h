/* SPDX-License-Identifier: MIT */
/*
 * task_get_special_port() / task_set_special_port() selectors. Mach 3's
 * numbers, with XNU's TASK_HOST_PORT in the slot Mach 3 no longer used.
 */
#ifndef _MACH_TASK_SPECIAL_PORTS_H
#define _MACH_TASK_SPECIAL_PORTS_H

typedef int	task_special_port_t;

#define TASK_KERNEL_PORT	1	/* the task's own port: its kernel object */
#define TASK_HOST_PORT		2	/* the host port it is given */
#define TASK_EXCEPTION_PORT	3	/* where its threads' exceptions go */
#define TASK_BOOTSTRAP_PORT	4	/* its name server */

#endif /* _MACH_TASK_SPECIAL_PORTS_H */
