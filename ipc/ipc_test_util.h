/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the ipc ktest suites: baselines of every IPC count, and
 * moving rights between spaces as mach_msg will.
 */
#ifndef _IPC_IPC_TEST_UTIL_H
#define _IPC_IPC_TEST_UTIL_H

#include <kern/zalloc.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_port.h>
#include <ktest.h>

struct ipc_test_baseline {
	struct ipc_stats	stats;
	unsigned long		port_zone, pset_zone, space_zone, notify_zone;
};

static inline unsigned long ipc_test_zone_in_use(struct zone *z)
{
	struct zone_stats zs;

	zone_get_stats(z, &zs);
	return zs.in_use;
}

static inline void ipc_test_baseline_take(struct ipc_test_baseline *b)
{
	ipc_notify_log_drain();
	ipc_stats_get(&b->stats);
	b->port_zone = ipc_test_zone_in_use(ipc_port_zone);
	b->pset_zone = ipc_test_zone_in_use(ipc_pset_zone);
	b->space_zone = ipc_test_zone_in_use(ipc_space_zone);
	b->notify_zone = ipc_test_zone_in_use(ipc_notify_zone);
}

/* Drain the recorded notifications, then every count must be back. */
static inline void ipc_test_baseline_check(struct ktest *t, const struct ipc_test_baseline *b)
{
	struct ipc_stats s;

	ipc_notify_log_drain();
	ipc_stats_get(&s);
	KTEST_EXPECT_EQ(t, s.ports, b->stats.ports);
	KTEST_EXPECT_EQ(t, s.ports_active, b->stats.ports_active);
	KTEST_EXPECT_EQ(t, s.psets, b->stats.psets);
	KTEST_EXPECT_EQ(t, s.spaces, b->stats.spaces);
	KTEST_EXPECT_EQ(t, s.entries, b->stats.entries);
	KTEST_EXPECT_EQ(t, s.dnrequests, b->stats.dnrequests);
	KTEST_EXPECT_EQ(t, s.notify_pending, 0L);
	KTEST_EXPECT_EQ(t, s.table_bytes, b->stats.table_bytes);
	KTEST_EXPECT_EQ(t, ipc_test_zone_in_use(ipc_port_zone), b->port_zone);
	KTEST_EXPECT_EQ(t, ipc_test_zone_in_use(ipc_pset_zone), b->pset_zone);
	KTEST_EXPECT_EQ(t, ipc_test_zone_in_use(ipc_space_zone), b->space_zone);
	KTEST_EXPECT_EQ(t, ipc_test_zone_in_use(ipc_notify_zone), b->notify_zone);
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

/* Take one recorded notification of `kind` to the port of (space, name). */
static inline bool ipc_test_take(enum ipc_notify_kind kind, ipc_space_t space,
				 mach_port_name_t name, struct ipc_notify_record *rec)
{
	ipc_entry_t entry;
	ipc_port_t port = IP_NULL;

	if (ipc_right_lookup(space, name, &entry) == KERN_SUCCESS) {
		port = (ipc_port_t)entry->ie_object;
		is_unlock(space);
	}
	if (!port)
		return false;
	return ipc_notify_log_take(kind, port, rec);
}

#endif /* _IPC_IPC_TEST_UTIL_H */
