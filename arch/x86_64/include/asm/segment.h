/* SPDX-License-Identifier: MIT */
/*
 * The kernel's GDT layout (arch/x86_64/kernel/cpu.c) and the TSS.
 * head.S uses the same selectors in its boot GDT.
 */
#ifndef _ASM_X86_64_SEGMENT_H
#define _ASM_X86_64_SEGMENT_H

/*
 * syscall loads CS from STAR[47:32] and SS from the next slot; sysret
 * loads SS from STAR[63:48] + 8 and (64-bit) CS from STAR[63:48] + 16,
 * hence the order: kernel code, kernel data, (32-bit user code, unused),
 * user data, user code.
 */
#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_USER_CS32	3	/* left empty: no 32-bit user mode */
#define GDT_ENTRY_USER_DS	4
#define GDT_ENTRY_USER_CS	5
#define GDT_ENTRY_TSS		6	/* a 16-byte descriptor: two slots */
#define GDT_ENTRIES		8

#define KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define KERNEL_DS		(GDT_ENTRY_KERNEL_DS * 8)
#define USER_DS			(GDT_ENTRY_USER_DS * 8 + 3)	/* RPL 3 */
#define USER_CS			(GDT_ENTRY_USER_CS * 8 + 3)
#define USER_STAR_BASE		(GDT_ENTRY_USER_CS32 * 8 + 3)
#define TSS_SEL			(GDT_ENTRY_TSS * 8)

/* Interrupt stack table slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_STACKS		3
#define IST_STACK_SIZE		8192

/* The vector field of a frame the syscall entry built (not an IDT vector). */
#define X86_VECTOR_SYSCALL	0x100
/* %gs offsets of cpu_data.arch_entry_sp[0] (the user frame's end, TSS.rsp0), [1] (user rsp) */
#define CPU_DATA_ENTRY_SP	64
#define CPU_DATA_USER_SP	72

#ifndef __ASSEMBLY__

#include <kern/types.h>

struct x86_tss {
	uint32_t	reserved0;
	uint64_t	rsp[3];		/* stacks for a change to ring 0..2 */
	uint64_t	reserved1;
	uint64_t	ist[7];		/* interrupt stack table, IST 1..7 */
	uint64_t	reserved2;
	uint16_t	reserved3;
	uint16_t	iomap_base;
} __packed;

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_64_SEGMENT_H */
