/* SPDX-License-Identifier: MIT */
/*
 * Virtio 1.x inside drivers/virtio: the device a transport found, the
 * transport's operations, split virtqueues, and the drivers that bind to
 * devices by id. See Documentation/drivers/virtio.rst.
 *
 * Layers:
 *   virtio_pci.c, virtio_mmio.c   transports: find devices, reach their
 *                                 registers, set queues up, take interrupts
 *   virtio.c                      the status handshake, feature negotiation,
 *                                 drivers by device id, shared interrupt lines
 *   virtio_ring.c                 split virtqueues (descriptor table, avail
 *                                 and used rings) in physical pages
 *   virtio_blk.c                  the block driver, a <kern/blkdev.h> disk
 *
 * Only modern (VIRTIO_F_VERSION_1) devices are driven; every structure the
 * device reads is little-endian, as both our architectures are.
 */
#ifndef _DRIVERS_VIRTIO_VIRTIO_H
#define _DRIVERS_VIRTIO_VIRTIO_H

#include <kern/types.h>
#include <kern/spinlock.h>
#include <mach/kern_return.h>

/* Device status bits (virtio 1.2, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_NEEDS_RESET	64
#define VIRTIO_STATUS_FAILED		128

/* Feature bits every device type shares. */
#define VIRTIO_F_VERSION_1		32

/* Device ids (virtio 1.2, 5). */
#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2

/* Interrupt status bits (PCI ISR, MMIO InterruptStatus). */
#define VIRTIO_ISR_QUEUE		1
#define VIRTIO_ISR_CONFIG		2

#define VIRTIO_NAME_MAX			32

struct virtio_device;
struct virtqueue;

struct virtio_transport_ops {
	uint8_t		(*get_status)(struct virtio_device *vdev);
	void		(*set_status)(struct virtio_device *vdev, uint8_t status);
	uint64_t	(*get_features)(struct virtio_device *vdev);
	void		(*set_features)(struct virtio_device *vdev, uint64_t features);
	/* Device-specific configuration: 32-bit fields at 4-aligned offsets. */
	uint32_t	(*config_read32)(struct virtio_device *vdev, unsigned int off);
	uint32_t	(*config_generation)(struct virtio_device *vdev);
	/*
	 * Queue vq->index: the largest size the device takes (0: no such
	 * queue), then, once virtio_ring.c has the rings, tell the device
	 * where they are and enable the queue.
	 */
	uint16_t	(*queue_max)(struct virtio_device *vdev, unsigned int index);
	kern_return_t	(*queue_enable)(struct virtio_device *vdev, struct virtqueue *vq);
	void		(*notify)(struct virtqueue *vq);
	/* Read and acknowledge the interrupt status (VIRTIO_ISR_*). */
	uint32_t	(*ack_interrupt)(struct virtio_device *vdev);
	void		(*reset)(struct virtio_device *vdev);
};

struct virtio_device {
	char				name[VIRTIO_NAME_MAX];	/* "pci 00:04.0", "mmio@a003e00" */
	uint32_t			device_id;
	const struct virtio_transport_ops *ops;
	void				*transport;	/* the transport's state */
	bool				has_irq;
	unsigned int			irq;		/* <kern/irq.h> line */
	uint64_t			features;	/* negotiated */
	/* The driver's: called from the interrupt handler for queue work. */
	void				(*queue_interrupt)(struct virtio_device *vdev);
	void				*priv;
	struct virtio_device		*irq_next;	/* devices sharing irq */
	struct virtio_device		*next;		/* every device (virtio.c) */
};

struct virtio_driver {
	const char	*name;
	uint32_t	device_id;
	/*
	 * Negotiate, set queues up, virtio_device_ready(), then use the
	 * device and register it where it belongs.
	 */
	kern_return_t	(*probe)(struct virtio_device *vdev);
	struct virtio_driver *next;
};

/* ------------------------------------------------------------------------
 * virtio.c
 */

/* Drivers register at the SUBSYS level, transports find devices at DEVICE. */
void virtio_driver_register(struct virtio_driver *drv);

/*
 * A transport found a device: reset it, say ACKNOWLEDGE and DRIVER, and
 * probe the driver of its id. The device stays the transport's (never
 * freed). KERN_NOT_SUPPORTED without a driver; the driver's error else.
 */
kern_return_t virtio_device_add(struct virtio_device *vdev);

/*
 * Feature negotiation: accept the device's features that are in `wanted`
 * (VIRTIO_F_VERSION_1 is always wanted, and required), write them, set
 * FEATURES_OK and check that the device kept it. KERN_NOT_SUPPORTED for a
 * legacy-only device or one that refuses the set.
 */
kern_return_t virtio_negotiate(struct virtio_device *vdev, uint64_t wanted);

/* Set DRIVER_OK: from now on the device processes its queues. */
void virtio_device_ready(struct virtio_device *vdev);

static inline bool virtio_has_feature(const struct virtio_device *vdev, unsigned int bit)
{
	return (vdev->features >> bit) & 1;
}

/* A consistent 64-bit configuration field (two 32-bit reads, generation checked). */
uint64_t virtio_config_read64(struct virtio_device *vdev, unsigned int off);
uint32_t virtio_config_read32(struct virtio_device *vdev, unsigned int off);

/* The device has a virtio device after prev (NULL: first): for tests and debugging. */
struct virtio_device *virtio_device_next(struct virtio_device *prev);

/* ------------------------------------------------------------------------
 * virtio_ring.c: split virtqueues
 */

/* One piece of a request: a physically contiguous buffer. */
struct virtq_buf {
	phys_addr_t	addr;
	uint32_t	len;
	bool		device_writes;	/* an "in" buffer */
};

struct virtq_desc {
	uint64_t	addr;
	uint32_t	len;
	uint16_t	flags;
	uint16_t	next;
};

#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2

struct virtq_avail {
	uint16_t	flags;
	uint16_t	idx;
	uint16_t	ring[];
};

struct virtq_used_elem {
	uint32_t	id;
	uint32_t	len;
};

struct virtq_used {
	uint16_t	flags;
	uint16_t	idx;
	struct virtq_used_elem ring[];
};

struct virtqueue {
	struct virtio_device	*vdev;
	unsigned int		index;
	uint16_t		num;		/* entries, a power of two */
	/* The rings, in one run of physical pages. */
	struct vm_page		*pages;
	unsigned int		order;
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	phys_addr_t		desc_pa, avail_pa, used_pa;
	void __iomem		*notify_addr;	/* the transport's doorbell */
	/* Guarded by lock (taken with interrupts off: the handler uses it too). */
	spinlock_t		lock;
	uint16_t		free_head;	/* chain of free descriptors */
	uint16_t		nr_free;
	uint16_t		avail_idx;	/* our copy of avail->idx */
	uint16_t		last_used;	/* used entries consumed so far */
	void			**cookies;	/* per chain head: the caller's token */
	unsigned long		nr_added;	/* statistics */
	unsigned long		nr_completed;
};

/*
 * Set up queue `index` of vdev with at most max_num entries (rounded down
 * to a power of two and to what the device offers) and enable it.
 * KERN_INVALID_ARGUMENT if the device has no such queue,
 * KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t virtqueue_create(struct virtio_device *vdev, unsigned int index,
			       uint16_t max_num, struct virtqueue **vqp);

/*
 * Put a chain of n buffers (those the device reads first) on the avail
 * ring with `cookie` as its token, and notify the device. Call with
 * vq->lock held. KERN_RESOURCE_SHORTAGE when fewer than n descriptors are
 * free (nothing is added); KERN_INVALID_ARGUMENT for n == 0 or n > num.
 */
kern_return_t virtqueue_add_locked(struct virtqueue *vq, const struct virtq_buf *bufs,
				   unsigned int n, void *cookie);

/*
 * The token of the next chain the device has finished, and how many bytes
 * it wrote (*len), freeing its descriptors; NULL when there is none.
 * Call with vq->lock held.
 */
void *virtqueue_get_used_locked(struct virtqueue *vq, uint32_t *len);

/*
 * Split [va, va + len) of kernel memory into physically contiguous
 * pieces, appended at bufs[*n] (at most max in all). KERN_INVALID_ADDRESS
 * for memory that is not mapped, KERN_RESOURCE_SHORTAGE past max.
 */
kern_return_t virtq_buf_add(struct virtq_buf *bufs, unsigned int *n, unsigned int max,
			    const void *va, size_t len, bool device_writes);

#endif /* _DRIVERS_VIRTIO_VIRTIO_H */
