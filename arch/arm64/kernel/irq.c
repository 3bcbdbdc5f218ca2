// SPDX-License-Identifier: MIT
/*
 * arm64 interrupts: find the GIC in the device tree, start it, and handle
 * the IRQ exception.
 *
 * entry.S saves the interrupted registers and calls arm64_irq_handler(),
 * which acknowledges every pending interrupt in turn: SGIs are IPIs
 * (smp_ipi_handler), the virtual timer's PPI is the clock, and anything
 * else is a device line for irq_dispatch(). An SGI is EOIed before its
 * handler runs (IPI_HALT never returns), a level-triggered line after its
 * handler has quietened the device, so that it is not taken twice. All
 * are EOIed before irq_exit(), which may switch threads.
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/fdt.h>
#include <kern/printk.h>

#include <asm/sysreg.h>

#include "gic.h"

static const struct gic_ops *gic;

static const struct {
	const char		*compatible;
	const struct gic_ops	*ops;
} gic_matches[] = {
	{ "arm,gic-v3",		&gic_v3_ops },
	{ "arm,gic-400",	&gic_v2_ops },
	{ "arm,cortex-a15-gic",	&gic_v2_ops },
	{ "arm,cortex-a9-gic",	&gic_v2_ops },
};

kern_return_t arch_irq_init(void)
{
	const void *fdt = boot_info.fdt;
	unsigned int i;
	kern_return_t kr;

	for (i = 0; i < ARRAY_SIZE(gic_matches); i++) {
		int node = fdt_find_compatible(fdt, -1, gic_matches[i].compatible);

		if (node < 0)
			continue;
		kr = gic_matches[i].ops->init(fdt, node);
		if (kr != KERN_SUCCESS) {
			pr_err("irq: %s at %s: cannot start it (kern_return %d)\n",
			       gic_matches[i].ops->name, fdt_node_name(fdt, node), kr);
			return kr;
		}
		gic = gic_matches[i].ops;
		gic->cpu_init();
		return KERN_SUCCESS;
	}
	pr_err("irq: no supported interrupt controller in the device tree\n");
	return KERN_FAILURE;
}

unsigned long arm64_cpu_mpidr(unsigned int cpu)
{
	if (cpu == cpu_number())
		return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	return cpu_data_of(cpu)->arch_id;
}

void gic_cpu_init(void)
{
	gic->cpu_init();
}

void arch_irq_unmask(unsigned int irq)
{
	if (gic && irq < GIC_INTID_SPURIOUS)
		gic->unmask(irq);
}

void arch_irq_mask(unsigned int irq)
{
	if (gic && irq < GIC_INTID_SPURIOUS)
		gic->mask(irq);
}

void arch_send_ipi(unsigned int cpu, unsigned int kind)
{
	if (gic && kind < GIC_NR_SGIS)
		gic->send_sgi(cpu, kind);
}

void arm64_irq_handler(struct arch_regs *regs)
{
	unsigned int timer = arm64_timer_intid();

	irq_enter(arch_regs_user_mode(regs));
	for (;;) {
		uint32_t iar = gic->ack();
		unsigned int intid = iar & 0x3ff;

		if (intid >= GIC_INTID_SPURIOUS)
			break;
		if (intid < GIC_NR_SGIS) {
			gic->eoi(iar);
			smp_ipi_handler(intid);
			continue;
		}
		if (intid == timer)
			arm64_timer_interrupt();
		else
			irq_dispatch(intid);
		gic->eoi(iar);
	}
	irq_exit();
}
