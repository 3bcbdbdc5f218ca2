/* SPDX-License-Identifier: MIT */
/*
 * arm64 thread-state flavors. The flavor numbers are Mach's (XNU's
 * ARM_THREAD_STATE64 and friends); the layouts are MachLine's. Sizes are
 * counted in natural_t (4 bytes). Usable on any host.
 */
#ifndef _MACH_ARM64_THREAD_STATUS_H
#define _MACH_ARM64_THREAD_STATUS_H

#include <stdint.h>

#define ARM_THREAD_STATE64	6	/* struct arm_thread_state64 */
#define ARM_EXCEPTION_STATE64	7	/* struct arm_exception_state64 */
#define ARM_NEON_STATE64	17	/* struct arm_neon_state64 */

/* The general registers as EL0 sees them. */
struct arm_thread_state64 {
	uint64_t	x[29];		/* x0..x28 */
	uint64_t	fp;		/* x29 */
	uint64_t	lr;		/* x30 */
	uint64_t	sp;		/* SP_EL0 */
	uint64_t	pc;
	uint32_t	cpsr;		/* the user bits of SPSR_EL1 */
	uint32_t	pad;
	uint64_t	tpidr_el0;	/* the thread pointer */
};

typedef struct arm_thread_state64	arm_thread_state64_t;
#define ARM_THREAD_STATE64_COUNT \
	((unsigned int)(sizeof(arm_thread_state64_t) / sizeof(uint32_t)))

/*
 * The SIMD/FP registers: each 128-bit v register as two 64-bit halves,
 * low half first, so that the structure needs only 8-byte alignment.
 */
struct arm_neon_state64 {
	uint64_t	v[32][2];
	uint32_t	fpsr;
	uint32_t	fpcr;
};

typedef struct arm_neon_state64		arm_neon_state64_t;
#define ARM_NEON_STATE64_COUNT \
	((unsigned int)(sizeof(arm_neon_state64_t) / sizeof(uint32_t)))

/* What the last exception was: the fault address and the syndrome. */
struct arm_exception_state64 {
	uint64_t	far;		/* FAR_EL1 */
	uint32_t	esr;		/* ESR_EL1 */
	uint32_t	exception;	/* the exception number */
};

typedef struct arm_exception_state64	arm_exception_state64_t;
#define ARM_EXCEPTION_STATE64_COUNT \
	((unsigned int)(sizeof(arm_exception_state64_t) / sizeof(uint32_t)))


#endif /* _MACH_ARM64_THREAD_STATUS_H */
