// SPDX-License-Identifier: MIT
/*
 * The thread pointer (<mach/mach_init.h>): arm64 TPIDR_EL0, which EL0
 * writes itself; x86_64 the FS base, set by XNU's
 * thread_fast_set_cthread_self64 machine trap and not readable from user
 * mode (the kernel leaves CR4.FSGSBASE off).
 *
 * A thread that never set it (one made by a bare thread_create()) has 0
 * there. On arm64 reading 0 is enough. On x86_64 the read is a load
 * through %fs, which with a base of 0 would read address 0 and fault, so
 * the base of a block B is set to B - MACH_TP_ANCHOR and the load is of
 * %fs:MACH_TP_ANCHOR: B's first word (its own address) for a thread that
 * set one, the anchor for one that did not. mach_tp_anchor_init() maps
 * the anchor, a zero page kept read-only, at MACH_TP_ANCHOR, the lowest
 * page a task may map; every block is above it, so every base is a user
 * address.
 */
#include <stdbool.h>
#include <mach/mach.h>
#include <mach/thread_status.h>
#include "mach_internal.h"

#ifdef __x86_64__
static long x86_set_fs_base(unsigned long base)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"((long)X86_MACHDEP_SET_CTHREAD_SELF64), "D"(base)
			 : "rcx", "r11", "memory");
	return ret;
}

static bool mach_tp_anchored;

/* Run by mach_init(), before anything else is mapped at that address. */
void mach_tp_anchor_init(void)
{
	vm_address_t addr = MACH_TP_ANCHOR;

	if (vm_allocate(mach_task_self(), &addr, vm_page_size, FALSE) != KERN_SUCCESS)
		return;
	vm_protect(mach_task_self(), addr, vm_page_size, FALSE, VM_PROT_READ);
	mach_tp_anchored = true;
}

kern_return_t mach_set_thread_pointer(void *block)
{
	/* Without the anchor a thread with no pointer would fault reading it. */
	if (!mach_tp_anchored || (unsigned long)block < MACH_TP_ANCHOR + vm_page_size ||
	    *(void **)block != block)
		return KERN_INVALID_ARGUMENT;
	return (kern_return_t)x86_set_fs_base((unsigned long)block - MACH_TP_ANCHOR);
}
#else
void mach_tp_anchor_init(void)
{
	/* TPIDR_EL0 is read directly: nothing to map. */
}

kern_return_t mach_set_thread_pointer(void *block)
{
	if (!block || *(void **)block != block)
		return KERN_INVALID_ARGUMENT;
	__asm__ volatile("msr tpidr_el0, %0" :: "r"(block) : "memory");
	return KERN_SUCCESS;
}
#endif
