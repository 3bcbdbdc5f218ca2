/* SPDX-License-Identifier: MIT */
/*
 * Consoles: where printk's output goes. A serial driver registers one as
 * soon as it can write (the early console), before anything else prints.
 */
#ifndef _KERN_CONSOLE_H
#define _KERN_CONSOLE_H

#include <kern/types.h>

struct console {
	const char	*name;
	/* Write n bytes; the driver turns "\n" into "\r\n". Must not sleep. */
	void		(*write)(struct console *con, const char *s, size_t n);
	/* Read one byte without waiting, or return -1. May be NULL. */
	int		(*getc)(struct console *con);
	void		*priv;
	struct console	*next;
};

/* Add a console; what printk logged before is replayed to it. */
void console_register(struct console *con);

/* Remove a console (a test's capture console, a driver going away). */
void console_unregister(struct console *con);

/* Write to every registered console. */
void console_write(const char *s, size_t n);

/* Read a byte from the first console that has one, or -1. */
int console_getc(void);

#endif /* _KERN_CONSOLE_H */
