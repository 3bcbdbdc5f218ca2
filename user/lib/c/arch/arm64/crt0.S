/* SPDX-License-Identifier: MIT */
/*
 * arm64 program entry. sp (16-byte aligned) points at argc, and x0 holds
 * the same address (the start contract, Documentation/user.rst). The frame
 * pointer and link register are cleared to end backtraces here.
 */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0
	mov	x30, #0
	mov	x0, sp
	bl	_libc_start
	brk	#0
	.size	_start, . - _start

	.section .note.GNU-stack, "", %progbits
