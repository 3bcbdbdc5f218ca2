/* SPDX-License-Identifier: MIT */
/*
 * IPC spaces: a task's names for port rights and port sets.
 *
 * A space is a table of entries (ipc_entry.h) indexed by the index part
 * of a name, growing by doubling up to the space's limit of names, with a
 * free list, and a reverse hash from port to the name of the space's
 * send-only entry for that port (a port's receive right knows its own
 * name: port->ip_receiver_name). Lookup by name and by port is O(1).
 *
 * Locking: is_lock (a preempt-disabling spinlock) guards everything in
 * the space and its entries. It is taken before any port or set lock and
 * never held across anything that blocks or allocates from kmem: a table
 * grows with the lock dropped (ipc_entry_grow()), so an entry pointer is
 * only good while the lock is held. A space is active until
 * ipc_space_destroy(); every operation checks is_active under the lock
 * and answers KERN_INVALID_TASK for a dead space.
 *
 * References: ipc_space_create() returns one (the creator's, later the
 * task's); the structure is freed with the last ipc_space_release().
 */
#ifndef _IPC_IPC_SPACE_H
#define _IPC_IPC_SPACE_H

#include <ipc/ipc_entry.h>

struct ipc_space {
	spinlock_t		is_lock;
	unsigned int		is_references;	/* atomic */
	bool			is_active;
	bool			is_growing;	/* a thread is growing the table */
	struct ipc_entry	*is_table;	/* is_table_size entries */
	ipc_entry_index_t	is_table_size;
	ipc_entry_index_t	is_table_max;	/* the limit on its size */
	ipc_entry_index_t	is_free;	/* first free index, 0: none */
	ipc_entry_index_t	*is_hash;	/* buckets: entry index, 0: empty */
	unsigned int		is_hash_shift;	/* 64 - log2(buckets) */
	ipc_entry_index_t	is_hash_count;	/* entries in the hash */
	ipc_entry_index_t	is_entries;	/* entries in use */
	/* On the list of every space (ipc_space_entries_total()). */
	struct ipc_space	*is_all_next, *is_all_prev;
};

#define IS_NULL			((ipc_space_t)0)

/* The first table and the most names a space may have (Kconfig). */
#define IPC_SPACE_INITIAL_SIZE	32
#define IPC_SPACE_MAX_NAMES	CONFIG_IPC_SPACE_MAX_NAMES

static inline void is_lock(ipc_space_t space)	{ spin_lock(&space->is_lock); }
static inline void is_unlock(ipc_space_t space)	{ spin_unlock(&space->is_lock); }

/* With preemption already off (the RPC fast path's one count): no count of its own. */
static inline void is_lock_nested(ipc_space_t space)	{ spin_lock_nested(&space->is_lock); }
static inline void is_unlock_nested(ipc_space_t space)	{ spin_unlock_nested(&space->is_lock); }

/* See ipc_entry.h. Space locked and active. */
static inline ipc_entry_t ipc_entry_lookup(ipc_space_t space, mach_port_name_t name)
{
	ipc_entry_index_t index = MACH_PORT_INDEX(name);
	ipc_entry_t entry;

	if (unlikely(index >= space->is_table_size))
		return IE_NULL;
	entry = &space->is_table[index];
	/* Never NULL: the callers' "found?" test is the one below. */
	if (entry == IE_NULL)
		__builtin_unreachable();
	/* Index 0 is never in use, so its names fail here too. */
	if (unlikely(ipc_entry_gen_differs(entry, name) ||
		     IE_BITS_TYPE(entry->ie_bits) == MACH_PORT_TYPE_NONE))
		return IE_NULL;
	return entry;
}

/*
 * ipc_entry_lookup() of a name that must hold one of the rights in
 * `types` (MACH_PORT_TYPE_* bits, which are the entry's type bits): a
 * free entry has none, so the one test covers it. The RPC fast path's.
 */
static inline ipc_entry_t ipc_entry_lookup_type(ipc_space_t space, mach_port_name_t name,
						ipc_entry_bits_t types)
{
	ipc_entry_index_t index = MACH_PORT_INDEX(name);
	ipc_entry_t entry;

	if (unlikely(index >= space->is_table_size))
		return IE_NULL;
	entry = &space->is_table[index];
	if (entry == IE_NULL)
		__builtin_unreachable();	/* as in ipc_entry_lookup() */
	if (unlikely(ipc_entry_gen_differs(entry, name) || !(entry->ie_bits & types)))
		return IE_NULL;
	return entry;
}

/*
 * See ipc_entry.h: the first free entry, taken off the free list (the
 * list's head, so it has no predecessor to unlink from), or KERN_NO_SPACE.
 * Inline: the port allocation and the RPC's reply name use it with the
 * space locked and would otherwise pay a call and a general unlink.
 */
static inline kern_return_t ipc_entry_get(ipc_space_t space, mach_port_name_t *namep,
					  ipc_entry_t *entryp)
{
	ipc_entry_index_t index = space->is_free;
	ipc_entry_t entry;

	if (unlikely(index == 0))
		return KERN_NO_SPACE;
	entry = &space->is_table[index];
	/* The next free entry is the head now: its ie_request needs no clearing. */
	space->is_free = entry->ie_next;
	/* The head's was stale. ie_next stays so: only a hash chain reads it. */
	entry->ie_request = 0;
	/* ie_object: NULL, as every free entry's. */
	space->is_entries++;	/* the statistic reads it (ipc_space_entries_total()) */
	*namep = MACH_PORT_MAKE(index, IE_BITS_GEN(entry->ie_bits));
	*entryp = entry;
	return KERN_SUCCESS;
}

/* See ipc_entry.h. Space locked; the entry has no dead-name request. */
static inline void ipc_entry_dealloc(ipc_space_t space, mach_port_name_t name,
				     ipc_entry_t entry)
{
	ipc_entry_index_t index = MACH_PORT_INDEX(name), head = space->is_free;

	/*
	 * The caller's word, checked by a test kernel: the RPC's reply name
	 * (the fast path's MOVE_SEND_ONCE) would pay five instructions for it.
	 */
	if (IS_ENABLED(CONFIG_KTEST))
		assert(entry->ie_request == 0 && index != 0 && !ipc_entry_gen_differs(entry, name));
	/*
	 * A new generation, from the name's (the entry's), with no load of
	 * ie_bits; 0xff wraps to 0 out of the word: the old name never
	 * reaches the next right.
	 */
	entry->ie_bits = MACH_PORT_GEN(name) + IE_BITS_GEN_ONE;
	entry->ie_object = NULL;
	/*
	 * LIFO: the warmest entry is the next one handed out. The old head
	 * gets its predecessor; with the list empty that is entry 0's
	 * ie_request, which nothing reads: no test of `head`.
	 */
	entry->ie_next = head;
	space->is_table[head].ie_request = index;
	space->is_free = index;
	space->is_entries--;
}

/*
 * A new, empty, active space with one reference. KERN_RESOURCE_SHORTAGE
 * without memory.
 */
kern_return_t ipc_space_create(ipc_space_t *spacep);

/*
 * Destroy every right in the space (receive rights destroy their ports,
 * send rights may send no-senders, send-once rights send send-once
 * notifications, sets are destroyed, dead-name requests are cancelled
 * with port-deleted notifications) and make it inactive. Idempotent.
 * Does not drop the caller's reference.
 */
void ipc_space_destroy(ipc_space_t space);

void ipc_space_reference(ipc_space_t space);
void ipc_space_release(ipc_space_t space);

/*
 * Lower (or raise, up to IPC_SPACE_MAX_NAMES) the number of entries the
 * table may grow to: the tests exhaust a space with it. Names already
 * used above the limit stay. KERN_INVALID_VALUE for 0 or above the
 * maximum.
 */
kern_return_t ipc_space_set_limit(ipc_space_t space, ipc_entry_index_t max_names);

/* Names in use in the space (a snapshot). */
unsigned int ipc_space_names_in_use(ipc_space_t space);

/*
 * Names in use in every space: the `entries` statistic (ipc_stats_get()),
 * exact when the ipc layer is quiet. Summed from each space's is_entries
 * where it is read, so that naming a right (every RPC's reply) adds to no
 * shared counter.
 */
long ipc_space_entries_total(void);

/*
 * Lock the space if active: KERN_SUCCESS with it locked, or
 * KERN_INVALID_TASK (null or dead space) with nothing locked.
 */
static inline kern_return_t ipc_space_lock_active(ipc_space_t space)
{
	if (unlikely(space == IS_NULL))
		return KERN_INVALID_TASK;
	is_lock(space);
	if (unlikely(!space->is_active)) {
		is_unlock(space);
		return KERN_INVALID_TASK;
	}
	return KERN_SUCCESS;
}

#endif /* _IPC_IPC_SPACE_H */
