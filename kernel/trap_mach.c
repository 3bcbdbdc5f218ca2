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
#include <ipc/ipc_object.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <kernel/ipc_tt.h>
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

/* TASK_KERNEL_PORT's right (what task_set_special_port() put there), as Mach. */
static long task_self_trap(const unsigned long *args)
{
	mach_port_t port;

	(void)args;
	if (task_get_special_port(current_task(), TASK_KERNEL_PORT, &port) != KERN_SUCCESS)
		return MACH_PORT_NAME_NULL;
	return trap_copyout_send((ipc_port_t)port);
}

static long thread_self_trap(const unsigned long *args)
{
	(void)args;
	return trap_copyout_send(thread_port_make_send(current_thread()));
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

static long semaphore_signal_trap(const unsigned long *a)
{
	return semaphore_trap_common(a, false, false);
}

static long semaphore_signal_all_trap(const unsigned long *a)
{
	semaphore_t sema = sync_sema_lookup_name(trap_current_space(), (mach_port_name_t)a[0]);
	kern_return_t kr;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	kr = sync_sema_signal_all(sema);
	semaphore_dereference(sema);
	return kr == KERN_NOT_WAITING ? KERN_SUCCESS : kr;
}

/* Thread names are the thread's port (thread_self_trap()); a null name: any waiter. */
static long semaphore_signal_thread_trap(const unsigned long *a)
{
	ipc_space_t space = trap_current_space();
	semaphore_t sema = sync_sema_lookup_name(space, (mach_port_name_t)a[0]);
	thread_t thread = THREAD_NULL;
	ipc_port_t port = IP_NULL;
	kern_return_t kr = KERN_INVALID_ARGUMENT;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	if (a[1] != MACH_PORT_NAME_NULL) {
		if (ipc_object_copyin(space, (mach_port_name_t)a[1], MACH_MSG_TYPE_COPY_SEND,
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

static long semaphore_wait_trap(const unsigned long *a)
{
	const unsigned long args[4] = { a[0], MACH_PORT_NAME_NULL, 0, 0 };

	return semaphore_trap_common(args, true, false);
}

static long semaphore_wait_signal_trap(const unsigned long *a)
{
	const unsigned long args[4] = { a[0], a[1], 0, 0 };

	return semaphore_trap_common(args, true, false);
}

static long semaphore_timedwait_trap(const unsigned long *a)
{
	const unsigned long args[4] = { a[0], MACH_PORT_NAME_NULL, a[1], a[2] };

	return semaphore_trap_common(args, true, true);
}

static long semaphore_timedwait_signal_trap(const unsigned long *a)
{
	return semaphore_trap_common(a, true, true);
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
	MACH_TRAP(SEMAPHORE_SIGNAL_TRAP, semaphore_signal_trap, 1),
	MACH_TRAP(SEMAPHORE_SIGNAL_ALL_TRAP, semaphore_signal_all_trap, 1),
	MACH_TRAP(SEMAPHORE_SIGNAL_THREAD_TRAP, semaphore_signal_thread_trap, 2),
	MACH_TRAP(SEMAPHORE_WAIT_TRAP, semaphore_wait_trap, 1),
	MACH_TRAP(SEMAPHORE_WAIT_SIGNAL_TRAP, semaphore_wait_signal_trap, 2),
	MACH_TRAP(SEMAPHORE_TIMEDWAIT_TRAP, semaphore_timedwait_trap, 3),
	MACH_TRAP(SEMAPHORE_TIMEDWAIT_SIGNAL_TRAP, semaphore_timedwait_signal_trap, 4),
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
