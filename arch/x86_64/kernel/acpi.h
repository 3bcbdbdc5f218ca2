/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/x86_64/kernel: what the ACPI tables say about the
 * interrupt hardware (acpi.c), for apic.c, time.c and smp.c.
 */
#ifndef _ARCH_X86_64_KERNEL_ACPI_H
#define _ARCH_X86_64_KERNEL_ACPI_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define ACPI_MAX_CPUS		64
#define ACPI_MAX_IOAPICS	4
#define ACPI_NR_ISA_IRQS	16

/* MPS INTI flags of an interrupt source override */
#define ACPI_POLARITY_MASK	0x3
#define ACPI_POLARITY_LOW	0x3
#define ACPI_TRIGGER_MASK	0xc
#define ACPI_TRIGGER_LEVEL	0xc

struct acpi_ioapic {
	uint8_t		id;
	uint32_t	base;		/* physical address of its registers */
	uint32_t	gsi_base;	/* the GSI of its pin 0 */
};

/* An ISA IRQ and the GSI it is wired to, with its polarity and trigger. */
struct acpi_isa_irq {
	uint32_t	gsi;
	bool		active_low;
	bool		level;
};

struct acpi_madt_info {
	uint64_t		lapic_base;	/* physical, from the MADT (and 0x5 entry) */
	bool			has_8259;	/* PCAT_COMPAT: a legacy PIC to mask */
	unsigned int		nr_cpus;	/* enabled local APICs */
	uint32_t		apic_ids[ACPI_MAX_CPUS];
	unsigned int		nr_ioapics;
	struct acpi_ioapic	ioapics[ACPI_MAX_IOAPICS];
	struct acpi_isa_irq	isa[ACPI_NR_ISA_IRQS];	/* identity unless overridden */
	uint64_t		hpet_base;	/* 0: no HPET table */
};

extern struct acpi_madt_info acpi_madt;

/*
 * Find the RSDP, walk the RSDT/XSDT and read the MADT (and the HPET
 * table) into acpi_madt. KERN_FAILURE without ACPI or without a MADT.
 */
kern_return_t acpi_init(void);

/* Map physical [pa, pa + size) for reading (x86 ioremap, or the early map). */
const void *acpi_map(uint64_t pa, size_t size);

#endif /* _ARCH_X86_64_KERNEL_ACPI_H */
