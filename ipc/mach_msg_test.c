// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_mach_msg": mach_msg between IPC spaces of kernel
 * threads: every header disposition, complex messages (ports, OOL 4 KiB
 * and 1 MiB, OOL port arrays), every send and receive error and what it
 * leaves consumed, receive rights in transit and the refused cycles,
 * port sets, queue limits, timeouts, interrupted waits, sequence numbers
 * and trailers, MACH_RCV_LARGE, and RPC between two threads. Each case
 * ends with every port, right, name, kmsg and OOL count at its baseline.
 */
#include <kern/copyio.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/timer.h>
#include <kern/vm_map.h>
#include <mach/notify.h>
#include <ipc/ipc_msg_test_util.h>
#include <kernel/sched_test_util.h>

#define HSZ	((mach_msg_size_t)sizeof(mach_msg_user_header_t))

static mach_port_name_t give_send(struct ktest *t, ipc_space_t from, mach_port_name_t recv,
				  ipc_space_t to)
{
	return ipc_test_give(t, from, recv, MACH_MSG_TYPE_MAKE_SEND, to);
}

/* A null message, and what the receiver sees of it. */
static void ipc_mach_msg_test_null(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a);
	struct tmsg m;

	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 1234, HSZ);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
	TEQ(t, m.h.msgh_size, HSZ);
	TEQ(t, m.h.msgh_local_port, p);
	TEQ(t, m.h.msgh_remote_port, MACH_PORT_NAME_NULL);
	TEQ(t, m.h.msgh_id, 1234);
	TEQ(t, tmsg_trailer(&m)->msgh_trailer_type, MACH_MSG_TRAILER_FORMAT_0);
	TEQ(t, tmsg_trailer(&m)->msgh_trailer_size, MACH_MSG_TRAILER_MINIMUM_SIZE);
	/* The made send right was used up by the delivery. */
	TEQ(t, ipc_test_type(a, p), MACH_PORT_TYPE_RECEIVE);
	TEQ(t, tmsg_poll(a, &m, p), MACH_RCV_TIMED_OUT);
	ipc_test_space_done(a);
}

/* Every header disposition, between two spaces. */
static void ipc_mach_msg_test_dispositions(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), q = ipc_test_port(t, b);
	mach_port_name_t sp = give_send(t, a, p, b), name, so;
	struct tmsg m;

	/* COPY_SEND keeps b's right; MOVE_SEND takes a uref. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), sp, 0, 1, HSZ);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 1u);
	TEQ(t, ipc_mach_port_mod_refs(b, sp, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), sp, 0, 2, HSZ);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 1u);
	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 1);
	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 2);

	/* Reply MAKE_SEND: a send right in a, coalescing on the second. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND), sp, q,
		    3, HSZ);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_bits,
			MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND));
	name = m.h.msgh_remote_port;
	TEQ(t, ipc_test_type(a, name), MACH_PORT_TYPE_SEND);
	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_remote_port, name);
	TEQ(t, ipc_test_refs(a, name, MACH_PORT_RIGHT_SEND), 2u);

	/* a answers through its send right with MOVE_SEND: q gets it, urefs drop. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), name, 0, 4, HSZ);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_refs(a, name, MACH_PORT_RIGHT_SEND), 1u);
	TEQ(t, tmsg_recv(b, &m, q, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_local_port, q);

	/* Reply MAKE_SEND_ONCE, answered with MOVE_SEND_ONCE. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    sp, q, 5, HSZ);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	so = m.h.msgh_remote_port;
	TEQ(t, MACH_MSGH_BITS_REMOTE(m.h.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	TEQ(t, ipc_test_type(a, so), MACH_PORT_TYPE_SEND_ONCE);
	TNE(t, so, name);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), so, 0, 6, HSZ);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_type(a, so), ~0u);
	TEQ(t, tmsg_recv(b, &m, q, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
	TEQ(t, m.h.msgh_id, 6);

	/* Destination MAKE_SEND_ONCE, reply COPY_SEND and MOVE_SEND of one name. */
	TEQ(t, ipc_mach_port_mod_refs(b, sp, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_COPY_SEND),
		    q, sp, 7, HSZ);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MOVE_SEND),
		    q, sp, 8, HSZ);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 1u);
	TEQ(t, tmsg_recv(b, &m, q, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_bits,
			MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE));
	TEQ(t, m.h.msgh_remote_port, sp);
	TEQ(t, tmsg_recv(b, &m, q, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_remote_port, sp);
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 3u);

	/* One name for both, MOVE_SEND twice: two urefs go. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND),
		    sp, sp, 9, HSZ);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 1u);
	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_refs(a, m.h.msgh_remote_port, MACH_PORT_RIGHT_SEND), 1u);
	TEQ(t, ipc_test_type(a, m.h.msgh_remote_port),
			MACH_PORT_TYPE_SEND_RECEIVE);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/* Header errors: nothing is consumed. */
static void ipc_mach_msg_test_header_errors(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), q = ipc_test_port(t, b);
	mach_port_name_t sp = give_send(t, a, p, b), so, dead, set;
	struct tmsg m;

	so = ipc_test_give(t, b, q, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);
	TEQ(t, ipc_mach_port_allocate(b, MACH_PORT_RIGHT_DEAD_NAME, &dead),
			KERN_SUCCESS);
	TEQ(t, ipc_mach_port_allocate(b, MACH_PORT_RIGHT_PORT_SET, &set),
			KERN_SUCCESS);
#define SEND_EXPECT(bits, d, r, size, want)					\
	do {									\
		tmsg_header(&m, bits, d, r, 0, size);				\
		TEQ(t, tmsg_send(b, &m, 0, 0), want);		\
	} while (0)
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), MACH_PORT_NAME_NULL, 0, HSZ,
		    MACH_SEND_INVALID_DEST);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), MACH_PORT_NAME_DEAD, 0, HSZ,
		    MACH_SEND_INVALID_DEST);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), 0x7700, 0, HSZ,
		    MACH_SEND_INVALID_DEST);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), dead, 0, HSZ,
		    MACH_SEND_INVALID_DEST);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), set, 0, HSZ,
		    MACH_SEND_INVALID_DEST);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), sp, 0, HSZ,
		    MACH_SEND_INVALID_DEST);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), sp, 0, HSZ,
		    MACH_SEND_INVALID_DEST);
	TEQ(t, ipc_test_refs(b, dead, MACH_PORT_RIGHT_DEAD_NAME), 1u);
	/* Bad bits, a receive right or nonsense as a header disposition. */
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | 0x4000, sp, 0, HSZ,
		    MACH_SEND_INVALID_HEADER);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_RECEIVE, 0), q, 0, HSZ,
		    MACH_SEND_INVALID_HEADER);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_RECEIVE), sp, q,
		    HSZ, MACH_SEND_INVALID_HEADER);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), sp, q, HSZ,
		    MACH_SEND_INVALID_HEADER);
	SEND_EXPECT(MACH_MSGH_BITS(3, 0), sp, 0, HSZ, MACH_SEND_INVALID_HEADER);
	/* Bad replies leave the destination alone. */
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND), sp, 0x7700,
		    HSZ, MACH_SEND_INVALID_REPLY);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE), sp,
		    sp, HSZ, MACH_SEND_INVALID_REPLY);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND), sp, sp,
		    HSZ, MACH_SEND_INVALID_REPLY);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_MSG_TYPE_MOVE_SEND_ONCE),
		    so, so, HSZ, MACH_SEND_INVALID_REPLY);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND), sp, sp,
		    HSZ, MACH_SEND_INVALID_REPLY);
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 1u);
	TEQ(t, ipc_test_type(b, so), MACH_PORT_TYPE_SEND_ONCE);
	/* Sizes. */
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), sp, 0, HSZ - 4,
		    MACH_SEND_MSG_TOO_SMALL);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), sp, 0, HSZ + 2,
		    MACH_SEND_MSG_TOO_SMALL);
	SEND_EXPECT(MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), sp, 0, MACH_MSG_SIZE_MAX + 4,
		    MACH_SEND_TOO_LARGE);
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 1u);
	/* Receive names. */
	TEQ(t, tmsg_recv(b, &m, 0x7700, 0, 0, 0), MACH_RCV_INVALID_NAME);
	TEQ(t, tmsg_recv(b, &m, sp, 0, 0, 0), MACH_RCV_INVALID_NAME);
	TEQ(t, tmsg_recv(b, &m, dead, 0, 0, 0), MACH_RCV_INVALID_NAME);
	TEQ(t, tmsg_recv(b, &m, MACH_PORT_NAME_NULL, 0, 0, 0),
			MACH_RCV_INVALID_NAME);
	TEQ(t, tmsg_poll(a, &m, p), MACH_RCV_TIMED_OUT);
#undef SEND_EXPECT
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/* Body errors: the header's rights and the descriptors before are destroyed. */
static void ipc_mach_msg_test_body_errors(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), x = ipc_test_port(t, a);
	mach_port_name_t y = ipc_test_port(t, a), sp = give_send(t, a, p, a);
	mach_port_name_t sx = give_send(t, a, x, a), sy = give_send(t, a, y, a);
	struct tmsg_desc *c;
	struct tmsg m;

	/* sp is p's own name (send+receive); give it 8 urefs. */
	TEQ(t, sp, p);
	TEQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND, 7), KERN_SUCCESS);

	/* INVALID_RIGHT: the first descriptor's right is gone, the third stays. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, 0, 0,
		    TMSG_BASE + 3 * TMSG_PORT);
	c = tmsg_complex(&m, 3);
	tmsg_port_desc(&c->d[0], sx, MACH_MSG_TYPE_MOVE_SEND);
	tmsg_port_desc(tmsg_desc_at(&m, TMSG_BASE + TMSG_PORT), 0x7700, MACH_MSG_TYPE_COPY_SEND);
	tmsg_port_desc(tmsg_desc_at(&m, TMSG_BASE + 2 * TMSG_PORT), sy, MACH_MSG_TYPE_MOVE_SEND);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_SEND_INVALID_RIGHT);
	TEQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), 7u);
	TEQ(t, ipc_test_type(a, x), MACH_PORT_TYPE_RECEIVE);
	TEQ(t, ipc_test_refs(a, sy, MACH_PORT_RIGHT_SEND), 1u);

	/* INVALID_TYPE: a descriptor type or a disposition that does not exist. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, 0, 0,
		    TMSG_BASE + TMSG_PORT);
	c = tmsg_complex(&m, 1);
	tmsg_port_desc(&c->d[0], sy, MACH_MSG_TYPE_MOVE_SEND);
	c->d[0].port.type = 7;
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_SEND_INVALID_TYPE);
	tmsg_port_desc(&c->d[0], sy, MACH_MSG_TYPE_COPY_RECEIVE);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_SEND_INVALID_TYPE);
	TEQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), 5u);
	TEQ(t, ipc_test_refs(a, sy, MACH_PORT_RIGHT_SEND), 1u);

	/* Descriptors past the end of the message. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, 0, 0,
		    TMSG_BASE + TMSG_PORT);
	c = tmsg_complex(&m, 4);
	tmsg_port_desc(&c->d[0], sy, MACH_MSG_TYPE_COPY_SEND);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0) | MACH_MSGH_BITS_COMPLEX, p,
		    0, 0, HSZ);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_SEND_MSG_TOO_SMALL);
	TEQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), 3u);

	/* INVALID_MEMORY: out-of-line data at no address. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, 0, 0,
		    TMSG_BASE + TMSG_OOL);
	c = tmsg_complex(&m, 1);
	tmsg_ool_desc(&c->d[0], NULL, 100, false);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_SEND_INVALID_MEMORY);
	TEQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), 2u);
	TEQ(t, tmsg_poll(a, (struct tmsg *)&m, p), MACH_RCV_TIMED_OUT);
	ipc_test_space_done(a);
}

static void fill(unsigned char *buf, vm_size_t size, unsigned int seed)
{
	vm_size_t i;

	for (i = 0; i < size; i++)
		buf[i] = (unsigned char)(i * 7 + seed + (i >> 12));
}

static bool check(const unsigned char *buf, vm_size_t size, unsigned int seed)
{
	vm_size_t i;

	for (i = 0; i < size; i++)
		if (buf[i] != (unsigned char)(i * 7 + seed + (i >> 12)))
			return false;
	return true;
}

/* Ports, OOL memory of 4 KiB and 1 MiB and an OOL port array, in one message. */
static void ipc_mach_msg_test_complex(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), q = ipc_test_port(t, b);
	mach_port_name_t r = ipc_test_port(t, b), sp = give_send(t, a, p, b);
	mach_port_name_t names[3], *got;
	mach_msg_ool_descriptor_t *ool;
	mach_msg_ool_ports_descriptor_t *op;
	mach_msg_user_port_descriptor_t *pd;
	unsigned char *small = ipc_ool_alloc(4096), *big = kalloc(1024 * 1024);
	mach_msg_size_t off = TMSG_BASE;
	struct tmsg_desc *c;
	struct tmsg m;

	KTEST_ASSERT_NOT_NULL(t, small);
	KTEST_ASSERT_NOT_NULL(t, big);
	fill(small, 4096, 1);
	fill(big, 1024 * 1024, 2);
	names[0] = q;
	names[1] = MACH_PORT_NAME_NULL;
	names[2] = r;
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), sp, 0, 77,
		    TMSG_BASE + 3 * TMSG_PORT + 3 * TMSG_OOL);
	c = tmsg_complex(&m, 6);
	(void)c;
	tmsg_port_desc(tmsg_desc_at(&m, off), q, MACH_MSG_TYPE_MAKE_SEND);
	off += TMSG_PORT;
	tmsg_port_desc(tmsg_desc_at(&m, off), q, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	off += TMSG_PORT;
	tmsg_ool_desc(tmsg_desc_at(&m, off), small, 4096, true);	/* freed by the send */
	off += TMSG_OOL;
	tmsg_ool_desc(tmsg_desc_at(&m, off), big, 1024 * 1024, false);
	off += TMSG_OOL;
	tmsg_ool_ports_desc(tmsg_desc_at(&m, off), names, 3, MACH_MSG_TYPE_MAKE_SEND);
	off += TMSG_OOL;
	tmsg_port_desc(tmsg_desc_at(&m, off), r, MACH_MSG_TYPE_MOVE_RECEIVE);
	TEQ(t, tmsg_send(b, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_type(b, r), ~0u);	/* the receive right left */
	fill(big, 1024 * 1024, 9);	/* the message holds a copy */
	kfree(big, 1024 * 1024);

	TEQ(t, tmsg_recv(a, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_size, TMSG_BASE + 3 * TMSG_PORT + 3 * TMSG_OOL);
	KTEST_EXPECT_TRUE(t, m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	off = TMSG_BASE;
	pd = tmsg_desc_at(&m, off);
	TEQ(t, pd->disposition, MACH_MSG_TYPE_PORT_SEND);
	TEQ(t, ipc_test_type(a, pd->name), MACH_PORT_TYPE_SEND);
	off += TMSG_PORT;
	pd = tmsg_desc_at(&m, off);
	TEQ(t, pd->disposition, MACH_MSG_TYPE_PORT_SEND_ONCE);
	TEQ(t, ipc_test_type(a, pd->name), MACH_PORT_TYPE_SEND_ONCE);
	off += TMSG_PORT;
	ool = tmsg_desc_at(&m, off);
	TEQ(t, ool->size, 4096u);
	KTEST_ASSERT_NOT_NULL(t, ool->address);
	KTEST_EXPECT_TRUE(t, check(ool->address, 4096, 1));
	ipc_ool_free(ool->address, ool->size);
	off += TMSG_OOL;
	ool = tmsg_desc_at(&m, off);
	TEQ(t, ool->size, 1024u * 1024);
	KTEST_ASSERT_NOT_NULL(t, ool->address);
	KTEST_EXPECT_TRUE(t, check(ool->address, 1024 * 1024, 2));
	ipc_ool_free(ool->address, ool->size);
	off += TMSG_OOL;
	op = tmsg_desc_at(&m, off);
	TEQ(t, op->count, 3u);
	TEQ(t, op->disposition, MACH_MSG_TYPE_PORT_SEND);
	got = op->address;
	KTEST_ASSERT_NOT_NULL(t, got);
	names[2] = got[2];
	/* Send rights to one port coalesce under one name. */
	TEQ(t, got[0], ((mach_msg_user_port_descriptor_t *)
				    tmsg_desc_at(&m, TMSG_BASE))->name);
	TEQ(t, got[1], MACH_PORT_NAME_NULL);
	/* r's receive right, further on, joined that send right's name. */
	TEQ(t, ipc_test_type(a, got[2]), MACH_PORT_TYPE_SEND_RECEIVE);
	TEQ(t, ipc_test_refs(a, got[0], MACH_PORT_RIGHT_SEND), 2u);
	ipc_ool_free(got, 3 * sizeof(mach_port_name_t));
	off += TMSG_OOL;
	pd = tmsg_desc_at(&m, off);
	TEQ(t, pd->disposition, MACH_MSG_TYPE_PORT_RECEIVE);
	/* The receive right of r arrived, with the send right the array gave. */
	TEQ(t, pd->name, names[2]);
	TEQ(t, ipc_test_type(a, pd->name), MACH_PORT_TYPE_SEND_RECEIVE);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/* A simple message carrying one right in a port descriptor. */
static mach_msg_return_t send_right(ipc_space_t s, mach_port_name_t dest,
				    mach_msg_type_name_t ddisp, mach_port_name_t right,
				    mach_msg_type_name_t disp)
{
	struct tmsg m;
	struct tmsg_desc *c;

	tmsg_header(&m, MACH_MSGH_BITS(ddisp, 0), dest, 0, 0, TMSG_BASE + TMSG_PORT);
	c = tmsg_complex(&m, 1);
	tmsg_port_desc(&c->d[0], right, disp);
	return tmsg_send(s, &m, 0, 0);
}

/* Receive rights in transit carry their queue; cycles are refused. */
static void ipc_mach_msg_test_transit(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, b), r = ipc_test_port(t, a);
	mach_port_name_t sp = give_send(t, b, p, a), rn;
	struct ipc_stats before, after;
	struct tmsg m;

	/* A message waits on r; r's receive right goes to b through p. */
	TEQ(t, tmsg_send_simple(a, r, MACH_MSG_TYPE_MAKE_SEND, 55), MACH_MSG_SUCCESS);
	TEQ(t, send_right(a, sp, MACH_MSG_TYPE_COPY_SEND, r,
				      MACH_MSG_TYPE_MOVE_RECEIVE), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_type(a, r), ~0u);
	TEQ(t, tmsg_recv(b, &m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	rn = ((struct tmsg_desc *)&m)->d[0].port.name;
	TEQ(t, ipc_test_type(b, rn), MACH_PORT_TYPE_RECEIVE);
	TEQ(t, tmsg_recv(b, &m, rn, 0, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 55);
	TEQ(t, m.h.msgh_local_port, rn);

	/* To itself: "sent", and destroyed with the right. */
	ipc_stats_get(&before);
	r = ipc_test_port(t, a);
	TEQ(t, send_right(a, r, MACH_MSG_TYPE_MAKE_SEND, r,
				      MACH_MSG_TYPE_MOVE_RECEIVE), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_type(a, r), ~0u);
	ipc_stats_get(&after);
	TEQ(t, after.ports_active, before.ports_active);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/* r1 travels to r2; then r2's receive right is sent to r1: a cycle of two. */
static void ipc_mach_msg_test_cycle2(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t r1 = ipc_test_port(t, a), r2 = ipc_test_port(t, a);
	mach_port_name_t s1 = give_send(t, a, r1, a);
	struct ipc_stats before, after;

	TEQ(t, s1, r1);
	ipc_stats_get(&before);
	/* r1 (with a send right kept) goes in a message queued on r2. */
	TEQ(t, send_right(a, r2, MACH_MSG_TYPE_MAKE_SEND, r1,
				      MACH_MSG_TYPE_MOVE_RECEIVE), MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_type(a, s1), MACH_PORT_TYPE_SEND);
	/* r2 to r1 (in transit to r2): circular, so destroyed; both ports die. */
	TEQ(t, send_right(a, s1, MACH_MSG_TYPE_COPY_SEND, r2,
				      MACH_MSG_TYPE_MOVE_RECEIVE), MACH_MSG_SUCCESS);
	ipc_stats_get(&after);
	TEQ(t, after.ports_active, before.ports_active - 2);
	TEQ(t, ipc_test_type(a, s1), MACH_PORT_TYPE_DEAD_NAME);
	TEQ(t, ipc_test_type(a, r2), ~0u);
	ipc_test_space_done(a);
}

/* Port sets: queued messages follow their port in and out. */
static void ipc_mach_msg_test_pset(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p1 = ipc_test_port(t, a), p2 = ipc_test_port(t, a), s;
	struct tmsg m;

	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &s), KERN_SUCCESS);
	TEQ(t, tmsg_send_simple(a, p1, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_poll(a, &m, s), MACH_RCV_TIMED_OUT);
	TEQ(t, ipc_mach_port_move_member(a, p1, s), KERN_SUCCESS);
	TEQ(t, ipc_mach_port_move_member(a, p2, s), KERN_SUCCESS);
	TEQ(t, tmsg_poll(a, &m, s), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_local_port, p1);
	TEQ(t, m.h.msgh_id, 1);
	TEQ(t, tmsg_send_simple(a, p2, MACH_MSG_TYPE_MAKE_SEND, 2), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_send_simple(a, p1, MACH_MSG_TYPE_MAKE_SEND, 3), MACH_MSG_SUCCESS);
	/* A member can still be received on by itself. */
	TEQ(t, tmsg_poll(a, &m, p1), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 3);
	TEQ(t, tmsg_poll(a, &m, p1), MACH_RCV_TIMED_OUT);
	TEQ(t, tmsg_poll(a, &m, s), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_local_port, p2);
	/* Leaving the set, a port takes its messages along. */
	TEQ(t, tmsg_send_simple(a, p2, MACH_MSG_TYPE_MAKE_SEND, 4), MACH_MSG_SUCCESS);
	TEQ(t, ipc_mach_port_move_member(a, p2, MACH_PORT_NAME_NULL), KERN_SUCCESS);
	TEQ(t, tmsg_poll(a, &m, s), MACH_RCV_TIMED_OUT);
	TEQ(t, tmsg_poll(a, &m, p2), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 4);
	/* A set destroyed with messages queued on a member. */
	TEQ(t, tmsg_send_simple(a, p1, MACH_MSG_TYPE_MAKE_SEND, 5), MACH_MSG_SUCCESS);
	TEQ(t, ipc_mach_port_destroy(a, s), KERN_SUCCESS);
	TEQ(t, tmsg_poll(a, &m, p1), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 5);
	/* Messages die with their port. */
	TEQ(t, tmsg_send_simple(a, p1, MACH_MSG_TYPE_MAKE_SEND, 6), MACH_MSG_SUCCESS);
	ipc_test_space_done(a);
}

/* A thread that receives or sends once and records the result. */
struct msg_job {
	ipc_space_t		space;
	mach_port_name_t	name;
	mach_msg_option_t	option;
	mach_msg_timeout_t	timeout;
	int			done;
	mach_msg_return_t	mr;
	struct tmsg		m;
};

/* Start fn(j) on another CPU and wait until it blocks. */
static struct thread *job_start(struct ktest *t, struct msg_job *j, void (*fn)(void *),
				ipc_space_t space, mach_port_name_t name)
{
	struct thread *th;

	memset(j, 0, sizeof(*j));
	j->space = space;
	j->name = name;
	th = sched_test_thread(fn, j, BASEPRI_KERNEL, "ipc_job", sched_test_other_cpu(0));
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, sched_test_wait_blocked(th, 5 * NSEC_PER_SEC));
	return th;
}

static void job_finish(struct ktest *t, struct thread *th, struct msg_job *j,
		       mach_msg_return_t want)
{
	KTEST_EXPECT_TRUE(t, sched_test_join(th, 5 * NSEC_PER_SEC));
	thread_deallocate(th);
	TEQ(t, j->done, 1);
	TEQ(t, j->mr, want);
}

static void rcv_thread(void *arg)
{
	struct msg_job *j = arg;

	j->mr = tmsg_recv(j->space, &j->m, j->name, j->option, j->timeout, 0);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
}



/* Receivers that wait: on a port, on a set that changes, and what ends their wait. */
static void ipc_mach_msg_test_waiting(struct ktest *t)
{
	static struct msg_job j;
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), q = ipc_test_port(t, a), s;
	struct thread *th;

	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &s), KERN_SUCCESS);
	th = job_start(t, &j, rcv_thread, a, p);
	TEQ(t, tmsg_send_simple(a, p, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	TEQ(t, j.m.h.msgh_id, 1);

	/* Waiting on an empty set; a port with a queued message joins it. */
	TEQ(t, tmsg_send_simple(a, q, MACH_MSG_TYPE_MAKE_SEND, 2), MACH_MSG_SUCCESS);
	th = job_start(t, &j, rcv_thread, a, s);
	TEQ(t, ipc_mach_port_move_member(a, q, s), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	TEQ(t, j.m.h.msgh_id, 2);
	TEQ(t, j.m.h.msgh_local_port, q);
	/* A send to a member reaches the set's receiver. */
	th = job_start(t, &j, rcv_thread, a, s);
	TEQ(t, tmsg_send_simple(a, q, MACH_MSG_TYPE_MAKE_SEND, 3), MACH_MSG_SUCCESS);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	TEQ(t, j.m.h.msgh_id, 3);

	/* The set dies, the port dies, the wait is interrupted, or times out. */
	th = job_start(t, &j, rcv_thread, a, s);
	TEQ(t, ipc_mach_port_destroy(a, s), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_RCV_PORT_DIED);
	th = job_start(t, &j, rcv_thread, a, p);
	TEQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_RCV_PORT_DIED);
	th = job_start(t, &j, rcv_thread, a, q);
	TEQ(t, thread_interrupt(th), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_RCV_INTERRUPTED);
	memset(&j, 0, sizeof(j));
	j.space = a;
	j.name = q;
	j.option = MACH_RCV_TIMEOUT;
	j.timeout = 20;
	rcv_thread(&j);
	TEQ(t, j.mr, MACH_RCV_TIMED_OUT);
	ipc_test_space_done(a);
}

/* A thread that sends once (MOVE_SEND of `name`) and records the result. */

static void snd_thread(void *arg)
{
	struct msg_job *j = arg;
	struct tmsg m;

	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0), j->name, 0, 9, HSZ);
	j->mr = tmsg_send(j->space, &m, 0, 0);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
}



/* Queue limits: timeouts, senders that block, the limit raised, interrupts. */
static void ipc_mach_msg_test_qlimit(struct ktest *t)
{
	static struct msg_job j;
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), sp = give_send(t, a, p, b), r;
	struct thread *th;
	struct tmsg m;
	uint64_t t0;

	r = ipc_test_port(t, b);
	TEQ(t, ipc_mach_port_set_qlimit(a, p, 1), KERN_SUCCESS);
	TEQ(t, ipc_mach_port_mod_refs(b, sp, MACH_PORT_RIGHT_SEND, 9), KERN_SUCCESS);
	TEQ(t, tmsg_send_simple(b, sp, MACH_MSG_TYPE_COPY_SEND, 1), MACH_MSG_SUCCESS);
	/* Full: a timed-out send gives the message back, rights and all. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    sp, r, 2, HSZ);
	TEQ(t, tmsg_send(b, &m, MACH_SEND_TIMEOUT, 0), MACH_SEND_TIMED_OUT);
	TEQ(t, m.h.msgh_remote_port, sp);
	TEQ(t, m.h.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND,
							 MACH_MSG_TYPE_PORT_SEND_ONCE));
	TEQ(t, ipc_test_refs(b, sp, MACH_PORT_RIGHT_SEND), 10u);
	TEQ(t, ipc_test_type(b, m.h.msgh_local_port), MACH_PORT_TYPE_SEND_ONCE);
	TEQ(t, ipc_mach_port_deallocate(b, m.h.msgh_local_port), KERN_SUCCESS);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), sp, 0, 3, HSZ);
	t0 = clock_now();
	TEQ(t, tmsg_send(b, &m, MACH_SEND_TIMEOUT, 20), MACH_SEND_TIMED_OUT);
	TGE(t, clock_now() - t0, 19 * NSEC_PER_MSEC);
	/* A send-once destination ignores the limit. */
	{
		mach_port_name_t so = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);

		tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), so, 0, 4, HSZ);
		TEQ(t, tmsg_send(b, &m, MACH_SEND_TIMEOUT, 0), MACH_MSG_SUCCESS);
	}
	TEQ(t, tmsg_poll(a, &m, p), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 1);
	TEQ(t, tmsg_poll(a, &m, p), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 4);

	/* A blocked sender goes on when a message is received. */
	TEQ(t, tmsg_send_simple(b, sp, MACH_MSG_TYPE_COPY_SEND, 5), MACH_MSG_SUCCESS);
	th = job_start(t, &j, snd_thread, b, sp);
	TEQ(t, j.done, 0);
	TEQ(t, tmsg_poll(a, &m, p), MACH_MSG_SUCCESS);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	TEQ(t, tmsg_poll(a, &m, p), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 9);
	/* ... when the limit goes up. */
	TEQ(t, tmsg_send_simple(b, sp, MACH_MSG_TYPE_COPY_SEND, 6), MACH_MSG_SUCCESS);
	th = job_start(t, &j, snd_thread, b, sp);
	TEQ(t, ipc_mach_port_set_qlimit(a, p, 2), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	/* ... interrupted: the message comes back. */
	th = job_start(t, &j, snd_thread, b, sp);
	TEQ(t, thread_interrupt(th), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_SEND_INTERRUPTED);
	/* ... the port dies: the message was sent, and is lost. */
	th = job_start(t, &j, snd_thread, b, sp);
	TEQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	TEQ(t, ipc_test_type(b, sp), MACH_PORT_TYPE_DEAD_NAME);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/* Sequence numbers and trailers. */
static void ipc_mach_msg_test_trailer(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a);
	mach_msg_option_t seqno = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				  MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO);
	mach_msg_option_t sender = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER);
	struct tmsg m;
	int i;

	for (i = 0; i < 3; i++)
		TEQ(t, tmsg_send_simple(a, p, MACH_MSG_TYPE_MAKE_SEND, i),
				MACH_MSG_SUCCESS);
	for (i = 0; i < 2; i++) {
		TEQ(t, tmsg_recv(a, &m, p, seqno, 0, 0), MACH_MSG_SUCCESS);
		TEQ(t, tmsg_trailer(&m)->msgh_trailer_size,
				(mach_msg_size_t)sizeof(mach_msg_seqno_trailer_t));
		TEQ(t, tmsg_trailer(&m)->msgh_seqno, (unsigned int)i);
	}
	TEQ(t, tmsg_recv(a, &m, p, sender, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_trailer(&m)->msgh_trailer_size,
			(mach_msg_size_t)sizeof(mach_msg_security_trailer_t));
	TEQ(t, tmsg_trailer(&m)->msgh_seqno, 2u);
	TEQ(t, tmsg_trailer(&m)->msgh_sender.val[0], 0u);
	TEQ(t, ipc_mach_port_set_seqno(a, p, 42), KERN_SUCCESS);
	TEQ(t, tmsg_send_simple(a, p, MACH_MSG_TYPE_MAKE_SEND, 9), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_recv(a, &m, p, seqno, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_trailer(&m)->msgh_seqno, 42u);
	ipc_test_space_done(a);
}

/* Too large for the receiver: kept with MACH_RCV_LARGE, else destroyed. */
static void ipc_mach_msg_test_too_large(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), r = ipc_test_port(t, a);
	struct tmsg m;

	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    p, r, 1, 100);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_recv(a, &m, p, MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0, 64),
			MACH_RCV_TOO_LARGE);
	TEQ(t, m.h.msgh_size, 100 + MACH_MSG_TRAILER_MINIMUM_SIZE);
	TEQ(t, tmsg_recv(a, &m, p, MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0, 108),
			MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_size, 100u);
	TEQ(t, ipc_mach_port_deallocate(a, m.h.msgh_remote_port), KERN_SUCCESS);

	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    p, r, 2, 100);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_recv(a, &m, p, MACH_RCV_TIMEOUT, 0, 64), MACH_RCV_TOO_LARGE);
	TEQ(t, m.h.msgh_size, 100u);
	TEQ(t, m.h.msgh_local_port, p);
	TEQ(t, m.h.msgh_remote_port, MACH_PORT_NAME_NULL);
	TEQ(t, tmsg_poll(a, &m, p), MACH_RCV_TIMED_OUT);

	/*
	 * RPCs to a port nobody waits on, received from it: the fast path's
	 * entry writes the option and the receive's size into the thread
	 * and declines (the size too small for it; no receiver), and the
	 * general path takes both from there: the size (MACH_RCV_LARGE
	 * keeps the message), then the trailer asked for.
	 */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 3, HSZ);
	TEQ(t, ipc_mach_msg(a, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, HSZ,
			    HSZ + 4, p, 0, 0), MACH_RCV_TOO_LARGE);
	TEQ(t, m.h.msgh_size, HSZ + MACH_MSG_TRAILER_MINIMUM_SIZE);
	TEQ(t, tmsg_recv(a, &m, p, MACH_RCV_TIMEOUT, 0, HSZ + MACH_MSG_TRAILER_MINIMUM_SIZE),
	    MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 3);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 4, HSZ);
	TEQ(t, ipc_mach_msg(a, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), HSZ, sizeof(m), p,
			    0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 4);
	TEQ(t, tmsg_trailer(&m)->msgh_trailer_size,
	    (mach_msg_size_t)sizeof(mach_msg_seqno_trailer_t));
	TEQ(t, tmsg_poll(a, &m, p), MACH_RCV_TIMED_OUT);
	ipc_test_space_done(a);
}

/* The receiver's space has no room: header and body errors. */
static void ipc_mach_msg_test_rcv_errors(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, b), sp = give_send(t, b, p, a);
	mach_port_name_t x = ipc_test_port(t, a);
	struct tmsg m;
	mach_port_name_t d;
	int n = 0;

	/* Fill b's names: nothing more can be named there. */
	TEQ(t, ipc_space_set_limit(b, 64), KERN_SUCCESS);
	while (ipc_mach_port_allocate(b, MACH_PORT_RIGHT_DEAD_NAME, &d) == KERN_SUCCESS && n < 100)
		n++;
	TGT(t, n, 0);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND), sp, x,
		    1, HSZ);
	TEQ(t, tmsg_send(a, &m, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_poll(b, &m, p), MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE);
	TEQ(t, m.h.msgh_local_port, p);
	TEQ(t, m.h.msgh_remote_port, MACH_PORT_NAME_NULL);
	TEQ(t, send_right(a, sp, MACH_MSG_TYPE_COPY_SEND, x,
				      MACH_MSG_TYPE_MAKE_SEND), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_poll(b, &m, p), MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE);
	TEQ(t, ((struct tmsg_desc *)&m)->d[0].port.name, MACH_PORT_NAME_NULL);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/* RPC: a server thread answers requests through send-once reply rights. */
struct rpc_server {
	ipc_space_t		space;
	mach_port_name_t	port;
	unsigned int		served;
};

static void rpc_server_thread(void *arg)
{
	struct rpc_server *s = arg;
	struct tmsg m;

	for (;;) {
		if (tmsg_recv(s->space, &m, s->port, 0, 0, 0) != MACH_MSG_SUCCESS)
			return;
		if (m.h.msgh_id == 999)
			return;
		s->served++;
		tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
			    m.h.msgh_remote_port, 0, m.h.msgh_id + 100, HSZ + 4);
		m.w[6] = s->served;
		tmsg_send(s->space, &m, 0, 0);
	}
}

static void ipc_mach_msg_test_rpc(struct ktest *t)
{
	static struct rpc_server s;
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, b), sp = give_send(t, b, p, a);
	mach_port_name_t reply = ipc_test_port(t, a);
	struct thread *th;
	struct tmsg m;
	unsigned int i;
	bool ok = true;

	s.space = b;
	s.port = p;
	s.served = 0;
	th = sched_test_thread(rpc_server_thread, &s, BASEPRI_KERNEL, "ipc_rpc",
			       sched_test_other_cpu(0));
	KTEST_ASSERT_NOT_NULL(t, th);
	for (i = 0; i < 500; i++) {
		tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					       MACH_MSG_TYPE_MAKE_SEND_ONCE), sp, reply, 1, HSZ + 4);
		m.w[6] = i;
		if (ipc_mach_msg(a, (mach_msg_header_t *)&m, MACH_SEND_MSG | MACH_RCV_MSG,
				 HSZ + 4, sizeof(m), reply, 0, 0) != MACH_MSG_SUCCESS ||
		    m.h.msgh_id != 101 || m.w[6] != i + 1 || m.h.msgh_local_port != reply)
			ok = false;
	}
	KTEST_EXPECT_TRUE(t, ok);
	TEQ(t, tmsg_send_simple(a, sp, MACH_MSG_TYPE_COPY_SEND, 999), MACH_MSG_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, 10 * NSEC_PER_SEC));
	thread_deallocate(th);
	TEQ(t, s.served, 500u);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/*
 * The RPC fast path (Documentation/ipc.rst, "The fast path"): header-only
 * RPCs to a server that replies and waits in one call. Both threads are
 * bound to one CPU, so that each send finds its receiver waiting.
 */
#define RPC_SEQNO	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
			 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO))

struct rpc_fast {
	ipc_space_t		space;
	mach_port_name_t	port;		/* the port requests go to */
	mach_port_name_t	rcv;		/* what the server receives from */
	unsigned int		seqno;		/* the port's first request's */
	unsigned int		served;
	bool			bad;
};

static void rpc_fast_server(void *arg)
{
	struct rpc_fast *s = arg;
	mach_msg_option_t option = MACH_RCV_MSG | RPC_SEQNO;
	mach_msg_size_t send = 0;
	struct tmsg m;

	for (;;) {
		if (ipc_mach_msg(s->space, (mach_msg_header_t *)&m, option, send, sizeof(m),
				 s->rcv, 0, 0) != MACH_MSG_SUCCESS || m.h.msgh_id == 999)
			return;
		/* The request: its port's receive name, a send-once reply, seqnos in order. */
		if (m.h.msgh_size != HSZ || m.h.msgh_local_port != s->port ||
		    m.h.msgh_bits != MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
						     MACH_MSG_TYPE_PORT_SEND) ||
		    tmsg_trailer(&m)->msgh_seqno != s->seqno + s->served ||
		    tmsg_trailer(&m)->msgh_trailer_size != sizeof(mach_msg_seqno_trailer_t))
			s->bad = true;
		s->served++;
		tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
			    m.h.msgh_remote_port, 0, m.h.msgh_id + 100, HSZ);
		option = MACH_SEND_MSG | MACH_RCV_MSG | RPC_SEQNO;
		send = HSZ;
	}
}

/* n RPCs to dest; the replies' seqnos on `reply` start at seqno. */
static bool rpc_fast_calls(ipc_space_t a, mach_port_name_t dest, mach_msg_type_name_t disp,
			   mach_port_name_t reply, unsigned int n, unsigned int seqno)
{
	struct tmsg m;
	unsigned int i;
	bool ok = true;

	for (i = 0; i < n; i++) {
		tmsg_header(&m, MACH_MSGH_BITS(disp, MACH_MSG_TYPE_MAKE_SEND_ONCE), dest, reply,
			    (mach_msg_id_t)i, HSZ);
		if (ipc_mach_msg(a, (mach_msg_header_t *)&m,
				 MACH_SEND_MSG | MACH_RCV_MSG | RPC_SEQNO, HSZ, sizeof(m), reply,
				 0, 0) != MACH_MSG_SUCCESS ||
		    m.h.msgh_id != (mach_msg_id_t)i + 100 || m.h.msgh_size != HSZ ||
		    m.h.msgh_remote_port != MACH_PORT_NAME_NULL || m.h.msgh_local_port != reply ||
		    m.h.msgh_bits != MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) ||
		    tmsg_trailer(&m)->msgh_seqno != seqno + i)
			ok = false;
	}
	return ok;
}

static struct thread *rpc_fast_start(struct ktest *t, struct rpc_fast *s, ipc_space_t space,
				     mach_port_name_t port, mach_port_name_t rcv,
				     unsigned int seqno)
{
	struct thread *th;

	s->seqno = seqno;
	s->space = space;
	s->port = port;
	s->rcv = rcv;
	s->served = 0;
	s->bad = false;
	th = sched_test_thread(rpc_fast_server, s, BASEPRI_KERNEL, "ipc_rpc_fast",
			       (int)cpu_number());
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, sched_test_wait_blocked(th, 5 * NSEC_PER_SEC));
	return th;
}

static void rpc_fast_stop(struct ktest *t, struct rpc_fast *s, struct thread *th,
			  ipc_space_t a, mach_port_name_t dest, mach_msg_type_name_t disp,
			  unsigned int served)
{
	TEQ(t, tmsg_send_simple(a, dest, disp, 999), MACH_MSG_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, 10 * NSEC_PER_SEC));
	thread_deallocate(th);
	TEQ(t, s->served, served);
	KTEST_EXPECT_FALSE(t, s->bad);
}

/*
 * A server of the client's own space whose requests' reply names the
 * client's sends made (the fast path's copyout by the sender): by the
 * request's id, it replies (0), deallocates the reply right (1), renames
 * it and replies under the new name (2), or destroys it (3): the client
 * gets the reply or the send-once notification.
 */
static void rpc_fast_rights_server(void *arg)
{
	struct rpc_fast *s = arg;
	mach_msg_option_t option = MACH_RCV_MSG;
	mach_msg_size_t send = 0;
	mach_port_name_t reply, to;
	struct tmsg m;

	for (;;) {
		if (ipc_mach_msg(s->space, (mach_msg_header_t *)&m, option, send, sizeof(m),
				 s->rcv, 0, 0) != MACH_MSG_SUCCESS || m.h.msgh_id == 999)
			return;
		reply = m.h.msgh_remote_port;
		if (ipc_test_type(s->space, reply) != MACH_PORT_TYPE_SEND_ONCE)
			s->bad = true;
		s->served++;
		option = MACH_RCV_MSG;
		send = 0;
		switch (m.h.msgh_id % 4) {
		case 1:
			if (ipc_mach_port_deallocate(s->space, reply) != KERN_SUCCESS)
				s->bad = true;
			continue;
		case 3:
			if (ipc_mach_port_destroy(s->space, reply) != KERN_SUCCESS)
				s->bad = true;
			continue;
		case 2:
			to = MACH_PORT_MAKE(200 + (unsigned int)m.h.msgh_id, 0);
			if (ipc_mach_port_rename(s->space, reply, to) != KERN_SUCCESS ||
			    ipc_test_type(s->space, reply) != ~0U)
				s->bad = true;
			reply = to;
			break;
		}
		tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), reply, 0,
			    m.h.msgh_id + 100, HSZ);
		option = MACH_SEND_MSG | MACH_RCV_MSG;
		send = HSZ;
	}
}

/* n RPCs to rpc_fast_rights_server() on dest (a receive right of `a`). */
static void rpc_fast_rights(struct ktest *t, ipc_space_t a, mach_port_name_t dest,
			    mach_port_name_t reply, unsigned int n)
{
	unsigned int i, bad = 0;
	struct tmsg m;

	for (i = 0; i < n; i++) {
		tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND,
					       MACH_MSG_TYPE_MAKE_SEND_ONCE),
			    dest, reply, (mach_msg_id_t)i, HSZ);
		if (ipc_mach_msg(a, (mach_msg_header_t *)&m, MACH_SEND_MSG | MACH_RCV_MSG, HSZ,
				 sizeof(m), reply, 0, 0) != MACH_MSG_SUCCESS ||
		    m.h.msgh_id != (i % 2 ? MACH_NOTIFY_SEND_ONCE : (mach_msg_id_t)i + 100) ||
		    m.h.msgh_local_port != reply)
			bad++;
	}
	TEQ(t, bad, 0);
}

/*
 * A receiver of the sender's own space, named there by the sender, whose
 * space dies before it runs: what the general copyout gives (see above),
 * the reply right destroyed with the space. A second receiver, of
 * another space, gets a message without a reply right (its copyout made
 * by the sender too), its space dies, and it succeeds, the destination
 * dead.
 */
static void ipc_mach_msg_rpc_fast_dead_space(struct ktest *t)
{
	static struct msg_job j, k;
	ipc_space_t c = ipc_test_space(t), d = ipc_test_space(t);
	mach_port_name_t q = ipc_test_port(t, c), r = ipc_test_port(t, d);
	mach_port_name_t sr = give_send(t, d, r, c), reply = ipc_test_port(t, c);
	unsigned long named;
	struct thread *th, *th2;
	struct tmsg m;

	th = job_start(t, &j, rcv_thread, c, q);
	th2 = job_start(t, &k, rcv_thread, d, r);
	TEQ(t, thread_suspend(th), KERN_SUCCESS);
	TEQ(t, thread_suspend(th2), KERN_SUCCESS);
	named = ipc_mach_msg_fast_named_count();
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    q, reply, 8, HSZ);
	TEQ(t, ipc_mach_msg(c, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, HSZ, sizeof(m),
			    reply, 0, 0), MACH_RCV_TIMED_OUT);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), sr, MACH_PORT_NAME_NULL, 9,
		    HSZ);
	TEQ(t, ipc_mach_msg(c, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, HSZ, sizeof(m),
			    reply, 0, 0), MACH_RCV_TIMED_OUT);
	TEQ(t, ipc_mach_msg_fast_named_count() - named, 2);
	ipc_space_destroy(c);
	ipc_space_destroy(d);
	TEQ(t, thread_resume(th), KERN_SUCCESS);
	TEQ(t, thread_resume(th2), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE);
	TEQ(t, j.m.h.msgh_id, 8);
	TEQ(t, j.m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
	TEQ(t, j.m.h.msgh_remote_port, MACH_PORT_NAME_NULL);
	TEQ(t, j.m.h.msgh_local_port, MACH_PORT_NAME_DEAD);
	job_finish(t, th2, &k, MACH_MSG_SUCCESS);
	TEQ(t, k.m.h.msgh_id, 9);
	TEQ(t, k.m.h.msgh_remote_port, MACH_PORT_NAME_NULL);
	TEQ(t, k.m.h.msgh_local_port, MACH_PORT_NAME_DEAD);
	TEQ(t, k.m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
	ipc_space_release(d);
	ipc_space_release(c);
}

/* A client that makes one RPC, started with TH_ABORT already set. */
struct rpc_abort {
	ipc_space_t		space;
	mach_port_name_t	dest, reply;
	mach_msg_return_t	mr;
	struct tmsg		m;
};

static void rpc_abort_client(void *arg)
{
	struct rpc_abort *c = arg;

	tmsg_header(&c->m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    c->dest, c->reply, 5, HSZ);
	c->mr = ipc_mach_msg(c->space, (mach_msg_header_t *)&c->m, MACH_SEND_MSG | MACH_RCV_MSG,
			     HSZ, sizeof(c->m), c->reply, 0, 0);
}

/*
 * A client being terminated (TH_ABORT set before it runs) makes a fast
 * RPC to a receiver that never replies: the request is sent the fast way
 * and the receiver gets it, and the declare's look at TH_ABORT ends the
 * client's wait at once (the fast path does not look before):
 * MACH_RCV_INTERRUPTED, where a wait that missed the abort would never
 * end. Every count goes back to its baseline.
 */
static void ipc_mach_msg_rpc_fast_aborted(struct ktest *t)
{
	static struct rpc_abort c;
	static struct msg_job j;
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t own = ipc_test_port(t, a), reply = ipc_test_port(t, a);
	int cpu = (int)cpu_number();
	unsigned long fast;
	struct thread *th, *cl;

	/* The receiver on our CPU, as the client: the claim is the lockless one. */
	thread_bind(current_thread(), cpu);
	memset(&j, 0, sizeof(j));
	j.space = a;
	j.name = own;
	th = sched_test_thread(rcv_thread, &j, BASEPRI_KERNEL, "ipc_job", cpu);
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, sched_test_wait_blocked(th, 5 * NSEC_PER_SEC));
	memset(&c, 0, sizeof(c));
	c.space = a;
	c.dest = own;
	c.reply = reply;
	cl = sched_test_thread_suspended(rpc_abort_client, &c, BASEPRI_KERNEL, "ipc_rpc_abort",
					 cpu);
	KTEST_ASSERT_NOT_NULL(t, cl);
	fast = ipc_mach_msg_fast_count();
	TEQ(t, thread_terminate_request(cl), KERN_SUCCESS);	/* TH_ABORT; it runs */
	KTEST_EXPECT_TRUE(t, sched_test_join(cl, 5 * NSEC_PER_SEC));
	thread_deallocate(cl);
	TEQ(t, c.mr, MACH_RCV_INTERRUPTED);
	TEQ(t, ipc_mach_msg_fast_count() - fast, 1);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	TEQ(t, j.m.h.msgh_id, 5);
	TEQ(t, j.m.h.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE,
					       MACH_MSG_TYPE_PORT_SEND));
	TEQ(t, j.m.h.msgh_local_port, own);
	TEQ(t, ipc_test_type(a, j.m.h.msgh_remote_port), MACH_PORT_TYPE_SEND_ONCE);
	thread_bind(current_thread(), -1);
	ipc_test_space_done(a);
}

static void ipc_mach_msg_test_rpc_fast(struct ktest *t)
{
	static struct rpc_fast s;
	static struct msg_job j;
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, b), sp = give_send(t, b, p, a);
	mach_port_name_t q = ipc_test_port(t, b), sq = give_send(t, b, q, a);
	mach_port_name_t reply = ipc_test_port(t, a), own = ipc_test_port(t, a), set;
	unsigned long fast, named;
	struct thread *th;
	struct tmsg m;

	thread_bind(current_thread(), (int)cpu_number());

	/*
	 * COPY_SEND across spaces, MAKE_SEND in one: every send after the
	 * first is fast; in one space the sender also makes the receiver's
	 * copyout (the reply's send-once name), across spaces only for the
	 * replies (no reply right: the destination's name is all of it).
	 */
	th = rpc_fast_start(t, &s, b, p, p, 0);
	fast = ipc_mach_msg_fast_count();
	named = ipc_mach_msg_fast_named_count();
	KTEST_EXPECT_TRUE(t, rpc_fast_calls(a, sp, MACH_MSG_TYPE_COPY_SEND, reply, 100, 0));
	TEQ(t, ipc_mach_msg_fast_count() - fast, 200);
	TEQ(t, ipc_mach_msg_fast_named_count() - named, 100);
	rpc_fast_stop(t, &s, th, a, sp, MACH_MSG_TYPE_COPY_SEND, 100);
	th = rpc_fast_start(t, &s, a, own, own, 0);
	fast = ipc_mach_msg_fast_count();
	named = ipc_mach_msg_fast_named_count();
	KTEST_EXPECT_TRUE(t, rpc_fast_calls(a, own, MACH_MSG_TYPE_MAKE_SEND, reply, 100, 100));
	TEQ(t, ipc_mach_msg_fast_count() - fast, 200);
	TEQ(t, ipc_mach_msg_fast_named_count() - named, 200);
	rpc_fast_stop(t, &s, th, a, own, MACH_MSG_TYPE_MAKE_SEND, 100);

	/*
	 * A made send-once destination goes the fast way too, and reaches
	 * the receiver as a send-once right (the receive times out here).
	 */
	th = job_start(t, &j, rcv_thread, a, own);
	fast = ipc_mach_msg_fast_count();
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0), own,
		    MACH_PORT_NAME_NULL, 11, HSZ);
	TEQ(t, ipc_mach_msg(a, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, HSZ, sizeof(m),
			    reply, 0, 0), MACH_RCV_TIMED_OUT);
	TEQ(t, ipc_mach_msg_fast_count() - fast, 1);
	job_finish(t, th, &j, MACH_MSG_SUCCESS);
	TEQ(t, j.m.h.msgh_id, 11);
	TEQ(t, j.m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
	TEQ(t, j.m.h.msgh_local_port, own);
	TEQ(t, j.m.h.msgh_remote_port, MACH_PORT_NAME_NULL);

	/* A server waiting on a set: the requests go the general way, the replies fast. */
	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(b, MACH_PORT_RIGHT_PORT_SET, &set),
			KERN_SUCCESS);
	TEQ(t, ipc_mach_port_move_member(b, p, set), KERN_SUCCESS);
	th = rpc_fast_start(t, &s, b, p, set, 101);	/* after 100 and the stop */
	fast = ipc_mach_msg_fast_count();
	KTEST_EXPECT_TRUE(t, rpc_fast_calls(a, sp, MACH_MSG_TYPE_COPY_SEND, reply, 50, 200));
	TEQ(t, ipc_mach_msg_fast_count() - fast, 50);
	rpc_fast_stop(t, &s, th, a, sp, MACH_MSG_TYPE_COPY_SEND, 50);
	/* Out of the set (its seqno goes on): the requests fast again (ip_fast_off). */
	TEQ(t, ipc_mach_port_move_member(b, p, MACH_PORT_NAME_NULL), KERN_SUCCESS);
	th = rpc_fast_start(t, &s, b, p, p, 152);
	fast = ipc_mach_msg_fast_count();
	KTEST_EXPECT_TRUE(t, rpc_fast_calls(a, sp, MACH_MSG_TYPE_COPY_SEND, reply, 50, 250));
	TEQ(t, ipc_mach_msg_fast_count() - fast, 100);
	rpc_fast_stop(t, &s, th, a, sp, MACH_MSG_TYPE_COPY_SEND, 50);

	/* A full queue and no receiver: the general path times out and gives it back. */
	TEQ(t, ipc_mach_port_set_qlimit(b, q, 1), KERN_SUCCESS);
	TEQ(t, tmsg_send_simple(a, sq, MACH_MSG_TYPE_COPY_SEND, 5), MACH_MSG_SUCCESS);
	fast = ipc_mach_msg_fast_count();
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    sq, reply, 6, HSZ);
	TEQ(t, ipc_mach_msg(a, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT, HSZ, sizeof(m),
			    reply, 0, 0), MACH_SEND_TIMED_OUT);
	TEQ(t, ipc_mach_msg_fast_count(), fast);
	TEQ(t, m.h.msgh_remote_port, sq);
	TEQ(t, ipc_test_type(a, m.h.msgh_local_port), MACH_PORT_TYPE_SEND_ONCE);
	TEQ(t, ipc_mach_port_deallocate(a, m.h.msgh_local_port), KERN_SUCCESS);
	TEQ(t, tmsg_poll(a, &m, reply), MACH_MSG_SUCCESS);	/* its send-once notification */
	TEQ(t, m.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	TEQ(t, tmsg_poll(b, &m, q), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 5);

	/*
	 * The receiver's space dies between the fast send and its copyout:
	 * it gets MACH_RCV_HEADER_ERROR, the destination dead, and the reply
	 * right is destroyed (a send-once notification to the client).
	 */
	th = job_start(t, &j, rcv_thread, b, q);
	TEQ(t, thread_suspend(th), KERN_SUCCESS);
	fast = ipc_mach_msg_fast_count();
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    sq, reply, 7, HSZ);
	TEQ(t, ipc_mach_msg(a, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, HSZ, sizeof(m),
			    reply, 0, 0), MACH_RCV_TIMED_OUT);
	TEQ(t, ipc_mach_msg_fast_count() - fast, 1);
	ipc_space_destroy(b);
	TEQ(t, thread_resume(th), KERN_SUCCESS);
	job_finish(t, th, &j, MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE);
	TEQ(t, j.m.h.msgh_id, 7);
	TEQ(t, j.m.h.msgh_remote_port, MACH_PORT_NAME_NULL);
	TEQ(t, j.m.h.msgh_local_port, MACH_PORT_NAME_DEAD);
	TEQ(t, tmsg_poll(a, &m, reply), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, MACH_NOTIFY_SEND_ONCE);

	/* The reply names the sender made: deallocated, renamed, destroyed. */
	s.space = a;
	s.port = s.rcv = own;
	s.served = 0;
	s.bad = false;
	th = sched_test_thread(rpc_fast_rights_server, &s, BASEPRI_KERNEL, "ipc_rpc_fast",
			       (int)cpu_number());
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, sched_test_wait_blocked(th, 5 * NSEC_PER_SEC));
	named = ipc_mach_msg_fast_named_count();
	rpc_fast_rights(t, a, own, reply, 40);
	KTEST_EXPECT_TRUE(t, ipc_mach_msg_fast_named_count() - named >= 40);
	rpc_fast_stop(t, &s, th, a, own, MACH_MSG_TYPE_MAKE_SEND, 40);

	thread_bind(current_thread(), -1);
	ipc_space_release(b);
	ipc_mach_msg_rpc_fast_dead_space(t);
	ipc_mach_msg_rpc_fast_aborted(t);
	ipc_test_space_done(a);
}

/*
 * Every header the fast path takes (ipc_mach_msg_fastpath(): a copy of
 * the path for each RPC header, one for the rest), sent the fast way to a
 * server that waits on its port, of our space or another: the server
 * sees the destination's right used up and its receive right's name, and
 * a send-once reply right or none; with one, it replies (a reply header,
 * the fast way too) and the client's receive is the fast one, without,
 * the client's receive times out. A request whose client receives on
 * another port than its reply port (the copy that reads the header) is
 * sent the fast way, its reply queued. Each header and reply counted as
 * fast, exactly, and every right and reference back at its baseline (the
 * suite's exit check, tmsg_test_exit()).
 */
struct fast_hdr {
	ipc_space_t		space;
	mach_port_name_t	port;
	mach_msg_return_t	mr, reply_mr;
	mach_msg_user_header_t	h;		/* as received */
	mach_port_type_t	remote_type;	/* of h.msgh_remote_port */
};

static void fast_hdr_server(void *arg)
{
	struct fast_hdr *f = arg;
	struct tmsg m;

	f->mr = tmsg_recv(f->space, &m, f->port, 0, 0, 0);
	f->h = m.h;
	f->remote_type = ipc_test_type(f->space, m.h.msgh_remote_port);
	if (f->mr != MACH_MSG_SUCCESS || f->remote_type != MACH_PORT_TYPE_SEND_ONCE)
		return;
	/*
	 * The reply, with a receive that finds nothing: the fast path's send
	 * when the client waits for it on the reply port, else queued there.
	 */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), f->h.msgh_remote_port,
		    MACH_PORT_NAME_NULL, f->h.msgh_id + 100, HSZ);
	f->reply_mr = ipc_mach_msg(f->space, (mach_msg_header_t *)&m,
				   MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, HSZ,
				   sizeof(m), f->port, 0, 0);
}

/*
 * One header: dest (a right of `a` by disp) to the port `port` of `b`;
 * the client receives on rcv (its reply port, or another: then with a
 * timeout, and the reply is queued on the reply port).
 */
static void fast_hdr_case(struct ktest *t, ipc_space_t a, mach_port_name_t dest,
			  mach_msg_type_name_t disp, bool with_reply, mach_port_name_t reply,
			  mach_port_name_t rcv, ipc_space_t b, mach_port_name_t port,
			  mach_msg_id_t id)
{
	bool waits = with_reply && rcv == reply;	/* for the reply, the fast way */
	static struct fast_hdr f;
	mach_msg_type_name_t got = disp == MACH_MSG_TYPE_MAKE_SEND_ONCE ||
				   disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ?
				   MACH_MSG_TYPE_PORT_SEND_ONCE : MACH_MSG_TYPE_PORT_SEND;
	unsigned long fast;
	struct thread *th;
	struct tmsg m;

	memset(&f, 0, sizeof(f));
	f.space = b;
	f.port = port;
	f.reply_mr = ~0U;
	th = sched_test_thread(fast_hdr_server, &f, BASEPRI_KERNEL, "ipc_fast_hdr",
			       (int)cpu_number());
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, sched_test_wait_blocked(th, 5 * NSEC_PER_SEC));
	fast = ipc_mach_msg_fast_count();
	tmsg_header(&m, MACH_MSGH_BITS(disp, with_reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0),
		    dest, with_reply ? reply : MACH_PORT_NAME_NULL, id, HSZ);
	TEQ(t, ipc_mach_msg(a, (mach_msg_header_t *)&m,
			    MACH_SEND_MSG | MACH_RCV_MSG | (waits ? 0 : MACH_RCV_TIMEOUT),
			    HSZ, sizeof(m), rcv, 0, 0),
	    waits ? MACH_MSG_SUCCESS : MACH_RCV_TIMED_OUT);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, 5 * NSEC_PER_SEC));
	thread_deallocate(th);
	TEQ(t, ipc_mach_msg_fast_count() - fast, waits ? 2 : 1);
	TEQ(t, f.mr, MACH_MSG_SUCCESS);
	TEQ(t, f.h.msgh_id, id);
	TEQ(t, f.h.msgh_size, HSZ);
	TEQ(t, f.h.msgh_local_port, port);
	TEQ(t, f.h.msgh_bits,
	    MACH_MSGH_BITS(with_reply ? MACH_MSG_TYPE_PORT_SEND_ONCE : 0, got));
	if (!with_reply) {
		TEQ(t, f.h.msgh_remote_port, MACH_PORT_NAME_NULL);
		return;
	}
	TEQ(t, f.remote_type, MACH_PORT_TYPE_SEND_ONCE);
	TEQ(t, f.reply_mr, MACH_RCV_TIMED_OUT);
	/* The reply, received the fast way or queued; its right used up in the server's space. */
	TEQ(t, ipc_test_type(b, f.h.msgh_remote_port), ~0U);
	if (!waits)
		TEQ(t, tmsg_poll(a, &m, reply), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, id + 100);
	TEQ(t, m.h.msgh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE));
	TEQ(t, m.h.msgh_local_port, reply);
	TEQ(t, m.h.msgh_remote_port, MACH_PORT_NAME_NULL);
}

static void ipc_mach_msg_test_fast_headers(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t own = ipc_test_port(t, a), reply = ipc_test_port(t, a);
	mach_port_name_t other = ipc_test_port(t, a);
	mach_port_name_t p = ipc_test_port(t, b), sp = give_send(t, b, p, a);
	mach_port_name_t so;
	mach_msg_id_t id = 1;
	unsigned int r;

	thread_bind(current_thread(), (int)cpu_number());
	for (r = 0; r < 2; r++) {
		/* Our own port: made rights, a copied one (its name is the receive right's). */
		TEQ(t, give_send(t, a, own, a), own);
		fast_hdr_case(t, a, own, MACH_MSG_TYPE_COPY_SEND, r, reply, reply, a, own, id++);
		TEQ(t, ipc_test_refs(a, own, MACH_PORT_RIGHT_SEND), 1);
		TEQ(t, ipc_mach_port_mod_refs(a, own, MACH_PORT_RIGHT_SEND, -1), KERN_SUCCESS);
		fast_hdr_case(t, a, own, MACH_MSG_TYPE_MAKE_SEND, r, reply, reply, a, own, id++);
		fast_hdr_case(t, a, own, MACH_MSG_TYPE_MAKE_SEND_ONCE, r, reply, reply, a, own,
			      id++);
		so = ipc_test_give(t, a, own, MACH_MSG_TYPE_MAKE_SEND_ONCE, a);
		fast_hdr_case(t, a, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, r, reply, reply, a, own,
			      id++);
		TEQ(t, ipc_test_type(a, so), ~0U);	/* moved: the name is free */
		/* Another space's port: rights we hold. */
		fast_hdr_case(t, a, sp, MACH_MSG_TYPE_COPY_SEND, r, reply, reply, b, p, id++);
		so = ipc_test_give(t, b, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, a);
		fast_hdr_case(t, a, so, MACH_MSG_TYPE_MOVE_SEND_ONCE, r, reply, reply, b, p,
			      id++);
		TEQ(t, ipc_test_type(a, so), ~0U);
	}
	/* Requests whose client receives on another port than the reply's. */
	fast_hdr_case(t, a, own, MACH_MSG_TYPE_MAKE_SEND, true, reply, other, a, own, id++);
	fast_hdr_case(t, a, sp, MACH_MSG_TYPE_COPY_SEND, true, reply, other, b, p, id++);
	TEQ(t, ipc_test_refs(a, sp, MACH_PORT_RIGHT_SEND), 1);
	thread_bind(current_thread(), -1);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
}

/*
 * A user mach_msg's ways through the fast path, from a thread of a task
 * (its buffer user memory in the task's map): through the trap's entry
 * (ipc_mach_msg_trap(), the fast path's copy for MIG's request header),
 * the whole fast path and its send with the receive the general way (a
 * timeout); through ipc_mach_msg_user() (the one copy that reads the
 * bits), the whole fast path; and the general path in full (no receiver
 * waiting). ith_user_buffer is
 * set only around the general code: a test kernel's copy of a user
 * buffer as kernel memory asserts (ipc_mach_msg_kernel_buffer()), and
 * the flag is clear after each call.
 */
#define UBUF_ADDR	0x20000000UL

struct ubuf_case {
	mach_msg_return_t	mr;
	mach_msg_id_t		id;		/* of the message received */
	bool			flag;		/* ith_user_buffer after the call */
};

struct ubuf {
	mach_port_name_t	dest;		/* a send right to the server's port */
	kern_return_t		kr;
	struct ubuf_case	c[4];
};

static void ubuf_call(struct ubuf_case *c, ipc_space_t space, vm_offset_t buf,
		      struct tmsg *m, mach_msg_option_t option, mach_port_name_t rcv,
		      bool trap)
{
	mach_msg_header_t __user *msg = (mach_msg_header_t __user *)buf;

	c->mr = MACH_MSG_SUCCESS;
	if (copyout(m, (void __user *)buf, HSZ) != KERN_SUCCESS)
		return (void)(c->mr = MACH_SEND_INVALID_DATA);
	if (trap)
		c->mr = (mach_msg_return_t)ipc_mach_msg_trap(msg, option, HSZ, 256, rcv, 10000);
	else
		c->mr = ipc_mach_msg_user(space, msg, option, HSZ, 256, rcv, 10000, 0);
	c->flag = current_thread()->ith_user_buffer;
	if (copyin((const void __user *)buf, m, HSZ) != KERN_SUCCESS)
		c->mr = MACH_RCV_INVALID_DATA;
	c->id = m->h.msgh_id;
}

static void ubuf_main(void *arg)
{
	struct ubuf *u = arg;
	ipc_space_t space = current_task()->itk_space;
	vm_offset_t buf = UBUF_ADDR;
	mach_port_name_t reply, own;
	struct tmsg m;

	u->kr = vm_map_allocate(current_task()->map, &buf, PAGE_SIZE, false);
	if (u->kr == KERN_SUCCESS)
		u->kr = ipc_port_alloc(space, &reply);
	if (u->kr == KERN_SUCCESS)
		u->kr = ipc_port_alloc(space, &own);
	if (u->kr != KERN_SUCCESS)
		return;
	/* The fast path in full, then its send with the receive the general way. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    u->dest, reply, 1, HSZ);
	ubuf_call(&u->c[0], space, buf, &m, MACH_SEND_MSG | MACH_RCV_MSG | RPC_SEQNO, reply,
		  true);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    u->dest, reply, 2, HSZ);
	ubuf_call(&u->c[1], space, buf, &m,
		  MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT | RPC_SEQNO, reply, true);
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		    u->dest, reply, 3, HSZ);
	ubuf_call(&u->c[2], space, buf, &m, MACH_SEND_MSG | MACH_RCV_MSG | RPC_SEQNO, reply,
		  false);
	/* No receiver waiting on our own port: the fast path declines. */
	tmsg_header(&m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), own, MACH_PORT_NAME_NULL, 4,
		    HSZ);
	ubuf_call(&u->c[3], space, buf, &m, MACH_SEND_MSG | MACH_RCV_MSG, own, false);
}

static void ipc_mach_msg_test_user_buffer(struct ktest *t)
{
	static struct rpc_fast s;
	static struct ubuf u;
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, b), sp = give_send(t, b, p, a);
	unsigned long fast = ipc_mach_msg_fast_count();
	struct thread *th, *server;
	task_t task = TASK_NULL;
	unsigned int i;
	unsigned int tasks = task_count(), threads = thread_count();

	thread_bind(current_thread(), (int)cpu_number());
	KTEST_ASSERT_EQ(t, task_create(kernel_task, false, &task), KERN_SUCCESS);
	memset(&u, 0, sizeof(u));
	u.kr = KERN_FAILURE;
	u.dest = give_send(t, b, p, task->itk_space);
	server = rpc_fast_start(t, &s, b, p, p, 0);
	KTEST_ASSERT_EQ(t, task_thread_create(task, ubuf_main, &u, BASEPRI_KERNEL, "ipc_ubuf",
					      &th), KERN_SUCCESS);
	/* On the server's CPU: each send finds its receiver waiting, and is counted. */
	thread_bind(th, (int)cpu_number());
	thread_resume(th);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, 10 * NSEC_PER_SEC));
	thread_deallocate(th);
	TEQ(t, u.kr, KERN_SUCCESS);
	for (i = 0; i < 4; i++) {
		TEQ(t, u.c[i].mr, MACH_MSG_SUCCESS);
		KTEST_EXPECT_FALSE(t, u.c[i].flag);
	}
	TEQ(t, u.c[0].id, 101);		/* the server's reply */
	TEQ(t, u.c[1].id, 102);
	TEQ(t, u.c[2].id, 103);
	TEQ(t, u.c[3].id, 4);		/* our own message */
	/* The three requests and their replies: the fast way. */
	TEQ(t, ipc_mach_msg_fast_count() - fast, 6);
	rpc_fast_stop(t, &s, server, a, sp, MACH_MSG_TYPE_COPY_SEND, 3);
	thread_bind(current_thread(), -1);
	ipc_test_space_done(a);
	ipc_test_space_done(b);
	KTEST_EXPECT_EQ(t, task_terminate(task), KERN_SUCCESS);
	task_deallocate(task);
	/* The task, its thread and its space go with the reaper: up to a second. */
	for (i = 0; i < 1000 && (task_count() != tasks || thread_count() != threads); i++)
		thread_delay(NSEC_PER_MSEC);
	TEQ(t, task_count(), tasks);
	TEQ(t, thread_count(), threads);
}

static struct ktest_case ipc_mach_msg_test_cases[] = {
	KTEST_CASE(ipc_mach_msg_test_null),
	KTEST_CASE(ipc_mach_msg_test_dispositions),
	KTEST_CASE(ipc_mach_msg_test_header_errors),
	KTEST_CASE(ipc_mach_msg_test_body_errors),
	KTEST_CASE(ipc_mach_msg_test_complex),
	KTEST_CASE(ipc_mach_msg_test_transit),
	KTEST_CASE(ipc_mach_msg_test_cycle2),
	KTEST_CASE(ipc_mach_msg_test_pset),
	KTEST_CASE(ipc_mach_msg_test_waiting),
	KTEST_CASE(ipc_mach_msg_test_qlimit),
	KTEST_CASE(ipc_mach_msg_test_trailer),
	KTEST_CASE(ipc_mach_msg_test_too_large),
	KTEST_CASE(ipc_mach_msg_test_rcv_errors),
	KTEST_CASE(ipc_mach_msg_test_rpc),
	KTEST_CASE(ipc_mach_msg_test_rpc_fast),
	KTEST_CASE(ipc_mach_msg_test_fast_headers),
	KTEST_CASE(ipc_mach_msg_test_user_buffer),
	{}
};

static struct ktest_suite ipc_mach_msg_test_suite = {
	.name = "ipc_mach_msg",
	.init = tmsg_test_init,
	.exit = tmsg_test_exit,
	.test_cases = ipc_mach_msg_test_cases,
};
KTEST_SUITE(ipc_mach_msg_test_suite);
