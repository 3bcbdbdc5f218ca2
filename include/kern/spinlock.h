/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks: FIFO-fair, one cache line of state. A CPU takes a
 * ticket (fetch-and-add on `next`) and spins until `owner` reaches it.
 *
 * spin_lock_irqsave() masks interrupts on this CPU for as long as the lock
 * is held, which also keeps the thread from being preempted; that is the
 * form for data that interrupt handlers touch too. The preempt-only forms
 * (spin_lock()/spin_unlock()) are in <kern/lock.h>.
 *
 * With CONFIG_LOCK_DEBUG the lock also records its class and holder, and
 * spin_lock_irqsave()/spin_unlock_irqrestore() (and <kern/lock.h>'s forms)
 * report recursion, release by another thread and lock-order inversions
 * (<kern/lock_debug.h>). The raw __spin_acquire()/__spin_release() are
 * never checked: the scheduler and the debugger itself use them.
 */
#ifndef _KERN_SPINLOCK_H
#define _KERN_SPINLOCK_H

#include <kern/types.h>
#include <kern/arch.h>
#include <kern/lock_debug.h>

struct thread;

typedef struct spinlock {
	uint16_t	next;	/* the next ticket to hand out */
	uint16_t	owner;	/* the ticket being served */
#ifdef CONFIG_LOCK_DEBUG
	const struct lock_class	*cls;	/* NULL: a class of its own */
	struct thread	*holder;
#endif
} spinlock_t;

#define SPINLOCK_INIT	{ .next = 0, .owner = 0 }

#ifdef CONFIG_LOCK_DEBUG
bool lock_debug_spin_acquire(spinlock_t *l);	/* false: do not take it */
void lock_debug_spin_acquired(spinlock_t *l);
bool lock_debug_spin_release(spinlock_t *l);	/* false: do not release */
#else
static inline bool lock_debug_spin_acquire(spinlock_t *l) { return true; }
static inline void lock_debug_spin_acquired(spinlock_t *l) { }
static inline bool lock_debug_spin_release(spinlock_t *l) { return true; }
#endif

static inline void spin_lock_init(spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
#ifdef CONFIG_LOCK_DEBUG
	l->cls = NULL;
	l->holder = NULL;
#endif
}

/* Put l in class cls (lock debugging; nothing otherwise). */
static inline void spin_lock_init_class(spinlock_t *l, const struct lock_class *cls)
{
	spin_lock_init(l);
#ifdef CONFIG_LOCK_DEBUG
	l->cls = cls;
#endif
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

	if (lock_debug_spin_acquire(l)) {
		__spin_acquire(l);
		lock_debug_spin_acquired(l);
	}
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	if (lock_debug_spin_release(l))
		__spin_release(l);
	arch_irq_restore(flags);
}

#endif /* _KERN_SPINLOCK_H */
