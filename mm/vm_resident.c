// SPDX-License-Identifier: MIT
/*
 * Resident pages: the pages the VM holds in objects (see <kern/vm_object.h>
 * and Documentation/mm/vm.rst).
 *
 * A page in an object is found by (object, offset) through one hash table
 * of singly linked chains (vm_page.hash_next), and is on its object's list
 * (vm_page.listq_next, pushed and popped at the head: only collapse and
 * terminate walk it, and they empty it). Pages that are not wired sit on
 * the active or the inactive queue (vm_page.next/prev, the links the page
 * allocator uses while a page is free) for the pageout daemon
 * (mm/vm_pageout.c).
 *
 * Locking: the caller holds the page's object lock. vm_page_hash_lock
 * guards the buckets, vm_page_queue_lock the queues and their counts;
 * both are leaves (nothing else is taken under them).
 */
#include <kern/init.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/vm_object.h>
#include <kern/vm_pageout.h>

struct vm_page_queue {
	struct vm_page	*head, *tail;
	unsigned long	count;
};

static spinlock_t vm_page_hash_lock = SPINLOCK_INIT;
static struct vm_page **vm_page_buckets;
static unsigned long vm_page_bucket_mask;

static spinlock_t vm_page_queue_lock = SPINLOCK_INIT;
static struct vm_page_queue vm_page_queue_active;
static struct vm_page_queue vm_page_queue_inactive;
static unsigned long vm_page_wired_count;	/* queue lock */
static unsigned long vm_page_tabled_count;	/* hash lock */

static unsigned long vm_page_hash(const struct vm_object *object, vm_offset_t offset)
{
	uintptr_t h = (uintptr_t)object >> 6;

	h ^= (uintptr_t)(offset >> PAGE_SHIFT) * 0x9e3779b97f4a7c15UL;
	h ^= h >> 29;
	return h & vm_page_bucket_mask;
}

/* ------------------------------------------------------------------------
 * The hash table
 */

static void vm_page_hash_insert(struct vm_page *page)
{
	struct vm_page **b = &vm_page_buckets[vm_page_hash(page->object, page->offset)];

	spin_lock(&vm_page_hash_lock);
	page->hash_next = *b;
	*b = page;
	vm_page_tabled_count++;
	spin_unlock(&vm_page_hash_lock);
}

static void vm_page_hash_remove(struct vm_page *page)
{
	struct vm_page **pp = &vm_page_buckets[vm_page_hash(page->object, page->offset)];

	spin_lock(&vm_page_hash_lock);
	while (*pp != page) {
		if (!*pp)
			panic("vm_page: page at 0x%llx is not in its hash bucket",
			      (unsigned long long)page->phys_addr);
		pp = &(*pp)->hash_next;
	}
	*pp = page->hash_next;
	page->hash_next = NULL;
	vm_page_tabled_count--;
	spin_unlock(&vm_page_hash_lock);
}

struct vm_page *vm_page_lookup(struct vm_object *object, vm_offset_t offset)
{
	struct vm_page *page;

	spin_lock(&vm_page_hash_lock);
	page = vm_page_buckets[vm_page_hash(object, offset)];
	while (page && (page->object != object || page->offset != offset))
		page = page->hash_next;
	spin_unlock(&vm_page_hash_lock);
	return page;
}

/* ------------------------------------------------------------------------
 * Objects' page lists
 */

void vm_page_insert(struct vm_page *page, struct vm_object *object, vm_offset_t offset)
{
	if (page->vm_flags & VM_PAGE_TABLED)
		panic("vm_page_insert: page at 0x%llx is already in an object",
		      (unsigned long long)page->phys_addr);
	page->object = object;
	page->offset = offset;
	page->vm_flags |= VM_PAGE_TABLED;
	vm_page_hash_insert(page);
	page->listq_next = object->pages;
	if (object->pages)
		object->pages->listq_pprev = &page->listq_next;
	page->listq_pprev = &object->pages;
	object->pages = page;
	object->resident_page_count++;
	if (page->wire_count)
		object->wired_page_count++;	/* a wired page renamed by collapse */
}

void vm_page_remove(struct vm_page *page)
{
	struct vm_object *object = page->object;

	vm_page_hash_remove(page);
	*page->listq_pprev = page->listq_next;
	if (page->listq_next)
		page->listq_next->listq_pprev = page->listq_pprev;
	page->listq_next = NULL;
	page->listq_pprev = NULL;
	page->vm_flags &= ~VM_PAGE_TABLED;
	page->object = NULL;
	object->resident_page_count--;
	if (page->wire_count)
		object->wired_page_count--;
}

void vm_page_rename(struct vm_page *page, struct vm_object *object, vm_offset_t offset)
{
	/*
	 * Under the queue lock: the pageout daemon reads page->object of a
	 * queued page under it (vm_page_queue_grab()), and the old object
	 * may be freed as soon as the caller unlocks it.
	 */
	spin_lock(&vm_page_queue_lock);
	vm_page_remove(page);
	vm_page_insert(page, object, offset);
	spin_unlock(&vm_page_queue_lock);
}

/* ------------------------------------------------------------------------
 * The paging queues (queue lock held)
 */

static void vm_page_queue_enter(struct vm_page_queue *q, struct vm_page *page)
{
	page->next = NULL;
	page->prev = q->tail;
	if (q->tail)
		q->tail->next = page;
	else
		q->head = page;
	q->tail = page;
	q->count++;
}

static void vm_page_queue_leave(struct vm_page_queue *q, struct vm_page *page)
{
	if (page->prev)
		page->prev->next = page->next;
	else
		q->head = page->next;
	if (page->next)
		page->next->prev = page->prev;
	else
		q->tail = page->prev;
	page->next = page->prev = NULL;
	q->count--;
}

/* Take the page off whichever queue it is on. */
static void vm_page_queues_remove_locked(struct vm_page *page)
{
	if (page->vm_flags & VM_PAGE_ACTIVE)
		vm_page_queue_leave(&vm_page_queue_active, page);
	else if (page->vm_flags & VM_PAGE_INACTIVE)
		vm_page_queue_leave(&vm_page_queue_inactive, page);
	page->vm_flags &= ~(VM_PAGE_ACTIVE | VM_PAGE_INACTIVE);
}

/* Put a page that is not wired at the tail of q (flag: which queue that is). */
static void vm_page_queue_move(struct vm_page *page, struct vm_page_queue *q,
			       uint16_t flag)
{
	if (page->wire_count)
		return;
	spin_lock(&vm_page_queue_lock);
	if (!(page->vm_flags & flag)) {
		vm_page_queues_remove_locked(page);
		vm_page_queue_enter(q, page);
		page->vm_flags |= flag;
	}
	spin_unlock(&vm_page_queue_lock);
}

void vm_page_activate(struct vm_page *page)
{
	vm_page_queue_move(page, &vm_page_queue_active, VM_PAGE_ACTIVE);
}

void vm_page_deactivate(struct vm_page *page)
{
	vm_page_queue_move(page, &vm_page_queue_inactive, VM_PAGE_INACTIVE);
}

struct vm_page *vm_page_queue_grab(bool inactive, unsigned int tries)
{
	struct vm_page_queue *q = inactive ? &vm_page_queue_inactive : &vm_page_queue_active;
	struct vm_page *page, *found = NULL;

	spin_lock(&vm_page_queue_lock);
	while (tries-- && (page = q->head) != NULL) {
		/* To the tail whatever happens: the next grab looks further. */
		vm_page_queue_leave(q, page);
		vm_page_queue_enter(q, page);
		/*
		 * A queued page is in its object, which cannot go away
		 * before the page leaves the queue (under this lock).
		 */
		if (mutex_try(&page->object->lock)) {
			found = page;
			break;
		}
	}
	spin_unlock(&vm_page_queue_lock);
	return found;
}

/*
 * The object's count of wired pages changes under the object's lock (the
 * caller's), the page's wire_count and the global count under the queue
 * lock (the pageout daemon reads wire_count holding only that).
 */
void vm_page_wire(struct vm_page *page)
{
	bool first;

	spin_lock(&vm_page_queue_lock);
	first = page->wire_count++ == 0;
	if (first) {
		vm_page_queues_remove_locked(page);
		vm_page_wired_count++;
	}
	spin_unlock(&vm_page_queue_lock);
	if (first)
		page->object->wired_page_count++;
}

void vm_page_unwire(struct vm_page *page)
{
	bool last;

	if (page->wire_count == 0)
		panic("vm_page_unwire: page at 0x%llx is not wired",
		      (unsigned long long)page->phys_addr);
	spin_lock(&vm_page_queue_lock);
	last = --page->wire_count == 0;
	if (last) {
		vm_page_wired_count--;
		vm_page_queue_enter(&vm_page_queue_active, page);
		page->vm_flags |= VM_PAGE_ACTIVE;
	}
	spin_unlock(&vm_page_queue_lock);
	if (last)
		page->object->wired_page_count--;
}

void vm_page_unwire_dying(struct vm_page *page)
{
	if (page->wire_count == 0)
		return;
	spin_lock(&vm_page_queue_lock);
	page->wire_count = 0;
	vm_page_wired_count--;
	spin_unlock(&vm_page_queue_lock);
	page->object->wired_page_count--;
}

/* ------------------------------------------------------------------------
 * Allocation and release
 */

/* Make a page just allocated (its contents set) BUSY at (object, offset). */
static struct vm_page *vm_page_alloc_insert(struct vm_page *page, struct vm_object *object,
					    vm_offset_t offset)
{
	/*
	 * The pmap keeps the referenced and modified bits of a page's
	 * mappings gone: a new page must not inherit its last user's.
	 */
	pmap_clear_page_attrs(page);
	page->vm_flags = VM_PAGE_BUSY;
	page->wire_count = 0;
	page->next = page->prev = NULL;
	page->hash_next = page->listq_next = NULL;
	vm_page_insert(page, object, offset);
	return page;
}

struct vm_page *vm_page_alloc_object(struct vm_object *object, vm_offset_t offset)
{
	struct vm_page *page;

	/* Below vm_page_free_min, pages are the kernel's and the daemon's. */
	if (!vm_page_alloc_allowed())
		return NULL;
	page = vm_page_alloc_zeroed();
	if (!page)
		return NULL;
	return vm_page_alloc_insert(page, object, offset);
}

struct vm_page *vm_page_alloc_object_copy(struct vm_object *object, vm_offset_t offset,
					  struct vm_page *src)
{
	struct vm_page *page;

	if (!vm_page_alloc_allowed())
		return NULL;
	/*
	 * The copy writes every byte: zeroing the page first (as
	 * vm_page_alloc_zeroed() does) would be lost work, and a pre-zeroed
	 * page is kept for a zero fill unless no other is free.
	 */
	page = vm_page_alloc(0);
	if (!page)
		page = vm_page_zeroed_take();
	if (!page)
		return NULL;
	vm_page_copy(src, page);
	return vm_page_alloc_insert(page, object, offset);
}

void vm_page_free_object(struct vm_page *page)
{
	if (page->wire_count)
		panic("vm_page_free_object: page at 0x%llx is wired (%u)",
		      (unsigned long long)page->phys_addr, page->wire_count);
	pmap_page_protect(page->phys_addr, VM_PROT_NONE);
	spin_lock(&vm_page_queue_lock);
	vm_page_queues_remove_locked(page);
	spin_unlock(&vm_page_queue_lock);
	if (page->vm_flags & VM_PAGE_TABLED)
		vm_page_remove(page);
	page->vm_flags = 0;
	vm_page_free(page, 0);
}

void vm_page_wakeup_done(struct vm_page *page)
{
	bool wanted = page->vm_flags & VM_PAGE_WANTED;

	page->vm_flags &= ~(VM_PAGE_BUSY | VM_PAGE_WANTED);
	if (wanted)
		thread_wakeup(page);
}

void vm_page_copy(struct vm_page *src, struct vm_page *dst)
{
	memcpy(vm_page_to_virt(dst), vm_page_to_virt(src), PAGE_SIZE);
}

void vm_resident_get_stats(struct vm_resident_stats *s)
{
	spin_lock(&vm_page_queue_lock);
	s->active = vm_page_queue_active.count;
	s->inactive = vm_page_queue_inactive.count;
	s->wired = vm_page_wired_count;
	spin_unlock(&vm_page_queue_lock);
	spin_lock(&vm_page_hash_lock);
	s->pages = vm_page_tabled_count;
	spin_unlock(&vm_page_hash_lock);
	s->buckets = vm_page_bucket_mask + 1;
}

/* One bucket per four pages of RAM, a power of two, at least 256. */
static kern_return_t vm_resident_init(void)
{
	unsigned long n = 256;

	while (n < vm_page_nr / 4)
		n <<= 1;
	vm_page_buckets = kmem_alloc_wired(n * sizeof(*vm_page_buckets));
	if (!vm_page_buckets)
		panic("vm_resident: no memory for %lu hash buckets", n);
	vm_page_bucket_mask = n - 1;
	return KERN_SUCCESS;
}
KERNEL_INIT(CORE, vm_resident_init);
