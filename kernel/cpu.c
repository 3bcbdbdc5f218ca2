// SPDX-License-Identifier: MIT
/*
 * Per-CPU data: the fixed struct cpu_data of each CPU. The boot CPU's is
 * installed before anything else runs (kernel_early_init()); the others in
 * cpu_percpu_setup() when each CPU is brought up.
 */
#include <kern/cpu.h>
#include <kern/string.h>

struct cpu_data cpu_data_array[MAX_CPUS];
unsigned int cpu_count = 1;

/* arch percpu.h reads these two fields at fixed offsets. */
BUILD_BUG_ON(__builtin_offsetof(struct cpu_data, self) != CPU_DATA_SELF_OFFSET);
BUILD_BUG_ON(__builtin_offsetof(struct cpu_data, active_thread) !=
	     CPU_DATA_ACTIVE_THREAD_OFFSET);

void cpu_bootstrap(void)
{
	struct cpu_data *cd = &cpu_data_array[0];

	cd->self = cd;
	cd->id = 0;
	cd->percpu_offset = 0;	/* the boot CPU uses .data.percpu itself */
	cd->online = true;
	arch_cpu_data_install(cd);
}
