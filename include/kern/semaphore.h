/* SPDX-License-Identifier: MIT */
/*
 * Mach's kernel semaphores: a count and a queue of waiting threads.
 *
 * semaphore_wait() takes one unit, blocking while there is none;
 * semaphore_signal() gives one to the first waiter, or adds it to the
 * count when nobody waits; semaphore_signal_all() wakes every waiter
 * (each gets a unit) and leaves the count alone. Waits are interruptible
 * (thread_interrupt() ends one with KERN_ABORTED) and may have a timeout.
 * Thread context only, except semaphore_signal*(), which interrupt
 * handlers may call. (The port that names a semaphore to user space comes
 * with the IPC layer.)
 */
#ifndef _KERN_SEMAPHORE_H
#define _KERN_SEMAPHORE_H

#include <kern/spinlock.h>
#include <mach/kern_return.h>

struct semaphore {
	spinlock_t	lock;		/* raw, interrupts off */
	int		count;		/* units available, >= 0 */
	unsigned int	waiters;	/* threads in semaphore_wait() */
};

#define SEMAPHORE_INITIALIZER(n)	{ .lock = SPINLOCK_INIT, .count = (n) }

void semaphore_init(struct semaphore *s, int count);

/* KERN_SUCCESS, or KERN_ABORTED when interrupted. */
kern_return_t semaphore_wait(struct semaphore *s);

/* ... or KERN_OPERATION_TIMED_OUT after timeout_ns (0: just try). */
kern_return_t semaphore_timedwait(struct semaphore *s, uint64_t timeout_ns);

kern_return_t semaphore_signal(struct semaphore *s);

/* Wake every waiter; KERN_NOT_WAITING if there was none. */
kern_return_t semaphore_signal_all(struct semaphore *s);

/* The count now (racy: tests and statistics). */
static inline int semaphore_count(struct semaphore *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

#endif /* _KERN_SEMAPHORE_H */
