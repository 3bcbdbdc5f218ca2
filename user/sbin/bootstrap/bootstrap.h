/* SPDX-License-Identifier: MIT */
/* /sbin/bootstrap: the first task (Documentation/user.rst). */
#ifndef _BOOTSTRAP_H
#define _BOOTSTRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <mach/mach.h>
#include <servers/ns_types.h>

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

/*
 * exec.c: a program of the bootstrap's RAM disk copy, in a new task.
 * privileged: it gets the name server's privileged port and our
 * registered ports (the privileged host and device master ports);
 * otherwise the name server's plain port, and in its registered ports
 * no privileged host port and the console server as its device master.
 */
bool ramdisk_file(const char *path, const void **data, size_t *size);
kern_return_t bootstrap_exec(const char *path, const char *args, bool privileged,
			     task_t *task_out);

/* ns.c: the name server. */
kern_return_t ns_init(void);
/* The TASK_BOOTSTRAP_PORT of the tasks we start (a send right of ours). */
mach_port_t ns_bootstrap_port(bool privileged);
kern_return_t ns_add(const char *name, mach_port_t port, bool priv);
mach_port_t ns_port_of(const char *name);
void ns_serve(void);

#endif /* _BOOTSTRAP_H */
