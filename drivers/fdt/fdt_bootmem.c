// SPDX-License-Identifier: MIT
/*
 * The boot memory map from a device tree: RAM from the memory nodes, and
 * everything in it that is already taken (reserved-memory, /memreserve/,
 * the blob itself, the initrd).
 */

#include <kern/bootmem.h>
#include <kern/fdt.h>
#include <kern/string.h>

/* Remember the first failure but go on: one bad entry must not hide RAM. */
static void fdt_bootmem_add(struct bootmem_map *map, uint64_t base, uint64_t size,
			    enum boot_mem_type type, kern_return_t *first_err)
{
	kern_return_t kr;

	if (size == 0)
		return;
	kr = bootmem_add(map, base, size, type);
	if (kr != KERN_SUCCESS && *first_err == KERN_SUCCESS)
		*first_err = kr;
}

/* A node that says status = "disabled" (or anything but "okay") is absent. */
static bool fdt_node_available(const void *fdt, int node)
{
	const char *status = fdt_getprop_string(fdt, node, "status");

	return !status || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

/* Every entry of the node's "reg" as type. */
static void fdt_bootmem_add_reg(const void *fdt, int node, struct bootmem_map *map,
				enum boot_mem_type type, kern_return_t *first_err)
{
	uint64_t base, size;
	unsigned int i;

	for (i = 0; fdt_get_reg(fdt, node, i, &base, &size) == KERN_SUCCESS; i++)
		fdt_bootmem_add(map, base, size, type, first_err);
}

/* Memory nodes live directly under the root (spec v0.4, 3.4). */
static void fdt_scan_memory_nodes(const void *fdt, struct bootmem_map *map,
				  kern_return_t *first_err)
{
	const char *type;
	int node;

	for (node = fdt_first_subnode(fdt, fdt_root(fdt)); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		type = fdt_getprop_string(fdt, node, "device_type");
		if (type && strcmp(type, "memory") == 0 && fdt_node_available(fdt, node))
			fdt_bootmem_add_reg(fdt, node, map, BOOT_MEM_USABLE, first_err);
	}
}

/*
 * Children of /reserved-memory with a "reg" are fixed carve-outs; those
 * with only "size" are for the OS to place and take nothing yet.
 */
static void fdt_scan_reserved_memory(const void *fdt, struct bootmem_map *map,
				     kern_return_t *first_err)
{
	int parent = fdt_path_offset(fdt, "/reserved-memory");
	int node;

	if (parent < 0)
		return;
	for (node = fdt_first_subnode(fdt, parent); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		if (fdt_node_available(fdt, node))
			fdt_bootmem_add_reg(fdt, node, map, BOOT_MEM_RESERVED, first_err);
	}
}

static void fdt_scan_mem_rsv(const void *fdt, struct bootmem_map *map,
			     kern_return_t *first_err)
{
	uint64_t base, size;
	unsigned int i, n = fdt_num_mem_rsv(fdt);

	for (i = 0; i < n; i++) {
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == KERN_SUCCESS)
			fdt_bootmem_add(map, base, size, BOOT_MEM_RESERVED, first_err);
	}
}

/* linux,initrd-start/-end are one or two cells, as the bootloader chose. */
bool fdt_getprop_addr(const void *fdt, int node, const char *name,
			     uint64_t *val)
{
	const uint8_t *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return false;
	if (len == 4)
		*val = (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 |
		       (uint64_t)p[2] << 8 | p[3];
	else if (len == 8)
		*val = (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
		       (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
		       (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
		       (uint64_t)p[6] << 8 | p[7];
	else
		return false;
	return true;
}

static void fdt_scan_initrd(const void *fdt, struct bootmem_map *map,
			    kern_return_t *first_err)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t start, end;

	if (chosen < 0 ||
	    !fdt_getprop_addr(fdt, chosen, "linux,initrd-start", &start) ||
	    !fdt_getprop_addr(fdt, chosen, "linux,initrd-end", &end))
		return;
	if (end > start)
		fdt_bootmem_add(map, start, end - start, BOOT_MEM_MODULE, first_err);
}

kern_return_t fdt_scan_memory(const void *fdt, phys_addr_t fdt_phys,
			      struct bootmem_map *map)
{
	kern_return_t first_err = KERN_SUCCESS;

	if (!fdt || !map || fdt_check(fdt, fdt_totalsize(fdt)) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;

	fdt_scan_memory_nodes(fdt, map, &first_err);
	fdt_scan_reserved_memory(fdt, map, &first_err);
	fdt_scan_mem_rsv(fdt, map, &first_err);
	fdt_bootmem_add(map, fdt_phys, fdt_totalsize(fdt), BOOT_MEM_FDT, &first_err);
	fdt_scan_initrd(fdt, map, &first_err);
	return first_err;
}
