// SPDX-License-Identifier: MIT
/*
 * Diagnostics in the form compilers use, "file:line:col: error: ...", so
 * that editors and the build log point at the .defs line (cpp's line
 * markers keep the positions those of the original file).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "migcom.h"

int mig_errors;
bool mig_quiet;

/* Enough is enough: a mangled file must not flood the log. */
#define MAX_ERRORS	20

static void report(struct loc loc, const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s:%d:%d: %s: ", loc.file ? loc.file : "<input>",
		loc.line, loc.col, what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void mig_error(struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(loc, "error", fmt, ap);
	va_end(ap);
	if (++mig_errors >= MAX_ERRORS)
		mig_fatal("too many errors");
}

void mig_warning(struct loc loc, const char *fmt, ...)
{
	va_list ap;

	if (mig_quiet)
		return;
	va_start(ap, fmt);
	report(loc, "warning", fmt, ap);
	va_end(ap);
}

void mig_fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("mig: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	mig_cleanup();
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		mig_fatal("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		mig_fatal("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		mig_fatal("bad format");
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}
