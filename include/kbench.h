/* SPDX-License-Identifier: MIT */
/*
 * kbench: in-kernel micro-benchmarks. They run in the guest when the
 * command line says "kbench" (make bench boots a kernel built with
 * CONFIG_KBENCH under QEMU -icount, where guest time counts instructions),
 * and print one line each:
 *
 *	kbench: <name> iters=<n> ns/op=<x.y> cycles/op=<x.y>
 *
 * scripts/machline-bench turns ns into guest instructions (one instruction
 * is 2^shift ns of virtual time under -icount shift=N). A benchmark is not
 * a test: it reports figures and asserts nothing.
 *
 *	static void zalloc_bench_run(void *ctx, unsigned long iters)
 *	{
 *		while (iters--)
 *			zfree(ctx, zalloc(ctx));
 *	}
 *	KBENCH(zalloc_zfree, 100000, zalloc_bench_setup, zalloc_bench_run, NULL);
 *
 * run() does `iters` operations; the harness times it after a short warm-up.
 * Each line's figure includes the caller's loop (a few instructions per
 * operation); the "null" benchmark shows that cost.
 */
#ifndef _KBENCH_H
#define _KBENCH_H

#include <kern/types.h>
#include <mach/kern_return.h>

struct kbench {
	const char	*name;
	unsigned long	iterations;
	kern_return_t	(*setup)(void **ctx);		/* may be NULL */
	void		(*run)(void *ctx, unsigned long iters);
	void		(*teardown)(void *ctx);		/* may be NULL */
};

#define KBENCH(_name, _iters, _setup, _run, _teardown)			\
	static const struct kbench __kbench_##_name			\
	__used __section(".kbench." #_name) __aligned(sizeof(void *)) = { \
		.name = #_name, .iterations = (_iters), .setup = (_setup), \
		.run = (_run), .teardown = (_teardown),			\
	}

#ifdef CONFIG_KBENCH
/* Run every benchmark (filtered by kbench.filter=GLOB), then power off. */
void kbench_run_all(void);
#else
static inline void kbench_run_all(void) { }
#endif

#endif /* _KBENCH_H */
