/* SPDX-License-Identifier: MIT */
/*
 * x86_64 thread-state flavors. The flavor numbers are Mach's (XNU's
 * x86_THREAD_STATE64 and friends); the layouts are MachLine's. Sizes are
 * counted in natural_t (4 bytes), as thread_get_state() counts them.
 * Usable on any host (a debugger may read another machine's state).
 */
#ifndef _MACH_X86_64_THREAD_STATUS_H
#define _MACH_X86_64_THREAD_STATUS_H

#include <stdint.h>

#define x86_THREAD_STATE64	4	/* struct x86_thread_state64 */
#define x86_FLOAT_STATE64	5	/* struct x86_float_state64 */
#define x86_EXCEPTION_STATE64	6	/* struct x86_exception_state64 */

/* The general registers as user mode sees them. */
struct x86_thread_state64 {
	uint64_t	rax, rbx, rcx, rdx;
	uint64_t	rdi, rsi, rbp, rsp;
	uint64_t	r8, r9, r10, r11;
	uint64_t	r12, r13, r14, r15;
	uint64_t	rip;
	uint64_t	rflags;
	uint64_t	cs;
	uint64_t	fs;		/* the segment selectors ... */
	uint64_t	gs;
	uint64_t	fs_base;	/* ... and the thread pointer bases */
	uint64_t	gs_base;
};

typedef struct x86_thread_state64	x86_thread_state64_t;
#define x86_THREAD_STATE64_COUNT \
	((unsigned int)(sizeof(x86_thread_state64_t) / sizeof(uint32_t)))

/* The x87/SSE state in the FXSAVE layout (512 bytes). */
struct x86_float_state64 {
	uint8_t		fxsave[512];
};

typedef struct x86_float_state64	x86_float_state64_t;
#define x86_FLOAT_STATE64_COUNT \
	((unsigned int)(sizeof(x86_float_state64_t) / sizeof(uint32_t)))

/* What the last exception was: vector, error code, faulting address. */
struct x86_exception_state64 {
	uint16_t	trapno;
	uint16_t	cpu;
	uint32_t	err;
	uint64_t	faultvaddr;
};

typedef struct x86_exception_state64	x86_exception_state64_t;
#define x86_EXCEPTION_STATE64_COUNT \
	((unsigned int)(sizeof(x86_exception_state64_t) / sizeof(uint32_t)))


#endif /* _MACH_X86_64_THREAD_STATUS_H */
