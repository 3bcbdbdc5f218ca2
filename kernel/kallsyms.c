// SPDX-License-Identifier: MIT
/*
 * kallsyms: look addresses up in the function table that
 * scripts/link-machline.sh links into the .kallsyms section. The table is
 * sorted by address (nm -n); a symbol ends where the next higher one
 * starts, and the last one at _etext.
 */
#include <kern/kallsyms.h>
#include <kern/sections.h>
#include <kern/string.h>

/* Defined by the generated .tmp_kallsyms*.S. */
extern const unsigned long kallsyms_num;
extern const unsigned long kallsyms_addresses[];
extern const uint32_t kallsyms_name_offsets[];
extern const char kallsyms_names[];

static const char *kallsyms_name(unsigned long i)
{
	return &kallsyms_names[kallsyms_name_offsets[i]];
}

/* The index of the last symbol at or below addr; kallsyms_num if none. */
static unsigned long kallsyms_search(unsigned long addr)
{
	unsigned long lo = 0, hi = kallsyms_num;

	if (!kallsyms_num || addr < kallsyms_addresses[0])
		return kallsyms_num;
	/* Invariant: addresses[lo] <= addr, and addresses[hi] > addr (or hi = num). */
	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (kallsyms_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

const char *kallsyms_lookup_size(unsigned long addr, unsigned long *offset,
				 unsigned long *size)
{
	unsigned long i = kallsyms_search(addr), end;

	if (i == kallsyms_num || addr >= (unsigned long)_etext)
		return NULL;
	end = i + 1 < kallsyms_num ? kallsyms_addresses[i + 1] : (unsigned long)_etext;
	if (offset)
		*offset = addr - kallsyms_addresses[i];
	if (size)
		*size = end - kallsyms_addresses[i];
	return kallsyms_name(i);
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	return kallsyms_lookup_size(addr, offset, NULL);
}

unsigned long kallsyms_lookup_name(const char *name)
{
	unsigned long i;

	for (i = 0; i < kallsyms_num; i++) {
		if (strcmp(kallsyms_name(i), name) == 0)
			return kallsyms_addresses[i];
	}
	return 0;
}
