// SPDX-License-Identifier: MIT
/*
 * Tests of the boot memory map: the overlap, merge and trim rules on
 * scratch maps, then the live boot_memmap that the arch filled.
 */
#include <kern/bootinfo.h>
#include <kern/bootmem.h>
#include <kern/sections.h>
#include <ktest.h>

#define KiB	0x400ULL
#define MiB	0x100000ULL

static struct bootmem_map map;	/* the scratch map of each case */

static int bootmem_test_init(struct ktest *t)
{
	memset(&map, 0, sizeof(map));
	return 0;
}

static void add(struct ktest *t, phys_addr_t base, phys_addr_t size, enum boot_mem_type type)
{
	KTEST_ASSERT_EQ(t, bootmem_add(&map, base, size, type), KERN_SUCCESS);
}

/* Region i is [base, base + size) of type. */
static void expect_region(struct ktest *t, unsigned int i, phys_addr_t base,
			  phys_addr_t size, enum boot_mem_type type)
{
	KTEST_ASSERT_LT(t, i, map.nr);
	KTEST_EXPECT_EQ(t, map.region[i].base, base);
	KTEST_EXPECT_EQ(t, map.region[i].size, size);
	KTEST_EXPECT_EQ(t, (int)map.region[i].type, (int)type);
}

/* What finalize promises: sorted, disjoint, non-empty, usable page aligned. */
static void expect_sane(struct ktest *t, const struct bootmem_map *m)
{
	unsigned int i;

	KTEST_EXPECT_TRUE(t, m->finalized);
	KTEST_ASSERT_LE(t, m->nr, (unsigned int)BOOTMEM_MAX_REGIONS);
	for (i = 0; i < m->nr; i++) {
		const struct boot_mem_region *r = &m->region[i];

		KTEST_EXPECT_GT(t, r->size, 0ull);
		KTEST_EXPECT_GE(t, r->base + r->size, r->base);
		if (r->type == BOOT_MEM_USABLE) {
			KTEST_EXPECT_EQ(t, r->base & 0xfff, 0ull);
			KTEST_EXPECT_EQ(t, r->size & 0xfff, 0ull);
		}
		if (i > 0) {
			const struct boot_mem_region *p = &m->region[i - 1];

			KTEST_EXPECT_LE(t, p->base + p->size, r->base);
			/* Touching neighbours of one type would have been merged. */
			if (p->base + p->size == r->base)
				KTEST_EXPECT_NE(t, (int)p->type, (int)r->type);
		}
	}
}

static void bootmem_test_bad_input(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, bootmem_add(&map, 0x1000, 0, BOOT_MEM_USABLE), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, bootmem_add(&map, ~0ULL - 0xfff, 0x2000, BOOT_MEM_USABLE),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, bootmem_add(&map, 0, 0x1000, (enum boot_mem_type)0),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, bootmem_add(&map, 0, 0x1000, (enum boot_mem_type)99),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, map.nr, 0u);
	/* The end (base + size) must be representable: 2^64 is not. */
	KTEST_EXPECT_EQ(t, bootmem_add(&map, ~0ULL - 0xfff, 0x1000, BOOT_MEM_RESERVED),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, bootmem_add(&map, ~0ULL - 0x1fff, 0x1000, BOOT_MEM_RESERVED),
			KERN_SUCCESS);
}

static void bootmem_test_empty(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map.nr, 0u);
	KTEST_EXPECT_EQ(t, bootmem_total(&map, BOOT_MEM_USABLE), 0ull);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, 0), 0);
}

static void bootmem_test_sorting(struct ktest *t)
{
	add(t, 8 * MiB, MiB, BOOT_MEM_USABLE);
	add(t, 0, MiB, BOOT_MEM_USABLE);
	add(t, 4 * MiB, MiB, BOOT_MEM_RESERVED);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 3u);
	expect_region(t, 0, 0, MiB, BOOT_MEM_USABLE);
	expect_region(t, 1, 4 * MiB, MiB, BOOT_MEM_RESERVED);
	expect_region(t, 2, 8 * MiB, MiB, BOOT_MEM_USABLE);
	expect_sane(t, &map);
	/* Holes stay holes. */
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, 2 * MiB), 0);
}

static void bootmem_test_adjacent(struct ktest *t)
{
	add(t, 0x2000, 0x1000, BOOT_MEM_USABLE);
	add(t, 0x1000, 0x1000, BOOT_MEM_USABLE);
	add(t, 0x3000, 0x1000, BOOT_MEM_USABLE);
	add(t, 0x4000, 0x1000, BOOT_MEM_ACPI);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 2u);
	expect_region(t, 0, 0x1000, 0x3000, BOOT_MEM_USABLE);
	expect_region(t, 1, 0x4000, 0x1000, BOOT_MEM_ACPI);
	expect_sane(t, &map);
}

static void bootmem_test_overlap(struct ktest *t)
{
	/* Reserved wins where it overlaps usable, from either side. */
	add(t, 0, MiB, BOOT_MEM_USABLE);
	add(t, 512 * KiB, MiB, BOOT_MEM_RESERVED);
	add(t, 2 * MiB, 2 * MiB, BOOT_MEM_USABLE);
	add(t, 3 * MiB, 2 * MiB, BOOT_MEM_USABLE);	/* usable over usable: merged */
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 3u);
	expect_region(t, 0, 0, 512 * KiB, BOOT_MEM_USABLE);
	expect_region(t, 1, 512 * KiB, MiB, BOOT_MEM_RESERVED);
	expect_region(t, 2, 2 * MiB, 3 * MiB, BOOT_MEM_USABLE);
	expect_sane(t, &map);
}

static void bootmem_test_split(struct ktest *t)
{
	/* A reserved region in the middle cuts usable memory in two. */
	add(t, 0, 16 * MiB, BOOT_MEM_USABLE);
	add(t, MiB, 2 * MiB, BOOT_MEM_KERNEL);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 3u);
	expect_region(t, 0, 0, MiB, BOOT_MEM_USABLE);
	expect_region(t, 1, MiB, 2 * MiB, BOOT_MEM_KERNEL);
	expect_region(t, 2, 3 * MiB, 13 * MiB, BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, bootmem_total(&map, BOOT_MEM_USABLE), 14 * MiB);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, 2 * MiB), BOOT_MEM_KERNEL);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, 3 * MiB - 1), BOOT_MEM_KERNEL);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, 3 * MiB), BOOT_MEM_USABLE);
	expect_sane(t, &map);
}

static void bootmem_test_containment(struct ktest *t)
{
	/* Usable inside reserved disappears; reserved inside reserved too. */
	add(t, MiB, 4 * MiB, BOOT_MEM_RESERVED);
	add(t, 2 * MiB, MiB, BOOT_MEM_USABLE);
	add(t, 2 * MiB, 64 * KiB, BOOT_MEM_RESERVED);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 1u);
	expect_region(t, 0, MiB, 4 * MiB, BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, bootmem_total(&map, BOOT_MEM_USABLE), 0ull);
}

static void bootmem_test_priority(struct ktest *t)
{
	/* Among reserved kinds the more specific wins; bad RAM beats all. */
	add(t, 0, 4 * MiB, BOOT_MEM_RESERVED);
	add(t, MiB, MiB, BOOT_MEM_KERNEL);
	add(t, 3 * MiB, MiB, BOOT_MEM_FDT);
	add(t, MiB + 4 * KiB, 4 * KiB, BOOT_MEM_BAD);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, 0), BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, MiB), BOOT_MEM_KERNEL);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, MiB + 4 * KiB), BOOT_MEM_BAD);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, MiB + 8 * KiB), BOOT_MEM_KERNEL);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, 3 * MiB), BOOT_MEM_FDT);
	KTEST_EXPECT_EQ(t, map.nr, 6u);
	expect_sane(t, &map);
}

static void bootmem_test_trim(struct ktest *t)
{
	/* Usable shrinks to whole pages; other kinds keep their bytes. */
	add(t, 0x1234, 0x5678 - 0x1234, BOOT_MEM_USABLE);
	add(t, 0x10010, 0x20, BOOT_MEM_USABLE);		/* less than a page: gone */
	add(t, 0x20100, 0x100, BOOT_MEM_NVS);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 2u);
	expect_region(t, 0, 0x2000, 0x3000, BOOT_MEM_USABLE);
	expect_region(t, 1, 0x20100, 0x100, BOOT_MEM_NVS);
	expect_sane(t, &map);
}

static void bootmem_test_merge_before_trim(struct ktest *t)
{
	/* Two unaligned halves of one page run make whole pages together. */
	add(t, 0, 0x1800, BOOT_MEM_USABLE);
	add(t, 0x1800, 0x1800, BOOT_MEM_USABLE);
	/* Usable cut by a reserved byte range loses the pages it touches. */
	add(t, 0x10000, 0x10000, BOOT_MEM_USABLE);
	add(t, 0x14100, 0x100, BOOT_MEM_RESERVED);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 4u);
	expect_region(t, 0, 0, 0x3000, BOOT_MEM_USABLE);
	expect_region(t, 1, 0x10000, 0x4000, BOOT_MEM_USABLE);
	expect_region(t, 2, 0x14100, 0x100, BOOT_MEM_RESERVED);
	expect_region(t, 3, 0x15000, 0xb000, BOOT_MEM_USABLE);
	expect_sane(t, &map);
}

static void bootmem_test_idempotent(struct ktest *t)
{
	static struct bootmem_map first;

	add(t, 0x1234, 16 * MiB, BOOT_MEM_USABLE);
	add(t, MiB, 0x1000, BOOT_MEM_MODULE);
	add(t, 0, 0x500, BOOT_MEM_RESERVED);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	memcpy(&first, &map, sizeof(map));
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map.nr, first.nr);
	KTEST_EXPECT_MEMEQ(t, map.region, first.region, map.nr * sizeof(map.region[0]));
}

/* bootmem_alloc: lowest fit, alignment, the type it leaves, exhaustion. */
static void bootmem_test_alloc(struct ktest *t)
{
	phys_addr_t pa = 0;

	add(t, 1 * MiB, 4 * MiB, BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, bootmem_alloc(&map, 4096, 4096, &pa), KERN_INVALID_ARGUMENT);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, bootmem_alloc(&map, 0, 4096, &pa), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, bootmem_alloc(&map, 4096, 3 * 4096, &pa), KERN_INVALID_ARGUMENT);

	KTEST_ASSERT_EQ(t, bootmem_alloc(&map, 100, 4096, &pa), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pa, 1 * MiB);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, pa), BOOT_MEM_ALLOCATED);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&map, pa + 4096), BOOT_MEM_USABLE);

	KTEST_ASSERT_EQ(t, bootmem_alloc(&map, 4096, 2 * MiB, &pa), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pa, 2 * MiB);
	KTEST_EXPECT_EQ(t, bootmem_total(&map, BOOT_MEM_ALLOCATED), 2 * 4096ULL);
	KTEST_EXPECT_EQ(t, bootmem_total(&map, BOOT_MEM_USABLE), 4 * MiB - 2 * 4096);
	expect_sane(t, &map);

	KTEST_EXPECT_EQ(t, bootmem_alloc(&map, 4 * MiB, 4096, &pa), KERN_RESOURCE_SHORTAGE);
	KTEST_EXPECT_EQ(t, bootmem_alloc(&map, 2 * MiB, 2 * MiB, &pa), KERN_RESOURCE_SHORTAGE);
}

static void bootmem_test_full(struct ktest *t)
{
	unsigned int i;

	/* 64 regions that cannot merge: every other one a gap apart. */
	for (i = 0; i < BOOTMEM_MAX_REGIONS; i++)
		add(t, i * 2 * MiB, MiB, i % 2 ? BOOT_MEM_RESERVED : BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, bootmem_add(&map, 200 * MiB, MiB, BOOT_MEM_USABLE),
			KERN_RESOURCE_SHORTAGE);
	KTEST_EXPECT_EQ(t, map.nr, (unsigned int)BOOTMEM_MAX_REGIONS);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map.nr, (unsigned int)BOOTMEM_MAX_REGIONS);
	expect_sane(t, &map);

	/* A full map of pieces that do merge makes room for more. */
	memset(&map, 0, sizeof(map));
	for (i = 0; i < BOOTMEM_MAX_REGIONS; i++)
		add(t, i * MiB, MiB, BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, bootmem_add(&map, 100 * MiB, MiB, BOOT_MEM_RESERVED), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, bootmem_finalize(&map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, map.nr, 2u);
	expect_region(t, 0, 0, 64 * MiB, BOOT_MEM_USABLE);
}

static void bootmem_test_names(struct ktest *t)
{
	KTEST_EXPECT_STREQ(t, bootmem_type_name(BOOT_MEM_USABLE), "usable");
	KTEST_EXPECT_STREQ(t, bootmem_type_name(BOOT_MEM_RESERVED), "reserved");
	KTEST_EXPECT_STREQ(t, bootmem_type_name(BOOT_MEM_KERNEL), "kernel");
	KTEST_EXPECT_STREQ(t, bootmem_type_name((enum boot_mem_type)0), "unknown");
}

/* ------------------------------------------------------------------------
 * The live map
 */

static void bootmem_test_live_map(struct ktest *t)
{
	expect_sane(t, &boot_memmap);
	KTEST_EXPECT_GT(t, bootmem_total(&boot_memmap, BOOT_MEM_USABLE), MiB);
}

static void bootmem_test_live_kernel(struct ktest *t)
{
	phys_addr_t start = boot_info.kernel_phys_start, end = boot_info.kernel_phys_end;
	phys_addr_t text_size = (unsigned long)_end - (unsigned long)_stext;
	phys_addr_t stext, pa;
	unsigned int bad = 0;

	KTEST_ASSERT_LT(t, start, end);
	KTEST_EXPECT_EQ(t, start & 0xfff, 0ull);
	KTEST_EXPECT_GE(t, end - start, text_size);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&boot_memmap, start), BOOT_MEM_KERNEL);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&boot_memmap, end - 1), BOOT_MEM_KERNEL);
	KTEST_EXPECT_EQ(t, (int)bootmem_type_at(&boot_memmap, (start + end) / 2), BOOT_MEM_KERNEL);

	/* Every page of the image, so also the one that holds _stext. */
	for (pa = start; pa < end; pa += 0x1000) {
		if (bootmem_type_at(&boot_memmap, pa) != BOOT_MEM_KERNEL)
			bad++;
	}
	KTEST_EXPECT_EQ(t, bad, 0u);

	/*
	 * The image is mapped with one offset and kernel_phys_end is _end's
	 * physical address rounded up to a page, so _stext's physical
	 * address lies in [end - text_size - 0xfff, end - text_size].
	 */
	stext = end - text_size;
	KTEST_EXPECT_NE(t, (int)bootmem_type_at(&boot_memmap, stext), BOOT_MEM_USABLE);
	KTEST_EXPECT_NE(t, (int)bootmem_type_at(&boot_memmap, MAX(start, stext - 0xfff)),
			BOOT_MEM_USABLE);
}

static struct ktest_case bootmem_test_cases[] = {
	KTEST_CASE(bootmem_test_bad_input),
	KTEST_CASE(bootmem_test_empty),
	KTEST_CASE(bootmem_test_sorting),
	KTEST_CASE(bootmem_test_adjacent),
	KTEST_CASE(bootmem_test_overlap),
	KTEST_CASE(bootmem_test_split),
	KTEST_CASE(bootmem_test_containment),
	KTEST_CASE(bootmem_test_priority),
	KTEST_CASE(bootmem_test_trim),
	KTEST_CASE(bootmem_test_merge_before_trim),
	KTEST_CASE(bootmem_test_idempotent),
	KTEST_CASE(bootmem_test_alloc),
	KTEST_CASE(bootmem_test_full),
	KTEST_CASE(bootmem_test_names),
	KTEST_CASE(bootmem_test_live_map),
	KTEST_CASE(bootmem_test_live_kernel),
	{}
};

static struct ktest_suite bootmem_test_suite = {
	.name = "bootmem",
	.init = bootmem_test_init,
	.test_cases = bootmem_test_cases,
};
KTEST_SUITE(bootmem_test_suite);
