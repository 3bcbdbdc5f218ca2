// SPDX-License-Identifier: MIT
/*
 * ktest suite "lock": spinlocks, mutexes and semaphores under contention
 * from every CPU, semaphore counts and timeouts, and (CONFIG_LOCK_DEBUG)
 * the lock debugger catching a recursion, an unlock by a non-owner,
 * blocking under a spinlock or with preemption disabled, and a planted
 * lock-order inversion, each through the lock_debug_expect() hook.
 */
#include <kern/lock.h>
#include <kern/lock_debug.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/semaphore.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <ktest.h>
#include <kernel/sched_test_util.h>

#define SEC	NSEC_PER_SEC
#define MSEC	NSEC_PER_MSEC

#define CONTENDERS	4
#define ITERATIONS	5000

/* A counter updated non-atomically, with a window for a race to show. */
struct contended {
	spinlock_t	spin;
	struct mutex	mutex;
	unsigned long	value;
	int		kind;		/* 0 spin_lock, 1 irqsave, 2 mutex */
	int		overlap;	/* someone else was inside */
	int		inside;
};

static void lock_test_critical(struct contended *c)
{
	unsigned long v;

	if (__atomic_fetch_add(&c->inside, 1, __ATOMIC_ACQ_REL))
		__atomic_store_n(&c->overlap, 1, __ATOMIC_RELAXED);
	v = READ_ONCE(c->value);
	barrier();
	for (int i = 0; i < 20; i++)
		arch_cpu_relax();
	WRITE_ONCE(c->value, v + 1);
	__atomic_sub_fetch(&c->inside, 1, __ATOMIC_ACQ_REL);
}

static void lock_test_contender(void *arg)
{
	struct contended *c = arg;
	unsigned long flags;
	int i;

	for (i = 0; i < ITERATIONS; i++) {
		switch (c->kind) {
		case 0:
			spin_lock(&c->spin);
			lock_test_critical(c);
			spin_unlock(&c->spin);
			break;
		case 1:
			flags = spin_lock_irqsave(&c->spin);
			lock_test_critical(c);
			spin_unlock_irqrestore(&c->spin, flags);
			break;
		default:
			mutex_lock(&c->mutex);
			lock_test_critical(c);
			/* A mutex may be held across a block. */
			if (!(i % 64))
				thread_yield();
			mutex_unlock(&c->mutex);
		}
	}
}

/*
 * A contended case ends when every thread has done its ITERATIONS; it
 * fails as stalled when the counter stops moving for this long (nobody
 * gets the lock any more), however slow the host makes the progress.
 */
#define STALL_NS	(20 * SEC)

/* Join the contenders; false when they stalled (they still run then). */
static bool lock_test_join_all(struct ktest *t, struct contended *c,
			       struct thread **th, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!sched_test_join_progress(th[i], &c->value, STALL_NS)) {
			KTEST_FAIL(t, "stalled: the counter stayed at %lu of %lu for %llu s",
				   READ_ONCE(c->value), (unsigned long)n * ITERATIONS,
				   (unsigned long long)(STALL_NS / SEC));
			return false;
		}
		thread_deallocate(th[i]);
	}
	return true;
}

static void lock_test_contend(struct ktest *t, int kind)
{
	struct contended *c = kalloc(sizeof(*c));
	struct thread *th[CONTENDERS];
	int n;

	KTEST_ASSERT_NOT_NULL(t, c);
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	spin_lock_init(&c->spin);
	mutex_init(&c->mutex);
	for (n = 0; n < CONTENDERS; n++) {
		th[n] = sched_test_thread(lock_test_contender, c, BASEPRI_KERNEL, "l-contend",
					  sched_test_other_cpu((unsigned int)n));
		if (!th[n])
			break;
	}
	KTEST_EXPECT_EQ(t, n, CONTENDERS);
	/*
	 * Stalled threads may still touch c and hold their references:
	 * leave both behind rather than free what they use.
	 */
	if (!lock_test_join_all(t, c, th, n))
		return;
	KTEST_EXPECT_EQ(t, c->value, (unsigned long)n * ITERATIONS);
	KTEST_EXPECT_EQ(t, c->overlap, 0);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&c->spin));
	KTEST_EXPECT_NULL(t, c->mutex.owner);
	kfree(c, sizeof(*c));
}

static void lock_test_spinlock(struct ktest *t)
{
	lock_test_contend(t, 0);
}

static void lock_test_spinlock_irqsave(struct ktest *t)
{
	lock_test_contend(t, 1);
}

static void lock_test_mutex(struct ktest *t)
{
	lock_test_contend(t, 2);
}

static void lock_test_trylock(struct ktest *t)
{
	spinlock_t l;
	struct mutex m;

	spin_lock_init(&l);
	mutex_init(&m);
	KTEST_EXPECT_TRUE(t, spin_trylock(&l));
	KTEST_EXPECT_TRUE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, current_thread()->preempt_count, 1);
	spin_unlock(&l);
	KTEST_EXPECT_EQ(t, current_thread()->preempt_count, 0);

	KTEST_EXPECT_TRUE(t, mutex_try(&m));
	KTEST_EXPECT_TRUE(t, mutex_owned(&m));
	mutex_unlock(&m);
	KTEST_EXPECT_FALSE(t, mutex_owned(&m));
}

/*
 * The tickets wrap within their halves: ticket 0xffff is taken and
 * served, and the next is 0, with nothing carried into `owner` or out of
 * the word (x86_64 takes a ticket with a 16-bit add on `next` alone,
 * arm64 with an add to the whole word).
 */
static void lock_test_ticket_wrap(struct ktest *t)
{
	spinlock_t l;

	spin_lock_init(&l);
	l.owner = l.next = 0xffff;
	spin_lock(&l);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, l.word, 0x0000ffffu);
	spin_unlock(&l);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, l.word, 0u);
	spin_lock(&l);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&l));
	KTEST_EXPECT_FALSE(t, spin_trylock(&l));
	spin_unlock(&l);
	KTEST_EXPECT_EQ(t, l.word, 0x00010001u);
	KTEST_EXPECT_EQ(t, current_thread()->preempt_count, 0);
}

/* Held by another thread: try fails, lock blocks until it is released. */
struct holder {
	struct mutex	*m;
	int		event;
	int		holding;
};

static void lock_test_holder_fn(void *arg)
{
	struct holder *h = arg;

	mutex_lock(h->m);
	assert_wait(&h->event, THREAD_UNINT);
	__atomic_store_n(&h->holding, 1, __ATOMIC_RELEASE);
	thread_block(NULL);
	mutex_unlock(h->m);
}

static void lock_test_mutex_blocks(struct ktest *t)
{
	struct mutex m;
	struct holder h = { &m, 0, 0 };
	struct thread *th;
	uint64_t start;

	mutex_init(&m);
	th = kernel_thread_create(lock_test_holder_fn, &h, BASEPRI_KERNEL, "l-holder");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_ASSERT_TRUE(t, sched_test_wait_eq(&h.holding, 1, SEC));
	KTEST_EXPECT_FALSE(t, mutex_try(&m));
	KTEST_EXPECT_PTR_EQ(t, m.owner, th);

	/* Let the holder go; we may block on the mutex until it unlocks. */
	start = clock_now();
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th, SEC));
	thread_set_priority(th, TEST_PRI);
	clear_wait(th, THREAD_AWAKENED);
	mutex_lock(&m);
	KTEST_EXPECT_TRUE(t, mutex_owned(&m));
	mutex_unlock(&m);
	KTEST_EXPECT_LT(t, clock_now() - start, SEC);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	thread_deallocate(th);
}

/* ------------------------------------------------------------------------
 * Semaphores
 */

static void lock_test_semaphore_counts(struct ktest *t)
{
	struct semaphore s;
	uint64_t start;

	semaphore_init(&s, 2);
	KTEST_EXPECT_EQ(t, semaphore_timedwait(&s, 0), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, semaphore_wait(&s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, semaphore_timedwait(&s, 0), KERN_OPERATION_TIMED_OUT);
	start = clock_now();
	KTEST_EXPECT_EQ(t, semaphore_timedwait(&s, 20 * MSEC), KERN_OPERATION_TIMED_OUT);
	KTEST_EXPECT_GE(t, clock_now() - start, 20 * MSEC);
	KTEST_EXPECT_EQ(t, semaphore_signal(&s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, semaphore_count(&s), 1);
	KTEST_EXPECT_EQ(t, semaphore_wait(&s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, semaphore_count(&s), 0);
	KTEST_EXPECT_EQ(t, semaphore_signal_all(&s), KERN_NOT_WAITING);
	KTEST_EXPECT_EQ(t, semaphore_count(&s), 0);
}

struct sem_user {
	struct semaphore	*sem;
	int			n;		/* waits to do */
	int			got;
	kern_return_t		last;
	unsigned long		*progress;	/* if set: counts the waits too */
};

static void lock_test_sem_consumer(void *arg)
{
	struct sem_user *u = arg;
	int i;

	for (i = 0; i < u->n; i++) {
		u->last = semaphore_wait(u->sem);
		if (u->last != KERN_SUCCESS)
			break;
		__atomic_add_fetch(&u->got, 1, __ATOMIC_RELEASE);
		if (u->progress)
			__atomic_add_fetch(u->progress, 1, __ATOMIC_RELAXED);
	}
}

/* Allocated: consumers that stall keep it (and may still run). */
struct sem_game {
	struct semaphore	sem;
	struct sem_user		u[CONTENDERS];
	unsigned long		progress;	/* all the consumers' waits done */
};

static void lock_test_semaphore_producer_consumers(struct ktest *t)
{
	struct sem_game *g = kalloc(sizeof(*g));
	struct thread *th[CONTENDERS];
	int i, total = 0;

	KTEST_ASSERT_NOT_NULL(t, g);
	memset(g, 0, sizeof(*g));
	semaphore_init(&g->sem, 0);
	for (i = 0; i < CONTENDERS; i++) {
		g->u[i] = (struct sem_user){ &g->sem, 500, 0, KERN_SUCCESS, &g->progress };
		th[i] = sched_test_thread(lock_test_sem_consumer, &g->u[i],
					  BASEPRI_KERNEL, "l-sem",
					  sched_test_other_cpu((unsigned int)i));
		KTEST_ASSERT_NOT_NULL(t, th[i]);
	}
	for (i = 0; i < CONTENDERS * 500; i++) {
		semaphore_signal(&g->sem);
		__atomic_add_fetch(&g->progress, 1, __ATOMIC_RELAXED);
		if (!(i % 16))
			thread_yield();
	}
	for (i = 0; i < CONTENDERS; i++) {
		if (!sched_test_join_progress(th[i], &g->progress, STALL_NS)) {
			KTEST_FAIL(t, "consumer %d stalled after %d waits", i,
				   __atomic_load_n(&g->u[i].got, __ATOMIC_ACQUIRE));
			return;
		}
		KTEST_EXPECT_EQ(t, g->u[i].last, KERN_SUCCESS);
		total += g->u[i].got;
		thread_deallocate(th[i]);
	}
	KTEST_EXPECT_EQ(t, total, CONTENDERS * 500);
	KTEST_EXPECT_EQ(t, semaphore_count(&g->sem), 0);
	kfree(g, sizeof(*g));
}

static void lock_test_semaphore_signal_all_interrupt(struct ktest *t)
{
	struct semaphore s;
	struct sem_user u[3];
	struct thread *th[3];
	int i;

	semaphore_init(&s, 0);
	for (i = 0; i < 3; i++) {
		u[i] = (struct sem_user){ &s, 1, 0, KERN_FAILURE, NULL };
		th[i] = kernel_thread_create(lock_test_sem_consumer, &u[i], BASEPRI_KERNEL, "l-sem");
		KTEST_ASSERT_NOT_NULL(t, th[i]);
		KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th[i], SEC));
	}
	/* The first is interrupted, the other two woken together. */
	KTEST_EXPECT_EQ(t, thread_interrupt(th[0]), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(th[0], SEC));
	KTEST_EXPECT_EQ(t, u[0].last, KERN_ABORTED);
	KTEST_EXPECT_EQ(t, semaphore_signal_all(&s), KERN_SUCCESS);
	for (i = 0; i < 3; i++) {
		KTEST_EXPECT_TRUE(t, sched_test_join(th[i], SEC));
		thread_deallocate(th[i]);
	}
	KTEST_EXPECT_EQ(t, u[1].last, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, u[2].last, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, semaphore_count(&s), 0);
}

/* ------------------------------------------------------------------------
 * The lock debugger
 */
#ifdef CONFIG_LOCK_DEBUG

static void lock_test_debug_recursion(struct ktest *t)
{
	spinlock_t l;
	struct mutex m;

	spin_lock_init(&l);
	mutex_init(&m);

	spin_lock(&l);
	lock_debug_expect(LOCK_DEBUG_RECURSION);
	spin_lock(&l);		/* caught, and not taken: no deadlock */
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 1u);
	spin_unlock(&l);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));

	mutex_lock(&m);
	lock_debug_expect(LOCK_DEBUG_RECURSION);
	mutex_lock(&m);
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 1u);
	mutex_unlock(&m);
	KTEST_EXPECT_NULL(t, m.owner);

	/* Nothing planted, nothing caught. */
	lock_debug_expect(LOCK_DEBUG_RECURSION);
	mutex_lock(&m);
	mutex_unlock(&m);
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 0u);
}

static void lock_test_debug_not_owner(struct ktest *t)
{
	struct mutex m;
	struct holder h = { &m, 0, 0 };
	struct thread *th;

	mutex_init(&m);
	th = kernel_thread_create(lock_test_holder_fn, &h, BASEPRI_KERNEL, "l-owner");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_ASSERT_TRUE(t, sched_test_wait_eq(&h.holding, 1, SEC));

	lock_debug_expect(LOCK_DEBUG_NOT_OWNER);
	mutex_unlock(&m);	/* caught, and not released */
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 1u);
	KTEST_EXPECT_PTR_EQ(t, m.owner, th);

	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th, SEC));
	thread_wakeup(&h.event);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_NULL(t, m.owner);
	thread_deallocate(th);
}

static void lock_test_debug_block(struct ktest *t)
{
	spinlock_t l;

	spin_lock_init(&l);
	spin_lock(&l);
	lock_debug_expect(LOCK_DEBUG_BLOCK_SPINLOCK);
	thread_block(NULL);	/* nothing asserted: only a yield */
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 1u);
	spin_unlock(&l);

	preempt_disable();
	lock_debug_expect(LOCK_DEBUG_BLOCK_PREEMPT);
	thread_block(NULL);
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 1u);
	preempt_enable();

	/* Clean: nothing. */
	lock_debug_expect(LOCK_DEBUG_BLOCK_PREEMPT);
	thread_block(NULL);
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 0u);
}

static struct lock_class lock_test_class_a = LOCK_CLASS_INIT("lock_test.a");
static struct lock_class lock_test_class_b = LOCK_CLASS_INIT("lock_test.b");
static struct lock_class lock_test_class_c = LOCK_CLASS_INIT("lock_test.c");

static void lock_test_debug_inversion(struct ktest *t)
{
	struct mutex a, b;
	spinlock_t c;
	unsigned long before = lock_debug_count(LOCK_DEBUG_INVERSION);

	mutex_init_class(&a, &lock_test_class_a);
	mutex_init_class(&b, &lock_test_class_b);
	spin_lock_init_class(&c, &lock_test_class_c);

	/* a then b, then b -> c: the orders the system knows from now on. */
	lock_debug_expect(LOCK_DEBUG_INVERSION);
	mutex_lock(&a);
	mutex_lock(&b);
	spin_lock(&c);
	spin_unlock(&c);
	mutex_unlock(&b);
	mutex_unlock(&a);
	/* The same order again is fine. */
	mutex_lock(&a);
	mutex_lock(&b);
	mutex_unlock(&b);
	mutex_unlock(&a);
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 0u);

	/* Planted: b, then a. */
	lock_debug_expect(LOCK_DEBUG_INVERSION);
	mutex_lock(&b);
	mutex_lock(&a);
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 1u);
	mutex_unlock(&a);
	mutex_unlock(&b);

	/* And c (a spinlock) then b. */
	lock_debug_expect(LOCK_DEBUG_INVERSION);
	spin_lock(&c);
	KTEST_EXPECT_TRUE(t, mutex_try(&b));	/* does not block */
	KTEST_EXPECT_EQ(t, lock_debug_expect_end(), 0u);	/* a try cannot deadlock */
	mutex_unlock(&b);
	spin_unlock(&c);

	KTEST_EXPECT_EQ(t, lock_debug_count(LOCK_DEBUG_INVERSION), before + 1);
}

#else

static void lock_test_debug_off(struct ktest *t)
{
	ktest_skip(t, "CONFIG_LOCK_DEBUG is off");
}

#endif /* CONFIG_LOCK_DEBUG */

static struct ktest_case lock_test_cases[] = {
	KTEST_CASE(lock_test_spinlock),
	KTEST_CASE(lock_test_spinlock_irqsave),
	KTEST_CASE(lock_test_ticket_wrap),
	KTEST_CASE(lock_test_mutex),
	KTEST_CASE(lock_test_trylock),
	KTEST_CASE(lock_test_mutex_blocks),
	KTEST_CASE(lock_test_semaphore_counts),
	KTEST_CASE(lock_test_semaphore_producer_consumers),
	KTEST_CASE(lock_test_semaphore_signal_all_interrupt),
#ifdef CONFIG_LOCK_DEBUG
	KTEST_CASE(lock_test_debug_recursion),
	KTEST_CASE(lock_test_debug_not_owner),
	KTEST_CASE(lock_test_debug_block),
	KTEST_CASE(lock_test_debug_inversion),
#else
	KTEST_CASE(lock_test_debug_off),
#endif
	{}
};

static struct ktest_suite lock_test_suite = {
	.name = "lock",
	.suite_init = sched_test_suite_init,
	.suite_exit = sched_test_suite_exit,
	.test_cases = lock_test_cases,
};
KTEST_SUITE(lock_test_suite);
