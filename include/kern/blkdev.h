/* SPDX-License-Identifier: MIT */
/*
 * Block devices inside the kernel: a registry of disks by name ("vda") and
 * by serial ("machline-swap"), and synchronous sector I/O on them. See
 * Documentation/drivers/virtio.rst.
 *
 *	struct blkdev *d = blkdev_lookup_serial("machline-swap");
 *
 *	if (d == NULL)
 *		return KERN_INVALID_NAME;
 *	kr = blkdev_write(d, 8, page_va, PAGE_SIZE / BLKDEV_SECTOR_SIZE);
 *
 * Sectors are 512 bytes whatever the device's block size. A buffer is any
 * wired kernel address (direct map, image, kmem, a kernel stack): the
 * driver finds the physical pages behind it, so it need not be physically
 * contiguous, nor aligned.
 *
 * blkdev_read(), blkdev_write() and blkdev_flush() sleep until the device
 * has finished: thread context only, no spinlock held. Any number of
 * threads may have requests in flight on one disk at once.
 *
 * Returns: KERN_SUCCESS; KERN_INVALID_ARGUMENT for a NULL device or buffer,
 * a count of 0, or sectors beyond the end of the disk (nothing is read,
 * written or touched then); KERN_INVALID_ADDRESS for a buffer that is not
 * mapped kernel memory; KERN_PROTECTION_FAILURE to write a read-only disk;
 * KERN_NOT_SUPPORTED for a flush on a disk without a write cache command;
 * KERN_FAILURE when the device reports an I/O error.
 */
#ifndef _KERN_BLKDEV_H
#define _KERN_BLKDEV_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define BLKDEV_SECTOR_SHIFT	9
#define BLKDEV_SECTOR_SIZE	(1U << BLKDEV_SECTOR_SHIFT)
#define BLKDEV_NAME_MAX		16
#define BLKDEV_SERIAL_MAX	21	/* virtio's 20 bytes and a NUL */

struct blkdev;

/*
 * What a driver provides. transfer() moves count sectors, never more than
 * the disk's max_sectors, always inside the disk (blkdev.c checks), and
 * sleeps until done. flush() may be NULL (KERN_NOT_SUPPORTED).
 */
struct blkdev_ops {
	kern_return_t	(*transfer)(struct blkdev *dev, bool write, uint64_t sector,
				    void *buf, uint32_t count);
	kern_return_t	(*flush)(struct blkdev *dev);
};

struct blkdev {
	char			name[BLKDEV_NAME_MAX];		/* "vda" */
	char			serial[BLKDEV_SERIAL_MAX];	/* "" if none */
	uint64_t		capacity;	/* in 512-byte sectors */
	uint32_t		block_size;	/* the device's, in bytes (informative) */
	uint32_t		max_sectors;	/* per transfer() call */
	bool			read_only;
	const struct blkdev_ops	*ops;
	void			*priv;		/* the driver's */
	struct blkdev		*next;		/* registry (blkdev.c) */
};

#ifdef CONFIG_BLKDEV

/*
 * Add a disk: name, capacity, max_sectors and ops set by the driver.
 * KERN_NAME_EXISTS if the name is taken, KERN_INVALID_ARGUMENT if a field
 * is missing. Disks are never removed.
 */
kern_return_t blkdev_register(struct blkdev *dev);

/* A disk by name or by serial, or NULL. */
struct blkdev *blkdev_lookup(const char *name);
struct blkdev *blkdev_lookup_serial(const char *serial);

/* The disk after prev (NULL: the first), in registration order. */
struct blkdev *blkdev_next(struct blkdev *prev);

/* The size of the disk in 512-byte sectors. */
uint64_t blkdev_capacity(const struct blkdev *dev);

kern_return_t blkdev_read(struct blkdev *dev, uint64_t sector, void *buf, size_t count);
kern_return_t blkdev_write(struct blkdev *dev, uint64_t sector, const void *buf,
			   size_t count);

/* Make every completed write durable (the device's write cache). */
kern_return_t blkdev_flush(struct blkdev *dev);

#else /* !CONFIG_BLKDEV */

static inline struct blkdev *blkdev_lookup(const char *name) { (void)name; return NULL; }
static inline struct blkdev *blkdev_lookup_serial(const char *serial)
{
	(void)serial;
	return NULL;
}
static inline struct blkdev *blkdev_next(struct blkdev *prev) { (void)prev; return NULL; }

/*
 * Without block devices no disk is ever found, so callers that looked one
 * up never reach these; they let such callers read without #ifdef and
 * leave no blkdev symbol in the image.
 */
static inline kern_return_t blkdev_register(struct blkdev *dev)
{
	(void)dev;
	return KERN_NOT_SUPPORTED;
}

static inline uint64_t blkdev_capacity(const struct blkdev *dev)
{
	(void)dev;
	return 0;
}

static inline kern_return_t blkdev_read(struct blkdev *dev, uint64_t sector, void *buf,
					size_t count)
{
	(void)dev, (void)sector, (void)buf, (void)count;
	return KERN_NOT_SUPPORTED;
}

static inline kern_return_t blkdev_write(struct blkdev *dev, uint64_t sector,
					 const void *buf, size_t count)
{
	(void)dev, (void)sector, (void)buf, (void)count;
	return KERN_NOT_SUPPORTED;
}

static inline kern_return_t blkdev_flush(struct blkdev *dev)
{
	(void)dev;
	return KERN_NOT_SUPPORTED;
}

#endif /* CONFIG_BLKDEV */

#endif /* _KERN_BLKDEV_H */
