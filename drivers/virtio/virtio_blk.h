/* SPDX-License-Identifier: MIT */
/* The virtio block driver's state, shared with its tests. */
#ifndef _DRIVERS_VIRTIO_VIRTIO_BLK_H
#define _DRIVERS_VIRTIO_VIRTIO_BLK_H

#include <kern/blkdev.h>
#include <asm/memory.h>		/* PAGE_SIZE */
#include "virtio.h"

/* Feature bits (virtio 1.2, 5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX	1
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_BLK_SIZE	6
#define VIRTIO_BLK_F_FLUSH	9

/* Configuration offsets. */
#define VIRTIO_BLK_CFG_CAPACITY	0
#define VIRTIO_BLK_CFG_SIZE_MAX	8
#define VIRTIO_BLK_CFG_SEG_MAX	12
#define VIRTIO_BLK_CFG_BLK_SIZE	20

/* Request types and status. */
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define VIRTIO_BLK_ID_BYTES	20

/* The most sectors one request carries (64 KiB: 17 pages at most). */
#define VBLK_MAX_SECTORS	128
#define VBLK_MAX_DATA_SEGS	(VBLK_MAX_SECTORS * BLKDEV_SECTOR_SIZE / PAGE_SIZE + 1)
/* The header may straddle a page; the status byte never does. */
#define VBLK_MAX_BUFS		(VBLK_MAX_DATA_SEGS + 3)
#define VBLK_QUEUE_SIZE		128

struct vblk {
	struct blkdev		disk;
	struct virtio_device	*vdev;
	struct virtqueue	*vq;
	unsigned int		max_data_segs;	/* what the device and queue allow */
	/* Statistics, under vq->lock. */
	unsigned long		nr_requests;	/* submitted to the device */
	unsigned long		nr_errors;	/* completed with a bad status */
	unsigned long		nr_polled;	/* completions found without an interrupt */
	unsigned int		inflight;
	unsigned int		max_inflight;
	unsigned long		nr_desc_waits;	/* a request waited for descriptors */
};

#endif /* _DRIVERS_VIRTIO_VIRTIO_BLK_H */
