/* SPDX-License-Identifier: MIT */
/* thread_get_special_port() / thread_set_special_port() selectors (Mach 3's). */
#ifndef _MACH_THREAD_SPECIAL_PORTS_H
#define _MACH_THREAD_SPECIAL_PORTS_H

typedef int	thread_special_port_t;

#define THREAD_KERNEL_PORT	1	/* the thread's own port */
#define THREAD_EXCEPTION_PORT	3	/* where its exceptions go first */

#endif /* _MACH_THREAD_SPECIAL_PORTS_H */
