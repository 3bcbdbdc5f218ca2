/* SPDX-License-Identifier: MIT */
/*
 * The copy loops of copyin/copyout (mm/copyio.c, <kern/copyio.h>), the
 * fixed-size copies of a message header, and their exception table.
 *
 * The user side is touched with LDTR/STTR, the unprivileged forms: they
 * check EL0's permissions (a kernel page faults even if the range check
 * missed it) and PAN does not stop them, so PSTATE.PAN never needs to
 * be cleared. The trap handler lets an abort between
 * copyio_user_text_start and _end go to the VM (traps.c); one the VM
 * does not resolve resumes at the fixup listed for the faulting
 * instruction, which returns 1.
 */

	.text
	.globl	copyio_user_text_start
copyio_user_text_start:

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

/*
 * unsigned long arch_copyin_msg_header(void *dst, const void __user *src)
 * A user message header (COPYIO_MSG_HEADER_SIZE, 24 bytes): three
 * unprivileged loads, each with its own exception-table entry, all
 * before the first store, so a fault leaves dst as it was. SCTLR_EL1.A
 * is clear: a 4-aligned (or any) user address is fine for them.
 */
	.globl	arch_copyin_msg_header
	.type	arch_copyin_msg_header, %function
arch_copyin_msg_header:
.Lhin0:	ldtr	x2, [x1]
.Lhin1:	ldtr	x3, [x1, #8]
.Lhin2:	ldtr	x4, [x1, #16]
	stp	x2, x3, [x0]
	str	x4, [x0, #16]
	mov	x0, #0
	ret
	.size	arch_copyin_msg_header, . - arch_copyin_msg_header

/*
 * unsigned long arch_copyout_msg_header(void __user *dst, const void *src, size_t size)
 * A header and its trailer: size is 24 to 56, a multiple of 4
 * (<kern/copyio.h> checks). The header's three words, then the t = size -
 * 24 bytes of the trailer: none; one word of 4 (t = 4); the word at 24
 * (t = 8, the trailer of most receives: a branch on the flags of the
 * compare with 8, which the load and store keep, and which come back with
 * SPSR if the store faults and the VM resolves it); or that word and the
 * one that ends at size (8 < t <= 16), and for t > 16 also the word at 32
 * and the one before the last (overlapping where t is not a multiple of
 * 8: the same bytes twice).
 */
	.globl	arch_copyout_msg_header
	.type	arch_copyout_msg_header, %function
arch_copyout_msg_header:
	ldp	x3, x4, [x1]
	ldr	x5, [x1, #16]
.Lhout0:
	sttr	x3, [x0]
.Lhout1:
	sttr	x4, [x0, #8]
.Lhout2:
	sttr	x5, [x0, #16]
	subs	x2, x2, #24
	b.eq	2f
	cmp	x2, #8
	b.lo	1f
	ldr	x3, [x1, #24]
.Lhout3:
	sttr	x3, [x0, #24]
	b.eq	2f			/* t = 8, the usual trailer: the cmp's flags still */
	add	x6, x0, x2			/* dst + t, src + t: the words that end at size */
	add	x7, x1, x2
	ldr	x4, [x7, #16]
.Lhout4:
	sttr	x4, [x6, #16]
	cmp	x2, #16
	b.ls	2f
	ldr	x3, [x1, #32]
	ldr	x4, [x7, #8]
.Lhout5:
	sttr	x3, [x0, #32]
.Lhout6:
	sttr	x4, [x6, #8]
	b	2f
1:	ldr	w3, [x1, #24]
.Lhout7:
	sttr	w3, [x0, #24]
2:	mov	x0, #0
	ret
	.size	arch_copyout_msg_header, . - arch_copyout_msg_header

.Lcopy_fault:
	mov	x0, #1
	ret

	.globl	copyio_user_text_end
copyio_user_text_end:

/*
 * unsigned long arch_copyio_probe(const void __user *uaddr, unsigned long *val)
 * A plain (privileged) load: with PAN on it faults.
 */
	.globl	arch_copyio_probe
	.type	arch_copyio_probe, %function
arch_copyio_probe:
.Lprobe_load:
	ldr	x2, [x0]
	str	x2, [x1]
	mov	x0, #0
	ret
.Lprobe_fault:
	mov	x0, #1
	ret
	.size	arch_copyio_probe, . - arch_copyio_probe

	.section .rodata
	.balign	8
	.globl	copyio_extable_start
copyio_extable_start:
	.quad	.Lfrom_word, .Lcopy_fault
	.quad	.Lfrom_byte, .Lcopy_fault
	.quad	.Lto_word, .Lcopy_fault
	.quad	.Lto_byte, .Lcopy_fault
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

	.section .note.GNU-stack, "", %progbits
