// SPDX-License-Identifier: MIT
/*
 * Starting a program in a new task from user space: the file from the
 * bootstrap's copy of the RAM disk (programs.S, a cpio "newc" archive),
 * its static ELF64 image loaded into a fresh task with vm_allocate,
 * vm_write and vm_protect, the start block of <mach/bootstrap_abi.h> on a
 * stack below BOOTSTRAP_STACK_TOP, then one thread at the entry point
 * (thread_create, thread_set_state, thread_resume). The new task gets one
 * of the name server's ports as its TASK_BOOTSTRAP_PORT: a privileged one
 * (servers.c) the privileged port, keeping the registered ports the
 * kernel's task_create() copied from ours; any other the plain port, and
 * registered ports of its own (exec_unprivileged_ports()).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mach/bootstrap_abi.h>
#include <mach/thread_status.h>
#include "bootstrap.h"

extern const char programs_cpio[], programs_cpio_end[];

static unsigned long hex8(const char *p)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return ~0UL;
	}
	return v;
}

#define CPIO_HDR	110
#define ALIGN4(x)	(((x) + 3UL) & ~3UL)

static const char *skip_root(const char *path)
{
	while (*path == '/' || (path[0] == '.' && path[1] == '/'))
		path += *path == '/' ? 1 : 2;
	return path;
}

/* Find path in the archive; its bytes and size, or false. */
bool ramdisk_file(const char *path, const void **data, size_t *size)
{
	const char *p = programs_cpio, *end = programs_cpio_end;
	unsigned long namesize, filesize;
	const char *name;

	path = skip_root(path);
	while (p + CPIO_HDR <= end && !memcmp(p, "070701", 6)) {
		namesize = hex8(p + 94);
		filesize = hex8(p + 54);
		name = p + CPIO_HDR;
		if (namesize == ~0UL || filesize == ~0UL ||
		    (size_t)(end - name) < namesize)
			return false;
		if (!strcmp(name, "TRAILER!!!"))
			return false;
		p = programs_cpio + ALIGN4(name + namesize - programs_cpio);
		if ((size_t)(end - p) < filesize)
			return false;
		if (!strcmp(skip_root(name), path)) {
			*data = p;
			*size = filesize;
			return true;
		}
		p = programs_cpio + ALIGN4(p + filesize - programs_cpio);
	}
	return false;
}

/* The ELF64 structures the loader reads. */
struct elf64_ehdr {
	unsigned char	e_ident[16];
	uint16_t	e_type, e_machine;
	uint32_t	e_version;
	uint64_t	e_entry, e_phoff, e_shoff;
	uint32_t	e_flags;
	uint16_t	e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t	p_type, p_flags;
	uint64_t	p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4
#ifdef __x86_64__
#define EM_HOST		62
#else
#define EM_HOST		183
#endif

static vm_address_t trunc_page(vm_address_t a)
{
	return a & ~(vm_page_size - 1);
}

static vm_address_t round_page(vm_address_t a)
{
	return (a + vm_page_size - 1) & ~(vm_page_size - 1);
}

/*
 * Copy len bytes at the child's address addr (its pages allocated) from
 * a page-aligned buffer of ours: vm_write wants whole pages.
 */
static kern_return_t child_write(task_t child, vm_address_t addr, const void *src,
				 size_t len, size_t lead)
{
	vm_address_t buf = 0;
	vm_size_t size = round_page(lead + len);
	kern_return_t kr;

	kr = vm_allocate(mach_task_self(), &buf, size, TRUE);
	if (kr != KERN_SUCCESS)
		return kr;
	memcpy((char *)buf + lead, src, len);
	kr = vm_write(child, addr, (pointer_t)buf, size);
	vm_deallocate(mach_task_self(), buf, size);
	return kr;
}

static vm_prot_t elf_prot(uint32_t flags)
{
	return (flags & PF_R ? VM_PROT_READ : 0) | (flags & PF_W ? VM_PROT_WRITE : 0) |
	       (flags & PF_X ? VM_PROT_EXECUTE : 0);
}

static kern_return_t load_segments(task_t child, const char *image, size_t size,
				   const struct elf64_ehdr *eh)
{
	const struct elf64_phdr *ph;
	vm_address_t start, end;
	kern_return_t kr;
	int i;

	if (eh->e_phoff > size || eh->e_phnum > 32 ||
	    eh->e_phnum * sizeof(*ph) > size - eh->e_phoff)
		return KERN_INVALID_ARGUMENT;
	for (i = 0; i < eh->e_phnum; i++) {
		ph = (const void *)(image + eh->e_phoff + i * sizeof(*ph));
		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
		    ph->p_filesz > size - ph->p_offset ||
		    ph->p_vaddr + ph->p_memsz > BOOTSTRAP_STACK_BOTTOM)
			return KERN_INVALID_ARGUMENT;
		start = trunc_page(ph->p_vaddr);
		end = round_page(ph->p_vaddr + ph->p_memsz);
		kr = vm_allocate(child, &start, end - start, FALSE);
		if (kr == KERN_SUCCESS && ph->p_filesz)
			kr = child_write(child, start, image + ph->p_offset, ph->p_filesz,
					 ph->p_vaddr - start);
		if (kr == KERN_SUCCESS)
			kr = vm_protect(child, start, end - start, FALSE, elf_prot(ph->p_flags));
		if (kr != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

/*
 * The start block at the top of the child's stack: argc, argv, an empty
 * envp, the strings. args is split at blanks after argv[0] = path.
 */
static kern_return_t build_stack(task_t child, const char *path, const char *args,
				 vm_address_t *sp_out)
{
	char strings[NS_ARGS_MAX + NS_NAME_MAX + 8];
	uint64_t words[BOOTSTRAP_ARGS_MAX + 4];
	vm_address_t base = BOOTSTRAP_STACK_BOTTOM, top = BOOTSTRAP_STACK_TOP;
	size_t slen = 0, argc = 0, block, n;
	char page[8192];
	vm_address_t str_at, sp;
	kern_return_t kr;

	kr = vm_allocate(child, &base, BOOTSTRAP_STACK_SIZE, FALSE);
	if (kr != KERN_SUCCESS)
		return kr;
	/* Strings first, at their final offsets from str_at. */
	n = strlen(path) + 1;
	memcpy(strings, path, n);
	words[1 + argc++] = slen;
	slen += n;
	while (*args && argc < BOOTSTRAP_ARGS_MAX) {
		while (*args == ' ')
			args++;
		if (!*args)
			break;
		words[1 + argc++] = slen;
		while (*args && *args != ' ' && slen < sizeof(strings) - 1)
			strings[slen++] = *args++;
		strings[slen++] = '\0';
	}
	block = (1 + argc + 2) * sizeof(uint64_t);
	sp = (top - slen - block) & ~(vm_address_t)(BOOTSTRAP_STACK_ALIGN - 1);
	str_at = sp + block;
	words[0] = argc;
	for (n = 0; n < argc; n++)
		words[1 + n] += str_at;
	words[1 + argc] = 0;	/* argv's NULL */
	words[2 + argc] = 0;	/* envp's NULL */
	if (top - sp > sizeof(page))
		return KERN_INVALID_ARGUMENT;
	memset(page, 0, sizeof(page));
	memcpy(page + sizeof(page) - (top - sp), words, block);
	memcpy(page + sizeof(page) - (top - str_at), strings, slen);
	kr = child_write(child, top - sizeof(page), page, sizeof(page), 0);
	*sp_out = sp;
	return kr;
}

static kern_return_t start_thread(task_t child, vm_address_t pc, vm_address_t sp)
{
	thread_t thread;
	kern_return_t kr;
#ifdef __x86_64__
	x86_thread_state64_t st;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

	memset(&st, 0, sizeof(st));
	st.rip = pc;
	st.rsp = sp;
	st.rdi = sp;
#else
	arm_thread_state64_t st;
	mach_msg_type_number_t count = ARM_THREAD_STATE64_COUNT;

	memset(&st, 0, sizeof(st));
	st.pc = pc;
	st.sp = sp;
	st.x[0] = sp;
#endif
	kr = thread_create(child, &thread);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_set_state(thread, MACHINE_THREAD_STATE, (thread_state_t)&st, count);
	if (kr == KERN_SUCCESS)
		kr = thread_resume(thread);
	mach_port_deallocate(mach_task_self(), thread);
	return kr;
}

/*
 * An unprivileged task's registered ports: no privileged host port, and
 * the console server (which serves device_open("console")) in the device
 * master's slot, so that the C library's console finds it there. The
 * kernel's task_create() gave it ours.
 */
static kern_return_t exec_unprivileged_ports(task_t child)
{
	mach_port_t ports[BOOTSTRAP_SLOT_DEVICE_MASTER + 1];

	ports[BOOTSTRAP_SLOT_HOST_PRIV] = MACH_PORT_NULL;
	ports[BOOTSTRAP_SLOT_DEVICE_MASTER] = ns_port_of(NS_NAME_CONSOLE);
	return mach_ports_register(child, ports, BOOTSTRAP_SLOT_DEVICE_MASTER + 1);
}

kern_return_t bootstrap_exec(const char *path, const char *args, bool privileged,
			     task_t *task_out)
{
	mach_port_t ns_port = ns_bootstrap_port(privileged);
	const struct elf64_ehdr *eh;
	const void *image;
	vm_address_t sp;
	size_t size;
	task_t child;
	kern_return_t kr;

	if (!ramdisk_file(path, &image, &size))
		return KERN_INVALID_NAME;
	eh = image;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF\2\1\1", 7) ||
	    eh->e_type != 2 || eh->e_machine != EM_HOST)
		return KERN_INVALID_ARGUMENT;
	kr = task_create(mach_task_self(), FALSE, &child);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = privileged ? KERN_SUCCESS : exec_unprivileged_ports(child);
	if (kr == KERN_SUCCESS)
		kr = load_segments(child, image, size, eh);
	if (kr == KERN_SUCCESS)
		kr = build_stack(child, path, args, &sp);
	if (kr == KERN_SUCCESS && ns_port != MACH_PORT_NULL)
		kr = task_set_special_port(child, TASK_BOOTSTRAP_PORT, ns_port);
	if (kr == KERN_SUCCESS)
		kr = start_thread(child, eh->e_entry, sp);
	if (kr != KERN_SUCCESS) {
		task_terminate(child);
		mach_port_deallocate(mach_task_self(), child);
		return kr;
	}
	*task_out = child;
	return KERN_SUCCESS;
}
