/* SPDX-License-Identifier: MIT */
/*
 * User mode (Documentation/traps.rst): how a thread gets there and what
 * the machine-independent kernel does when it comes back through a trap.
 *
 * A thread runs in user mode in the address space of its vm_map
 * (thread->map, set with vm_map_switch()). Its user registers live in a
 * frame at the top of its kernel stack while it is in the kernel, so a
 * thread that has been in user mode must never block with a
 * continuation (thread_block(fn) gives the stack away).
 */
#ifndef _KERN_USERMODE_H
#define _KERN_USERMODE_H

#include <kern/types.h>
#include <kern/thread.h>
#include <kern/vm_map.h>
#include <mach/mach_types.h>

struct arch_regs;
struct ipc_space;

/*
 * Leave the kernel for user mode: the calling thread, which has a map,
 * continues at pc with stack pointer sp and arg in the first argument
 * register (x86_64 %rdi, arm64 x0), every other register zero, interrupts
 * enabled. Never returns: the thread comes back only through traps.
 */
void __noreturn thread_enter_user(vm_offset_t pc, vm_offset_t sp, unsigned long arg);

/*
 * A user thread of task that will start at pc in user mode, with stack
 * pointer sp and arg in the first argument register, in the task's map.
 * Like thread_create(), the thread is created suspended (the creation
 * hold): the caller starts it with thread_resume(). *out gets the
 * caller's reference. KERN_INVALID_ARGUMENT for the kernel task, a task
 * without a map or addresses outside the user half; KERN_TERMINATED for
 * a task being terminated; KERN_RESOURCE_SHORTAGE when out of memory.
 */
kern_return_t thread_create_user(task_t task, vm_offset_t pc, vm_offset_t sp,
				 uintptr_t arg, thread_t *out);

/* The architecture's half: a fresh user frame at kstack_top, then its way out. */
void __noreturn arch_thread_enter_user(unsigned long pc, unsigned long sp, unsigned long arg,
				       void *kstack_top);

/*
 * For the architecture, on every return to user mode (interrupts off):
 * run what is pending (a preemption) and check the thread's kernel state
 * is clean. May switch threads; returns with interrupts off.
 */
void user_return_check(void);

/*
 * A page fault from user mode at addr (type VM_PROT_READ/WRITE/EXECUTE),
 * interrupts off: resolved in the thread's map, or else the thread gets
 * EXC_BAD_ACCESS (user_exception_raise()). Returns with interrupts off.
 */
void user_page_fault(vm_offset_t addr, vm_prot_t type, unsigned long pc);

/*
 * An exception from user mode that nothing resolved (EXC_* of
 * <mach/exception_types.h>, its two codes, the user pc). This is where
 * exception_raise() (messages to the thread, task and host exception
 * ports) will plug in; until then the thread is reported and terminated.
 */
void __noreturn user_exception_raise(int exception, long code, long subcode, unsigned long pc);

/*
 * TEMPORARY, until tasks exist: the IPC space that the calling thread's
 * Mach traps use (current_task()->itk_space will replace it). NULL: none.
 */
static inline struct ipc_space *trap_current_space(void)
{
	return current_thread()->utrap_space;
}

/* Mach traps (kernel/trap_mach.c, numbers in <mach/syscall_sw.h>). */
#define MACH_TRAP_MAX_ARGS	8

struct mach_trap {
	const char	*name;
	unsigned int	nargs;
	long		(*fn)(const unsigned long *args);
};

/* The trap for a number from user mode, or NULL (the arch returns KERN_INVALID_ARGUMENT). */
const struct mach_trap *mach_trap_lookup(long number);

/* Run it with interrupts enabled; the value goes back in the return register. */
static inline long mach_trap_call(const struct mach_trap *trap, const unsigned long *args)
{
	return trap->fn(args);
}

/* Trap statistics, for tests: traps run since boot, and bad numbers. */
unsigned long mach_trap_count(void);
unsigned long mach_trap_bad_count(void);

#endif /* _KERN_USERMODE_H */
