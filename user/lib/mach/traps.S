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
MACH_TRAP_STUB(_kernelrpc_vm_allocate_trap,	KERNELRPC_VM_ALLOCATE_TRAP)
MACH_TRAP_STUB(_kernelrpc_vm_deallocate_trap,	KERNELRPC_VM_DEALLOCATE_TRAP)
MACH_TRAP_STUB(_kernelrpc_vm_protect_trap,	KERNELRPC_VM_PROTECT_TRAP)
MACH_TRAP_STUB(_kernelrpc_vm_map_trap,		KERNELRPC_VM_MAP_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_allocate_trap, KERNELRPC_MACH_PORT_ALLOCATE_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_destroy_trap, KERNELRPC_MACH_PORT_DESTROY_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_deallocate_trap, KERNELRPC_MACH_PORT_DEALLOCATE_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_mod_refs_trap, KERNELRPC_MACH_PORT_MOD_REFS_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_move_member_trap, KERNELRPC_MACH_PORT_MOVE_MEMBER_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_insert_right_trap, KERNELRPC_MACH_PORT_INSERT_RIGHT_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_insert_member_trap, KERNELRPC_MACH_PORT_INSERT_MEMBER_TRAP)
MACH_TRAP_STUB(_kernelrpc_mach_port_extract_member_trap, KERNELRPC_MACH_PORT_EXTRACT_MEMBER_TRAP)

	.section .note.GNU-stack, "", %progbits
