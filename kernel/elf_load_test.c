// SPDX-License-Identifier: MIT
/*
 * The elf_load suite: small static ELF64 images built here (a text and a
 * data+bss segment) loaded into fresh task maps and read back; every
 * header field the loader checks broken in turn (KERN_INVALID_ARGUMENT,
 * the map untouched); every truncation refused; the start block of
 * <mach/bootstrap_abi.h> and the bootstrap's argv. Tasks, map entries,
 * objects, pages and IPC counts back at their baseline (task_test_util.h).
 */
#include <kern/bootstrap.h>
#include <kern/copyio.h>
#include <kern/elf.h>
#include <mach/bootstrap_abi.h>
#include <ktest.h>

#include "task_test_util.h"

#define ET_TEXT_VA	0x401000UL
#define ET_DATA_VA	0x402000UL
#define ET_TEXT_OFF	0x1000UL
#define ET_DATA_OFF	0x2000UL
#define ET_TEXT_LEN	16
#define ET_DATA_LEN	8
#define ET_BSS_END	0x1800UL	/* data memsz: into a second page */
#define ET_SIZE		(ET_DATA_OFF + ET_DATA_LEN)

static unsigned char et_image[ET_DATA_OFF + PAGE_SIZE] __aligned(8);
static const unsigned char et_text[ET_TEXT_LEN] = "text-segment-01";
static const unsigned char et_data[ET_DATA_LEN] = "data-01";

static Elf64_Ehdr *et_ehdr(void)
{
	return (Elf64_Ehdr *)et_image;
}

static Elf64_Phdr *et_phdr(unsigned int i)
{
	return (Elf64_Phdr *)(et_image + sizeof(Elf64_Ehdr)) + i;
}

/* The good image: ehdr, 3 phdrs (a PT_NOTE the loader skips), text, data. */
static void et_build(void)
{
	Elf64_Ehdr *eh = et_ehdr();
	Elf64_Phdr *ph;

	memset(et_image, 0, sizeof(et_image));
	memcpy(eh->e_ident, "\177ELF", 4);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = ELF_MACHINE_NATIVE;
	eh->e_version = EV_CURRENT;
	eh->e_entry = ET_TEXT_VA + 4;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 3;

	ph = et_phdr(0);
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_X;
	ph->p_offset = ET_TEXT_OFF;
	ph->p_vaddr = ph->p_paddr = ET_TEXT_VA;
	ph->p_filesz = ph->p_memsz = ET_TEXT_LEN;
	ph->p_align = PAGE_SIZE;
	ph = et_phdr(1);
	ph->p_type = 4;			/* PT_NOTE */
	ph->p_offset = ET_TEXT_OFF;
	ph->p_filesz = 4;
	ph = et_phdr(2);
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_W;
	ph->p_offset = ET_DATA_OFF;
	ph->p_vaddr = ph->p_paddr = ET_DATA_VA;
	ph->p_filesz = ET_DATA_LEN;
	ph->p_memsz = ET_BSS_END;
	ph->p_align = PAGE_SIZE;
	memcpy(et_image + ET_TEXT_OFF, et_text, ET_TEXT_LEN);
	memcpy(et_image + ET_DATA_OFF, et_data, ET_DATA_LEN);
	/* The rest of the data page holds garbage that must not show as bss. */
	memset(et_image + ET_DATA_OFF + ET_DATA_LEN, 0xa5, PAGE_SIZE - ET_DATA_LEN);
}

static kern_return_t et_read(vm_map_t map, vm_offset_t va, void *buf, vm_size_t n)
{
	vm_map_t old = vm_map_switch(map);
	kern_return_t kr = copyin((const void __user *)va, buf, n);

	vm_map_switch(old);
	return kr;
}

/* The protection of the entry at *a or the first above it. */
static kern_return_t et_region(vm_map_t map, vm_offset_t *a, vm_prot_t *prot)
{
	vm_prot_t max;
	vm_inherit_t inh;
	vm_size_t size;
	bool shared;

	return vm_map_region(map, a, &size, prot, &max, &inh, &shared, NULL, NULL);
}

/* Nothing mapped at all. */
static bool et_map_empty(vm_map_t map)
{
	vm_offset_t a = map->min_offset;
	vm_prot_t prot;

	return et_region(map, &a, &prot) == KERN_NO_SPACE;
}

static vm_prot_t et_prot_at(vm_map_t map, vm_offset_t va)
{
	vm_offset_t a = va;
	vm_prot_t prot = -1;

	if (et_region(map, &a, &prot) != KERN_SUCCESS || a > va)
		return -1;
	return prot;
}

static void elf_load_test_good(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	unsigned char buf[PAGE_SIZE];
	struct elf_image img;
	unsigned int i, nonzero = 0;

	et_build();
	KTEST_ASSERT_EQ(t, elf_load(task->map, et_image, ET_SIZE, &img), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, img.entry, ET_TEXT_VA + 4);
	KTEST_EXPECT_EQ(t, img.nr_segments, 2u);
	KTEST_EXPECT_EQ(t, img.start, ET_TEXT_VA);
	KTEST_EXPECT_EQ(t, img.end, ET_DATA_VA + 2 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, et_prot_at(task->map, ET_TEXT_VA), VM_PROT_READ | VM_PROT_EXECUTE);
	KTEST_EXPECT_EQ(t, et_prot_at(task->map, ET_DATA_VA), VM_PROT_READ | VM_PROT_WRITE);
	KTEST_EXPECT_EQ(t, et_prot_at(task->map, ET_DATA_VA + PAGE_SIZE),
			VM_PROT_READ | VM_PROT_WRITE);
	KTEST_EXPECT_EQ(t, et_prot_at(task->map, ET_TEXT_VA - PAGE_SIZE), (vm_prot_t)-1);

	KTEST_ASSERT_EQ(t, et_read(task->map, ET_TEXT_VA, buf, PAGE_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_MEMEQ(t, buf, et_text, ET_TEXT_LEN);
	for (i = ET_TEXT_LEN; i < PAGE_SIZE; i++)
		nonzero += buf[i] != 0;
	KTEST_ASSERT_EQ(t, et_read(task->map, ET_DATA_VA, buf, PAGE_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_MEMEQ(t, buf, et_data, ET_DATA_LEN);
	for (i = ET_DATA_LEN; i < PAGE_SIZE; i++)
		nonzero += buf[i] != 0;
	KTEST_ASSERT_EQ(t, et_read(task->map, ET_DATA_VA + PAGE_SIZE, buf, PAGE_SIZE),
			KERN_SUCCESS);
	for (i = 0; i < PAGE_SIZE; i++)
		nonzero += buf[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0u);	/* bss and the pages' tails are zero */

	/* The same image again on top: the range is taken. */
	KTEST_EXPECT_EQ(t, elf_load(task->map, et_image, ET_SIZE, &img), KERN_NO_SPACE);
	KTEST_EXPECT_EQ(t, et_prot_at(task->map, ET_TEXT_VA), VM_PROT_READ | VM_PROT_EXECUTE);
	tt_task_done(t, task);
}

/* One broken field per case. */
struct et_bad {
	const char	*name;
	void		(*apply)(void);
};

#define ET_BAD(n, body)	static void et_bad_##n(void) { body; }
ET_BAD(magic, et_ehdr()->e_ident[1] = 'e')
ET_BAD(class32, et_ehdr()->e_ident[EI_CLASS] = 1)
ET_BAD(big_endian, et_ehdr()->e_ident[EI_DATA] = 2)
ET_BAD(ident_version, et_ehdr()->e_ident[EI_VERSION] = 0)
ET_BAD(version, et_ehdr()->e_version = 2)
ET_BAD(machine, et_ehdr()->e_machine = ELF_MACHINE_NATIVE == EM_X86_64 ? EM_AARCH64 : EM_X86_64)
ET_BAD(type_dyn, et_ehdr()->e_type = ET_DYN)
ET_BAD(ehsize, et_ehdr()->e_ehsize = 32)
ET_BAD(phentsize, et_ehdr()->e_phentsize = 32)
ET_BAD(phnum_zero, et_ehdr()->e_phnum = 0)
ET_BAD(phnum_huge, et_ehdr()->e_phnum = 0xffff)
ET_BAD(phoff_outside, et_ehdr()->e_phoff = ET_SIZE - 8)
ET_BAD(phoff_wraps, et_ehdr()->e_phoff = ~0ULL - 8)
ET_BAD(seg_past_file, et_phdr(2)->p_filesz = et_phdr(2)->p_memsz = PAGE_SIZE * 4)
ET_BAD(seg_offset_wraps, et_phdr(2)->p_offset = ~0ULL - 3)
ET_BAD(filesz_over_memsz, et_phdr(0)->p_memsz = ET_TEXT_LEN - 1)
ET_BAD(memsz_zero, et_phdr(0)->p_filesz = et_phdr(0)->p_memsz = 0)
ET_BAD(overlap, et_phdr(2)->p_vaddr = ET_TEXT_VA)
ET_BAD(same_page, et_phdr(2)->p_vaddr = ET_TEXT_VA + 0x800;
	   et_phdr(2)->p_offset = ET_DATA_OFF + 0x800)
ET_BAD(not_congruent, et_phdr(2)->p_vaddr = ET_DATA_VA + 8)
ET_BAD(page_zero, et_phdr(0)->p_vaddr = 0; et_phdr(0)->p_offset = 0;
	   et_ehdr()->e_entry = 4)
ET_BAD(kernel_range, et_phdr(2)->p_vaddr = 0xffff800000002000UL)
ET_BAD(above_user, et_phdr(2)->p_vaddr = VM_MAX_USER_ADDRESS)
ET_BAD(in_stack, et_phdr(2)->p_vaddr = BOOTSTRAP_STACK_BOTTOM)
ET_BAD(vaddr_wraps, et_phdr(2)->p_vaddr = ~0ULL & ~(uint64_t)(PAGE_SIZE - 1))
ET_BAD(entry_in_data, et_ehdr()->e_entry = ET_DATA_VA)
ET_BAD(entry_outside, et_ehdr()->e_entry = ET_TEXT_VA + PAGE_SIZE)
ET_BAD(no_load, et_phdr(0)->p_type = 4; et_phdr(2)->p_type = 4)
ET_BAD(interp, et_phdr(1)->p_type = PT_INTERP)
ET_BAD(dynamic, et_phdr(1)->p_type = PT_DYNAMIC)

static const struct et_bad et_bad_cases[] = {
#define E(n)	{ #n, et_bad_##n }
	E(magic), E(class32), E(big_endian), E(ident_version), E(version), E(machine),
	E(type_dyn), E(ehsize), E(phentsize), E(phnum_zero), E(phnum_huge),
	E(phoff_outside), E(phoff_wraps), E(seg_past_file), E(seg_offset_wraps),
	E(filesz_over_memsz), E(memsz_zero), E(overlap), E(same_page), E(not_congruent),
	E(page_zero), E(kernel_range), E(above_user), E(in_stack), E(vaddr_wraps),
	E(entry_in_data), E(entry_outside), E(no_load), E(interp), E(dynamic),
#undef E
};

static void et_bad_desc(const struct et_bad *b, char *desc)
{
	strlcpy(desc, b->name, KTEST_PARAM_DESC_SIZE);
}
KTEST_ARRAY_PARAM(et_bad, et_bad_cases, et_bad_desc);

static void elf_load_test_bad(struct ktest *t)
{
	const struct et_bad *b = t->param_value;
	task_t task = tt_task(t, NULL, false);
	struct elf_image img;

	et_build();
	b->apply();
	KTEST_EXPECT_EQ(t, elf_check(task->map, et_image, ET_SIZE), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, elf_load(task->map, et_image, ET_SIZE, &img), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_TRUE(t, et_map_empty(task->map));
	tt_task_done(t, task);
}

/* Every cut short of the last data byte is refused; the whole file loads. */
static void elf_load_test_truncated(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	unsigned int bad = 0;
	size_t cut;

	et_build();
	for (cut = 0; cut < ET_SIZE; cut++)
		bad += elf_check(task->map, et_image, cut) != KERN_INVALID_ARGUMENT;
	KTEST_EXPECT_EQ(t, bad, 0u);
	KTEST_EXPECT_EQ(t, elf_check(task->map, et_image, ET_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, elf_check(task->map, NULL, ET_SIZE), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, elf_check(NULL, et_image, ET_SIZE), KERN_INVALID_ARGUMENT);
	/* An image at an odd address (a RAM disk member is 4-byte aligned). */
	memmove(et_image + 3, et_image, ET_SIZE);
	KTEST_EXPECT_EQ(t, elf_check(task->map, et_image + 3, ET_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, et_map_empty(task->map));
	tt_task_done(t, task);
}

/* The start block: argc, argv, NULL, envp, NULL, strings; sp 16-aligned. */
static void elf_load_test_start_block(struct ktest *t)
{
	static const char *const argv[] = { "/sbin/bootstrap", "a", "bc" };
	static const char *const envp[] = { "X=1" };
	static const char *many[BOOTSTRAP_ARGS_MAX + 1];
	static char big[BOOTSTRAP_STRINGS_MAX + 2];
	task_t task = tt_task(t, NULL, false);
	unsigned long w[7];
	char s[20];
	vm_offset_t sp = 0;
	unsigned int i;

	KTEST_ASSERT_EQ(t, elf_load_start_block(task->map, argv, 3, envp, 1, &sp), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sp % BOOTSTRAP_STACK_ALIGN, 0ul);
	KTEST_EXPECT_LT(t, sp, BOOTSTRAP_STACK_TOP);
	KTEST_EXPECT_GT(t, sp, BOOTSTRAP_STACK_TOP - PAGE_SIZE);
	KTEST_EXPECT_EQ(t, et_prot_at(task->map, BOOTSTRAP_STACK_BOTTOM),
			VM_PROT_READ | VM_PROT_WRITE);
	KTEST_ASSERT_EQ(t, et_read(task->map, sp, w, sizeof(w)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, w[0], 3ul);
	KTEST_EXPECT_EQ(t, w[4], 0ul);
	KTEST_EXPECT_EQ(t, w[6], 0ul);
	for (i = 0; i < 4; i++) {
		unsigned long p = w[i < 3 ? 1 + i : 5];
		const char *want = i < 3 ? argv[i] : envp[0];

		KTEST_EXPECT_GT(t, p, sp + sizeof(w) - 1);
		KTEST_EXPECT_LT(t, p, BOOTSTRAP_STACK_TOP);
		memset(s, 0, sizeof(s));
		KTEST_ASSERT_EQ(t, et_read(task->map, p, s, strlen(want) + 1), KERN_SUCCESS);
		KTEST_EXPECT_STREQ(t, s, want);
	}
	/* The stack is there already; then the limits. */
	KTEST_EXPECT_EQ(t, elf_load_start_block(task->map, argv, 1, NULL, 0, &sp), KERN_NO_SPACE);
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = "x";
	KTEST_EXPECT_EQ(t, elf_load_start_block(task->map, many, ARRAY_SIZE(many), NULL, 0, &sp),
			KERN_INVALID_ARGUMENT);
	memset(big, 'b', sizeof(big) - 1);
	many[0] = big;
	KTEST_EXPECT_EQ(t, elf_load_start_block(task->map, many, 1, NULL, 0, &sp),
			KERN_INVALID_ARGUMENT);
	many[0] = NULL;
	KTEST_EXPECT_EQ(t, elf_load_start_block(task->map, many, 1, NULL, 0, &sp),
			KERN_INVALID_ARGUMENT);
	tt_task_done(t, task);
}

/* No arguments at all: argc 0, then two NULLs. */
static void elf_load_test_start_block_empty(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	unsigned long w[3] = { 1, 1, 1 };
	vm_offset_t sp = 0;

	KTEST_ASSERT_EQ(t, elf_load_start_block(task->map, NULL, 0, NULL, 0, &sp), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sp % BOOTSTRAP_STACK_ALIGN, 0ul);
	KTEST_ASSERT_EQ(t, et_read(task->map, sp, w, sizeof(w)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, w[0], 0ul);
	KTEST_EXPECT_EQ(t, w[1], 0ul);
	KTEST_EXPECT_EQ(t, w[2], 0ul);
	tt_task_done(t, task);
}

/* argv of the bootstrap: the path, then what follows a standalone "--". */
static void elf_load_test_bootstrap_args(struct ktest *t)
{
	const char *argv[4];
	char buf[32];

	KTEST_ASSERT_EQ(t, bootstrap_args("quiet init=/x -- one  two\tthree", "/x", argv, 4,
					  buf, sizeof(buf)), 4u);
	KTEST_EXPECT_STREQ(t, argv[0], "/x");
	KTEST_EXPECT_STREQ(t, argv[1], "one");
	KTEST_EXPECT_STREQ(t, argv[2], "two");
	KTEST_EXPECT_STREQ(t, argv[3], "three");
	KTEST_EXPECT_EQ(t, bootstrap_args("a b --c d", "/p", argv, 4, buf, sizeof(buf)), 1u);
	KTEST_EXPECT_EQ(t, bootstrap_args("", "/p", argv, 4, buf, sizeof(buf)), 1u);
	KTEST_EXPECT_EQ(t, bootstrap_args(NULL, "/p", argv, 4, buf, sizeof(buf)), 1u);
	/* Too many words, too long for buf: dropped, never overflowing. */
	KTEST_EXPECT_EQ(t, bootstrap_args("-- 1 2 3 4 5 6", "/p", argv, 4, buf, sizeof(buf)), 4u);
	KTEST_EXPECT_STREQ(t, argv[3], "3");
	KTEST_EXPECT_EQ(t, bootstrap_args("-- 0123456789012345678901234567890123 z", "/p", argv, 4,
					  buf, sizeof(buf)), 2u);
	KTEST_EXPECT_STREQ(t, argv[1], "z");
	KTEST_EXPECT_EQ(t, bootstrap_args("-- a", "/p", argv, 0, buf, sizeof(buf)), 0u);
}

static struct ktest_case elf_load_test_cases[] = {
	KTEST_CASE(elf_load_test_good),
	KTEST_CASE_PARAM(elf_load_test_bad, et_bad_gen_params),
	KTEST_CASE(elf_load_test_truncated),
	KTEST_CASE(elf_load_test_start_block),
	KTEST_CASE(elf_load_test_start_block_empty),
	KTEST_CASE(elf_load_test_bootstrap_args),
	{}
};

static struct ktest_suite elf_load_test_suite = {
	.name = "elf_load",
	.init = tt_init,
	.exit = tt_exit,
	.test_cases = elf_load_test_cases,
};
KTEST_SUITE(elf_load_test_suite);
