/* SPDX-License-Identifier: MIT */
/*
 * Kernel wired memory and kernel stacks, in the kernel VA window
 * [KVA_START, KVA_END) of <asm/memory.h>. See
 * Documentation/mm/physical-memory.rst.
 *
 * kmem_alloc_wired() maps pages from the page allocator at fresh kernel
 * addresses: the memory is virtually contiguous and zero-filled, but need
 * not be physically contiguous. Kernel stacks come the same way with one
 * unmapped guard page below each, so that a stack overflow faults instead
 * of overwriting its neighbour:
 *
 *	vm_offset_t base;
 *
 *	if (kmem_stack_alloc(KERNEL_STACK_SIZE, &base) != KERN_SUCCESS)
 *		return KERN_RESOURCE_SHORTAGE;
 *	top = base + KERNEL_STACK_SIZE;	(base - PAGE_SIZE is the guard page)
 *	...
 *	kmem_stack_free(base, KERNEL_STACK_SIZE);
 *
 * Sizes are rounded up to whole pages. None sleeps. With more than one CPU
 * up, call them with interrupts enabled: they map and unmap through the
 * pmap, which waits for the other CPUs to answer a TLB shootdown.
 */
#ifndef _KERN_KMEM_H
#define _KERN_KMEM_H

#include <kern/types.h>
#include <mach/kern_return.h>

/* Set up the VA window allocator: after vm_page_bootstrap(). */
void kmem_bootstrap(void);

/* size bytes of zero-filled wired memory, or NULL (no VA or no pages). */
void *kmem_alloc_wired(vm_size_t size);

/* Unmap and free what kmem_alloc_wired() returned, with the same size. */
void kmem_free(void *addr, vm_size_t size);

/*
 * A kernel stack of size bytes at [*base, *base + size), with the page
 * below *base left unmapped. KERN_RESOURCE_SHORTAGE without pages,
 * KERN_NO_SPACE when the VA window is full, KERN_INVALID_ARGUMENT for
 * size 0.
 */
kern_return_t kmem_stack_alloc(vm_size_t size, vm_offset_t *base);
void kmem_stack_free(vm_offset_t base, vm_size_t size);

/* Does addr lie in the kernel VA window? */
bool kmem_address(vm_offset_t addr);

struct kmem_stats {
	vm_offset_t	start, end;	/* the VA window */
	vm_size_t	va_in_use;	/* bytes of VA handed out, guards included */
	unsigned long	wired_pages;	/* pages mapped by kmem, stacks included */
	unsigned long	stacks;		/* kernel stacks in use */
	unsigned long	stacks_high_water;
	unsigned long	failures;	/* allocations that failed */
};

void kmem_get_stats(struct kmem_stats *stats);
void kmem_print_stats(void);

/* Kernel stacks in use (the scheduler's tests watch continuations return them). */
unsigned long kmem_stacks_in_use(void);

#endif /* _KERN_KMEM_H */
