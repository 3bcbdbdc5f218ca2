// SPDX-License-Identifier: MIT
/*
 * The descriptor tables: each CPU's GDT with its own TSS (for the
 * interrupt stack table), and the IDT, shared by all CPUs, pointing every
 * vector at its stub in entry.S. Also the legacy 8259 PIC, which is
 * remapped away from the exception vectors and masked: MachLine does not
 * use it.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/string.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/smap.h>

#include "x86.h"
#include "user_switch.h"

struct idt_gate {
	uint16_t	offset_low;
	uint16_t	selector;
	uint8_t		ist;		/* bits 0-2: IST slot, 0 for none */
	uint8_t		type_attr;
	uint16_t	offset_mid;
	uint32_t	offset_high;
	uint32_t	reserved;
} __packed;

struct descriptor_ptr {
	uint16_t	limit;
	uint64_t	base;
} __packed;

#define IDT_VECTORS		256
#define IDT_INTERRUPT_GATE	0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define IDT_INTERRUPT_GATE_USER	0xee	/* the same, DPL 3: int3 from ring 3 */
#define GDT_TSS_AVAILABLE	0x89	/* present, DPL 0, 64-bit TSS (available) */

extern const uint64_t x86_trap_stubs[IDT_VECTORS];	/* entry.S */

/*
 * A CPU's own tables. #DF, NMI and #MC run on stacks of their own, so
 * that a stack overflow (which makes the CPU fault while pushing the #PF
 * frame) still reaches a handler that can report it.
 */
struct x86_cpu_tables {
	uint64_t	gdt[GDT_ENTRIES] __aligned(16);
	uint8_t		ist_stacks[IST_STACKS][IST_STACK_SIZE] __aligned(16);
};

static struct x86_cpu_tables x86_cpu_tables[MAX_CPUS];

/*
 * The TSS is a per-CPU variable: switch.S stores TSS.rsp0 at its offset
 * from the CPU's percpu_offset (%gs:, user_switch.h), with no CPU number
 * to scale. Within 128 bytes, so within a page (the copies are page
 * aligned).
 */
DEFINE_PER_CPU(struct x86_tss, x86_tss) __aligned(128);
static struct idt_gate x86_idt[IDT_VECTORS] __aligned(16);

static void x86_gdt_set_tss(struct x86_cpu_tables *ct, struct x86_tss *tss)
{
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	ct->gdt[GDT_ENTRY_KERNEL_CS] = 0x00209a0000000000;	/* 64-bit code, DPL 0 */
	ct->gdt[GDT_ENTRY_KERNEL_DS] = 0x0000920000000000;	/* data, DPL 0 */
	ct->gdt[GDT_ENTRY_USER_DS] = 0x0000f20000000000;	/* data, DPL 3 */
	ct->gdt[GDT_ENTRY_USER_CS] = 0x0020fa0000000000;	/* 64-bit code, DPL 3 */
	ct->gdt[GDT_ENTRY_TSS] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		((uint64_t)GDT_TSS_AVAILABLE << 40) | (((limit >> 16) & 0xf) << 48) |
		(((base >> 24) & 0xff) << 56);
	ct->gdt[GDT_ENTRY_TSS + 1] = base >> 32;
}

/* Load the GDT, then every segment register from it, CS by a far return. */
static void x86_gdt_load(struct x86_cpu_tables *ct)
{
	struct descriptor_ptr gdtr = {
		.limit = sizeof(ct->gdt) - 1,
		.base = (uint64_t)ct->gdt,
	};

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3"
		: : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL)
		: "rax", "memory");
}

static void x86_idt_set_gate(unsigned int vector, uint64_t handler, unsigned int ist)
{
	struct idt_gate *g = &x86_idt[vector];

	g->offset_low = handler & 0xffff;
	g->selector = KERNEL_CS;
	g->ist = ist;
	g->type_attr = IDT_INTERRUPT_GATE;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

static void x86_idt_load(void)
{
	struct descriptor_ptr idtr = {
		.limit = sizeof(x86_idt) - 1,
		.base = (uint64_t)x86_idt,
	};

	__asm__ __volatile__("lidt %0" : : "m"(idtr) : "memory");
}

static void x86_idt_init(void)
{
	unsigned int v;

	for (v = 0; v < IDT_VECTORS; v++)
		x86_idt_set_gate(v, x86_trap_stubs[v], 0);
	x86_idt_set_gate(X86_TRAP_DF, x86_trap_stubs[X86_TRAP_DF], IST_DOUBLE_FAULT);
	x86_idt_set_gate(X86_TRAP_NMI, x86_trap_stubs[X86_TRAP_NMI], IST_NMI);
	x86_idt_set_gate(X86_TRAP_MC, x86_trap_stubs[X86_TRAP_MC], IST_MACHINE_CHECK);
	/* int3 is allowed in ring 3 (a breakpoint, not a #GP). */
	x86_idt[X86_TRAP_BP].type_attr = IDT_INTERRUPT_GATE_USER;
	x86_idt_load();
}

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1

/*
 * The BIOS leaves the 8259 pair delivering IRQ 0-7 on vectors 8-15, on
 * top of the CPU exceptions. Move them to 0x20-0x2f and mask every line,
 * so that even a spurious IRQ cannot look like a double fault.
 */
static void x86_pic_disable(void)
{
	outb(0x11, PIC1_CMD);		/* ICW1: initialise, ICW4 follows */
	io_delay();
	outb(0x11, PIC2_CMD);
	io_delay();
	outb(0x20, PIC1_DATA);		/* ICW2: vector base */
	io_delay();
	outb(0x28, PIC2_DATA);
	io_delay();
	outb(0x04, PIC1_DATA);		/* ICW3: slave on IRQ 2 */
	io_delay();
	outb(0x02, PIC2_DATA);
	io_delay();
	outb(0x01, PIC1_DATA);		/* ICW4: 8086 mode */
	io_delay();
	outb(0x01, PIC2_DATA);
	io_delay();
	outb(0xff, PIC1_DATA);		/* mask everything */
	outb(0xff, PIC2_DATA);
}

/*
 * This CPU's GDT and TSS (with its IST stacks), loaded. A secondary CPU's
 * TSS starts as a copy of the boot CPU's (the per-CPU template): all of
 * it is set here.
 */
static void x86_cpu_tables_init(struct x86_cpu_tables *ct, struct x86_tss *tss)
{
	unsigned int i;

	memset(tss, 0, sizeof(*tss));
	for (i = 0; i < IST_STACKS; i++)
		tss->ist[i] = (uint64_t)&ct->ist_stacks[i][IST_STACK_SIZE];
	tss->iomap_base = sizeof(*tss);	/* no I/O permission bitmap */

	x86_gdt_set_tss(ct, tss);
	x86_gdt_load(ct);
}

/*
 * SMEP and SMAP when the CPU has them (QEMU's -cpu max does): the kernel
 * then faults on executing user pages, and on touching them outside the
 * copyio routines (mm/copyio.c, copyio.S), which open a window with stac.
 * Every CPU of a machine has the same features: the boot CPU decides.
 */
bool x86_smep_enabled, x86_smap_enabled;

extern const unsigned long __smap_sites_start[], __smap_sites_end[];

/*
 * Without SMAP, every stac and clac of <asm/smap.h> becomes a 3-byte NOP
 * (they would be #UD). The boot CPU does it first thing, before its IDT
 * is loaded (a trap's entry has a clac) and while the boot page tables
 * still map the text writable; write_cr4() after it serializes.
 */
static void x86_smap_patch(void)
{
	static const uint8_t nop3[X86_SMAP_INSN_SIZE] = { 0x0f, 0x1f, 0x00 };
	const unsigned long *site;

	for (site = __smap_sites_start; site < __smap_sites_end; site++)
		memcpy((void *)*site, nop3, sizeof(nop3));
}

static void x86_cpu_detect_protect(void)
{
	uint32_t a, b, c, d;

	cpuid_count(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		x86_smep_enabled = b & (1U << 7);
		x86_smap_enabled = b & (1U << 20);
	}
	if (!x86_smap_enabled)
		x86_smap_patch();
}

static void x86_cpu_protect_user(void)
{
	unsigned long cr4 = read_cr4();

	if (x86_smep_enabled)
		cr4 |= X86_CR4_SMEP;
	if (x86_smap_enabled)
		cr4 |= X86_CR4_SMAP;
	write_cr4(cr4);
}

/*
 * syscall from ring 3 enters x86_syscall_entry (entry.S) with the flags
 * of FMASK cleared: interrupts stay off until the kernel stack is set,
 * and AC (SMAP's override) never leaks in from user mode.
 */
static void x86_cpu_syscall_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)USER_STAR_BASE << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
	wrmsr(MSR_FMASK, X86_EFLAGS_TF | X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_IOPL |
			 X86_EFLAGS_NT | X86_EFLAGS_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_KERNEL_GS_BASE, 0);	/* user mode's GS base */
}

/*
 * The stack the CPU switches to on a trap or syscall from user mode: the
 * end of the user frame of the thread that returns to user mode now
 * (interrupts off), where the entry code saves its registers before it
 * moves to the thread's kernel stack (entry.S).
 */
void x86_set_kernel_stack(unsigned long top)
{
	this_cpu_ptr(&x86_tss)->rsp[0] = top;
	cpu_this()->arch_entry_sp[0] = top;
}

/* switch.S sets TSS.rsp0 at this offset of x86_tss (user_switch.h). */
BUILD_BUG_ON(__builtin_offsetof(struct x86_tss, rsp) != X86_TSS_RSP0);

/* entry.S reads the syscall stack and scratch slot at these %gs offsets. */
BUILD_BUG_ON(__builtin_offsetof(struct cpu_data, arch_entry_sp) != CPU_DATA_ENTRY_SP);

/*
 * FXSAVE/FXRSTOR and SSE on (CR4.OSFXSR, OSXMMEXCPT; CR0.MP and NE, EM and
 * TS clear), from the start: the kernel zeroes pages with SSE stores
 * (zero_page.S), and user threads get their FP state eagerly
 * (usermode.c). x86_64 always has SSE2.
 */
static void x86_cpu_fpu_enable(void)
{
	unsigned long cr0 = read_cr0();

	cr0 = (cr0 & ~(unsigned long)(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP | X86_CR0_NE;
	__asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0) : "memory");
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}

void x86_cpu_init(void)
{
	x86_cpu_detect_protect();
	x86_cpu_tables_init(&x86_cpu_tables[0], &x86_tss);	/* before cpu_bootstrap() */
	x86_idt_init();
	x86_pic_disable();
	x86_cpu_protect_user();
	x86_cpu_fpu_enable();
	x86_cpu_syscall_init();
}

void x86_cpu_init_secondary(unsigned int cpu)
{
	x86_cpu_tables_init(&x86_cpu_tables[cpu], per_cpu_ptr(&x86_tss, cpu));
	x86_idt_load();
	x86_cpu_protect_user();
	x86_cpu_fpu_enable();
	x86_cpu_syscall_init();
}
