/* SPDX-License-Identifier: MIT */
/*
 * The copy loops of copyin/copyout (mm/copyio.c, <kern/copyio.h>) and
 * their entries in the copyio exception table (<asm/uaccess.h> has the
 * inline accesses).
 *
 * The user side is touched with LDTR/STTR, the unprivileged forms: they
 * check EL0's permissions (a kernel page faults even if the range check
 * missed it) and PAN does not stop them, so PSTATE.PAN never needs to
 * be cleared. The trap handler lets an abort of an access listed in the
 * exception table go to the VM (traps.c); one the VM does not resolve
 * resumes at the fixup listed for the faulting instruction, which
 * returns 1.
 */

	.text

/* unsigned long arch_copy_from_user(void *dst, const void __user *src, size_t len) */
	.globl	arch_copy_from_user
	.type	arch_copy_from_user, %function
arch_copy_from_user:
	orr	x3, x0, x1
	tst	x3, #7
	b.ne	2f
1:	cmp	x2, #8				/* both aligned: words */
	b.lo	2f
.Lfrom_word:
	ldtr	x4, [x1]
	str	x4, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	b	1b
2:	cbz	x2, 3f
.Lfrom_byte:
	ldtrb	w4, [x1]
	strb	w4, [x0], #1
	add	x1, x1, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, #0
	ret
	.size	arch_copy_from_user, . - arch_copy_from_user

/* unsigned long arch_copy_to_user(void __user *dst, const void *src, size_t len) */
	.globl	arch_copy_to_user
	.type	arch_copy_to_user, %function
arch_copy_to_user:
	orr	x3, x0, x1
	tst	x3, #7
	b.ne	2f
1:	cmp	x2, #8
	b.lo	2f
	ldr	x4, [x1], #8
.Lto_word:
	sttr	x4, [x0]
	add	x0, x0, #8
	sub	x2, x2, #8
	b	1b
2:	cbz	x2, 3f
	ldrb	w4, [x1], #1
.Lto_byte:
	sttrb	w4, [x0]
	add	x0, x0, #1
	sub	x2, x2, #1
	b	2b
3:	mov	x0, #0
	ret
	.size	arch_copy_to_user, . - arch_copy_to_user

.Lcopy_fault:
	mov	x0, #1
	ret

/*
 * unsigned long arch_copyio_probe(const void __user *uaddr, unsigned long *val)
 * A plain (privileged) load: with PAN on it faults.
 */
	.globl	arch_copyio_probe
	.type	arch_copyio_probe, %function
arch_copyio_probe:
	.globl	copyio_probe_load
copyio_probe_load:
	ldr	x2, [x0]
	str	x2, [x1]
	mov	x0, #0
	ret
	.globl	copyio_probe_fault
copyio_probe_fault:
	mov	x0, #1
	ret
	.size	arch_copyio_probe, . - arch_copyio_probe

	.section .copyio_extable, "a"
	.balign	8
	.quad	.Lfrom_word, .Lcopy_fault
	.quad	.Lfrom_byte, .Lcopy_fault
	.quad	.Lto_word, .Lcopy_fault
	.quad	.Lto_byte, .Lcopy_fault

	.section .note.GNU-stack, "", %progbits
