/* SPDX-License-Identifier: MIT */
/*
 * x86_64 memory layout constants, usable from C, assembly and the linker
 * script.
 *
 * QEMU's multiboot loader puts the image at physical 1 MiB. The kernel runs
 * in the top 2 GiB (-mcmodel=kernel), at KERNEL_VIRT_BASE + physical
 * address: the early page tables of head.S map the first GiB of physical
 * memory both there and at 0 (the identity map the 32-bit entry needs).
 */
#ifndef _ASM_X86_64_MEMLAYOUT_H
#define _ASM_X86_64_MEMLAYOUT_H

#ifdef __ASSEMBLY__
#define _AC(x, y)		x
#else
#define _AC(x, y)		x##y
#endif

#define PAGE_SHIFT		12
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)

/* Kernel image and early direct map live in the top of the address space. */
#define KERNEL_VIRT_BASE	_AC(0xffffffff80000000, UL)

/* virtual - KERNEL_LOAD_OFFSET = physical, for every kernel section. */
#define KERNEL_LOAD_OFFSET	KERNEL_VIRT_BASE

/* Where the loader puts .boot, the first byte of the image. */
#define KERNEL_PHYS_BASE	_AC(0x100000, UL)

/*
 * How much physical memory head.S maps (2 MiB pages), at 0 and at
 * KERNEL_VIRT_BASE. Boot code may only touch physical addresses below
 * this until the pmap (issue 3) builds the real direct map.
 */
#define EARLY_MAP_SIZE		_AC(0x40000000, UL)

/* Boot stack, below which head.S leaves a guard page unmapped. */
#define BOOT_STACK_SIZE		(_AC(16, UL) * 1024)

#endif /* _ASM_X86_64_MEMLAYOUT_H */
