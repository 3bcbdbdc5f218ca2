/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 kernel image. .boot (the multiboot header and the 32-bit
 * entry, see head.S) is linked and loaded at physical 1 MiB; everything
 * else is linked in the higher half at KERNEL_VIRT_BASE + its physical
 * address and loaded (AT) at that physical address. Each part starts on a
 * page so that text, read-only data and data can get their own page
 * protections (W^X) once the pmap exists.
 *
 * The loaded image runs from _load_start_phys to _load_end_phys (a.out
 * kludge of the multiboot header), and .bss up to _bss_end_phys is zeroed.
 */
#include <asm/memlayout.h>
#include <kern/machline.lds.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start32)

SECTIONS
{
	. = KERNEL_PHYS_BASE;
	_load_start_phys = .;

	.boot : {
		KEEP(*(.boot.header))
		*(.boot.text)
		*(.boot.rodata)
	}

	. = ALIGN(PAGE_SIZE) + KERNEL_LOAD_OFFSET;

	.text : AT(ADDR(.text) - KERNEL_LOAD_OFFSET) {
		_stext = .;
		*(.text.hot .text.hot.*)
		*(.text .text.*)
		*(.text.unlikely .text.unlikely.*)
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
		/* <asm/smap.h>: every stac and clac, for x86_smap_patch() */
		. = ALIGN(8);
		__smap_sites_start = .;
		KEEP(*(.smap_sites))
		__smap_sites_end = .;
	}

	/* After all text and rodata: filling it in moves no function. */
	KERNEL_KALLSYMS

	. = ALIGN(PAGE_SIZE);
	_erodata = .;

	.data : AT(ADDR(.data) - KERNEL_LOAD_OFFSET) {
		_sdata = .;
		KERNEL_PERCPU
		*(.data .data.*)
		_edata = .;
	}
	_load_end_phys = . - KERNEL_LOAD_OFFSET;

	. = ALIGN(PAGE_SIZE);
	.bss : AT(ADDR(.bss) - KERNEL_LOAD_OFFSET) {
		__bss_start = .;
		*(.bss..page_aligned)
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(PAGE_SIZE);
		__bss_end = .;
	}
	_end = .;
	_bss_end_phys = . - KERNEL_LOAD_OFFSET;

	/DISCARD/ : {
		*(.note.*)
		*(.comment)
		*(.eh_frame .eh_frame_hdr)
	}
}
