// SPDX-License-Identifier: MIT
/*
 * ktest suite "thread_port": threads as kernel objects (kernel/ipc_tt.c,
 * the thread routines of mach.defs). A thread's port is made on first
 * use and converts back to the thread; thread_info, thread_suspend /
 * thread_resume (counted apart from the kernel's holds), thread_abort,
 * thread_terminate and thread_create work as messages; current_task()
 * and current_space() follow the thread's task. Every case ends with
 * every IPC, kmsg, page, task and thread count at its baseline.
 */
#include <ktest.h>
#include "task_test_util.h"

static unsigned long tp_counter;
static task_t tp_seen_task;
static ipc_space_t tp_seen_space;

static void tp_counter_main(void *arg)
{
	tp_seen_task = current_task();
	tp_seen_space = current_space();
	while (!thread_should_halt()) {
		__atomic_add_fetch(&tp_counter, 1, __ATOMIC_RELAXED);
		thread_delay(NSEC_PER_MSEC / 4);
	}
}

static bool tp_counting(void)
{
	unsigned long c = __atomic_load_n(&tp_counter, __ATOMIC_RELAXED);

	thread_delay(20 * NSEC_PER_MSEC);
	return __atomic_load_n(&tp_counter, __ATOMIC_RELAXED) != c;
}

struct tp_info_rep {
	mach_msg_header_t Head; kern_return_t RetCode; mach_msg_type_number_t cnt;
	struct thread_basic_info bi;
};

/* thread_info (2019, THREAD_BASIC_INFO) through the port. */
static struct thread_basic_info *tp_info(struct ktest *t, ipc_port_t port)
{
	struct req { mach_msg_header_t Head; thread_flavor_t flavor; mach_msg_type_number_t cnt; } *req;
	struct tp_info_rep *rep = (void *)&tt_msg;

	req = tt_request(port, 2019, TT_END(struct req, cnt));
	req->flavor = THREAD_BASIC_INFO;
	req->cnt = THREAD_INFO_MAX;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, rep->RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, rep->cnt, THREAD_BASIC_INFO_COUNT);
	return &rep->bi;
}

static void thread_port_test_convert(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	struct thread *th;
	ipc_port_t port, again;
	thread_t got;

	/* The kernel's threads are kernel_task's. */
	KTEST_EXPECT_PTR_EQ(t, current_task(), kernel_task);
	KTEST_EXPECT_PTR_EQ(t, current_space(), ipc_space_kernel);
	KTEST_ASSERT_EQ(t, task_thread_create(task, tp_counter_main, NULL, BASEPRI_KERNEL,
					      "tp-conv", &th), KERN_SUCCESS);
	KTEST_EXPECT_NULL(t, th->ith_self);	/* made on first use */
	port = tt_thread_port(th);
	KTEST_ASSERT_TRUE(t, IP_VALID(port));
	KTEST_EXPECT_EQ(t, port->ip_kotype, (unsigned int)IKOT_THREAD);
	again = tt_thread_port(th);
	KTEST_EXPECT_PTR_EQ(t, again, port);
	KTEST_EXPECT_EQ(t, port->ip_srights, 2u);
	ipc_port_release_send(again);
	got = convert_port_to_thread((mach_port_t)port);
	KTEST_EXPECT_PTR_EQ(t, got, th);
	thread_deallocate(got);
	KTEST_EXPECT_NULL(t, convert_port_to_thread((mach_port_t)task->itk_self));
	KTEST_EXPECT_NULL(t, convert_port_to_task((mach_port_t)port));
	KTEST_EXPECT_EQ(t, thread_get_special_port(th, THREAD_KERNEL_PORT, (mach_port_t *)&again),
			KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, again, port);
	ipc_port_release_send(again);
	KTEST_EXPECT_EQ(t, thread_set_special_port(th, THREAD_KERNEL_PORT, MACH_PORT_NULL),
			KERN_INVALID_ARGUMENT);
	/* Created suspended (the creation hold): stopped. */
	KTEST_EXPECT_EQ(t, tp_info(t, port)->run_state, TH_STATE_STOPPED);
	thread_resume(th);
	KTEST_EXPECT_TRUE(t, tp_counting());
	KTEST_EXPECT_PTR_EQ(t, tp_seen_task, task);
	KTEST_EXPECT_PTR_EQ(t, tp_seen_space, task->itk_space);
	/* The thread's port dies with it. */
	tt_task_done(t, task);
	KTEST_EXPECT_FALSE(t, ip_active(port));
	KTEST_EXPECT_NULL(t, convert_port_to_thread((mach_port_t)port));
	KTEST_EXPECT_NULL(t, (void *)thread_port_make_send(th));
	ipc_port_release_send(port);
	thread_deallocate(th);
}

static void thread_port_test_suspend(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	struct thread *th;
	ipc_port_t port;

	KTEST_ASSERT_EQ(t, task_thread_create(task, tp_counter_main, NULL, BASEPRI_KERNEL,
					      "tp-susp", &th), KERN_SUCCESS);
	port = tt_thread_port(th);
	thread_resume(th);
	KTEST_EXPECT_TRUE(t, tp_counting());
	/* thread_suspend (2062) twice, resume (2063) twice. */
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2062), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2062), KERN_SUCCESS);
	KTEST_EXPECT_FALSE(t, tp_counting());
	KTEST_EXPECT_EQ(t, tp_info(t, port)->suspend_count, 2);
	KTEST_EXPECT_EQ(t, tp_info(t, port)->run_state, TH_STATE_STOPPED);
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2063), KERN_SUCCESS);
	KTEST_EXPECT_FALSE(t, tp_counting());
	/* A hold of the task's is not the port's to lift. */
	KTEST_EXPECT_EQ(t, task_suspend(task), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2063), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2063), KERN_FAILURE);
	KTEST_EXPECT_FALSE(t, tp_counting());
	KTEST_EXPECT_EQ(t, task_resume(task), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, tp_counting());
	/* thread_terminate (2016) through the port: it ends, its port dies. */
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2016), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	KTEST_EXPECT_FALSE(t, ip_active(port));
	KTEST_EXPECT_EQ(t, task->thread_count, 0u);
	tt_task_done(t, task);
	ipc_port_release_send(port);
	thread_deallocate(th);
}

static wait_result_t tp_wait_result;
static int tp_event;

static void tp_waiter_main(void *arg)
{
	assert_wait(&tp_event, arg ? THREAD_UNINT : THREAD_INTERRUPTIBLE);
	tp_wait_result = thread_block(NULL);
}

static void thread_port_test_abort(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	struct thread *th;
	ipc_port_t port;
	int unint;

	for (unint = 0; unint < 2; unint++) {
		tp_wait_result = -5;
		KTEST_ASSERT_EQ(t, task_thread_create(task, tp_waiter_main, unint ? &tp_event : NULL,
						      BASEPRI_KERNEL, "tp-wait", &th), KERN_SUCCESS);
		port = tt_thread_port(th);
		thread_resume(th);
		KTEST_EXPECT_TRUE(t, tt_wait_for_state(th, TH_WAIT));
		KTEST_EXPECT_EQ(t, tp_info(t, port)->run_state,
				unint ? TH_STATE_UNINTERRUPTIBLE : TH_STATE_WAITING);
		/* thread_abort (2064). */
		KTEST_EXPECT_EQ(t, tt_call(t, port, 2064), unint ? KERN_FAILURE : KERN_SUCCESS);
		if (unint)
			thread_wakeup(&tp_event);
		KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
		KTEST_EXPECT_EQ(t, tp_wait_result, unint ? THREAD_AWAKENED : THREAD_INTERRUPTED);
		KTEST_EXPECT_FALSE(t, ip_active(port));
		ipc_port_release_send(port);
		thread_deallocate(th);
	}
	/* Not waiting: nothing to abort, and no error. */
	KTEST_ASSERT_EQ(t, task_thread_create(task, tp_counter_main, NULL, BASEPRI_KERNEL,
					      "tp-run", &th), KERN_SUCCESS);
	port = tt_thread_port(th);
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2064), KERN_SUCCESS);
	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	ipc_port_release_send(port);
	thread_deallocate(th);
}

/* thread_create (2061) on a task's port: a suspended thread of the task. */
static void thread_port_test_create(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t tport = tt_task_port(task), port;
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t thread;
	} *rep = (void *)&tt_msg;
	thread_t th;

	tt_request(tport, 2061, sizeof(mach_msg_header_t));
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_ASSERT_EQ(t, rep->Head.msgh_size, TT_END(struct rep, thread));
	port = (ipc_port_t)rep->thread.name;
	th = convert_port_to_thread((mach_port_t)port);
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_PTR_EQ(t, th->task, task);
	KTEST_EXPECT_EQ(t, task->thread_count, 1u);
	KTEST_EXPECT_EQ(t, tp_info(t, port)->run_state, TH_STATE_STOPPED);
	KTEST_EXPECT_EQ(t, tp_info(t, port)->suspend_count, 1);
	/* Resumed, it has no user state to run yet: it waits until terminated. */
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2063), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, tt_wait_for_state(th, TH_WAIT));
	KTEST_EXPECT_EQ(t, tp_info(t, port)->run_state, TH_STATE_WAITING);
	/* A thread's port does not serve the task routines. */
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2056), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, tt_call(t, tport, 2062), KERN_INVALID_ARGUMENT);
	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	thread_deallocate(th);
	ipc_port_release_send(port);
	ipc_port_release_send(tport);
}

static struct ktest_case thread_port_test_cases[] = {
	KTEST_CASE(thread_port_test_convert),
	KTEST_CASE(thread_port_test_suspend),
	KTEST_CASE(thread_port_test_abort),
	KTEST_CASE(thread_port_test_create),
	{}
};

static struct ktest_suite thread_port_test_suite = {
	.name = "thread_port",
	.init = tt_init,
	.exit = tt_exit,
	.test_cases = thread_port_test_cases,
};
KTEST_SUITE(thread_port_test_suite);
