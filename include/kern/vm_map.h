/* SPDX-License-Identifier: MIT */
/*
 * Address maps: what a task's address space holds, as Mach's vm_map. See
 * Documentation/mm/vm.rst.
 *
 * A map is a sorted set of entries, each a range [start, end) of the map
 * backed by (object, offset) with a protection, a maximum protection, an
 * inheritance and a wiring count. The pmap below holds the translations
 * the faults have made so far; vm_fault() (<kern/vm_fault.h>) fills it in.
 *
 *	vm_map_t map = vm_map_create(pmap_create(), base, base + size);
 *	vm_offset_t addr = 0;
 *	kr = vm_map_allocate(map, &addr, 4 * PAGE_SIZE, true);	demand-zero
 *	old = vm_map_switch(map);	this thread now runs in map's lower half
 *	((char *)addr)[0] = 1;		faults: a zero-filled page appears
 *	vm_map_switch(old);
 *	vm_map_deallocate(map);
 *
 * Every routine returns a kern_return_t with Mach's meaning:
 * KERN_INVALID_ARGUMENT for bad ranges, protections or inheritances,
 * KERN_INVALID_ADDRESS for a range the map does not cover (or that leaves
 * the map's bounds), KERN_NO_SPACE when a fixed range is taken or no room
 * is left, KERN_PROTECTION_FAILURE for a protection above the maximum or
 * an access the entry does not allow, KERN_RESOURCE_SHORTAGE without
 * memory.
 *
 * Locking: each map has a mutex (held across a whole operation, faults
 * included, except while vm_fault() waits for a pager). Lock order:
 * map, then objects from the top of a chain down, then the page hash and
 * queue spinlocks. Thread context only, interrupts enabled.
 */
#ifndef _KERN_VM_MAP_H
#define _KERN_VM_MAP_H

#include <kern/types.h>
#include <kern/lock.h>
#include <kern/pmap.h>
#include <mach/kern_return.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>

struct vm_object;

/*
 * One range of a map. Entries are on the map's sorted list (prev/next,
 * circular through map->header) and in its red-black tree (lookups).
 * All fields are guarded by the map's lock.
 */
struct vm_map_entry {
	struct vm_map_entry	*prev, *next;
	struct vm_map_entry	*rb_left, *rb_right, *rb_parent;
	bool			rb_red;
	vm_offset_t		start, end;
	struct vm_object	*object;	/* a reference; NULL: zero-fill, made on first fault */
	vm_offset_t		offset;		/* in object, of start */
	vm_prot_t		protection;
	vm_prot_t		max_protection;
	vm_inherit_t		inheritance;
	bool			needs_copy;	/* object is shared copy-on-write: shadow before writing */
	bool			is_shared;	/* object also mapped by another map (VM_INHERIT_SHARE) */
	unsigned int		wired_count;	/* vm_map_wire() calls on the range */
};

struct vm_map {
	struct mutex		lock;
	struct vm_map_entry	header;		/* list head: header.next is the lowest entry */
	struct vm_map_entry	*root;		/* the red-black tree */
	struct vm_map_entry	*hint;		/* the entry last found */
	unsigned int		nentries;
	vm_size_t		size;		/* bytes mapped */
	vm_offset_t		min_offset, max_offset;	/* the map's bounds */
	pmap_t			pmap;		/* a reference */
	unsigned int		ref_count;	/* under lock */
	unsigned int		timestamp;	/* +1 for every change of the entries */
};

typedef struct vm_map *vm_map_t;
#define VM_MAP_NULL	((vm_map_t)0)

/*
 * A map of [min, max) (page aligned, user addresses) over pmap, whose
 * reference the map takes. NULL without memory.
 */
vm_map_t vm_map_create(pmap_t pmap, vm_offset_t min, vm_offset_t max);

void vm_map_reference(vm_map_t map);
/* Drop a reference; the last removes every entry and destroys the pmap reference. */
void vm_map_deallocate(vm_map_t map);

/*
 * Map [*address, *address + size) to (object, offset): anywhere picks the
 * lowest free range aligned to mask + 1 and returns it in *address,
 * otherwise *address is where it must go. object NULL means fresh
 * zero-filled memory (adjacent anonymous entries with the same attributes
 * are coalesced); otherwise the entry takes the caller's reference on
 * object. needs_copy: object is to be copied on write.
 */
kern_return_t vm_map_enter(vm_map_t map, vm_offset_t *address, vm_size_t size,
			   vm_offset_t mask, bool anywhere, struct vm_object *object,
			   vm_offset_t offset, bool needs_copy, vm_prot_t cur_protection,
			   vm_prot_t max_protection, vm_inherit_t inheritance);

/* vm_allocate(): zero-filled memory, read-write, inherited by copy. */
kern_return_t vm_map_allocate(vm_map_t map, vm_offset_t *address, vm_size_t size,
			      bool anywhere);

/* vm_deallocate(): unmap [start, end); holes are fine. Wired entries are unwired. */
kern_return_t vm_map_remove(vm_map_t map, vm_offset_t start, vm_offset_t end);

/*
 * vm_protect(): set the protection of [start, end), or with set_max its
 * maximum protection (which lowers the current one with it). The range
 * must be mapped without holes (KERN_INVALID_ADDRESS); a protection above
 * an entry's maximum is KERN_PROTECTION_FAILURE and nothing changes.
 */
kern_return_t vm_map_protect(vm_map_t map, vm_offset_t start, vm_offset_t end,
			     vm_prot_t new_prot, bool set_max);

/* vm_inherit(): what vm_map_fork() gives a child of [start, end). */
kern_return_t vm_map_inherit(vm_map_t map, vm_offset_t start, vm_offset_t end,
			     vm_inherit_t inheritance);

/*
 * Wire [start, end) (no holes): fault every page in with access_type
 * (writable entries get their copy-on-write copies now) and keep them
 * resident and mapped until vm_map_unwire(). Wirings nest per entry.
 * access_type beyond the protection: KERN_PROTECTION_FAILURE.
 */
kern_return_t vm_map_wire(vm_map_t map, vm_offset_t start, vm_offset_t end,
			  vm_prot_t access_type);
kern_return_t vm_map_unwire(vm_map_t map, vm_offset_t start, vm_offset_t end);

/*
 * A new map over a new pmap with the same bounds, holding what map's
 * inheritance says: VM_INHERIT_SHARE entries share the object,
 * VM_INHERIT_COPY entries get a copy-on-write copy (symmetric: both sides
 * marked needs_copy and write-protected), VM_INHERIT_NONE leaves a hole.
 * For task_create(inherit_memory). NULL without memory.
 */
vm_map_t vm_map_fork(vm_map_t map);

/*
 * Run the calling thread in map's address space (the lower half), or in
 * none with VM_MAP_NULL; returns the map it ran in. The thread holds no
 * reference: the caller keeps map alive while the thread runs in it.
 */
vm_map_t vm_map_switch(vm_map_t map);

/*
 * vm_region(): the entry containing *address or the first one above it:
 * its range, protections, inheritance, whether it is shared, and its
 * object and offset (either pointer may be NULL; no reference is taken).
 * KERN_NO_SPACE when nothing is mapped at or above *address.
 */
kern_return_t vm_map_region(vm_map_t map, vm_offset_t *address, vm_size_t *size,
			    vm_prot_t *protection, vm_prot_t *max_protection,
			    vm_inherit_t *inheritance, bool *shared,
			    struct vm_object **object, vm_offset_t *offset);

/*
 * For vm_fault(), map locked: the object and offset that vaddr maps for
 * an access of fault_type, and the protection to enter. Makes the entry's
 * object if it has none, and its shadow if the access writes a needs_copy
 * entry (a read of one gets the protection without write). *wired: the
 * entry is wired. Returns a reference on *object for the caller.
 * KERN_INVALID_ADDRESS (unmapped), KERN_PROTECTION_FAILURE (the entry
 * refuses fault_type), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t vm_map_lookup_locked(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
				   struct vm_object **object, vm_offset_t *offset,
				   vm_prot_t *prot, bool *wired);
/*
 * The same without the reference: *object is the entry's, valid while the
 * map stays locked (vm_fault(), which takes its own reference before it
 * unlocks the map to wait).
 */
kern_return_t vm_map_lookup_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
				  struct vm_object **object, vm_offset_t *offset,
				  vm_prot_t *prot, bool *wired);

/* The entry holding addr (true), or the one before it (false; &map->header if none). Map locked. */
bool vm_map_lookup_entry(vm_map_t map, vm_offset_t addr, struct vm_map_entry **entry);

static inline void vm_map_lock(vm_map_t map)
{
	mutex_lock(&map->lock);
}

static inline void vm_map_unlock(vm_map_t map)
{
	mutex_unlock(&map->lock);
}

/* Map entries that exist (tests: back to the baseline). */
unsigned long vm_map_entry_count(void);

/* Check the list and the tree agree and are sorted (tests); false with a message if not. */
bool vm_map_verify(vm_map_t map);

/* Print the entries (debugging). */
void vm_map_print(vm_map_t map);

#endif /* _KERN_VM_MAP_H */
