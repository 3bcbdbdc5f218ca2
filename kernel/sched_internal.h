/* SPDX-License-Identifier: MIT */
/*
 * What kernel/thread.c, sched.c and sched_prim.c share and nobody else
 * needs.
 *
 * Lock order (all raw ticket locks, taken with interrupts off):
 *	mutex / semaphore interlock -> wait-queue bucket -> thread -> run queue
 * Timer-callout queue locks come after all of these. The context-switch
 * path takes a run-queue lock and, after the switch, the lock of the thread
 * it left, never more than one at a time.
 *
 * A thread's state word changes only by atomic operations. Under the
 * thread's lock go every change but three, which take no lock and are
 * each one compare-and-swap or atomic or that can only succeed in one
 * situation (the RPC's, Documentation/threads-and-scheduler.rst):
 *   - declare: a running thread sets TH_WAIT | TH_PARKED | TH_LEAVING
 *     itself (an or) (thread_park_declare(); the wait fields, only its
 *     own while TH_WAIT is clear, are written before, with release order);
 *   - claim: TH_WAIT | TH_PARKED without TH_RUN, TH_SUSP, TH_HALTED and
 *     TH_TIMER (timer_armed, changed with it under the lock) becomes
 *     TH_RUN (thread_claim_parked(), <kern/sched_prim.h>);
 *   - drop: the CPU that left a thread blocked with TH_RUN | TH_WAIT takes
 *     TH_RUN away (sched_dispatch()).
 * Whoever else ends a wait (thread_go()) clears TH_WAIT by a
 * compare-and-swap too, so that exactly one party ends each wait: a claim
 * or a drop that lost sees another state and goes the locked way. Readers
 * that go on to read the wait fields load the state with acquire order
 * (th_state()).
 */
#ifndef _KERNEL_SCHED_INTERNAL_H
#define _KERNEL_SCHED_INTERNAL_H

#include <kern/cpu.h>
#include <kern/lock_debug.h>
#include <kern/panic.h>
#include <kern/sched.h>
#include <kern/sched_switch.h>
#include <kern/thread.h>

/* thread->sched_flags (TS_*), ts_set(), ts_clear(): <kern/sched_switch.h> */

static inline unsigned int th_state(struct thread *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
}

static inline void th_state_set(struct thread *t, unsigned int bits)
{
	__atomic_or_fetch(&t->state, bits, __ATOMIC_RELEASE);
}

static inline void th_state_clear(struct thread *t, unsigned int bits)
{
	__atomic_and_fetch(&t->state, ~bits, __ATOMIC_RELEASE);
}

/* thread.c */
void thread_start_continue(void *parameter, wait_result_t result);
bool thread_release_own_ref(struct thread *t);	/* true: it was the last one */
void thread_free_deferred(struct thread *t);	/* free it from the reaper */
struct thread *thread_alloc_idle(unsigned int cpu, bool own_stack);
void thread_stack_free(void *kstack);
void thread_reaper_start(void);
kern_return_t thread_stack_alloc(struct thread *t);

/* sched.c */
void sched_thread_init(struct thread *t);

/* sched.c: called with interrupts disabled */
void sched_setrun(struct thread *t);		/* t->lock held, TH_RUN just set */
void sched_set_pri(struct thread *t, int pri);	/* t->lock held */
/* sched_setrun(), another CPU's IPI left in *kicks for sched_kick_cpus() */
void sched_setrun_kicks(struct thread *t, unsigned long *kicks);
void sched_kick_cpus(unsigned long kicks);	/* IPI_RESCHEDULE to each CPU */

/*
 * Priorities, inline: every wakeup and the RPC's claim recompute one.
 * sched_age(): t's usage aged to the current scheduler tick, 5/8 per tick.
 */
static inline void sched_age(struct thread *t, uint64_t now)
{
	uint64_t tick = now / SCHED_TICK_NS;
	uint64_t n = tick - t->sched_stamp;

	if (!n)
		return;
	t->sched_stamp = tick;
	if (n >= 32) {
		t->cpu_usage = 0;
		return;
	}
	while (n--)
		t->cpu_usage = (t->cpu_usage * 5) / 8;
}

static inline int sched_compute_pri(struct thread *t)
{
	uint64_t decay;
	int floor;

	if (t->state & TH_IDLE)
		return IDLEPRI;
	if (t->sched_flags & TS_DEPRESSED)
		return DEPRESSPRI;
	if (t->priority >= BASEPRI_RTQUEUES || (t->sched_flags & TS_FIXPRI))
		return t->priority;
	decay = t->cpu_usage / SCHED_USAGE_PER_PRI;
	if (decay > SCHED_DECAY_MAX)
		decay = SCHED_DECAY_MAX;
	/* Decay never takes a thread down to the idle threads' level. */
	floor = MIN(t->priority, MINPRI + 1);
	return MAX(t->priority - (int)decay, floor);
}

/* Age t's usage and recompute its priority (t->lock held, t not queued). */
static inline void sched_update_pri(struct thread *t, uint64_t now)
{
	sched_age(t, now);
	t->sched_pri = sched_compute_pri(t);
}

/* Preempt now if due and allowed. */
static inline void sched_check_preempt(void)
{
	if (unlikely(READ_ONCE(cpu_this()->ast) & AST_PREEMPT))
		preempt_schedule();
}

#define SCHED_BLOCK	0	/* the thread leaves the CPU: waiting, halted, suspended */
#define SCHED_PREEMPT	1	/* switch only to a better thread */
#define SCHED_YIELD	2	/* switch to an equal or better thread */
void sched_reschedule(struct thread *self, int reason);

/* Take t off the run queue it is on; false if it was on none. */
bool sched_runq_take(struct thread *t);

/* t's priority changed: update what its CPU thinks (t->lock not held). */
void sched_priority_changed(struct thread *t);

/* Switch straight to `next`, which sched_handoff_take() took off its queue. */
bool sched_handoff_take(struct thread *next);
/* sched_handoff(self, next): <kern/sched_switch.h> */
/* The same to a thread clear_wait_claim() claimed. */
wait_result_t sched_handoff_claimed(struct thread *self, struct thread *next);

/* sched_prim.c */
void sched_prim_bootstrap(void);
/* Panics if self may not block here (an interrupt handler, a spinlock held). */
static inline void thread_block_check(struct thread *self)
{
	if (unlikely(cpu_this()->irq_depth))
		panic("thread_block() in an interrupt handler");
	lock_debug_check_block();
}
wait_result_t thread_park_handoff_slow(event_t event, uint64_t deadline, spinlock_t *lock,
				       struct thread *next);
void thread_timer_init(struct thread *t);

#endif /* _KERNEL_SCHED_INTERNAL_H */
