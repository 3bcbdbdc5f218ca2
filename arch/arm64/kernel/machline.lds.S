/* SPDX-License-Identifier: MIT */
/*
 * The arm64 kernel image. Linked at KIMAGE_VADDR whatever the physical load
 * address; the ELF's LMAs say 0x40400000 (KERNEL_PHYS_NOMINAL), where U-Boot
 * and QEMU load the Image on the virt board. objcopy -O binary of this ELF is
 * arch/arm64/boot/Image: the Image header comes first.
 */
#include <asm/memory.h>
#include <kern/machline.lds.h>

#define KERNEL_LOAD_OFFSET	(KIMAGE_VADDR - KERNEL_PHYS_NOMINAL)

OUTPUT_ARCH(aarch64)
ENTRY(_head)

SECTIONS
{
	. = KIMAGE_VADDR;

	.head.text : AT(ADDR(.head.text) - KERNEL_LOAD_OFFSET) {
		KEEP(*(.head.text))
	}

	.text : AT(ADDR(.text) - KERNEL_LOAD_OFFSET) {
		. = ALIGN(8);
		_stext = .;
		*(.text .text.*)
		_etext = .;
	}

	. = ALIGN(PAGE_SIZE);
	.rodata : AT(ADDR(.rodata) - KERNEL_LOAD_OFFSET) {
		_srodata = .;
		*(.rodata .rodata.*)
		KERNEL_TABLES
		/* <kern/copyio.h>: every copyio user access and its fixup */
		. = ALIGN(8);
		copyio_extable_start = .;
		KEEP(*(.copyio_extable))
		copyio_extable_end = .;
		_erodata = .;
	}

	KERNEL_KALLSYMS

	. = ALIGN(PAGE_SIZE);
	.data : AT(ADDR(.data) - KERNEL_LOAD_OFFSET) {
		_sdata = .;
		KERNEL_PERCPU
		*(.data .data.*)
		*(.got .got.*)
		_edata = .;
	}

	/* Everything after this is not in the Image file. */
	. = ALIGN(16);
	.bss (NOLOAD) : AT(ADDR(.bss) - KERNEL_LOAD_OFFSET) {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}

	. = ALIGN(PAGE_SIZE);
	.pgtables (NOLOAD) : AT(ADDR(.pgtables) - KERNEL_LOAD_OFFSET) {
		__pgtables_start = .;
		*(.pgtables)
		. = ALIGN(PAGE_SIZE);
		__pgtables_end = .;
	}

	_end = .;
	_kernel_size = _end - _head;

	/DISCARD/ : {
		*(.note .note.*)
		*(.comment)
		*(.eh_frame)
	}

	.debug_info 0 : { *(.debug_info) }
	.debug_abbrev 0 : { *(.debug_abbrev) }
	.debug_line 0 : { *(.debug_line) }
	.debug_line_str 0 : { *(.debug_line_str) }
	.debug_str 0 : { *(.debug_str) }
	.debug_aranges 0 : { *(.debug_aranges) }
	.debug_rnglists 0 : { *(.debug_rnglists) }
	.debug_loclists 0 : { *(.debug_loclists) }
	.debug_frame 0 : { *(.debug_frame) }
}
