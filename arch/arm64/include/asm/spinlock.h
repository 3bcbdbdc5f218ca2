/* SPDX-License-Identifier: MIT */
/* arm64 part of the ticket lock (<kern/spinlock.h>, which includes it after
 * spinlock_t and __spin_acquire_wait()). */
#ifndef _ASM_ARM64_SPINLOCK_H
#define _ASM_ARM64_SPINLOCK_H

#include <kern/types.h>

/*
 * A ticket lock's release: its `owner` advanced by one with a
 * store-release (stlrh). Only the holder writes `owner`, so a plain load
 * and add before it are exact; the store's 16 bits leave the `next` half
 * alone (a waiter's exclusive pair on the word just retries). ARMv8.0
 * has no single add to memory without LSE (-march=armv8-a, cortex-a57):
 * three instructions, `owner` at the lock's own address so that stlrh
 * needs no address computed.
 */
static __always_inline void arch_spin_owner_advance(uint16_t *owner)
{
	__atomic_store_n(owner, (uint16_t)(*owner + 1), __ATOMIC_RELEASE);
}

/*
 * The acquire's test of the word its fetch-and-add returned: non-zero
 * unless its halves (next, owner) were equal, the lock free. One eor with
 * the word rotated as its shifted operand, which the caller's cbnz
 * tests: cmp has no rotated operand, and GCC makes a ror, a cmp and a
 * b.ne of the same test in C.
 */
static __always_inline uint32_t arch_spin_word_busy(uint32_t old)
{
	uint32_t busy;

	__asm__("eor %w0, %w1, %w1, ror #16" : "=r"(busy) : "r"(old));
	return busy;
}

/*
 * A ticket lock's acquire: one exclusive pair on the whole word adds a
 * ticket to `next`, its high half, and the old word says at once whether
 * the lock was free; only a contended acquire extracts its ticket. (A
 * halfword pair on `next` and a load of `owner` after it, x86_64's way,
 * take one more instruction without LSE.)
 */
static __always_inline void arch_spin_acquire(spinlock_t *l)
{
	uint32_t old = __atomic_fetch_add(&l->word, SPIN_TICKET_ONE, __ATOMIC_ACQUIRE);

	if (unlikely(arch_spin_word_busy(old)))
		__spin_acquire_wait(l, (uint16_t)(old >> 16));
}

#endif /* _ASM_ARM64_SPINLOCK_H */
