// SPDX-License-Identifier: MIT
/*
 * The block device registry and the checks every request goes through
 * before a driver sees it: the range is validated once here, and a long
 * request is cut into pieces of at most the driver's max_sectors.
 */
#include <kern/blkdev.h>
#include <kern/lock.h>
#include <kern/printk.h>
#include <kern/string.h>

static struct blkdev *blkdev_list;
static struct blkdev **blkdev_tail = &blkdev_list;
static spinlock_t blkdev_lock = SPINLOCK_INIT;

kern_return_t blkdev_register(struct blkdev *dev)
{
	kern_return_t kr = KERN_SUCCESS;

	if (!dev || !dev->name[0] || !dev->ops || !dev->ops->transfer ||
	    !dev->max_sectors)
		return KERN_INVALID_ARGUMENT;
	spin_lock(&blkdev_lock);
	if (blkdev_lookup(dev->name)) {
		kr = KERN_NAME_EXISTS;
	} else {
		dev->next = NULL;
		__atomic_store_n(blkdev_tail, dev, __ATOMIC_RELEASE);
		blkdev_tail = &dev->next;
	}
	spin_unlock(&blkdev_lock);
	if (kr == KERN_SUCCESS)
		pr_info("blkdev: %s: %llu sectors (%llu MiB), block size %u%s%s%s\n",
			dev->name, (unsigned long long)dev->capacity,
			(unsigned long long)(dev->capacity >> (20 - BLKDEV_SECTOR_SHIFT)),
			dev->block_size, dev->serial[0] ? ", serial " : "", dev->serial,
			dev->read_only ? ", read-only" : "");
	return kr;
}

/*
 * The list only grows and an entry never changes once linked, so readers
 * walk it without the lock: they see a prefix of it.
 */
struct blkdev *blkdev_next(struct blkdev *prev)
{
	return __atomic_load_n(prev ? &prev->next : &blkdev_list, __ATOMIC_ACQUIRE);
}

struct blkdev *blkdev_lookup(const char *name)
{
	struct blkdev *d;

	for (d = blkdev_next(NULL); d; d = blkdev_next(d))
		if (name && strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

struct blkdev *blkdev_lookup_serial(const char *serial)
{
	struct blkdev *d;

	if (!serial || !serial[0])
		return NULL;
	for (d = blkdev_next(NULL); d; d = blkdev_next(d))
		if (strcmp(d->serial, serial) == 0)
			return d;
	return NULL;
}

uint64_t blkdev_capacity(const struct blkdev *dev)
{
	return dev ? dev->capacity : 0;
}

static kern_return_t blkdev_rw(struct blkdev *dev, bool write, uint64_t sector,
			       void *buf, size_t count)
{
	uint8_t *p = buf;
	kern_return_t kr;

	if (!dev || !buf || count == 0 || sector >= dev->capacity ||
	    count > dev->capacity - sector)
		return KERN_INVALID_ARGUMENT;
	if (write && dev->read_only)
		return KERN_PROTECTION_FAILURE;
	while (count) {
		uint32_t n = count < dev->max_sectors ? (uint32_t)count : dev->max_sectors;

		kr = dev->ops->transfer(dev, write, sector, p, n);
		if (kr != KERN_SUCCESS)
			return kr;
		sector += n;
		count -= n;
		p += (size_t)n << BLKDEV_SECTOR_SHIFT;
	}
	return KERN_SUCCESS;
}

kern_return_t blkdev_read(struct blkdev *dev, uint64_t sector, void *buf, size_t count)
{
	return blkdev_rw(dev, false, sector, buf, count);
}

kern_return_t blkdev_write(struct blkdev *dev, uint64_t sector, const void *buf,
			   size_t count)
{
	/* The driver only reads the buffer of a write. */
	return blkdev_rw(dev, true, sector, (void *)(uintptr_t)buf, count);
}

kern_return_t blkdev_flush(struct blkdev *dev)
{
	if (!dev)
		return KERN_INVALID_ARGUMENT;
	if (!dev->ops->flush)
		return KERN_NOT_SUPPORTED;
	return dev->ops->flush(dev);
}
