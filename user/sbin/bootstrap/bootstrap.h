/* SPDX-License-Identifier: MIT */
/* /sbin/bootstrap: the first task (Documentation/user.rst). */
#ifndef _BOOTSTRAP_H
#define _BOOTSTRAP_H

#include <mach/mach.h>

/* The ports the kernel gave the first task. */
struct bootstrap_ports {
	mach_port_t	host;		/* TASK_HOST_PORT special port */
	mach_port_t	host_priv;	/* registered port 0 */
	mach_port_t	device_master;	/* registered port 1 */
};

/* selftest.c: the user-mode self check; returns the number of failed cases. */
int bootstrap_selftest(const struct bootstrap_ports *ports);

/* servers.c: start the system's servers; returns how many failed to start. */
int bootstrap_start_servers(const struct bootstrap_ports *ports);

#endif /* _BOOTSTRAP_H */
