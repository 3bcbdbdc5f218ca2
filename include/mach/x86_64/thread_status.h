/* SPDX-License-Identifier: MIT */
/*
 * x86_64 thread-state flavors, with XNU's numbers and layouts
 * (osfmk/mach/i386/thread_status.h and _structs.h), so that a debugger or
 * a C library written for Mach's x86_64 reads them as it expects. Sizes
 * are counted in natural_t (4 bytes), as thread_get_state() counts them.
 * Usable on any host (a debugger may read another machine's state).
 */
#ifndef _MACH_X86_64_THREAD_STATUS_H
#define _MACH_X86_64_THREAD_STATUS_H

#include <stdint.h>

#define x86_THREAD_STATE64	4	/* x86_thread_state64_t */
#define x86_FLOAT_STATE64	5	/* x86_float_state64_t */
#define x86_EXCEPTION_STATE64	6	/* x86_exception_state64_t (read only) */

/*
 * The general registers as ring 3 sees them. cs, fs and gs read as the
 * user selectors (fs and gs 0) and are ignored when set; rip and rsp
 * must be user addresses (KERN_INVALID_ARGUMENT otherwise), and only the
 * arithmetic flags, TF, DF, AC and ID of rflags are taken.
 */
struct x86_thread_state64 {
	uint64_t	rax, rbx, rcx, rdx;
	uint64_t	rdi, rsi, rbp, rsp;
	uint64_t	r8, r9, r10, r11;
	uint64_t	r12, r13, r14, r15;
	uint64_t	rip;
	uint64_t	rflags;
	uint64_t	cs;
	uint64_t	fs;
	uint64_t	gs;
};

typedef struct x86_thread_state64	x86_thread_state64_t;
#define x86_THREAD_STATE64_COUNT \
	((unsigned int)(sizeof(x86_thread_state64_t) / sizeof(uint32_t)))	/* 42 */

/* The FXSAVE image, 512 bytes, as fpu_fcw .. fpu_rsrv4 below. */
#define X86_FXSAVE_SIZE		512

/*
 * The x87/SSE state: two reserved words, then the FXSAVE image field by
 * field, then one reserved word (XNU's layout, 131 natural_t). Reserved
 * MXCSR bits are cleared when it is set.
 */
struct x86_float_state64 {
	int32_t		fpu_reserved[2];
	uint16_t	fpu_fcw;		/* x87 control word */
	uint16_t	fpu_fsw;		/* x87 status word */
	uint8_t		fpu_ftw;		/* x87 tag word, abridged */
	uint8_t		fpu_rsrv1;
	uint16_t	fpu_fop;		/* last x87 opcode */
	uint32_t	fpu_ip;			/* last x87 instruction pointer */
	uint16_t	fpu_cs;
	uint16_t	fpu_rsrv2;
	uint32_t	fpu_dp;			/* last x87 operand pointer */
	uint16_t	fpu_ds;
	uint16_t	fpu_rsrv3;
	uint32_t	fpu_mxcsr;		/* SSE control and status */
	uint32_t	fpu_mxcsrmask;
	uint8_t		fpu_stmm[8][16];	/* st0..st7 / mm0..mm7 */
	uint8_t		fpu_xmm[16][16];	/* xmm0..xmm15 */
	uint8_t		fpu_rsrv4[96];
	int32_t		fpu_reserved1;
} __attribute__((packed, aligned(4)));

typedef struct x86_float_state64	x86_float_state64_t;
#define x86_FLOAT_STATE64_COUNT \
	((unsigned int)(sizeof(x86_float_state64_t) / sizeof(uint32_t)))	/* 131 */

/* The thread's last exception: vector, error code, page-fault address. */
struct x86_exception_state64 {
	uint16_t	trapno;
	uint16_t	cpu;
	uint32_t	err;
	uint64_t	faultvaddr;
};

typedef struct x86_exception_state64	x86_exception_state64_t;
#define x86_EXCEPTION_STATE64_COUNT \
	((unsigned int)(sizeof(x86_exception_state64_t) / sizeof(uint32_t)))	/* 4 */

/*
 * The user thread pointer (FS base) is not in the thread state, as in
 * XNU: it is set by the machine-dependent trap thread_fast_set_cthread_self64
 * (syscall with %rax = this number, the base in %rdi; KERN_SUCCESS, or
 * KERN_INVALID_ARGUMENT for a base outside the user half).
 */
#define X86_MACHDEP_SET_CTHREAD_SELF64	0x3000003

#endif /* _MACH_X86_64_THREAD_STATUS_H */
