/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 entry: QEMU's -kernel (or GRUB) loads the image with the
 * multiboot v1 protocol and jumps to _start32 in 32-bit protected mode,
 * paging off, with %eax = 0x2badb002 and %ebx = the multiboot information
 * (physical). From here to x86_start():
 *
 *   1. zero .bss (the early page tables and the boot stack live there);
 *   2. build page tables mapping the first GiB twice with 2 MiB pages: at
 *      0 (identity, so this code keeps running when paging comes on) and
 *      at KERNEL_VIRT_BASE (PML4[511], PDPT[510]), where the kernel is
 *      linked. The 2 MiB block that holds the boot stack's guard page is
 *      mapped with 4 KiB pages instead, leaving the guard out;
 *   3. PAE, EFER.LME, paging: the CPU is in compatibility mode;
 *   4. load a 64-bit GDT and far-jump into 64-bit code, then jump to the
 *      higher-half address of _start64;
 *   5. drop the identity map, take the boot stack and call
 *      x86_start(magic, mbi) in C.
 *
 * Everything before step 4 runs at physical addresses, so a kernel symbol
 * is written (sym - KERNEL_VIRT_BASE). It is a .code32 block inside an
 * x86-64 object: no -m32, no second toolchain.
 */
#include <asm/memlayout.h>
#include <asm/multiboot.h>
#include <asm/processor.h>
#include <asm/segment.h>

#define PHYS(sym)	((sym) - KERNEL_VIRT_BASE)

#define PTE_P		0x001	/* present */
#define PTE_W		0x002	/* writable */
#define PTE_PS		0x080	/* a 2 MiB page (in a PD entry) */

#define MB_FLAGS	(MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO | MULTIBOOT_AOUT_KLUDGE)

/*
 * The multiboot header, first in the image. With the a.out kludge (flag
 * 16) the loader ignores the ELF headers and copies the file from the
 * header's own position: load_end_addr - load_addr bytes, from file offset
 * header_offset - (header_addr - load_addr), to load_addr. QEMU needs this
 * because it refuses to load an ELF64 as multiboot. Every address here is
 * physical; the linker script defines the _*_phys symbols, and
 * arch/x86_64/tools/multiboot-check.sh checks after each link that the
 * file layout really matches what this header promises.
 */
	.section .boot.header, "a"
	.balign 4
multiboot_header:
	.long	MULTIBOOT_HEADER_MAGIC
	.long	MB_FLAGS
	.long	-(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)
	.long	multiboot_header	/* header_addr */
	.long	_load_start_phys	/* load_addr */
	.long	_load_end_phys		/* load_end_addr */
	.long	_bss_end_phys		/* bss_end_addr */
	.long	_start32		/* entry_addr */

	.section .boot.text, "ax"
	.code32
	.globl	_start32
_start32:
	cli
	cld
	movl	%eax, %ebp		/* multiboot magic */
	movl	%ebx, %esi		/* multiboot information, physical */

	/* Long mode or nothing: CPUID 0x80000001 EDX bit 29. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode

	/* 1. Zero .bss; QEMU does it too, but the protocol does not promise it. */
	movl	$PHYS(__bss_start), %edi
	movl	$PHYS(__bss_end), %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl

	/* 2. One page directory: 512 x 2 MiB = the first GiB. */
	movl	$PHYS(boot_pd), %edi
	movl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	$512, %ecx
1:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b

	/* The guard page's 2 MiB block in 4 KiB pages, without the guard. */
	movl	$PHYS(boot_stack_guard), %edx
	movl	%edx, %eax
	andl	$~0x1fffff, %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	$PHYS(boot_pt), %edi
	movl	$512, %ecx
2:	movl	%eax, (%edi)
	addl	$0x1000, %eax
	addl	$8, %edi
	loop	2b
	movl	%edx, %eax
	shrl	$12, %eax
	andl	$511, %eax
	movl	$0, PHYS(boot_pt)(,%eax,8)
	movl	%edx, %eax
	shrl	$21, %eax
	movl	$(PHYS(boot_pt) + PTE_P + PTE_W), PHYS(boot_pd)(,%eax,8)

	/* The same directory at 0 and at KERNEL_VIRT_BASE (-2 GiB). */
	movl	$(PHYS(boot_pd) + PTE_P + PTE_W), PHYS(boot_pdpt_lo)
	movl	$(PHYS(boot_pd) + PTE_P + PTE_W), PHYS(boot_pdpt_hi) + 510 * 8
	movl	$(PHYS(boot_pdpt_lo) + PTE_P + PTE_W), PHYS(boot_pml4)
	movl	$(PHYS(boot_pdpt_hi) + PTE_P + PTE_W), PHYS(boot_pml4) + 511 * 8

	/* 3. PAE, the PML4, long mode enable, then paging (with WP). */
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	movl	%eax, %cr0

	/* 4. Compatibility mode now; a 64-bit code segment ends it. */
	lgdt	boot_gdt_desc
	ljmp	$KERNEL_CS, $start64_low

/* Say why on COM1 (QEMU needs no UART setup for this), fail, stop. */
no_long_mode:
	movl	$no_long_mode_msg, %esi
	movw	$0x3f8, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	movw	$0xf4, %dx		/* isa-debug-exit: failure */
	movl	$0x11, %eax
	outl	%eax, %dx
3:	hlt
	jmp	3b

	.code64
start64_low:
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$_start64, %rax
	jmp	*%rax

	.section .boot.rodata, "a"
no_long_mode_msg:
	.asciz	"MachLine: this CPU has no 64-bit long mode; stopping.\r\n"

	/*
	 * The boot GDT: null, kernel code (64-bit), kernel data. The C code
	 * replaces it with the full one (cpu.c) and its TSS.
	 */
	.balign	8
boot_gdt:
	.quad	0
	.quad	0x00209a0000000000	/* P, DPL 0, code, execute/read, L */
	.quad	0x0000920000000000	/* P, DPL 0, data, read/write */
boot_gdt_end:
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt
	/* The same table seen through the higher half, for 64-bit lgdt. */
	.balign	8
boot_gdt_desc_high:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt + KERNEL_VIRT_BASE

/* 5. In the higher half from here on. */
	.text
	.globl	_start64
_start64:
	/*
	 * Leave the identity map: nothing refers to low addresses once the
	 * GDT is read through its high alias, and without PML4[0] a NULL
	 * pointer faults from the first C instruction on.
	 */
	lgdt	boot_gdt_desc_high
	movq	$0, boot_pml4
	movq	%cr3, %rax
	movq	%rax, %cr3
	movq	$boot_stack_top, %rsp
	movl	%ebp, %edi		/* zero-extends: the upper halves are undefined */
	movl	%esi, %esi
	xorl	%ebp, %ebp		/* the end of every backtrace */
	call	x86_start
1:	cli
	hlt
	jmp	1b

/*
 * Early page tables and the boot stack. The guard page below the stack is
 * left unmapped, so an overflow faults (#PF, then #DF on its own IST stack,
 * see cpu.c) instead of silently overwriting the page tables.
 */
	.section .bss..page_aligned, "aw", @nobits
	.balign	4096
	.globl	boot_pml4
boot_pml4:
	.skip	4096
boot_pdpt_lo:
	.skip	4096
boot_pdpt_hi:
	.skip	4096
boot_pd:
	.skip	4096
boot_pt:
	.skip	4096
	.globl	boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.skip	4096
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
