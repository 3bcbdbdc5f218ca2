// SPDX-License-Identifier: MIT
/*
 * The entry table of a space and its reverse hash (see ipc_entry.h and
 * ipc_space.h). Everything but ipc_entry_grow() runs with the space
 * locked and active.
 */
#include <kern/string.h>
#include <ipc/ipc_space.h>

#define IPC_HASH_MULT	0x9e3779b97f4a7c15UL

static inline unsigned long ipc_hash_bucket(ipc_space_t space, ipc_port_t port)
{
	return ((uintptr_t)port >> 4) * IPC_HASH_MULT >> space->is_hash_shift;
}

/* Take entry `index` off the free list (the head's ie_request is stale). */
static void ipc_entry_unlink_free(ipc_space_t space, ipc_entry_index_t index)
{
	struct ipc_entry *table = space->is_table;
	ipc_entry_index_t next = table[index].ie_next;
	ipc_entry_index_t prev = space->is_free == index ? 0 : table[index].ie_request;

	if (prev)
		table[prev].ie_next = next;
	else
		space->is_free = next;
	if (next)
		table[next].ie_request = prev;
	table[index].ie_next = 0;
	table[index].ie_request = 0;
	table[index].ie_object = NULL;
	space->is_entries++;
}

kern_return_t ipc_entry_claim(ipc_space_t space, mach_port_name_t name,
			      ipc_entry_t *entryp)
{
	ipc_entry_index_t index = MACH_PORT_INDEX(name);
	ipc_entry_t entry;

	if (index == 0)
		return KERN_INVALID_VALUE;
	if (index >= space->is_table_size)
		return KERN_NO_SPACE;
	entry = &space->is_table[index];
	if (IE_BITS_TYPE(entry->ie_bits) != MACH_PORT_TYPE_NONE) {
		if (IE_BITS_GEN(entry->ie_bits) != MACH_PORT_GEN(name))
			return KERN_NAME_EXISTS;
		*entryp = entry;
		return KERN_SUCCESS;
	}
	ipc_entry_unlink_free(space, index);
	entry->ie_bits = MACH_PORT_GEN(name);
	*entryp = entry;
	return KERN_SUCCESS;
}

/*
 * Append [from, to) to the free list in ascending order: after its last
 * entry, found by walking it (only a new or grown table, which copies
 * more than that).
 */
static void ipc_entry_free_range(ipc_space_t space, ipc_entry_index_t from,
				 ipc_entry_index_t to)
{
	struct ipc_entry *table = space->is_table;
	ipc_entry_index_t i, tail = space->is_free;

	while (tail && table[tail].ie_next)
		tail = table[tail].ie_next;
	for (i = from; i < to; i++) {
		table[i].ie_object = NULL;
		table[i].ie_bits = 0;
		table[i].ie_next = 0;
		table[i].ie_request = tail;
		if (tail)
			table[tail].ie_next = i;
		else
			space->is_free = i;
		tail = i;
	}
}

static unsigned int ipc_hash_shift_for(ipc_entry_index_t size)
{
	unsigned int log = 0;

	while ((1UL << log) < size)
		log++;
	return 64 - log;
}

static vm_size_t ipc_hash_bytes(unsigned int shift)
{
	return (1UL << (64 - shift)) * sizeof(ipc_entry_index_t);
}

/* Rebuild the reverse hash from the send-only entries of the table. */
static void ipc_hash_rebuild(ipc_space_t space)
{
	ipc_entry_index_t i;

	memset(space->is_hash, 0, ipc_hash_bytes(space->is_hash_shift));
	space->is_hash_count = 0;
	for (i = 1; i < space->is_table_size; i++) {
		ipc_entry_t e = &space->is_table[i];

		if (IE_BITS_TYPE(e->ie_bits) == MACH_PORT_TYPE_SEND)
			ipc_hash_insert(space, (ipc_port_t)e->ie_object,
					MACH_PORT_MAKE(i, IE_BITS_GEN(e->ie_bits)));
	}
}

kern_return_t ipc_entry_table_init(ipc_space_t space, ipc_entry_index_t size)
{
	space->is_hash_shift = ipc_hash_shift_for(size);
	space->is_table = ipc_table_alloc(size * sizeof(struct ipc_entry));
	space->is_hash = ipc_table_alloc(ipc_hash_bytes(space->is_hash_shift));
	if (!space->is_table || !space->is_hash) {
		ipc_table_free(space->is_table, size * sizeof(struct ipc_entry));
		ipc_table_free(space->is_hash, ipc_hash_bytes(space->is_hash_shift));
		return KERN_RESOURCE_SHORTAGE;
	}
	space->is_table_size = size;
	space->is_free = 0;
	space->is_table[0].ie_object = NULL;
	space->is_table[0].ie_bits = 0;
	space->is_table[0].ie_next = space->is_table[0].ie_request = 0;
	ipc_entry_free_range(space, 1, size);
	memset(space->is_hash, 0, ipc_hash_bytes(space->is_hash_shift));
	space->is_hash_count = 0;
	return KERN_SUCCESS;
}

kern_return_t ipc_entry_grow(ipc_space_t space, ipc_entry_index_t min_size)
{
	ipc_entry_index_t old_size, new_size;
	struct ipc_entry *table, *old_table;
	ipc_entry_index_t *hash, *old_hash;
	unsigned int shift, old_shift;
	kern_return_t kr;

	kr = ipc_space_lock_active(space);
	if (kr != KERN_SUCCESS)
		return kr;
	old_size = space->is_table_size;
	if (min_size && old_size >= min_size) {
		is_unlock(space);
		return KERN_SUCCESS;
	}
	if (old_size >= space->is_table_max || min_size > space->is_table_max) {
		is_unlock(space);
		return KERN_NO_SPACE;
	}
	new_size = MAX(old_size * 2, min_size);
	new_size = MIN(new_size, space->is_table_max);
	is_unlock(space);

	/* Allocate with nothing locked: the table may come from kmem. */
	shift = ipc_hash_shift_for(new_size);
	table = ipc_table_alloc(new_size * sizeof(struct ipc_entry));
	hash = ipc_table_alloc(ipc_hash_bytes(shift));
	if (!table || !hash) {
		ipc_table_free(table, new_size * sizeof(struct ipc_entry));
		ipc_table_free(hash, ipc_hash_bytes(shift));
		return KERN_RESOURCE_SHORTAGE;
	}

	kr = ipc_space_lock_active(space);
	if (kr != KERN_SUCCESS || space->is_table_size != old_size) {
		/* Dead, or another thread grew it first: the caller retries. */
		if (kr == KERN_SUCCESS)
			is_unlock(space);
		ipc_table_free(table, new_size * sizeof(struct ipc_entry));
		ipc_table_free(hash, ipc_hash_bytes(shift));
		return kr;
	}
	old_table = space->is_table;
	old_hash = space->is_hash;
	old_shift = space->is_hash_shift;
	memcpy(table, old_table, old_size * sizeof(struct ipc_entry));
	space->is_table = table;
	space->is_table_size = new_size;
	space->is_hash = hash;
	space->is_hash_shift = shift;
	ipc_entry_free_range(space, old_size, new_size);
	ipc_hash_rebuild(space);
	is_unlock(space);

	ipc_table_free(old_table, old_size * sizeof(struct ipc_entry));
	ipc_table_free(old_hash, ipc_hash_bytes(old_shift));
	return KERN_SUCCESS;
}

void ipc_hash_insert(ipc_space_t space, ipc_port_t port, mach_port_name_t name)
{
	unsigned long b = ipc_hash_bucket(space, port);
	ipc_entry_index_t index = MACH_PORT_INDEX(name);

	space->is_table[index].ie_next = space->is_hash[b];
	space->is_hash[b] = index;
	space->is_hash_count++;
}

void ipc_hash_delete(ipc_space_t space, ipc_port_t port, mach_port_name_t name)
{
	ipc_entry_index_t index = MACH_PORT_INDEX(name);
	ipc_entry_index_t *link = &space->is_hash[ipc_hash_bucket(space, port)];

	while (*link) {
		if (*link == index) {
			*link = space->is_table[index].ie_next;
			space->is_table[index].ie_next = 0;
			space->is_hash_count--;
			return;
		}
		link = &space->is_table[*link].ie_next;
	}
	panic("ipc_hash_delete: name 0x%x not in the hash", name);
}

mach_port_name_t ipc_hash_lookup(ipc_space_t space, ipc_port_t port)
{
	ipc_entry_index_t i = space->is_hash[ipc_hash_bucket(space, port)];

	while (i) {
		ipc_entry_t e = &space->is_table[i];

		if (e->ie_object == (ipc_object_t)port)
			return MACH_PORT_MAKE(i, IE_BITS_GEN(e->ie_bits));
		i = e->ie_next;
	}
	return MACH_PORT_NAME_NULL;
}

kern_return_t ipc_entry_alloc(ipc_space_t space, mach_port_name_t *namep,
			      ipc_entry_t *entryp)
{
	kern_return_t kr;

	for (;;) {
		kr = ipc_space_lock_active(space);
		if (kr != KERN_SUCCESS)
			return kr;
		kr = ipc_entry_get(space, namep, entryp);
		if (likely(kr == KERN_SUCCESS))
			return KERN_SUCCESS;
		is_unlock(space);
		kr = ipc_entry_grow(space, 0);
		if (kr != KERN_SUCCESS)
			return kr;
	}
}

kern_return_t ipc_entry_alloc_name(ipc_space_t space, mach_port_name_t name,
				   ipc_entry_t *entryp)
{
	kern_return_t kr;

	if (!MACH_PORT_NAME_VALID(name) || MACH_PORT_INDEX(name) == 0)
		return KERN_INVALID_VALUE;
	for (;;) {
		kr = ipc_space_lock_active(space);
		if (kr != KERN_SUCCESS)
			return kr;
		kr = ipc_entry_claim(space, name, entryp);
		if (kr == KERN_SUCCESS)
			return KERN_SUCCESS;
		is_unlock(space);
		if (kr != KERN_NO_SPACE)
			return kr;
		kr = ipc_entry_grow(space, MACH_PORT_INDEX(name) + 1);
		if (kr != KERN_SUCCESS)
			return kr;
	}
}

kern_return_t ipc_entry_alloc_name_unused(ipc_space_t space, mach_port_name_t name,
					  ipc_entry_t *entryp)
{
	kern_return_t kr = ipc_entry_alloc_name(space, name, entryp);

	if (kr == KERN_SUCCESS && IE_BITS_TYPE((*entryp)->ie_bits) != MACH_PORT_TYPE_NONE) {
		is_unlock(space);
		kr = KERN_NAME_EXISTS;
	}
	return kr;
}

kern_return_t ipc_entry_alloc_new(ipc_space_t space, bool named,
				  mach_port_name_t *namep, ipc_entry_t *entryp)
{
	if (named)
		return ipc_entry_alloc_name_unused(space, *namep, entryp);
	return ipc_entry_alloc(space, namep, entryp);
}
