// SPDX-License-Identifier: MIT
/*
 * Suite "vm": VM calls from user space on our own map and a child's:
 * allocate, protect (vm_region sees it), read, write, copy, each
 * inheritance across task_create(inherit_memory), and the FP/SIMD
 * registers across demand-zero faults.
 */
#include "utest.h"

#define PG	4096

static void utest_vm_allocate_protect(struct utest *t)
{
	vm_address_t a = 0, r = 0;
	vm_size_t size = 0;
	vm_prot_t prot = 0, max = 0;
	vm_inherit_t inh = 0;
	boolean_t shared = 0;
	vm_offset_t off = 0;
	mach_port_t name = MACH_PORT_NULL;
	unsigned int i;

	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &a, 4 * PG, TRUE), KERN_SUCCESS);
	for (i = 0; i < 4 * PG; i += 512)
		UT_EXPECT_EQ(t, ((volatile char *)a)[i], 0);
	memset((void *)a, 0x5a, 4 * PG);
	UT_EXPECT_EQ(t, vm_protect(mach_task_self(), a + PG, PG, FALSE, VM_PROT_READ), KERN_SUCCESS);
	r = a + PG;
	UT_EXPECT_EQ(t, vm_region(mach_task_self(), &r, &size, &prot, &max, &inh, &shared, &name,
				  &off), KERN_SUCCESS);
	UT_EXPECT_EQ(t, r, a + PG);
	UT_EXPECT_EQ(t, size, PG);
	UT_EXPECT_EQ(t, prot, VM_PROT_READ);
	if (name != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), name);
	UT_EXPECT_EQ(t, ((volatile char *)a)[PG + 5], 0x5a);
	/* More than the maximum protection is refused. */
	UT_EXPECT_EQ(t, vm_protect(mach_task_self(), a, PG, TRUE, VM_PROT_READ), KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_protect(mach_task_self(), a, PG, FALSE, VM_PROT_ALL),
		     KERN_PROTECTION_FAILURE);
	UT_EXPECT_EQ(t, vm_deallocate(mach_task_self(), a, 4 * PG), KERN_SUCCESS);
	r = a;
	UT_EXPECT(t, vm_region(mach_task_self(), &r, &size, &prot, &max, &inh, &shared, &name,
			       &off) != KERN_SUCCESS || r >= a + 4 * PG);
	if (name != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), name);
	/* Bad ranges. */
	UT_EXPECT(t, vm_protect(mach_task_self(), 0xffff800000000000UL, PG, FALSE, VM_PROT_READ) !=
		     KERN_SUCCESS);
}

static void utest_vm_read_write_copy(struct utest *t)
{
	vm_address_t a = 0, b = 0;
	pointer_t data = 0;
	mach_msg_type_number_t cnt = 0;

	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &a, 2 * PG, TRUE), KERN_SUCCESS);
	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &b, 2 * PG, TRUE), KERN_SUCCESS);
	memset((void *)a, 0x11, PG);
	memset((void *)(a + PG), 0x22, PG);
	UT_EXPECT_EQ(t, vm_read(mach_task_self(), a, 2 * PG, &data, &cnt), KERN_SUCCESS);
	UT_EXPECT_EQ(t, cnt, 2 * PG);
	if (data) {
		UT_EXPECT(t, !memcmp((void *)data, (void *)a, 2 * PG));
		/* A copy: writing the original leaves it as it was. */
		((volatile char *)a)[0] = 0x33;
		UT_EXPECT_EQ(t, ((volatile char *)data)[0], 0x11);
		UT_EXPECT_EQ(t, vm_write(mach_task_self(), b, data, cnt), KERN_SUCCESS);
		UT_EXPECT_EQ(t, ((volatile char *)b)[PG], 0x22);
		vm_deallocate(mach_task_self(), (vm_address_t)data, cnt);
	}
	UT_EXPECT_EQ(t, vm_copy(mach_task_self(), a, PG, b + PG), KERN_SUCCESS);
	UT_EXPECT_EQ(t, ((volatile char *)b)[PG], 0x33);
	UT_EXPECT_EQ(t, ((volatile char *)b)[PG + 1], 0x11);
	/*
	 * An unmapped range is KERN_INVALID_ADDRESS. (A fixed address such as
	 * 0x1000 is no good: vm_allocate anywhere may have put a or b there.)
	 */
	vm_address_t hole = 0;

	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &hole, PG, TRUE), KERN_SUCCESS);
	UT_ASSERT_EQ(t, vm_deallocate(mach_task_self(), hole, PG), KERN_SUCCESS);
	data = 0;
	UT_EXPECT_EQ(t, vm_read(mach_task_self(), hole, PG, &data, &cnt),
		     KERN_INVALID_ADDRESS);
	vm_deallocate(mach_task_self(), a, 2 * PG);
	vm_deallocate(mach_task_self(), b, 2 * PG);
}

/* VM_INHERIT_NONE, _COPY and _SHARE seen in a child, read with vm_read. */
static void utest_vm_inheritance(struct utest *t)
{
	vm_address_t a = 0;
	pointer_t data = 0;
	mach_msg_type_number_t cnt = 0;
	mach_port_t child = MACH_PORT_NULL;

	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &a, 3 * PG, TRUE), KERN_SUCCESS);
	memset((void *)a, 'n', PG);
	memset((void *)(a + PG), 'c', PG);
	memset((void *)(a + 2 * PG), 's', PG);
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), a, PG, VM_INHERIT_NONE), KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), a + PG, PG, VM_INHERIT_COPY), KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), a + 2 * PG, PG, VM_INHERIT_SHARE),
		     KERN_SUCCESS);
	UT_ASSERT_EQ(t, task_create(mach_task_self(), TRUE, &child), KERN_SUCCESS);
	((volatile char *)a)[PG] = 'C';		/* after the fork: not in the child's copy */
	((volatile char *)a)[2 * PG] = 'S';	/* shared: in the child too */

	UT_EXPECT(t, vm_read(child, a, PG, &data, &cnt) != KERN_SUCCESS);
	if (vm_read(child, a + PG, PG, &data, &cnt) == KERN_SUCCESS) {
		UT_EXPECT_EQ(t, ((char *)data)[0], 'c');
		vm_deallocate(mach_task_self(), (vm_address_t)data, cnt);
	} else {
		UT_EXPECT(t, !"vm_read of the copied page");
	}
	if (vm_read(child, a + 2 * PG, PG, &data, &cnt) == KERN_SUCCESS) {
		UT_EXPECT_EQ(t, ((char *)data)[0], 'S');
		UT_EXPECT_EQ(t, ((char *)data)[1], 's');
		vm_deallocate(mach_task_self(), (vm_address_t)data, cnt);
	} else {
		UT_EXPECT(t, !"vm_read of the shared page");
	}
	/* Written in the child (vm_write), seen here through the share. */
	UT_EXPECT_EQ(t, vm_write(child, a + 2 * PG + 8, (pointer_t)"shared!", 8), KERN_SUCCESS);
	UT_EXPECT(t, !memcmp((void *)(a + 2 * PG + 8), "shared!", 8));
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), child);
	vm_deallocate(mach_task_self(), a, 3 * PG);
}

/*
 * Demand-zero faults keep the FP/SIMD registers: x86_64 zeroes each new
 * page with SSE stores through a register of the user's, which it must put
 * back (arch/x86_64/kernel/zero_page.S). Every register gets a pattern,
 * then one assembly loop touches each page of a fresh range (more pages
 * than the kernel's pre-zeroed pool holds, so most faults zero their page
 * themselves) and stores the registers out: no compiled code in between
 * could use or spill them.
 */
#define UT_FP_PAGES	1024
#if defined(__x86_64__)
#define UT_FP_REGS	16
#define UT_FP_ASM							\
	".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"		\
	"movdqu \\i*16(%[in]), %%xmm\\i\n"				\
	".endr\n"							\
	"1: movb %b[one], (%[p])\n"						\
	"addq $4096, %[p]\n"						\
	"decq %[n]\n"							\
	"jnz 1b\n"							\
	".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"		\
	"movdqu %%xmm\\i, \\i*16(%[out])\n"				\
	".endr\n"
#define UT_FP_CLOBBERS	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",	\
			"xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",	\
			"xmm13", "xmm14", "xmm15"
#elif defined(__aarch64__)
#define UT_FP_REGS	32
#define UT_FP_ASM							\
	".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n" \
	"ldr q\\i, [%[in], #\\i*16]\n"					\
	".endr\n"							\
	"1: strb %w[one], [%[p]]\n"						\
	"add %[p], %[p], #4096\n"					\
	"subs %[n], %[n], #1\n"						\
	"b.ne 1b\n"							\
	".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n" \
	"str q\\i, [%[out], #\\i*16]\n"					\
	".endr\n"
#define UT_FP_CLOBBERS	"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",	\
			"v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17",	\
			"v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25",	\
			"v26", "v27", "v28", "v29", "v30", "v31", "cc"
#endif

static void utest_vm_fault_keeps_fp(struct utest *t)
{
	static unsigned char in[32 * 16], out[32 * 16];
	vm_address_t a = 0;
	unsigned long p, n = UT_FP_PAGES;
	unsigned int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 1);
	memset(out, 0, sizeof(out));
	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &a, UT_FP_PAGES * PG, TRUE), KERN_SUCCESS);
	p = a;
	__asm__ __volatile__(UT_FP_ASM
			     : [p] "+r"(p), [n] "+r"(n)
			     : [in] "r"(in), [out] "r"(out), [one] "r"(1UL)
			     : UT_FP_CLOBBERS, "memory");
	for (i = 0; i < UT_FP_REGS * 16; i++)
		if (out[i] != in[i])
			break;
	UT_EXPECT_EQ(t, i, UT_FP_REGS * 16);	/* the first byte of a register that changed */
	UT_EXPECT_EQ(t, ((volatile char *)a)[0], 1);
	UT_EXPECT_EQ(t, ((volatile char *)a)[(UT_FP_PAGES - 1) * PG + 1], 0);
	UT_EXPECT_EQ(t, vm_deallocate(mach_task_self(), a, UT_FP_PAGES * PG), KERN_SUCCESS);
}

static const struct utest_case utest_vm_cases[] = {
	UTEST_CASE(utest_vm_allocate_protect),
	UTEST_CASE(utest_vm_read_write_copy),
	UTEST_CASE(utest_vm_inheritance),
	UTEST_CASE(utest_vm_fault_keeps_fp),
	{}
};

const struct utest_suite utest_vm_suite = { "vm", utest_vm_cases, false };
