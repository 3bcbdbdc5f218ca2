/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 kernel address space once arch_vm_bootstrap() has run (4-level
 * paging, 48-bit virtual addresses). See
 * Documentation/mm/kernel-address-space.rst.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_7fff_ffff_efff   user space: a pmap per
 *                     task (<kern/pmap.h>, Documentation/mm/pmap.rst)
 *   0xffff_8000_0000_0000 = PAGE_OFFSET  the direct map: PA + PAGE_OFFSET
 *                     for every RAM range of the boot memory map and the
 *                     low 1 MiB; read-write, no-execute; 1 GiB / 2 MiB
 *                     pages where aligned (room for 64 TiB)
 *   0xffff_c000_0000_0000 = KVA_START    the kernel VA window of kmem:
 *                     kernel stacks with guard pages, wired memory (256 GiB)
 *   0xffff_c040_0000_0000 = IOREMAP_START  ioremap() of device registers,
 *                     uncached, no-execute (256 GiB)
 *   0xffff_ffff_8000_0000 = KERNEL_VIRT_BASE  the kernel image (-2 GiB,
 *                     -mcmodel=kernel) at KERNEL_VIRT_BASE + its physical
 *                     address, W^X per section
 *
 * Before arch_vm_bootstrap() only the early map of head.S exists (see
 * <asm/memlayout.h>): phys_to_virt() must not be used before it.
 * The constants the linker script and head.S need stay in memlayout.h.
 */
#ifndef _ASM_X86_64_MEMORY_H
#define _ASM_X86_64_MEMORY_H

#include <asm/memlayout.h>	/* PAGE_SHIFT, PAGE_SIZE, KERNEL_VIRT_BASE, _AC */

#define PAGE_OFFSET		_AC(0xffff800000000000, UL)
#define DIRECT_MAP_SIZE		_AC(0x0000400000000000, UL)	/* 64 TiB */

#define KVA_START		_AC(0xffffc00000000000, UL)
#define KVA_END			_AC(0xffffc04000000000, UL)

#define IOREMAP_START		KVA_END
#define IOREMAP_END		_AC(0xffffc08000000000, UL)

/*
 * User address spaces (<kern/pmap.h>): the lower half, less its last page
 * (a return to user mode with sysret at the edge of the canonical range
 * would fault in the kernel).
 */
#define VM_MIN_USER_ADDRESS	_AC(0x0000000000000000, UL)
#define VM_MAX_USER_ADDRESS	_AC(0x00007ffffffff000, UL)

#ifndef __ASSEMBLY__

#include <kern/types.h>

/* A direct-map address of physical address pa (RAM only). */
static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + PAGE_OFFSET);
}

/*
 * The physical address of a direct-map address or of a symbol of the
 * kernel image (which sits at KERNEL_VIRT_BASE + its physical address).
 * Not for the KVA or ioremap windows: use pmap_kernel_extract() there.
 */
static inline phys_addr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VIRT_BASE)
		return (phys_addr_t)(v - KERNEL_VIRT_BASE);
	return (phys_addr_t)(v - PAGE_OFFSET);
}

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_64_MEMORY_H */
