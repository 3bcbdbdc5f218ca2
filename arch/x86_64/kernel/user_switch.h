/* SPDX-License-Identifier: MIT */
/*
 * What switch.S reads of a user thread, from struct arch_thread's user
 * word (&thread->ufp for a thread that may have user state, else 0): its
 * FS base at this distance from ufp; and of the CPU, its percpu_offset in
 * cpu_data (at %gs:), to reach its TSS (cpu.c) and FS base cache
 * (usermode.c), per-CPU variables. ufp is also where the thread's user
 * frame ends (TSS.rsp0 and the syscall stack while it is in user mode),
 * and entry.S finds its kernel stack top from there. usermode.c and cpu.c
 * check them against the C layout.
 */
#ifndef _X86_64_KERNEL_USER_SWITCH_H
#define _X86_64_KERNEL_USER_SWITCH_H

#define UFP_TO_UTLS		528	/* offsetof(utls) - offsetof(ufp) */
#define UFP_TO_KSTACK_TOP	784	/* offsetof(kstack_top) - offsetof(ufp) */
#define X86_CPU_DATA_PERCPU_OFFSET 16	/* offsetof(struct cpu_data, percpu_offset) */
#define MSR_FS_BASE		0xc0000100
#define X86_TSS_RSP0		4	/* offsetof(struct x86_tss, rsp[0]) */

#ifndef __ASSEMBLY__
#include <kern/types.h>
#include <kern/cpu.h>
#include <asm/segment.h>

DECLARE_PER_CPU(struct x86_tss, x86_tss);		/* cpu.c */
DECLARE_PER_CPU(uint64_t, x86_user_fs_base);		/* usermode.c */
#endif

#endif /* _X86_64_KERNEL_USER_SWITCH_H */
