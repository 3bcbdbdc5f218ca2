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
 */
#ifndef _KERNEL_SCHED_INTERNAL_H
#define _KERNEL_SCHED_INTERNAL_H

#include <kern/thread.h>

/* thread->sched_flags */
#define TS_BLOCKING	0x01	/* in thread_block(): off the CPU means waiting */
#define TS_DEPRESSED	0x02	/* SWITCH_OPTION_DEPRESS in force */
#define TS_PREEMPTED	0x04	/* self: taken off by a higher priority (requeue at head) */
#define TS_STATIC	0x08	/* thread 0 and the idle threads: never freed */

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
int sched_compute_pri(struct thread *t);	/* t->lock held */
void sched_update_pri(struct thread *t, uint64_t now);
void sched_check_preempt(void);			/* preempt now if due and allowed */

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
void sched_handoff(struct thread *self, struct thread *next);

/* sched_prim.c */
void sched_prim_bootstrap(void);
void thread_timer_init(struct thread *t);

#endif /* _KERNEL_SCHED_INTERNAL_H */
