/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 side of <kern/copyio.h>'s inline user accesses (its
 * contract, Documentation/traps.rst "copyio"): each load or store is one
 * movl, listed in the copyio exception table with a C label as its fixup.
 *
 * SMAP: user_access_begin()/end() are stac and clac, each a .smap_sites
 * entry like those of <asm/smap.h> (a 3-byte NOP on a CPU without SMAP).
 * Their "memory" clobber keeps the compiler's own memory accesses on
 * their side; the accesses between them, volatile asm, keep their order.
 */
#ifndef _ASM_X86_64_UACCESS_H
#define _ASM_X86_64_UACCESS_H

#include <asm/smap.h>

#define X86_SMAP_SITE_INSN(insn)						\
	"771:	" insn "\n\t"							\
	".pushsection .smap_sites, \"a\"\n\t"					\
	".balign 8\n\t"								\
	".quad 771b\n\t"							\
	".popsection\n\t"

static __always_inline void user_access_begin(void)
{
	asm volatile(X86_SMAP_SITE_INSN("stac") ::: "memory");
}

static __always_inline void user_access_end(void)
{
	asm volatile(X86_SMAP_SITE_INSN("clac") ::: "memory");
}

/*
 * The one-instruction user load and store of <kern/copyio.h>'s
 * unsafe_get_user_u32()/unsafe_put_user_u32(): %[v] the value, %[b] the
 * base, %[o] the constant offset; the store's value may be an immediate.
 */
#define ARCH_UACCESS_LOAD_U32		"movl %c[o](%[b]), %[v]"
#define ARCH_UACCESS_STORE_U32		"movl %[v], %c[o](%[b])"
#define ARCH_UACCESS_STORE_VALUE	"ir"

#endif /* _ASM_X86_64_UACCESS_H */
