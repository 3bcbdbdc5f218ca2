// SPDX-License-Identifier: MIT
/*
 * Copies of address-space ranges (<kern/vm_map_copy.h>,
 * Documentation/mm/vm.rst): out-of-line message data, vm_read, vm_write,
 * vm_copy, and vm_map of a memory object.
 *
 * A copy's pieces are map entries off any map, on the copy's own list,
 * with addresses counted from the copy's first page. Copyin makes them as
 * vm_map_fork() makes a child's entries: the source and the piece share
 * the object, both marked needs_copy, and the source's translations lose
 * write; whichever side writes first shadows the object. Copyout links the pieces into the destination map as they
 * are. Overwrite is different: it writes the data into the pages the
 * destination already maps, so that memory shared with others shows the
 * new data to them too, as Mach's vm_write does; only whole pages of
 * memory nobody else sees take the copy's objects in place of their own
 * (copy-on-write, vm_map_copy_overwrite_aligned()).
 */
#include <kern/string.h>
#include <kern/vm_fault.h>
#include <kern/vm_map.h>
#include <kern/vm_map_copy.h>
#include <kern/vm_object.h>
#include <kern/zalloc.h>
#include "vm_map_internal.h"

static unsigned long vm_map_copy_nr;	/* atomic */

unsigned long vm_map_copy_count(void)
{
	return __atomic_load_n(&vm_map_copy_nr, __ATOMIC_RELAXED);
}

static struct vm_map_copy *vm_map_copy_alloc(vm_offset_t offset, vm_size_t size)
{
	struct vm_map_copy *copy = kalloc(sizeof(*copy));

	if (!copy)
		return NULL;
	memset(copy, 0, sizeof(*copy));
	copy->header.next = copy->header.prev = &copy->header;
	copy->offset = offset;
	copy->size = size;
	__atomic_add_fetch(&vm_map_copy_nr, 1, __ATOMIC_RELAXED);
	return copy;
}

static void vm_map_copy_append(struct vm_map_copy *copy, struct vm_map_entry *p)
{
	p->next = &copy->header;
	p->prev = copy->header.prev;
	copy->header.prev->next = p;
	copy->header.prev = p;
	copy->nentries++;
}

void vm_map_copy_discard(struct vm_map_copy *copy)
{
	struct vm_map_entry *p, *next;

	if (!copy)
		return;
	for (p = copy->header.next; p != &copy->header; p = next) {
		next = p->next;
		vm_object_deallocate(p->object);
		vm_map_entry_free(p);
	}
	kfree(copy, sizeof(*copy));
	__atomic_sub_fetch(&vm_map_copy_nr, 1, __ATOMIC_RELAXED);
}

/*
 * May e's object be shared copy-on-write with a copy without an eager
 * copy? Yes if nothing but entries of this map (and the pieces of also,
 * if given) reference it (clipping leaves several entries on disjoint
 * parts of one object, which cannot see each other's writes). Not if
 * another map shares it, it is wired, or a shadow or a caller holds it:
 * they could write it directly.
 */
static bool vm_map_copy_private(vm_map_t map, struct vm_map_entry *e,
				const struct vm_map_copy *also)
{
	const struct vm_map_entry *x;
	unsigned int users = 0;
	bool ok;

	if (e->is_shared || e->wired_count)
		return false;
	if (e->needs_copy)
		return true;
	for (x = map->header.next; x != &map->header; x = x->next)
		users += x->object == e->object;
	for (x = also ? also->header.next : NULL; x && x != &also->header; x = x->next)
		users += x->object == e->object;
	vm_object_lock(e->object);
	ok = e->object->ref_count == users;
	vm_object_unlock(e->object);
	return ok;
}

/*
 * The piece of copy for source entry *ep (clipped to the range), base:
 * the range's start. An eager copy is made with the map unlocked and may
 * find it changed (VM_MAP_COPY_RETRY) or leave *ep another entry
 * (vm_map_copy_entry_slowly()).
 */
static kern_return_t vm_map_copy_piece(vm_map_t map, struct vm_map_entry **ep, bool small,
				       bool src_destroy, vm_offset_t base,
				       struct vm_map_entry *p)
{
	struct vm_map_entry *e = *ep;
	enum vm_object_copy_kind kind = VM_OBJECT_COPY_EAGER;
	struct vm_object *copy;
	bool pager;
	kern_return_t kr;

	*p = *e;
	/* A pager's object, which others may write: a copy as its strategy says. */
	pager = e->object && !e->needs_copy && !e->wired_count && !e->object->internal;
	if (!small && pager)
		kind = vm_object_copy_kind(e->object);
	if (!e->object) {
		/* Never touched: zeroes on both sides, nothing to share. */
	} else if (kind == VM_OBJECT_COPY_BY_CALL) {
		/* The pager makes the copy: memory_object_copy. */
		p->object = vm_object_copy_call(e->object, e->offset, e->end - e->start);
		if (!p->object)
			return KERN_RESOURCE_SHORTAGE;
		p->offset = 0;
		p->needs_copy = false;
	} else if (kind == VM_OBJECT_COPY_DELAYED) {
		p->object = vm_object_copy_delayed(e->object);
		if (!p->object)
			return KERN_RESOURCE_SHORTAGE;
		p->needs_copy = true;
	} else if (!small && !pager && vm_map_copy_private(map, e, NULL)) {
		vm_object_reference(e->object);
		if (!src_destroy) {
			/* Symmetric copy-on-write, as vm_map_fork(). */
			p->needs_copy = e->needs_copy = true;
			pmap_protect(map->pmap, e->start, e->end, e->protection & ~VM_PROT_WRITE);
		}
		/* src_destroy: the source entry goes; the piece takes its place. */
	} else {
		/* Small, or others may write the object: copy now. */
		kr = vm_map_copy_entry_slowly(map, ep, VM_PROT_READ, &copy);
		if (kr != KERN_SUCCESS)
			return kr;
		if (unlikely(*ep != e))
			*p = **ep;	/* found again after the map changed */
		p->object = copy;
		p->offset = 0;
		p->needs_copy = false;
	}
	p->start -= base;
	p->end -= base;
	p->wired_count = 0;
	p->is_shared = false;
	p->protection = VM_PROT_DEFAULT;
	p->max_protection = VM_PROT_ALL;
	p->inheritance = VM_INHERIT_DEFAULT;
	return KERN_SUCCESS;
}

/* Every entry of [start, end) (covered, first given) allows access? */
static bool vm_map_range_allows(vm_map_t map, struct vm_map_entry *first, vm_offset_t end,
				vm_prot_t access)
{
	struct vm_map_entry *e;

	for (e = first; e != &map->header && e->start < end; e = e->next)
		if (access & ~e->protection)
			return false;
	return true;
}

/*
 * Check [start, end) for copyin (map locked) and clip its entries: *first,
 * the one at start. At the call, and again from where it was after an
 * eager copy found the map changed.
 */
static __always_inline kern_return_t vm_map_copyin_range(vm_map_t map, vm_offset_t start,
							 vm_offset_t end,
							 struct vm_map_entry **first)
{
	*first = start >= map->min_offset && end <= map->max_offset ?
		 vm_map_range_entries(map, start, end) : NULL;
	if (!*first)
		return KERN_INVALID_ADDRESS;
	if (!vm_map_range_allows(map, *first, end, VM_PROT_READ))
		return KERN_PROTECTION_FAILURE;
	/* The entry at start keeps its place: a clip puts the part below before it. */
	return vm_map_clip_range(map, *first, start, end);
}

kern_return_t vm_map_copyin(vm_map_t map, vm_offset_t addr, vm_size_t len,
			    bool src_destroy, struct vm_map_copy **copyp)
{
	vm_offset_t start = addr, end = addr + len, done;
	struct vm_map_entry *e, *p;
	struct vm_map_copy *copy;
	kern_return_t kr;
	bool small;

	*copyp = NULL;
	if (len == 0)
		return KERN_SUCCESS;
	if (end < start || !vm_map_round_range(&start, &end))
		return KERN_INVALID_ADDRESS;
	copy = vm_map_copy_alloc(addr - start, len);
	if (!copy)
		return KERN_RESOURCE_SHORTAGE;
	small = end - start <= VM_MAP_COPY_SMALL;

	vm_map_lock(map);
	kr = vm_map_copyin_range(map, start, end, &e);
	for (done = start; kr == KERN_SUCCESS && done < end; e = e->next) {
		p = vm_map_entry_alloc();
		if (!p) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
		kr = vm_map_copy_piece(map, &e, small, src_destroy, start, p);
		if (kr != KERN_SUCCESS) {
			vm_map_entry_free(p);
			if (kr != VM_MAP_COPY_RETRY)
				break;
			/*
			 * The map changed while an eager copy waited: what is
			 * copied stays; the rest is checked again as it is now.
			 */
			kr = vm_map_copyin_range(map, done, end, &e);
			if (kr != KERN_SUCCESS)
				break;
			e = e->prev;	/* the loop's e->next */
			continue;
		}
		vm_map_copy_append(copy, p);
		done = e->end;
	}
	if (kr == KERN_SUCCESS && src_destroy)
		kr = vm_map_delete(map, start, end);
	else
		vm_map_simplify_range(map, start, end);
	map->timestamp++;
	if (kr != KERN_SUCCESS)
		goto fail;
	vm_map_unlock(map);
	*copyp = copy;
	return KERN_SUCCESS;
fail:
	vm_map_unlock(map);
	vm_map_copy_discard(copy);
	return kr;
}

kern_return_t vm_map_copyout(vm_map_t map, vm_offset_t *addr, struct vm_map_copy *copy)
{
	struct vm_map_entry *prev, *p;
	vm_offset_t start;
	vm_size_t size;
	kern_return_t kr;

	*addr = 0;
	if (!copy)
		return KERN_SUCCESS;
	size = ALIGN_UP(copy->offset + copy->size, PAGE_SIZE);
	vm_map_lock(map);
	kr = vm_map_find_space(map, map->min_offset, size, 0, &start, &prev);
	if (kr != KERN_SUCCESS) {
		vm_map_unlock(map);
		return kr;
	}
	while ((p = copy->header.next) != &copy->header) {
		copy->header.next = p->next;
		p->start += start;
		p->end += start;
		vm_map_entry_link(map, prev, p);
		map->size += p->end - p->start;
		prev = p;
	}
	copy->header.prev = &copy->header;
	vm_map_simplify_range(map, start, start + size);
	map->timestamp++;
	vm_map_unlock(map);
	*addr = start + copy->offset;
	vm_map_copy_discard(copy);
	return KERN_SUCCESS;
}

kern_return_t vm_map_copy_read(struct vm_map_copy *copy, vm_offset_t offset, void *buf,
			       vm_size_t len)
{
	vm_offset_t pos = copy->offset + offset;
	struct vm_map_entry *p = copy->header.next;
	char *out = buf;

	while (len) {
		vm_offset_t in_page = pos & (PAGE_SIZE - 1);
		vm_size_t n = MIN(len, PAGE_SIZE - in_page);
		kern_return_t kr;

		while (p != &copy->header && p->end <= pos)
			p = p->next;
		if (p == &copy->header)
			return KERN_INVALID_ARGUMENT;
		if (!p->object) {
			memset(out, 0, n);
		} else {
			kr = vm_fault_object_read(p->object,
						  p->offset + ALIGN_DOWN(pos - p->start, PAGE_SIZE),
						  in_page, out, n);
			if (kr != KERN_SUCCESS)
				return kr;
		}
		out += n;
		pos += n;
		len -= n;
	}
	return KERN_SUCCESS;
}

struct vm_map_copy *vm_map_copy_from_kernel(const void *data, vm_size_t len)
{
	vm_size_t size = ALIGN_UP(len, PAGE_SIZE), off;
	struct vm_map_entry *p;
	struct vm_map_copy *copy;
	struct vm_object *obj;

	if (!len)
		return NULL;
	copy = vm_map_copy_alloc(0, len);
	p = vm_map_entry_alloc();
	obj = vm_object_allocate(size);
	if (!copy || !p || !obj) {
		if (p)
			vm_map_entry_free(p);
		vm_object_deallocate(obj);
		vm_map_copy_discard(copy);
		return NULL;
	}
	/*
	 * Kernel data in flight (a page paged out to a manager, a pager's
	 * supply) stays with the kernel's swap: handed to a default memory
	 * manager, paging out its copy would make another copy, and a manager
	 * thread could wait for itself.
	 */
	obj->manager_gen = VM_MANAGER_GEN_NEVER;
	memset(p, 0, sizeof(*p));
	p->end = size;
	p->object = obj;
	p->protection = VM_PROT_DEFAULT;
	p->max_protection = VM_PROT_ALL;
	p->inheritance = VM_INHERIT_DEFAULT;
	vm_map_copy_append(copy, p);
	vm_object_lock(obj);
	for (off = 0; off < size; off += PAGE_SIZE) {
		struct vm_page *page = vm_page_alloc_object(obj, off);

		if (!page) {
			vm_object_unlock(obj);
			vm_map_copy_discard(copy);
			return NULL;
		}
		memcpy(vm_page_to_virt(page), (const char *)data + off, MIN(PAGE_SIZE, len - off));
		page->vm_flags |= VM_PAGE_DIRTY;
		vm_page_wakeup_done(page);
		vm_page_activate(page);
	}
	vm_object_unlock(obj);
	return copy;
}

/*
 * Write n bytes of buf at in_page of the page va maps (map locked,
 * writable): fault it in for write, then it is the top object's own.
 * VM_FAULT_RETRY (*wait): a pager must supply it first, or the pageout
 * daemon free a page for it.
 */
static kern_return_t vm_map_write_page(vm_map_t map, vm_offset_t va, vm_offset_t in_page,
				       const void *buf, vm_size_t n, struct vm_pager_wait *wait)
{
	for (;;) {
		struct vm_object *obj;
		struct vm_page *page;
		vm_offset_t off;
		vm_prot_t prot;
		bool wired;
		kern_return_t kr;

		kr = vm_fault_locked(map, va, VM_PROT_WRITE, false, wait);
		if (kr == KERN_SUCCESS)
			kr = vm_map_lookup_locked(map, va, VM_PROT_WRITE, &obj, &off, &prot,
						  &wired);
		if (kr != KERN_SUCCESS)
			return kr;
		vm_object_lock(obj);
		page = vm_page_lookup(obj, off);
		if (page && !(page->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT))) {
			memcpy((char *)vm_page_to_virt(page) + in_page, buf, n);
			page->vm_flags |= VM_PAGE_DIRTY;
		}
		vm_object_unlock(obj);
		vm_object_deallocate(obj);
		if (page)
			return KERN_SUCCESS;
		/* Paged out between the fault and here: fault again. */
	}
}

/* Is [start, end) of map (locked) mapped and writable? */
static kern_return_t vm_map_overwrite_check(vm_map_t map, vm_offset_t start, vm_offset_t end)
{
	struct vm_map_entry *first = start >= map->min_offset && end <= map->max_offset ?
				     vm_map_range_entries(map, start, end) : NULL;

	if (!first)
		return KERN_INVALID_ADDRESS;
	if (!vm_map_range_allows(map, first, end, VM_PROT_WRITE))
		return KERN_PROTECTION_FAILURE;
	return KERN_SUCCESS;
}

/*
 * May the destination entry e (map locked) take the copy's objects in
 * place of its own rather than have the data written into its pages?
 * Only if nothing else sees its object: never touched, a copy-on-write
 * copy itself, or anonymous memory that only this map (and the copy)
 * reference. Memory shared with others, wired, or a pager's keeps the
 * byte copy, which they see.
 */
static bool vm_map_overwrite_replaceable(vm_map_t map, struct vm_map_entry *e,
					 const struct vm_map_copy *copy)
{
	if (!e->object)
		return !e->is_shared && !e->wired_count;
	return vm_map_copy_private(map, e, copy) && (e->needs_copy || e->object->internal);
}

/* Entry e (map locked) shows [e->start, e->end) of piece p (at addr) from now on. */
static void vm_map_overwrite_replace(vm_map_t map, struct vm_map_entry *e,
				     const struct vm_map_entry *p, vm_offset_t addr)
{
	struct vm_object *old = e->object;

	pmap_remove(map->pmap, e->start, e->end);
	e->object = p->object;
	e->offset = p->object ? p->offset + (e->start - addr - p->start) : 0;
	/* A piece copied eagerly is the copy's alone: its reference becomes ours. */
	e->needs_copy = p->object && p->needs_copy;
	vm_object_reference(e->object);
	vm_object_deallocate(old);
}

/*
 * vm_copy and vm_write of whole pages into private memory, by
 * copy-on-write (Mach's vm_map_copy_overwrite_aligned()): the
 * destination's entries are clipped to the pieces of the copy and take
 * their objects, no byte is copied. False, having done nothing, when the
 * copy or the destination does not qualify; then *kr is not set.
 * Otherwise the copy is consumed on success, and *kr says how it went.
 */
static bool vm_map_copy_overwrite_aligned(vm_map_t map, vm_offset_t addr,
					  struct vm_map_copy *copy, kern_return_t *kr)
{
	vm_offset_t end = addr + copy->size;
	struct vm_map_entry *first, *e, *p = copy->header.next;

	if (copy->offset || ((addr | copy->size) & (PAGE_SIZE - 1)) || end < addr)
		return false;
	vm_map_lock(map);
	if (vm_map_overwrite_check(map, addr, end) != KERN_SUCCESS) {
		vm_map_unlock(map);
		return false;		/* the byte copy reports it */
	}
	first = vm_map_range_entries(map, addr, end);
	for (e = first; e != &map->header && e->start < end; e = e->next)
		if (!vm_map_overwrite_replaceable(map, e, copy)) {
			vm_map_unlock(map);
			return false;
		}
	*kr = vm_map_clip_range(map, first, addr, end);
	for (e = first; *kr == KERN_SUCCESS && e != &map->header && e->start < end;
	     e = e->next) {
		while (p->end + addr <= e->start)
			p = p->next;
		/* One piece per entry: cut the entry where the piece ends. */
		*kr = vm_map_clip_end(map, e, p->end + addr);
		if (*kr == KERN_SUCCESS)
			vm_map_overwrite_replace(map, e, p, addr);
	}
	vm_map_simplify_range(map, addr, end);
	map->timestamp++;
	vm_map_unlock(map);
	if (*kr == KERN_SUCCESS)
		vm_map_copy_discard(copy);
	return true;
}

/*
 * Page by page: the data read from the copy with nothing locked (its
 * objects' pagers may have to supply it, or the pageout daemon free a
 * page to read it back into), then written with the map locked. The whole range is checked before anything is written; a wait
 * for the destination's pager or for free pages unlocks the map, and the
 * page's range is checked again after it (another thread may have
 * changed the map: the pages written so far stay written).
 */
kern_return_t vm_map_copy_overwrite(vm_map_t map, vm_offset_t addr, struct vm_map_copy *copy)
{
	vm_offset_t start = addr, end, done = 0;
	struct vm_pager_wait wait;
	unsigned int waits = 0;		/* for free pages, this page's */
	kern_return_t kr;
	void *buf;

	if (!copy)
		return KERN_SUCCESS;
	end = addr + copy->size;
	if (end < start || !vm_map_round_range(&start, &end))
		return KERN_INVALID_ADDRESS;
	if (vm_map_copy_overwrite_aligned(map, addr, copy, &kr))
		return kr;
	buf = kalloc(PAGE_SIZE);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	vm_map_lock(map);
	kr = vm_map_overwrite_check(map, start, end);
	vm_map_unlock(map);
	while (kr == KERN_SUCCESS && done < copy->size) {
		vm_offset_t va = addr + done, in_page = va & (PAGE_SIZE - 1);
		vm_size_t n = MIN(copy->size - done, PAGE_SIZE - in_page);

		kr = vm_map_copy_read(copy, done, buf, n);
		if (kr == KERN_RESOURCE_SHORTAGE) {
			/* The copy's page, paged out, comes back short of memory: wait too. */
			wait.object = NULL;
			kr = vm_fault_wait_run(&wait, &waits);
			continue;
		}
		if (kr != KERN_SUCCESS)
			break;
		vm_map_lock(map);
		kr = vm_map_overwrite_check(map, va - in_page, va - in_page + PAGE_SIZE);
		if (kr == KERN_SUCCESS)
			kr = vm_map_write_page(map, va - in_page, in_page, buf, n, &wait);
		vm_map_unlock(map);
		if (kr == VM_FAULT_RETRY) {
			kr = vm_fault_wait_run(&wait, &waits);
			continue;	/* the same page again */
		}
		done += n;
		waits = 0;
	}
	kfree(buf, PAGE_SIZE);
	if (kr == KERN_SUCCESS)
		vm_map_copy_discard(copy);
	return kr;
}

/* ------------------------------------------------------------------------
 * The Mach calls
 */

kern_return_t vm_map_read(vm_map_t map, vm_offset_t addr, vm_size_t size,
			  struct vm_map_copy **copyp)
{
	return vm_map_copyin(map, addr, size, false, copyp);
}

kern_return_t vm_map_write(vm_map_t map, vm_offset_t addr, struct vm_map_copy *copy)
{
	return vm_map_copy_overwrite(map, addr, copy);
}

kern_return_t vm_map_copy_region(vm_map_t map, vm_offset_t src, vm_size_t size,
				 vm_offset_t dst)
{
	struct vm_map_copy *copy;
	kern_return_t kr;

	kr = vm_map_copyin(map, src, size, false, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = vm_map_copy_overwrite(map, dst, copy);
	if (kr != KERN_SUCCESS)
		vm_map_copy_discard(copy);
	return kr;
}

kern_return_t vm_map_memory_object(vm_map_t map, vm_offset_t *addr, vm_size_t size,
				   vm_offset_t mask, bool anywhere, struct ipc_port *pager,
				   vm_offset_t offset, bool copy, vm_prot_t cur_protection,
				   vm_prot_t max_protection, vm_inherit_t inheritance)
{
	struct vm_object *object = NULL, *snap;
	bool needs_copy = false;
	kern_return_t kr;

	if (!anywhere && (*addr & mask))
		return KERN_INVALID_ARGUMENT;
	/* What vm_map_enter() would refuse, refused before a copy is made. */
	if (!size || (offset & (PAGE_SIZE - 1)))
		return KERN_INVALID_ARGUMENT;
	if (size > map->max_offset - map->min_offset)
		return KERN_NO_SPACE;
	if (pager) {
		object = vm_object_enter(pager, offset + size);
		if (!object)
			return KERN_INVALID_ARGUMENT;
	}
	if (copy && object) {
		/* A snapshot of the object now, as its copy strategy makes it. */
		kr = vm_object_copy_strategically(object, offset, ALIGN_UP(size, PAGE_SIZE), &snap,
						  &offset, &needs_copy);
		vm_object_deallocate(object);
		if (kr != KERN_SUCCESS)
			return kr;
		object = snap;
	}
	kr = vm_map_enter(map, addr, size, mask, anywhere, object, object ? offset : 0,
			  needs_copy, cur_protection, max_protection, inheritance);
	if (kr != KERN_SUCCESS)
		vm_object_deallocate(object);
	return kr;
}
