// SPDX-License-Identifier: MIT
/*
 * The local APIC of each CPU and the IOAPICs.
 *
 * The local APIC is used in x2APIC mode (MSRs) when CPUID says the CPU has
 * it, else in xAPIC mode through its registers at the MADT's address,
 * mapped uncached with ioremap(). Device interrupts come through the
 * IOAPICs of the MADT: a GSI gets vector 0x30 + GSI and goes to the boot
 * CPU, with the polarity and trigger of the MADT's interrupt source
 * override for an ISA IRQ (ISA default: edge, active high; other GSIs are
 * PCI: level, active low). The legacy PIC stays masked (cpu.c).
 *
 * Every vector from 32 up lands in x86_interrupt() (through traps.c),
 * with interrupts disabled. EOI: an IPI before its handler (IPI_HALT never
 * returns), a device line after its handler has quietened the device,
 * always before irq_exit() (which may switch threads). Spurious vectors
 * (the local APIC's, the PIC's IRQ 7 and 15) take no EOI.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/ioremap.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <asm/io.h>
#include <asm/processor.h>

#include "acpi.h"
#include "apic.h"

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_ENABLE	(1UL << 11)
#define APIC_BASE_X2APIC	(1UL << 10)
#define MSR_X2APIC_BASE		0x800
#define MSR_X2APIC_ICR		0x830
#define CPUID1_ECX_X2APIC	(1U << 21)

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_REDIR(pin)	(0x10 + 2 * (pin))
#define IOAPIC_REDIR_ACTIVE_LOW	(1U << 13)
#define IOAPIC_REDIR_LEVEL	(1U << 15)
#define IOAPIC_REDIR_MASKED	(1U << 16)

struct ioapic {
	void __iomem	*regs;
	uint32_t	gsi_base;
	unsigned int	nr_pins;
};

static bool x2apic;
static void __iomem *lapic_mmio;
static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static spinlock_t ioapic_lock = SPINLOCK_INIT;

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(0));
}

uint32_t lapic_read(unsigned int reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return readl(lapic_mmio + reg);
}

void lapic_write(unsigned int reg, uint32_t v)
{
	if (x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		writel(v, lapic_mmio + reg);
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_send_icr(uint32_t apic_id, uint32_t icr_low)
{
	unsigned long flags = arch_irq_save();

	if (x2apic) {
		/* x2APIC: one 64-bit write; the MSR write is not serialising. */
		__asm__ __volatile__("mfence" ::: "memory");
		wrmsr(MSR_X2APIC_ICR, ((uint64_t)apic_id << 32) | icr_low);
	} else {
		lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
		lapic_write(LAPIC_ICR_LOW, icr_low);
		while (lapic_read(LAPIC_ICR_LOW) & LAPIC_ICR_PENDING)
			arch_cpu_relax();
	}
	arch_irq_restore(flags);
}

void lapic_cpu_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

	if (x2apic)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_APIC_BASE, base);

	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_NMI);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VECTOR_TIMER);
	lapic_write(LAPIC_LVT_ERROR, VECTOR_APIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
	lapic_eoi();
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	writel(reg, io->regs + IOAPIC_REGSEL);
	writel(v, io->regs + IOAPIC_WINDOW);
}

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
	writel(reg, io->regs + IOAPIC_REGSEL);
	return readl(io->regs + IOAPIC_WINDOW);
}

static struct ioapic *ioapic_of_gsi(unsigned int gsi, unsigned int *pin)
{
	unsigned int i;

	for (i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

/* The redirection entry of a GSI: vector, polarity, trigger (masked or not). */
static uint32_t ioapic_redir_low(unsigned int gsi)
{
	uint32_t low = VECTOR_GSI_BASE + gsi;
	unsigned int i;

	for (i = 0; i < ACPI_NR_ISA_IRQS; i++) {
		const struct acpi_isa_irq *isa = &acpi_madt.isa[i];

		if (isa->gsi != gsi)
			continue;
		if (isa->active_low)
			low |= IOAPIC_REDIR_ACTIVE_LOW;
		if (isa->level)
			low |= IOAPIC_REDIR_LEVEL;
		return low;
	}
	/* Not an ISA IRQ: a PCI interrupt, level-triggered, active low. */
	return low | IOAPIC_REDIR_LEVEL | IOAPIC_REDIR_ACTIVE_LOW;
}

static void ioapic_set_masked(unsigned int gsi, bool masked)
{
	struct ioapic *io;
	unsigned int pin;
	unsigned long flags;
	uint32_t low;

	if (gsi >= VECTOR_GSI_MAX || !(io = ioapic_of_gsi(gsi, &pin)))
		return;
	low = ioapic_redir_low(gsi) | (masked ? IOAPIC_REDIR_MASKED : 0);
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(io, IOAPIC_REG_REDIR(pin) + 1, (uint32_t)cpu_data_of(0)->arch_id << 24);
	ioapic_write(io, IOAPIC_REG_REDIR(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

void arch_irq_unmask(unsigned int irq)
{
	ioapic_set_masked(irq, false);
}

void arch_irq_mask(unsigned int irq)
{
	ioapic_set_masked(irq, true);
}

void arch_send_ipi(unsigned int cpu, unsigned int kind)
{
	if (cpu >= MAX_CPUS || kind >= IPI_NR_KINDS)
		return;
	lapic_send_icr((uint32_t)cpu_data_of(cpu)->arch_id,
		       (VECTOR_IPI_BASE + kind) | LAPIC_ICR_ASSERT);
}

static kern_return_t ioapic_init(void)
{
	unsigned int i, pin;

	for (i = 0; i < acpi_madt.nr_ioapics; i++) {
		const struct acpi_ioapic *a = &acpi_madt.ioapics[i];
		struct ioapic *io = &ioapics[nr_ioapics];

		io->regs = ioremap(a->base, PAGE_SIZE);
		if (!io->regs) {
			pr_err("irq: cannot map the IOAPIC at %#x\n", a->base);
			continue;
		}
		io->gsi_base = a->gsi_base;
		io->nr_pins = ((ioapic_read(io, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
		for (pin = 0; pin < io->nr_pins; pin++) {
			ioapic_write(io, IOAPIC_REG_REDIR(pin), IOAPIC_REDIR_MASKED);
			ioapic_write(io, IOAPIC_REG_REDIR(pin) + 1, 0);
		}
		nr_ioapics++;
		pr_info("irq: IOAPIC %u at %#x, GSIs %u-%u\n", a->id, a->base,
			io->gsi_base, io->gsi_base + io->nr_pins - 1);
	}
	return nr_ioapics ? KERN_SUCCESS : KERN_FAILURE;
}

kern_return_t arch_irq_init(void)
{
	uint32_t a, b, c, d;
	kern_return_t kr;

	kr = acpi_init();
	if (kr != KERN_SUCCESS)
		return kr;

	cpuid(1, &a, &b, &c, &d);
	x2apic = c & CPUID1_ECX_X2APIC;
	if (!x2apic) {
		lapic_mmio = ioremap(acpi_madt.lapic_base, PAGE_SIZE);
		if (!lapic_mmio) {
			pr_err("irq: cannot map the local APIC at %#lx\n",
			       (unsigned long)acpi_madt.lapic_base);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	lapic_cpu_init();
	cpu_this()->arch_id = lapic_id();
	pr_info("irq: local APIC id %u in %s mode, version %#x\n", lapic_id(),
		x2apic ? "x2APIC" : "xAPIC", lapic_read(LAPIC_VERSION) & 0xff);
	return ioapic_init();
}

static void x86_ipi_interrupt(unsigned int kind)
{
	lapic_eoi();
	smp_ipi_handler(kind);
}

void x86_interrupt(struct arch_regs *regs)
{
	unsigned long vector = regs->vector;

	if (vector == VECTOR_SPURIOUS ||
	    (vector >= VECTOR_PIC_BASE && vector < VECTOR_PIC_BASE + 16))
		return;

	irq_enter(arch_regs_user_mode(regs));
	if (vector == VECTOR_TIMER) {
		x86_timer_interrupt();
		lapic_eoi();
	} else if (vector >= VECTOR_IPI_BASE && vector < VECTOR_IPI_BASE + IPI_NR_KINDS) {
		x86_ipi_interrupt(vector - VECTOR_IPI_BASE);
	} else if (vector >= VECTOR_GSI_BASE && vector < VECTOR_GSI_BASE + VECTOR_GSI_MAX) {
		irq_dispatch(vector - VECTOR_GSI_BASE);
		lapic_eoi();
	} else if (vector == VECTOR_APIC_ERROR) {
		lapic_write(LAPIC_ESR, 0);
		pr_warn("irq: local APIC error, ESR %#x\n", lapic_read(LAPIC_ESR));
		lapic_eoi();
	} else {
		pr_warn("irq: unexpected vector %#lx\n", vector);
		lapic_eoi();
	}
	irq_exit();
}
