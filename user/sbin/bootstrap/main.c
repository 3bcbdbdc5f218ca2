// SPDX-License-Identifier: MIT
/*
 * /sbin/bootstrap: the first user task. The kernel starts it from the RAM
 * disk with the host port as its TASK_HOST_PORT special port and the
 * privileged host port and the device master port in its registered ports
 * (Documentation/user.rst, "The start contract").
 *
 * It says hello on the console, checks that user space works
 * (selftest.c), starts the system's servers and the shell (servers.c),
 * and then serves as the name server (ns.c) for good.
 */
#include <stdio.h>
#include <string.h>
#include "bootstrap.h"

static void lookup_ports(struct bootstrap_ports *ports)
{
	kern_return_t kr;

	kr = task_get_special_port(mach_task_self(), TASK_HOST_PORT, &ports->host);
	if (kr != KERN_SUCCESS) {
		printf("bootstrap: task_get_special_port(TASK_HOST_PORT): %#x\n", kr);
		ports->host = MACH_PORT_NULL;
	}
	/* The console found the device master port the same way already. */
	kr = mach_bootstrap_ports(&ports->host_priv, &ports->device_master);
	if (kr != KERN_SUCCESS) {
		printf("bootstrap: mach_ports_lookup: %#x\n", kr);
		ports->host_priv = ports->device_master = MACH_PORT_NULL;
	}
	printf("bootstrap: task %#x, host %#x, host_priv %#x, device master %#x\n",
	       mach_task_self(), ports->host, ports->host_priv, ports->device_master);
}

int main(int argc, char **argv)
{
	struct bootstrap_ports ports;
	int i;

	printf("\nMachLine bootstrap: user space is up\n");
	for (i = 0; i < argc; i++)
		printf("bootstrap: argv[%d] = \"%s\"\n", i, argv[i]);

	lookup_ports(&ports);
	bootstrap_selftest(&ports);
	if (ns_init() != KERN_SUCCESS)
		return 1;
	bootstrap_start_servers(&ports);
	ns_serve();
	return 0;
}
