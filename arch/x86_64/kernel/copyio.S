/* SPDX-License-Identifier: MIT */
/*
 * The copy loops of copyin/copyout (mm/copyio.c, <kern/copyio.h>) and
 * their exception table.
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
	.quad	.Lprobe_load, .Lprobe_fault
	.globl	copyio_extable_end
copyio_extable_end:

	.section .note.GNU-stack, "", @progbits
