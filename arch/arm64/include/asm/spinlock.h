/* SPDX-License-Identifier: MIT */
/* arm64 part of the ticket lock (<kern/spinlock.h>). */
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

#endif /* _ASM_ARM64_SPINLOCK_H */
