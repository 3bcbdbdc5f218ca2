// SPDX-License-Identifier: MIT
/*
 * IPI dispatch and the first steps of a secondary CPU.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/printk.h>
#include <kern/smp.h>

static ipi_handler_t ipi_handlers[IPI_NR_KINDS];
static DEFINE_PER_CPU(unsigned long [IPI_NR_KINDS], ipi_counts);

void (*cpu_secondary_hook)(void);

void smp_ipi_register(unsigned int kind, ipi_handler_t fn)
{
	if (kind < IPI_NR_KINDS)
		__atomic_store_n(&ipi_handlers[kind], fn, __ATOMIC_RELEASE);
}

unsigned long smp_ipi_count(unsigned int cpu, unsigned int kind)
{
	if (cpu >= MAX_CPUS || kind >= IPI_NR_KINDS)
		return 0;
	return __atomic_load_n(&(*per_cpu_ptr(&ipi_counts, cpu))[kind], __ATOMIC_RELAXED);
}

void smp_ipi_handler(unsigned int kind)
{
	ipi_handler_t fn;

	if (kind >= IPI_NR_KINDS)
		return;
	(*this_cpu_ptr(&ipi_counts))[kind]++;
	if (kind == IPI_HALT)
		arch_halt();
	fn = __atomic_load_n(&ipi_handlers[kind], __ATOMIC_ACQUIRE);
	if (fn)
		fn(kind);
}

void __noreturn cpu_secondary_main(void)
{
	struct cpu_data *cd = cpu_this();

	__atomic_store_n(&cd->online, true, __ATOMIC_RELEASE);
	__atomic_add_fetch(&cpu_count, 1, __ATOMIC_ACQ_REL);
	pr_info("smp: CPU%u (arch id %#lx) online\n", cd->id, cd->arch_id);
	if (cpu_secondary_hook)
		cpu_secondary_hook();
	arch_irq_enable();
	for (;;)
		arch_idle();
}
