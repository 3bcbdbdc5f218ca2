// SPDX-License-Identifier: MIT
/*
 * kbench: the harness behind <kbench.h>. Benchmarks come from the .kbench.*
 * linker section, sorted by name.
 */
#include <kern/arch.h>
#include <kern/cmdline.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <kbench.h>

extern const struct kbench __kbench_start[], __kbench_end[];

/* A tenth-resolution quotient, printed as "x.y". */
static void kbench_print_ratio(const char *label, uint64_t total, unsigned long iters)
{
	uint64_t tenths = (total * 10 + iters / 2) / iters;

	printk(KERN_CONT " %s=%llu.%llu", label, (unsigned long long)(tenths / 10),
	       (unsigned long long)(tenths % 10));
}

/*
 * kbench.iters=N on the command line runs every benchmark N times instead
 * of its own count: two runs with different N, traced, give the cost of
 * one operation without the boot's (Documentation/dev-tools/bench.rst).
 */
static void kbench_run_one(const struct kbench *b)
{
	unsigned long iters = cmdline_get_ulong("kbench.iters", b->iterations);
	uint64_t t0, t1, c0, c1;
	void *ctx = NULL;
	kern_return_t kr;

	if (b->setup) {
		kr = b->setup(&ctx);
		if (kr != KERN_SUCCESS) {
			pr_alert("kbench: %s setup failed (kern_return %d)\n", b->name, kr);
			return;
		}
	}
	if (!iters)
		iters = 1;
	b->run(ctx, iters / 10 + 1);	/* warm caches and allocators */
	t0 = clock_now();
	c0 = arch_cycle_counter();
	b->run(ctx, iters);
	c1 = arch_cycle_counter();
	t1 = clock_now();
	if (b->teardown)
		b->teardown(ctx);

	printk(KERN_ALERT "kbench: %s iters=%lu", b->name, iters);
	kbench_print_ratio("ns/op", t1 - t0, iters);
	kbench_print_ratio("cycles/op", c1 - c0, iters);
	printk(KERN_CONT "\n");
}

void kbench_run_all(void)
{
	const char *filter = cmdline_get("kbench.filter");
	const struct kbench *b;

	if (!cmdline_get_bool("kbench", false))
		return;
	pr_alert("kbench: start, %u benchmarks\n",
		 (unsigned int)(__kbench_end - __kbench_start));
	for (b = __kbench_start; b < __kbench_end; b++) {
		if (!filter || glob_match_list(filter, b->name))
			kbench_run_one(b);
	}
	pr_alert("kbench: done\n");
	arch_poweroff(0);
}

/* The cost of the harness's loop itself, for reference. */
static __noinline void kbench_null_run(void *ctx, unsigned long iters)
{
	while (iters--)
		barrier();
}
KBENCH(null, 1000000, NULL, kbench_null_run, NULL);

static void kbench_clock_run(void *ctx, unsigned long iters)
{
	while (iters--)
		(void)clock_now();
}
KBENCH(clock_now, 100000, NULL, kbench_clock_run, NULL);
