// SPDX-License-Identifier: MIT
/*
 * The boot memory map (see <kern/bootmem.h>).
 *
 * bootmem_add() only appends; bootmem_finalize() does the work. It cuts
 * the address space at every region boundary, gives each piece the type of
 * the strongest region covering it, merges neighbours of one type, and
 * trims usable memory to whole pages. Where reserved kinds overlap each
 * other the more specific statement wins: what the kernel knows it put
 * there (the image, a module, the device tree) beats what the firmware
 * said in general, and defective RAM beats everything.
 */
#include <kern/bootmem.h>
#include <kern/printk.h>
#include <kern/string.h>

#define BOOTMEM_PAGE_SIZE	4096UL

struct bootmem_map boot_memmap;

/* Overlap priority of each type: the higher wins. */
static const unsigned char bootmem_priority[] = {
	[BOOT_MEM_USABLE]	= 1,
	[BOOT_MEM_RESERVED]	= 2,
	[BOOT_MEM_ACPI]		= 3,
	[BOOT_MEM_NVS]		= 4,
	[BOOT_MEM_FDT]		= 5,
	[BOOT_MEM_MODULE]	= 6,
	[BOOT_MEM_KERNEL]	= 7,
	[BOOT_MEM_BAD]		= 8,
	[BOOT_MEM_ALLOCATED]	= 9,
};

static bool bootmem_type_valid(enum boot_mem_type type)
{
	return type >= BOOT_MEM_USABLE && type <= BOOT_MEM_ALLOCATED;
}

static phys_addr_t bootmem_end(const struct boot_mem_region *r)
{
	return r->base + r->size;	/* never wraps: bootmem_add checked */
}

/*
 * Scratch space for the sweep. Only boot code and the bootmem test suite
 * use it, one at a time.
 */
static phys_addr_t bootmem_points[2 * BOOTMEM_MAX_REGIONS];
static struct boot_mem_region bootmem_out[2 * BOOTMEM_MAX_REGIONS];

static void bootmem_sort_points(phys_addr_t *p, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		phys_addr_t v = p[i];

		for (j = i; j > 0 && p[j - 1] > v; j--)
			p[j] = p[j - 1];
		p[j] = v;
	}
}

/* The type of the strongest region covering [a, b), or 0 for a hole. */
static enum boot_mem_type bootmem_piece_type(const struct bootmem_map *map,
					     phys_addr_t a, phys_addr_t b)
{
	enum boot_mem_type best = 0;
	unsigned int i;

	for (i = 0; i < map->nr; i++) {
		const struct boot_mem_region *r = &map->region[i];

		if (r->base > a || bootmem_end(r) < b)
			continue;
		if (!best || bootmem_priority[r->type] > bootmem_priority[best])
			best = r->type;
	}
	return best;
}

/* Append [a, b) of type to out, merging with the last piece if it touches. */
static void bootmem_emit(unsigned int *n, phys_addr_t a, phys_addr_t b,
			 enum boot_mem_type type)
{
	struct boot_mem_region *last = *n ? &bootmem_out[*n - 1] : NULL;

	if (last && last->type == type && bootmem_end(last) == a) {
		last->size += b - a;
		return;
	}
	bootmem_out[*n].base = a;
	bootmem_out[*n].size = b - a;
	bootmem_out[*n].type = type;
	(*n)++;
}

/*
 * Sort, resolve overlaps and merge, without trimming. Fails with
 * KERN_RESOURCE_SHORTAGE, leaving map untouched, if the result has more
 * regions than the map holds.
 */
static kern_return_t bootmem_normalize(struct bootmem_map *map)
{
	unsigned int i, np = 0, n = 0;

	for (i = 0; i < map->nr; i++) {
		bootmem_points[np++] = map->region[i].base;
		bootmem_points[np++] = bootmem_end(&map->region[i]);
	}
	bootmem_sort_points(bootmem_points, np);

	for (i = 0; i + 1 < np; i++) {
		phys_addr_t a = bootmem_points[i], b = bootmem_points[i + 1];
		enum boot_mem_type type;

		if (a == b)
			continue;
		type = bootmem_piece_type(map, a, b);
		if (type)
			bootmem_emit(&n, a, b, type);
	}

	if (n > BOOTMEM_MAX_REGIONS)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(map->region, bootmem_out, n * sizeof(map->region[0]));
	map->nr = n;
	return KERN_SUCCESS;
}

kern_return_t bootmem_add(struct bootmem_map *map, phys_addr_t base,
			  phys_addr_t size, enum boot_mem_type type)
{
	struct boot_mem_region *r;

	if (size == 0 || base + size < base || !bootmem_type_valid(type))
		return KERN_INVALID_ARGUMENT;
	/* Full: merging what is there may make room (firmware maps repeat). */
	if (map->nr == BOOTMEM_MAX_REGIONS && bootmem_normalize(map) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	if (map->nr == BOOTMEM_MAX_REGIONS)
		return KERN_RESOURCE_SHORTAGE;

	r = &map->region[map->nr++];
	r->base = base;
	r->size = size;
	r->type = type;
	map->finalized = false;
	return KERN_SUCCESS;
}

/* Shrink usable regions to whole pages; drop those left empty. */
static void bootmem_trim_usable(struct bootmem_map *map)
{
	unsigned int i, n = 0;

	for (i = 0; i < map->nr; i++) {
		struct boot_mem_region r = map->region[i];

		if (r.type == BOOT_MEM_USABLE) {
			phys_addr_t end = ALIGN_DOWN(bootmem_end(&r), BOOTMEM_PAGE_SIZE);

			/* end <= base first: ALIGN_UP of a base near 2^64 would wrap. */
			if (end <= r.base)
				continue;
			r.base = ALIGN_UP(r.base, BOOTMEM_PAGE_SIZE);
			if (end <= r.base)
				continue;
			r.size = end - r.base;
		}
		map->region[n++] = r;
	}
	map->nr = n;
}

kern_return_t bootmem_finalize(struct bootmem_map *map)
{
	kern_return_t kr;

	if (map->nr > BOOTMEM_MAX_REGIONS)
		return KERN_INVALID_ARGUMENT;
	kr = bootmem_normalize(map);
	if (kr != KERN_SUCCESS)
		return kr;
	bootmem_trim_usable(map);
	map->finalized = true;
	return KERN_SUCCESS;
}

phys_addr_t bootmem_total(const struct bootmem_map *map, enum boot_mem_type type)
{
	phys_addr_t total = 0;
	unsigned int i;

	for (i = 0; i < map->nr; i++) {
		if (map->region[i].type == type)
			total += map->region[i].size;
	}
	return total;
}

enum boot_mem_type bootmem_type_at(const struct bootmem_map *map, phys_addr_t pa)
{
	enum boot_mem_type best = 0;
	unsigned int i;

	/* Before finalize regions may overlap: answer as finalize would. */
	for (i = 0; i < map->nr; i++) {
		const struct boot_mem_region *r = &map->region[i];

		if (pa < r->base || pa - r->base >= r->size)
			continue;
		if (!best || bootmem_priority[r->type] > bootmem_priority[best])
			best = r->type;
	}
	return best;
}

const char *bootmem_type_name(enum boot_mem_type type)
{
	switch (type) {
	case BOOT_MEM_USABLE:	return "usable";
	case BOOT_MEM_RESERVED:	return "reserved";
	case BOOT_MEM_ACPI:	return "ACPI data";
	case BOOT_MEM_NVS:	return "ACPI NVS";
	case BOOT_MEM_BAD:	return "unusable";
	case BOOT_MEM_KERNEL:	return "kernel";
	case BOOT_MEM_MODULE:	return "boot module";
	case BOOT_MEM_FDT:	return "device tree";
	case BOOT_MEM_ALLOCATED: return "boot allocation";
	}
	return "unknown";
}

kern_return_t bootmem_alloc(struct bootmem_map *map, phys_addr_t size,
			    phys_addr_t align, phys_addr_t *pa)
{
	unsigned int i;

	if (!map->finalized || size == 0 || align < BOOTMEM_PAGE_SIZE ||
	    (align & (align - 1)))
		return KERN_INVALID_ARGUMENT;
	size = ALIGN_UP(size, BOOTMEM_PAGE_SIZE);
	for (i = 0; i < map->nr; i++) {
		const struct boot_mem_region *r = &map->region[i];
		phys_addr_t start = ALIGN_UP(r->base, align);

		if (r->type != BOOT_MEM_USABLE || start < r->base ||
		    start >= bootmem_end(r) || bootmem_end(r) - start < size)
			continue;
		if (bootmem_add(map, start, size, BOOT_MEM_ALLOCATED) != KERN_SUCCESS ||
		    bootmem_finalize(map) != KERN_SUCCESS)
			return KERN_RESOURCE_SHORTAGE;
		*pa = start;
		return KERN_SUCCESS;
	}
	return KERN_RESOURCE_SHORTAGE;
}

void bootmem_print(const struct bootmem_map *map)
{
	unsigned int i;

	pr_info("Boot memory map:\n");
	for (i = 0; i < map->nr; i++) {
		const struct boot_mem_region *r = &map->region[i];

		pr_info("  [mem 0x%016llx-0x%016llx] %s\n", (unsigned long long)r->base,
			(unsigned long long)(bootmem_end(r) - 1), bootmem_type_name(r->type));
	}
	pr_info("Boot memory: %llu KiB usable\n",
		(unsigned long long)(bootmem_total(map, BOOT_MEM_USABLE) >> 10));
}
