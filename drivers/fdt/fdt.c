// SPDX-License-Identifier: MIT
/*
 * The flattened device tree reader (devicetree specification v0.4, chapter
 * 5 "Flattened Devicetree (DTB) Format").
 *
 * A blob is a header, a memory reservation block, a structure block of
 * 32-bit tokens (BEGIN_NODE name, PROP len nameoff value, END_NODE, NOP,
 * END) and a strings block holding property names. Every field is big
 * endian and is read a byte at a time: the blob may sit at any address and
 * arm64 runs with strict alignment.
 *
 * fdt_check() validates the whole blob once. The accessors do not rely on
 * it for memory safety: each one re-reads the header, keeps every offset
 * inside the block it belongs to and gives "not found" on anything it
 * cannot make sense of, so that even a damaged blob is only ever read
 * within [fdt, fdt + totalsize).
 */

#include <kern/fdt.h>
#include <kern/string.h>

#define FDT_BEGIN_NODE	0x1
#define FDT_END_NODE	0x2
#define FDT_PROP	0x3
#define FDT_NOP		0x4
#define FDT_END		0x9

#define FDT_TAG_SIZE		4
#define FDT_PROP_HDR_SIZE	12	/* token, len, nameoff */
#define FDT_RSV_ENTRY_SIZE	16	/* address, size */

#define FDT_V16_HDR_SIZE	36	/* up to size_dt_strings */
#define FDT_V17_HDR_SIZE	40	/* plus size_dt_struct */
#define FDT_FIRST_VERSION	16
#define FDT_LAST_VERSION	17

/* Deepest nesting fdt_check accepts; the root is level 1. */
#define FDT_MAX_DEPTH		32

/* Header field offsets. */
#define FDT_H_MAGIC		0
#define FDT_H_TOTALSIZE		4
#define FDT_H_OFF_STRUCT	8
#define FDT_H_OFF_STRINGS	12
#define FDT_H_OFF_RSVMAP	16
#define FDT_H_VERSION		20
#define FDT_H_LAST_COMP		24
#define FDT_H_SIZE_STRINGS	32
#define FDT_H_SIZE_STRUCT	36

/* The header, decoded and checked against totalsize. */
struct fdt_hdr {
	const uint8_t	*base;
	uint32_t	totalsize;
	uint32_t	struct_off;
	uint32_t	struct_size;
	uint32_t	strings_off;
	uint32_t	strings_size;
	uint32_t	rsv_off;
	uint32_t	version;
};

static uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint64_t fdt_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)fdt_be32(b) << 32 | fdt_be32(b + 4);
}

/* Does [off, off + len) lie inside [0, limit)? (No overflow possible.) */
static bool fdt_range_ok(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

/*
 * Decode the header and check that each block lies inside totalsize. This
 * is all the accessors trust; it is cheap enough to do on every call.
 */
static bool fdt_hdr_read(const void *fdt, struct fdt_hdr *h)
{
	const uint8_t *b = fdt;
	uint32_t hdr_size;

	if (!b || fdt_be32(b + FDT_H_MAGIC) != FDT_MAGIC)
		return false;
	h->base = b;
	h->version = fdt_be32(b + FDT_H_VERSION);
	if (h->version < FDT_FIRST_VERSION)
		return false;
	hdr_size = h->version >= 17 ? FDT_V17_HDR_SIZE : FDT_V16_HDR_SIZE;
	h->totalsize = fdt_be32(b + FDT_H_TOTALSIZE);
	/* Offsets are ints: keep every one, re-aligned, below INT32_MAX. */
	if (h->totalsize < hdr_size || h->totalsize > INT32_MAX - 8)
		return false;
	h->struct_off = fdt_be32(b + FDT_H_OFF_STRUCT);
	h->strings_off = fdt_be32(b + FDT_H_OFF_STRINGS);
	h->strings_size = fdt_be32(b + FDT_H_SIZE_STRINGS);
	h->rsv_off = fdt_be32(b + FDT_H_OFF_RSVMAP);
	/* Version 16 has no size_dt_struct: the block runs to the end. */
	if (h->version >= 17)
		h->struct_size = fdt_be32(b + FDT_H_SIZE_STRUCT);
	else if (h->struct_off <= h->totalsize)
		h->struct_size = h->totalsize - h->struct_off;
	else
		return false;

	return h->struct_off >= hdr_size && h->strings_off >= hdr_size &&
	       h->rsv_off >= hdr_size &&
	       fdt_range_ok(h->struct_off, h->struct_size, h->totalsize) &&
	       fdt_range_ok(h->strings_off, h->strings_size, h->totalsize) &&
	       fdt_range_ok(h->rsv_off, 0, h->totalsize);
}

static const uint8_t *fdt_struct_ptr(const struct fdt_hdr *h, uint32_t off)
{
	return h->base + h->struct_off + off;
}

/* Length of the NUL-terminated string at p within max bytes, or -1. */
static int fdt_strlen_in(const uint8_t *p, uint32_t max)
{
	const uint8_t *nul = memchr(p, 0, max);

	return nul ? (int)(nul - p) : -1;
}

/*
 * The token at structure offset off. On success *next is the offset of the
 * token that follows, with the name or value skipped and re-aligned. A
 * token, name or value that would leave the structure block gives -1.
 */
static int fdt_tag(const struct fdt_hdr *h, int off, int *next)
{
	uint32_t tag, len, end;
	int n;

	if (off < 0 || (off & 3) || !fdt_range_ok(off, FDT_TAG_SIZE, h->struct_size))
		return -1;
	tag = fdt_be32(fdt_struct_ptr(h, off));
	end = off + FDT_TAG_SIZE;

	switch (tag) {
	case FDT_BEGIN_NODE:
		n = fdt_strlen_in(fdt_struct_ptr(h, end), h->struct_size - end);
		if (n < 0)
			return -1;
		end += n + 1;
		break;
	case FDT_PROP:
		if (!fdt_range_ok(off, FDT_PROP_HDR_SIZE, h->struct_size))
			return -1;
		len = fdt_be32(fdt_struct_ptr(h, off + 4));
		end = off + FDT_PROP_HDR_SIZE;
		if (!fdt_range_ok(end, len, h->struct_size))
			return -1;
		end += len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -1;
	}
	/* Re-aligning may step past the block end; the next read catches it. */
	*next = (int)ALIGN_UP(end, 4u);
	return (int)tag;
}

/* Is off a BEGIN_NODE token? Sets *inside to the offset after its name. */
static bool fdt_node_ok(const struct fdt_hdr *h, int off, int *inside)
{
	return fdt_tag(h, off, inside) == FDT_BEGIN_NODE;
}

/*
 * The next node after node in document order, with *depth adjusted by the
 * levels gone down (+1 for a child) or up (-1 per END_NODE). -1 at FDT_END
 * or on a bad token. Offsets only grow, so loops built on it end.
 */
static int fdt_next_node(const struct fdt_hdr *h, int node, int *depth)
{
	int off, next, tag;

	if (!fdt_node_ok(h, node, &off))
		return -1;
	for (;;) {
		tag = fdt_tag(h, off, &next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			(*depth)++;
			return off;
		case FDT_END_NODE:
			(*depth)--;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		default:	/* FDT_END or damage */
			return -1;
		}
		off = next;
	}
}

static int fdt_root_hdr(const struct fdt_hdr *h)
{
	int off = 0, next, tag;

	while ((tag = fdt_tag(h, off, &next)) == FDT_NOP)
		off = next;
	return tag == FDT_BEGIN_NODE ? off : -1;
}

/* Check the memory reservation block: entries inside totalsize, then 0/0. */
static bool fdt_check_rsvmap(const struct fdt_hdr *h)
{
	uint32_t off = h->rsv_off;
	const uint8_t *e;

	if (off & 7)
		return false;
	for (;;) {
		if (!fdt_range_ok(off, FDT_RSV_ENTRY_SIZE, h->totalsize))
			return false;
		e = h->base + off;
		if (fdt_be64(e) == 0 && fdt_be64(e + 8) == 0)
			return true;
		off += FDT_RSV_ENTRY_SIZE;
	}
}

/* Is the property's name offset inside the strings block, NUL-terminated? */
static const char *fdt_prop_name(const struct fdt_hdr *h, int prop_off)
{
	uint32_t nameoff = fdt_be32(fdt_struct_ptr(h, prop_off + 8));
	const uint8_t *s;

	if (nameoff >= h->strings_size)
		return NULL;
	s = h->base + h->strings_off + nameoff;
	if (fdt_strlen_in(s, h->strings_size - nameoff) < 0)
		return NULL;
	return (const char *)s;
}

/*
 * Walk the structure block once: tokens nest, properties come before the
 * subnodes of their node, names are terminated, nesting stays within
 * FDT_MAX_DEPTH, and one root, named "", is followed by FDT_END.
 */
static bool fdt_check_struct(const struct fdt_hdr *h)
{
	int off = 0, next, tag, depth = 0;
	bool seen_root = false, seen_child = false;

	for (;;) {
		tag = fdt_tag(h, off, &next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0) {
				/* One root, and it has no name. */
				if (seen_root || *fdt_struct_ptr(h, off + FDT_TAG_SIZE))
					return false;
				seen_root = true;
			}
			if (++depth > FDT_MAX_DEPTH)
				return false;
			seen_child = false;
			break;
		case FDT_PROP:
			if (depth == 0 || seen_child || !fdt_prop_name(h, off))
				return false;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return false;
			depth--;
			/* Back in the parent, after one of its subnodes. */
			seen_child = true;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return seen_root && depth == 0;
		default:
			return false;
		}
		off = next;
	}
}

kern_return_t fdt_check(const void *blob, size_t maxsize)
{
	struct fdt_hdr h;

	/* maxsize must cover the header before any field past it is read. */
	if (!blob || maxsize < FDT_V16_HDR_SIZE)
		return KERN_INVALID_ARGUMENT;
	if (fdt_be32((const uint8_t *)blob + FDT_H_VERSION) >= 17 &&
	    maxsize < FDT_V17_HDR_SIZE)
		return KERN_INVALID_ARGUMENT;
	if (!fdt_hdr_read(blob, &h) || h.totalsize > maxsize)
		return KERN_INVALID_ARGUMENT;
	if (fdt_be32((const uint8_t *)blob + FDT_H_LAST_COMP) > FDT_LAST_VERSION)
		return KERN_INVALID_ARGUMENT;
	if (h.struct_off & 3)
		return KERN_INVALID_ARGUMENT;
	if (!fdt_check_rsvmap(&h) || !fdt_check_struct(&h))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

size_t fdt_totalsize(const void *fdt)
{
	if (!fdt)
		return 0;
	return fdt_be32((const uint8_t *)fdt + FDT_H_TOTALSIZE);
}

int fdt_root(const void *fdt)
{
	struct fdt_hdr h;

	if (!fdt_hdr_read(fdt, &h))
		return -1;
	return fdt_root_hdr(&h);
}

static int fdt_first_subnode_hdr(const struct fdt_hdr *h, int node)
{
	int depth = 0;
	int off = fdt_next_node(h, node, &depth);

	return off >= 0 && depth == 1 ? off : -1;
}

int fdt_first_subnode(const void *fdt, int node)
{
	struct fdt_hdr h;

	if (!fdt_hdr_read(fdt, &h))
		return -1;
	return fdt_first_subnode_hdr(&h, node);
}

static int fdt_next_subnode_hdr(const struct fdt_hdr *h, int node)
{
	int depth = 0;
	int off = node;

	/* Skip the node's descendants: the next node at depth 0 is a sibling. */
	do {
		off = fdt_next_node(h, off, &depth);
		if (off < 0 || depth < 0)
			return -1;
	} while (depth > 0);
	return off;
}

int fdt_next_subnode(const void *fdt, int node)
{
	struct fdt_hdr h;

	if (!fdt_hdr_read(fdt, &h))
		return -1;
	return fdt_next_subnode_hdr(&h, node);
}

int fdt_parent(const void *fdt, int node)
{
	struct fdt_hdr h;
	int stack[FDT_MAX_DEPTH];
	int off, depth = 0;

	if (!fdt_hdr_read(fdt, &h) || !fdt_node_ok(&h, node, &off))
		return -1;
	/* Walk from the root, remembering the ancestors of where we are. */
	off = fdt_root_hdr(&h);
	while (off >= 0 && off < node) {
		if (depth < 0 || depth >= FDT_MAX_DEPTH)
			return -1;
		stack[depth] = off;
		off = fdt_next_node(&h, off, &depth);
	}
	if (off != node || depth <= 0 || depth > FDT_MAX_DEPTH)
		return -1;
	return stack[depth - 1];
}

const char *fdt_node_name(const void *fdt, int node)
{
	struct fdt_hdr h;
	int next;

	if (!fdt_hdr_read(fdt, &h) || !fdt_node_ok(&h, node, &next))
		return NULL;
	return (const char *)fdt_struct_ptr(&h, node + FDT_TAG_SIZE);
}

/*
 * Does the node name `name` match the path component [comp, comp + len)?
 * Either exactly, or the component has no unit address and the name's
 * part before '@' equals it.
 */
static bool fdt_name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0)
		return false;
	if (name[len] == '\0')
		return true;
	return name[len] == '@' && !memchr(comp, '@', len);
}

static int fdt_subnode_by_name(const struct fdt_hdr *h, int parent,
			       const char *comp, size_t len)
{
	int node;

	for (node = fdt_first_subnode_hdr(h, parent); node >= 0;
	     node = fdt_next_subnode_hdr(h, node)) {
		/* fdt_tag checked the name is terminated inside the block. */
		if (fdt_name_matches((const char *)fdt_struct_ptr(h, node + 4),
				     comp, len))
			return node;
	}
	return -1;
}

int fdt_path_offset(const void *fdt, const char *path)
{
	struct fdt_hdr h;
	const char *end;
	int node;

	if (!path || path[0] != '/' || !fdt_hdr_read(fdt, &h))
		return -1;
	node = fdt_root_hdr(&h);
	while (node >= 0) {
		while (*path == '/')
			path++;
		if (*path == '\0')
			break;
		end = strchr(path, '/');
		if (!end)
			end = path + strlen(path);
		node = fdt_subnode_by_name(&h, node, path, end - path);
		path = end;
	}
	return node;
}

/* The value and length of the property at off (fdt_tag checked both). */
static const void *fdt_prop_value(const struct fdt_hdr *h, int off, int *lenp)
{
	*lenp = (int)fdt_be32(fdt_struct_ptr(h, off + 4));
	return fdt_struct_ptr(h, off + FDT_PROP_HDR_SIZE);
}

const void *fdt_getprop(const void *fdt, int node, const char *name, int *lenp)
{
	struct fdt_hdr h;
	const char *pname;
	int off, next, tag, len;

	if (!name || !fdt_hdr_read(fdt, &h) || !fdt_node_ok(&h, node, &off))
		return NULL;
	/* A node's properties come before its subnodes. */
	for (; (tag = fdt_tag(&h, off, &next)) == FDT_PROP || tag == FDT_NOP;
	     off = next) {
		if (tag == FDT_NOP)
			continue;
		pname = fdt_prop_name(&h, off);
		if (pname && strcmp(pname, name) == 0) {
			const void *val = fdt_prop_value(&h, off, &len);

			if (lenp)
				*lenp = len;
			return val;
		}
	}
	return NULL;
}

uint32_t fdt_getprop_u32(const void *fdt, int node, const char *name, uint32_t def)
{
	int len;
	const void *val = fdt_getprop(fdt, node, name, &len);

	return val && len == 4 ? fdt_be32(val) : def;
}

const char *fdt_getprop_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *val = fdt_getprop(fdt, node, name, &len);

	if (!val || len <= 0 || !memchr(val, 0, len))
		return NULL;
	return val;
}

bool fdt_node_compatible(const void *fdt, int node, const char *compat)
{
	int len, n;
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	if (!list || !compat)
		return false;
	/* A list of NUL-terminated strings; an unterminated tail is ignored. */
	while (len > 0) {
		n = fdt_strlen_in((const uint8_t *)list, len);
		if (n < 0)
			break;
		if (strcmp(list, compat) == 0)
			return true;
		list += n + 1;
		len -= n + 1;
	}
	return false;
}

int fdt_find_compatible(const void *fdt, int after, const char *compat)
{
	struct fdt_hdr h;
	int node, depth = 0;

	if (!fdt_hdr_read(fdt, &h))
		return -1;
	if (after < 0) {
		node = fdt_root_hdr(&h);
		if (node >= 0 && fdt_node_compatible(fdt, node, compat))
			return node;
	} else {
		node = after;
	}
	while (node >= 0) {
		node = fdt_next_node(&h, node, &depth);
		if (node >= 0 && fdt_node_compatible(fdt, node, compat))
			return node;
	}
	return -1;
}

/* The spec's defaults when the parent says nothing (v0.4, 2.3.5). */
#define FDT_DEFAULT_ADDR_CELLS	2
#define FDT_DEFAULT_SIZE_CELLS	1

uint32_t fdt_addr_cells(const void *fdt, int node)
{
	int parent = fdt_parent(fdt, node);

	if (parent < 0)
		return FDT_DEFAULT_ADDR_CELLS;
	return fdt_getprop_u32(fdt, parent, "#address-cells", FDT_DEFAULT_ADDR_CELLS);
}

uint32_t fdt_size_cells(const void *fdt, int node)
{
	int parent = fdt_parent(fdt, node);

	if (parent < 0)
		return FDT_DEFAULT_SIZE_CELLS;
	return fdt_getprop_u32(fdt, parent, "#size-cells", FDT_DEFAULT_SIZE_CELLS);
}

/* A number of 0, 1 or 2 big-endian cells. */
static uint64_t fdt_read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	while (cells--) {
		v = v << 32 | fdt_be32(p);
		p += 4;
	}
	return v;
}

kern_return_t fdt_get_reg(const void *fdt, int node, unsigned int index,
			  uint64_t *addr, uint64_t *size)
{
	uint32_t ac = fdt_addr_cells(fdt, node);
	uint32_t sc = fdt_size_cells(fdt, node);
	uint32_t entry;
	const uint8_t *reg;
	int len;

	if (ac > 2 || sc > 2 || ac + sc == 0)
		return KERN_INVALID_ARGUMENT;
	reg = fdt_getprop(fdt, node, "reg", &len);
	entry = (ac + sc) * 4;
	if (!reg || len < 0 || index >= (uint32_t)len / entry)
		return KERN_INVALID_ARGUMENT;
	reg += index * entry;
	if (addr)
		*addr = fdt_read_cells(reg, ac);
	if (size)
		*size = fdt_read_cells(reg + ac * 4, sc);
	return KERN_SUCCESS;
}

/*
 * Walk the reservation block up to its 0/0 terminator (or the end of the
 * blob). Returns entry `index`, or NULL if there are fewer entries; *count
 * gets the number of entries seen.
 */
static const uint8_t *fdt_mem_rsv_walk(const void *fdt, unsigned int index,
				       unsigned int *count)
{
	struct fdt_hdr h;
	uint64_t off;
	unsigned int i = 0;
	const uint8_t *e;

	if (fdt_hdr_read(fdt, &h)) {
		for (off = h.rsv_off;
		     fdt_range_ok(off, FDT_RSV_ENTRY_SIZE, h.totalsize);
		     off += FDT_RSV_ENTRY_SIZE, i++) {
			e = h.base + off;
			if (fdt_be64(e) == 0 && fdt_be64(e + 8) == 0)
				break;
			if (i == index) {
				*count = i + 1;
				return e;
			}
		}
	}
	*count = i;
	return NULL;
}

unsigned int fdt_num_mem_rsv(const void *fdt)
{
	unsigned int n;

	fdt_mem_rsv_walk(fdt, UINT32_MAX, &n);
	return n;
}

kern_return_t fdt_get_mem_rsv(const void *fdt, unsigned int index,
			      uint64_t *addr, uint64_t *size)
{
	unsigned int n;
	const uint8_t *e = fdt_mem_rsv_walk(fdt, index, &n);

	if (!e)
		return KERN_INVALID_ARGUMENT;
	if (addr)
		*addr = fdt_be64(e);
	if (size)
		*size = fdt_be64(e + 8);
	return KERN_SUCCESS;
}
