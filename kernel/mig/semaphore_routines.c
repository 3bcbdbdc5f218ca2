// SPDX-License-Identifier: MIT
/*
 * The kernel's side of semaphore.defs (subsystem 617200, a semaphore's
 * port: IKOT_SEMAPHORE) and task.defs (subsystem 3400, on a task's port:
 * semaphore_create and semaphore_destroy). The semaphores themselves are
 * kernel/sync_sema.c's (<kern/sync_sema.h>).
 *
 * A wait blocks the thread that sent the request, inside its send, as
 * the trap would: the kernel serves the request on the sender's thread.
 */
#include <kern/sync_sema.h>
#include <ipc/ipc_kobject.h>
#include <kernel/mig/mig_convert.h>
#include "semaphoreServer.h"
#include "taskServer.h"

IPC_KOBJECT_DEFINE(IKOT_SEMAPHORE,
	.ikt_subsystems = { &semaphore_subsystem });

/* task.defs */

kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value)
{
	return sync_sema_create(task, policy, value, semaphore);
}

kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore)
{
	return sync_sema_destroy(task, semaphore);
}

/* semaphore.defs */

kern_return_t semaphore_signal_from_user(semaphore_t semaphore)
{
	return sync_sema_signal(semaphore);
}

/* As in Mach: nobody waiting is no error here. */
kern_return_t semaphore_signal_all_from_user(semaphore_t semaphore)
{
	kern_return_t kr = sync_sema_signal_all(semaphore);

	return kr == KERN_NOT_WAITING ? KERN_SUCCESS : kr;
}

kern_return_t semaphore_wait_from_user(semaphore_t semaphore)
{
	return sync_sema_wait(semaphore, SEMAPHORE_NULL, false, 0);
}

kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread)
{
	return sync_sema_signal_thread(semaphore, thread);
}

kern_return_t semaphore_timedwait_from_user(semaphore_t semaphore, mach_timespec_t wait_time)
{
	uint64_t ns;
	kern_return_t kr = sync_sema_timespec_ns(wait_time, &ns);

	if (kr != KERN_SUCCESS)
		return kr;
	return sync_sema_wait(semaphore, SEMAPHORE_NULL, true, ns);
}

kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore)
{
	return sync_sema_wait(wait_semaphore, signal_semaphore, false, 0);
}

kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
					 semaphore_t signal_semaphore,
					 mach_timespec_t wait_time)
{
	uint64_t ns;
	kern_return_t kr = sync_sema_timespec_ns(wait_time, &ns);

	if (kr != KERN_SUCCESS)
		return kr;
	return sync_sema_wait(wait_semaphore, signal_semaphore, true, ns);
}
