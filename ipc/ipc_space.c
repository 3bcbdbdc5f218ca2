// SPDX-License-Identifier: MIT
/*
 * IPC spaces: creation, references, destruction (see ipc_space.h).
 */
#include <kern/zalloc.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>

/* Every space until it is freed, newest first; guarded by ipc_space_list_lock. */
static struct ipc_space *ipc_space_list;
static spinlock_t ipc_space_list_lock = SPINLOCK_INIT;

static void ipc_space_list_add(ipc_space_t space)
{
	spin_lock(&ipc_space_list_lock);
	space->is_all_prev = NULL;
	space->is_all_next = ipc_space_list;
	if (ipc_space_list)
		ipc_space_list->is_all_prev = space;
	ipc_space_list = space;
	spin_unlock(&ipc_space_list_lock);
}

static void ipc_space_list_remove(ipc_space_t space)
{
	spin_lock(&ipc_space_list_lock);
	if (space->is_all_prev)
		space->is_all_prev->is_all_next = space->is_all_next;
	else
		ipc_space_list = space->is_all_next;
	if (space->is_all_next)
		space->is_all_next->is_all_prev = space->is_all_prev;
	spin_unlock(&ipc_space_list_lock);
}

long ipc_space_entries_total(void)
{
	ipc_space_t space;
	long n = 0;

	spin_lock(&ipc_space_list_lock);
	for (space = ipc_space_list; space; space = space->is_all_next)
		n += READ_ONCE(space->is_entries);
	spin_unlock(&ipc_space_list_lock);
	return n;
}

kern_return_t ipc_space_create(ipc_space_t *spacep)
{
	ipc_space_t space;

	if (ipc_alloc_should_fail())
		return KERN_RESOURCE_SHORTAGE;
	space = zalloc(ipc_space_zone);
	if (!space)
		return KERN_RESOURCE_SHORTAGE;
	spin_lock_init_class(&space->is_lock, &ipc_space_lock_class);
	space->is_references = 1;
	space->is_active = true;
	space->is_growing = false;
	space->is_table_max = IPC_SPACE_MAX_NAMES;
	space->is_entries = 0;
	if (ipc_entry_table_init(space, IPC_SPACE_INITIAL_SIZE) != KERN_SUCCESS) {
		zfree(ipc_space_zone, space);
		return KERN_RESOURCE_SHORTAGE;
	}
	ipc_space_list_add(space);
	ipc_stat_add(IPC_STAT_SPACES, 1);
	*spacep = space;
	return KERN_SUCCESS;
}

kern_return_t ipc_space_set_limit(ipc_space_t space, ipc_entry_index_t max_names)
{
	kern_return_t kr;

	if (max_names < 2 || max_names > IPC_SPACE_MAX_NAMES)
		return KERN_INVALID_VALUE;
	kr = ipc_space_lock_active(space);
	if (kr != KERN_SUCCESS)
		return kr;
	space->is_table_max = max_names;
	is_unlock(space);
	return KERN_SUCCESS;
}

unsigned int ipc_space_names_in_use(ipc_space_t space)
{
	return READ_ONCE(space->is_entries);
}

void ipc_space_reference(ipc_space_t space)
{
	__atomic_add_fetch(&space->is_references, 1, __ATOMIC_RELAXED);
}

void ipc_space_release(ipc_space_t space)
{
	if (__atomic_sub_fetch(&space->is_references, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* The last reference of a space nobody destroyed: destroy it now. */
	ipc_space_destroy(space);
	ipc_space_list_remove(space);
	ipc_stat_add(IPC_STAT_SPACES, -1);
	zfree(ipc_space_zone, space);
}

/*
 * Everything in the space goes, with the space inactive and unlocked: no
 * operation gets past the active check any more, so the table is ours.
 * (Mach's ipc_space_destroy does the same.) Notifications are generated
 * as each right goes.
 */
void ipc_space_destroy(ipc_space_t space)
{
	ipc_entry_index_t i;
	struct ipc_entry *table;
	ipc_entry_index_t size;

	is_lock(space);
	if (!space->is_active) {
		is_unlock(space);
		return;
	}
	space->is_active = false;
	is_unlock(space);

	table = space->is_table;
	size = space->is_table_size;
	for (i = 1; i < size; i++) {
		ipc_entry_t entry = &table[i];

		if (IE_BITS_TYPE(entry->ie_bits) == MACH_PORT_TYPE_NONE)
			continue;
		ipc_right_clean(space, MACH_PORT_MAKE(i, IE_BITS_GEN(entry->ie_bits)), entry);
		entry->ie_bits = 0;
		entry->ie_object = NULL;
		space->is_entries--;
	}
	assert(space->is_entries == 0);

	is_lock(space);
	space->is_table = NULL;
	space->is_table_size = 0;
	space->is_free = 0;
	is_unlock(space);
	ipc_table_free(table, size * sizeof(struct ipc_entry));
	ipc_table_free(space->is_hash, (1UL << (64 - space->is_hash_shift)) *
		       sizeof(ipc_entry_index_t));
	space->is_hash = NULL;
}
