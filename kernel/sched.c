// SPDX-License-Identifier: MIT
/*
 * The scheduler: per-CPU run queues with a priority bitmap, the context
 * switch and what follows it, timeslices, priority decay, placement and
 * stealing, the idle threads. See <kern/sched.h> and
 * Documentation/threads-and-scheduler.rst.
 *
 * The protocol of a context switch. A CPU leaving thread `prev` picks
 * `next` (from its run queue, another CPU's, or its idle thread), switches,
 * and only then, on next's stack, decides prev's fate under prev's lock
 * (sched_dispatch()): requeue it, or take TH_RUN away because it blocked,
 * stopped or ended. So a thread without TH_RUN has its context saved, and
 * a waker that still sees TH_RUN only has to clear TH_WAIT: the switching
 * CPU will requeue the thread itself. Nobody ever waits for another CPU to
 * finish a switch.
 */
#include <kern/arch.h>
#include <kern/cmdline.h>
#include <kern/cpu.h>
#include <kern/irq.h>
#include <kern/lock.h>
#include <kern/lock_debug.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/smp.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <kernel/sched_internal.h>

/* How often a busy CPU looks at its timeslice (the quantum is two of these). */
#define SCHED_TICK_PERIOD_NS	(SCHED_QUANTUM_NS / 2)

/* struct run_queue: <kern/sched_switch.h>, for the IPC fast path's inline switch. */
DEFINE_PER_CPU(struct run_queue, sched_runq);

/* CPUs that run the scheduler, and those of them in their idle thread. */
static unsigned long sched_active_mask;
static unsigned long sched_idle_mask;

static unsigned int sched_stack_warnings;

static inline struct run_queue *this_rq(void)
{
	return this_cpu_ptr(&sched_runq);
}

static inline struct run_queue *cpu_rq(unsigned int cpu)
{
	return per_cpu_ptr(&sched_runq, cpu);
}

bool sched_cpu_active(unsigned int cpu)
{
	return cpu < MAX_CPUS &&
	       (__atomic_load_n(&sched_active_mask, __ATOMIC_ACQUIRE) & (1UL << cpu));
}

/* ------------------------------------------------------------------------
 * Run queues (lock held)
 */

static void runq_init(struct run_queue *rq, unsigned int cpu)
{
	memset(rq, 0, sizeof(*rq));
	spin_lock_init(&rq->lock);
	rq->cpu = cpu;
	rq->active_pri = -1;
}

static inline int runq_highest(const struct run_queue *rq)
{
	int w;

	for (w = RQ_WORDS - 1; w >= 0; w--) {
		uint64_t bits = READ_ONCE(rq->bitmap[w]);

		if (bits)
			return w * 64 + 63 - __builtin_clzll(bits);
	}
	return -1;
}

/* Both on the context-switch path: inline, no call frame. */
static __always_inline void runq_enqueue(struct run_queue *rq, struct thread *t,
					 bool at_head)
{
	int pri = t->sched_pri;

	/* Cheap, and it has caught real bugs: a thread queued twice is lost. */
	if (unlikely(t->runq_cpu >= 0 || (t->state & (TH_RUN | TH_IDLE)) != TH_RUN))
		panic("sched: enqueue of %s (state %#x, queued on %d) on CPU%u", t->name,
		      t->state, t->runq_cpu, rq->cpu);

	if (!rq->head[pri]) {
		t->rq_next = t->rq_prev = NULL;
		rq->head[pri] = rq->tail[pri] = t;
		rq->bitmap[pri / 64] |= 1ULL << (pri % 64);
	} else if (at_head) {
		t->rq_prev = NULL;
		t->rq_next = rq->head[pri];
		rq->head[pri]->rq_prev = t;
		rq->head[pri] = t;
	} else {
		t->rq_next = NULL;
		t->rq_prev = rq->tail[pri];
		rq->tail[pri]->rq_next = t;
		rq->tail[pri] = t;
	}
	rq->count++;
	t->runq_cpu = (int)rq->cpu;
}

static __always_inline void runq_remove(struct run_queue *rq, struct thread *t)
{
	int pri = t->sched_pri;

	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		rq->head[pri] = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		rq->tail[pri] = t->rq_prev;
	if (!rq->head[pri])
		rq->bitmap[pri / 64] &= ~(1ULL << (pri % 64));
	t->rq_next = t->rq_prev = NULL;
	rq->count--;
	t->runq_cpu = -1;
}

/* The first thread of the best queue that may run on `cpu`, or NULL. */
static struct thread *runq_first_for(struct run_queue *rq, unsigned int cpu)
{
	int pri = runq_highest(rq);
	struct thread *t;

	for (; pri >= 0; pri--) {
		for (t = rq->head[pri]; t; t = t->rq_next) {
			if (t->bound_cpu < 0 || t->bound_cpu == (int)cpu)
				return t;
		}
	}
	return NULL;
}

unsigned int sched_runq_count(unsigned int cpu)
{
	return cpu < MAX_CPUS && sched_cpu_active(cpu) ? READ_ONCE(cpu_rq(cpu)->count) : 0;
}

unsigned long sched_context_switches(unsigned int cpu)
{
	return cpu < MAX_CPUS && sched_cpu_active(cpu) ? READ_ONCE(cpu_rq(cpu)->switches) : 0;
}

unsigned long sched_steals(unsigned int cpu)
{
	return cpu < MAX_CPUS && sched_cpu_active(cpu) ? READ_ONCE(cpu_rq(cpu)->steals) : 0;
}

struct thread *sched_idle_thread(unsigned int cpu)
{
	return cpu < MAX_CPUS && sched_cpu_active(cpu) ? cpu_rq(cpu)->idle : NULL;
}

void sched_dump(void)
{
	unsigned int cpu;
	struct thread *t;
	int pri;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct run_queue *rq;
		unsigned long flags;

		if (!sched_cpu_active(cpu))
			continue;
		rq = cpu_rq(cpu);
		flags = arch_irq_save();
		__spin_acquire(&rq->lock);
		printk(KERN_INFO "sched: CPU%u runs %s (active pri %d), %lu switches, %lu resched IPIs, %lu callouts, tick %s, ast %#x, irq depth %u (%lu irqs), highest %d, %u queued:",
		       cpu, cpu_data_of(cpu)->active_thread ? cpu_data_of(cpu)->active_thread->name : "-",
		       rq->active_pri, rq->switches, smp_ipi_count(cpu, IPI_RESCHEDULE),
		       timer_calls_fired(cpu), rq->tick_armed ? "on" : "off",
		       cpu_data_of(cpu)->ast, cpu_data_of(cpu)->irq_depth,
		       cpu_data_of(cpu)->irq_entries, runq_highest(rq), rq->count);
		for (pri = MAXPRI; pri >= 0; pri--)
			for (t = rq->head[pri]; t; t = t->rq_next)
				printk(KERN_CONT " %s/%d", t->name, pri);
		printk(KERN_CONT "\n");
		__spin_release(&rq->lock);
		arch_irq_restore(flags);
	}
}

/* ------------------------------------------------------------------------
 * Priorities
 */

/* Make `cpu` look at its run queue: an AST here, an IPI there. */
static void sched_kick(unsigned int cpu)
{
	if (cpu == cpu_number())
		cpu_this()->ast |= AST_PREEMPT;
	else
		arch_send_ipi(cpu, IPI_RESCHEDULE);
}

/* Change t's effective priority, moving it between queues if it is queued. */
void sched_set_pri(struct thread *t, int pri)
{
	int cpu = READ_ONCE(t->runq_cpu);
	struct run_queue *rq;
	bool kick = false;

	if (pri == t->sched_pri)
		return;
	if (cpu < 0) {
		/* Not queued, and nobody queues it without t->lock. */
		t->sched_pri = pri;
		return;
	}
	rq = cpu_rq((unsigned int)cpu);
	__spin_acquire(&rq->lock);
	if (t->runq_cpu == cpu) {
		runq_remove(rq, t);
		t->sched_pri = pri;
		runq_enqueue(rq, t, false);
		kick = pri > rq->active_pri;
	} else {
		t->sched_pri = pri;
	}
	__spin_release(&rq->lock);
	if (kick)
		sched_kick(rq->cpu);
}


/* ------------------------------------------------------------------------
 * Placement
 */

static unsigned int sched_load(unsigned int cpu)
{
	struct run_queue *rq = cpu_rq(cpu);

	return READ_ONCE(rq->count) + (READ_ONCE(rq->active_pri) >= 0);
}

static unsigned int sched_choose_cpu(struct thread *t)
{
	unsigned long mask = __atomic_load_n(&sched_active_mask, __ATOMIC_ACQUIRE);
	unsigned int best, best_load, cpu, load;

	if (t->bound_cpu >= 0)
		return (unsigned int)t->bound_cpu;
	best = t->last_cpu;
	if (!(mask & (1UL << best)))
		best = cpu_number();
	if (!(mask & ~(1UL << best)))
		return best;
	best_load = sched_load(best);
	for (cpu = 0; best_load && cpu < MAX_CPUS; cpu++) {
		if (!(mask & (1UL << cpu)) || cpu == best)
			continue;
		load = sched_load(cpu);
		if (load < best_load) {
			best = cpu;
			best_load = load;
		}
	}
	return best;
}

/*
 * Put t (TH_RUN, off every CPU, t->lock held, interrupts off) on a run
 * queue, and preempt the CPU's thread if t is better: at once, or, for
 * another CPU with `kicks`, by adding it there for sched_kick_cpus().
 */
static __always_inline void sched_setrun_at(struct thread *t, bool at_head,
					    unsigned long *kicks)
{
	unsigned int cpu = sched_choose_cpu(t);
	struct run_queue *rq = cpu_rq(cpu);
	bool kick;

	__spin_acquire(&rq->lock);
	runq_enqueue(rq, t, at_head);
	kick = t->sched_pri > rq->active_pri;
	__spin_release(&rq->lock);
	if (!kick)
		return;
	if (kicks && cpu != cpu_number())
		*kicks |= 1UL << cpu;
	else
		sched_kick(cpu);
}

void sched_setrun(struct thread *t)
{
	sched_update_pri(t, clock_now());
	sched_setrun_at(t, false, NULL);
}

/*
 * A wakeup queues the woken thread holding its lock (and its wait queue
 * bucket's), and the thread, once it runs on the CPU that was kicked,
 * soon takes them too (its next assert_wait()). An IPI sent there and
 * then, on a host with fewer cores than virtual CPUs, can have the host
 * run the woken CPU at once while the waker's CPU waits for the host with
 * the locks held, and the woken thread spins on them. So the wakeups
 * (thread_wakeup_prim(), clear_wait_prim()) collect the CPUs to kick and
 * send the IPIs once they have dropped their locks.
 */
void sched_setrun_kicks(struct thread *t, unsigned long *kicks)
{
	sched_update_pri(t, clock_now());
	sched_setrun_at(t, false, kicks);
}

void sched_kick_cpus(unsigned long kicks)
{
	while (kicks) {
		arch_send_ipi((unsigned int)__builtin_ctzl(kicks), IPI_RESCHEDULE);
		kicks &= kicks - 1;
	}
}

/* Take the best thread another CPU has queued that may run here. */
static struct thread *sched_steal(struct run_queue *here)
{
	unsigned long mask = __atomic_load_n(&sched_active_mask, __ATOMIC_ACQUIRE);
	unsigned int i, cpu;
	struct thread *t;

	for (i = 1; i < MAX_CPUS; i++) {
		struct run_queue *rq;

		cpu = (here->cpu + i) % MAX_CPUS;
		if (!(mask & (1UL << cpu)))
			continue;
		rq = cpu_rq(cpu);
		if (!READ_ONCE(rq->count))
			continue;
		__spin_acquire(&rq->lock);
		t = runq_first_for(rq, here->cpu);
		if (t)
			runq_remove(rq, t);
		__spin_release(&rq->lock);
		if (t) {
			here->steals++;
			return t;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * The context switch
 */

/* Does prev, just left, stay off the CPUs (so a continuation needs no stack)? */
static inline bool sched_leaving(const struct thread *prev)
{
	return (sched_blocking(prev, prev->state) && (prev->state & TH_WAIT)) ||
	       (prev->state & (TH_SUSP | TH_HALTED));
}

/*
 * Decide the fate of prev, which this CPU has just left (interrupts off,
 * prev->lock held, released here): the cases sched_dispatch() leaves out
 * of line. See the comment at the top of the file. A stack that is no
 * longer needed (an ended thread's, or one blocked with a continuation)
 * is freed before TH_RUN goes, so that whoever sees the thread off its CPU
 * also sees the stack back.
 */
static __noinline void sched_dispatch_slow(struct thread *prev)
{
	bool stopped = false, last = false;
	void *stack;

	while (prev->kstack && !prev->kstack_foreign && sched_leaving(prev) &&
	       ((prev->state & TH_HALTED) || prev->continuation)) {
		stack = prev->kstack;
		prev->kstack = NULL;
		__spin_release(&prev->lock);
		thread_stack_free(stack);
		__spin_acquire(&prev->lock);	/* and look again: it may have been woken */
	}

	if (prev->state & TH_HALTED) {
		/* Its own reference goes before anyone can see it has ended. */
		last = thread_release_own_ref(prev);
		th_state_clear(prev, TH_RUN);
		__spin_release(&prev->lock);
		thread_wakeup(prev);		/* thread_join() */
		if (last)
			thread_free_deferred(prev);
		return;
	}
	/* With TH_RUN set nobody changes the state without its lock but us. */
	if (sched_blocking(prev, prev->state) && (prev->state & TH_WAIT)) {
		stopped = prev->state & TH_SUSP;
		th_state_clear(prev, TH_RUN);	/* blocked: a wakeup requeues it */
	} else if (prev->state & TH_SUSP) {
		th_state_clear(prev, TH_RUN);
		ts_clear(prev, TS_BLOCKING);
		stopped = true;
	} else {
		unsigned int flags = prev->sched_flags;

		if (flags & (TS_BLOCKING | TS_PREEMPTED))
			ts_clear(prev, TS_BLOCKING | TS_PREEMPTED);
		sched_setrun_at(prev, flags & TS_PREEMPTED, NULL);
	}
	__spin_release(&prev->lock);
	if (stopped)
		thread_wakeup(&prev->suspend_count);	/* thread_suspend() */
}

/*
 * The common cases inline. Blocked with its stack (TS_BLOCKING and a
 * wait, nothing else pending, no continuation: the handoff's and
 * thread_block()'s case; the RPC's TH_LEAVING is the inline tail's,
 * sched_switch_tail_prev()): TH_RUN dropped by one compare-and-swap, without
 * the lock. It fails only if the wait ended meanwhile (or a stop came):
 * then the locked way below, which requeues it. Still runnable
 * (preempted, yielded or handed off), with no wait, stop or end pending
 * and no flag to clear: back at the tail of a run queue. The rest, under
 * the same lock, in sched_dispatch_slow(), which releases it.
 */
static __always_inline void sched_dispatch(struct thread *prev)
{
	unsigned int state, flags;

	/* An idle thread is never queued: its CPU takes it when it has nothing. */
	if (prev->state & TH_IDLE)
		return;
	flags = prev->sched_flags;
	if (likely(!(flags & (TS_BLOCKING | TS_PREEMPTED)))) {
		/* A parked wait's TH_LEAVING (a wait) goes to sched_dispatch_slow(). */
		__spin_acquire(&prev->lock);
		if (likely(!(prev->state & (TH_WAIT | TH_SUSP | TH_HALTED)))) {
			sched_setrun_at(prev, false, NULL);
			__spin_release(&prev->lock);
			return;
		}
	} else {
		state = th_state(prev);
		if (likely((flags & TS_BLOCKING) &&
			   (state & (TH_WAIT | TH_SUSP | TH_HALTED)) == TH_WAIT &&
			   !prev->continuation &&
			   __atomic_compare_exchange_n(&prev->state, &state, state & ~TH_RUN,
						       false, __ATOMIC_RELEASE, __ATOMIC_RELAXED)))
			return;
		__spin_acquire(&prev->lock);
	}
	sched_dispatch_slow(prev);
}

/*
 * The IPC fast path's switch's tail (<kern/sched_switch.h>) out of line:
 * any other parked wait (nothing pending but its wait: TH_LEAVING, with
 * TH_WAIT, without TH_SUSP and TH_HALTED) loses TH_RUN by one
 * compare-and-swap, the rest is sched_dispatch()'s.
 */
void sched_switch_tail_slow(struct thread *prev)
{
	unsigned int state = th_state(prev);

	if ((state & (TH_WAIT | TH_LEAVING | TH_SUSP | TH_HALTED | TH_IDLE)) ==
	    (TH_WAIT | TH_LEAVING) &&
	    __atomic_compare_exchange_n(&prev->state, &state, state & ~TH_RUN, false,
					__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return;
	sched_dispatch(prev);
}

/*
 * Right after a switch, on the new thread's stack: finish the old one,
 * prev (what arch_context_switch() returned: the thread this CPU left).
 */
static __always_inline void sched_switch_tail(struct arch_thread *prev)
{
	sched_dispatch(sched_arch_thread(prev));
}

/* A thread's first instruction after a switch, on a fresh stack. */
static void __noreturn sched_thread_continue(struct arch_thread *prev)
{
	struct thread *self = current_thread();
	thread_continue_t cont = self->continuation;
	void *param = self->parameter;
	wait_result_t result = self->wait_result;

	sched_switch_tail(prev);
	self->continuation = NULL;
	self->wait_result = THREAD_AWAKENED;
	ts_clear(self, TS_BLOCKING);
	arch_irq_enable();
	sched_check_preempt();
	cont(param, result);
	thread_terminate();
}

/*
 * next was blocked with a continuation: give it a stack and a fresh start
 * in sched_thread_continue(). Returns what to switch to: next, or the idle
 * thread when no stack is to be had (next goes back on a queue), or NULL
 * when that idle thread is self (no switch).
 */
static __noinline struct thread *sched_switch_prepare(struct run_queue *rq, struct thread *self,
						      struct thread *next)
{
	if (!next->kstack && thread_stack_alloc(next) != KERN_SUCCESS) {
		/* No stack for it now: let it wait on the queue. */
		if (sched_stack_warnings++ < 10)
			pr_warn("sched: no kernel stack to resume %s\n", next->name);
		__spin_acquire(&next->lock);
		sched_setrun_at(next, false, NULL);
		__spin_release(&next->lock);
		next = rq->idle;
		if (next == self)
			return NULL;
	}
	if (next->continuation)
		arch_thread_init(&next->arch, next->kstack_top, sched_thread_continue);
	return next;
}

/*
 * Switch from self to next (interrupts off, no lock held, next off every
 * run queue). Returns in self, later, maybe on another CPU. Inline: it is
 * the body of every switch; what is rare is out of line.
 */
static __always_inline void sched_switch_at(struct run_queue *rq, struct thread *self,
					    struct thread *next, uint64_t now)
{
	if (unlikely(next->continuation && !next->kstack_foreign)) {
		next = sched_switch_prepare(rq, self, next);
		if (!next) {
			/* Staying in our idle thread: not next's priority. */
			WRITE_ONCE(rq->active_pri, -1);
			return;
		}
	}

	self->cpu_usage += now - self->run_start;
	self->total_time += now - self->run_start;
	next->run_start = now;
	next->last_cpu = rq->cpu;
	next->switches_in++;
	rq->switches++;
	rq->quantum_end = now + SCHED_QUANTUM_NS;
	if (next->state & TH_IDLE) {
		WRITE_ONCE(rq->active_pri, -1);
		__atomic_or_fetch(&sched_idle_mask, 1UL << rq->cpu, __ATOMIC_RELAXED);
	} else {
		WRITE_ONCE(rq->active_pri, next->sched_pri);
		/*
		 * A waker that queued a better thread before it could see this
		 * priority did not kick us (handoff, steal): notice it here, so
		 * the next interrupt or preemption point switches to it.
		 */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (runq_highest(rq) > next->sched_pri)
			cpu_this()->ast |= AST_PREEMPT;
		if (self->state & TH_IDLE)
			__atomic_and_fetch(&sched_idle_mask, ~(1UL << rq->cpu), __ATOMIC_RELAXED);
		if (!rq->tick_armed) {
			rq->tick_armed = true;
			timer_call_enter(&rq->tick, now + SCHED_TICK_PERIOD_NS);
		}
	}
	cpu_set_active_thread(cpu_this(), next);
	pmap_context_switch(next->pmap);
	sched_switch_tail(arch_context_switch(&self->arch, &next->arch));
}

static __always_inline void sched_switch_to(struct run_queue *rq, struct thread *self,
					    struct thread *next)
{
	sched_switch_at(rq, self, next, clock_now());
}

/* Worse than what we ran (<kern/sched_switch.h>). */
void sched_handoff_lowered(struct run_queue *rq, int pri)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (runq_highest(rq) > pri)
		cpu_this()->ast |= AST_PREEMPT;
}

/*
 * The switch of a handoff (interrupts off, no lock held, next off every
 * run queue and ours to run; neither is an idle thread: idle threads
 * never wait nor hand off, so the CPU stays busy and its tick armed). No
 * clock read, and the quantum goes on: the CPU's time not yet charged
 * (since self->run_start) goes on with it to next, and whoever runs at the
 * next tick, or leaves the CPU through sched_switch_at(), is charged for
 * it. So the threads of an RPC are charged by sampling at the tick, as
 * user time always is (Documentation/threads-and-scheduler.rst, "Time").
 */
static __always_inline void sched_switch_handoff(struct run_queue *rq, struct thread *self,
						 struct thread *next)
{
	int pri = next->sched_pri, was = rq->active_pri;

	if (unlikely(next->continuation && !next->kstack_foreign)) {
		sched_switch_to(rq, self, next);
		return;
	}
	next->run_start = self->run_start;
	next->last_cpu = rq->cpu;
	next->switches_in++;
	rq->switches++;
	if (unlikely(pri != was)) {
		WRITE_ONCE(rq->active_pri, pri);
		if (pri < was)
			sched_handoff_lowered(rq, pri);
	}
	cpu_set_active_thread(cpu_this(), next);
	/*
	 * The running thread's pmap is the CPU's (pmap_context_switch() at
	 * every switch, vm_map_switch()): the same one, nothing to do;
	 * another, a switch without pmap_context_switch()'s look at the CPU's.
	 */
	if (next->pmap != self->pmap)
		pmap_switch_irqs_off(next->pmap);
	sched_switch_tail(arch_context_switch(&self->arch, &next->arch));
}

/*
 * Pick what this CPU runs after self and switch to it (interrupts off, no
 * lock held). reason: SCHED_BLOCK when self may not go on (it waits,
 * stops, ends or must move), SCHED_PREEMPT to switch only to something
 * better, SCHED_YIELD to let an equal priority run too.
 */
void sched_reschedule(struct thread *self, int reason)
{
	struct run_queue *rq = this_rq();
	bool runnable = reason != SCHED_BLOCK &&
			!(READ_ONCE(self->state) & (TH_SUSP | TH_HALTED | TH_IDLE)) &&
			(self->bound_cpu < 0 || self->bound_cpu == (int)rq->cpu);
	struct thread *next = NULL;
	int best;

	__spin_acquire(&rq->lock);
	best = runq_highest(rq);
	if (runnable) {
		int pri = self->sched_pri;

		if (best < pri ||
		    (best == pri && reason == SCHED_PREEMPT && clock_now() < rq->quantum_end)) {
			__spin_release(&rq->lock);
			return;
		}
		if (reason == SCHED_PREEMPT && best > pri && clock_now() < rq->quantum_end)
			ts_set(self, TS_PREEMPTED);
	}
	if (best >= 0) {
		next = rq->head[best];
		runq_remove(rq, next);
		/*
		 * Publish the priority we are about to run under the lock that
		 * wakers take (sched_setrun_at): one that queues a better thread
		 * from now on sees it and kicks, instead of comparing against the
		 * thread we are leaving and leaving its thread queued behind ours.
		 */
		WRITE_ONCE(rq->active_pri, next->sched_pri);
	} else {
		/*
		 * Nothing queued and self leaves: from here on this CPU is idle
		 * to a waker (a steal below publishes its thread's priority in
		 * sched_switch_to()). Left at self's priority until the switch,
		 * a waker queueing a thread no better than self here would not
		 * kick, and nothing would look at this queue again: the idle
		 * thread, when the switch resumes it inside an interrupt it took
		 * between enabling interrupts and halting, goes back to the halt.
		 */
		WRITE_ONCE(rq->active_pri, -1);
	}
	__spin_release(&rq->lock);

	if (!next && !runnable)
		next = sched_steal(rq);
	if (!next)
		next = runnable ? self : rq->idle;
	if (next != self)
		sched_switch_to(rq, self, next);
}

static __always_inline bool runq_take(struct thread *t)
{
	int cpu = READ_ONCE(t->runq_cpu);
	struct run_queue *rq;
	bool taken = false;

	if (cpu < 0)
		return false;
	rq = cpu_rq((unsigned int)cpu);
	__spin_acquire(&rq->lock);
	if (t->runq_cpu == cpu) {
		runq_remove(rq, t);
		taken = true;
	}
	__spin_release(&rq->lock);
	return taken;
}

bool sched_runq_take(struct thread *t)
{
	return runq_take(t);
}

static __always_inline bool handoff_take(struct thread *next)
{
	if (next->bound_cpu >= 0 && next->bound_cpu != (int)cpu_number())
		return false;
	return runq_take(next);
}

bool sched_handoff_take(struct thread *next)
{
	return handoff_take(next);
}

/*
 * The switch of a handoff: next is off every run queue and ours to run.
 * TS_BLOCKING is set without our lock: the CPU switching away from us
 * reads it with TH_WAIT under that lock, and a wait that ended meanwhile
 * (TH_WAIT clear) just requeues us, as a wait that had ended before.
 */
static __always_inline wait_result_t sched_handoff_at(struct thread *self, struct thread *next)
{
	wait_result_t result;

	ts_set(self, TS_BLOCKING);
	sched_switch_handoff(this_rq(), self, next);
	ts_clear(self, TS_BLOCKING);
	result = self->wait_result;
	self->wait_result = THREAD_AWAKENED;
	return result;
}

wait_result_t sched_handoff(struct thread *self, struct thread *next)
{
	return sched_handoff_at(self, next);
}

/*
 * The RPC's wait and switch in one (<kern/sched_prim.h>), with the switch
 * inline: the common case, a parked wait without a deadline, declared
 * here without our lock (kernel/sched_internal.h): the wait fields are
 * ours while TH_WAIT is clear, and the atomic or that sets it publishes
 * them. Whoever could end the wait before the switch (a sender, which
 * takes `lock` first; thread_interrupt() and the like, under our lock)
 * finds TH_RUN still set and only clears TH_WAIT, and the switch's tail
 * then requeues us. TH_ABORT set meanwhile: the wait ends at once, as
 * thread_wait_locked() ends it. A deadline goes through
 * thread_park_handoff_slow(). The switch is thread_park_switch_inline()
 * (<kern/sched_switch.h>), which the IPC fast path inlines too.
 */
wait_result_t thread_park_handoff(event_t event, uint64_t deadline, spinlock_t *lock,
				  struct thread *next)
{
	struct thread *self = current_thread();

	if (unlikely(deadline || (READ_ONCE(self->state) & (TH_WAIT | TH_ABORT))))
		return thread_park_handoff_slow(event, deadline, lock, next);
	thread_park_declare(self, event);
	/* Preemption stays off (the claim's) until the switch: no check here. */
	spin_unlock(lock);
	return thread_park_switch_inline(self, next);
}

wait_result_t thread_park_switch(struct thread *self, struct thread *next)
{
	return thread_park_switch_inline(self, next);
}

/*
 * The claimed handoff (thread_handoff_claimed()): next was claimed by
 * clear_wait_claim(). self has declared its wait: TS_BLOCKING tells the
 * switch's tail to take it off the CPUs unless that wait has ended.
 */
wait_result_t sched_handoff_claimed(struct thread *self, struct thread *next)
{
	return sched_handoff_at(self, next);
}

/* ------------------------------------------------------------------------
 * Preemption
 */

/*
 * Preempt the current thread if it is due and allowed (interrupts off).
 * Again after coming back: the switch that brought us back may itself
 * have made something runnable here (a thread it requeued).
 */
static void sched_preempt_locked(void)
{
	struct thread *self = current_thread();
	struct cpu_data *cd;

	while (((cd = cpu_this())->ast & AST_PREEMPT) && !self->preempt_count &&
	       !cd->irq_depth) {
		cd->ast &= ~AST_PREEMPT;
		sched_reschedule(self, SCHED_PREEMPT);
	}
}

void preempt_schedule(void)
{
	unsigned long flags;

	/* Not inside an interrupts-off section: it may hold raw locks. */
	if (!arch_irqs_enabled())
		return;
	flags = arch_irq_save();
	sched_preempt_locked();
	arch_irq_restore(flags);
}

/* Does this CPU have something better to run than what it runs? */
static bool sched_should_preempt(struct run_queue *rq, struct thread *self)
{
	int best = runq_highest(rq);

	/* An idle CPU always looks: the work may be on another CPU's queue. */
	if (self->state & TH_IDLE)
		return true;
	return best > self->sched_pri || (READ_ONCE(self->state) & TH_SUSP) ||
	       (self->bound_cpu >= 0 && self->bound_cpu != (int)rq->cpu);
}

void sched_priority_changed(struct thread *t)
{
	struct run_queue *rq = this_rq();

	if (t == current_thread()) {
		WRITE_ONCE(rq->active_pri, t->sched_pri);
		if (sched_should_preempt(rq, t))
			cpu_this()->ast |= AST_PREEMPT;
	} else if (READ_ONCE(t->runq_cpu) < 0 && (READ_ONCE(t->state) & TH_RUN)) {
		/* Running elsewhere: that CPU compares it with its queue. */
		sched_kick(READ_ONCE(t->last_cpu));
	}
}

/* irq_exit(), on the way out of the outermost interrupt. */
static void sched_irq_preempt(void)
{
	sched_preempt_locked();
}

static void sched_ipi(unsigned int kind)
{
	struct run_queue *rq = this_rq();
	struct thread *self = current_thread();

	if (!sched_cpu_active(rq->cpu))
		return;
	if (sched_should_preempt(rq, self))
		cpu_this()->ast |= AST_PREEMPT;
}

/* Wake an idle CPU to steal from this busy one. */
static void sched_balance(struct run_queue *rq)
{
	unsigned long idle = __atomic_load_n(&sched_idle_mask, __ATOMIC_RELAXED) &
			     __atomic_load_n(&sched_active_mask, __ATOMIC_RELAXED);

	if (READ_ONCE(rq->count) && idle)
		arch_send_ipi((unsigned int)__builtin_ctzl(idle), IPI_RESCHEDULE);
}

/*
 * The timeslice clock of a busy CPU: charge the running thread, let its
 * priority decay, and end its quantum if a thread of the same or higher
 * priority waits.
 */
static void sched_tick(struct timer_call *tc, void *arg)
{
	struct run_queue *rq = this_rq();
	struct thread *self = current_thread();
	uint64_t now = clock_now();
	int best;

	if (self->state & TH_IDLE) {
		rq->tick_armed = false;
		return;
	}
	self->cpu_usage += now - self->run_start;
	self->total_time += now - self->run_start;
	/*
	 * User or system time, at tick granularity as in Mach: the time
	 * charged now goes to the mode the tick interrupted (the rest of
	 * total_time is system time, thread_info()).
	 */
	if (irq_from_user())
		self->user_time += now - self->run_start;
	self->run_start = now;
	__spin_acquire(&self->lock);
	sched_update_pri(self, now);
	__spin_release(&self->lock);
	WRITE_ONCE(rq->active_pri, self->sched_pri);

	best = runq_highest(rq);
	if (best > self->sched_pri || (best == self->sched_pri && now >= rq->quantum_end) ||
	    (READ_ONCE(self->state) & TH_SUSP))
		cpu_this()->ast |= AST_PREEMPT;
	sched_balance(rq);
	timer_call_enter(tc, now + SCHED_TICK_PERIOD_NS);
}

/* ------------------------------------------------------------------------
 * Yield, thread_switch, depression
 */

void thread_yield(void)
{
	unsigned long flags = arch_irq_save();

	sched_reschedule(current_thread(), SCHED_YIELD);
	arch_irq_restore(flags);
	sched_check_preempt();
}

static void thread_depress_end(struct thread *t)
{
	if (t->sched_flags & TS_DEPRESSED) {
		ts_clear(t, TS_DEPRESSED);
		sched_set_pri(t, sched_compute_pri(t));
		if (t == current_thread())
			WRITE_ONCE(this_rq()->active_pri, t->sched_pri);
	}
}

static void thread_depress_expire(struct timer_call *tc, void *arg)
{
	struct thread *t = arg;

	__spin_acquire(&t->lock);
	thread_depress_end(t);
	__spin_release(&t->lock);
	if (t == current_thread() && sched_should_preempt(this_rq(), t))
		cpu_this()->ast |= AST_PREEMPT;
}

void sched_thread_init(struct thread *t)
{
	timer_call_init(&t->depress_timer, thread_depress_expire, t);
}

kern_return_t thread_depress_abort(struct thread *t)
{
	unsigned long flags = arch_irq_save();
	kern_return_t kr = KERN_NOT_DEPRESSED;

	timer_call_cancel(&t->depress_timer);
	__spin_acquire(&t->lock);
	if (t->sched_flags & TS_DEPRESSED) {
		thread_depress_end(t);
		kr = KERN_SUCCESS;
	}
	__spin_release(&t->lock);
	arch_irq_restore(flags);
	sched_check_preempt();
	return kr;
}

static void thread_depress(struct thread *self, unsigned int ms)
{
	__spin_acquire(&self->lock);
	ts_set(self, TS_DEPRESSED);
	self->sched_pri = DEPRESSPRI;
	__spin_release(&self->lock);
	WRITE_ONCE(this_rq()->active_pri, DEPRESSPRI);
	timer_call_enter(&self->depress_timer, clock_now() + ms * NSEC_PER_MSEC);
}

kern_return_t thread_switch(struct thread *hint, int option, unsigned int option_ms)
{
	struct thread *self = current_thread();
	unsigned long flags;

	if (option != SWITCH_OPTION_NONE && option != SWITCH_OPTION_DEPRESS &&
	    option != SWITCH_OPTION_WAIT)
		return KERN_INVALID_ARGUMENT;
	if (hint == self)
		hint = NULL;
	if (option == SWITCH_OPTION_WAIT)
		assert_wait_timeout(&self->wait_timer, THREAD_UNINT,
				    (uint64_t)option_ms * NSEC_PER_MSEC);

	flags = arch_irq_save();
	if (option == SWITCH_OPTION_DEPRESS)
		thread_depress(self, option_ms);
	if (hint && handoff_take(hint)) {
		if (option == SWITCH_OPTION_WAIT) {
			__spin_acquire(&self->lock);
			if (self->state & TH_WAIT)
				ts_set(self, TS_BLOCKING);
			__spin_release(&self->lock);
		}
		sched_switch_to(this_rq(), self, hint);
		if (option == SWITCH_OPTION_WAIT) {
			ts_clear(self, TS_BLOCKING);
			self->wait_result = THREAD_AWAKENED;
		}
		arch_irq_restore(flags);
	} else {
		arch_irq_restore(flags);
		if (option == SWITCH_OPTION_WAIT)
			thread_block(NULL);
		else
			thread_yield();
	}
	if (unlikely(READ_ONCE(cpu_this()->ast) & AST_PREEMPT))
		preempt_schedule();
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Idle threads and bootstrap
 */

/*
 * How long an idle CPU watches its run queue before it halts, when other
 * CPUs run (sched.idle_poll_us on the command line; 0: halt at once). A
 * virtual CPU that halts is a host thread that sleeps: the IPI that wakes
 * it makes the host schedule it, and on a busy host the sender's own
 * thread often waits meanwhile, holding the locks of the wakeup; a round
 * trip between two CPUs (a fault and its pager) then took milliseconds.
 * Watching for a while, as guests' halt polling does (Linux's haltpoll:
 * 200 us), catches the answers that come soon; the IPIs are still sent.
 */
static unsigned long sched_idle_poll_ns = 200 * NSEC_PER_USEC;

/* Watch our queue for sched_idle_poll_ns (interrupts on): until work comes or the time is up. */
static void sched_idle_poll(struct run_queue *rq)
{
	uint64_t end = clock_now() + sched_idle_poll_ns;

	arch_irq_enable();
	while (!READ_ONCE(rq->count) && clock_now() < end)
		arch_cpu_relax();
	arch_irq_disable();
}

/*
 * The idle thread of a CPU: look for work with interrupts off, else poll
 * for a while (sched_idle_poll()) and halt with them on. A wakeup aimed
 * at this CPU arrives as an interrupt whose irq_exit() switches away from
 * here, so none is lost between the look and the halt.
 */
static void __noreturn sched_idle_loop(void)
{
	struct thread *self = current_thread();

	struct run_queue *rq;

	for (;;) {
		arch_irq_disable();
		cpu_this()->ast &= ~AST_PREEMPT;
		sched_reschedule(self, SCHED_BLOCK);
		/*
		 * Back from running threads, the last switch may have queued
		 * one here (the thread it left, woken meanwhile): look again
		 * rather than halt over it.
		 */
		rq = this_rq();
		/* Alone, nothing but an interrupt can bring work: halt at once. */
		if (sched_idle_poll_ns && !READ_ONCE(rq->count) &&
		    (__atomic_load_n(&sched_active_mask, __ATOMIC_RELAXED) & ~(1UL << rq->cpu)))
			sched_idle_poll(rq);
		if ((cpu_this()->ast & AST_PREEMPT) || READ_ONCE(rq->count)) {
			arch_irq_enable();
			continue;
		}
		arch_idle();	/* enables interrupts as it waits */
	}
}

static void sched_idle_continue(void *parameter, wait_result_t result)
{
	sched_idle_loop();
}

static void sched_cpu_activate(struct run_queue *rq, struct thread *idle)
{
	rq->idle = idle;
	idle->bound_cpu = (int)rq->cpu;
	idle->last_cpu = rq->cpu;
	timer_call_init(&rq->tick, sched_tick, NULL);
	__atomic_or_fetch(&sched_active_mask, 1UL << rq->cpu, __ATOMIC_RELEASE);
}

/*
 * A secondary CPU, once online (cpu_secondary_hook): the flow that brought
 * it up becomes its idle thread, on the stack it came up on.
 */
static void __noreturn sched_secondary_start(void)
{
	unsigned int cpu = cpu_number();
	struct run_queue *rq = this_rq();
	struct thread *idle;

	arch_irq_disable();
	runq_init(rq, cpu);
	idle = thread_alloc_idle(cpu, false);
	if (!idle)
		panic("sched: no idle thread for CPU%u", cpu);
	idle->run_start = clock_now();
	cpu_set_active_thread(cpu_this(), idle);
	__atomic_or_fetch(&sched_idle_mask, 1UL << cpu, __ATOMIC_RELAXED);
	sched_cpu_activate(rq, idle);
	sched_idle_loop();
}

void sched_bootstrap(void)
{
	struct run_queue *rq = this_rq();
	struct thread *self = current_thread();
	struct thread *idle;
	unsigned long flags;

	BUILD_BUG_ON(MAX_CPUS > 8 * sizeof(unsigned long));
	runq_init(rq, 0);
	idle = thread_alloc_idle(0, true);
	if (!idle)
		panic("sched: no idle thread for CPU0");
	idle->continuation = sched_idle_continue;
	sched_prim_bootstrap();

	flags = arch_irq_save();
	sched_cpu_activate(rq, idle);
	self->run_start = clock_now();
	rq->active_pri = self->sched_pri;
	rq->quantum_end = self->run_start + SCHED_QUANTUM_NS;
	rq->tick_armed = true;
	timer_call_enter(&rq->tick, self->run_start + SCHED_TICK_PERIOD_NS);
	arch_irq_restore(flags);

	thread_reaper_start();
	smp_ipi_register(IPI_RESCHEDULE, sched_ipi);
	sched_idle_poll_ns = cmdline_get_ulong("sched.idle_poll_us",
					       sched_idle_poll_ns / NSEC_PER_USEC) * NSEC_PER_USEC;
	cpu_secondary_hook = sched_secondary_start;
	irq_preempt_hook = sched_irq_preempt;
	pr_info("sched: %d priorities, quantum %llu ms, run queues per CPU\n", NRQS,
		(unsigned long long)(SCHED_QUANTUM_NS / NSEC_PER_MSEC));
}
