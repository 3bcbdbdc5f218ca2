/* SPDX-License-Identifier: MIT */
/*
 * The kernel's half of the pmap: mapping physical pages into the kernel's
 * address space. User address spaces (pmap_create, pmap_enter on a task's
 * pmap) arrive with the VM.
 *
 * All of RAM is also reachable through the direct map: phys_to_virt() and
 * virt_to_phys() from <asm/memory.h>, inline. The functions here are for
 * other mappings, chiefly the kernel VA window [KVA_START, KVA_END) where
 * kmem puts kernel stacks with unmapped guard pages. See
 * Documentation/mm/kernel-address-space.rst.
 *
 * The walking and splitting is machine-independent (mm/pmap_kernel.c); each
 * architecture encodes entries (<asm/pgtable.h>), builds the first tables in
 * arch_vm_bootstrap() and does the TLB maintenance.
 *
 * Changes are visible on every CPU when the call returns (x86_64: TLB
 * shootdown by IPI; arm64: broadcast TLBI). With more than one CPU up, call
 * pmap_kernel_remove/protect with interrupts enabled and without holding a
 * spinlock that another CPU may spin on with interrupts disabled: the other
 * CPUs must be able to take the shootdown IPI while this one waits.
 * pmap_kernel_enter never waits for another CPU. All of them may be called
 * before the scheduler runs; none sleeps. No mapping may be both writable
 * and executable (W^X): such a prot is KERN_INVALID_ARGUMENT. Before
 * arch_vm_bootstrap() they fail with KERN_FAILURE.
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

/*
 * Unmap [va, va + size) (a 2 MiB page is split if only part goes); holes
 * in the range are fine. Page-table pages that become empty go back to the
 * page allocator (those from before it existed are kept).
 */
kern_return_t pmap_kernel_remove(vm_offset_t va, vm_size_t size);

/*
 * Change the protection of a mapped range (VM_PROT_READ implied), splitting
 * large pages at its edges. KERN_INVALID_ADDRESS, with nothing changed, if
 * part of the range is not mapped.
 */
kern_return_t pmap_kernel_protect(vm_offset_t va, vm_size_t size, vm_prot_t prot);

/*
 * Walk the kernel page tables: the physical address va maps to, and its
 * protection and page size. KERN_INVALID_ADDRESS if unmapped.
 */
kern_return_t pmap_kernel_extract(vm_offset_t va, phys_addr_t *pa,
				  vm_prot_t *prot, vm_size_t *page_size);

/* Print the mappings of [va, va + size), one line per run (debugging). */
void pmap_kernel_dump(vm_offset_t va, vm_size_t size);

/* Page-table pages the kernel pmap uses now (statistics and tests). */
unsigned long pmap_kernel_table_pages(void);

#endif /* _KERN_PMAP_H */
