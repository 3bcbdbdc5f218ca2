// SPDX-License-Identifier: MIT
/*
 * The default pager: where the pages of internal (anonymous) objects go
 * when the pageout daemon takes them (<kern/vm_pageout.h>,
 * Documentation/mm/vm.rst, "The default pager").
 *
 * Backing store, chosen once at boot (KERNEL_INIT(LATE), after the
 * drivers): the virtio disk whose serial is "machline-swap" (slot n is
 * sectors 8n .. 8n+7), unless swap=ram:SIZE asks for a RAM area of SIZE
 * (pages taken from the page allocator at boot) or swap=none for nothing.
 * Without a disk and without swap=, there is no swap: the daemon then
 * only frees pages of objects with an external pager.
 *
 * Slots are one page each, handed out by a bitmap (next fit, a word at a
 * time over full words). I/O goes in clusters of up to DP_CLUSTER pages,
 * one disk request each, through a bounce buffer: the daemon writes an
 * inactive page with the inactive pages that follow it in its object to
 * consecutive slots (default_pager_pageout_run()), and a pagein reads the
 * pages whose slots follow on with the one it wants (read-ahead: a
 * sequential pass over paged-out memory costs one request per cluster,
 * not one per page). An object
 * maps its page offsets to slots in vm_object.swap_map (slot + 1, 0 for
 * none), grown on demand, freed with the object. A page read back frees
 * its slot at once and becomes dirty: the slot map never holds a copy of
 * a resident page, so that a lookup that finds a slot knows the page is
 * not resident, and a page is written again only when paged out again.
 *
 * This is the kernel's own pager, called directly (pageout from the
 * daemon, pagein from vm_fault) rather than through memory_object
 * messages: the memory it needs (one slot map per object) is wired kernel
 * memory below vm_page_free_min, and no thread of its own can be short of
 * pages while the daemon waits for it.
 *
 * Locking: the object lock guards its swap_map; dp_lock (a spinlock, a
 * leaf) the bitmap and the counts; each bounce buffer has a mutex, taken
 * with the object locked. I/O happens with the object locked.
 */
#include <kern/blkdev.h>
#include <kern/cmdline.h>
#include <kern/init.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/vm_pageout.h>

#define DP_SECTORS_PER_SLOT	(PAGE_SIZE / BLKDEV_SECTOR_SIZE)
#define DP_BITS			(8 * sizeof(unsigned long))
#define DP_CLUSTER_BYTES	(DP_CLUSTER * PAGE_SIZE)

/* A bounce buffer of DP_CLUSTER pages: one for pageouts, one for pageins. */
struct dp_bounce {
	struct mutex	lock;
	void		*buf;
};

static struct dp_bounce dp_out_bounce = { .lock = MUTEX_INITIALIZER };
static struct dp_bounce dp_in_bounce = { .lock = MUTEX_INITIALIZER };

enum dp_backend { DP_NONE, DP_DISK, DP_RAM };

static enum dp_backend dp_backend;
static struct blkdev *dp_disk;
static struct vm_page **dp_ram;		/* slot -> page (RAM area) */
static unsigned long dp_nslots;
static unsigned long *dp_bitmap;	/* set: slot in use */

static spinlock_t dp_lock = SPINLOCK_INIT;
static unsigned long dp_used, dp_hint;	/* dp_lock */
static unsigned long dp_pageouts, dp_pageins, dp_errors;	/* dp_lock */
static unsigned long dp_writes, dp_reads;		/* dp_lock */

bool default_pager_ready(void)
{
	return dp_backend != DP_NONE;
}

/* ------------------------------------------------------------------------
 * Slots
 */

static inline bool dp_slot_busy(unsigned long s)
{
	return dp_bitmap[s / DP_BITS] & (1UL << (s % DP_BITS));
}

/* The first free slot at or after `from` (wrapping), dp_lock held; dp_used < dp_nslots. */
static unsigned long dp_slot_find(unsigned long from)
{
	unsigned long s = from % dp_nslots, seen = 0;

	while (seen < dp_nslots + DP_BITS) {
		if (s % DP_BITS == 0 && dp_bitmap[s / DP_BITS] == ~0UL &&
		    s + DP_BITS <= dp_nslots) {
			s += DP_BITS;	/* a full word */
			seen += DP_BITS;
		} else if (!dp_slot_busy(s)) {
			return s;
		} else {
			s++;
			seen++;
		}
		if (s >= dp_nslots)
			s = 0;
	}
	panic("default_pager: %lu of %lu slots used and none free", dp_used, dp_nslots);
}

/*
 * Up to `want` consecutive free slots (marked used): the first one in
 * *first, how many as the result; 0 when swap is full.
 */
static unsigned int dp_slots_alloc(unsigned int want, unsigned long *first)
{
	unsigned int n = 0;
	unsigned long s;

	spin_lock(&dp_lock);
	if (dp_used < dp_nslots) {
		s = dp_slot_find(dp_hint);
		*first = s;
		while (n < want && s + n < dp_nslots && !dp_slot_busy(s + n)) {
			dp_bitmap[(s + n) / DP_BITS] |= 1UL << ((s + n) % DP_BITS);
			n++;
		}
		dp_used += n;
		dp_hint = s + n;
	}
	spin_unlock(&dp_lock);
	return n;
}

static void dp_slot_free(unsigned long s)
{
	spin_lock(&dp_lock);
	if (!(dp_bitmap[s / DP_BITS] & (1UL << (s % DP_BITS))))
		panic("default_pager: slot %lu freed twice", s);
	dp_bitmap[s / DP_BITS] &= ~(1UL << (s % DP_BITS));
	dp_used--;
	spin_unlock(&dp_lock);
}

static void dp_count(unsigned long *counter, unsigned long n)
{
	spin_lock(&dp_lock);
	*counter += n;
	spin_unlock(&dp_lock);
}

/* n pages at buf to or from slots first .. first + n - 1: one disk request. */
static kern_return_t dp_io(unsigned long first, void *buf, unsigned int n, bool write)
{
	unsigned int i;

	if (dp_backend == DP_RAM) {
		for (i = 0; i < n; i++) {
			void *va = vm_page_to_virt(dp_ram[first + i]);
			void *b = (char *)buf + i * PAGE_SIZE;

			if (write)
				memcpy(va, b, PAGE_SIZE);
			else
				memcpy(b, va, PAGE_SIZE);
		}
		return KERN_SUCCESS;
	}
	/* Without CONFIG_BLKDEV there is no disk backend: <kern/blkdev.h>'s stand-ins. */
	if (write)
		return blkdev_write(dp_disk, first * DP_SECTORS_PER_SLOT, buf,
				    n * DP_SECTORS_PER_SLOT);
	return blkdev_read(dp_disk, first * DP_SECTORS_PER_SLOT, buf, n * DP_SECTORS_PER_SLOT);
}

/* ------------------------------------------------------------------------
 * Objects' slot maps (object locked)
 */

/* Make room for page index idx in object's map. */
static bool dp_map_grow(struct vm_object *object, unsigned long idx)
{
	unsigned long len = MAX(object->size >> PAGE_SHIFT, idx + 1);
	uint32_t *map;

	if (idx < object->swap_map_len)
		return true;
	len = ALIGN_UP(len * sizeof(uint32_t), PAGE_SIZE) / sizeof(uint32_t);
	map = kmem_alloc_wired(len * sizeof(uint32_t));
	if (!map)
		return false;
	memset(map, 0, len * sizeof(uint32_t));
	if (object->swap_map) {
		memcpy(map, object->swap_map, object->swap_map_len * sizeof(uint32_t));
		kmem_free(object->swap_map, object->swap_map_len * sizeof(uint32_t));
	}
	object->swap_map = map;
	object->swap_map_len = len;
	return true;
}

unsigned int default_pager_pageout_run(struct vm_object *object, struct vm_page **pages,
				       unsigned int n, kern_return_t *kr)
{
	unsigned long idx = pages[0]->offset >> PAGE_SHIFT, first;
	unsigned int i, got;
	void *buf;

	*kr = KERN_INVALID_ARGUMENT;
	if (dp_backend == DP_NONE || !object->internal || !n)
		return 0;
	n = MIN(n, (unsigned int)DP_CLUSTER);
	for (i = 0; i < n; i++) {
		if (vm_object_paged_out(object, pages[i]->offset))
			panic("default_pager: page at offset %#llx of object %p is resident and paged out",
			      (unsigned long long)pages[i]->offset, object);
	}
	*kr = KERN_RESOURCE_SHORTAGE;
	if (!dp_map_grow(object, idx + n - 1))
		return 0;
	got = dp_slots_alloc(n, &first);
	if (!got)
		return 0;
	if (got == 1) {
		/* No bounce: the page itself. */
		*kr = dp_io(first, vm_page_to_virt(pages[0]), 1, true);
	} else {
		mutex_lock(&dp_out_bounce.lock);
		buf = dp_out_bounce.buf;
		for (i = 0; i < got; i++)
			memcpy((char *)buf + i * PAGE_SIZE, vm_page_to_virt(pages[i]), PAGE_SIZE);
		*kr = dp_io(first, buf, got, true);
		mutex_unlock(&dp_out_bounce.lock);
	}
	if (*kr != KERN_SUCCESS) {
		for (i = 0; i < got; i++)
			dp_slot_free(first + i);
		dp_count(&dp_errors, 1);
		*kr = KERN_FAILURE;
		return 0;
	}
	for (i = 0; i < got; i++)
		object->swap_map[idx + i] = (uint32_t)(first + i) + 1;
	object->swap_count += got;
	dp_count(&dp_pageouts, got);
	dp_count(&dp_writes, 1);
	return got;
}

/*
 * Pages after idx whose slots follow slot: what a pagein reads with it
 * (they cannot be resident: a slot never holds a resident page's copy).
 */
static unsigned int dp_readahead(struct vm_object *object, unsigned long idx, unsigned long slot)
{
	unsigned int n = 1;

	while (n < DP_CLUSTER && idx + n < object->swap_map_len &&
	       ((vm_offset_t)(idx + n) << PAGE_SHIFT) < object->size &&
	       object->swap_map[idx + n] == slot + n + 1)
		n++;
	return n;
}

/* Page i of a run read back: the slot freed, the page its only copy, active. */
static void dp_pagein_done(struct vm_object *object, struct vm_page *page, unsigned long idx,
			   unsigned long slot)
{
	object->swap_map[idx] = 0;
	object->swap_count--;
	dp_slot_free(slot);
	page->vm_flags |= VM_PAGE_DIRTY;	/* its only copy now */
	vm_page_wakeup_done(page);
	vm_page_activate(page);
}

struct vm_page *default_pager_pagein(struct vm_object *object, vm_offset_t offset,
				     kern_return_t *kr)
{
	unsigned long idx = offset >> PAGE_SHIFT;
	unsigned long slot = object->swap_map[idx] - 1;
	struct vm_page *pages[DP_CLUSTER];
	unsigned int n = dp_readahead(object, idx, slot), got, i;
	kern_return_t io;

	/* The page asked for must come; the others while memory allows. */
	for (got = 0; got < n; got++) {
		pages[got] = vm_page_alloc_object(object, offset + ((vm_offset_t)got << PAGE_SHIFT));
		if (!pages[got])
			break;
	}
	if (!got) {
		*kr = KERN_RESOURCE_SHORTAGE;
		return NULL;
	}
	if (got == 1) {
		io = dp_io(slot, vm_page_to_virt(pages[0]), 1, false);
	} else {
		mutex_lock(&dp_in_bounce.lock);
		io = dp_io(slot, dp_in_bounce.buf, got, false);
		for (i = 0; io == KERN_SUCCESS && i < got; i++)
			memcpy(vm_page_to_virt(pages[i]), (char *)dp_in_bounce.buf + i * PAGE_SIZE,
			       PAGE_SIZE);
		mutex_unlock(&dp_in_bounce.lock);
	}
	if (io != KERN_SUCCESS) {
		/* The slots stay: the next fault tries again. */
		dp_count(&dp_errors, 1);
		for (i = 0; i < got; i++) {
			vm_page_wakeup_done(pages[i]);
			vm_page_free_object(pages[i]);
		}
		*kr = KERN_MEMORY_ERROR;
		return NULL;
	}
	for (i = 0; i < got; i++)
		dp_pagein_done(object, pages[i], idx + i, slot + i);
	dp_count(&dp_pageins, got);
	dp_count(&dp_reads, 1);
	*kr = KERN_SUCCESS;
	return pages[0];
}

void default_pager_remove(struct vm_object *object, vm_offset_t start, vm_offset_t end)
{
	unsigned long i = start >> PAGE_SHIFT;
	unsigned long last = MIN((unsigned long)(ALIGN_UP(end, PAGE_SIZE) >> PAGE_SHIFT),
				 (unsigned long)object->swap_map_len);

	for (; object->swap_count && i < last; i++) {
		if (!object->swap_map[i])
			continue;
		dp_slot_free(object->swap_map[i] - 1);
		object->swap_map[i] = 0;
		object->swap_count--;
	}
}

void default_pager_object_terminate(struct vm_object *object)
{
	if (!object->swap_map)
		return;
	default_pager_remove(object, 0, (vm_offset_t)object->swap_map_len << PAGE_SHIFT);
	kmem_free(object->swap_map, object->swap_map_len * sizeof(uint32_t));
	object->swap_map = NULL;
	object->swap_map_len = 0;
}

void default_pager_get_stats(struct default_pager_stats *s)
{
	static const char *const names[] = { "none", "disk", "ram" };

	spin_lock(&dp_lock);
	s->backend = names[dp_backend];
	s->slots = dp_nslots;
	s->slots_used = dp_used;
	s->pageouts = dp_pageouts;
	s->pageins = dp_pageins;
	s->writes = dp_writes;
	s->reads = dp_reads;
	s->errors = dp_errors;
	spin_unlock(&dp_lock);
}

/* ------------------------------------------------------------------------
 * Boot: swap=disk (the default), swap=ram:SIZE, swap=none
 */

/* "16M", "512K", "4096": bytes. */
static unsigned long dp_parse_size(const char *s)
{
	char *end;
	unsigned long n = strtoul(s, &end, 0);

	if (*end == 'G' || *end == 'g')
		return n << 30;
	if (*end == 'M' || *end == 'm')
		return n << 20;
	if (*end == 'K' || *end == 'k')
		return n << 10;
	return n;
}

/* The bitmap, and the bounce buffers of the clusters. */
static bool dp_bitmap_alloc(unsigned long nslots)
{
	vm_size_t size = ALIGN_UP((nslots + DP_BITS - 1) / DP_BITS * sizeof(unsigned long),
				  PAGE_SIZE);

	dp_bitmap = kmem_alloc_wired(size);
	dp_out_bounce.buf = kmem_alloc_wired(DP_CLUSTER_BYTES);
	dp_in_bounce.buf = kmem_alloc_wired(DP_CLUSTER_BYTES);
	if (!dp_bitmap || !dp_out_bounce.buf || !dp_in_bounce.buf)
		return false;
	memset(dp_bitmap, 0, size);
	dp_nslots = nslots;
	return true;
}

static void dp_setup_ram(unsigned long bytes)
{
	unsigned long n = bytes >> PAGE_SHIFT, i;

	dp_ram = n ? kmem_alloc_wired(ALIGN_UP(n * sizeof(*dp_ram), PAGE_SIZE)) : NULL;
	if (!dp_ram || !dp_bitmap_alloc(n)) {
		pr_warn("default_pager: no memory for a %lu KiB RAM swap area\n", bytes >> 10);
		return;
	}
	for (i = 0; i < n; i++) {
		dp_ram[i] = vm_page_alloc(0);
		if (!dp_ram[i])
			panic("default_pager: no page for RAM swap slot %lu of %lu", i, n);
	}
	dp_backend = DP_RAM;
}

static void dp_setup_disk(void)
{
	struct blkdev *d = blkdev_lookup_serial("machline-swap");

	if (!d)
		return;
	if (d->read_only || !dp_bitmap_alloc(MIN(blkdev_capacity(d) / DP_SECTORS_PER_SLOT,
						    (uint64_t)UINT32_MAX - 1)))
		return;
	dp_disk = d;
	dp_backend = DP_DISK;
}

static kern_return_t default_pager_init(void)
{
	const char *arg = cmdline_get("swap");

	if (arg && !strncmp(arg, "ram:", 4))
		dp_setup_ram(dp_parse_size(arg + 4));
	else if (!arg || !strcmp(arg, "disk"))
		dp_setup_disk();
	else if (strcmp(arg, "none"))
		pr_warn("default_pager: swap=%s: expected disk, ram:SIZE or none\n", arg);
	if (dp_backend != DP_NONE)
		pr_info("default_pager: %lu KiB of swap (%s%s)\n",
			dp_nslots << (PAGE_SHIFT - 10), dp_backend == DP_RAM ? "RAM" : "disk ",
			dp_disk ? dp_disk->name : "");
	return KERN_SUCCESS;
}
KERNEL_INIT(LATE, default_pager_init);
