// SPDX-License-Identifier: MIT
/*
 * Benchmarks of zones (CONFIG_KBENCH, see <kbench.h>): zalloc+zfree of a
 * 64-byte zone of its own, and kalloc(64)+kfree() through the kalloc.64
 * zone (the size-class lookup on top of the same path). Both run the
 * per-CPU cache's fast path after the warm-up.
 */
#include <kern/zalloc.h>
#include <kbench.h>

static kern_return_t zalloc_bench_setup(void **ctx)
{
	*ctx = zone_create("bench.64", 64, 0, 0);
	return *ctx ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

static void zalloc_bench_run(void *ctx, unsigned long iters)
{
	/* zfree(NULL) would be reported (a panic): no test needed. */
	while (iters--)
		zfree(ctx, zalloc(ctx));
}

static void zalloc_bench_teardown(void *ctx)
{
	zone_destroy(ctx);
}
KBENCH(zalloc_zfree, 100000, zalloc_bench_setup, zalloc_bench_run,
       zalloc_bench_teardown);

static void kalloc_bench_run(void *ctx, unsigned long iters)
{
	while (iters--)
		kfree(kalloc(64), 64);
}
KBENCH(kalloc_kfree_64, 100000, NULL, kalloc_bench_run, NULL);
