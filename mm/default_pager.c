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
 * Slots are one page each, handed out by a bitmap (next fit). An object
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
 * leaf) the bitmap and the counts. I/O happens with the object locked.
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

enum dp_backend { DP_NONE, DP_DISK, DP_RAM };

static enum dp_backend dp_backend;
static struct blkdev *dp_disk;
static struct vm_page **dp_ram;		/* slot -> page (RAM area) */
static unsigned long dp_nslots;
static unsigned long *dp_bitmap;	/* set: slot in use */

static spinlock_t dp_lock = SPINLOCK_INIT;
static unsigned long dp_used, dp_hint;	/* dp_lock */
static unsigned long dp_pageouts, dp_pageins, dp_errors;	/* dp_lock */

bool default_pager_ready(void)
{
	return dp_backend != DP_NONE;
}

/* ------------------------------------------------------------------------
 * Slots
 */

/* A free slot (marked used), or -1. */
static long dp_slot_alloc(void)
{
	unsigned long i, n = dp_nslots;
	long slot = -1;

	spin_lock(&dp_lock);
	for (i = 0; i < n && dp_used < n; i++) {
		unsigned long s = (dp_hint + i) % n;

		if (dp_bitmap[s / DP_BITS] & (1UL << (s % DP_BITS)))
			continue;
		dp_bitmap[s / DP_BITS] |= 1UL << (s % DP_BITS);
		dp_used++;
		dp_hint = s + 1;
		slot = (long)s;
		break;
	}
	spin_unlock(&dp_lock);
	return slot;
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

static void dp_count(unsigned long *counter)
{
	spin_lock(&dp_lock);
	(*counter)++;
	spin_unlock(&dp_lock);
}

static kern_return_t dp_io(unsigned long slot, void *buf, bool write)
{
	if (dp_backend == DP_RAM) {
		void *va = vm_page_to_virt(dp_ram[slot]);

		if (write)
			memcpy(va, buf, PAGE_SIZE);
		else
			memcpy(buf, va, PAGE_SIZE);
		return KERN_SUCCESS;
	}
#ifdef CONFIG_BLKDEV
	if (write)
		return blkdev_write(dp_disk, slot * DP_SECTORS_PER_SLOT, buf,
				    DP_SECTORS_PER_SLOT);
	return blkdev_read(dp_disk, slot * DP_SECTORS_PER_SLOT, buf, DP_SECTORS_PER_SLOT);
#else
	return KERN_NOT_SUPPORTED;
#endif
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

kern_return_t default_pager_pageout(struct vm_object *object, struct vm_page *page)
{
	unsigned long idx = page->offset >> PAGE_SHIFT;
	kern_return_t kr;
	long slot;

	if (dp_backend == DP_NONE || !object->internal)
		return KERN_INVALID_ARGUMENT;
	if (vm_object_paged_out(object, page->offset))
		panic("default_pager: page at offset %#llx of object %p is resident and paged out",
		      (unsigned long long)page->offset, object);
	if (!dp_map_grow(object, idx))
		return KERN_RESOURCE_SHORTAGE;
	slot = dp_slot_alloc();
	if (slot < 0)
		return KERN_RESOURCE_SHORTAGE;
	kr = dp_io(slot, vm_page_to_virt(page), true);
	if (kr != KERN_SUCCESS) {
		dp_slot_free(slot);
		dp_count(&dp_errors);
		return KERN_FAILURE;
	}
	object->swap_map[idx] = (uint32_t)slot + 1;
	object->swap_count++;
	dp_count(&dp_pageouts);
	return KERN_SUCCESS;
}

struct vm_page *default_pager_pagein(struct vm_object *object, vm_offset_t offset,
				     kern_return_t *kr)
{
	unsigned long idx = offset >> PAGE_SHIFT;
	unsigned long slot = object->swap_map[idx] - 1;
	struct vm_page *page = vm_page_alloc_object(object, offset);

	if (!page) {
		*kr = KERN_RESOURCE_SHORTAGE;
		return NULL;
	}
	if (dp_io(slot, vm_page_to_virt(page), false) != KERN_SUCCESS) {
		/* The slot stays: the next fault tries again. */
		dp_count(&dp_errors);
		vm_page_wakeup_done(page);
		vm_page_free_object(page);
		*kr = KERN_MEMORY_ERROR;
		return NULL;
	}
	object->swap_map[idx] = 0;
	object->swap_count--;
	dp_slot_free(slot);
	dp_count(&dp_pageins);
	page->vm_flags |= VM_PAGE_DIRTY;	/* its only copy now */
	vm_page_wakeup_done(page);
	vm_page_activate(page);
	*kr = KERN_SUCCESS;
	return page;
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

static bool dp_bitmap_alloc(unsigned long nslots)
{
	vm_size_t size = ALIGN_UP((nslots + DP_BITS - 1) / DP_BITS * sizeof(unsigned long),
				  PAGE_SIZE);

	dp_bitmap = kmem_alloc_wired(size);
	if (!dp_bitmap)
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
#ifdef CONFIG_BLKDEV
	if (d->read_only || !dp_bitmap_alloc(MIN(blkdev_capacity(d) / DP_SECTORS_PER_SLOT,
						    (uint64_t)UINT32_MAX - 1)))
		return;
	dp_disk = d;
	dp_backend = DP_DISK;
#endif
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
