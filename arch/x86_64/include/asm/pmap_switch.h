/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 load of a user pmap at a switch (mm/pmap_user.h's
 * arch_pmap_user_load()), inline in the switch: the CR3 write, and the
 * rare flush_all out of line (arch/x86_64/kernel/pmap_user.c).
 */
#ifndef _ASM_X86_64_PMAP_SWITCH_H
#define _ASM_X86_64_PMAP_SWITCH_H

#include <kern/compiler.h>
#include <kern/types.h>

#define X86_CR3_NOFLUSH		(1UL << 63)

/*
 * Shootdowns interrupt the CPUs in pmap->cpus_active, and with PCIDs mark
 * the others in cpus_stale: the switch keeps both (mm/pmap_user.c).
 */
#define ARCH_PMAP_USER_CPUS_ACTIVE	1

extern bool x86_pmap_pcid;		/* PCIDs in use */
void x86_pmap_user_load_flush_all(unsigned long cr3);

static inline void x86_pmap_user_write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static __always_inline void arch_pmap_user_load(pmap_t pmap, unsigned int asid,
						bool flush_all, bool flush_asid)
{
	unsigned long cr3 = pmap->root_pa;

	if (x86_pmap_pcid) {
		cr3 |= asid;
		if (!flush_asid)
			cr3 |= X86_CR3_NOFLUSH;
		if (unlikely(flush_all)) {
			x86_pmap_user_load_flush_all(cr3);
			return;
		}
	}
	x86_pmap_user_write_cr3(cr3);
}

#endif /* _ASM_X86_64_PMAP_SWITCH_H */
