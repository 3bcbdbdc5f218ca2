/* SPDX-License-Identifier: MIT */
/* The formatter under printf() and vsnprintf() (vsnprintf.c). */
#ifndef _LIBC_FORMAT_H
#define _LIBC_FORMAT_H

#include <stdarg.h>

/*
 * Format fmt with ap, handing each character to out(c, arg) in order.
 * Returns the number of characters produced.
 */
int format_out(void (*out)(char c, void *arg), void *arg, const char *fmt, va_list ap);

#endif /* _LIBC_FORMAT_H */
