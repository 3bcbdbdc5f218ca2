// SPDX-License-Identifier: MIT
/*
 * vm_object: reference counts, shadow chains, collapse and termination
 * (see <kern/vm_object.h> and Documentation/mm/vm.rst).
 *
 * Copy-on-write is Mach's symmetric strategy: a copied range keeps naming
 * the same object in both places, each marked needs_copy; the first write
 * in either place puts a new, empty object in front (vm_object_shadow())
 * which receives copies of the pages written. When a shadow object loses
 * every other reference its pages can move up into the object in front of
 * it (collapse), or if it hides nothing that object shows, it can be
 * skipped (bypass); both keep chains short.
 *
 * An internal object's pages may be paged out to the default pager
 * (vm_object.swap_map): a chain lookup stops at an object that has the
 * page there, and collapse and bypass leave such chains alone. A page
 * that no object of a chain holds, resident or paged out, and that no
 * pager supplies, reads as zeroes.
 */
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/string.h>
#include <kern/vm_fault.h>
#include <kern/vm_object.h>
#include <kern/vm_pageout.h>
#include <kern/zalloc.h>

static struct zone *vm_object_zone;
static spinlock_t vm_object_list_lock = SPINLOCK_INIT;
static struct vm_object *vm_object_all;		/* list lock */
static unsigned long vm_object_nr;		/* list lock */

unsigned long vm_object_count(void)
{
	return READ_ONCE(vm_object_nr);
}

static void vm_object_list_add(struct vm_object *object)
{
	spin_lock(&vm_object_list_lock);
	object->all_prev = NULL;
	object->all_next = vm_object_all;
	if (vm_object_all)
		vm_object_all->all_prev = object;
	vm_object_all = object;
	vm_object_nr++;
	spin_unlock(&vm_object_list_lock);
}

static void vm_object_list_del(struct vm_object *object)
{
	spin_lock(&vm_object_list_lock);
	if (object->all_prev)
		object->all_prev->all_next = object->all_next;
	else
		vm_object_all = object->all_next;
	if (object->all_next)
		object->all_next->all_prev = object->all_prev;
	vm_object_nr--;
	spin_unlock(&vm_object_list_lock);
}

struct vm_object *vm_object_allocate(vm_size_t size)
{
	struct vm_object *object = zalloc(vm_object_zone);

	if (!object)
		return NULL;
	memset(object, 0, sizeof(*object));
	mutex_init(&object->lock);
	object->ref_count = 1;
	object->size = ALIGN_UP(size, PAGE_SIZE);
	object->copy_strategy = MEMORY_OBJECT_COPY_SYMMETRIC;
	object->internal = true;
	object->temporary = true;
	object->manager_gen = READ_ONCE(vm_default_manager_gen);
	vm_object_list_add(object);
	return object;
}

void vm_object_reference(struct vm_object *object)
{
	if (!object)
		return;
	vm_object_lock(object);
	object->ref_count++;
	vm_object_unlock(object);
}

static void vm_object_free(struct vm_object *object)
{
	/* Its pages are gone: a count left over was kept wrong. */
	if (object->wired_page_count)
		panic("vm_object_free: object %p has %u wired pages counted", object,
		      object->wired_page_count);
	vm_object_list_del(object);
	zfree(vm_object_zone, object);
}

/*
 * The last reference is gone: free every page (object locked; nobody
 * else can find it any more). Returns its shadow, whose reference the
 * caller now drops.
 */
static struct vm_object *vm_object_terminate(struct vm_object *object)
{
	struct vm_object *shadow = object->shadow;
	struct vm_page *page;

	object->terminating = true;
	if (shadow && vm_object_is_copy(object)) {
		/* The copy of a delayed copy: its object pushes no more. */
		vm_object_lock(shadow);
		shadow->copy = NULL;
		vm_object_unlock(shadow);
	}
	if (object->pager) {
		vm_object_unlock(object);
		vm_object_pager_terminate(object);
		vm_object_lock(object);
	}
	while ((page = object->pages) != NULL)
		vm_page_free_object(page);
	default_pager_object_terminate(object);
	vm_object_default_terminate(object);
	if (object->laundry)
		vm_object_default_laundry_done();	/* a manager is done with it */
	object->shadow = NULL;
	vm_object_unlock(object);
	vm_object_free(object);
	return shadow;
}

void vm_object_deallocate(struct vm_object *object)
{
	/* A loop, not recursion: chains can be long. */
	while (object) {
		vm_object_lock(object);
		if (object->ref_count == 0)
			panic("vm_object_deallocate: object %p has no reference", object);
		if (--object->ref_count > 0) {
			vm_object_unlock(object);
			return;
		}
		object = vm_object_terminate(object);
	}
}

kern_return_t vm_object_shadow(struct vm_object **object, vm_offset_t *offset,
			       vm_size_t length)
{
	struct vm_object *shadow = vm_object_allocate(length);

	if (!shadow)
		return KERN_RESOURCE_SHORTAGE;
	shadow->shadow = *object;	/* the caller's reference moves here */
	shadow->shadow_offset = *offset;
	*object = shadow;
	*offset = 0;
	return KERN_SUCCESS;
}

struct vm_page *vm_object_chain_lookup(struct vm_object *object, vm_offset_t offset,
				       struct vm_object **where, vm_offset_t *where_offset)
{
	struct vm_page *page;

	for (;;) {
		page = vm_page_lookup(object, offset);
		if (page || !object->shadow || vm_object_paged_out(object, offset))
			break;
		offset += object->shadow_offset;
		object = object->shadow;
		vm_object_lock(object);
	}
	*where = object;
	*where_offset = offset;
	return page;
}

void vm_object_chain_unlock(struct vm_object *object, struct vm_object *last)
{
	while (object != last) {
		object = object->shadow;
		vm_object_unlock(object);
	}
}

bool vm_object_unwire_dying(struct vm_object *object)
{
	struct vm_page *page;
	bool ok;

	vm_object_lock(object);
	ok = object->ref_count == 1 && !object->shadow && object->internal;
	for (page = ok ? object->pages : NULL; page; page = page->listq_next)
		vm_page_unwire_dying(page);
	vm_object_unlock(object);
	return ok;
}

void vm_object_page_remove(struct vm_object *object, vm_offset_t start, vm_offset_t end)
{
	struct vm_page *page, *next;

	for (page = object->pages; page; page = next) {
		next = page->listq_next;
		if (page->offset >= start && page->offset < end)
			vm_page_free_object(page);
	}
	default_pager_remove(object, start, end);
	vm_object_default_remove(object, start, end);
}

/*
 * Collapse: backing (locked, referenced only by object) gives its pages
 * that object does not hide to object and goes away.
 */
static void vm_object_do_collapse(struct vm_object *object, struct vm_object *backing)
{
	vm_offset_t base = object->shadow_offset;
	struct vm_page *page;

	while ((page = backing->pages) != NULL) {
		vm_offset_t off = page->offset - base;

		if (page->offset < base || off >= object->size ||
		    vm_page_lookup(object, off))
			vm_page_free_object(page);
		else
			vm_page_rename(page, object, off);
	}
	object->shadow = backing->shadow;	/* backing's reference moves up */
	object->shadow_offset += backing->shadow_offset;
	backing->shadow = NULL;
	backing->ref_count = 0;
	vm_object_unlock(backing);
	vm_object_free(backing);
}

/* Does every page of backing within object's window have one in object over it? */
static bool vm_object_hides_backing(struct vm_object *object, struct vm_object *backing)
{
	vm_offset_t base = object->shadow_offset;
	struct vm_page *page;

	for (page = backing->pages; page; page = page->listq_next) {
		if (page->offset < base || page->offset - base >= object->size)
			continue;
		if (!vm_page_lookup(object, page->offset - base))
			return false;
	}
	return true;
}

/*
 * Could it, backing being of size bytes with `pages` resident? Not when
 * it has more pages within object's window than object has at all: then
 * one shows through. Counts only, so that a fault on a copy of a large
 * object does not walk its pages every time. At most the pages below the
 * window and those past its end up to backing's size lie outside it
 * (were a page beyond that size, the answer would only be a bypass not
 * made).
 */
static bool vm_object_may_hide(struct vm_object *object, vm_size_t size, unsigned int pages)
{
	vm_offset_t end = object->shadow_offset + object->size;
	unsigned long outside = object->shadow_offset >> PAGE_SHIFT;

	if (size > end)
		outside += (size - end) >> PAGE_SHIFT;
	return pages <= object->resident_page_count + outside;
}

/* Bypass: skip backing (locked, still referenced elsewhere) in object's chain. */
static void vm_object_do_bypass(struct vm_object *object, struct vm_object *backing)
{
	vm_object_reference(backing->shadow);
	object->shadow = backing->shadow;
	object->shadow_offset += backing->shadow_offset;
	backing->ref_count--;		/* object's; others remain */
	vm_object_unlock(backing);
}

/*
 * Does object hide a wired page of backing (or leave it out of its
 * window)? Collapse would free it. A read-only wired page can be hidden
 * by a copy once its entry is made writable and written; it stays until
 * unwired. Only for a backing object with wired pages: the walk ends at
 * the last of them.
 */
static bool vm_object_hides_wired(struct vm_object *object, struct vm_object *backing)
{
	vm_offset_t base = object->shadow_offset;
	unsigned int left = backing->wired_page_count;
	struct vm_page *page;

	for (page = backing->pages; page && left; page = page->listq_next) {
		if (!page->wire_count)
			continue;
		left--;
		if (page->offset < base || page->offset - base >= object->size ||
		    vm_page_lookup(object, page->offset - base))
			return true;
	}
	return false;
}

/*
 * Worth locking backing to look? Read without its lock (object's
 * reference keeps it): a count just changed elsewhere only delays a
 * collapse or bypass to the next fault, and what it lets through is
 * tested again under the lock. Saves the lock of every fault on a copy
 * whose backing object is still shared.
 */
static bool vm_object_collapse_hint(struct vm_object *object, struct vm_object *backing)
{
	return READ_ONCE(backing->ref_count) == 1 ||
	       (!READ_ONCE(backing->wired_page_count) &&
		vm_object_may_hide(object, READ_ONCE(backing->size),
				   READ_ONCE(backing->resident_page_count)));
}

/*
 * Every fault on an object with a shadow tries this: what rules a collapse
 * or a bypass out is tested from counts first, in constant time, and the
 * pages are walked only when the counts leave the move possible (a
 * collapse of a backing object with wired pages, a bypass by an object
 * with as many pages as backing has in its window).
 */
void vm_object_collapse(struct vm_object *object)
{
	struct vm_object *backing;

	if (!object->shadow || !vm_object_collapse_hint(object, object->shadow))
		return;
	while ((backing = object->shadow) != NULL) {
		vm_object_lock(backing);
		/*
		 * Paged-out pages would be lost or shown wrongly: not either
		 * (object->pager: a default memory manager holds its pages).
		 */
		if (backing->pager || !backing->internal || backing->paging_in_progress ||
		    backing->swap_count || object->swap_count || object->pager)
			break;
		/*
		 * A delayed copy's copy object receives its object's pushes:
		 * neither its pages nor its place in the chain can move.
		 */
		if (vm_object_is_copy(backing))
			break;
		if (backing->ref_count == 1) {
			/* Its wired pages must move up (their unwiring looks down this chain). */
			if (backing->wired_page_count && vm_object_hides_wired(object, backing))
				break;
			vm_object_do_collapse(object, backing);
			continue;
		}
		/*
		 * Bypass: each of backing's pages in object's window is hidden,
		 * so a wired one would be hidden or outside the window, out of
		 * reach of its unwiring.
		 */
		if (backing->wired_page_count ||
		    !vm_object_may_hide(object, backing->size, backing->resident_page_count) ||
		    !vm_object_hides_backing(object, backing))
			break;
		vm_object_do_bypass(object, backing);
	}
	if (backing)
		vm_object_unlock(backing);
}

/*
 * Copy what (object, offset) shows into (copy, copy_offset) when a pager
 * must supply it: read through the fault path, which asks and waits with
 * object unlocked (copy, locked, is the caller's alone).
 */
static kern_return_t vm_object_copy_from_pager(struct vm_object *object, vm_offset_t offset,
					       struct vm_object *copy, vm_offset_t copy_offset)
{
	struct vm_page *dst = vm_page_alloc_object(copy, copy_offset);
	kern_return_t kr;

	if (!dst)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_fault_object_read(object, offset, 0, vm_page_to_virt(dst), PAGE_SIZE);
	vm_page_wakeup_done(dst);
	if (kr != KERN_SUCCESS)
		vm_page_free_object(dst);
	else
		vm_page_activate(dst);
	return kr;
}

/*
 * Copy what (object, offset) shows into (copy, copy_offset), if anything.
 * !may_wait: VM_OBJECT_COPY_WAIT, nothing done, when a pager must supply it.
 */
static kern_return_t vm_object_copy_one(struct vm_object *object, vm_offset_t offset,
					struct vm_object *copy, vm_offset_t copy_offset,
					bool may_wait)
{
	struct vm_object *where;
	struct vm_page *src, *dst;
	vm_offset_t where_offset;
	kern_return_t kr = KERN_SUCCESS;
	bool ask = false;

	vm_object_lock(object);
	src = vm_object_chain_lookup(object, offset, &where, &where_offset);
	if (!src && vm_object_paged_out(where, where_offset)) {
		if (where->pager)
			ask = true;		/* a default memory manager has it */
		else
			src = default_pager_pagein(where, where_offset, &kr);
	} else if (!src && where->pager && !where->internal) {
		ask = true;			/* its pager supplies it */
	}
	if (src) {
		dst = vm_page_alloc_object_copy(copy, copy_offset, src);
		if (dst) {
			vm_page_wakeup_done(dst);
			vm_page_activate(dst);
		} else {
			kr = KERN_RESOURCE_SHORTAGE;
		}
	}
	vm_object_chain_unlock(object, where);
	vm_object_unlock(object);
	if (ask)
		kr = may_wait ? vm_object_copy_from_pager(object, offset, copy, copy_offset) :
				VM_OBJECT_COPY_WAIT;
	return kr;
}

kern_return_t vm_object_copy_pages(struct vm_object *object, vm_offset_t offset,
				   struct vm_object *copy, vm_offset_t *done, bool may_wait)
{
	kern_return_t kr = KERN_SUCCESS;
	vm_offset_t o;

	/* copy is ours alone: lock it after the source chain (nobody else can). */
	for (o = *done; o < copy->size; o += PAGE_SIZE) {
		vm_object_lock(copy);
		kr = vm_object_copy_one(object, offset + o, copy, o, may_wait);
		vm_object_unlock(copy);
		if (kr != KERN_SUCCESS)
			break;
	}
	*done = o;
	return kr;
}

struct vm_object *vm_object_copy_start(struct vm_object *object, vm_offset_t offset,
				       vm_size_t size, vm_offset_t *done)
{
	struct vm_object *copy = vm_object_allocate(size);
	kern_return_t kr;

	*done = 0;
	if (!copy)
		return NULL;
	kr = vm_object_copy_pages(object, offset, copy, done, false);
	if (kr != KERN_SUCCESS && kr != VM_OBJECT_COPY_WAIT) {
		vm_object_deallocate(copy);
		return NULL;
	}
	return copy;
}

struct vm_object *vm_object_copy_slowly(struct vm_object *object, vm_offset_t offset,
					vm_size_t size)
{
	vm_offset_t done;
	struct vm_object *copy = vm_object_copy_start(object, offset, size, &done);

	if (copy && done < copy->size &&
	    vm_object_copy_pages(object, offset, copy, &done, true) != KERN_SUCCESS) {
		vm_object_deallocate(copy);
		copy = NULL;
	}
	return copy;
}

/*
 * Has copy (locked) received nothing since it was made? Its pages are
 * only pushes (its mappings copy on write, vm_map_lookup_fault()), so
 * then its object has not changed since.
 */
static bool vm_object_copy_untouched(const struct vm_object *copy)
{
	return !copy->resident_page_count && !copy->swap_count && !copy->pager;
}

void vm_object_copy_pause(void)
{
	thread_switch(NULL, SWITCH_OPTION_WAIT, 1);
}

struct vm_object *vm_object_copy_delayed(struct vm_object *object)
{
	struct pmap_flush_context pfc = PMAP_FLUSH_CONTEXT_INIT;
	struct vm_object *copy = NULL, *old;
	struct vm_page *page;

	for (;;) {
		vm_object_lock(object);
		old = object->copy;
		/* old is above object in the lock order: only try it. */
		if (old && !mutex_try(&old->lock)) {
			vm_object_unlock(object);
			vm_object_copy_pause();
			continue;
		}
		if (old && vm_object_copy_untouched(old) && old->size >= object->size) {
			old->ref_count++;
			vm_object_unlock(old);
			vm_object_unlock(object);
			vm_object_deallocate(copy);
			return old;
		}
		if (copy && copy->size >= object->size)
			break;
		if (old)
			vm_object_unlock(old);
		vm_object_unlock(object);
		/* None yet, or the object grew meanwhile: (re)make it unlocked. */
		vm_object_deallocate(copy);
		copy = vm_object_allocate(READ_ONCE(object->size));
		if (!copy)
			return NULL;
	}
	copy->shadow = object;
	copy->shadow_offset = 0;
	if (old) {
		/*
		 * What old has not received, object has not changed since
		 * old was made: the new copy shows it too. old's reference
		 * on object moves to the new copy, which old references.
		 */
		old->shadow = copy;
		copy->ref_count++;
		vm_object_unlock(old);
	} else {
		object->ref_count++;
	}
	object->copy = copy;
	/*
	 * The next write of any page faults and pushes it first: one TLB
	 * shootdown for all of them, before the copy can be used (no write
	 * through a stale entry after the object is unlocked).
	 */
	for (page = object->pages; page; page = page->listq_next)
		pmap_page_protect_options(vm_page_to_phys(page), VM_PROT_READ | VM_PROT_EXECUTE,
					  &pfc);
	pmap_flush(&pfc);
	vm_object_unlock(object);
	return copy;
}

kern_return_t vm_object_copy_push(struct vm_object *object, struct vm_page *page, bool unmapped)
{
	struct vm_object *copy = object->copy;
	vm_offset_t offset = page->offset;
	struct vm_page *dst;

	if (!copy)
		return KERN_SUCCESS;
	if (!mutex_try(&copy->lock))
		return VM_OBJECT_COPY_BUSY;
	if (offset < copy->size && !vm_page_lookup(copy, offset) &&
	    !vm_object_paged_out(copy, offset)) {
		/*
		 * Mappings of the copy (or of older copies above it) may show
		 * the page: they go, and their TLB entries, before the copy
		 * is taken (unmap, flush, copy).
		 */
		if (!unmapped)
			pmap_page_protect(vm_page_to_phys(page), VM_PROT_NONE);
		dst = vm_page_alloc_object_copy(copy, offset, page);
		if (!dst) {
			vm_object_unlock(copy);
			return KERN_RESOURCE_SHORTAGE;
		}
		dst->vm_flags |= VM_PAGE_DIRTY;		/* nothing else holds its data */
		vm_page_wakeup_done(dst);
		vm_page_activate(dst);
	}
	vm_object_unlock(copy);
	return KERN_SUCCESS;
}

enum vm_object_copy_kind vm_object_copy_kind(struct vm_object *object)
{
	enum vm_object_copy_kind kind = VM_OBJECT_COPY_DELAYED;

	vm_object_lock(object);
	if (object->wired_page_count || object->copy_strategy == MEMORY_OBJECT_COPY_NONE)
		kind = VM_OBJECT_COPY_EAGER;
	else if (object->copy_strategy == MEMORY_OBJECT_COPY_CALL)
		kind = VM_OBJECT_COPY_BY_CALL;
	vm_object_unlock(object);
	return kind;
}

kern_return_t vm_object_copy_strategically(struct vm_object *object, vm_offset_t offset,
					   vm_size_t size, struct vm_object **copy,
					   vm_offset_t *copy_offset, bool *needs_copy)
{
	*copy_offset = 0;
	*needs_copy = false;
	switch (vm_object_copy_kind(object)) {
	case VM_OBJECT_COPY_BY_CALL:
		/* The pager makes the copy: memory_object_copy, a new memory object. */
		*copy = vm_object_copy_call(object, offset, size);
		break;
	case VM_OBJECT_COPY_EAGER:
		*copy = vm_object_copy_slowly(object, offset, size);
		break;
	default:
		*copy = vm_object_copy_delayed(object);
		*copy_offset = offset;
		*needs_copy = true;
		break;
	}
	return *copy ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

unsigned int vm_object_chain_length(struct vm_object *object)
{
	unsigned int n = 0;

	/* Tests only, with the chain quiet: no locks. */
	for (; object; object = object->shadow)
		n++;
	return n;
}

static kern_return_t vm_object_bootstrap(void)
{
	vm_object_zone = zone_create("vm.object", sizeof(struct vm_object), 0, 0);
	if (!vm_object_zone)
		panic("vm_object: no zone");
	return KERN_SUCCESS;
}
KERNEL_INIT(CORE, vm_object_bootstrap);
