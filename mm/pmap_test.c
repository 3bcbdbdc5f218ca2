// SPDX-License-Identifier: MIT
/*
 * Tests of the kernel pmap (<kern/pmap.h>), written against the interface
 * only, so the same suite runs on every architecture:
 *
 *   - W^X of the image read back through the walker: text r-x, rodata r--,
 *     data and bss rw-; the direct map rw- and its alias of text r--;
 *   - enter / extract / remove of 4 KiB and 2 MiB pages, the page-table
 *     page count back to its baseline after each case;
 *   - splitting a 2 MiB page by a partial remove and a partial protect,
 *     and the runs pmap_kernel_walk() (pmap_kernel_dump()'s walker) gives;
 *   - bad arguments, double mappings (KERN_NO_SPACE);
 *   - ioremap;
 *   - with several CPUs, that another CPU, which has the old translation
 *     in its TLB, sees a new mapping of the same address (the shootdown).
 *
 * A write to a read-only page would fault and panic, so "writes are
 * refused" is checked through the protection the walker reads back.
 *
 * The test mappings go at the top of the kernel VA window, which kmem
 * (first fit from KVA_START) does not reach in a test run. The memory
 * behind them is this file's own page-aligned buffer (4 KiB cases) and a
 * 4 MiB run from the page allocator (2 MiB cases), or without one the
 * 2 MiB of RAM around the start of the kernel image; the 2 MiB cases map
 * it read-only or read-execute only, and never execute it.
 */
#include <kern/cpu.h>
#include <kern/ioremap.h>
#include <kern/pmap.h>
#include <kern/sections.h>
#include <kern/smp.h>
#include <kern/vm_page.h>
#include <ktest.h>

#define SZ_4K		0x1000UL
#define SZ_2M		0x200000UL
#define PMAP_TEST_VA	(KVA_END - 16 * SZ_2M)	/* 2 MiB aligned, 32 MiB below the end */

static char pmap_test_page[2 * SZ_4K] __aligned(SZ_4K);
static const char pmap_test_rodata[] = "read-only data of the pmap test";
static unsigned long pmap_test_baseline;
static struct vm_page *pmap_test_run;	/* 4 MiB for the 2 MiB cases, or NULL */

#define PMAP_TEST_RUN_ORDER	10

static int pmap_test_suite_init(struct ktest_suite *suite)
{
	pmap_test_run = vm_page_ready() ? vm_page_alloc(PMAP_TEST_RUN_ORDER) : NULL;
	return 0;
}

static void pmap_test_suite_exit(struct ktest_suite *suite)
{
	if (pmap_test_run)
		vm_page_free(pmap_test_run, PMAP_TEST_RUN_ORDER);
	pmap_test_run = NULL;
}

static int pmap_test_init(struct ktest *t)
{
	pmap_test_baseline = pmap_kernel_table_pages();
	return 0;
}

/* Nothing left at the test address, and the tables given back. */
static void pmap_test_exit(struct ktest *t)
{
	pmap_kernel_remove(PMAP_TEST_VA, 4 * SZ_2M);
	/*
	 * Tables come from the page allocator once it runs, and empty ones go
	 * back to it; before that they come from bootmem and are kept.
	 */
	if (vm_page_ready())
		KTEST_EXPECT_EQ(t, pmap_kernel_table_pages(), pmap_test_baseline);
	else
		KTEST_EXPECT_LE(t, pmap_kernel_table_pages(), pmap_test_baseline + 2);
}

/* 2 MiB aligned RAM, at least 2 MiB + 4 KiB of it. */
static phys_addr_t pmap_test_2m_pa(void)
{
	if (pmap_test_run)
		return vm_page_to_phys(pmap_test_run);
	return ALIGN_DOWN(virt_to_phys(_stext), SZ_2M);
}

static void expect_mapping(struct ktest *t, vm_offset_t va, phys_addr_t pa,
			   vm_prot_t prot, vm_size_t page_size)
{
	phys_addr_t got_pa = 0;
	vm_prot_t got_prot = 0;
	vm_size_t got_size = 0;

	KTEST_ASSERT_EQ(t, pmap_kernel_extract(va, &got_pa, &got_prot, &got_size), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, got_pa, pa);
	KTEST_EXPECT_EQ(t, got_prot, prot);
	KTEST_EXPECT_EQ(t, got_size, page_size);
}

static void expect_unmapped(struct ktest *t, vm_offset_t va)
{
	KTEST_EXPECT_EQ(t, pmap_kernel_extract(va, NULL, NULL, NULL), KERN_INVALID_ADDRESS);
}

static vm_prot_t prot_of(struct ktest *t, const void *p)
{
	vm_prot_t prot = VM_PROT_NONE;

	KTEST_EXPECT_EQ(t, pmap_kernel_extract((vm_offset_t)p, NULL, &prot, NULL), KERN_SUCCESS);
	return prot;
}

/* What pmap_kernel_walk() gives: up to PMAP_TEST_RUNS runs, and how many there were. */
#define PMAP_TEST_RUNS	8

struct pmap_test_runs {
	struct pmap_run	run[PMAP_TEST_RUNS];
	unsigned int	n;
};

static void pmap_test_walk_note(const struct pmap_run *run, void *arg)
{
	struct pmap_test_runs *r = arg;

	if (r->n < PMAP_TEST_RUNS)
		r->run[r->n] = *run;
	r->n++;
}

static void expect_run(struct ktest *t, const struct pmap_run *r, vm_offset_t va,
		       phys_addr_t pa, vm_size_t len, vm_prot_t prot)
{
	KTEST_EXPECT_EQ(t, r->va, va);
	KTEST_EXPECT_EQ(t, r->pa, pa);
	KTEST_EXPECT_EQ(t, r->len, len);
	KTEST_EXPECT_EQ(t, r->page_size, (vm_size_t)SZ_4K);
	KTEST_EXPECT_EQ(t, r->prot, prot);
	KTEST_EXPECT_FALSE(t, r->device);
}

/*
 * The walker over [va + 0xe000, va + 0x24000) of pmap_test_split()'s
 * range (page 0x10 removed, pages 0x20 and 0x21 executable): four runs,
 * split by the hole and by the protection.
 */
static void expect_runs(struct ktest *t, vm_offset_t va, phys_addr_t pa)
{
	struct pmap_test_runs r = { .n = 0 };

	pmap_kernel_walk(va + 0xe000, 0x16000, pmap_test_walk_note, &r);
	KTEST_ASSERT_EQ(t, r.n, 4U);
	expect_run(t, &r.run[0], va + 0xe000, pa + 0xe000, 0x2000, VM_PROT_READ);
	expect_run(t, &r.run[1], va + 0x11000, pa + 0x11000, 0xf000, VM_PROT_READ);
	expect_run(t, &r.run[2], va + 0x20000, pa + 0x20000, 0x2000,
		   VM_PROT_READ | VM_PROT_EXECUTE);
	expect_run(t, &r.run[3], va + 0x22000, pa + 0x22000, 0x2000, VM_PROT_READ);
}

/* ------------------------------------------------------------------------ */

static void pmap_test_image_wx(struct ktest *t)
{
	phys_addr_t pa;

	KTEST_EXPECT_EQ(t, prot_of(t, _stext), VM_PROT_READ | VM_PROT_EXECUTE);
	KTEST_EXPECT_EQ(t, prot_of(t, (const void *)pmap_test_image_wx),
			VM_PROT_READ | VM_PROT_EXECUTE);
	KTEST_EXPECT_EQ(t, prot_of(t, _srodata), VM_PROT_READ);
	KTEST_EXPECT_EQ(t, prot_of(t, pmap_test_rodata), VM_PROT_READ);
	KTEST_EXPECT_EQ(t, prot_of(t, _sdata), VM_PROT_READ | VM_PROT_WRITE);
	KTEST_EXPECT_EQ(t, prot_of(t, &pmap_test_baseline), VM_PROT_READ | VM_PROT_WRITE);
	KTEST_EXPECT_EQ(t, prot_of(t, pmap_test_page), VM_PROT_READ | VM_PROT_WRITE);
	KTEST_EXPECT_EQ(t, prot_of(t, (const void *)((uintptr_t)_end - 1)),
			VM_PROT_READ | VM_PROT_WRITE);

	/* The walker and virt_to_phys() agree on where the image is. */
	KTEST_ASSERT_EQ(t, pmap_kernel_extract((vm_offset_t)_srodata + 8, &pa, NULL, NULL),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pa, virt_to_phys(_srodata) + 8);
}

static void pmap_test_direct_map(struct ktest *t)
{
	phys_addr_t pa = virt_to_phys(pmap_test_page);
	char *alias = phys_to_virt(pa);

	/* A known page: the test buffer, seen through the direct map. */
	KTEST_EXPECT_EQ(t, prot_of(t, alias), VM_PROT_READ | VM_PROT_WRITE);
	WRITE_ONCE(pmap_test_page[5], 0x5a);
	KTEST_EXPECT_EQ(t, READ_ONCE(alias[5]), 0x5a);
	WRITE_ONCE(alias[6], 0x33);
	KTEST_EXPECT_EQ(t, READ_ONCE(pmap_test_page[6]), 0x33);
	KTEST_ASSERT_EQ(t, pmap_kernel_extract((vm_offset_t)alias + 5, &pa, NULL, NULL),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pa, virt_to_phys(pmap_test_page) + 5);

	/* No writable or executable alias of text, no writable one of rodata. */
	KTEST_EXPECT_EQ(t, prot_of(t, phys_to_virt(virt_to_phys(_stext))), VM_PROT_READ);
	KTEST_EXPECT_EQ(t, prot_of(t, phys_to_virt(virt_to_phys(pmap_test_rodata))),
			VM_PROT_READ);
	KTEST_EXPECT_EQ(t, memcmp(phys_to_virt(virt_to_phys(pmap_test_rodata)),
				  pmap_test_rodata, sizeof(pmap_test_rodata)), 0);
}

static void pmap_test_enter_4k(struct ktest *t)
{
	phys_addr_t pa = virt_to_phys(pmap_test_page);
	volatile char *p = (volatile char *)PMAP_TEST_VA;

	expect_unmapped(t, PMAP_TEST_VA);
	KTEST_ASSERT_EQ(t, pmap_kernel_enter(PMAP_TEST_VA, pa, SZ_4K,
					     VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
	expect_mapping(t, PMAP_TEST_VA, pa, VM_PROT_READ | VM_PROT_WRITE, SZ_4K);
	expect_mapping(t, PMAP_TEST_VA + 0x123, pa + 0x123, VM_PROT_READ | VM_PROT_WRITE, SZ_4K);
	expect_unmapped(t, PMAP_TEST_VA + SZ_4K);
	KTEST_EXPECT_GE(t, pmap_kernel_table_pages(), pmap_test_baseline);

	/* The same memory under both names (volatile both: gcc sees no alias). */
	p[10] = 0x42;
	KTEST_EXPECT_EQ(t, READ_ONCE(pmap_test_page[10]), 0x42);
	WRITE_ONCE(pmap_test_page[11], 0x24);
	KTEST_EXPECT_EQ(t, p[11], 0x24);

	/* Writes are refused once it is read-only (read back, not faulted). */
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(PMAP_TEST_VA, SZ_4K, VM_PROT_READ), KERN_SUCCESS);
	expect_mapping(t, PMAP_TEST_VA, pa, VM_PROT_READ, SZ_4K);
	KTEST_EXPECT_EQ(t, p[10], 0x42);

	KTEST_EXPECT_EQ(t, pmap_kernel_remove(PMAP_TEST_VA, SZ_4K), KERN_SUCCESS);
	expect_unmapped(t, PMAP_TEST_VA);
}

static void pmap_test_enter_2m(struct ktest *t)
{
	phys_addr_t pa = pmap_test_2m_pa();
	const uint64_t *mapped = (const uint64_t *)PMAP_TEST_VA;
	const uint64_t *direct = phys_to_virt(pa);
	unsigned int i;

	KTEST_ASSERT_EQ(t, pmap_kernel_enter(PMAP_TEST_VA, pa, SZ_2M, VM_PROT_READ), KERN_SUCCESS);
	expect_mapping(t, PMAP_TEST_VA, pa, VM_PROT_READ, SZ_2M);
	expect_mapping(t, PMAP_TEST_VA + SZ_2M - 8, pa + SZ_2M - 8, VM_PROT_READ, SZ_2M);
	for (i = 0; i < SZ_2M / 8; i += 4099)
		KTEST_EXPECT_EQ(t, mapped[i], direct[i]);

	/* A protection change of the whole page keeps it one 2 MiB page. */
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(PMAP_TEST_VA, SZ_2M,
					       VM_PROT_READ | VM_PROT_EXECUTE), KERN_SUCCESS);
	expect_mapping(t, PMAP_TEST_VA + SZ_4K, pa + SZ_4K, VM_PROT_READ | VM_PROT_EXECUTE, SZ_2M);

	KTEST_EXPECT_EQ(t, pmap_kernel_remove(PMAP_TEST_VA, SZ_2M), KERN_SUCCESS);
	expect_unmapped(t, PMAP_TEST_VA);
	expect_unmapped(t, PMAP_TEST_VA + SZ_2M - SZ_4K);

	/* 2 MiB + 4 KiB: one large page and one small one. */
	KTEST_ASSERT_EQ(t, pmap_kernel_enter(PMAP_TEST_VA, pa, SZ_2M + SZ_4K, VM_PROT_READ),
			KERN_SUCCESS);
	expect_mapping(t, PMAP_TEST_VA, pa, VM_PROT_READ, SZ_2M);
	expect_mapping(t, PMAP_TEST_VA + SZ_2M, pa + SZ_2M, VM_PROT_READ, SZ_4K);

	/* Misaligned physical memory gets 4 KiB pages. */
	KTEST_ASSERT_EQ(t, pmap_kernel_enter(PMAP_TEST_VA + 2 * SZ_2M, pa + SZ_4K, SZ_2M,
					     VM_PROT_READ), KERN_SUCCESS);
	expect_mapping(t, PMAP_TEST_VA + 2 * SZ_2M, pa + SZ_4K, VM_PROT_READ, SZ_4K);
	expect_mapping(t, PMAP_TEST_VA + 3 * SZ_2M - SZ_4K, pa + SZ_2M, VM_PROT_READ, SZ_4K);
}

static void pmap_test_split(struct ktest *t)
{
	phys_addr_t pa = pmap_test_2m_pa();
	vm_offset_t va = PMAP_TEST_VA;
	unsigned long before;

	KTEST_ASSERT_EQ(t, pmap_kernel_enter(va, pa, SZ_2M, VM_PROT_READ), KERN_SUCCESS);
	before = pmap_kernel_table_pages();

	/* Remove one page from the middle: the rest stays, now in 4 KiB pages. */
	KTEST_EXPECT_EQ(t, pmap_kernel_remove(va + 0x10000, SZ_4K), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_kernel_table_pages(), before + 1);
	expect_mapping(t, va, pa, VM_PROT_READ, SZ_4K);
	expect_mapping(t, va + 0xf000, pa + 0xf000, VM_PROT_READ, SZ_4K);
	expect_unmapped(t, va + 0x10000);
	expect_mapping(t, va + 0x11000, pa + 0x11000, VM_PROT_READ, SZ_4K);
	expect_mapping(t, va + SZ_2M - SZ_4K, pa + SZ_2M - SZ_4K, VM_PROT_READ, SZ_4K);

	/* Protect two pages differently; their neighbours keep theirs. */
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(va + 0x20000, 2 * SZ_4K,
					       VM_PROT_READ | VM_PROT_EXECUTE), KERN_SUCCESS);
	expect_mapping(t, va + 0x1f000, pa + 0x1f000, VM_PROT_READ, SZ_4K);
	expect_mapping(t, va + 0x20000, pa + 0x20000, VM_PROT_READ | VM_PROT_EXECUTE, SZ_4K);
	expect_mapping(t, va + 0x21000, pa + 0x21000, VM_PROT_READ | VM_PROT_EXECUTE, SZ_4K);
	expect_mapping(t, va + 0x22000, pa + 0x22000, VM_PROT_READ, SZ_4K);
	pmap_kernel_dump(va + 0xe000, 0x16000);
	expect_runs(t, va, pa);

	KTEST_EXPECT_EQ(t, pmap_kernel_remove(va, SZ_2M), KERN_SUCCESS);
	expect_unmapped(t, va + 0x20000);
}

/* A partial protect splits a 2 MiB page as a partial remove does. */
static void pmap_test_split_protect(struct ktest *t)
{
	phys_addr_t pa = pmap_test_2m_pa();
	vm_offset_t va = PMAP_TEST_VA;

	KTEST_ASSERT_EQ(t, pmap_kernel_enter(va, pa, SZ_2M, VM_PROT_READ), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(va + SZ_2M - SZ_4K, SZ_4K,
					       VM_PROT_READ | VM_PROT_EXECUTE), KERN_SUCCESS);
	expect_mapping(t, va, pa, VM_PROT_READ, SZ_4K);
	expect_mapping(t, va + SZ_2M - SZ_4K, pa + SZ_2M - SZ_4K,
		       VM_PROT_READ | VM_PROT_EXECUTE, SZ_4K);
	/* Back to one protection: still mapped page by page, all of it. */
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(va, SZ_2M, VM_PROT_READ), KERN_SUCCESS);
	expect_mapping(t, va + SZ_2M - SZ_4K, pa + SZ_2M - SZ_4K, VM_PROT_READ, SZ_4K);
}

static void pmap_test_bad_arguments(struct ktest *t)
{
	phys_addr_t pa = virt_to_phys(pmap_test_page);
	vm_offset_t va = PMAP_TEST_VA;
	vm_prot_t rw = VM_PROT_READ | VM_PROT_WRITE;

	/* Unaligned address, physical address, size; nothing; a wrap. */
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va + 8, pa, SZ_4K, rw), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va, pa + 8, SZ_4K, rw), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va, pa, 100, rw), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va, pa, 0, rw), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(~(vm_offset_t)0xfff, pa, 2 * SZ_4K, rw),
			KERN_INVALID_ARGUMENT);
	/* Outside kernel space. */
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(0x400000, pa, SZ_4K, rw), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_remove(0x400000, SZ_4K), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(0x400000, SZ_4K, rw), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_extract(0x400000, NULL, NULL, NULL), KERN_INVALID_ARGUMENT);
	/* W^X, and bits that are no protection. */
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va, pa, SZ_4K, VM_PROT_ALL), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va, pa, SZ_4K, 0x100), KERN_INVALID_ARGUMENT);
	expect_unmapped(t, va);

	/* Double map: the same page, and a range that overlaps a mapping. */
	KTEST_ASSERT_EQ(t, pmap_kernel_enter(va + SZ_4K, pa, SZ_4K, rw), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va + SZ_4K, pa, SZ_4K, rw), KERN_NO_SPACE);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va, pa, 3 * SZ_4K, rw), KERN_NO_SPACE);
	KTEST_EXPECT_EQ(t, pmap_kernel_enter(va, pmap_test_2m_pa(), SZ_2M, VM_PROT_READ),
			KERN_NO_SPACE);
	/* ... which changed nothing around it. */
	expect_unmapped(t, va);
	expect_unmapped(t, va + 2 * SZ_4K);
	expect_mapping(t, va + SZ_4K, pa, rw, SZ_4K);
	/* The image is mapped already too. */
	KTEST_EXPECT_EQ(t, pmap_kernel_enter((vm_offset_t)_sdata, pa, SZ_4K, rw), KERN_NO_SPACE);

	/* Protect needs every page mapped; remove does not. */
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(va, 2 * SZ_4K, VM_PROT_READ),
			KERN_INVALID_ADDRESS);
	expect_mapping(t, va + SZ_4K, pa, rw, SZ_4K);
	KTEST_EXPECT_EQ(t, pmap_kernel_protect(va + SZ_4K, SZ_4K, VM_PROT_ALL),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_kernel_remove(va, 4 * SZ_4K), KERN_SUCCESS);
	expect_unmapped(t, va + SZ_4K);
	KTEST_EXPECT_EQ(t, pmap_kernel_remove(va, SZ_4K), KERN_SUCCESS);
}

static void pmap_test_ioremap(struct ktest *t)
{
	phys_addr_t pa = virt_to_phys(pmap_test_page) + SZ_4K;
	void __iomem *io;
	vm_offset_t va;

	/* Mapped, not touched: RAM must not be used through an uncached alias. */
	io = ioremap(pa + 0x10, 0x20);
	KTEST_ASSERT_NOT_NULL(t, (void __force *)io);
	va = (vm_offset_t)(void __force *)io;
	KTEST_EXPECT_EQ(t, va & (SZ_4K - 1), 0x10UL);
	KTEST_EXPECT_GE(t, va, IOREMAP_START);
	KTEST_EXPECT_LT(t, va, IOREMAP_END);
	expect_mapping(t, va, pa + 0x10, VM_PROT_READ | VM_PROT_WRITE, SZ_4K);
	iounmap(io);
	expect_unmapped(t, va);
	KTEST_EXPECT_NULL(t, (void __force *)ioremap(pa, 0));
}

struct pmap_test_read {
	vm_offset_t	va;
	uint64_t	value;
};

static void pmap_test_read_on_cpu(void *arg)
{
	struct pmap_test_read *r = arg;

	r->value = *(volatile const uint64_t *)r->va;
}

static uint64_t read_on(struct ktest *t, unsigned int cpu, vm_offset_t va)
{
	struct pmap_test_read r = { .va = va, .value = 0 };

	KTEST_EXPECT_EQ(t, smp_call_on_cpu(cpu, pmap_test_read_on_cpu, &r), KERN_SUCCESS);
	return r.value;
}

/*
 * Each other CPU reads a mapping (so its TLB holds it), the mapping moves
 * to another page, the CPU reads again: it must see the new page. QEMU
 * keeps a TLB per virtual CPU, so a missing shootdown shows.
 */
static void pmap_test_other_cpus(struct ktest *t)
{
	uint64_t *a = (uint64_t *)pmap_test_page, *b = (uint64_t *)(pmap_test_page + SZ_4K);
	vm_offset_t va = PMAP_TEST_VA;
	unsigned int cpu, tested = 0;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (cpu == cpu_number() || !READ_ONCE(cpu_data_of(cpu)->online))
			continue;
		WRITE_ONCE(*a, 0xa0a0a0a0ULL + cpu);
		WRITE_ONCE(*b, 0xb0b0b0b0ULL + cpu);
		KTEST_ASSERT_EQ(t, pmap_kernel_enter(va, virt_to_phys(a), SZ_4K, VM_PROT_READ),
				KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, read_on(t, cpu, va), 0xa0a0a0a0ULL + cpu);
		KTEST_EXPECT_EQ(t, pmap_kernel_remove(va, SZ_4K), KERN_SUCCESS);
		KTEST_ASSERT_EQ(t, pmap_kernel_enter(va, virt_to_phys(b), SZ_4K, VM_PROT_READ),
				KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, read_on(t, cpu, va), 0xb0b0b0b0ULL + cpu);
		KTEST_EXPECT_EQ(t, pmap_kernel_remove(va, SZ_4K), KERN_SUCCESS);
		tested++;
	}
	if (!tested)
		ktest_skip(t, "only one CPU online");
}

static struct ktest_case pmap_test_cases[] = {
	KTEST_CASE(pmap_test_image_wx),
	KTEST_CASE(pmap_test_direct_map),
	KTEST_CASE(pmap_test_enter_4k),
	KTEST_CASE(pmap_test_enter_2m),
	KTEST_CASE(pmap_test_split),
	KTEST_CASE(pmap_test_split_protect),
	KTEST_CASE(pmap_test_bad_arguments),
	KTEST_CASE(pmap_test_ioremap),
	KTEST_CASE(pmap_test_other_cpus),
	{}
};

static struct ktest_suite pmap_test_suite = {
	.name = "pmap",
	.suite_init = pmap_test_suite_init,
	.suite_exit = pmap_test_suite_exit,
	.init = pmap_test_init,
	.exit = pmap_test_exit,
	.test_cases = pmap_test_cases,
};
KTEST_SUITE(pmap_test_suite);
