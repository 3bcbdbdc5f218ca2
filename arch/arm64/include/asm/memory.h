/* SPDX-License-Identifier: MIT */
/*
 * The arm64 kernel virtual memory layout (48-bit VA, 4 KiB granule). See
 * Documentation/mm/kernel-address-space.rst.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_ffff_ffff_ffff   TTBR0: user space, a
 *                                     pmap per task (<kern/pmap.h>)
 *                                     (during boot only: identity maps of
 *                                     the GiB holding the kernel image)
 *   0xffff_0000_0000_0000 = PAGE_OFFSET               TTBR1: the direct map,
 *                                     PA + PAGE_OFFSET for every RAM range
 *                                     of the boot memory map, read-write,
 *                                     never executable (its alias of the
 *                                     image's text and rodata read-only);
 *                                     before arch_vm_bootstrap() also the
 *                                     devices ioremap()ed (device nGnRnE)
 *   0xffff_8000_0000_0000 = KVA_START                 TTBR1: the kernel VA
 *                                     window of kmem (stacks with guard
 *                                     pages, wired memory), 256 GiB
 *   0xffff_8040_0000_0000 = IOREMAP_START             TTBR1: ioremap() once
 *                                     the pmap is up, 256 GiB
 *   0xffff_ff80_0000_0000 = KIMAGE_VADDR              TTBR1: the kernel image,
 *                                     linked here whatever its physical
 *                                     load address; 2 MiB blocks at boot,
 *                                     W^X per section (4 KiB pages at the
 *                                     edges) after arch_vm_bootstrap()
 *
 * The physical load address is found at run time (adr of _head), so the
 * image runs wherever the bootloader put it, as long as that is 2 MiB
 * aligned (the arm64 boot protocol with text_offset 0x400000).
 */
#ifndef _ASM_ARM64_MEMORY_H
#define _ASM_ARM64_MEMORY_H

#ifdef __ASSEMBLY__
#define _AC(x, y)	x
#else
#define __AC(x, y)	x##y
#define _AC(x, y)	__AC(x, y)
#endif

#define PAGE_SHIFT		12
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)
#define SECTION_SHIFT		21		/* a 2 MiB level-2 block */
#define SECTION_SIZE		(_AC(1, UL) << SECTION_SHIFT)
#define PUD_SHIFT		30		/* a 1 GiB level-1 block */
#define PUD_SIZE		(_AC(1, UL) << PUD_SHIFT)
#define PGD_SHIFT		39		/* a level-0 entry spans 512 GiB */

#define VA_BITS			48
#define PAGE_OFFSET		_AC(0xffff000000000000, UL)
#define KIMAGE_VADDR		_AC(0xffffff8000000000, UL)

#define KVA_START		_AC(0xffff800000000000, UL)
#define KVA_END			_AC(0xffff804000000000, UL)
#define IOREMAP_START		KVA_END
#define IOREMAP_END		_AC(0xffff808000000000, UL)

/* User address spaces (<kern/pmap.h>): all of TTBR0's 48 bits. */
#define VM_MIN_USER_ADDRESS	_AC(0x0000000000000000, UL)
#define VM_MAX_USER_ADDRESS	_AC(0x0001000000000000, UL)

/* The nominal load address: the ELF's LMAs, and where U-Boot and QEMU put it. */
#define KERNEL_TEXT_OFFSET	0x400000
#define KERNEL_PHYS_NOMINAL	_AC(0x40400000, UL)

#define BOOT_STACK_SIZE		(_AC(16, UL) * 1024)

#ifndef __ASSEMBLY__

#include <kern/types.h>

/* KIMAGE_VADDR - the physical address of the image, set at boot. */
extern unsigned long kimage_voffset;

/* A direct-map address of physical address pa (RAM only). */
static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + PAGE_OFFSET);
}

/*
 * The physical address of a direct-map address or of a symbol of the
 * kernel image. Not for the KVA or ioremap windows: use
 * pmap_kernel_extract() there.
 */
static inline phys_addr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KIMAGE_VADDR)
		return (phys_addr_t)(v - kimage_voffset);
	return (phys_addr_t)(v - PAGE_OFFSET);
}

/* The physical address of a symbol of the kernel image. */
static inline phys_addr_t kimage_to_phys(const void *va)
{
	return (phys_addr_t)((uintptr_t)va - kimage_voffset);
}

#endif /* !__ASSEMBLY__ */

#endif /* _ASM_ARM64_MEMORY_H */
