/* SPDX-License-Identifier: MIT */
/*
 * The run queue and the RPC's handoff switch, inline, for the IPC fast
 * path (ipc/mach_msg.c), which switches inside its own frame instead of
 * calling into the scheduler: Documentation/threads-and-scheduler.rst,
 * "The RPC's handoff", and Documentation/ipc.rst, "The fast path".
 * Nothing but kernel/sched*.c and that path should need it: everything
 * else goes through <kern/sched_prim.h>.
 */
#ifndef _KERN_SCHED_SWITCH_H
#define _KERN_SCHED_SWITCH_H

#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/lock.h>
#include <kern/lock_debug.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <kern/timer.h>

#define RQ_WORDS	(NRQS / 64)

struct run_queue {
	spinlock_t		lock;		/* raw, interrupts off */
	uint64_t		bitmap[RQ_WORDS];	/* bit p: queue p not empty */
	struct thread		*head[NRQS], *tail[NRQS];
	unsigned int		count;		/* threads queued */
	int			active_pri;	/* the running thread's, -1 idle */
	unsigned int		cpu;

	/* This CPU only (interrupts off): */
	struct thread		*idle;
	uint64_t		quantum_end;
	bool			tick_armed;
	struct timer_call	tick;
	unsigned long		switches;
	unsigned long		steals;
};

DECLARE_PER_CPU(struct run_queue, sched_runq);

/* This CPU's run queue, from its cpu_data (interrupts or preemption off). */
static inline struct run_queue *cpu_data_rq(struct cpu_data *cd)
{
	return (struct run_queue *)((uintptr_t)&sched_runq + cd->percpu_offset);
}

/*
 * The thread of an arch_thread: what arch_context_switch() returns, the
 * thread the CPU has just left (arch is the first field: no arithmetic).
 */
static __always_inline struct thread *sched_arch_thread(struct arch_thread *at)
{
	return container_of(at, struct thread, arch);
}

/* thread->sched_flags */
#define TS_BLOCKING	0x01	/* in thread_block(): off the CPU means waiting */
#define TS_DEPRESSED	0x02	/* SWITCH_OPTION_DEPRESS in force */
#define TS_PREEMPTED	0x04	/* self: taken off by a higher priority (requeue at head) */
#define TS_STATIC	0x08	/* thread 0 and the idle threads: never freed */
#define TS_FIXPRI	0x10	/* fixed priority: no decay (thread_set_timeshare()) */

/*
 * sched_flags change under the thread's lock, or by the thread itself
 * without it: atomically, either way.
 */
static inline void ts_set(struct thread *t, unsigned int f)
{
	__atomic_or_fetch(&t->sched_flags, f, __ATOMIC_RELAXED);
}

static inline void ts_clear(struct thread *t, unsigned int f)
{
	__atomic_and_fetch(&t->sched_flags, ~f, __ATOMIC_RELAXED);
}

/*
 * Does t (state: its state word, loaded) leave its CPU blocked: in
 * thread_block() (TS_BLOCKING), or with a parked wait declared by
 * thread_park_declare() (TH_LEAVING, in the state word: set by the
 * declare's or and cleared by whoever ends the wait, so the RPC's switch
 * sets and clears no flag of its own)? Only with TH_WAIT does it stay off
 * the run queues.
 */
static inline bool sched_blocking(const struct thread *t, unsigned int state)
{
	return (t->sched_flags & TS_BLOCKING) || (state & TH_LEAVING);
}

/*
 * kernel/sched.c, what the inline switch leaves out of line:
 * sched_handoff(self, next), the handoff switch in full, returns self's
 * wait result (TS_BLOCKING: it leaves the CPUs if it waits).
 */
wait_result_t sched_handoff(struct thread *self, struct thread *next);
void sched_switch_tail_slow(struct thread *prev);
/*
 * sched_handoff_lowered(rq, pri): the CPU of rq now runs priority pri,
 * lower than before: a waker that queued something better than pri but
 * not than the thread we ran, before it could see pri, did not kick us;
 * look (as sched_switch_at() does).
 */
void sched_handoff_lowered(struct run_queue *rq, int pri);

/*
 * After a switch, on the new thread's stack (interrupts off): prev, the
 * thread this CPU left, blocked with its stack in a parked wait
 * (TH_LEAVING, nothing else pending: every RPC's case) loses TH_RUN by
 * one compare-and-swap; anything else (thread_block()'s TS_BLOCKING too)
 * is sched_switch_tail_slow()'s (kernel/sched.c), out of line. A
 * TH_LEAVING thread has no continuation (only thread_block() sets one,
 * and a thread that runs has none: thread_park_declare() is called
 * running), which a test kernel checks. The state is compared whole,
 * the RPC's every case (thread_park_declare()'s wait on a running
 * thread): the swap is the test, no load before it; a parked wait with
 * other bits too (TH_ABORT, TH_TIMER, TH_UNINT) is the slow way's first
 * test.
 */
static __always_inline void sched_switch_tail_prev(struct thread *prev)
{
	unsigned int state = TH_RUN | TH_WAIT | TH_PARKED | TH_LEAVING;

	if (IS_ENABLED(CONFIG_KTEST))
		assert(!(__atomic_load_n(&prev->state, __ATOMIC_RELAXED) & TH_LEAVING) ||
		       !prev->continuation);
	if (likely(__atomic_compare_exchange_n(&prev->state, &state, state & ~TH_RUN, false,
					       __ATOMIC_RELEASE, __ATOMIC_RELAXED)))
		return;
	sched_switch_tail_slow(prev);
}

/*
 * thread_park_switch() (<kern/sched_prim.h>) inline: self has declared
 * its parked wait (thread_park_declare(): TH_LEAVING, so no TS_BLOCKING
 * here) and holds one preemption count,
 * the claim of next; next is claimed (off every CPU, TH_RUN, ours to
 * run). The common case is switched here, in the caller's frame: next
 * has its stack, so the switch is a few stores (sched_switch_handoff()'s,
 * kernel/sched.c), arch_context_switch() and, back in self, the tail that
 * takes TH_RUN from the thread this CPU left. A thread to give a stack
 * first is sched_handoff()'s. Returns the wait's result.
 * thread_park_switch_on(self, next, cd, to_user): the same with cd, this
 * CPU's cpu_data, read by the caller since it holds the claim's count (the
 * per-CPU base is a volatile load: the IPC fast path's claim reads it
 * too). to_user: a constant, true on the IPC fast path's user-buffer
 * copy, whose caller is a trap going back to user mode: its way out
 * looks at this CPU's ASTs with interrupts off, so there is no look here
 * (an AST_PREEMPT set while our interrupts were off preempts us there, a
 * few dozen instructions later; one set after, at the interrupt's exit
 * as always). A kernel test that calls that copy from a kernel thread is
 * preempted at its next preemption point or tick instead.
 */
static __always_inline wait_result_t thread_park_switch_on(struct thread *self,
							    struct thread *next,
							    struct cpu_data *cd, bool to_user)
{
	struct run_queue *rq = cpu_data_rq(cd);
	struct arch_thread *prev;
	wait_result_t result;
	unsigned int ast;
	int pri, was;

	/*
	 * A thread that blocks has interrupts on (a trap's, or a kernel
	 * thread's: each turns them on at its start), so no flags are saved
	 * (pushf, pop and a test on x86_64): off here, on again below.
	 */
	if (IS_ENABLED(CONFIG_KTEST))
		assert(arch_irqs_enabled());
	arch_irq_disable();
	self->preempt_count--;	/* the claim's: interrupts keep us here now */
	lock_debug_check_block();
	/*
	 * Two rare cases, one test: in an interrupt handler (a bug), or next
	 * without a stack of its own (a continuation).
	 */
	if (unlikely(cd->irq_depth | (uintptr_t)next->continuation)) {
		if (READ_ONCE(cd->irq_depth))	/* loaded again: no copy kept */
			panic("thread_block() in an interrupt handler");
		if (!next->kstack_foreign) {
			result = sched_handoff(self, next);
			cd = cpu_this();
			goto out;
		}
	}
	pri = next->sched_pri;
	was = rq->active_pri;
	if (pri != was) {
		WRITE_ONCE(rq->active_pri, pri);
		if (pri < was)
			sched_handoff_lowered(rq, pri);
	}
	next->run_start = self->run_start;	/* the quantum goes on */
	next->last_cpu = rq->cpu;
	next->switches_in++;
	rq->switches++;
	cpu_set_active_thread(cd, next);
	if (next->pmap != self->pmap)
		pmap_switch_irqs_off(next->pmap);
	prev = arch_context_switch(&self->arch, &next->arch);
	/* Back in self, maybe on another CPU, which has just left prev. */
	sched_switch_tail_prev(sched_arch_thread(prev));
	result = self->wait_result;
	self->wait_result = THREAD_AWAKENED;
	if (to_user) {
		arch_irq_enable();
		return result;
	}
	cd = cpu_this();
out:
	/*
	 * Looked at before interrupts are back on, with the CPU we are on: an
	 * interrupt that asks for a preemption after that preempts us at its
	 * own exit (irq_exit()), as our count is 0.
	 */
	ast = READ_ONCE(cd->ast);
	arch_irq_enable();
	if (unlikely(ast & AST_PREEMPT))
		preempt_schedule();
	return result;
}

static __always_inline wait_result_t thread_park_switch_inline(struct thread *self,
								struct thread *next)
{
	return thread_park_switch_on(self, next, cpu_this(), false);
}

#endif /* _KERN_SCHED_SWITCH_H */
