// SPDX-License-Identifier: MIT
/*
 * Address maps (see <kern/vm_map.h> and Documentation/mm/vm.rst).
 *
 * A map's entries are kept twice: on a sorted, circular list through the
 * map's header (walks, neighbours for clipping and coalescing) and in a
 * red-black tree keyed by start address (lookups in O(log n)), with a hint
 * in front of the tree for the common case of several operations on one
 * entry. Entries never overlap, so a clip (splitting an entry at an
 * address) keeps the tree's order: the new piece is inserted as a new
 * node, the old one keeps its node with a larger start.
 *
 * Locking: the map's mutex guards everything in it, and is held across
 * a whole operation (faults included).
 */
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/vm_fault.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/zalloc.h>
#include "vm_map_internal.h"

static struct zone *vm_map_zone;
static struct zone *vm_map_entry_zone;
static unsigned long vm_map_entry_nr;		/* atomic */

unsigned long vm_map_entry_count(void)
{
	return __atomic_load_n(&vm_map_entry_nr, __ATOMIC_RELAXED);
}

struct vm_map_entry *vm_map_entry_alloc(void)
{
	struct vm_map_entry *e = zalloc(vm_map_entry_zone);

	if (e) {
		memset(e, 0, sizeof(*e));
		__atomic_add_fetch(&vm_map_entry_nr, 1, __ATOMIC_RELAXED);
	}
	return e;
}

void vm_map_entry_free(struct vm_map_entry *e)
{
	zfree(vm_map_entry_zone, e);
	__atomic_sub_fetch(&vm_map_entry_nr, 1, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------------
 * The red-black tree
 */

static void vm_map_rb_replace(vm_map_t map, struct vm_map_entry *old,
			      struct vm_map_entry *new)
{
	struct vm_map_entry *p = old->rb_parent;

	if (!p)
		map->root = new;
	else if (p->rb_left == old)
		p->rb_left = new;
	else
		p->rb_right = new;
	if (new)
		new->rb_parent = p;
}

static void vm_map_rb_rotate_left(vm_map_t map, struct vm_map_entry *x)
{
	struct vm_map_entry *y = x->rb_right;

	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->rb_parent = x;
	vm_map_rb_replace(map, x, y);
	y->rb_left = x;
	x->rb_parent = y;
}

static void vm_map_rb_rotate_right(vm_map_t map, struct vm_map_entry *x)
{
	struct vm_map_entry *y = x->rb_left;

	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->rb_parent = x;
	vm_map_rb_replace(map, x, y);
	y->rb_right = x;
	x->rb_parent = y;
}

static bool vm_map_rb_is_red(const struct vm_map_entry *e)
{
	return e && e->rb_red;
}

static void vm_map_rb_insert(vm_map_t map, struct vm_map_entry *z)
{
	struct vm_map_entry **link = &map->root, *parent = NULL, *p, *g, *u;

	while (*link) {
		parent = *link;
		link = z->start < parent->start ? &parent->rb_left : &parent->rb_right;
	}
	z->rb_parent = parent;
	z->rb_left = z->rb_right = NULL;
	z->rb_red = true;
	*link = z;

	while ((p = z->rb_parent) && p->rb_red) {
		g = p->rb_parent;
		if (p == g->rb_left) {
			u = g->rb_right;
			if (vm_map_rb_is_red(u)) {
				p->rb_red = u->rb_red = false;
				g->rb_red = true;
				z = g;
				continue;
			}
			if (z == p->rb_right) {
				vm_map_rb_rotate_left(map, p);
				z = p;
				p = z->rb_parent;
			}
			p->rb_red = false;
			g->rb_red = true;
			vm_map_rb_rotate_right(map, g);
		} else {
			u = g->rb_left;
			if (vm_map_rb_is_red(u)) {
				p->rb_red = u->rb_red = false;
				g->rb_red = true;
				z = g;
				continue;
			}
			if (z == p->rb_left) {
				vm_map_rb_rotate_right(map, p);
				z = p;
				p = z->rb_parent;
			}
			p->rb_red = false;
			g->rb_red = true;
			vm_map_rb_rotate_left(map, g);
		}
	}
	map->root->rb_red = false;
}

/* Restore the black heights after a black node left above x (child of xp). */
static void vm_map_rb_erase_fixup(vm_map_t map, struct vm_map_entry *x,
				  struct vm_map_entry *xp)
{
	struct vm_map_entry *w;

	while (x != map->root && !vm_map_rb_is_red(x)) {
		if (x == xp->rb_left) {
			w = xp->rb_right;
			if (w->rb_red) {
				w->rb_red = false;
				xp->rb_red = true;
				vm_map_rb_rotate_left(map, xp);
				w = xp->rb_right;
			}
			if (!vm_map_rb_is_red(w->rb_left) && !vm_map_rb_is_red(w->rb_right)) {
				w->rb_red = true;
				x = xp;
				xp = x->rb_parent;
				continue;
			}
			if (!vm_map_rb_is_red(w->rb_right)) {
				w->rb_left->rb_red = false;
				w->rb_red = true;
				vm_map_rb_rotate_right(map, w);
				w = xp->rb_right;
			}
			w->rb_red = xp->rb_red;
			xp->rb_red = false;
			w->rb_right->rb_red = false;
			vm_map_rb_rotate_left(map, xp);
		} else {
			w = xp->rb_left;
			if (w->rb_red) {
				w->rb_red = false;
				xp->rb_red = true;
				vm_map_rb_rotate_right(map, xp);
				w = xp->rb_left;
			}
			if (!vm_map_rb_is_red(w->rb_left) && !vm_map_rb_is_red(w->rb_right)) {
				w->rb_red = true;
				x = xp;
				xp = x->rb_parent;
				continue;
			}
			if (!vm_map_rb_is_red(w->rb_left)) {
				w->rb_right->rb_red = false;
				w->rb_red = true;
				vm_map_rb_rotate_left(map, w);
				w = xp->rb_left;
			}
			w->rb_red = xp->rb_red;
			xp->rb_red = false;
			w->rb_left->rb_red = false;
			vm_map_rb_rotate_right(map, xp);
		}
		x = map->root;
		break;
	}
	if (x)
		x->rb_red = false;
}

static void vm_map_rb_erase(vm_map_t map, struct vm_map_entry *z)
{
	struct vm_map_entry *y = z, *x, *xp;
	bool y_red;

	if (z->rb_left && z->rb_right)
		for (y = z->rb_right; y->rb_left; y = y->rb_left)
			;
	x = y->rb_left ? y->rb_left : y->rb_right;
	xp = y->rb_parent;
	y_red = y->rb_red;
	vm_map_rb_replace(map, y, x);
	if (y != z) {
		/* y (z's successor) takes z's place and colour. */
		if (xp == z)
			xp = y;
		y->rb_left = z->rb_left;
		y->rb_right = z->rb_right;
		y->rb_red = z->rb_red;
		if (y->rb_left)
			y->rb_left->rb_parent = y;
		if (y->rb_right)
			y->rb_right->rb_parent = y;
		vm_map_rb_replace(map, z, y);
	}
	if (!y_red)
		vm_map_rb_erase_fixup(map, x, xp);
	z->rb_left = z->rb_right = z->rb_parent = NULL;
}

/* ------------------------------------------------------------------------
 * Entries: list and tree together
 */

void vm_map_entry_link(vm_map_t map, struct vm_map_entry *after,
		       struct vm_map_entry *e)
{
	e->prev = after;
	e->next = after->next;
	after->next->prev = e;
	after->next = e;
	vm_map_rb_insert(map, e);
	map->nentries++;
}

void vm_map_entry_unlink(vm_map_t map, struct vm_map_entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	vm_map_rb_erase(map, e);
	map->nentries--;
	if (map->hint == e)
		map->hint = &map->header;
}

bool vm_map_lookup_entry(vm_map_t map, vm_offset_t addr, struct vm_map_entry **entry)
{
	struct vm_map_entry *h = map->hint, *n = map->root, *best = &map->header;

	if (h != &map->header && h->start <= addr && addr < h->end) {
		*entry = h;
		return true;
	}
	while (n) {
		if (addr < n->start) {
			n = n->rb_left;
		} else if (addr < n->end) {
			map->hint = n;
			*entry = n;
			return true;
		} else {
			best = n;
			n = n->rb_right;
		}
	}
	*entry = best;
	return false;
}

/* Split e at addr: [e->start, addr) becomes a new entry before e. */
kern_return_t vm_map_clip_start(vm_map_t map, struct vm_map_entry *e,
				vm_offset_t addr)
{
	struct vm_map_entry *n;

	if (addr <= e->start || addr >= e->end)
		return KERN_SUCCESS;
	n = vm_map_entry_alloc();
	if (!n)
		return KERN_RESOURCE_SHORTAGE;
	*n = *e;
	n->end = addr;
	e->offset += addr - e->start;
	e->start = addr;
	vm_object_reference(n->object);
	vm_map_entry_link(map, e->prev, n);
	return KERN_SUCCESS;
}

/* Split e at addr: [addr, e->end) becomes a new entry after e. */
kern_return_t vm_map_clip_end(vm_map_t map, struct vm_map_entry *e,
			      vm_offset_t addr)
{
	struct vm_map_entry *n;

	if (addr <= e->start || addr >= e->end)
		return KERN_SUCCESS;
	n = vm_map_entry_alloc();
	if (!n)
		return KERN_RESOURCE_SHORTAGE;
	*n = *e;
	n->start = addr;
	n->offset += addr - e->start;
	e->end = addr;
	vm_object_reference(n->object);
	vm_map_entry_link(map, e, n);
	return KERN_SUCCESS;
}

/* Can b (right after a) join a into one entry? */
static bool vm_map_entries_mergeable(const struct vm_map_entry *a,
				     const struct vm_map_entry *b)
{
	return a->end == b->start && a->object == b->object &&
	       (!a->object || a->offset + (a->end - a->start) == b->offset) &&
	       a->protection == b->protection &&
	       a->max_protection == b->max_protection &&
	       a->inheritance == b->inheritance &&
	       a->needs_copy == b->needs_copy && a->is_shared == b->is_shared &&
	       a->wired_count == b->wired_count;
}

/* Let e absorb the entry before it if they match. Only that entry is freed. */
static void vm_map_merge_prev(vm_map_t map, struct vm_map_entry *e)
{
	struct vm_map_entry *prev = e->prev;

	if (prev == &map->header || !vm_map_entries_mergeable(prev, e))
		return;
	vm_map_entry_unlink(map, prev);
	e->start = prev->start;		/* the same place in the tree's order */
	e->offset = prev->offset;
	vm_object_deallocate(prev->object);
	vm_map_entry_free(prev);
}

/* Merge e with its neighbours where they match (e may be freed). */
static void vm_map_simplify_entry(vm_map_t map, struct vm_map_entry *e)
{
	struct vm_map_entry *next = e->next;

	vm_map_merge_prev(map, e);
	if (next != &map->header)
		vm_map_merge_prev(map, next);
}

/*
 * After clipping [start, end): merge what matches again, from the entry
 * before the range to the one right after it.
 */
void vm_map_simplify_range(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *e, *next;

	if (!vm_map_lookup_entry(map, start, &e))
		e = e->next;
	for (; e != &map->header && e->start <= end; e = next) {
		next = e->next;
		vm_map_merge_prev(map, e);
	}
}

/* ------------------------------------------------------------------------
 * Maps
 */

vm_map_t vm_map_create(pmap_t pmap, vm_offset_t min, vm_offset_t max)
{
	vm_map_t map;

	if (!pmap || min >= max || (min | max) & (PAGE_SIZE - 1) ||
	    max > VM_MAX_USER_ADDRESS)
		return VM_MAP_NULL;
	map = zalloc(vm_map_zone);
	if (!map)
		return VM_MAP_NULL;
	memset(map, 0, sizeof(*map));
	mutex_init(&map->lock);
	map->header.next = map->header.prev = &map->header;
	map->hint = &map->header;
	map->min_offset = min;
	map->max_offset = max;
	map->pmap = pmap;
	map->ref_count = 1;
	return map;
}

void vm_map_reference(vm_map_t map)
{
	vm_map_lock(map);
	map->ref_count++;
	vm_map_unlock(map);
}

/* Bad range or arguments? (page rounding done by the callers) */
static bool vm_map_range_ok(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	return start < end && start >= map->min_offset && end <= map->max_offset;
}

static bool vm_prot_ok(vm_prot_t prot)
{
	return (prot & ~VM_PROT_ALL) == 0;
}

/* Unmap and free the entries in [start, end) (map locked). */
kern_return_t vm_map_delete(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *e;
	kern_return_t kr;

	if (!vm_map_lookup_entry(map, start, &e)) {
		e = e->next;
	} else {
		kr = vm_map_clip_start(map, e, start);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	while (e != &map->header && e->start < end) {
		struct vm_map_entry *next;

		kr = vm_map_clip_end(map, e, end);
		if (kr != KERN_SUCCESS)
			return kr;
		next = e->next;
		/*
		 * The translations go first, with one shootdown for the
		 * range. A wired entry with the last reference to an object
		 * of its own has its pages' wirings dropped in one walk: they
		 * are freed with the object just below (unwired page by page
		 * they would go on the active queue first, for the pageout
		 * daemon to scan while the object is torn down).
		 */
		pmap_remove(map->pmap, e->start, e->end);
		if (e->wired_count) {
			if (!e->object || !vm_object_unwire_dying(e->object))
				vm_fault_unwire(map, e, e->start, e->end);
			e->wired_count = 0;
		}
		vm_map_entry_unlink(map, e);
		map->size -= e->end - e->start;
		vm_object_deallocate(e->object);
		vm_map_entry_free(e);
		e = next;
	}
	map->timestamp++;
	return KERN_SUCCESS;
}

void vm_map_deallocate(vm_map_t map)
{
	if (!map)
		return;
	vm_map_lock(map);
	if (--map->ref_count > 0) {
		vm_map_unlock(map);
		return;
	}
	/* Nothing to allocate when every entry goes: this cannot fail. */
	while (map->header.next != &map->header)
		vm_map_delete(map, map->header.next->start, map->header.prev->end);
	vm_map_unlock(map);
	pmap_destroy(map->pmap);
	zfree(vm_map_zone, map);
}

/* Find room for size bytes aligned to mask + 1 at or above hint; *prev gets the entry before it. */
kern_return_t vm_map_find_space(vm_map_t map, vm_offset_t hint, vm_size_t size,
				vm_offset_t mask, vm_offset_t *address,
				struct vm_map_entry **prev)
{
	vm_offset_t start = hint >= map->min_offset && hint < map->max_offset ?
			    hint : map->min_offset;
	struct vm_map_entry *e;

	if (vm_map_lookup_entry(map, start, &e))
		start = e->end;
	for (;;) {
		struct vm_map_entry *next = e->next;

		start = ALIGN_UP(start, mask + 1);
		if (start < map->min_offset || start + size < start ||
		    start + size > map->max_offset)
			return KERN_NO_SPACE;
		if (next == &map->header || start + size <= next->start) {
			*address = start;
			*prev = e;
			return KERN_SUCCESS;
		}
		start = next->end;
		e = next;
	}
}

/*
 * Extend prev (anonymous memory ending at start) over [start, end) instead
 * of making a new entry, if nothing else sees its object.
 */
static bool vm_map_coalesce(struct vm_map_entry *prev, vm_offset_t start, vm_offset_t end,
			    vm_prot_t cur, vm_prot_t max, vm_inherit_t inh)
{
	struct vm_object *obj = prev->object;
	bool ok;

	if (prev->end != start || prev->protection != cur || prev->max_protection != max ||
	    prev->inheritance != inh || prev->wired_count || prev->needs_copy ||
	    prev->is_shared)
		return false;
	if (!obj)
		goto extend;
	vm_object_lock(obj);
	ok = obj->ref_count == 1 && !obj->shadow && !obj->pager &&
	     prev->offset + (prev->end - prev->start) <= obj->size;
	if (ok) {
		vm_offset_t from = prev->offset + (prev->end - prev->start);

		/* Pages left from an earlier, removed mapping must not show. */
		vm_object_page_remove(obj, from, from + (end - start));
		obj->size = MAX(obj->size, from + (end - start));
	}
	vm_object_unlock(obj);
	if (!ok)
		return false;
extend:
	prev->end = end;
	return true;
}

kern_return_t vm_map_enter(vm_map_t map, vm_offset_t *address, vm_size_t size,
			   vm_offset_t mask, bool anywhere, struct vm_object *object,
			   vm_offset_t offset, bool needs_copy, vm_prot_t cur_protection,
			   vm_prot_t max_protection, vm_inherit_t inheritance)
{
	struct vm_map_entry *prev, *e;
	vm_offset_t start, end;
	kern_return_t kr;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (size == 0 || !vm_prot_ok(cur_protection) || !vm_prot_ok(max_protection) ||
	    (cur_protection & ~max_protection) || inheritance > VM_INHERIT_LAST_VALID ||
	    (offset & (PAGE_SIZE - 1)))
		return KERN_INVALID_ARGUMENT;
	mask |= PAGE_SIZE - 1;

	vm_map_lock(map);
	if (anywhere) {
		kr = vm_map_find_space(map, *address, size, mask, &start, &prev);
		if (kr != KERN_SUCCESS)
			goto out;
	} else {
		start = *address;
		if (start & mask) {
			kr = KERN_INVALID_ARGUMENT;
			goto out;
		}
		if (start + size < start || !vm_map_range_ok(map, start, start + size)) {
			kr = KERN_INVALID_ADDRESS;
			goto out;
		}
		if (vm_map_lookup_entry(map, start, &prev) ||
		    (prev->next != &map->header && prev->next->start < start + size)) {
			kr = KERN_NO_SPACE;
			goto out;
		}
	}
	end = start + size;

	if (!object && prev != &map->header &&
	    vm_map_coalesce(prev, start, end, cur_protection, max_protection, inheritance)) {
		vm_map_simplify_entry(map, prev);	/* it may now touch the next one */
		goto done;
	}
	e = vm_map_entry_alloc();
	if (!e) {
		kr = KERN_RESOURCE_SHORTAGE;
		goto out;
	}
	e->start = start;
	e->end = end;
	e->object = object;
	e->offset = object ? offset : 0;
	e->needs_copy = object && needs_copy;
	e->protection = cur_protection;
	e->max_protection = max_protection;
	e->inheritance = inheritance;
	vm_map_entry_link(map, prev, e);
	vm_map_simplify_entry(map, e);
done:
	map->size += size;
	map->timestamp++;
	*address = start;
	kr = KERN_SUCCESS;
out:
	vm_map_unlock(map);
	return kr;
}

kern_return_t vm_map_allocate(vm_map_t map, vm_offset_t *address, vm_size_t size,
			      bool anywhere)
{
	if (!anywhere)
		*address = ALIGN_DOWN(*address, PAGE_SIZE);
	return vm_map_enter(map, address, size, 0, anywhere, NULL, 0, false,
			    VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_DEFAULT);
}

/* Round [start, start + size) out to pages; false if it wraps or is empty. */
bool vm_map_round_range(vm_offset_t *start, vm_offset_t *end)
{
	vm_offset_t s = ALIGN_DOWN(*start, PAGE_SIZE), e = ALIGN_UP(*end, PAGE_SIZE);

	if (e <= s)
		return false;
	*start = s;
	*end = e;
	return true;
}

kern_return_t vm_map_remove(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	kern_return_t kr;

	if (start == end)
		return KERN_SUCCESS;
	if (!vm_map_round_range(&start, &end))
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	/* Clamped to the map, as Mach's. */
	start = MAX(start, map->min_offset);
	end = MIN(end, map->max_offset);
	kr = start < end ? vm_map_delete(map, start, end) : KERN_SUCCESS;
	vm_map_unlock(map);
	return kr;
}

/*
 * The first entry of [start, end), if the entries cover it without holes
 * (map locked); NULL otherwise.
 */
struct vm_map_entry *vm_map_range_entries(vm_map_t map, vm_offset_t start,
					  vm_offset_t end)
{
	struct vm_map_entry *first, *e;

	if (!vm_map_lookup_entry(map, start, &first))
		return NULL;
	for (e = first; e->end < end; e = e->next)
		if (e->next == &map->header || e->next->start != e->end)
			return NULL;
	return first;
}

/* Clip the entries of [start, end) (covered, first given) at both ends. */
kern_return_t vm_map_clip_range(vm_map_t map, struct vm_map_entry *first,
				vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *e;
	kern_return_t kr;

	kr = vm_map_clip_start(map, first, start);
	for (e = first; kr == KERN_SUCCESS && e->end < end; e = e->next)
		;
	if (kr == KERN_SUCCESS)
		kr = vm_map_clip_end(map, e, end);
	return kr;
}

kern_return_t vm_map_protect(vm_map_t map, vm_offset_t start, vm_offset_t end,
			     vm_prot_t new_prot, bool set_max)
{
	struct vm_map_entry *first, *e;
	kern_return_t kr;

	if (!vm_prot_ok(new_prot) || !vm_map_round_range(&start, &end))
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	first = vm_map_range_ok(map, start, end) ? vm_map_range_entries(map, start, end) : NULL;
	if (!first) {
		kr = KERN_INVALID_ADDRESS;
		goto out;
	}
	for (e = first; e != &map->header && e->start < end; e = e->next) {
		if (new_prot & ~e->max_protection) {
			kr = KERN_PROTECTION_FAILURE;
			goto out;
		}
	}
	kr = vm_map_clip_range(map, first, start, end);
	if (kr != KERN_SUCCESS)
		goto out;
	for (e = first; e != &map->header && e->start < end; e = e->next) {
		vm_prot_t old = e->protection;

		if (set_max) {
			e->max_protection = new_prot;
			e->protection &= new_prot;
		} else {
			e->protection = new_prot;
		}
		/* Lowering takes effect now; raising at the next fault. */
		if (old & ~e->protection)
			pmap_protect(map->pmap, e->start, e->end,
				     e->needs_copy ? e->protection & ~VM_PROT_WRITE :
						     e->protection);
	}
	vm_map_simplify_range(map, start, end);
	map->timestamp++;
out:
	vm_map_unlock(map);
	return kr;
}

kern_return_t vm_map_inherit(vm_map_t map, vm_offset_t start, vm_offset_t end,
			     vm_inherit_t inheritance)
{
	struct vm_map_entry *e;
	kern_return_t kr = KERN_SUCCESS;

	if (inheritance > VM_INHERIT_LAST_VALID || !vm_map_round_range(&start, &end))
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	/* Holes are fine, as in Mach. */
	if (vm_map_lookup_entry(map, start, &e))
		kr = vm_map_clip_start(map, e, start);
	else
		e = e->next;
	for (; kr == KERN_SUCCESS && e != &map->header && e->start < end; e = e->next) {
		kr = vm_map_clip_end(map, e, end);
		if (kr == KERN_SUCCESS)
			e->inheritance = inheritance;
	}
	vm_map_simplify_range(map, start, end);
	map->timestamp++;
	vm_map_unlock(map);
	return kr;
}

/*
 * Get e ready to be wired: its own object, and for a writable entry its
 * copy-on-write shadow now, so that the wired pages are the entry's own.
 */
static kern_return_t vm_map_wire_prepare(struct vm_map_entry *e)
{
	kern_return_t kr;

	if (e->needs_copy && (e->protection & VM_PROT_WRITE)) {
		kr = vm_object_shadow(&e->object, &e->offset, e->end - e->start);
		if (kr != KERN_SUCCESS)
			return kr;
		e->needs_copy = false;
	}
	if (!e->object) {
		e->object = vm_object_allocate(e->end - e->start);
		if (!e->object)
			return KERN_RESOURCE_SHORTAGE;
		e->offset = 0;
	}
	return KERN_SUCCESS;
}

/*
 * Wire one entry that was not wired: fault every page in. Undone on any
 * failure, VM_FAULT_RETRY included (*wait: a pager or free pages to wait
 * for).
 */
static kern_return_t vm_map_wire_entry(vm_map_t map, struct vm_map_entry *e,
				       vm_prot_t access_type, struct vm_pager_wait *wait)
{
	vm_offset_t va;
	kern_return_t kr = vm_map_wire_prepare(e);

	if (kr != KERN_SUCCESS)
		return kr;
	if (e->protection & VM_PROT_WRITE)
		access_type |= VM_PROT_WRITE;
	e->wired_count = 1;
	for (va = e->start; va < e->end; va += PAGE_SIZE) {
		kr = vm_fault_locked(map, va, access_type, true, wait);
		if (kr != KERN_SUCCESS) {
			vm_fault_unwire(map, e, e->start, va);
			e->wired_count = 0;
			return kr;
		}
	}
	return KERN_SUCCESS;
}

/* Undo one wiring of the entries of [start, end) (clipped, covered). */
static void vm_map_unwire_entries(vm_map_t map, struct vm_map_entry *e, vm_offset_t end)
{
	for (; e != &map->header && e->start < end; e = e->next) {
		if (--e->wired_count == 0)
			vm_fault_unwire(map, e, e->start, e->end);
	}
}

kern_return_t vm_map_wire(vm_map_t map, vm_offset_t start, vm_offset_t end,
			  vm_prot_t access_type)
{
	struct vm_map_entry *first, *e;
	struct vm_pager_wait wait;
	unsigned int waits = 0;
	kern_return_t kr;

	if (!vm_prot_ok(access_type) || !vm_map_round_range(&start, &end))
		return KERN_INVALID_ARGUMENT;
	access_type |= VM_PROT_READ;
again:
	vm_map_lock(map);
	first = vm_map_range_ok(map, start, end) ? vm_map_range_entries(map, start, end) : NULL;
	if (!first) {
		kr = KERN_INVALID_ADDRESS;
		goto out;
	}
	for (e = first; e != &map->header && e->start < end; e = e->next) {
		if (access_type & ~e->protection) {
			kr = KERN_PROTECTION_FAILURE;
			goto out;
		}
	}
	kr = vm_map_clip_range(map, first, start, end);
	if (kr != KERN_SUCCESS)
		goto out;
	first = first->start == start ? first : first->next;
	for (e = first; e != &map->header && e->start < end; e = e->next) {
		if (e->wired_count) {
			e->wired_count++;
			continue;
		}
		kr = vm_map_wire_entry(map, e, access_type, &wait);
		if (kr != KERN_SUCCESS) {
			vm_map_unwire_entries(map, first, e->start);
			break;
		}
	}
	vm_map_simplify_range(map, start, end);
	map->timestamp++;
out:
	vm_map_unlock(map);
	/*
	 * A pager must supply a page, or the pageout daemon free some:
	 * everything this call did is undone; wait with the map unlocked
	 * (others may change it meanwhile; a manager in this map's task must
	 * take what the daemon sends it), then start again from the checks,
	 * as a fault looks the map up again.
	 */
	if (kr == VM_FAULT_RETRY) {
		kr = vm_fault_wait_run(&wait, &waits);
		if (kr == KERN_SUCCESS)
			goto again;
	}
	return kr;
}

kern_return_t vm_map_unwire(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *first, *e;
	kern_return_t kr;

	if (!vm_map_round_range(&start, &end))
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	first = vm_map_range_ok(map, start, end) ? vm_map_range_entries(map, start, end) : NULL;
	if (!first) {
		kr = KERN_INVALID_ADDRESS;
		goto out;
	}
	for (e = first; e != &map->header && e->start < end; e = e->next) {
		if (!e->wired_count) {
			kr = KERN_INVALID_ARGUMENT;
			goto out;
		}
	}
	kr = vm_map_clip_range(map, first, start, end);
	if (kr != KERN_SUCCESS)
		goto out;
	first = first->start == start ? first : first->next;
	vm_map_unwire_entries(map, first, end);
	vm_map_simplify_range(map, start, end);
	map->timestamp++;
out:
	vm_map_unlock(map);
	return kr;
}

/* ------------------------------------------------------------------------
 * Faults' view
 */

kern_return_t vm_map_lookup_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
				  struct vm_object **object, vm_offset_t *offset,
				  vm_prot_t *prot, bool *wired)
{
	struct vm_map_entry *e;
	vm_prot_t p;

	if (!vm_map_lookup_entry(map, vaddr, &e))
		return KERN_INVALID_ADDRESS;
	if (fault_type & ~e->protection)
		return KERN_PROTECTION_FAILURE;
	p = e->protection;
	if (e->needs_copy) {
		bool alone;

		/*
		 * The copy's other side is gone: the object is ours alone.
		 * Not a delayed copy's copy object: it receives its
		 * object's pushes, and may be shared again.
		 */
		vm_object_lock(e->object);
		alone = e->object->ref_count == 1 && !vm_object_is_copy(e->object);
		vm_object_unlock(e->object);
		if (alone) {
			e->needs_copy = false;
		} else if (fault_type & VM_PROT_WRITE) {
			if (vm_object_shadow(&e->object, &e->offset, e->end - e->start) !=
			    KERN_SUCCESS)
				return KERN_RESOURCE_SHORTAGE;
			e->needs_copy = false;
		} else {
			p &= ~VM_PROT_WRITE;
		}
	}
	if (!e->object) {
		e->object = vm_object_allocate(e->end - e->start);
		if (!e->object)
			return KERN_RESOURCE_SHORTAGE;
		e->offset = 0;
	}
	*object = e->object;
	*offset = e->offset + (vaddr - e->start);
	*prot = p;
	*wired = e->wired_count > 0;
	return KERN_SUCCESS;
}

kern_return_t vm_map_lookup_locked(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
				   struct vm_object **object, vm_offset_t *offset,
				   vm_prot_t *prot, bool *wired)
{
	kern_return_t kr = vm_map_lookup_fault(map, vaddr, fault_type, object, offset, prot,
					       wired);

	if (kr == KERN_SUCCESS)
		vm_object_reference(*object);
	return kr;
}

/* ------------------------------------------------------------------------
 * Fork, switch, region
 */

/* The child's entry for e under VM_INHERIT_SHARE: both name one object. */
static kern_return_t vm_map_fork_share(struct vm_map_entry *e, struct vm_map_entry *n)
{
	if (e->needs_copy) {
		/* Share the copy, not the original: make it now. */
		if (vm_object_shadow(&e->object, &e->offset, e->end - e->start) != KERN_SUCCESS)
			return KERN_RESOURCE_SHORTAGE;
		e->needs_copy = false;
	}
	if (!e->object) {
		e->object = vm_object_allocate(e->end - e->start);
		if (!e->object)
			return KERN_RESOURCE_SHORTAGE;
		e->offset = 0;
	}
	*n = *e;
	vm_object_reference(n->object);
	e->is_shared = n->is_shared = true;
	return KERN_SUCCESS;
}

/*
 * vm_map_copy_entry_slowly()'s rest (mm/vm_map_internal.h), from the page
 * at done that a pager must supply: copied with the map unlocked, the
 * object referenced, then the entry checked again.
 */
kern_return_t vm_map_copy_entry_wait(vm_map_t map, struct vm_map_entry **ep, vm_prot_t need,
				     struct vm_object *copy, vm_offset_t done)
{
	struct vm_map_entry *e = *ep;
	struct vm_object *object = e->object;
	vm_offset_t start = e->start, end = e->end, offset = e->offset;
	unsigned int timestamp = map->timestamp;
	kern_return_t kr;

	vm_object_reference(object);
	vm_map_unlock(map);
	kr = vm_object_copy_pages(object, offset, copy, &done, true);
	vm_map_lock(map);
	if (map->timestamp != timestamp &&
	    (!vm_map_lookup_entry(map, start, &e) || e->start != start || e->end != end))
		e = NULL;
	if (!e || e->object != object || e->offset != offset || (need & ~e->protection))
		kr = VM_MAP_COPY_RETRY;
	else if (kr != KERN_SUCCESS)
		kr = KERN_RESOURCE_SHORTAGE;
	else
		*ep = e;
	vm_object_deallocate(object);
	return kr;
}

/* The child's eager copy of *ep (which may change: vm_map_copy_entry_slowly()). */
static kern_return_t vm_map_fork_copy_slowly(vm_map_t old, struct vm_map_entry **ep,
					     struct vm_map_entry *n)
{
	struct vm_object *copy;
	kern_return_t kr = vm_map_copy_entry_slowly(old, ep, VM_PROT_NONE, &copy);

	if (kr != KERN_SUCCESS)
		return kr;
	*n = **ep;
	n->object = copy;
	n->offset = 0;
	n->needs_copy = false;
	n->is_shared = false;
	return KERN_SUCCESS;
}

/*
 * The child's entry for *ep under VM_INHERIT_COPY. Symmetric copy-on-write
 * when only this entry uses the object; an eager copy when others may
 * write it directly (shared, mapped twice) or its pages are wired.
 */
static kern_return_t vm_map_fork_copy(vm_map_t old, struct vm_map_entry **ep,
				      struct vm_map_entry *n)
{
	struct vm_map_entry *e = *ep;
	bool alone = true;

	*n = *e;
	n->is_shared = false;
	if (!e->object)
		return KERN_SUCCESS;
	/* A pager's object, which others may write: a copy as its strategy says. */
	if (!e->needs_copy && !e->wired_count && !e->object->internal) {
		switch (vm_object_copy_kind(e->object)) {
		case VM_OBJECT_COPY_EAGER:
			return vm_map_fork_copy_slowly(old, ep, n);
		case VM_OBJECT_COPY_BY_CALL:
			/* The pager makes the child's copy: memory_object_copy. */
			n->object = vm_object_copy_call(e->object, e->offset, e->end - e->start);
			n->offset = 0;
			n->needs_copy = false;
			break;
		default:
			n->object = vm_object_copy_delayed(e->object);
			n->needs_copy = true;
			break;
		}
		return n->object ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
	}
	if (!e->needs_copy) {
		vm_object_lock(e->object);
		alone = e->object->ref_count == 1;
		vm_object_unlock(e->object);
	}
	if (!alone || e->wired_count)
		return vm_map_fork_copy_slowly(old, ep, n);
	vm_object_reference(n->object);
	n->needs_copy = e->needs_copy = true;
	pmap_protect(old->pmap, e->start, e->end, e->protection & ~VM_PROT_WRITE);
	return KERN_SUCCESS;
}

/*
 * Where fork goes on after an eager copy found the map changed: the entry
 * at addr, clipped to start there (the child has what is below), or the
 * next one.
 */
static kern_return_t vm_map_fork_resume(vm_map_t old, vm_offset_t addr,
					struct vm_map_entry **ep)
{
	if (!vm_map_lookup_entry(old, addr, ep)) {
		*ep = (*ep)->next;
		return KERN_SUCCESS;
	}
	return vm_map_clip_start(old, *ep, addr);
}

vm_map_t vm_map_fork(vm_map_t old)
{
	struct vm_map_entry *e, *n;
	pmap_t pmap = pmap_create();
	vm_map_t map;
	vm_offset_t start;
	kern_return_t kr = KERN_SUCCESS;

	if (!pmap)
		return VM_MAP_NULL;
	map = vm_map_create(pmap, old->min_offset, old->max_offset);
	if (!map) {
		pmap_destroy(pmap);
		return VM_MAP_NULL;
	}
	vm_map_lock(old);
	for (e = old->header.next; e != &old->header; e = e->next) {
		if (e->inheritance == VM_INHERIT_NONE)
			continue;
		n = vm_map_entry_alloc();
		if (!n) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
		start = e->start;
		kr = e->inheritance == VM_INHERIT_SHARE ? vm_map_fork_share(e, n) :
							  vm_map_fork_copy(old, &e, n);
		if (kr == VM_MAP_COPY_RETRY) {
			/* Changed during an eager copy: go on from here as it is now. */
			vm_map_entry_free(n);
			kr = vm_map_fork_resume(old, start, &e);
			if (kr != KERN_SUCCESS)
				break;
			e = e->prev;	/* the loop's e->next */
			continue;
		}
		if (kr != KERN_SUCCESS) {
			vm_map_entry_free(n);
			break;
		}
		n->wired_count = 0;
		vm_map_entry_link(map, map->header.prev, n);
		map->size += n->end - n->start;
	}
	old->timestamp++;
	vm_map_unlock(old);
	if (kr != KERN_SUCCESS) {
		vm_map_deallocate(map);
		return VM_MAP_NULL;
	}
	return map;
}

vm_map_t vm_map_switch(vm_map_t map)
{
	struct thread *self = current_thread();
	vm_map_t old;

	preempt_disable();
	old = self->map;
	self->map = map;
	self->pmap = map ? map->pmap : NULL;
	pmap_switch(map ? map->pmap : kernel_pmap);
	preempt_enable();
	return old;
}

kern_return_t vm_map_region(vm_map_t map, vm_offset_t *address, vm_size_t *size,
			    vm_prot_t *protection, vm_prot_t *max_protection,
			    vm_inherit_t *inheritance, bool *shared,
			    struct vm_object **object, vm_offset_t *offset)
{
	struct vm_map_entry *e;

	vm_map_lock(map);
	if (!vm_map_lookup_entry(map, *address, &e))
		e = e->next;
	if (e == &map->header) {
		vm_map_unlock(map);
		return KERN_NO_SPACE;
	}
	*address = e->start;
	*size = e->end - e->start;
	*protection = e->protection;
	*max_protection = e->max_protection;
	*inheritance = e->inheritance;
	*shared = e->is_shared;
	if (object)
		*object = e->object;
	if (offset)
		*offset = e->offset;
	vm_map_unlock(map);
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Checking and printing
 */

/* The black height of the subtree, or -1 if a rule is broken; counts nodes in *n. */
static int vm_map_rb_check(const struct vm_map_entry *e, const struct vm_map_entry *parent,
			   unsigned int *n)
{
	int l, r;

	if (!e)
		return 0;
	if (e->rb_parent != parent || (e->rb_red && vm_map_rb_is_red(e->rb_left)) ||
	    (e->rb_red && vm_map_rb_is_red(e->rb_right)) ||
	    (e->rb_left && e->rb_left->start >= e->start) ||
	    (e->rb_right && e->rb_right->start <= e->start))
		return -1;
	(*n)++;
	l = vm_map_rb_check(e->rb_left, e, n);
	r = vm_map_rb_check(e->rb_right, e, n);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + !e->rb_red;
}

bool vm_map_verify(vm_map_t map)
{
	struct vm_map_entry *e, *found;
	unsigned int n = 0, listed = 0;
	vm_size_t size = 0;
	bool ok = true;

	vm_map_lock(map);
	if (vm_map_rb_is_red(map->root) || vm_map_rb_check(map->root, NULL, &n) < 0) {
		pr_err("vm_map_verify: %p: the red-black tree is broken\n", map);
		ok = false;
	}
	for (e = map->header.next; ok && e != &map->header; e = e->next) {
		listed++;
		size += e->end - e->start;
		if (e->start >= e->end || e->start < map->min_offset || e->end > map->max_offset ||
		    (e->prev != &map->header && e->prev->end > e->start) ||
		    !vm_map_lookup_entry(map, e->start, &found) || found != e) {
			pr_err("vm_map_verify: %p: bad entry [%#lx, %#lx)\n", map,
			       (unsigned long)e->start, (unsigned long)e->end);
			ok = false;
		}
	}
	if (ok && (n != listed || listed != map->nentries || size != map->size)) {
		pr_err("vm_map_verify: %p: %u in the tree, %u listed, %u counted, size %#lx/%#lx\n",
		       map, n, listed, map->nentries, (unsigned long)size,
		       (unsigned long)map->size);
		ok = false;
	}
	vm_map_unlock(map);
	return ok;
}

void vm_map_print(vm_map_t map)
{
	struct vm_map_entry *e;

	vm_map_lock(map);
	pr_info("vm_map %p: [%#lx, %#lx), %u entries, %#lx bytes\n", map,
		(unsigned long)map->min_offset, (unsigned long)map->max_offset,
		map->nentries, (unsigned long)map->size);
	for (e = map->header.next; e != &map->header; e = e->next)
		pr_info("  [%#lx, %#lx) prot %x/%x inh %u obj %p+%#lx%s%s wired %u\n",
			(unsigned long)e->start, (unsigned long)e->end, e->protection,
			e->max_protection, e->inheritance, e->object,
			(unsigned long)e->offset, e->needs_copy ? " needs_copy" : "",
			e->is_shared ? " shared" : "", e->wired_count);
	vm_map_unlock(map);
}

static kern_return_t vm_map_bootstrap(void)
{
	vm_map_zone = zone_create("vm.map", sizeof(struct vm_map), 0, 0);
	vm_map_entry_zone = zone_create("vm.map.entry", sizeof(struct vm_map_entry), 0, 0);
	if (!vm_map_zone || !vm_map_entry_zone)
		panic("vm_map: no zones");
	return KERN_SUCCESS;
}
KERNEL_INIT(CORE, vm_map_bootstrap);
