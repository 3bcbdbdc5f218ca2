// SPDX-License-Identifier: MIT
/*
 * The virtio MMIO transport, version 2 (virtio 1.2, 4.2), for devices the
 * device tree lists as compatible "virtio,mmio". QEMU's virt machine has
 * 32 such transports at 0x0a000000 + 0x200 * n (SPIs 16 + n); most are
 * empty (DeviceID 0) and skipped. QEMU 7.2 still presents them as legacy
 * (version 1) unless started with -global virtio-mmio.force-legacy=false,
 * which the board does; a version-1 transport is refused with a message.
 *
 * The interrupt is the node's first "interrupts" entry, a GIC SPI
 * (<0 spi flags>: INTID 32 + spi); QEMU drives the line level-high while
 * InterruptStatus is non-zero, so the handler acknowledges it there.
 */
#include <kern/bootinfo.h>
#include <kern/fdt.h>
#include <kern/init.h>
#include <kern/ioremap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/zalloc.h>
#include <asm/io.h>
#include "virtio.h"

#define VMMIO_MAGIC_VALUE	0x000
#define VMMIO_VERSION		0x004
#define VMMIO_DEVICE_ID		0x008
#define VMMIO_DEVICE_FEATURES	0x010
#define VMMIO_DEVICE_FEATURES_SEL 0x014
#define VMMIO_DRIVER_FEATURES	0x020
#define VMMIO_DRIVER_FEATURES_SEL 0x024
#define VMMIO_QUEUE_SEL		0x030
#define VMMIO_QUEUE_NUM_MAX	0x034
#define VMMIO_QUEUE_NUM		0x038
#define VMMIO_QUEUE_READY	0x044
#define VMMIO_QUEUE_NOTIFY	0x050
#define VMMIO_INTERRUPT_STATUS	0x060
#define VMMIO_INTERRUPT_ACK	0x064
#define VMMIO_STATUS		0x070
#define VMMIO_QUEUE_DESC_LOW	0x080
#define VMMIO_QUEUE_DRIVER_LOW	0x090
#define VMMIO_QUEUE_DEVICE_LOW	0x0a0
#define VMMIO_CONFIG_GENERATION	0x0fc
#define VMMIO_CONFIG		0x100

#define VMMIO_MAGIC		0x74726976	/* "virt" */
#define VMMIO_MIN_SIZE		0x200

#define GIC_DT_SPI		0	/* first cell of a GIC interrupt specifier */
#define GIC_SPI_BASE		32

struct virtio_mmio {
	struct virtio_device	vdev;
	uint8_t __iomem		*base;
	uint64_t		size;
};

static struct virtio_mmio *to_vmmio(struct virtio_device *vdev)
{
	return vdev->transport;
}

static uint32_t vmmio_read(struct virtio_device *vdev, unsigned int reg)
{
	return readl(to_vmmio(vdev)->base + reg);
}

static void vmmio_write(struct virtio_device *vdev, unsigned int reg, uint32_t v)
{
	writel(v, to_vmmio(vdev)->base + reg);
}

static uint8_t vmmio_get_status(struct virtio_device *vdev)
{
	return (uint8_t)vmmio_read(vdev, VMMIO_STATUS);
}

static void vmmio_set_status(struct virtio_device *vdev, uint8_t status)
{
	vmmio_write(vdev, VMMIO_STATUS, status);
}

static void vmmio_reset(struct virtio_device *vdev)
{
	vmmio_write(vdev, VMMIO_STATUS, 0);
	while (vmmio_read(vdev, VMMIO_STATUS) != 0)
		arch_cpu_relax();
}

static uint64_t vmmio_get_features(struct virtio_device *vdev)
{
	uint64_t f;

	vmmio_write(vdev, VMMIO_DEVICE_FEATURES_SEL, 0);
	f = vmmio_read(vdev, VMMIO_DEVICE_FEATURES);
	vmmio_write(vdev, VMMIO_DEVICE_FEATURES_SEL, 1);
	return f | ((uint64_t)vmmio_read(vdev, VMMIO_DEVICE_FEATURES) << 32);
}

static void vmmio_set_features(struct virtio_device *vdev, uint64_t features)
{
	vmmio_write(vdev, VMMIO_DRIVER_FEATURES_SEL, 0);
	vmmio_write(vdev, VMMIO_DRIVER_FEATURES, (uint32_t)features);
	vmmio_write(vdev, VMMIO_DRIVER_FEATURES_SEL, 1);
	vmmio_write(vdev, VMMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
}

static uint32_t vmmio_config_read32(struct virtio_device *vdev, unsigned int off)
{
	if (VMMIO_CONFIG + off + 4 > to_vmmio(vdev)->size)
		return 0;
	return vmmio_read(vdev, VMMIO_CONFIG + off);
}

static uint32_t vmmio_config_generation(struct virtio_device *vdev)
{
	return vmmio_read(vdev, VMMIO_CONFIG_GENERATION);
}

static uint16_t vmmio_queue_max(struct virtio_device *vdev, unsigned int index)
{
	uint32_t max;

	vmmio_write(vdev, VMMIO_QUEUE_SEL, index);
	if (vmmio_read(vdev, VMMIO_QUEUE_READY))
		return 0;	/* already in use: not ours to take */
	max = vmmio_read(vdev, VMMIO_QUEUE_NUM_MAX);
	return max > 0x8000 ? 0x8000 : (uint16_t)max;
}

static void vmmio_write64(struct virtio_device *vdev, unsigned int reg, uint64_t v)
{
	vmmio_write(vdev, reg, (uint32_t)v);
	vmmio_write(vdev, reg + 4, (uint32_t)(v >> 32));
}

static kern_return_t vmmio_queue_enable(struct virtio_device *vdev, struct virtqueue *vq)
{
	vmmio_write(vdev, VMMIO_QUEUE_SEL, vq->index);
	vmmio_write(vdev, VMMIO_QUEUE_NUM, vq->num);
	vmmio_write64(vdev, VMMIO_QUEUE_DESC_LOW, vq->desc_pa);
	vmmio_write64(vdev, VMMIO_QUEUE_DRIVER_LOW, vq->avail_pa);
	vmmio_write64(vdev, VMMIO_QUEUE_DEVICE_LOW, vq->used_pa);
	vmmio_write(vdev, VMMIO_QUEUE_READY, 1);
	vq->notify_addr = to_vmmio(vdev)->base + VMMIO_QUEUE_NOTIFY;
	return KERN_SUCCESS;
}

static void vmmio_notify(struct virtqueue *vq)
{
	writel(vq->index, vq->notify_addr);
}

static uint32_t vmmio_ack_interrupt(struct virtio_device *vdev)
{
	uint32_t isr = vmmio_read(vdev, VMMIO_INTERRUPT_STATUS);

	if (isr)
		vmmio_write(vdev, VMMIO_INTERRUPT_ACK, isr);
	return isr;
}

static const struct virtio_transport_ops vmmio_ops = {
	.get_status		= vmmio_get_status,
	.set_status		= vmmio_set_status,
	.get_features		= vmmio_get_features,
	.set_features		= vmmio_set_features,
	.config_read32		= vmmio_config_read32,
	.config_generation	= vmmio_config_generation,
	.queue_max		= vmmio_queue_max,
	.queue_enable		= vmmio_queue_enable,
	.notify			= vmmio_notify,
	.ack_interrupt		= vmmio_ack_interrupt,
	.reset			= vmmio_reset,
};

/* The INTID of the node's first interrupt, if it is a GIC SPI. */
static bool vmmio_irq(const void *fdt, int node, unsigned int *irq)
{
	const uint32_t *cells;
	int len;

	cells = fdt_getprop(fdt, node, "interrupts", &len);
	if (!cells || len < 12 || __builtin_bswap32(cells[0]) != GIC_DT_SPI)
		return false;
	*irq = __builtin_bswap32(cells[1]) + GIC_SPI_BASE;
	return true;
}

static void vmmio_probe(const void *fdt, int node)
{
	struct virtio_mmio *vm;
	uint8_t __iomem *base;
	uint64_t addr, size;
	uint32_t id, version;

	if (fdt_get_reg(fdt, node, 0, &addr, &size) != KERN_SUCCESS || size < VMMIO_MIN_SIZE)
		return;
	base = ioremap(addr, size);
	if (!base)
		return;
	if (readl(base + VMMIO_MAGIC_VALUE) != VMMIO_MAGIC ||
	    (id = readl(base + VMMIO_DEVICE_ID)) == 0) {
		iounmap(base);		/* an empty transport */
		return;
	}
	version = readl(base + VMMIO_VERSION);
	if (version != 2) {
		pr_err("virtio: mmio@%llx: version %u transport: only version 2 (modern) is "
		       "supported (QEMU: -global virtio-mmio.force-legacy=false)\n",
		       (unsigned long long)addr, version);
		iounmap(base);
		return;
	}
	vm = kalloc(sizeof(*vm));
	if (!vm) {
		iounmap(base);
		return;
	}
	memset(vm, 0, sizeof(*vm));
	vm->base = base;
	vm->size = size;
	snprintf(vm->vdev.name, sizeof(vm->vdev.name), "mmio@%llx", (unsigned long long)addr);
	vm->vdev.device_id = id;
	vm->vdev.ops = &vmmio_ops;
	vm->vdev.transport = vm;
	vm->vdev.has_irq = vmmio_irq(fdt, node, &vm->vdev.irq);
	pr_info("virtio: %s: device id %u, interrupt %s%u\n", vm->vdev.name, id,
		vm->vdev.has_irq ? "INTID " : "none ", vm->vdev.has_irq ? vm->vdev.irq : 0);
	virtio_device_add(&vm->vdev);
}

static kern_return_t virtio_mmio_init(void)
{
	const void *fdt = boot_info.fdt;
	int node = -1;

	if (!fdt)
		return KERN_SUCCESS;
	while ((node = fdt_find_compatible(fdt, node, "virtio,mmio")) >= 0)
		vmmio_probe(fdt, node);
	return KERN_SUCCESS;
}
KERNEL_INIT(DEVICE, virtio_mmio_init);
