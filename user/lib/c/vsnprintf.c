// SPDX-License-Identifier: MIT
/*
 * printf-style formatting (the formats: <stdio.h>). format_out() hands
 * characters to a callback, so that vsnprintf() fills a buffer and printf()
 * a console buffer with the same code.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "format.h"

struct spec {
	bool		left;		/* '-' */
	bool		zero;		/* '0' */
	bool		plus;		/* '+' */
	bool		space;		/* ' ' */
	bool		alt;		/* '#' */
	int		width;
	int		prec;		/* -1: none */
	int		size;		/* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

struct sink {
	void	(*out)(char c, void *arg);
	void	*arg;
	int	count;
};

static void put(struct sink *k, char c)
{
	k->out(c, k->arg);
	k->count++;
}

static void put_repeat(struct sink *k, char c, int n)
{
	while (n-- > 0)
		put(k, c);
}

/* A field of len characters: prefix (sign, 0x), zeros, body, with padding. */
static void put_field(struct sink *k, const struct spec *sp, const char *prefix,
		      int zeros, const char *body, int len)
{
	int plen = strlen(prefix);
	int pad = sp->width - plen - zeros - len;

	if (!sp->left && !sp->zero)
		put_repeat(k, ' ', pad);
	while (*prefix)
		put(k, *prefix++);
	if (!sp->left && sp->zero)
		put_repeat(k, '0', pad);
	put_repeat(k, '0', zeros);
	while (len--)
		put(k, *body++);
	if (sp->left)
		put_repeat(k, ' ', pad);
}

static void put_number(struct sink *k, struct spec sp, unsigned long long v,
		       bool neg, int base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0, zeros = 0;
	const char *sign = neg ? "-" : sp.plus ? "+" : sp.space ? " " : "";
	char pre[4];

	while (v) {
		buf[sizeof(buf) - 1 - len++] = digits[v % base];
		v /= base;
	}
	if (sp.prec < 0 && len == 0)
		buf[sizeof(buf) - 1 - len++] = '0';
	if (sp.prec >= 0) {
		/* A precision asks for that many digits, and turns off the 0 flag. */
		zeros = sp.prec > len ? sp.prec - len : 0;
		sp.zero = false;
	}
	strcpy(pre, sign);
	strcat(pre, prefix);
	put_field(k, &sp, pre, zeros, buf + sizeof(buf) - len, len);
}

static unsigned long long arg_unsigned(va_list *ap, int size)
{
	switch (size) {
	case 2:  return va_arg(*ap, unsigned long long);
	case 1:  return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static long long arg_signed(va_list *ap, int size)
{
	switch (size) {
	case 2:  return va_arg(*ap, long long);
	case 1:  return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

/* Flags, width, precision and length of one conversion; returns past them. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + *f++ - '0';
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + *f++ - '0';
	}
	if (sp->left)
		sp->zero = false;
	for (;; f++) {
		if (*f == 'l')
			sp->size = sp->size >= 1 ? 2 : 1;
		else if (*f == 'h')
			sp->size = sp->size <= -1 ? -2 : -1;
		else if (*f == 'z' || *f == 't' || *f == 'j')
			sp->size = 2;	/* LP64: size_t, ptrdiff_t, intmax_t are 64 bits */
		else
			break;
	}
	return f;
}

static void put_string(struct sink *k, struct spec sp, const char *s)
{
	int len;

	if (!s)
		s = "(null)";
	len = sp.prec >= 0 ? (int)strnlen(s, sp.prec) : (int)strlen(s);
	sp.zero = false;
	put_field(k, &sp, "", 0, s, len);
}

/* One conversion at f (after its spec); returns false for an unknown one. */
static bool convert(struct sink *k, struct spec *sp, char c, va_list *ap)
{
	long long sv;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		sv = arg_signed(ap, sp->size);
		put_number(k, *sp, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
			   sv < 0, 10, false, "");
		return true;
	case 'u':
		put_number(k, *sp, arg_unsigned(ap, sp->size), false, 10, false, "");
		return true;
	case 'x':
	case 'X':
		sp->plus = sp->space = false;
		put_number(k, *sp, arg_unsigned(ap, sp->size), false, 16, c == 'X',
			   sp->alt ? (c == 'X' ? "0X" : "0x") : "");
		return true;
	case 'o':
		sp->plus = sp->space = false;
		put_number(k, *sp, arg_unsigned(ap, sp->size), false, 8, false,
			   sp->alt ? "0" : "");
		return true;
	case 'p':
		sp->plus = sp->space = false;
		put_number(k, *sp, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
		return true;
	case 's':
		put_string(k, *sp, va_arg(*ap, const char *));
		return true;
	case 'c':
		ch = (char)va_arg(*ap, int);
		sp->zero = false;
		put_field(k, sp, "", 0, &ch, 1);
		return true;
	case '%':
		put(k, '%');
		return true;
	default:
		return false;
	}
}

int format_out(void (*out)(char c, void *arg), void *arg, const char *fmt, va_list ap)
{
	struct sink k = { out, arg, 0 };
	struct spec sp;
	const char *start;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&k, *fmt++);
			continue;
		}
		start = fmt;
		fmt = parse_spec(fmt + 1, &sp, &args);
		if (*fmt && convert(&k, &sp, *fmt, &args)) {
			fmt++;
			continue;
		}
		/* An unknown conversion is printed as it was written. */
		while (start < fmt)
			put(&k, *start++);
	}
	va_end(args);
	return k.count;
}

struct buf_sink {
	char	*buf;
	size_t	size;
	size_t	len;
};

static void buf_put(char c, void *arg)
{
	struct buf_sink *b = arg;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

/* C's vsnprintf: at most size - 1 characters and a NUL; returns the full length. */
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct buf_sink b = { buf, size, 0 };
	int n;

	n = format_out(buf_put, &b, fmt, ap);
	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
