/* SPDX-License-Identifier: MIT */
/*
 * kallsyms: the kernel's own table of function symbols, for backtraces and
 * %pS. Built by the two-pass link in scripts/link-machline.sh; with
 * CONFIG_KALLSYMS off the lookups find nothing and cost nothing.
 */
#ifndef _KERN_KALLSYMS_H
#define _KERN_KALLSYMS_H

#include <kern/types.h>

#ifdef CONFIG_KALLSYMS
/*
 * The name of the function that contains addr, and addr's offset into it,
 * or NULL if addr is not in the kernel's text.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset);

/* As kallsyms_lookup(), also giving the function's size in bytes. */
const char *kallsyms_lookup_size(unsigned long addr, unsigned long *offset,
				 unsigned long *size);

/* The address of a function by name, or 0. */
unsigned long kallsyms_lookup_name(const char *name);
#else
static inline const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	return NULL;
}

static inline const char *kallsyms_lookup_size(unsigned long addr,
					       unsigned long *offset,
					       unsigned long *size)
{
	return NULL;
}

static inline unsigned long kallsyms_lookup_name(const char *name)
{
	return 0;
}
#endif

#endif /* _KERN_KALLSYMS_H */
