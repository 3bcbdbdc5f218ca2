// SPDX-License-Identifier: MIT
/*
 * GICv3 ("arm,gic-v3", QEMU -M virt,gic-version=3): the distributor for
 * SPIs, one redistributor per CPU for its SGIs and PPIs (found in the
 * redistributor region by matching GICR_TYPER's affinity with MPIDR), and
 * the CPU interface through the ICC_* system registers. Affinity routing
 * is on; every interrupt is non-secure group 1. SPIs go to the boot CPU.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/fdt.h>
#include <kern/ioremap.h>
#include <kern/printk.h>
#include <asm/io.h>
#include <asm/sysreg.h>

#include "gic.h"

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR(n)		(0x0080 + 4 * (n))
#define GICD_ISENABLER(n)	(0x0100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x0180 + 4 * (n))
#define GICD_ICPENDR(n)		(0x0280 + 4 * (n))
#define GICD_IPRIORITYR(n)	(0x0400 + 4 * (n))
#define GICD_ICFGR(n)		(0x0c00 + 4 * (n))
#define GICD_IROUTER(n)		(0x6000 + 8 * (n))
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_ENABLE_G1	(1U << 1)	/* G1A in the two-state view */
#define GICD_CTLR_ENABLE_G0	(1U << 0)

/* Redistributor: RD_base frame, then the SGI_base frame 64 KiB later. */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_TYPER_LAST		(1U << 4)
#define GICR_TYPER_VLPIS	(1U << 1)
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_WAKER_ASLEEP	(1U << 2)
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		(GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0		(GICR_SGI_BASE + 0x0180)
#define GICR_ICPENDR0		(GICR_SGI_BASE + 0x0280)
#define GICR_IPRIORITYR(n)	(GICR_SGI_BASE + 0x0400 + 4 * (n))
#define GICR_FRAME_SIZE		0x20000		/* 0x40000 with virtual LPIs */

/* The CPU interface's system registers (not all assemblers know the names). */
#define ICC_PMR_EL1		s3_0_c4_c6_0
#define ICC_IAR1_EL1		s3_0_c12_c12_0
#define ICC_EOIR1_EL1		s3_0_c12_c12_1
#define ICC_BPR1_EL1		s3_0_c12_c12_3
#define ICC_CTLR_EL1		s3_0_c12_c12_4
#define ICC_SRE_EL1		s3_0_c12_c12_5
#define ICC_IGRPEN1_EL1		s3_0_c12_c12_7
#define ICC_SGI1R_EL1		s3_0_c12_c11_5
#define ICC_SRE_SRE		(1U << 0)

#define GIC_V3_POLL_LIMIT	1000000

static void __iomem *gicd;
static void __iomem *gicr_region;
static uint64_t gicr_region_size;
static unsigned int gic_v3_lines;
/* Each CPU's own redistributor, found by its cpu_init(). */
static void __iomem *gicr_of_cpu[MAX_CPUS];

static void gic_v3_wait(void __iomem *reg, uint32_t bit, bool set)
{
	unsigned long n;

	for (n = 0; n < GIC_V3_POLL_LIMIT; n++) {
		if (!!(readl(reg) & bit) == set)
			return;
		arch_cpu_relax();
	}
	pr_warn("irq: GICv3 register bit %#x stuck (reg %p)\n", bit, (void __force *)reg);
}

static uint64_t gic_v3_read64(void __iomem *reg)
{
	return readl(reg) | ((uint64_t)readl(reg + 4) << 32);
}

static kern_return_t gic_v3_init(const void *fdt, int node)
{
	uint64_t dbase, dsize, rbase, rsize;
	unsigned long boot_aff = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	uint64_t route = (boot_aff & 0xffffff) | ((boot_aff >> 32) << 32);
	unsigned int i;

	if (fdt_get_reg(fdt, node, 0, &dbase, &dsize) != KERN_SUCCESS ||
	    fdt_get_reg(fdt, node, 1, &rbase, &rsize) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	gicd = ioremap(dbase, dsize);
	gicr_region = ioremap(rbase, rsize);
	if (!gicd || !gicr_region)
		return KERN_RESOURCE_SHORTAGE;
	gicr_region_size = rsize;

	/* The CPU interface through system registers, or nothing works. */
	write_sysreg(read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE, ICC_SRE_EL1);
	isb();
	if (!(read_sysreg(ICC_SRE_EL1) & ICC_SRE_SRE)) {
		pr_err("irq: GICv3 system register interface is disabled\n");
		return KERN_FAILURE;
	}

	gic_v3_lines = ((readl(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	if (gic_v3_lines > GIC_INTID_SPURIOUS)
		gic_v3_lines = GIC_INTID_SPURIOUS;

	writel(0, gicd + GICD_CTLR);
	gic_v3_wait(gicd + GICD_CTLR, GICD_CTLR_RWP, false);
	for (i = GIC_FIRST_SPI; i < gic_v3_lines; i += 32) {
		writel(~0U, gicd + GICD_ICENABLER(i / 32));
		writel(~0U, gicd + GICD_ICPENDR(i / 32));
		writel(~0U, gicd + GICD_IGROUPR(i / 32));
	}
	for (i = GIC_FIRST_SPI; i < gic_v3_lines; i += 4)
		writel(GIC_PRIO_DEFAULT * 0x01010101U, gicd + GICD_IPRIORITYR(i / 4));
	for (i = GIC_FIRST_SPI; i < gic_v3_lines; i += 16)
		writel(0, gicd + GICD_ICFGR(i / 16));
	gic_v3_wait(gicd + GICD_CTLR, GICD_CTLR_RWP, false);
	writel(GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0, gicd + GICD_CTLR);
	gic_v3_wait(gicd + GICD_CTLR, GICD_CTLR_RWP, false);
	/* IROUTER needs ARE on. */
	for (i = GIC_FIRST_SPI; i < gic_v3_lines; i++) {
		writel((uint32_t)route, gicd + GICD_IROUTER(i));
		writel((uint32_t)(route >> 32), gicd + GICD_IROUTER(i) + 4);
	}

	pr_info("irq: GICv3, distributor at %#llx, redistributors at %#llx+%#llx, %u lines\n",
		(unsigned long long)dbase, (unsigned long long)rbase,
		(unsigned long long)rsize, gic_v3_lines);
	return KERN_SUCCESS;
}

/* The redistributor whose GICR_TYPER affinity is this CPU's MPIDR. */
static void __iomem *gic_v3_find_redist(void)
{
	unsigned long mpidr = read_sysreg(mpidr_el1);
	uint32_t aff = (uint32_t)((mpidr & 0xffffff) | (((mpidr >> 32) & 0xff) << 24));
	uint64_t off = 0;

	while (off + GICR_FRAME_SIZE <= gicr_region_size) {
		void __iomem *rd = gicr_region + off;
		uint64_t typer = gic_v3_read64(rd + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		off += (typer & GICR_TYPER_VLPIS) ? 2 * GICR_FRAME_SIZE : GICR_FRAME_SIZE;
	}
	return NULL;
}

static void gic_v3_cpu_init(void)
{
	void __iomem *rd = gic_v3_find_redist();
	unsigned int i;

	if (!rd) {
		pr_err("irq: CPU%u: no GICv3 redistributor for MPIDR %#lx\n",
		       cpu_number(), (unsigned long)read_sysreg(mpidr_el1));
		return;
	}
	gicr_of_cpu[cpu_number()] = rd;

	/* Wake the redistributor up. */
	writel(readl(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP, rd + GICR_WAKER);
	gic_v3_wait(rd + GICR_WAKER, GICR_WAKER_ASLEEP, false);

	writel(~0U, rd + GICR_ICENABLER0);
	writel(~0U, rd + GICR_ICPENDR0);
	writel(~0U, rd + GICR_IGROUPR0);
	for (i = 0; i < GIC_FIRST_SPI; i += 4)
		writel((i < GIC_NR_SGIS ? GIC_PRIO_IPI : GIC_PRIO_DEFAULT) * 0x01010101U,
		       rd + GICR_IPRIORITYR(i / 4));
	writel((1U << GIC_NR_SGIS) - 1, rd + GICR_ISENABLER0);	/* the IPIs */

	write_sysreg(read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE, ICC_SRE_EL1);
	isb();
	write_sysreg(GIC_PMR_ALLOW_ALL, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR1_EL1);
	write_sysreg(0, ICC_CTLR_EL1);		/* EOI also deactivates */
	write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
}

static uint32_t gic_v3_ack(void)
{
	uint32_t iar = (uint32_t)read_sysreg(ICC_IAR1_EL1);

	/* The ICC_IAR1 read must complete before the handler reads device state. */
	__asm__ __volatile__("dsb sy" ::: "memory");
	return iar;
}

static void gic_v3_eoi(uint32_t iar)
{
	write_sysreg(iar, ICC_EOIR1_EL1);
	isb();
}

static void gic_v3_enable(unsigned int intid, bool on)
{
	void __iomem *rd;

	if (intid >= GIC_FIRST_SPI) {
		if (intid < gic_v3_lines)
			writel(1U << (intid % 32), gicd + (on ? GICD_ISENABLER(intid / 32)
							      : GICD_ICENABLER(intid / 32)));
		return;
	}
	rd = gicr_of_cpu[cpu_number()];
	if (rd)
		writel(1U << intid, rd + (on ? GICR_ISENABLER0 : GICR_ICENABLER0));
}

static void gic_v3_unmask(unsigned int intid)
{
	gic_v3_enable(intid, true);
}

static void gic_v3_mask(unsigned int intid)
{
	gic_v3_enable(intid, false);
}

static void gic_v3_send_sgi(unsigned int cpu, unsigned int sgi)
{
	unsigned long mpidr = arm64_cpu_mpidr(cpu);
	uint64_t v;

	/* One target: its Aff3.Aff2.Aff1, and bit Aff0 of the target list. */
	v = (1UL << (mpidr & 0xf)) |
	    (((mpidr >> 8) & 0xff) << 16) |
	    ((uint64_t)(sgi & 0xf) << 24) |
	    (((mpidr >> 16) & 0xff) << 32) |
	    (((mpidr >> 32) & 0xff) << 48);
	/* Normal memory writes before the IPI that announces them. */
	__asm__ __volatile__("dsb ishst" ::: "memory");
	write_sysreg(v, ICC_SGI1R_EL1);
	isb();
}

const struct gic_ops gic_v3_ops = {
	.name		= "GICv3",
	.init		= gic_v3_init,
	.cpu_init	= gic_v3_cpu_init,
	.ack		= gic_v3_ack,
	.eoi		= gic_v3_eoi,
	.unmask		= gic_v3_unmask,
	.mask		= gic_v3_mask,
	.send_sgi	= gic_v3_send_sgi,
};
