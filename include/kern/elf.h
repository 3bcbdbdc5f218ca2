/* SPDX-License-Identifier: MIT */
/*
 * ELF64 executables, and the loader that puts a static one into a task's
 * map (kernel/elf_load.c, Documentation/boot.rst). Only what the loader
 * reads is declared here, with the System V ABI's names.
 */
#ifndef _KERN_ELF_H
#define _KERN_ELF_H

#include <kern/types.h>
#include <kern/vm_map.h>
#include <mach/kern_return.h>

typedef struct {
	unsigned char	e_ident[16];
	uint16_t	e_type;
	uint16_t	e_machine;
	uint32_t	e_version;
	uint64_t	e_entry;
	uint64_t	e_phoff;
	uint64_t	e_shoff;
	uint32_t	e_flags;
	uint16_t	e_ehsize;
	uint16_t	e_phentsize;
	uint16_t	e_phnum;
	uint16_t	e_shentsize;
	uint16_t	e_shnum;
	uint16_t	e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t	p_type;
	uint32_t	p_flags;
	uint64_t	p_offset;
	uint64_t	p_vaddr;
	uint64_t	p_paddr;
	uint64_t	p_filesz;
	uint64_t	p_memsz;
	uint64_t	p_align;
} Elf64_Phdr;

#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62
#define EM_AARCH64	183
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PF_X		1
#define PF_W		2
#define PF_R		4

/* The machine this kernel runs programs for. */
#define ELF_MACHINE_NATIVE	(IS_ENABLED(CONFIG_ARM64) ? EM_AARCH64 : EM_X86_64)

/* The most program headers the loader looks at. */
#define ELF_PHNUM_MAX		32

struct elf_image {
	vm_offset_t	entry;
	vm_offset_t	start;		/* lowest loaded address, page aligned */
	vm_offset_t	end;		/* end of the highest segment, page aligned */
	unsigned int	nr_segments;	/* PT_LOAD segments mapped */
};

/*
 * Check that image (size bytes, any alignment) is a static ELF64
 * executable that elf_load() can put into map, without touching the map:
 * magic, class, byte order, versions, ET_EXEC, ELF_MACHINE_NATIVE, the
 * header sizes, the program headers inside the file, at least one
 * PT_LOAD, no PT_INTERP or PT_DYNAMIC (static only), every PT_LOAD with
 * filesz <= memsz and its bytes inside the file, in the map's range and
 * below the start block's stack (BOOTSTRAP_STACK_BOTTOM), not wrapping,
 * not sharing a page with another segment, p_vaddr and p_offset
 * congruent modulo the page size, and the entry point in an executable
 * segment. KERN_INVALID_ARGUMENT for anything else.
 */
kern_return_t elf_check(vm_map_t map, const void *image, size_t size);

/*
 * elf_check(), then map each PT_LOAD segment at its p_vaddr (fresh
 * zero-filled memory, so the part past p_filesz is zero), copy its file
 * bytes in and give it the protection of its p_flags (the maximum
 * stays VM_PROT_ALL, as for vm_allocate()d memory).
 * *out describes what was loaded. KERN_INVALID_ARGUMENT for a bad image
 * (the map is untouched), KERN_NO_SPACE if the map already holds
 * something there, KERN_RESOURCE_SHORTAGE; on failure nothing of the
 * image stays mapped. Runs with the map switched in for a moment: the
 * caller must be a kernel thread that is not in user mode.
 */
kern_return_t elf_load(vm_map_t map, const void *image, size_t size, struct elf_image *out);

/*
 * The user stack and the start block of <mach/bootstrap_abi.h>: the
 * stack [BOOTSTRAP_STACK_BOTTOM, BOOTSTRAP_STACK_TOP) read-write in map,
 * holding argc, argv[], NULL, envp[], NULL and the strings; *sp gets the
 * address of argc (16-byte aligned). KERN_INVALID_ARGUMENT for more than
 * BOOTSTRAP_ARGS_MAX words or BOOTSTRAP_STRINGS_MAX string bytes,
 * KERN_NO_SPACE if the stack range is taken.
 */
kern_return_t elf_load_start_block(vm_map_t map, const char *const *argv, unsigned int argc,
				   const char *const *envp, unsigned int envc,
				   vm_offset_t *sp);

#endif /* _KERN_ELF_H */
