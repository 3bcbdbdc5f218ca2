// SPDX-License-Identifier: MIT
/*
 * Benchmarks of the page allocator (CONFIG_KBENCH, see <kbench.h>):
 * a single page allocated and freed, which is the per-CPU page cache's
 * pop and push, and an order-3 run for reference, which goes through the
 * buddy lists and their lock (a split on allocation, a merge on free).
 */
#include <kern/panic.h>
#include <kern/vm_page.h>
#include <kbench.h>

static void vm_page_bench_order0_run(void *ctx, unsigned long iters)
{
	while (iters--) {
		struct vm_page *p = vm_page_alloc(0);

		if (unlikely(!p))
			panic("kbench: page_alloc_free: out of pages");
		vm_page_free(p, 0);
	}
}
KBENCH(page_alloc_free, 100000, NULL, vm_page_bench_order0_run, NULL);

static void vm_page_bench_order3_run(void *ctx, unsigned long iters)
{
	while (iters--) {
		struct vm_page *p = vm_page_alloc(3);

		if (unlikely(!p))
			panic("kbench: page_alloc_free_order3: out of pages");
		vm_page_free(p, 3);
	}
}
KBENCH(page_alloc_free_order3, 100000, NULL, vm_page_bench_order3_run, NULL);
