// SPDX-License-Identifier: MIT
/*
 * Suite "ipc": messages between two tasks. A child task (task_create with
 * inherit_memory, so it runs our code) sends us a complex message with a
 * send right, a receive right, a page and an array of send rights out of
 * line, and a send-once reply right; we answer through it; then its task
 * ends and the send right we hold to a port it received on becomes a dead
 * name.
 */
#include <mach/notify.h>
#include "utest.h"

#define IPC_CHILD_NAME	0x1703		/* our port, in the child's space */
#define IPC_RIGHTS_ID	500
#define IPC_DONE_ID	501

static char ipc_page[4096] __attribute__((aligned(4096)));
static mach_port_t ipc_ool_names[2];	/* the child's, out of line */

struct ipc_rights_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	send;		/* MAKE_SEND of the child's port */
	mach_msg_port_descriptor_t	recv;		/* MOVE_RECEIVE of another */
	mach_msg_ool_descriptor_t	ool;		/* ipc_page */
	mach_msg_ool_ports_descriptor_t	ports;		/* MAKE_SEND of keep, twice */
	uint8_t				trailer[64];
};

/* In the child: only traps (utest_child_park()). */
static void ipc_child(unsigned long dest)
{
	mach_port_t reply = mach_reply_port(), keep = mach_reply_port(),
		give = mach_reply_port();
	struct ipc_rights_msg m;
	struct utest_msg r;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			   MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = offsetof(struct ipc_rights_msg, trailer);
	m.head.msgh_remote_port = dest;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = IPC_RIGHTS_ID;
	m.body.msgh_descriptor_count = 4;
	m.send.name = keep;
	m.send.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.send.type = MACH_MSG_PORT_DESCRIPTOR;
	m.recv.name = give;
	m.recv.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.recv.type = MACH_MSG_PORT_DESCRIPTOR;
	m.ool.address = ipc_page;
	m.ool.size = sizeof(ipc_page);
	m.ool.copy = MACH_MSG_VIRTUAL_COPY;
	m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	ipc_ool_names[0] = ipc_ool_names[1] = keep;
	m.ports.address = ipc_ool_names;
	m.ports.count = 2;
	m.ports.copy = MACH_MSG_VIRTUAL_COPY;
	m.ports.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	if (mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.head.msgh_size, 0, 0,
			  2000, 0) == MACH_MSG_SUCCESS &&
	    utest_receive(reply, &r, 2000) == MACH_MSG_SUCCESS)
		utest_send(dest, MACH_MSG_TYPE_COPY_SEND, IPC_DONE_ID, r.word, 2000);
	utest_child_park();
}

static void utest_ipc_rights_between_tasks(struct utest *t)
{
	mach_port_t p = utest_port(), child = MACH_PORT_NULL, th = MACH_PORT_NULL;
	struct ipc_rights_msg m;
	struct utest_msg d;
	mach_port_type_t type;
	vm_address_t stack;
	unsigned int i;

	UT_ASSERT(t, p != MACH_PORT_NULL);
	for (i = 0; i < sizeof(ipc_page); i++)
		ipc_page[i] = (char)(i * 7 + 3);
	UT_ASSERT_EQ(t, task_create(mach_task_self(), TRUE, &child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_right(child, IPC_CHILD_NAME, p, MACH_MSG_TYPE_MAKE_SEND),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_thread_start(child, ipc_child, IPC_CHILD_NAME, &th, &stack),
		     KERN_SUCCESS);

	memset(&m, 0, sizeof(m));
	UT_EXPECT_EQ(t, mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p,
				      3000, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, IPC_RIGHTS_ID);
	if (m.head.msgh_id == IPC_RIGHTS_ID) {
		UT_EXPECT(t, m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
		UT_EXPECT_EQ(t, m.body.msgh_descriptor_count, 4);
		UT_EXPECT_EQ(t, m.send.disposition, MACH_MSG_TYPE_PORT_SEND);
		UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), m.send.name, &type), KERN_SUCCESS);
		UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_SEND);
		UT_EXPECT_EQ(t, m.recv.disposition, MACH_MSG_TYPE_PORT_RECEIVE);
		UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), m.recv.name, &type), KERN_SUCCESS);
		UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_RECEIVE);
		UT_EXPECT_EQ(t, m.ool.size, sizeof(ipc_page));
		if (m.ool.address)
			UT_EXPECT(t, !memcmp(m.ool.address, ipc_page, sizeof(ipc_page)));
		UT_EXPECT_EQ(t, MACH_MSGH_BITS_REMOTE(m.head.msgh_bits),
			     MACH_MSG_TYPE_PORT_SEND_ONCE);
		/* The out-of-line send rights: the same port, so the same name. */
		UT_EXPECT_EQ(t, m.ports.count, 2);
		UT_EXPECT_EQ(t, m.ports.disposition, MACH_MSG_TYPE_PORT_SEND);
		if ((vm_address_t)m.ports.address >= 0x0000800000000000UL) {
			utest_ktap(2, "# known gap: an out-of-line port array arrives at %p",
				   m.ports.address);
		} else if (m.ports.address) {
			mach_port_t *names = m.ports.address;
			mach_port_urefs_t refs = 0;

			UT_EXPECT_EQ(t, names[0], m.send.name);
			UT_EXPECT_EQ(t, names[1], m.send.name);
			mach_port_get_refs(mach_task_self(), m.send.name, MACH_PORT_RIGHT_SEND, &refs);
			UT_EXPECT_EQ(t, refs, 3);
			vm_deallocate(mach_task_self(), (vm_address_t)names, 2 * sizeof(*names));
		}
		/* The answer through the child's send-once right. */
		UT_EXPECT_EQ(t, utest_send(m.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
					   502, 42, 1000), MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, utest_receive(p, &d, 3000), MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, d.head.msgh_id, IPC_DONE_ID);
		UT_EXPECT_EQ(t, d.word, 42);
	}
	/* The child's receive right dies with it: our send right is a dead name. */
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	if (m.head.msgh_id == IPC_RIGHTS_ID) {
		/* task_terminate() returns once the task's space is torn down. */
		UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), m.send.name, &type),
			     KERN_SUCCESS);
		UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_DEAD_NAME);
		mach_port_destroy(mach_task_self(), m.send.name);	/* every reference */
		mach_port_mod_refs(mach_task_self(), m.recv.name, MACH_PORT_RIGHT_RECEIVE, -1);
		if (m.ool.address)
			vm_deallocate(mach_task_self(), (vm_address_t)m.ool.address, m.ool.size);
	}
	mach_port_deallocate(mach_task_self(), th);
	mach_port_deallocate(mach_task_self(), child);
	utest_port_destroy(p);
}

/* Two threads of one task: a request, an answer through send-once. */
static mach_port_t ipc_thread_port;

static void ipc_thread_server(unsigned long n)
{
	struct utest_msg m;

	while (n--) {
		if (utest_receive(ipc_thread_port, &m, 2000) != MACH_MSG_SUCCESS)
			break;
		utest_send(m.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, m.head.msgh_id + 100,
			   m.word + 1, 1000);
	}
	utest_child_park();	/* the main thread ends us */
}

static void utest_ipc_two_threads(struct utest *t)
{
	mach_port_t reply = mach_reply_port(), th = MACH_PORT_NULL;
	struct utest_msg m;
	vm_address_t stack;
	int i;

	ipc_thread_port = utest_port();
	UT_ASSERT(t, ipc_thread_port != MACH_PORT_NULL && reply != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, utest_thread_start(mach_task_self(), ipc_thread_server, 10, &th, &stack),
		     KERN_SUCCESS);
	for (i = 0; i < 10; i++) {
		memset(&m, 0, sizeof(m));
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.head.msgh_size = sizeof(m.head) + sizeof(m.word);
		m.head.msgh_remote_port = ipc_thread_port;
		m.head.msgh_local_port = reply;
		m.head.msgh_id = i;
		m.word = i * 10;
		UT_EXPECT_EQ(t, mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
					      m.head.msgh_size, sizeof(m), reply, 2000, 0),
			     MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, m.head.msgh_id, i + 100);
		UT_EXPECT_EQ(t, m.word, i * 10 + 1);
	}
	UT_EXPECT_EQ(t, thread_terminate(th), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), th);
	vm_deallocate(mach_task_self(), stack, UTEST_STACK_SIZE);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	utest_port_destroy(ipc_thread_port);
}

/*
 * The RPC fast path's user accesses (ipc/mach_msg.c) on buffers that end
 * at an unmapped page: a header-only message whose words the VM cannot
 * all give. The sender's header across the page or with only its last
 * word beyond it: MACH_SEND_INVALID_DATA and nothing sent; a receiver's
 * buffer with the header's last word, or the trailer's second, beyond
 * it: MACH_RCV_INVALID_DATA. Then an RPC that must get its own answer.
 */
static mach_port_t ipc_fast_port;
static volatile mach_msg_return_t ipc_fast_rcv[2];
static volatile mach_msg_id_t ipc_fast_id;

static void ipc_fast_server(unsigned long end)
{
	struct utest_msg m;

	ipc_fast_rcv[0] = mach_msg_trap((mach_msg_header_t *)(end - 20), MACH_RCV_MSG |
					MACH_RCV_TIMEOUT, 0, sizeof(m), ipc_fast_port, 2000, 0);
	ipc_fast_rcv[1] = mach_msg_trap((mach_msg_header_t *)(end - 28), MACH_RCV_MSG |
					MACH_RCV_TIMEOUT, 0, sizeof(m), ipc_fast_port, 2000, 0);
	if (utest_receive(ipc_fast_port, &m, 2000) == MACH_MSG_SUCCESS) {
		ipc_fast_id = m.head.msgh_id;
		utest_send(m.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, 700, 0, 1000);
	}
	utest_child_park();	/* the main thread ends us */
}

/* A header-only RPC's header at h. */
static void ipc_fast_header(mach_msg_header_t *h, mach_port_t reply, mach_msg_id_t id)
{
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND,
				      reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0);
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = ipc_fast_port;
	h->msgh_local_port = reply;
	h->msgh_reserved = 0;
	h->msgh_id = id;
}

/* The RPC of the header at h, the receive on q for ms: mach_msg's result. */
static mach_msg_return_t ipc_fast_rpc(mach_msg_header_t *h, mach_port_t q, mach_msg_timeout_t ms)
{
	return mach_msg_trap(h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(*h),
			     sizeof(struct utest_msg), q, ms, 0);
}

static void utest_ipc_fast_bad_buffers(struct utest *t)
{
	mach_port_t q = utest_port(), th = MACH_PORT_NULL;
	vm_address_t buf = 0, stack, end;
	struct utest_msg m, d;

	ipc_fast_port = utest_port();
	UT_ASSERT(t, ipc_fast_port != MACH_PORT_NULL && q != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &buf, 2 * 4096, TRUE), KERN_SUCCESS);
	end = buf + 4096;
	UT_ASSERT_EQ(t, utest_thread_start(mach_task_self(), ipc_fast_server, end, &th, &stack),
		     KERN_SUCCESS);
	/* After the stack's allocation, which could have taken the page. */
	UT_EXPECT_EQ(t, vm_deallocate(mach_task_self(), end, 4096), KERN_SUCCESS);
	utest_receive(q, &d, 50);	/* the server waits by now: the fast path */
	/* Two messages, each lost in the server's buffer (our receive times out). */
	memset(&m, 0, sizeof(m));
	ipc_fast_header(&m.head, MACH_PORT_NULL, 2);
	UT_EXPECT_EQ(t, ipc_fast_rpc(&m.head, q, 100), MACH_RCV_TIMED_OUT);
	UT_EXPECT_EQ(t, ipc_fast_rcv[0], MACH_RCV_INVALID_DATA);
	ipc_fast_header(&m.head, MACH_PORT_NULL, 3);
	UT_EXPECT_EQ(t, ipc_fast_rpc(&m.head, q, 100), MACH_RCV_TIMED_OUT);
	UT_EXPECT_EQ(t, ipc_fast_rcv[1], MACH_RCV_INVALID_DATA);
	/* Our header across the page, then with its last word beyond it: nothing sent. */
	ipc_fast_header(&m.head, q, 4);
	memcpy((void *)(end - 12), &m.head, 12);
	UT_EXPECT_EQ(t, ipc_fast_rpc((mach_msg_header_t *)(end - 12), q, 100),
		     MACH_SEND_INVALID_DATA);
	memcpy((void *)(end - 20), &m.head, 20);
	UT_EXPECT_EQ(t, ipc_fast_rpc((mach_msg_header_t *)(end - 20), q, 100),
		     MACH_SEND_INVALID_DATA);
	/* The server's next message is this one, and its answer ours. */
	ipc_fast_header(&m.head, q, 6);
	UT_EXPECT_EQ(t, ipc_fast_rpc(&m.head, q, 2000), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, 700);
	UT_EXPECT_EQ(t, ipc_fast_id, 6);

	UT_EXPECT_EQ(t, thread_terminate(th), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), th);
	vm_deallocate(mach_task_self(), stack, UTEST_STACK_SIZE);
	vm_deallocate(mach_task_self(), buf, 4096);
	utest_port_destroy(q);
	utest_port_destroy(ipc_fast_port);
}

/*
 * The fast path's header and trailer in a receiver's user buffer
 * (ipc/mach_msg.c): the bits and names as the sender's copyout made them,
 * and only the trailer bytes asked for, the rest of the buffer as it was.
 * Without trailer elements (the type and the size, 8) and no reply
 * right, then with the sequence number (12) and a reply right named in
 * the server's space, which the server answers.
 */
#define IPC_TRAILER_FILL	0xa5a5a5a5U
static struct utest_msg ipc_trailer_buf[2];
static volatile mach_msg_return_t ipc_trailer_rcv[2];

static void ipc_trailer_server(unsigned long unused)
{
	const mach_msg_option_t elements[2] = {
		0,
		MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
	};
	int i;

	(void)unused;
	for (i = 0; i < 2; i++) {
		memset(&ipc_trailer_buf[i], 0xa5, sizeof(ipc_trailer_buf[i]));
		ipc_trailer_rcv[i] = mach_msg_trap(&ipc_trailer_buf[i].head,
						   MACH_RCV_MSG | MACH_RCV_TIMEOUT | elements[i], 0,
						   sizeof(struct utest_msg), ipc_fast_port, 2000, 0);
	}
	if (ipc_trailer_rcv[1] == MACH_MSG_SUCCESS)
		utest_send(ipc_trailer_buf[1].head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
			   800, 0, 1000);
	utest_child_park();	/* the main thread ends us */
}

/* The 32-bit word at off bytes past h's trailer. */
static uint32_t ipc_trailer_word(const mach_msg_header_t *h, size_t off)
{
	uint32_t w;

	memcpy(&w, (const char *)(h + 1) + off, sizeof(w));
	return w;
}

static void utest_ipc_fast_trailer(struct utest *t)
{
	mach_port_t q = utest_port(), th = MACH_PORT_NULL;
	const mach_msg_seqno_trailer_t *tr;
	const mach_msg_header_t *h;
	vm_address_t stack;
	struct utest_msg m, d;

	ipc_fast_port = utest_port();
	UT_ASSERT(t, ipc_fast_port != MACH_PORT_NULL && q != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, utest_thread_start(mach_task_self(), ipc_trailer_server, 0, &th, &stack),
		     KERN_SUCCESS);
	utest_receive(q, &d, 50);	/* the server waits by now: the fast path */
	memset(&m, 0, sizeof(m));
	ipc_fast_header(&m.head, MACH_PORT_NULL, 8);
	UT_EXPECT_EQ(t, ipc_fast_rpc(&m.head, q, 100), MACH_RCV_TIMED_OUT);
	ipc_fast_header(&m.head, q, 9);
	UT_EXPECT_EQ(t, ipc_fast_rpc(&m.head, q, 2000), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, 800);

	h = &ipc_trailer_buf[0].head;
	tr = (const void *)(h + 1);
	UT_EXPECT_EQ(t, ipc_trailer_rcv[0], MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, h->msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
	UT_EXPECT_EQ(t, h->msgh_size, sizeof(*h));
	UT_EXPECT_EQ(t, h->msgh_remote_port, MACH_PORT_NULL);
	UT_EXPECT_EQ(t, h->msgh_local_port, ipc_fast_port);
	UT_EXPECT_EQ(t, h->msgh_reserved, 0);
	UT_EXPECT_EQ(t, h->msgh_id, 8);
	UT_EXPECT_EQ(t, tr->msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
	UT_EXPECT_EQ(t, tr->msgh_trailer_size, sizeof(mach_msg_trailer_t));
	UT_EXPECT_EQ(t, ipc_trailer_word(h, sizeof(mach_msg_trailer_t)), IPC_TRAILER_FILL);

	h = &ipc_trailer_buf[1].head;
	tr = (const void *)(h + 1);
	UT_EXPECT_EQ(t, ipc_trailer_rcv[1], MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, h->msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
						     MACH_MSG_TYPE_PORT_SEND));
	UT_EXPECT(t, h->msgh_remote_port != MACH_PORT_NULL && h->msgh_remote_port != q);
	UT_EXPECT_EQ(t, h->msgh_local_port, ipc_fast_port);
	UT_EXPECT_EQ(t, h->msgh_id, 9);
	UT_EXPECT_EQ(t, tr->msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
	UT_EXPECT_EQ(t, tr->msgh_trailer_size, sizeof(mach_msg_seqno_trailer_t));
	UT_EXPECT_EQ(t, tr->msgh_seqno, 1);
	UT_EXPECT_EQ(t, ipc_trailer_word(h, sizeof(mach_msg_seqno_trailer_t)), IPC_TRAILER_FILL);

	UT_EXPECT_EQ(t, thread_terminate(th), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), th);
	vm_deallocate(mach_task_self(), stack, UTEST_STACK_SIZE);
	utest_port_destroy(q);
	utest_port_destroy(ipc_fast_port);
}

/* A MIG call with its own answer: the send references of p (one). */
static void mig_expect_own_answer(struct utest *t, mach_port_t p)
{
	mach_port_urefs_t refs = 0;

	UT_EXPECT_EQ(t, mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, &refs),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, refs, 1);
}

#define MIG_BAD_NAME	0x12345678	/* beyond any table of ours */

/*
 * MIG's mach_port_insert_right refused. By the send (a disposition or a
 * name mach_msg refuses): mach_msg's error, and the stub gives up its
 * reply port, which the destroyed reply right's notification reached. By
 * the kernel's routine (a name beyond the table, a used index under
 * another generation): one reply with the routine's code, as the trap's.
 * Each is followed by a MIG call that must get its own answer, not the
 * refused call's (MIG_REPLY_MISMATCH) nor a notification
 * (MIG_SERVER_DIED); the harness checks our names are as they were.
 */
static void utest_ipc_mig_insert_refused(struct utest *t)
{
	mach_port_t self = mach_task_self(), p = utest_port(), other_gen = p ^ 1;
	mach_port_t reply;
	struct utest_msg m;

	UT_ASSERT(t, p != MACH_PORT_NULL);
	mig_expect_own_answer(t, p);
	reply = mig_get_reply_port();
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, p, p, 0), MACH_SEND_INVALID_TYPE);
	mig_expect_own_answer(t, p);
	/* The stub gave its port up; the thread has a new one (a new generation). */
	UT_EXPECT(t, mig_get_reply_port() != reply);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, p, p, 0x1ff),
		     MACH_SEND_INVALID_TYPE);
	mig_expect_own_answer(t, p);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, p, MIG_BAD_NAME,
							  MACH_MSG_TYPE_COPY_SEND),
		     MACH_SEND_INVALID_RIGHT);
	mig_expect_own_answer(t, p);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, p, p,
							  MACH_MSG_TYPE_MOVE_SEND_ONCE),
		     MACH_SEND_INVALID_RIGHT);
	mig_expect_own_answer(t, p);

	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, MIG_BAD_NAME, p,
							  MACH_MSG_TYPE_MAKE_SEND),
		     _kernelrpc_mach_port_insert_right_trap(self, MIG_BAD_NAME, p,
							    MACH_MSG_TYPE_MAKE_SEND));
	UT_EXPECT(t, _kernelrpc_mach_port_insert_right(self, MIG_BAD_NAME, p,
						       MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS);
	mig_expect_own_answer(t, p);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, other_gen, p,
							  MACH_MSG_TYPE_MAKE_SEND),
		     _kernelrpc_mach_port_insert_right_trap(self, other_gen, p,
							    MACH_MSG_TYPE_MAKE_SEND));
	mig_expect_own_answer(t, p);
	/* A send-once right the routine refuses is destroyed: p is notified, once. */
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, other_gen, p,
							  MACH_MSG_TYPE_MAKE_SEND_ONCE),
		     KERN_NAME_EXISTS);
	mig_expect_own_answer(t, p);
	UT_EXPECT_EQ(t, utest_receive(p, &m, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, MACH_NOTIFY_SEND_ONCE);
	UT_EXPECT_EQ(t, utest_receive(p, &m, 0), MACH_RCV_TIMED_OUT);
	/* A good one, and a last call with its own answer. */
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(self, p, p, MACH_MSG_TYPE_MAKE_SEND),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_mod_refs(self, p, MACH_PORT_RIGHT_SEND, -1), KERN_SUCCESS);
	mig_expect_own_answer(t, p);
	utest_port_destroy(p);
}

/*
 * Security tokens (Documentation/ipc.rst, "The trailer"): the trailer of
 * what a task sends carries its token, which only the privileged host port
 * sets. A child made with the token {7, 9} makes two RPCs to us: the
 * first waits in the queue before we receive (the general path), the
 * second finds us waiting (the RPC fast path), after we changed its token
 * to {11, 13}. Its own child inherits that.
 */
#define SEC_ID		610
#define SEC_TRAILER	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
			 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER))

struct sec_msg {
	mach_msg_header_t	head;
	uint8_t			trailer[64];
};

/* In the child: two header-only RPCs to dest (traps only). */
static void sec_child(unsigned long dest)
{
	mach_port_t reply = mach_reply_port();
	struct sec_msg m;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&m, 0, sizeof(m));
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.head.msgh_size = sizeof(m.head);
		m.head.msgh_remote_port = dest;
		m.head.msgh_local_port = reply;
		m.head.msgh_id = SEC_ID + i;
		if (mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
				  MACH_RCV_TIMEOUT, sizeof(m.head), sizeof(m), reply, 5000,
				  0) != MACH_MSG_SUCCESS)
			break;
	}
	utest_child_park();
}

static security_token_t sec_task_token(task_t task)
{
	security_token_t token = { { ~0U, ~0U } };
	mach_msg_type_number_t count = TASK_SECURITY_TOKEN_COUNT;

	if (task_info(task, TASK_SECURITY_TOKEN, (task_info_t)&token, &count) != KERN_SUCCESS ||
	    count != TASK_SECURITY_TOKEN_COUNT)
		token.val[0] = token.val[1] = ~0U;
	return token;
}

/* The request the child queued or is about to send, and its trailer. */
static void sec_expect_request(struct utest *t, const struct sec_msg *m, mach_msg_return_t mr,
			       int id, unsigned int v0, unsigned int v1)
{
	const mach_msg_security_trailer_t *tr = (const void *)((const char *)m + m->head.msgh_size);

	UT_EXPECT_EQ(t, mr, MACH_MSG_SUCCESS);
	if (mr != MACH_MSG_SUCCESS)
		return;
	UT_EXPECT_EQ(t, m->head.msgh_id, id);
	UT_EXPECT_EQ(t, m->head.msgh_size, sizeof(m->head));
	UT_EXPECT_EQ(t, tr->msgh_trailer_size, sizeof(*tr));
	UT_EXPECT_EQ(t, tr->msgh_sender.val[0], v0);
	UT_EXPECT_EQ(t, tr->msgh_sender.val[1], v1);
}

/* Until the port holds n messages (at most 3 s). */
static bool sec_wait_queued(mach_port_t p, unsigned int n)
{
	mach_port_status_t st;
	mach_msg_type_number_t count;
	int i;

	for (i = 0; i < 300; i++) {
		count = MACH_PORT_RECEIVE_STATUS_COUNT;
		if (mach_port_get_attributes(mach_task_self(), p, MACH_PORT_RECEIVE_STATUS,
					     (mach_port_info_t)&st, &count) == KERN_SUCCESS &&
		    st.mps_msgcount >= n)
			return true;
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10);
	}
	return false;
}

static void utest_ipc_security_token(struct utest *t)
{
	mach_port_t host_priv = utest_host_priv(t), p = utest_port(), host = mach_host_self();
	mach_port_t child = MACH_PORT_NULL, grandchild = MACH_PORT_NULL, th = MACH_PORT_NULL;
	security_token_t tok = { { 7, 9 } }, next = { { 11, 13 } }, got;
	mach_msg_type_number_t count = 1;
	vm_address_t stack;
	struct sec_msg m;
	mach_msg_return_t mr;

	if (host_priv == MACH_PORT_NULL) {
		mach_port_deallocate(mach_task_self(), host);
		utest_port_destroy(p);
		return;		/* skipped */
	}
	UT_ASSERT(t, p != MACH_PORT_NULL);
	/* Ours: the user token, which the bootstrap task's children inherit. */
	got = sec_task_token(mach_task_self());
	UT_EXPECT_EQ(t, got.val[0], 0);
	UT_EXPECT_EQ(t, got.val[1], 0);
	UT_EXPECT_EQ(t, task_info(mach_task_self(), TASK_SECURITY_TOKEN, (task_info_t)&got, &count),
		     KERN_FAILURE);

	/*
	 * Only the privileged host port sets a token: the plain one, or a
	 * task's port, does not serve host_security at all.
	 */
	UT_ASSERT_EQ(t, host_security_create_task_token(host_priv, mach_task_self(), tok, TRUE,
							&child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, host_security_set_task_token(host, child, next), MIG_BAD_ID);
	UT_EXPECT_EQ(t, host_security_set_task_token(child, child, next), MIG_BAD_ID);
	UT_EXPECT_EQ(t, host_security_set_task_token(host_priv, MACH_PORT_NULL, next),
		     KERN_INVALID_ARGUMENT);
	got = sec_task_token(child);
	UT_EXPECT_EQ(t, got.val[0], 7);
	UT_EXPECT_EQ(t, got.val[1], 9);

	UT_EXPECT_EQ(t, mach_port_insert_right(child, IPC_CHILD_NAME, p, MACH_MSG_TYPE_MAKE_SEND),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_thread_start(child, sec_child, IPC_CHILD_NAME, &th, &stack),
		     KERN_SUCCESS);
	/* The first request is queued before we look: the general path. */
	UT_EXPECT(t, sec_wait_queued(p, 1));
	memset(&m, 0, sizeof(m));
	mr = mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | SEC_TRAILER, 0, sizeof(m),
			   p, 3000, 0);
	sec_expect_request(t, &m, mr, SEC_ID, 7, 9);
	UT_EXPECT_EQ(t, host_security_set_task_token(host_priv, child, next), KERN_SUCCESS);
	/* Reply and wait in one call: the second request finds us waiting. */
	if (mr == MACH_MSG_SUCCESS) {
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.head.msgh_local_port = MACH_PORT_NULL;
		m.head.msgh_size = sizeof(m.head);
		mr = mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT |
				   SEC_TRAILER, sizeof(m.head), sizeof(m), p, 3000, 0);
		sec_expect_request(t, &m, mr, SEC_ID + 1, 11, 13);
		if (mr == MACH_MSG_SUCCESS)
			UT_EXPECT_EQ(t, utest_send(m.head.msgh_remote_port,
						   MACH_MSG_TYPE_MOVE_SEND_ONCE, SEC_ID + 100, 0,
						   1000), MACH_MSG_SUCCESS);
	}
	/* A child of the child inherits its token; what we send carries ours. */
	UT_EXPECT_EQ(t, task_create(child, FALSE, &grandchild), KERN_SUCCESS);
	got = sec_task_token(grandchild);
	UT_EXPECT_EQ(t, got.val[0], 11);
	UT_EXPECT_EQ(t, got.val[1], 13);
	UT_EXPECT_EQ(t, utest_send(p, MACH_MSG_TYPE_MAKE_SEND, SEC_ID + 2, 0, 1000),
		     MACH_MSG_SUCCESS);
	mr = mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | SEC_TRAILER, 0, sizeof(m),
			   p, 1000, 0);
	UT_EXPECT_EQ(t, mr, MACH_MSG_SUCCESS);
	if (mr == MACH_MSG_SUCCESS) {
		const mach_msg_security_trailer_t *tr = (const void *)((char *)&m +
								       m.head.msgh_size);

		UT_EXPECT_EQ(t, tr->msgh_sender.val[0], 0);
		UT_EXPECT_EQ(t, tr->msgh_sender.val[1], 0);
	}
	if (grandchild != MACH_PORT_NULL) {
		UT_EXPECT_EQ(t, task_terminate(grandchild), KERN_SUCCESS);
		mach_port_deallocate(mach_task_self(), grandchild);
	}
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), th);
	mach_port_deallocate(mach_task_self(), child);
	mach_port_deallocate(mach_task_self(), host_priv);
	mach_port_deallocate(mach_task_self(), host);
	utest_port_destroy(p);
}

static const struct utest_case utest_ipc_cases[] = {
	UTEST_CASE(utest_ipc_two_threads),
	UTEST_CASE(utest_ipc_fast_bad_buffers),
	UTEST_CASE(utest_ipc_fast_trailer),
	UTEST_CASE(utest_ipc_rights_between_tasks),
	UTEST_CASE(utest_ipc_mig_insert_refused),
	UTEST_CASE(utest_ipc_security_token),
	{}
};

const struct utest_suite utest_ipc_suite = { "ipc", utest_ipc_cases, false };
