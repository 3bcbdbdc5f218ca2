/* SPDX-License-Identifier: MIT */
/*
 * SMAP's stac/clac for assembly: only where the CPU has SMAP
 * (x86_smap_enabled, arch/x86_64/kernel/cpu.c), as both are #UD without it.
 */
#ifndef _ASM_X86_64_SMAP_H
#define _ASM_X86_64_SMAP_H

#ifdef __ASSEMBLY__

	.macro	STAC_IF_SMAP
	cmpb	$0, x86_smap_enabled(%rip)
	je	.L\@
	stac
.L\@:
	.endm

	.macro	CLAC_IF_SMAP
	cmpb	$0, x86_smap_enabled(%rip)
	je	.L\@
	clac
.L\@:
	.endm

#endif /* __ASSEMBLY__ */
#endif /* _ASM_X86_64_SMAP_H */
