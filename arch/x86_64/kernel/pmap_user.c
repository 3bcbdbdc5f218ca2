// SPDX-License-Identifier: MIT
/*
 * The x86_64 half of the user pmap (mm/pmap_user.c): a PML4 per address
 * space whose upper half is a copy of the kernel's (which never changes
 * after boot), PCIDs, and TLB shootdown.
 *
 * PCID: with CPUID.1:ECX.PCID and global pages, CR4.PCIDE goes on (on each
 * CPU at its first switch) and a pmap is loaded with its ASID as PCID and
 * CR3 bit 63 set (keep that PCID's translations). PCID 0 is kernel_pmap's.
 * Without PCID every CR3 load flushes the non-global (user) translations;
 * the kernel's are global either way.
 *
 * Shootdown: the CPUs that have the pmap loaded (pmap->cpus_active) get
 * IPI_TLB and invalidate the range; the others may still hold translations
 * under the pmap's PCID from an earlier time, so they are marked in
 * pmap->cpus_stale and flush that PCID when they load it next. A CPU
 * switching in sets its bit in cpus_active before it tests cpus_stale, and
 * the flusher sets cpus_stale before it reads cpus_active, so one of the
 * two always sees the other (both sequentially consistent).
 *
 * The end of an ASID generation flushes all PCIDs of a CPU by toggling
 * CR4.PGE, which drops every translation (global ones and all PCIDs).
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/printk.h>
#include <kern/smp.h>
#include <kern/string.h>
#include <asm/processor.h>
#include <mm/pmap_user.h>

#include "x86.h"

#define X86_CR4_PGE		(1UL << 7)
#define X86_CR4_PCIDE		(1UL << 17)
#define X86_CR3_PCID_MASK	0xfffUL
#define CPUID_1_ECX_PCID	(1U << 17)
#define CPUID_1_EDX_PGE		(1U << 13)

#define PMAP_USER_FLUSH_PAGES_MAX	32

bool x86_pmap_pcid;			/* PCIDs in use */

static inline void pmap_user_write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

unsigned int arch_pmap_user_init(void)
{
	uint32_t a, b, c, d;

	kernel_pmap->root_pa = x86_kernel_pml4;
	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	/* Flushing every PCID at a rollover toggles CR4.PGE: PCIDs need PGE. */
	x86_pmap_pcid = (c & CPUID_1_ECX_PCID) && (d & CPUID_1_EDX_PGE) &&
		    (read_cr4() & X86_CR4_PGE);
	if (!x86_pmap_pcid) {
		pr_info("pmap: no PCID: user translations are flushed at every switch\n");
		return 0;
	}
	return 4096;
}

void arch_pmap_user_root_init(pte_t *root)
{
	const pte_t *kernel = phys_to_virt(x86_kernel_pml4);

	memcpy(&root[PT_ENTRIES / 2], &kernel[PT_ENTRIES / 2],
	       PT_ENTRIES / 2 * sizeof(pte_t));
}

static void pmap_user_flush_all_local(void)
{
	unsigned long cr4 = read_cr4();

	pmap_user_write_cr4(cr4 & ~X86_CR4_PGE);
	pmap_user_write_cr4(cr4);
}

/*
 * arch_pmap_user_load()'s flush_all (<asm/pmap_switch.h>), with PCIDs: at
 * the first load of each CPU (mm/pmap_user.c sets every CPU's bit of
 * pmap_asid_flush_pending from the start) and after a rollover. CR4.PCIDE
 * goes on then, if it is not yet: at the first load CR3 still holds the
 * kernel's PML4 with PCID 0, as setting PCIDE needs.
 */
void x86_pmap_user_load_flush_all(unsigned long cr3)
{
	unsigned long cr4 = read_cr4();

	if (!(cr4 & X86_CR4_PCIDE))
		pmap_user_write_cr4(cr4 | X86_CR4_PCIDE);
	x86_pmap_user_write_cr3(cr3);
	pmap_user_flush_all_local();
}

/* [va, va + size) of the pmap loaded here. */
static void pmap_user_flush_local(vm_offset_t va, vm_size_t size)
{
	vm_size_t off;

	if (size / PAGE_SIZE <= PMAP_USER_FLUSH_PAGES_MAX) {
		for (off = 0; off < size; off += PAGE_SIZE)
			__asm__ __volatile__("invlpg (%0)" : : "r"(va + off) : "memory");
	} else {
		/* Bit 63 clear: the current PCID's non-global translations go. */
		x86_pmap_user_write_cr3(read_cr3() & ~X86_CR3_NOFLUSH);
	}
}

/* Every non-global translation of the PCID loaded here (all of them without PCIDs). */
static void pmap_user_flush_loaded_local(void)
{
	x86_pmap_user_write_cr3(read_cr3() & ~X86_CR3_NOFLUSH);
}

/*
 * The one user shootdown in flight. Each pmap has its own lock, so two
 * CPUs may flush two pmaps at once: pmap_user_request_lock serialises
 * them (a leaf under the pmap locks, waited for while answering
 * shootdowns, as they are).
 */
static spinlock_t pmap_user_request_lock = SPINLOCK_INIT;
static struct {
	pmap_t		pmap;
	vm_offset_t	va;
	vm_size_t	size;
	uint64_t	pending;
} pmap_user_request;

static unsigned long pmap_user_shootdown_rounds;	/* atomic */

unsigned long pmap_user_shootdowns(void)
{
	return __atomic_load_n(&pmap_user_shootdown_rounds, __ATOMIC_RELAXED);
}

void x86_pmap_user_tlb_answer(void)
{
	unsigned int cpu = cpu_number();
	uint64_t bit = 1ULL << cpu;
	pmap_t pmap;

	if (!(__atomic_load_n(&pmap_user_request.pending, __ATOMIC_ACQUIRE) & bit))
		return;
	pmap = READ_ONCE(pmap_user_request.pmap);
	/*
	 * No pmap: a batch (pmap_flush()), whatever is loaded here goes.
	 * Switched away meanwhile: cpus_stale has us, the next load flushes.
	 */
	if (!pmap)
		pmap_user_flush_loaded_local();
	else if (READ_ONCE(pmap_cpu_active[cpu]) == pmap)
		pmap_user_flush_local(READ_ONCE(pmap_user_request.va),
				      READ_ONCE(pmap_user_request.size));
	__atomic_fetch_and(&pmap_user_request.pending, ~bit, __ATOMIC_RELEASE);
}

/*
 * Send the request (pmap_user_request_lock held, fields set) to targets
 * and wait for every answer. Interrupts may be off, and a CPU we wait for
 * may be waiting, its interrupts off, for our answer to a kernel
 * shootdown: answer it while we wait, or both spin for ever.
 */
static void pmap_user_request_send(uint64_t targets)
{
	unsigned int cpu;

	__atomic_fetch_add(&pmap_user_shootdown_rounds, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&pmap_user_request.pending, targets, __ATOMIC_RELEASE);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (targets & (1ULL << cpu))
			arch_send_ipi(cpu, IPI_TLB);
	while (__atomic_load_n(&pmap_user_request.pending, __ATOMIC_ACQUIRE)) {
		arch_pmap_lock_wait();
		arch_cpu_relax();
	}
}

void arch_pmap_user_flush(pmap_t pmap, unsigned int asid, bool asid_valid,
			  vm_offset_t va, vm_size_t size)
{
	unsigned int self = cpu_number();
	uint64_t bit = 1ULL << self;
	bool here = pmap_cpu_active[self] == pmap;
	unsigned long flags;
	uint64_t targets;

	(void)asid;
	(void)asid_valid;
	if (x86_pmap_pcid)
		__atomic_fetch_or(&pmap->cpus_stale, here ? ~bit : ~0ULL, __ATOMIC_SEQ_CST);
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (here)
		pmap_user_flush_local(va, size);
	if (!IS_ENABLED(CONFIG_SMP))
		return;
	targets = __atomic_load_n(&pmap->cpus_active, __ATOMIC_SEQ_CST) & ~bit;
	if (!targets)
		return;
	flags = pmap_spin_lock(&pmap_user_request_lock);
	pmap_user_request.pmap = pmap;
	pmap_user_request.va = va;
	pmap_user_request.size = size;
	pmap_user_request_send(targets);
	spin_unlock_irqrestore(&pmap_user_request_lock, flags);
}

/*
 * A batch records CPUs, not pmaps (which may go before pmap_flush()):
 * each CPU that had the pmap loaded when an entry changed drops every
 * user translation of what it has loaded at the flush. One that switched
 * away meanwhile has nothing left to drop without PCIDs (each CR3 load
 * flushes); with them, the pmap is marked stale on every CPU here, this
 * one included (the caller may move to another CPU before the flush, and
 * back), so its next load anywhere flushes its PCID.
 */
void arch_pmap_user_flush_defer(pmap_t pmap, unsigned int asid, bool asid_valid,
				vm_offset_t va, struct pmap_flush_context *pfc)
{
	(void)asid;
	(void)asid_valid;
	(void)va;
	if (x86_pmap_pcid)
		__atomic_fetch_or(&pmap->cpus_stale, ~0ULL, __ATOMIC_SEQ_CST);
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* After cpus_stale, as arch_pmap_user_flush(): pairs with pmap_switch(). */
	pfc->cpus |= __atomic_load_n(&pmap->cpus_active, __ATOMIC_SEQ_CST);
}

void arch_pmap_user_flush_run(struct pmap_flush_context *pfc)
{
	unsigned long flags = pmap_spin_lock(&pmap_user_request_lock);
	uint64_t bit = 1ULL << cpu_number();
	uint64_t targets = pfc->cpus & ~bit;

	if (pfc->cpus & bit)
		pmap_user_flush_loaded_local();
	if (IS_ENABLED(CONFIG_SMP) && targets) {
		pmap_user_request.pmap = NULL;
		pmap_user_request_send(targets);
	}
	spin_unlock_irqrestore(&pmap_user_request_lock, flags);
}
