// SPDX-License-Identifier: MIT
/*
 * External memory management: vm_objects whose data a pager supplies
 * (<kern/vm_object.h>, Documentation/mm/vm.rst, "Pagers").
 *
 * An object made for a memory object port (vm_object_enter(), from
 * vm_map() or the default pager) keeps a send right to that port and a
 * control port of its own, a kernel object of type
 * IKOT_MEMORY_OBJECT_CONTROL. The kernel sends the pager the requests of
 * memory_object.defs through the MIG KernelUser stubs (init, data_request,
 * data_return, lock_completed, terminate); the pager answers on the
 * control port (mach.defs: data_supply, data_unavailable, data_error,
 * lock_request, set_attributes, destroy), whose server routines call the
 * vm_object_* functions below.
 *
 * A fault on a page of such an object that is not resident puts a page
 * there, BUSY and ABSENT, asks the pager for it and, with no lock held,
 * sleeps on the page in slices; data_supply fills it and wakes the fault
 * once the object is unlocked (struct vm_pager_wakeups). A pager whose port
 * dies, that answers with data_error or with a malformed supply, or that
 * does not answer within vm_pager_timeout_ms makes the fault fail with
 * KERN_MEMORY_ERROR: the page is freed, nothing waits for ever.
 *
 * Page locks: the lock_value of data_supply / data_provided /
 * lock_request is kept in the page (the access it forbids, vm_flags); a
 * fault that wants a forbidden access sends data_unlock once (later
 * faults wait for the same answer) and waits the same way; lock_request
 * lowering the lock lets it go on, one keeping it makes it fail with
 * KERN_PROTECTION_FAILURE, data_error or silence with KERN_MEMORY_ERROR.
 *
 * Locking: vm_pager_lock (a mutex) guards the list of objects with a
 * pager; take it before any object lock. Requests are sent with the
 * object unlocked.
 */
#include <kern/cmdline.h>
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/printk.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <kern/vm_map_copy.h>
#include <kern/vm_object.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <mach/mach_types.h>

/*
 * The KernelUser stubs generated from memory_object.defs (kernel/mig,
 * memory_objectUser.h); declared here so that mm/ does not wait for the
 * generated header.
 */
kern_return_t memory_object_init(mach_port_t memory_object, mach_port_t memory_control,
				 mach_port_t memory_object_name, vm_size_t page_size);
kern_return_t memory_object_terminate(mach_port_t memory_object, mach_port_t memory_control,
				      mach_port_t memory_object_name);
kern_return_t memory_object_data_request(mach_port_t memory_object, mach_port_t memory_control,
					 memory_object_offset_t offset, vm_size_t length,
					 vm_prot_t desired_access);
kern_return_t memory_object_data_unlock(mach_port_t memory_object, mach_port_t memory_control,
					memory_object_offset_t offset, vm_size_t length,
					vm_prot_t desired_access);
kern_return_t memory_object_lock_completed(mach_port_t reply_to, mach_port_t memory_control,
					   memory_object_offset_t offset, vm_size_t length);
kern_return_t memory_object_data_return(mach_port_t memory_object, mach_port_t memory_control,
					memory_object_offset_t offset, pointer_t data,
					mach_msg_type_number_t dataCnt, boolean_t dirty,
					boolean_t kernel_copy);
kern_return_t memory_object_copy(mach_port_t old_memory_object, mach_port_t old_memory_control,
				 memory_object_offset_t offset, vm_size_t length,
				 mach_port_t new_memory_object);

extern const struct mig_subsystem mach_subsystem;

IPC_KOBJECT_DEFINE(IKOT_MEMORY_OBJECT_CONTROL,
	.ikt_subsystems = { &mach_subsystem });

unsigned long vm_pager_timeout_ms = CONFIG_VM_PAGER_TIMEOUT_MS;

static struct mutex vm_pager_lock = MUTEX_INITIALIZER;
static struct vm_object *vm_pager_objects;	/* through pager_next */
/* vm_object_enter(): list searches, and those that found the object. */
static unsigned long vm_pager_lookups, vm_pager_hits;	/* vm_pager_lock */

/* How long a fault sleeps at a time before looking at the pager again. */
#define VM_PAGER_WAIT_SLICE_NS	(10ULL * 1000 * 1000)

static kern_return_t vm_pager_bootstrap(void)
{
	vm_pager_timeout_ms = cmdline_get_ulong("vm.pager_timeout_ms", vm_pager_timeout_ms);
	return KERN_SUCCESS;
}
KERNEL_INIT(CORE, vm_pager_bootstrap);

struct vm_object *vm_object_control_lookup(struct ipc_port *control)
{
	struct vm_object *object;
	bool dead = false;

	mutex_lock(&vm_pager_lock);
	/* A terminating object leaves the list and its port under this lock. */
	object = ipc_kobject_get(control, IKOT_MEMORY_OBJECT_CONTROL);
	if (object) {
		vm_object_lock(object);
		if (!object->terminating)
			object->ref_count++;
		else
			dead = true;
		vm_object_unlock(object);
	}
	mutex_unlock(&vm_pager_lock);
	return dead ? NULL : object;
}

void vm_object_enter_stats(unsigned long *lookups, unsigned long *hits)
{
	mutex_lock(&vm_pager_lock);
	*lookups = vm_pager_lookups;
	*hits = vm_pager_hits;
	mutex_unlock(&vm_pager_lock);
}

struct vm_object *vm_object_enter(struct ipc_port *pager, vm_size_t size)
{
	struct vm_object *object;
	ipc_port_t control;

	if (!IP_VALID(pager) || !ip_active(pager))
		return NULL;
	mutex_lock(&vm_pager_lock);
	vm_pager_lookups++;
	for (object = vm_pager_objects; object; object = object->pager_next) {
		if (object->pager != pager)
			continue;
		vm_object_lock(object);
		if (object->terminating) {
			vm_object_unlock(object);
			continue;
		}
		vm_pager_hits++;
		object->ref_count++;
		object->size = MAX(object->size, ALIGN_UP(size, PAGE_SIZE));
		vm_object_unlock(object);
		mutex_unlock(&vm_pager_lock);
		return object;
	}
	object = vm_object_allocate(size);
	control = object ? ipc_kobject_port_alloc(object, IKOT_MEMORY_OBJECT_CONTROL) : IP_NULL;
	if (!IP_VALID(control)) {
		mutex_unlock(&vm_pager_lock);
		vm_object_deallocate(object);
		return NULL;
	}
	object->internal = false;
	object->temporary = false;
	object->pager = ipc_port_copy_send(pager);
	object->pager_control = control;
	object->pager_next = vm_pager_objects;
	vm_pager_objects = object;
	mutex_unlock(&vm_pager_lock);
	/* A pager that cannot be told fails the faults later: the port is dead. */
	memory_object_init(object->pager, control, IP_NULL, PAGE_SIZE);
	return object;
}

/*
 * The waiters of the pages a data_supply or data_unavailable fills, woken
 * once the object is unlocked. Woken under the lock, a fault's thread runs
 * at once on its own (idle) CPU, finds the object's mutex held by the
 * supplier, which still has the rest of the supply to copy, and blocks on
 * it to be woken again at the unlock: two wakeups and two IPIs a round
 * trip, and on an overcommitted host the woken CPU spins on the locks the
 * waker holds while the waker's virtual CPU waits for the host (about 8 ms
 * a round trip at four CPUs on qemu-x86_64, Documentation/mm/vm.rst).
 * Waking after the unlock is safe: a page's waiters look at it again, and
 * one freed meanwhile only makes a spurious wakeup.
 */
#define VM_PAGER_WAKEUPS	8

struct vm_pager_wakeups {
	unsigned int	count;
	struct vm_page	*page[VM_PAGER_WAKEUPS];
};

/* The page is no longer busy (object locked): its waiters are woken later, or now if too many. */
static void vm_page_done_deferred(struct vm_page *page, struct vm_pager_wakeups *wk)
{
	if (!(page->vm_flags & VM_PAGE_WANTED) || wk->count == VM_PAGER_WAKEUPS) {
		vm_page_wakeup_done(page);
		return;
	}
	page->vm_flags &= ~(VM_PAGE_BUSY | VM_PAGE_WANTED);
	wk->page[wk->count++] = page;
}

/* With the object unlocked: wake what vm_page_done_deferred() kept. */
static void vm_pager_wakeups_run(struct vm_pager_wakeups *wk)
{
	while (wk->count)
		thread_wakeup(wk->page[--wk->count]);
}

/* Fail a page nobody will fill: wake its waiters, free it. Object locked. */
static void vm_object_page_fail(struct vm_page *page)
{
	page->vm_flags &= ~VM_PAGE_ABSENT;
	vm_page_wakeup_done(page);
	vm_page_free_object(page);
}

static bool vm_object_pager_alive(struct vm_object *object)
{
	return !object->pager_dead && ip_active(object->pager);
}

/* Sleep on a busy page for at most one slice (object locked, unlocked meanwhile). */
static void vm_object_page_sleep(struct vm_object *object, struct vm_page *page,
				 uint64_t ns)
{
	page->vm_flags |= VM_PAGE_WANTED;
	assert_wait_timeout(page, THREAD_UNINT, MIN(ns, VM_PAGER_WAIT_SLICE_NS));
	vm_object_unlock(object);
	thread_block(NULL);
	vm_object_lock(object);
}

void vm_object_pager_wait_prepare(struct vm_object *object, struct vm_page *page,
				  bool request, vm_prot_t access, struct vm_pager_wait *w)
{
	object->ref_count++;
	object->paging_in_progress++;
	w->object = object;
	w->page = page;
	w->offset = page->offset;
	w->access = access;
	w->request = request;
	w->unlock = false;
	w->need = VM_PROT_NONE;
}

/* Is w's page still in its object and busy? (object locked) */
static bool vm_pager_wait_busy(struct vm_pager_wait *w)
{
	struct vm_page *page = vm_page_lookup(w->object, w->offset);

	return page == w->page && (page->vm_flags & VM_PAGE_BUSY);
}

void vm_object_page_unlock_prepare(struct vm_object *object, struct vm_page *page,
				   vm_prot_t need, struct vm_pager_wait *w)
{
	vm_prot_t asked = vm_page_unlock_request(page);
	bool request = (need & ~asked) != 0;

	if (request)
		page->vm_flags = vm_page_prot_set(page->vm_flags & ~VM_PAGE_UNLOCK_ERROR,
						  VM_PAGE_UNLOCK_SHIFT, asked | need);
	vm_object_pager_wait_prepare(object, page, request, asked | need, w);
	w->unlock = true;
	w->need = need;
}

/* Is w's page still there, locked against w->need, and the unlock asked for? */
static bool vm_pager_wait_locked(struct vm_pager_wait *w)
{
	struct vm_page *page = vm_page_lookup(w->object, w->offset);

	return page == w->page && (vm_page_lock_value(page) & w->need) &&
	       (vm_page_unlock_request(page) & w->need) == w->need;
}

/* The page's data_unlock is over without the access (object locked): tell its waiters. */
static void vm_page_unlock_fail(struct vm_page *page)
{
	page->vm_flags = vm_page_prot_set(page->vm_flags | VM_PAGE_UNLOCK_ERROR,
					  VM_PAGE_UNLOCK_SHIFT, VM_PROT_NONE);
	vm_page_wakeup_done(page);
}

/* The end of an unlock wait (object locked): kr so far, the fault's result. */
static kern_return_t vm_pager_unlock_result(struct vm_pager_wait *w, kern_return_t kr)
{
	struct vm_page *page = vm_page_lookup(w->object, w->offset);

	if (page != w->page)
		return KERN_SUCCESS;	/* flushed or paged out meanwhile: look again */
	if (kr != KERN_SUCCESS) {
		/* Timeout, dead pager: the waiters of this request fail with it. */
		if (vm_pager_wait_locked(w))
			vm_page_unlock_fail(page);
		return kr;
	}
	if (!(vm_page_lock_value(page) & w->need))
		return KERN_SUCCESS;
	return page->vm_flags & VM_PAGE_UNLOCK_ERROR ? KERN_MEMORY_ERROR
						      : KERN_PROTECTION_FAILURE;
}

/* Ask the pager for w's page: data_request, or data_unlock. */
static kern_return_t vm_pager_ask(struct vm_pager_wait *w)
{
	struct vm_object *object = w->object;

	if (w->unlock)
		return memory_object_data_unlock(object->pager, object->pager_control, w->offset,
						 PAGE_SIZE, w->access);
	return memory_object_data_request(object->pager, object->pager_control, w->offset,
					  PAGE_SIZE, w->access);
}

/* Does w still wait? */
static bool vm_pager_wait_on(struct vm_pager_wait *w)
{
	return w->unlock ? vm_pager_wait_locked(w) : vm_pager_wait_busy(w);
}

kern_return_t vm_object_pager_wait_run(struct vm_pager_wait *w)
{
	uint64_t deadline = clock_now() + vm_pager_timeout_ms * 1000000ULL;
	struct vm_object *object = w->object;
	kern_return_t kr = KERN_SUCCESS;
	/* An unlock's waiters all wait for an answer; a busy page's, its requester. */
	bool timed = w->request || w->unlock;

	if (w->request && vm_pager_ask(w) != KERN_SUCCESS)
		kr = KERN_MEMORY_ERROR;
	vm_object_lock(object);
	/*
	 * The page stays where it is while BUSY: nothing frees a busy page.
	 * Once it is not busy it may go (a flush, pageout) and its memory
	 * serve another object: look it up again rather than trust it.
	 */
	while (kr == KERN_SUCCESS && vm_pager_wait_on(w)) {
		uint64_t now = clock_now();

		if ((object->pager && !vm_object_pager_alive(object)) ||
		    (timed && now >= deadline))
			kr = KERN_MEMORY_ERROR;
		else
			vm_object_page_sleep(object, w->page,
					     timed ? deadline - now : VM_PAGER_WAIT_SLICE_NS);
	}
	/* The requester fails the page it asked for; other waiters look again. */
	if (w->unlock)
		kr = vm_pager_unlock_result(w, kr);
	else if (kr != KERN_SUCCESS && w->request && vm_pager_wait_busy(w))
		vm_object_page_fail(w->page);
	object->paging_in_progress--;
	vm_object_unlock(object);
	vm_object_deallocate(object);
	return kr;
}

struct ipc_ool_copy *vm_page_ool_copy(struct vm_page *page, bool laundry)
{
	struct vm_map_copy *vmc = vm_map_copy_from_kernel(vm_page_to_virt(page), PAGE_SIZE);
	struct ipc_ool_copy *data;

	if (!vmc)
		return NULL;
	/* Its object is VM_MANAGER_GEN_NEVER (vm_map_copy_from_kernel()). */
	vmc->header.next->object->laundry = laundry;	/* a new object: no lock */
	data = ipc_ool_copy_from_vm(vmc);
	if (!data)
		vm_map_copy_discard(vmc);
	return data;
}

kern_return_t vm_object_pager_return(struct vm_object *object, struct vm_page *page)
{
	struct ipc_ool_copy *data = vm_page_ool_copy(page, false);

	if (!data)
		return KERN_RESOURCE_SHORTAGE;
	page->vm_flags &= ~VM_PAGE_DIRTY;
	pmap_clear_modify(vm_page_to_phys(page));
	/* The stub moves the data (Dealloc): the message owns it from here. */
	return memory_object_data_return(object->pager, object->pager_control, page->offset,
					 (pointer_t)data, PAGE_SIZE, true, false);
}

/* Does the page differ from the pager's copy? */
static bool vm_page_is_dirty(struct vm_page *page)
{
	if (!(page->vm_flags & VM_PAGE_DIRTY) && pmap_is_modified(vm_page_to_phys(page)))
		page->vm_flags |= VM_PAGE_DIRTY;
	return page->vm_flags & VM_PAGE_DIRTY;
}

void vm_object_pager_terminate(struct vm_object *object)
{
	struct vm_object **pp;
	struct vm_page *page;
	ipc_port_t control = object->pager_control;

	mutex_lock(&vm_pager_lock);
	for (pp = &vm_pager_objects; *pp; pp = &(*pp)->pager_next)
		if (*pp == object) {
			*pp = object->pager_next;
			break;
		}
	mutex_unlock(&vm_pager_lock);

	vm_object_lock(object);
	if (!object->temporary && vm_object_pager_alive(object))
		for (page = object->pages; page; page = page->listq_next)
			if (!(page->vm_flags & (VM_PAGE_ABSENT | VM_PAGE_ERROR)) &&
			    vm_page_is_dirty(page))
				vm_object_pager_return(object, page);
	vm_object_unlock(object);
	/*
	 * Mach moves the control and name receive rights to the pager; here
	 * the kernel destroys its control port (the pager's send rights to it
	 * become dead names) and sends null ports with the terminate. Under
	 * vm_pager_lock: vm_object_control_lookup() may be looking at it.
	 */
	mutex_lock(&vm_pager_lock);
	ipc_kobject_port_destroy(control);
	mutex_unlock(&vm_pager_lock);
	if (vm_object_pager_alive(object))
		memory_object_terminate(object->pager, IP_NULL, IP_NULL);
	ipc_port_release_send(object->pager);
	object->pager_control = IP_NULL;
	object->pager = IP_NULL;
}

/* ------------------------------------------------------------------------
 * The control side
 */

/* Fail every fault waiting on [offset, offset + size) of object (locked). */
static void vm_object_fail_absent(struct vm_object *object, vm_offset_t offset,
				  vm_size_t size)
{
	struct vm_page *page;

	for (page = object->pages; page; page = page->listq_next)
		if ((page->vm_flags & VM_PAGE_ABSENT) && page->offset >= offset &&
		    page->offset - offset < size) {
			page->vm_flags = (page->vm_flags & ~VM_PAGE_ABSENT) | VM_PAGE_ERROR;
			vm_page_wakeup_done(page);
		}
}

static bool vm_object_range_ok(struct vm_object *object, vm_offset_t offset, vm_size_t size)
{
	return size && !(offset & (PAGE_SIZE - 1)) && !(size & (PAGE_SIZE - 1)) &&
	       offset < object->size && size <= object->size - offset;
}

/* Fill one page of object (locked) at offset from data at data_off; its waiters go in wk. */
static kern_return_t vm_object_supply_page(struct vm_object *object, vm_offset_t offset,
					   struct vm_map_copy *data, vm_offset_t data_off,
					   vm_prot_t lock_value, bool precious,
					   struct vm_pager_wakeups *wk)
{
	struct vm_page *page = vm_page_lookup(object, offset);
	bool fresh = !page;
	kern_return_t kr;

	if (page && !(page->vm_flags & VM_PAGE_ABSENT))
		return KERN_SUCCESS;	/* resident already: Mach keeps what it has */
	if (fresh) {
		page = vm_page_alloc_object(object, offset);
		if (!page)
			return KERN_RESOURCE_SHORTAGE;
	}
	kr = vm_map_copy_read(data, data_off, vm_page_to_virt(page), PAGE_SIZE);
	if (kr != KERN_SUCCESS) {
		vm_object_page_fail(page);
		return kr;
	}
	page->vm_flags = vm_page_prot_set(page->vm_flags & ~VM_PAGE_ABSENT, VM_PAGE_LOCK_SHIFT,
					  lock_value);
	if (precious)
		page->vm_flags |= VM_PAGE_DIRTY;	/* it goes back when dropped */
	vm_page_done_deferred(page, wk);
	vm_page_activate(page);
	return KERN_SUCCESS;
}

kern_return_t vm_object_data_supply(struct vm_object *object, vm_offset_t offset,
				    struct vm_map_copy *data, vm_prot_t lock_value,
				    bool precious)
{
	vm_size_t size = data ? data->size : 0, done;
	struct vm_pager_wakeups wk = { 0 };
	kern_return_t kr = KERN_SUCCESS;

	vm_object_lock(object);
	if (!vm_object_range_ok(object, offset, size)) {
		/* A pager that answers beside the question: fail what waits. */
		vm_object_fail_absent(object, 0, object->size);
		kr = KERN_INVALID_ARGUMENT;
	}
	for (done = 0; kr == KERN_SUCCESS && done < size; done += PAGE_SIZE)
		kr = vm_object_supply_page(object, offset + done, data, done, lock_value,
					   precious, &wk);
	vm_object_unlock(object);
	vm_pager_wakeups_run(&wk);
	vm_map_copy_discard(data);
	return kr;
}

kern_return_t vm_object_data_unavailable(struct vm_object *object, vm_offset_t offset,
					 vm_size_t size)
{
	struct vm_pager_wakeups wk = { 0 };
	struct vm_page *page;

	vm_object_lock(object);
	if (!vm_object_range_ok(object, offset, size)) {
		vm_object_fail_absent(object, 0, object->size);
		vm_object_unlock(object);
		return KERN_INVALID_ARGUMENT;
	}
	/* Absent pages were zero-filled when made: they just become present. */
	for (page = object->pages; page; page = page->listq_next)
		if ((page->vm_flags & VM_PAGE_ABSENT) && page->offset >= offset &&
		    page->offset - offset < size) {
			page->vm_flags &= ~VM_PAGE_ABSENT;
			vm_page_done_deferred(page, &wk);
			vm_page_activate(page);
		}
	vm_object_unlock(object);
	vm_pager_wakeups_run(&wk);
	return KERN_SUCCESS;
}

kern_return_t vm_object_data_error(struct vm_object *object, vm_offset_t offset,
				   vm_size_t size, kern_return_t error)
{
	struct vm_page *page;

	(void)error;	/* faults report KERN_MEMORY_ERROR whatever the pager says */
	vm_object_lock(object);
	vm_object_fail_absent(object, offset, size);
	/* The answer to a data_unlock: its faults fail, the page stays. */
	for (page = object->pages; page; page = page->listq_next)
		if (vm_page_unlock_request(page) && page->offset >= offset &&
		    page->offset - offset < size)
			vm_page_unlock_fail(page);
	vm_object_unlock(object);
	return KERN_SUCCESS;
}

/* Take from the page's mappings the access that lock_value adds to its lock. */
static void vm_page_lock_protect(struct vm_page *page, vm_prot_t lock_value,
				 struct pmap_flush_context *pfc)
{
	lock_value &= VM_PROT_ALL;
	/* No mapping gives write or execute without read: a read lock removes them. */
	if (lock_value & ~vm_page_lock_value(page))
		pmap_page_protect_options(vm_page_to_phys(page),
					  lock_value & VM_PROT_READ ? VM_PROT_NONE :
					  VM_PROT_ALL & ~lock_value, pfc);
}

/*
 * Give the page (object locked) the lock lock_value: the access it adds
 * is taken from the page's mappings; a data_unlock waiting is answered
 * (its faults look at the new lock: go on, or fail if it still forbids).
 */
static void vm_page_lock_set(struct vm_page *page, vm_prot_t lock_value)
{
	vm_page_lock_protect(page, lock_value, NULL);
	lock_value &= VM_PROT_ALL;
	page->vm_flags = vm_page_prot_set(page->vm_flags, VM_PAGE_LOCK_SHIFT, lock_value);
	page->vm_flags = vm_page_prot_set(page->vm_flags, VM_PAGE_UNLOCK_SHIFT, VM_PROT_NONE);
	vm_page_wakeup_done(page);
}

/*
 * lock_request's return and flush of a page of a default memory
 * manager's object (locked): whether the page must stay (not flushed, its
 * data not with the manager).
 */
static bool vm_object_lock_default(struct vm_object *object, struct vm_page *page,
				   int should_return, bool should_flush)
{
	bool flush = should_flush && !page->wire_count, sent;

	if (!flush && should_return == MEMORY_OBJECT_RETURN_NONE)
		return false;
	if (!flush && should_return != MEMORY_OBJECT_RETURN_ANYTHING &&
	    !vm_page_is_dirty(page))
		return false;
	return vm_object_default_pageout(object, page,
					 should_return == MEMORY_OBJECT_RETURN_ANYTHING,
					 &sent) != KERN_SUCCESS && flush;
}

/* Can the page (object locked) be given to lock_request's flush? */
static bool vm_object_lock_flushable(struct vm_page *page, vm_offset_t offset, vm_size_t size)
{
	return page->offset >= offset && page->offset - offset < size &&
	       !(page->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT | VM_PAGE_ERROR));
}

/*
 * Before a flush: a delayed copy of the object (locked) that has not seen
 * a page gets its contents now, since the pager may supply other data
 * for it after the flush. Called once every page to flush is unmapped
 * and the TLBs flushed (vm_object_lock_unmap(), one shootdown for all),
 * so that each push only copies. False when the copy's lock was held
 * elsewhere and the object had to be unlocked for it: faults may have
 * mapped pages again meanwhile, so unmap again and come back (each push
 * is made once). A page whose push fails for want of memory is kept by
 * the flush (vm_object_lock_request()).
 */
static bool vm_object_lock_push(struct vm_object *object, vm_offset_t offset, vm_size_t size)
{
	struct vm_page *page;

	for (page = object->pages; page && object->copy; page = page->listq_next)
		if (vm_object_lock_flushable(page, offset, size) &&
		    vm_object_copy_push(object, page, true) == VM_OBJECT_COPY_BUSY) {
			vm_object_unlock(object);
			vm_object_copy_pause();
			vm_object_lock(object);
			return false;
		}
	return true;
}

/*
 * Phase 1 of a flush, or of a lock set without one (object locked): every
 * mapping of the pages to flush goes (or loses what the lock forbids),
 * one TLB shootdown for them all (pmap_flush()) instead of one per page,
 * which, with another thread of the address space running on another
 * CPU, cost a synchronous IPI round each (4,096 pages: minutes on a
 * loaded host).
 */
static void vm_object_lock_unmap(struct vm_object *object, vm_offset_t offset,
				 vm_size_t size, bool should_flush, vm_prot_t lock_value)
{
	struct pmap_flush_context pfc = PMAP_FLUSH_CONTEXT_INIT;
	struct vm_page *page;

	for (page = object->pages; page; page = page->listq_next) {
		if (!vm_object_lock_flushable(page, offset, size))
			continue;
		if (should_flush)
			pmap_page_protect_options(vm_page_to_phys(page), VM_PROT_NONE, &pfc);
		else
			vm_page_lock_protect(page, lock_value, &pfc);
	}
	pmap_flush(&pfc);
}

kern_return_t vm_object_lock_request(struct vm_object *object, vm_offset_t offset,
				     vm_size_t size, int should_return, bool should_flush,
				     vm_prot_t lock_value, struct ipc_port *reply_to)
{
	struct vm_page *page, *next;

	vm_object_lock(object);
	/*
	 * A flush (or a lock) in three phases: unmap every page, or lower
	 * its mappings to the lock (recording the TLB flush), flush the TLBs
	 * once (vm_object_lock_unmap()), then take each page's modified
	 * bit, return and free it or set its lock (the loop below). Until
	 * the flush a CPU may still write a page through a stale entry, so
	 * nothing reads, returns or frees one before it; a delayed copy's
	 * pushes (copies of the pages) come between the flush and the loop.
	 * The loop's own pmap_page_protect() then finds nothing to change
	 * (the object stays locked: no fault maps a page again) and costs no
	 * shootdown; it stays as the guard should a mapping come back.
	 */
	do {
		if (should_flush || lock_value != VM_PROT_NO_CHANGE)
			vm_object_lock_unmap(object, offset, size, should_flush, lock_value);
	} while (should_flush && object->copy && !vm_object_lock_push(object, offset, size));
	for (page = object->pages; page; page = next) {
		bool keep = false, unpushed;

		next = page->listq_next;
		if (!vm_object_lock_flushable(page, offset, size))
			continue;
		/* Pushed above: only one whose push failed is still missing from the copy. */
		unpushed = should_flush && unlikely(object->copy) &&
			   vm_object_copy_push(object, page, true) != KERN_SUCCESS;
		if (should_flush)
			pmap_page_protect(vm_page_to_phys(page), VM_PROT_NONE);
		if (object->internal) {
			/*
			 * A default memory manager's object: a page flushed
			 * goes back unless the manager has it, whatever
			 * should_return says (nothing else holds its data);
			 * one it could not be given stays.
			 */
			keep = vm_object_lock_default(object, page, should_return, should_flush);
		} else if (should_return != MEMORY_OBJECT_RETURN_NONE &&
			   (vm_page_is_dirty(page) ||
			    should_return == MEMORY_OBJECT_RETURN_ANYTHING)) {
			vm_object_pager_return(object, page);
		}
		if (should_flush && !page->wire_count && !keep && !unpushed)
			vm_page_free_object(page);
		else if (lock_value != VM_PROT_NO_CHANGE)
			vm_page_lock_set(page, lock_value);
	}
	vm_object_unlock(object);
	if (IP_VALID(reply_to))
		memory_object_lock_completed(reply_to, object->pager_control, offset, size);
	return KERN_SUCCESS;
}

/*
 * Lock write on the resident pages of [offset, end) of object (locked)
 * that do not lock it yet, one TLB shootdown for them all: the next
 * write of each sends data_unlock, so that the pager sees it.
 */
static void vm_object_call_lock_range(struct vm_object *object, vm_offset_t offset,
				      vm_offset_t end)
{
	struct pmap_flush_context pfc = PMAP_FLUSH_CONTEXT_INIT;
	struct vm_page *page;
	vm_prot_t lock;

	for (page = object->pages; page; page = page->listq_next) {
		lock = vm_page_lock_value(page);
		if (page->offset < offset || page->offset >= end || (lock & VM_PROT_WRITE))
			continue;
		vm_page_lock_protect(page, lock | VM_PROT_WRITE, &pfc);
		page->vm_flags = vm_page_prot_set(page->vm_flags, VM_PAGE_LOCK_SHIFT,
						  lock | VM_PROT_WRITE);
	}
	pmap_flush(&pfc);
}

struct vm_object *vm_object_copy_call(struct vm_object *object, vm_offset_t offset,
				      vm_size_t size)
{
	struct vm_object *copy;
	ipc_port_t port, send;
	kern_return_t kr;

	if (!object->pager || object->pager_dead)
		return NULL;
	port = ipc_port_create();
	if (!port)
		return NULL;
	send = ipc_port_make_send(port);
	/* The receive right moves to the pager; a failed send destroys it. */
	kr = memory_object_copy(object->pager, object->pager_control, offset, size, port);
	if (kr == MACH_SEND_NO_BUFFER || kr == MACH_SEND_MSG_TOO_SMALL)
		ipc_port_release_receive(port);		/* never copied in: still ours */
	if (kr != KERN_SUCCESS) {
		ipc_port_release_send(send);
		return NULL;
	}
	/*
	 * As Mach's vm_object_copy_call(): after the message, every resident
	 * page of the range locks write (the pager lifts it with
	 * lock_request when data_unlock asks), so that a write to the source
	 * reaches the pager before it changes what the copy should show.
	 */
	vm_object_lock(object);
	vm_object_call_lock_range(object, offset, offset + size);
	vm_object_unlock(object);
	/* The copy's data comes from the pager (data_request on the new port). */
	copy = vm_object_enter(send, size);
	ipc_port_release_send(send);
	return copy;
}

kern_return_t vm_object_set_attributes(struct vm_object *object, bool ready,
				       bool may_cache,
				       memory_object_copy_strategy_t strategy)
{
	(void)may_cache;	/* no object cache: an object dies with its last reference */
	vm_object_lock(object);
	object->pager_ready = ready;
	object->copy_strategy = strategy;
	vm_object_unlock(object);
	return KERN_SUCCESS;
}

kern_return_t vm_object_pager_destroy(struct vm_object *object, kern_return_t reason)
{
	(void)reason;
	vm_object_lock(object);
	object->pager_dead = true;
	vm_object_fail_absent(object, 0, object->size);
	vm_object_unlock(object);
	return KERN_SUCCESS;
}
