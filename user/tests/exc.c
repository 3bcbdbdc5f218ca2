// SPDX-License-Identifier: MIT
/*
 * Suite "exc": an exception of a child task's thread caught by us, its
 * handler task (the child's task exception port is ours): exception_raise
 * with the thread and task, the thread's state set to go on elsewhere,
 * KERN_SUCCESS answered, and the thread resumed there.
 */
#include <mach/exception_types.h>
#include <mach/thread_status.h>
#include "utest.h"

#define EXC_CHILD_NAME	0x1705
#define EXC_RAISE_ID	2400

struct exc_raise_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	thread;
	mach_msg_port_descriptor_t	task;
	exception_type_t		exception;
	mach_msg_type_number_t		code_count;
	integer_t			code[EXCEPTION_CODE_MAX];
	uint8_t				trailer[64];
};

static void exc_fault(unsigned long arg)
{
	*(volatile int *)arg = 1;	/* page 0: never mapped */
	utest_child_park();
}

static void exc_resumed(unsigned long arg)
{
	utest_send(arg, MACH_MSG_TYPE_COPY_SEND, 600, 0xfeed, 1000);
	utest_child_park();
}

static kern_return_t exc_redirect(mach_port_t thread)
{
#if defined(__x86_64__)
	x86_thread_state64_t st;
#else
	arm_thread_state64_t st;
#endif
	mach_msg_type_number_t cnt = MACHINE_THREAD_STATE_COUNT;
	kern_return_t kr = thread_get_state(thread, MACHINE_THREAD_STATE, (thread_state_t)&st, &cnt);

	if (kr != KERN_SUCCESS)
		return kr;
#if defined(__x86_64__)
	st.rip = (uint64_t)exc_resumed;
	st.rdi = EXC_CHILD_NAME;
	st.rsp = (st.rsp & ~15UL) - 8;
#else
	st.pc = (uint64_t)exc_resumed;
	st.x[0] = EXC_CHILD_NAME;
	st.sp &= ~15UL;
#endif
	return thread_set_state(thread, MACHINE_THREAD_STATE, (thread_state_t)&st, cnt);
}

static void utest_exc_handler_task(struct utest *t)
{
	mach_port_t child = MACH_PORT_NULL, th = MACH_PORT_NULL, e = utest_port();
	struct exc_raise_msg m;
	struct utest_msg d;
	vm_address_t stack;

	UT_ASSERT(t, e != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, task_create(mach_task_self(), TRUE, &child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_set_special_port(child, TASK_EXCEPTION_PORT, e), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_right(child, EXC_CHILD_NAME, e, MACH_MSG_TYPE_MAKE_SEND),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_thread_start(child, exc_fault, 16, &th, &stack), KERN_SUCCESS);

	memset(&m, 0, sizeof(m));
	UT_EXPECT_EQ(t, mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), e,
				      3000, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, EXC_RAISE_ID);
	if (m.head.msgh_id == EXC_RAISE_ID) {
		UT_EXPECT_EQ(t, m.exception, EXC_BAD_ACCESS);
		UT_EXPECT_EQ(t, m.thread.name, th);
		UT_EXPECT_EQ(t, m.task.name, child);
		UT_EXPECT_EQ(t, exc_redirect(m.thread.name), KERN_SUCCESS);
		/* The reply: KERN_SUCCESS resumes the thread with its new state. */
		struct {
			mach_msg_header_t	head;
			kern_return_t		ret;
		} r;
		memset(&r, 0, sizeof(r));
		r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		r.head.msgh_size = sizeof(r);
		r.head.msgh_remote_port = m.head.msgh_remote_port;
		r.head.msgh_id = EXC_RAISE_ID + 100;
		r.ret = KERN_SUCCESS;
		UT_EXPECT_EQ(t, mach_msg_trap(&r.head, MACH_SEND_MSG, sizeof(r), 0, 0, 0, 0),
			     MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, utest_receive(e, &d, 3000), MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, d.head.msgh_id, 600);
		UT_EXPECT_EQ(t, d.word, 0xfeed);
		mach_port_deallocate(mach_task_self(), m.thread.name);
		mach_port_deallocate(mach_task_self(), m.task.name);
	}
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), th);
	mach_port_deallocate(mach_task_self(), child);
	utest_port_destroy(e);
}

static const struct utest_case utest_exc_cases[] = {
	UTEST_CASE(utest_exc_handler_task),
	{}
};

const struct utest_suite utest_exc_suite = { "exc", utest_exc_cases, false };
