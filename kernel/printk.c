// SPDX-License-Identifier: MIT
/*
 * printk and the formatting routines behind it.
 *
 * vsnprintf follows C99 for %d %i %u %x %X %o %c %s %% with the flags
 * "-+ 0#", a width and a precision (both may be *), and the lengths hh h l
 * ll z t j. Kernel additions, as in Linux: %p prints a pointer as 0x and 16
 * hex digits, %pS an address as symbol+0xoff/0xsize (from kallsyms; the
 * bare address when there is no symbol), %ps the symbol name only. A NULL
 * %s prints "(null)". There is no floating point and no %n.
 *
 * The log buffer keeps every message whatever its level, one level byte
 * ('0'..'7') at the start of each line, so that a console registering late
 * is shown the same lines that an early one was.
 */
#include <kern/arch.h>
#include <kern/console.h>
#include <kern/kallsyms.h>
#include <kern/printk.h>
#include <kern/string.h>
#include "printk_internal.h"

/* ------------------------------------------------------------------------
 * Formatting
 */

struct printk_out {
	char	*buf;
	size_t	size;
	size_t	pos;		/* what the whole output would need */
};

#define PF_LEFT		0x01	/* '-' */
#define PF_PLUS		0x02	/* '+' */
#define PF_SPACE	0x04	/* ' ' */
#define PF_ZERO		0x08	/* '0' */
#define PF_ALT		0x10	/* '#' */
#define PF_UPPER	0x20	/* %X */

struct printk_spec {
	unsigned int	flags;
	int		width;	/* 0: none */
	int		prec;	/* -1: none */
};

static void printk_out_char(struct printk_out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void printk_out_repeat(struct printk_out *o, char c, int n)
{
	while (n-- > 0)
		printk_out_char(o, c);
}

static void printk_out_string(struct printk_out *o, const char *s,
			      const struct printk_spec *spec)
{
	size_t len;
	int pad;

	if (!s)
		s = "(null)";
	len = spec->prec >= 0 ? strnlen(s, (size_t)spec->prec) : strlen(s);
	pad = spec->width > (int)len ? spec->width - (int)len : 0;
	if (!(spec->flags & PF_LEFT))
		printk_out_repeat(o, ' ', pad);
	while (len--)
		printk_out_char(o, *s++);
	if (spec->flags & PF_LEFT)
		printk_out_repeat(o, ' ', pad);
}

/*
 * One integer: sign or "0x" prefix, then zeros up to the precision, then the
 * digits, padded to the width with spaces (or zeros for the '0' flag when
 * there is no precision, as C says).
 */
static void printk_out_number(struct printk_out *o, unsigned long long v, bool negative,
			      bool is_signed, unsigned int base,
			      const struct printk_spec *spec)
{
	const char *digit_chars = (spec->flags & PF_UPPER) ? "0123456789ABCDEF"
							   : "0123456789abcdef";
	char digits[24], sign = 0;
	const char *prefix = "";
	int nd = 0, zeros, len, pad;
	bool zero_pad;

	if (spec->prec != 0 || v != 0) {
		unsigned long long x = v;

		do {
			digits[nd++] = digit_chars[x % base];
			x /= base;
		} while (x);
	}
	zeros = spec->prec > nd ? spec->prec - nd : 0;
	if (base == 8 && (spec->flags & PF_ALT) && zeros == 0 &&
	    (nd == 0 || digits[nd - 1] != '0'))
		zeros = 1;	/* %#o always starts with a 0 */
	if (base == 16 && (spec->flags & PF_ALT) && v != 0)
		prefix = (spec->flags & PF_UPPER) ? "0X" : "0x";

	if (negative)
		sign = '-';
	else if (is_signed && (spec->flags & PF_PLUS))
		sign = '+';
	else if (is_signed && (spec->flags & PF_SPACE))
		sign = ' ';

	len = (sign ? 1 : 0) + (int)strlen(prefix) + zeros + nd;
	pad = spec->width > len ? spec->width - len : 0;
	zero_pad = (spec->flags & PF_ZERO) && !(spec->flags & PF_LEFT) && spec->prec < 0;

	if (!(spec->flags & PF_LEFT) && !zero_pad)
		printk_out_repeat(o, ' ', pad);
	if (sign)
		printk_out_char(o, sign);
	while (*prefix)
		printk_out_char(o, *prefix++);
	if (zero_pad)
		printk_out_repeat(o, '0', pad);
	printk_out_repeat(o, '0', zeros);
	while (nd)
		printk_out_char(o, digits[--nd]);
	if (spec->flags & PF_LEFT)
		printk_out_repeat(o, ' ', pad);
}

/* %p: "0x" and 16 hex digits, so that addresses line up. */
static void printk_out_pointer(struct printk_out *o, unsigned long addr,
			       const struct printk_spec *spec)
{
	const struct printk_spec hex = { .flags = 0, .width = 0, .prec = 16 };
	struct printk_spec str = *spec;
	char tmp[24];
	struct printk_out t = { .buf = tmp, .size = sizeof(tmp), .pos = 0 };

	/* The prefix by hand: %#x would leave it out for NULL. */
	printk_out_char(&t, '0');
	printk_out_char(&t, 'x');
	printk_out_number(&t, addr, false, false, 16, &hex);
	tmp[t.pos] = '\0';
	str.prec = -1;
	printk_out_string(o, tmp, &str);
}

/* %pS: symbol+0xoff/0xsize; %ps: symbol. The bare pointer without a symbol. */
static void printk_out_symbol(struct printk_out *o, unsigned long addr, bool with_offset,
			      const struct printk_spec *spec)
{
	unsigned long offset = 0, size = 0;
	const char *name = kallsyms_lookup_size(addr, &offset, &size);
	struct printk_spec str = *spec;
	char tmp[160];

	if (!name) {
		printk_out_pointer(o, addr, spec);
		return;
	}
	if (with_offset)
		snprintf(tmp, sizeof(tmp), "%s+0x%lx/0x%lx", name, offset, size);
	else
		strlcpy(tmp, name, sizeof(tmp));
	str.prec = -1;
	printk_out_string(o, tmp, &str);
}

/* Flags, width and precision after a '%'; returns where the length begins. */
static const char *printk_parse_spec(const char *fmt, struct printk_spec *spec, va_list *ap)
{
	spec->flags = 0;
	spec->width = 0;
	spec->prec = -1;

	for (;; fmt++) {
		if (*fmt == '-')
			spec->flags |= PF_LEFT;
		else if (*fmt == '+')
			spec->flags |= PF_PLUS;
		else if (*fmt == ' ')
			spec->flags |= PF_SPACE;
		else if (*fmt == '0')
			spec->flags |= PF_ZERO;
		else if (*fmt == '#')
			spec->flags |= PF_ALT;
		else
			break;
	}

	if (*fmt == '*') {
		spec->width = va_arg(*ap, int);
		if (spec->width < 0) {
			spec->flags |= PF_LEFT;
			spec->width = spec->width == -__INT_MAX__ - 1 ? __INT_MAX__ : -spec->width;
		}
		fmt++;
	} else {
		while (*fmt >= '0' && *fmt <= '9')
			spec->width = spec->width * 10 + (*fmt++ - '0');
	}

	if (*fmt == '.') {
		fmt++;
		spec->prec = 0;
		if (*fmt == '*') {
			spec->prec = va_arg(*ap, int);
			if (spec->prec < 0)
				spec->prec = -1;	/* as if there were none */
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				spec->prec = spec->prec * 10 + (*fmt++ - '0');
		}
	}
	return fmt;
}

enum printk_length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

static const char *printk_parse_length(const char *fmt, enum printk_length *len)
{
	*len = LEN_NONE;
	switch (*fmt) {
	case 'h':
		if (fmt[1] == 'h') {
			*len = LEN_HH;
			return fmt + 2;
		}
		*len = LEN_H;
		return fmt + 1;
	case 'l':
		if (fmt[1] == 'l') {
			*len = LEN_LL;
			return fmt + 2;
		}
		*len = LEN_L;
		return fmt + 1;
	case 'z':
		*len = LEN_Z;
		return fmt + 1;
	case 't':
		*len = LEN_T;
		return fmt + 1;
	case 'j':
		*len = LEN_J;
		return fmt + 1;
	default:
		return fmt;
	}
}

static long long printk_fetch_signed(enum printk_length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:	return (signed char)va_arg(*ap, int);
	case LEN_H:	return (short)va_arg(*ap, int);
	case LEN_L:	return va_arg(*ap, long);
	case LEN_LL:	return va_arg(*ap, long long);
	case LEN_Z:	return va_arg(*ap, ssize_t);
	case LEN_T:	return va_arg(*ap, ptrdiff_t);
	case LEN_J:	return va_arg(*ap, intmax_t);
	default:	return va_arg(*ap, int);
	}
}

static unsigned long long printk_fetch_unsigned(enum printk_length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:	return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:	return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:	return va_arg(*ap, unsigned long);
	case LEN_LL:	return va_arg(*ap, unsigned long long);
	case LEN_Z:	return va_arg(*ap, size_t);
	case LEN_T:	return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case LEN_J:	return va_arg(*ap, uintmax_t);
	default:	return va_arg(*ap, unsigned int);
	}
}

/* One conversion; returns the format after it. */
static const char *printk_convert(struct printk_out *o, const char *fmt, va_list *ap)
{
	struct printk_spec spec;
	enum printk_length len;
	unsigned int base = 10;
	long long sv;

	fmt = printk_parse_spec(fmt, &spec, ap);
	fmt = printk_parse_length(fmt, &len);

	switch (*fmt) {
	case 'd':
	case 'i': {
		unsigned long long mag;

		sv = printk_fetch_signed(len, ap);
		/* Negate in unsigned arithmetic: -LLONG_MIN does not fit. */
		mag = sv < 0 ? 0ULL - (unsigned long long)sv : (unsigned long long)sv;
		printk_out_number(o, mag, sv < 0, true, 10, &spec);
		return fmt + 1;
	}
	case 'X':
		spec.flags |= PF_UPPER;
		/* fall through */
	case 'x':
		base = 16;
		goto unsigned_number;
	case 'o':
		base = 8;
		/* fall through */
	case 'u':
unsigned_number:
		printk_out_number(o, printk_fetch_unsigned(len, ap), false, false, base, &spec);
		return fmt + 1;
	case 'c': {
		/* Not through printk_out_string: %c of '\0' still writes a byte. */
		int pad = spec.width > 1 ? spec.width - 1 : 0;

		if (!(spec.flags & PF_LEFT))
			printk_out_repeat(o, ' ', pad);
		printk_out_char(o, (char)va_arg(*ap, int));
		if (spec.flags & PF_LEFT)
			printk_out_repeat(o, ' ', pad);
		return fmt + 1;
	}
	case 's':
		printk_out_string(o, va_arg(*ap, const char *), &spec);
		return fmt + 1;
	case 'p': {
		unsigned long addr = (unsigned long)va_arg(*ap, void *);

		if (fmt[1] == 'S' || fmt[1] == 's') {
			printk_out_symbol(o, addr, fmt[1] == 'S', &spec);
			return fmt + 2;
		}
		printk_out_pointer(o, addr, &spec);
		return fmt + 1;
	}
	case '%':
		printk_out_char(o, '%');
		return fmt + 1;
	case '\0':
		/* A lone '%' at the end: print it. */
		printk_out_char(o, '%');
		return fmt;
	default:
		/* Unknown conversion: show it as written, so the bug is visible. */
		printk_out_char(o, '%');
		printk_out_char(o, *fmt);
		return fmt + 1;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct printk_out o = { .buf = buf, .size = size, .pos = 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			printk_out_char(&o, *fmt++);
			continue;
		}
		fmt = printk_convert(&o, fmt + 1, &aq);
	}
	va_end(aq);

	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ------------------------------------------------------------------------
 * The log buffer and printk
 */

#define LOG_BUF_LEN		(1UL << CONFIG_LOG_BUF_SHIFT)
#define LOG_BUF_MASK		(LOG_BUF_LEN - 1)
/* A longer line is broken, so that a line never fills the buffer alone. */
#define LOG_LINE_MAX		1024
/* printk formats into a buffer on the stack; longer messages are cut. */
#define PRINTK_MSG_MAX		512

/*
 * log_first and log_next count bytes since boot; the byte at counter i lives
 * at log_buf[i & LOG_BUF_MASK]. log_first is always the level byte of the
 * oldest whole line.
 *
 * Everything below is guarded by interrupts being off (arch_irq_save).
 * There is one CPU so far; with SMP a spinlock (log_lock) is taken inside
 * the interrupt-off region, at each "log lock" comment.
 */
static char log_buf[LOG_BUF_LEN];
static unsigned long log_first, log_next;
static bool log_line_open;		/* the last line has no '\n' yet */
static int log_line_level;		/* the level of that line */
static unsigned int log_line_len;	/* its length so far */
static int console_level = CONFIG_LOGLEVEL_DEFAULT;

BUILD_BUG_ON(LOG_LINE_MAX * 2 > (1UL << 12));

/* Drop the oldest line to make room. */
static void log_drop_line(void)
{
	while (log_first != log_next) {
		if (log_buf[log_first++ & LOG_BUF_MASK] == '\n')
			break;
	}
}

static void log_store_byte(char c)
{
	if (log_next - log_first >= LOG_BUF_LEN)
		log_drop_line();
	log_buf[log_next++ & LOG_BUF_MASK] = c;
}

static void log_store_char(int level, char c)
{
	if (log_line_open && log_line_len >= LOG_LINE_MAX) {
		log_store_byte('\n');
		log_line_open = false;
	}
	if (!log_line_open) {
		log_store_byte((char)('0' + level));
		log_line_open = true;
		log_line_level = level;
		log_line_len = 0;
	}
	log_store_byte(c);
	log_line_len++;
	if (c == '\n')
		log_line_open = false;
}

/*
 * Strip the KERN_<LEVEL> prefixes from the start of a message. Returns the
 * prefix length; *level is the message's level, *cont whether it continues
 * the previous line.
 */
static size_t printk_parse_level(const char *s, int *level, bool *cont)
{
	size_t n = 0;

	*level = LOGLEVEL_DEFAULT_MSG;
	*cont = false;
	while (s[n] == KERN_SOH[0] && s[n + 1]) {
		char c = s[n + 1];

		if (c >= '0' && c <= '7')
			*level = c - '0';
		else if (c == 'c')
			*cont = true;
		else
			break;
		n += 2;
	}
	return n;
}

static void printk_emit(int level, bool cont, const char *text, size_t len)
{
	size_t i;

	if (cont && log_line_open) {
		level = log_line_level;
	} else if (log_line_open) {
		/* A new message ends a line that was left open. */
		if (log_line_level < console_level)
			console_write("\n", 1);
		log_store_char(log_line_level, '\n');
	}

	for (i = 0; i < len; i++)
		log_store_char(level, text[i]);

	if (level < console_level)
		console_write(text, len);
}

int vprintk(const char *fmt, va_list ap)
{
	char msg[PRINTK_MSG_MAX];
	unsigned long flags;
	size_t skip, len;
	bool cont;
	int level, n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	len = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	skip = printk_parse_level(msg, &level, &cont);

	flags = arch_irq_save();
	/* log lock */
	printk_emit(level, cont, msg + skip, len - skip);
	arch_irq_restore(flags);
	return (int)(len - skip);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void printk_set_console_level(int level)
{
	if (level < 0)
		level = 0;
	if (level > 8)
		level = 8;
	WRITE_ONCE(console_level, level);
}

int printk_console_level(void)
{
	return READ_ONCE(console_level);
}

/* Called by console_register() with interrupts off (and the log lock held). */
void printk_log_replay(struct console *con)
{
	char chunk[128];
	unsigned long i = log_first;
	size_t n = 0;
	bool show = false, line_start = true;

	while (i != log_next) {
		char c = log_buf[i++ & LOG_BUF_MASK];

		if (line_start) {
			show = (c - '0') < console_level;
			line_start = false;
			continue;
		}
		if (show)
			chunk[n++] = c;
		if (c == '\n')
			line_start = true;
		if (n == sizeof(chunk) || (line_start && n)) {
			con->write(con, chunk, n);
			n = 0;
		}
	}
	if (n)
		con->write(con, chunk, n);
}
