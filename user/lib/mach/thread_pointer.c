// SPDX-License-Identifier: MIT
/*
 * The thread pointer (<mach/mach_init.h>): arm64 TPIDR_EL0, which EL0
 * writes itself; x86_64 the FS base, set by XNU's
 * thread_fast_set_cthread_self64 machine trap and not readable from user
 * mode (the kernel leaves CR4.FSGSBASE off).
 *
 * A thread that never set it (one made by a bare thread_create()) has 0
 * there. On arm64 reading 0 is enough. On x86_64 the read is a load
 * through %fs, which with a base of 0 would read address 0 and fault. So
 * the base is not the block's address but a slot's offset in
 * mach_tp_table[], a table in the program's own data: a thread that set
 * its pointer has base 8 * i and reads slot i, which holds its block; one
 * that did not has base 0 and reads slot 0, which stays NULL. One load
 * either way (%fs:mach_tp_table), no memory mapped for it, and the block
 * may be anywhere.
 */
#include <stdbool.h>
#include <stddef.h>
#include <mach/mach.h>
#include <mach/thread_status.h>

#ifdef __x86_64__
void *mach_tp_table[MACH_TP_SLOTS];	/* [0]: never set, what a base of 0 reads */

static long x86_set_fs_base(unsigned long base)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"((long)X86_MACHDEP_SET_CTHREAD_SELF64), "D"(base)
			 : "rcx", "r11", "memory");
	return ret;
}

static unsigned int mach_tp_slot_of(const void *block)
{
	unsigned int i;

	for (i = 1; i < MACH_TP_SLOTS; i++)
		if (__atomic_load_n(&mach_tp_table[i], __ATOMIC_RELAXED) == block)
			return i;
	return 0;
}

kern_return_t mach_set_thread_pointer(void *block)
{
	void *cur = mach_thread_pointer(), *none;
	unsigned int i = cur ? mach_tp_slot_of(cur) : 0;
	kern_return_t kr;

	if (!block)
		return KERN_INVALID_ARGUMENT;
	/* A thread that has a slot keeps it: only what it holds changes. */
	if (i) {
		__atomic_store_n(&mach_tp_table[i], block, __ATOMIC_RELEASE);
		return KERN_SUCCESS;
	}
	for (i = 1; i < MACH_TP_SLOTS; i++) {
		none = NULL;
		if (!__atomic_compare_exchange_n(&mach_tp_table[i], &none, block, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		kr = (kern_return_t)x86_set_fs_base(i * sizeof(void *));
		if (kr != KERN_SUCCESS)
			__atomic_store_n(&mach_tp_table[i], NULL, __ATOMIC_RELEASE);
		return kr;
	}
	return KERN_RESOURCE_SHORTAGE;
}

void mach_thread_pointer_free(void *block)
{
	unsigned int i = mach_tp_slot_of(block);

	if (i)
		__atomic_store_n(&mach_tp_table[i], NULL, __ATOMIC_RELEASE);
}
#else
kern_return_t mach_set_thread_pointer(void *block)
{
	if (!block)
		return KERN_INVALID_ARGUMENT;
	__asm__ volatile("msr tpidr_el0, %0" :: "r"(block) : "memory");
	return KERN_SUCCESS;
}

void mach_thread_pointer_free(void *block)
{
	(void)block;	/* nothing kept for it */
}
#endif
