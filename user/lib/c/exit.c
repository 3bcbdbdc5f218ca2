// SPDX-License-Identifier: MIT
/*
 * The end of a program: exit() runs the atexit() functions, writes out
 * the console buffer and ends the task with task_terminate() of its own
 * port. The status has nowhere to go yet (no parent to wait for it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <mach/mach.h>

#define ATEXIT_MAX	8

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

void _exit(int status)
{
	(void)status;
	task_terminate(mach_task_self());
	/* Not reached, unless the task port is not ours to use. */
	for (;;)
		thread_terminate(mach_thread_self());
}

void exit(int status)
{
	while (atexit_count)
		atexit_fns[--atexit_count]();
	fflush_stdout();
	_exit(status);
}

void abort(void)
{
	printf("abort() called\n");
	fflush_stdout();
	_exit(127);
}
