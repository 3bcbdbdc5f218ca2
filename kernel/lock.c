// SPDX-License-Identifier: MIT
/*
 * The sleeping mutex (<kern/lock.h>) and Mach's kernel semaphores
 * (<kern/semaphore.h>), both built on assert_wait()/thread_block().
 *
 * Each has a raw interlock taken with interrupts off; the lock order is
 * interlock, then the wait queue and the thread (kernel/sched_internal.h),
 * so a waiter asserts its wait under the interlock and a waker wakes under
 * it: no wakeup falls between a waiter's test and its block.
 */
#include <kern/arch.h>
#include <kern/lock.h>
#include <kern/lock_debug.h>
#include <kern/panic.h>
#include <kern/sched_prim.h>
#include <kern/semaphore.h>
#include <kernel/sched_internal.h>

/* ------------------------------------------------------------------------
 * Mutex
 */

void __mutex_init(struct mutex *m, const struct lock_class *cls)
{
	spin_lock_init(&m->interlock);
	m->owner = NULL;
	m->waiters = 0;
#ifdef CONFIG_LOCK_DEBUG
	m->cls = cls;
#endif
}

static inline const struct lock_class *mutex_class(const struct mutex *m)
{
#ifdef CONFIG_LOCK_DEBUG
	return m->cls;
#else
	return NULL;
#endif
}

void mutex_lock(struct mutex *m)
{
	struct thread *self = current_thread();
	unsigned long flags;

#ifdef CONFIG_LOCK_DEBUG
	if (!lock_debug_acquire(m, mutex_class(m), false, (unsigned long)__builtin_return_address(0)))
		return;
#endif
	flags = arch_irq_save();
	__spin_acquire(&m->interlock);
	while (m->owner) {
		m->waiters++;
		assert_wait(m, THREAD_UNINT);
		__spin_release(&m->interlock);
		arch_irq_restore(flags);
		thread_block(NULL);
		flags = arch_irq_save();
		__spin_acquire(&m->interlock);
		m->waiters--;
	}
	m->owner = self;
	__spin_release(&m->interlock);
	arch_irq_restore(flags);
#ifdef CONFIG_LOCK_DEBUG
	lock_debug_acquired(m, mutex_class(m), false, (unsigned long)__builtin_return_address(0));
#endif
}

bool mutex_try(struct mutex *m)
{
	unsigned long flags = arch_irq_save();
	bool got = false;

	__spin_acquire(&m->interlock);
	if (!m->owner) {
		m->owner = current_thread();
		got = true;
	}
	__spin_release(&m->interlock);
	arch_irq_restore(flags);
#ifdef CONFIG_LOCK_DEBUG
	if (got)
		lock_debug_acquired(m, mutex_class(m), false,
				    (unsigned long)__builtin_return_address(0));
#endif
	return got;
}

void mutex_unlock(struct mutex *m)
{
	unsigned long flags;

#ifdef CONFIG_LOCK_DEBUG
	if (!lock_debug_release(m, READ_ONCE(m->owner), false))
		return;
#endif
	flags = arch_irq_save();
	__spin_acquire(&m->interlock);
	m->owner = NULL;
	/* The woken thread competes for it again: no convoy behind a sleeper. */
	if (m->waiters)
		thread_wakeup_one(m);
	__spin_release(&m->interlock);
	arch_irq_restore(flags);
	sched_check_preempt();
}

/* ------------------------------------------------------------------------
 * Semaphores
 */

void semaphore_init(struct semaphore *s, int count)
{
	spin_lock_init(&s->lock);
	s->count = count;
	s->waiters = 0;
}

static kern_return_t semaphore_wait_common(struct semaphore *s, bool timed, uint64_t timeout_ns)
{
	unsigned long flags = arch_irq_save();
	wait_result_t wr;

	__spin_acquire(&s->lock);
	if (s->count > 0) {
		s->count--;
		__spin_release(&s->lock);
		arch_irq_restore(flags);
		return KERN_SUCCESS;
	}
	if (timed && !timeout_ns) {
		__spin_release(&s->lock);
		arch_irq_restore(flags);
		return KERN_OPERATION_TIMED_OUT;
	}
	s->waiters++;
	if (timed)
		assert_wait_timeout(s, THREAD_INTERRUPTIBLE, timeout_ns);
	else
		assert_wait(s, THREAD_INTERRUPTIBLE);
	__spin_release(&s->lock);
	arch_irq_restore(flags);

	/*
	 * A signal hands its unit straight to the thread it wakes; a thread
	 * that times out or is interrupted has been taken off the queue
	 * first, so no signal counts it.
	 */
	wr = thread_block(NULL);

	flags = arch_irq_save();
	__spin_acquire(&s->lock);
	s->waiters--;
	__spin_release(&s->lock);
	arch_irq_restore(flags);

	switch (wr) {
	case THREAD_AWAKENED:
		return KERN_SUCCESS;
	case THREAD_TIMED_OUT:
		return KERN_OPERATION_TIMED_OUT;
	case THREAD_RESTART:
		return KERN_SEMAPHORE_DESTROYED;
	default:
		return KERN_ABORTED;
	}
}

kern_return_t semaphore_wait(struct semaphore *s)
{
	return semaphore_wait_common(s, false, 0);
}

kern_return_t semaphore_timedwait(struct semaphore *s, uint64_t timeout_ns)
{
	return semaphore_wait_common(s, true, timeout_ns);
}

kern_return_t semaphore_signal(struct semaphore *s)
{
	unsigned long flags = arch_irq_save();

	__spin_acquire(&s->lock);
	if (!thread_wakeup_one(s))
		s->count++;
	__spin_release(&s->lock);
	arch_irq_restore(flags);
	sched_check_preempt();
	return KERN_SUCCESS;
}

kern_return_t semaphore_signal_all(struct semaphore *s)
{
	unsigned long flags = arch_irq_save();
	unsigned int woken;

	__spin_acquire(&s->lock);
	woken = thread_wakeup(s);
	__spin_release(&s->lock);
	arch_irq_restore(flags);
	sched_check_preempt();
	return woken ? KERN_SUCCESS : KERN_NOT_WAITING;
}
