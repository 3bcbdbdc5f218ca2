// SPDX-License-Identifier: MIT
/*
 * Tests of kmem: wired memory is mapped read-write no-execute and
 * zero-filled, every allocation sits above an unmapped guard page (checked
 * with pmap_kernel_extract(), never by faulting), failures unwind, and the
 * counts of kmem and of the page allocator come back to where they were.
 */
#include <kern/kmem.h>
#include <kern/pmap.h>
#include <kern/vm_page.h>
#include <ktest.h>

static struct kmem_stats kmem_test_base;
static unsigned long kmem_test_base_pages;	/* vm_page's, less page tables */

static unsigned long kmem_test_allocated_pages(void)
{
	struct vm_page_stats s;

	vm_page_cache_drain();
	vm_page_get_stats(&s);
	return s.allocated - pmap_kernel_table_pages();
}

static int kmem_test_suite_init(struct ktest_suite *suite)
{
	return vm_page_ready() ? 0 : 1;
}

static int kmem_test_init(struct ktest *t)
{
	kmem_get_stats(&kmem_test_base);
	kmem_test_base_pages = kmem_test_allocated_pages();
	return 0;
}

/* kmem's counts, and the pages it took (page tables may come and go). */
static void kmem_test_exit(struct ktest *t)
{
	struct kmem_stats s;

	kmem_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.va_in_use, kmem_test_base.va_in_use);
	KTEST_EXPECT_EQ(t, s.wired_pages, kmem_test_base.wired_pages);
	KTEST_EXPECT_EQ(t, s.stacks, kmem_test_base.stacks);
	KTEST_EXPECT_EQ(t, kmem_test_allocated_pages(), kmem_test_base_pages);
}

static bool kmem_test_mapped(vm_offset_t va)
{
	return pmap_kernel_extract(va, NULL, NULL, NULL) == KERN_SUCCESS;
}

/* Each page of [va, va + size) mapped RW, NX, 4 KiB, to an allocated page. */
static void kmem_test_expect_mapped(struct ktest *t, vm_offset_t va, vm_size_t size)
{
	vm_offset_t p;

	for (p = va; p < va + size; p += PAGE_SIZE) {
		vm_size_t page_size = 0;
		vm_prot_t prot = 0;
		phys_addr_t pa = 0;
		struct vm_page *page;

		KTEST_ASSERT_EQ(t, pmap_kernel_extract(p, &pa, &prot, &page_size), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, prot, (vm_prot_t)(VM_PROT_READ | VM_PROT_WRITE));
		KTEST_EXPECT_EQ(t, page_size, (vm_size_t)PAGE_SIZE);
		page = vm_page_from_phys(pa);
		KTEST_ASSERT_NOT_NULL(t, page);
		KTEST_EXPECT_EQ(t, (int)page->state, (int)VM_PAGE_ALLOCATED);
	}
}

static void kmem_test_wired(struct ktest *t)
{
	const vm_size_t size = 3 * PAGE_SIZE + 100;
	const vm_size_t mapped = 4 * PAGE_SIZE;
	struct kmem_stats s;
	uint8_t *p;
	vm_size_t i, nonzero = 0;

	p = kmem_alloc_wired(size);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, kmem_address((vm_offset_t)p));
	KTEST_EXPECT_EQ(t, (vm_offset_t)p % PAGE_SIZE, (vm_offset_t)0);
	kmem_test_expect_mapped(t, (vm_offset_t)p, mapped);
	KTEST_EXPECT_FALSE(t, kmem_test_mapped((vm_offset_t)p - PAGE_SIZE));

	for (i = 0; i < mapped; i++)
		nonzero += p[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, (vm_size_t)0);
	memset(p, 0xee, mapped);

	kmem_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired_pages, kmem_test_base.wired_pages + 4);
	KTEST_EXPECT_EQ(t, s.va_in_use, kmem_test_base.va_in_use + mapped + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, kmem_test_allocated_pages() >= kmem_test_base_pages + 4, true);

	kmem_free(p, size);
	for (i = 0; i < mapped; i += PAGE_SIZE)
		KTEST_EXPECT_FALSE(t, kmem_test_mapped((vm_offset_t)p + i));

	/* Allocated again (likely the same pages): zero-filled again. */
	p = kmem_alloc_wired(size);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (i = 0, nonzero = 0; i < mapped; i++)
		nonzero += p[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, (vm_size_t)0);
	kmem_free(p, size);
}

static void kmem_test_stacks(struct ktest *t)
{
	enum { N = 4 };
	const vm_size_t size = 4 * PAGE_SIZE;
	unsigned long before = kmem_stacks_in_use();
	vm_offset_t base[N];
	struct kmem_stats s;
	unsigned int i, j;

	for (i = 0; i < N; i++) {
		KTEST_ASSERT_EQ(t, kmem_stack_alloc(size, &base[i]), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, base[i] % PAGE_SIZE, (vm_offset_t)0);
		/* The guard page below is unmapped, the stack mapped. */
		KTEST_EXPECT_FALSE(t, kmem_test_mapped(base[i] - PAGE_SIZE));
		kmem_test_expect_mapped(t, base[i], size);
		((volatile uint8_t *)base[i])[0] = 1;
		((volatile uint8_t *)base[i])[size - 1] = 2;
		/* Guards included, no two stacks overlap. */
		for (j = 0; j < i; j++)
			KTEST_EXPECT_TRUE(t, base[i] + size <= base[j] - PAGE_SIZE ||
					     base[j] + size <= base[i] - PAGE_SIZE);
	}
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), before + N);
	kmem_get_stats(&s);
	KTEST_EXPECT_GE(t, s.stacks_high_water, before + N);

	for (i = 0; i < N; i++) {
		KTEST_EXPECT_EQ(t, ((volatile uint8_t *)base[i])[size - 1], 2);
		kmem_stack_free(base[i], size);
		KTEST_EXPECT_FALSE(t, kmem_test_mapped(base[i]));
	}
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), before);
}

static void kmem_test_invalid(struct ktest *t)
{
	vm_offset_t base = 0;

	KTEST_EXPECT_NULL(t, kmem_alloc_wired(0));
	KTEST_EXPECT_EQ(t, kmem_stack_alloc(0, &base), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_FALSE(t, kmem_address(0));
	KTEST_EXPECT_FALSE(t, kmem_address((vm_offset_t)&base));
}

/* More than the VA window, then more than all of memory: clean failures. */
static void kmem_test_exhaustion(struct ktest *t)
{
	struct vm_page_stats ps;
	struct kmem_stats s;
	vm_size_t too_much;

	KTEST_EXPECT_NULL(t, kmem_alloc_wired(KVA_END - KVA_START));

	vm_page_get_stats(&ps);
	too_much = (ps.free + 64) * PAGE_SIZE;
	KTEST_EXPECT_NULL(t, kmem_alloc_wired(too_much));
	kmem_get_stats(&s);
	KTEST_EXPECT_GE(t, s.failures, kmem_test_base.failures + 2);

	/* And memory works again. */
	{
		void *p = kmem_alloc_wired(PAGE_SIZE);

		KTEST_EXPECT_NOT_NULL(t, p);
		if (p)
			kmem_free(p, PAGE_SIZE);
	}
}

static struct ktest_case kmem_test_cases[] = {
	KTEST_CASE(kmem_test_wired),
	KTEST_CASE(kmem_test_stacks),
	KTEST_CASE(kmem_test_invalid),
	KTEST_CASE(kmem_test_exhaustion),
	{}
};

static struct ktest_suite kmem_test_suite = {
	.name = "kmem",
	.suite_init = kmem_test_suite_init,
	.init = kmem_test_init,
	.exit = kmem_test_exit,
	.test_cases = kmem_test_cases,
};
KTEST_SUITE(kmem_test_suite);
