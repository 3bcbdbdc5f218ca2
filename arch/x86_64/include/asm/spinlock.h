/* SPDX-License-Identifier: MIT */
/* x86_64 part of the ticket lock (<kern/spinlock.h>, which includes it after
 * spinlock_t and __spin_acquire_wait()). */
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
 * A ticket lock's acquire: a ticket taken with a 16-bit xadd on `next`
 * alone, then `owner` compared with it in memory. Four instructions (the
 * one, the xadd, a cmp with memory, a jne) where an xadd on the whole
 * word and a test of its halves take six (mov, xadd, mov, rol, cmp, jne).
 * The xadd is inline assembly with `next` a memory operand, its address
 * the lock's plus a displacement in the instruction: with the builtin,
 * GCC computed that address once and kept it for the lock's next acquire
 * (in the RPC fast path's frame: a lea, a store and a load). The "memory"
 * clobber is the builtin's acquire order towards the compiler.
 * The read is plain so that GCC folds it into the cmp (a volatile one it
 * loads first): the xadd before it keeps the compiler from moving
 * or reusing it, and the locked xadd orders it on the CPU; it reads the
 * line the xadd just owned. A wrap of `next` stays in its half. The
 * barrier after the test (no instruction) is the read's acquire order
 * towards the compiler: nothing of the critical section may be loaded
 * before `owner` is seen at our ticket (a load GCC hoisted above the test
 * would, x86 keeping loads in order, read what the last holder had not yet
 * written).
 */
static __always_inline void arch_spin_acquire(spinlock_t *l)
{
	uint16_t ticket = 1;

	__asm__ __volatile__("lock xaddw %0, %1" : "+r"(ticket), "+m"(l->next) :: "memory", "cc");

	if (unlikely(l->owner != ticket))
		__spin_acquire_wait(l, ticket);
	barrier();
}

#endif /* _ASM_X86_64_SPINLOCK_H */
