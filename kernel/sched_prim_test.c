// SPDX-License-Identifier: MIT
/*
 * ktest suite "sched_prim": wakeup of one and of all, timeouts,
 * interrupted waits, wait/wakeup races across CPUs, and continuations
 * giving their kernel stacks back while they wait.
 */
#include <kern/kmem.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <ktest.h>
#include <kernel/sched_test_util.h>

#define SEC	NSEC_PER_SEC
#define MSEC	NSEC_PER_MSEC

#define WAITERS	4

struct wait_one {
	event_t		event;
	wait_interrupt_t intr;
	uint64_t	timeout;	/* 0: none */
	wait_result_t	result;
	int		done;
	int		*counter;
};

static void sched_prim_test_waiter(void *arg)
{
	struct wait_one *w = arg;

	if (w->timeout)
		assert_wait_timeout(w->event, w->intr, w->timeout);
	else
		assert_wait(w->event, w->intr);
	w->result = thread_block(NULL);
	if (w->counter)
		__atomic_add_fetch(w->counter, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
}

static struct thread *start_waiter(struct wait_one *w, event_t event, wait_interrupt_t intr,
				   uint64_t timeout, int *counter, int cpu)
{
	w->event = event;
	w->intr = intr;
	w->timeout = timeout;
	w->result = THREAD_WAITING;
	w->done = 0;
	w->counter = counter;
	return sched_test_thread(sched_prim_test_waiter, w, BASEPRI_KERNEL, "sp-waiter", cpu);
}

static void sched_prim_test_wakeup_one_all(struct ktest *t)
{
	struct wait_one w[WAITERS];
	struct thread *th[WAITERS];
	int event = 0, woken = 0, i;

	/* One after the other, so that the queue order is known. */
	for (i = 0; i < WAITERS; i++) {
		th[i] = start_waiter(&w[i], &event, THREAD_UNINT, 0, &woken, -1);
		KTEST_ASSERT_NOT_NULL(t, th[i]);
		KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th[i], SEC));
	}
	KTEST_EXPECT_EQ(t, thread_waiters(&event), (unsigned int)WAITERS);

	KTEST_EXPECT_EQ(t, thread_wakeup_one(&event), 1u);
	KTEST_EXPECT_TRUE(t, sched_test_wait_eq(&woken, 1, SEC));
	thread_delay(20 * MSEC);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&woken, __ATOMIC_ACQUIRE), 1);
	KTEST_EXPECT_EQ(t, thread_waiters(&event), (unsigned int)WAITERS - 1);
	/* The first to wait is the first woken. */
	KTEST_EXPECT_EQ(t, __atomic_load_n(&w[0].done, __ATOMIC_ACQUIRE), 1);

	KTEST_EXPECT_EQ(t, thread_wakeup(&event), (unsigned int)WAITERS - 1);
	for (i = 0; i < WAITERS; i++) {
		KTEST_EXPECT_TRUE(t, sched_test_join(th[i], SEC));
		KTEST_EXPECT_EQ(t, w[i].result, THREAD_AWAKENED);
		thread_deallocate(th[i]);
	}
	KTEST_EXPECT_EQ(t, woken, WAITERS);
	KTEST_EXPECT_EQ(t, thread_waiters(&event), 0u);
	KTEST_EXPECT_EQ(t, thread_wakeup(&event), 0u);
}

static void sched_prim_test_wakeup_with_result(struct ktest *t)
{
	struct wait_one w;
	struct thread *th;
	int event = 0;

	th = start_waiter(&w, &event, THREAD_UNINT, 0, NULL, -1);
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th, SEC));
	KTEST_EXPECT_EQ(t, thread_wakeup_with_result(&event, THREAD_RESTART), 1u);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_EQ(t, w.result, THREAD_RESTART);
	thread_deallocate(th);
}

/* A wakeup between assert_wait() and thread_block() is not lost. */
static void sched_prim_test_early_wakeup(struct ktest *t)
{
	int event = 0;

	assert_wait(&event, THREAD_UNINT);
	KTEST_EXPECT_EQ(t, thread_waiters(&event), 1u);
	KTEST_EXPECT_EQ(t, thread_wakeup(&event), 1u);
	KTEST_EXPECT_EQ(t, thread_block(NULL), THREAD_AWAKENED);

	/* clear_wait() of one's own wait, as when the condition is already true. */
	assert_wait(&event, THREAD_UNINT);
	KTEST_EXPECT_EQ(t, clear_wait(current_thread(), THREAD_AWAKENED), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_waiters(&event), 0u);
	KTEST_EXPECT_EQ(t, thread_block(NULL), THREAD_AWAKENED);
	KTEST_EXPECT_EQ(t, clear_wait(current_thread(), THREAD_AWAKENED), KERN_NOT_WAITING);
}

static void sched_prim_test_timeout(struct ktest *t)
{
	uint64_t start;
	wait_result_t wr;
	int event = 0;

	start = clock_now();
	assert_wait_timeout(&event, THREAD_UNINT, 20 * MSEC);
	wr = thread_block(NULL);
	KTEST_EXPECT_EQ(t, wr, THREAD_TIMED_OUT);
	KTEST_EXPECT_GE(t, clock_now() - start, 20 * MSEC);
	KTEST_EXPECT_LT(t, clock_now() - start, SEC);
	KTEST_EXPECT_EQ(t, thread_waiters(&event), 0u);

	start = clock_now();
	KTEST_EXPECT_EQ(t, thread_delay(10 * MSEC), THREAD_TIMED_OUT);
	KTEST_EXPECT_GE(t, clock_now() - start, 10 * MSEC);

	/* thread_set_timeout() on a wait already asserted. */
	assert_wait(&event, THREAD_UNINT);
	thread_set_timeout(5 * MSEC);
	KTEST_EXPECT_EQ(t, thread_block(NULL), THREAD_TIMED_OUT);
}

/*
 * A wait woken before its timeout returns THREAD_AWAKENED, and the
 * cancelled timeout does not hit the thread's next wait. The timeout is
 * long enough for the wakeup to come first even on a host that stalls
 * the guest for a while.
 */
#define STALE_TIMEOUT	(1000 * MSEC)

struct stale_state {
	int		ev1, ev2;
	wait_result_t	r1, r2;
	int		stage;
};

static void sched_prim_test_stale_fn(void *arg)
{
	struct stale_state *s = arg;

	assert_wait_timeout(&s->ev1, THREAD_UNINT, STALE_TIMEOUT);
	s->r1 = thread_block(NULL);
	__atomic_store_n(&s->stage, 1, __ATOMIC_RELEASE);
	assert_wait(&s->ev2, THREAD_UNINT);
	s->r2 = thread_block(NULL);
	__atomic_store_n(&s->stage, 2, __ATOMIC_RELEASE);
}

static void sched_prim_test_timeout_cancelled(struct ktest *t)
{
	struct stale_state s = { .r1 = THREAD_WAITING, .r2 = THREAD_WAITING };
	struct thread *th;

	th = kernel_thread_create(sched_prim_test_stale_fn, &s, BASEPRI_KERNEL, "sp-stale");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th, SEC));
	KTEST_EXPECT_EQ(t, thread_wakeup(&s.ev1), 1u);
	KTEST_ASSERT_TRUE(t, sched_test_wait_eq(&s.stage, 1, SEC));
	KTEST_EXPECT_EQ(t, s.r1, THREAD_AWAKENED);
	thread_delay(STALE_TIMEOUT + 100 * MSEC);	/* past the first wait's timeout */
	KTEST_EXPECT_EQ(t, __atomic_load_n(&s.stage, __ATOMIC_ACQUIRE), 1);
	KTEST_EXPECT_EQ(t, thread_wakeup(&s.ev2), 1u);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_EQ(t, s.r2, THREAD_AWAKENED);
	thread_deallocate(th);
}

static void sched_prim_test_interrupt(struct ktest *t)
{
	struct wait_one wi, wu;
	struct thread *ti, *tu;
	int event = 0;

	ti = start_waiter(&wi, &event, THREAD_INTERRUPTIBLE, 0, NULL, -1);
	tu = start_waiter(&wu, &event, THREAD_UNINT, 0, NULL, -1);
	KTEST_ASSERT_NOT_NULL(t, ti);
	KTEST_ASSERT_NOT_NULL(t, tu);
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(ti, SEC));
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(tu, SEC));

	KTEST_EXPECT_EQ(t, thread_interrupt(ti), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_interrupt(tu), KERN_FAILURE);
	KTEST_EXPECT_TRUE(t, sched_test_join(ti, SEC));
	KTEST_EXPECT_EQ(t, wi.result, THREAD_INTERRUPTED);
	KTEST_EXPECT_EQ(t, thread_interrupt(ti), KERN_NOT_WAITING);

	thread_delay(10 * MSEC);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&wu.done, __ATOMIC_ACQUIRE), 0);
	KTEST_EXPECT_EQ(t, clear_wait(tu, THREAD_RESTART), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(tu, SEC));
	KTEST_EXPECT_EQ(t, wu.result, THREAD_RESTART);
	thread_deallocate(ti);
	thread_deallocate(tu);
}

/*
 * Races across CPUs. Pairs of threads on different CPUs hand a token
 * back and forth through wait/wakeup; each side waits with the lost-wakeup
 * pattern (assert, test, block). A lost wakeup stalls a pair for good,
 * which the case tells from mere slowness (an oversubscribed host) by the
 * pair's progress: no round for RACE_STALL_NS is a failure. Meanwhile a
 * third thread keeps waking and interrupting a crowd of waiters with
 * short timeouts: every wait must end with a proper result and none may
 * stay queued.
 */
#define RACE_ROUNDS	1000
#define RACE_CROWD	3
#define RACE_STALL_NS	(20 * SEC)

struct race_pair {
	int		turn;		/* whose turn: 0 or 1 */
	int		rounds[2];
	int		blocked[2];	/* times each side really blocked */
	unsigned long	progress;	/* rounds of both sides */
	uint64_t	longest[2];	/* each side's longest round (ns) */
};

struct race_side {
	struct race_pair	*pair;
	int			me;
};

static void sched_prim_test_race_side(void *arg)
{
	struct race_side *s = arg;
	struct race_pair *p = s->pair;
	uint64_t last = clock_now(), now;
	int i;

	for (i = 0; i < RACE_ROUNDS; i++) {
		for (;;) {
			assert_wait(&p->turn, THREAD_UNINT);
			if (__atomic_load_n(&p->turn, __ATOMIC_ACQUIRE) == s->me) {
				clear_wait(current_thread(), THREAD_AWAKENED);
				break;
			}
			thread_block(NULL);
			p->blocked[s->me]++;
		}
		__atomic_store_n(&p->turn, !s->me, __ATOMIC_RELEASE);
		thread_wakeup(&p->turn);
		__atomic_store_n(&p->rounds[s->me], i + 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&p->progress, 1, __ATOMIC_RELAXED);
		/* A wakeup that came late shows as a long round. */
		now = clock_now();
		if (now - last > p->longest[s->me])
			p->longest[s->me] = now - last;
		last = now;
	}
}

struct crowd {
	int		event;
	int		stop;
	unsigned long	awakened, timed_out, interrupted, other;
};

static void sched_prim_test_crowd_waiter(void *arg)
{
	struct crowd *c = arg;
	wait_result_t wr;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		assert_wait_timeout(&c->event, THREAD_INTERRUPTIBLE, NSEC_PER_MSEC);
		wr = thread_block(NULL);
		switch (wr) {
		case THREAD_AWAKENED:
			__atomic_add_fetch(&c->awakened, 1, __ATOMIC_RELAXED);
			break;
		case THREAD_TIMED_OUT:
			__atomic_add_fetch(&c->timed_out, 1, __ATOMIC_RELAXED);
			break;
		case THREAD_INTERRUPTED:
			__atomic_add_fetch(&c->interrupted, 1, __ATOMIC_RELAXED);
			break;
		default:
			__atomic_add_fetch(&c->other, 1, __ATOMIC_RELAXED);
		}
	}
}

/*
 * Everything the case's threads touch, allocated: if a pair stalls, its
 * threads may still run, so the case leaves this behind instead of
 * returning from under them.
 */
struct race {
	struct race_pair	pair[MAX_CPUS / 2 + 1];
	struct race_side	side[MAX_CPUS + 2];
	struct thread		*th[MAX_CPUS + 2];
	struct crowd		crowd;
	struct thread		*crowd_th[RACE_CROWD];
	struct thread		*waker;
	unsigned int		pairs;
};

static void sched_prim_test_crowd_waker(void *arg)
{
	struct race *r = arg;
	struct crowd *c = &r->crowd;
	unsigned int i = 0;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		switch (i++ % 3) {
		case 0:
			thread_wakeup_one(&c->event);
			break;
		case 1:
			thread_wakeup(&c->event);
			break;
		default:
			thread_interrupt(r->crowd_th[i % RACE_CROWD]);
		}
		/*
		 * Not flat out: on an oversubscribed host a ticket lock
		 * hammered from every CPU convoys behind a descheduled vCPU.
		 */
		if (!(i % 8))
			thread_delay(100 * NSEC_PER_USEC);
	}
}

static bool sched_prim_test_race_start(struct ktest *t, struct race *r)
{
	unsigned int i;

	for (i = 0; i < RACE_CROWD; i++) {
		r->crowd_th[i] = kernel_thread_create(sched_prim_test_crowd_waiter, &r->crowd,
						      BASEPRI_KERNEL - 10, "sp-crowd");
		KTEST_EXPECT_NOT_NULL(t, r->crowd_th[i]);
		if (!r->crowd_th[i])
			return false;
	}
	r->waker = kernel_thread_create(sched_prim_test_crowd_waker, r, BASEPRI_KERNEL - 11,
					"sp-waker");
	KTEST_EXPECT_NOT_NULL(t, r->waker);
	if (!r->waker)
		return false;
	thread_delay(20 * MSEC);	/* the crowd going before the pairs start */

	for (i = 0; i < 2 * r->pairs; i++) {
		r->side[i].pair = &r->pair[i / 2];
		r->side[i].me = (int)(i % 2);
		/* The two sides of a pair on two CPUs (when there are two). */
		r->th[i] = sched_test_thread(sched_prim_test_race_side, &r->side[i],
					     BASEPRI_KERNEL, "sp-race", sched_test_other_cpu(i));
		KTEST_EXPECT_NOT_NULL(t, r->th[i]);
		if (!r->th[i]) {
			/* Sides already started wait for ever: r stays theirs. */
			r->pairs = 0;
			return false;
		}
	}
	return true;
}

/* Join the sides; false when a pair stalled (its threads are left running). */
static bool sched_prim_test_race_join(struct ktest *t, struct race *r)
{
	struct race_pair *p;
	bool ok = true;
	unsigned int i;

	for (i = 0; i < 2 * r->pairs; i++) {
		p = &r->pair[i / 2];
		if (sched_test_join_progress(r->th[i], &p->progress, RACE_STALL_NS)) {
			thread_deallocate(r->th[i]);
			continue;
		}
		KTEST_FAIL(t, "pair %u side %u stalled at round %d for %llu s (a lost wakeup?)",
			   i / 2, i % 2, p->rounds[i % 2],
			   (unsigned long long)(RACE_STALL_NS / SEC));
		if (ok) {
			pr_info("pair %u: turn %d, rounds %d/%d, %u waiting\n", i / 2, p->turn,
				p->rounds[0], p->rounds[1], thread_waiters(&p->turn));
			thread_dump_all();
			sched_dump();
		}
		ok = false;
	}
	return ok;
}

static uint64_t sched_prim_race_longest(const struct race *r)
{
	uint64_t longest = 0;
	unsigned int i;

	for (i = 0; i < 2 * r->pairs; i++)
		longest = MAX(longest, r->pair[i / 2].longest[i % 2]);
	return longest;
}

static void sched_prim_test_race(struct ktest *t)
{
	unsigned int cpus = sched_test_cpus(), i;
	struct race *r = kalloc(sizeof(*r));
	uint64_t start = clock_now();
	struct crowd *c;
	bool ok;

	KTEST_ASSERT_NOT_NULL(t, r);
	memset(r, 0, sizeof(*r));
	c = &r->crowd;
	r->pairs = cpus > 1 ? cpus / 2 : 1;
	ok = sched_prim_test_race_start(t, r) && sched_prim_test_race_join(t, r);

	/* The crowd stops whatever happened to the pairs. */
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	if (r->waker) {
		KTEST_EXPECT_TRUE(t, sched_test_join(r->waker, 5 * SEC));
		thread_deallocate(r->waker);
	}
	for (i = 0; i < RACE_CROWD && r->crowd_th[i]; i++) {
		KTEST_EXPECT_TRUE(t, sched_test_join(r->crowd_th[i], 5 * SEC));
		thread_deallocate(r->crowd_th[i]);
	}
	/* A stalled pair's threads may still use r: it stays allocated. */
	KTEST_ASSERT_TRUE(t, ok);
	for (i = 0; i < r->pairs; i++) {
		KTEST_EXPECT_EQ(t, r->pair[i].rounds[0], RACE_ROUNDS);
		KTEST_EXPECT_EQ(t, r->pair[i].rounds[1], RACE_ROUNDS);
	}
	pr_info("sched_prim_test: race: %u pair(s) x %d rounds in %llu ms (side 0 blocked %d times, longest round %llu ms); crowd: %lu awakened, %lu timed out, %lu interrupted\n",
		r->pairs, RACE_ROUNDS, (unsigned long long)((clock_now() - start) / MSEC),
		r->pair[0].blocked[0], (unsigned long long)(sched_prim_race_longest(r) / MSEC),
		c->awakened, c->timed_out, c->interrupted);
	KTEST_EXPECT_EQ(t, c->other, 0UL);
	KTEST_EXPECT_GT(t, c->awakened + c->timed_out + c->interrupted, 0UL);
	KTEST_EXPECT_EQ(t, thread_waiters(&c->event), 0u);
	KTEST_EXPECT_EQ(t, thread_waiters(&r->pair[0].turn), 0u);
	kfree(r, sizeof(*r));
}

/*
 * Continuations: N threads block with one and hold no kernel stack while
 * they wait; without one they hold theirs. Woken, each continuation runs
 * on a fresh stack and the thread ends.
 */
#define CONT_THREADS	8

struct cont_state {
	int		event;
	int		ran;
	wait_result_t	results[CONT_THREADS];
	int		next;
};

static void sched_prim_test_cont(void *parameter, wait_result_t result)
{
	struct cont_state *c = parameter;
	int i = __atomic_fetch_add(&c->next, 1, __ATOMIC_ACQ_REL);
	char probe[256];

	/* A fresh stack: deep enough for real work. */
	memset(probe, 0x5a, sizeof(probe));
	barrier();
	if (i < CONT_THREADS)
		c->results[i] = result;
	__atomic_add_fetch(&c->ran, probe[17] == 0x5a, __ATOMIC_ACQ_REL);
	/* Returning from a continuation ends the thread. */
}

static void sched_prim_test_cont_blocker(void *arg)
{
	struct cont_state *c = arg;

	assert_wait(&c->event, THREAD_UNINT);
	thread_block_parameter(sched_prim_test_cont, c);
	/* Never here. */
	__atomic_store_n(&c->ran, -1000, __ATOMIC_RELEASE);
}

static void sched_prim_test_plain_blocker(void *arg)
{
	struct cont_state *c = arg;

	assert_wait(&c->event, THREAD_UNINT);
	thread_block(NULL);
	__atomic_add_fetch(&c->ran, 1, __ATOMIC_ACQ_REL);
}

static unsigned long sched_prim_block_n(struct ktest *t, struct cont_state *c,
					void (*fn)(void *), struct thread **th)
{
	unsigned long stacks;
	int i;

	for (i = 0; i < CONT_THREADS; i++) {
		th[i] = kernel_thread_create(fn, c, BASEPRI_KERNEL, "sp-cont");
		if (!th[i])
			return ~0UL;
	}
	for (i = 0; i < CONT_THREADS; i++) {
		if (!sched_test_wait_blocked(th[i], SEC))
			return ~0UL;
	}
	stacks = kmem_stacks_in_use();
	if (thread_waiters(&c->event) != CONT_THREADS)
		KTEST_FAIL(t, "%u waiters, not %d", thread_waiters(&c->event), CONT_THREADS);
	return stacks;
}

static void sched_prim_test_continuation_stacks(struct ktest *t)
{
	struct thread *th[CONT_THREADS];
	struct cont_state c = { 0 };
	unsigned long base = kmem_stacks_in_use(), blocked;
	int i;

	/* Without continuations: N stacks held while blocked. */
	blocked = sched_prim_block_n(t, &c, sched_prim_test_plain_blocker, th);
	KTEST_ASSERT_NE(t, blocked, ~0UL);
	KTEST_EXPECT_EQ(t, blocked, base + CONT_THREADS);
	thread_wakeup(&c.event);
	for (i = 0; i < CONT_THREADS; i++) {
		KTEST_EXPECT_TRUE(t, sched_test_join(th[i], SEC));
		thread_deallocate(th[i]);
	}
	KTEST_EXPECT_EQ(t, c.ran, CONT_THREADS);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), base);

	/* With continuations: none. */
	memset(&c, 0, sizeof(c));
	blocked = sched_prim_block_n(t, &c, sched_prim_test_cont_blocker, th);
	KTEST_ASSERT_NE(t, blocked, ~0UL);
	pr_info("sched_prim_test: stacks in use: %lu before, %lu with %d threads blocked with a continuation\n",
		base, blocked, CONT_THREADS);
	KTEST_EXPECT_EQ(t, blocked, base);
	for (i = 0; i < CONT_THREADS; i++)
		KTEST_EXPECT_NULL(t, th[i]->kstack);

	KTEST_EXPECT_EQ(t, thread_wakeup(&c.event), (unsigned int)CONT_THREADS);
	for (i = 0; i < CONT_THREADS; i++) {
		KTEST_EXPECT_TRUE(t, sched_test_join(th[i], SEC));
		thread_deallocate(th[i]);
	}
	KTEST_EXPECT_EQ(t, c.ran, CONT_THREADS);
	for (i = 0; i < CONT_THREADS; i++)
		KTEST_EXPECT_EQ(t, c.results[i], THREAD_AWAKENED);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), base);
}

/* A continuation whose wait ended before thread_block() runs at once. */
static void sched_prim_test_cont_early_fn(void *arg)
{
	struct cont_state *c = arg;

	assert_wait(&c->event, THREAD_UNINT);
	clear_wait(current_thread(), THREAD_TIMED_OUT);
	thread_block_parameter(sched_prim_test_cont, c);
}

static void sched_prim_test_continuation_early(struct ktest *t)
{
	struct cont_state c = { 0 };
	struct thread *th;

	th = kernel_thread_create(sched_prim_test_cont_early_fn, &c, BASEPRI_KERNEL, "sp-early");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_EQ(t, c.ran, 1);
	KTEST_EXPECT_EQ(t, c.results[0], THREAD_TIMED_OUT);
	thread_deallocate(th);
}

static struct ktest_case sched_prim_test_cases[] = {
	KTEST_CASE(sched_prim_test_wakeup_one_all),
	KTEST_CASE(sched_prim_test_wakeup_with_result),
	KTEST_CASE(sched_prim_test_early_wakeup),
	KTEST_CASE(sched_prim_test_timeout),
	KTEST_CASE(sched_prim_test_timeout_cancelled),
	KTEST_CASE(sched_prim_test_interrupt),
	KTEST_CASE(sched_prim_test_race),
	KTEST_CASE(sched_prim_test_continuation_stacks),
	KTEST_CASE(sched_prim_test_continuation_early),
	{}
};

static struct ktest_suite sched_prim_test_suite = {
	.name = "sched_prim",
	.suite_init = sched_test_suite_init,
	.suite_exit = sched_test_suite_exit,
	.test_cases = sched_prim_test_cases,
};
KTEST_SUITE(sched_prim_test_suite);
