/* SPDX-License-Identifier: MIT */
/*
 * For the usermode and exception suites: a kernel port that catches the
 * exception_raise messages of user threads (kernel/exception.c), and the
 * reply that resumes the thread or passes the exception on.
 */
#ifndef _KERNEL_EXCEPTION_TEST_UTIL_H
#define _KERNEL_EXCEPTION_TEST_UTIL_H

#include <kern/string.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <kernel/ipc_tt.h>
#include <kernel/mig/mig_convert.h>
#include <mach/exception_types.h>
#include <mach/message.h>
#include <mach/mig.h>

#define EXC_TEST_RAISE_ID	2400

/* exception_raise as the kernel receives it (descriptors hold ports). */
struct exc_test_request {
	mach_msg_header_t		Head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	thread;
	mach_msg_port_descriptor_t	task;
	exception_type_t		exception;
	mach_msg_type_number_t		codeCnt;
	integer_t			code[EXCEPTION_CODE_MAX];
};

/* Its size on the wire: the structure's end, without its alignment padding. */
#define EXC_TEST_REQUEST_SIZE \
	(__builtin_offsetof(struct exc_test_request, code) + EXCEPTION_CODE_MAX * sizeof(integer_t))

/* A caught exception: what it says, its thread and task (references). */
struct exc_test_msg {
	ipc_kmsg_t	kmsg;
	int		exception;	/* -1: not an exception_raise */
	integer_t	code[EXCEPTION_CODE_MAX];
	thread_t	thread;
	task_t		task;
};

/* The next exception message on port, waiting up to ms; false if none came. */
static inline bool exc_test_receive(ipc_port_t port, mach_msg_timeout_t ms,
				    struct exc_test_msg *m)
{
	struct exc_test_request *r;

	memset(m, 0, sizeof(*m));
	m->exception = -1;
	if (ipc_mqueue_receive_kernel(&port->ip_object, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				      MACH_MSG_SIZE_MAX, ms, &m->kmsg) != MACH_MSG_SUCCESS) {
		m->kmsg = IKM_NULL;
		return false;
	}
	r = (struct exc_test_request *)m->kmsg->ikm_header;
	if (r->Head.msgh_id != EXC_TEST_RAISE_ID || r->Head.msgh_size < EXC_TEST_REQUEST_SIZE ||
	    !(r->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return true;
	m->exception = r->exception;
	m->code[0] = r->code[0];
	m->code[1] = r->code[1];
	m->thread = convert_port_to_thread((mach_port_t)r->thread.name);
	m->task = convert_port_to_task((mach_port_t)r->task.name);
	return true;
}

/*
 * Answer it with kr (KERN_SUCCESS resumes the thread, anything else
 * passes the exception on), or with no reply at all (answer false: the
 * send-once right dies unused). Everything the message held goes.
 */
static inline void exc_test_done(struct exc_test_msg *m, bool answer, kern_return_t kr)
{
	mach_msg_header_t *h;
	struct {
		mach_msg_header_t	Head;
		kern_return_t		RetCode;
	} rep;

	if (m->thread)
		thread_deallocate(m->thread);
	if (m->task)
		task_deallocate(m->task);
	if (!m->kmsg)
		return;
	h = m->kmsg->ikm_header;
	if (answer && IP_VALID((ipc_port_t)h->msgh_local_port)) {
		memset(&rep, 0, sizeof(rep));
		rep.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		/* Without the structure's tail padding: the stub checks the size. */
		rep.Head.msgh_size = __builtin_offsetof(typeof(rep), RetCode) + sizeof(rep.RetCode);
		rep.Head.msgh_remote_port = h->msgh_local_port;
		rep.Head.msgh_id = EXC_TEST_RAISE_ID + 100;
		rep.RetCode = kr;
		h->msgh_local_port = MACH_PORT_NULL;	/* the reply takes the right */
		h->msgh_bits &= ~MACH_MSGH_BITS_LOCAL_MASK;
		mach_msg_send_from_kernel(&rep.Head, rep.Head.msgh_size);
	}
	ipc_kmsg_destroy(m->kmsg);
	memset(m, 0, sizeof(*m));
}

/* A kernel port to catch exceptions on, and a send right to it for task (or thread). */
static inline ipc_port_t exc_test_port_for_task(task_t task)
{
	ipc_port_t port = ipc_port_alloc_kernel();

	if (port && task_set_special_port(task, TASK_EXCEPTION_PORT,
					  (mach_port_t)ipc_port_make_send(port)) != KERN_SUCCESS) {
		ipc_port_dealloc_kernel(port);
		return IP_NULL;
	}
	return port;
}

#endif /* _KERNEL_EXCEPTION_TEST_UTIL_H */
