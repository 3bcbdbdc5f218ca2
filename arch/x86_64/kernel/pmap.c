// SPDX-License-Identifier: MIT
/*
 * The x86_64 half of the kernel pmap: the final kernel page tables, built
 * once by arch_vm_bootstrap(), and the TLB maintenance of the
 * machine-independent pmap (mm/pmap_kernel.c).
 *
 * head.S left a throw-away map: the first GiB at KERNEL_VIRT_BASE, all of
 * it writable and executable. arch_vm_bootstrap() builds a new PML4 from
 * boot memory, while still running on that map (a table page at physical
 * pa is reached at KERNEL_VIRT_BASE + pa, so bootmem_alloc()'s lowest-fit
 * pages must lie in the first GiB, which they do), then loads it:
 *
 *   - the direct map at PAGE_OFFSET: every RAM range of the boot memory
 *     map and the low 1 MiB (BIOS data, the SMP trampoline), read-write
 *     no-execute, 1 GiB pages where the CPU has them and the range allows,
 *     2 MiB, 4 KiB at the edges. Its alias of the kernel's text and
 *     read-only data is read-only too;
 *   - the image at its link address, W^X per section: text read-execute,
 *     rodata (with the linker tables and kallsyms) read-only, data and bss
 *     read-write; the boot stack's guard page stays unmapped;
 *   - the level-1 tables (PDPTs) of the KVA and ioremap windows, so that
 *     the kernel half of the PML4 never changes after boot.
 *
 * Every kernel leaf is global (CR4.PGE) and no-execute unless it is text
 * (EFER.NXE). The PML4 must stay below 4 GiB: the SMP trampoline loads
 * CR3 while still in 32-bit mode. Its physical address is x86_kernel_pml4.
 *
 * TLB shootdown: with more than one CPU up, arch_pmap_flush() sends
 * IPI_TLB to every other online CPU with a shared request and waits until
 * each has flushed (a CPU waiting for the pmap lock answers it from its
 * spin loop too, so that interrupts being off there cannot deadlock us).
 * Without CONFIG_SMP only one CPU ever runs: the code is compiled and
 * type-checked but optimised away (IS_ENABLED), and needs no
 * arch_send_ipi().
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/bootmem.h>
#include <kern/cpu.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/sections.h>
#include <kern/smp.h>
#include <kern/string.h>
#include <asm/processor.h>
#include <mm/pmap_kernel.h>

#include "x86.h"

#define X86_CR4_PGE		(1UL << 7)
#define EFER_NXE		(1UL << 11)
#define CPUID_1_EDX_PGE		(1U << 13)
#define CPUID_81_EDX_NX		(1U << 20)
#define CPUID_81_EDX_GBPAGES	(1U << 26)

/* Above this many pages a full flush is cheaper than invlpg one by one. */
#define PMAP_FLUSH_PAGES_MAX	32

#define PMAP_SHOOTDOWN	IS_ENABLED(CONFIG_SMP)

uint64_t x86_pte_nx;
bool x86_gbpages;
phys_addr_t x86_kernel_pml4;

/* Set once CR3 holds the new tables: they are then reached by the direct map. */
static bool pmap_switched;

static inline void pmap_cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c,
			      uint32_t *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(0));
}

static inline void pmap_write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void pmap_write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void pmap_invlpg(vm_offset_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

pte_t *arch_pmap_table(phys_addr_t pa)
{
	if (pmap_switched)
		return phys_to_virt(pa);
	if (pa >= EARLY_MAP_SIZE)
		panic("pmap: page table at %#llx is beyond the early map",
		      (unsigned long long)pa);
	return (pte_t *)(uintptr_t)(KERNEL_VIRT_BASE + pa);
}

void arch_pmap_sync(void)
{
	/* Stores reach the walker in order on x86: only the compiler must not reorder. */
	barrier();
}

void __iomem *arch_ioremap_early(phys_addr_t pa, size_t size)
{
	pr_err("ioremap: %#llx+%#zx before arch_vm_bootstrap()\n",
	       (unsigned long long)pa, size);
	return NULL;
}

/* ------------------------------------------------------------------------
 * TLB maintenance
 */

static void pmap_flush_local(vm_offset_t va, vm_size_t size)
{
	unsigned long cr4 = read_cr4();
	vm_size_t off;

	if (size / PAGE_SIZE <= PMAP_FLUSH_PAGES_MAX) {
		for (off = 0; off < size; off += PAGE_SIZE)
			pmap_invlpg(va + off);
	} else if (cr4 & X86_CR4_PGE) {
		/* Kernel pages are global: only clearing PGE flushes them. */
		pmap_write_cr4(cr4 & ~X86_CR4_PGE);
		pmap_write_cr4(cr4);
	} else {
		pmap_write_cr3(read_cr3());
	}
}

/*
 * The one shootdown in flight (the pmap lock serialises them): the range
 * and the CPUs that still have to flush it, one bit each.
 */
static struct {
	vm_offset_t	va;
	vm_size_t	size;
	uint64_t	pending;
} pmap_tlb_request;

/* If this CPU is still wanted by the request, flush and say so. */
static void pmap_tlb_answer(void)
{
	uint64_t bit = 1ULL << cpu_number();

	if (!(__atomic_load_n(&pmap_tlb_request.pending, __ATOMIC_ACQUIRE) & bit))
		return;
	pmap_flush_local(READ_ONCE(pmap_tlb_request.va), READ_ONCE(pmap_tlb_request.size));
	__atomic_fetch_and(&pmap_tlb_request.pending, ~bit, __ATOMIC_RELEASE);
}

/* IPI_TLB serves the kernel's shootdowns and the user pmaps' (pmap_user.c). */
static void pmap_tlb_ipi(unsigned int kind)
{
	pmap_tlb_answer();
	x86_pmap_user_tlb_answer();
}

void arch_pmap_lock_wait(void)
{
	if (PMAP_SHOOTDOWN) {
		pmap_tlb_answer();
		x86_pmap_user_tlb_answer();
	}
}

static void pmap_tlb_shootdown(vm_offset_t va, vm_size_t size)
{
	unsigned int self = cpu_number(), cpu;
	uint64_t targets = 0;

	BUILD_BUG_ON(MAX_CPUS > 64);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu != self && __atomic_load_n(&cpu_data_of(cpu)->online, __ATOMIC_ACQUIRE))
			targets |= 1ULL << cpu;
	if (!targets)
		return;
	pmap_tlb_request.va = va;
	pmap_tlb_request.size = size;
	__atomic_store_n(&pmap_tlb_request.pending, targets, __ATOMIC_RELEASE);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (targets & (1ULL << cpu))
			arch_send_ipi(cpu, IPI_TLB);
	while (__atomic_load_n(&pmap_tlb_request.pending, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

void arch_pmap_flush(vm_offset_t va, vm_size_t size)
{
	pmap_flush_local(va, size);
	if (PMAP_SHOOTDOWN && __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE) > 1)
		pmap_tlb_shootdown(va, size);
}

/* ------------------------------------------------------------------------
 * arch_vm_bootstrap
 */

static void pmap_cpu_features(void)
{
	uint32_t a, b, c, d, max_ext;

	pmap_cpuid(0x80000000, &max_ext, &b, &c, &d);
	if (max_ext >= 0x80000001) {
		pmap_cpuid(0x80000001, &a, &b, &c, &d);
		if (d & CPUID_81_EDX_NX)
			x86_pte_nx = X86_PTE_NX;
		x86_gbpages = d & CPUID_81_EDX_GBPAGES;
	}
	/* NX bits in the new tables are reserved bits until EFER.NXE is on. */
	if (x86_pte_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	else
		pr_warn("pmap: this CPU has no NX bit: W^X is only write protection\n");
}

static bool pmap_ram_type(enum boot_mem_type type)
{
	return type != BOOT_MEM_RESERVED && type != BOOT_MEM_BAD;
}

struct pmap_range {
	phys_addr_t start, end;
};

/*
 * The RAM ranges to direct-map, page aligned and merged. Taken before
 * mapping, because bootmem_alloc() of page tables rewrites boot_memmap.
 */
static unsigned int pmap_ram_ranges(struct pmap_range *r, unsigned int max)
{
	unsigned int i, n = 0;

	r[n++] = (struct pmap_range){ 0, 0x100000 };	/* the low 1 MiB */
	for (i = 0; i < boot_memmap.nr; i++) {
		const struct boot_mem_region *reg = &boot_memmap.region[i];
		phys_addr_t s = ALIGN_DOWN(reg->base, PAGE_SIZE);
		phys_addr_t e = ALIGN_UP(reg->base + reg->size, PAGE_SIZE);

		if (!pmap_ram_type(reg->type))
			continue;
		if (e > DIRECT_MAP_SIZE) {
			pr_warn("pmap: RAM above %#lx is not mapped\n", DIRECT_MAP_SIZE);
			e = DIRECT_MAP_SIZE;
		}
		if (s >= e)
			continue;
		if (s <= r[n - 1].end) {
			if (e > r[n - 1].end)
				r[n - 1].end = e;
		} else if (n < max) {
			r[n++] = (struct pmap_range){ s, e };
		}
	}
	return n;
}

static void pmap_map_or_panic(struct pmap_pt *pt, vm_offset_t va, phys_addr_t pa,
			      vm_size_t size, vm_prot_t prot, unsigned int flags,
			      const char *what)
{
	kern_return_t kr = pmap_pt_map(pt, va, pa, size, prot, PT_ATTR_NORMAL, flags);

	if (kr != KERN_SUCCESS)
		panic("pmap: cannot map %s %#lx+%#lx (kern_return %d)", what,
		      (unsigned long)va, (unsigned long)size, kr);
}

static phys_addr_t pmap_direct_map(struct pmap_pt *pt)
{
	struct pmap_range r[BOOTMEM_MAX_REGIONS + 1];
	unsigned int i, n = pmap_ram_ranges(r, ARRAY_SIZE(r));
	phys_addr_t total = 0;

	for (i = 0; i < n; i++) {
		pmap_map_or_panic(pt, (vm_offset_t)phys_to_virt(r[i].start), r[i].start,
				  r[i].end - r[i].start, VM_PROT_READ | VM_PROT_WRITE,
				  PMAP_MAP_HUGE, "RAM");
		total += r[i].end - r[i].start;
	}
	return total;
}

/* [start, end) of the image at its link address. */
static void pmap_map_image_part(struct pmap_pt *pt, const char *start, const char *end,
				vm_prot_t prot, const char *what)
{
	vm_offset_t s = (vm_offset_t)start, e = (vm_offset_t)end;

	if ((s | e) & (PAGE_SIZE - 1))
		panic("pmap: kernel %s %#lx-%#lx is not page aligned", what, s, e);
	if (s < e)
		pmap_map_or_panic(pt, s, virt_to_phys(start), e - s, prot, 0, what);
}

static void pmap_map_image(struct pmap_pt *pt)
{
	const char *guard_end = boot_stack_guard + PAGE_SIZE;
	kern_return_t kr;

	pmap_map_image_part(pt, _stext, _srodata, VM_PROT_READ | VM_PROT_EXECUTE, "text");
	pmap_map_image_part(pt, _srodata, _sdata, VM_PROT_READ, "rodata");
	pmap_map_image_part(pt, _sdata, boot_stack_guard, VM_PROT_READ | VM_PROT_WRITE, "data");
	pmap_map_image_part(pt, guard_end, _end, VM_PROT_READ | VM_PROT_WRITE, "bss");

	/* No writable alias of text and rodata either. */
	kr = pmap_pt_protect(pt, (vm_offset_t)phys_to_virt(virt_to_phys(_stext)),
			     _sdata - _stext, VM_PROT_READ);
	if (kr != KERN_SUCCESS)
		panic("pmap: cannot protect the direct map of the image (kern_return %d)", kr);
}

/*
 * boot_info's strings that still point into the loader's memory through
 * the early map (the loader name, module command lines) move into the
 * image: the early map goes away, and loader memory is not direct-mapped
 * (it is reserved, not RAM).
 */
static char pmap_boot_strings[512];

static const char *pmap_keep_string(const char *s, size_t *used)
{
	uintptr_t v = (uintptr_t)s;
	size_t len;

	if (!s || (v >= (uintptr_t)_stext && v < (uintptr_t)_end) ||
	    v < KERNEL_VIRT_BASE || v >= KERNEL_VIRT_BASE + EARLY_MAP_SIZE)
		return s;
	len = strnlen(s, sizeof(pmap_boot_strings));
	if (len >= sizeof(pmap_boot_strings) - *used) {
		pr_warn("pmap: boot string \"%.20s...\" dropped\n", s);
		return "";
	}
	memcpy(pmap_boot_strings + *used, s, len + 1);
	s = pmap_boot_strings + *used;
	*used += len + 1;
	return s;
}

static void pmap_keep_boot_strings(void)
{
	size_t used = 0;
	unsigned int i;

	boot_info.bootloader = pmap_keep_string(boot_info.bootloader, &used);
	boot_info.cmdline = pmap_keep_string(boot_info.cmdline, &used);
	for (i = 0; i < boot_info.nr_modules; i++)
		boot_info.modules[i].cmdline = pmap_keep_string(boot_info.modules[i].cmdline, &used);
}

void arch_vm_bootstrap(void)
{
	struct pmap_pt *pt = &pmap_kernel_pt;
	uint32_t a, b, c, d;
	phys_addr_t ram;
	unsigned long cr4;

	pmap_cpu_features();
	if (pmap_table_alloc(&x86_kernel_pml4) != KERN_SUCCESS)
		panic("pmap: no memory for the PML4");
	if (x86_kernel_pml4 >= 0x100000000ULL)
		panic("pmap: PML4 at %#llx, above 4 GiB", (unsigned long long)x86_kernel_pml4);
	pt->root = arch_pmap_table(x86_kernel_pml4);
	pt->live = false;

	ram = pmap_direct_map(pt);
	pmap_map_image(pt);
	if (pmap_pt_prealloc(pt, KVA_START, IOREMAP_END - KVA_START) != KERN_SUCCESS)
		panic("pmap: no memory for the KVA window's tables");
	pmap_keep_boot_strings();

	pmap_write_cr3(x86_kernel_pml4);
	pmap_switched = true;
	pt->root = phys_to_virt(x86_kernel_pml4);

	/* Global kernel pages; the early map had none, so nothing stale survives. */
	pmap_cpuid(1, &a, &b, &c, &d);
	cr4 = read_cr4();
	if (d & CPUID_1_EDX_PGE)
		pmap_write_cr4(cr4 | X86_CR4_PGE);

	if (PMAP_SHOOTDOWN)
		smp_ipi_register(IPI_TLB, pmap_tlb_ipi);
	pmap_kernel_set_ready();
	if (pmap_kernel_extract((vm_offset_t)boot_stack_guard, NULL, NULL, NULL) !=
	    KERN_INVALID_ADDRESS)
		panic("pmap: the boot stack's guard page is mapped");

	pr_info("pmap: direct map of %llu MiB at %#lx (%s pages), image W^X, "
		"PML4 at %#llx, %lu page-table pages\n",
		(unsigned long long)(ram >> 20), PAGE_OFFSET, x86_gbpages ? "1G/2M/4K" : "2M/4K",
		(unsigned long long)x86_kernel_pml4, pmap_kernel_table_pages());
}
