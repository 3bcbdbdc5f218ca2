// SPDX-License-Identifier: MIT
/*
 * User mode, the machine-independent part (<kern/usermode.h>,
 * Documentation/traps.rst): entering it, the checks on every way back to
 * it, user page faults and the exceptions nothing resolves.
 */
#include <kern/arch.h>
#include <kern/panic.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/trap_asm.h>
#include <kern/printk.h>
#include <kern/usermode.h>
#include <kern/exception.h>
#include <kern/vm_fault.h>
#include <mach/exception_types.h>

#include "sched_internal.h"

struct ipc_space *trap_current_space(void)
{
	struct task *task = current_task();

	return task != kernel_task ? task->itk_space : NULL;
}

/*
 * The user frame (thread->uframe) is the thread's, not on its kernel
 * stack: TRAP_THREAD_UFRAME and the arch's entry code rely on where it is.
 */
_Static_assert(__builtin_offsetof(struct thread, uframe.regs) == TRAP_THREAD_UFRAME,
	       "<kern/trap_asm.h>");
_Static_assert(sizeof(struct thread_uframe) == ARCH_UFRAME_PAD + sizeof(struct arch_regs) &&
	       sizeof(struct thread_uframe) % 16 == 0, "the frame ends 16-byte aligned");
_Static_assert(__builtin_offsetof(struct thread, ufp) ==
	       __builtin_offsetof(struct thread, uframe) + sizeof(struct thread_uframe),
	       "ufp starts where the frame ends");

/* Leave for user mode with the state in the thread's frame. */
static void __noreturn user_thread_enter(void)
{
	arch_irq_disable();
	arch_user_return_to(user_frame(current_thread()));
}

void thread_enter_user(vm_offset_t pc, vm_offset_t sp, unsigned long arg)
{
	struct thread *self = current_thread();

	if (!self->map || self->kstack_foreign)
		panic("thread_enter_user: %s has no user address space", thread_name(self));
	if (pc >= VM_MAX_USER_ADDRESS || sp > VM_MAX_USER_ADDRESS)
		panic("thread_enter_user: %#lx/%#lx are not user addresses",
		      (unsigned long)pc, (unsigned long)sp);
	arch_irq_disable();
	arch_user_regs_init(user_frame(self), pc, sp, arg);
	self->ustart_set = true;
	if (!self->user_state) {
		/* From here the context switch keeps its FP state. */
		arch_user_fp_init(self);
		arch_user_fp_sync(self, false);
		WRITE_ONCE(self->user_state, true);
	}
	user_thread_enter();
}

void thread_syscall_return(long value)
{
	struct arch_regs *frame = user_frame(current_thread());

	arch_irq_disable();
	arch_regs_set_return(frame, (unsigned long)value);
	arch_user_return_to(frame);
}

/*
 * What a user thread runs first, in the kernel: wait for a state if it
 * has none yet (thread_create, then thread_set_state), then enter user
 * mode with it. Terminated meanwhile, it just ends.
 */
static void user_thread_start(void *arg)
{
	struct thread *self = current_thread();

	(void)arg;
	while (!READ_ONCE(self->ustart_set)) {
		if (thread_should_halt())
			return;
		assert_wait(&self->ustart_set, THREAD_INTERRUPTIBLE);
		if (READ_ONCE(self->ustart_set))
			clear_wait(self, THREAD_AWAKENED);
		thread_block(NULL);
	}
	if (thread_should_halt())
		return;
	arch_user_fp_sync(self, false);
	user_thread_enter();
}

static kern_return_t user_thread_create(task_t task, thread_t *out)
{
	thread_t t;
	kern_return_t kr;

	if (!task || task == kernel_task || !task->map)
		return KERN_INVALID_ARGUMENT;
	kr = task_thread_create(task, user_thread_start, NULL, BASEPRI_USER, "user", &t);
	if (kr != KERN_SUCCESS)
		return kr;
	/* Suspended: nothing runs it, nobody reads its state until user_state is set. */
	arch_user_regs_init(user_frame(t), 0, 0, 0);
	arch_user_fp_init(t);
	WRITE_ONCE(t->user_state, true);
	*out = t;
	return KERN_SUCCESS;
}

kern_return_t thread_create_user_nostate(task_t task, thread_t *out)
{
	return user_thread_create(task, out);
}

kern_return_t thread_create_user(task_t task, vm_offset_t pc, vm_offset_t sp,
				 uintptr_t arg, thread_t *out)
{
	kern_return_t kr;

	if (pc >= VM_MAX_USER_ADDRESS || sp > VM_MAX_USER_ADDRESS)
		return KERN_INVALID_ARGUMENT;
	kr = user_thread_create(task, out);
	if (kr != KERN_SUCCESS)
		return kr;
	arch_user_regs_init(user_frame(*out), pc, sp, arg);
	(*out)->ustart_set = true;
	return KERN_SUCCESS;
}

/*
 * Hold t still (GNU Mach's thread_hold() + thread_dowait()): suspended
 * and off its CPU, so that its frame and FP state are in memory; the
 * caller's own FP registers go to memory instead. KERN_INVALID_ARGUMENT
 * for a thread with no user state.
 */
static kern_return_t user_state_hold(thread_t t)
{
	if (!t || !READ_ONCE(t->user_state))
		return KERN_INVALID_ARGUMENT;
	if (t != current_thread())
		return thread_suspend(t);
	arch_user_fp_sync(t, true);
	return KERN_SUCCESS;
}

static void user_state_release(thread_t t)
{
	if (t != current_thread())
		thread_resume(t);
	else
		arch_user_fp_sync(t, false);
}

kern_return_t thread_user_state_get(thread_t t, int flavor, natural_t *state,
				    mach_msg_type_number_t *count)
{
	kern_return_t kr = user_state_hold(t);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = arch_thread_state_get(t, flavor, state, count);
	user_state_release(t);
	return kr;
}

kern_return_t thread_user_state_set(thread_t t, int flavor, const natural_t *state,
				    mach_msg_type_number_t count)
{
	kern_return_t kr = user_state_hold(t);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = arch_thread_state_set(t, flavor, state, count);
	if (kr == KERN_SUCCESS && flavor == MACHINE_THREAD_STATE && !t->ustart_set) {
		/* A thread_create'd thread waits for its first state. */
		WRITE_ONCE(t->ustart_set, true);
		thread_wakeup(&t->ustart_set);
	}
	user_state_release(t);
	return kr;
}

/* For arch_thread_state_get(): a flavor's n natural_t, if *count has room. */
kern_return_t thread_state_put(const void *src, unsigned int n, natural_t *state,
			       mach_msg_type_number_t *count)
{
	if (*count < n)
		return KERN_INVALID_ARGUMENT;
	memcpy(state, src, n * sizeof(natural_t));
	*count = n;
	return KERN_SUCCESS;
}

void user_return_check(void)
{
	struct thread *self = current_thread();

	if (unlikely(self->preempt_count))
		panic("returning to user mode with preemption disabled (%d)",
		      self->preempt_count);
	while (unlikely(READ_ONCE(cpu_this()->ast) & AST_PREEMPT)) {
		arch_irq_enable();
		sched_check_preempt();
		arch_irq_disable();
	}
	/* The safe point where a terminated user thread ends (thread_terminate_request()). */
	if (unlikely(thread_should_halt())) {
		arch_irq_enable();
		vm_map_switch(VM_MAP_NULL);	/* the task keeps its map */
		thread_terminate();
	}
}

void user_page_fault(vm_offset_t addr, vm_prot_t type, unsigned long pc)
{
	vm_map_t map = current_thread()->map;
	kern_return_t kr = KERN_INVALID_ADDRESS;

	if (map && addr >= map->min_offset && addr < map->max_offset) {
		arch_irq_enable();
		kr = vm_fault(map, addr, type, false);
		arch_irq_disable();
	}
	if (kr != KERN_SUCCESS)
		user_exception_raise(EXC_BAD_ACCESS, kr, (long)addr, pc);
}

static const char *const user_exception_names[EXC_TYPES_COUNT] = {
	[EXC_BAD_ACCESS] = "EXC_BAD_ACCESS",
	[EXC_BAD_INSTRUCTION] = "EXC_BAD_INSTRUCTION",
	[EXC_ARITHMETIC] = "EXC_ARITHMETIC",
	[EXC_SOFTWARE] = "EXC_SOFTWARE",
	[EXC_BREAKPOINT] = "EXC_BREAKPOINT",
	[EXC_SYSCALL] = "EXC_SYSCALL",
	[EXC_MACH_SYSCALL] = "EXC_MACH_SYSCALL",
};

/*
 * Nothing took the exception: the task ends, with one line on the
 * console (a kernel thread that entered user mode by itself just ends).
 */
static void user_exception_unhandled(struct thread *self, int exception, long code,
				     long subcode, unsigned long pc)
{
	const char *name = exception > 0 && exception < EXC_TYPES_COUNT ?
			   user_exception_names[exception] : NULL;

	printk(KERN_NOTICE "user: thread %s: %s (code %#lx, subcode %#lx) at pc %#lx: "
	       "no handler, task terminated\n", thread_name(self), name ?: "exception",
	       (unsigned long)code, (unsigned long)subcode, pc);
	if (current_task() == kernel_task)
		thread_terminate_request(self);
	else
		task_terminate(current_task());	/* marks us: we end on the way out */
}

void user_exception_raise(int exception, long code, long subcode, unsigned long pc)
{
	struct thread *self = current_thread();

	self->uexc_type = exception;
	self->uexc_code = code;
	self->uexc_subcode = subcode;
	arch_user_exception_save(self);
	arch_irq_enable();
	/* KERN_ABORTED: terminated while it waited; it ends on the way out. */
	if (exception_deliver(exception, code, subcode) == KERN_FAILURE)
		user_exception_unhandled(self, exception, code, subcode, pc);
	arch_irq_disable();
}
