// SPDX-License-Identifier: MIT
/*
 * Tests of printk: vsnprintf conversions against what C99 says (the
 * expected strings are what glibc prints), truncation, %p and %pS, and how
 * printk treats log levels (through a capture console).
 */
#include <kern/console.h>
#include <kern/kallsyms.h>
#include <kern/printk.h>
#include <ktest.h>

/* The table passes formats as data: that is the point of the table. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

enum printk_test_arg {
	ARG_INT, ARG_UINT, ARG_LONG, ARG_ULONG, ARG_LLONG, ARG_ULLONG,
	ARG_SIZE, ARG_SSIZE, ARG_PTRDIFF, ARG_INTMAX, ARG_STR, ARG_PTR,
	ARG_STAR_INT, ARG_STAR_STR, ARG_NONE,
};

struct printk_test_format {
	const char		*fmt;
	enum printk_test_arg	arg;
	long long		v;	/* the number (or width for the * kinds) */
	long long		v2;	/* the number after a '*' */
	const char		*s;
	const char		*expect;
};

#define FMT_INT(f, x, e)	{ .fmt = f, .arg = ARG_INT, .v = (x), .expect = e }
#define FMT(f, k, x, e)		{ .fmt = f, .arg = k, .v = (long long)(x), .expect = e }
#define FMT_STR(f, str, e)	{ .fmt = f, .arg = ARG_STR, .s = str, .expect = e }

static const struct printk_test_format printk_test_formats[] = {
	FMT_INT("%d", 0, "0"),
	FMT_INT("%d", -1, "-1"),
	FMT_INT("%d", -2147483647 - 1, "-2147483648"),
	FMT_INT("%d", 2147483647, "2147483647"),
	FMT_INT("%i", 42, "42"),
	FMT_INT("%5d", 42, "   42"),
	FMT_INT("%-5d|", 42, "42   |"),
	FMT_INT("%05d", 42, "00042"),
	FMT_INT("%05d", -42, "-0042"),
	FMT_INT("%+d", 5, "+5"),
	FMT_INT("% d", 5, " 5"),
	FMT_INT("%+d", -5, "-5"),
	FMT_INT("%+05d", 42, "+0042"),
	FMT_INT("%-+5d|", 42, "+42  |"),
	FMT_INT("%.3d", 7, "007"),
	FMT_INT("%.0d", 0, ""),
	FMT_INT("%5.3d", 7, "  007"),
	FMT_INT("%05.3d", 7, "  007"),
	FMT_INT("%-5.3d|", -7, "-007 |"),
	FMT( "%u", ARG_UINT, 4000000000u, "4000000000"),
	FMT(" %x", ARG_UINT, 255, " ff"),
	FMT("%X", ARG_UINT, 255, "FF"),
	FMT("%#x", ARG_UINT, 255, "0xff"),
	FMT("%#X", ARG_UINT, 255, "0XFF"),
	FMT("%#x", ARG_UINT, 0, "0"),
	FMT("%o", ARG_UINT, 8, "10"),
	FMT("%#o", ARG_UINT, 8, "010"),
	FMT("%#o", ARG_UINT, 0, "0"),
	FMT("%#08x", ARG_UINT, 0xab, "0x0000ab"),
	FMT("%-#8x|", ARG_UINT, 0xab, "0xab    |"),
	FMT("%08.3x", ARG_UINT, 0xab, "     0ab"),
	FMT("%.0x", ARG_UINT, 0, ""),
	FMT_INT("%hhd", 300, "44"),
	FMT_INT("%hhd", 200, "-56"),
	FMT("%hhu", ARG_UINT, 300, "44"),
	FMT_INT("%hd", 70000, "4464"),
	FMT_INT("%hd", 40000, "-25536"),
	FMT("%hu", ARG_UINT, 70000, "4464"),
	FMT("%ld", ARG_LONG, -9223372036854775807LL - 1, "-9223372036854775808"),
	FMT("%lu", ARG_ULONG, ~0UL, "18446744073709551615"),
	FMT("%lx", ARG_ULONG, ~0UL, "ffffffffffffffff"),
	FMT("%lld", ARG_LLONG, -9223372036854775807LL - 1, "-9223372036854775808"),
	FMT("%llx", ARG_ULLONG, 0x123456789abcdefULL, "123456789abcdef"),
	FMT("%llu", ARG_ULLONG, ~0ULL, "18446744073709551615"),
	FMT("%zu", ARG_SIZE, 123, "123"),
	FMT("%zx", ARG_SIZE, 0x1000, "1000"),
	FMT("%zd", ARG_SSIZE, -5, "-5"),
	FMT("%td", ARG_PTRDIFF, -7, "-7"),
	FMT("%jd", ARG_INTMAX, -9, "-9"),
	FMT_INT("%c", 'a', "a"),
	FMT_INT("%3c", 'x', "  x"),
	FMT_INT("%-3c|", 'x', "x  |"),
	FMT_STR("%s", "hello", "hello"),
	FMT_STR("%10s", "hi", "        hi"),
	FMT_STR("%-10s|", "hi", "hi        |"),
	FMT_STR("%.2s", "hello", "he"),
	FMT_STR("%10.2s", "hello", "        he"),
	FMT_STR("%s", NULL, "(null)"),
	FMT_STR("[%s]", "", "[]"),
	{ .fmt = "%%", .arg = ARG_NONE, .expect = "%" },
	{ .fmt = "a%%b%%", .arg = ARG_NONE, .expect = "a%b%" },
	{ .fmt = "plain text", .arg = ARG_NONE, .expect = "plain text" },
	{ .fmt = "%*d", .arg = ARG_STAR_INT, .v = 5, .v2 = 1, .expect = "    1" },
	{ .fmt = "%-*d|", .arg = ARG_STAR_INT, .v = 5, .v2 = 2, .expect = "2    |" },
	{ .fmt = "%*d|", .arg = ARG_STAR_INT, .v = -5, .v2 = 3, .expect = "3    |" },
	{ .fmt = "%.*d", .arg = ARG_STAR_INT, .v = 3, .v2 = 4, .expect = "004" },
	{ .fmt = "%.*d", .arg = ARG_STAR_INT, .v = -1, .v2 = 5, .expect = "5" },
	{ .fmt = "%.*s", .arg = ARG_STAR_STR, .v = 3, .s = "abcdef", .expect = "abc" },
	FMT("%p", ARG_PTR, 0, "0x0000000000000000"),
	FMT("%p", ARG_PTR, 0xffffffff80001234UL, "0xffffffff80001234"),
	FMT("%20p|", ARG_PTR, 0x1234, "  0x0000000000001234|"),
};

static int printk_test_format_one(const struct printk_test_format *f, char *buf, size_t size)
{
	switch (f->arg) {
	case ARG_INT:	  return snprintf(buf, size, f->fmt, (int)f->v);
	case ARG_UINT:	  return snprintf(buf, size, f->fmt, (unsigned int)f->v);
	case ARG_LONG:	  return snprintf(buf, size, f->fmt, (long)f->v);
	case ARG_ULONG:	  return snprintf(buf, size, f->fmt, (unsigned long)f->v);
	case ARG_LLONG:	  return snprintf(buf, size, f->fmt, f->v);
	case ARG_ULLONG:  return snprintf(buf, size, f->fmt, (unsigned long long)f->v);
	case ARG_SIZE:	  return snprintf(buf, size, f->fmt, (size_t)f->v);
	case ARG_SSIZE:	  return snprintf(buf, size, f->fmt, (ssize_t)f->v);
	case ARG_PTRDIFF: return snprintf(buf, size, f->fmt, (ptrdiff_t)f->v);
	case ARG_INTMAX:  return snprintf(buf, size, f->fmt, (intmax_t)f->v);
	case ARG_STR:	  return snprintf(buf, size, f->fmt, f->s);
	case ARG_PTR:	  return snprintf(buf, size, f->fmt, (void *)(unsigned long)f->v);
	case ARG_STAR_INT: return snprintf(buf, size, f->fmt, (int)f->v, (int)f->v2);
	case ARG_STAR_STR: return snprintf(buf, size, f->fmt, (int)f->v, f->s);
	case ARG_NONE:	  return snprintf(buf, size, f->fmt, 0);
	}
	return -1;
}

static void printk_test_format_desc(const void *p, char *desc)
{
	const struct printk_test_format *f = p;

	snprintf(desc, KTEST_PARAM_DESC_SIZE, "\"%s\" gives \"%s\"", f->fmt, f->expect);
}

KTEST_ARRAY_PARAM(printk_test_format, printk_test_formats, printk_test_format_desc);

static void printk_test_vsnprintf(struct ktest *t)
{
	const struct printk_test_format *f = t->param_value;
	char buf[64];
	int n;

	n = printk_test_format_one(f, buf, sizeof(buf));
	KTEST_EXPECT_STREQ(t, buf, f->expect);
	KTEST_EXPECT_EQ(t, n, (int)strlen(f->expect));
}

static void printk_test_truncation(struct ktest *t)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	KTEST_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%s", "hello world"), 11);
	KTEST_EXPECT_STREQ(t, buf, "hello w");

	/* Exactly full: 7 characters and the NUL. */
	KTEST_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%d", 1234567), 7);
	KTEST_EXPECT_STREQ(t, buf, "1234567");

	/* Truncated inside a padded number. */
	KTEST_EXPECT_EQ(t, snprintf(buf, 4, "%08d", 42), 8);
	KTEST_EXPECT_STREQ(t, buf, "000");

	/* size 1: only the NUL; size 0: nothing is written at all. */
	memset(buf, 'x', sizeof(buf));
	KTEST_EXPECT_EQ(t, snprintf(buf, 1, "abc"), 3);
	KTEST_EXPECT_EQ(t, buf[0], '\0');
	KTEST_EXPECT_EQ(t, buf[1], 'x');
	KTEST_EXPECT_EQ(t, snprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);
}

/* A function whose address %pS must name. */
static __noinline __used int printk_test_known_function(int x)
{
	barrier();
	return x * 3 + 1;
}

static void printk_test_symbol(struct ktest *t)
{
	unsigned long addr = (unsigned long)printk_test_known_function;
	unsigned long offset = 99, size = 0;
	const char *name;
	char buf[128], want[128];
	int local;

	if (!IS_ENABLED(CONFIG_KALLSYMS))
		ktest_skip(t, "CONFIG_KALLSYMS is off");

	name = kallsyms_lookup_size(addr + 1, &offset, &size);
	KTEST_ASSERT_NOT_NULL(t, name);
	KTEST_EXPECT_STREQ(t, name, "printk_test_known_function");
	KTEST_EXPECT_EQ(t, offset, 1ul);
	KTEST_EXPECT_GT(t, size, 1ul);
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("printk_test_known_function"), addr);

	snprintf(buf, sizeof(buf), "%pS", (void *)addr);
	snprintf(want, sizeof(want), "printk_test_known_function+0x0/0x%lx", size);
	KTEST_EXPECT_STREQ(t, buf, want);

	snprintf(buf, sizeof(buf), "%pS", (void *)(addr + 1));
	snprintf(want, sizeof(want), "printk_test_known_function+0x1/0x%lx", size);
	KTEST_EXPECT_STREQ(t, buf, want);

	snprintf(buf, sizeof(buf), "[%ps]", (void *)(addr + 1));
	KTEST_EXPECT_STREQ(t, buf, "[printk_test_known_function]");

	/* Not in the kernel's text: the bare address. */
	snprintf(buf, sizeof(buf), "%pS", (void *)&local);
	snprintf(want, sizeof(want), "%p", (void *)&local);
	KTEST_EXPECT_STREQ(t, buf, want);
	KTEST_EXPECT_NULL(t, kallsyms_lookup((unsigned long)&local, &offset));
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("no_such_function_anywhere"), 0ul);
}

/* ------------------------------------------------------------------------
 * Log levels, through a console that records what it is given
 */

static char capture_buf[2048];
static size_t capture_len;

static void capture_write(struct console *con, const char *s, size_t n)
{
	/* Keep the newest bytes: a replay may be longer than the buffer. */
	while (n--) {
		if (capture_len == sizeof(capture_buf) - 1) {
			size_t half = capture_len / 2;

			memmove(capture_buf, capture_buf + half, capture_len - half);
			capture_len -= half;
		}
		capture_buf[capture_len++] = *s++;
	}
	capture_buf[capture_len] = '\0';
}

static struct console capture_console = {
	.name = "ktest-capture",
	.write = capture_write,
};

static void capture_reset(void)
{
	capture_len = 0;
	capture_buf[0] = '\0';
}

static bool capture_contains(const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= capture_len; i++) {
		if (memcmp(capture_buf + i, needle, n) == 0)
			return true;
	}
	return false;
}

static int printk_test_saved_level;

static void printk_test_capture_start(struct ktest *t)
{
	printk_test_saved_level = printk_console_level();
	console_register(&capture_console);
	capture_reset();
}

static void printk_test_capture_stop(struct ktest *t)
{
	console_unregister(&capture_console);
	printk_set_console_level(printk_test_saved_level);
}

static void printk_test_levels(struct ktest *t)
{
	printk_test_capture_start(t);
	printk_set_console_level(5);	/* show ERR and WARNING, hide INFO */

	/* printk returns what it printed, without the level prefix. */
	KTEST_EXPECT_EQ(t, printk(KERN_ERR "  # printk_test: err %d\n", 1),
			(int)strlen("  # printk_test: err 1\n"));
	KTEST_EXPECT_STREQ(t, capture_buf, "  # printk_test: err 1\n");

	capture_reset();
	printk(KERN_INFO "  # printk_test: hidden info\n");
	KTEST_EXPECT_EQ(t, capture_len, 0ul);

	/* No level: LOGLEVEL_DEFAULT_MSG (a warning), shown at 5. */
	capture_reset();
	printk("  # printk_test: default\n");
	KTEST_EXPECT_STREQ(t, capture_buf, "  # printk_test: default\n");

	/* A continuation takes the level of the line it continues. */
	capture_reset();
	printk(KERN_ERR "  # printk_test: a");
	printk(KERN_CONT "b");
	pr_cont("c\n");
	KTEST_EXPECT_STREQ(t, capture_buf, "  # printk_test: abc\n");

	capture_reset();
	printk(KERN_DEBUG "  # printk_test: hidden");
	printk(KERN_CONT " continuation\n");
	KTEST_EXPECT_EQ(t, capture_len, 0ul);

	/* A new message ends a line left open. */
	capture_reset();
	printk(KERN_ERR "  # printk_test: open");
	printk(KERN_ERR "  # printk_test: next\n");
	KTEST_EXPECT_STREQ(t, capture_buf, "  # printk_test: open\n  # printk_test: next\n");

	/* Console levels are clamped to 0..8. */
	printk_set_console_level(42);
	KTEST_EXPECT_EQ(t, printk_console_level(), 8);
	printk_set_console_level(-1);
	KTEST_EXPECT_EQ(t, printk_console_level(), 0);

	printk_test_capture_stop(t);
}

/* The log keeps hidden messages; a console registering later is shown them. */
static void printk_test_log_replay(struct ktest *t)
{
	printk_test_capture_start(t);
	printk_set_console_level(1);
	printk(KERN_DEBUG "  # printk_test: debug message for the log\n");
	KTEST_EXPECT_EQ(t, capture_len, 0ul);

	console_unregister(&capture_console);
	printk_set_console_level(8);
	capture_reset();
	console_register(&capture_console);
	KTEST_EXPECT_TRUE(t, capture_contains("  # printk_test: debug message for the log\n"));
	/* No level bytes reach a console. */
	KTEST_EXPECT_NULL(t, memchr(capture_buf, KERN_SOH[0], capture_len));

	/* At level 7 the replay leaves the KERN_DEBUG line out. */
	console_unregister(&capture_console);
	printk_set_console_level(7);
	capture_reset();
	console_register(&capture_console);
	KTEST_EXPECT_FALSE(t, capture_contains("  # printk_test: debug message for the log\n"));

	printk_test_capture_stop(t);
}

static struct ktest_case printk_test_cases[] = {
	KTEST_CASE_PARAM(printk_test_vsnprintf, printk_test_format_gen_params),
	KTEST_CASE(printk_test_truncation),
	KTEST_CASE(printk_test_symbol),
	KTEST_CASE(printk_test_levels),
	KTEST_CASE(printk_test_log_replay),
	{}
};

static struct ktest_suite printk_test_suite = {
	.name = "printk",
	.test_cases = printk_test_cases,
};
KTEST_SUITE(printk_test_suite);
