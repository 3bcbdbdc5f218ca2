// SPDX-License-Identifier: MIT
/*
 * Tests of the command-line parser: words, quotes, dotted keys, bare keys,
 * last-wins, the limits, and the typed getters (on a borrowed boot_params,
 * put back after each case).
 */
#include <kern/cmdline.h>
#include <kern/printk.h>
#include <ktest.h>

static struct cmdline cl;		/* too big for a kernel stack */
static struct cmdline saved_boot_params;
static char long_line[CMDLINE_BUF_SIZE + 64];

static int cmdline_test_init(struct ktest *t)
{
	memset(&cl, 0, sizeof(cl));
	memcpy(&saved_boot_params, &boot_params, sizeof(boot_params));
	return 0;
}

static void cmdline_test_exit(struct ktest *t)
{
	/* The pointers inside point into boot_params.buf: a copy back restores all. */
	memcpy(&boot_params, &saved_boot_params, sizeof(boot_params));
}

static void cmdline_test_basic(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "console=ttyS0 debug loglevel=7"), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 3u);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "console"), "ttyS0");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "debug"), "");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "loglevel"), "7");
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "missing"));
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "console=ttyS0"));
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "consol"));
}

static void cmdline_test_quotes(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "ktest.filter=\"ipc* vm*\" empty=\"\" "
					 "glued=a\"b c\"d \"quoted key\"=v x=\"=\""),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 5u);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "ktest.filter"), "ipc* vm*");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "empty"), "");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "glued"), "ab cd");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "quoted key"), "v");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "x"), "=");
}

static void cmdline_test_dotted_keys(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "ktest.filter=printk ktest.shutdown=none a.b.c=d"),
			KERN_SUCCESS);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "ktest.filter"), "printk");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "ktest.shutdown"), "none");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a.b.c"), "d");
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "ktest"));
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "a.b"));
}

static void cmdline_test_values(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "bare key= a=b=c"), KERN_SUCCESS);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "bare"), "");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "key"), "");
	/* Only the first '=' splits. */
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a"), "b=c");
	/* A bare key has a NULL value in the table, "" from the lookup. */
	KTEST_EXPECT_NULL(t, cl.param[0].value);
	KTEST_EXPECT_NOT_NULL(t, cl.param[1].value);
}

static void cmdline_test_last_wins(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "a=1 b=x a=2 c a=3"), KERN_SUCCESS);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a"), "3");
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "a=1 a"), KERN_SUCCESS);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a"), "");
}

static void cmdline_test_empty(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, ""), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 0u);
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 0u);
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, " \t \n "), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 0u);
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, ""));
	/* "=x" names nothing and is dropped. */
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, "=x"), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 0u);
}

static void cmdline_test_whitespace(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "   a=1 \t\t b=2\n\n  c  "), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 3u);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a"), "1");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "b"), "2");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "c"), "");
}

static void cmdline_test_unterminated_quote(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, "a=1 b=\"oops c=3"), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, cl.nr, 1u);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a"), "1");
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "b"));
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "c"));
}

static void cmdline_test_too_many_words(struct ktest *t)
{
	size_t pos = 0;
	unsigned int i;

	for (i = 0; i < CMDLINE_MAX_PARAMS + 3; i++)
		pos += snprintf(long_line + pos, sizeof(long_line) - pos, "k%u=%u ", i, i);
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, long_line), KERN_RESOURCE_SHORTAGE);
	KTEST_EXPECT_EQ(t, cl.nr, (unsigned int)CMDLINE_MAX_PARAMS);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "k0"), "0");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "k63"), "63");
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "k64"));
}

static void cmdline_test_too_long(struct ktest *t)
{
	/* One word longer than the whole buffer, after two that fit. */
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	memcpy(long_line, "a=1 b=2 v=", 10);
	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, long_line), KERN_RESOURCE_SHORTAGE);
	KTEST_EXPECT_EQ(t, cl.nr, 2u);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a"), "1");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "b"), "2");
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "v"));
}

/* The parser copies: the source may change afterwards. */
/* Words after a standalone -- are the init program's, not the kernel's. */
static void cmdline_test_end_marker(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "a=1 --x=2 -- b=3 quiet"), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 2u);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "a"), "1");
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "--x"), "2");
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "b"));
	KTEST_EXPECT_NULL(t, cmdline_lookup(&cl, "quiet"));

	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, "a=1 \"--\" b --"), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cl.nr, 3u);		/* a quoted -- is a word like others */
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "b"), "");
}

static void cmdline_test_copies(struct ktest *t)
{
	char src[] = "key=value";

	KTEST_ASSERT_EQ(t, cmdline_parse(&cl, src), KERN_SUCCESS);
	memset(src, 'z', sizeof(src) - 1);
	KTEST_EXPECT_STREQ(t, cmdline_lookup(&cl, "key"), "value");
}

static void cmdline_test_get_bool(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&boot_params,
					 "bare y=y yes=yes on=on one=1 tr=true "
					 "n=n no=no off=off zero=0 fa=false junk=maybe empty="),
			KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("bare", false));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("empty", false));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("y", false));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("yes", false));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("on", false));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("one", false));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("tr", false));
	KTEST_EXPECT_FALSE(t, cmdline_get_bool("n", true));
	KTEST_EXPECT_FALSE(t, cmdline_get_bool("no", true));
	KTEST_EXPECT_FALSE(t, cmdline_get_bool("off", true));
	KTEST_EXPECT_FALSE(t, cmdline_get_bool("zero", true));
	KTEST_EXPECT_FALSE(t, cmdline_get_bool("fa", true));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("junk", true));
	KTEST_EXPECT_FALSE(t, cmdline_get_bool("junk", false));
	KTEST_EXPECT_TRUE(t, cmdline_get_bool("absent", true));
	KTEST_EXPECT_FALSE(t, cmdline_get_bool("absent", false));
}

static void cmdline_test_get_ulong(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, cmdline_parse(&boot_params,
					 "dec=42 hex=0x10 oct=010 bad=12x neg=-1 empty= bare "
					 "big=18446744073709551615"),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("dec", 0), 42ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("hex", 0), 16ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("oct", 0), 8ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("bad", 7), 7ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("neg", 7), 7ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("empty", 7), 7ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("bare", 7), 7ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("absent", 7), 7ul);
	KTEST_EXPECT_EQ(t, cmdline_get_ulong("big", 0), ~0ul);
	KTEST_EXPECT_STREQ(t, cmdline_get("dec"), "42");
}

static struct ktest_case cmdline_test_cases[] = {
	KTEST_CASE(cmdline_test_basic),
	KTEST_CASE(cmdline_test_quotes),
	KTEST_CASE(cmdline_test_dotted_keys),
	KTEST_CASE(cmdline_test_values),
	KTEST_CASE(cmdline_test_last_wins),
	KTEST_CASE(cmdline_test_empty),
	KTEST_CASE(cmdline_test_whitespace),
	KTEST_CASE(cmdline_test_unterminated_quote),
	KTEST_CASE(cmdline_test_too_many_words),
	KTEST_CASE(cmdline_test_too_long),
	KTEST_CASE(cmdline_test_end_marker),
	KTEST_CASE(cmdline_test_copies),
	KTEST_CASE(cmdline_test_get_bool),
	KTEST_CASE(cmdline_test_get_ulong),
	{}
};

static struct ktest_suite cmdline_test_suite = {
	.name = "cmdline",
	.init = cmdline_test_init,
	.exit = cmdline_test_exit,
	.test_cases = cmdline_test_cases,
};
KTEST_SUITE(cmdline_test_suite);
