/* SPDX-License-Identifier: MIT */
/*
 * The kernel's half of the pmap: mapping physical pages into the kernel's
 * address space, implemented per architecture (arch/<arch>/mm/ or
 * arch/<arch>/kernel/pmap.c). User address spaces (pmap_create, pmap_enter
 * on a task's pmap) arrive with the VM.
 *
 * All of RAM is also reachable through the direct map: phys_to_virt() and
 * virt_to_phys() from <asm/memory.h>, inline. The functions here are for
 * other mappings, chiefly the kernel VA window [KVA_START, KVA_END) where
 * kmem puts kernel stacks with unmapped guard pages.
 *
 * Changes are visible on every CPU when the call returns (the arch does the
 * TLB shootdown).
 */
#ifndef _KERN_PMAP_H
#define _KERN_PMAP_H

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <asm/memory.h>		/* phys_to_virt, virt_to_phys, KVA_START/END, PAGE_SIZE */

/*
 * Map [va, va + size) to [pa, pa + size) with prot (VM_PROT_READ implied;
 * without VM_PROT_EXECUTE the mapping is no-execute). Uses 2 MiB pages
 * where va, pa and size allow, 4 KiB pages otherwise. KERN_INVALID_ARGUMENT
 * for unaligned or non-kernel addresses, KERN_NO_SPACE if part of the range
 * is already mapped, KERN_RESOURCE_SHORTAGE without page-table memory.
 */
kern_return_t pmap_kernel_enter(vm_offset_t va, phys_addr_t pa, vm_size_t size,
				vm_prot_t prot);

/* Unmap [va, va + size) (a 2 MiB page is split if only part goes). */
kern_return_t pmap_kernel_remove(vm_offset_t va, vm_size_t size);

/* Change the protection of a mapped range. */
kern_return_t pmap_kernel_protect(vm_offset_t va, vm_size_t size, vm_prot_t prot);

/*
 * Walk the kernel page tables: the physical address va maps to, and its
 * protection and page size. KERN_INVALID_ADDRESS if unmapped.
 */
kern_return_t pmap_kernel_extract(vm_offset_t va, phys_addr_t *pa,
				  vm_prot_t *prot, vm_size_t *page_size);

/* Print the mappings of [va, va + size), one line per run (debugging). */
void pmap_kernel_dump(vm_offset_t va, vm_size_t size);

#endif /* _KERN_PMAP_H */
