// SPDX-License-Identifier: MIT
/*
 * Page faults (see <kern/vm_fault.h> and Documentation/mm/vm.rst).
 *
 * With the map locked: look the address up (the entry's object is made,
 * and shadowed for a write to a copy-on-write entry, by
 * vm_map_lookup_locked()), find the page down the object's shadow chain
 * with every object of it locked, then
 *
 *	no page anywhere		zero-fill a new page in the top object
 *	page in the top object		map it with the entry's protection
 *	page deeper, read access	map it without write: it is shared
 *	page deeper, write access	copy it into the top object, map the copy
 *
 * and enter the translation in the map's pmap before unlocking, so that a
 * page is never freed (collapse, terminate, pageout) while a new
 * translation to it is being made. A page the default pager holds is read
 * back where the chain lookup stops for it; a fault that gets no page
 * unlocks its objects, waits for the pageout daemon and starts again. A
 * fault that must wait for a pager's data unlocks everything, the map
 * too (vm_fault()), waits, and starts again from the map lookup.
 */
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/vm_fault.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_pageout.h>

/* How many times a fault short of pages waits for the pageout daemon. */
#define VM_FAULT_MAX_WAITS	1000

/*
 * The counts of vm_statistics (<kern/vm_fault.h>): one relaxed atomic add
 * each, no lock on the fault path.
 */
static struct vm_fault_stats vm_fault_counts;

static inline void vm_fault_count(unsigned long *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

void vm_fault_get_stats(struct vm_fault_stats *s)
{
	s->faults = __atomic_load_n(&vm_fault_counts.faults, __ATOMIC_RELAXED);
	s->zero_fills = __atomic_load_n(&vm_fault_counts.zero_fills, __ATOMIC_RELAXED);
	s->cow_faults = __atomic_load_n(&vm_fault_counts.cow_faults, __ATOMIC_RELAXED);
	s->reactivations = __atomic_load_n(&vm_fault_counts.reactivations, __ATOMIC_RELAXED);
	s->pager_requests = __atomic_load_n(&vm_fault_counts.pager_requests, __ATOMIC_RELAXED);
}

/*
 * The page (object, offset) shows, with the chain locked as
 * vm_object_chain_lookup() leaves it (*last the object holding it, or the
 * bottom one). NULL and *kr KERN_SUCCESS: no object has the page and none
 * has a pager (zero fill). NULL and VM_FAULT_RETRY: the page is busy, or
 * absent and a pager must supply it, or its pager's page lock forbids the
 * access (data_unlock); w says what to wait for, which the
 * caller does with nothing locked (vm_object_pager_wait_run()) before
 * looking again. NULL and another *kr (KERN_MEMORY_ERROR,
 * KERN_RESOURCE_SHORTAGE): failed. In the last two cases the chain below
 * object is unlocked again (*last = object). Object locked throughout.
 */
static struct vm_page *vm_fault_lookup(struct vm_object *object, vm_offset_t offset,
				       vm_prot_t access, struct vm_object **last,
				       kern_return_t *kr, struct vm_pager_wait *w)
{
	struct vm_object *obj;
	struct vm_page *page;
	vm_offset_t where;
	vm_prot_t need;

	if (likely(!object->shadow)) {
		/* No chain to walk (anonymous memory before any copy). */
		page = vm_page_lookup(object, offset);
		*last = object;
		where = offset;
	} else {
		page = vm_object_chain_lookup(object, offset, last, &where);
	}
	obj = *last;
	*kr = KERN_SUCCESS;
	if (page && !(page->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ERROR))) {
		if (likely(!vm_page_lock_value(page)))
			return page;
		/* A page deeper down is only read (a write copies it). */
		need = obj == object ? access : (access & ~VM_PROT_WRITE) | VM_PROT_READ;
		if (!(vm_page_lock_value(page) & need))
			return page;
		/* The pager's page lock forbids it: data_unlock, and wait. */
		vm_object_page_unlock_prepare(obj, page, need, w);
		*kr = VM_FAULT_RETRY;
	} else if (!page && !obj->pager && vm_object_paged_out(obj, where)) {
		/* The default pager has it: read it back here. */
		page = default_pager_pagein(obj, where, kr);
		if (page)
			return page;
	} else if (!page && (!obj->pager ||
			     (obj->internal && !vm_object_pager_has(obj, where)))) {
		/* Zero fill; a default memory manager is asked only for what it was given. */
		return NULL;
	} else if (page && (page->vm_flags & VM_PAGE_BUSY)) {
		vm_object_pager_wait_prepare(obj, page, false, access, w);
		*kr = VM_FAULT_RETRY;
	} else if (page) {
		/* The pager failed it: fail this fault, ask again next time. */
		vm_page_free_object(page);
		*kr = KERN_MEMORY_ERROR;
	} else if (obj->pager_dead || where >= obj->size) {
		*kr = KERN_MEMORY_ERROR;
	} else {
		page = vm_page_alloc_object(obj, where);
		if (!page) {
			*kr = KERN_RESOURCE_SHORTAGE;
		} else {
			page->vm_flags |= VM_PAGE_ABSENT;
			vm_object_pager_wait_prepare(obj, page, true, access, w);
			vm_fault_count(&vm_fault_counts.pager_requests);
			*kr = VM_FAULT_RETRY;
		}
	}
	vm_object_chain_unlock(object, obj);
	*last = object;
	return NULL;
}

/*
 * Page of object (the entry's top object) has a delayed copy to keep
 * (object->copy): a write pushes the page's contents to the copy first;
 * a read maps it without write, so that the write to come faults.
 */
static __noinline __cold kern_return_t vm_fault_copy_object(struct vm_object *object,
							      struct vm_page *page,
							      vm_prot_t fault_type,
							      vm_prot_t *prot)
{
	if (!(fault_type & VM_PROT_WRITE)) {
		*prot &= ~VM_PROT_WRITE;
		return KERN_SUCCESS;
	}
	return vm_object_copy_push(object, page, false);
}

/* The page to map for the fault (object and its chain locked), or NULL with *kr. */
static struct vm_page *vm_fault_page(struct vm_object *object, vm_offset_t offset,
				     vm_prot_t fault_type, vm_prot_t *prot,
				     struct vm_object **last, kern_return_t *kr,
				     struct vm_pager_wait *w)
{
	struct vm_page *page, *copy;

	page = vm_fault_lookup(object, offset, fault_type, last, kr, w);
	if (!page) {
		if (*kr != KERN_SUCCESS)
			return NULL;
		/* Demand zero, in the top object whatever the access. */
		page = vm_page_alloc_object(object, offset);
		if (page) {
			vm_page_wakeup_done(page);
			vm_fault_count(&vm_fault_counts.zero_fills);
		}
		*kr = page ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
		/* A copy made before this page existed saw zeroes here. */
		if (unlikely(object->copy) && page)
			goto copy_object;
		return page;
	}
	if (*last == object) {
		/* What the pager's lock forbids, the mapping does not give. */
		*prot &= ~vm_page_lock_value(page);
		if (unlikely(object->copy))
			goto copy_object;
		return page;
	}
	if (!(fault_type & VM_PROT_WRITE)) {
		/* The page belongs to others too. */
		*prot &= ~(VM_PROT_WRITE | vm_page_lock_value(page));
		return page;
	}
	/* Copy on write: the top object gets its own copy (not zeroed first). */
	copy = vm_page_alloc_object_copy(object, offset, page);
	if (!copy) {
		*kr = KERN_RESOURCE_SHORTAGE;
		return NULL;
	}
	vm_page_wakeup_done(copy);
	vm_fault_count(&vm_fault_counts.cow_faults);
	return copy;
copy_object:
	*kr = vm_fault_copy_object(object, page, fault_type, prot);
	return *kr == KERN_SUCCESS ? page : NULL;
}

/*
 * The fault, map locked. handoff NULL: the caller holds the map lock for
 * this fault only, and the fault drops it while it waits for a pager or
 * for free pages. Otherwise (vm_map_wire, vm_map_copy_overwrite, whose
 * walks hold it) the map stays locked and the wait is handed to the
 * caller (*handoff, VM_FAULT_RETRY), who waits with the map unlocked.
 * After a wait nothing from before it is reused: the fault starts again
 * from the map lookup, which sees whatever changed meanwhile (the entry
 * removed, protected or replaced: Mach's VM_FAULT_RETRY).
 */
static kern_return_t vm_fault_map(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
				  bool change_wiring, struct vm_pager_wait *handoff)
{
	struct vm_object *object, *last;
	struct vm_pager_wait wait;
	struct vm_page *page;
	vm_offset_t offset;
	vm_prot_t prot;
	bool wired;
	kern_return_t kr;
	unsigned int waits = 0;

	vaddr = ALIGN_DOWN(vaddr, PAGE_SIZE);
	vm_fault_count(&vm_fault_counts.faults);
retry:
	/* The entry's object: no reference, the map stays locked while it is used. */
	kr = vm_map_lookup_fault(map, vaddr, fault_type, &object, &offset, &prot, &wired);
	if (kr != KERN_SUCCESS)
		return kr;

	vm_object_lock(object);
	if (object->shadow)
		vm_object_collapse(object);
	page = vm_fault_page(object, offset, fault_type, &prot, &last, &kr, &wait);
	if (!page)
		goto out;
	if (change_wiring) {
		vm_page_wire(page);
	} else {
		/* Touched on the inactive queue before the daemon freed it. */
		if (page->vm_flags & VM_PAGE_INACTIVE)
			vm_fault_count(&vm_fault_counts.reactivations);
		vm_page_activate(page);
	}
	kr = pmap_enter_fault(map->pmap, vaddr, vm_page_to_phys(page), prot, wired, fault_type);
	if (kr != KERN_SUCCESS) {
		if (change_wiring)
			vm_page_unwire(page);
		goto out;
	}
	if (prot & fault_type & VM_PROT_WRITE)
		page->vm_flags |= VM_PAGE_DIRTY;
out:
	vm_object_chain_unlock(object, last);
	vm_object_unlock(object);
	if (unlikely(kr == VM_OBJECT_COPY_BUSY)) {
		/* The copy object's lock is held above ours: let it go, look again. */
		vm_object_copy_pause();
		goto retry;
	}
	if (kr == VM_FAULT_RETRY) {
		/* The wait holds its own reference on the pager's object. */
		if (handoff) {
			*handoff = wait;
			return VM_FAULT_RETRY;
		}
		vm_map_unlock(map);
		kr = vm_object_pager_wait_run(&wait);
		vm_map_lock(map);
		if (kr == KERN_SUCCESS)
			goto retry;
		return kr;
	}
	/*
	 * No page: with no object locked and the map unlocked, let the
	 * pageout daemon free some (a default memory manager in this map's
	 * task must be able to receive the pages the daemon sends it). Then
	 * look again from the map lookup. A walk that holds the map gets the
	 * wait handed back (wait.object NULL: vm_fault_wait_run()).
	 */
	if (kr == KERN_RESOURCE_SHORTAGE && handoff) {
		handoff->object = NULL;
		return VM_FAULT_RETRY;
	}
	if (kr == KERN_RESOURCE_SHORTAGE && ++waits < VM_FAULT_MAX_WAITS) {
		bool go_on;

		vm_map_unlock(map);
		go_on = vm_page_wait();
		vm_map_lock(map);
		if (go_on)
			goto retry;
	}
	return kr;
}

kern_return_t vm_fault_wait_run(struct vm_pager_wait *wait, unsigned int *waits)
{
	if (wait->object)
		return vm_object_pager_wait_run(wait);
	if (++*waits >= VM_FAULT_MAX_WAITS || !vm_page_wait())
		return KERN_RESOURCE_SHORTAGE;
	return KERN_SUCCESS;
}

kern_return_t vm_fault_locked(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
			      bool change_wiring, struct vm_pager_wait *wait)
{
	return vm_fault_map(map, vaddr, fault_type, change_wiring, wait);
}

kern_return_t vm_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
		       bool change_wiring)
{
	kern_return_t kr;

	vm_map_lock(map);
	kr = vm_fault_map(map, vaddr, fault_type, change_wiring, NULL);
	vm_map_unlock(map);
	return kr;
}

/*
 * Unwire the wired page that (object, offset) shows. Usually the first of
 * the chain; but a read-only wired entry made writable and written since
 * has a copy in front of its wired page: look past unwired pages.
 */
static void vm_fault_unwire_page(vm_map_t map, struct vm_object *object,
				 vm_offset_t offset, vm_offset_t va)
{
	struct vm_object *obj = object;
	struct vm_page *page;

	vm_object_lock(object);
	for (;;) {
		page = vm_page_lookup(obj, offset);
		if (page && page->wire_count) {
			vm_page_unwire(page);
			pmap_change_wiring(map->pmap, va, false);
			break;
		}
		if (!obj->shadow)
			break;
		offset += obj->shadow_offset;
		obj = obj->shadow;
		vm_object_lock(obj);
	}
	vm_object_chain_unlock(object, obj);
	vm_object_unlock(object);
}

void vm_fault_unwire(vm_map_t map, struct vm_map_entry *entry, vm_offset_t start,
		     vm_offset_t end)
{
	vm_offset_t va;

	if (!entry->object)
		return;
	for (va = start; va < end; va += PAGE_SIZE)
		vm_fault_unwire_page(map, entry->object, entry->offset + (va - entry->start), va);
}

bool vm_fault_kernel_trap(vm_offset_t addr, vm_prot_t fault_type, bool irqs_were_enabled)
{
	struct thread *self = current_thread();
	vm_map_t map = self->map;
	kern_return_t kr;

	if (!map || addr < map->min_offset || addr >= map->max_offset)
		return false;
	if (!irqs_were_enabled || self->preempt_count || mutex_owned(&map->lock)) {
		pr_emerg("vm_fault: %#lx in map %p: cannot sleep here (%s)\n",
			 (unsigned long)addr, map,
			 mutex_owned(&map->lock) ? "the map is locked by this thread" :
			 "interrupts or preemption disabled");
		return false;
	}
	arch_irq_enable();
	kr = vm_fault(map, addr, fault_type, false);
	arch_irq_disable();
	if (kr != KERN_SUCCESS) {
		pr_emerg("vm_fault: %#lx in map %p: %s access: kern_return %d\n",
			 (unsigned long)addr, map,
			 fault_type & VM_PROT_WRITE ? "write" :
			 fault_type & VM_PROT_EXECUTE ? "execute" : "read", kr);
		return false;
	}
	return true;
}

kern_return_t vm_fault_object_read(struct vm_object *object, vm_offset_t offset,
				   vm_offset_t in_page, void *buf, vm_size_t len)
{
	struct vm_pager_wait wait;
	struct vm_object *last;
	struct vm_page *page;
	kern_return_t kr;

	vm_object_lock(object);
	while (!(page = vm_fault_lookup(object, offset, VM_PROT_READ, &last, &kr, &wait)) &&
	       kr == VM_FAULT_RETRY) {
		vm_object_unlock(object);
		kr = vm_object_pager_wait_run(&wait);
		vm_object_lock(object);
		if (kr != KERN_SUCCESS)
			break;
	}
	if (page)
		memcpy(buf, (const char *)vm_page_to_virt(page) + in_page, len);
	else if (kr == KERN_SUCCESS)
		memset(buf, 0, len);
	vm_object_chain_unlock(object, last);
	vm_object_unlock(object);
	return kr;
}
