// SPDX-License-Identifier: MIT
/*
 * GICv2 (QEMU virt's default, "arm,cortex-a15-gic"): a distributor shared
 * by all CPUs and a memory-mapped CPU interface banked per CPU, the two
 * first "reg" entries of the device-tree node. Every interrupt is group 0,
 * signalled as IRQ (FIQ stays off). SPIs go to the boot CPU.
 */
#include <kern/cpu.h>
#include <kern/fdt.h>
#include <kern/ioremap.h>
#include <kern/printk.h>
#include <asm/io.h>

#include "gic.h"

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_ISENABLER(n)	(0x100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x180 + 4 * (n))
#define GICD_ICPENDR(n)		(0x280 + 4 * (n))
#define GICD_IPRIORITYR(n)	(0x400 + 4 * (n))	/* 4 INTIDs a word */
#define GICD_ITARGETSR(n)	(0x800 + 4 * (n))	/* 4 INTIDs a word */
#define GICD_ICFGR(n)		(0xc00 + 4 * (n))	/* 16 INTIDs a word */
#define GICD_SGIR		0xf00
#define GICD_CTLR_ENABLE	1

#define GICC_CTLR		0x00
#define GICC_PMR		0x04
#define GICC_BPR		0x08
#define GICC_IAR		0x0c
#define GICC_EOIR		0x10
#define GICC_CTLR_ENABLE	1

static void __iomem *gicd;
static void __iomem *gicc;
static unsigned int gic_v2_lines;
/* The CPU interface number of each CPU, as a GICD_ITARGETSR bit. */
static uint8_t gic_v2_cpu_mask[MAX_CPUS];

static void gicd_write(unsigned int reg, uint32_t v)
{
	writel(v, gicd + reg);
}

static uint32_t gicd_read(unsigned int reg)
{
	return readl(gicd + reg);
}

static void gic_v2_set_priority(unsigned int intid, uint8_t prio)
{
	unsigned int reg = GICD_IPRIORITYR(intid / 4), shift = (intid % 4) * 8;
	uint32_t v = gicd_read(reg);

	gicd_write(reg, (v & ~(0xffU << shift)) | ((uint32_t)prio << shift));
}

static kern_return_t gic_v2_init(const void *fdt, int node)
{
	uint64_t dbase, dsize, cbase, csize;
	uint32_t boot_mask;
	unsigned int i;

	if (fdt_get_reg(fdt, node, 0, &dbase, &dsize) != KERN_SUCCESS ||
	    fdt_get_reg(fdt, node, 1, &cbase, &csize) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	gicd = ioremap(dbase, dsize);
	gicc = ioremap(cbase, csize);
	if (!gicd || !gicc)
		return KERN_RESOURCE_SHORTAGE;

	gic_v2_lines = ((gicd_read(GICD_TYPER) & 0x1f) + 1) * 32;
	if (gic_v2_lines > GIC_INTID_SPURIOUS)
		gic_v2_lines = GIC_INTID_SPURIOUS;

	gicd_write(GICD_CTLR, 0);
	/* Our own interface's bit: ITARGETSR0-7 read as it (banked). */
	for (i = 0, boot_mask = 0; i < 8 && !boot_mask; i++)
		boot_mask = gicd_read(GICD_ITARGETSR(i)) & 0xff;
	if (!boot_mask)
		boot_mask = 1;	/* a uniprocessor GIC may read as zero */
	boot_mask &= 0xff;
	for (i = GIC_FIRST_SPI; i < gic_v2_lines; i += 32) {
		gicd_write(GICD_ICENABLER(i / 32), ~0U);
		gicd_write(GICD_ICPENDR(i / 32), ~0U);
	}
	for (i = GIC_FIRST_SPI; i < gic_v2_lines; i += 4) {
		gicd_write(GICD_IPRIORITYR(i / 4), GIC_PRIO_DEFAULT * 0x01010101U);
		gicd_write(GICD_ITARGETSR(i / 4), boot_mask * 0x01010101U);
	}
	for (i = GIC_FIRST_SPI; i < gic_v2_lines; i += 16)
		gicd_write(GICD_ICFGR(i / 16), 0);	/* level-sensitive */
	gicd_write(GICD_CTLR, GICD_CTLR_ENABLE);

	pr_info("irq: GICv2, distributor at %#llx, CPU interface at %#llx, %u lines\n",
		(unsigned long long)dbase, (unsigned long long)cbase, gic_v2_lines);
	return KERN_SUCCESS;
}

/* This CPU: its SGIs and PPIs (banked in the distributor) and its interface. */
static void gic_v2_cpu_init(void)
{
	unsigned int i;
	uint32_t mask = 0;

	for (i = 0; i < 8 && !mask; i++)
		mask = gicd_read(GICD_ITARGETSR(i)) & 0xff;
	gic_v2_cpu_mask[cpu_number()] = mask ? mask : 1;

	gicd_write(GICD_ICENABLER(0), ~0U);
	gicd_write(GICD_ICPENDR(0), ~0U);
	for (i = 0; i < GIC_FIRST_SPI; i++)
		gic_v2_set_priority(i, i < GIC_NR_SGIS ? GIC_PRIO_IPI : GIC_PRIO_DEFAULT);
	gicd_write(GICD_ISENABLER(0), (1U << GIC_NR_SGIS) - 1);	/* the IPIs */

	writel(GIC_PMR_ALLOW_ALL, gicc + GICC_PMR);
	writel(0, gicc + GICC_BPR);
	writel(GICC_CTLR_ENABLE, gicc + GICC_CTLR);
}

static uint32_t gic_v2_ack(void)
{
	return readl(gicc + GICC_IAR);
}

static void gic_v2_eoi(uint32_t iar)
{
	writel(iar, gicc + GICC_EOIR);
}

static void gic_v2_unmask(unsigned int intid)
{
	if (intid < gic_v2_lines)
		gicd_write(GICD_ISENABLER(intid / 32), 1U << (intid % 32));
}

static void gic_v2_mask(unsigned int intid)
{
	if (intid < gic_v2_lines)
		gicd_write(GICD_ICENABLER(intid / 32), 1U << (intid % 32));
}

static void gic_v2_send_sgi(unsigned int cpu, unsigned int sgi)
{
	/* The SGI register write must come after the data the IPI announces. */
	__asm__ __volatile__("dsb ishst" ::: "memory");
	gicd_write(GICD_SGIR, ((uint32_t)gic_v2_cpu_mask[cpu] << 16) | sgi);
}

const struct gic_ops gic_v2_ops = {
	.name		= "GICv2",
	.init		= gic_v2_init,
	.cpu_init	= gic_v2_cpu_init,
	.ack		= gic_v2_ack,
	.eoi		= gic_v2_eoi,
	.unmask		= gic_v2_unmask,
	.mask		= gic_v2_mask,
	.send_sgi	= gic_v2_send_sgi,
};
