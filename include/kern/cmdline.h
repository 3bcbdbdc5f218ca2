/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line: words separated by spaces, each "key" or
 * "key=value"; a value may be double-quoted to hold spaces
 * (ktest.filter="ipc*"). Keys may contain dots (ktest.filter) and the last
 * occurrence of a key wins, as in Linux.
 */
#ifndef _KERN_CMDLINE_H
#define _KERN_CMDLINE_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define CMDLINE_MAX_PARAMS	64
#define CMDLINE_BUF_SIZE	1024

struct cmdline_param {
	const char	*key;
	const char	*value;		/* NULL for a bare "key" */
};

struct cmdline {
	unsigned int		nr;
	struct cmdline_param	param[CMDLINE_MAX_PARAMS];
	char			buf[CMDLINE_BUF_SIZE];	/* keys and values live here */
};

/*
 * Parse s into cl. Returns KERN_SUCCESS, KERN_RESOURCE_SHORTAGE when s has
 * too many words or is too long (what fitted is kept), or
 * KERN_INVALID_ARGUMENT for an unterminated quote (the rest is dropped).
 */
kern_return_t cmdline_parse(struct cmdline *cl, const char *s);

/* The value of key: NULL if absent, "" for a bare key or "key=". */
const char *cmdline_lookup(const struct cmdline *cl, const char *key);

/* The boot command line (boot_info.cmdline), parsed once by kernel_main(). */
extern struct cmdline boot_params;

const char *cmdline_get(const char *key);
bool cmdline_get_bool(const char *key, bool def);	/* key, key=1|y|yes|on|true */
unsigned long cmdline_get_ulong(const char *key, unsigned long def);

#endif /* _KERN_CMDLINE_H */
