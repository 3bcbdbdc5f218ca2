/* SPDX-License-Identifier: MIT */
/*
 * The bootstrap's copy of the other programs of the RAM disk, a cpio
 * (newc) archive built by user/Makefile (programs.cpio): user space cannot
 * read the kernel's RAM disk, so the bootstrap carries what it starts.
 */
	.section .rodata
	.balign 16
	.globl	programs_cpio
	.globl	programs_cpio_end
programs_cpio:
	.incbin	PROGRAMS_CPIO
programs_cpio_end:
	.section .note.GNU-stack,"",%progbits
