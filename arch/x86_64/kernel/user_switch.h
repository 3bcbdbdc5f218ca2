/* SPDX-License-Identifier: MIT */
/*
 * What switch.S reads of a user thread, from struct arch_thread's user
 * word (&thread->ufp for a thread that may have user state, else 0): its
 * FS base at this distance from ufp, and the CPU's number in cpu_data (at
 * %gs:). ufp is also where the thread's user frame ends (TSS.rsp0 and the
 * syscall stack while it is in user mode), and entry.S finds its kernel
 * stack top from there. usermode.c checks them against the C layout.
 */
#ifndef _X86_64_KERNEL_USER_SWITCH_H
#define _X86_64_KERNEL_USER_SWITCH_H

#define UFP_TO_UTLS		528	/* offsetof(utls) - offsetof(ufp) */
#define UFP_TO_KSTACK_TOP	784	/* offsetof(kstack_top) - offsetof(ufp) */
#define X86_CPU_DATA_ID		24	/* offsetof(struct cpu_data, id) */
#define MSR_FS_BASE		0xc0000100
/* x86_cpu_tables[] (cpu.c): an element's size, where its TSS.rsp0 is in it */
#define X86_CPU_TABLES_SIZE	24752
#define X86_CPU_TABLES_TSS_RSP0	68

#ifndef __ASSEMBLY__
#include <kern/types.h>
#include <kern/cpu.h>

extern uint64_t x86_user_fs_base[MAX_CPUS];
#endif

#endif /* _X86_64_KERNEL_USER_SWITCH_H */
