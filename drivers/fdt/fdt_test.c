// SPDX-License-Identifier: MIT
/*
 * Tests of the device-tree reader. x86_64 boots with no device tree, so the
 * blobs are written here at test time by a small DTB writer; the live tree
 * is checked only on a board that booted with one.
 */

#include <ktest.h>
#include <kern/bootinfo.h>
#include <kern/bootmem.h>
#include <kern/fdt.h>
#include <kern/printk.h>
#include <kern/string.h>

/* ---- a minimal DTB writer --------------------------------------------- */

#define FW_STRUCT_MAX	2048
#define FW_STRINGS_MAX	512
#define FW_RSV_MAX	4
#define FDT_TEST_BUF	4096

#define FW_HDR_SIZE	40

struct fdt_writer {
	uint8_t		st[FW_STRUCT_MAX];	/* the structure block */
	uint32_t	st_len;
	char		strings[FW_STRINGS_MAX];
	uint32_t	str_len;
	uint64_t	rsv[FW_RSV_MAX][2];
	unsigned int	nr_rsv;
	bool		no_end;			/* leave out FDT_END */
	bool		overflow;
};

/* Static: the writer and the blobs are too big for a kernel stack. */
static struct fdt_writer fdt_test_writer;
static uint8_t fdt_test_blob[FDT_TEST_BUF];	/* the sample tree */
static uint32_t fdt_test_blob_size;
static uint8_t fdt_test_work[FDT_TEST_BUF];	/* damaged copies, other trees */
static struct bootmem_map fdt_test_map;

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (uint32_t)v);
}

static struct fdt_writer *fw_init(void)
{
	struct fdt_writer *w = &fdt_test_writer;

	memset(w, 0, sizeof(*w));
	return w;
}

/* Raw bytes into the structure block, with no padding. */
static void fw_raw(struct fdt_writer *w, const void *p, uint32_t n)
{
	if (n == 0)
		return;
	if (w->overflow || n > FW_STRUCT_MAX - w->st_len) {
		w->overflow = true;
		return;
	}
	memcpy(w->st + w->st_len, p, n);
	w->st_len += n;
}

static void fw_pad(struct fdt_writer *w)
{
	static const uint8_t zero[4];

	fw_raw(w, zero, ALIGN_UP(w->st_len, 4u) - w->st_len);
}

static void fw_u32(struct fdt_writer *w, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	fw_raw(w, b, 4);
}

static void fw_begin(struct fdt_writer *w, const char *name)
{
	fw_u32(w, 1);			/* FDT_BEGIN_NODE */
	fw_raw(w, name, strlen(name) + 1);
	fw_pad(w);
}

static void fw_end(struct fdt_writer *w)
{
	fw_u32(w, 2);			/* FDT_END_NODE */
}

static uint32_t fw_string(struct fdt_writer *w, const char *name)
{
	uint32_t off = 0, n = strlen(name) + 1;

	/* Reuse a name already there, as dtc does. */
	while (off < w->str_len) {
		if (strcmp(w->strings + off, name) == 0)
			return off;
		off += strlen(w->strings + off) + 1;
	}
	if (n > FW_STRINGS_MAX - w->str_len) {
		w->overflow = true;
		return 0;
	}
	memcpy(w->strings + w->str_len, name, n);
	w->str_len += n;
	return off;
}

static void fw_prop_raw(struct fdt_writer *w, uint32_t nameoff, const void *val,
			uint32_t len)
{
	fw_u32(w, 3);			/* FDT_PROP */
	fw_u32(w, len);
	fw_u32(w, nameoff);
	fw_raw(w, val, len);
	fw_pad(w);
}

static void fw_prop(struct fdt_writer *w, const char *name, const void *val,
		    uint32_t len)
{
	fw_prop_raw(w, fw_string(w, name), val, len);
}

static void fw_prop_str(struct fdt_writer *w, const char *name, const char *s)
{
	fw_prop(w, name, s, strlen(s) + 1);
}

static void fw_prop_cells(struct fdt_writer *w, const char *name,
			  const uint32_t *cells, unsigned int n)
{
	uint8_t buf[64];
	unsigned int i;

	if (n > sizeof(buf) / 4) {
		w->overflow = true;
		return;
	}
	for (i = 0; i < n; i++)
		put_be32(buf + 4 * i, cells[i]);
	fw_prop(w, name, buf, 4 * n);
}

/* fw_cells(w, "reg", 0, 0x40000000, 0, 0x1000) */
#define fw_cells(w, name, ...)						\
	fw_prop_cells(w, name, (const uint32_t[]){ __VA_ARGS__ },	\
		      sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)

static void fw_rsv(struct fdt_writer *w, uint64_t addr, uint64_t size)
{
	if (w->nr_rsv == FW_RSV_MAX) {
		w->overflow = true;
		return;
	}
	w->rsv[w->nr_rsv][0] = addr;
	w->rsv[w->nr_rsv][1] = size;
	w->nr_rsv++;
}

/*
 * Lay the blob out as dtc does: header, reservation block, structure
 * block, strings block (last, so that any truncation cuts into it).
 * Returns the total size, or 0 if it does not fit.
 */
static uint32_t fw_finish(struct fdt_writer *w, uint8_t *out, uint32_t cap)
{
	uint32_t rsv_off = FW_HDR_SIZE, st_off, str_off, total, i;

	if (!w->no_end)
		fw_u32(w, 9);		/* FDT_END */
	st_off = rsv_off + (w->nr_rsv + 1) * 16;
	str_off = st_off + w->st_len;
	total = str_off + w->str_len;
	if (w->overflow || total > cap)
		return 0;

	memset(out, 0, total);
	put_be32(out + 0, FDT_MAGIC);
	put_be32(out + 4, total);
	put_be32(out + 8, st_off);
	put_be32(out + 12, str_off);
	put_be32(out + 16, rsv_off);
	put_be32(out + 20, 17);		/* version */
	put_be32(out + 24, 16);		/* last_comp_version */
	put_be32(out + 28, 0);		/* boot_cpuid_phys */
	put_be32(out + 32, w->str_len);
	put_be32(out + 36, w->st_len);
	for (i = 0; i < w->nr_rsv; i++) {
		put_be64(out + rsv_off + 16 * i, w->rsv[i][0]);
		put_be64(out + rsv_off + 16 * i + 8, w->rsv[i][1]);
	}
	memcpy(out + st_off, w->st, w->st_len);
	memcpy(out + str_off, w->strings, w->str_len);
	return total;
}

/* ---- the sample tree ---------------------------------------------------- */

#define T_FDT_PHYS	0x44000000ull
#define T_INITRD_START	0x48100000u
#define T_INITRD_END	0x48300000u

/*
 * / {
 *	#address-cells = <2>; #size-cells = <2>;
 *	compatible = "machline,test", "machline,base";
 *	chosen { bootargs; linux,initrd-start/-end (32-bit) };
 *	memory@40000000 { device_type = "memory"; reg = 256M @1G, 16M @4G };
 *	reserved-memory { fw@47000000 (1M), dyn (size only) };
 *	soc (1/1) { uart@9000000, uart@9001000 (two regs), timer };
 *	bus21 (2/1) { dev@1 };  nocells { dev@5 };  bus31 (3/1) { dev };
 *	(nocells has a compatible of 4 bytes with no NUL)
 *	bus00 (0/0) { dev };
 * };
 * /memreserve/ 0x47f00000 64K; 0x4a000000 8K;
 */
static void fdt_test_write_sample(struct fdt_writer *w)
{
	static const char compat_root[] = "machline,test\0machline,base";
	static const char compat_uart[] = "arm,pl011\0arm,primecell";

	fw_rsv(w, 0x47f00000, 0x10000);
	fw_rsv(w, 0x4a000000, 0x2000);

	fw_begin(w, "");
	fw_cells(w, "#address-cells", 2);
	fw_cells(w, "#size-cells", 2);
	fw_prop(w, "compatible", compat_root, sizeof(compat_root));
	fw_prop_str(w, "model", "MachLine test tree");

	fw_begin(w, "chosen");
	fw_prop_str(w, "bootargs", "console=ttyS0 ktest.filter=fdt");
	fw_cells(w, "linux,initrd-start", T_INITRD_START);
	fw_cells(w, "linux,initrd-end", T_INITRD_END);
	fw_end(w);

	fw_begin(w, "memory@40000000");
	fw_prop_str(w, "device_type", "memory");
	fw_cells(w, "reg", 0, 0x40000000, 0, 0x10000000,
		 0x1, 0x00000000, 0, 0x01000000);
	fw_end(w);

	fw_begin(w, "reserved-memory");
	fw_cells(w, "#address-cells", 2);
	fw_cells(w, "#size-cells", 2);
	fw_prop(w, "ranges", NULL, 0);
	fw_begin(w, "fw@47000000");
	fw_cells(w, "reg", 0, 0x47000000, 0, 0x100000);
	fw_prop(w, "no-map", NULL, 0);
	fw_end(w);
	fw_begin(w, "dyn");
	fw_cells(w, "size", 0, 0x100000);
	fw_end(w);
	fw_end(w);

	fw_begin(w, "soc");
	fw_prop_str(w, "compatible", "simple-bus");
	fw_cells(w, "#address-cells", 1);
	fw_cells(w, "#size-cells", 1);
	fw_begin(w, "uart@9000000");
	fw_prop(w, "compatible", compat_uart, sizeof(compat_uart));
	fw_cells(w, "reg", 0x9000000, 0x1000);
	fw_prop_str(w, "status", "okay");
	fw_end(w);
	fw_begin(w, "uart@9001000");
	fw_prop(w, "compatible", compat_uart, sizeof(compat_uart));
	fw_cells(w, "reg", 0x9001000, 0x1000, 0x9002000, 0x10);
	fw_end(w);
	fw_begin(w, "timer");
	fw_prop_str(w, "compatible", "arm,armv8-timer");
	fw_end(w);
	fw_end(w);

	fw_begin(w, "bus21");
	fw_cells(w, "#address-cells", 2);
	fw_cells(w, "#size-cells", 1);
	fw_begin(w, "dev@1");
	fw_cells(w, "reg", 0x1, 0x2, 0x300);
	fw_end(w);
	fw_end(w);

	fw_begin(w, "nocells");
	fw_prop(w, "compatible", "abcd", 4);	/* no NUL */
	fw_begin(w, "dev@5");
	fw_cells(w, "reg", 0x5, 0x6, 0x7);
	fw_end(w);
	fw_end(w);

	fw_begin(w, "bus31");
	fw_cells(w, "#address-cells", 3);
	fw_cells(w, "#size-cells", 1);
	fw_begin(w, "dev");
	fw_cells(w, "reg", 1, 2, 3, 4);
	fw_end(w);
	fw_end(w);

	fw_begin(w, "bus00");
	fw_cells(w, "#address-cells", 0);
	fw_cells(w, "#size-cells", 0);
	fw_begin(w, "dev");
	fw_cells(w, "reg", 1);
	fw_end(w);
	fw_end(w);

	fw_end(w);			/* / */
}

/* Build the sample into fdt_test_blob before each case. */
static int fdt_test_init(struct ktest *t)
{
	struct fdt_writer *w = fw_init();

	fdt_test_write_sample(w);
	fdt_test_blob_size = fw_finish(w, fdt_test_blob, sizeof(fdt_test_blob));
	return fdt_test_blob_size ? 0 : -1;
}

/*
 * Call every accessor on a blob that may be damaged, walking at most a
 * bounded number of nodes. Returns the number of nodes seen; what matters
 * is that it returns at all (and, on the host, that ASan stays quiet).
 */
static unsigned int fdt_test_poke(const void *fdt)
{
	static const char *const paths[] = {
		"/", "/chosen", "/memory", "/soc/uart@9001000", "/soc/uart",
		"/nocells/dev", "//soc//timer/", "/no/such/node", "",
	};
	uint64_t a, s;
	int node, next, len, n;
	unsigned int i, seen = 0;

	(void)fdt_totalsize(fdt);
	for (i = 0; i < ARRAY_SIZE(paths); i++)
		(void)fdt_path_offset(fdt, paths[i]);
	n = fdt_num_mem_rsv(fdt);
	(void)fdt_get_mem_rsv(fdt, 0, &a, &s);
	(void)fdt_get_mem_rsv(fdt, n, &a, &s);

	node = fdt_root(fdt);
	while (node >= 0 && seen < 256) {
		seen++;
		(void)fdt_node_name(fdt, node);
		(void)fdt_getprop(fdt, node, "reg", &len);
		(void)fdt_getprop_u32(fdt, node, "#address-cells", 0);
		(void)fdt_getprop_string(fdt, node, "compatible");
		(void)fdt_node_compatible(fdt, node, "arm,primecell");
		(void)fdt_addr_cells(fdt, node);
		(void)fdt_size_cells(fdt, node);
		for (i = 0; i < 3; i++)
			(void)fdt_get_reg(fdt, node, i, &a, &s);

		/* Depth first: child, else next sibling of self or an ancestor. */
		next = fdt_first_subnode(fdt, node);
		while (next < 0 && node >= 0) {
			next = fdt_next_subnode(fdt, node);
			if (next < 0)
				node = fdt_parent(fdt, node);
		}
		node = next;
	}

	node = -1;
	for (i = 0; i < 64; i++) {
		node = fdt_find_compatible(fdt, node, "arm,pl011");
		if (node < 0)
			break;
	}
	return seen;
}

/*
 * The same on the damaged copy in fdt_test_work. The accessors keep inside
 * [blob, blob + totalsize): that is all they can know of the blob. So when
 * the damage is a totalsize bigger than the buffer, only fdt_check (which
 * is told the real size) may look at it.
 */
static void fdt_test_poke_work(void)
{
	if (fdt_totalsize(fdt_test_work) <= sizeof(fdt_test_work))
		fdt_test_poke(fdt_test_work);
}

/* ---- the well-formed tree ----------------------------------------------- */

static void fdt_test_check_valid(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_blob, fdt_test_blob_size), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_blob, sizeof(fdt_test_blob)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, fdt_totalsize(fdt_test_blob), (size_t)fdt_test_blob_size);
}

/* A blob at an odd address: every field is read a byte at a time. */
static void fdt_test_unaligned(struct ktest *t)
{
	const uint8_t *fdt = fdt_test_work + 1;
	uint64_t a = 0, s = 0;
	int node;

	memcpy(fdt_test_work + 1, fdt_test_blob, fdt_test_blob_size);
	KTEST_ASSERT_EQ(t, fdt_check(fdt, fdt_test_blob_size), KERN_SUCCESS);
	node = fdt_path_offset(fdt, "/soc/uart@9001000");
	KTEST_ASSERT_GE(t, node, 0);
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, node, 1, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x9002000ull);
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(fdt, fdt_root(fdt), "#size-cells", 0), 2u);
	KTEST_EXPECT_EQ(t, fdt_get_mem_rsv(fdt, 1, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x4a000000ull);
}

/* Version 16 has no size_dt_struct; the structure block ends at FDT_END. */
static void fdt_test_version16(struct ktest *t)
{
	memcpy(fdt_test_work, fdt_test_blob, fdt_test_blob_size);
	put_be32(fdt_test_work + 20, 16);
	put_be32(fdt_test_work + 36, 0xdeadbeef);	/* not read */
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, fdt_test_blob_size), KERN_SUCCESS);
	KTEST_EXPECT_GE(t, fdt_path_offset(fdt_test_work, "/bus00/dev"), 0);
	/* Newer versions that still read as 17 are fine; 18-only ones are not. */
	put_be32(fdt_test_work + 20, 18);
	put_be32(fdt_test_work + 36, get_be32(fdt_test_blob + 36));
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, fdt_test_blob_size), KERN_SUCCESS);
	put_be32(fdt_test_work + 24, 18);
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, fdt_test_blob_size), KERN_INVALID_ARGUMENT);
}

static void fdt_test_path(struct ktest *t)
{
	const void *fdt = fdt_test_blob;
	int root = fdt_root(fdt);
	int mem, uart;

	KTEST_ASSERT_GE(t, root, 0);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "/"), root);
	KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, root), "");

	mem = fdt_path_offset(fdt, "/memory@40000000");
	KTEST_ASSERT_GE(t, mem, 0);
	KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, mem), "memory@40000000");
	/* No unit address in the path: matches the node that has one. */
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "/memory"), mem);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "/memory@4"), -1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "/memory@400000000"), -1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "/mem"), -1);

	uart = fdt_path_offset(fdt, "/soc/uart@9001000");
	KTEST_ASSERT_GE(t, uart, 0);
	KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, uart), "uart@9001000");
	/* The first match in document order. */
	KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, fdt_path_offset(fdt, "/soc/uart")),
			   "uart@9000000");
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "//soc//uart@9001000/"), uart);
	KTEST_EXPECT_GE(t, fdt_path_offset(fdt, "/reserved-memory/fw@47000000"), 0);

	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "/chosen/nothing"), -1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "/uart@9001000"), -1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, "soc"), -1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, ""), -1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt, NULL), -1);
}

static void fdt_test_subnodes(struct ktest *t)
{
	static const char *const expect[] = {
		"chosen", "memory@40000000", "reserved-memory", "soc", "bus21",
		"nocells", "bus31", "bus00",
	};
	const void *fdt = fdt_test_blob;
	int root = fdt_root(fdt);
	int node, soc;
	unsigned int n = 0;

	for (node = fdt_first_subnode(fdt, root); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		KTEST_ASSERT_LT(t, n, ARRAY_SIZE(expect));
		KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, node), expect[n]);
		KTEST_EXPECT_EQ(t, fdt_parent(fdt, node), root);
		n++;
	}
	KTEST_EXPECT_EQ(t, n, ARRAY_SIZE(expect));

	soc = fdt_path_offset(fdt, "/soc");
	node = fdt_first_subnode(fdt, soc);
	KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, node), "uart@9000000");
	node = fdt_next_subnode(fdt, node);
	KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, node), "uart@9001000");
	KTEST_EXPECT_EQ(t, fdt_parent(fdt, node), soc);
	node = fdt_next_subnode(fdt, node);
	KTEST_EXPECT_STREQ(t, fdt_node_name(fdt, node), "timer");
	KTEST_EXPECT_EQ(t, fdt_next_subnode(fdt, node), -1);
	KTEST_EXPECT_EQ(t, fdt_first_subnode(fdt, node), -1);

	KTEST_EXPECT_EQ(t, fdt_parent(fdt, root), -1);
	KTEST_EXPECT_EQ(t, fdt_parent(fdt, fdt_path_offset(fdt, "/reserved-memory/dyn")),
			fdt_path_offset(fdt, "/reserved-memory"));
	/* Offsets that are not nodes. */
	KTEST_EXPECT_EQ(t, fdt_parent(fdt, root + 4), -1);
	KTEST_EXPECT_EQ(t, fdt_first_subnode(fdt, -1), -1);
	KTEST_EXPECT_EQ(t, fdt_next_subnode(fdt, 1 << 30), -1);
	KTEST_EXPECT_NULL(t, fdt_node_name(fdt, 2));
}

static void fdt_test_getprop(struct ktest *t)
{
	const void *fdt = fdt_test_blob;
	int root = fdt_root(fdt);
	int chosen = fdt_path_offset(fdt, "/chosen");
	int rsvmem = fdt_path_offset(fdt, "/reserved-memory");
	const char *s;
	int len = -1;

	KTEST_EXPECT_EQ(t, fdt_getprop_u32(fdt, root, "#address-cells", 99), 2u);
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(fdt, root, "#nothing", 99), 99u);
	/* Not one cell: the default. */
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(fdt, root, "model", 7), 7u);
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(fdt, chosen, "linux,initrd-end", 0),
			T_INITRD_END);

	s = fdt_getprop(fdt, root, "model", &len);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_EQ(t, len, (int)sizeof("MachLine test tree"));
	KTEST_EXPECT_STREQ(t, s, "MachLine test tree");
	KTEST_EXPECT_STREQ(t, fdt_getprop_string(fdt, chosen, "bootargs"),
			   "console=ttyS0 ktest.filter=fdt");

	/* An empty property is present, with length 0. */
	len = -1;
	KTEST_EXPECT_NOT_NULL(t, fdt_getprop(fdt, rsvmem, "ranges", &len));
	KTEST_EXPECT_EQ(t, len, 0);
	KTEST_EXPECT_NULL(t, fdt_getprop_string(fdt, rsvmem, "ranges"));

	/* A property of a subnode is not the parent's. */
	KTEST_EXPECT_NULL(t, fdt_getprop(fdt, root, "bootargs", NULL));
	KTEST_EXPECT_NULL(t, fdt_getprop(fdt, root, "nothing", NULL));
	KTEST_EXPECT_NULL(t, fdt_getprop(fdt, -1, "model", NULL));
	KTEST_EXPECT_NULL(t, fdt_getprop(fdt, root, NULL, NULL));
	/* A value with no NUL in it is no string. */
	KTEST_EXPECT_NULL(t, fdt_getprop_string(fdt, fdt_path_offset(fdt, "/nocells"),
						"compatible"));
}

static void fdt_test_compatible(struct ktest *t)
{
	const void *fdt = fdt_test_blob;
	int root = fdt_root(fdt);
	int u0 = fdt_path_offset(fdt, "/soc/uart@9000000");
	int u1 = fdt_path_offset(fdt, "/soc/uart@9001000");

	KTEST_EXPECT_TRUE(t, fdt_node_compatible(fdt, root, "machline,test"));
	/* The second string of the list matches too. */
	KTEST_EXPECT_TRUE(t, fdt_node_compatible(fdt, root, "machline,base"));
	KTEST_EXPECT_TRUE(t, fdt_node_compatible(fdt, u1, "arm,primecell"));
	KTEST_EXPECT_FALSE(t, fdt_node_compatible(fdt, root, "machline"));
	KTEST_EXPECT_FALSE(t, fdt_node_compatible(fdt, root, "machline,tes"));
	KTEST_EXPECT_FALSE(t, fdt_node_compatible(fdt, root, "machline,testx"));
	KTEST_EXPECT_FALSE(t, fdt_node_compatible(fdt, root, ""));
	/* An unterminated list matches nothing, not even its bytes. */
	KTEST_EXPECT_FALSE(t, fdt_node_compatible(fdt, fdt_path_offset(fdt, "/nocells"),
						  "abcd"));
	KTEST_EXPECT_FALSE(t, fdt_node_compatible(fdt, fdt_path_offset(fdt, "/chosen"),
						  "machline,test"));

	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, -1, "arm,pl011"), u0);
	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, u0, "arm,pl011"), u1);
	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, u1, "arm,pl011"), -1);
	/* By the second string, and the root itself. */
	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, -1, "arm,primecell"), u0);
	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, -1, "machline,base"), root);
	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, root, "machline,base"), -1);
	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, -1, "simple-bus"),
			fdt_path_offset(fdt, "/soc"));
	KTEST_EXPECT_EQ(t, fdt_find_compatible(fdt, -1, "no,such"), -1);
}

static void fdt_test_cells(struct ktest *t)
{
	const void *fdt = fdt_test_blob;
	int uart = fdt_path_offset(fdt, "/soc/uart@9000000");
	int mem = fdt_path_offset(fdt, "/memory");
	int d21 = fdt_path_offset(fdt, "/bus21/dev@1");
	int d00 = fdt_path_offset(fdt, "/nocells/dev@5");

	KTEST_EXPECT_EQ(t, fdt_addr_cells(fdt, uart), 1u);	/* 1/1 */
	KTEST_EXPECT_EQ(t, fdt_size_cells(fdt, uart), 1u);
	KTEST_EXPECT_EQ(t, fdt_addr_cells(fdt, mem), 2u);	/* 2/2 */
	KTEST_EXPECT_EQ(t, fdt_size_cells(fdt, mem), 2u);
	KTEST_EXPECT_EQ(t, fdt_addr_cells(fdt, d21), 2u);	/* 2/1 */
	KTEST_EXPECT_EQ(t, fdt_size_cells(fdt, d21), 1u);
	/* The parent says nothing: the spec's defaults, 2 and 1. */
	KTEST_EXPECT_EQ(t, fdt_addr_cells(fdt, d00), 2u);
	KTEST_EXPECT_EQ(t, fdt_size_cells(fdt, d00), 1u);
	KTEST_EXPECT_EQ(t, fdt_addr_cells(fdt, fdt_root(fdt)), 2u);
	KTEST_EXPECT_EQ(t, fdt_size_cells(fdt, fdt_root(fdt)), 1u);
}

static void fdt_test_reg(struct ktest *t)
{
	const void *fdt = fdt_test_blob;
	uint64_t a = 0, s = 0;
	int node;

	node = fdt_path_offset(fdt, "/memory");
	KTEST_ASSERT_EQ(t, fdt_get_reg(fdt, node, 0, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x40000000ull);
	KTEST_EXPECT_EQ(t, s, 0x10000000ull);
	KTEST_ASSERT_EQ(t, fdt_get_reg(fdt, node, 1, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x100000000ull);
	KTEST_EXPECT_EQ(t, s, 0x1000000ull);
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, node, 2, &a, &s), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, node, 0xffffffffu, &a, &s),
			KERN_INVALID_ARGUMENT);

	node = fdt_path_offset(fdt, "/soc/uart@9001000");
	KTEST_ASSERT_EQ(t, fdt_get_reg(fdt, node, 1, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x9002000ull);
	KTEST_EXPECT_EQ(t, s, 0x10ull);

	node = fdt_path_offset(fdt, "/bus21/dev@1");
	KTEST_ASSERT_EQ(t, fdt_get_reg(fdt, node, 0, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x100000002ull);
	KTEST_EXPECT_EQ(t, s, 0x300ull);

	node = fdt_path_offset(fdt, "/nocells/dev@5");
	KTEST_ASSERT_EQ(t, fdt_get_reg(fdt, node, 0, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x500000006ull);
	KTEST_EXPECT_EQ(t, s, 0x7ull);
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, node, 1, &a, &s), KERN_INVALID_ARGUMENT);

	/* Three address cells do not fit 64 bits; 0/0 cells describe nothing. */
	node = fdt_path_offset(fdt, "/bus31/dev");
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, node, 0, &a, &s), KERN_INVALID_ARGUMENT);
	node = fdt_path_offset(fdt, "/bus00/dev");
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, node, 0, &a, &s), KERN_INVALID_ARGUMENT);
	/* No reg at all. */
	node = fdt_path_offset(fdt, "/chosen");
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, node, 0, &a, &s), KERN_INVALID_ARGUMENT);
}

static void fdt_test_mem_rsv(struct ktest *t)
{
	const void *fdt = fdt_test_blob;
	struct fdt_writer *w;
	uint64_t a = 0, s = 0;

	KTEST_ASSERT_EQ(t, fdt_num_mem_rsv(fdt), 2u);
	KTEST_ASSERT_EQ(t, fdt_get_mem_rsv(fdt, 0, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x47f00000ull);
	KTEST_EXPECT_EQ(t, s, 0x10000ull);
	KTEST_ASSERT_EQ(t, fdt_get_mem_rsv(fdt, 1, &a, &s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, 0x4a000000ull);
	KTEST_EXPECT_EQ(t, s, 0x2000ull);
	KTEST_EXPECT_EQ(t, fdt_get_mem_rsv(fdt, 2, &a, &s), KERN_INVALID_ARGUMENT);

	/* A tree with an empty block. */
	w = fw_init();
	fw_begin(w, "");
	fw_end(w);
	KTEST_ASSERT_NE(t, fw_finish(w, fdt_test_work, sizeof(fdt_test_work)), 0u);
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, sizeof(fdt_test_work)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, fdt_num_mem_rsv(fdt_test_work), 0u);
	KTEST_EXPECT_EQ(t, fdt_get_mem_rsv(fdt_test_work, 0, &a, &s), KERN_INVALID_ARGUMENT);
}

/* ---- fdt_scan_memory ---------------------------------------------------- */

/* As an int, to compare with the enum constants (the enum is unsigned). */
static int fdt_test_type_at(const struct bootmem_map *map, phys_addr_t pa)
{
	return bootmem_type_at(map, pa);
}

static void fdt_test_scan_memory(struct ktest *t)
{
	struct bootmem_map *map = &fdt_test_map;
	phys_addr_t fdt_end = T_FDT_PHYS + fdt_test_blob_size;
	phys_addr_t reserved = 0x100000 + 0x10000 + 0x2000;
	phys_addr_t module = T_INITRD_END - T_INITRD_START;

	memset(map, 0, sizeof(*map));
	KTEST_ASSERT_EQ(t, fdt_scan_memory(fdt_test_blob, T_FDT_PHYS, map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, bootmem_finalize(map), KERN_SUCCESS);

	/* Both entries of the memory node. */
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x40000000), BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x4fffffff), BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x100000000ull), BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x100ffffffull), BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x101000000ull), 0);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x3fffffff), 0);

	/* /reserved-memory/fw (the size-only child takes nothing). */
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x47000000), BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x470fffff), BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x47100000), BOOT_MEM_USABLE);
	/* /memreserve/ */
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x47f00000), BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x47f0ffff), BOOT_MEM_RESERVED);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x4a001fff), BOOT_MEM_RESERVED);
	/* The blob itself. */
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, T_FDT_PHYS), BOOT_MEM_FDT);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, fdt_end - 1), BOOT_MEM_FDT);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, ALIGN_UP(fdt_end, 4096)), BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, T_FDT_PHYS - 1), BOOT_MEM_USABLE);
	/* The initrd from /chosen. */
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, T_INITRD_START), BOOT_MEM_MODULE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, T_INITRD_END - 1), BOOT_MEM_MODULE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, T_INITRD_END), BOOT_MEM_USABLE);

	KTEST_EXPECT_EQ(t, bootmem_total(map, BOOT_MEM_FDT), (phys_addr_t)fdt_test_blob_size);
	KTEST_EXPECT_EQ(t, bootmem_total(map, BOOT_MEM_MODULE), module);
	KTEST_EXPECT_EQ(t, bootmem_total(map, BOOT_MEM_RESERVED), reserved);
	/* The blob's partial page is lost to USABLE, which is whole pages. */
	KTEST_EXPECT_EQ(t, bootmem_total(map, BOOT_MEM_USABLE),
			0x10000000ull + 0x1000000ull - (0x100000 + 0x10000) - module - 0x1000 -
			0x2000);
}

/* 64-bit initrd cells, and a damaged blob that must leave the map alone. */
static void fdt_test_scan_memory_more(struct ktest *t)
{
	struct bootmem_map *map = &fdt_test_map;
	struct fdt_writer *w = fw_init();
	uint32_t size;

	fw_begin(w, "");
	fw_begin(w, "memory");		/* default cells 2/1 */
	fw_prop_str(w, "device_type", "memory");
	fw_cells(w, "reg", 0x0, 0x80000000, 0x40000000);
	fw_end(w);
	fw_begin(w, "memory@1");	/* a disabled node adds nothing */
	fw_prop_str(w, "device_type", "memory");
	fw_prop_str(w, "status", "disabled");
	fw_cells(w, "reg", 0x1, 0x0, 0x40000000);
	fw_end(w);
	fw_begin(w, "chosen");
	fw_cells(w, "linux,initrd-start", 0x0, 0x90000000);
	fw_cells(w, "linux,initrd-end", 0x0, 0x90400000);
	fw_end(w);
	fw_end(w);
	size = fw_finish(w, fdt_test_work, sizeof(fdt_test_work));
	KTEST_ASSERT_NE(t, size, 0u);

	memset(map, 0, sizeof(*map));
	KTEST_ASSERT_EQ(t, fdt_scan_memory(fdt_test_work, 0x80000000, map), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, bootmem_finalize(map), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x80000000), BOOT_MEM_FDT);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x90000000), BOOT_MEM_MODULE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x903fffff), BOOT_MEM_MODULE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0xbfffffff), BOOT_MEM_USABLE);
	KTEST_EXPECT_EQ(t, fdt_test_type_at(map, 0x100000000ull), 0);
	KTEST_EXPECT_EQ(t, bootmem_total(map, BOOT_MEM_MODULE), 0x400000ull);

	/* Damaged: nothing is added. */
	fdt_test_work[0] ^= 0xff;
	memset(map, 0, sizeof(*map));
	KTEST_EXPECT_EQ(t, fdt_scan_memory(fdt_test_work, 0x80000000, map),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, map->nr, 0u);
}

/* A full map: the first error comes back, but the scan goes on. */
static void fdt_test_scan_memory_full(struct ktest *t)
{
	struct bootmem_map *map = &fdt_test_map;
	unsigned int i;

	memset(map, 0, sizeof(*map));
	for (i = 0; i < BOOTMEM_MAX_REGIONS - 2; i++)
		KTEST_ASSERT_EQ(t, bootmem_add(map, 0x1000000000ull + i * 0x10000ull,
					       0x1000, BOOT_MEM_RESERVED), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, fdt_scan_memory(fdt_test_blob, T_FDT_PHYS, map),
			KERN_RESOURCE_SHORTAGE);
	KTEST_EXPECT_EQ(t, map->nr, (unsigned int)BOOTMEM_MAX_REGIONS);
}

/* ---- damaged blobs ------------------------------------------------------ */

static void fdt_test_bad_magic(struct ktest *t)
{
	memcpy(fdt_test_work, fdt_test_blob, fdt_test_blob_size);
	put_be32(fdt_test_work, 0xd00dfeee);
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, fdt_test_blob_size), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, fdt_root(fdt_test_work), -1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(fdt_test_work, "/chosen"), -1);
	KTEST_EXPECT_EQ(t, fdt_num_mem_rsv(fdt_test_work), 0u);
	KTEST_EXPECT_EQ(t, fdt_check(NULL, 4096), KERN_INVALID_ARGUMENT);
}

/*
 * Every prefix of a valid blob: fdt_check(blob, len) must refuse it, and so
 * must a copy whose totalsize claims only those len bytes (the rest of the
 * buffer is filled with junk that an unbounded reader would wander into).
 */
static void fdt_test_truncated(struct ktest *t)
{
	uint32_t len, bad_copies = 0;

	for (len = 0; len < fdt_test_blob_size; len++) {
		KTEST_EXPECT_EQ(t, fdt_check(fdt_test_blob, len), KERN_INVALID_ARGUMENT);
		if (len < FW_HDR_SIZE)
			continue;
		memset(fdt_test_work, 0x01, sizeof(fdt_test_work));
		memcpy(fdt_test_work, fdt_test_blob, len);
		put_be32(fdt_test_work + 4, len);
		if (fdt_check(fdt_test_work, len) == KERN_SUCCESS)
			bad_copies++;
		fdt_test_poke_work();
	}
	KTEST_EXPECT_EQ(t, bad_copies, 0u);
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_blob, fdt_test_blob_size), KERN_SUCCESS);
}

/* One header field set to a bad value. */
struct fdt_test_hdr_case {
	const char	*desc;
	uint32_t	field;		/* byte offset in the header */
	uint32_t	value;		/* absolute, or added to the blob size */
	bool		rel_size;
};

static const struct fdt_test_hdr_case fdt_test_hdr_cases[] = {
	{ "totalsize past maxsize",	4,  1, true },
	{ "totalsize below header",	4,  39, false },
	{ "totalsize huge",		4,  0xffffffff, false },
	{ "struct offset at end",	8,  0, true },
	{ "struct offset past end",	8,  0x7ffffff0, false },
	{ "struct offset unaligned",	8,  FW_HDR_SIZE + 3 * 16 + 2, false },
	{ "struct offset in header",	8,  8, false },
	{ "strings offset past end",	12, 4, true },
	{ "strings offset wraps",	12, 0xfffffff0, false },
	{ "rsvmap offset past end",	16, 8, true },
	{ "rsvmap offset unaligned",	16, FW_HDR_SIZE + 4, false },
	{ "rsvmap offset no terminator", 16, 0, true },
	{ "version 15",			20, 15, false },
	{ "last_comp_version 18",	24, 18, false },
	{ "strings size past end",	32, 1, true },
	{ "strings size huge",		32, 0xfffffffc, false },
	{ "struct size past end",	36, 0, true },
	{ "struct size wraps",		36, 0xffffffff, false },
	{ "struct size cuts FDT_END",	36, 0, false },
};

static void fdt_test_hdr_desc(const struct fdt_test_hdr_case *c, char *desc)
{
	strlcpy(desc, c->desc, KTEST_PARAM_DESC_SIZE);
}

KTEST_ARRAY_PARAM(fdt_test_hdr, fdt_test_hdr_cases, fdt_test_hdr_desc);

static void fdt_test_bad_header(struct ktest *t)
{
	const struct fdt_test_hdr_case *c = t->param_value;
	uint32_t v = c->value;

	memset(fdt_test_work, 0, sizeof(fdt_test_work));
	memcpy(fdt_test_work, fdt_test_blob, fdt_test_blob_size);
	if (c->rel_size)
		v += fdt_test_blob_size;
	if (c->field == 36 && v == 0)	/* size_dt_struct one token short */
		v = get_be32(fdt_test_work + 36) - 4;
	if (c->field == 16 && c->rel_size && c->value == 0)
		v = ALIGN_DOWN(fdt_test_blob_size - 8, 8u);	/* no 0/0 entry fits */
	put_be32(fdt_test_work + c->field, v);

	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, fdt_test_blob_size), KERN_INVALID_ARGUMENT);
	fdt_test_poke_work();
}

/* Trees whose structure block is wrong in one way. */
enum fdt_test_bad_tree {
	BAD_NAMEOFF,		/* a property name offset outside the strings */
	BAD_NAME_UNTERMINATED_STR, /* its name not NUL-terminated in the block */
	BAD_NO_END,		/* no FDT_END */
	BAD_EXTRA_END_NODE,	/* one END_NODE too many */
	BAD_MISSING_END_NODE,	/* FDT_END inside a node */
	BAD_NODE_NAME,		/* a node name running off the block */
	BAD_TOO_DEEP,		/* nesting deeper than 32 */
	BAD_PROP_AFTER_NODE,	/* a property after a subnode */
	BAD_TWO_ROOTS,
	BAD_TOKEN,		/* an unknown token */
	BAD_PROP_LEN,		/* a value running off the block */
	BAD_PROP_AT_TOP,	/* a property outside any node */
};

struct fdt_test_tree_case {
	const char		*desc;
	enum fdt_test_bad_tree	what;
};

static const struct fdt_test_tree_case fdt_test_tree_cases[] = {
	{ "property name offset outside strings", BAD_NAMEOFF },
	{ "property name unterminated in strings", BAD_NAME_UNTERMINATED_STR },
	{ "missing FDT_END", BAD_NO_END },
	{ "unbalanced FDT_END_NODE", BAD_EXTRA_END_NODE },
	{ "FDT_END inside a node", BAD_MISSING_END_NODE },
	{ "unterminated node name", BAD_NODE_NAME },
	{ "nesting too deep", BAD_TOO_DEEP },
	{ "property after subnode", BAD_PROP_AFTER_NODE },
	{ "two roots", BAD_TWO_ROOTS },
	{ "unknown token", BAD_TOKEN },
	{ "property value past block", BAD_PROP_LEN },
	{ "property outside a node", BAD_PROP_AT_TOP },
};

static void fdt_test_tree_desc(const struct fdt_test_tree_case *c, char *desc)
{
	strlcpy(desc, c->desc, KTEST_PARAM_DESC_SIZE);
}

KTEST_ARRAY_PARAM(fdt_test_tree, fdt_test_tree_cases, fdt_test_tree_desc);

static void fdt_test_write_bad(struct fdt_writer *w, enum fdt_test_bad_tree what)
{
	static const char name[] = "abcdefgh";	/* no NUL written */
	unsigned int i;

	if (what == BAD_PROP_AT_TOP)
		fw_prop_str(w, "top", "x");
	fw_begin(w, "");
	fw_prop_str(w, "compatible", "machline,bad");
	fw_begin(w, "a");
	fw_cells(w, "reg", 1, 2, 3);
	switch (what) {
	case BAD_NAMEOFF:
		fw_prop_raw(w, 0x1000, "x", 2);
		break;
	case BAD_NAME_UNTERMINATED_STR:
		break;		/* done on the finished blob */
	case BAD_TOO_DEEP:
		for (i = 0; i < 40; i++)
			fw_begin(w, "deeper");
		for (i = 0; i < 40; i++)
			fw_end(w);
		break;
	case BAD_PROP_AFTER_NODE:
		fw_begin(w, "b");
		fw_end(w);
		fw_prop_str(w, "late", "x");
		break;
	case BAD_TOKEN:
		fw_u32(w, 0x5);
		break;
	case BAD_PROP_LEN:
		fw_u32(w, 3);
		fw_u32(w, 0x100);
		fw_u32(w, 0);
		break;
	default:
		break;
	}
	fw_end(w);			/* a */
	if (what == BAD_NODE_NAME) {
		/* The last thing in the block; the strings follow it. */
		w->no_end = true;
		fw_u32(w, 1);
		fw_raw(w, name, sizeof(name) - 1);
		return;
	}
	if (what == BAD_MISSING_END_NODE)
		return;
	fw_end(w);			/* / */
	if (what == BAD_EXTRA_END_NODE)
		fw_end(w);
	if (what == BAD_TWO_ROOTS) {
		fw_begin(w, "");
		fw_end(w);
	}
	if (what == BAD_NO_END)
		w->no_end = true;
}

static void fdt_test_bad_tree(struct ktest *t)
{
	const struct fdt_test_tree_case *c = t->param_value;
	struct fdt_writer *w = fw_init();
	uint32_t size;

	memset(fdt_test_work, 'x', sizeof(fdt_test_work));
	fdt_test_write_bad(w, c->what);
	size = fw_finish(w, fdt_test_work, sizeof(fdt_test_work));
	KTEST_ASSERT_NE(t, size, 0u);
	if (c->what == BAD_NAME_UNTERMINATED_STR) {
		/* Cut the strings block before the last name's NUL ("reg"). */
		put_be32(fdt_test_work + 32, w->str_len - 1);
	}
	KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, size), KERN_INVALID_ARGUMENT);
	fdt_test_poke_work();
}

/* The deepest nesting that is accepted, and one more level. */
static void fdt_test_depth_limit(struct ktest *t)
{
	struct fdt_writer *w;
	unsigned int i, levels;
	uint32_t size;
	char path[2 * 32 + 1];
	int node;

	for (levels = 32; levels <= 33; levels++) {
		w = fw_init();
		for (i = 0; i < levels; i++)
			fw_begin(w, i ? "n" : "");
		for (i = 0; i < levels; i++)
			fw_end(w);
		size = fw_finish(w, fdt_test_work, sizeof(fdt_test_work));
		KTEST_ASSERT_NE(t, size, 0u);
		KTEST_EXPECT_EQ(t, fdt_check(fdt_test_work, size),
				levels <= 32 ? KERN_SUCCESS : KERN_INVALID_ARGUMENT);
		fdt_test_poke_work();
		if (levels > 32)
			continue;
		/* The accepted one can be walked down to the bottom and back. */
		for (i = 0; i < levels - 1; i++)
			memcpy(path + 2 * i, "/n", 2);
		path[2 * i] = '\0';
		node = fdt_path_offset(fdt_test_work, path);
		KTEST_EXPECT_GE(t, node, 0);
		for (i = 0; i < levels - 1 && node >= 0; i++)
			node = fdt_parent(fdt_test_work, node);
		KTEST_EXPECT_EQ(t, node, fdt_root(fdt_test_work));
	}
}

/*
 * Random damage: flip bytes of a valid blob, mostly in the header and the
 * structure block, then run the check and every accessor. Nothing may
 * fault or hang; a blob that still passes the check must still walk.
 */
static uint32_t fdt_test_rand_state;

static uint32_t fdt_test_rand(void)
{
	uint32_t x = fdt_test_rand_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return fdt_test_rand_state = x;
}

#define FDT_TEST_MUTATIONS	1000u

static void fdt_test_mutations(struct ktest *t)
{
	uint32_t i, j, n, pos, rejected = 0;

	fdt_test_rand_state = 0x2545f491;
	for (i = 0; i < FDT_TEST_MUTATIONS; i++) {
		memcpy(fdt_test_work, fdt_test_blob, fdt_test_blob_size);
		memset(fdt_test_work + fdt_test_blob_size, 0xa5,
		       sizeof(fdt_test_work) - fdt_test_blob_size);
		n = 1 + fdt_test_rand() % 4;
		for (j = 0; j < n; j++) {
			pos = fdt_test_rand() % 4 == 0 ? fdt_test_rand() % FW_HDR_SIZE
						      : fdt_test_rand() % fdt_test_blob_size;
			if (fdt_test_rand() & 1)
				fdt_test_work[pos] ^= 1u << (fdt_test_rand() % 8);
			else
				fdt_test_work[pos] = fdt_test_rand();
		}
		if (fdt_check(fdt_test_work, fdt_test_blob_size) != KERN_SUCCESS) {
			rejected++;
		} else {
			KTEST_EXPECT_GT(t, fdt_test_poke(fdt_test_work), 0u);
			memset(&fdt_test_map, 0, sizeof(fdt_test_map));
			(void)fdt_scan_memory(fdt_test_work, T_FDT_PHYS, &fdt_test_map);
		}
		fdt_test_poke_work();
	}
	/* Most damage is noticed (a flip inside a value is not damage). */
	KTEST_EXPECT_GT(t, rejected, FDT_TEST_MUTATIONS / 4);
}

/* ---- the tree this board booted with ----------------------------------- */

static void fdt_test_live_tree(struct ktest *t)
{
	const void *fdt = boot_info.fdt;
	const char *type;
	int node, memory = -1;

	if (!fdt)
		ktest_skip(t, "no device tree from the bootloader");

	KTEST_ASSERT_EQ(t, fdt_check(fdt, fdt_totalsize(fdt)), KERN_SUCCESS);
	if (boot_info.fdt_size)
		KTEST_EXPECT_EQ(t, fdt_check(fdt, boot_info.fdt_size), KERN_SUCCESS);
	KTEST_EXPECT_NOT_NULL(t, fdt_getprop_string(fdt, fdt_root(fdt), "compatible"));
	KTEST_EXPECT_GE(t, fdt_path_offset(fdt, "/chosen"), 0);

	for (node = fdt_first_subnode(fdt, fdt_root(fdt)); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		type = fdt_getprop_string(fdt, node, "device_type");
		if (type && strcmp(type, "memory") == 0) {
			memory = node;
			break;
		}
	}
	KTEST_ASSERT_GE(t, memory, 0);
	KTEST_EXPECT_EQ(t, fdt_get_reg(fdt, memory, 0, NULL, NULL), KERN_SUCCESS);
	KTEST_EXPECT_GT(t, fdt_test_poke(fdt), 1u);
}

static struct ktest_case fdt_test_cases[] = {
	KTEST_CASE(fdt_test_check_valid),
	KTEST_CASE(fdt_test_unaligned),
	KTEST_CASE(fdt_test_version16),
	KTEST_CASE(fdt_test_path),
	KTEST_CASE(fdt_test_subnodes),
	KTEST_CASE(fdt_test_getprop),
	KTEST_CASE(fdt_test_compatible),
	KTEST_CASE(fdt_test_cells),
	KTEST_CASE(fdt_test_reg),
	KTEST_CASE(fdt_test_mem_rsv),
	KTEST_CASE(fdt_test_scan_memory),
	KTEST_CASE(fdt_test_scan_memory_more),
	KTEST_CASE(fdt_test_scan_memory_full),
	KTEST_CASE(fdt_test_bad_magic),
	KTEST_CASE(fdt_test_truncated),
	KTEST_CASE_PARAM(fdt_test_bad_header, fdt_test_hdr_gen_params),
	KTEST_CASE_PARAM(fdt_test_bad_tree, fdt_test_tree_gen_params),
	KTEST_CASE(fdt_test_depth_limit),
	KTEST_CASE(fdt_test_mutations),
	KTEST_CASE(fdt_test_live_tree),
	{}
};

static struct ktest_suite fdt_test_suite = {
	.name = "fdt",
	.init = fdt_test_init,
	.test_cases = fdt_test_cases,
};
KTEST_SUITE(fdt_test_suite);
