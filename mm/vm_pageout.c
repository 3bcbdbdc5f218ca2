// SPDX-License-Identifier: MIT
/*
 * The pageout daemon (<kern/vm_pageout.h>, Documentation/mm/vm.rst,
 * "Pageout").
 *
 * A kernel thread that sleeps while vm_page_free_count() is at or above
 * vm_page_free_target, and otherwise scans the paging queues with a second
 * chance (the clock algorithm on two lists):
 *
 *	active, referenced	clear the bit, stay active (to the tail)
 *	active, not referenced	to the inactive queue
 *	inactive, referenced	clear the bit, back to active
 *	inactive, not referenced clean (pager or default pager) and free
 *
 * keeping the inactive queue at a third of the pageable pages. Busy,
 * absent and wired pages and pages of objects being terminated are left
 * alone, and so are objects whose lock someone holds (mutex_try): a fault
 * waiting for memory never holds an object lock.
 *
 * VM allocations stop at vm_page_free_min (vm_page_alloc_allowed()); the
 * pages below it are for the kernel's wired allocations (which fail only
 * when memory is really gone) and for the daemon itself. A fault that
 * gets no page waits in vm_page_wait(), which returns once the daemon has
 * finished a pass, and tries again; when a pass frees nothing and memory
 * is still short, the wait says so and the fault fails.
 */
#include <kern/cmdline.h>
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/vm_pageout.h>

unsigned long vm_page_free_target;
unsigned long vm_page_free_min;

static struct thread *vm_pageout_thread;
static unsigned long vm_pageout_event;		/* the daemon sleeps here */
static unsigned long vm_page_free_event;	/* vm_page_wait() sleeps here */
/*
 * The daemon sleeps here a tick when managers have enough in flight: not
 * on vm_pageout_event, which every vm_page_wait() wakes. A fault retrying
 * would have it scan the pages it cannot send again and again, at its
 * priority, and the manager that would take them never run.
 */
static unsigned long vm_pageout_throttle_event;
static unsigned long vm_pageout_passes;		/* finished passes */
static bool vm_pageout_stuck;			/* the last pass could do nothing */
static bool vm_pageout_active;			/* the daemon is scanning */

static spinlock_t vm_pageout_stats_lock = SPINLOCK_INIT;
static struct vm_pageout_stats vm_pageout_counts;	/* stats lock */

/* Pages examined per pass at most: a pass ends sooner when enough are free. */
#define VM_PAGEOUT_PASS_MAX	4096
/* Pages for managers with enough in flight a pass looks at, at most. */
#define VM_PAGEOUT_THROTTLED_MAX	64
/* Pages the queue grab looks at for one whose object is not locked. */
#define VM_PAGEOUT_GRAB_TRIES	16
/* How long the daemon sleeps when every page it looks at is locked. */
#define VM_PAGEOUT_RETRY_NS	(10ULL * 1000 * 1000)
/*
 * Safety nets: how long vm_page_wait() sleeps before it looks again, and
 * the idle daemon before it looks at the free count by itself.
 */
#define VM_PAGE_WAIT_NS		(50ULL * 1000 * 1000)
#define VM_PAGEOUT_IDLE_NS	(1000ULL * 1000 * 1000)

static void vm_pageout_count(unsigned long *counter)
{
	spin_lock(&vm_pageout_stats_lock);
	(*counter)++;
	spin_unlock(&vm_pageout_stats_lock);
}

void vm_pageout_get_stats(struct vm_pageout_stats *s)
{
	spin_lock(&vm_pageout_stats_lock);
	*s = vm_pageout_counts;
	spin_unlock(&vm_pageout_stats_lock);
	s->free_target = vm_page_free_target;
	s->free_min = vm_page_free_min;
}

bool vm_page_alloc_allowed(void)
{
	unsigned long free = vm_page_free_count();

	if (free > vm_page_free_target || !vm_pageout_thread)
		return true;
	if (!READ_ONCE(vm_pageout_active))
		thread_wakeup(&vm_pageout_event);
	return free > vm_page_free_min || current_thread() == vm_pageout_thread;
}

bool vm_page_wait(void)
{
	unsigned long pass = READ_ONCE(vm_pageout_passes);

	vm_pageout_count(&vm_pageout_counts.waits);
	if (!vm_pageout_thread)
		return false;
	for (;;) {
		bool done;

		/*
		 * The daemon wakes this event at the end of every pass and
		 * whenever it goes back to sleep: wait first, then look, so
		 * that no wakeup is lost. A daemon that is running is left
		 * alone: one whose pass found every page locked sleeps a tick
		 * before it looks again, and woken at once by each waiter
		 * it would make passes as fast as they wake, and the waiters
		 * use up their retries in no time (VM_FAULT_MAX_WAITS).
		 */
		assert_wait_timeout(&vm_page_free_event, THREAD_UNINT, VM_PAGE_WAIT_NS);
		done = vm_page_free_count() > vm_page_free_min ||
		       READ_ONCE(vm_pageout_passes) != pass;
		if (done)
			thread_wakeup(&vm_page_free_event);
		else if (!READ_ONCE(vm_pageout_active))
			thread_wakeup(&vm_pageout_event);
		thread_block(NULL);
		if (done)
			break;
	}
	if (vm_page_free_count() > vm_page_free_min)
		return true;
	return !READ_ONCE(vm_pageout_stuck);
}

/* ------------------------------------------------------------------------
 * Cleaning and the second chance
 */

/*
 * Page (its translations gone) and the inactive, unreferenced pages that
 * follow it in its object, translations removed too: at most DP_CLUSTER,
 * for one swap write. A page referenced again is left to the scan.
 */
static unsigned int vm_pageout_cluster(struct vm_object *object, struct vm_page *page,
				       struct vm_page **pages)
{
	struct pmap_flush_context pfc = PMAP_FLUSH_CONTEXT_INIT;
	unsigned int n = 1;

	pages[0] = page;
	while (n < DP_CLUSTER) {
		struct vm_page *p = vm_page_lookup(object, page->offset + ((vm_offset_t)n << PAGE_SHIFT));
		phys_addr_t pa;

		if (!p || p->wire_count || !(p->vm_flags & VM_PAGE_INACTIVE) ||
		    (p->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT | VM_PAGE_ERROR)))
			break;
		pa = vm_page_to_phys(p);
		if (pmap_is_referenced(pa))
			break;
		pmap_page_protect_options(pa, VM_PROT_NONE, &pfc);
		pages[n++] = p;
	}
	/* One shootdown for the cluster, before any of it is read for the write. */
	pmap_flush(&pfc);
	return n;
}

/* Page and the cluster after it to swap; the ones after it that went are freed. */
static kern_return_t vm_pageout_internal(struct vm_object *object, struct vm_page *page)
{
	struct vm_page *pages[DP_CLUSTER];
	unsigned int n = vm_pageout_cluster(object, page, pages), done, i;
	kern_return_t kr;

	done = default_pager_pageout_run(object, pages, n, &kr);
	for (i = 1; i < done; i++) {
		vm_page_free_object(pages[i]);
		vm_pageout_count(&vm_pageout_counts.freed);
	}
	return done ? KERN_SUCCESS : kr;
}

kern_return_t vm_pageout_page(struct vm_page *page)
{
	struct vm_object *object = page->object;
	phys_addr_t pa = vm_page_to_phys(page);
	kern_return_t kr = KERN_SUCCESS;

	if (page->wire_count || !(page->vm_flags & VM_PAGE_TABLED) ||
	    (page->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT | VM_PAGE_ERROR)))
		return KERN_INVALID_ARGUMENT;
	/* Anonymous memory made since a default memory manager registered goes there. */
	if (!object->pager && object->internal)
		vm_object_default_pager_create(object);
	if (object->pager) {
		if (object->pager_dead)
			return KERN_INVALID_ARGUMENT;	/* its data could not go back */
	} else if (!object->internal) {
		return KERN_INVALID_ARGUMENT;
	} else if (!default_pager_ready()) {
		return KERN_RESOURCE_SHORTAGE;
	}
	/*
	 * No translation from here on: with the object locked, no fault can
	 * make one, so the page cannot change while it is written out. The
	 * modified bits of the translations removed stay with the page.
	 */
	pmap_page_protect(pa, VM_PROT_NONE);
	if (object->pager && object->internal) {
		bool sent;

		/* Unless the manager has this data already (clean), it goes. */
		kr = vm_object_default_pageout(object, page, false, &sent);
		if (sent)
			vm_pageout_count(&vm_pageout_counts.returned);
	} else if (object->pager) {
		if ((page->vm_flags & VM_PAGE_DIRTY) || pmap_is_modified(pa)) {
			kr = vm_object_pager_return(object, page);
			if (kr == KERN_SUCCESS)
				vm_pageout_count(&vm_pageout_counts.returned);
		}
	} else {
		/*
		 * Every page of an internal object is written: a clean one may
		 * still hold data nothing else has (an eager copy, a page read
		 * back from swap whose slot is gone).
		 */
		kr = vm_pageout_internal(object, page);
	}
	if (kr != KERN_SUCCESS) {
		vm_page_activate(page);
		return kr;
	}
	vm_page_free_object(page);
	vm_pageout_count(&vm_pageout_counts.freed);
	return KERN_SUCCESS;
}

enum vm_pageout_action vm_pageout_examine(struct vm_page *page)
{
	phys_addr_t pa = vm_page_to_phys(page);

	vm_pageout_count(&vm_pageout_counts.scanned);
	/* Laundry: a copy on its way to a manager, which frees it soon. */
	if (page->wire_count || page->object->terminating || page->object->laundry ||
	    (page->vm_flags & (VM_PAGE_BUSY | VM_PAGE_ABSENT | VM_PAGE_ERROR)))
		return VM_PAGEOUT_SKIPPED;
	if (page->vm_flags & VM_PAGE_ACTIVE) {
		if (pmap_is_referenced(pa)) {
			pmap_clear_reference(pa);
			return VM_PAGEOUT_KEPT;
		}
		vm_page_deactivate(page);
		vm_pageout_count(&vm_pageout_counts.deactivated);
		return VM_PAGEOUT_DEACTIVATED;
	}
	if (!(page->vm_flags & VM_PAGE_INACTIVE))
		return VM_PAGEOUT_SKIPPED;
	if (pmap_is_referenced(pa)) {
		pmap_clear_reference(pa);
		vm_page_activate(page);
		vm_pageout_count(&vm_pageout_counts.reactivated);
		return VM_PAGEOUT_REACTIVATED;
	}
	/* Managers have enough in flight: leave it inactive, wait for them. */
	if (vm_object_default_throttled(page->object))
		return VM_PAGEOUT_THROTTLED;
	return vm_pageout_page(page) == KERN_SUCCESS ? VM_PAGEOUT_FREED : VM_PAGEOUT_FAILED;
}

/*
 * One pass: examine pages until enough are free. How many pages moved
 * toward being freed (a reference bit cleared, a queue changed, freed):
 * 0 when nothing the daemon could do would free a page; *freed: how many
 * were freed.
 */
static unsigned long vm_pageout_scan(bool *contended, bool *throttled, unsigned long *freed)
{
	unsigned long progress = 0, throttled_pages = 0, n;

	*contended = false;
	*throttled = false;
	*freed = 0;
	for (n = 0; n < VM_PAGEOUT_PASS_MAX; n++) {
		struct vm_resident_stats s;
		struct vm_object *object;
		struct vm_page *page;
		bool inactive;

		if (vm_page_free_count() >= vm_page_free_target)
			break;
		vm_resident_get_stats(&s);
		if (!s.active && !s.inactive)
			break;
		/* Keep a third of the pageable pages on the inactive queue. */
		inactive = s.inactive && 3 * s.inactive >= s.active + s.inactive;
		page = vm_page_queue_grab(inactive, VM_PAGEOUT_GRAB_TRIES);
		if (!page && !inactive)
			page = vm_page_queue_grab(true, VM_PAGEOUT_GRAB_TRIES);
		if (!page) {
			/* Objects locked by faults (reading from swap): later. */
			*contended = true;
			break;
		}
		object = page->object;
		switch (vm_pageout_examine(page)) {
		case VM_PAGEOUT_SKIPPED:
		case VM_PAGEOUT_FAILED:
			break;
		case VM_PAGEOUT_THROTTLED:
			/*
			 * Not stuck: the managers free what they received.
			 * The pass ends after a few (the next one goes on
			 * further down the queue): a queue of them is not
			 * scanned whole again and again while we wait.
			 */
			*contended = true;
			if (++throttled_pages >= VM_PAGEOUT_THROTTLED_MAX)
				n = VM_PAGEOUT_PASS_MAX;
			*throttled = true;
			break;
		case VM_PAGEOUT_FREED:
			(*freed)++;
			progress++;
			break;
		default:
			progress++;
		}
		vm_object_unlock(object);
	}
	return progress;
}

static void vm_pageout_daemon(void *arg)
{
	(void)arg;
	for (;;) {
		/* A wakeup between the test and thread_block() is not lost. */
		assert_wait_timeout(&vm_pageout_event, THREAD_UNINT, VM_PAGEOUT_IDLE_NS);
		if (vm_page_free_count() < vm_page_free_target)
			thread_wakeup(&vm_pageout_event);
		thread_block(NULL);
		WRITE_ONCE(vm_pageout_active, true);
		/* Pre-zeroed pages count as free: the allocator needs them now. */
		if (vm_page_free_count() < vm_page_free_target)
			vm_page_zeroed_drain();
		while (vm_page_free_count() < vm_page_free_target) {
			unsigned long progress, freed;
			bool contended, throttled;

			vm_pageout_count(&vm_pageout_counts.wakeups);
			progress = vm_pageout_scan(&contended, &throttled, &freed);
			WRITE_ONCE(vm_pageout_stuck, !progress && !contended);
			WRITE_ONCE(vm_pageout_passes, vm_pageout_passes + 1);
			thread_wakeup(&vm_page_free_event);
			if (freed)
				continue;
			if (!progress && !contended) {
				/*
				 * Nothing to free: sleep until asked again,
				 * but not at once. Every allocation below
				 * the target asks, and a pass over pages
				 * nothing can free (wired, in flight to a
				 * manager) again and again would take the
				 * CPU from the threads that free them.
				 */
				assert_wait_timeout(&vm_pageout_throttle_event, THREAD_UNINT,
						    VM_PAGE_WAIT_NS);
				thread_block(NULL);
				break;
			}
			/*
			 * Every page looked at is locked (a fault reading from
			 * swap), or the pass only moved pages between the
			 * queues: sleep until the next vm_page_wait() or a
			 * tick. Never spin: the locker may be below us, and
			 * pages that cannot be cleaned (their pager refuses
			 * them: a manager that takes nothing, no swap) go
			 * back to the active queue only to be deactivated
			 * again, a pass after pass that frees nothing.
			 */
			assert_wait_timeout(throttled ? &vm_pageout_throttle_event : &vm_pageout_event,
					    THREAD_UNINT, VM_PAGEOUT_RETRY_NS);
			thread_block(NULL);
		}
		WRITE_ONCE(vm_pageout_active, false);
		thread_wakeup(&vm_page_free_event);
	}
}

/* "16M", "512K", "4096": bytes, then pages. */
static unsigned long vm_pageout_param(const char *key, unsigned long pages)
{
	const char *v = cmdline_get(key);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return pages;
	n = strtoul(v, &end, 0);
	if (*end == 'M' || *end == 'm')
		n <<= 20;
	else if (*end == 'K' || *end == 'k')
		n <<= 10;
	return n >> PAGE_SHIFT;
}

/*
 * free_min: 1/64 of memory (at least 64 pages), free_target: twice that;
 * vm.free_min= and vm.free_target= (bytes, K or M) override them.
 */
static kern_return_t vm_pageout_init(void)
{
	struct vm_page_stats s;

	vm_page_get_stats(&s);
	vm_page_free_min = vm_pageout_param("vm.free_min", MAX(s.total / 64, 64UL));
	vm_page_free_target = vm_pageout_param("vm.free_target", 2 * vm_page_free_min);
	if (vm_page_free_target <= vm_page_free_min)
		vm_page_free_target = vm_page_free_min + 1;
	/*
	 * Below the kernel threads that fault: a waker (often with an
	 * object locked) is not preempted, and the daemon runs while the
	 * faulting threads wait for it.
	 */
	vm_pageout_thread = kernel_thread_create(vm_pageout_daemon, NULL, BASEPRI_KERNEL - 1,
						 "vm_pageout");
	if (!vm_pageout_thread)
		panic("vm_pageout: no thread");
	pr_info("vm_pageout: free_min %lu KiB, free_target %lu KiB\n",
		vm_page_free_min << (PAGE_SHIFT - 10), vm_page_free_target << (PAGE_SHIFT - 10));
	return KERN_SUCCESS;
}
KERNEL_INIT(LATE, vm_pageout_init);
