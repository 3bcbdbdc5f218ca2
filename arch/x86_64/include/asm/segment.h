/* SPDX-License-Identifier: MIT */
/*
 * The kernel's GDT layout (arch/x86_64/kernel/cpu.c) and the TSS.
 * head.S uses the same selectors in its boot GDT.
 */
#ifndef _ASM_X86_64_SEGMENT_H
#define _ASM_X86_64_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_TSS		3	/* a 16-byte descriptor: two slots */
#define GDT_ENTRIES		5

#define KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define KERNEL_DS		(GDT_ENTRY_KERNEL_DS * 8)
#define TSS_SEL			(GDT_ENTRY_TSS * 8)

/* Interrupt stack table slots (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_STACKS		3
#define IST_STACK_SIZE		8192

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
