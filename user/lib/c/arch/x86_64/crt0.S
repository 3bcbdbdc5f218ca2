/* SPDX-License-Identifier: MIT */
/*
 * x86_64 program entry. %rsp (16-byte aligned) points at argc, and %rdi
 * holds the same address (the start contract, Documentation/user.rst).
 * The frame pointer is cleared to end backtraces here; the call keeps the
 * ABI's alignment (the stack is 16-byte aligned before it).
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	_libc_start
	ud2
	.size	_start, . - _start

	.section .note.GNU-stack, "", %progbits
