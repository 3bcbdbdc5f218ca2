/* SPDX-License-Identifier: MIT */
/*
 * SMAP's stac/clac for assembly. Both are #UD on a CPU without SMAP, so
 * each site is listed in .smap_sites and x86_cpu_init() overwrites every
 * one with a 3-byte NOP (0f 1f 00, the size of stac and clac) there,
 * before the IDT is loaded, while the kernel's text is still writable
 * (x86_smap_patch(), cpu.c). With SMAP each is one instruction: a test of
 * x86_smap_enabled before it cost two more at every site (four copies
 * of a message header a user RPC: 16 instructions).
 */
#ifndef _ASM_X86_64_SMAP_H
#define _ASM_X86_64_SMAP_H

#define X86_SMAP_INSN_SIZE	3	/* stac, clac, and the NOP put in their place */

#ifdef __ASSEMBLY__

	.macro	SMAP_SITE insn
.Lsmap_site\@:
	\insn
	.if	. - .Lsmap_site\@ - X86_SMAP_INSN_SIZE
	.error	"stac/clac is not X86_SMAP_INSN_SIZE bytes"
	.endif
	.pushsection .smap_sites, "a"
	.balign	8
	.quad	.Lsmap_site\@
	.popsection
	.endm

	.macro	STAC_IF_SMAP
	SMAP_SITE stac
	.endm

	.macro	CLAC_IF_SMAP
	SMAP_SITE clac
	.endm

#endif /* __ASSEMBLY__ */
#endif /* _ASM_X86_64_SMAP_H */
