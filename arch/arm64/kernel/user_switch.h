/* SPDX-License-Identifier: MIT */
/*
 * What switch.S reads of a user thread, from struct arch_thread's user
 * word (&thread->ufp for a thread that may have user state, else 0): the
 * FP/SIMD area's layout and the thread pointer at this distance from ufp.
 * ufp is also where the thread's user frame ends (SP_EL1 while it is in
 * user mode): entry.S finds its kernel stack top from there. usermode.c
 * checks them against the C layout.
 */
#ifndef _ARM64_KERNEL_USER_SWITCH_H
#define _ARM64_KERNEL_USER_SWITCH_H

#define UFP_VREGS_SIZE		512	/* q0-q31 at 0..511 */
#define UFP_FPSR		512	/* then FPSR, FPCR */
#define UFP_FPCR		516
#define UFP_TO_UTLS		528	/* offsetof(utls) - offsetof(ufp) */
#define UFP_TO_KSTACK_TOP	784	/* offsetof(kstack_top) - offsetof(ufp) */

#endif /* _ARM64_KERNEL_USER_SWITCH_H */
