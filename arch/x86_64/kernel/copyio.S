/* SPDX-License-Identifier: MIT */
/*
 * The copy loops of copyin/copyout (mm/copyio.c, <kern/copyio.h>), the
 * fixed-size copies of a message header, and their exception table.
 *
 * With SMAP on, stac opens the kernel's access to user pages for the
 * copy and clac closes it again; the trap handler lets a #PF between
 * copyio_user_text_start and _end go to the VM (x86_user_access_violation()
 * in traps.c). A fault the VM does not resolve resumes at the fixup
 * listed for the faulting instruction, which closes the window and
 * returns 1.
 */
#include <asm/smap.h>

	.text
	.globl	copyio_user_text_start
copyio_user_text_start:

/*
 * unsigned long arch_copy_from_user(void *dst, const void __user *src, size_t len)
 * unsigned long arch_copy_to_user(void __user *dst, const void *src, size_t len)
 * The same loop: eight bytes at a time, then the rest.
 */
	.globl	arch_copy_from_user
	.type	arch_copy_from_user, @function
	.globl	arch_copy_to_user
	.type	arch_copy_to_user, @function
arch_copy_from_user:
arch_copy_to_user:
	STAC_IF_SMAP
	movq	%rdx, %rcx
	shrq	$3, %rcx
.Lcopy_quads:
	rep movsq
	movq	%rdx, %rcx
	andq	$7, %rcx
.Lcopy_bytes:
	rep movsb
	CLAC_IF_SMAP
	xorl	%eax, %eax
	ret
.Lcopy_fault:
	CLAC_IF_SMAP
	movl	$1, %eax
	ret
	.size	arch_copy_from_user, . - arch_copy_from_user
	.size	arch_copy_to_user, . - arch_copy_to_user

/*
 * unsigned long arch_copyin_msg_header(void *dst, const void __user *src)
 * A user message header (COPYIO_MSG_HEADER_SIZE, 24 bytes): three loads,
 * each with its own exception-table entry, all before the first store,
 * so a fault leaves dst as it was.
 */
	.globl	arch_copyin_msg_header
	.type	arch_copyin_msg_header, @function
arch_copyin_msg_header:
	STAC_IF_SMAP
.Lhin0:	movq	0(%rsi), %rax
.Lhin1:	movq	8(%rsi), %rcx
.Lhin2:	movq	16(%rsi), %rdx
	CLAC_IF_SMAP
	movq	%rax, 0(%rdi)
	movq	%rcx, 8(%rdi)
	movq	%rdx, 16(%rdi)
	xorl	%eax, %eax
	ret
	.size	arch_copyin_msg_header, . - arch_copyin_msg_header

/*
 * unsigned long arch_copyout_msg_header(void __user *dst, const void *src, size_t size)
 * A header and its trailer: size is 24 to 56, a multiple of 4
 * (<kern/copyio.h> checks). The header's three words, then the t = size -
 * 24 bytes of the trailer: none; one long (t = 4); the word at 24 (t =
 * 8, the trailer of most receives: a branch on the flags of the compare
 * with 8, which the moves keep, and which come back with the rest of
 * RFLAGS if the store faults and the VM resolves it); or that word and
 * the word that ends at size (8 < t <= 16), and for t > 16 also the word
 * at 32 and the one before the last (they overlap where t is not a
 * multiple of 8, which is harmless: the same bytes twice).
 */
	.globl	arch_copyout_msg_header
	.type	arch_copyout_msg_header, @function
arch_copyout_msg_header:
	movq	0(%rsi), %rax
	movq	8(%rsi), %rcx
	movq	16(%rsi), %r8
	STAC_IF_SMAP
.Lhout0:
	movq	%rax, 0(%rdi)
.Lhout1:
	movq	%rcx, 8(%rdi)
.Lhout2:
	movq	%r8, 16(%rdi)
	subq	$24, %rdx
	jz	2f
	cmpq	$8, %rdx
	jb	1f
	movq	24(%rsi), %rax
.Lhout3:
	movq	%rax, 24(%rdi)
	je	2f			/* t = 8, the usual trailer: the cmpq's flags still */
	movq	16(%rsi,%rdx), %rcx
.Lhout4:
	movq	%rcx, 16(%rdi,%rdx)
	cmpq	$16, %rdx
	jbe	2f
	movq	32(%rsi), %rax
	movq	8(%rsi,%rdx), %rcx
.Lhout5:
	movq	%rax, 32(%rdi)
.Lhout6:
	movq	%rcx, 8(%rdi,%rdx)
	jmp	2f
1:	movl	24(%rsi), %eax
.Lhout7:
	movl	%eax, 24(%rdi)
2:	CLAC_IF_SMAP
	xorl	%eax, %eax
	ret
	.size	arch_copyout_msg_header, . - arch_copyout_msg_header

	.globl	copyio_user_text_end
copyio_user_text_end:

/*
 * unsigned long arch_copyio_probe(const void __user *uaddr, unsigned long *val)
 * A plain load, outside the copyio window: with SMAP on it faults.
 */
	.globl	arch_copyio_probe
	.type	arch_copyio_probe, @function
arch_copyio_probe:
.Lprobe_load:
	movq	(%rdi), %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
.Lprobe_fault:
	movl	$1, %eax
	ret
	.size	arch_copyio_probe, . - arch_copyio_probe

	.section .rodata
	.balign	8
	.globl	copyio_extable_start
copyio_extable_start:
	.quad	.Lcopy_quads, .Lcopy_fault
	.quad	.Lcopy_bytes, .Lcopy_fault
	.quad	.Lhin0, .Lcopy_fault
	.quad	.Lhin1, .Lcopy_fault
	.quad	.Lhin2, .Lcopy_fault
	.quad	.Lhout0, .Lcopy_fault
	.quad	.Lhout1, .Lcopy_fault
	.quad	.Lhout2, .Lcopy_fault
	.quad	.Lhout3, .Lcopy_fault
	.quad	.Lhout4, .Lcopy_fault
	.quad	.Lhout5, .Lcopy_fault
	.quad	.Lhout6, .Lcopy_fault
	.quad	.Lhout7, .Lcopy_fault
	.quad	.Lprobe_load, .Lprobe_fault
	.globl	copyio_extable_end
copyio_extable_end:

	.section .note.GNU-stack, "", @progbits
