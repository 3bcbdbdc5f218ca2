// SPDX-License-Identifier: MIT
/*
 * Pre-zeroed pages: order-0 pages zeroed ahead of need by the vm_zero
 * thread, which runs at the lowest priority above the idle threads (so
 * only on a CPU that would idle), and taken first by
 * vm_page_alloc_zeroed() (zero-fill faults, user page tables).
 *
 * The pool's pages are allocated from the page allocator but counted as
 * free: vm_page_free_count() and vm_page_get_stats() add them back
 * (vm_page_zeroed_count()). The thread fills the pool only while more
 * than vm_page_free_target plus the pool is free, and the pageout daemon
 * gives the pool back (vm_page_zeroed_drain()) before it looks for pages
 * to clean: under pressure every free page is the allocator's. So that the
 * statistics never see a page half way (allocated, not yet in the pool),
 * the thread allocates and counts a page under vm_page_zeroed_lock, which
 * vm_page_get_stats() takes too; the count includes the page being
 * zeroed, which only the thread can see.
 *
 * See Documentation/mm/vm.rst, "Pre-zeroed pages".
 */
#include <kern/init.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/spinlock.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <kern/vm_page.h>
#include <kern/vm_pageout.h>
#include <asm/string.h>

#define VM_PAGE_ZEROED_TARGET	256UL
#define VM_PAGE_ZEROED_LOW	(VM_PAGE_ZEROED_TARGET / 2)

static spinlock_t vm_page_zeroed_lock = SPINLOCK_INIT;
static struct vm_page *vm_page_zeroed_list;	/* linked by next */
static unsigned long vm_page_zeroed_pages;	/* the list + the one being zeroed */
static bool vm_page_zeroed_ready;		/* the thread runs */
static bool vm_page_zeroed_paused;		/* no refill (vm_page_zeroed_pause()) */
static int vm_page_zeroed_event;

unsigned long vm_page_zeroed_count(void)
{
	return READ_ONCE(vm_page_zeroed_pages);
}

unsigned long vm_page_zeroed_lock_count(unsigned long *flags)
{
	*flags = spin_lock_irqsave(&vm_page_zeroed_lock);
	return vm_page_zeroed_pages;
}

void vm_page_zeroed_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&vm_page_zeroed_lock, flags);
}

struct vm_page *vm_page_zeroed_take(void)
{
	struct vm_page *page;
	unsigned long flags;
	bool wake;

	if (!READ_ONCE(vm_page_zeroed_list))
		return NULL;
	flags = spin_lock_irqsave(&vm_page_zeroed_lock);
	page = vm_page_zeroed_list;
	if (page) {
		vm_page_zeroed_list = page->next;
		vm_page_zeroed_pages--;
		page->next = NULL;
	}
	wake = vm_page_zeroed_pages == VM_PAGE_ZEROED_LOW;	/* once per drain */
	spin_unlock_irqrestore(&vm_page_zeroed_lock, flags);
	if (wake && READ_ONCE(vm_page_zeroed_ready))
		thread_wakeup(&vm_page_zeroed_event);
	return page;
}

struct vm_page *vm_page_alloc_zeroed(void)
{
	struct vm_page *page = vm_page_zeroed_take();

	if (page)
		return page;
	page = vm_page_alloc(0);
	if (page)
		arch_zero_blocks(vm_page_to_virt(page), PAGE_SIZE);	/* arm64: DC ZVA */
	return page;
}

/* Room for one more: the pool below its target, free memory above the daemon's. */
static bool vm_page_zeroed_wanted(void)
{
	return !READ_ONCE(vm_page_zeroed_paused) &&
	       READ_ONCE(vm_page_zeroed_pages) < VM_PAGE_ZEROED_TARGET &&
	       vm_page_free_count() > vm_page_free_target + VM_PAGE_ZEROED_TARGET;
}

/* One page into the pool; false if none could be had. */
static bool vm_page_zeroed_fill_one(void)
{
	struct vm_page *page;
	unsigned long flags;

	flags = spin_lock_irqsave(&vm_page_zeroed_lock);
	page = vm_page_alloc(0);
	if (page)
		vm_page_zeroed_pages++;
	spin_unlock_irqrestore(&vm_page_zeroed_lock, flags);
	if (!page)
		return false;
	arch_zero_blocks(vm_page_to_virt(page), PAGE_SIZE);
	flags = spin_lock_irqsave(&vm_page_zeroed_lock);
	page->next = vm_page_zeroed_list;
	vm_page_zeroed_list = page;
	spin_unlock_irqrestore(&vm_page_zeroed_lock, flags);
	return true;
}

static void vm_page_zeroed_thread(void *arg)
{
	(void)arg;
	for (;;) {
		/* A wakeup between the test and thread_block() is not lost. */
		assert_wait(&vm_page_zeroed_event, THREAD_UNINT);
		if (vm_page_zeroed_wanted())
			thread_wakeup(&vm_page_zeroed_event);
		thread_block(NULL);
		while (vm_page_zeroed_wanted() && vm_page_zeroed_fill_one())
			;
	}
}

/* The pool's pages back to the allocator (the pageout daemon, under pressure). */
void vm_page_zeroed_drain(void)
{
	struct vm_page *page;

	while ((page = vm_page_zeroed_take()))
		vm_page_free(page, 0);
}

/*
 * Stop refilling and empty the pool, or start refilling again: for whoever
 * must see every free page in the allocator itself (the vm_page suite's
 * exhaustion and count checks). A page being zeroed as the pause begins is
 * waited for.
 */
void vm_page_zeroed_pause(bool pause)
{
	unsigned int i;

	WRITE_ONCE(vm_page_zeroed_paused, pause);
	if (!pause) {
		thread_wakeup(&vm_page_zeroed_event);
		return;
	}
	for (i = 0; i < 1000; i++) {
		vm_page_zeroed_drain();
		if (!READ_ONCE(vm_page_zeroed_pages))
			return;
		thread_delay(NSEC_PER_MSEC);
	}
	panic("vm_page_zeroed_pause: %lu pages stay in the pool",
	      READ_ONCE(vm_page_zeroed_pages));
}

/*
 * Sleep until the pool is full, or cannot fill (benchmarks: the CPU idles
 * meanwhile, so the vm_zero thread runs). Whether it is full.
 */
bool vm_page_zeroed_wait(void)
{
	unsigned int i;

	for (i = 0; i < 1000 && vm_page_zeroed_wanted(); i++) {
		thread_wakeup(&vm_page_zeroed_event);
		assert_wait_timeout(&vm_page_zeroed_pages, THREAD_UNINT, 1000000);
		thread_block(NULL);
	}
	return vm_page_zeroed_count() >= VM_PAGE_ZEROED_TARGET;
}

static struct thread *vm_page_zeroed_thread_ref;

static int vm_page_zeroed_init(void)
{
	struct thread *th;

	th = kernel_thread_create(vm_page_zeroed_thread, NULL, MINPRI + 1, "vm_zero");
	vm_page_zeroed_thread_ref = th;
	if (!th)
		panic("vm_page: no thread to zero pages");
	WRITE_ONCE(vm_page_zeroed_ready, true);
	return KERN_SUCCESS;
}
KERNEL_INIT(LATE, vm_page_zeroed_init);
