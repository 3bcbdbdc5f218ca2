/* SPDX-License-Identifier: MIT */
/*
 * Mach trap numbers and the trap calling convention (Documentation/traps.rst).
 *
 * Mach traps have negative numbers, as in Mach and XNU (non-negative
 * numbers are left for a Unix-style system-call table; today they are
 * bad numbers too). The numbers are XNU's, so that its libsyscall stubs
 * and ours agree.
 *
 *   x86_64:  number in %rax, arguments in %rdi %rsi %rdx %r10 %r8 %r9
 *            (%r10 for the fourth: syscall clobbers %rcx), the seventh and
 *            eighth on the user stack at 8(%rsp) and 16(%rsp) (where a C
 *            call to a stub that executes syscall leaves them);
 *            `syscall`; the result in %rax. %rcx and %r11 are clobbered
 *            (the instruction uses them), every other register is kept.
 *   arm64:   number in x16, arguments in x0..x7, `svc #0x80`, the result
 *            in x0; every other register is kept.
 *
 * A number with no trap returns KERN_INVALID_ARGUMENT (Mach's answer;
 * raising EXC_MACH_SYSCALL will come with exception ports).
 */
#ifndef _MACH_SYSCALL_SW_H
#define _MACH_SYSCALL_SW_H

#define MACH_ABSOLUTE_TIME_TRAP		(-3)	/* () -> uint64_t ns */

/*
 * XNU's kernelrpc traps: mach.defs / mach_port.defs routines on a task
 * named by a send right in the caller's space, without a message
 * (Documentation/traps.rst). MACH_SEND_INVALID_DEST when the name is no
 * task's port; out parameters through user pointers.
 */
#define KERNELRPC_VM_ALLOCATE_TRAP		(-10)	/* (task, vm_address_t *addr, size, flags) */
#define KERNELRPC_VM_DEALLOCATE_TRAP		(-12)	/* (task, addr, size) */
#define KERNELRPC_VM_PROTECT_TRAP		(-14)	/* (task, addr, size, set_max, prot) */
#define KERNELRPC_VM_MAP_TRAP			(-15)	/* (task, vm_address_t *addr, size, mask,
							    flags, cur_prot): anonymous memory */
#define KERNELRPC_MACH_PORT_ALLOCATE_TRAP	(-16)	/* (task, right, mach_port_name_t *name) */
#define KERNELRPC_MACH_PORT_DESTROY_TRAP	(-17)	/* (task, name) */
#define KERNELRPC_MACH_PORT_DEALLOCATE_TRAP	(-18)	/* (task, name) */
#define KERNELRPC_MACH_PORT_MOD_REFS_TRAP	(-19)	/* (task, name, right, delta) */
#define KERNELRPC_MACH_PORT_MOVE_MEMBER_TRAP	(-20)	/* (task, member, after) */
#define KERNELRPC_MACH_PORT_INSERT_RIGHT_TRAP	(-21)	/* (task, name, poly, polyPoly) */
#define KERNELRPC_MACH_PORT_INSERT_MEMBER_TRAP	(-22)	/* (task, name, pset) */
#define KERNELRPC_MACH_PORT_EXTRACT_MEMBER_TRAP	(-23)	/* (task, name, pset) */
/* The flag of the VM traps' flags: place the region anywhere (XNU's VM_FLAGS_ANYWHERE). */
#define KERNELRPC_VM_FLAGS_ANYWHERE		0x1U

#define MACH_REPLY_PORT_TRAP		(-26)	/* () -> mach_port_name_t */
#define THREAD_SELF_TRAP		(-27)	/* () -> mach_port_name_t */
#define TASK_SELF_TRAP			(-28)	/* () -> mach_port_name_t */
#define HOST_SELF_TRAP			(-29)	/* () -> mach_port_name_t */
#define MACH_MSG_TRAP			(-31)	/* (msg, option, send_size, rcv_size,
						    rcv_name, timeout, notify) */
#define MACH_MSG_OVERWRITE_TRAP		(-32)	/* (the same, rcv_msg) */
#define SEMAPHORE_SIGNAL_TRAP		(-33)	/* (semaphore name) */
#define SEMAPHORE_SIGNAL_ALL_TRAP	(-34)	/* (semaphore name) */
#define SEMAPHORE_SIGNAL_THREAD_TRAP	(-35)	/* (semaphore name, thread name) */
#define SEMAPHORE_WAIT_TRAP		(-36)	/* (semaphore name) */
#define SEMAPHORE_WAIT_SIGNAL_TRAP	(-37)	/* (wait name, signal name) */
#define SEMAPHORE_TIMEDWAIT_TRAP	(-38)	/* (name, sec, nsec) */
#define SEMAPHORE_TIMEDWAIT_SIGNAL_TRAP	(-39)	/* (wait name, signal name, sec, nsec) */
#define SWTCH_PRI_TRAP			(-59)	/* (pri) -> boolean_t */
#define SWTCH_TRAP			(-60)	/* () -> boolean_t */
#define THREAD_SWITCH_TRAP		(-61)	/* (thread name, option, time ms) */
#define MACH_TIMEBASE_INFO_TRAP		(-89)	/* (struct { uint32_t numer, denom; } *) */

/* The arm64 svc immediate (XNU's). */
#define MACH_TRAP_SVC_IMM		0x80

#endif /* _MACH_SYSCALL_SW_H */
