/* SPDX-License-Identifier: MIT */
/*
 * arm64 thread-state flavors, with XNU's numbers and layouts
 * (osfmk/mach/arm/thread_status.h and _structs.h). Sizes are counted in
 * natural_t (4 bytes), as thread_get_state() counts them. Usable on any
 * host (a debugger may read another machine's state).
 */
#ifndef _MACH_ARM64_THREAD_STATUS_H
#define _MACH_ARM64_THREAD_STATUS_H

#include <stdint.h>

#define ARM_THREAD_STATE64	6	/* arm_thread_state64_t */
#define ARM_EXCEPTION_STATE64	7	/* arm_exception_state64_t (read only) */
#define ARM_NEON_STATE64	17	/* arm_neon_state64_t */

/*
 * The general registers as EL0 sees them. Set: pc must be a user address
 * (KERN_INVALID_ARGUMENT otherwise) and only the NZCV flags of cpsr are
 * taken (the thread always runs in EL0t with interrupts unmasked). The
 * thread pointer TPIDR_EL0 is not here: EL0 writes it itself (msr), and
 * the kernel keeps it per thread.
 */
struct arm_thread_state64 {
	uint64_t	x[29];		/* x0..x28 */
	uint64_t	fp;		/* x29 */
	uint64_t	lr;		/* x30 */
	uint64_t	sp;		/* SP_EL0 */
	uint64_t	pc;
	uint32_t	cpsr;		/* NZCV and the mode bits of SPSR_EL1 */
	uint32_t	pad;
};

typedef struct arm_thread_state64	arm_thread_state64_t;
#define ARM_THREAD_STATE64_COUNT \
	((unsigned int)(sizeof(arm_thread_state64_t) / sizeof(uint32_t)))	/* 68 */

/*
 * The SIMD/FP registers: each 128-bit v register as two 64-bit halves,
 * low half first (XNU's __uint128_t v[32], without needing the type),
 * then FPSR and FPCR, padded to XNU's 16-byte-aligned size.
 */
struct arm_neon_state64 {
	uint64_t	v[32][2];
	uint32_t	fpsr;
	uint32_t	fpcr;
	uint32_t	pad[2];
} __attribute__((aligned(16)));

typedef struct arm_neon_state64		arm_neon_state64_t;
#define ARM_NEON_STATE64_COUNT \
	((unsigned int)(sizeof(arm_neon_state64_t) / sizeof(uint32_t)))	/* 132 */

/* The thread's last exception: the fault address, the syndrome, its EXC_* type. */
struct arm_exception_state64 {
	uint64_t	far;		/* FAR_EL1 (aborts), else 0 */
	uint32_t	esr;		/* ESR_EL1 */
	uint32_t	exception;	/* EXC_* */
};

typedef struct arm_exception_state64	arm_exception_state64_t;
#define ARM_EXCEPTION_STATE64_COUNT \
	((unsigned int)(sizeof(arm_exception_state64_t) / sizeof(uint32_t)))	/* 4 */

#endif /* _MACH_ARM64_THREAD_STATUS_H */
