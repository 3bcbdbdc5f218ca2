// SPDX-License-Identifier: MIT
/*
 * PCI configuration mechanism #1 and the boot-time bus scan. See pci.h.
 */
#include <drivers/pci/pci.h>
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/printk.h>
#include <kern/zalloc.h>
#include <asm/io.h>

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_MAX_SLOTS		32
#define PCI_MAX_FUNCS		8
#define PCI_HEADER_MULTIFUNC	0x80
#define PCI_HEADER_BRIDGE	0x01
#define PCI_CAP_MAX		48	/* a loop in the list ends the walk */

/* The address/data pair is one shared window: one access at a time. */
static spinlock_t pci_cfg_lock = SPINLOCK_INIT;
static struct pci_dev *pci_devs;
static struct pci_dev **pci_devs_tail = &pci_devs;

static uint32_t pci_cfg_address(unsigned int bus, unsigned int slot, unsigned int func,
				unsigned int off)
{
	return (1U << 31) | (bus << 16) | (slot << 11) | (func << 8) | (off & 0xfc);
}

static uint32_t pci_raw_read32(unsigned int bus, unsigned int slot, unsigned int func,
			       unsigned int off)
{
	unsigned long flags = spin_lock_irqsave(&pci_cfg_lock);
	uint32_t v;

	outl(pci_cfg_address(bus, slot, func, off), PCI_CONFIG_ADDRESS);
	v = inl(PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_cfg_lock, flags);
	return v;
}

static void pci_raw_write32(unsigned int bus, unsigned int slot, unsigned int func,
			    unsigned int off, uint32_t v)
{
	unsigned long flags = spin_lock_irqsave(&pci_cfg_lock);

	outl(pci_cfg_address(bus, slot, func, off), PCI_CONFIG_ADDRESS);
	outl(v, PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_cfg_lock, flags);
}

uint32_t pci_cfg_read32(const struct pci_dev *p, unsigned int off)
{
	return pci_raw_read32(p->bus, p->slot, p->func, off);
}

uint16_t pci_cfg_read16(const struct pci_dev *p, unsigned int off)
{
	return (uint16_t)(pci_cfg_read32(p, off) >> ((off & 2) * 8));
}

uint8_t pci_cfg_read8(const struct pci_dev *p, unsigned int off)
{
	return (uint8_t)(pci_cfg_read32(p, off) >> ((off & 3) * 8));
}

void pci_cfg_write32(const struct pci_dev *p, unsigned int off, uint32_t v)
{
	pci_raw_write32(p->bus, p->slot, p->func, off, v);
}

/*
 * A 16-bit write through a 32-bit read-modify-write. Only for registers
 * whose other half is not write-1-to-clear (the command register's
 * neighbour, status, is: its RW1C bits read as 0 unless set, and writing
 * back a set one clears an error we would not look at anyway).
 */
void pci_cfg_write16(const struct pci_dev *p, unsigned int off, uint16_t v)
{
	unsigned int shift = (off & 2) * 8;
	uint32_t w = pci_cfg_read32(p, off);

	w = (w & ~(0xffffU << shift)) | ((uint32_t)v << shift);
	pci_cfg_write32(p, off, w);
}

struct pci_dev *pci_dev_next(struct pci_dev *prev)
{
	return prev ? prev->next : pci_devs;
}

kern_return_t pci_bar_address(const struct pci_dev *p, unsigned int bar,
			      uint64_t *addr, bool *io)
{
	uint32_t lo, hi = 0;

	if (bar >= PCI_NR_BARS || p->header_type != 0)
		return KERN_INVALID_ARGUMENT;
	lo = pci_cfg_read32(p, PCI_BAR0 + 4 * bar);
	if (lo & 1) {
		*io = true;
		*addr = lo & ~3U;
	} else {
		*io = false;
		if (((lo >> 1) & 3) == 2) {	/* 64-bit */
			if (bar + 1 >= PCI_NR_BARS)
				return KERN_INVALID_ARGUMENT;
			hi = pci_cfg_read32(p, PCI_BAR0 + 4 * (bar + 1));
		}
		*addr = ((uint64_t)hi << 32) | (lo & ~0xfU);
	}
	return *addr ? KERN_SUCCESS : KERN_FAILURE;
}

unsigned int pci_find_capability(const struct pci_dev *p, uint8_t id, unsigned int after)
{
	unsigned int off, n;

	if (!(pci_cfg_read16(p, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	off = after ? pci_cfg_read8(p, after + 1) : pci_cfg_read8(p, PCI_CAPABILITY_LIST);
	for (n = 0; n < PCI_CAP_MAX && off >= 0x40; n++) {
		off &= 0xfc;
		if (pci_cfg_read8(p, off) == id)
			return off;
		off = pci_cfg_read8(p, off + 1);
	}
	return 0;
}

void pci_enable_device(const struct pci_dev *p)
{
	uint16_t cmd = pci_cfg_read16(p, PCI_COMMAND);

	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	cmd &= (uint16_t)~PCI_COMMAND_INTX_DISABLE;
	pci_cfg_write16(p, PCI_COMMAND, cmd);
}

static void pci_scan_bus(unsigned int bus, unsigned int depth);

static void pci_add_function(unsigned int bus, unsigned int slot, unsigned int func,
			     unsigned int depth)
{
	uint32_t id = pci_raw_read32(bus, slot, func, PCI_VENDOR_ID);
	uint32_t class = pci_raw_read32(bus, slot, func, PCI_CLASS_REVISION);
	uint32_t misc = pci_raw_read32(bus, slot, func, PCI_INTERRUPT_LINE);
	uint8_t htype = (uint8_t)(pci_raw_read32(bus, slot, func, 0x0c) >> 16);
	struct pci_dev *p = kalloc(sizeof(*p));

	if (!p) {
		pr_err("pci: out of memory at %02x:%02x.%u\n", bus, slot, func);
		return;
	}
	p->bus = (uint8_t)bus;
	p->slot = (uint8_t)slot;
	p->func = (uint8_t)func;
	p->header_type = htype & 0x7f;
	p->vendor = (uint16_t)id;
	p->device = (uint16_t)(id >> 16);
	p->class_code = (uint8_t)(class >> 24);
	p->subclass = (uint8_t)(class >> 16);
	p->prog_if = (uint8_t)(class >> 8);
	p->revision = (uint8_t)class;
	p->irq_line = (uint8_t)misc;
	p->irq_pin = (uint8_t)(misc >> 8);
	p->next = NULL;
	*pci_devs_tail = p;
	pci_devs_tail = &p->next;
	pr_debug("pci: %02x:%02x.%u %04x:%04x class %02x%02x irq %u pin %u\n",
		 bus, slot, func, p->vendor, p->device, p->class_code, p->subclass,
		 p->irq_line, p->irq_pin);

	if (p->header_type == PCI_HEADER_BRIDGE) {
		unsigned int sec = pci_cfg_read8(p, PCI_SECONDARY_BUS);

		/* An unconfigured bridge reads 0; a loop must not recurse. */
		if (sec > bus && depth < 8)
			pci_scan_bus(sec, depth + 1);
	}
}

static void pci_scan_bus(unsigned int bus, unsigned int depth)
{
	unsigned int slot, func, nfuncs;

	for (slot = 0; slot < PCI_MAX_SLOTS; slot++) {
		if ((uint16_t)pci_raw_read32(bus, slot, 0, PCI_VENDOR_ID) == 0xffff)
			continue;
		nfuncs = (pci_raw_read32(bus, slot, 0, 0x0c) >> 16) & PCI_HEADER_MULTIFUNC ?
			 PCI_MAX_FUNCS : 1;
		for (func = 0; func < nfuncs; func++)
			if ((uint16_t)pci_raw_read32(bus, slot, func, PCI_VENDOR_ID) != 0xffff)
				pci_add_function(bus, slot, func, depth);
	}
}

static kern_return_t pci_init(void)
{
	struct pci_dev *p;
	unsigned int n = 0;

	/* No host bridge answering at 00:00.0: no mechanism #1 here. */
	if ((uint16_t)pci_raw_read32(0, 0, 0, PCI_VENDOR_ID) == 0xffff) {
		pr_info("pci: no configuration space at 0xcf8\n");
		return KERN_SUCCESS;
	}
	pci_scan_bus(0, 0);
	for (p = pci_devs; p; p = p->next)
		n++;
	pr_info("pci: %u functions\n", n);
	return KERN_SUCCESS;
}
KERNEL_INIT(SUBSYS, pci_init);
