// SPDX-License-Identifier: MIT
/*
 * The ELF loader (<kern/elf.h>, Documentation/boot.rst): a static ELF64
 * executable from the RAM disk into a task's map, and the start block of
 * <mach/bootstrap_abi.h> on a fresh user stack.
 *
 * The image is untrusted: elf_check() validates every field the loader
 * uses before the map is touched, so a bad file costs nothing but
 * KERN_INVALID_ARGUMENT. Headers are copied out of the image with memcpy
 * (a file in the RAM disk is only 4-byte aligned).
 *
 * Segments are copied, not mapped from the RAM disk: the RAM disk's pages
 * are not VM pages (they are reserved boot memory), and a copy lets the
 * task write its data segment without touching the archive.
 */
#include <kern/copyio.h>
#include <kern/elf.h>
#include <kern/kmem.h>
#include <kern/string.h>
#include <kern/zalloc.h>
#include <mach/bootstrap_abi.h>

static vm_offset_t elf_trunc_page(uint64_t a)
{
	return (vm_offset_t)(a & ~(uint64_t)(PAGE_SIZE - 1));
}

static vm_offset_t elf_round_page(uint64_t a)
{
	return (vm_offset_t)((a + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1));
}

static bool elf_range_in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static kern_return_t elf_check_ehdr(const Elf64_Ehdr *eh, size_t size)
{
	if (memcmp(eh->e_ident, "\177ELF", 4) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return KERN_INVALID_ARGUMENT;
	if (eh->e_type != ET_EXEC || eh->e_machine != ELF_MACHINE_NATIVE)
		return KERN_INVALID_ARGUMENT;
	if (eh->e_ehsize < sizeof(Elf64_Ehdr) || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phnum == 0 || eh->e_phnum > ELF_PHNUM_MAX)
		return KERN_INVALID_ARGUMENT;
	if (!elf_range_in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

static void elf_phdr(const void *image, const Elf64_Ehdr *eh, unsigned int i, Elf64_Phdr *ph)
{
	memcpy(ph, (const char *)image + eh->e_phoff + i * sizeof(*ph), sizeof(*ph));
}

/* One PT_LOAD on its own: inside the file, the map and the user half. */
static kern_return_t elf_check_segment(vm_map_t map, const Elf64_Phdr *ph, size_t size)
{
	uint64_t lo = map->min_offset, hi = map->max_offset;

	if (hi > BOOTSTRAP_STACK_BOTTOM)
		hi = BOOTSTRAP_STACK_BOTTOM;
	if (ph->p_memsz == 0 || ph->p_filesz > ph->p_memsz)
		return KERN_INVALID_ARGUMENT;
	if (!elf_range_in_file(ph->p_offset, ph->p_filesz, size))
		return KERN_INVALID_ARGUMENT;
	if (ph->p_vaddr < lo || ph->p_vaddr > hi || ph->p_memsz > hi - ph->p_vaddr)
		return KERN_INVALID_ARGUMENT;
	if ((ph->p_vaddr ^ ph->p_offset) & (PAGE_SIZE - 1))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

/* Two PT_LOADs may not share a page: each gets its own protection. */
static bool elf_segments_overlap(const Elf64_Phdr *a, const Elf64_Phdr *b)
{
	return elf_trunc_page(a->p_vaddr) < elf_round_page(b->p_vaddr + b->p_memsz) &&
	       elf_trunc_page(b->p_vaddr) < elf_round_page(a->p_vaddr + a->p_memsz);
}

kern_return_t elf_check(vm_map_t map, const void *image, size_t size)
{
	Elf64_Phdr ph, other;
	Elf64_Ehdr eh;
	bool entry_ok = false;
	unsigned int i, j, loads = 0;

	if (!map || !image || size < sizeof(eh))
		return KERN_INVALID_ARGUMENT;
	memcpy(&eh, image, sizeof(eh));
	if (elf_check_ehdr(&eh, size) != KERN_SUCCESS)
		return KERN_INVALID_ARGUMENT;
	for (i = 0; i < eh.e_phnum; i++) {
		elf_phdr(image, &eh, i, &ph);
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return KERN_INVALID_ARGUMENT;
		if (ph.p_type != PT_LOAD)
			continue;
		if (elf_check_segment(map, &ph, size) != KERN_SUCCESS)
			return KERN_INVALID_ARGUMENT;
		for (j = 0; j < i; j++) {
			elf_phdr(image, &eh, j, &other);
			if (other.p_type == PT_LOAD && elf_segments_overlap(&ph, &other))
				return KERN_INVALID_ARGUMENT;
		}
		if ((ph.p_flags & PF_X) && eh.e_entry >= ph.p_vaddr &&
		    eh.e_entry - ph.p_vaddr < ph.p_memsz)
			entry_ok = true;
		loads++;
	}
	return loads && entry_ok ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
}

static vm_prot_t elf_prot(uint32_t flags)
{
	return (flags & PF_R ? VM_PROT_READ : 0) | (flags & PF_W ? VM_PROT_WRITE : 0) |
	       (flags & PF_X ? VM_PROT_EXECUTE : 0);
}

/* Fresh memory for one segment, its bytes, its protection. */
static kern_return_t elf_load_segment(vm_map_t map, const void *image, const Elf64_Phdr *ph)
{
	vm_offset_t start = elf_trunc_page(ph->p_vaddr);
	vm_offset_t end = elf_round_page(ph->p_vaddr + ph->p_memsz);
	vm_map_t old;
	kern_return_t kr;

	kr = vm_map_allocate(map, &start, end - start, false);
	if (kr != KERN_SUCCESS)
		return kr;
	if (ph->p_filesz) {
		old = vm_map_switch(map);
		kr = copyout((const char *)image + ph->p_offset,
			     (void __user *)(uintptr_t)ph->p_vaddr, (vm_size_t)ph->p_filesz);
		vm_map_switch(old);
		if (kr != KERN_SUCCESS)
			kr = KERN_RESOURCE_SHORTAGE;	/* the fault could not get a page */
	}
	if (kr == KERN_SUCCESS)
		kr = vm_map_protect(map, start, end, elf_prot(ph->p_flags), false);
	if (kr != KERN_SUCCESS)
		vm_map_remove(map, start, end);
	return kr;
}

kern_return_t elf_load(vm_map_t map, const void *image, size_t size, struct elf_image *out)
{
	struct elf_image img = { .start = ~(vm_offset_t)0 };
	Elf64_Phdr ph;
	Elf64_Ehdr eh;
	unsigned int i, j;
	kern_return_t kr;

	kr = elf_check(map, image, size);
	if (kr != KERN_SUCCESS)
		return kr;
	memcpy(&eh, image, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		elf_phdr(image, &eh, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		kr = elf_load_segment(map, image, &ph);
		if (kr != KERN_SUCCESS)
			goto undo;
		img.nr_segments++;
		if (elf_trunc_page(ph.p_vaddr) < img.start)
			img.start = elf_trunc_page(ph.p_vaddr);
		if (elf_round_page(ph.p_vaddr + ph.p_memsz) > img.end)
			img.end = elf_round_page(ph.p_vaddr + ph.p_memsz);
	}
	img.entry = (vm_offset_t)eh.e_entry;
	if (out)
		*out = img;
	return KERN_SUCCESS;

undo:
	/* The segments before i were checked not to overlap: remove each. */
	for (j = 0; j < i; j++) {
		elf_phdr(image, &eh, j, &ph);
		if (ph.p_type == PT_LOAD)
			vm_map_remove(map, elf_trunc_page(ph.p_vaddr),
				      elf_round_page(ph.p_vaddr + ph.p_memsz));
	}
	return kr;
}

/* The start block */

struct elf_start_layout {
	size_t		strings;	/* bytes of every string, NULs included */
	size_t		words;		/* argc, argv[], NULL, envp[], NULL */
	vm_offset_t	sp;		/* the block's address: argc */
	vm_offset_t	str_base;	/* the first string */
};

static kern_return_t elf_start_layout(const char *const *argv, unsigned int argc,
				      const char *const *envp, unsigned int envc,
				      struct elf_start_layout *l)
{
	unsigned int i;

	if (argc + envc > BOOTSTRAP_ARGS_MAX || (argc && !argv) || (envc && !envp))
		return KERN_INVALID_ARGUMENT;
	l->strings = 0;
	for (i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? argv[i] : envp[i - argc];

		if (!s)
			return KERN_INVALID_ARGUMENT;
		l->strings += strnlen(s, BOOTSTRAP_STRINGS_MAX + 1) + 1;
		if (l->strings > BOOTSTRAP_STRINGS_MAX)
			return KERN_INVALID_ARGUMENT;
	}
	l->words = 1 + argc + 1 + envc + 1;
	l->str_base = BOOTSTRAP_STACK_TOP - l->strings;
	l->sp = (l->str_base - l->words * sizeof(unsigned long)) &
		~(vm_offset_t)(BOOTSTRAP_STACK_ALIGN - 1);
	return KERN_SUCCESS;
}

/* The block as it will sit at [l->sp, BOOTSTRAP_STACK_TOP), in buf. */
static void elf_start_fill(char *buf, const struct elf_start_layout *l,
			   const char *const *argv, unsigned int argc,
			   const char *const *envp, unsigned int envc)
{
	unsigned long *w = (unsigned long *)buf;
	vm_offset_t str = l->str_base;
	unsigned int i, k = 0;

	w[k++] = argc;
	for (i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? argv[i] : envp[i - argc];
		size_t n = strlen(s) + 1;

		if (i == argc)
			w[k++] = 0;	/* the end of argv */
		w[k++] = str;
		memcpy(buf + (str - l->sp), s, n);
		str += n;
	}
	if (envc == 0)
		w[k++] = 0;
	w[k++] = 0;		/* the end of envp */
}

kern_return_t elf_load_start_block(vm_map_t map, const char *const *argv, unsigned int argc,
				   const char *const *envp, unsigned int envc,
				   vm_offset_t *sp)
{
	struct elf_start_layout l;
	vm_offset_t stack = BOOTSTRAP_STACK_BOTTOM;
	vm_map_t old;
	size_t len;
	char *buf;
	kern_return_t kr;

	kr = elf_start_layout(argv, argc, envp, envc, &l);
	if (kr != KERN_SUCCESS)
		return kr;
	len = BOOTSTRAP_STACK_TOP - l.sp;
	buf = kalloc(len);
	if (!buf)
		return KERN_RESOURCE_SHORTAGE;
	memset(buf, 0, len);
	elf_start_fill(buf, &l, argv, argc, envp, envc);

	kr = vm_map_allocate(map, &stack, BOOTSTRAP_STACK_SIZE, false);
	if (kr == KERN_SUCCESS) {
		old = vm_map_switch(map);
		kr = copyout(buf, (void __user *)l.sp, len);
		vm_map_switch(old);
		if (kr != KERN_SUCCESS) {
			vm_map_remove(map, BOOTSTRAP_STACK_BOTTOM, BOOTSTRAP_STACK_TOP);
			kr = KERN_RESOURCE_SHORTAGE;
		}
	}
	kfree(buf, len);
	if (kr == KERN_SUCCESS)
		*sp = l.sp;
	return kr;
}
