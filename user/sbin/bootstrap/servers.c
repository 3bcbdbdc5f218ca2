// SPDX-License-Identifier: MIT
/*
 * The servers the bootstrap task starts, in order, each a program of its
 * copy of the RAM disk in a task of its own (exec.c) with the name
 * server's port as its TASK_BOOTSTRAP_PORT: the console server, then the
 * shell, both privileged (bootstrap_exec()). The name server is the
 * bootstrap itself (ns.c); it first registers the kernel's ports its
 * servers need (NS_NAME_HOST_PRIV, NS_NAME_DEVICE_MASTER) as privileged
 * entries: only tasks started privileged look them up. A server that
 * needs another waits for its name (ns_look_up until it is there).
 */
#include <stdio.h>
#include "bootstrap.h"

static const char *const servers[] = {
	"/sbin/console",
	"/bin/sh",
};

int bootstrap_start_servers(const struct bootstrap_ports *ports)
{
	task_t task;
	kern_return_t kr;
	unsigned int i;
	int failed = 0;

	if (ports->host_priv != MACH_PORT_NULL)
		ns_add(NS_NAME_HOST_PRIV, ports->host_priv, true);
	if (ports->device_master != MACH_PORT_NULL)
		ns_add(NS_NAME_DEVICE_MASTER, ports->device_master, true);
	for (i = 0; i < sizeof(servers) / sizeof(servers[0]); i++) {
		kr = bootstrap_exec(servers[i], "", true, &task);
		if (kr != KERN_SUCCESS) {
			printf("bootstrap: %s did not start: %#x\n", servers[i], kr);
			failed++;
			continue;
		}
		printf("bootstrap: started %s\n", servers[i]);
		mach_port_deallocate(mach_task_self(), task);
	}
	return failed;
}
