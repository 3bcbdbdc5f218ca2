/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks: FIFO-fair, one cache line of state. A CPU takes a
 * ticket (fetch-and-add on `next`) and spins until `owner` reaches it.
 *
 * spin_lock_irqsave() masks interrupts on this CPU for as long as the lock
 * is held, which also keeps the thread from being preempted; that is the
 * form for data that interrupt handlers touch too. The preempt-only forms
 * (spin_lock()/spin_unlock()) and the lock debugger (CONFIG_LOCK_DEBUG)
 * are added with the scheduler (<kern/lock.h>).
 */
#ifndef _KERN_SPINLOCK_H
#define _KERN_SPINLOCK_H

#include <kern/types.h>
#include <kern/arch.h>

typedef struct spinlock {
	uint16_t	next;	/* the next ticket to hand out */
	uint16_t	owner;	/* the ticket being served */
} spinlock_t;

#define SPINLOCK_INIT	{ 0, 0 }

static inline void spin_lock_init(spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
}

static inline void __spin_acquire(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

static inline bool __spin_try_acquire(spinlock_t *l)
{
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint16_t expect = owner;

	/* Free means next == owner: take ticket `owner` if nobody else did. */
	return __atomic_compare_exchange_n(&l->next, &expect, (uint16_t)(owner + 1),
					   false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void __spin_release(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();

	__spin_acquire(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	__spin_release(l);
	arch_irq_restore(flags);
}

#endif /* _KERN_SPINLOCK_H */
