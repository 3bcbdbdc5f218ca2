// SPDX-License-Identifier: MIT
/*
 * The Mach trap table (<mach/syscall_sw.h>, Documentation/traps.rst):
 * what a trap from user mode runs. The architecture's entry.S calls an
 * entry of mach_trap_fns[] straight, interrupts enabled, with the user's
 * argument registers as the C parameters (the numbers outside the table
 * go through arch/<arch>/kernel/usermode.c and mach_trap_lookup()).
 * Every trap works on the caller's IPC space (trap_current_space()),
 * reads and writes user memory only through copyin/copyout, and answers a
 * bad user pointer with an error, never a fault.
 *
 * task_self_trap and thread_self_trap give send rights to the caller's
 * task and thread ports, under one name per port as Mach does.
 */
#include <kern/arch.h>
#include <kern/copyio.h>
#include <kern/sched.h>
#include <kern/sync_sema.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <kern/trap_asm.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_object.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <ipc/mach_port.h>
#include <kernel/ipc_tt.h>
#include <kernel/mig/mig_convert.h>
#include <mach/syscall_sw.h>
#include <mach/vm_inherit.h>

/* The parameters of every trap (mach_trap_fn_t); a trap uses those it has. */
#define TRAP_ARGS	unsigned long a0 __maybe_unused, unsigned long a1 __maybe_unused, \
			unsigned long a2 __maybe_unused, unsigned long a3 __maybe_unused, \
			unsigned long a4 __maybe_unused, unsigned long a5 __maybe_unused

/* Bad numbers, for the usermode suite; not counted when nothing reads them. */
static unsigned long mach_trap_bad;

static inline void mach_trap_count_bad(void)
{
	if (IS_ENABLED(CONFIG_USERMODE_KTEST))
		__atomic_add_fetch(&mach_trap_bad, 1, __ATOMIC_RELAXED);
}

unsigned long mach_trap_bad_count(void)
{
	return __atomic_load_n(&mach_trap_bad, __ATOMIC_RELAXED);
}

/* A number with no trap: XNU's kern_invalid. */
static long mach_trap_invalid(TRAP_ARGS)
{
	mach_trap_count_bad();
	return KERN_INVALID_ARGUMENT;
}

/* A send right (consumed) as a name in the caller's space, or MACH_PORT_NULL. */
static long trap_copyout_send(ipc_port_t port)
{
	ipc_space_t space = trap_current_space();
	mach_port_name_t name;

	if (!IP_VALID(port))
		return MACH_PORT_NAME_NULL;
	if (!space || ipc_object_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, false,
					 &name) != KERN_SUCCESS) {
		ipc_port_release_send(port);
		return MACH_PORT_NAME_NULL;
	}
	return name;
}

static long mach_reply_port_trap(TRAP_ARGS)
{
	ipc_space_t space = trap_current_space();
	mach_port_name_t name;

	if (!space || ipc_port_alloc(space, &name) != KERN_SUCCESS)
		return MACH_PORT_NAME_NULL;
	return name;
}

static long host_self_trap(TRAP_ARGS)
{
	return trap_copyout_send((ipc_port_t)convert_host_to_port(host_self()));
}

/* TASK_KERNEL_PORT's right (what task_set_special_port() put there), as Mach. */
static long task_self_trap(TRAP_ARGS)
{
	mach_port_t port;

	if (task_get_special_port(current_task(), TASK_KERNEL_PORT, &port) != KERN_SUCCESS)
		return MACH_PORT_NAME_NULL;
	return trap_copyout_send((ipc_port_t)port);
}

static long thread_self_trap(TRAP_ARGS)
{
	return trap_copyout_send(thread_port_make_send(current_thread()));
}

/*
 * mach_msg_overwrite_trap(msg, option, send_size, rcv_size, rcv_name,
 * timeout, notify, rcv_msg): with a separate rcv_msg the send and the
 * receive are two calls (no RPC handoff between them).
 */
static long mach_msg_trap_args(const unsigned long *a)
{
	ipc_space_t space = trap_current_space();
	mach_msg_header_t __user *msg = (mach_msg_header_t __user *)a[0];
	mach_msg_header_t __user *rcv_msg = (mach_msg_header_t __user *)a[7];
	mach_msg_option_t option = (mach_msg_option_t)a[1];
	mach_msg_return_t mr;

	if (!space)
		return KERN_INVALID_TASK;
	if (rcv_msg && rcv_msg != msg && (option & MACH_RCV_MSG)) {
		if (option & MACH_SEND_MSG) {
			mr = ipc_mach_msg_user(space, msg, option & ~MACH_RCV_MSG,
					       (mach_msg_size_t)a[2], 0, 0,
					       (mach_msg_timeout_t)a[5], (mach_port_name_t)a[6]);
			if (mr != MACH_MSG_SUCCESS)
				return mr;
		}
		msg = rcv_msg;
		option &= ~MACH_SEND_MSG;
	}
	return ipc_mach_msg_user(space, msg, option, (mach_msg_size_t)a[2],
				 (mach_msg_size_t)a[3], (mach_port_name_t)a[4],
				 (mach_msg_timeout_t)a[5], (mach_port_name_t)a[6]);
}

/* The seventh and eighth arguments (notify, rcv_msg) come from the arch. */
static long mach_msg_overwrite_trap(TRAP_ARGS)
{
	unsigned long args[MACH_TRAP_MAX_ARGS] = { a0, a1, a2, a3, a4, a5, 0, 0 };

	if (arch_trap_args_high(&args[6], 2) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	return mach_msg_trap_args(args);
}

/*
 * The semaphore traps (kernel/sync_sema.c): a semaphore is named by a
 * send right in the caller's space; a name that is not one is
 * KERN_INVALID_ARGUMENT, as in Mach. The result is a kern_return_t.
 */
static long semaphore_trap_common(const unsigned long *a, bool wait, bool timed)
{
	ipc_space_t space = trap_current_space();
	semaphore_t sema = sync_sema_lookup_name(space, (mach_port_name_t)a[0]);
	semaphore_t signal = SEMAPHORE_NULL;
	mach_timespec_t ts = { 0 };
	uint64_t ns = 0;
	kern_return_t kr = KERN_INVALID_ARGUMENT;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	if (wait && a[1] != MACH_PORT_NAME_NULL) {
		signal = sync_sema_lookup_name(space, (mach_port_name_t)a[1]);
		if (!signal)
			goto out;
	}
	if (timed) {
		ts.tv_sec = (unsigned int)a[2];
		ts.tv_nsec = (int)a[3];
		kr = sync_sema_timespec_ns(ts, &ns);
		if (kr != KERN_SUCCESS)
			goto out;
	}
	kr = wait ? sync_sema_wait(sema, signal, timed, ns) : sync_sema_signal(sema);
out:
	semaphore_dereference(signal);
	semaphore_dereference(sema);
	return kr;
}

static long semaphore_signal_trap(TRAP_ARGS)
{
	const unsigned long args[4] = { a0, 0, 0, 0 };

	return semaphore_trap_common(args, false, false);
}

static long semaphore_signal_all_trap(TRAP_ARGS)
{
	semaphore_t sema = sync_sema_lookup_name(trap_current_space(), (mach_port_name_t)a0);
	kern_return_t kr;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	kr = sync_sema_signal_all(sema);
	semaphore_dereference(sema);
	return kr == KERN_NOT_WAITING ? KERN_SUCCESS : kr;
}

/* Thread names are the thread's port (thread_self_trap()); a null name: any waiter. */
static long semaphore_signal_thread_trap(TRAP_ARGS)
{
	ipc_space_t space = trap_current_space();
	semaphore_t sema = sync_sema_lookup_name(space, (mach_port_name_t)a0);
	thread_t thread = THREAD_NULL;
	ipc_port_t port = IP_NULL;
	kern_return_t kr = KERN_INVALID_ARGUMENT;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	if (a1 != MACH_PORT_NAME_NULL) {
		if (ipc_object_copyin(space, (mach_port_name_t)a1, MACH_MSG_TYPE_COPY_SEND,
				      &port) != KERN_SUCCESS)
			goto out;
		thread = convert_port_to_thread((mach_port_t)port);
		if (IP_VALID(port))
			ipc_port_release_send(port);
		if (!thread)
			goto out;
	}
	kr = sync_sema_signal_thread(sema, thread);
	if (thread)
		thread_deallocate(thread);
out:
	semaphore_dereference(sema);
	return kr;
}

static long semaphore_wait_trap(TRAP_ARGS)
{
	const unsigned long args[4] = { a0, MACH_PORT_NAME_NULL, 0, 0 };

	return semaphore_trap_common(args, true, false);
}

static long semaphore_wait_signal_trap(TRAP_ARGS)
{
	const unsigned long args[4] = { a0, a1, 0, 0 };

	return semaphore_trap_common(args, true, false);
}

static long semaphore_timedwait_trap(TRAP_ARGS)
{
	const unsigned long args[4] = { a0, MACH_PORT_NAME_NULL, a1, a2 };

	return semaphore_trap_common(args, true, true);
}

static long semaphore_timedwait_signal_trap(TRAP_ARGS)
{
	const unsigned long args[4] = { a0, a1, a2, a3 };

	return semaphore_trap_common(args, true, true);
}

/* Until thread ports: a hint never names a thread, so the switch is a yield. */
static long thread_switch_trap(TRAP_ARGS)
{
	return thread_switch(NULL, (int)a1, (unsigned int)a2);
}

/* swtch_pri / swtch: whether other threads were waiting for this CPU. */
static long swtch_pri_trap(TRAP_ARGS)
{
	bool others = sched_runq_count(cpu_number()) != 0;

	thread_switch(NULL, SWITCH_OPTION_DEPRESS, SCHED_QUANTUM_NS / NSEC_PER_MSEC);
	return others;
}

static long swtch_trap(TRAP_ARGS)
{
	bool others = sched_runq_count(cpu_number()) != 0;

	thread_yield();
	return others;
}

/* The Mach time base is nanoseconds: numer = denom = 1. */
static long mach_absolute_time_trap(TRAP_ARGS)
{
	return (long)arch_clock_ns();
}

static long mach_timebase_info_trap(TRAP_ARGS)
{
	const uint32_t info[2] = { 1, 1 };

	return copyout(info, (void __user *)a0, sizeof(info));
}

/*
 * XNU's kernelrpc traps: mach_port.defs and mach.defs routines without a
 * message. The target is a name in the caller's space for a send right
 * to a task's port (IKOT_TASK), as the MIG request's destination would
 * be; anything else (a bad or dead name, a port of another kind) is
 * MACH_SEND_INVALID_DEST, as in XNU, and libmach then sends the MIG
 * request, which gets that name's own answer. Past the target each trap
 * calls what the MIG server's routine calls, so results and errors are
 * the routine's. User pointers go through copyin/copyout: one the kernel
 * cannot use is KERN_INVALID_ADDRESS, with nothing left done (MIG's stub
 * would fault in user space instead).
 */

/* The kernel's mach.defs routines (kernel/mig/mach_routines.c; machServer.h declares them). */
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size,
			  boolean_t anywhere);
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size);
kern_return_t vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
		     vm_address_t mask, boolean_t anywhere, memory_object_t memory_object,
		     memory_object_offset_t offset, boolean_t copy,
		     vm_prot_t cur_protection, vm_prot_t max_protection,
		     vm_inherit_t inheritance);

/*
 * The task a send right named `name` in the caller's space stands for.
 * The caller's own task comes without a new reference (its threads hold
 * one); another with one, which trap_target_done() drops. TASK_NULL if
 * the name is no send right to a task's port. The space and the map stay
 * allocated while the task is referenced (task_free()).
 */
static task_t trap_target(unsigned long name)
{
	ipc_space_t space = trap_current_space();
	task_t task = TASK_NULL;
	ipc_entry_t entry;
	ipc_port_t port;

	if (!space || ipc_right_lookup(space, (mach_port_name_t)name, &entry) != KERN_SUCCESS)
		return TASK_NULL;
	if (IE_BITS_TYPE(entry->ie_bits) & MACH_PORT_TYPE_SEND) {
		port = (ipc_port_t)entry->ie_object;
		ip_lock(port);
		if (ip_active(port) && port->ip_kotype == IKOT_TASK) {
			task = port->ip_kobject;
			if (task != current_task())
				task_reference(task);
		}
		ip_unlock(port);
	}
	is_unlock(space);
	return task;
}

static void trap_target_done(task_t task)
{
	if (task != current_task())
		task_deallocate(task);
}

/* What the MIG server's conversions give the routine: none for the kernel's task. */
static ipc_space_t trap_task_space(task_t task)
{
	return task == kernel_task ? IS_NULL : task->itk_space;
}

static vm_map_t trap_task_map(task_t task)
{
	return task == kernel_task ? VM_MAP_NULL : task->map;
}

/*
 * vm_allocate, or vm_map of anonymous memory (mask, cur_protection): the
 * address in from *uaddr (a placement for a fixed region), the region's
 * out; a region whose address cannot be written back goes again.
 */
static long kernelrpc_vm_enter(unsigned long target, unsigned long uaddr, vm_size_t size,
			       unsigned int flags, bool map, vm_address_t mask, vm_prot_t cur)
{
	vm_address_t __user *up = (vm_address_t __user *)uaddr;
	task_t task = trap_target(target);
	vm_map_t vmap;
	vm_address_t addr;
	kern_return_t kr;

	if (!task)
		return MACH_SEND_INVALID_DEST;
	vmap = trap_task_map(task);
	kr = KERN_INVALID_ARGUMENT;
	if (flags & ~KERNELRPC_VM_FLAGS_ANYWHERE)
		goto out;
	kr = KERN_INVALID_ADDRESS;
	if (copyin(up, &addr, sizeof(addr)) != KERN_SUCCESS)
		goto out;
	if (map)
		kr = vm_map(vmap, &addr, size, mask, flags & KERNELRPC_VM_FLAGS_ANYWHERE,
			    MEMORY_OBJECT_NULL, 0, false, cur, VM_PROT_ALL, VM_INHERIT_DEFAULT);
	else
		kr = vm_allocate(vmap, &addr, size, flags & KERNELRPC_VM_FLAGS_ANYWHERE);
	if (kr == KERN_SUCCESS && copyout(&addr, up, sizeof(addr)) != KERN_SUCCESS) {
		vm_deallocate(vmap, addr, size);
		kr = KERN_INVALID_ADDRESS;
	}
out:
	trap_target_done(task);
	return kr;
}

/* (target, vm_address_t *addr, size, flags) */
static long kernelrpc_vm_allocate_trap(TRAP_ARGS)
{
	return kernelrpc_vm_enter(a0, a1, a2, (unsigned int)a3, false, 0, 0);
}

/* (target, address, size) */
static long kernelrpc_vm_deallocate_trap(TRAP_ARGS)
{
	task_t task = trap_target(a0);
	kern_return_t kr;

	if (!task)
		return MACH_SEND_INVALID_DEST;
	kr = vm_deallocate(trap_task_map(task), a1, a2);
	trap_target_done(task);
	return kr;
}

/* (target, address, size, set_maximum, new_protection) */
static long kernelrpc_vm_protect_trap(TRAP_ARGS)
{
	task_t task = trap_target(a0);
	kern_return_t kr;

	if (!task)
		return MACH_SEND_INVALID_DEST;
	kr = vm_protect(trap_task_map(task), a1, a2, (boolean_t)a3, (vm_prot_t)a4);
	trap_target_done(task);
	return kr;
}

/*
 * (target, vm_address_t *addr, size, mask, flags, cur_protection): XNU's
 * vm_map of anonymous memory, the maximum protection VM_PROT_ALL and the
 * default inheritance (libmach's vm_map() uses it for that case only).
 */
static long kernelrpc_vm_map_trap(TRAP_ARGS)
{
	return kernelrpc_vm_enter(a0, a1, a2, (unsigned int)a4, true, a3, (vm_prot_t)a5);
}

/* (target, right, mach_port_name_t *name) */
static long kernelrpc_mach_port_allocate_trap(TRAP_ARGS)
{
	task_t task = trap_target(a0);
	mach_port_name_t name;
	kern_return_t kr;

	if (!task)
		return MACH_SEND_INVALID_DEST;
	kr = ipc_mach_port_allocate(trap_task_space(task), (mach_port_right_t)a1, &name);
	if (kr == KERN_SUCCESS &&
	    copyout(&name, (mach_port_name_t __user *)a2, sizeof(name)) != KERN_SUCCESS) {
		ipc_mach_port_destroy(trap_task_space(task), name);
		kr = KERN_INVALID_ADDRESS;
	}
	trap_target_done(task);
	return kr;
}

enum kernelrpc_port_op {
	KRPC_DESTROY, KRPC_DEALLOCATE, KRPC_MOD_REFS, KRPC_MOVE_MEMBER, KRPC_INSERT_MEMBER,
	KRPC_EXTRACT_MEMBER,
};

/* The traps on one name (or two) of the target's space, with their routine. */
static long kernelrpc_port_call(unsigned long target, enum kernelrpc_port_op op,
				unsigned long a1, unsigned long a2, unsigned long a3)
{
	task_t task = trap_target(target);
	ipc_space_t space;
	kern_return_t kr;

	if (!task)
		return MACH_SEND_INVALID_DEST;
	space = trap_task_space(task);
	switch (op) {
	case KRPC_DESTROY:
		kr = ipc_mach_port_destroy(space, (mach_port_name_t)a1);
		break;
	case KRPC_DEALLOCATE:
		kr = ipc_mach_port_deallocate(space, (mach_port_name_t)a1);
		break;
	case KRPC_MOD_REFS:
		kr = ipc_mach_port_mod_refs(space, (mach_port_name_t)a1, (mach_port_right_t)a2,
					    (mach_port_delta_t)a3);
		break;
	case KRPC_MOVE_MEMBER:
		kr = ipc_mach_port_move_member(space, (mach_port_name_t)a1, (mach_port_name_t)a2);
		break;
	case KRPC_INSERT_MEMBER:
		kr = ipc_mach_port_insert_member(space, (mach_port_name_t)a1,
						 (mach_port_name_t)a2);
		break;
	case KRPC_EXTRACT_MEMBER:
	default:
		kr = ipc_mach_port_extract_member(space, (mach_port_name_t)a1,
						  (mach_port_name_t)a2);
		break;
	}
	trap_target_done(task);
	return kr;
}

/* (target, name) */
static long kernelrpc_mach_port_destroy_trap(TRAP_ARGS)
{
	return kernelrpc_port_call(a0, KRPC_DESTROY, a1, 0, 0);
}

/* (target, name) */
static long kernelrpc_mach_port_deallocate_trap(TRAP_ARGS)
{
	return kernelrpc_port_call(a0, KRPC_DEALLOCATE, a1, 0, 0);
}

/* (target, name, right, delta) */
static long kernelrpc_mach_port_mod_refs_trap(TRAP_ARGS)
{
	return kernelrpc_port_call(a0, KRPC_MOD_REFS, a1, a2, a3);
}

/* (target, member, after) */
static long kernelrpc_mach_port_move_member_trap(TRAP_ARGS)
{
	return kernelrpc_port_call(a0, KRPC_MOVE_MEMBER, a1, a2, 0);
}

/* (target, name, pset) */
static long kernelrpc_mach_port_insert_member_trap(TRAP_ARGS)
{
	return kernelrpc_port_call(a0, KRPC_INSERT_MEMBER, a1, a2, 0);
}

/* (target, name, pset) */
static long kernelrpc_mach_port_extract_member_trap(TRAP_ARGS)
{
	return kernelrpc_port_call(a0, KRPC_EXTRACT_MEMBER, a1, a2, 0);
}

/*
 * (target, name, poly, polyPoly): the right poly names in the caller's
 * space with disposition polyPoly becomes `name` in the target's, as the
 * request's port descriptor would carry it: a name or disposition the
 * send would refuse gets mach_msg's error, and a right the routine
 * refuses is destroyed, as the server's error destroys the request.
 */
static long kernelrpc_mach_port_insert_right_trap(TRAP_ARGS)
{
	mach_msg_type_name_t disp = (mach_msg_type_name_t)a3, type;
	task_t task = trap_target(a0);
	ipc_port_t port = IP_NULL;
	kern_return_t kr;

	if (!task)
		return MACH_SEND_INVALID_DEST;
	kr = MACH_SEND_INVALID_TYPE;
	if (!MACH_MSG_TYPE_PORT_ANY(disp))
		goto out;
	type = ipc_object_copyin_type(disp);
	if (MACH_PORT_NAME_VALID((mach_port_name_t)a2)) {
		kr = MACH_SEND_INVALID_RIGHT;
		if (ipc_object_copyin(trap_current_space(), (mach_port_name_t)a2, disp,
				      &port) != KERN_SUCCESS)
			goto out;
	} else if ((mach_port_name_t)a2 == MACH_PORT_NAME_DEAD) {
		port = IP_DEAD;
	}
	kr = ipc_mach_port_insert_right(trap_task_space(task), (mach_port_name_t)a1,
					(mach_port_t)port, type);
	if (kr != KERN_SUCCESS && IP_VALID(port))
		ipc_object_destroy(port, type);
out:
	trap_target_done(task);
	return kr;
}

/* The traps: X(number, function, arguments). */
#define MACH_TRAPS(X) \
	X(MACH_ABSOLUTE_TIME_TRAP, mach_absolute_time_trap, 0) \
	X(KERNELRPC_VM_ALLOCATE_TRAP, kernelrpc_vm_allocate_trap, 4) \
	X(KERNELRPC_VM_DEALLOCATE_TRAP, kernelrpc_vm_deallocate_trap, 3) \
	X(KERNELRPC_VM_PROTECT_TRAP, kernelrpc_vm_protect_trap, 5) \
	X(KERNELRPC_VM_MAP_TRAP, kernelrpc_vm_map_trap, 6) \
	X(KERNELRPC_MACH_PORT_ALLOCATE_TRAP, kernelrpc_mach_port_allocate_trap, 3) \
	X(KERNELRPC_MACH_PORT_DESTROY_TRAP, kernelrpc_mach_port_destroy_trap, 2) \
	X(KERNELRPC_MACH_PORT_DEALLOCATE_TRAP, kernelrpc_mach_port_deallocate_trap, 2) \
	X(KERNELRPC_MACH_PORT_MOD_REFS_TRAP, kernelrpc_mach_port_mod_refs_trap, 4) \
	X(KERNELRPC_MACH_PORT_MOVE_MEMBER_TRAP, kernelrpc_mach_port_move_member_trap, 3) \
	X(KERNELRPC_MACH_PORT_INSERT_RIGHT_TRAP, kernelrpc_mach_port_insert_right_trap, 4) \
	X(KERNELRPC_MACH_PORT_INSERT_MEMBER_TRAP, kernelrpc_mach_port_insert_member_trap, 3) \
	X(KERNELRPC_MACH_PORT_EXTRACT_MEMBER_TRAP, kernelrpc_mach_port_extract_member_trap, 3) \
	X(MACH_REPLY_PORT_TRAP, mach_reply_port_trap, 0) \
	X(THREAD_SELF_TRAP, thread_self_trap, 0) \
	X(TASK_SELF_TRAP, task_self_trap, 0) \
	X(HOST_SELF_TRAP, host_self_trap, 0) \
	X(MACH_MSG_TRAP, mach_msg_trap, 7) \
	X(MACH_MSG_OVERWRITE_TRAP, mach_msg_overwrite_trap, 8) \
	X(SEMAPHORE_SIGNAL_TRAP, semaphore_signal_trap, 1) \
	X(SEMAPHORE_SIGNAL_ALL_TRAP, semaphore_signal_all_trap, 1) \
	X(SEMAPHORE_SIGNAL_THREAD_TRAP, semaphore_signal_thread_trap, 2) \
	X(SEMAPHORE_WAIT_TRAP, semaphore_wait_trap, 1) \
	X(SEMAPHORE_WAIT_SIGNAL_TRAP, semaphore_wait_signal_trap, 2) \
	X(SEMAPHORE_TIMEDWAIT_TRAP, semaphore_timedwait_trap, 3) \
	X(SEMAPHORE_TIMEDWAIT_SIGNAL_TRAP, semaphore_timedwait_signal_trap, 4) \
	X(SWTCH_PRI_TRAP, swtch_pri_trap, 1) \
	X(SWTCH_TRAP, swtch_trap, 0) \
	X(THREAD_SWITCH_TRAP, thread_switch_trap, 3) \
	X(MACH_TIMEBASE_INFO_TRAP, mach_timebase_info_trap, 1)

/*
 * Two tables from the one list: entry.S calls through mach_trap_fns[],
 * an array of function pointers (the entry's address is the number
 * scaled by 8: no multiply, one instruction fewer a trap on x86_64, two
 * on arm64, than through the 24-byte entries of mach_trap_table[], which
 * keeps the counts and names for mach_trap_lookup()). Every number but
 * the traps' is mach_trap_invalid (entry.S calls any entry).
 */
#define MACH_TRAP_FN(nr, fn, n)		[-(nr)] = fn,
#define MACH_TRAP_ENTRY(nr, fn, n)	[-(nr)] = { fn, n, #fn },

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
mach_trap_fn_t *const mach_trap_fns[MACH_TRAP_TABLE_COUNT] = {
	[0 ... MACH_TRAP_TABLE_COUNT - 1] = mach_trap_invalid,
	MACH_TRAPS(MACH_TRAP_FN)
};

const struct mach_trap mach_trap_table[MACH_TRAP_TABLE_COUNT] = {
	[0 ... MACH_TRAP_TABLE_COUNT - 1] = { mach_trap_invalid, 0, "kern_invalid" },
	MACH_TRAPS(MACH_TRAP_ENTRY)
};
#pragma GCC diagnostic pop

/* entry.S's view of the table and of the structures it reads (<kern/trap_asm.h>). */
_Static_assert(sizeof(mach_trap_fns[0]) == MACH_TRAP_FN_SIZE, "mach_trap_fns entry");
_Static_assert(offsetof(struct cpu_data, active_thread) == TRAP_CPU_ACTIVE_THREAD, "cpu thread");
_Static_assert(offsetof(struct cpu_data, ast) == TRAP_CPU_AST, "cpu ast");
_Static_assert(offsetof(struct thread, state) == TRAP_THREAD_STATE, "thread state");
_Static_assert(offsetof(struct thread, preempt_count) == TRAP_THREAD_PREEMPT_COUNT, "preempt");
_Static_assert(TH_ABORT == TRAP_TH_ABORT, "TH_ABORT");
_Static_assert(sizeof(((struct cpu_data *)0)->ast) == 4, "cpu ast size");
_Static_assert(sizeof(((struct thread *)0)->state) == 4, "thread state size");

const struct mach_trap *mach_trap_lookup(long number)
{
	if (number <= 0 && number > -MACH_TRAP_TABLE_COUNT)
		return &mach_trap_table[-number];
	mach_trap_count_bad();
	return NULL;
}
