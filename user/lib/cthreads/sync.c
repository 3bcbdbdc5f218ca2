// SPDX-License-Identifier: MIT
/*
 * Mutexes and conditions (cthreads.h). A mutex counts its holder and its
 * waiters: lock spins a little on a free mutex, then adds itself and, if
 * the mutex was taken, waits on the mutex's semaphore; unlock takes itself
 * off and signals the semaphore if anybody waits. The semaphore counts,
 * so a signal that comes before the wait is not lost.
 */
#include <cthreads.h>

#define SPIN	100

static inline void cpu_relax(void)
{
#ifdef __x86_64__
	__asm__ volatile("pause" ::: "memory");
#else
	__asm__ volatile("yield" ::: "memory");
#endif
}

/* semaphore_destroy() consumes our send right (MOVE_SEND, as XNU's): the name goes. */
void _cthread_sema_free(semaphore_t s)
{
	semaphore_destroy(mach_task_self(), s);
}

kern_return_t mutex_init(struct mutex *m)
{
	m->count = 0;
	return semaphore_create(mach_task_self(), &m->sema, SYNC_POLICY_FIFO, 0);
}

void mutex_destroy(struct mutex *m)
{
	_cthread_sema_free(m->sema);
	m->sema = MACH_PORT_NULL;
}

bool mutex_try_lock(struct mutex *m)
{
	int free = 0;

	return __atomic_compare_exchange_n(&m->count, &free, 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

void mutex_lock(struct mutex *m)
{
	int i;

	for (i = 0; i < SPIN; i++) {
		if (mutex_try_lock(m))
			return;
		cpu_relax();
	}
	if (__atomic_fetch_add(&m->count, 1, __ATOMIC_ACQUIRE) == 0)
		return;
	/* KERN_ABORTED (an aborted wait) is not a wake-up. */
	while (semaphore_wait_trap(m->sema) == KERN_ABORTED)
		;
}

void mutex_unlock(struct mutex *m)
{
	if (__atomic_fetch_sub(&m->count, 1, __ATOMIC_RELEASE) > 1)
		semaphore_signal_trap(m->sema);
}

kern_return_t condition_init(struct condition *c)
{
	c->waiters = 0;
	return semaphore_create(mach_task_self(), &c->sema, SYNC_POLICY_FIFO, 0);
}

void condition_destroy(struct condition *c)
{
	_cthread_sema_free(c->sema);
	c->sema = MACH_PORT_NULL;
}

/*
 * A waiter counts itself under the mutex, so a signal given under the
 * mutex after our unlock finds us counted; the semaphore keeps it if we
 * have not waited yet.
 */
void condition_wait(struct condition *c, struct mutex *m)
{
	c->waiters++;
	mutex_unlock(m);
	while (semaphore_wait_trap(c->sema) == KERN_ABORTED)
		;
	mutex_lock(m);
}

void condition_signal(struct condition *c)
{
	if (c->waiters) {
		c->waiters--;
		semaphore_signal_trap(c->sema);
	}
}

void condition_broadcast(struct condition *c)
{
	while (c->waiters) {
		c->waiters--;
		semaphore_signal_trap(c->sema);
	}
}
