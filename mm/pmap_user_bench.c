// SPDX-License-Identifier: MIT
/*
 * Benchmarks of user address spaces (CONFIG_KBENCH, see <kbench.h>):
 *
 *   pmap_enter_remove  one 4 KiB page entered into a user pmap and removed
 *                      again (the remove frees the three tables it
 *                      empties and the next enter takes them back from the
 *                      pmap's cache of freed tables), including the
 *                      reverse-map insert and delete and the local TLB
 *                      invalidation of the removal
 *   pmap_switch        two user pmaps loaded alternately on this CPU (one
 *                      operation is one switch): the CR3 / TTBR0 write
 *                      with its PCID / ASID, no TLB flush while the
 *                      address-space tag stays valid
 */
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/vm_page.h>
#include <kbench.h>

#define PMAP_BENCH_VA	(VM_MIN_USER_ADDRESS + 0x40000000UL)

struct pmap_bench {
	pmap_t		pmaps[2];
	struct vm_page	*page;
	pmap_t		saved;
};

static kern_return_t pmap_bench_setup(void **ctx)
{
	static struct pmap_bench b;

	b.pmaps[0] = pmap_create();
	b.pmaps[1] = pmap_create();
	b.page = vm_page_alloc(0);
	if (!b.pmaps[0] || !b.pmaps[1] || !b.page)
		panic("kbench: pmap: out of memory");
	/* The first enter allocates the page tables; keep them for the loop. */
	if (pmap_enter(b.pmaps[0], PMAP_BENCH_VA, b.page->phys_addr,
		       VM_PROT_READ | VM_PROT_WRITE, false) != KERN_SUCCESS)
		panic("kbench: pmap: pmap_enter failed");
	pmap_remove(b.pmaps[0], PMAP_BENCH_VA, PMAP_BENCH_VA + PAGE_SIZE);
	b.saved = pmap_current();
	*ctx = &b;
	return KERN_SUCCESS;
}

static void pmap_bench_teardown(void *ctx)
{
	struct pmap_bench *b = ctx;

	pmap_switch(b->saved);
	pmap_destroy(b->pmaps[0]);
	pmap_destroy(b->pmaps[1]);
	vm_page_free(b->page, 0);
}

static void pmap_bench_enter_remove_run(void *ctx, unsigned long iters)
{
	struct pmap_bench *b = ctx;

	while (iters--) {
		pmap_enter(b->pmaps[0], PMAP_BENCH_VA, b->page->phys_addr,
			   VM_PROT_READ | VM_PROT_WRITE, false);
		pmap_remove(b->pmaps[0], PMAP_BENCH_VA, PMAP_BENCH_VA + PAGE_SIZE);
	}
}
KBENCH(pmap_enter_remove, 50000, pmap_bench_setup, pmap_bench_enter_remove_run,
       pmap_bench_teardown);

static void pmap_bench_switch_run(void *ctx, unsigned long iters)
{
	struct pmap_bench *b = ctx;
	unsigned long i;

	for (i = 0; i < iters; i++)
		pmap_switch(b->pmaps[i & 1]);
}
KBENCH(pmap_switch, 100000, pmap_bench_setup, pmap_bench_switch_run,
       pmap_bench_teardown);
