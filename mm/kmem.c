// SPDX-License-Identifier: MIT
/*
 * Kernel wired memory and kernel stacks in the kernel VA window (see
 * <kern/kmem.h>).
 *
 * The window [KVA_START, KVA_END) is handed out by a first-fit allocator
 * over a sorted array of free extents, which merges neighbours on free.
 * Every allocation takes one page more than asked and leaves its lowest
 * page unmapped: below a stack that is the guard page its overflow hits,
 * and since allocations are packed from the bottom of the window, the same
 * page also stops a wired buffer below from running into the next one.
 *
 * Pages come one at a time from vm_page and are mapped with
 * pmap_kernel_enter(); kmem never holds its own lock across a pmap call
 * (the pmap may need interrupts on for a TLB shootdown) or a page
 * allocation.
 */
#include <kern/kmem.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/vm_page.h>

#define KMEM_MAX_EXTENTS	256
#define KMEM_GUARD_SIZE		PAGE_SIZE

struct kmem_extent {
	vm_offset_t	start;
	vm_offset_t	end;
};

static spinlock_t kmem_lock = SPINLOCK_INIT;
static struct kmem_extent kmem_free_extents[KMEM_MAX_EXTENTS];	/* sorted */
static unsigned int kmem_nr_extents;

/* Under kmem_lock. */
static vm_size_t kmem_va_in_use;
static unsigned long kmem_wired_pages;
static unsigned long kmem_stacks;
static unsigned long kmem_stacks_high_water;
static unsigned long kmem_failures;

bool kmem_address(vm_offset_t addr)
{
	return addr >= KVA_START && addr < KVA_END;
}

/* ------------------------------------------------------------------------
 * The VA window
 */

static void kmem_extent_remove(unsigned int i)
{
	memmove(&kmem_free_extents[i], &kmem_free_extents[i + 1],
		(kmem_nr_extents - i - 1) * sizeof(kmem_free_extents[0]));
	kmem_nr_extents--;
}

/* The lowest free range of size bytes, or 0. */
static vm_offset_t kmem_va_alloc(vm_size_t size)
{
	unsigned long flags = spin_lock_irqsave(&kmem_lock);
	vm_offset_t va = 0;
	unsigned int i;

	for (i = 0; i < kmem_nr_extents; i++) {
		struct kmem_extent *e = &kmem_free_extents[i];

		if (e->end - e->start < size)
			continue;
		va = e->start;
		e->start += size;
		if (e->start == e->end)
			kmem_extent_remove(i);
		kmem_va_in_use += size;
		break;
	}
	if (!va)
		kmem_failures++;
	spin_unlock_irqrestore(&kmem_lock, flags);
	return va;
}

static void kmem_va_free(vm_offset_t va, vm_size_t size)
{
	unsigned long flags = spin_lock_irqsave(&kmem_lock);
	vm_offset_t end = va + size;
	struct kmem_extent *prev, *next;
	unsigned int i;

	/* i: the first free extent above va. */
	for (i = 0; i < kmem_nr_extents && kmem_free_extents[i].start <= va; i++)
		;
	prev = i > 0 ? &kmem_free_extents[i - 1] : NULL;
	next = i < kmem_nr_extents ? &kmem_free_extents[i] : NULL;
	if ((prev && prev->end > va) || (next && next->start < end))
		panic("kmem: freeing [%#lx, %#lx), which is (partly) free already",
		      (unsigned long)va, (unsigned long)end);

	kmem_va_in_use -= size;
	if (prev && prev->end == va) {
		prev->end = end;
		if (next && next->start == end) {
			prev->end = next->end;
			kmem_extent_remove(i);
		}
	} else if (next && next->start == end) {
		next->start = va;
	} else if (kmem_nr_extents < KMEM_MAX_EXTENTS) {
		memmove(&kmem_free_extents[i + 1], &kmem_free_extents[i],
			(kmem_nr_extents - i) * sizeof(kmem_free_extents[0]));
		kmem_free_extents[i].start = va;
		kmem_free_extents[i].end = end;
		kmem_nr_extents++;
	} else {
		/* Too fragmented to remember: lose the addresses, not the pages. */
		pr_warn("kmem: VA window too fragmented, %lu KiB of it lost\n",
			(unsigned long)size / 1024);
	}
	spin_unlock_irqrestore(&kmem_lock, flags);
}

/* ------------------------------------------------------------------------
 * Mapping pages
 */

/* Unmap [va, va + size) page by page and free the pages behind it. */
static void kmem_unmap_free(vm_offset_t va, vm_size_t size)
{
	vm_offset_t end = va + size;
	unsigned long flags, n = 0;

	for (; va < end; va += PAGE_SIZE) {
		struct vm_page *page;
		phys_addr_t pa;

		if (pmap_kernel_extract(va, &pa, NULL, NULL) != KERN_SUCCESS)
			panic("kmem: %#lx is not mapped: not memory from kmem", (unsigned long)va);
		page = vm_page_from_phys(pa);
		if (!page)
			panic("kmem: %#lx maps %#llx, which is not a vm_page",
			      (unsigned long)va, (unsigned long long)pa);
		pmap_kernel_remove(va, PAGE_SIZE);
		vm_page_free(page, 0);
		n++;
	}
	flags = spin_lock_irqsave(&kmem_lock);
	kmem_wired_pages -= n;
	spin_unlock_irqrestore(&kmem_lock, flags);
}

/* Map fresh pages at [va, va + size), zero-filled if asked. */
static kern_return_t kmem_map_new(vm_offset_t va, vm_size_t size, bool zero)
{
	unsigned long flags, n = 0;
	vm_offset_t p;
	kern_return_t kr = KERN_SUCCESS;

	for (p = va; p < va + size; p += PAGE_SIZE) {
		struct vm_page *page = vm_page_alloc(0);

		if (!page) {
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
		if (zero)
			memset(vm_page_to_virt(page), 0, PAGE_SIZE);
		kr = pmap_kernel_enter(p, vm_page_to_phys(page), PAGE_SIZE,
				       VM_PROT_READ | VM_PROT_WRITE);
		if (kr != KERN_SUCCESS) {
			vm_page_free(page, 0);
			break;
		}
		n++;
	}
	flags = spin_lock_irqsave(&kmem_lock);
	kmem_wired_pages += n;
	if (kr != KERN_SUCCESS)
		kmem_failures++;
	spin_unlock_irqrestore(&kmem_lock, flags);
	if (kr != KERN_SUCCESS && n)
		kmem_unmap_free(va, n * PAGE_SIZE);
	return kr;
}

/*
 * size bytes (whole pages) mapped above an unmapped guard page; returns
 * the first mapped address through *base.
 */
static kern_return_t kmem_alloc_guarded(vm_size_t size, bool zero, vm_offset_t *base)
{
	vm_offset_t va;
	kern_return_t kr;

	if (size == 0 || size > KVA_END - KVA_START)
		return KERN_INVALID_ARGUMENT;
	va = kmem_va_alloc(size + KMEM_GUARD_SIZE);
	if (!va)
		return KERN_NO_SPACE;
	kr = kmem_map_new(va + KMEM_GUARD_SIZE, size, zero);
	if (kr != KERN_SUCCESS) {
		kmem_va_free(va, size + KMEM_GUARD_SIZE);
		return kr;
	}
	*base = va + KMEM_GUARD_SIZE;
	return KERN_SUCCESS;
}

static void kmem_free_guarded(vm_offset_t base, vm_size_t size, const char *who)
{
	if (!IS_ALIGNED(base, PAGE_SIZE) || !kmem_address(base - KMEM_GUARD_SIZE) ||
	    size == 0 || base + size > KVA_END || base + size < base)
		panic("%s(%#lx, %#lx): not an allocation of kmem", who,
		      (unsigned long)base, (unsigned long)size);
	if (pmap_kernel_extract(base - KMEM_GUARD_SIZE, NULL, NULL, NULL) == KERN_SUCCESS)
		panic("%s(%#lx): the guard page below is mapped: not an allocation of kmem",
		      who, (unsigned long)base);
	kmem_unmap_free(base, size);
	kmem_va_free(base - KMEM_GUARD_SIZE, size + KMEM_GUARD_SIZE);
}

/* ------------------------------------------------------------------------
 * The interface
 */

void *kmem_alloc_wired(vm_size_t size)
{
	vm_offset_t base;

	if (kmem_alloc_guarded(ALIGN_UP(size, PAGE_SIZE), true, &base) != KERN_SUCCESS)
		return NULL;
	return (void *)base;
}

void kmem_free(void *addr, vm_size_t size)
{
	kmem_free_guarded((vm_offset_t)addr, ALIGN_UP(size, PAGE_SIZE), "kmem_free");
}

kern_return_t kmem_stack_alloc(vm_size_t size, vm_offset_t *base)
{
	unsigned long flags;
	kern_return_t kr;

	/* Not cleared: a stack's old contents are the kernel's own. */
	kr = kmem_alloc_guarded(ALIGN_UP(size, PAGE_SIZE), false, base);
	if (kr != KERN_SUCCESS)
		return kr;
	flags = spin_lock_irqsave(&kmem_lock);
	if (++kmem_stacks > kmem_stacks_high_water)
		kmem_stacks_high_water = kmem_stacks;
	spin_unlock_irqrestore(&kmem_lock, flags);
	return KERN_SUCCESS;
}

void kmem_stack_free(vm_offset_t base, vm_size_t size)
{
	unsigned long flags;

	kmem_free_guarded(base, ALIGN_UP(size, PAGE_SIZE), "kmem_stack_free");
	flags = spin_lock_irqsave(&kmem_lock);
	kmem_stacks--;
	spin_unlock_irqrestore(&kmem_lock, flags);
}

unsigned long kmem_stacks_in_use(void)
{
	return READ_ONCE(kmem_stacks);
}

void kmem_get_stats(struct kmem_stats *s)
{
	unsigned long flags = spin_lock_irqsave(&kmem_lock);

	s->start = KVA_START;
	s->end = KVA_END;
	s->va_in_use = kmem_va_in_use;
	s->wired_pages = kmem_wired_pages;
	s->stacks = kmem_stacks;
	s->stacks_high_water = kmem_stacks_high_water;
	s->failures = kmem_failures;
	spin_unlock_irqrestore(&kmem_lock, flags);
}

void kmem_print_stats(void)
{
	struct kmem_stats s;

	kmem_get_stats(&s);
	pr_info("kmem: window %#lx-%#lx, %lu KiB of it in use, %lu wired pages, %lu stacks (high water %lu), %lu failures\n",
		(unsigned long)s.start, (unsigned long)s.end - 1,
		(unsigned long)s.va_in_use / 1024, s.wired_pages, s.stacks,
		s.stacks_high_water, s.failures);
}

void kmem_bootstrap(void)
{
	BUILD_BUG_ON(KVA_START % PAGE_SIZE || KVA_END % PAGE_SIZE || KVA_END <= KVA_START);

	if (!vm_page_ready())
		panic("kmem_bootstrap: before vm_page_bootstrap()");
	kmem_free_extents[0].start = KVA_START;
	kmem_free_extents[0].end = KVA_END;
	kmem_nr_extents = 1;
	pr_info("kmem: kernel VA window %#lx-%#lx (%lu GiB)\n",
		(unsigned long)KVA_START, (unsigned long)KVA_END - 1,
		(unsigned long)((KVA_END - KVA_START) >> 30));
}
