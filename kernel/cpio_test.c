// SPDX-License-Identifier: MIT
/*
 * The cpio suite: newc archives written here byte by byte, then read back
 * (members, names, padding at every alignment of the archive), and broken
 * on purpose (bad magic, non-hex fields, bad names, every truncation):
 * the reader must refuse each with KERN_INVALID_ARGUMENT and never read
 * past the end. Last, the live RAM disk if the bootloader gave one.
 */
#include <kern/cpio.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <mach/bootstrap_abi.h>
#include <ktest.h>

#define CT_BUF_SIZE	2048

struct cpio_writer {
	char	*buf;
	size_t	len;
};

static char ct_buf[CT_BUF_SIZE + 8];
static char ct_copy[CT_BUF_SIZE + 8];

static void ct_pad4(struct cpio_writer *w)
{
	while (w->len & 3)
		w->buf[w->len++] = '\0';
}

/* One member, with namesize = strlen(name) + 1 unless namesize is given. */
static void ct_member(struct cpio_writer *w, const char *name, uint32_t namesize,
		      const void *data, uint32_t size, uint32_t mode)
{
	size_t nlen = strlen(name);

	if (!namesize)
		namesize = (uint32_t)nlen + 1;
	w->len += (size_t)snprintf(w->buf + w->len, CPIO_HEADER_SIZE + 1,
				   "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
				   1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(w->buf + w->len, name, nlen + 1);
	w->len += namesize;
	ct_pad4(w);
	memcpy(w->buf + w->len, data, size);
	w->len += size;
	ct_pad4(w);
}

static void ct_trailer(struct cpio_writer *w)
{
	ct_member(w, "TRAILER!!!", 0, NULL, 0, 0);
}

/* The standard archive: three files and a directory. */
static size_t ct_build(char *buf)
{
	struct cpio_writer w = { .buf = buf, .len = 0 };

	memset(buf, 0, CT_BUF_SIZE);
	ct_member(&w, "sbin", 0, NULL, 0, CPIO_MODE_DIR | 0755);
	ct_member(&w, "sbin/bootstrap", 0, "\177ELF-bootstrap", 14, CPIO_MODE_REG | 0755);
	ct_member(&w, "./bin/a", 0, "x", 1, CPIO_MODE_REG | 0644);
	ct_member(&w, "empty", 0, NULL, 0, CPIO_MODE_REG | 0644);
	ct_trailer(&w);
	return w.len;
}

static void cpio_test_good(struct ktest *t)
{
	size_t len = ct_build(ct_buf), off = 0;
	struct cpio_file f;
	unsigned int n;

	KTEST_ASSERT_EQ(t, cpio_check(ct_buf, len, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, 4u);
	KTEST_ASSERT_EQ(t, cpio_next(ct_buf, len, &off, &f), KERN_SUCCESS);
	KTEST_EXPECT_STREQ(t, f.name, "sbin");
	KTEST_EXPECT_EQ(t, f.mode & CPIO_MODE_TYPE, (uint32_t)CPIO_MODE_DIR);
	KTEST_EXPECT_EQ(t, off % 4, 0ul);

	KTEST_ASSERT_EQ(t, cpio_lookup(ct_buf, len, BOOTSTRAP_DEFAULT_PATH, &f), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, f.size, 14ul);
	KTEST_EXPECT_MEMEQ(t, f.data, "\177ELF-bootstrap", 14);
	KTEST_EXPECT_EQ(t, f.mode, (uint32_t)(CPIO_MODE_REG | 0755));
	KTEST_EXPECT_EQ(t, ((const char *)f.data - ct_buf) % 4, 0l);
	KTEST_ASSERT_EQ(t, cpio_lookup(ct_buf, len, "empty", &f), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, f.size, 0ul);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "missing", &f), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "TRAILER!!!", &f), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, NULL, &f), KERN_INVALID_ARGUMENT);
}

/* "./x", "/x" and "x" are one name; "sbin/bootstrap" is not "bootstrap". */
static void cpio_test_names(struct ktest *t)
{
	size_t len = ct_build(ct_buf);
	struct cpio_file f;

	KTEST_ASSERT_EQ(t, cpio_lookup(ct_buf, len, "bin/a", &f), KERN_SUCCESS);
	KTEST_EXPECT_MEMEQ(t, f.data, "x", 1);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "/bin/a", &f), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "./sbin/bootstrap", &f), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "sbin/bootstrap", &f), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "bootstrap", &f), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "sbin/bootstrap/", &f), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "sbin/bootstra", &f), KERN_INVALID_NAME);
}

static void cpio_test_bad_magic(struct ktest *t)
{
	size_t len = ct_build(ct_buf);
	struct cpio_file f;
	size_t off = 0;

	ct_buf[5] = '7';		/* "070707": the old ASCII format */
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, len, NULL), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "sbin", &f), KERN_INVALID_ARGUMENT);
	ct_buf[5] = '2';		/* "070702": newc with checksums is fine */
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, len, NULL), KERN_SUCCESS);
	ct_buf[0] = 'x';
	KTEST_EXPECT_EQ(t, cpio_next(ct_buf, len, &off, &f), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, off, 0ul);
	KTEST_EXPECT_EQ(t, cpio_check(NULL, len, NULL), KERN_INVALID_ARGUMENT);
	/* A bad header in the middle stops the walk there. */
	len = ct_build(ct_buf);
	off = 0;
	KTEST_ASSERT_EQ(t, cpio_next(ct_buf, len, &off, &f), KERN_SUCCESS);
	ct_buf[off + 3] = '8';
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, len, NULL), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, len, "empty", &f), KERN_INVALID_ARGUMENT);
	/* A field that is not hexadecimal (filesize of the first member). */
	len = ct_build(ct_buf);
	ct_buf[6 + 6 * 8 + 7] = 'g';
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, len, NULL), KERN_INVALID_ARGUMENT);
	len = ct_build(ct_buf);
	ct_buf[6 + 11 * 8] = ' ';	/* namesize */
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, len, NULL), KERN_INVALID_ARGUMENT);
}

/* Names that lie about their size, are empty, or are too long. */
static void cpio_test_bad_names(struct ktest *t)
{
	static char longname[CPIO_NAME_MAX + 8];
	struct cpio_writer w = { .buf = ct_buf };
	struct cpio_file f;
	size_t off;

	memset(ct_buf, 0, CT_BUF_SIZE);
	ct_member(&w, "abc", 3, "d", 1, CPIO_MODE_REG);	/* no NUL in namesize */
	ct_trailer(&w);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, w.len, NULL), KERN_INVALID_ARGUMENT);

	memset(ct_buf, 0, CT_BUF_SIZE);
	w.len = 0;
	ct_member(&w, "ab", 6, "d", 1, CPIO_MODE_REG);	/* a NUL before the end */
	ct_trailer(&w);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, w.len, NULL), KERN_INVALID_ARGUMENT);

	memset(ct_buf, 0, CT_BUF_SIZE);
	w.len = 0;
	ct_member(&w, "", 0, NULL, 0, CPIO_MODE_REG);	/* empty */
	ct_trailer(&w);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, w.len, NULL), KERN_INVALID_ARGUMENT);

	memset(longname, 'n', CPIO_NAME_MAX);
	longname[CPIO_NAME_MAX] = '\0';			/* namesize CPIO_NAME_MAX + 1 */
	memset(ct_buf, 0, CT_BUF_SIZE);
	w.len = 0;
	ct_member(&w, longname, 0, NULL, 0, CPIO_MODE_REG);
	ct_trailer(&w);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, w.len, NULL), KERN_INVALID_ARGUMENT);
	longname[CPIO_NAME_MAX - 1] = '\0';		/* the longest accepted */
	memset(ct_buf, 0, CT_BUF_SIZE);
	w.len = 0;
	ct_member(&w, longname, 0, "z", 1, CPIO_MODE_REG);
	ct_trailer(&w);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, w.len, NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cpio_lookup(ct_buf, w.len, longname, &f), KERN_SUCCESS);

	/* A namesize far beyond the archive. */
	memset(ct_buf, 0, CT_BUF_SIZE);
	w.len = 0;
	ct_member(&w, "a", 0, NULL, 0, CPIO_MODE_REG);
	memcpy(ct_buf + 6 + 11 * 8, "ffffffff", 8);
	off = 0;
	KTEST_EXPECT_EQ(t, cpio_next(ct_buf, w.len, &off, &f), KERN_INVALID_ARGUMENT);
}

/*
 * Every cut of the archive short of its trailer is refused; the reader
 * sees only the first len bytes (the copy's tail is poisoned so that a
 * read past the end would find a valid-looking header and pass).
 */
static void cpio_test_truncated(struct ktest *t)
{
	size_t len = ct_build(ct_buf), cut, trailer_end = len;
	unsigned int bad = 0;

	/* The trailer's padding may be missing: cuts from there on still pass. */
	trailer_end = len - ((CPIO_HEADER_SIZE + sizeof("TRAILER!!!")) & 3 ?
			     4 - ((CPIO_HEADER_SIZE + sizeof("TRAILER!!!")) & 3) : 0);
	for (cut = 0; cut < trailer_end; cut++) {
		memcpy(ct_copy, ct_buf, len);
		memcpy(ct_copy + cut, ct_buf, len - cut < CPIO_HEADER_SIZE ?
		       len - cut : CPIO_HEADER_SIZE);
		if (cpio_check(ct_copy, cut, NULL) != KERN_INVALID_ARGUMENT)
			bad++;
	}
	KTEST_EXPECT_EQ(t, bad, 0u);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, trailer_end, NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, len, NULL), KERN_SUCCESS);
	/* A filesize that claims more than is there. */
	len = ct_build(ct_buf);
	memcpy(ct_buf + 6 + 6 * 8, "00100000", 8);
	KTEST_EXPECT_EQ(t, cpio_check(ct_buf, len, NULL), KERN_INVALID_ARGUMENT);
}

/* The archive at every byte alignment, and data of every length mod 4. */
static void cpio_test_alignment(struct ktest *t)
{
	static const char data[] = "0123456";
	struct cpio_writer w = { .buf = ct_copy };
	unsigned int shift, i;
	struct cpio_file f;
	char name[8];

	memset(ct_copy, 0, CT_BUF_SIZE);
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		ct_member(&w, name, 0, data, i, CPIO_MODE_REG);
		KTEST_ASSERT_EQ(t, w.len % 4, 0ul);
	}
	ct_trailer(&w);
	for (shift = 0; shift < 4; shift++) {
		const char *a = ct_buf + shift;

		memmove(ct_buf + shift, ct_copy, w.len);
		KTEST_EXPECT_EQ(t, cpio_check(a, w.len, NULL), KERN_SUCCESS);
		for (i = 0; i < 7; i++) {
			snprintf(name, sizeof(name), "f%u", i);
			KTEST_ASSERT_EQ(t, cpio_lookup(a, w.len, name, &f), KERN_SUCCESS);
			KTEST_EXPECT_EQ(t, f.size, (size_t)i);
			KTEST_EXPECT_MEMEQ(t, f.data, data, i);
			KTEST_EXPECT_EQ(t, ((const char *)f.data - a) % 4, 0l);
		}
	}
}

/* The live RAM disk, when there is one: well formed, with the bootstrap. */
static void cpio_test_ramdisk(struct ktest *t)
{
	const void *a;
	struct cpio_file f;
	size_t size;

	if (!ramdisk_get(&a, &size))
		ktest_skip(t, "no RAM disk");
	KTEST_EXPECT_EQ(t, cpio_check(a, size, NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ramdisk_lookup(BOOTSTRAP_DEFAULT_PATH, &f), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ramdisk_lookup("/no/such/file", &f), KERN_INVALID_NAME);
}

static struct ktest_case cpio_test_cases[] = {
	KTEST_CASE(cpio_test_good),
	KTEST_CASE(cpio_test_names),
	KTEST_CASE(cpio_test_bad_magic),
	KTEST_CASE(cpio_test_bad_names),
	KTEST_CASE(cpio_test_truncated),
	KTEST_CASE(cpio_test_alignment),
	KTEST_CASE(cpio_test_ramdisk),
	{}
};

static struct ktest_suite cpio_test_suite = {
	.name = "cpio",
	.test_cases = cpio_test_cases,
};
KTEST_SUITE(cpio_test_suite);
