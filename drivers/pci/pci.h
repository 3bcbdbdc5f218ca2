/* SPDX-License-Identifier: MIT */
/*
 * PCI: the functions found at boot and their configuration space.
 *
 * pci.c scans every bus reachable from bus 0 (following PCI-PCI bridges)
 * at the SUBSYS init level, through configuration mechanism #1 (ports
 * 0xcf8/0xcfc, which QEMU's pc and q35 both have), and keeps a list of
 * every function. Drivers walk it at the DEVICE level:
 *
 *	struct pci_dev *p = NULL;
 *
 *	while ((p = pci_dev_next(p)))
 *		if (p->vendor == 0x1af4)
 *			...
 *
 * BARs keep the addresses the firmware (SeaBIOS) assigned; so does the
 * interrupt line register, which on the PC names the ISA IRQ, and so the
 * IOAPIC GSI, that INTx arrives on.
 */
#ifndef _DRIVERS_PCI_PCI_H
#define _DRIVERS_PCI_PCI_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CLASS_REVISION	0x08
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SECONDARY_BUS	0x19	/* type 1 (bridge) header */
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_IO		(1U << 0)
#define PCI_COMMAND_MEMORY	(1U << 1)
#define PCI_COMMAND_MASTER	(1U << 2)
#define PCI_COMMAND_INTX_DISABLE (1U << 10)
#define PCI_STATUS_CAP_LIST	(1U << 4)

#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11

#define PCI_NR_BARS		6

struct pci_dev {
	uint8_t		bus, slot, func;
	uint8_t		header_type;	/* without the multi-function bit */
	uint16_t	vendor, device;
	uint8_t		class_code, subclass, prog_if, revision;
	uint8_t		irq_line;	/* what the firmware routed; 0xff: none */
	uint8_t		irq_pin;	/* 1..4 = INTA..INTD, 0: no INTx */
	struct pci_dev	*next;
};

uint32_t pci_cfg_read32(const struct pci_dev *p, unsigned int off);
uint16_t pci_cfg_read16(const struct pci_dev *p, unsigned int off);
uint8_t pci_cfg_read8(const struct pci_dev *p, unsigned int off);
void pci_cfg_write32(const struct pci_dev *p, unsigned int off, uint32_t v);
void pci_cfg_write16(const struct pci_dev *p, unsigned int off, uint16_t v);

/* The function after prev (NULL: the first), in bus/slot/function order. */
struct pci_dev *pci_dev_next(struct pci_dev *prev);

/*
 * The address BAR bar decodes (a 64-bit BAR takes bar and bar + 1), and
 * whether it is an I/O port BAR. KERN_INVALID_ARGUMENT for a bad index or
 * the upper half of a 64-bit BAR, KERN_FAILURE if it is unassigned (0).
 */
kern_return_t pci_bar_address(const struct pci_dev *p, unsigned int bar,
			      uint64_t *addr, bool *io);

/*
 * The configuration-space offset of the next capability with this id
 * after the one at `after` (0: from the start), or 0 when there is none.
 */
unsigned int pci_find_capability(const struct pci_dev *p, uint8_t id, unsigned int after);

/* Decode memory space, master the bus (DMA) and let INTx through. */
void pci_enable_device(const struct pci_dev *p);

#endif /* _DRIVERS_PCI_PCI_H */
