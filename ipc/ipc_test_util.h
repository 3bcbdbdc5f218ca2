/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the ipc ktest suites: baselines of every IPC count, and
 * moving rights between spaces as mach_msg will.
 */
#ifndef _IPC_IPC_TEST_UTIL_H
#define _IPC_IPC_TEST_UTIL_H

#include <kern/zalloc.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_port.h>
#include <ktest.h>

struct ipc_test_baseline {
	struct ipc_stats	stats;
	struct ipc_kmsg_stats	kmsg;
	unsigned long		port_zone, pset_zone, space_zone;
};

static inline unsigned long ipc_test_zone_in_use(struct zone *z)
{
	struct zone_stats zs;

	zone_get_stats(z, &zs);
	return zs.in_use;
}

static inline void ipc_test_baseline_take(struct ipc_test_baseline *b)
{
	ipc_stats_get(&b->stats);
	ipc_kmsg_stats_get(&b->kmsg);
	b->port_zone = ipc_test_zone_in_use(ipc_port_zone);
	b->pset_zone = ipc_test_zone_in_use(ipc_pset_zone);
	b->space_zone = ipc_test_zone_in_use(ipc_space_zone);
}

/* Every count must be back (notifications died with their ports). */
static inline void ipc_test_baseline_check(struct ktest *t, const struct ipc_test_baseline *b)
{
	struct ipc_stats s;
	struct ipc_kmsg_stats k;

	ipc_stats_get(&s);
	ipc_kmsg_stats_get(&k);
	KTEST_EXPECT_EQ(t, s.ports, b->stats.ports);
	KTEST_EXPECT_EQ(t, s.ports_active, b->stats.ports_active);
	KTEST_EXPECT_EQ(t, s.psets, b->stats.psets);
	KTEST_EXPECT_EQ(t, s.spaces, b->stats.spaces);
	KTEST_EXPECT_EQ(t, s.entries, b->stats.entries);
	KTEST_EXPECT_EQ(t, s.dnrequests, b->stats.dnrequests);
	KTEST_EXPECT_EQ(t, s.table_bytes, b->stats.table_bytes);
	KTEST_EXPECT_EQ(t, ipc_test_zone_in_use(ipc_port_zone), b->port_zone);
	KTEST_EXPECT_EQ(t, ipc_test_zone_in_use(ipc_pset_zone), b->pset_zone);
	KTEST_EXPECT_EQ(t, ipc_test_zone_in_use(ipc_space_zone), b->space_zone);
	KTEST_EXPECT_EQ(t, k.kmsgs, b->kmsg.kmsgs);
	KTEST_EXPECT_EQ(t, k.ool_copies, b->kmsg.ool_copies);
	KTEST_EXPECT_EQ(t, k.ool_regions, b->kmsg.ool_regions);
}

/* Every case runs between these: a baseline, and the check after. */
static inline int ipc_test_init(struct ktest *t)
{
	static struct ipc_test_baseline b;

	ipc_test_baseline_take(&b);
	t->priv = &b;
	return 0;
}

static inline void ipc_test_exit(struct ktest *t)
{
	ipc_test_baseline_check(t, t->priv);
}

static inline ipc_space_t ipc_test_space(struct ktest *t)
{
	ipc_space_t space = IS_NULL;

	KTEST_ASSERT_EQ(t, ipc_space_create(&space), KERN_SUCCESS);
	return space;
}

static inline void ipc_test_space_done(ipc_space_t space)
{
	ipc_space_destroy(space);
	ipc_space_release(space);
}

static inline mach_port_name_t ipc_test_port(struct ktest *t, ipc_space_t space)
{
	mach_port_name_t name = MACH_PORT_NAME_NULL;

	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(space, MACH_PORT_RIGHT_RECEIVE, &name),
			KERN_SUCCESS);
	return name;
}

static inline mach_port_type_t ipc_test_type(ipc_space_t space, mach_port_name_t name)
{
	mach_port_type_t type = 0;

	if (ipc_mach_port_type(space, name, &type) != KERN_SUCCESS)
		return ~0U;
	return type;
}

static inline mach_port_urefs_t ipc_test_refs(ipc_space_t space, mach_port_name_t name,
					      mach_port_right_t right)
{
	mach_port_urefs_t refs = 0;

	if (ipc_mach_port_get_refs(space, name, right, &refs) != KERN_SUCCESS)
		return ~0U;
	return refs;
}

/*
 * Move a right from `from` (name, disposition) to `to` as a message
 * would: copyin then copyout (the name in `to`, or MACH_PORT_NAME_NULL).
 */
static inline mach_port_name_t ipc_test_give(struct ktest *t, ipc_space_t from,
					     mach_port_name_t name,
					     mach_msg_type_name_t disp, ipc_space_t to)
{
	ipc_port_t port;
	mach_port_name_t out = MACH_PORT_NAME_NULL;
	mach_msg_type_name_t type = ipc_object_copyin_type(disp);

	KTEST_ASSERT_EQ(t, ipc_object_copyin(from, name, disp, &port), KERN_SUCCESS);
	if (ipc_object_copyout(to, port, type, false, &out) != KERN_SUCCESS) {
		ipc_object_destroy(port, type);
		return MACH_PORT_NAME_NULL;
	}
	return out;
}

/* A send-once right to the port `name` of `space`, held by the kernel. */
static inline ipc_port_t ipc_test_sonce(struct ktest *t, ipc_space_t space,
					mach_port_name_t name)
{
	ipc_port_t port = IP_NULL;

	KTEST_ASSERT_EQ(t, ipc_object_copyin(space, name, MACH_MSG_TYPE_MAKE_SEND_ONCE, &port),
			KERN_SUCCESS);
	return port;
}

/* The port a space names (receive or send right), unreferenced, or IP_NULL. */
static inline ipc_port_t ipc_test_port_of(ipc_space_t space, mach_port_name_t name)
{
	ipc_entry_t entry;
	ipc_port_t port = IP_NULL;

	if (ipc_right_lookup(space, name, &entry) == KERN_SUCCESS) {
		port = (ipc_port_t)entry->ie_object;
		is_unlock(space);
	}
	return port;
}

/* The next message queued on the port (space, name), taken by the kernel; or IKM_NULL. */
static inline ipc_kmsg_t ipc_test_receive(ipc_space_t space, mach_port_name_t name)
{
	ipc_port_t port = ipc_test_port_of(space, name);
	ipc_kmsg_t kmsg = IKM_NULL;

	if (!port)
		return IKM_NULL;
	if (ipc_mqueue_receive_kernel(&port->ip_object, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				      MACH_MSG_SIZE_MAX, 0, &kmsg) != MACH_MSG_SUCCESS)
		return IKM_NULL;
	return kmsg;
}

/* A notification message as received, and what it says. */
struct ipc_test_note {
	ipc_kmsg_t		kmsg;
	mach_msg_id_t		id;
	mach_port_name_t	name;		/* port-deleted, dead-name */
	mach_port_mscount_t	mscount;	/* no-senders */
	ipc_port_t		port;		/* port-destroyed: the receive right */
};

static inline mach_msg_id_t ipc_test_note_id(enum ipc_notify_kind kind)
{
	static const mach_msg_id_t ids[IPC_NOTIFY_NR_KINDS] = {
		[IPC_NOTIFY_PORT_DELETED] = MACH_NOTIFY_PORT_DELETED,
		[IPC_NOTIFY_PORT_DESTROYED] = MACH_NOTIFY_PORT_DESTROYED,
		[IPC_NOTIFY_NO_SENDERS] = MACH_NOTIFY_NO_SENDERS,
		[IPC_NOTIFY_SEND_ONCE] = MACH_NOTIFY_SEND_ONCE,
		[IPC_NOTIFY_DEAD_NAME] = MACH_NOTIFY_DEAD_NAME,
	};

	return ids[kind];
}

/*
 * Check a received notification's layout (the notify.defs format, in
 * kernel form) and read it into *n; false if it is not a well-formed
 * notification of `kind` sent to `dest`.
 */
static inline bool ipc_test_note_parse(ipc_kmsg_t kmsg, enum ipc_notify_kind kind,
				       ipc_port_t dest, struct ipc_test_note *n)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_port_destroyed_notification_t *pd = (void *)h;
	mach_dead_name_notification_t *dn = (void *)h;
	mach_no_senders_notification_t *ns = (void *)h;
	bool complex = kind == IPC_NOTIFY_PORT_DESTROYED;
	mach_msg_size_t size;

	*n = (struct ipc_test_note){ .kmsg = kmsg, .id = h->msgh_id };
	switch (kind) {
	case IPC_NOTIFY_PORT_DESTROYED:
		size = offsetof(mach_port_destroyed_notification_t, trailer);
		break;
	case IPC_NOTIFY_NO_SENDERS:
		size = offsetof(mach_no_senders_notification_t, trailer);
		break;
	case IPC_NOTIFY_SEND_ONCE:
		size = offsetof(mach_send_once_notification_t, trailer);
		break;
	default:
		size = offsetof(mach_dead_name_notification_t, trailer);
		break;
	}
	if (h->msgh_id != ipc_test_note_id(kind) || h->msgh_size != size ||
	    (void *)h->msgh_remote_port != (void *)dest ||
	    h->msgh_local_port != MACH_PORT_NULL ||
	    MACH_MSGH_BITS_REMOTE(h->msgh_bits) != MACH_MSG_TYPE_PORT_SEND_ONCE ||
	    MACH_MSGH_BITS_LOCAL(h->msgh_bits) != 0 ||
	    !!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) != complex)
		return false;
	if (kind == IPC_NOTIFY_PORT_DESTROYED) {
		if (pd->not_body.msgh_descriptor_count != 1 ||
		    pd->not_port.type != MACH_MSG_PORT_DESCRIPTOR ||
		    pd->not_port.disposition != MACH_MSG_TYPE_PORT_RECEIVE)
			return false;
		n->port = (ipc_port_t)pd->not_port.name;
	} else if (kind == IPC_NOTIFY_NO_SENDERS) {
		n->mscount = ns->not_count;
	} else if (kind != IPC_NOTIFY_SEND_ONCE) {
		n->name = dn->not_port;
	}
	return true;
}

/*
 * Receive the next message queued on the port (space, name): it must be
 * a notification of `kind`. The caller checks its contents and releases
 * it (ipc_test_note_release()).
 */
static inline bool ipc_test_take(enum ipc_notify_kind kind, ipc_space_t space,
				 mach_port_name_t name, struct ipc_test_note *n)
{
	ipc_kmsg_t kmsg = ipc_test_receive(space, name);

	if (!kmsg)
		return false;
	if (!ipc_test_note_parse(kmsg, kind, ipc_test_port_of(space, name), n)) {
		ipc_kobject_kmsg_discard(kmsg);
		return false;
	}
	return true;
}

/*
 * The message is consumed: its send-once right was used up delivering
 * it; the receive right a port-destroyed notification carries is
 * destroyed with it, unless the test took it (n->port = IP_NULL).
 */
static inline void ipc_test_note_release(struct ipc_test_note *n)
{
	mach_port_destroyed_notification_t *pd = (void *)n->kmsg->ikm_header;

	if (n->id == MACH_NOTIFY_PORT_DESTROYED && n->port == IP_NULL)
		pd->not_port.name = MACH_PORT_NULL;
	ipc_kobject_kmsg_discard(n->kmsg);
	n->kmsg = IKM_NULL;
}

/* Receive and drop every message queued on (space, name); how many. */
static inline unsigned long ipc_test_drain(ipc_space_t space, mach_port_name_t name)
{
	unsigned long n = 0;
	ipc_kmsg_t kmsg;

	while ((kmsg = ipc_test_receive(space, name)) != IKM_NULL) {
		ipc_kobject_kmsg_discard(kmsg);
		n++;
	}
	return n;
}

/* Notifications generated so far, of every kind. */
static inline unsigned long ipc_test_notified(void)
{
	unsigned long n = 0;
	int kind;

	for (kind = 0; kind < IPC_NOTIFY_NR_KINDS; kind++)
		n += ipc_notify_count(kind);
	return n;
}

#endif /* _IPC_IPC_TEST_UTIL_H */
