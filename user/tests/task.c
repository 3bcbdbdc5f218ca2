// SPDX-License-Identifier: MIT
/*
 * Suite "task": task and thread life cycles from user space. A child task
 * shares a page with us (VM_INHERIT_SHARE) and its thread counts in it:
 * suspended, the count stops; resumed, it goes on; terminated, the task
 * is gone (its port a dead name... for the kernel object: calls fail).
 */
#include "utest.h"

static volatile uint64_t *task_counter;

static void task_spin(unsigned long p)
{
	volatile uint64_t *c = (volatile uint64_t *)p;

	for (;;) {
		(*c)++;
		if (!(*c & 0xfff))
			swtch_pri(0);
	}
}

static uint64_t task_read_after(unsigned int ms)
{
	thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, ms);
	return *task_counter;
}

/* A child task whose thread (task_spin) counts in a page it shares with us. */
struct task_spinner {
	mach_port_t	child, th;
	vm_address_t	page;
};

/* Start one and wait until it counts; false (a failure said) if it did not start. */
static bool task_spinner_start(struct utest *t, struct task_spinner *s)
{
	vm_address_t stack;
	kern_return_t kr;
	int i;

	s->child = s->th = MACH_PORT_NULL;
	s->page = 0;
	kr = vm_allocate(mach_task_self(), &s->page, 4096, TRUE);
	UT_EXPECT_EQ(t, kr, KERN_SUCCESS);
	if (kr != KERN_SUCCESS)
		return false;
	task_counter = (volatile uint64_t *)s->page;
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), s->page, 4096, VM_INHERIT_SHARE),
		     KERN_SUCCESS);
	kr = task_create(mach_task_self(), TRUE, &s->child);
	UT_EXPECT_EQ(t, kr, KERN_SUCCESS);
	if (kr == KERN_SUCCESS)
		kr = utest_thread_start(s->child, task_spin, s->page, &s->th, &stack);
	UT_EXPECT_EQ(t, kr, KERN_SUCCESS);
	if (kr != KERN_SUCCESS) {
		if (s->child != MACH_PORT_NULL)
			task_terminate(s->child);
		return false;
	}
	for (i = 0; i < 100 && !*task_counter; i++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	UT_EXPECT(t, *task_counter > 0);
	return true;
}

/* After task_terminate(): our names and the page go. */
static void task_spinner_done(struct task_spinner *s)
{
	if (s->th != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), s->th);
	if (s->child != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), s->child);
	if (s->page)
		vm_deallocate(mach_task_self(), s->page, 4096);
}

static void utest_task_suspend_resume_terminate(struct utest *t)
{
	struct task_spinner sp;
	mach_port_t child, th;
	struct task_basic_info info;
	mach_msg_type_number_t cnt = TASK_BASIC_INFO_COUNT;
	uint64_t a, b;
	int i;

	if (!task_spinner_start(t, &sp)) {
		task_spinner_done(&sp);
		return;
	}
	child = sp.child;
	th = sp.th;

	UT_EXPECT_EQ(t, task_suspend(child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_info(child, TASK_BASIC_INFO, (task_info_t)&info, &cnt), KERN_SUCCESS);
	UT_EXPECT_EQ(t, info.suspend_count, 1);
	a = task_read_after(10);
	b = task_read_after(20);
	UT_EXPECT_EQ(t, a, b);
	UT_EXPECT_EQ(t, task_resume(child), KERN_SUCCESS);
	b = task_read_after(20);
	for (i = 0; i < 100 && b == a; i++)
		b = task_read_after(5);
	UT_EXPECT(t, b != a);

	/* thread_suspend/resume of the thread alone. */
	UT_EXPECT_EQ(t, thread_suspend(th), KERN_SUCCESS);
	a = task_read_after(10);
	b = task_read_after(20);
	UT_EXPECT_EQ(t, a, b);
	UT_EXPECT_EQ(t, thread_resume(th), KERN_SUCCESS);

	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	a = task_read_after(10);
	b = task_read_after(20);
	UT_EXPECT_EQ(t, a, b);
	/* The task is gone: its port answers no more. */
	UT_EXPECT(t, task_suspend(child) != KERN_SUCCESS);
	task_spinner_done(&sp);
}

/* Threads of our own task created and terminated, one after another. */
static void task_park(unsigned long arg)
{
	(void)arg;
	utest_child_park();
}

static void utest_thread_create_terminate(struct utest *t)
{
	mach_port_t th;
	vm_address_t stack;
	int i;

	for (i = 0; i < 8; i++) {
		UT_ASSERT_EQ(t, utest_thread_start(mach_task_self(), task_park, 0, &th, &stack),
			     KERN_SUCCESS);
		UT_EXPECT_EQ(t, thread_suspend(th), KERN_SUCCESS);
		UT_EXPECT_EQ(t, thread_resume(th), KERN_SUCCESS);
		UT_EXPECT_EQ(t, thread_terminate(th), KERN_SUCCESS);
		mach_port_deallocate(mach_task_self(), th);
		vm_deallocate(mach_task_self(), stack, UTEST_STACK_SIZE);
	}
}

/* A task created empty, its special ports, terminated. */
static void utest_task_create_empty(struct utest *t)
{
	mach_port_t child = MACH_PORT_NULL, p = utest_port(), got = MACH_PORT_NULL;
	mach_port_type_t type;

	UT_ASSERT(t, p != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, task_create(mach_task_self(), FALSE, &child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_set_special_port(child, TASK_BOOTSTRAP_PORT, p), KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_get_special_port(child, TASK_BOOTSTRAP_PORT, &got), KERN_SUCCESS);
	UT_EXPECT_EQ(t, got, p);
	if (got != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), got);
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), child, &type), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), child);
	utest_port_destroy(p);
}

/*
 * task_terminate() returns once the child is torn down: a send right we
 * hold to a port the child receives on is a dead name at once, no wait.
 * The child has a running thread (whose end tears it down) and many
 * ports, so that the teardown takes a while.
 */
#define TASK_TORN_PORTS	64

static void utest_task_terminate_dead_names(struct utest *t)
{
	struct task_spinner sp;
	mach_port_t name = MACH_PORT_NULL, send = MACH_PORT_NULL;
	mach_msg_type_name_t got;
	mach_port_type_t type = 0;
	int i;

	if (!task_spinner_start(t, &sp)) {
		task_spinner_done(&sp);
		return;
	}
	for (i = 0; i < TASK_TORN_PORTS; i++)
		UT_EXPECT_EQ(t, mach_port_allocate(sp.child, MACH_PORT_RIGHT_RECEIVE, &name),
			     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_extract_right(sp.child, name, MACH_MSG_TYPE_MAKE_SEND, &send,
						&got), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), send, &type), KERN_SUCCESS);
	UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_SEND);

	UT_EXPECT_EQ(t, task_terminate(sp.child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), send, &type), KERN_SUCCESS);
	UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_DEAD_NAME);

	mach_port_deallocate(mach_task_self(), send);
	task_spinner_done(&sp);
}

/*
 * A thread that spins in user mode is charged user time (sampled at the
 * scheduler's ticks: the thread spans many of them), for the thread and
 * for its task's live threads.
 */
static void utest_thread_user_time(struct utest *t)
{
	struct task_spinner sp;
	thread_basic_info_data_t bi;
	task_thread_times_info_data_t ti;
	mach_msg_type_number_t cnt;
	uint64_t user_us = 0;
	int i;

	if (!task_spinner_start(t, &sp)) {
		task_spinner_done(&sp);
		return;
	}
	/* Up to two seconds of our waiting: it runs whenever we wait. */
	for (i = 0; i < 200 && !user_us; i++) {
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10);
		cnt = THREAD_BASIC_INFO_COUNT;
		if (thread_info(sp.th, THREAD_BASIC_INFO, (thread_info_t)&bi, &cnt) != KERN_SUCCESS)
			break;
		user_us = (uint64_t)bi.user_time.seconds * 1000000 + bi.user_time.microseconds;
	}
	UT_EXPECT(t, user_us > 0);
	cnt = TASK_THREAD_TIMES_INFO_COUNT;
	UT_EXPECT_EQ(t, task_info(sp.child, TASK_THREAD_TIMES_INFO, (task_info_t)&ti, &cnt),
		     KERN_SUCCESS);
	UT_EXPECT(t, ti.user_time.seconds > 0 || ti.user_time.microseconds > 0);

	UT_EXPECT_EQ(t, task_terminate(sp.child), KERN_SUCCESS);
	task_spinner_done(&sp);
}

/*
 * thread_policy_set/get (XNU's flavors) on our own thread: timesharing
 * off and on again (thread_info() says POLICY_RR, then
 * POLICY_TIMESHARE), the importance within the user priorities, the
 * defaults, and the errors.
 */
static integer_t thread_policy_word(mach_port_t th, thread_policy_flavor_t flavor,
				    boolean_t dflt)
{
	integer_t info[THREAD_POLICY_MAX] = { -99 };
	mach_msg_type_number_t cnt = THREAD_POLICY_MAX;

	if (thread_policy_get(th, flavor, info, &cnt, &dflt) != KERN_SUCCESS || cnt != 1)
		return -99;
	return info[0];
}

static policy_t thread_policy_reported(mach_port_t th)
{
	thread_basic_info_data_t bi;
	mach_msg_type_number_t cnt = THREAD_BASIC_INFO_COUNT;

	if (thread_info(th, THREAD_BASIC_INFO, (thread_info_t)&bi, &cnt) != KERN_SUCCESS)
		return POLICY_NULL;
	return bi.policy;
}

static void utest_thread_policy_timeshare(struct utest *t, mach_port_t th)
{
	thread_extended_policy_data_t ext = { FALSE };

	UT_EXPECT_EQ(t, thread_policy_word(th, THREAD_EXTENDED_POLICY, FALSE), TRUE);
	UT_EXPECT_EQ(t, thread_policy_reported(th), POLICY_TIMESHARE);
	UT_EXPECT_EQ(t, thread_policy_set(th, THREAD_EXTENDED_POLICY, (thread_policy_t)&ext,
					  THREAD_EXTENDED_POLICY_COUNT), KERN_SUCCESS);
	UT_EXPECT_EQ(t, thread_policy_word(th, THREAD_EXTENDED_POLICY, FALSE), FALSE);
	UT_EXPECT_EQ(t, thread_policy_word(th, THREAD_EXTENDED_POLICY, TRUE), TRUE);
	UT_EXPECT_EQ(t, thread_policy_reported(th), POLICY_RR);
	/* THREAD_STANDARD_POLICY: the same flavor, no data. */
	UT_EXPECT_EQ(t, thread_policy_set(th, THREAD_STANDARD_POLICY, (thread_policy_t)&ext,
					  THREAD_STANDARD_POLICY_COUNT), KERN_SUCCESS);
	UT_EXPECT_EQ(t, thread_policy_word(th, THREAD_EXTENDED_POLICY, FALSE), TRUE);
	UT_EXPECT_EQ(t, thread_policy_reported(th), POLICY_TIMESHARE);
}

static void utest_thread_policy_importance(struct utest *t, mach_port_t th)
{
	thread_precedence_policy_data_t prec;
	static const integer_t asked[] = { 5, 1000, -1000, 0 };
	static const integer_t got[] = { 5, 63 - 31, 1 - 31, 0 };	/* MAXPRI_USER, MINPRI + 1 */
	unsigned int i;

	UT_EXPECT_EQ(t, thread_policy_word(th, THREAD_PRECEDENCE_POLICY, FALSE), 0);
	for (i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		prec.importance = asked[i];
		UT_EXPECT_EQ(t, thread_policy_set(th, THREAD_PRECEDENCE_POLICY,
						  (thread_policy_t)&prec,
						  THREAD_PRECEDENCE_POLICY_COUNT), KERN_SUCCESS);
		UT_EXPECT_EQ(t, thread_policy_word(th, THREAD_PRECEDENCE_POLICY, FALSE), got[i]);
		UT_EXPECT_EQ(t, thread_policy_word(th, THREAD_PRECEDENCE_POLICY, TRUE), 0);
	}
}

static void utest_thread_policy_errors(struct utest *t, mach_port_t th)
{
	integer_t info[THREAD_POLICY_MAX] = { 0 };
	mach_msg_type_number_t cnt = 0;
	boolean_t dflt = FALSE;

	UT_EXPECT_EQ(t, thread_policy_set(th, THREAD_TIME_CONSTRAINT_POLICY, info, 4),
		     KERN_NOT_SUPPORTED);
	cnt = THREAD_POLICY_MAX;
	UT_EXPECT_EQ(t, thread_policy_get(th, THREAD_TIME_CONSTRAINT_POLICY, info, &cnt, &dflt),
		     KERN_NOT_SUPPORTED);
	UT_EXPECT_EQ(t, thread_policy_set(th, 99, info, 1), KERN_INVALID_ARGUMENT);
	UT_EXPECT_EQ(t, thread_policy_set(th, THREAD_PRECEDENCE_POLICY, info, 0),
		     KERN_INVALID_ARGUMENT);
	cnt = 0;
	UT_EXPECT_EQ(t, thread_policy_get(th, THREAD_EXTENDED_POLICY, info, &cnt, &dflt),
		     KERN_INVALID_ARGUMENT);
	/* A task's port is no thread's; a name we do not hold is no port. */
	UT_EXPECT_EQ(t, thread_policy_set(mach_task_self(), THREAD_EXTENDED_POLICY, info, 1),
		     MIG_BAD_ID);
	UT_EXPECT_EQ(t, thread_policy_set(0x7f03, THREAD_EXTENDED_POLICY, info, 1),
		     MACH_SEND_INVALID_DEST);
}

static void utest_thread_policy(struct utest *t)
{
	mach_port_t th = mach_thread_self();

	utest_thread_policy_timeshare(t, th);
	utest_thread_policy_importance(t, th);
	utest_thread_policy_errors(t, th);
	mach_port_deallocate(mach_task_self(), th);
}

static const struct utest_case utest_task_cases[] = {
	UTEST_CASE(utest_task_create_empty),
	UTEST_CASE(utest_thread_create_terminate),
	UTEST_CASE(utest_task_suspend_resume_terminate),
	UTEST_CASE(utest_task_terminate_dead_names),
	UTEST_CASE(utest_thread_user_time),
	UTEST_CASE(utest_thread_policy),
	{}
};

const struct utest_suite utest_task_suite = { "task", utest_task_cases, false };
