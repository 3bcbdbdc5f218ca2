/* SPDX-License-Identifier: MIT */
/*
 * A reader for flattened device trees (DTB format version 16/17, as QEMU and
 * U-Boot pass them). It never writes to the blob and never reads outside
 * it: every offset it hands out has been checked against the header, so a
 * damaged blob gives "not found" or KERN_INVALID_ARGUMENT, never a fault.
 *
 * Nodes are named by their offset in the structure block (an int >= 0); a
 * negative value means "none".
 */
#ifndef _KERN_FDT_H
#define _KERN_FDT_H

#include <kern/types.h>
#include <mach/kern_return.h>

struct bootmem_map;

#define FDT_MAGIC	0xd00dfeed

/*
 * Check that blob holds a well-formed tree of at most maxsize bytes:
 * magic, version, every block inside totalsize, a structure block that
 * nests properly and ends with FDT_END, names inside the strings block.
 * Returns KERN_SUCCESS or KERN_INVALID_ARGUMENT.
 */
kern_return_t fdt_check(const void *blob, size_t maxsize);

/* totalsize from the header (only meaningful after fdt_check). */
size_t fdt_totalsize(const void *fdt);

/* The root node. */
int fdt_root(const void *fdt);

/*
 * A node by absolute path ("/", "/chosen", "/memory@40000000"). A path
 * component without "@unit" matches a node whose name has one
 * ("/memory" finds "memory@40000000"). Returns -1 if there is none.
 */
int fdt_path_offset(const void *fdt, const char *path);

int fdt_first_subnode(const void *fdt, int node);	/* -1 if none */
int fdt_next_subnode(const void *fdt, int node);	/* -1 after the last */
int fdt_parent(const void *fdt, int node);		/* -1 for the root */

/* The node's name with its unit address ("uart@9000000"); "" for the root. */
const char *fdt_node_name(const void *fdt, int node);

/* A property's value and length in bytes, or NULL if it is absent. */
const void *fdt_getprop(const void *fdt, int node, const char *name, int *lenp);

/* A property that must be one 32-bit cell; def if absent or malformed. */
uint32_t fdt_getprop_u32(const void *fdt, int node, const char *name, uint32_t def);

/*
 * A property of one or two 32-bit cells (as /chosen's linux,initrd-start
 * and -end, whose size the bootloader picks) into *val; false if absent
 * or of another length.
 */
bool fdt_getprop_addr(const void *fdt, int node, const char *name, uint64_t *val);

/* A string property, NUL-terminated inside its length, or NULL. */
const char *fdt_getprop_string(const void *fdt, int node, const char *name);

/* Does the node's "compatible" string list contain compat? */
bool fdt_node_compatible(const void *fdt, int node, const char *compat);

/* The next node after `after` (-1: from the start) that is compatible, or -1. */
int fdt_find_compatible(const void *fdt, int after, const char *compat);

/* #address-cells and #size-cells that apply to node's "reg" (its parent's). */
uint32_t fdt_addr_cells(const void *fdt, int node);
uint32_t fdt_size_cells(const void *fdt, int node);

/*
 * Entry `index` of node's "reg", decoded with the parent's cell counts.
 * KERN_INVALID_ARGUMENT if there is no such entry or the cells do not fit
 * 64 bits.
 */
kern_return_t fdt_get_reg(const void *fdt, int node, unsigned int index,
			  uint64_t *addr, uint64_t *size);

/* The memory reservation block ("/memreserve/" entries). */
unsigned int fdt_num_mem_rsv(const void *fdt);
kern_return_t fdt_get_mem_rsv(const void *fdt, unsigned int index,
			      uint64_t *addr, uint64_t *size);

/*
 * Record the tree's memory in map: every reg of every device_type = "memory"
 * node as USABLE; /reserved-memory children and the memreserve block as
 * RESERVED; the blob itself (at fdt_phys) as FDT; the initrd of /chosen
 * (linux,initrd-start/-end) as MODULE.
 */
kern_return_t fdt_scan_memory(const void *fdt, phys_addr_t fdt_phys,
			      struct bootmem_map *map);

#endif /* _KERN_FDT_H */
