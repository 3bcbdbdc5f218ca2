// SPDX-License-Identifier: MIT
/*
 * /sbin/bootstrap: the first user task. The kernel starts it from the RAM
 * disk with the host port as its TASK_HOST_PORT special port and the
 * privileged host port and the device master port in its registered ports
 * (Documentation/user.rst, "The start contract").
 *
 * It says hello on the console, checks that user space works
 * (selftest.c), starts the system's servers (servers.c: none yet), and
 * then, until the shell exists, echoes the console's lines back.
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

/* A placeholder for the shell: read a line, say it back. */
static void echo_console(void)
{
	char line[128];
	int n;

	for (;;) {
		printf("bootstrap> ");
		n = getline_console(line, sizeof(line));
		if (n < 0) {
			printf("bootstrap: the console cannot be read\n");
			return;
		}
		if (n)
			printf("%s\n", line);
	}
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
	bootstrap_start_servers(&ports);

	echo_console();
	/* Nothing else to do: the first task stays. */
	for (;;)
		swtch_pri(0);
}
