// SPDX-License-Identifier: MIT
/*
 * Per-CPU data: the fixed struct cpu_data of each CPU. The boot CPU's is
 * installed before anything else runs (kernel_early_init()); the others in
 * cpu_percpu_setup() when each CPU is brought up.
 *
 * The boot CPU uses .data.percpu itself, so by the time another CPU comes
 * up that section holds the boot CPU's live state (its timer queue, its
 * run queue), not initial values. cpu_bootstrap() therefore keeps a
 * snapshot of the section as the linker laid it out, and each other CPU's
 * copy starts from that snapshot.
 */
#include <kern/cpu.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/vm_page.h>

struct cpu_data cpu_data_array[MAX_CPUS];
unsigned int cpu_count = 1;

#ifdef CONFIG_SMP
/* Room for the initial image of .data.percpu; checked at boot. */
#define PERCPU_TEMPLATE_MAX	(16 * 1024)
static char percpu_template[PERCPU_TEMPLATE_MAX] __aligned(64);
static bool percpu_template_ok;
#endif

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
#ifdef CONFIG_SMP
	if ((size_t)(__percpu_end - __percpu_start) <= sizeof(percpu_template)) {
		memcpy(percpu_template, __percpu_start, __percpu_end - __percpu_start);
		percpu_template_ok = true;
	}
#endif
}

#ifdef CONFIG_SMP
kern_return_t cpu_percpu_setup(unsigned int cpu, unsigned long arch_id)
{
	size_t size = __percpu_end - __percpu_start;
	struct cpu_data *cd = &cpu_data_array[cpu];
	unsigned int order = 0;
	struct vm_page *page;
	char *copy;

	if (cpu == 0 || cpu >= MAX_CPUS)
		return KERN_INVALID_ARGUMENT;
	if (!percpu_template_ok) {
		pr_err("cpu: .data.percpu is %zu bytes, more than the %d-byte template\n",
		       size, PERCPU_TEMPLATE_MAX);
		return KERN_FAILURE;
	}
	while (VM_PAGE_ORDER_SIZE(order) < size && order < VM_PAGE_MAX_ORDER)
		order++;
	page = vm_page_alloc(order);
	if (!page)
		return KERN_RESOURCE_SHORTAGE;
	copy = vm_page_to_virt(page);
	memcpy(copy, percpu_template, size);

	memset(cd, 0, sizeof(*cd));
	cd->self = cd;
	cd->id = cpu;
	cd->arch_id = arch_id;
	cd->percpu_offset = (uintptr_t)copy - (uintptr_t)__percpu_start;
	return KERN_SUCCESS;
}
#endif
