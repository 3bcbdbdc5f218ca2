// SPDX-License-Identifier: MIT
/*
 * fuzz: write mutated copies of a .defs file, for tests/run to feed to a
 * sanitizer build of mig. Deterministic: case N of a file is always the
 * same bytes.
 *
 *	fuzz INPUT OUTDIR FIRST COUNT
 *
 * writes OUTDIR/case-<N>.defs for N in [FIRST, FIRST + COUNT). The
 * mutations: flipped bytes, deleted, duplicated or swapped tokens,
 * truncation, and inserted bytes from a small alphabet of .defs syntax.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned)((rng >> 33) % n) : 0;
}

/* Token boundaries: runs of identifier characters, or single others. */
static size_t tokens(const char *b, size_t n, size_t *start, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		while (i < n && isspace((unsigned char)b[i]))
			i++;
		if (i >= n)
			break;
		start[k++] = i;
		if (isalnum((unsigned char)b[i]) || b[i] == '_')
			while (i < n && (isalnum((unsigned char)b[i]) || b[i] == '_'))
				i++;
		else
			i++;
	}
	return k;
}

static size_t tok_end(const char *b, size_t n, size_t s)
{
	size_t i = s;

	if (isalnum((unsigned char)b[i]) || b[i] == '_') {
		while (i < n && (isalnum((unsigned char)b[i]) || b[i] == '_'))
			i++;
		return i;
	}
	return s + 1;
}

int main(int argc, char **argv)
{
	static const char *alphabet[] = { ";", ":", "(", ")", "[", "]", "*", "^", "=", ",",
		"array", "of", "struct", "c_string", "routine", "simpleroutine", "type",
		"in", "out", "inout", "dealloc", "CountInOut", "polymorphic", "MACH_MSG_TYPE_STRING",
		"MACH_MSG_TYPE_COPY_SEND", "0", "4294967295", "99999999999", "skip", "|",
		"subsystem", "import", "<", "\"", "#", "\n# 1 \"x\"\n", "\xff", "\0", "/*" };
	FILE *f;
	char *in, *out, path[4096];
	size_t n, cap, *tok, ntok;
	long first, count, c;

	if (argc != 5)
		return 2;
	f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	cap = 1 << 20;
	in = malloc(cap);
	n = fread(in, 1, cap, f);
	fclose(f);
	out = malloc(cap * 3);
	tok = malloc(sizeof(*tok) * cap);
	ntok = tokens(in, n, tok, cap);
	first = atol(argv[3]);
	count = atol(argv[4]);
	for (c = first; c < first + count; c++) {
		size_t m = n, i, muts;
		const char *s;

		rng = 0x9e3779b97f4a7c15ULL ^ (unsigned long long)c * 0x100000001b3ULL;
		for (i = 0; argv[1][i]; i++)
			rng = rng * 31 + (unsigned char)argv[1][i];
		memcpy(out, in, n);
		muts = 1 + rnd(4);
		while (muts--) {
			size_t at, len, t;

			if (!m)
				break;
			switch (rnd(7)) {
			case 0:	/* flip a byte */
				out[rnd((unsigned)m)] ^= (char)(1 << rnd(8));
				break;
			case 1:	/* truncate */
				m = rnd((unsigned)m);
				break;
			case 2:	/* delete a token */
			case 3:	/* duplicate a token */
				t = rnd((unsigned)ntok);
				if (!ntok || tok[t] >= m)
					break;
				at = tok[t];
				len = tok_end(out, m, at) - at;
				if (rnd(7) == 2 || len == 0)
					break;
				if (muts % 2) {
					memmove(out + at, out + at + len, m - at - len);
					m -= len;
				} else {
					memmove(out + at + len, out + at, m - at);
					m += len;
				}
				break;
			case 4:	/* insert syntax */
				s = alphabet[rnd(sizeof(alphabet) / sizeof(alphabet[0]))];
				len = strlen(s) ? strlen(s) : 1;
				at = rnd((unsigned)m);
				memmove(out + at + len, out + at, m - at);
				memcpy(out + at, s, len);
				m += len;
				break;
			case 5:	/* replace a number with a big or zero one */
				for (i = rnd((unsigned)m); i < m && !isdigit((unsigned char)out[i]); i++)
					;
				if (i < m)
					out[i] = rnd(2) ? '0' : '9';
				break;
			default:	/* swap two lines' first bytes */
				at = rnd((unsigned)m);
				t = rnd((unsigned)m);
				len = out[at];
				out[at] = out[t];
				out[t] = (char)len;
				break;
			}
			if (m > cap * 2)
				m = cap * 2;
		}
		snprintf(path, sizeof(path), "%s/case-%ld.defs", argv[2], c);
		f = fopen(path, "wb");
		if (!f)
			return 2;
		fwrite(out, 1, m, f);
		fclose(f);
	}
	return 0;
}
