/* SPDX-License-Identifier: MIT */
/*
 * printk: the kernel log, with Linux's log levels. A message starting with
 * KERN_<LEVEL> is printed on the console when its level is below the
 * console level (loglevel=N on the command line, CONFIG_LOGLEVEL_DEFAULT
 * otherwise); every message is kept in the log buffer.
 */
#ifndef _KERN_PRINTK_H
#define _KERN_PRINTK_H

#include <kern/types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"	/* the system is unusable */
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continue the previous line */

#define LOGLEVEL_DEFAULT_MSG	4	/* a message with no level is a warning */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

/*
 * Formatting, as in C99 plus Linux's %pS (symbol+offset of an address, from
 * kallsyms). Always NUL-terminates when size > 0; returns the length the
 * whole output would have had.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Set the console level (0..8); messages of level < it are shown. */
void printk_set_console_level(int level);
int printk_console_level(void);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

#endif /* _KERN_PRINTK_H */
