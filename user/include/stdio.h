/* SPDX-License-Identifier: MIT */
/*
 * The C library's console I/O (user/lib/c/stdio.c, console.c): one stream,
 * the console device opened through the device master port, and the
 * formatting functions (vsnprintf.c).
 *
 * Formats: %d %i %u %x %X %o %p %s %c %%, with the l, ll, z and h
 * length modifiers, the - and 0 flags, a width and a precision (both may
 * be *). No floating point.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stddef.h>
#include <stdarg.h>

#define EOF	(-1)

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((format(printf, 3, 4)));

int vprintf(const char *restrict fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int putchar(int c);
int puts(const char *s);
/* Write out what printf() and friends buffered (they do at each newline). */
int fflush_stdout(void);

/* The next character typed on the console, or EOF. */
int getchar(void);
/*
 * Read a line from the console into buf (at most size - 1 characters and
 * a NUL; the newline is not kept), echoing what is typed and handling
 * backspace. Returns the line's length, or -1 if the console cannot be read.
 */
int getline_console(char *buf, size_t size);

/*
 * The console device (console.c). console_open() is done on first use
 * with the device master port from mach_bootstrap_ports(); a program that
 * has the port another way may open it itself.
 */
int console_open(unsigned int device_master);
int console_write(const char *buf, size_t len);
int console_read(char *buf, size_t len);

#endif /* _STDIO_H */
