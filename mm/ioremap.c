// SPDX-License-Identifier: MIT
/*
 * ioremap: device registers mapped uncached in the ioremap window
 * [IOREMAP_START, IOREMAP_END) (<kern/ioremap.h>). Addresses are handed out
 * upwards with an unmapped page after each area, so that an overrun faults;
 * they are not reused after iounmap(), which is rare (drivers map their
 * registers once), and the window is 256 GiB.
 */
#include <kern/ioremap.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <mm/pmap_kernel.h>

#define IOREMAP_MAX_AREAS	64
#define IOREMAP_LARGE		(2UL << 20)	/* align to 2 MiB pages from this size */

struct ioremap_area {
	vm_offset_t	va;	/* 0: a free slot */
	vm_size_t	size;
};

static spinlock_t ioremap_lock = SPINLOCK_INIT;
static vm_offset_t ioremap_next = IOREMAP_START;
static struct ioremap_area ioremap_areas[IOREMAP_MAX_AREAS];

/* Take window space and a slot for size bytes; 0 when either is out. */
static vm_offset_t ioremap_area_alloc(vm_size_t size)
{
	unsigned long flags;
	vm_offset_t va;
	unsigned int i;

	flags = spin_lock_irqsave(&ioremap_lock);
	va = ALIGN_UP(ioremap_next, size >= IOREMAP_LARGE ? IOREMAP_LARGE : PAGE_SIZE);
	for (i = 0; i < IOREMAP_MAX_AREAS && ioremap_areas[i].va; i++)
		;
	if (i == IOREMAP_MAX_AREAS || va > IOREMAP_END || IOREMAP_END - va < size + PAGE_SIZE) {
		va = 0;
	} else {
		ioremap_areas[i].va = va;
		ioremap_areas[i].size = size;
		ioremap_next = va + size + PAGE_SIZE;
	}
	spin_unlock_irqrestore(&ioremap_lock, flags);
	return va;
}

/* Forget the area at va; its size, or 0 if it is not one of ours. */
static vm_size_t ioremap_area_free(vm_offset_t va)
{
	vm_size_t size = 0;
	unsigned long flags;
	unsigned int i;

	flags = spin_lock_irqsave(&ioremap_lock);
	for (i = 0; i < IOREMAP_MAX_AREAS; i++) {
		if (ioremap_areas[i].va == va) {
			size = ioremap_areas[i].size;
			ioremap_areas[i].va = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&ioremap_lock, flags);
	return size;
}

void __iomem *ioremap(phys_addr_t pa, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	vm_size_t len;
	kern_return_t kr;
	vm_offset_t va;

	if (size == 0 || pa + size < pa)
		return NULL;
	if (!pmap_kernel_ready())
		return arch_ioremap_early(pa, size);
	len = ALIGN_UP(pa + size, PAGE_SIZE) - base;
	va = ioremap_area_alloc(len);
	if (!va) {
		pr_err("ioremap: no room for %#llx+%#zx\n", (unsigned long long)pa, size);
		return NULL;
	}
	kr = pmap_kernel_enter_attr(va, base, len, VM_PROT_READ | VM_PROT_WRITE,
				    PT_ATTR_DEVICE);
	if (kr != KERN_SUCCESS) {
		pr_err("ioremap: cannot map %#llx+%#zx (kern_return %d)\n",
		       (unsigned long long)pa, size, kr);
		ioremap_area_free(va);
		return NULL;
	}
	return (void __iomem __force *)(va + (pa - base));
}

void iounmap(volatile void __iomem *addr)
{
	vm_offset_t va = ALIGN_DOWN((vm_offset_t)(uintptr_t)(volatile void __force *)addr,
				    PAGE_SIZE);
	vm_size_t size;

	if (va < IOREMAP_START || va >= IOREMAP_END)
		return;		/* a boot-time mapping: it stays */
	size = ioremap_area_free(va);
	if (size)
		pmap_kernel_remove(va, size);
}
