// SPDX-License-Identifier: MIT
/*
 * Tests of the virtio block driver and <kern/blkdev.h>, on the scratch
 * disk the boards attach for test runs: serial "machline-swap", a sparse
 * file of VBLK_TEST_DISK_MB MiB (arch/<arch>/boards/<board>/board.sh makes
 * it; the two sizes must agree). Every case skips when that disk is
 * absent, and no case touches any other disk (on arm64 the boot disk is
 * a virtio disk too).
 *
 * Data patterns name their sector and a per-run seed in every 8 bytes, so
 * a block that landed on the wrong sector, or a stale one, shows.
 */
#include <kern/blkdev.h>
#include <kern/irq.h>
#include <kern/kmem.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <ktest.h>
#include "virtio_blk.h"

#define VBLK_TEST_SERIAL	"machline-swap"
#define VBLK_TEST_DISK_MB	64
#define VBLK_TEST_SECTORS	((uint64_t)VBLK_TEST_DISK_MB << (20 - BLKDEV_SECTOR_SHIFT))

/* A buffer big enough to need several requests (max_sectors is 128). */
#define VBLK_TEST_BIG_SECTORS	300
#define VBLK_TEST_BIG_BYTES	(VBLK_TEST_BIG_SECTORS * BLKDEV_SECTOR_SIZE)

#define VBLK_TEST_THREADS	4
#define VBLK_TEST_ROUNDS	24
#define VBLK_TEST_THREAD_SECTORS 24	/* each round: up to this many sectors */

static struct blkdev *vblk_test_disk(struct ktest *t)
{
	struct blkdev *d = blkdev_lookup_serial(VBLK_TEST_SERIAL);

	if (!d)
		ktest_skip(t, "no scratch disk with serial " VBLK_TEST_SERIAL);
	return d;
}

static uint64_t vblk_test_rand(uint64_t *s)
{
	/* xorshift64 */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void vblk_test_fill(void *buf, uint64_t sector, size_t count, uint64_t seed)
{
	uint64_t *w = buf;
	size_t i, per = BLKDEV_SECTOR_SIZE / sizeof(uint64_t);

	for (i = 0; i < count * per; i++)
		w[i] = ((sector + i / per) << 20) ^ (seed * 0x9e3779b97f4a7c15ULL) ^ (i % per);
}

/* The first sector of [sector, sector + count) that does not hold its pattern, or -1. */
static long vblk_test_check(const void *buf, uint64_t sector, size_t count, uint64_t seed)
{
	const uint64_t *w = buf;
	size_t i, per = BLKDEV_SECTOR_SIZE / sizeof(uint64_t);

	for (i = 0; i < count * per; i++)
		if (w[i] != (((sector + i / per) << 20) ^ (seed * 0x9e3779b97f4a7c15ULL) ^ (i % per)))
			return (long)(i / per);
	return -1;
}

static unsigned long vblk_test_pages_allocated(void)
{
	struct vm_page_stats st;

	vm_page_cache_drain();
	vm_page_get_stats(&st);
	return st.allocated;
}

static void vblk_test_capacity(struct ktest *t)
{
	struct blkdev *d = vblk_test_disk(t);
	struct vblk *vb = d->priv;

	KTEST_EXPECT_EQ(t, blkdev_capacity(d), VBLK_TEST_SECTORS);
	KTEST_EXPECT_EQ(t, blkdev_capacity(d),
			virtio_config_read64(vb->vdev, VIRTIO_BLK_CFG_CAPACITY));
	KTEST_EXPECT_EQ(t, d->block_size, BLKDEV_SECTOR_SIZE);
	KTEST_EXPECT_FALSE(t, d->read_only);
	KTEST_EXPECT_EQ(t, d->max_sectors, (uint32_t)VBLK_MAX_SECTORS);
	KTEST_EXPECT_STREQ(t, d->serial, VBLK_TEST_SERIAL);
	KTEST_EXPECT_PTR_EQ(t, blkdev_lookup(d->name), d);
	KTEST_EXPECT_TRUE(t, virtio_has_feature(vb->vdev, VIRTIO_F_VERSION_1));
	KTEST_EXPECT_NULL(t, blkdev_lookup("nonexistent"));
	KTEST_EXPECT_NULL(t, blkdev_lookup_serial(""));
}

/* Write one run of sectors with its pattern, read it back into a dirty buffer. */
static void vblk_test_roundtrip(struct ktest *t, struct blkdev *d, uint8_t *wbuf,
				uint8_t *rbuf, uint64_t sector, size_t count, uint64_t seed)
{
	size_t bytes = count * BLKDEV_SECTOR_SIZE;

	vblk_test_fill(wbuf, sector, count, seed);
	memset(rbuf, 0xa5, bytes);
	KTEST_ASSERT_EQ(t, blkdev_write(d, sector, wbuf, count), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, blkdev_read(d, sector, rbuf, count), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vblk_test_check(rbuf, sector, count, seed), -1L);
}

static void vblk_test_patterns(struct ktest *t)
{
	struct blkdev *d = vblk_test_disk(t);
	uint64_t cap = blkdev_capacity(d), rng = 0x1234567887654321ULL, s;
	unsigned long pages_before, irqs_before = 0;
	struct vblk *vb = d->priv;
	uint8_t *wbuf, *rbuf;
	unsigned int i;

	/* kmem: virtually contiguous, not physically: the driver splits it. */
	wbuf = kmem_alloc_wired(VBLK_TEST_BIG_BYTES + PAGE_SIZE);
	rbuf = kmem_alloc_wired(VBLK_TEST_BIG_BYTES + PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, wbuf);
	KTEST_ASSERT_NOT_NULL(t, rbuf);
	if (vb->vdev->has_irq)
		irqs_before = irq_count(vb->vdev->irq);
	pages_before = vblk_test_pages_allocated();

	vblk_test_roundtrip(t, d, wbuf, rbuf, 0, 1, 1);			/* first */
	vblk_test_roundtrip(t, d, wbuf, rbuf, cap - 1, 1, 2);		/* last */
	vblk_test_roundtrip(t, d, wbuf, rbuf, cap - 8, 8, 3);		/* last page */
	vblk_test_roundtrip(t, d, wbuf, rbuf, 1000, VBLK_TEST_BIG_SECTORS, 4); /* split */
	/* Buffers at odd offsets, straddling pages. */
	vblk_test_roundtrip(t, d, wbuf + 8, rbuf + 24, 77, 9, 5);
	for (i = 0; i < 32; i++) {
		unsigned int count = 1 + (unsigned int)(vblk_test_rand(&rng) % 40);

		s = vblk_test_rand(&rng) % (cap - count);
		vblk_test_roundtrip(t, d, wbuf, rbuf, s, count, 100 + i);
	}

	/* A write lands on its sectors only: the neighbours keep theirs. */
	vblk_test_fill(wbuf, 5000, 3, 7);
	KTEST_ASSERT_EQ(t, blkdev_write(d, 5000, wbuf, 3), KERN_SUCCESS);
	vblk_test_fill(wbuf, 5001, 1, 8);
	KTEST_ASSERT_EQ(t, blkdev_write(d, 5001, wbuf, 1), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, blkdev_read(d, 5000, rbuf, 3), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vblk_test_check(rbuf, 5000, 1, 7), -1L);
	KTEST_EXPECT_EQ(t, vblk_test_check(rbuf + BLKDEV_SECTOR_SIZE, 5001, 1, 8), -1L);
	KTEST_EXPECT_EQ(t, vblk_test_check(rbuf + 2 * BLKDEV_SECTOR_SIZE, 5002, 1, 7), -1L);

	/* The first sector still holds what the first round wrote. */
	KTEST_ASSERT_EQ(t, blkdev_read(d, 0, rbuf, 1), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vblk_test_check(rbuf, 0, 1, 1), -1L);

	/* Requests allocate nothing: the page count is back where it was. */
	KTEST_EXPECT_EQ(t, vblk_test_pages_allocated(), pages_before);
	if (vb->vdev->has_irq)
		KTEST_EXPECT_GT(t, irq_count(vb->vdev->irq), irqs_before);
	kmem_free(wbuf, VBLK_TEST_BIG_BYTES + PAGE_SIZE);
	kmem_free(rbuf, VBLK_TEST_BIG_BYTES + PAGE_SIZE);
}

/* A buffer on this thread's stack (kmem, with a guard page) works too. */
static void vblk_test_stack_buffer(struct ktest *t)
{
	struct blkdev *d = vblk_test_disk(t);
	uint64_t wbuf[2 * BLKDEV_SECTOR_SIZE / 8], rbuf[2 * BLKDEV_SECTOR_SIZE / 8];

	vblk_test_roundtrip(t, d, (uint8_t *)wbuf, (uint8_t *)rbuf, 4242, 2, 9);
}

static void vblk_test_out_of_range(struct ktest *t)
{
	struct blkdev *d = vblk_test_disk(t);
	uint64_t cap = blkdev_capacity(d);
	struct vblk *vb = d->priv;
	unsigned long requests;
	uint8_t buf[2 * BLKDEV_SECTOR_SIZE], canary[2 * BLKDEV_SECTOR_SIZE];

	memset(buf, 0x5a, sizeof(buf));
	memcpy(canary, buf, sizeof(buf));
	requests = vb->nr_requests;

	KTEST_EXPECT_EQ(t, blkdev_read(d, cap, buf, 1), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_read(d, cap - 1, buf, 2), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_read(d, ~0ULL, buf, 1), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_read(d, 1, buf, ~(size_t)0), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_read(d, 0, buf, 0), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_read(d, 0, NULL, 1), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_read(NULL, 0, buf, 1), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_write(d, cap, buf, 1), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, blkdev_write(d, cap - 1, buf, 2), KERN_INVALID_ARGUMENT);
	/* Nothing reached the device, nothing touched the buffer. */
	KTEST_EXPECT_EQ(t, vb->nr_requests, requests);
	KTEST_EXPECT_MEMEQ(t, buf, canary, sizeof(buf));

	/* Past blkdev's check, the device itself refuses, and writes nothing. */
	KTEST_EXPECT_EQ(t, d->ops->transfer(d, false, cap, buf, 1), KERN_FAILURE);
	KTEST_EXPECT_EQ(t, vb->nr_requests, requests + 1);
	KTEST_EXPECT_MEMEQ(t, buf, canary, sizeof(buf));

	/* An address that maps nothing: refused before the device sees it. */
	KTEST_EXPECT_EQ(t, blkdev_read(d, 0, (void *)(uintptr_t)KVA_END - PAGE_SIZE, 1),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, vb->nr_requests, requests + 1);
}

static void vblk_test_flush(struct ktest *t)
{
	struct blkdev *d = vblk_test_disk(t);

	KTEST_EXPECT_EQ(t, blkdev_flush(d), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, blkdev_flush(NULL), KERN_INVALID_ARGUMENT);
}

#define VBLK_TEST_MAX_THREADS	16

/*
 * Run fn(args + i * size) for i < n in n kernel threads and wait for every
 * one that started; false if some could not be created.
 */
static bool vblk_test_run_threads(void (*fn)(void *), void *args, size_t size,
				  unsigned int n, const char *name)
{
	struct thread *th[VBLK_TEST_MAX_THREADS];
	unsigned int i, started;

	for (started = 0; started < n && started < VBLK_TEST_MAX_THREADS; started++) {
		th[started] = kernel_thread_create(fn, (uint8_t *)args + started * size,
						   BASEPRI_KERNEL, name);
		if (!th[started])
			break;
	}
	for (i = 0; i < started; i++) {
		thread_join(th[i]);
		thread_deallocate(th[i]);
	}
	return started == n;
}

struct vblk_test_worker {
	struct blkdev	*disk;
	unsigned int	id;
	uint64_t	base;		/* its own region of the disk */
	unsigned int	errors;
	unsigned int	mismatches;
	uint8_t		*wbuf, *rbuf;
};

static void vblk_test_worker_main(void *arg)
{
	struct vblk_test_worker *w = arg;
	uint64_t rng = 0x5eed0000ULL + w->id;
	unsigned int r;

	for (r = 0; r < VBLK_TEST_ROUNDS; r++) {
		size_t count = 1 + vblk_test_rand(&rng) % VBLK_TEST_THREAD_SECTORS;
		uint64_t sector = w->base + vblk_test_rand(&rng) % 256;
		uint64_t seed = (w->id << 16) | r;

		vblk_test_fill(w->wbuf, sector, count, seed);
		memset(w->rbuf, 0, count * BLKDEV_SECTOR_SIZE);
		if (blkdev_write(w->disk, sector, w->wbuf, count) != KERN_SUCCESS ||
		    blkdev_read(w->disk, sector, w->rbuf, count) != KERN_SUCCESS)
			w->errors++;
		else if (vblk_test_check(w->rbuf, sector, count, seed) != -1)
			w->mismatches++;
	}
}

static void vblk_test_concurrent(struct ktest *t)
{
	struct blkdev *d = vblk_test_disk(t);
	struct vblk_test_worker w[VBLK_TEST_THREADS];
	size_t bytes = VBLK_TEST_THREAD_SECTORS * BLKDEV_SECTOR_SIZE;
	unsigned long stacks = kmem_stacks_in_use();
	struct vblk *vb = d->priv;
	unsigned int i;

	for (i = 0; i < VBLK_TEST_THREADS; i++) {
		w[i].disk = d;
		w[i].id = i;
		w[i].base = 20000 + i * 1024;
		w[i].errors = w[i].mismatches = 0;
		w[i].wbuf = kalloc(bytes);
		w[i].rbuf = kalloc(bytes);
		KTEST_ASSERT_NOT_NULL(t, w[i].wbuf);
		KTEST_ASSERT_NOT_NULL(t, w[i].rbuf);
	}
	KTEST_EXPECT_TRUE(t, vblk_test_run_threads(vblk_test_worker_main, w, sizeof(w[0]),
						   VBLK_TEST_THREADS, "vblk_test"));
	for (i = 0; i < VBLK_TEST_THREADS; i++) {
		KTEST_EXPECT_EQ(t, w[i].errors, 0U);
		KTEST_EXPECT_EQ(t, w[i].mismatches, 0U);
		kfree(w[i].wbuf, bytes);
		kfree(w[i].rbuf, bytes);
	}
	KTEST_EXPECT_EQ(t, vb->inflight, 0U);
	KTEST_EXPECT_EQ(t, vb->vq->nr_free, vb->vq->num);
	KTEST_EXPECT_EQ(t, kmem_stacks_in_use(), stacks);
}

/*
 * More requests at once than the queue has descriptors for: 12 threads of
 * 64 KiB requests need 12 * 19 descriptors of 128, so some must wait for
 * others to complete, and all must finish.
 */
#define VBLK_TEST_FLOOD_THREADS	12

struct vblk_test_flood {
	struct blkdev	*disk;
	unsigned int	id;
	kern_return_t	kr;
	uint8_t		*buf;
};

static void vblk_test_flood_main(void *arg)
{
	struct vblk_test_flood *f = arg;

	f->kr = blkdev_read(f->disk, 40000 + f->id * VBLK_MAX_SECTORS, f->buf,
			    VBLK_MAX_SECTORS);
}

static void vblk_test_queue_full(struct ktest *t)
{
	struct blkdev *d = vblk_test_disk(t);
	struct vblk_test_flood f[VBLK_TEST_FLOOD_THREADS];
	size_t bytes = VBLK_MAX_SECTORS * BLKDEV_SECTOR_SIZE;
	struct vblk *vb = d->priv;
	unsigned int i;

	for (i = 0; i < VBLK_TEST_FLOOD_THREADS; i++) {
		f[i].disk = d;
		f[i].id = i;
		f[i].kr = KERN_ABORTED;
		f[i].buf = kmem_alloc_wired(bytes);
		KTEST_ASSERT_NOT_NULL(t, f[i].buf);
	}
	KTEST_EXPECT_TRUE(t, vblk_test_run_threads(vblk_test_flood_main, f, sizeof(f[0]),
						   VBLK_TEST_FLOOD_THREADS, "vblk_flood"));
	for (i = 0; i < VBLK_TEST_FLOOD_THREADS; i++) {
		KTEST_EXPECT_EQ(t, f[i].kr, KERN_SUCCESS);
		kmem_free(f[i].buf, bytes);
	}
	KTEST_EXPECT_EQ(t, vb->vq->nr_free, vb->vq->num);
	KTEST_EXPECT_EQ(t, vb->inflight, 0U);
	pr_info("virtio_blk test: %s: max in flight %u, waits for descriptors %lu, "
		"completions polled %lu\n", d->name, vb->max_inflight, vb->nr_desc_waits,
		vb->nr_polled);
}

static struct ktest_case virtio_blk_test_cases[] = {
	KTEST_CASE(vblk_test_capacity),
	KTEST_CASE(vblk_test_patterns),
	KTEST_CASE(vblk_test_stack_buffer),
	KTEST_CASE(vblk_test_out_of_range),
	KTEST_CASE(vblk_test_flush),
	KTEST_CASE(vblk_test_concurrent),
	KTEST_CASE(vblk_test_queue_full),
	{}
};

static struct ktest_suite virtio_blk_test_suite = {
	.name = "virtio_blk",
	.test_cases = virtio_blk_test_cases,
};
KTEST_SUITE(virtio_blk_test_suite);
