// SPDX-License-Identifier: MIT
/*
 * User mode, the machine-independent part (<kern/usermode.h>,
 * Documentation/traps.rst): entering it, the checks on every way back to
 * it, user page faults and the exceptions nothing resolves.
 */
#include <kern/arch.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/usermode.h>
#include <kern/vm_fault.h>
#include <mach/exception_types.h>

#include "sched_internal.h"

void thread_enter_user(vm_offset_t pc, vm_offset_t sp, unsigned long arg)
{
	struct thread *self = current_thread();

	if (!self->map || self->kstack_foreign)
		panic("thread_enter_user: %s has no user address space", thread_name(self));
	if (pc >= VM_MAX_USER_ADDRESS || sp > VM_MAX_USER_ADDRESS)
		panic("thread_enter_user: %#lx/%#lx are not user addresses",
		      (unsigned long)pc, (unsigned long)sp);
	arch_thread_enter_user(pc, sp, arg, self->kstack_top);
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
 * exception_raise() plugs in here: the message to the exception ports,
 * and the thread resumed or ended by the reply. For now: report and end.
 */
void user_exception_raise(int exception, long code, long subcode, unsigned long pc)
{
	struct thread *self = current_thread();
	const char *name = exception > 0 && exception < EXC_TYPES_COUNT ?
			   user_exception_names[exception] : NULL;

	self->uexc_type = exception;
	self->uexc_code = code;
	self->uexc_subcode = subcode;
	printk(KERN_NOTICE "user: thread %s: %s (code %#lx, subcode %#lx) at pc %#lx: terminated\n",
	       thread_name(self), name ?: "exception", (unsigned long)code,
	       (unsigned long)subcode, pc);
	arch_irq_enable();
	vm_map_switch(VM_MAP_NULL);	/* the map's owner keeps it */
	self->utrap_space = NULL;
	thread_terminate();
}
