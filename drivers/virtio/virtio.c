// SPDX-License-Identifier: MIT
/*
 * The transport-independent part of virtio: the device status handshake
 * (virtio 1.2, 3.1.1), feature negotiation, binding drivers to devices by
 * id, and interrupt lines that several devices share (PCI INTx).
 */
#include <kern/irq.h>
#include <kern/lock.h>
#include <kern/printk.h>
#include <kern/zalloc.h>
#include "virtio.h"

static struct virtio_driver *virtio_drivers;
static struct virtio_device *virtio_devices;
static struct virtio_device **virtio_devices_tail = &virtio_devices;

/*
 * Interrupt lines: one handler per line, which asks every device on it.
 * The lists only grow, before the device's queues are live.
 */
#define VIRTIO_MAX_LINES	8

struct virtio_line {
	unsigned int		irq;
	struct virtio_device	*devices;
};

static struct virtio_line virtio_lines[VIRTIO_MAX_LINES];
static unsigned int virtio_nr_lines;
static spinlock_t virtio_lines_lock = SPINLOCK_INIT;

void virtio_driver_register(struct virtio_driver *drv)
{
	drv->next = virtio_drivers;
	virtio_drivers = drv;
}

struct virtio_device *virtio_device_next(struct virtio_device *prev)
{
	return prev ? prev->next : virtio_devices;
}

static void virtio_line_interrupt(unsigned int irq, void *arg)
{
	struct virtio_line *line = arg;
	struct virtio_device *vdev;

	(void)irq;
	for (vdev = __atomic_load_n(&line->devices, __ATOMIC_ACQUIRE); vdev;
	     vdev = vdev->irq_next) {
		uint32_t isr = vdev->ops->ack_interrupt(vdev);

		if ((isr & VIRTIO_ISR_QUEUE) && vdev->queue_interrupt)
			vdev->queue_interrupt(vdev);
	}
}

/* Put vdev on the handler of its line (registering the line first). */
static kern_return_t virtio_attach_irq(struct virtio_device *vdev)
{
	struct virtio_line *line = NULL;
	unsigned long flags;
	kern_return_t kr = KERN_SUCCESS;
	unsigned int i;
	bool fresh = false;

	flags = spin_lock_irqsave(&virtio_lines_lock);
	for (i = 0; i < virtio_nr_lines; i++)
		if (virtio_lines[i].irq == vdev->irq)
			line = &virtio_lines[i];
	if (!line && virtio_nr_lines < VIRTIO_MAX_LINES) {
		line = &virtio_lines[virtio_nr_lines++];
		line->irq = vdev->irq;
		line->devices = NULL;
		fresh = true;
	}
	if (line) {
		vdev->irq_next = line->devices;
		__atomic_store_n(&line->devices, vdev, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&virtio_lines_lock, flags);
	if (!line)
		return KERN_RESOURCE_SHORTAGE;
	if (fresh)
		kr = irq_register(vdev->irq, virtio_line_interrupt, line, "virtio");
	return kr;
}

kern_return_t virtio_negotiate(struct virtio_device *vdev, uint64_t wanted)
{
	uint64_t offered = vdev->ops->get_features(vdev);
	uint8_t status;

	if (!(offered & (1ULL << VIRTIO_F_VERSION_1))) {
		pr_err("virtio: %s: a legacy-only device (no VIRTIO_F_VERSION_1): not supported\n",
		       vdev->name);
		return KERN_NOT_SUPPORTED;
	}
	vdev->features = offered & (wanted | (1ULL << VIRTIO_F_VERSION_1));
	vdev->ops->set_features(vdev, vdev->features);
	status = vdev->ops->get_status(vdev);
	vdev->ops->set_status(vdev, status | VIRTIO_STATUS_FEATURES_OK);
	if (!(vdev->ops->get_status(vdev) & VIRTIO_STATUS_FEATURES_OK)) {
		pr_err("virtio: %s: the device refused features %#llx\n", vdev->name,
		       (unsigned long long)vdev->features);
		return KERN_NOT_SUPPORTED;
	}
	return KERN_SUCCESS;
}

void virtio_device_ready(struct virtio_device *vdev)
{
	vdev->ops->set_status(vdev, vdev->ops->get_status(vdev) | VIRTIO_STATUS_DRIVER_OK);
}

uint32_t virtio_config_read32(struct virtio_device *vdev, unsigned int off)
{
	return vdev->ops->config_read32(vdev, off);
}

uint64_t virtio_config_read64(struct virtio_device *vdev, unsigned int off)
{
	uint32_t gen, lo, hi;

	/* The device may change the field between our two reads: retry then. */
	do {
		gen = vdev->ops->config_generation(vdev);
		lo = vdev->ops->config_read32(vdev, off);
		hi = vdev->ops->config_read32(vdev, off + 4);
	} while (gen != vdev->ops->config_generation(vdev));
	return ((uint64_t)hi << 32) | lo;
}

static struct virtio_driver *virtio_find_driver(uint32_t device_id)
{
	struct virtio_driver *drv;

	for (drv = virtio_drivers; drv; drv = drv->next)
		if (drv->device_id == device_id)
			return drv;
	return NULL;
}

kern_return_t virtio_device_add(struct virtio_device *vdev)
{
	struct virtio_driver *drv = virtio_find_driver(vdev->device_id);
	kern_return_t kr;

	vdev->next = NULL;
	*virtio_devices_tail = vdev;
	virtio_devices_tail = &vdev->next;

	vdev->ops->reset(vdev);
	if (!drv) {
		pr_info("virtio: %s: device id %u, no driver\n", vdev->name, vdev->device_id);
		return KERN_NOT_SUPPORTED;
	}
	vdev->ops->set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE);
	vdev->ops->set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

	/* The handler is on the line before any queue can complete. */
	if (vdev->has_irq) {
		kr = virtio_attach_irq(vdev);
		if (kr != KERN_SUCCESS) {
			pr_warn("virtio: %s: interrupt line %u: kern_return %d, polling\n",
				vdev->name, vdev->irq, kr);
			vdev->has_irq = false;
		}
	}
	kr = drv->probe(vdev);
	if (kr != KERN_SUCCESS) {
		pr_err("virtio: %s: %s: probe failed (kern_return %d)\n", vdev->name,
		       drv->name, kr);
		vdev->ops->set_status(vdev, vdev->ops->get_status(vdev) | VIRTIO_STATUS_FAILED);
		return kr;
	}
	return KERN_SUCCESS;
}
