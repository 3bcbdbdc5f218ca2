// SPDX-License-Identifier: MIT
/*
 * The virtio PCI transport, modern interface (virtio 1.2, 4.1). Virtio
 * functions have vendor 0x1af4 and device 0x1040 + id (modern) or
 * 0x1000-0x103f (transitional: QEMU 7.2's default on -M pc, which also
 * offers the modern interface). The registers are found through vendor
 * capabilities (type 9), each naming a BAR, an offset and a length:
 *
 *	common   features, status, queue selection and addresses
 *	notify   the doorbells: queue_notify_off * notify_off_multiplier
 *	isr      one byte, read to acknowledge (INTx)
 *	device   the device-specific configuration
 *
 * A device without them (legacy only, disable-modern=on) is refused.
 * Interrupts come as INTx, on the GSI the firmware wrote to the interrupt
 * line register; MSI-X is left disabled, so the device uses INTx.
 */
#include <drivers/pci/pci.h>
#include <kern/init.h>
#include <kern/ioremap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/zalloc.h>
#include <asm/io.h>
#include "virtio.h"

#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_DEVICE_MODERN	0x1040
#define VIRTIO_PCI_DEVICE_LEGACY_MAX	0x103f

/* struct virtio_pci_cap */
#define VIRTIO_PCI_CAP_CFG_TYPE		3
#define VIRTIO_PCI_CAP_BAR		4
#define VIRTIO_PCI_CAP_OFFSET		8
#define VIRTIO_PCI_CAP_LENGTH		12
#define VIRTIO_PCI_CAP_NOTIFY_MULT	16

#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4

/* struct virtio_pci_common_cfg */
#define VPCI_DFSELECT		0x00
#define VPCI_DF			0x04
#define VPCI_GFSELECT		0x08
#define VPCI_GF			0x0c
#define VPCI_MSIX_CONFIG	0x10
#define VPCI_NUM_QUEUES		0x12
#define VPCI_STATUS		0x14
#define VPCI_CFG_GENERATION	0x15
#define VPCI_Q_SELECT		0x16
#define VPCI_Q_SIZE		0x18
#define VPCI_Q_MSIX		0x1a
#define VPCI_Q_ENABLE		0x1c
#define VPCI_Q_NOFF		0x1e
#define VPCI_Q_DESC		0x20
#define VPCI_Q_AVAIL		0x28
#define VPCI_Q_USED		0x30
#define VPCI_COMMON_SIZE	0x38

#define VIRTIO_MSI_NO_VECTOR	0xffff

struct virtio_pci {
	struct virtio_device	vdev;
	struct pci_dev		*pci;
	uint8_t __iomem		*common;
	uint8_t __iomem		*notify;
	uint32_t		notify_mult;
	uint32_t		notify_len;
	uint8_t __iomem		*isr;
	uint8_t __iomem		*device;
	uint32_t		device_len;
};

static struct virtio_pci *to_vpci(struct virtio_device *vdev)
{
	return vdev->transport;
}

static uint8_t vpci_get_status(struct virtio_device *vdev)
{
	return readb(to_vpci(vdev)->common + VPCI_STATUS);
}

static void vpci_set_status(struct virtio_device *vdev, uint8_t status)
{
	writeb(status, to_vpci(vdev)->common + VPCI_STATUS);
}

static void vpci_reset(struct virtio_device *vdev)
{
	vpci_set_status(vdev, 0);
	/* The reset is done when the device reads back 0. */
	while (vpci_get_status(vdev) != 0)
		arch_cpu_relax();
}

static uint64_t vpci_get_features(struct virtio_device *vdev)
{
	uint8_t __iomem *c = to_vpci(vdev)->common;
	uint64_t f;

	writel(0, c + VPCI_DFSELECT);
	f = readl(c + VPCI_DF);
	writel(1, c + VPCI_DFSELECT);
	return f | ((uint64_t)readl(c + VPCI_DF) << 32);
}

static void vpci_set_features(struct virtio_device *vdev, uint64_t features)
{
	uint8_t __iomem *c = to_vpci(vdev)->common;

	writel(0, c + VPCI_GFSELECT);
	writel((uint32_t)features, c + VPCI_GF);
	writel(1, c + VPCI_GFSELECT);
	writel((uint32_t)(features >> 32), c + VPCI_GF);
}

static uint32_t vpci_config_read32(struct virtio_device *vdev, unsigned int off)
{
	struct virtio_pci *vp = to_vpci(vdev);

	if (off + 4 > vp->device_len)
		return 0;
	return readl(vp->device + off);
}

static uint32_t vpci_config_generation(struct virtio_device *vdev)
{
	return readb(to_vpci(vdev)->common + VPCI_CFG_GENERATION);
}

static uint16_t vpci_queue_max(struct virtio_device *vdev, unsigned int index)
{
	uint8_t __iomem *c = to_vpci(vdev)->common;

	if (index >= readw(c + VPCI_NUM_QUEUES))
		return 0;
	writew((uint16_t)index, c + VPCI_Q_SELECT);
	return readw(c + VPCI_Q_SIZE);
}

static void vpci_write64(uint64_t v, uint8_t __iomem *addr)
{
	writel((uint32_t)v, addr);
	writel((uint32_t)(v >> 32), addr + 4);
}

static kern_return_t vpci_queue_enable(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct virtio_pci *vp = to_vpci(vdev);
	uint8_t __iomem *c = vp->common;
	size_t off;

	writew((uint16_t)vq->index, c + VPCI_Q_SELECT);
	writew(vq->num, c + VPCI_Q_SIZE);
	writew(VIRTIO_MSI_NO_VECTOR, c + VPCI_Q_MSIX);
	vpci_write64(vq->desc_pa, c + VPCI_Q_DESC);
	vpci_write64(vq->avail_pa, c + VPCI_Q_AVAIL);
	vpci_write64(vq->used_pa, c + VPCI_Q_USED);
	off = (size_t)readw(c + VPCI_Q_NOFF) * vp->notify_mult;
	if (off + 2 > vp->notify_len) {
		pr_err("virtio: %s: queue %u's doorbell lies outside its capability\n",
		       vdev->name, vq->index);
		return KERN_FAILURE;
	}
	vq->notify_addr = vp->notify + off;
	writew(1, c + VPCI_Q_ENABLE);
	return KERN_SUCCESS;
}

static void vpci_notify(struct virtqueue *vq)
{
	writew((uint16_t)vq->index, vq->notify_addr);
}

static uint32_t vpci_ack_interrupt(struct virtio_device *vdev)
{
	return readb(to_vpci(vdev)->isr);
}

static const struct virtio_transport_ops vpci_ops = {
	.get_status		= vpci_get_status,
	.set_status		= vpci_set_status,
	.get_features		= vpci_get_features,
	.set_features		= vpci_set_features,
	.config_read32		= vpci_config_read32,
	.config_generation	= vpci_config_generation,
	.queue_max		= vpci_queue_max,
	.queue_enable		= vpci_queue_enable,
	.notify			= vpci_notify,
	.ack_interrupt		= vpci_ack_interrupt,
	.reset			= vpci_reset,
};

/* Map the region one virtio capability describes; NULL if unusable. */
static uint8_t __iomem *vpci_map_cap(struct virtio_pci *vp, unsigned int cap,
				     uint32_t *lenp)
{
	uint8_t bar = pci_cfg_read8(vp->pci, cap + VIRTIO_PCI_CAP_BAR);
	uint32_t off = pci_cfg_read32(vp->pci, cap + VIRTIO_PCI_CAP_OFFSET);
	uint32_t len = pci_cfg_read32(vp->pci, cap + VIRTIO_PCI_CAP_LENGTH);
	uint64_t base;
	bool io;

	if (pci_bar_address(vp->pci, bar, &base, &io) != KERN_SUCCESS || io || len == 0)
		return NULL;
	*lenp = len;
	return ioremap(base + off, len);
}

/* Find and map the four capabilities. */
static kern_return_t vpci_map(struct virtio_pci *vp)
{
	unsigned int cap = 0;
	uint32_t len;

	while ((cap = pci_find_capability(vp->pci, PCI_CAP_ID_VNDR, cap))) {
		uint8_t type = pci_cfg_read8(vp->pci, cap + VIRTIO_PCI_CAP_CFG_TYPE);

		/* The first capability of each type is the preferred one. */
		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vp->common) {
			vp->common = vpci_map_cap(vp, cap, &len);
			if (vp->common && len < VPCI_COMMON_SIZE)
				vp->common = NULL;
		} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !vp->notify) {
			vp->notify_mult = pci_cfg_read32(vp->pci, cap + VIRTIO_PCI_CAP_NOTIFY_MULT);
			vp->notify = vpci_map_cap(vp, cap, &vp->notify_len);
		} else if (type == VIRTIO_PCI_CAP_ISR_CFG && !vp->isr) {
			vp->isr = vpci_map_cap(vp, cap, &len);
		} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vp->device) {
			vp->device = vpci_map_cap(vp, cap, &vp->device_len);
		}
	}
	/* Some devices have no device configuration; every other part is needed. */
	return vp->common && vp->notify && vp->isr ? KERN_SUCCESS : KERN_NOT_SUPPORTED;
}

static void vpci_probe(struct pci_dev *pci)
{
	struct virtio_pci *vp;
	uint32_t id;

	if (pci->device >= VIRTIO_PCI_DEVICE_MODERN)
		id = pci->device - VIRTIO_PCI_DEVICE_MODERN;
	else	/* transitional: the subsystem id is the device id */
		id = pci_cfg_read16(pci, PCI_SUBSYSTEM_ID);

	vp = kalloc(sizeof(*vp));
	if (!vp)
		return;
	memset(vp, 0, sizeof(*vp));
	vp->pci = pci;
	snprintf(vp->vdev.name, sizeof(vp->vdev.name), "pci %02x:%02x.%u", pci->bus,
		 pci->slot, pci->func);
	pci_enable_device(pci);
	if (vpci_map(vp) != KERN_SUCCESS) {
		pr_err("virtio: %s: a legacy-only device (no virtio 1.x capabilities): not "
		       "supported (QEMU: leave disable-modern off)\n", vp->vdev.name);
		kfree(vp, sizeof(*vp));
		return;
	}
	vp->vdev.device_id = id;
	vp->vdev.ops = &vpci_ops;
	vp->vdev.transport = vp;
	/* 0 or 0xff: the firmware routed nothing; then the driver polls. */
	vp->vdev.has_irq = pci->irq_pin != 0 && pci->irq_line != 0 && pci->irq_line != 0xff;
	vp->vdev.irq = pci->irq_line;
	pr_info("virtio: %s: device id %u, %s, INTx %s%u\n", vp->vdev.name, id,
		pci->device >= VIRTIO_PCI_DEVICE_MODERN ? "modern" : "transitional",
		vp->vdev.has_irq ? "GSI " : "none ", vp->vdev.has_irq ? pci->irq_line : 0);
	virtio_device_add(&vp->vdev);
}

static kern_return_t virtio_pci_init(void)
{
	struct pci_dev *p = NULL;

	while ((p = pci_dev_next(p))) {
		if (p->vendor != VIRTIO_PCI_VENDOR || p->device < 0x1000 || p->device > 0x107f)
			continue;
		vpci_probe(p);
	}
	return KERN_SUCCESS;
}
KERNEL_INIT(DEVICE, virtio_pci_init);
