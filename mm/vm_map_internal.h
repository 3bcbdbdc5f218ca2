/* SPDX-License-Identifier: MIT */
/*
 * What mm/vm_map.c shares with the other files of the map layer
 * (mm/vm_map_copy.c): entries, clipping, free space. Map locked for all
 * but the entry allocator.
 */
#ifndef _MM_VM_MAP_INTERNAL_H
#define _MM_VM_MAP_INTERNAL_H

#include <kern/vm_map.h>
#include <kern/vm_object.h>

struct vm_map_entry *vm_map_entry_alloc(void);
void vm_map_entry_free(struct vm_map_entry *e);
void vm_map_entry_link(vm_map_t map, struct vm_map_entry *after, struct vm_map_entry *e);
void vm_map_entry_unlink(vm_map_t map, struct vm_map_entry *e);

kern_return_t vm_map_clip_start(vm_map_t map, struct vm_map_entry *e, vm_offset_t addr);
kern_return_t vm_map_clip_end(vm_map_t map, struct vm_map_entry *e, vm_offset_t addr);
/* Clip the entries of [start, end) (covered, first given) at both ends. */
kern_return_t vm_map_clip_range(vm_map_t map, struct vm_map_entry *first,
				vm_offset_t start, vm_offset_t end);
/* Merge what matches again around [start, end) after clipping. */
void vm_map_simplify_range(vm_map_t map, vm_offset_t start, vm_offset_t end);

/* The first entry of [start, end) if entries cover it without holes, else NULL. */
struct vm_map_entry *vm_map_range_entries(vm_map_t map, vm_offset_t start, vm_offset_t end);
/* Unmap and free the entries of [start, end). */
kern_return_t vm_map_delete(vm_map_t map, vm_offset_t start, vm_offset_t end);
/* Room for size bytes aligned to mask + 1 at or above hint; *prev: the entry before. */
kern_return_t vm_map_find_space(vm_map_t map, vm_offset_t hint, vm_size_t size,
				vm_offset_t mask, vm_offset_t *address,
				struct vm_map_entry **prev);
/*
 * An eager copy of *ep's data. What needs no pager is copied with the map
 * locked; from the first page a pager must supply on, the copy is made
 * with the map unlocked, since it waits for the pager, and that pager may
 * be a thread of the map's own task faulting in this map while it serves
 * the request (vm_map_copy_entry_wait(): the object referenced across
 * the wait). Back with the map locked, the copy is kept if the entry, or
 * an entry found again at its place when the map changed meanwhile (its
 * timestamp), still maps the object copied from at the same offset over
 * the same range with access need (Mach's vm_map_copyin: a fault may
 * shadow an entry without a new timestamp, so the object is compared
 * too); *ep is then that entry. Otherwise the copy is dropped and
 * VM_MAP_COPY_RETRY returned: the caller looks the map up again from the
 * entry's start, as if nothing had been copied. KERN_SUCCESS and *copy,
 * VM_MAP_COPY_RETRY, or KERN_RESOURCE_SHORTAGE.
 */
#define VM_MAP_COPY_RETRY	((kern_return_t)-3)
kern_return_t vm_map_copy_entry_wait(vm_map_t map, struct vm_map_entry **ep, vm_prot_t need,
				     struct vm_object *copy, vm_offset_t done);

static inline kern_return_t vm_map_copy_entry_slowly(vm_map_t map, struct vm_map_entry **ep,
						     vm_prot_t need, struct vm_object **copy)
{
	struct vm_map_entry *e = *ep;
	vm_size_t size = e->end - e->start;
	vm_offset_t done;
	kern_return_t kr;

	*copy = vm_object_copy_start(e->object, e->offset, size, &done);
	if (!*copy)
		return KERN_RESOURCE_SHORTAGE;
	if (likely(done == size))
		return KERN_SUCCESS;
	kr = vm_map_copy_entry_wait(map, ep, need, *copy, done);
	if (kr != KERN_SUCCESS) {
		vm_object_deallocate(*copy);
		*copy = NULL;
	}
	return kr;
}

/* Round [*start, *end) out to pages; false if it wraps or is empty. */
bool vm_map_round_range(vm_offset_t *start, vm_offset_t *end);

#endif /* _MM_VM_MAP_INTERNAL_H */
