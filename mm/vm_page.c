// SPDX-License-Identifier: MIT
/*
 * The physical page allocator (see <kern/vm_page.h>).
 *
 * A buddy allocator over one array of struct vm_page that covers every page
 * from the lowest to the highest usable address; holes and memory the
 * kernel already uses stay VM_PAGE_RESERVED and never join a free list. A
 * free run of order k starts at a page frame number that is a multiple of
 * 2^k; its buddy is the run at pfn ^ 2^k, and two free buddies of one order
 * merge into a run of the next.
 *
 * Single pages go through a small cache per CPU first, taken and refilled
 * with interrupts disabled but without the allocator's lock: the common
 * vm_page_alloc(0) / vm_page_free(p, 0) pair is a pop and a push.
 *
 * Locking: vm_page_lock (irqsave) guards the free lists and the state of
 * every page that is not in a CPU cache or handed out. A CPU cache belongs
 * to its CPU and is only touched with interrupts disabled on that CPU.
 */
#include <kern/bootmem.h>
#include <kern/cpu.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/vm_page.h>

#define VM_PAGE_CACHE_SIZE	32	/* single pages per CPU, at most */
#define VM_PAGE_CACHE_BATCH	16	/* moved to or from the buddy lists at once */
#define VM_PAGE_CACHE_BATCH_ORDER 4	/* the batch as one run */

BUILD_BUG_ON(sizeof(struct vm_page) != 112);

struct vm_page_free_list {
	struct vm_page	*head;
	unsigned long	count;
};

struct vm_page_cache {
	unsigned int	count;
	struct vm_page	*pages[VM_PAGE_CACHE_SIZE];
} __aligned(64);

static spinlock_t vm_page_lock = SPINLOCK_INIT;
static struct vm_page_free_list vm_page_free_lists[VM_PAGE_NR_ORDERS];

/*
 * Indexed by CPU number rather than a per-CPU variable: a secondary CPU's
 * per-CPU section starts as a copy of the boot CPU's, which must not hand
 * it the boot CPU's cached pages.
 */
static struct vm_page_cache vm_page_caches[MAX_CPUS];

/* The page array: pfn vm_page_base_pfn + i is vm_page_array[i]. */
struct vm_page *vm_page_array;
unsigned long vm_page_base_pfn;
unsigned long vm_page_nr;

static unsigned long vm_page_total;		/* managed pages */
static unsigned long vm_page_allocated;		/* atomic */
static unsigned long vm_page_high_water;	/* atomic */
static unsigned long vm_page_failures;		/* atomic */
static bool vm_page_bootstrapped;

bool vm_page_ready(void)
{
	return READ_ONCE(vm_page_bootstrapped);
}

static unsigned long vm_page_pfn(const struct vm_page *page)
{
	return (unsigned long)(page->phys_addr >> PAGE_SHIFT);
}

/* ------------------------------------------------------------------------
 * The buddy lists (vm_page_lock held)
 */

static void vm_page_list_push(unsigned int order, struct vm_page *page)
{
	struct vm_page_free_list *fl = &vm_page_free_lists[order];

	page->prev = NULL;
	page->next = fl->head;
	if (fl->head)
		fl->head->prev = page;
	fl->head = page;
	fl->count++;
}

static void vm_page_list_remove(unsigned int order, struct vm_page *page)
{
	struct vm_page_free_list *fl = &vm_page_free_lists[order];

	if (page->prev)
		page->prev->next = page->next;
	else
		fl->head = page->next;
	if (page->next)
		page->next->prev = page->prev;
	page->next = page->prev = NULL;
	fl->count--;
}

/* Mark every page of a run: the first gets the order, the others _TAIL. */
static void vm_page_run_mark(struct vm_page *page, unsigned int order,
			     enum vm_page_state state)
{
	unsigned long i, n = 1UL << order;

	page->state = state;
	page->order = order;
	for (i = 1; i < n; i++) {
		page[i].state = state;
		page[i].order = VM_PAGE_ORDER_TAIL;
	}
}

/* Take a free run of exactly `order`, splitting a larger one if needed. */
static struct vm_page *vm_page_buddy_take(unsigned int order)
{
	struct vm_page *page;
	unsigned int o;

	for (o = order; o <= VM_PAGE_MAX_ORDER; o++)
		if (vm_page_free_lists[o].head)
			break;
	if (o > VM_PAGE_MAX_ORDER)
		return NULL;

	page = vm_page_free_lists[o].head;
	vm_page_list_remove(o, page);
	/* Give the upper halves back, one order at a time. */
	while (o > order) {
		struct vm_page *upper;

		o--;
		upper = page + (1UL << o);
		upper->order = o;
		vm_page_list_push(o, upper);
	}
	page->order = order;
	return page;
}

/* The free buddy of a run of `order` starting at page, or NULL. */
static struct vm_page *vm_page_buddy_of(struct vm_page *page, unsigned int order)
{
	unsigned long i = (vm_page_pfn(page) ^ (1UL << order)) - vm_page_base_pfn;
	struct vm_page *buddy;

	if (i >= vm_page_nr)
		return NULL;
	buddy = &vm_page_array[i];
	if (buddy->state != VM_PAGE_FREE || buddy->order != order)
		return NULL;
	return buddy;
}

/* Put a run back, merging it with its free buddies. */
static void vm_page_buddy_put(struct vm_page *page, unsigned int order)
{
	vm_page_run_mark(page, order, VM_PAGE_FREE);
	while (order < VM_PAGE_MAX_ORDER) {
		struct vm_page *buddy = vm_page_buddy_of(page, order);

		if (!buddy)
			break;
		vm_page_list_remove(order, buddy);
		/* The higher of the two becomes part of the merged run. */
		if (buddy < page) {
			page->order = VM_PAGE_ORDER_TAIL;
			page = buddy;
		} else {
			buddy->order = VM_PAGE_ORDER_TAIL;
		}
		order++;
		page->order = order;
	}
	vm_page_list_push(order, page);
}

/* ------------------------------------------------------------------------
 * Counters
 */

static void vm_page_count_alloc(unsigned long n)
{
	unsigned long now = __atomic_add_fetch(&vm_page_allocated, n, __ATOMIC_RELAXED);
	unsigned long hw = __atomic_load_n(&vm_page_high_water, __ATOMIC_RELAXED);

	while (unlikely(now > hw) &&
	       !__atomic_compare_exchange_n(&vm_page_high_water, &hw, now, true,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static void vm_page_count_free(unsigned long n)
{
	__atomic_sub_fetch(&vm_page_allocated, n, __ATOMIC_RELAXED);
}

static struct vm_page *vm_page_fail(void)
{
	__atomic_add_fetch(&vm_page_failures, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* ------------------------------------------------------------------------
 * The per-CPU cache of single pages (interrupts disabled)
 */

static struct vm_page_cache *vm_page_cache_this(void)
{
	return &vm_page_caches[cpu_number()];
}

/*
 * Fill the cache up to a batch, in runs: the smallest free run each time
 * (down to what fits the room left, split from a larger one if none is
 * free), taken whole. A fault that allocates page after page then pays a
 * few list operations per batch instead of one per page.
 */
static void vm_page_cache_refill(struct vm_page_cache *c)
{
	unsigned long flags = spin_lock_irqsave(&vm_page_lock);

	while (c->count < VM_PAGE_CACHE_BATCH) {
		unsigned int room = VM_PAGE_CACHE_BATCH - c->count, o = 0, i;
		struct vm_page *run;

		while (o < VM_PAGE_CACHE_BATCH_ORDER && !vm_page_free_lists[o].head)
			o++;
		while ((1U << o) > room)
			o--;
		run = vm_page_buddy_take(o);
		if (!run)
			break;
		/* Pushed from the top down: they go out in address order. */
		for (i = 1U << o; i-- > 0;) {
			run[i].state = VM_PAGE_CACHED;
			run[i].order = 0;
			c->pages[c->count++] = &run[i];
		}
	}
	spin_unlock_irqrestore(&vm_page_lock, flags);
}

/* Give back all but `keep` pages of the cache. */
static void vm_page_cache_trim(struct vm_page_cache *c, unsigned int keep)
{
	unsigned long flags = spin_lock_irqsave(&vm_page_lock);

	while (c->count > keep)
		vm_page_buddy_put(c->pages[--c->count], 0);
	spin_unlock_irqrestore(&vm_page_lock, flags);
}

void vm_page_cache_drain(void)
{
	unsigned long flags = arch_irq_save();

	vm_page_cache_trim(vm_page_cache_this(), 0);
	arch_irq_restore(flags);
}

static struct vm_page *vm_page_alloc_single(void)
{
	unsigned long flags = arch_irq_save();
	struct vm_page_cache *c = vm_page_cache_this();
	struct vm_page *page = NULL;

	if (unlikely(c->count == 0))
		vm_page_cache_refill(c);
	if (likely(c->count)) {
		page = c->pages[--c->count];
		page->state = VM_PAGE_ALLOCATED;
	}
	arch_irq_restore(flags);
	if (unlikely(!page))
		return vm_page_fail();
	vm_page_count_alloc(1);
	return page;
}

static void vm_page_free_single(struct vm_page *page)
{
	unsigned long flags = arch_irq_save();
	struct vm_page_cache *c = vm_page_cache_this();

	if (unlikely(c->count == VM_PAGE_CACHE_SIZE))
		vm_page_cache_trim(c, VM_PAGE_CACHE_SIZE - VM_PAGE_CACHE_BATCH);
	page->state = VM_PAGE_CACHED;
	c->pages[c->count++] = page;
	arch_irq_restore(flags);
	vm_page_count_free(1);
}

/* ------------------------------------------------------------------------
 * Allocation and release
 */

struct vm_page *vm_page_alloc(unsigned int order)
{
	struct vm_page *page;
	unsigned long flags;

	if (likely(order == 0))
		return vm_page_alloc_single();
	if (order > VM_PAGE_MAX_ORDER)
		return vm_page_fail();

	flags = spin_lock_irqsave(&vm_page_lock);
	page = vm_page_buddy_take(order);
	if (page)
		vm_page_run_mark(page, order, VM_PAGE_ALLOCATED);
	spin_unlock_irqrestore(&vm_page_lock, flags);
	if (!page)
		return vm_page_fail();
	vm_page_count_alloc(1UL << order);
	return page;
}

static bool vm_page_in_array(const struct vm_page *page)
{
	uintptr_t off = (uintptr_t)page - (uintptr_t)vm_page_array;

	return vm_page_array && (uintptr_t)page >= (uintptr_t)vm_page_array &&
	       off / sizeof(*page) < vm_page_nr && off % sizeof(*page) == 0;
}

/* The checks of vm_page_free(): each mistake is a panic that says which. */
static void vm_page_free_check(const struct vm_page *page, unsigned int order)
{
	unsigned long long pa;

	if (unlikely(!vm_page_in_array(page)))
		panic("vm_page_free: %p is not a page of the page allocator", page);
	pa = (unsigned long long)page->phys_addr;
	switch (page->state) {
	case VM_PAGE_ALLOCATED:
		break;
	case VM_PAGE_FREE:
	case VM_PAGE_CACHED:
		panic("vm_page_free: double free of the page at 0x%llx (order %u)",
		      pa, order);
	default:
		panic("vm_page_free: the page at 0x%llx is reserved, not from vm_page_alloc",
		      pa);
	}
	if (unlikely(page->order == VM_PAGE_ORDER_TAIL))
		panic("vm_page_free: the page at 0x%llx is inside an allocated run, not its first page",
		      pa);
	if (unlikely(page->order != order))
		panic("vm_page_free: the run at 0x%llx was allocated with order %u, freed with order %u",
		      pa, page->order, order);
}

void vm_page_free(struct vm_page *page, unsigned int order)
{
	unsigned long flags;

	vm_page_free_check(page, order);
	if (likely(order == 0)) {
		vm_page_free_single(page);
		return;
	}
	flags = spin_lock_irqsave(&vm_page_lock);
	vm_page_buddy_put(page, order);
	spin_unlock_irqrestore(&vm_page_lock, flags);
	vm_page_count_free(1UL << order);
}

/* ------------------------------------------------------------------------
 * Statistics
 */

unsigned long vm_page_free_count(void)
{
	return vm_page_total - __atomic_load_n(&vm_page_allocated, __ATOMIC_RELAXED) +
	       vm_page_zeroed_count();
}

void vm_page_get_stats(struct vm_page_stats *s)
{
	unsigned long flags, pages = 0, zeroed;
	unsigned int o, cpu;

	memset(s, 0, sizeof(*s));
	flags = spin_lock_irqsave(&vm_page_lock);
	for (o = 0; o <= VM_PAGE_MAX_ORDER; o++) {
		s->free_runs[o] = vm_page_free_lists[o].count;
		pages += vm_page_free_lists[o].count << o;
	}
	spin_unlock_irqrestore(&vm_page_lock, flags);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		s->cached += READ_ONCE(vm_page_caches[cpu].count);
	s->total = vm_page_total;
	/* The pre-zeroed pool is free memory (mm/vm_page_zero.c). */
	zeroed = vm_page_zeroed_lock_count(&flags);
	s->allocated = __atomic_load_n(&vm_page_allocated, __ATOMIC_RELAXED) - zeroed;
	vm_page_zeroed_unlock(flags);
	s->free = pages + s->cached + zeroed;
	s->high_water = __atomic_load_n(&vm_page_high_water, __ATOMIC_RELAXED);
	s->failures = __atomic_load_n(&vm_page_failures, __ATOMIC_RELAXED);
}

void vm_page_print_stats(void)
{
	struct vm_page_stats s;
	unsigned int o;

	vm_page_get_stats(&s);
	pr_info("vm_page: %lu pages (%lu KiB): %lu free (%lu in CPU caches), %lu allocated, high water %lu, %lu failed allocations\n",
		s.total, s.total * (PAGE_SIZE / 1024), s.free, s.cached,
		s.allocated, s.high_water, s.failures);
	pr_info("vm_page: free runs by order:");
	for (o = 0; o <= VM_PAGE_MAX_ORDER; o++)
		pr_cont(" %u:%lu", o, s.free_runs[o]);
	pr_cont("\n");
}

/* ------------------------------------------------------------------------
 * Bootstrap
 */

/* The pfn range [*lo, *hi) that the usable regions span; false if none. */
static bool vm_page_usable_span(unsigned long *lo, unsigned long *hi)
{
	unsigned int i;

	*lo = ~0UL;
	*hi = 0;
	for (i = 0; i < boot_memmap.nr; i++) {
		const struct boot_mem_region *r = &boot_memmap.region[i];

		if (r->type != BOOT_MEM_USABLE)
			continue;
		*lo = MIN(*lo, (unsigned long)(r->base >> PAGE_SHIFT));
		*hi = MAX(*hi, (unsigned long)((r->base + r->size) >> PAGE_SHIFT));
	}
	return *lo < *hi;
}

/* Free [pfn, end) into the buddy lists in the largest aligned runs. */
static unsigned long vm_page_free_range(unsigned long pfn, unsigned long end)
{
	unsigned long n = 0;

	/*
	 * Page frame 0 stays reserved: physical address 0 reads as "none"
	 * in too many places, and PC firmware writes to it.
	 */
	if (pfn == 0)
		pfn = 1;
	while (pfn < end) {
		unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : VM_PAGE_MAX_ORDER;

		order = MIN(order, VM_PAGE_MAX_ORDER);
		while ((1UL << order) > end - pfn)
			order--;
		vm_page_buddy_put(&vm_page_array[pfn - vm_page_base_pfn], order);
		pfn += 1UL << order;
		n += 1UL << order;
	}
	return n;
}

void vm_page_bootstrap(void)
{
	unsigned long lo, hi, i, flags;
	phys_addr_t pa, size;

	if (!boot_memmap.finalized || !vm_page_usable_span(&lo, &hi))
		panic("vm_page: no usable memory in the boot memory map");

	/* The page array comes from the last bootmem_alloc() ever made. */
	size = ALIGN_UP((phys_addr_t)(hi - lo) * sizeof(struct vm_page), PAGE_SIZE);
	if (bootmem_alloc(&boot_memmap, size, PAGE_SIZE, &pa) != KERN_SUCCESS)
		panic("vm_page: no memory for the page array (%llu KiB)",
		      (unsigned long long)size / 1024);
	vm_page_array = phys_to_virt(pa);
	vm_page_base_pfn = lo;
	vm_page_nr = hi - lo;
	memset(vm_page_array, 0, size);		/* every page VM_PAGE_RESERVED */
	for (i = 0; i < vm_page_nr; i++)
		vm_page_array[i].phys_addr = (phys_addr_t)(lo + i) << PAGE_SHIFT;

	flags = spin_lock_irqsave(&vm_page_lock);
	for (i = 0; i < boot_memmap.nr; i++) {
		const struct boot_mem_region *r = &boot_memmap.region[i];

		if (r->type == BOOT_MEM_USABLE)
			vm_page_total += vm_page_free_range(r->base >> PAGE_SHIFT,
							    (r->base + r->size) >> PAGE_SHIFT);
	}
	spin_unlock_irqrestore(&vm_page_lock, flags);
	WRITE_ONCE(vm_page_bootstrapped, true);

	pr_info("vm_page: page array of %lu pages at 0x%llx (%llu KiB), pfn %#lx-%#lx\n",
		vm_page_nr, (unsigned long long)pa, (unsigned long long)size / 1024,
		lo, hi - 1);
	vm_page_print_stats();
}
