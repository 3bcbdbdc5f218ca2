/* SPDX-License-Identifier: MIT */
/*
 * The scheduler.
 *
 * 128 priorities, 0 the lowest (only the idle threads run there) and 127
 * the highest. Every CPU has its own run queue: a FIFO per priority and a
 * 128-bit map of the non-empty ones, so the next thread is one
 * find-first-set away. The running thread keeps its CPU until it blocks,
 * yields, or a thread of higher priority becomes runnable there; threads
 * of equal priority share the CPU in quanta of SCHED_QUANTUM_NS, ended by
 * a per-CPU timer_call.
 *
 * Priority decay, as in Mach: below BASEPRI_RTQUEUES a thread's effective
 * priority (sched_pri) is its base priority less its recent CPU usage, one
 * level per SCHED_USAGE_PER_PRI of usage, at most SCHED_DECAY_MAX levels.
 * Usage is aged by 5/8 every SCHED_TICK_NS, so a thread that sleeps gets
 * its priority back, and a CPU hog sinks below the threads that wait.
 * Real-time priorities (BASEPRI_RTQUEUES and above) do not decay, nor does
 * a thread with timesharing off (thread_set_timeshare(): Mach's fixed
 * priority, XNU's THREAD_EXTENDED_POLICY).
 *
 * Placement: a thread made runnable goes to the CPU it is bound to, else
 * to the least loaded online CPU (its last CPU on a tie). A CPU with
 * nothing to run steals from the others before it idles. A CPU that gets a
 * thread of higher priority than the one it runs is told by
 * IPI_RESCHEDULE.
 */
#ifndef _KERN_SCHED_H
#define _KERN_SCHED_H

#include <kern/thread.h>

#define NRQS			128
#define MAXPRI			(NRQS - 1)
#define MINPRI			0
#define IDLEPRI			0	/* the idle threads only */
#define DEPRESSPRI		MINPRI	/* SWITCH_OPTION_DEPRESS */

#define BASEPRI_USER		31	/* a user thread's base priority */
#define MAXPRI_USER		63	/* the most a user thread may ask for */
#define BASEPRI_KERNEL		80	/* kernel threads, the boot thread */
#define MAXPRI_KERNEL		95
#define BASEPRI_RTQUEUES	96	/* real time: no decay */

#define SCHED_QUANTUM_NS	(10 * NSEC_PER_MSEC)
#define SCHED_TICK_NS		(100 * NSEC_PER_MSEC)
#define SCHED_USAGE_PER_PRI	(5 * NSEC_PER_MSEC)
#define SCHED_DECAY_MAX		24

/*
 * Set up the run queues, CPU 0's idle thread and quantum timer, and the
 * IPI and preemption hooks. After it, the boot thread is an ordinary
 * thread and the caller may enable interrupts.
 */
void sched_bootstrap(void);

/* Give the CPU to another runnable thread of the same or higher priority. */
void thread_yield(void);

/*
 * Mach's thread_switch(): give the CPU away, preferably to `hint` (a
 * runnable thread that may run on this CPU: it runs next, whatever its
 * priority), else as thread_yield(). Options:
 *   SWITCH_OPTION_NONE     stay runnable
 *   SWITCH_OPTION_DEPRESS  run at DEPRESSPRI for option_ms (or until
 *                          thread_depress_abort())
 *   SWITCH_OPTION_WAIT     block for option_ms
 * KERN_INVALID_ARGUMENT for an unknown option.
 */
#define SWITCH_OPTION_NONE	0
#define SWITCH_OPTION_DEPRESS	1
#define SWITCH_OPTION_WAIT	2
kern_return_t thread_switch(struct thread *hint, int option, unsigned int option_ms);

/* End a depression early. KERN_NOT_DEPRESSED if t was not depressed. */
kern_return_t thread_depress_abort(struct thread *t);

/* Statistics, for tests and benchmarks. */
unsigned long sched_context_switches(unsigned int cpu);
unsigned int sched_runq_count(unsigned int cpu);	/* queued threads */
unsigned long sched_steals(unsigned int cpu);		/* threads it stole */
bool sched_cpu_active(unsigned int cpu);		/* runs the scheduler */
struct thread *sched_idle_thread(unsigned int cpu);

/* Each CPU's thread and run queue on the console (debugging). */
void sched_dump(void);

#endif /* _KERN_SCHED_H */
