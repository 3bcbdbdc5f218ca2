/* SPDX-License-Identifier: MIT */
/*
 * Locks that know about threads: the preemption-disabling forms of the
 * ticket spinlock, and the sleeping mutex. (Counting semaphores are in
 * <kern/semaphore.h>; the raw ticket lock and its interrupt-disabling
 * forms in <kern/spinlock.h>.)
 *
 *	spin_lock(l) / spin_unlock(l)	no preemption while held; for data
 *					that interrupt handlers never touch
 *	spin_lock_irqsave(l) / ...	interrupts off while held
 *	mutex_lock(m) / mutex_unlock(m)	may block; only in thread context
 *
 * Neither kind of spinlock may be held across anything that blocks
 * (thread_block(), mutex_lock(), semaphore_wait()).
 *
 * Lock classes (CONFIG_LOCK_DEBUG): every lock belongs to a class, and the
 * lock debugger records, per thread, the locks held and, globally, every
 * "class B taken while holding class A" pair it has seen; taking them the
 * other way round later is a lock-order inversion. A mutex initialised
 * with mutex_init() gets a class per call site (all the mutexes of one
 * kind share it); a lock with no class is its own class, named after its
 * symbol. See Documentation/threads-and-scheduler.rst.
 */
#ifndef _KERN_LOCK_H
#define _KERN_LOCK_H

#include <kern/spinlock.h>
#include <kern/thread.h>

/* ------------------------------------------------------------------------
 * Spinlocks that disable preemption
 */
static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	if (lock_debug_spin_acquire(l)) {
		__spin_acquire(l);
		lock_debug_spin_acquired(l);
	} else {
		preempt_enable_no_resched();	/* a caught recursion: not taken */
	}
}

/*
 * For a caller that keeps preemption off itself (one count for several
 * locks: the RPC fast path's, a port's lock inside its space's): the lock
 * without a count of its own.
 */
static inline void spin_lock_nested(spinlock_t *l)
{
	if (lock_debug_spin_acquire(l)) {
		__spin_acquire(l);
		lock_debug_spin_acquired(l);
	}
}

static inline void spin_unlock_nested(spinlock_t *l)
{
	if (lock_debug_spin_release(l))
		__spin_release(l);
}

static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (__spin_try_acquire(l)) {
		lock_debug_spin_acquired(l);
		return true;
	}
	preempt_enable();
	return false;
}

static inline void spin_unlock(spinlock_t *l)
{
	/* A caught release by a non-owner releases nothing. */
	if (lock_debug_spin_release(l)) {
		__spin_release(l);
		preempt_enable();
	}
}

/* ------------------------------------------------------------------------
 * Sleeping mutex: one owner; others block (uninterruptibly) until it is
 * released. Not recursive. Thread context only.
 */
struct mutex {
	spinlock_t		interlock;	/* raw: guards the two below */
	struct thread		*owner;
	unsigned int		waiters;
#ifdef CONFIG_LOCK_DEBUG
	const struct lock_class	*cls;
#endif
};

#define MUTEX_INITIALIZER	{ .interlock = SPINLOCK_INIT, .owner = NULL }

void __mutex_init(struct mutex *m, const struct lock_class *cls);

/* One lock class per call site: every mutex it initialises shares it. */
#ifdef CONFIG_LOCK_DEBUG
#define mutex_init(m)							\
	do {								\
		static struct lock_class __mutex_class = LOCK_CLASS_INIT(#m); \
		__mutex_init((m), &__mutex_class);			\
	} while (0)
#else
#define mutex_init(m)		__mutex_init((m), NULL)
#endif
#define mutex_init_class(m, cls)	__mutex_init((m), (cls))

void mutex_lock(struct mutex *m);
bool mutex_try(struct mutex *m);	/* true: now held */
void mutex_unlock(struct mutex *m);

static inline bool mutex_owned(const struct mutex *m)
{
	return READ_ONCE(m->owner) == current_thread();
}

#endif /* _KERN_LOCK_H */
