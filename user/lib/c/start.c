// SPDX-License-Identifier: MIT
/*
 * From crt0 to main(). The kernel (or the task that started this one)
 * leaves on the stack, 16-byte aligned (Documentation/user.rst):
 *
 *	sp ->	argc
 *		argv[0] ... argv[argc - 1], NULL
 *		envp[0] ... NULL
 *		the strings
 *
 * and crt0 passes that stack pointer here.
 */
#include <stdlib.h>
#include <string.h>
#include <mach/mach.h>

char **environ;

int main(int argc, char **argv, char **envp);
__attribute__((noreturn)) void _libc_start(long *sp);

char *getenv(const char *name)
{
	size_t n = strlen(name);
	char **e;

	for (e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

void _libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	environ = argv + argc + 1;
	mach_init();
	exit(main(argc, argv, environ));
}
