/* SPDX-License-Identifier: MIT */
/*
 * The arm64 load of a user pmap at a switch (mm/pmap_user.h's
 * arch_pmap_user_load()), inline in the switch: TTBR0_EL1 with the ASID,
 * and the rare flush_all out of line (arch/arm64/kernel/pmap_user.c).
 */
#ifndef _ASM_ARM64_PMAP_SWITCH_H
#define _ASM_ARM64_PMAP_SWITCH_H

#include <kern/compiler.h>
#include <kern/types.h>
#include <asm/sysreg.h>

#define TTBR_ASID_SHIFT		48

/*
 * Shootdowns are broadcast TLBIs by ASID, which reach every CPU: the
 * switch keeps no pmap->cpus_active (two exclusive-access loops a switch)
 * and no cpus_stale (mm/pmap_user.c).
 */
#define ARCH_PMAP_USER_CPUS_ACTIVE	0

void arm64_pmap_user_load_flush_all(uint64_t ttbr0);

static __always_inline void arch_pmap_user_load(pmap_t pmap, unsigned int asid,
						bool flush_all, bool flush_asid)
{
	uint64_t tag = (uint64_t)asid << TTBR_ASID_SHIFT;

	if (unlikely(flush_all)) {
		arm64_pmap_user_load_flush_all(pmap->root_pa | tag);
		return;
	}
	write_sysreg(pmap->root_pa | tag, ttbr0_el1);
	isb();
	if (flush_asid)
		__asm__ __volatile__("tlbi aside1, %0; dsb nsh; isb" :: "r"(tag) : "memory");
}

#endif /* _ASM_ARM64_PMAP_SWITCH_H */
