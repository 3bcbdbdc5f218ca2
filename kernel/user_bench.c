// SPDX-License-Identifier: MIT
/*
 * The user benchmarks: /bin/ktest bench (user/tests/bench.c) started from
 * the kbench run (kernel/user_program.h). The program times its loops with
 * mach_absolute_time() (nanoseconds: guest instructions under -icount
 * shift=0) and prints "kbench: <name> iters=N ns/op=X" lines of its own,
 * which scripts/bench.sh reads as it reads the kernel's.
 * Documentation/dev-tools/bench.rst.
 */
#include <kern/cmdline.h>
#include <kern/printk.h>
#include <kbench.h>

#include "user_program.h"

#define USER_BENCH_TIMEOUT_MS	(300 * 1000)

/*
 * kbench.user=NAME (and kbench.iters=N) on the command line: only the
 * program's benchmark NAME, N times (scripts/kbench-profile traces two
 * runs of one user row with different N, as it does a kernel one).
 */
static kern_return_t user_bench_setup(void **ctx)
{
	const char *argv[] = { KTEST_USER_PATH, "bench", cmdline_get("kbench.user"),
			       cmdline_get("kbench.iters") };
	unsigned int argc = argv[2] ? (argv[3] ? 4 : 3) : 2;
	struct ktest_user_result res;
	struct user_program p;
	struct cpio_file file;
	kern_return_t kr;
	int exception;
	long code[2];

	kr = ramdisk_lookup(KTEST_USER_PATH, &file);
	if (kr != KERN_SUCCESS)
		return kr;		/* no RAM disk: said as a failed setup */
	kr = user_program_start(&p, &file, argv, argc);
	if (kr == KERN_SUCCESS) {
		switch (user_program_wait(&p, USER_BENCH_TIMEOUT_MS, &res, &exception, code)) {
		case USER_PROGRAM_RESULT:
			kr = res.failed ? KERN_FAILURE : KERN_SUCCESS;
			break;
		case USER_PROGRAM_EXCEPTION:
			pr_alert("kbench: %s died: exception %d, code %#lx, %#lx\n", KTEST_USER_PATH,
				 exception, (unsigned long)code[0], (unsigned long)code[1]);
			kr = KERN_FAILURE;
			break;
		default:
			kr = KERN_FAILURE;
			break;
		}
	}
	user_program_end(&p);
	return kr;
}

/* The figures are the program's; this line only says it ran. */
static void user_bench_run(void *ctx, unsigned long iters)
{
}

KBENCH(user_programs, 1, user_bench_setup, user_bench_run, NULL);
