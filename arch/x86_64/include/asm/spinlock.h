/* SPDX-License-Identifier: MIT */
/* x86_64 part of the ticket lock (<kern/spinlock.h>). */
#ifndef _ASM_X86_64_SPINLOCK_H
#define _ASM_X86_64_SPINLOCK_H

#include <kern/types.h>

/*
 * A ticket lock's release: its `owner` advanced by one, ordered after
 * everything the holder did. Only the holder writes `owner`, so the add
 * needs no lock prefix: it reads and writes those two bytes alone
 * (another CPU's fetch-and-add changes only the other half), and an x86
 * store is never made visible before an earlier load or store; the
 * "memory" clobber keeps the compiler from moving any across it. One
 * instruction, where a C store with release order is a load, an add and
 * a store.
 */
static __always_inline void arch_spin_owner_advance(uint16_t *owner)
{
	__asm__ __volatile__("addw $1, %0" : "+m"(*owner) :: "memory", "cc");
}

/*
 * The acquire's test of the word its fetch-and-add returned: non-zero
 * unless its halves (next, owner) were equal, the lock free. The word
 * against itself rotated: GCC makes a rol, a cmp and a jne of it.
 */
static __always_inline uint32_t arch_spin_word_busy(uint32_t old)
{
	return old ^ ((old >> 16) | (old << 16));
}

#endif /* _ASM_X86_64_SPINLOCK_H */
