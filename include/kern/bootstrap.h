/* SPDX-License-Identifier: MIT */
/*
 * The bootstrap task: the first user program, started by the kernel from
 * the RAM disk once the core is up (kernel/bootstrap.c,
 * Documentation/boot.rst). The contract with the program is
 * <mach/bootstrap_abi.h>.
 */
#ifndef _KERN_BOOTSTRAP_H
#define _KERN_BOOTSTRAP_H

#include <kern/types.h>
#include <mach/kern_return.h>

struct task;

/*
 * Start /sbin/bootstrap (or the `init=` program) from the RAM disk as a
 * new task, child of kernel_task: its ELF loaded, the start block on its
 * stack, its ports, one user thread at the entry point. Called by
 * kernel_main() once the init levels and ktest have run. KERN_SUCCESS
 * once the thread runs; KERN_FAILURE when there is no RAM disk or no such
 * program (reported, and the kernel goes on without user space); the
 * loader's error for a bad program.
 */
kern_return_t bootstrap_start(void);

/*
 * The task bootstrap_start() made, with a reference for the caller
 * (task_deallocate() it), or NULL before or without one.
 */
struct task *bootstrap_task_get(void);

/*
 * argv of the bootstrap program: argv[0] = path, then the words of the
 * command line cmdline after a standalone "--" (split at blanks, no
 * quoting), at most max in all. The strings are copied into buf
 * (bufsize bytes); words that do not fit are dropped. Returns argc.
 */
unsigned int bootstrap_args(const char *cmdline, const char *path, const char **argv,
			    unsigned int max, char *buf, size_t bufsize);

#endif /* _KERN_BOOTSTRAP_H */
