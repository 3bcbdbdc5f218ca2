/* SPDX-License-Identifier: MIT */
/*
 * One stub per Mach trap of <mach/syscall_sw.h>: each is a C function
 * that puts the trap number where the architecture wants it and traps
 * (the convention: Documentation/traps.rst; the stub macro: arch/<arch>/).
 * The C declarations are in <mach/mach_traps.h>.
 */
#include <mach/syscall_sw.h>
#include "trap_stub.h"

MACH_TRAP_STUB(mach_absolute_time,		MACH_ABSOLUTE_TIME_TRAP)
MACH_TRAP_STUB(mach_reply_port,			MACH_REPLY_PORT_TRAP)
MACH_TRAP_STUB(thread_self_trap,		THREAD_SELF_TRAP)
MACH_TRAP_STUB(task_self_trap,			TASK_SELF_TRAP)
MACH_TRAP_STUB(host_self_trap,			HOST_SELF_TRAP)
MACH_TRAP_STUB(mach_msg_trap,			MACH_MSG_TRAP)
MACH_TRAP_STUB(mach_msg_overwrite_trap,		MACH_MSG_OVERWRITE_TRAP)
MACH_TRAP_STUB(semaphore_signal_trap,		SEMAPHORE_SIGNAL_TRAP)
MACH_TRAP_STUB(semaphore_signal_all_trap,	SEMAPHORE_SIGNAL_ALL_TRAP)
MACH_TRAP_STUB(semaphore_signal_thread_trap,	SEMAPHORE_SIGNAL_THREAD_TRAP)
MACH_TRAP_STUB(semaphore_wait_trap,		SEMAPHORE_WAIT_TRAP)
MACH_TRAP_STUB(semaphore_wait_signal_trap,	SEMAPHORE_WAIT_SIGNAL_TRAP)
MACH_TRAP_STUB(semaphore_timedwait_trap,	SEMAPHORE_TIMEDWAIT_TRAP)
MACH_TRAP_STUB(semaphore_timedwait_signal_trap,	SEMAPHORE_TIMEDWAIT_SIGNAL_TRAP)
MACH_TRAP_STUB(swtch_pri,			SWTCH_PRI_TRAP)
MACH_TRAP_STUB(swtch,				SWTCH_TRAP)
MACH_TRAP_STUB(thread_switch,			THREAD_SWITCH_TRAP)
MACH_TRAP_STUB(mach_timebase_info_trap,		MACH_TIMEBASE_INFO_TRAP)

	.section .note.GNU-stack, "", %progbits
