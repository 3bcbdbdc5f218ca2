/* SPDX-License-Identifier: MIT */
/*
 * User mode (Documentation/traps.rst): how a thread gets there and what
 * the machine-independent kernel does when it comes back through a trap.
 *
 * A thread runs in user mode in the address space of its vm_map
 * (thread->map, set with vm_map_switch()). Its user registers live in a
 * frame in the thread itself (thread->uframe, user_frame()): every trap
 * from user mode saves them there and every way back restores them from
 * there, and the kernel stack holds only the kernel's own calls. So a
 * user thread may block with a continuation (thread_block(fn) gives the
 * stack away, and the thread comes back to user mode from the frame
 * through arch_user_return_to()), as a kernel thread may.
 */
#ifndef _KERN_USERMODE_H
#define _KERN_USERMODE_H

#include <kern/types.h>
#include <kern/thread.h>
#include <kern/vm_map.h>
#include <mach/mach_types.h>
#include <mach/message.h>

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

/*
 * The same with no state yet (the thread_create routine): resumed, the
 * thread waits in the kernel until thread_set_state() gives it its
 * registers (or it is terminated), then starts with them.
 */
kern_return_t thread_create_user_nostate(task_t task, thread_t *out);

/*
 * thread_get_state / thread_set_state on a user thread (Documentation/
 * traps.rst, "Thread state"): the flavors of <mach/machine/thread_status.h>.
 * Another thread is held (suspended) while its state is read or written,
 * as GNU Mach does. KERN_INVALID_ARGUMENT for a bad flavor, a short count,
 * a thread that has no user state, or a state user mode may not have (a
 * non-canonical pc or sp); KERN_TERMINATED for an ended thread.
 */
kern_return_t thread_user_state_get(thread_t thread, int flavor, natural_t *state,
				    mach_msg_type_number_t *count);
kern_return_t thread_user_state_set(thread_t thread, int flavor, const natural_t *state,
				    mach_msg_type_number_t count);

/*
 * The architecture's half (arch/<arch>/kernel/usermode.c, entry.S).
 * arch_user_regs_init(): a fresh user frame (pc, sp, arg, the user mode
 * bits, interrupts on). arch_user_return_to(): leave for user mode from
 * frame, the calling thread's (user_frame()), interrupts off, from any
 * depth of its kernel stack (what is on it is dropped).
 * arch_user_fp_init(): the FP/SIMD state a new thread starts with.
 * arch_thread_state_get/set(): the flavors (t is stopped or the caller;
 * its FP state is in t->ufp); set sanitizes what user mode may not have.
 */
void arch_user_regs_init(struct arch_regs *regs, unsigned long pc, unsigned long sp,
			 unsigned long arg);
void __noreturn arch_user_return_to(struct arch_regs *frame);
void arch_user_fp_init(struct thread *t);
void arch_user_fp_sync(struct thread *t, bool to_memory);
void arch_user_exception_save(struct thread *t);
kern_return_t arch_thread_state_get(struct thread *t, int flavor, natural_t *state,
				    mach_msg_type_number_t *count);
kern_return_t arch_thread_state_set(struct thread *t, int flavor, const natural_t *state,
				    mach_msg_type_number_t count);

/* For arch_thread_state_get(): a flavor's n natural_t, if *count has room. */
kern_return_t thread_state_put(const void *src, unsigned int n, natural_t *state,
			       mach_msg_type_number_t *count);

/* The user frame of thread t: in the thread, not on its kernel stack. */
static inline struct arch_regs *user_frame(struct thread *t)
{
	return &t->uframe.regs;
}

/*
 * Back to user mode from a trap whose thread blocked with a continuation
 * (Mach's thread_syscall_return()): value goes into the frame as the
 * trap's result, then the thread leaves the kernel as from any trap.
 */
void __noreturn thread_syscall_return(long value);

/*
 * For the architecture, on every return to user mode (interrupts off):
 * run what is pending (a preemption) and check the thread's kernel state
 * is clean. May switch threads; returns with interrupts off.
 */
void user_return_check(void);

/*
 * Whether user_return_check() has anything to do (interrupts off): one
 * test of the bits it acts on, ORed together, so that the trap fast paths
 * skip the call when nothing is pending.
 */
static inline bool user_return_pending(const struct thread *self)
{
	return (READ_ONCE(cpu_this()->ast) | (READ_ONCE(self->state) & TH_ABORT) |
		(unsigned int)self->preempt_count) != 0;
}

/*
 * A page fault from user mode at addr (type VM_PROT_READ/WRITE/EXECUTE),
 * interrupts off: resolved in the thread's map, or else the thread gets
 * EXC_BAD_ACCESS (user_exception_raise()). Returns with interrupts off.
 */
void user_page_fault(vm_offset_t addr, vm_prot_t type, unsigned long pc);

/*
 * An exception from user mode that nothing resolved (EXC_* of
 * <mach/exception_types.h>, its two codes, the user pc), interrupts off.
 * Recorded in the thread (uexc_*), then delivered (kernel/exception.c,
 * Documentation/traps.rst): returns, interrupts off, when a handler
 * resumed the thread (with the state it left in the frame); does not
 * return when the thread or its task ends.
 */
void user_exception_raise(int exception, long code, long subcode, unsigned long pc);

/* The IPC space of the calling thread's Mach traps: its task's; NULL for kernel threads. */
struct ipc_space *trap_current_space(void);

/* Mach traps (kernel/trap_mach.c, numbers in <mach/syscall_sw.h>). */
#define MACH_TRAP_MAX_ARGS	8

/*
 * A trap takes its first six arguments as a C function does, so that
 * entry.S calls it straight from the table with the user's argument
 * registers (x86_64 moves only %r10 to %rcx); one with more reads the
 * rest with arch_trap_args_high().
 */
typedef long mach_trap_fn_t(unsigned long a0, unsigned long a1, unsigned long a2,
			    unsigned long a3, unsigned long a4, unsigned long a5);

struct mach_trap {
	mach_trap_fn_t	*fn;
	unsigned int	nargs;
	const char	*name;
};

/*
 * Indexed by -number (MACH_TRAP_TABLE_COUNT entries, <kern/trap_asm.h>):
 * the functions alone, which entry.S calls from, and the whole entries.
 */
extern mach_trap_fn_t *const mach_trap_fns[];
extern const struct mach_trap mach_trap_table[];

/*
 * The trap for a number, or NULL for one outside the table (the arch
 * returns KERN_INVALID_ARGUMENT); a hole in the table is a trap that
 * returns KERN_INVALID_ARGUMENT.
 */
const struct mach_trap *mach_trap_lookup(long number);

/* Run it with interrupts enabled; the value goes back in the return register. */
static inline long mach_trap_call(const struct mach_trap *trap, const unsigned long *args)
{
	return trap->fn(args[0], args[1], args[2], args[3], args[4], args[5]);
}

/*
 * Arguments 7 .. 6 + n (n <= 2) of the calling thread's Mach trap, from
 * its user registers (arm64 x6, x7) or its user stack (x86_64: 8(%rsp)
 * and 16(%rsp)): KERN_SUCCESS, or KERN_INVALID_ARGUMENT (not a user
 * thread, a stack it cannot read).
 */
kern_return_t arch_trap_args_high(unsigned long *args, unsigned int n);

/*
 * The usermode suite's own trap (CONFIG_USERMODE_KTEST, kernel/
 * usermode_test.c): a number outside the table that the arch's C way
 * (x86_syscall(), arm64_syscall()) gives to user_ktest_trap(arg) instead
 * of failing it.
 */
#define USER_KTEST_TRAP		0x6b74
long user_ktest_trap(unsigned long arg);

/* Bad trap numbers since boot, counted only with CONFIG_USERMODE_KTEST (for its tests). */
unsigned long mach_trap_bad_count(void);

#endif /* _KERN_USERMODE_H */
