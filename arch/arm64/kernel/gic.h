/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/arm64/kernel: the interrupt controller (GICv2 or GICv3,
 * whichever the device tree describes), the generic timer and the SMP
 * bring-up, as irq.c, gic-v2.c, gic-v3.c, time.c and smp.c call each other.
 *
 * INTIDs are the GIC's: 0-15 SGIs (our IPIs, SGI n = IPI kind n), 16-31
 * PPIs (per CPU: the timers), 32-1019 SPIs (devices), 1020-1023 special
 * (1023: nothing pending).
 */
#ifndef _ARCH_ARM64_KERNEL_GIC_H
#define _ARCH_ARM64_KERNEL_GIC_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define GIC_NR_SGIS		16
#define GIC_FIRST_SPI		32
#define GIC_INTID_SPURIOUS	1020	/* this and above: nothing to handle */

/* Priorities: lower is more urgent; the CPU interfaces let all of these in. */
#define GIC_PRIO_DEFAULT	0xa0
#define GIC_PRIO_IPI		0x80
#define GIC_PMR_ALLOW_ALL	0xf0

struct arch_regs;

/*
 * One implementation per GIC version. ack() returns the raw acknowledge
 * value (INTID in bits 9:0, on GICv2 the SGI's source CPU above it), which
 * eoi() takes back unchanged.
 */
struct gic_ops {
	const char	*name;
	kern_return_t	(*init)(const void *fdt, int node);	/* distributor + boot CPU */
	void		(*cpu_init)(void);			/* this CPU's interface */
	uint32_t	(*ack)(void);
	void		(*eoi)(uint32_t iar);
	void		(*unmask)(unsigned int intid);		/* SPI, or PPI/SGI of this CPU */
	void		(*mask)(unsigned int intid);
	void		(*send_sgi)(unsigned int cpu, unsigned int sgi);
};

extern const struct gic_ops gic_v2_ops;
extern const struct gic_ops gic_v3_ops;

/* irq.c */
void gic_cpu_init(void);			/* a secondary CPU's interface */
void arm64_irq_handler(struct arch_regs *regs);	/* entry.S: IRQ from EL1h / EL0 */

/* time.c */
void arm64_timer_interrupt(void);		/* the virtual timer's PPI fired */
unsigned int arm64_timer_intid(void);
void arm64_timer_cpu_init(void);		/* a secondary CPU's timer */

/* smp.c: the MPIDR affinity (Aff3..Aff0) of a CPU, as the GIC wants it. */
unsigned long arm64_cpu_mpidr(unsigned int cpu);

#define MPIDR_AFF_MASK		0xff00ffffffUL

#endif /* _ARCH_ARM64_KERNEL_GIC_H */
