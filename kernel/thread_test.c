// SPDX-License-Identifier: MIT
/*
 * ktest suite "thread": creation, termination and join, states, suspend
 * and resume, and the thread and stack counts coming back to baseline.
 */
#include <kern/kmem.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <ktest.h>
#include <kernel/sched_test_util.h>

#define SEC	NSEC_PER_SEC
#define MSEC	NSEC_PER_MSEC

static void thread_test_set_flag(void *arg)
{
	__atomic_store_n((int *)arg, 42, __ATOMIC_RELEASE);
}

static void thread_test_create_join(struct ktest *t)
{
	unsigned int threads = thread_count();
	unsigned long stacks = kmem_stacks_in_use();
	struct thread *th;
	int flag = 0;

	th = kernel_thread_create_suspended(thread_test_set_flag, &flag, BASEPRI_KERNEL, "t-flag");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_STREQ(t, thread_name(th), "t-flag");
	KTEST_EXPECT_EQ(t, thread_count(), threads + 1);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks + 1);
	KTEST_EXPECT_EQ(t, thread_resume(th), KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_EQ(t, __atomic_load_n(&flag, __ATOMIC_ACQUIRE), 42);
	KTEST_EXPECT_EQ(t, thread_get_state(th), (unsigned int)(TH_HALTED));
	/* The stack went when it left its CPU; the structure goes now. */
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks);
	thread_deallocate(th);
	KTEST_EXPECT_EQ(t, thread_count(), threads);
}

static void thread_test_count_up(void *arg)
{
	__atomic_add_fetch((int *)arg, 1, __ATOMIC_RELAXED);
}

#define MANY	24

static void thread_test_many(struct ktest *t)
{
	unsigned int threads = thread_count();
	unsigned long stacks = kmem_stacks_in_use();
	struct thread *th[MANY];
	int counter = 0, i;

	for (i = 0; i < MANY; i++) {
		th[i] = kernel_thread_create(thread_test_count_up, &counter,
					     BASEPRI_KERNEL - (i % 8), "t-many");
		KTEST_ASSERT_NOT_NULL(t, th[i]);
	}
	for (i = 0; i < MANY; i++) {
		KTEST_EXPECT_TRUE(t, sched_test_join(th[i], SEC));
		thread_deallocate(th[i]);
	}
	KTEST_EXPECT_EQ(t, __atomic_load_n(&counter, __ATOMIC_RELAXED), MANY);
	KTEST_EXPECT_EQ(t, thread_count(), threads);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks);
}

static void thread_test_bad_arguments(struct ktest *t)
{
	KTEST_EXPECT_NULL(t, kernel_thread_create(NULL, NULL, BASEPRI_KERNEL, "x"));
	KTEST_EXPECT_NULL(t, kernel_thread_create(thread_test_count_up, NULL, MAXPRI + 1, "x"));
	KTEST_EXPECT_EQ(t, thread_set_priority(current_thread(), -1), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, thread_set_priority(current_thread(), NRQS), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, thread_resume(current_thread()), KERN_FAILURE);
	KTEST_EXPECT_EQ(t, thread_bind(current_thread(), MAX_CPUS), KERN_INVALID_ARGUMENT);
}

/* Waits for its own address once, records the result. */
struct waiter {
	int		woken;
	wait_result_t	result;
};

static void thread_test_waiter(void *arg)
{
	struct waiter *w = arg;

	assert_wait(w, THREAD_UNINT);
	w->result = thread_block(NULL);
	__atomic_store_n(&w->woken, 1, __ATOMIC_RELEASE);
}

static void thread_test_states(struct ktest *t)
{
	struct waiter w = { 0, THREAD_WAITING };
	struct thread *th;

	KTEST_EXPECT_EQ(t, thread_get_state(current_thread()) & (TH_RUN | TH_WAIT), (unsigned int)(TH_RUN));

	th = kernel_thread_create_suspended(thread_test_waiter, &w, BASEPRI_KERNEL, "t-state");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_EQ(t, thread_get_state(th), (unsigned int)(TH_SUSP));	/* created, not runnable */
	thread_resume(th);
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th, SEC));
	KTEST_EXPECT_EQ(t, thread_get_state(th), (unsigned int)(TH_WAIT | TH_UNINT));
	KTEST_EXPECT_EQ(t, thread_waiters(&w), 1u);
	KTEST_EXPECT_EQ(t, w.woken, 0);

	KTEST_EXPECT_EQ(t, thread_wakeup(&w), 1u);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_EQ(t, w.woken, 1);
	KTEST_EXPECT_EQ(t, w.result, THREAD_AWAKENED);
	KTEST_EXPECT_EQ(t, thread_get_state(th), (unsigned int)(TH_HALTED));
	KTEST_EXPECT_EQ(t, thread_waiters(&w), 0u);
	thread_deallocate(th);
}

struct spinner {
	unsigned long	count;
	int		stop;
};

static void thread_test_spin(void *arg)
{
	struct spinner *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		__atomic_add_fetch(&s->count, 1, __ATOMIC_RELAXED);
}

static unsigned long spinner_count(struct spinner *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

/*
 * A spinning thread, on another CPU when there is one (then it is on its
 * CPU when suspended), else on this one below our priority (then it is
 * queued): suspended, it makes no progress; resumed, it does.
 */
static void thread_test_suspend_running(struct ktest *t)
{
	struct spinner s = { 0, 0 };
	struct thread *th;
	unsigned long c;

	th = sched_test_thread(thread_test_spin, &s, BASEPRI_KERNEL, "t-spin",
			       sched_test_other_cpu(0));
	KTEST_ASSERT_NOT_NULL(t, th);
	thread_delay(20 * MSEC);
	KTEST_EXPECT_GT(t, spinner_count(&s), 0UL);

	KTEST_EXPECT_EQ(t, thread_suspend(th), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_get_state(th) & (TH_RUN | TH_SUSP), (unsigned int)(TH_SUSP));
	c = spinner_count(&s);
	thread_delay(30 * MSEC);
	KTEST_EXPECT_EQ(t, spinner_count(&s), c);

	/* Counts nest. */
	KTEST_EXPECT_EQ(t, thread_suspend(th), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(th), KERN_SUCCESS);
	thread_delay(20 * MSEC);
	KTEST_EXPECT_EQ(t, spinner_count(&s), c);

	KTEST_EXPECT_EQ(t, thread_resume(th), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(th), KERN_FAILURE);
	thread_delay(30 * MSEC);
	KTEST_EXPECT_GT(t, spinner_count(&s), c);

	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	thread_deallocate(th);
}

/* A waiting thread that is suspended does not run when woken until resumed. */
static void thread_test_suspend_waiting(struct ktest *t)
{
	struct waiter w = { 0, THREAD_WAITING };
	struct thread *th;

	th = kernel_thread_create(thread_test_waiter, &w, BASEPRI_KERNEL, "t-susp-wait");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_ASSERT_TRUE(t, sched_test_wait_blocked(th, SEC));
	KTEST_EXPECT_EQ(t, thread_suspend(th), KERN_SUCCESS);

	KTEST_EXPECT_EQ(t, thread_wakeup(&w), 1u);
	thread_delay(20 * MSEC);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE), 0);
	KTEST_EXPECT_EQ(t, thread_get_state(th), (unsigned int)(TH_SUSP));

	KTEST_EXPECT_EQ(t, thread_resume(th), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_EQ(t, w.woken, 1);
	KTEST_EXPECT_EQ(t, w.result, THREAD_AWAKENED);
	thread_deallocate(th);
}

static void thread_test_suspend_self_fn(void *arg)
{
	int *stage = arg;

	__atomic_store_n(stage, 1, __ATOMIC_RELEASE);
	thread_suspend(current_thread());
	__atomic_store_n(stage, 2, __ATOMIC_RELEASE);
}

static void thread_test_suspend_self(struct ktest *t)
{
	struct thread *th;
	int stage = 0;

	th = kernel_thread_create(thread_test_suspend_self_fn, &stage, BASEPRI_KERNEL, "t-self");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_ASSERT_TRUE(t, sched_test_wait_eq(&stage, 1, SEC));
	/* Off its CPU, suspended, and stays there. */
	while (thread_get_state(th) & TH_RUN)
		thread_delay(MSEC);
	thread_delay(20 * MSEC);
	KTEST_EXPECT_EQ(t, thread_get_state(th), (unsigned int)(TH_SUSP));
	KTEST_EXPECT_EQ(t, __atomic_load_n(&stage, __ATOMIC_ACQUIRE), 1);
	KTEST_EXPECT_EQ(t, thread_resume(th), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, SEC));
	KTEST_EXPECT_EQ(t, stage, 2);
	thread_deallocate(th);
}

static struct ktest_case thread_test_cases[] = {
	KTEST_CASE(thread_test_create_join),
	KTEST_CASE(thread_test_many),
	KTEST_CASE(thread_test_bad_arguments),
	KTEST_CASE(thread_test_states),
	KTEST_CASE(thread_test_suspend_running),
	KTEST_CASE(thread_test_suspend_waiting),
	KTEST_CASE(thread_test_suspend_self),
	{}
};

static struct ktest_suite thread_test_suite = {
	.name = "thread",
	.suite_init = sched_test_suite_init,
	.suite_exit = sched_test_suite_exit,
	.test_cases = thread_test_cases,
};
KTEST_SUITE(thread_test_suite);
