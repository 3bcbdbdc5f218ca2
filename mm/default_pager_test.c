// SPDX-License-Identifier: MIT
/*
 * The default_pager suite: anonymous memory on swap. Pages written from
 * inside a user map (vm_map_switch(), copyout), forced out
 * (vm_pageout_page()) and faulted back keep their bytes, through a
 * copy-on-write chain too; an object's slots are freed with it; and a
 * workload writing three times the free memory and reading every byte
 * back, with the pageout daemon making room. Pages, objects, entries and
 * slots are back at their baseline after each case.
 *
 * By default the workload takes the free memory down to DP_TEST_WORKSET
 * pages (holding the rest with vm_page_alloc()) so that a normal boot
 * stays quick (about 3 s of guest time for 36 MiB). With the kernel
 * parameter default_pager.overcommit=N it writes N times the machine's
 * memory instead, with every free page in play (make check boots 64 MiB
 * with N = 3 and a bigger swap disk); it fails when swap cannot hold that.
 */
#include <kern/cmdline.h>
#include <kern/kmem.h>
#include <kern/printk.h>
#include <kern/timer.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_pageout.h>
#include <ktest.h>
#include "vm_test_util.h"

#define DP_TEST_BASE		0x40000000UL
#define DP_TEST_END		(DP_TEST_BASE + (1UL << 30))
#define DP_TEST_PAGES		8
#define DP_TEST_WORKSET		((12UL << 20) >> PAGE_SHIFT)	/* pages of free RAM */
#define DP_TEST_FACTOR		3

struct dp_test_base {
	unsigned long	entries, objects, tabled, allocated, slots;
};

static struct dp_test_base dp_test_base;

static struct default_pager_stats dp_test_stats(void)
{
	struct default_pager_stats s;

	default_pager_get_stats(&s);
	return s;
}

static int dp_test_init(struct ktest *t)
{
	(void)t;
	dp_test_base.entries = vm_map_entry_count();
	dp_test_base.objects = vm_object_count();
	dp_test_base.tabled = vm_test_tabled();
	dp_test_base.allocated = vm_test_allocated();
	dp_test_base.slots = dp_test_stats().slots_used;
	return 0;
}

static void dp_test_exit(struct ktest *t)
{
	KTEST_EXPECT_PTR_EQ(t, current_thread()->map, NULL);
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), dp_test_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), dp_test_base.objects);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), dp_test_base.tabled);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), dp_test_base.allocated);
	KTEST_EXPECT_EQ(t, dp_test_stats().slots_used, dp_test_base.slots);
}

/* The 64-bit word w of page p of the pattern `seed`. */
static uint64_t dp_test_word(unsigned long seed, unsigned long p, unsigned long w)
{
	return ((p << 16 | w) * 0x9e3779b97f4a7c15UL) ^ seed;
}

static void dp_test_fill(uint64_t *buf, unsigned long seed, unsigned long p)
{
	unsigned long w;

	for (w = 0; w < PAGE_SIZE / sizeof(uint64_t); w++)
		buf[w] = dp_test_word(seed, p, w);
}

/* Words of buf that differ from page p of the pattern. */
static unsigned long dp_test_diff(const uint64_t *buf, unsigned long seed, unsigned long p)
{
	unsigned long w, bad = 0;

	for (w = 0; w < PAGE_SIZE / sizeof(uint64_t); w++)
		bad += buf[w] != dp_test_word(seed, p, w);
	return bad;
}

/*
 * Write (or check) pages [0, n) at addr of the map the thread runs in.
 * The words that differ; copyin/copyout failures count as a whole page.
 */
static unsigned long dp_test_pass(vm_offset_t addr, unsigned long n, unsigned long seed,
				  bool write, uint64_t *buf)
{
	unsigned long p, bad = 0;

	for (p = 0; p < n; p++) {
		void __user *u = (void __user *)(addr + p * PAGE_SIZE);

		if (write) {
			dp_test_fill(buf, seed, p);
			if (copyout(buf, u, PAGE_SIZE) != KERN_SUCCESS)
				bad += PAGE_SIZE / sizeof(uint64_t);
		} else if (copyin(u, buf, PAGE_SIZE) != KERN_SUCCESS) {
			bad += PAGE_SIZE / sizeof(uint64_t);
		} else {
			bad += dp_test_diff(buf, seed, p);
		}
	}
	return bad;
}

/* Force the page of map at addr out; its result. */
static kern_return_t dp_test_pageout(struct ktest *t, vm_map_t map, vm_offset_t addr)
{
	struct vm_object *object;
	struct vm_page *page = vm_test_page_get(t, map, addr, &object);
	kern_return_t kr = page ? vm_pageout_page(page) : KERN_INVALID_ADDRESS;

	vm_test_page_put(object);
	return kr;
}

static void dp_test_roundtrip(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, DP_TEST_BASE, DP_TEST_END);
	struct default_pager_stats before = dp_test_stats(), after;
	uint64_t *buf = kmem_alloc_wired(PAGE_SIZE);
	unsigned long i, tabled;
	vm_offset_t a = 0;
	vm_map_t old;

	KTEST_ASSERT_NOT_NULL(t, buf);
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, DP_TEST_PAGES * PAGE_SIZE, true),
			KERN_SUCCESS);
	old = vm_map_switch(map);
	KTEST_EXPECT_EQ(t, dp_test_pass(a, DP_TEST_PAGES, 1, true, buf), 0UL);
	vm_map_switch(old);
	tabled = vm_test_tabled();
	for (i = 0; i < DP_TEST_PAGES; i++)
		KTEST_EXPECT_EQ(t, dp_test_pageout(t, map, a + i * PAGE_SIZE), KERN_SUCCESS);
	after = dp_test_stats();
	KTEST_EXPECT_EQ(t, after.slots_used, before.slots_used + DP_TEST_PAGES);
	KTEST_EXPECT_EQ(t, after.pageouts, before.pageouts + DP_TEST_PAGES);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled - DP_TEST_PAGES);
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), 0UL);

	old = vm_map_switch(map);
	KTEST_EXPECT_EQ(t, dp_test_pass(a, DP_TEST_PAGES, 1, false, buf), 0UL);
	vm_map_switch(old);
	after = dp_test_stats();
	KTEST_EXPECT_EQ(t, after.pageins, before.pageins + DP_TEST_PAGES);
	KTEST_EXPECT_EQ(t, after.slots_used, before.slots_used);
	KTEST_EXPECT_EQ(t, after.errors, before.errors);
	/* Read back, they are dirty: out and in again, still the same. */
	KTEST_EXPECT_EQ(t, dp_test_pageout(t, map, a), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 8), (unsigned char)dp_test_word(1, 0, 1));
	kmem_free(buf, PAGE_SIZE);
	vm_map_deallocate(map);
}

static void dp_test_terminate(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, DP_TEST_BASE, DP_TEST_END);
	vm_offset_t a = 0;
	unsigned long i;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, DP_TEST_PAGES * PAGE_SIZE, true),
			KERN_SUCCESS);
	for (i = 0; i < DP_TEST_PAGES; i++) {
		vm_test_poke(map, a + i * PAGE_SIZE, (unsigned char)(i + 1));
		KTEST_EXPECT_EQ(t, dp_test_pageout(t, map, a + i * PAGE_SIZE), KERN_SUCCESS);
	}
	KTEST_EXPECT_EQ(t, dp_test_stats().slots_used, dp_test_base.slots + DP_TEST_PAGES);
	/* Half of them go with vm_deallocate, the rest with the object. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a, a + DP_TEST_PAGES / 2 * PAGE_SIZE),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + (DP_TEST_PAGES - 1) * PAGE_SIZE),
			DP_TEST_PAGES);
	vm_map_deallocate(map);
	KTEST_EXPECT_EQ(t, dp_test_stats().slots_used, dp_test_base.slots);
}

/* Paged out below a copy-on-write copy: both sides read it back. */
static void dp_test_shadow(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, DP_TEST_BASE, DP_TEST_END), child;
	vm_offset_t a = 0;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(map, a + 1, 0x11);
	vm_test_poke(map, a + PAGE_SIZE + 1, 0x22);
	child = vm_map_fork(map);
	KTEST_ASSERT_NOT_NULL(t, child);
	/* The child writes the second page: its own copy in front. */
	vm_test_poke(child, a + PAGE_SIZE + 1, 0x33);
	/* Both originals go out (the parent's map shows them). */
	KTEST_EXPECT_EQ(t, dp_test_pageout(t, map, a), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, dp_test_pageout(t, map, a + PAGE_SIZE), KERN_SUCCESS);
	/* The child's copy goes out too. */
	KTEST_EXPECT_EQ(t, dp_test_pageout(t, child, a + PAGE_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + 1), 0x11);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + PAGE_SIZE + 1), 0x33);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + PAGE_SIZE + 1), 0x22);
	vm_test_poke(map, a + 1, 0x44);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + 1), 0x11);
	vm_map_deallocate(child);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 1), 0x44);
	vm_map_deallocate(map);
}

/*
 * Pages the workload writes: factor times the machine's memory (0: the
 * quick default, DP_TEST_FACTOR times the free memory held down to
 * DP_TEST_WORKSET pages, *held), at most what RAM and 3/4 of the free
 * swap slots can hold. *free: the pages free above the pageout target.
 */
static unsigned long dp_test_size(unsigned long factor, const struct default_pager_stats *s,
				  struct vm_page **held, unsigned long *free)
{
	unsigned long room, want;
	struct vm_page_stats ps;

	*held = factor ? NULL : vm_test_hold(vm_page_free_target + DP_TEST_WORKSET);
	*free = vm_page_free_count() - vm_page_free_target;
	room = *free + (s->slots - s->slots_used) * 3 / 4;
	vm_page_get_stats(&ps);
	want = factor ? factor * ps.total : DP_TEST_FACTOR * *free;
	return MIN(want, room);
}

static void dp_test_overcommit(struct ktest *t)
{
	unsigned long factor = cmdline_get_ulong("default_pager.overcommit", 0);
	struct default_pager_stats before = dp_test_stats(), after;
	struct vm_pageout_stats pbefore, pafter;
	unsigned long free, n, bad;
	uint64_t *buf = kmem_alloc_wired(PAGE_SIZE);
	uint64_t start, ms;
	struct vm_page *held;
	struct vm_page_stats ps;
	vm_offset_t a = 0;
	vm_map_t map, old;

	KTEST_ASSERT_NOT_NULL(t, buf);
	map = vm_test_map(t, DP_TEST_BASE, DP_TEST_END);
	n = dp_test_size(factor, &before, &held, &free);
	vm_page_get_stats(&ps);
	/* Asked for N times the memory: swap must hold it. */
	if (factor)
		KTEST_EXPECT_GE(t, n, factor * ps.total);
	vm_pageout_get_stats(&pbefore);
	start = clock_now();
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, n * PAGE_SIZE, true), KERN_SUCCESS);
	old = vm_map_switch(map);
	bad = dp_test_pass(a, n, 0x5eed, true, buf);
	bad += dp_test_pass(a, n, 0x5eed, false, buf);
	vm_map_switch(old);
	ms = (clock_now() - start) / 1000000;
	after = dp_test_stats();
	vm_pageout_get_stats(&pafter);
	printk("# default_pager: %lu KiB written and checked with %lu KiB free, %lu KiB of RAM, "
	       "in %llu ms: %lu pageouts in %lu writes, %lu pageins in %lu reads, %lu waits\n",
	       n << (PAGE_SHIFT - 10), free << (PAGE_SHIFT - 10), ps.total << (PAGE_SHIFT - 10),
	       (unsigned long long)ms,
	       after.pageouts - before.pageouts, after.writes - before.writes,
	       after.pageins - before.pageins, after.reads - before.reads,
	       pafter.waits - pbefore.waits);
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_GE(t, n, 2 * free);
	KTEST_EXPECT_GE(t, after.pageouts - before.pageouts, n - free);
	KTEST_EXPECT_GT(t, after.pageins - before.pageins, 0UL);
	KTEST_EXPECT_EQ(t, after.errors, before.errors);
	vm_map_deallocate(map);
	vm_test_release(held);
	kmem_free(buf, PAGE_SIZE);
}

/* The cases run through this (skipped without swap). */
#define DP_TEST_CASE(fn)						\
	static void fn##_case(struct ktest *t)				\
	{								\
		if (!default_pager_ready())				\
			ktest_skip(t, "no swap (no machline-swap disk, no swap=ram:SIZE)"); \
		fn(t);							\
	}
DP_TEST_CASE(dp_test_roundtrip)
DP_TEST_CASE(dp_test_terminate)
DP_TEST_CASE(dp_test_shadow)
DP_TEST_CASE(dp_test_overcommit)

static struct ktest_case dp_test_cases[] = {
	{ .name = "dp_test_roundtrip", .run_case = dp_test_roundtrip_case },
	{ .name = "dp_test_terminate", .run_case = dp_test_terminate_case },
	{ .name = "dp_test_shadow", .run_case = dp_test_shadow_case },
	{ .name = "dp_test_overcommit", .run_case = dp_test_overcommit_case },
	{}
};

static struct ktest_suite dp_test_suite = {
	.name = "default_pager",
	.init = dp_test_init,
	.exit = dp_test_exit,
	.test_cases = dp_test_cases,
};
KTEST_SUITE(dp_test_suite);
