// SPDX-License-Identifier: MIT
/*
 * Mach's wait and wakeup (<kern/sched_prim.h>): wait queues hashed by
 * event, thread_block() with and without continuations, timeouts and
 * interrupted waits.
 *
 * A waiting thread is on the queue of its event's bucket with TH_WAIT set.
 * Whoever ends the wait (a wakeup, the timeout, clear_wait()) holds the
 * bucket's lock and then the thread's, takes it off the queue, records the
 * result, and makes it runnable unless it is still on its CPU (TH_RUN):
 * then the CPU switching away from it requeues it (kernel/sched.c).
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/lock.h>
#include <kern/lock_debug.h>
#include <kern/panic.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/timer.h>
#include <kernel/sched_internal.h>

#define WAITQ_BUCKETS_SHIFT	7
#define WAITQ_BUCKETS		(1U << WAITQ_BUCKETS_SHIFT)

struct waitq_bucket {
	spinlock_t	lock;		/* raw, interrupts off */
	struct thread	*head, *tail;
} __aligned(64);

static struct waitq_bucket waitq_buckets[WAITQ_BUCKETS];

static inline struct waitq_bucket *waitq_bucket(event_t event)
{
	uint64_t h = (uint64_t)(uintptr_t)event * 0x9e3779b97f4a7c15ULL;

	return &waitq_buckets[h >> (64 - WAITQ_BUCKETS_SHIFT)];
}

static void waitq_append(struct waitq_bucket *b, struct thread *t)
{
	t->wq_next = NULL;
	t->wq_prev = b->tail;
	if (b->tail)
		b->tail->wq_next = t;
	else
		b->head = t;
	b->tail = t;
}

static void waitq_remove(struct waitq_bucket *b, struct thread *t)
{
	if (t->wq_prev)
		t->wq_prev->wq_next = t->wq_next;
	else
		b->head = t->wq_next;
	if (t->wq_next)
		t->wq_next->wq_prev = t->wq_prev;
	else
		b->tail = t->wq_prev;
	t->wq_next = t->wq_prev = NULL;
}

/*
 * The new state of a thread whose wait ends: TH_RUN on, unless it is
 * still on its CPU (its CPU requeues it), stopped or ended.
 */
static __always_inline unsigned int th_state_woken(unsigned int old)
{
	return (old & ~(TH_WAIT | TH_UNINT | TH_PARKED | TH_LEAVING)) |
	       (old & (TH_RUN | TH_SUSP | TH_HALTED) ? 0 : TH_RUN);
}

/*
 * End t's wait in its state by a compare-and-swap (t locked): the way
 * when a lockless claim of a parked wait (thread_claim_parked()) or the
 * lockless drop of TH_RUN (sched_dispatch()) may change the state at the
 * same time. Returns the state it ended the wait in, or 0 if the wait had
 * ended already.
 */
static __always_inline unsigned int thread_wait_cas(struct thread *t)
{
	unsigned int old = th_state(t);

	do {
		if (!(old & TH_WAIT))
			return 0;
	} while (!__atomic_compare_exchange_n(&t->state, &old, th_state_woken(old), false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return old;
}

/* The rest of ending a wait: the result recorded, the timeout cancelled. */
static __always_inline void thread_wait_ended(struct thread *t, wait_result_t result)
{
	t->wait_event = NO_EVENT;
	t->wait_result = result;
	if (t->timer_armed && timer_call_cancel(&t->wait_timer)) {
		th_state_clear(t, TH_TIMER);
		t->timer_armed = false;
	}
}

/*
 * End t's wait with `result` (t locked, and b if it waits on a bucket;
 * interrupts off): off the bucket's queue, its timeout cancelled,
 * runnable unless it is still on its CPU or stopped. false: it was not
 * waiting any more (a lockless claim ended a parked wait first). With
 * `kicks`, another CPU to kick is left there for sched_kick_cpus() after
 * the caller's unlock (sched_setrun_kicks()).
 */
static __noinline bool thread_go(struct waitq_bucket *b, struct thread *t, wait_result_t result,
				 unsigned long *kicks)
{
	unsigned int old = th_state(t);

	if (!(old & TH_WAIT))
		return false;
	if (unlikely(old & TH_PARKED)) {
		old = thread_wait_cas(t);
		if (!old)
			return false;	/* a lockless claim ended it first */
	} else {
		if (!(old & TH_RUN)) {
			/* Off its CPU: only its lock's holder changes its state. */
			__atomic_store_n(&t->state, th_state_woken(old), __ATOMIC_RELEASE);
		} else {
			/*
			 * Its CPU may drop TH_RUN meanwhile (sched_dispatch()),
			 * nothing else: one atomic takes the bits we know set.
			 */
			old = __atomic_fetch_sub(&t->state, old & (TH_WAIT | TH_UNINT),
						 __ATOMIC_ACQ_REL);
			if (unlikely(!(old & (TH_RUN | TH_SUSP | TH_HALTED))))
				th_state_set(t, TH_RUN);
		}
		waitq_remove(b, t);
	}
	thread_wait_ended(t, result);
	if (!(old & (TH_RUN | TH_SUSP | TH_HALTED)))
		sched_setrun_kicks(t, kicks);
	return true;
}

/*
 * thread_go() for clear_wait_claim(): the same, except that a thread off
 * every CPU that may run on this one is made TH_RUN but queued nowhere:
 * true, and the caller owns it. Its priority is not recomputed here: the
 * tick does it, or the run queue it goes on (thread_setrun_claimed()).
 */
static bool thread_go_claim(struct waitq_bucket *b, struct thread *t, wait_result_t result)
{
	unsigned int old = th_state(t);

	if ((old & (TH_RUN | TH_SUSP | TH_HALTED)) ||
	    (t->bound_cpu >= 0 && t->bound_cpu != (int)cpu_number())) {
		thread_go(b, t, result, NULL);
		return false;
	}
	/* Off its CPU and not stopped: only a lockless claim can race us. */
	old = thread_wait_cas(t);
	if (!old)
		return false;
	if (!(old & TH_PARKED))
		waitq_remove(b, t);
	thread_wait_ended(t, result);
	return true;
}

/* ------------------------------------------------------------------------
 * Waiting
 */

/* Declare self's wait (self locked, and b if it waits on a bucket; interrupts off). */
static __always_inline void thread_wait_locked(struct thread *self, struct waitq_bucket *b,
					       event_t event, wait_interrupt_t interruptible,
					       uint64_t deadline)
{
	if (self->state & TH_WAIT)
		panic("assert_wait: %s already waits for %p", self->name, self->wait_event);
	self->wait_event = event;
	self->wait_result = THREAD_WAITING;
	self->wait_seq++;
	if (b)
		waitq_append(b, self);
	if (deadline) {
		self->timer_seq = self->wait_seq;
		self->timer_armed = true;
		timer_call_enter(&self->wait_timer, deadline);
	}
	/*
	 * Last, with release order: a lockless claim that sees TH_WAIT sees
	 * the rest, and TH_TIMER with a deadline.
	 */
	th_state_set(self, TH_WAIT | (interruptible ? 0 : TH_UNINT) | (b ? 0 : TH_PARKED) |
			   (deadline ? TH_TIMER : 0));
	/* Being terminated: an interruptible wait ends before it starts. */
	if (interruptible && (self->state & TH_ABORT))
		thread_go(b, self, THREAD_INTERRUPTED, NULL);
}

static void assert_wait_common(event_t event, wait_interrupt_t interruptible,
			       uint64_t deadline, bool parked)
{
	struct thread *self = current_thread();
	struct waitq_bucket *b = parked ? NULL : waitq_bucket(event);
	unsigned long flags;

	if (event == NO_EVENT)
		panic("assert_wait: no event");
	flags = arch_irq_save();
	if (b)
		__spin_acquire(&b->lock);
	__spin_acquire(&self->lock);
	thread_wait_locked(self, b, event, interruptible, deadline);
	__spin_release(&self->lock);
	if (b)
		__spin_release(&b->lock);
	arch_irq_restore(flags);
}

void assert_wait(event_t event, wait_interrupt_t interruptible)
{
	assert_wait_common(event, interruptible, 0, false);
}

void assert_wait_deadline(event_t event, wait_interrupt_t interruptible, uint64_t deadline)
{
	assert_wait_common(event, interruptible, deadline ? deadline : 1, false);
}

void assert_wait_timeout(event_t event, wait_interrupt_t interruptible, uint64_t timeout_ns)
{
	assert_wait_common(event, interruptible, clock_now() + timeout_ns, false);
}

void assert_wait_parked(event_t event, wait_interrupt_t interruptible, uint64_t deadline)
{
	assert_wait_common(event, interruptible, deadline, true);
}

void thread_set_timeout(uint64_t timeout_ns)
{
	struct thread *self = current_thread();
	unsigned long flags = arch_irq_save();

	__spin_acquire(&self->lock);
	if (self->state & TH_WAIT) {
		self->timer_seq = self->wait_seq;
		self->timer_armed = true;
		th_state_set(self, TH_TIMER);
		timer_call_enter(&self->wait_timer, clock_now() + timeout_ns);
	}
	__spin_release(&self->lock);
	arch_irq_restore(flags);
}

/*
 * The timeout of a wait (interrupt context). Stale timeouts, of a wait
 * that has ended, are told apart by the wait's sequence number.
 */
static void thread_timeout(struct timer_call *tc, void *arg)
{
	struct thread *t = arg;
	struct waitq_bucket *b;
	unsigned int seq;
	event_t event;
	bool due;

	__spin_acquire(&t->lock);
	seq = t->timer_seq;
	event = t->wait_event;
	due = (th_state(t) & TH_WAIT) && t->wait_seq == seq;
	__spin_release(&t->lock);

	if (due) {
		b = waitq_bucket(event);
		__spin_acquire(&b->lock);
		__spin_acquire(&t->lock);
		if ((th_state(t) & TH_WAIT) && t->wait_seq == seq && t->wait_event == event)
			thread_go(b, t, THREAD_TIMED_OUT, NULL);
		__spin_release(&t->lock);
		__spin_release(&b->lock);
	}

	/* The last touch of t: the reaper waits for timer_armed to drop. */
	__spin_acquire(&t->lock);
	if (t->timer_seq == seq && !timer_call_pending(&t->wait_timer)) {
		th_state_clear(t, TH_TIMER);
		__atomic_store_n(&t->timer_armed, false, __ATOMIC_RELEASE);
	}
	__spin_release(&t->lock);
}

void thread_timer_init(struct thread *t)
{
	timer_call_init(&t->wait_timer, thread_timeout, t);
}

/* Continue in the continuation right here, at the top of our own stack. */
static void __noreturn thread_call_continuation(void)
{
	struct thread *self = current_thread();
	thread_continue_t cont = self->continuation;
	wait_result_t result = self->wait_result;

	self->continuation = NULL;
	self->wait_result = THREAD_AWAKENED;
	arch_irq_enable();
	sched_check_preempt();
	cont(self->parameter, result);
	thread_terminate();
}

wait_result_t thread_block_parameter(thread_continue_t continuation, void *parameter)
{
	struct thread *self = current_thread();
	wait_result_t result;
	unsigned long flags;
	bool own_stack = continuation && !self->kstack_foreign;

	thread_block_check(self);
	flags = arch_irq_save();
	__spin_acquire(&self->lock);
	if (!(self->state & TH_WAIT)) {
		/* Nothing to wait for (any more): a yield. */
		__spin_release(&self->lock);
		sched_reschedule(self, SCHED_YIELD);
		if (own_stack) {
			self->continuation = continuation;
			self->parameter = parameter;
			arch_call_on_stack(self->kstack_top, thread_call_continuation);
		}
	} else {
		if (own_stack) {
			self->continuation = continuation;
			self->parameter = parameter;
		}
		ts_set(self, TS_BLOCKING);
		__spin_release(&self->lock);
		sched_reschedule(self, SCHED_BLOCK);
		/* Without a continuation (or on a foreign stack) we come back here. */
		ts_clear(self, TS_BLOCKING);
	}
	result = self->wait_result;
	self->wait_result = THREAD_AWAKENED;
	arch_irq_restore(flags);
	sched_check_preempt();
	if (continuation) {
		/* A boot or idle stack cannot be given back: call it from here. */
		arch_irq_enable();
		continuation(parameter, result);
		thread_terminate();
	}
	return result;
}

wait_result_t thread_block(thread_continue_t continuation)
{
	return thread_block_parameter(continuation, NULL);
}

/*
 * The RPC handoff: like thread_switch(hint, SWITCH_OPTION_WAIT), but the
 * wait is whatever the caller asserted (or none, if it ended already).
 */
wait_result_t thread_handoff(struct thread *next)
{
	struct thread *self = current_thread();
	wait_result_t result;
	unsigned long flags;

	thread_block_check(self);
	flags = arch_irq_save();
	if (!next || next == self || !sched_handoff_take(next)) {
		arch_irq_restore(flags);
		return thread_block(NULL);
	}
	result = sched_handoff(self, next);
	arch_irq_restore(flags);
	sched_check_preempt();
	return result;
}

wait_result_t thread_handoff_claimed(struct thread *next)
{
	struct thread *self = current_thread();
	unsigned long flags = arch_irq_save();
	wait_result_t result;

	self->preempt_count--;	/* the claim's: interrupts keep us here now */
	thread_block_check(self);
	result = sched_handoff_claimed(self, next);
	arch_irq_restore(flags);
	sched_check_preempt();
	return result;
}

/*
 * thread_park_handoff() in full, for what its inline case leaves out:
 * a deadline, or a wait that ends before it starts (TH_ABORT).
 */
wait_result_t thread_park_handoff_slow(event_t event, uint64_t deadline, spinlock_t *lock,
				       struct thread *next)
{
	struct thread *self = current_thread();
	unsigned long flags = arch_irq_save();

	__spin_acquire(&self->lock);
	thread_wait_locked(self, NULL, event, THREAD_INTERRUPTIBLE, deadline);
	__spin_release(&self->lock);
	arch_irq_restore(flags);
	/* Preemption stays off (the claim's) until the switch: no check here. */
	spin_unlock(lock);
	return thread_handoff_claimed(next);
}

void thread_setrun_claimed(struct thread *t)
{
	unsigned long flags = arch_irq_save();

	__spin_acquire(&t->lock);
	sched_setrun(t);
	__spin_release(&t->lock);
	arch_irq_restore(flags);
	preempt_enable();
}

/* ------------------------------------------------------------------------
 * Waking
 */

unsigned int thread_wakeup_prim(event_t event, bool one_thread, wait_result_t result)
{
	struct waitq_bucket *b = waitq_bucket(event);
	struct thread *t, *next;
	unsigned int woken = 0;
	unsigned long flags, kicks = 0;

	flags = arch_irq_save();
	__spin_acquire(&b->lock);
	for (t = b->head; t; t = next) {
		next = t->wq_next;
		if (t->wait_event != event)
			continue;
		__spin_acquire(&t->lock);
		thread_go(b, t, result, &kicks);
		__spin_release(&t->lock);
		woken++;
		if (one_thread)
			break;
	}
	__spin_release(&b->lock);
	if (kicks)
		sched_kick_cpus(kicks);	/* the locks dropped: see sched_setrun_kicks() */
	arch_irq_restore(flags);
	sched_check_preempt();
	return woken;
}

/* End t's wait; interrupt_only: only an interruptible one. */
static kern_return_t clear_wait_prim(struct thread *t, wait_result_t result,
				     bool interrupt_only)
{
	struct waitq_bucket *b;
	kern_return_t kr = KERN_NOT_WAITING;
	unsigned long flags, kicks = 0;
	unsigned int seq, state;
	event_t event;

	flags = arch_irq_save();
	__spin_acquire(&t->lock);
	state = th_state(t);
	event = t->wait_event;
	seq = t->wait_seq;
	if (!(state & TH_WAIT))
		goto out;
	if (interrupt_only && (state & TH_UNINT)) {
		kr = KERN_FAILURE;
		goto out;
	}
	if (state & TH_PARKED) {
		/* On no bucket: its lock is all the wait has (and a claim may beat us). */
		if (thread_go(NULL, t, result, &kicks))
			kr = KERN_SUCCESS;
		goto out;
	}
	__spin_release(&t->lock);

	/* The lock order is bucket, then thread: look again after relocking. */
	b = waitq_bucket(event);
	__spin_acquire(&b->lock);
	__spin_acquire(&t->lock);
	if ((th_state(t) & TH_WAIT) && t->wait_seq == seq && thread_go(b, t, result, &kicks))
		kr = KERN_SUCCESS;
	__spin_release(&b->lock);
out:
	__spin_release(&t->lock);
	if (kicks)
		sched_kick_cpus(kicks);
	arch_irq_restore(flags);
	sched_check_preempt();
	return kr;
}

kern_return_t clear_wait(struct thread *t, wait_result_t result)
{
	return clear_wait_prim(t, result, false);
}

/*
 * clear_wait_claim() when thread_claim_parked() could not claim t: a
 * bucketed wait, a timer, t still on a CPU or stopped, bound elsewhere, or
 * a race. The event is read without t's lock, then checked under the
 * bucket's and t's (the lock order): one lock round trip fewer than
 * clear_wait_prim(). A wait that changed meanwhile goes the general way.
 */
kern_return_t clear_wait_claim_slow(struct thread *t, wait_result_t result)
{
	unsigned int state = th_state(t);
	event_t event = READ_ONCE(t->wait_event);
	struct waitq_bucket *b = (state & TH_PARKED) ? NULL : waitq_bucket(event);
	unsigned long flags;
	bool claimed;

	flags = arch_irq_save();
	if (b)
		__spin_acquire(&b->lock);
	__spin_acquire(&t->lock);
	state = th_state(t);
	if (unlikely(!(state & TH_WAIT) || t->wait_event != event || !b != !!(state & TH_PARKED))) {
		__spin_release(&t->lock);
		if (b)
			__spin_release(&b->lock);
		arch_irq_restore(flags);
		return clear_wait(t, result);
	}
	claimed = thread_go_claim(b, t, result);
	if (claimed)
		preempt_disable();
	__spin_release(&t->lock);
	if (b)
		__spin_release(&b->lock);
	arch_irq_restore(flags);
	if (claimed)
		return KERN_SUCCESS;
	sched_check_preempt();
	return KERN_FAILURE;
}

/*
 * thread_claim_parked_on()'s test in full (<kern/sched_prim.h>), for a
 * state other than the RPC's (found by its swap): a parked wait without
 * a timer, of a thread off every CPU and not stopped, ends by one
 * compare-and-swap; false: nothing done.
 */
bool thread_claim_parked_other(struct thread *t, wait_result_t result, unsigned int state)
{
	if ((state & (TH_WAIT | TH_PARKED | TH_RUN | TH_SUSP | TH_HALTED | TH_TIMER)) !=
	    (TH_WAIT | TH_PARKED) ||
	    !__atomic_compare_exchange_n(&t->state, &state,
					 (state & ~(TH_WAIT | TH_UNINT | TH_PARKED | TH_LEAVING)) |
					 TH_RUN,
					 false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	t->wait_event = NO_EVENT;
	t->wait_result = result;
	return true;
}

/* thread_park_handoff(): TH_ABORT came as the wait was declared: end it now. */
void thread_park_abort(struct thread *self)
{
	clear_wait_prim(self, THREAD_INTERRUPTED, true);
}

kern_return_t thread_interrupt(struct thread *t)
{
	return clear_wait_prim(t, THREAD_INTERRUPTED, true);
}

wait_result_t thread_delay(uint64_t ns)
{
	struct thread *self = current_thread();

	assert_wait_timeout(&self->wait_timer, THREAD_UNINT, ns);
	return thread_block(NULL);
}

unsigned int thread_waiters(event_t event)
{
	struct waitq_bucket *b = waitq_bucket(event);
	unsigned long flags = arch_irq_save();
	unsigned int n = 0;
	struct thread *t;

	__spin_acquire(&b->lock);
	for (t = b->head; t; t = t->wq_next)
		n += t->wait_event == event;
	__spin_release(&b->lock);
	arch_irq_restore(flags);
	return n;
}

void sched_prim_bootstrap(void)
{
	unsigned int i;

	for (i = 0; i < WAITQ_BUCKETS; i++)
		spin_lock_init(&waitq_buckets[i].lock);
}
