// SPDX-License-Identifier: MIT
/*
 * The virtio block driver (virtio 1.2, 5.2): one request queue per disk;
 * a request is a chain of a header (type, sector) the device reads, the
 * data, and a status byte the device writes. The thread that submits a
 * request sleeps on it until the interrupt handler sees it on the used
 * ring; several threads may have requests in flight at once, and one that
 * finds no free descriptors sleeps until a completion frees some.
 *
 * The header and status live on the submitting thread's stack (wired
 * kernel memory), the data wherever the caller's buffer is: virtq_buf_add()
 * finds the physical pages of both.
 *
 * Disks are named vda, vdb, ... in the order the transports find them, and
 * registered with <kern/blkdev.h> with the serial the device reports
 * (QEMU: -device virtio-blk-...,serial=NAME).
 */
#include <kern/blkdev.h>
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/printk.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/zalloc.h>
#include "virtio_blk.h"

/*
 * How long a request waits for its interrupt before the waiter looks at
 * the used ring itself: a safety net with an interrupt, the pace of
 * polling without one.
 */
#define VBLK_IRQ_TIMEOUT_NS	(1000ULL * 1000 * 1000)
#define VBLK_POLL_NS		(100ULL * 1000)

struct vblk_outhdr {
	uint32_t	type;
	uint32_t	ioprio;
	uint64_t	sector;
};

struct vblk_req {
	struct vblk_outhdr	hdr;
	uint8_t			status;
	bool			done;
};

static unsigned int vblk_nr_disks;

/* Complete every finished request. Call with vq->lock held. */
static unsigned int vblk_complete_locked(struct vblk *vb)
{
	struct vblk_req *req;
	unsigned int n = 0;

	while ((req = virtqueue_get_used_locked(vb->vq, NULL))) {
		req->done = true;
		vb->inflight--;
		thread_wakeup(req);
		n++;
	}
	if (n && thread_waiters(&vb->vq->nr_free))
		thread_wakeup(&vb->vq->nr_free);
	return n;
}

static void vblk_interrupt(struct virtio_device *vdev)
{
	struct vblk *vb = vdev->priv;
	unsigned long flags = spin_lock_irqsave(&vb->vq->lock);

	vblk_complete_locked(vb);
	spin_unlock_irqrestore(&vb->vq->lock, flags);
}

/*
 * Queue the chain and sleep until the device has finished it. The chain
 * is never longer than the queue (vblk_config() sees to it), so waiting
 * for descriptors ends.
 */
static kern_return_t vblk_submit_wait(struct vblk *vb, struct vblk_req *req,
				      const struct virtq_buf *bufs, unsigned int n)
{
	struct virtqueue *vq = vb->vq;
	uint64_t timeout = vb->vdev->has_irq ? VBLK_IRQ_TIMEOUT_NS : VBLK_POLL_NS;
	unsigned long flags;
	wait_result_t wr;
	kern_return_t kr;

	flags = spin_lock_irqsave(&vq->lock);
	while ((kr = virtqueue_add_locked(vq, bufs, n, req)) == KERN_RESOURCE_SHORTAGE) {
		vb->nr_desc_waits++;
		assert_wait(&vq->nr_free, THREAD_UNINT);
		spin_unlock_irqrestore(&vq->lock, flags);
		thread_block(NULL);
		flags = spin_lock_irqsave(&vq->lock);
	}
	if (kr != KERN_SUCCESS) {
		spin_unlock_irqrestore(&vq->lock, flags);
		return kr;
	}
	vb->nr_requests++;
	if (++vb->inflight > vb->max_inflight)
		vb->max_inflight = vb->inflight;

	while (!req->done) {
		assert_wait_timeout(req, THREAD_UNINT, timeout);
		spin_unlock_irqrestore(&vq->lock, flags);
		wr = thread_block(NULL);
		flags = spin_lock_irqsave(&vq->lock);
		if (!req->done && wr == THREAD_TIMED_OUT && vblk_complete_locked(vb) &&
		    vb->vdev->has_irq)
			vb->nr_polled++;
	}
	spin_unlock_irqrestore(&vq->lock, flags);
	return KERN_SUCCESS;
}

static kern_return_t vblk_status(struct vblk *vb, const struct vblk_req *req)
{
	switch (req->status) {
	case VIRTIO_BLK_S_OK:
		return KERN_SUCCESS;
	case VIRTIO_BLK_S_UNSUPP:
		return KERN_NOT_SUPPORTED;
	default:
		vb->nr_errors++;
		return KERN_FAILURE;
	}
}

/* One request: header, len bytes of buf (in or out), status. */
static kern_return_t vblk_request(struct vblk *vb, uint32_t type, uint64_t sector,
				  void *buf, size_t len, bool device_writes)
{
	struct virtq_buf bufs[VBLK_MAX_BUFS];
	struct vblk_req req;
	unsigned int n = 0;
	kern_return_t kr;

	req.hdr.type = type;
	req.hdr.ioprio = 0;
	req.hdr.sector = sector;
	req.status = 0xff;
	req.done = false;

	kr = virtq_buf_add(bufs, &n, 2, &req.hdr, sizeof(req.hdr), false);
	if (kr == KERN_SUCCESS && len)
		kr = virtq_buf_add(bufs, &n, n + vb->max_data_segs, buf, len, device_writes);
	if (kr == KERN_SUCCESS)
		kr = virtq_buf_add(bufs, &n, n + 1, &req.status, 1, true);
	if (kr != KERN_SUCCESS)
		return kr == KERN_RESOURCE_SHORTAGE ? KERN_INVALID_ARGUMENT : kr;

	kr = vblk_submit_wait(vb, &req, bufs, n);
	return kr == KERN_SUCCESS ? vblk_status(vb, &req) : kr;
}

static kern_return_t vblk_transfer(struct blkdev *disk, bool write, uint64_t sector,
				   void *buf, uint32_t count)
{
	return vblk_request(disk->priv, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector,
			    buf, (size_t)count << BLKDEV_SECTOR_SHIFT, !write);
}

static kern_return_t vblk_flush(struct blkdev *disk)
{
	return vblk_request(disk->priv, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, false);
}

static const struct blkdev_ops vblk_ops = {
	.transfer	= vblk_transfer,
	.flush		= vblk_flush,
};

static const struct blkdev_ops vblk_ops_noflush = {
	.transfer	= vblk_transfer,
};

/* The serial (GET_ID): up to 20 bytes, NUL-padded when shorter. */
static void vblk_read_serial(struct vblk *vb)
{
	char id[VIRTIO_BLK_ID_BYTES];

	memset(id, 0, sizeof(id));
	if (vblk_request(vb, VIRTIO_BLK_T_GET_ID, 0, id, sizeof(id), true) != KERN_SUCCESS)
		return;
	memcpy(vb->disk.serial, id, sizeof(id));
	vb->disk.serial[VIRTIO_BLK_ID_BYTES] = '\0';
}

static void vblk_config(struct vblk *vb)
{
	struct virtio_device *vdev = vb->vdev;
	unsigned int segs = vb->vq->num - 3;	/* header (2 at most) and status */
	uint32_t v;

	vb->disk.capacity = virtio_config_read64(vdev, VIRTIO_BLK_CFG_CAPACITY);
	vb->disk.block_size = BLKDEV_SECTOR_SIZE;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_BLK_SIZE)) {
		v = virtio_config_read32(vdev, VIRTIO_BLK_CFG_BLK_SIZE);
		if (v >= BLKDEV_SECTOR_SIZE)
			vb->disk.block_size = v;
	}
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_SEG_MAX)) {
		v = virtio_config_read32(vdev, VIRTIO_BLK_CFG_SEG_MAX);
		if (v && v < segs)
			segs = v;
	}
	if (segs > VBLK_MAX_DATA_SEGS)
		segs = VBLK_MAX_DATA_SEGS;
	vb->max_data_segs = segs;
	/* A buffer of s sectors spans at most s / 8 + 1 pages (and pieces). */
	vb->disk.max_sectors = segs > 1 ? (segs - 1) * (PAGE_SIZE / BLKDEV_SECTOR_SIZE) : 0;
	if (vb->disk.max_sectors > VBLK_MAX_SECTORS)
		vb->disk.max_sectors = VBLK_MAX_SECTORS;
	vb->disk.read_only = virtio_has_feature(vdev, VIRTIO_BLK_F_RO);
	vb->disk.ops = virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH) ? &vblk_ops
								    : &vblk_ops_noflush;
}

static kern_return_t vblk_probe(struct virtio_device *vdev)
{
	struct vblk *vb;
	kern_return_t kr;

	kr = virtio_negotiate(vdev, (1ULL << VIRTIO_BLK_F_SEG_MAX) |
				    (1ULL << VIRTIO_BLK_F_RO) |
				    (1ULL << VIRTIO_BLK_F_BLK_SIZE) |
				    (1ULL << VIRTIO_BLK_F_FLUSH));
	if (kr != KERN_SUCCESS)
		return kr;
	vb = kalloc(sizeof(*vb));
	if (!vb)
		return KERN_RESOURCE_SHORTAGE;
	memset(vb, 0, sizeof(*vb));
	vb->vdev = vdev;
	kr = virtqueue_create(vdev, 0, VBLK_QUEUE_SIZE, &vb->vq);
	if (kr != KERN_SUCCESS) {
		kfree(vb, sizeof(*vb));
		return kr;
	}
	if (vb->vq->num < 4) {
		/* The queue's memory stays with the device, which becomes FAILED. */
		pr_err("virtio: %s: a queue of %u entries is too small\n", vdev->name, vb->vq->num);
		return KERN_NOT_SUPPORTED;
	}
	vblk_config(vb);
	vdev->priv = vb;
	vdev->queue_interrupt = vblk_interrupt;
	virtio_device_ready(vdev);

	snprintf(vb->disk.name, sizeof(vb->disk.name), "vd%c", 'a' + (char)(vblk_nr_disks % 26));
	vblk_nr_disks++;
	vb->disk.priv = vb;
	vblk_read_serial(vb);
	return blkdev_register(&vb->disk);
}

static struct virtio_driver vblk_driver = {
	.name		= "virtio-blk",
	.device_id	= VIRTIO_ID_BLOCK,
	.probe		= vblk_probe,
};

static kern_return_t virtio_blk_init(void)
{
	virtio_driver_register(&vblk_driver);
	return KERN_SUCCESS;
}
KERNEL_INIT(SUBSYS, virtio_blk_init);
