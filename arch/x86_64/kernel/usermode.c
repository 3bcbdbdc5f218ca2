// SPDX-License-Identifier: MIT
/*
 * Ring 3 on x86_64 (Documentation/traps.rst): entering it, exceptions and
 * syscalls from it, the way back, the user FP/SSE state and FS base, and
 * the thread-state flavors. entry.S builds the struct arch_regs frame in
 * the thread (thread->uframe, whose end is TSS.rsp0, set on every return
 * to ring 3), then moves to the thread's kernel stack, and swaps the GS
 * base; this file decides what a trap means.
 *
 * FP/SSE: eager. The kernel's C never touches the FP/SSE registers
 * (-mgeneral-regs-only), and the page zeroing (zero_page.S) puts back the
 * one it uses before interrupts are on again, so they hold the running
 * user thread's; the context switch (switch.S) saves them (FXSAVE) for a
 * user thread that leaves a CPU and loads them (FXRSTOR) for one that gets
 * it, with its FS base and kernel stack. FS base: set only by the
 * thread_fast_set_cthread_self64 machine trap (XNU's, 0x3000003), kept in
 * thread->utls and loaded when a user thread gets a CPU whose FS base
 * differs; CR4.FSGSBASE stays off, so user mode cannot change it itself.
 */
#include <kern/arch.h>
#include <kern/copyio.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <mach/exception_types.h>
#include <mach/syscall_sw.h>
#include <mach/thread_status.h>
#include <asm/processor.h>
#include <asm/segment.h>

#include "user_switch.h"
#include "x86.h"


/*
 * The error code of a frame that thread_set_state changed; a syscall
 * frame's (X86_VECTOR_SYSCALL) is 0 otherwise, as the syscall entry finds
 * it (it does not store it: x86_user_return() puts it back on every full
 * way to ring 3). The sysretq way out (which restores only the registers
 * the kernel's C may have clobbered, and rcx/r11 as syscall saved them)
 * ORs it into its tests of pending work and leaves by the full iretq way
 * when it is set. Only exceptions' frames have an error code anyone reads
 * (arch_user_exception_save(), as the exception is raised).
 */
#define X86_SYSCALL_FRAME_SET	1

/* What set_state may change in RFLAGS: the arithmetic flags, TF, DF, AC, ID. */
#define X86_USER_RFLAGS		0x00240dd5UL
#define X86_RFLAGS_IF		0x200UL
#define X86_RFLAGS_FIXED	0x2UL

/* The FXSAVE image: FCW at 0, MXCSR at 24, MXCSR_MASK at 28. */
#define FXSAVE_FCW		0
#define FXSAVE_MXCSR		24
#define FXSAVE_MXCSR_MASK	28


_Static_assert(__builtin_offsetof(struct thread, arch) == 0, "switch.S passes &t->arch");
_Static_assert(__builtin_offsetof(struct thread, utls) - __builtin_offsetof(struct thread, ufp) ==
	       UFP_TO_UTLS, "user_switch.h");
_Static_assert((long)__builtin_offsetof(struct thread, kstack_top) -
	       (long)__builtin_offsetof(struct thread, ufp) == UFP_TO_KSTACK_TOP, "user_switch.h");
_Static_assert(__builtin_offsetof(struct cpu_data, percpu_offset) == X86_CPU_DATA_PERCPU_OFFSET,
	       "user_switch.h");
/*
 * entry.S's syscall exit tests state and preempt_count as one word, with
 * a mask that has state's bit 31 (SYSCALL_EXIT_THREAD_MASK): no TH_* bit
 * may be it, and the two fields must be that word.
 */
_Static_assert((TH_ALL & 0x80000000U) == 0, "entry.S's exit mask");
_Static_assert(sizeof(((struct thread *)0)->state) == 4 &&
	       sizeof(((struct thread *)0)->preempt_count) == 4 &&
	       __builtin_offsetof(struct thread, preempt_count) ==
	       __builtin_offsetof(struct thread, state) + 4, "entry.S's exit word");
_Static_assert(x86_THREAD_STATE64_COUNT == 42 && x86_FLOAT_STATE64_COUNT == 131 &&
	       x86_EXCEPTION_STATE64_COUNT == 4, "XNU's counts");

/*
 * What this CPU's FS base MSR holds (switch.S reads it): ~0, which no
 * thread's utls can be (only user addresses are taken), until the CPU
 * first loads a user thread's. Every CPU's copy starts as this one.
 */
DEFINE_PER_CPU(uint64_t, x86_user_fs_base) = ~0UL;
static uint32_t x86_mxcsr_mask = 0xffbf;
static bool x86_mxcsr_mask_read;

static inline void fxsave64(void *buf)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(*(uint8_t (*)[512])buf));
}

static inline void fxrstor64(const void *buf)
{
	__asm__ __volatile__("fxrstor64 %0" : : "m"(*(const uint8_t (*)[512])buf));
}

/*
 * The MXCSR bits FXRSTOR takes (x86_FLOAT_STATE64's set_state keeps only
 * these), read once, when the first thread enters user mode. FXSAVE and
 * SSE are on from x86_cpu_init() (x86_cpu_fpu_enable(): the kernel zeroes
 * pages with SSE stores, zero_page.S); a CPU's x87/SSE state needs no
 * reset before its first user thread: FXRSTOR loads all of it.
 */
static void x86_mxcsr_mask_probe(void)
{
	uint8_t probe[512] __aligned(16);
	uint32_t mask;

	if (likely(READ_ONCE(x86_mxcsr_mask_read)))
		return;
	memset(probe, 0, sizeof(probe));
	fxsave64(probe);
	memcpy(&mask, probe + FXSAVE_MXCSR_MASK, sizeof(mask));
	if (mask)
		WRITE_ONCE(x86_mxcsr_mask, mask);
	WRITE_ONCE(x86_mxcsr_mask_read, true);
}

static void x86_fs_base_load(uint64_t base)
{
	uint64_t *cached = this_cpu_ptr(&x86_user_fs_base);

	if (*cached != base) {
		wrmsr(MSR_FS_BASE, base);
		*cached = base;
	}
}

/*
 * TSS.rsp0 and the syscall stack: the end of this thread's user frame (a
 * switch to a user thread sets them; a thread entering user mode for the
 * first time may not have had user state then).
 */
static inline void x86_kernel_stack_check(struct thread *self)
{
	unsigned long top = (unsigned long)(user_frame(self) + 1);

	if (unlikely(cpu_this()->arch_entry_sp[0] != top))
		x86_set_kernel_stack(top);
}

void arch_user_fp_init(struct thread *t)
{
	uint16_t fcw = 0x37f;		/* every x87 exception masked, 64-bit precision */
	uint32_t mxcsr = 0x1f80;	/* every SSE exception masked */

	memset(t->ufp, 0, sizeof(t->ufp));
	memcpy(t->ufp + FXSAVE_FCW, &fcw, sizeof(fcw));
	memcpy(t->ufp + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	t->utls = 0;
	WRITE_ONCE(t->arch.user, (unsigned long)t->ufp);	/* switch.S keeps it */
}

/* The calling thread's FP registers to its ufp, or back. */
void arch_user_fp_sync(struct thread *t, bool to_memory)
{
	unsigned long flags = arch_irq_save();

	x86_mxcsr_mask_probe();
	if (to_memory) {
		fxsave64(t->ufp);
	} else {
		fxrstor64(t->ufp);
		x86_fs_base_load(t->utls);
	}
	arch_irq_restore(flags);
}

void arch_user_regs_init(struct arch_regs *regs, unsigned long pc, unsigned long sp,
			 unsigned long arg)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = pc;
	regs->rsp = sp;
	regs->rdi = arg;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags = X86_RFLAGS_IF | X86_RFLAGS_FIXED;
	regs->vector = X86_VECTOR_SYSCALL;
}

bool copyio_user_access_protected(void)
{
	return x86_smap_enabled;
}


/*
 * On the full way back to ring 3, interrupts off: the frame entry.S
 * restores. Its error code and vector become a syscall's again (a trap's
 * or thread_set_state's mark may be there): the syscall entry leaves them
 * in place, as it does ss and cs, which are always USER_DS and USER_CS in
 * a frame bound for ring 3 (the CPU's pushes, arch_user_regs_init(),
 * x86_state_to_regs()).
 */
struct arch_regs *x86_user_return(void)
{
	struct thread *self = current_thread();
	struct arch_regs *frame;

	if (user_return_pending(self))
		user_return_check();
	x86_kernel_stack_check(self);
	frame = user_frame(self);
	frame->vector = X86_VECTOR_SYSCALL;
	frame->error_code = 0;
	return frame;
}

/* XNU's thread_fast_set_cthread_self64: the FS base, the user thread pointer. */
static long x86_set_cthread_self(unsigned long base)
{
	struct thread *self = current_thread();
	unsigned long flags;

	if (base >= VM_MAX_USER_ADDRESS)
		return KERN_INVALID_ARGUMENT;
	flags = arch_irq_save();
	self->utls = base;
	x86_fs_base_load(base);
	arch_irq_restore(flags);
	return KERN_SUCCESS;
}

/*
 * The trap itself, interrupts enabled: number in %rax, arguments in %rdi
 * %rsi %rdx %r10 %r8 %r9, the seventh and eighth at 8(%rsp) and 16(%rsp)
 * of the user stack (arch_trap_args_high()). entry.S runs the numbers of
 * the trap table itself; this C way has the others: the machine-dependent
 * class (XNU's 3 << 24, the FS base trap only) and bad numbers.
 */
static long x86_syscall_dispatch(const struct arch_regs *regs)
{
	const unsigned long args[6] = {
		regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9,
	};
	const struct mach_trap *trap;

	if (unlikely(regs->rax == X86_MACHDEP_SET_CTHREAD_SELF64))
		return x86_set_cthread_self(regs->rdi);
	if (IS_ENABLED(CONFIG_USERMODE_KTEST) && regs->rax == USER_KTEST_TRAP)
		return user_ktest_trap(regs->rdi);
	trap = mach_trap_lookup((long)regs->rax);
	if (unlikely(!trap))
		return KERN_INVALID_ARGUMENT;
	return mach_trap_call(trap, args);
}

kern_return_t arch_trap_args_high(unsigned long *args, unsigned int n)
{
	struct thread *self = current_thread();
	const struct arch_regs *r = user_frame(self);

	if (!self->user_state || n > 2)
		return KERN_INVALID_ARGUMENT;
	return copyin((const void __user *)(r->rsp + 8), args, n * sizeof(args[0]));
}

/*
 * syscall from ring 3 (entry.S, x86_syscall_entry, interrupts off): run
 * the trap, then choose the way out, with interrupts off again. true:
 * sysretq, when nothing is pending for user_return_check() and the frame
 * is still what syscall made of it (no X86_SYSCALL_FRAME_SET mark, rcx =
 * rip, r11 = rflags: a thread_set_state meanwhile changes that, and needs
 * every register back as set) with a user rip. sysretq loads rip from
 * %rcx, and on Intel a non-canonical one faults in ring 0 with the
 * user's rsp and GS base: below VM_MAX_USER_ADDRESS it is canonical. false: the full way,
 * x86_user_return() and iretq.
 */
bool x86_syscall(struct arch_regs *regs)
{
	struct thread *self;

	arch_irq_enable();
	regs->rax = (uint64_t)x86_syscall_dispatch(regs);
	arch_irq_disable();
	self = current_thread();
	if (unlikely(user_return_pending(self)))
		return false;
	x86_kernel_stack_check(self);
	return likely(!regs->error_code && regs->rcx == regs->rip &&
		      regs->r11 == regs->rflags && regs->rip < VM_MAX_USER_ADDRESS);
}

void x86_user_trap(struct arch_regs *regs)
{
	uint64_t ec = regs->error_code;

	switch (regs->vector) {
	case X86_TRAP_PF:
		user_page_fault(regs->cr2, ec & (1 << 4) ? VM_PROT_EXECUTE :
				ec & (1 << 1) ? VM_PROT_WRITE : VM_PROT_READ, regs->rip);
		return;
	case X86_TRAP_DE:
		user_exception_raise(EXC_ARITHMETIC, regs->vector, 0, regs->rip);
		return;
	case X86_TRAP_DB:
	case X86_TRAP_BP:
		user_exception_raise(EXC_BREAKPOINT, regs->vector, 0, regs->rip);
		return;
	case X86_TRAP_UD:
	case X86_TRAP_GP:
		/* #GP: a privileged instruction, a bad segment, a non-canonical address. */
		user_exception_raise(EXC_BAD_INSTRUCTION, regs->vector, ec, regs->rip);
		return;
	case 16:	/* #MF */
	case 19:	/* #XM */
		user_exception_raise(EXC_ARITHMETIC, regs->vector, 0, regs->rip);
		return;
	default:
		user_exception_raise(EXC_BAD_ACCESS, KERN_FAILURE, regs->vector, regs->rip);
	}
}

void arch_user_exception_save(struct thread *t)
{
	const struct arch_regs *r = user_frame(t);

	t->uexc_trapno = r->vector;
	t->uexc_err = r->error_code;
	t->uexc_addr = r->vector == X86_TRAP_PF ? r->cr2 : 0;
}

/* Thread state: XNU's flavors and layouts (<mach/x86_64/thread_status.h>). */

static const int x86_flavors[] = {
	x86_THREAD_STATE64, x86_FLOAT_STATE64, x86_EXCEPTION_STATE64,
};

static void x86_regs_to_state(const struct arch_regs *r, x86_thread_state64_t *s)
{
	s->rax = r->rax; s->rbx = r->rbx; s->rcx = r->rcx; s->rdx = r->rdx;
	s->rdi = r->rdi; s->rsi = r->rsi; s->rbp = r->rbp; s->rsp = r->rsp;
	s->r8 = r->r8; s->r9 = r->r9; s->r10 = r->r10; s->r11 = r->r11;
	s->r12 = r->r12; s->r13 = r->r13; s->r14 = r->r14; s->r15 = r->r15;
	s->rip = r->rip;
	s->rflags = r->rflags;
	s->cs = r->cs;
	s->fs = 0;
	s->gs = 0;
}

/*
 * Only what ring 3 may hold: rip and rsp below the user limit (so
 * canonical: iretq would fault in the kernel on a non-canonical rip),
 * the user selectors whatever was asked, IF set and IOPL 0.
 */
static kern_return_t x86_state_to_regs(const x86_thread_state64_t *s, struct arch_regs *r)
{
	if (s->rip >= VM_MAX_USER_ADDRESS || s->rsp > VM_MAX_USER_ADDRESS)
		return KERN_INVALID_ARGUMENT;
	r->rax = s->rax; r->rbx = s->rbx; r->rcx = s->rcx; r->rdx = s->rdx;
	r->rdi = s->rdi; r->rsi = s->rsi; r->rbp = s->rbp; r->rsp = s->rsp;
	r->r8 = s->r8; r->r9 = s->r9; r->r10 = s->r10; r->r11 = s->r11;
	r->r12 = s->r12; r->r13 = s->r13; r->r14 = s->r14; r->r15 = s->r15;
	r->rip = s->rip;
	r->rflags = (s->rflags & X86_USER_RFLAGS) | X86_RFLAGS_IF | X86_RFLAGS_FIXED;
	r->cs = USER_CS;
	r->ss = USER_DS;
	/*
	 * A thread in a Mach trap: entry.S's sysretq way out would not
	 * restore them all. Marked whatever the frame's vector: one of an
	 * exception or interrupt goes by iretq anyway (its error code was
	 * read when it was raised), and x86_user_return() clears the mark,
	 * so the sysretq ways never depend on the vector being a syscall's.
	 */
	r->error_code = X86_SYSCALL_FRAME_SET;
	return KERN_SUCCESS;
}

kern_return_t arch_thread_state_get(struct thread *t, int flavor, natural_t *state,
				    mach_msg_type_number_t *count)
{
	switch (flavor) {
	case THREAD_STATE_FLAVOR_LIST:
		return thread_state_put(x86_flavors, ARRAY_SIZE(x86_flavors), state, count);
	case x86_THREAD_STATE64: {
		x86_thread_state64_t s;

		x86_regs_to_state(user_frame(t), &s);
		return thread_state_put(&s, x86_THREAD_STATE64_COUNT, state, count);
	}
	case x86_FLOAT_STATE64: {
		x86_float_state64_t s;

		memset(&s, 0, sizeof(s));
		memcpy(&s.fpu_fcw, t->ufp, X86_FXSAVE_SIZE);
		return thread_state_put(&s, x86_FLOAT_STATE64_COUNT, state, count);
	}
	case x86_EXCEPTION_STATE64: {
		x86_exception_state64_t s = {
			.trapno = (uint16_t)t->uexc_trapno,
			.cpu = (uint16_t)t->last_cpu,
			.err = (uint32_t)t->uexc_err,
			.faultvaddr = t->uexc_addr,
		};

		return thread_state_put(&s, x86_EXCEPTION_STATE64_COUNT, state, count);
	}
	}
	return KERN_INVALID_ARGUMENT;
}

kern_return_t arch_thread_state_set(struct thread *t, int flavor, const natural_t *state,
				    mach_msg_type_number_t count)
{
	switch (flavor) {
	case x86_THREAD_STATE64: {
		x86_thread_state64_t s;

		if (count < x86_THREAD_STATE64_COUNT)
			return KERN_INVALID_ARGUMENT;
		memcpy(&s, state, sizeof(s));
		return x86_state_to_regs(&s, user_frame(t));
	}
	case x86_FLOAT_STATE64: {
		x86_float_state64_t s;

		if (count < x86_FLOAT_STATE64_COUNT)
			return KERN_INVALID_ARGUMENT;
		memcpy(&s, state, sizeof(s));
		/*
		 * A reserved MXCSR bit would make FXRSTOR fault in the kernel:
		 * the CPU's own mask, read now if no thread has run in user
		 * mode yet (before that, 0xffbf would drop DAZ on a CPU that has it).
		 */
		x86_mxcsr_mask_probe();
		s.fpu_mxcsr &= READ_ONCE(x86_mxcsr_mask);
		memcpy(t->ufp, &s.fpu_fcw, X86_FXSAVE_SIZE);
		return KERN_SUCCESS;
	}
	}
	return KERN_INVALID_ARGUMENT;
}
