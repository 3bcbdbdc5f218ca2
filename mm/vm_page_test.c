// SPDX-License-Identifier: MIT
/*
 * Tests of the physical page allocator: single pages and runs of every
 * order, their alignment, exhaustion and recovery (every free run comes
 * back and coalesces to what was there before), and the counts against the
 * boot memory map.
 */
#include <kern/bootmem.h>
#include <kern/vm_page.h>
#include <ktest.h>

/* Each case starts with this CPU's page cache empty and this snapshot. */
static struct vm_page_stats vm_page_test_base;

/*
 * The cases count the allocator's own free pages: the pre-zeroed pool
 * (mm/vm_page_zero.c) is emptied and kept empty meanwhile.
 */
static int vm_page_test_suite_init(struct ktest_suite *suite)
{
	if (!vm_page_ready())
		return 1;
	vm_page_zeroed_pause(true);
	return 0;
}

static void vm_page_test_suite_exit(struct ktest_suite *suite)
{
	vm_page_zeroed_pause(false);
}

static int vm_page_test_init(struct ktest *t)
{
	vm_page_cache_drain();
	vm_page_get_stats(&vm_page_test_base);
	return 0;
}

/* Back to the snapshot: the same pages free, in runs of the same orders. */
static void vm_page_test_expect_baseline(struct ktest *t)
{
	struct vm_page_stats s;
	unsigned int o;

	vm_page_cache_drain();
	vm_page_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.allocated, vm_page_test_base.allocated);
	KTEST_EXPECT_EQ(t, s.free, vm_page_test_base.free);
	for (o = 0; o <= VM_PAGE_MAX_ORDER; o++)
		KTEST_EXPECT_EQ(t, s.free_runs[o], vm_page_test_base.free_runs[o]);
}

static void vm_page_test_single(struct ktest *t)
{
	struct vm_page_stats s;
	struct vm_page *p, *q;
	uint64_t *va;

	p = vm_page_alloc(0);
	KTEST_ASSERT_NOT_NULL(t, p);
	q = vm_page_alloc(0);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_PTR_NE(t, p, q);
	KTEST_EXPECT_EQ(t, (int)p->state, (int)VM_PAGE_ALLOCATED);
	KTEST_EXPECT_EQ(t, (unsigned int)p->order, 0u);
	KTEST_EXPECT_EQ(t, vm_page_to_phys(p) & (PAGE_SIZE - 1), 0ull);
	KTEST_EXPECT_PTR_EQ(t, vm_page_from_phys(vm_page_to_phys(p)), p);
	KTEST_EXPECT_PTR_EQ(t, vm_page_from_phys(vm_page_to_phys(p) + 123), p);
	KTEST_EXPECT_PTR_EQ(t, vm_page_from_virt(vm_page_to_virt(q)), q);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&boot_memmap, vm_page_to_phys(p)),
			(int)BOOT_MEM_USABLE);

	/* The page is real memory, through the direct map. */
	va = vm_page_to_virt(p);
	va[0] = 0x1122334455667788ull;
	va[PAGE_SIZE / 8 - 1] = ~va[0];
	KTEST_EXPECT_EQ(t, va[0] + va[PAGE_SIZE / 8 - 1], ~0ull);

	vm_page_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.allocated, vm_page_test_base.allocated + 2);
	KTEST_EXPECT_GE(t, s.high_water, s.allocated);
	vm_page_free(p, 0);
	vm_page_free(q, 0);
	vm_page_test_expect_baseline(t);
}

/* Every order: the run is aligned to its size and marked page by page. */
static void vm_page_test_alignment(struct ktest *t)
{
	unsigned int o;

	for (o = 0; o <= VM_PAGE_MAX_ORDER; o++) {
		struct vm_page *p = vm_page_alloc(o);
		unsigned long i, bad = 0;

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, vm_page_to_phys(p) & (VM_PAGE_ORDER_SIZE(o) - 1), 0ull);
		KTEST_EXPECT_EQ(t, (unsigned int)p->order, o);
		for (i = 0; i < (1UL << o); i++) {
			if (p[i].state != VM_PAGE_ALLOCATED ||
			    p[i].phys_addr != p->phys_addr + i * PAGE_SIZE ||
			    (i && p[i].order != VM_PAGE_ORDER_TAIL))
				bad++;
		}
		KTEST_EXPECT_EQ(t, bad, 0ul);
		vm_page_free(p, o);
	}
	vm_page_test_expect_baseline(t);
}

/* Several of the largest runs: distinct, disjoint, each fully usable. */
static void vm_page_test_high_order(struct ktest *t)
{
	enum { N = 4 };
	const vm_size_t size = VM_PAGE_ORDER_SIZE(VM_PAGE_MAX_ORDER);
	struct vm_page *run[N];
	unsigned int i, j;

	for (i = 0; i < N; i++) {
		uint8_t *va;

		run[i] = vm_page_alloc(VM_PAGE_MAX_ORDER);
		KTEST_ASSERT_NOT_NULL(t, run[i]);
		va = vm_page_to_virt(run[i]);
		va[0] = (uint8_t)i;
		va[size - 1] = (uint8_t)(0xf0 + i);
		for (j = 0; j < i; j++) {
			phys_addr_t a = vm_page_to_phys(run[i]), b = vm_page_to_phys(run[j]);

			KTEST_EXPECT_TRUE(t, a + size <= b || b + size <= a);
		}
	}
	for (i = 0; i < N; i++) {
		uint8_t *va = vm_page_to_virt(run[i]);

		KTEST_EXPECT_EQ(t, va[0], (uint8_t)i);
		KTEST_EXPECT_EQ(t, va[size - 1], (uint8_t)(0xf0 + i));
		vm_page_free(run[i], VM_PAGE_MAX_ORDER);
	}
	KTEST_EXPECT_NULL(t, vm_page_alloc(VM_PAGE_MAX_ORDER + 1));
	vm_page_test_expect_baseline(t);
}

/*
 * The runs taken while exhausting memory are chained through their own
 * first word, so that the test needs no memory of its own.
 */
struct vm_page_test_chain {
	struct vm_page_test_chain	*next;
	unsigned int			order;
};

static unsigned long vm_page_test_take(struct vm_page_test_chain **chain,
				       unsigned int order)
{
	unsigned long pages = 0;
	struct vm_page *p;

	while ((p = vm_page_alloc(order)) != NULL) {
		struct vm_page_test_chain *c = vm_page_to_virt(p);

		c->next = *chain;
		c->order = order;
		*chain = c;
		pages += 1UL << order;
	}
	return pages;
}

static unsigned long vm_page_test_give_back(struct vm_page_test_chain *chain)
{
	unsigned long pages = 0;

	while (chain) {
		struct vm_page_test_chain *next = chain->next;
		unsigned int order = chain->order;

		vm_page_free(vm_page_from_virt(chain), order);
		pages += 1UL << order;
		chain = next;
	}
	return pages;
}

/* What this CPU can get: the free pages not in other CPUs' caches. */
static unsigned long vm_page_test_reachable(void)
{
	return vm_page_test_base.free - vm_page_test_base.cached;
}

/* Take everything, largest runs first, until even one page fails. */
static void vm_page_test_exhaust_runs(struct ktest *t)
{
	struct vm_page_test_chain *chain = NULL;
	struct vm_page_stats s;
	unsigned long taken = 0;
	int o;

	for (o = VM_PAGE_MAX_ORDER; o >= 0; o--)
		taken += vm_page_test_take(&chain, (unsigned int)o);
	KTEST_EXPECT_EQ(t, taken, vm_page_test_reachable());

	vm_page_get_stats(&s);
	KTEST_EXPECT_NULL(t, vm_page_alloc(0));
	KTEST_EXPECT_NULL(t, vm_page_alloc(3));
	KTEST_EXPECT_EQ(t, s.free - s.cached, 0ul);
	KTEST_EXPECT_EQ(t, s.allocated, vm_page_test_base.allocated + taken);
	KTEST_EXPECT_GE(t, s.high_water, s.allocated);
	KTEST_EXPECT_GT(t, s.failures, vm_page_test_base.failures);

	KTEST_EXPECT_EQ(t, vm_page_test_give_back(chain), taken);
	vm_page_test_expect_baseline(t);
}

/*
 * Take everything one page at a time: the cache refills from split runs,
 * and giving the pages back must coalesce them into the same runs.
 */
static void vm_page_test_exhaust_single(struct ktest *t)
{
	struct vm_page_test_chain *chain = NULL;
	unsigned long taken;

	taken = vm_page_test_take(&chain, 0);
	KTEST_EXPECT_EQ(t, taken, vm_page_test_reachable());
	KTEST_EXPECT_NULL(t, vm_page_alloc(0));
	KTEST_EXPECT_EQ(t, vm_page_test_give_back(chain), taken);
	vm_page_test_expect_baseline(t);
}

/* The allocator manages exactly the usable memory of the boot map. */
static void vm_page_test_counts(struct ktest *t)
{
	phys_addr_t usable = bootmem_total(&boot_memmap, BOOT_MEM_USABLE);
	unsigned long expect = (unsigned long)(usable / PAGE_SIZE);
	struct vm_page_stats s;
	unsigned long runs = 0;
	unsigned int o;

	/* Page frame 0 is never handed out (vm_page_free_range()). */
	if (bootmem_type_at(&boot_memmap, 0) == BOOT_MEM_USABLE)
		expect--;
	vm_page_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.total, expect);
	KTEST_EXPECT_EQ(t, s.free + s.allocated, s.total);
	KTEST_EXPECT_GE(t, s.high_water, s.allocated);
	for (o = 0; o <= VM_PAGE_MAX_ORDER; o++)
		runs += s.free_runs[o] << o;
	KTEST_EXPECT_EQ(t, runs + s.cached, s.free);
}

/* Addresses the allocator has no page for. */
static void vm_page_test_from_phys(struct ktest *t)
{
	unsigned int i;

	KTEST_EXPECT_NULL(t, vm_page_from_phys(~0ull));
	KTEST_EXPECT_NULL(t, vm_page_from_phys(0));
	/* Every non-usable region inside the span has only reserved pages. */
	for (i = 0; i < boot_memmap.nr; i++) {
		const struct boot_mem_region *r = &boot_memmap.region[i];
		struct vm_page *p = vm_page_from_phys(r->base);

		if (r->type != BOOT_MEM_USABLE && p)
			KTEST_EXPECT_EQ(t, (int)p->state, (int)VM_PAGE_RESERVED);
	}
}

static struct ktest_case vm_page_test_cases[] = {
	KTEST_CASE(vm_page_test_single),
	KTEST_CASE(vm_page_test_alignment),
	KTEST_CASE(vm_page_test_high_order),
	KTEST_CASE(vm_page_test_exhaust_runs),
	KTEST_CASE(vm_page_test_exhaust_single),
	KTEST_CASE(vm_page_test_counts),
	KTEST_CASE(vm_page_test_from_phys),
	{}
};

static struct ktest_suite vm_page_test_suite = {
	.name = "vm_page",
	.suite_init = vm_page_test_suite_init,
	.suite_exit = vm_page_test_suite_exit,
	.init = vm_page_test_init,
	.test_cases = vm_page_test_cases,
};
KTEST_SUITE(vm_page_test_suite);
