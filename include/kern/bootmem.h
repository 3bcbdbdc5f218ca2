/* SPDX-License-Identifier: MIT */
/*
 * The boot memory map: the physical memory the bootloader reported, with
 * everything that is already in use (the kernel image, boot modules, the
 * device tree, firmware areas) marked. The physical page allocator is built
 * from it (issue 3). The arch fills boot_memmap from the multiboot memory
 * map or from the device tree, then kernel_main() calls bootmem_finalize().
 */
#ifndef _KERN_BOOTMEM_H
#define _KERN_BOOTMEM_H

#include <kern/types.h>
#include <mach/kern_return.h>

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,	/* free RAM */
	BOOT_MEM_RESERVED,	/* firmware, holes, /reserved-memory, ... */
	BOOT_MEM_ACPI,		/* ACPI tables (reclaimable later) */
	BOOT_MEM_NVS,		/* ACPI NVS */
	BOOT_MEM_BAD,		/* defective RAM */
	BOOT_MEM_KERNEL,	/* the kernel image, text to bss */
	BOOT_MEM_MODULE,	/* a boot module (RAM disk) */
	BOOT_MEM_FDT,		/* the device tree blob */
	BOOT_MEM_ALLOCATED,	/* taken by bootmem_alloc() (page tables, page array) */
};

struct boot_mem_region {
	phys_addr_t		base;
	phys_addr_t		size;
	enum boot_mem_type	type;
};

#define BOOTMEM_MAX_REGIONS	64

struct bootmem_map {
	unsigned int		nr;
	bool			finalized;
	struct boot_mem_region	region[BOOTMEM_MAX_REGIONS];
};

extern struct bootmem_map boot_memmap;

/*
 * Record a region. Regions may arrive in any order and overlap: a reserved
 * kind (anything but USABLE) always wins over USABLE where they overlap.
 * Returns KERN_RESOURCE_SHORTAGE when the map is full, KERN_INVALID_ARGUMENT
 * for a zero size, a wrapping range or a bad type.
 */
kern_return_t bootmem_add(struct bootmem_map *map, phys_addr_t base,
			  phys_addr_t size, enum boot_mem_type type);

/*
 * Sort by address, resolve overlaps, merge neighbours of one type and trim
 * USABLE regions to whole pages. After this the regions are sorted, do not
 * overlap, and every USABLE region is page aligned.
 */
kern_return_t bootmem_finalize(struct bootmem_map *map);

/* Bytes of one type (after finalize). */
phys_addr_t bootmem_total(const struct bootmem_map *map, enum boot_mem_type type);

/* The type at one physical address, or 0 if the map does not cover it. */
enum boot_mem_type bootmem_type_at(const struct bootmem_map *map, phys_addr_t pa);

const char *bootmem_type_name(enum boot_mem_type type);

/*
 * Take size bytes (rounded up to pages) of USABLE memory, aligned to align
 * (a power of two, at least a page), for the kernel's own use before the
 * page allocator runs: the lowest fitting range, so that it is reachable
 * through any early map. The range becomes BOOT_MEM_ALLOCATED. Only on a
 * finalized map; KERN_RESOURCE_SHORTAGE when nothing fits.
 */
kern_return_t bootmem_alloc(struct bootmem_map *map, phys_addr_t size,
			    phys_addr_t align, phys_addr_t *pa);

/* Print the map, one region per line, like Linux's e820 dump. */
void bootmem_print(const struct bootmem_map *map);

#endif /* _KERN_BOOTMEM_H */
