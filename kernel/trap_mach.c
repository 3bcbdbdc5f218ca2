// SPDX-License-Identifier: MIT
/*
 * The Mach trap table (<mach/syscall_sw.h>, Documentation/traps.rst):
 * what a trap from user mode runs. The architecture decodes the trap
 * number and arguments (arch/<arch>/kernel/usermode.c), looks the trap up
 * with mach_trap_lookup() and calls it with interrupts enabled. Every
 * trap works on the caller's IPC space (trap_current_space()), reads and
 * writes user memory only through copyin/copyout, and answers a bad user
 * pointer with an error, never a fault.
 *
 * Not yet: task_self_trap and thread_self_trap return MACH_PORT_NULL
 * until tasks and threads have ports; the semaphore traps return
 * KERN_NOT_SUPPORTED until semaphores have ports.
 */
#include <kern/arch.h>
#include <kern/copyio.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <ipc/ipc_object.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kernel/mig/mig_convert.h>
#include <mach/syscall_sw.h>

static unsigned long mach_trap_calls, mach_trap_bad;

unsigned long mach_trap_count(void)
{
	return __atomic_load_n(&mach_trap_calls, __ATOMIC_RELAXED);
}

unsigned long mach_trap_bad_count(void)
{
	return __atomic_load_n(&mach_trap_bad, __ATOMIC_RELAXED);
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

static long mach_reply_port_trap(const unsigned long *args)
{
	ipc_space_t space = trap_current_space();
	mach_port_name_t name;

	(void)args;
	if (!space || ipc_port_alloc(space, &name) != KERN_SUCCESS)
		return MACH_PORT_NAME_NULL;
	return name;
}

static long host_self_trap(const unsigned long *args)
{
	(void)args;
	return trap_copyout_send((ipc_port_t)convert_host_to_port(host_self()));
}

/* No task and thread ports yet: MACH_PORT_NULL, as Mach answers without one. */
static long task_self_trap(const unsigned long *args)
{
	(void)args;
	return MACH_PORT_NAME_NULL;
}

static long thread_self_trap(const unsigned long *args)
{
	(void)args;
	return MACH_PORT_NAME_NULL;
}

/*
 * mach_msg_overwrite_trap(msg, option, send_size, rcv_size, rcv_name,
 * timeout, notify, rcv_msg): with a separate rcv_msg the send and the
 * receive are two calls (no RPC handoff between them).
 */
static long mach_msg_overwrite_trap(const unsigned long *a)
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

static long mach_msg_trap(const unsigned long *a)
{
	unsigned long args[MACH_TRAP_MAX_ARGS] = {
		a[0], a[1], a[2], a[3], a[4], a[5], a[6], 0,
	};

	return mach_msg_overwrite_trap(args);
}

/* Semaphores have no ports yet: nothing for user space to name. */
static long semaphore_trap(const unsigned long *args)
{
	(void)args;
	return KERN_NOT_SUPPORTED;
}

/* Until thread ports: a hint never names a thread, so the switch is a yield. */
static long thread_switch_trap(const unsigned long *a)
{
	return thread_switch(NULL, (int)a[1], (unsigned int)a[2]);
}

/* swtch_pri / swtch: whether other threads were waiting for this CPU. */
static long swtch_pri_trap(const unsigned long *args)
{
	bool others = sched_runq_count(cpu_number()) != 0;

	(void)args;
	thread_switch(NULL, SWITCH_OPTION_DEPRESS, SCHED_QUANTUM_NS / NSEC_PER_MSEC);
	return others;
}

static long swtch_trap(const unsigned long *args)
{
	bool others = sched_runq_count(cpu_number()) != 0;

	(void)args;
	thread_yield();
	return others;
}

/* The Mach time base is nanoseconds: numer = denom = 1. */
static long mach_absolute_time_trap(const unsigned long *args)
{
	(void)args;
	return (long)arch_clock_ns();
}

static long mach_timebase_info_trap(const unsigned long *a)
{
	const uint32_t info[2] = { 1, 1 };

	return copyout(info, (void __user *)a[0], sizeof(info));
}

#define MACH_TRAP(nr, fn, n)	[-(nr)] = { #fn, n, fn }

static const struct mach_trap mach_trap_table[] = {
	MACH_TRAP(MACH_ABSOLUTE_TIME_TRAP, mach_absolute_time_trap, 0),
	MACH_TRAP(MACH_REPLY_PORT_TRAP, mach_reply_port_trap, 0),
	MACH_TRAP(THREAD_SELF_TRAP, thread_self_trap, 0),
	MACH_TRAP(TASK_SELF_TRAP, task_self_trap, 0),
	MACH_TRAP(HOST_SELF_TRAP, host_self_trap, 0),
	MACH_TRAP(MACH_MSG_TRAP, mach_msg_trap, 7),
	MACH_TRAP(MACH_MSG_OVERWRITE_TRAP, mach_msg_overwrite_trap, 8),
	MACH_TRAP(SEMAPHORE_SIGNAL_TRAP, semaphore_trap, 1),
	MACH_TRAP(SEMAPHORE_SIGNAL_ALL_TRAP, semaphore_trap, 1),
	MACH_TRAP(SEMAPHORE_WAIT_TRAP, semaphore_trap, 1),
	MACH_TRAP(SWTCH_PRI_TRAP, swtch_pri_trap, 1),
	MACH_TRAP(SWTCH_TRAP, swtch_trap, 0),
	MACH_TRAP(THREAD_SWITCH_TRAP, thread_switch_trap, 3),
	MACH_TRAP(MACH_TIMEBASE_INFO_TRAP, mach_timebase_info_trap, 1),
};

const struct mach_trap *mach_trap_lookup(long number)
{
	__atomic_add_fetch(&mach_trap_calls, 1, __ATOMIC_RELAXED);
	if (number < 0 && -number < (long)ARRAY_SIZE(mach_trap_table) &&
	    mach_trap_table[-number].fn)
		return &mach_trap_table[-number];
	__atomic_add_fetch(&mach_trap_bad, 1, __ATOMIC_RELAXED);
	return NULL;
}
