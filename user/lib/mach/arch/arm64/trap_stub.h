/* SPDX-License-Identifier: MIT */
/*
 * arm64 Mach trap stub: the arguments are already in x0..x7, the number
 * goes in x16, svc #0x80 traps, the result comes back in x0.
 */
#define MACH_TRAP_STUB(name, nr)		\
	.text;					\
	.globl name;				\
	.type name, %function;			\
	.p2align 2;				\
name:						\
	mov	x16, #(nr);			\
	svc	#MACH_TRAP_SVC_IMM;		\
	ret;					\
	.size name, . - name
