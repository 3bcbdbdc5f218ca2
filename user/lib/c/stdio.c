// SPDX-License-Identifier: MIT
/*
 * The one stream: output is kept in a line buffer and written to the
 * console at each newline, when the buffer is full, and at exit();
 * input is read from the console a chunk at a time.
 */
#include <stdio.h>
#include <string.h>
#include "format.h"

#define STDOUT_BUF	128	/* one device_write_inband() */

static char out_buf[STDOUT_BUF];
static size_t out_len;

static char in_buf[64];
static size_t in_len, in_pos;

int fflush_stdout(void)
{
	int r = 0;

	if (out_len && console_write(out_buf, out_len) < 0)
		r = EOF;
	out_len = 0;
	return r;
}

static void stdout_put(char c, void *arg)
{
	(void)arg;
	out_buf[out_len++] = c;
	if (c == '\n' || out_len == sizeof(out_buf))
		fflush_stdout();
}

int putchar(int c)
{
	stdout_put((char)c, NULL);
	return (unsigned char)c;
}

int puts(const char *s)
{
	while (*s)
		stdout_put(*s++, NULL);
	stdout_put('\n', NULL);
	return 0;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return format_out(stdout_put, NULL, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int getchar(void)
{
	int n;

	if (in_pos == in_len) {
		fflush_stdout();	/* a prompt shows before we wait */
		n = console_read(in_buf, sizeof(in_buf));
		if (n <= 0)
			return EOF;
		in_len = n;
		in_pos = 0;
	}
	return (unsigned char)in_buf[in_pos++];
}

/*
 * A line from the console, echoed as it is typed (the console device
 * gives raw characters). CR or LF ends it; backspace and DEL erase.
 */
int getline_console(char *buf, size_t size)
{
	size_t len = 0;
	int c;

	if (!size)
		return -1;
	for (;;) {
		c = getchar();
		if (c == EOF) {
			buf[len] = '\0';
			return len ? (int)len : -1;
		}
		if (c == '\r' || c == '\n') {
			putchar('\n');
			fflush_stdout();
			break;
		}
		if (c == '\b' || c == 0x7f) {
			if (len) {
				len--;
				printf("\b \b");
				fflush_stdout();
			}
			continue;
		}
		if (len + 1 < size && c >= 0x20) {
			buf[len++] = (char)c;
			putchar(c);
			fflush_stdout();
		}
	}
	buf[len] = '\0';
	return len;
}
