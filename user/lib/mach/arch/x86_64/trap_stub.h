/* SPDX-License-Identifier: MIT */
/*
 * x86_64 Mach trap stub: the number in %rax, the fourth argument moved from
 * %rcx (the C convention's) to %r10 (syscall overwrites %rcx with the
 * return address); the seventh and eighth stay at 8(%rsp) and 16(%rsp),
 * where the caller put them and where the kernel reads them.
 */
#define MACH_TRAP_STUB(name, nr)		\
	.text;					\
	.globl name;				\
	.type name, @function;			\
	.p2align 4;				\
name:						\
	movq	%rcx, %r10;			\
	movq	$(nr), %rax;			\
	syscall;				\
	ret;					\
	.size name, . - name
