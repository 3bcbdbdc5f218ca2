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

static void utest_task_suspend_resume_terminate(struct utest *t)
{
	mach_port_t child = MACH_PORT_NULL, th = MACH_PORT_NULL;
	struct task_basic_info info;
	mach_msg_type_number_t cnt = TASK_BASIC_INFO_COUNT;
	vm_address_t page = 0, stack;
	uint64_t a, b;
	int i;

	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &page, 4096, TRUE), KERN_SUCCESS);
	task_counter = (volatile uint64_t *)page;
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), page, 4096, VM_INHERIT_SHARE), KERN_SUCCESS);
	UT_ASSERT_EQ(t, task_create(mach_task_self(), TRUE, &child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_thread_start(child, task_spin, page, &th, &stack), KERN_SUCCESS);
	for (i = 0; i < 100 && !*task_counter; i++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	UT_EXPECT(t, *task_counter > 0);

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
	mach_port_deallocate(mach_task_self(), th);
	mach_port_deallocate(mach_task_self(), child);
	vm_deallocate(mach_task_self(), page, 4096);
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

static const struct utest_case utest_task_cases[] = {
	UTEST_CASE(utest_task_create_empty),
	UTEST_CASE(utest_thread_create_terminate),
	UTEST_CASE(utest_task_suspend_resume_terminate),
	{}
};

const struct utest_suite utest_task_suite = { "task", utest_task_cases, false };
