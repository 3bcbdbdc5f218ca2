// SPDX-License-Identifier: MIT
/* The user benchmarks (ktest bench): not written yet. */
#include "utest.h"

int utest_bench(void)
{
	printf("ktest: bench: KERN_NOT_SUPPORTED (not written yet)\n");
	return -1;
}
