// SPDX-License-Identifier: MIT
/*
 * The kernel command line parser (see <kern/cmdline.h>).
 *
 * A word runs up to the next space or tab outside double quotes; quotes
 * group and are removed (ktest.filter="a b" gives the value a b). The first
 * '=' outside quotes splits the key from the value. Keys and values are
 * copied into cl->buf, so the parsed line does not depend on the string it
 * came from. A standalone -- ends the kernel's parameters: the words after it
 * belong to the first user program (bootstrap_args()), as in Linux.
 */
#include <kern/cmdline.h>
#include <kern/string.h>

struct cmdline boot_params;

static bool cmdline_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* An unquoted "--" word: the end of the kernel's parameters. */
static bool cmdline_is_end_marker(const char *s)
{
	return s[0] == '-' && s[1] == '-' && (s[2] == '\0' || cmdline_is_space(s[2]));
}

/*
 * Copy one word of s into cl->buf at *used, as key\0value\0 (or key\0).
 * Returns KERN_SUCCESS and the end of the word in *endp, or
 * KERN_INVALID_ARGUMENT (unterminated quote) or KERN_RESOURCE_SHORTAGE (no
 * room); on failure nothing of the word is kept.
 */
static kern_return_t cmdline_copy_word(struct cmdline *cl, size_t *used, const char *s,
				       const char **endp, struct cmdline_param *p)
{
	size_t pos = *used;
	bool quoted = false, in_value = false;

	p->key = &cl->buf[pos];
	p->value = NULL;
	for (; *s && (quoted || !cmdline_is_space(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (pos + 2 > CMDLINE_BUF_SIZE)	/* room for this byte and a NUL */
			return KERN_RESOURCE_SHORTAGE;
		if (*s == '=' && !quoted && !in_value) {
			cl->buf[pos++] = '\0';
			p->value = &cl->buf[pos];
			in_value = true;
			continue;
		}
		cl->buf[pos++] = *s;
	}
	if (quoted)
		return KERN_INVALID_ARGUMENT;
	cl->buf[pos++] = '\0';
	*used = pos;
	*endp = s;
	return KERN_SUCCESS;
}

kern_return_t cmdline_parse(struct cmdline *cl, const char *s)
{
	size_t used = 0;
	kern_return_t kr;

	cl->nr = 0;
	if (!s)
		return KERN_SUCCESS;

	for (;;) {
		struct cmdline_param p;

		while (cmdline_is_space(*s))
			s++;
		if (!*s || cmdline_is_end_marker(s))
			return KERN_SUCCESS;
		if (cl->nr == CMDLINE_MAX_PARAMS)
			return KERN_RESOURCE_SHORTAGE;
		kr = cmdline_copy_word(cl, &used, s, &s, &p);
		if (kr != KERN_SUCCESS)
			return kr;
		if (p.key[0] != '\0')		/* "=x" names nothing: skip it */
			cl->param[cl->nr++] = p;
	}
}

const char *cmdline_lookup(const struct cmdline *cl, const char *key)
{
	unsigned int i;

	/* From the end: the last occurrence wins. */
	for (i = cl->nr; i > 0; i--) {
		const struct cmdline_param *p = &cl->param[i - 1];

		if (strcmp(p->key, key) == 0)
			return p->value ? p->value : "";
	}
	return NULL;
}

const char *cmdline_get(const char *key)
{
	return cmdline_lookup(&boot_params, key);
}

/* "quiet" and "quiet=1|y|yes|on|true" mean true; "0|n|no|off|false" false. */
bool cmdline_get_bool(const char *key, bool def)
{
	static const char *const yes[] = { "", "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	const char *v = cmdline_get(key);
	size_t i;

	if (!v)
		return def;
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(v, yes[i]) == 0)
			return true;
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		if (strcmp(v, no[i]) == 0)
			return false;
	}
	return def;
}

/* Decimal, 0x hex or 0 octal; def when absent or not a whole number. */
unsigned long cmdline_get_ulong(const char *key, unsigned long def)
{
	const char *v = cmdline_get(key);
	unsigned long n;
	char *end;

	if (!v || !*v || *v == '-')
		return def;
	n = strtoul(v, &end, 0);
	if (end == v || *end != '\0')
		return def;
	return n;
}
