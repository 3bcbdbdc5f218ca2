/* SPDX-License-Identifier: MIT */
/*
 * Mach's wait and wakeup.
 *
 * A thread that must wait for a condition declares the event it waits for
 * (any address that names the condition), then tests the condition, then
 * blocks:
 *
 *	s = spin_lock_irqsave(&obj->lock);
 *	while (!obj->ready) {
 *		assert_wait(&obj->ready, THREAD_UNINT);
 *		spin_unlock_irqrestore(&obj->lock, s);
 *		thread_block(NULL);
 *		s = spin_lock_irqsave(&obj->lock);
 *	}
 *
 * and the thread that makes the condition true calls thread_wakeup() on
 * the same event. Because the wait is declared before the test, a wakeup
 * that comes between the test and thread_block() is not lost:
 * thread_block() then returns at once.
 *
 * Waiting threads sit on wait queues hashed by event. A wait may have a
 * timeout (THREAD_TIMED_OUT) and, when THREAD_INTERRUPTIBLE, be cut short
 * by thread_interrupt() (THREAD_INTERRUPTED).
 *
 * thread_block(fn) with a continuation gives the kernel stack back while
 * the thread waits; it then resumes in fn(parameter, result) on a fresh
 * stack, and thread_block() never returns.
 */
#ifndef _KERN_SCHED_PRIM_H
#define _KERN_SCHED_PRIM_H

#include <kern/thread.h>

/* Declare that the current thread is about to wait for `event`. */
void assert_wait(event_t event, wait_interrupt_t interruptible);

/* The same, woken with THREAD_TIMED_OUT after timeout_ns / at `deadline`. */
void assert_wait_timeout(event_t event, wait_interrupt_t interruptible,
			 uint64_t timeout_ns);
void assert_wait_deadline(event_t event, wait_interrupt_t interruptible,
			  uint64_t deadline);

/*
 * Add a timeout to the wait the current thread has just asserted (GNU
 * Mach's thread_set_timeout()).
 */
void thread_set_timeout(uint64_t timeout_ns);

/*
 * Block until woken (if the current thread asserted a wait), else let
 * threads of equal or higher priority run. Returns the wait result; with
 * a continuation, does not return. Must not be called with a spinlock held
 * or preemption disabled (CONFIG_LOCK_DEBUG reports it).
 */
wait_result_t thread_block(thread_continue_t continuation);
wait_result_t thread_block_parameter(thread_continue_t continuation, void *parameter);

/*
 * Wake the threads waiting for `event` (all, or the first one) with
 * `result`. Returns how many were woken. Callable from interrupt handlers.
 */
unsigned int thread_wakeup_prim(event_t event, bool one_thread, wait_result_t result);

static inline unsigned int thread_wakeup(event_t event)
{
	return thread_wakeup_prim(event, false, THREAD_AWAKENED);
}

static inline unsigned int thread_wakeup_one(event_t event)
{
	return thread_wakeup_prim(event, true, THREAD_AWAKENED);
}

static inline unsigned int thread_wakeup_with_result(event_t event, wait_result_t result)
{
	return thread_wakeup_prim(event, false, result);
}

/*
 * End thread t's wait with `result`, whatever it waits for.
 * KERN_NOT_WAITING if it was not waiting.
 */
kern_return_t clear_wait(struct thread *t, wait_result_t result);

/*
 * Interrupt t's wait with THREAD_INTERRUPTED if it is interruptible.
 * KERN_NOT_WAITING if t does not wait, KERN_FAILURE if its wait is
 * uninterruptible.
 */
kern_return_t thread_interrupt(struct thread *t);

/*
 * thread_block() for the RPC path: the current thread (which has
 * asserted a wait, or not) gives its CPU straight to `next`, a thread just
 * made runnable (say, the receiver a message was handed to), if `next` is
 * still on a run queue and may run on this CPU; otherwise it blocks as
 * thread_block(NULL) would. Returns the wait result.
 */
wait_result_t thread_handoff(struct thread *next);

/*
 * The RPC handoff without a run queue (ipc/ipc_mqueue.c). clear_wait_claim()
 * ends t's wait as clear_wait() does, but when t is off every CPU and may
 * run on this one it is not queued anywhere: KERN_SUCCESS, t is "claimed"
 * (TH_RUN, on no queue, runnable by nobody else) and preemption stays
 * disabled until the caller gives it the CPU, thread_handoff_claimed(t)
 * (thread_handoff() with the wait the caller asserted since), or lets it
 * go to a run queue, thread_setrun_claimed(t). No spinlock may be held by
 * then. KERN_FAILURE: t was woken the ordinary way (queued, or left to its
 * CPU); KERN_NOT_WAITING. A claimed thread's priority is not recomputed
 * (the tick or its next run queue does it).
 */
kern_return_t clear_wait_claim_slow(struct thread *t, wait_result_t result);

/*
 * The RPC's case, inline and without a lock: a parked wait
 * (assert_wait_parked(), thread_park_handoff()) without a timer (no
 * TH_TIMER: timer_armed in the state word, one test of the word), of a
 * thread off every CPU (the CPU that left it has dropped TH_RUN), not
 * stopped, that may run on this one, ends by one compare-and-swap of its
 * state, TH_WAIT | TH_PARKED to TH_RUN; whoever else ends a wait does it
 * by a compare-and-swap too (kernel/sched_internal.h), so one of them
 * wins. false: nothing done, the caller takes the locked way. The state
 * is compared whole, TH_PARKED included: should t's wait end and t wait
 * again between the load and the swap, only another parked wait (a
 * mach_msg receive, which looks again when woken for nothing) could be
 * claimed in its place. thread_claim_parked_on(t, result, cpu): for a
 * caller whose preemption is already off, on `cpu` (the IPC fast path's,
 * whose count becomes the claim's).
 */
bool thread_claim_parked_other(struct thread *t, wait_result_t result, unsigned int state);

static __always_inline bool thread_claim_parked_on(struct thread *t, wait_result_t result,
						   int cpu)
{
	unsigned int state = TH_WAIT | TH_PARKED | TH_LEAVING;

	/*
	 * Bound elsewhere (bound_cpu >= 0, not cpu): the only case where the
	 * xor of the two is above 0 (a negative bound_cpu, unbound, makes it
	 * negative; cpu itself, 0).
	 */
	if (unlikely((t->bound_cpu ^ cpu) > 0))
		return false;
	/*
	 * The RPC's every case (thread_park_declare()'s wait, TH_RUN
	 * dropped), compared whole: the swap is the test, no load before it.
	 * Any other state it found is tested in full out of line.
	 */
	if (unlikely(!__atomic_compare_exchange_n(&t->state, &state, TH_RUN, false,
						  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		return thread_claim_parked_other(t, result, state);
	t->wait_event = NO_EVENT;
	t->wait_result = result;
	return true;
}

/* The same with the claim's own preemption count, kept when it claims. */
static __always_inline bool thread_claim_parked(struct thread *t, wait_result_t result)
{
	preempt_disable();	/* the claim's, from here: t waits for nothing but us */
	if (likely(thread_claim_parked_on(t, result, (int)cpu_number())))
		return true;
	preempt_enable_no_resched();
	return false;
}

static __always_inline kern_return_t clear_wait_claim(struct thread *t, wait_result_t result)
{
	if (likely(thread_claim_parked(t, result)))
		return KERN_SUCCESS;
	return clear_wait_claim_slow(t, result);
}

/*
 * assert_wait_deadline() (deadline 0: none) for a wait that only
 * clear_wait(), clear_wait_claim(), thread_interrupt() or the timeout end,
 * never a wakeup of the event (a mach_msg receiver's): the thread is put
 * on no wait-queue bucket (TH_PARKED), and ending the wait takes only its
 * lock, or none (thread_claim_parked()).
 */
void assert_wait_parked(event_t event, wait_interrupt_t interruptible, uint64_t deadline);
wait_result_t thread_handoff_claimed(struct thread *next);
/*
 * assert_wait_parked(event, THREAD_INTERRUPTIBLE, deadline), then
 * spin_unlock(lock) (the caller's, taken with spin_lock(): the lock that
 * whoever ends the wait takes first), then thread_handoff_claimed(next).
 * Without a deadline the wait is declared without the thread's lock (one
 * atomic or of its state): `lock`, which keeps the receiver's list, is all
 * that orders it with the senders that serve and claim it.
 */
wait_result_t thread_park_handoff(event_t event, uint64_t deadline, spinlock_t *lock,
				  struct thread *next);

/*
 * thread_park_handoff() in two halves, for the IPC fast path
 * (ipc/mach_msg.c), which holds more than one lock and one preemption
 * count, the claim's, for all of them (nested locks). With the lock that
 * whoever ends the wait takes first held, and no wait declared (no
 * TH_WAIT): thread_park_declare(self, event) declares the parked wait
 * (one atomic or, with TH_LEAVING: the switch that follows needs no
 * TS_BLOCKING; a TH_ABORT set before it or meanwhile ends it at once,
 * as thread_park_handoff() does, and the switch brings us back
 * THREAD_INTERRUPTED). Then the caller drops
 * its locks, without a preemption count each (no preemption point may
 * come between the declare and the switch), and
 * thread_park_switch(self, next) drops the claim's count with interrupts
 * off and switches to next, claimed: it returns the wait's result.
 */
void thread_park_abort(struct thread *self);

static __always_inline void thread_park_declare(struct thread *self, event_t event)
{
	/*
	 * No wait_result = THREAD_WAITING: nothing reads it while we wait,
	 * and whoever ends the wait writes the result (the claim, clear_wait,
	 * the abort) before the switch back reads it.
	 */
	self->wait_event = event;
	self->wait_seq++;
	/*
	 * A TH_ABORT set before our or-ing is seen by the load after it (one
	 * word: coherence orders the two); one set after it finds TH_WAIT,
	 * and its interrupt ends the wait (should the load see it too, the
	 * second end finds the wait over). The or's old value is not used:
	 * on x86_64 a fetch-or whose value is used is a compare-and-swap
	 * loop, a plain or one locked instruction.
	 */
	__atomic_or_fetch(&self->state, TH_WAIT | TH_PARKED | TH_LEAVING, __ATOMIC_RELEASE);
	if (unlikely(__atomic_load_n(&self->state, __ATOMIC_RELAXED) & TH_ABORT))
		thread_park_abort(self);
}

wait_result_t thread_park_switch(struct thread *self, struct thread *next);
void thread_setrun_claimed(struct thread *t);

/* Block the current thread for ns nanoseconds (THREAD_TIMED_OUT). */
wait_result_t thread_delay(uint64_t ns);

/* How many threads wait for `event` now (tests, debugging). */
unsigned int thread_waiters(event_t event);

#endif /* _KERN_SCHED_PRIM_H */
