/* SPDX-License-Identifier: MIT */
/*
 * Entries of an IPC space: what a name denotes.
 *
 * A name is MACH_PORT_MAKE(index, gen) (<mach/port.h>): the index selects
 * an entry of the space's table, and the 8-bit generation must match the
 * entry's, so that a name whose entry was freed and reused answers
 * KERN_INVALID_NAME instead of reaching the new right. The generation is
 * bumped every time an entry is freed. Index 0 is never used (its names
 * are MACH_PORT_NULL and friends).
 *
 * ie_bits, as in Mach:
 *
 *	31..24	generation (IE_BITS_GEN)
 *	20..16	MACH_PORT_TYPE_* of the rights held (IE_BITS_TYPE)
 *	15..0	user references of send rights or a dead name (IE_BITS_UREFS);
 *		a send-once right has 1; receive and port set 0
 *
 * ie_object is the port or the set (NULL for a dead name or a free entry).
 * ie_request is the index + 1 of the entry's dead-name request in its
 * port's request table (0: none). ie_next links a free entry on the free
 * list, or a send-only entry on its reverse-hash chain (0 ends both; any
 * other entry's is stale); ie_request of a free entry is the previous free
 * index, so that mach_port_allocate_name() takes any entry off the list in
 * O(1). The list's head has no predecessor and its ie_request is stale:
 * space->is_free says which entry is the head, so that taking it
 * (ipc_entry_get(), every RPC's reply name) writes nothing of the next.
 *
 * Everything here is under the space's lock.
 */
#ifndef _IPC_IPC_ENTRY_H
#define _IPC_IPC_ENTRY_H

#include <ipc/ipc_object.h>

typedef uint32_t ipc_entry_bits_t;
typedef uint32_t ipc_entry_index_t;

struct ipc_entry {
	struct ipc_object	*ie_object;
	ipc_entry_bits_t	ie_bits;
	uint32_t		ie_request;	/* used: dn request + 1; free: prev */
	ipc_entry_index_t	ie_next;	/* free list or hash chain */
};

typedef struct ipc_entry *ipc_entry_t;
#define IE_NULL			((ipc_entry_t)0)

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ipc_entry_gen_differs() assumes the generation is ie_bits' last byte"
#endif

#define IE_BITS_UREFS_MASK	0x0000ffffU
#define IE_BITS_UREFS(bits)	((bits) & IE_BITS_UREFS_MASK)
#define IE_BITS_TYPE_MASK	0x001f0000U
#define IE_BITS_TYPE(bits)	((bits) & IE_BITS_TYPE_MASK)
#define IE_BITS_RIGHT_MASK	(IE_BITS_TYPE_MASK | IE_BITS_UREFS_MASK)
#define IE_BITS_GEN_MASK	0xff000000U
#define IE_BITS_GEN(bits)	((bits) & IE_BITS_GEN_MASK)
#define IE_BITS_GEN_ONE		0x01000000U

/*
 * Whether `name`'s generation is not the entry's: the generation byte of
 * ie_bits (the last, little-endian) against the name's low byte, one
 * compare with memory where IE_BITS_GEN() ^ MACH_PORT_GEN() takes a
 * shift, an xor and a masked compare (every lookup makes it).
 */
static inline bool ipc_entry_gen_differs(const struct ipc_entry *entry, mach_port_name_t name)
{
	return ((const uint8_t *)&entry->ie_bits)[3] != (uint8_t)name;
}

/*
 * The most user references a name holds (MACH_PORT_UREFS_MAX in XNU).
 * A send right stays one below it, so that a copyout can always peg it.
 */
#define IE_UREFS_MAX		((mach_port_urefs_t)IE_BITS_UREFS_MASK)

static inline bool ipc_urefs_overflow(mach_port_urefs_t urefs, mach_port_delta_t delta)
{
	return delta > 0 && (urefs + (unsigned long)delta > IE_UREFS_MAX ||
			     urefs + (unsigned long)delta < urefs);
}

static inline bool ipc_urefs_underflow(mach_port_urefs_t urefs, mach_port_delta_t delta)
{
	return delta < 0 && (unsigned long)-(long)delta > urefs;
}

/*
 * The table operations. All take the space locked and active and leave
 * it so, except ipc_entry_grow(), which is called unlocked.
 */

/*
 * ipc_entry_lookup(space, name): the entry `name` denotes, or NULL (bad
 * index, stale generation, free). Inline, in ipc_space.h: every message
 * looks up several names.
 */

/*
 * A free entry and its name (type NONE, urefs 0), or KERN_NO_SPACE when
 * the table is full: the caller unlocks, ipc_entry_grow()s and retries.
 * Space locked. Inline, in ipc_space.h:
 *	kern_return_t ipc_entry_get(ipc_space_t space, mach_port_name_t *namep,
 *				    ipc_entry_t *entryp);
 */

/*
 * The entry for `name`: the existing one (whatever its type, the caller
 * looks), or the free entry of that index claimed with the name's
 * generation. KERN_NAME_EXISTS if the index is used with another
 * generation; KERN_NO_SPACE if the table is too small (grow and retry;
 * ipc_entry_grow() says whether the limit allows it).
 */
kern_return_t ipc_entry_claim(ipc_space_t space, mach_port_name_t name,
			      ipc_entry_t *entryp);

/*
 * Give an entry back: type NONE, no object; its generation moves on.
 * Space locked. Inline, in ipc_space.h:
 *	void ipc_entry_dealloc(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry);
 */

/*
 * Grow the table (nothing locked) so that it holds at least min_size
 * entries (0: the next size). KERN_SUCCESS (maybe another thread grew it
 * first), KERN_NO_SPACE at the space's limit, KERN_RESOURCE_SHORTAGE,
 * KERN_INVALID_TASK if the space died.
 */
kern_return_t ipc_entry_grow(ipc_space_t space, ipc_entry_index_t min_size);

/*
 * Lock the space (KERN_INVALID_TASK if it is dead) and take a free entry,
 * growing the table as needed; on success the space stays locked and the
 * entry is of type NONE: the caller fills it (or deallocs it) before
 * unlocking. KERN_NO_SPACE, KERN_RESOURCE_SHORTAGE.
 */
kern_return_t ipc_entry_alloc(ipc_space_t space, mach_port_name_t *namep,
			      ipc_entry_t *entryp);
/*
 * The same for a given name: on success the space is locked and the entry
 * is either the one the name already denotes (type not NONE: the caller
 * decides) or a fresh one. KERN_INVALID_VALUE for MACH_PORT_NULL,
 * MACH_PORT_DEAD and index 0, KERN_NAME_EXISTS (index used by another
 * generation), KERN_NO_SPACE (beyond the limit), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t ipc_entry_alloc_name(ipc_space_t space, mach_port_name_t name,
				   ipc_entry_t *entryp);
/* The same, but a name that already denotes a right is KERN_NAME_EXISTS. */
kern_return_t ipc_entry_alloc_name_unused(ipc_space_t space, mach_port_name_t name,
					  ipc_entry_t *entryp);
/* A fresh entry: under the name *namep if named, else under a new name. */
kern_return_t ipc_entry_alloc_new(ipc_space_t space, bool named,
				  mach_port_name_t *namep, ipc_entry_t *entryp);

/* The first table of a new space, not yet visible to anyone. */
kern_return_t ipc_entry_table_init(ipc_space_t space, ipc_entry_index_t size);

/* The reverse hash: send-only entries by port. */
void ipc_hash_insert(ipc_space_t space, ipc_port_t port, mach_port_name_t name);
void ipc_hash_delete(ipc_space_t space, ipc_port_t port, mach_port_name_t name);
/* The name of the send-only entry of `port`, or MACH_PORT_NAME_NULL. */
mach_port_name_t ipc_hash_lookup(ipc_space_t space, ipc_port_t port);

#endif /* _IPC_IPC_ENTRY_H */
