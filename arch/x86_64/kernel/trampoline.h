/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/x86_64/kernel: where the AP start-up code lives in low
 * memory and what it reads, shared by trampoline.S and smp.c.
 *
 * Pages in the first MiB, which setup.c reserves as a whole (BIOS and
 * real-mode area) so the page allocator never hands them out; they sit
 * below the boot sector address 0x7c00 and clear of QEMU's multiboot
 * information (0x9000 and up).
 */
#ifndef _ARCH_X86_64_KERNEL_TRAMPOLINE_H
#define _ARCH_X86_64_KERNEL_TRAMPOLINE_H

#define TRAMPOLINE_BASE		0x7000	/* the code: STARTUP vector 0x07 */
#define TRAMPOLINE_PML4		0x4000	/* its page tables: PML4, */
#define TRAMPOLINE_PDPT		0x5000	/* the identity PDPT */
#define TRAMPOLINE_PD		0x6000	/* and PD (one 2 MiB page at 0) */

/* struct x86_secondary_boot (smp.c), for trampoline.S */
#define SECONDARY_BOOT_CR3	0
#define SECONDARY_BOOT_STACK	8
#define SECONDARY_BOOT_CPU	16

#endif /* _ARCH_X86_64_KERNEL_TRAMPOLINE_H */
