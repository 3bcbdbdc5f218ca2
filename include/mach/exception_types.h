/* SPDX-License-Identifier: MIT */
/*
 * Exceptions: the machine-independent types, their codes and the
 * behaviors an exception port may ask for, with Mach's (OSF/XNU) values.
 * exc.defs carries them; a thread's, then its task's, then the host's
 * exception port receives them.
 */
#ifndef _MACH_EXCEPTION_TYPES_H
#define _MACH_EXCEPTION_TYPES_H

#include <mach/machine/vm_types.h>
#include <mach/port.h>
#include <mach/thread_status.h>

#define EXC_BAD_ACCESS		1	/* code[0]: kern_return_t, code[1]: address */
#define EXC_BAD_INSTRUCTION	2	/* illegal or undefined instruction */
#define EXC_ARITHMETIC		3	/* divide by zero, overflow, FP fault */
#define EXC_EMULATION		4	/* an emulation instruction */
#define EXC_SOFTWARE		5	/* raised by software: code[0] says what */
#define EXC_BREAKPOINT		6	/* trace, breakpoint */
#define EXC_SYSCALL		7	/* a system call the kernel does not know */
#define EXC_MACH_SYSCALL	8	/* a Mach trap the kernel does not know */
#define EXC_RPC_ALERT		9	/* an RPC alert (thread activations) */
#define EXC_TYPES_COUNT		10	/* one more than the last */
#define FIRST_EXCEPTION		1	/* the first of them */

/* EXC_SOFTWARE codes that the kernel itself raises. */
#define EXC_SOFT_SIGNAL		0x10003

typedef int		exception_type_t;
typedef integer_t	exception_data_type_t;
typedef integer_t	*exception_data_t;
#define EXCEPTION_CODE_MAX	2	/* the codes an exception message carries */

/* The codes of the mach_exception_raise* messages (MACH_EXCEPTION_CODES). */
typedef int64_t		mach_exception_data_type_t;
typedef mach_exception_data_type_t	*mach_exception_data_t;
typedef int64_t		mach_exception_code_t;
typedef int64_t		mach_exception_subcode_t;

/* Which exceptions a port takes (task_set_exception_ports() and friends). */
typedef unsigned int	exception_mask_t;
typedef exception_mask_t	*exception_mask_array_t;
#define EXC_MASK_BAD_ACCESS		(1U << EXC_BAD_ACCESS)
#define EXC_MASK_BAD_INSTRUCTION	(1U << EXC_BAD_INSTRUCTION)
#define EXC_MASK_ARITHMETIC		(1U << EXC_ARITHMETIC)
#define EXC_MASK_EMULATION		(1U << EXC_EMULATION)
#define EXC_MASK_SOFTWARE		(1U << EXC_SOFTWARE)
#define EXC_MASK_BREAKPOINT		(1U << EXC_BREAKPOINT)
#define EXC_MASK_SYSCALL		(1U << EXC_SYSCALL)
#define EXC_MASK_MACH_SYSCALL		(1U << EXC_MACH_SYSCALL)
#define EXC_MASK_RPC_ALERT		(1U << EXC_RPC_ALERT)
#define EXC_MASK_ALL	(EXC_MASK_BAD_ACCESS | EXC_MASK_BAD_INSTRUCTION |	\
			 EXC_MASK_ARITHMETIC | EXC_MASK_EMULATION |		\
			 EXC_MASK_SOFTWARE | EXC_MASK_BREAKPOINT |		\
			 EXC_MASK_SYSCALL | EXC_MASK_MACH_SYSCALL |		\
			 EXC_MASK_RPC_ALERT)

/*
 * Which message the handler gets (exc.defs): the identity of the thread
 * and task, their state, or both.
 */
typedef int		exception_behavior_t;
typedef exception_behavior_t	*exception_behavior_array_t;
#define EXCEPTION_DEFAULT		1	/* exception_raise */
#define EXCEPTION_STATE			2	/* exception_raise_state */
#define EXCEPTION_STATE_IDENTITY	3	/* exception_raise_state_identity */
/*
 * Or'ed into a behavior: the message is its mach_exception_raise* twin
 * (exc.defs 2405-2407), with 64-bit codes (the whole fault address in
 * EXC_BAD_ACCESS's code[1]) instead of integer_t ones.
 */
#define MACH_EXCEPTION_CODES		0x80000000
#define MACH_EXCEPTION_MASK		MACH_EXCEPTION_CODES	/* the flags a behavior may have */

/* The thread state flavor each port gets (the state behaviors). */
typedef thread_state_flavor_t	*exception_flavor_array_t;

typedef mach_port_t	exception_handler_t;
typedef exception_handler_t	*exception_handler_array_t;

#endif /* _MACH_EXCEPTION_TYPES_H */
