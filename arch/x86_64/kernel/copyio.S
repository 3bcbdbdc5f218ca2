/* SPDX-License-Identifier: MIT */
/*
 * The copy loops of copyin/copyout (mm/copyio.c, <kern/copyio.h>) and
 * their entries in the copyio exception table (<asm/uaccess.h> has the
 * inline accesses).
 *
 * With SMAP on, stac opens the kernel's access to user pages for the
 * copy and clac closes it again; the trap handler lets a #PF of an
 * access listed in the exception table go to the VM
 * (x86_user_access_violation() in traps.c). A fault the VM does not
 * resolve resumes at the fixup listed for the faulting instruction,
 * which closes the window and returns 1.
 */
#include <asm/smap.h>

	.text

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
 * unsigned long arch_copyio_probe(const void __user *uaddr, unsigned long *val)
 * A plain load, outside the copyio window: with SMAP on it faults.
 */
	.globl	arch_copyio_probe
	.type	arch_copyio_probe, @function
arch_copyio_probe:
	.globl	copyio_probe_load
copyio_probe_load:
	movq	(%rdi), %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
	.globl	copyio_probe_fault
copyio_probe_fault:
	movl	$1, %eax
	ret
	.size	arch_copyio_probe, . - arch_copyio_probe

	.section .copyio_extable, "a"
	.balign	8
	.quad	.Lcopy_quads, .Lcopy_fault
	.quad	.Lcopy_bytes, .Lcopy_fault

	.section .note.GNU-stack, "", @progbits
