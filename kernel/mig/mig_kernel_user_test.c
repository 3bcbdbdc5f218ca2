// SPDX-License-Identifier: MIT
/*
 * ktest suite "mig_kernel_user": what the kernel's MIG client stubs (the
 * KernelUser interfaces, here exc.defs' exception_raise) do with a reply
 * they refuse.
 *
 * A kernel thread plays the exception handler: it receives the request on
 * a kernel port and answers it with a message the stub must refuse (an id
 * that is not the call's: MIG_REPLY_MISMATCH; the call's id with a body
 * the reply does not have: MIG_TYPE_ERROR), carrying a send-once right in
 * its header, a send right in a port descriptor and four pages of
 * out-of-line memory (a vm_map_copy), or with an error reply carrying the
 * send-once right alone. The stub must release all of it
 * (mach_msg_destroy_from_kernel()): the rights' port counts, the OOL copy
 * vm_map_copy and VM object counts and every IPC count come back to their
 * baseline.
 * Without the destroy the rights and the copy stay in the reply buffer,
 * unreachable.
 */
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/sched.h>
#include <kern/vm_map_copy.h>
#include <kern/vm_object.h>
#include <mach/notify.h>
#include <ipc/ipc_test_util.h>
#include <ktest.h>
#include <mach/exception_types.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include "excUser.h"

#define MKU_RAISE_ID	2400
#define MKU_OOL_SIZE	(4 * PAGE_SIZE)

/* The refused reply, in the kernel's form for mach_msg_send_from_kernel(). */
struct mku_reply {
	mach_msg_header_t		Head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port;
	mach_msg_ool_descriptor_t	ool;
	kern_return_t			RetCode;
};

struct mku_server {
	ipc_port_t	port;		/* the "exception port": its receive is ours */
	ipc_port_t	rights;		/* the port the reply's rights name */
	mach_msg_id_t	reply_id;
	bool		error;		/* an error reply (no body) instead */
	mach_msg_return_t received;	/* the server's receive */
	mach_msg_return_t sent;		/* its send of the reply */
};

static void mku_reply_send(struct mku_server *s, ipc_port_t reply)
{
	static char data[MKU_OOL_SIZE];
	struct vm_map_copy *vmc;
	struct mku_reply rep;

	memset(&rep, 0, sizeof(rep));
	memset(data, 0x5a, sizeof(data));
	vmc = vm_map_copy_from_kernel(data, sizeof(data));
	rep.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE) | MACH_MSGH_BITS_COMPLEX;
	rep.Head.msgh_size = sizeof(rep);
	rep.Head.msgh_remote_port = (mach_port_t)reply;
	rep.Head.msgh_local_port = (mach_port_t)s->rights;
	rep.Head.msgh_id = s->reply_id;
	rep.body.msgh_descriptor_count = 2;
	rep.port.name = (mach_port_t)s->rights;
	rep.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	rep.port.type = MACH_MSG_PORT_DESCRIPTOR;
	rep.ool.address = vmc ? ipc_ool_copy_from_vm(vmc) : NULL;
	rep.ool.size = rep.ool.address ? sizeof(data) : 0;
	rep.ool.copy = MACH_MSG_VIRTUAL_COPY;
	rep.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	rep.RetCode = KERN_SUCCESS;
	if (s->error) {
		/* An error reply: the header's right alone, the body's not made. */
		ipc_ool_copy_discard(rep.ool.address);
		rep.Head.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
		/* Without the structure's tail padding: the stub checks the size. */
		rep.Head.msgh_size = __builtin_offsetof(mig_reply_error_t, RetCode) +
				     sizeof(kern_return_t);
		((mig_reply_error_t *)&rep)->RetCode = KERN_FAILURE;
	}
	s->sent = mach_msg_send_from_kernel(&rep.Head, rep.Head.msgh_size);
}

/* Receive one request; answer it with the refused reply. */
static void mku_server_fn(void *arg)
{
	struct mku_server *s = arg;
	mach_msg_header_t *h;
	ipc_kmsg_t kmsg;

	s->received = ipc_mqueue_receive_kernel(&s->port->ip_object,
						MACH_RCV_MSG | MACH_RCV_TIMEOUT,
						MACH_MSG_SIZE_MAX, 5000, &kmsg);
	if (s->received != MACH_MSG_SUCCESS)
		return;
	h = kmsg->ikm_header;
	if (h->msgh_id == MKU_RAISE_ID &&
	    MACH_MSGH_BITS_LOCAL(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		mku_reply_send(s, (ipc_port_t)h->msgh_local_port);
		h->msgh_local_port = MACH_PORT_NULL;	/* the reply took it */
		h->msgh_bits &= ~MACH_MSGH_BITS_LOCAL_MASK;
	}
	ipc_kmsg_destroy(kmsg);
}

/* The id of the message queued on port (taken and destroyed), or 0. */
static mach_msg_id_t mku_take_send_once(ipc_port_t port)
{
	mach_msg_id_t id;
	ipc_kmsg_t kmsg;

	if (ipc_mqueue_receive_kernel(&port->ip_object, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				      MACH_MSG_SIZE_MAX, 0, &kmsg) != MACH_MSG_SUCCESS)
		return 0;
	id = kmsg->ikm_header->msgh_id;
	ipc_kobject_kmsg_discard(kmsg);	/* its destination right with no notification */
	return id;
}

static void mku_refused(struct ktest *t, mach_msg_id_t reply_id, bool error,
			kern_return_t expect)
{
	struct mku_server s = { .reply_id = reply_id, .error = error,
				.sent = MACH_SEND_INVALID_DEST };
	integer_t code[EXCEPTION_CODE_MAX] = { 1, 2 };
	unsigned long copies = vm_map_copy_count(), objects = vm_object_count();
	struct thread *th;
	kern_return_t kr;

	s.port = ipc_port_alloc_kernel();
	s.rights = ipc_port_alloc_kernel();
	KTEST_ASSERT_NOT_NULL(t, s.port);
	KTEST_ASSERT_NOT_NULL(t, s.rights);
	th = kernel_thread_create(mku_server_fn, &s, BASEPRI_KERNEL, "mku-server");
	KTEST_ASSERT_NOT_NULL(t, th);

	/* A send right for the call (the stub copies it), as the exception path has one. */
	ipc_port_make_send(s.port);
	kr = exception_raise((mach_port_t)s.port, MACH_PORT_NULL, MACH_PORT_NULL,
			     EXC_BAD_ACCESS, code, EXCEPTION_CODE_MAX);
	ipc_port_release_send(s.port);
	thread_join(th);
	thread_deallocate(th);
	KTEST_EXPECT_EQ(t, s.received, MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, s.sent, MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kr, expect);

	/*
	 * Everything the reply carried is gone: the send right, the copy
	 * with its object (and so its pages), and the send-once right, which
	 * as Mach destroys one became a send-once notification.
	 */
	KTEST_EXPECT_EQ(t, s.rights->ip_srights, 0U);
	KTEST_EXPECT_EQ(t, vm_map_copy_count(), copies);
	KTEST_EXPECT_EQ(t, vm_object_count(), objects);
	KTEST_EXPECT_EQ(t, mku_take_send_once(s.rights), MACH_NOTIFY_SEND_ONCE);
	KTEST_EXPECT_EQ(t, s.rights->ip_sorights, 0U);
	/* The thread's kernel reply port is not the baseline's. */
	mig_dealloc_reply_port(mig_get_reply_port());
	ipc_port_dealloc_kernel(s.rights);
	ipc_port_dealloc_kernel(s.port);
}

/* Not the call's id: MIG_REPLY_MISMATCH. */
static void mig_kernel_user_test_mismatch(struct ktest *t)
{
	mku_refused(t, 4242, false, MIG_REPLY_MISMATCH);
}

/* The call's id with descriptors the reply has none of: MIG_TYPE_ERROR. */
static void mig_kernel_user_test_type_error(struct ktest *t)
{
	mku_refused(t, MKU_RAISE_ID + 100, false, MIG_TYPE_ERROR);
}

/* An error reply (KERN_FAILURE) with a send-once right in its header. */
static void mig_kernel_user_test_error_reply(struct ktest *t)
{
	mku_refused(t, MKU_RAISE_ID + 100, true, KERN_FAILURE);
}

static struct ktest_case mig_kernel_user_test_cases[] = {
	KTEST_CASE(mig_kernel_user_test_mismatch),
	KTEST_CASE(mig_kernel_user_test_type_error),
	KTEST_CASE(mig_kernel_user_test_error_reply),
	{}
};

static struct ktest_suite mig_kernel_user_test_suite = {
	.name = "mig_kernel_user",
	.init = ipc_test_init,
	.exit = ipc_test_exit,
	.test_cases = mig_kernel_user_test_cases,
};
KTEST_SUITE(mig_kernel_user_test_suite);
