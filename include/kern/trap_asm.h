/* SPDX-License-Identifier: MIT */
/*
 * What the Mach trap fast paths of arch/<arch>/kernel/entry.S read of the
 * kernel's structures (Documentation/traps.rst, "The fast path"). There
 * is no generated asm-offsets header: the values are written here and
 * kernel/trap_mach.c checks each against the C layout at build time.
 */
#ifndef _KERN_TRAP_ASM_H
#define _KERN_TRAP_ASM_H

#include <asm/thread.h>

/* The trap table: entries 0 .. MACH_TRAP_TABLE_COUNT - 1 (trap -n is entry n). */
#define MACH_TRAP_TABLE_COUNT		128
#define MACH_TRAP_FN_SIZE		8	/* an entry of mach_trap_fns[] */

/* struct cpu_data (<kern/cpu.h>) */
#define TRAP_CPU_ACTIVE_THREAD		8
#define TRAP_CPU_AST			56

/* struct thread (<kern/thread.h>): state and preempt_count follow arch and lock. */
#ifdef CONFIG_LOCK_DEBUG
#define TRAP_SPINLOCK_SIZE		24
#else
#define TRAP_SPINLOCK_SIZE		4
#endif
#define TRAP_THREAD_STATE		(ARCH_THREAD_SIZE + TRAP_SPINLOCK_SIZE)
#define TRAP_THREAD_PREEMPT_COUNT	(TRAP_THREAD_STATE + 4)
#define TRAP_TH_ABORT			0x20	/* TH_ABORT */
/*
 * The user frame's registers (struct thread's uframe.regs): uframe
 * follows preempt_count, 16-byte aligned, its registers after
 * ARCH_UFRAME_PAD bytes (kernel/usermode.c checks it).
 */
#define TRAP_THREAD_UFRAME \
	(((TRAP_THREAD_PREEMPT_COUNT + 4 + 15) & ~15) + ARCH_UFRAME_PAD)

#endif /* _KERN_TRAP_ASM_H */
