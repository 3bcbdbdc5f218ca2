/* SPDX-License-Identifier: MIT */
/*
 * Mach semaphores: the ones a task names by a port (semaphore_t), made
 * with semaphore_create() on the task's port, served by semaphore.defs
 * and the semaphore traps (Documentation/semaphores.rst).
 *
 * Not to be confused with struct semaphore (<kern/semaphore.h>), the
 * kernel's own counting semaphore, which has no port, no owner and no
 * waiting order; the two share the Mach vocabulary, so this one's kernel
 * API is sync_sema_*() (XNU's file is kern/sync_sema.c).
 *
 * A semaphore has a count of units (>= 0) and a queue of waiting threads
 * in the order its policy says (<mach/sync_policy.h>: FIFO, FIXED_PRIORITY
 * by scheduling priority, LIFO). A signal gives its unit straight to the
 * first waiter, or adds it to the count when none waits; a wait takes a
 * unit or joins the queue. A wait ends with KERN_SUCCESS (it got a unit),
 * KERN_OPERATION_TIMED_OUT, KERN_ABORTED (thread_abort(), or its thread
 * or task is being terminated) or KERN_TERMINATED (the semaphore was
 * destroyed, also by its task's end).
 *
 * Life: the owner task's list holds the semaphore's existence reference;
 * semaphore_destroy() or the task's end (semaphore_task_destroy_all(),
 * from task_cleanup()) takes it off the list, wakes its waiters, kills
 * its port (send rights become dead names) and drops that reference.
 * Each convert_port_to_semaphore() adds one, which
 * semaphore_dereference() drops; the structure goes with the last one.
 *
 * Locking: the semaphore's spinlock (taken with interrupts off) guards
 * count, active and the queue; a waiter's wakeup is issued under it. The
 * owner's task lock guards the list links. Nothing blocks under either.
 */
#ifndef _KERN_SYNC_SEMA_H
#define _KERN_SYNC_SEMA_H

#include <kern/types.h>
#include <mach/mach_types.h>

struct ipc_space;

/*
 * A semaphore of `task` with `value` units, waiters served by `policy`;
 * *semap holds a reference for the caller. KERN_INVALID_ARGUMENT for no
 * task, a negative value or an unknown policy; KERN_TERMINATED for an
 * ended task; KERN_RESOURCE_SHORTAGE.
 */
kern_return_t sync_sema_create(task_t task, int policy, int value, semaphore_t *semap);

/*
 * Destroy a semaphore of `task`: KERN_INVALID_ARGUMENT if it is not the
 * task's (or either is null), KERN_TERMINATED if it is destroyed already.
 */
kern_return_t sync_sema_destroy(task_t task, semaphore_t sema);

/* One unit: to the first waiter, else to the count. */
kern_return_t sync_sema_signal(semaphore_t sema);

/* Wake every waiter (each with a unit); KERN_NOT_WAITING if none waited. */
kern_return_t sync_sema_signal_all(semaphore_t sema);

/*
 * Wake `thread` if it waits on the semaphore, else KERN_NOT_WAITING;
 * with THREAD_NULL the first waiter. Never counted.
 */
kern_return_t sync_sema_signal_thread(semaphore_t sema, thread_t thread);

/*
 * Take a unit, waiting for one; with `signal` (may be NULL), signal it
 * first (semaphore_wait_signal). timed: give up after timeout_ns
 * (0: do not wait) with KERN_OPERATION_TIMED_OUT.
 */
kern_return_t sync_sema_wait(semaphore_t sema, semaphore_t signal, bool timed,
			     uint64_t timeout_ns);

/* A relative mach_timespec_t in ns, or KERN_INVALID_VALUE. */
kern_return_t sync_sema_timespec_ns(mach_timespec_t ts, uint64_t *ns);

/* References (the MIG destructor is semaphore_dereference()). */
void sync_sema_reference(semaphore_t sema);
void semaphore_dereference(semaphore_t sema);

/* The semaphore a send right of the caller's space names, referenced, or NULL. */
semaphore_t sync_sema_lookup_name(struct ipc_space *space, mach_port_name_t name);

/* The task's end: every semaphore it made is destroyed (task_cleanup()). */
void semaphore_task_destroy_all(task_t task);

/* For tests: semaphores that exist, threads waiting on one, the count. */
unsigned int sync_sema_live_count(void);
unsigned int sync_sema_waiters(semaphore_t sema);
int sync_sema_value(semaphore_t sema);

/* mig_convert.h's conversions for semaphore_t. */
semaphore_t convert_port_to_semaphore(mach_port_t port);
mach_port_t convert_semaphore_to_port(semaphore_t sema);

#endif /* _KERN_SYNC_SEMA_H */
