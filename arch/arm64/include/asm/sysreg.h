/* SPDX-License-Identifier: MIT */
/*
 * AArch64 system registers: the bits MachLine sets, and accessors.
 * Usable from assembly (constants only) and from C.
 */
#ifndef _ASM_ARM64_SYSREG_H
#define _ASM_ARM64_SYSREG_H

#define CURRENTEL_EL1		(1 << 2)
#define CURRENTEL_EL2		(2 << 2)

/* HCR_EL2: only RW (EL1 is AArch64); no traps, no stage 2, no E2H. */
#define HCR_EL2_RW		(1 << 31)

/* CNTHCTL_EL2: EL1PCTEN | EL1PCEN, EL1 may use the physical counter and timer. */
#define CNTHCTL_EL2_EL1PCTEN	(1 << 0)
#define CNTHCTL_EL2_EL1PCEN	(1 << 1)

/* CPTR_EL2 with no FP/SIMD trap (TFP clear); bits 13:12, 9:0 are RES1. */
#define CPTR_EL2_DEFAULT	0x33ff

/* ICC_SRE_EL2 (GICv3 system registers), s3_4_c12_c9_5 */
#define ICC_SRE_EL2_SRE		(1 << 0)
#define ICC_SRE_EL2_ENABLE	(1 << 3)

/* SPSR for the eret to EL1: D, A, I, F masked, EL1h. */
#define SPSR_EL1H_DAIF		0x3c5

/* SCTLR_EL1: the RES1 bits of ARMv8.0, then M, C, SA, I. */
#define SCTLR_EL1_RES1		((1 << 29) | (1 << 28) | (1 << 23) | (1 << 22) | \
				 (1 << 20) | (1 << 11))
#define SCTLR_EL1_M		(1 << 0)
#define SCTLR_EL1_C		(1 << 2)
#define SCTLR_EL1_SA		(1 << 3)
#define SCTLR_EL1_I		(1 << 12)
#define SCTLR_EL1_MMU_OFF	SCTLR_EL1_RES1
#define SCTLR_EL1_MMU_ON	(SCTLR_EL1_RES1 | SCTLR_EL1_M | SCTLR_EL1_C | \
				 SCTLR_EL1_SA | SCTLR_EL1_I)

/* ESR_ELx */
#define ESR_EC_SHIFT		26
#define ESR_EC_MASK		0x3f
#define ESR_IL			(1 << 25)
#define ESR_ISS_MASK		0x1ffffff
/*
 * A bit of a saved ESR that the CPU leaves 0 for an SVC (ISS2, RES0 for
 * EC 0x15): thread_set_state sets it in the frame of a thread in a Mach
 * trap (usermode.c), so that el0_sync's way out, which does not restore
 * x19-x28 (the kernel's C keeps them), restores them all (entry.S).
 */
#define ESR_SAVED_STATE_SET_SHIFT	32

#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25

/* The semihosting trap: HLT #0xf000. */
#define AARCH64_INSN_HLT_SEMIHOST	0xd45e0000

#ifndef __ASSEMBLY__

#define read_sysreg(r) ({						\
	unsigned long __rv;						\
	__asm__ __volatile__("mrs %0, " __stringify(r) : "=r"(__rv));	\
	__rv;								\
})

#define write_sysreg(v, r) do {						\
	unsigned long __wv = (unsigned long)(v);			\
	__asm__ __volatile__("msr " __stringify(r) ", %0" :: "r"(__wv));	\
} while (0)

static inline void isb(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

static inline unsigned int arm64_current_el(void)
{
	return (read_sysreg(CurrentEL) >> 2) & 3;
}

#endif /* !__ASSEMBLY__ */

#endif /* _ASM_ARM64_SYSREG_H */
