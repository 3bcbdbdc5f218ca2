// SPDX-License-Identifier: MIT
/*
 * The servers the bootstrap task starts, in order: the name server, the
 * console server, the default pager, the shell. None exists yet. Starting
 * one will be: task_create(), load its ELF from the RAM disk, pass it its
 * ports (mach_ports_register()), thread_create() + thread_set_state() +
 * thread_resume(); each gets an entry here.
 */
#include <stdio.h>
#include "bootstrap.h"

struct bootstrap_server {
	const char	*path;		/* in the RAM disk */
	kern_return_t	(*start)(const struct bootstrap_server *s,
				 const struct bootstrap_ports *ports);
};

static const struct bootstrap_server servers[] = {
	{ NULL, NULL },		/* end of the list */
};

int bootstrap_start_servers(const struct bootstrap_ports *ports)
{
	const struct bootstrap_server *s;
	kern_return_t kr;
	int failed = 0;

	for (s = servers; s->path; s++) {
		kr = s->start(s, ports);
		if (kr != KERN_SUCCESS) {
			printf("bootstrap: %s did not start: %#x\n", s->path, kr);
			failed++;
		}
	}
	return failed;
}
