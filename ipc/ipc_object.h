/* SPDX-License-Identifier: MIT */
/*
 * What ports and port sets have in common: the object header an IPC
 * space's entries point to, its lock and its reference count, and the
 * kernel-internal form of a right in transit. See Documentation/ipc.rst.
 *
 * References. An object's memory lives while it has references; the
 * rights hold them: an entry of a space holds one reference for whatever
 * rights it names (send, receive or both; a send-once right has its own
 * entry and reference), a right in transit (copied in, in a message, in
 * a notification request) holds one. References are atomic counts, so
 * taking and dropping one needs no lock; the last one frees the object,
 * which must be dead (a port) or inactive (a set) by then.
 *
 * Lock order: space, then port, then port set. Two spaces, or two
 * ports, are never locked at once by this layer. The locks are preempt-disabling spinlocks: nothing that
 * blocks happens under them (tables grow with every lock dropped).
 */
#ifndef _IPC_IPC_OBJECT_H
#define _IPC_IPC_OBJECT_H

#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/port.h>

#define IOT_PORT	0
#define IOT_PORT_SET	1

struct ipc_object {
	spinlock_t	io_lock;
	unsigned int	io_references;	/* atomic */
	unsigned int	io_otype;	/* IOT_*, constant */
};

typedef struct ipc_object	*ipc_object_t;
typedef struct ipc_port		*ipc_port_t;
typedef struct ipc_pset		*ipc_pset_t;
typedef struct ipc_space	*ipc_space_t;

#define IO_NULL		((ipc_object_t)0)
#define IO_DEAD		((ipc_object_t)~0UL)
#define IO_VALID(o)	((o) != IO_NULL && (o) != IO_DEAD)

/* In the kernel a mach_port_t is a port: IP_DEAD is MACH_PORT_DEAD. */
#define IP_NULL		((ipc_port_t)0)
#define IP_DEAD		((ipc_port_t)MACH_PORT_DEAD)
#define IP_VALID(p)	((p) != IP_NULL && (p) != IP_DEAD)

extern struct lock_class ipc_space_lock_class;
extern struct lock_class ipc_port_lock_class;
extern struct lock_class ipc_pset_lock_class;

static inline void io_lock(ipc_object_t o)	{ spin_lock(&o->io_lock); }
static inline void io_unlock(ipc_object_t o)	{ spin_unlock(&o->io_lock); }

/*
 * The same lock taken while a space lock is held, which already keeps
 * the thread from being preempted: no second preempt_disable() and
 * preempt_enable() around it (lock debugging sees it as any other).
 * Released before the space lock is, unless the caller keeps preemption
 * off with a count of its own (the RPC fast path, ipc/mach_msg.c).
 */
static inline void io_lock_nested(ipc_object_t o)
{
	assert(!IS_ENABLED(CONFIG_LOCK_DEBUG) || current_thread()->preempt_count > 0);
	spin_lock_nested(&o->io_lock);
}

static inline void io_unlock_nested(ipc_object_t o)
{
	spin_unlock_nested(&o->io_lock);
}

static inline void io_reference(ipc_object_t o)
{
	__atomic_add_fetch(&o->io_references, 1, __ATOMIC_RELAXED);
}

/* Drop n references known not to be the last (the caller holds another). */
static inline void io_release_nonlast_n(ipc_object_t o, unsigned int n)
{
	unsigned int left = __atomic_sub_fetch(&o->io_references, n, __ATOMIC_RELEASE);

	/* A test kernel checks the caller's word (the RPC's reply pays a jump for it). */
	if (IS_ENABLED(CONFIG_KTEST))
		assert(left != 0);
	(void)left;
}

static inline void io_release_nonlast(ipc_object_t o)
{
	io_release_nonlast_n(o, 1);
}

void ipc_object_reference(ipc_object_t object);
void ipc_object_release(ipc_object_t object);

/*
 * The counters every ipc test checks against its baseline
 * (ipc_stats_get()). All are exact when the ipc layer is quiet.
 */
struct ipc_stats {
	long	ports;		/* struct ipc_port in existence (any state) */
	long	ports_active;	/* of those, not dead */
	long	psets;		/* port sets in existence */
	long	spaces;		/* struct ipc_space in existence */
	long	entries;	/* names in use in all spaces */
	long	dnrequests;	/* dead-name requests registered */
	long	table_bytes;	/* entry tables, hashes, request tables */
};

void ipc_stats_get(struct ipc_stats *stats);

/* Internal: the counters (atomic adds of +-1); entries are counted by space. */
enum ipc_stat {
	IPC_STAT_PORTS,
	IPC_STAT_PORTS_ACTIVE,
	IPC_STAT_PSETS,
	IPC_STAT_SPACES,
	IPC_STAT_DNREQUESTS,
	IPC_STAT_TABLE_BYTES,
	IPC_STAT_NR,
};

extern long ipc_stat_counters[IPC_STAT_NR];

static inline void ipc_stat_add(enum ipc_stat s, long delta)
{
	__atomic_add_fetch(&ipc_stat_counters[s], delta, __ATOMIC_RELAXED);
}

/*
 * Memory for tables (entry tables, reverse hashes, dead-name request
 * tables): kalloc() accounted in table_bytes, with a failure injection
 * point for the tests (ipc_test_fail_allocs()).
 */
void *ipc_table_alloc(vm_size_t size);
void ipc_table_free(void *ptr, vm_size_t size);

/*
 * Failure injection, for the tests only: the next n allocations of
 * ports, sets and tables fail as if memory were short. Returns the
 * previous setting. Without CONFIG_KTEST it does nothing.
 */
unsigned long ipc_test_fail_allocs(unsigned long n);
bool ipc_alloc_should_fail_ktest(void);

/* Nothing but a constant false without CONFIG_KTEST (no call). */
static inline bool ipc_alloc_should_fail(void)
{
	return IS_ENABLED(CONFIG_KTEST) && ipc_alloc_should_fail_ktest();
}

/* Zones and counters: a KERNEL_INIT(CORE) entry. */
kern_return_t ipc_bootstrap(void);

struct zone;
extern struct zone *ipc_port_zone, *ipc_pset_zone, *ipc_space_zone;

/*
 * The copied-in form of a right ("port + type"): a port (or IP_DEAD for a
 * dead name) and one of MACH_MSG_TYPE_PORT_RECEIVE, _PORT_SEND,
 * _PORT_SEND_ONCE. ipc_object_copyin_type() maps a disposition to it.
 */
mach_msg_type_name_t ipc_object_copyin_type(mach_msg_type_name_t disposition);

/*
 * ipc_object_copyin: take the right `name` denotes in `space` with
 * `disposition` (MACH_MSG_TYPE_MOVE_RECEIVE ... MAKE_SEND_ONCE) into
 * *portp, as mach_msg's copyin does. A dead name (or a send right whose
 * port died) gives IP_DEAD for the send dispositions. A moved receive
 * right leaves its port in limbo (no receiver, no destination): part 2
 * puts it in transit. If the name loses a right that had a dead-name
 * request, a port-deleted notification goes to the request's send-once
 * right. The caller owns the result: it copies it out (ipc_object_copyout,
 * mach_port_insert_right) or drops it (ipc_object_destroy).
 *
 * Returns KERN_SUCCESS, KERN_INVALID_TASK (space dead), KERN_INVALID_NAME,
 * KERN_INVALID_RIGHT (the name does not hold that right),
 * KERN_INVALID_VALUE (not a port disposition). Nothing locked on entry.
 */
kern_return_t ipc_object_copyin(ipc_space_t space, mach_port_name_t name,
				mach_msg_type_name_t disposition, ipc_port_t *portp);

/*
 * ipc_object_copyout: give `space` the right `port` (of copied-in type
 * `type`), under the name the space already uses for the port's send or
 * receive rights if any (send rights coalesce), else a fresh name. With
 * `overflow` true a send right that would overflow the urefs is dropped
 * and the urefs stay pegged at the maximum (mach_msg's receive); with
 * false it fails with KERN_UREFS_OVERFLOW. IP_DEAD (and a port that died
 * meanwhile) gives *namep MACH_PORT_NAME_DEAD, the right being released
 * (as mach_msg's receive does). Consumes the right on success only. Returns KERN_SUCCESS, KERN_INVALID_TASK, KERN_NO_SPACE,
 * KERN_RESOURCE_SHORTAGE, KERN_UREFS_OVERFLOW.
 */
kern_return_t ipc_object_copyout(ipc_space_t space, ipc_port_t port,
				 mach_msg_type_name_t type, bool overflow,
				 mach_port_name_t *namep);

/*
 * ipc_object_copyout_name: the same under the name the caller chose
 * (mach_port_insert_right). KERN_NAME_EXISTS if the name denotes another
 * right, KERN_RIGHT_EXISTS if the space names the port's send/receive
 * rights otherwise, KERN_INVALID_CAPABILITY for a dead port, KERN_NO_SPACE
 * for a name beyond the space's limit, KERN_INVALID_VALUE for an invalid
 * name. Consumes the right on success only.
 */
kern_return_t ipc_object_copyout_name(ipc_space_t space, ipc_port_t port,
				      mach_msg_type_name_t type, bool overflow,
				      mach_port_name_t name);

/*
 * ipc_object_destroy: drop a copied-in right that will not be delivered
 * (a failed send): a send right (maybe a no-senders notification), a
 * send-once right (a send-once notification to its port), a receive right
 * (the port is destroyed, with all that entails). IP_NULL and IP_DEAD are
 * ignored.
 */
void ipc_object_destroy(ipc_port_t port, mach_msg_type_name_t type);

#endif /* _IPC_IPC_OBJECT_H */
