// SPDX-License-Identifier: MIT
/*
 * ktest suite "sched_prim": wakeup of one and of all, timeouts,
 * interrupted waits, wait/wakeup races across CPUs, continuations
 * giving their kernel stacks back while they wait, and the RPC's parked
 * waits and claimed handoffs (each way a parked wait ends, and races).
 */
#include <kern/kmem.h>
#include <kern/lock.h>
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

/*
 * Parked waits and claimed handoffs (the RPC's, kernel/sched_internal.h):
 * a miniature port, a spinlock-kept slot with one waiting receiver, used
 * the way ipc/ipc_mqueue.c uses the primitives. A sender that finds the
 * receiver waiting ends its wait with clear_wait_claim(), which claims it
 * (one compare-and-swap, no lock) when it is off every CPU; the sender's
 * own receive then parks (thread_park_handoff(): the wait declared without
 * the thread's lock) and hands its CPU straight to the claimed thread.
 */
struct pk_port {
	spinlock_t	lock;
	struct thread	*waiter;	/* the receiver waiting, or NULL */
	unsigned long	msg;
	bool		full;
};

static void pk_port_init(struct pk_port *p)
{
	spin_lock_init(&p->lock);
	p->waiter = NULL;
	p->full = false;
}

/*
 * Put v in p's slot (empty: one message at a time) and end its receiver's
 * wait. Returns the receiver if it was claimed (preemption stays off: the
 * caller must hand it the CPU or let it go), else NULL; *found: there was
 * a receiver waiting.
 */
static struct thread *pk_send(struct pk_port *p, unsigned long v, bool *found)
{
	struct thread *w, *claimed = NULL;

	spin_lock(&p->lock);
	p->msg = v;
	p->full = true;
	w = p->waiter;
	*found = w != NULL;
	if (w) {
		p->waiter = NULL;
		if (clear_wait_claim(w, THREAD_AWAKENED) == KERN_SUCCESS)
			claimed = w;
	}
	spin_unlock(&p->lock);
	return claimed;
}

/*
 * Take p's message, waiting for it (deadline 0: none), handing the CPU to
 * `next` (claimed, or NULL) if we wait. A wait that ends without a
 * message (interrupted, timed out, or woken for nothing) is counted in
 * *ends (every wait's end but THREAD_AWAKENED, message or not) and
 * waited again, unless `stop` is set or we are being terminated: then
 * false.
 */
static bool pk_receive(struct pk_port *p, struct thread *next, uint64_t timeout,
		       const int *stop, unsigned long *ends, unsigned long *v)
{
	struct thread *self = current_thread();
	wait_result_t wr;

	spin_lock(&p->lock);
	while (!p->full) {
		p->waiter = self;
		if (next) {
			wr = thread_park_handoff(p, timeout ? clock_now() + timeout : 0, &p->lock,
						 next);
			next = NULL;
		} else {
			assert_wait_parked(p, THREAD_INTERRUPTIBLE,
					   timeout ? clock_now() + timeout : 0);
			spin_unlock(&p->lock);
			wr = thread_block(NULL);
		}
		spin_lock(&p->lock);
		if (p->waiter == self)
			p->waiter = NULL;	/* not served: we leave */
		if (ends && wr != THREAD_AWAKENED)
			ends[wr]++;
		if (p->full)
			break;
		if ((stop && __atomic_load_n(stop, __ATOMIC_ACQUIRE)) || thread_should_halt()) {
			spin_unlock(&p->lock);
			return false;
		}
	}
	*v = p->msg;
	p->full = false;
	spin_unlock(&p->lock);
	if (next)
		thread_setrun_claimed(next);
	return true;
}

#define PK_EXIT		0UL
#define PK_ENDS		(THREAD_RESTART + 1)

/* A client/server pair: RPCs of a counter through two ports. */
struct pk_pair {
	struct pk_port	req, reply;
	int		stop;		/* receives give up when interrupted */
	unsigned long	rounds, bad;
	unsigned long	claims, found;	/* sends that claimed / found a receiver */
	unsigned long	ends[2][PK_ENDS];	/* waits ended without a message, by result */
	unsigned long	progress;
	uint64_t	timeout;	/* the client's receives, ns (0: none) */
	unsigned long	want;		/* rounds to make */
	bool		exit_seen;
};

static void pk_count_send(struct pk_pair *pp, struct thread *claimed, bool found)
{
	__atomic_add_fetch(&pp->claims, claimed != NULL, __ATOMIC_RELAXED);
	__atomic_add_fetch(&pp->found, found, __ATOMIC_RELAXED);
}

static void pk_server(void *arg)
{
	struct pk_pair *pp = arg;
	struct thread *claimed = NULL;
	unsigned long v;
	bool found;

	while (pk_receive(&pp->req, claimed, 0, &pp->stop, pp->ends[1], &v)) {
		if (v == PK_EXIT) {
			pp->exit_seen = true;
			return;
		}
		claimed = pk_send(&pp->reply, v + 1, &found);
		pk_count_send(pp, claimed, found);
	}
}

static void pk_client(void *arg)
{
	struct pk_pair *pp = arg;
	struct thread *claimed;
	unsigned long i, v;
	bool found;

	for (i = 1; i <= pp->want; i++) {
		claimed = pk_send(&pp->req, 2 * i, &found);
		pk_count_send(pp, claimed, found);
		if (!pk_receive(&pp->reply, claimed, pp->timeout, NULL, pp->ends[0], &v))
			return;
		if (v != 2 * i + 1)
			pp->bad++;
		pp->rounds = i;
		__atomic_add_fetch(&pp->progress, 1, __ATOMIC_RELAXED);
	}
	claimed = pk_send(&pp->req, PK_EXIT, &found);
	if (claimed)
		thread_setrun_claimed(claimed);
}

static void pk_pair_init(struct pk_pair *pp, unsigned long want, uint64_t timeout)
{
	memset(pp, 0, sizeof(*pp));
	pk_port_init(&pp->req);
	pk_port_init(&pp->reply);
	pp->want = want;
	pp->timeout = timeout;
}

/*
 * One pair bound to this CPU, at a priority below the case's: every send
 * finds its receiver off the CPU, so each one that finds it claims it,
 * and the whole round trip is two claimed handoffs. Stacks back after.
 */
#define PK_ROUNDS	2000

static void sched_prim_test_park_rpc(struct ktest *t)
{
	unsigned long stacks = kmem_stacks_in_use();
	int cpu = (int)cpu_number();
	struct thread *srv, *cli;
	struct pk_pair pp;

	pk_pair_init(&pp, PK_ROUNDS, 0);
	srv = sched_test_thread(pk_server, &pp, BASEPRI_KERNEL, "sp-pk-srv", cpu);
	KTEST_ASSERT_NOT_NULL(t, srv);
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(srv, SEC));
	KTEST_EXPECT_EQ(t, thread_get_state(srv) & (TH_WAIT | TH_PARKED),
			(unsigned int)(TH_WAIT | TH_PARKED));
	KTEST_EXPECT_EQ(t, thread_waiters(&pp.req), 0u);	/* parked: on no bucket */
	cli = sched_test_thread(pk_client, &pp, BASEPRI_KERNEL, "sp-pk-cli", cpu);
	KTEST_ASSERT_NOT_NULL(t, cli);
	KTEST_EXPECT_TRUE(t, sched_test_join_progress(cli, &pp.progress, 20 * SEC));
	KTEST_EXPECT_TRUE(t, sched_test_join(srv, SEC));
	thread_deallocate(cli);
	thread_deallocate(srv);
	KTEST_EXPECT_EQ(t, pp.rounds, (unsigned long)PK_ROUNDS);
	KTEST_EXPECT_EQ(t, pp.bad, 0UL);
	KTEST_EXPECT_TRUE(t, pp.exit_seen);
	/* One CPU for both: a receiver found is off it, and claimed. */
	KTEST_EXPECT_EQ(t, pp.claims, pp.found);
	KTEST_EXPECT_GE(t, pp.claims, (unsigned long)PK_ROUNDS);
	KTEST_EXPECT_EQ(t, pp.ends[0][THREAD_INTERRUPTED] + pp.ends[1][THREAD_INTERRUPTED], 0UL);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks);
}

/*
 * What else ends a parked wait: thread_interrupt(), clear_wait() with a
 * result, a timeout, and termination, of a receiver that parked with a
 * handoff (its wait declared without its lock) and of one that parked
 * without (assert_wait_parked()).
 */
struct pk_one {
	struct pk_port	port, other;
	uint64_t	timeout;
	int		handoff;	/* park through thread_park_handoff() */
	int		stop;
	unsigned long	ends[PK_ENDS];
	unsigned long	got;
	int		again;		/* receive once more after a message */
	int		cpu;		/* where the receiver ran after its receive */
	struct thread	*helper;	/* pk_helper(), for the handoff */
	bool		received, returned;
};

/* A helper for the handoff: it waits on `other` until told to go. */
static void pk_helper(void *arg)
{
	struct pk_one *o = arg;
	unsigned long v;

	pk_receive(&o->other, NULL, 0, NULL, NULL, &v);
}

static void pk_receiver(void *arg)
{
	struct pk_one *o = arg;
	struct thread *claimed = NULL;
	unsigned long v;
	bool found;

	/* Wake the helper, claiming it, and park handing it the CPU. */
	if (o->handoff) {
		while (!__atomic_load_n(&o->other.waiter, __ATOMIC_ACQUIRE))
			thread_delay(NSEC_PER_MSEC);
		/* Off its CPU: it is claimed, and we park with the handoff. */
		sched_test_wait_blocked(o->helper, SEC);
		claimed = pk_send(&o->other, 1, &found);
	}
	o->received = pk_receive(&o->port, claimed, o->timeout, &o->stop, o->ends, &o->got);
	o->cpu = (int)cpu_number();
	if (o->received && __atomic_load_n(&o->again, __ATOMIC_ACQUIRE))
		pk_receive(&o->port, NULL, 0, &o->stop, o->ends, &v);
	__atomic_store_n(&o->returned, true, __ATOMIC_RELEASE);
}

/*
 * Wait until r waits on p itself: blocked, and p's receiver. A thread
 * that is only blocked may still be in pk_receiver()'s thread_delay()s
 * (its helper not yet waiting or not yet off its CPU), which a loaded
 * host stretches: the parked state tested after is p's wait's.
 */
static bool pk_wait_parked(struct pk_port *p, struct thread *r, uint64_t timeout_ns)
{
	uint64_t end = sched_test_deadline(timeout_ns);

	while (__atomic_load_n(&p->waiter, __ATOMIC_ACQUIRE) != r ||
	       (thread_get_state(r) & (TH_WAIT | TH_RUN)) != TH_WAIT) {
		if (clock_now() > end)
			return false;
		thread_delay(NSEC_PER_MSEC);
	}
	return true;
}

/* A receiver (and its helper) bound to `cpu`, parked unless it has a timeout. */
static struct thread *pk_start_one_on(struct ktest *t, struct pk_one *o, int handoff,
				      uint64_t timeout, struct thread **helper, int cpu)
{
	struct thread *r;

	memset(o, 0, sizeof(*o));
	pk_port_init(&o->port);
	pk_port_init(&o->other);
	o->handoff = handoff;
	o->timeout = timeout;
	o->stop = 1;
	*helper = NULL;
	if (handoff) {
		*helper = sched_test_thread(pk_helper, o, BASEPRI_KERNEL, "sp-pk-help", cpu);
		if (!*helper)
			return NULL;
		o->helper = *helper;
	}
	r = sched_test_thread(pk_receiver, o, BASEPRI_KERNEL, "sp-pk-rcv", cpu);
	if (r && !timeout && !pk_wait_parked(&o->port, r, 5 * SEC))
		KTEST_FAIL(t, "the receiver did not park");
	return r;
}

static struct thread *pk_start_one(struct ktest *t, struct pk_one *o, int handoff,
				   uint64_t timeout, struct thread **helper)
{
	return pk_start_one_on(t, o, handoff, timeout, helper, (int)cpu_number());
}

static void pk_end_one(struct ktest *t, struct pk_one *o, struct thread *r, struct thread *h)
{
	KTEST_EXPECT_TRUE(t, sched_test_join(r, SEC));
	KTEST_EXPECT_TRUE(t, o->returned);
	KTEST_EXPECT_EQ(t, thread_interrupt(r), KERN_NOT_WAITING);	/* ended: no wait */
	thread_deallocate(r);
	if (h) {
		KTEST_EXPECT_TRUE(t, sched_test_join(h, SEC));
		thread_deallocate(h);
	}
}

static void sched_prim_test_park_ends(struct ktest *t)
{
	unsigned long stacks = kmem_stacks_in_use();
	struct thread *r, *h, *claimed;
	struct pk_one o;
	int handoff;
	bool found;

	for (handoff = 0; handoff < 2; handoff++) {
		/* Interrupted: THREAD_INTERRUPTED, once. */
		r = pk_start_one(t, &o, handoff, 0, &h);
		KTEST_ASSERT_NOT_NULL(t, r);
		KTEST_EXPECT_EQ(t, thread_interrupt(r), KERN_SUCCESS);
		pk_end_one(t, &o, r, h);
		KTEST_EXPECT_FALSE(t, o.received);
		KTEST_EXPECT_EQ(t, o.ends[THREAD_INTERRUPTED], 1UL);

		/* clear_wait() with a result. */
		r = pk_start_one(t, &o, handoff, 0, &h);
		KTEST_ASSERT_NOT_NULL(t, r);
		KTEST_EXPECT_EQ(t, clear_wait(r, THREAD_RESTART), KERN_SUCCESS);
		pk_end_one(t, &o, r, h);
		KTEST_EXPECT_EQ(t, o.ends[THREAD_RESTART], 1UL);

		/* Timed out (a parked wait with a timer). */
		r = pk_start_one(t, &o, handoff, 20 * MSEC, &h);
		KTEST_ASSERT_NOT_NULL(t, r);
		pk_end_one(t, &o, r, h);
		KTEST_EXPECT_FALSE(t, o.received);
		KTEST_EXPECT_EQ(t, o.ends[THREAD_TIMED_OUT], 1UL);

		/* Served before its timeout (claimed the locked way: a timer). */
		r = pk_start_one(t, &o, handoff, 10 * SEC, &h);
		KTEST_ASSERT_NOT_NULL(t, r);
		KTEST_EXPECT_TRUE(t, pk_wait_parked(&o.port, r, 5 * SEC));
		claimed = pk_send(&o.port, 7, &found);
		KTEST_EXPECT_TRUE(t, found);
		KTEST_EXPECT_PTR_EQ(t, claimed, r);
		if (claimed)
			thread_setrun_claimed(claimed);
		pk_end_one(t, &o, r, h);
		KTEST_EXPECT_TRUE(t, o.received);
		KTEST_EXPECT_EQ(t, o.got, 7UL);
		KTEST_EXPECT_EQ(t, o.ends[THREAD_TIMED_OUT], 0UL);

		/*
		 * Claimed (no timer: the lockless claim), then terminated
		 * before it runs: it takes the message, and its next wait
		 * ends at once.
		 */
		r = pk_start_one(t, &o, handoff, 0, &h);
		KTEST_ASSERT_NOT_NULL(t, r);
		o.again = 1;
		claimed = pk_send(&o.port, 9, &found);
		KTEST_EXPECT_PTR_EQ(t, claimed, r);
		KTEST_EXPECT_EQ(t, thread_get_state(r) & (TH_RUN | TH_WAIT | TH_PARKED),
				(unsigned int)TH_RUN);
		KTEST_EXPECT_EQ(t, thread_terminate_request(r), KERN_SUCCESS);
		if (claimed)
			thread_setrun_claimed(claimed);
		pk_end_one(t, &o, r, h);
		KTEST_EXPECT_TRUE(t, o.received);
		KTEST_EXPECT_EQ(t, o.got, 9UL);
		KTEST_EXPECT_EQ(t, o.ends[THREAD_INTERRUPTED], 1UL);

		/* Terminated while parked. */
		r = pk_start_one(t, &o, handoff, 0, &h);
		KTEST_ASSERT_NOT_NULL(t, r);
		KTEST_EXPECT_EQ(t, thread_terminate_other(r), KERN_SUCCESS);
		KTEST_EXPECT_FALSE(t, o.received);
		KTEST_EXPECT_EQ(t, o.ends[THREAD_INTERRUPTED], 1UL);
		thread_deallocate(r);
		if (h) {
			KTEST_EXPECT_TRUE(t, sched_test_join(h, SEC));
			thread_deallocate(h);
		}
	}
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks);
}

/*
 * A bound receiver is claimed only on its own CPU. Parked with the
 * handoff (thread_park_declare()'s wait, off its CPU: the state the
 * lockless claim swaps without a test of its own) on another CPU, a send
 * from here finds it but must not claim it: it is woken the ordinary way
 * and takes the message on its CPU. Parked here, it is claimed.
 */
static void pk_bound_case(struct ktest *t, int cpu, bool claimable)
{
	struct thread *r, *h, *claimed;
	struct pk_one o;
	bool found;

	r = pk_start_one_on(t, &o, 1, 0, &h, cpu);
	KTEST_ASSERT_NOT_NULL(t, r);
	KTEST_EXPECT_EQ(t, thread_get_state(r) & (TH_RUN | TH_WAIT | TH_PARKED | TH_LEAVING),
			(unsigned int)(TH_WAIT | TH_PARKED | TH_LEAVING));
	claimed = pk_send(&o.port, 5, &found);
	KTEST_EXPECT_TRUE(t, found);
	KTEST_EXPECT_PTR_EQ(t, claimed, claimable ? r : NULL);
	if (claimed)
		thread_setrun_claimed(claimed);
	pk_end_one(t, &o, r, h);
	KTEST_EXPECT_TRUE(t, o.received);
	KTEST_EXPECT_EQ(t, o.got, 5UL);
	KTEST_EXPECT_EQ(t, o.cpu, cpu);
}

static void sched_prim_test_park_bound(struct ktest *t)
{
	unsigned long stacks = kmem_stacks_in_use();
	int here = (int)cpu_number();
	unsigned int i;

	pk_bound_case(t, here, true);
	for (i = 0; i + 1 < sched_test_cpus(); i++)
		pk_bound_case(t, sched_test_other_cpu(i), false);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks);
}

/*
 * Races across CPUs: pairs making RPCs through the miniature ports, some
 * free to move (a claimed receiver runs on its claimer's CPU), some bound
 * to two CPUs (their claims fail and they wake the ordinary way, or meet
 * a receiver still switching out), one whose client waits with a 1 ms
 * timeout, while another thread interrupts them all the time. Every
 * round's value comes back right, and exactly one party ends each wait:
 * the interrupts that returned KERN_SUCCESS are exactly the waits that
 * ended THREAD_INTERRUPTED (a claim that won leaves the interrupt
 * KERN_NOT_WAITING, and the other way round).
 */
#define PK_RACE_ROUNDS	3000
#define PK_RACE_PAIRS	(MAX_CPUS + 1)

struct pk_race {
	struct pk_pair	pair[PK_RACE_PAIRS];
	struct thread	*th[2 * PK_RACE_PAIRS];
	struct thread	*intr;
	unsigned int	pairs;
	int		stop;
	unsigned long	interrupts, tries, progress;
};

static void pk_interrupter(void *arg)
{
	struct pk_race *r = arg;
	unsigned int i = 0;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		i++;
		r->tries++;
		if (thread_interrupt(r->th[i % (2 * r->pairs)]) == KERN_SUCCESS)
			__atomic_add_fetch(&r->interrupts, 1, __ATOMIC_RELAXED);
		if (!(i % 4))
			thread_delay(20 * NSEC_PER_USEC);
	}
}

static void sched_prim_test_park_race(struct ktest *t)
{
	unsigned long stacks = kmem_stacks_in_use(), ended = 0, progress;
	unsigned int cpus = sched_test_cpus(), i;
	struct pk_race *r = kalloc(sizeof(*r));
	struct pk_pair *pp;
	bool ok = true;
	int cpu;

	KTEST_ASSERT_NOT_NULL(t, r);
	memset(r, 0, sizeof(*r));
	r->pairs = MIN(cpus + 1, (unsigned int)PK_RACE_PAIRS);
	for (i = 0; i < r->pairs; i++) {
		pp = &r->pair[i];
		pk_pair_init(pp, PK_RACE_ROUNDS, i == r->pairs - 1 ? NSEC_PER_MSEC : 0);
		/* Odd pairs: server and client bound to two CPUs; even ones free. */
		cpu = i % 2 ? sched_test_other_cpu(i) : -1;
		r->th[2 * i] = sched_test_thread(pk_server, pp, BASEPRI_KERNEL, "sp-pk-srv", cpu);
		cpu = i % 2 ? sched_test_other_cpu(i + 1) : -1;
		r->th[2 * i + 1] = sched_test_thread(pk_client, pp, BASEPRI_KERNEL, "sp-pk-cli",
						     cpu);
		KTEST_ASSERT_NOT_NULL(t, r->th[2 * i]);
		KTEST_ASSERT_NOT_NULL(t, r->th[2 * i + 1]);
	}
	r->intr = sched_test_thread(pk_interrupter, r, BASEPRI_KERNEL, "sp-pk-intr", -1);
	KTEST_ASSERT_NOT_NULL(t, r->intr);

	for (i = 0; i < r->pairs; i++) {
		pp = &r->pair[i];
		if (!sched_test_join_progress(r->th[2 * i + 1], &pp->progress, 20 * SEC) ||
		    !sched_test_join(r->th[2 * i], 5 * SEC)) {
			KTEST_FAIL(t, "pair %u stalled at round %lu", i, pp->rounds);
			thread_dump_all();
			sched_dump();
			ok = false;
			break;
		}
	}
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	KTEST_EXPECT_TRUE(t, sched_test_join(r->intr, 5 * SEC));
	thread_deallocate(r->intr);
	/* A stalled pair's threads may still use r: it stays allocated. */
	KTEST_ASSERT_TRUE(t, ok);
	progress = 0;
	for (i = 0; i < r->pairs; i++) {
		pp = &r->pair[i];
		thread_deallocate(r->th[2 * i]);
		thread_deallocate(r->th[2 * i + 1]);
		KTEST_EXPECT_EQ(t, pp->rounds, (unsigned long)PK_RACE_ROUNDS);
		KTEST_EXPECT_EQ(t, pp->bad, 0UL);
		KTEST_EXPECT_TRUE(t, pp->exit_seen);
		ended += pp->ends[0][THREAD_INTERRUPTED] + pp->ends[1][THREAD_INTERRUPTED];
		KTEST_EXPECT_EQ(t, pp->ends[1][THREAD_TIMED_OUT], 0UL);
		progress += pp->claims;
	}
	pr_info("sched_prim_test: park race: %u pairs x %d rounds, %lu claims, %lu of %lu interrupts ended a wait, %lu timeouts\n",
		r->pairs, PK_RACE_ROUNDS, progress, r->interrupts, r->tries,
		r->pair[r->pairs - 1].ends[0][THREAD_TIMED_OUT]);
	KTEST_EXPECT_EQ(t, ended, r->interrupts);
	KTEST_EXPECT_GT(t, progress, 0UL);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks);
	kfree(r, sizeof(*r));
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
	KTEST_CASE(sched_prim_test_park_rpc),
	KTEST_CASE(sched_prim_test_park_ends),
	KTEST_CASE(sched_prim_test_park_bound),
	KTEST_CASE(sched_prim_test_park_race),
	{}
};

static struct ktest_suite sched_prim_test_suite = {
	.name = "sched_prim",
	.suite_init = sched_test_suite_init,
	.suite_exit = sched_test_suite_exit,
	.test_cases = sched_prim_test_cases,
};
KTEST_SUITE(sched_prim_test_suite);
