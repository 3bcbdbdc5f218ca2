// SPDX-License-Identifier: MIT
/*
 * The arm64 half of the user pmap (mm/pmap_user.c): user address spaces in
 * TTBR0_EL1 with an ASID, the kernel staying in TTBR1_EL1 (global
 * entries), TLB maintenance by ASID, and the emulation of the referenced
 * and modified bits where the CPU lacks FEAT_HAFDBS.
 *
 * ASIDs: 8 or 16 bits (ID_AA64MMFR0_EL1.ASIDBits; TCR_EL1.AS for 16),
 * taken from TTBR0 (TCR_EL1.A1 = 0). ASID 0 is kernel_pmap's, whose TTBR0
 * is an empty table, so that a stray lower-half access faults. Each CPU
 * clears TCR_EL1.EPD0 (set since boot: no TTBR0 walks) and sets AS, HA,
 * HD as needed at its first switch (pmap_user_tcr_setup()).
 *
 * TLB maintenance is broadcast (TLBI VAE1IS / ASIDE1IS by ASID), which
 * reaches every CPU whatever it has loaded: no IPI.
 *
 * Referenced and modified (see <asm/pgtable.h>): with FEAT_HAFDBS the
 * hardware sets AF and clears AP[2] of PTE_DBM entries; without it (the
 * board's default cortex-a57) the first access to a page takes an access
 * flag fault and the first write to a writable-but-clean page a
 * permission fault, and arm64_pmap_user_fault() sets the bit and returns
 * to the instruction.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/printk.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include <mm/pmap_user.h>

#define TCR_AS			(_AC(1, UL) << 36)	/* 16-bit ASIDs */
#define TCR_HA			(_AC(1, UL) << 39)	/* hardware access flag */
#define TCR_HD			(_AC(1, UL) << 40)	/* hardware dirty state (DBM) */

#define ID_MMFR0_ASIDBITS(v)	(((v) >> 4) & 0xf)
#define ID_MMFR1_HAFDBS(v)	((v) & 0xf)

#define PMAP_USER_FLUSH_PAGES_MAX	64

/* ESR_ELx: abort fault status codes and the write bit. */
#define ESR_FSC_TYPE(esr)	((esr) & 0x3c)
#define ESR_FSC_ACCESS		0x08
#define ESR_FSC_PERM		0x0c
#define ESR_WNR			(1UL << 6)

bool arm64_pmap_hw_dbm;
static bool arm64_pmap_hw_af;
static uint64_t pmap_user_tcr;		/* the bits every CPU sets */

static pte_t pmap_empty_ttbr0[PT_ENTRIES] __aligned(PAGE_SIZE);

unsigned int arch_pmap_user_init(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	bool asid16 = ID_MMFR0_ASIDBITS(mmfr0) == 2;

	kernel_pmap->root_pa = kimage_to_phys(pmap_empty_ttbr0);
	arm64_pmap_hw_af = ID_MMFR1_HAFDBS(mmfr1) >= 1;
	arm64_pmap_hw_dbm = ID_MMFR1_HAFDBS(mmfr1) >= 2;
	pmap_user_tcr = (asid16 ? TCR_AS : 0) | (arm64_pmap_hw_af ? TCR_HA : 0) |
			(arm64_pmap_hw_dbm ? TCR_HD : 0);
	pr_info("pmap: %u-bit ASIDs, referenced/modified bits by %s\n", asid16 ? 16 : 8,
		arm64_pmap_hw_dbm ? "the hardware (HAFDBS)" :
		arm64_pmap_hw_af ? "the hardware (AF) and fault emulation (dirty)" :
		"fault emulation");
	return asid16 ? 65536 : 256;
}

void arch_pmap_user_root_init(pte_t *root)
{
	(void)root;	/* the kernel is in TTBR1: nothing of it in a user root */
}

/*
 * TTBR0 walks on, with this CPU's ASID size and A/D hardware: at a
 * flush_all, which the first load of each CPU is (mm/pmap_user.c sets
 * every CPU's bit of pmap_asid_flush_pending from the start), so that the
 * other loads test nothing. That first load comes after the CPU's last
 * mmu_drop_idmap() (arm64_secondary_start(), arch_vm_bootstrap() on the
 * boot CPU: both before the scheduler runs anything there), which sets
 * EPD0 again; no CPU goes offline and comes back. TTBR0 is written first
 * (arm64_pmap_user_load_flush_all()): with EPD0 clear, TTBR0 must no longer be
 * the boot identity map.
 */
static void pmap_user_tcr_setup(void)
{
	uint64_t tcr = read_sysreg(tcr_el1);
	uint64_t want = (tcr & ~(uint64_t)TCR_EPD0) | pmap_user_tcr;

	if (tcr == want)
		return;
	write_sysreg(want, tcr_el1);
	isb();
}

/*
 * arch_pmap_user_load()'s flush_all (<asm/pmap_switch.h>): a new ASID
 * generation, or this CPU's first load.
 */
void arm64_pmap_user_load_flush_all(uint64_t ttbr0)
{
	write_sysreg(ttbr0, ttbr0_el1);
	isb();
	pmap_user_tcr_setup();
	/* Every tagged translation, and those cached under the old ASID size. */
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

void arch_pmap_user_flush(pmap_t pmap, unsigned int asid, bool asid_valid,
			  vm_offset_t va, vm_size_t size)
{
	uint64_t tag = (uint64_t)asid << TTBR_ASID_SHIFT;
	vm_size_t off;

	(void)pmap;
	/* No ASID of this generation: no CPU can use its old translations. */
	if (!asid_valid)
		return;
	__asm__ __volatile__("dsb ishst" ::: "memory");
	if (size / PAGE_SIZE > PMAP_USER_FLUSH_PAGES_MAX) {
		__asm__ __volatile__("tlbi aside1is, %0" :: "r"(tag) : "memory");
	} else {
		for (off = 0; off < size; off += PAGE_SIZE) {
			uint64_t arg = tag | (((va + off) >> PAGE_SHIFT) & ((1UL << 44) - 1));

			__asm__ __volatile__("tlbi vae1is, %0" :: "r"(arg) : "memory");
		}
	}
	__asm__ __volatile__("dsb ish; isb" ::: "memory");
}

/*
 * A batch: broadcast TLBIs need no IPI, so each page is invalidated (and
 * waited for) at once, as arch_pmap_user_flush() does, and pmap_flush()
 * has nothing left. (Leaving the DSB to pmap_flush() would need the
 * caller to stay on this CPU: a DSB waits only for its own CPU's TLBIs.)
 */
void arch_pmap_user_flush_defer(pmap_t pmap, unsigned int asid, bool asid_valid,
				vm_offset_t va, struct pmap_flush_context *pfc)
{
	(void)pfc;
	arch_pmap_user_flush(pmap, asid, asid_valid, va, PAGE_SIZE);
}

void arch_pmap_user_flush_run(struct pmap_flush_context *pfc)
{
	(void)pfc;
}

unsigned long pmap_user_shootdowns(void)
{
	return 0;
}

/*
 * An access flag fault, or a permission fault on a write to a page the
 * pmap lets be written, on a lower-half address of the loaded pmap: set
 * AF (and make the page writable: modified) and return to the access.
 * The walk holds the pmap's lock (pmap_remove() frees tables that became
 * empty; the pmap is loaded here, so it is not being destroyed); the entry is changed by compare-and-swap from the value
 * the fault saw (the hardware may set bits meanwhile).
 */
bool arm64_pmap_user_fault(unsigned long far, unsigned long esr)
{
	unsigned int fsc = ESR_FSC_TYPE(esr), level;
	unsigned long flags;
	pmap_t pmap;
	pte_t *e, old, new;

	if (far >= VM_MAX_USER_ADDRESS || (fsc != ESR_FSC_ACCESS && fsc != ESR_FSC_PERM))
		return false;
	pmap = pmap_cpu_active[cpu_number()];
	if (pmap == kernel_pmap)
		return false;
	flags = pmap_user_lock_take(pmap);
	e = pmap_pt_lookup(&pmap->pt, far, &level);
	old = READ_ONCE(*e);
	new = old | PTE_AF;
	if (fsc == ESR_FSC_PERM) {
		/* Not a write the pmap allows: a real protection violation. */
		if (!(esr & ESR_WNR) || !(old & PTE_SW_WRITE) || !(old & PTE_RDONLY))
			new = old = 0;
		new &= ~PTE_RDONLY;
	}
	if (pte_valid(old) && new != old)
		__atomic_compare_exchange_n(e, &old, new, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED);
	pmap_user_unlock(pmap, flags);
	if (!pte_valid(old))
		return false;
	/* Whoever changed it first, retry the access; drop a read-only copy here. */
	__asm__ __volatile__("dsb ishst; tlbi vae1, %0; dsb nsh; isb"
			     :: "r"((read_sysreg(ttbr0_el1) & ~((1UL << TTBR_ASID_SHIFT) - 1)) |
				    ((far >> PAGE_SHIFT) & ((1UL << 44) - 1)))
			     : "memory");
	return true;
}
