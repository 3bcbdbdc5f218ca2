/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the thread, scheduler, wait/wakeup and lock suites.
 * Their threads never call KTEST_ASSERT (it would leave the case on the
 * wrong stack): they record what they saw, and the case checks it.
 */
#ifndef _KERNEL_SCHED_TEST_UTIL_H
#define _KERNEL_SCHED_TEST_UTIL_H

#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <kern/timer.h>

/* The case's own thread runs real time on one CPU: nothing decays it. */
#define TEST_PRI	(BASEPRI_RTQUEUES + 10)

static inline int sched_test_suite_init(struct ktest_suite *suite)
{
	thread_set_priority(current_thread(), TEST_PRI);
	thread_bind(current_thread(), (int)cpu_number());
	return 0;
}

static inline void sched_test_suite_exit(struct ktest_suite *suite)
{
	thread_bind(current_thread(), -1);
	thread_set_priority(current_thread(), BASEPRI_KERNEL);
}

/* The CPUs the scheduler runs on now. */
static inline unsigned int sched_test_cpus(void)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		n += sched_cpu_active(cpu);
	return n;
}

/* The i-th active CPU other than this one (wrapping), or this one. */
static inline int sched_test_other_cpu(unsigned int i)
{
	unsigned int here = cpu_number(), cpu, seen = 0, n = sched_test_cpus();

	if (n < 2)
		return (int)here;
	i %= n - 1;
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!sched_cpu_active(cpu) || cpu == here)
			continue;
		if (seen++ == i)
			return (int)cpu;
	}
	return (int)here;
}

/* A thread bound to `cpu` (-1: anywhere), not started: thread_resume() starts it. */
static inline struct thread *sched_test_thread_suspended(void (*fn)(void *), void *arg,
							 int pri, const char *name, int cpu)
{
	struct thread *t = kernel_thread_create_suspended(fn, arg, pri, name);

	if (t && cpu >= 0)
		thread_bind(t, cpu);
	return t;
}

/* A thread bound to `cpu` (-1: anywhere), started. */
static inline struct thread *sched_test_thread(void (*fn)(void *), void *arg, int pri,
					       const char *name, int cpu)
{
	struct thread *t = sched_test_thread_suspended(fn, arg, pri, name, cpu);

	if (t)
		thread_resume(t);
	return t;
}

/*
 * The deadlines below catch hangs; they do not measure speed. A guest whose
 * vCPUs the host deschedules (4 vCPUs on 2 busy cores) can take seconds for
 * what takes milliseconds on a quiet machine, so each is stretched by this.
 */
#define SCHED_TEST_SLACK	10

static inline uint64_t sched_test_deadline(uint64_t timeout_ns)
{
	return clock_now() + SCHED_TEST_SLACK * timeout_ns;
}

/* Poll until t has ended, for at most timeout_ns (times the slack). */
static inline bool sched_test_join(struct thread *t, uint64_t timeout_ns)
{
	uint64_t end = sched_test_deadline(timeout_ns);

	while ((thread_get_state(t) & (TH_HALTED | TH_RUN)) != TH_HALTED) {
		if (clock_now() > end)
			return false;
		thread_delay(NSEC_PER_MSEC);
	}
	return thread_join(t) == THREAD_AWAKENED;
}

/*
 * Poll until t has ended, as long as it makes progress: false when the
 * counter *progress has not moved for stall_ns while t still runs. What a
 * stress case must tell apart is a stall (a lost wakeup, a deadlock) from
 * slowness, and on an oversubscribed host (vCPUs descheduled while they
 * hold a lock) a contended case can take many times its usual time.
 */
static inline bool sched_test_join_progress(struct thread *t, const unsigned long *progress,
					    uint64_t stall_ns)
{
	unsigned long seen = __atomic_load_n(progress, __ATOMIC_RELAXED), now_seen;
	uint64_t last = clock_now();

	while ((thread_get_state(t) & (TH_HALTED | TH_RUN)) != TH_HALTED) {
		now_seen = __atomic_load_n(progress, __ATOMIC_RELAXED);
		if (now_seen != seen) {
			seen = now_seen;
			last = clock_now();
		} else if (clock_now() - last > stall_ns) {
			return false;
		}
		thread_delay(NSEC_PER_MSEC);
	}
	return thread_join(t) == THREAD_AWAKENED;
}

/* Poll until *p == v (an int), for at most timeout_ns (times the slack). */
static inline bool sched_test_wait_eq(const int *p, int v, uint64_t timeout_ns)
{
	uint64_t end = sched_test_deadline(timeout_ns);

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != v) {
		if (clock_now() > end)
			return false;
		thread_delay(NSEC_PER_MSEC);
	}
	return true;
}

/* Poll until t is off its CPU and waiting (blocked): timeout_ns, times the slack. */
static inline bool sched_test_wait_blocked(struct thread *t, uint64_t timeout_ns)
{
	uint64_t end = sched_test_deadline(timeout_ns);

	while ((thread_get_state(t) & (TH_WAIT | TH_RUN)) != TH_WAIT) {
		if (clock_now() > end)
			return false;
		thread_delay(NSEC_PER_MSEC);
	}
	return true;
}

#endif /* _KERNEL_SCHED_TEST_UTIL_H */
