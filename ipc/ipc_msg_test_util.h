/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the message ktest suites (ipc_kmsg, ipc_mach_msg,
 * ipc_msg_stress): user-form messages built in kernel buffers, send and
 * receive through ipc_mach_msg(), and the kmsg / OOL counts every case
 * must end with at their baseline.
 */
#ifndef _IPC_IPC_MSG_TEST_UTIL_H
#define _IPC_IPC_MSG_TEST_UTIL_H

#include <kern/string.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_test_util.h>
#include <ipc/mach_msg.h>

/*
 * Comparisons of the many integer types of messages (unsigned names and
 * sizes, int codes, bitfields) as longs.
 */
#define TEQ(t, a, b)	KTEST_EXPECT_EQ(t, (long)(a), (long)(b))
#define TNE(t, a, b)	KTEST_EXPECT_NE(t, (long)(a), (long)(b))
#define TGE(t, a, b)	KTEST_EXPECT_GE(t, (long)(a), (long)(b))
#define TGT(t, a, b)	KTEST_EXPECT_GT(t, (long)(a), (long)(b))

/* A message buffer: any user-form message up to 4 KiB, plus a trailer. */
struct tmsg {
	union {
		mach_msg_user_header_t	h;
		uint32_t		w[1024 + 8];
	};
};

/* A complex message: header, body, then descriptors of any kind. */
#pragma pack(push, 4)
struct tmsg_desc {
	mach_msg_user_header_t	h;
	mach_msg_body_t		body;
	union {
		mach_msg_user_port_descriptor_t	port;
		mach_msg_ool_descriptor_t	ool;
		mach_msg_ool_ports_descriptor_t	ool_ports;
	} d[];
};
#pragma pack(pop)

static inline void tmsg_header(struct tmsg *m, mach_msg_bits_t bits, mach_port_name_t dest,
			       mach_port_name_t reply, mach_msg_id_t id, mach_msg_size_t size)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = bits;
	m->h.msgh_size = size;
	m->h.msgh_remote_port = dest;
	m->h.msgh_local_port = reply;
	m->h.msgh_id = id;
}

static inline struct tmsg_desc *tmsg_complex(struct tmsg *m, mach_msg_size_t count)
{
	struct tmsg_desc *c = (struct tmsg_desc *)m;

	m->h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	c->body.msgh_descriptor_count = count;
	return c;
}

/* Sizes of the complex message's parts. */
#define TMSG_BASE	((mach_msg_size_t)(sizeof(mach_msg_user_header_t) + sizeof(mach_msg_body_t)))
#define TMSG_PORT	((mach_msg_size_t)sizeof(mach_msg_user_port_descriptor_t))
#define TMSG_OOL	((mach_msg_size_t)sizeof(mach_msg_ool_descriptor_t))

/* Descriptor i of a message whose descriptors are all of one size. */
static inline void *tmsg_desc_at(struct tmsg *m, mach_msg_size_t offset)
{
	return (char *)m + offset;
}

static inline void tmsg_port_desc(void *where, mach_port_name_t name, mach_msg_type_name_t disp)
{
	mach_msg_user_port_descriptor_t *d = where;

	memset(d, 0, sizeof(*d));
	d->name = name;
	d->disposition = disp;
	d->type = MACH_MSG_PORT_DESCRIPTOR;
}

static inline void tmsg_ool_desc(void *where, void *addr, mach_msg_size_t size, bool dealloc)
{
	mach_msg_ool_descriptor_t *d = where;

	memset(d, 0, sizeof(*d));
	d->address = addr;
	d->size = size;
	d->deallocate = dealloc;
	d->copy = MACH_MSG_VIRTUAL_COPY;
	d->type = MACH_MSG_OOL_DESCRIPTOR;
}

static inline void tmsg_ool_ports_desc(void *where, mach_port_name_t *names,
				       mach_msg_size_t count, mach_msg_type_name_t disp)
{
	mach_msg_ool_ports_descriptor_t *d = where;

	memset(d, 0, sizeof(*d));
	d->address = names;
	d->count = count;
	d->disposition = disp;
	d->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
}

static inline mach_msg_return_t tmsg_send(ipc_space_t space, struct tmsg *m,
					  mach_msg_option_t option, mach_msg_timeout_t timeout)
{
	return ipc_mach_msg(space, (mach_msg_header_t *)m, MACH_SEND_MSG | option,
			    m->h.msgh_size, 0, MACH_PORT_NAME_NULL, timeout, MACH_PORT_NAME_NULL);
}

static inline mach_msg_return_t tmsg_recv(ipc_space_t space, struct tmsg *m,
					  mach_port_name_t name, mach_msg_option_t option,
					  mach_msg_timeout_t timeout, mach_msg_size_t size)
{
	memset(m, 0xa5, sizeof(*m));
	return ipc_mach_msg(space, (mach_msg_header_t *)m, MACH_RCV_MSG | option, 0,
			    size ? size : sizeof(*m), name, timeout, MACH_PORT_NAME_NULL);
}

/* Poll: MACH_RCV_TIMED_OUT if nothing is queued. */
static inline mach_msg_return_t tmsg_poll(ipc_space_t space, struct tmsg *m,
					  mach_port_name_t name)
{
	return tmsg_recv(space, m, name, MACH_RCV_TIMEOUT, 0, 0);
}

/* The trailer after a received message. */
static inline mach_msg_security_trailer_t *tmsg_trailer(struct tmsg *m)
{
	return (mach_msg_security_trailer_t *)((char *)m + m->h.msgh_size);
}

/* A simple message of `size` bytes to dest (MAKE_SEND on a receive right). */
static inline mach_msg_return_t tmsg_send_simple(ipc_space_t space, mach_port_name_t dest,
						 mach_msg_type_name_t disp, mach_msg_id_t id)
{
	struct tmsg m;

	tmsg_header(&m, MACH_MSGH_BITS(disp, 0), dest, MACH_PORT_NAME_NULL, id,
		    sizeof(mach_msg_user_header_t));
	return tmsg_send(space, &m, 0, 0);
}

/* The message counts, in addition to ipc_test_util's. */
struct tmsg_baseline {
	struct ipc_kmsg_stats	k;
};

static inline void tmsg_baseline_take(struct tmsg_baseline *b)
{
	ipc_kmsg_stats_get(&b->k);
}

static inline void tmsg_baseline_check(struct ktest *t, const struct tmsg_baseline *b)
{
	struct ipc_kmsg_stats k;

	ipc_kmsg_stats_get(&k);
	TEQ(t, k.kmsgs, b->k.kmsgs);
	TEQ(t, k.ool_copies, b->k.ool_copies);
	TEQ(t, k.ool_regions, b->k.ool_regions);
	TEQ(t, k.ool_bytes, b->k.ool_bytes);
}

static struct tmsg_baseline tmsg_base;

static inline int tmsg_test_init(struct ktest *t)
{
	int r = ipc_test_init(t);

	tmsg_baseline_take(&tmsg_base);
	return r;
}

static inline void tmsg_test_exit(struct ktest *t)
{
	ipc_test_exit(t);
	tmsg_baseline_check(t, &tmsg_base);
}

#endif /* _IPC_IPC_MSG_TEST_UTIL_H */
