/* SPDX-License-Identifier: MIT */
/*
 * The Mach traps as C functions (libmach's stubs, user/lib/mach/traps.S;
 * numbers and convention in <mach/syscall_sw.h> and Documentation/traps.rst).
 * Most programs want the wrappers of <mach/mach_init.h> and mach_msg()
 * instead of the raw traps.
 */
#ifndef _MACH_MACH_TRAPS_H
#define _MACH_MACH_TRAPS_H

#include <mach/std_types.h>
#include <mach/syscall_sw.h>
#include <mach/message.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>

/* Nanoseconds since boot (the time base is 1/1). */
uint64_t mach_absolute_time(void);
/* A new receive right in the caller's space, or MACH_PORT_NULL. */
mach_port_name_t mach_reply_port(void);
mach_port_name_t thread_self_trap(void);
mach_port_name_t task_self_trap(void);
mach_port_name_t host_self_trap(void);

/*
 * A Mach trap with up to six arguments, from the caller's own code: the
 * number and the arguments put straight into the trap's registers
 * (<mach/syscall_sw.h>). The inline asm names what the trap changes: the
 * result's register, and on x86_64 %rcx and %r11, which syscall itself
 * overwrites; the kernel gives every other register back as it was
 * (Documentation/traps.rst). A C99 inline definition: the external one
 * is in libmach (traps_inline.c).
 */
inline long mach_trap_inline(long nr, unsigned long a0, unsigned long a1, unsigned long a2,
			     unsigned long a3, unsigned long a4, unsigned long a5)
{
#if defined(__x86_64__)
	register unsigned long r10 __asm__("r10") = a3;
	register unsigned long r8 __asm__("r8") = a4;
	register unsigned long r9 __asm__("r9") = a5;

	__asm__ volatile("syscall"
			 : "+a"(nr)
			 : "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return nr;
#elif defined(__aarch64__)
	register unsigned long x0 __asm__("x0") = a0;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;
	register unsigned long x4 __asm__("x4") = a4;
	register unsigned long x5 __asm__("x5") = a5;
	register long x16 __asm__("x16") = nr;

	__asm__ volatile("svc %[imm]"
			 : "+r"(x0)
			 : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x16),
			   [imm] "i"(MACH_TRAP_SVC_IMM)
			 : "memory");
	return (long)x0;
#else
#error "mach_trap_inline: no trap for this architecture"
#endif
}

/*
 * mach_msg_trap is inline too (a C99 inline definition; the external one
 * is libmach's stub in traps.S, for a caller that takes its address or is
 * not optimized): the trap from the caller's own code, without a call, a
 * return and the stack slot of the seventh argument, which the kernel
 * does not read (notify means something only with MACH_SEND_NOTIFY /
 * MACH_RCV_NOTIFY, which it refuses).
 */
inline mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
				       mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				       mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				       mach_port_name_t notify)
{
	(void)notify;
	return (mach_msg_return_t)mach_trap_inline(MACH_MSG_TRAP, (unsigned long)msg,
						   (unsigned int)option, send_size, rcv_size,
						   rcv_name, timeout);
}
mach_msg_return_t mach_msg_overwrite_trap(mach_msg_header_t *msg, mach_msg_option_t option,
					  mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					  mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
					  mach_port_name_t notify, mach_msg_header_t *rcv_msg);

/* Semaphores (Documentation/semaphores.rst); nsec is a clock_res_t, as in XNU. */
kern_return_t semaphore_signal_trap(mach_port_name_t semaphore);
kern_return_t semaphore_signal_all_trap(mach_port_name_t semaphore);
kern_return_t semaphore_signal_thread_trap(mach_port_name_t semaphore, mach_port_name_t thread);
kern_return_t semaphore_wait_trap(mach_port_name_t semaphore);
kern_return_t semaphore_wait_signal_trap(mach_port_name_t wait, mach_port_name_t signal);
kern_return_t semaphore_timedwait_trap(mach_port_name_t semaphore, unsigned int sec, int nsec);
kern_return_t semaphore_timedwait_signal_trap(mach_port_name_t wait, mach_port_name_t signal,
					      unsigned int sec, int nsec);

/*
 * XNU's kernelrpc traps (Documentation/traps.rst): routines of mach.defs
 * and mach_port.defs on a task's port, without a message. target is a
 * send right to a task's port; for any other name they answer
 * MACH_SEND_INVALID_DEST. A result pointer the kernel cannot write (or,
 * for the VM ones, read) is KERN_INVALID_ADDRESS. libmach's vm_allocate(),
 * mach_port_allocate() ... call these first and send the MIG request
 * (the stubs under the names below) only on MACH_SEND_INVALID_DEST.
 */
kern_return_t _kernelrpc_vm_allocate_trap(mach_port_name_t target, vm_address_t *addr,
					  vm_size_t size, int flags);
kern_return_t _kernelrpc_vm_deallocate_trap(mach_port_name_t target, vm_address_t addr,
					    vm_size_t size);
kern_return_t _kernelrpc_vm_protect_trap(mach_port_name_t target, vm_address_t addr,
					 vm_size_t size, boolean_t set_maximum,
					 vm_prot_t new_protection);
kern_return_t _kernelrpc_vm_map_trap(mach_port_name_t target, vm_address_t *addr,
				     vm_size_t size, vm_address_t mask, int flags,
				     vm_prot_t cur_protection);
kern_return_t _kernelrpc_mach_port_allocate_trap(mach_port_name_t target,
						 mach_port_right_t right,
						 mach_port_name_t *name);
kern_return_t _kernelrpc_mach_port_destroy_trap(mach_port_name_t target, mach_port_name_t name);
kern_return_t _kernelrpc_mach_port_deallocate_trap(mach_port_name_t target,
						   mach_port_name_t name);
kern_return_t _kernelrpc_mach_port_mod_refs_trap(mach_port_name_t target, mach_port_name_t name,
						 mach_port_right_t right,
						 mach_port_delta_t delta);
kern_return_t _kernelrpc_mach_port_move_member_trap(mach_port_name_t target,
						    mach_port_name_t member,
						    mach_port_name_t after);
kern_return_t _kernelrpc_mach_port_insert_right_trap(mach_port_name_t target,
						     mach_port_name_t name,
						     mach_port_name_t poly,
						     mach_msg_type_name_t polyPoly);
kern_return_t _kernelrpc_mach_port_insert_member_trap(mach_port_name_t target,
						      mach_port_name_t name,
						      mach_port_name_t pset);
kern_return_t _kernelrpc_mach_port_extract_member_trap(mach_port_name_t target,
						       mach_port_name_t name,
						       mach_port_name_t pset);

/* With no MIG routine behind them (mach_port.defs has none): the traps, as XNU's calls. */
kern_return_t mach_port_insert_member(mach_port_name_t task, mach_port_name_t name,
				      mach_port_name_t pset);
kern_return_t mach_port_extract_member(mach_port_name_t task, mach_port_name_t name,
				       mach_port_name_t pset);

/* The MIG stubs the traps stand in for (user/lib/mach/kernelrpc.c). */
kern_return_t _kernelrpc_vm_allocate(mach_port_t target_task, vm_address_t *address,
				     vm_size_t size, boolean_t anywhere);
kern_return_t _kernelrpc_vm_deallocate(mach_port_t target_task, vm_address_t address,
				       vm_size_t size);
kern_return_t _kernelrpc_vm_protect(mach_port_t target_task, vm_address_t address,
				    vm_size_t size, boolean_t set_maximum,
				    vm_prot_t new_protection);
kern_return_t _kernelrpc_vm_map(mach_port_t target_task, vm_address_t *address, vm_size_t size,
				vm_address_t mask, boolean_t anywhere, mach_port_t memory_object,
				memory_object_offset_t offset, boolean_t copy,
				vm_prot_t cur_protection, vm_prot_t max_protection,
				vm_inherit_t inheritance);
kern_return_t _kernelrpc_mach_port_allocate(mach_port_t task, mach_port_right_t right,
					    mach_port_name_t *name);
kern_return_t _kernelrpc_mach_port_destroy(mach_port_t task, mach_port_name_t name);
kern_return_t _kernelrpc_mach_port_deallocate(mach_port_t task, mach_port_name_t name);
kern_return_t _kernelrpc_mach_port_mod_refs(mach_port_t task, mach_port_name_t name,
					    mach_port_right_t right, mach_port_delta_t delta);
kern_return_t _kernelrpc_mach_port_move_member(mach_port_t task, mach_port_name_t member,
					       mach_port_name_t after);
kern_return_t _kernelrpc_mach_port_insert_right(mach_port_t task, mach_port_name_t name,
						mach_port_t poly, mach_msg_type_name_t polyPoly);

boolean_t swtch_pri(int pri);
boolean_t swtch(void);
kern_return_t thread_switch(mach_port_name_t thread, int option, mach_msg_timeout_t time);

struct mach_timebase_info {
	uint32_t	numer;
	uint32_t	denom;
};
typedef struct mach_timebase_info mach_timebase_info_data_t;
typedef struct mach_timebase_info *mach_timebase_info_t;

kern_return_t mach_timebase_info_trap(mach_timebase_info_t info);
kern_return_t mach_timebase_info(mach_timebase_info_t info);

#endif /* _MACH_MACH_TRAPS_H */
