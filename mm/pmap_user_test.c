// SPDX-License-Identifier: MIT
/*
 * Tests of user address spaces (the pmap_t half of <kern/pmap.h>):
 *
 *   - enter / extract / protect / replace / remove, bad arguments, wiring;
 *   - 2 MiB pages through pmap_enter_range() and their split;
 *   - the walker's runs (pmap_walk(), what pmap_dump() prints) of known
 *     ranges;
 *   - a thread that runs in a pmap (thread->pmap, loaded by the context
 *     switch; and pmap_switch() directly) reads and writes the user
 *     addresses, and the referenced and modified bits follow (x86_64:
 *     hardware A/D; arm64: AF/DBM or the fault emulation; the kernel
 *     touches user pages directly: SMAP is off on x86_64 and PAN is off on
 *     arm64, see Documentation/mm/pmap.rst);
 *   - pmap_page_protect() of a page two pmaps map;
 *   - the page's own reverse-map entry (pv_first): a page's first mapping
 *     takes none from the zone, and one that goes frees it for the next;
 *   - another CPU running in the pmap sees a changed mapping (shootdown);
 *   - a batch of removals with one deferred flush (pmap_flush()) while
 *     other CPUs write the pages: no write lost, none after the flush;
 *   - the ASID (PCID) rollover, forced with a small ASID space;
 *   - after each case, the pages in use are back to the baseline (table
 *     pages, roots and reverse-map entries all went back).
 */
#include <kern/copyio.h>
#include <kern/cpu.h>
#include <kern/pmap.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/vm_page.h>
#include <kern/vm_pageout.h>
#include <mm/pmap_user.h>
#include <ktest.h>

#define SZ_4K		0x1000UL
#define SZ_2M		0x200000UL
#define TEST_VA		0x0000000040000000UL	/* 1 GiB */
#define RW		(VM_PROT_READ | VM_PROT_WRITE)

static unsigned long pmap_user_test_baseline, pmap_user_test_tables;
/*
 * Set once a case ran a thread: from then on the stacks of finished
 * threads go back whenever the reaper runs, so the global page count
 * moves on its own and only the pmaps' own pages are checked.
 */
static bool pmap_user_test_threads;

static unsigned long pages_in_use(void)
{
	struct vm_page_stats st;

	vm_page_get_stats(&st);
	return st.allocated;
}

/* A page from the allocator filled with a 64-bit value. */
/*
 * The tests touch user pages from kernel threads: through copyin/copyout,
 * the only kernel accesses SMAP and PAN allow.
 */
static uint64_t user_read64(vm_offset_t va)
{
	uint64_t v = 0;

	if (copyin((const void __user *)va, &v, sizeof(v)) != KERN_SUCCESS)
		return ~0ULL;
	return v;
}

static void user_write64(vm_offset_t va, uint64_t v)
{
	copyout(&v, (void __user *)va, sizeof(v));
}

static struct vm_page *test_page(uint64_t value)
{
	struct vm_page *p = vm_page_alloc(0);
	uint64_t *w;
	unsigned int i;

	if (p) {
		w = vm_page_to_virt(p);
		for (i = 0; i < SZ_4K / 8; i++)
			w[i] = value;
	}
	return p;
}

static void pmap_user_warm_threads(void);

static int pmap_user_test_suite_init(struct ktest_suite *suite)
{
	/* Warm the zones up: their first chunks stay. */
	pmap_t pmap = pmap_create();
	struct vm_page *p = vm_page_alloc(0);

	if (pmap && p)
		pmap_enter(pmap, TEST_VA, vm_page_to_phys(p), RW, false);
	if (pmap)
		pmap_destroy(pmap);
	if (p)
		vm_page_free(p, 0);
	pmap_user_warm_threads();
	return 0;
}

static int pmap_user_test_init(struct ktest *t)
{
	pmap_user_test_baseline = pages_in_use();
	pmap_user_test_tables = pmap_user_page_count();
	return 0;
}

static void pmap_user_test_exit(struct ktest *t)
{
	unsigned int i;

	KTEST_EXPECT_EQ(t, pmap_user_page_count(), pmap_user_test_tables);
	/* A finished worker's stack goes back a little later. */
	for (i = 0; i < 1000 && pages_in_use() != pmap_user_test_baseline; i++)
		thread_yield();
	if (!pmap_user_test_threads)
		KTEST_EXPECT_EQ(t, pages_in_use(), pmap_user_test_baseline);
}

static void pmap_user_test_enter_extract(struct ktest *t)
{
	struct vm_page *p1 = test_page(1), *p2 = test_page(2);
	pmap_t pmap = pmap_create();
	phys_addr_t pa;
	vm_prot_t prot;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	KTEST_ASSERT_NOT_NULL(t, p1);
	KTEST_ASSERT_NOT_NULL(t, p2);
	KTEST_EXPECT_EQ(t, pmap_table_pages(pmap), 1UL);
	KTEST_EXPECT_FALSE(t, pmap_extract(pmap, TEST_VA, &pa, &prot));

	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA, vm_page_to_phys(p1), RW, false),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 1UL);
	KTEST_EXPECT_EQ(t, pmap_table_pages(pmap), 4UL);	/* root + 3 levels */
	KTEST_ASSERT_TRUE(t, pmap_extract(pmap, TEST_VA + 0x123, &pa, &prot));
	KTEST_EXPECT_EQ(t, pa, vm_page_to_phys(p1) + 0x123);
	KTEST_EXPECT_EQ(t, prot, (vm_prot_t)RW);

	pmap_protect(pmap, TEST_VA, TEST_VA + SZ_4K, VM_PROT_READ);
	KTEST_ASSERT_TRUE(t, pmap_extract(pmap, TEST_VA, &pa, &prot));
	KTEST_EXPECT_EQ(t, prot, (vm_prot_t)VM_PROT_READ);
	/* protect never raises */
	pmap_protect(pmap, TEST_VA, TEST_VA + SZ_4K, VM_PROT_ALL);
	KTEST_ASSERT_TRUE(t, pmap_extract(pmap, TEST_VA, &pa, &prot));
	KTEST_EXPECT_EQ(t, prot, (vm_prot_t)VM_PROT_READ);

	/* Replace with another page, wired. */
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA, vm_page_to_phys(p2), RW, true),
			KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, pmap_extract(pmap, TEST_VA, &pa, &prot));
	KTEST_EXPECT_EQ(t, pa, vm_page_to_phys(p2));
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 1UL);
	KTEST_EXPECT_EQ(t, pmap_wired_count(pmap), 1UL);
	KTEST_EXPECT_NULL(t, p1->pv_list);
	KTEST_EXPECT_NOT_NULL(t, p2->pv_list);
	pmap_change_wiring(pmap, TEST_VA, false);
	KTEST_EXPECT_EQ(t, pmap_wired_count(pmap), 0UL);

	/* Bad arguments */
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA + 1, vm_page_to_phys(p1), RW, false),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, VM_MAX_USER_ADDRESS, vm_page_to_phys(p1), RW, false),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA, vm_page_to_phys(p1), VM_PROT_NONE, false),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, pmap_enter(kernel_pmap, TEST_VA, vm_page_to_phys(p1), RW, false),
			KERN_INVALID_ARGUMENT);

	pmap_remove(pmap, TEST_VA, TEST_VA + SZ_4K);
	KTEST_EXPECT_FALSE(t, pmap_extract(pmap, TEST_VA, NULL, NULL));
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 0UL);
	KTEST_EXPECT_NULL(t, p2->pv_list);

	/* Destroy with mappings left: they go too. */
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA, vm_page_to_phys(p1), RW, true),
			KERN_SUCCESS);
	pmap_destroy(pmap);
	KTEST_EXPECT_NULL(t, p1->pv_list);
	vm_page_free(p1, 0);
	vm_page_free(p2, 0);
}

/* ------------------------------------------------------------------------
 * The walker (pmap_walk(), what pmap_dump() prints)
 */

#define WALK_RUNS	8

struct walk_runs {
	struct pmap_run	run[WALK_RUNS];
	unsigned int	n;
	vm_offset_t	end;		/* of the last run */
	bool		ordered;	/* each run above the one before */
};

static void walk_note(const struct pmap_run *run, void *arg)
{
	struct walk_runs *w = arg;

	if (w->n && w->end > run->va)
		w->ordered = false;
	w->end = run->va + run->len;
	if (w->n < WALK_RUNS)
		w->run[w->n] = *run;
	w->n++;
}

static unsigned int walk(pmap_t pmap, vm_offset_t start, vm_offset_t end, struct walk_runs *w)
{
	w->n = 0;
	w->ordered = true;
	pmap_walk(pmap, start, end, walk_note, w);
	return w->n;
}

static void expect_walk_run(struct ktest *t, const struct pmap_run *r, vm_offset_t va,
			    phys_addr_t pa, vm_size_t len, vm_size_t page_size, vm_prot_t prot,
			    unsigned int attrs)
{
	KTEST_EXPECT_EQ(t, r->va, va);
	KTEST_EXPECT_EQ(t, r->pa, pa);
	KTEST_EXPECT_EQ(t, r->len, len);
	KTEST_EXPECT_EQ(t, r->page_size, page_size);
	KTEST_EXPECT_EQ(t, r->prot, prot);
	KTEST_EXPECT_EQ(t, r->attrs, attrs);
	KTEST_EXPECT_FALSE(t, r->device);
}

/*
 * pmap_user_test_2m()'s range: a 4 KiB page, a 2 MiB one, a 4 KiB one,
 * contiguous in both spaces: three runs all the same (the page size
 * differs), and a walk from the middle of the big page starts there.
 */
static void expect_2m_runs(struct ktest *t, pmap_t pmap, phys_addr_t pa)
{
	struct walk_runs w;

	KTEST_ASSERT_EQ(t, walk(pmap, TEST_VA, TEST_VA + 4 * SZ_2M, &w), 3U);
	KTEST_EXPECT_TRUE(t, w.ordered);
	expect_walk_run(t, &w.run[0], TEST_VA + SZ_2M - SZ_4K, pa - SZ_4K, SZ_4K, SZ_4K,
			VM_PROT_READ, 0);
	expect_walk_run(t, &w.run[1], TEST_VA + SZ_2M, pa, SZ_2M, SZ_2M, VM_PROT_READ, 0);
	expect_walk_run(t, &w.run[2], TEST_VA + 2 * SZ_2M, pa + SZ_2M, SZ_4K, SZ_4K,
			VM_PROT_READ, 0);
	KTEST_ASSERT_EQ(t, walk(pmap, TEST_VA + SZ_2M + 0x5123, TEST_VA + SZ_2M + 0x9000, &w),
			1U);
	expect_walk_run(t, &w.run[0], TEST_VA + SZ_2M + 0x5000, pa + 0x5000, 0x4000, SZ_2M,
			VM_PROT_READ, 0);
}

/*
 * A known range of eight 4 KiB slots over pages P0..P7 (physically
 * contiguous):
 *
 *	slot	0    1    2    3     4        5          6          7
 *	page	P0   P1   P2   -     P4       P5         P6         P0
 *	prot	rw   rw   r          rw       rw         rw         rw
 *	bits	                     wired    wired ref  wired ref  -
 *	                                      mod        mod
 *
 * gives five runs: 0-1 (one run: both spaces contiguous), 2 (protection),
 * the hole, 4 (wired), 5-6 (referenced and modified by a write fault), 7
 * (P0 again: not contiguous in physical space). The walk is clipped to
 * the range asked for, and empty where nothing is mapped.
 */
static void pmap_user_test_walk(struct ktest *t)
{
	struct vm_page *blk = vm_page_alloc(3);
	pmap_t pmap = pmap_create();
	const unsigned int wrm = PMAP_RUN_WIRED | PMAP_RUN_REFERENCED | PMAP_RUN_MODIFIED;
	struct walk_runs w;
	phys_addr_t pa;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	if (!blk) {
		pmap_destroy(pmap);
		ktest_skip(t, "no free 32 KiB run");
		return;
	}
	pa = vm_page_to_phys(blk);
	KTEST_EXPECT_EQ(t, walk(pmap, 0, VM_MAX_USER_ADDRESS, &w), 0U);
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA, pa, RW, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA + SZ_4K, pa + SZ_4K, RW, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA + 2 * SZ_4K, pa + 2 * SZ_4K, VM_PROT_READ,
				      false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA + 4 * SZ_4K, pa + 4 * SZ_4K, RW, true),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter_fault(pmap, TEST_VA + 5 * SZ_4K, pa + 5 * SZ_4K, RW, true,
					    VM_PROT_WRITE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter_fault(pmap, TEST_VA + 6 * SZ_4K, pa + 6 * SZ_4K, RW, true,
					    VM_PROT_WRITE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA + 7 * SZ_4K, pa, RW, false), KERN_SUCCESS);
	pmap_dump(pmap, TEST_VA, TEST_VA + 8 * SZ_4K);

	KTEST_ASSERT_EQ(t, walk(pmap, 0, VM_MAX_USER_ADDRESS, &w), 5U);
	KTEST_EXPECT_TRUE(t, w.ordered);
	expect_walk_run(t, &w.run[0], TEST_VA, pa, 2 * SZ_4K, SZ_4K, RW, 0);
	expect_walk_run(t, &w.run[1], TEST_VA + 2 * SZ_4K, pa + 2 * SZ_4K, SZ_4K, SZ_4K,
			VM_PROT_READ, 0);
	expect_walk_run(t, &w.run[2], TEST_VA + 4 * SZ_4K, pa + 4 * SZ_4K, SZ_4K, SZ_4K, RW,
			PMAP_RUN_WIRED);
	expect_walk_run(t, &w.run[3], TEST_VA + 5 * SZ_4K, pa + 5 * SZ_4K, 2 * SZ_4K, SZ_4K, RW,
			wrm);
	expect_walk_run(t, &w.run[4], TEST_VA + 7 * SZ_4K, pa, SZ_4K, SZ_4K, RW, 0);

	/* Clipped: from the middle of the first run to the middle of the fourth. */
	KTEST_ASSERT_EQ(t, walk(pmap, TEST_VA + SZ_4K + 0x10, TEST_VA + 6 * SZ_4K, &w), 4U);
	expect_walk_run(t, &w.run[0], TEST_VA + SZ_4K, pa + SZ_4K, SZ_4K, SZ_4K, RW, 0);
	expect_walk_run(t, &w.run[3], TEST_VA + 5 * SZ_4K, pa + 5 * SZ_4K, SZ_4K, SZ_4K, RW,
			wrm);
	/* The hole alone, the range above, past the user half: nothing. */
	KTEST_EXPECT_EQ(t, walk(pmap, TEST_VA + 3 * SZ_4K, TEST_VA + 4 * SZ_4K, &w), 0U);
	KTEST_EXPECT_EQ(t, walk(pmap, TEST_VA + 8 * SZ_4K, VM_MAX_USER_ADDRESS, &w), 0U);
	KTEST_EXPECT_EQ(t, walk(pmap, VM_MAX_USER_ADDRESS, ~(vm_offset_t)0, &w), 0U);

	/*
	 * Changes show: 0-1 made read-only join 2; 4 unwired stays apart
	 * from 5-6, which are still referenced and modified.
	 */
	pmap_protect(pmap, TEST_VA, TEST_VA + 2 * SZ_4K, VM_PROT_READ);
	pmap_change_wiring(pmap, TEST_VA + 4 * SZ_4K, false);
	KTEST_ASSERT_EQ(t, walk(pmap, TEST_VA, TEST_VA + 7 * SZ_4K, &w), 3U);
	expect_walk_run(t, &w.run[0], TEST_VA, pa, 3 * SZ_4K, SZ_4K, VM_PROT_READ, 0);
	expect_walk_run(t, &w.run[1], TEST_VA + 4 * SZ_4K, pa + 4 * SZ_4K, SZ_4K, SZ_4K, RW, 0);
	expect_walk_run(t, &w.run[2], TEST_VA + 5 * SZ_4K, pa + 5 * SZ_4K, 2 * SZ_4K, SZ_4K, RW,
			wrm);

	pmap_remove(pmap, TEST_VA, TEST_VA + 8 * SZ_4K);
	KTEST_EXPECT_EQ(t, walk(pmap, 0, VM_MAX_USER_ADDRESS, &w), 0U);
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 0UL);
	KTEST_EXPECT_EQ(t, pmap_wired_count(pmap), 0UL);
	pmap_destroy(pmap);
	vm_page_free(blk, 3);
}

/*
 * Two 4 MiB runs one after the other in physical memory (*lo, then the
 * one returned), or NULL: largest runs taken until two are neighbours
 * (the free list is in no address order: on four CPUs eight were often
 * not enough), while memory stays well above the pageout daemon's
 * target; the others given back. A test that maps the pages around a
 * 2 MiB page must own them: a page of someone else's would get a
 * reverse-map entry that its owner's free and reuse know nothing of.
 */
#define PMAP_TEST_RUN_TRIES	32
#define PMAP_TEST_RUN_PAGES	(1UL << VM_PAGE_MAX_ORDER)

static struct vm_page *pmap_test_alloc_adjacent(struct vm_page **lo)
{
	struct vm_page *got[PMAP_TEST_RUN_TRIES] = { NULL }, *hi = NULL;
	unsigned int i, j, n;
	const phys_addr_t size = PAGE_SIZE << VM_PAGE_MAX_ORDER;

	*lo = NULL;
	for (n = 0; n < PMAP_TEST_RUN_TRIES && !hi; n++) {
		if (vm_page_free_count() < vm_page_free_target + 4 * PMAP_TEST_RUN_PAGES)
			break;
		got[n] = vm_page_alloc(VM_PAGE_MAX_ORDER);
		if (!got[n])
			break;
		for (j = 0; j < n && !hi; j++) {
			if (vm_page_to_phys(got[j]) + size == vm_page_to_phys(got[n]))
				*lo = got[j], hi = got[n];
			else if (vm_page_to_phys(got[n]) + size == vm_page_to_phys(got[j]))
				*lo = got[n], hi = got[j];
		}
	}
	for (i = 0; i < PMAP_TEST_RUN_TRIES; i++)
		if (got[i] && got[i] != *lo && got[i] != hi)
			vm_page_free(got[i], VM_PAGE_MAX_ORDER);
	return hi;
}

static void pmap_user_test_2m(struct ktest *t)
{
	struct vm_page *lo, *hi = pmap_test_alloc_adjacent(&lo);
	pmap_t pmap = pmap_create();
	phys_addr_t pa, big;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	if (!hi) {
		pmap_destroy(pmap);
		ktest_skip(t, "no two neighbouring 4 MiB runs");
		return;
	}
	/* The 2 MiB page ends the first run; the pages around it are ours too. */
	big = vm_page_to_phys(lo) + SZ_2M;
	/* One 4 KiB page before, one 2 MiB page, one 4 KiB page after. */
	KTEST_EXPECT_EQ(t, pmap_enter_range(pmap, TEST_VA + SZ_2M - SZ_4K, big - SZ_4K,
					    SZ_2M + 2 * SZ_4K, VM_PROT_READ, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 514UL);
	KTEST_ASSERT_TRUE(t, pmap_extract(pmap, TEST_VA + SZ_2M + 0x5008, &pa, NULL));
	KTEST_EXPECT_EQ(t, pa, big + 0x5008);
	/* the 2 MiB page is one leaf: no level-3 table under it */
	KTEST_EXPECT_EQ(t, pmap_table_pages(pmap), 5UL);
	pmap_dump(pmap, TEST_VA, TEST_VA + 4 * SZ_2M);
	expect_2m_runs(t, pmap, big);

	/* Remove the 4 KiB pages and half of the 2 MiB one: it splits. */
	pmap_remove(pmap, TEST_VA, TEST_VA + SZ_2M + SZ_2M / 2);
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 257UL);
	KTEST_EXPECT_FALSE(t, pmap_extract(pmap, TEST_VA + SZ_2M, NULL, NULL));
	KTEST_ASSERT_TRUE(t, pmap_extract(pmap, TEST_VA + SZ_2M + SZ_2M / 2, &pa, NULL));
	KTEST_EXPECT_EQ(t, pa, big + SZ_2M / 2);
	/* The rest: every table under the root goes with its last entry. */
	pmap_remove(pmap, TEST_VA + SZ_2M + SZ_2M / 2, TEST_VA + 2 * SZ_2M + SZ_4K);
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 0UL);
	KTEST_EXPECT_EQ(t, pmap_table_pages(pmap), 1UL);
	/* A 2 MiB leaf alone: its level-2 and level-1 tables go with it. */
	KTEST_EXPECT_EQ(t, pmap_enter_range(pmap, TEST_VA + 4 * SZ_2M, big, SZ_2M, VM_PROT_READ,
					    false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_table_pages(pmap), 3UL);
	pmap_remove(pmap, TEST_VA + 4 * SZ_2M, TEST_VA + 5 * SZ_2M);
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 0UL);
	KTEST_EXPECT_EQ(t, pmap_table_pages(pmap), 1UL);
	pmap_destroy(pmap);
	vm_page_free(lo, VM_PAGE_MAX_ORDER);
	vm_page_free(hi, VM_PAGE_MAX_ORDER);
}

/* ------------------------------------------------------------------------
 * Running in a pmap
 */

struct pmap_user_worker {
	pmap_t		pmap;
	vm_offset_t	va;
	unsigned long	req;		/* bumped by the test: read va once more */
	unsigned long	done;		/* = req when read */
	uint64_t	value;		/* what was read */
	uint64_t	write;		/* if not 0, written to va + 8 at the first request */
	bool		quit;
};

static void pmap_user_worker_fn(void *arg)
{
	struct pmap_user_worker *w = arg;
	unsigned long seen = 0;

	while (!READ_ONCE(w->quit)) {
		unsigned long req = READ_ONCE(w->req);

		if (req == seen) {
			arch_cpu_relax();
			continue;
		}
		WRITE_ONCE(w->value, user_read64(w->va));
		if (w->write && seen == 0)
			user_write64(w->va + 8, w->write);
		seen = req;
		__atomic_store_n(&w->done, req, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&w->done, ~0UL, __ATOMIC_RELEASE);
}

/* Ask the worker for a read; false if it does not answer in time. */
static bool worker_read(struct pmap_user_worker *w, uint64_t *value)
{
	unsigned long req = w->req + 1, spins;

	__atomic_store_n(&w->req, req, __ATOMIC_RELEASE);
	for (spins = 0; spins < 200000000UL; spins++) {
		if (__atomic_load_n(&w->done, __ATOMIC_ACQUIRE) == req) {
			*value = READ_ONCE(w->value);
			return true;
		}
		if (!(spins & 1023))
			thread_yield();
	}
	return false;
}

static void worker_stop(struct pmap_user_worker *w, struct thread *th)
{
	WRITE_ONCE(w->quit, true);
	while (__atomic_load_n(&w->done, __ATOMIC_ACQUIRE) != ~0UL)
		thread_yield();
	/* Off its CPU for good, so the pmap is loaded nowhere. */
	while (pmap_cpus_loaded(w->pmap))
		thread_yield();
	thread_deallocate(th);
}

static struct thread *worker_start(struct pmap_user_worker *w, int cpu)
{
	struct thread *th = kernel_thread_create_suspended(pmap_user_worker_fn, w,
							   current_thread()->priority,
							   "pmap_user_worker");

	if (!th)
		return NULL;
	th->pmap = w->pmap;		/* the context switch loads it */
	pmap_user_test_threads = true;
	if (cpu >= 0)
		thread_bind(th, cpu);
	thread_resume(th);
	return th;
}

/* A thread created and gone once: the stack and thread caches keep what they took. */
static void pmap_user_warm_threads(void)
{
	struct pmap_user_worker w = { .va = TEST_VA, .quit = true };
	struct thread *th;

	w.pmap = pmap_create();
	if (!w.pmap)
		return;
	th = worker_start(&w, -1);
	if (th)
		worker_stop(&w, th);
	pmap_destroy(w.pmap);
}

/* pmap is loaded on this CPU and on no other (pmap_cpus_loaded()). */
static void expect_loaded_here(struct ktest *t, pmap_t pmap)
{
	unsigned long flags = arch_irq_save();
	uint64_t here = 1ULL << cpu_number();
	uint64_t loaded = pmap_cpus_loaded(pmap);

	arch_irq_restore(flags);
	KTEST_EXPECT_EQ(t, loaded, here);
}

/*
 * A kernel thread with thread->pmap set reads and writes the user
 * addresses; then this thread switches itself with pmap_switch().
 * Referenced and modified follow.
 */
static void pmap_user_test_access(struct ktest *t)
{
	struct vm_page *p = test_page(0x1111222233334444ULL);
	pmap_t pmap = pmap_create();
	struct pmap_user_worker w = { .va = TEST_VA, .write = 0x5555 };
	phys_addr_t pa;
	struct thread *th;
	uint64_t v = 0;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	KTEST_ASSERT_NOT_NULL(t, p);
	pa = vm_page_to_phys(p);
	w.pmap = pmap;
	KTEST_ASSERT_EQ(t, pmap_enter(pmap, TEST_VA, pa, RW, false), KERN_SUCCESS);
	pmap_clear_reference(pa);
	pmap_clear_modify(pa);
	KTEST_EXPECT_FALSE(t, pmap_is_referenced(pa));
	KTEST_EXPECT_FALSE(t, pmap_is_modified(pa));

	th = worker_start(&w, -1);
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, worker_read(&w, &v));
	KTEST_EXPECT_EQ(t, v, 0x1111222233334444ULL);
	KTEST_EXPECT_EQ(t, ((uint64_t *)vm_page_to_virt(p))[1], 0x5555ULL);
	worker_stop(&w, th);
	KTEST_EXPECT_TRUE(t, pmap_is_referenced(pa));
	KTEST_EXPECT_TRUE(t, pmap_is_modified(pa));

	/* Read only: referenced, not modified. */
	pmap_clear_reference(pa);
	pmap_clear_modify(pa);
	current_thread()->pmap = pmap;
	pmap_switch(pmap);
	KTEST_EXPECT_EQ(t, pmap_current(), pmap);
	expect_loaded_here(t, pmap);
	v = user_read64(TEST_VA + 16);
	KTEST_EXPECT_EQ(t, v, 0x1111222233334444ULL);
	KTEST_EXPECT_TRUE(t, pmap_is_referenced(pa));
	KTEST_EXPECT_FALSE(t, pmap_is_modified(pa));
	/* Now a write. */
	user_write64(TEST_VA + 16, 0x6666);
	KTEST_EXPECT_TRUE(t, pmap_is_modified(pa));
	KTEST_EXPECT_EQ(t, ((uint64_t *)vm_page_to_virt(p))[2], 0x6666ULL);
	/* Cleared again, a read leaves it clean. */
	pmap_clear_modify(pa);
	v = user_read64(TEST_VA + 16);
	KTEST_EXPECT_FALSE(t, pmap_is_modified(pa));
	current_thread()->pmap = NULL;
	pmap_switch(kernel_pmap);
	KTEST_EXPECT_EQ(t, pmap_current(), kernel_pmap);
	KTEST_EXPECT_EQ(t, pmap_cpus_loaded(pmap), 0ULL);

	/* The bits of a removed mapping stay with the page. */
	pmap_remove(pmap, TEST_VA, TEST_VA + SZ_4K);
	KTEST_EXPECT_TRUE(t, pmap_is_referenced(pa));
	pmap_destroy(pmap);
	vm_page_free(p, 0);
}

/*
 * A page filled with value, mapped read-write at TEST_VA in a new pmap a,
 * and a second new pmap b: the set-up of the cases that share a page
 * between two pmaps. A failed allocation ends the case.
 */
static phys_addr_t two_pmaps_page(struct ktest *t, uint64_t value, struct vm_page **pp,
				  pmap_t *ap, pmap_t *bp)
{
	struct vm_page *p = test_page(value);
	pmap_t a = pmap_create(), b = pmap_create();
	phys_addr_t pa;

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, b);
	pa = vm_page_to_phys(p);
	KTEST_EXPECT_EQ(t, pmap_enter(a, TEST_VA, pa, RW, false), KERN_SUCCESS);
	*pp = p;
	*ap = a;
	*bp = b;
	return pa;
}

static void pmap_user_test_page_protect(struct ktest *t)
{
	struct vm_page *p;
	pmap_t a, b;
	vm_prot_t prot;
	phys_addr_t pa = two_pmaps_page(t, 7, &p, &a, &b);

	KTEST_EXPECT_EQ(t, pmap_enter(b, TEST_VA + 7 * SZ_4K, pa, RW, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter(b, TEST_VA + 9 * SZ_4K, pa, VM_PROT_READ, false),
			KERN_SUCCESS);

	pmap_page_protect(pa, VM_PROT_READ);
	KTEST_ASSERT_TRUE(t, pmap_extract(a, TEST_VA, NULL, &prot));
	KTEST_EXPECT_EQ(t, prot, (vm_prot_t)VM_PROT_READ);
	KTEST_ASSERT_TRUE(t, pmap_extract(b, TEST_VA + 7 * SZ_4K, NULL, &prot));
	KTEST_EXPECT_EQ(t, prot, (vm_prot_t)VM_PROT_READ);

	pmap_page_protect(pa, VM_PROT_NONE);
	KTEST_EXPECT_FALSE(t, pmap_extract(a, TEST_VA, NULL, NULL));
	KTEST_EXPECT_FALSE(t, pmap_extract(b, TEST_VA + 7 * SZ_4K, NULL, NULL));
	KTEST_EXPECT_FALSE(t, pmap_extract(b, TEST_VA + 9 * SZ_4K, NULL, NULL));
	KTEST_EXPECT_EQ(t, pmap_resident_count(a), 0UL);
	KTEST_EXPECT_EQ(t, pmap_resident_count(b), 0UL);
	KTEST_EXPECT_NULL(t, p->pv_list);
	pmap_destroy(a);
	pmap_destroy(b);
	vm_page_free(p, 0);
}

/*
 * A thread on another CPU runs in the pmap and reads va (its TLB holds the
 * translation); the mapping moves to another page, then is write
 * protected, then removed and entered again: the thread must see each
 * new page. QEMU keeps a TLB per virtual CPU, so a missing shootdown shows.
 */
static void pmap_user_test_shootdown(struct ktest *t)
{
	struct vm_page *p1 = test_page(0xa1), *p2 = test_page(0xb2), *p3 = test_page(0xc3);
	pmap_t pmap = pmap_create();
	struct pmap_user_worker w = { .va = TEST_VA };
	unsigned int cpu, tested = 0;
	struct thread *th;
	uint64_t v;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	KTEST_ASSERT_NOT_NULL(t, p1);
	KTEST_ASSERT_NOT_NULL(t, p2);
	KTEST_ASSERT_NOT_NULL(t, p3);
	w.pmap = pmap;
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (cpu == cpu_number() || !READ_ONCE(cpu_data_of(cpu)->online))
			continue;
		w.req = w.done = 0;
		w.quit = false;
		KTEST_ASSERT_EQ(t, pmap_enter(pmap, TEST_VA, vm_page_to_phys(p1), RW, false),
				KERN_SUCCESS);
		th = worker_start(&w, cpu);
		KTEST_ASSERT_NOT_NULL(t, th);
		KTEST_EXPECT_TRUE(t, worker_read(&w, &v));
		KTEST_EXPECT_EQ(t, v, 0xa1ULL);
		KTEST_EXPECT_TRUE(t, pmap_cpus_loaded(pmap) & (1ULL << cpu));

		KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA, vm_page_to_phys(p2), RW, false),
				KERN_SUCCESS);
		KTEST_EXPECT_TRUE(t, worker_read(&w, &v));
		KTEST_EXPECT_EQ(t, v, 0xb2ULL);

		pmap_page_protect(vm_page_to_phys(p2), VM_PROT_NONE);
		KTEST_EXPECT_EQ(t, pmap_enter(pmap, TEST_VA, vm_page_to_phys(p3), VM_PROT_READ,
					      false), KERN_SUCCESS);
		KTEST_EXPECT_TRUE(t, worker_read(&w, &v));
		KTEST_EXPECT_EQ(t, v, 0xc3ULL);
		worker_stop(&w, th);
		pmap_remove(pmap, TEST_VA, TEST_VA + SZ_4K);
		tested++;
	}
	pmap_destroy(pmap);
	vm_page_free(p1, 0);
	vm_page_free(p2, 0);
	vm_page_free(p3, 0);
	if (!tested)
		ktest_skip(t, "only one CPU online");
}

/*
 * Per-pmap locks: a thread on each other CPU (at least one thread) maps
 * the pages of a shared set in turn at one address of its own pmap and
 * reads each back, while this thread write-protects, clears the bits of
 * and removes every mapping of those pages by physical page, so that the
 * operations by pmap and by page, and the shootdowns of several pmaps,
 * run at once. A read gives the page just entered, or fails (removed by
 * this thread meanwhile), never another page's data; afterwards no page
 * has a mapping left and every count is back.
 */
#define PAR_PAGES	8
#define PAR_ITERS	1500

struct pmap_par_worker {
	pmap_t		pmap;
	struct vm_page	**pages;
	unsigned int	index;
	unsigned long	wrong;		/* reads of another page's data */
	bool		done;
};

static uint64_t par_value(unsigned int k)
{
	return 0x5eed0000ULL + k;
}

static void pmap_par_worker_fn(void *arg)
{
	struct pmap_par_worker *w = arg;
	unsigned int i;

	for (i = 0; i < PAR_ITERS; i++) {
		unsigned int k = (i + w->index) % PAR_PAGES;
		uint64_t v;

		if (pmap_enter(w->pmap, TEST_VA, vm_page_to_phys(w->pages[k]), RW, false) !=
		    KERN_SUCCESS) {
			w->wrong++;
			break;
		}
		v = user_read64(TEST_VA);
		if (v != par_value(k) && v != ~0ULL)
			w->wrong++;
	}
	pmap_remove(w->pmap, TEST_VA, TEST_VA + SZ_4K);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

static void pmap_user_test_parallel(struct ktest *t)
{
	struct pmap_par_worker w[MAX_CPUS];
	struct thread *th[MAX_CPUS] = { NULL };
	struct vm_page *pages[PAR_PAGES];
	unsigned int cpu, n = 0, i, k, threads = thread_count();
	bool busy = true;

	memset(pages, 0, sizeof(pages));
	for (k = 0; k < PAR_PAGES; k++) {
		pages[k] = test_page(par_value(k));
		KTEST_ASSERT_NOT_NULL(t, pages[k]);
	}
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		bool other = cpu != cpu_number() && READ_ONCE(cpu_data_of(cpu)->online);

		if (!other && !(cpu == MAX_CPUS - 1 && n == 0))
			continue;
		w[n] = (struct pmap_par_worker){ .pages = pages, .index = n };
		w[n].pmap = pmap_create();
		KTEST_ASSERT_NOT_NULL(t, w[n].pmap);
		th[n] = kernel_thread_create_suspended(pmap_par_worker_fn, &w[n],
						       current_thread()->priority, "pmap_par");
		KTEST_ASSERT_NOT_NULL(t, th[n]);
		th[n]->pmap = w[n].pmap;
		if (other)
			thread_bind(th[n], cpu);
		n++;
	}
	pmap_user_test_threads = true;
	for (i = 0; i < n; i++)
		thread_resume(th[i]);
	while (busy) {
		for (k = 0; k < PAR_PAGES; k++) {
			phys_addr_t pa = vm_page_to_phys(pages[k]);

			pmap_page_protect(pa, VM_PROT_READ);
			pmap_clear_reference(pa);
			(void)pmap_is_modified(pa);
			pmap_page_protect(pa, VM_PROT_NONE);
		}
		busy = false;
		for (i = 0; i < n; i++)
			busy |= !__atomic_load_n(&w[i].done, __ATOMIC_ACQUIRE);
		thread_yield();
	}
	for (i = 0; i < n; i++) {
		/* Off its CPU for good, so the pmap is loaded nowhere. */
		thread_join(th[i]);
		while (pmap_cpus_loaded(w[i].pmap))
			thread_yield();
		thread_deallocate(th[i]);
		KTEST_EXPECT_EQ(t, w[i].wrong, 0UL);
		KTEST_EXPECT_EQ(t, pmap_resident_count(w[i].pmap), 0UL);
		pmap_destroy(w[i].pmap);
	}
	for (k = 0; k < PAR_PAGES; k++) {
		KTEST_EXPECT_NULL(t, pages[k]->pv_list);
		vm_page_free(pages[k], 0);
	}
	/* Reaped before the next suite counts threads (bounded: 2 s). */
	for (i = 0; i < 2000 && thread_count() > threads; i++)
		thread_delay(NSEC_PER_MSEC);
}

/*
 * A batch (pmap_page_protect_options() with a flush context, then
 * pmap_flush()): a thread on each other CPU keeps writing a rising
 * number into its own word of every page of a mapped set, while this
 * thread removes every page's mapping in one batch. After pmap_flush()
 * the pages are copied (what a flush returns to a pager): each writer's
 * last write that succeeded is in the copy (none lost), and, while the
 * writers go on trying for a while, no page changes any more (no write
 * through a stale entry). On x86_64 the batch took at most one shootdown
 * round, not one per page.
 */
#define BATCH_PAGES	16
#define BATCH_WAIT_MS	10000		/* 10 s at most for each wait */

struct pmap_batch_writer {
	pmap_t		pmap;
	unsigned int	slot;		/* its word in each page */
	uint64_t	last[BATCH_PAGES];	/* the last value written, per page */
	unsigned long	failed;		/* writes refused (mapping gone) */
	bool		quit;
	bool		done;
};

static void pmap_batch_writer_fn(void *arg)
{
	struct pmap_batch_writer *w = arg;
	uint64_t seq = 1;
	unsigned int i;

	while (!READ_ONCE(w->quit)) {
		for (i = 0; i < BATCH_PAGES; i++, seq++) {
			uint64_t v = seq;

			if (copyout(&v, (void __user *)(TEST_VA + i * SZ_4K + w->slot * 8),
				    sizeof(v)) == KERN_SUCCESS)
				WRITE_ONCE(w->last[i], v);
			else
				WRITE_ONCE(w->failed, w->failed + 1);
		}
		if (!(seq & 1023))
			arch_cpu_relax();
	}
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

static void pmap_user_test_batch(struct ktest *t)
{
	static uint64_t copy[BATCH_PAGES][SZ_4K / 8];
	struct pmap_batch_writer w[MAX_CPUS];
	struct thread *th[MAX_CPUS] = { NULL };
	struct vm_page *pages[BATCH_PAGES];
	struct pmap_flush_context pfc = PMAP_FLUSH_CONTEXT_INIT;
	pmap_t pmap = pmap_create();
	unsigned int cpu, n = 0, i, k, spins;
	unsigned long rounds;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	for (k = 0; k < BATCH_PAGES; k++) {
		pages[k] = test_page(0);
		KTEST_ASSERT_NOT_NULL(t, pages[k]);
		KTEST_ASSERT_EQ(t, pmap_enter(pmap, TEST_VA + k * SZ_4K, vm_page_to_phys(pages[k]),
					      RW, false), KERN_SUCCESS);
	}
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (cpu == cpu_number() || !READ_ONCE(cpu_data_of(cpu)->online))
			continue;
		w[n] = (struct pmap_batch_writer){ .pmap = pmap, .slot = n + 1 };
		th[n] = kernel_thread_create_suspended(pmap_batch_writer_fn, &w[n],
						       current_thread()->priority, "pmap_batch");
		KTEST_ASSERT_NOT_NULL(t, th[n]);
		th[n]->pmap = pmap;
		thread_bind(th[n], cpu);
		n++;
	}
	if (!n) {
		pmap_remove(pmap, TEST_VA, TEST_VA + BATCH_PAGES * SZ_4K);
		pmap_destroy(pmap);
		for (k = 0; k < BATCH_PAGES; k++)
			vm_page_free(pages[k], 0);
		ktest_skip(t, "only one CPU online");
		return;
	}
	pmap_user_test_threads = true;
	for (i = 0; i < n; i++)
		thread_resume(th[i]);
	/*
	 * Every writer running in the pmap and writing every page. The waits
	 * sleep: this thread is not bound and, yielding, could keep a writer
	 * whose priority decayed off its CPU.
	 */
	for (i = 0; i < n; i++)
		for (spins = 0; spins < BATCH_WAIT_MS && !READ_ONCE(w[i].last[BATCH_PAGES - 1]);
		     spins++)
			thread_delay(NSEC_PER_MSEC);

	rounds = pmap_user_shootdowns();
	for (k = 0; k < BATCH_PAGES; k++)
		pmap_page_protect_options(vm_page_to_phys(pages[k]), VM_PROT_NONE, &pfc);
	KTEST_EXPECT_EQ(t, pfc.pages, (unsigned long)BATCH_PAGES);
	pmap_flush(&pfc);
	rounds = pmap_user_shootdowns() - rounds;
	for (k = 0; k < BATCH_PAGES; k++)
		memcpy(copy[k], vm_page_to_virt(pages[k]), SZ_4K);
	KTEST_EXPECT_TRUE(t, rounds <= 1);
	KTEST_EXPECT_EQ(t, pfc.pages, 0UL);

	/* The writers keep trying: every write must fail now. */
	for (i = 0; i < n; i++) {
		unsigned long failed = READ_ONCE(w[i].failed);

		for (spins = 0; spins < BATCH_WAIT_MS && READ_ONCE(w[i].failed) < failed + 64;
		     spins++)
			thread_delay(NSEC_PER_MSEC);
		KTEST_EXPECT_TRUE(t, READ_ONCE(w[i].failed) >= failed + 64);
	}
	for (i = 0; i < n; i++) {
		WRITE_ONCE(w[i].quit, true);
		thread_join(th[i]);
		thread_deallocate(th[i]);
	}
	for (spins = 0; spins < BATCH_WAIT_MS && pmap_cpus_loaded(pmap); spins++)
		thread_delay(NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, pmap_cpus_loaded(pmap), 0ULL);
	for (k = 0; k < BATCH_PAGES; k++) {
		KTEST_EXPECT_EQ(t, memcmp(copy[k], vm_page_to_virt(pages[k]), SZ_4K), 0);
		for (i = 0; i < n; i++)
			KTEST_EXPECT_EQ(t, copy[k][w[i].slot], w[i].last[k]);
		KTEST_EXPECT_NULL(t, pages[k]->pv_list);
		KTEST_EXPECT_FALSE(t, pmap_extract(pmap, TEST_VA + k * SZ_4K, NULL, NULL));
	}
	KTEST_EXPECT_EQ(t, pmap_resident_count(pmap), 0UL);
	pmap_remove(pmap, TEST_VA, TEST_VA + BATCH_PAGES * SZ_4K);
	pmap_destroy(pmap);
	for (k = 0; k < BATCH_PAGES; k++)
		vm_page_free(pages[k], 0);
}

/*
 * More pmaps than ASIDs: switching through them twice needs a new
 * generation at least once, and each still reads its own page.
 */
#define ROLLOVER_PMAPS	(2 * MAX_CPUS + 6)

static void pmap_user_test_asid_rollover(struct ktest *t)
{
	static pmap_t pmaps[ROLLOVER_PMAPS];
	static struct vm_page *pages[ROLLOVER_PMAPS];
	uint64_t gen;
	unsigned int i, round;

	if (!pmap_asid_count()) {
		ktest_skip(t, "no ASIDs (PCID) on this CPU");
		return;
	}
	pmap_asid_test_limit(2 * MAX_CPUS + 2);
	gen = pmap_asid_generation();
	for (i = 0; i < ROLLOVER_PMAPS; i++) {
		pmaps[i] = pmap_create();
		pages[i] = test_page(0x100 + i);
		KTEST_ASSERT_NOT_NULL(t, pmaps[i]);
		KTEST_ASSERT_NOT_NULL(t, pages[i]);
		KTEST_ASSERT_EQ(t, pmap_enter(pmaps[i], TEST_VA, vm_page_to_phys(pages[i]),
					      VM_PROT_READ, false), KERN_SUCCESS);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < ROLLOVER_PMAPS; i++) {
			current_thread()->pmap = pmaps[i];
			pmap_switch(pmaps[i]);
			KTEST_EXPECT_EQ(t, user_read64(TEST_VA), 0x100ULL + i);
		}
	}
	current_thread()->pmap = NULL;
	pmap_switch(kernel_pmap);
	KTEST_EXPECT_GT(t, pmap_asid_generation(), gen + 1);
	pmap_asid_test_limit(0);
	for (i = 0; i < ROLLOVER_PMAPS; i++) {
		pmap_destroy(pmaps[i]);
		vm_page_free(pages[i], 0);
	}
}

/*
 * The page's own reverse-map entry serves one mapping: the others take
 * entries from the zone, and when the mapping that has it goes, the next
 * new mapping gets it (the zone's count shows which is which).
 */
static void pmap_user_test_pv_first(struct ktest *t)
{
	unsigned long base = pmap_pv_zone_in_use();
	struct vm_page *p;
	pmap_t a, b;
	phys_addr_t pa = two_pmaps_page(t, 8, &p, &a, &b);

	KTEST_EXPECT_EQ(t, pmap_pv_zone_in_use(), base);
	KTEST_EXPECT_PTR_EQ(t, p->pv_list, &p->pv_first);
	KTEST_EXPECT_PTR_EQ(t, p->pv_first.pmap, a);
	KTEST_EXPECT_EQ(t, p->pv_first.va, TEST_VA);
	KTEST_EXPECT_EQ(t, pmap_enter(b, TEST_VA + SZ_4K, pa, RW, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_enter(a, TEST_VA + 2 * SZ_4K, pa, VM_PROT_READ, false),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_pv_zone_in_use(), base + 2);

	/* The mapping with the page's own entry goes: it is free again. */
	pmap_remove(a, TEST_VA, TEST_VA + SZ_4K);
	KTEST_EXPECT_NULL(t, p->pv_first.pmap);
	KTEST_EXPECT_EQ(t, pmap_pv_zone_in_use(), base + 2);
	KTEST_EXPECT_TRUE(t, pmap_extract(b, TEST_VA + SZ_4K, NULL, NULL));
	KTEST_EXPECT_TRUE(t, pmap_extract(a, TEST_VA + 2 * SZ_4K, NULL, NULL));
	KTEST_EXPECT_EQ(t, pmap_enter(b, TEST_VA + 3 * SZ_4K, pa, RW, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_pv_zone_in_use(), base + 2);
	KTEST_EXPECT_PTR_EQ(t, p->pv_first.pmap, b);
	KTEST_EXPECT_EQ(t, p->pv_first.va, TEST_VA + 3 * SZ_4K);

	/* A zone entry goes back to the zone; every mapping goes by page. */
	pmap_remove(b, TEST_VA + SZ_4K, TEST_VA + 2 * SZ_4K);
	KTEST_EXPECT_EQ(t, pmap_pv_zone_in_use(), base + 1);
	KTEST_EXPECT_PTR_EQ(t, p->pv_first.pmap, b);
	pmap_page_protect(pa, VM_PROT_NONE);
	KTEST_EXPECT_NULL(t, p->pv_list);
	KTEST_EXPECT_NULL(t, p->pv_first.pmap);
	KTEST_EXPECT_EQ(t, pmap_pv_zone_in_use(), base);
	KTEST_EXPECT_EQ(t, pmap_resident_count(a), 0UL);
	KTEST_EXPECT_EQ(t, pmap_resident_count(b), 0UL);
	pmap_destroy(a);
	pmap_destroy(b);
	vm_page_free(p, 0);
}

static struct ktest_case pmap_user_test_cases[] = {
	KTEST_CASE(pmap_user_test_enter_extract),
	KTEST_CASE(pmap_user_test_2m),
	KTEST_CASE(pmap_user_test_walk),
	KTEST_CASE(pmap_user_test_access),
	KTEST_CASE(pmap_user_test_page_protect),
	KTEST_CASE(pmap_user_test_pv_first),
	KTEST_CASE(pmap_user_test_shootdown),
	KTEST_CASE(pmap_user_test_parallel),
	KTEST_CASE(pmap_user_test_batch),
	KTEST_CASE(pmap_user_test_asid_rollover),
	{}
};

static struct ktest_suite pmap_user_test_suite = {
	.name = "pmap_user",
	.suite_init = pmap_user_test_suite_init,
	.init = pmap_user_test_init,
	.exit = pmap_user_test_exit,
	.test_cases = pmap_user_test_cases,
};
KTEST_SUITE(pmap_user_test_suite);
