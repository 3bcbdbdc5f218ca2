// SPDX-License-Identifier: MIT
/*
 * Suite "vm": VM calls from user space on our own map and a child's:
 * allocate, protect (vm_region sees it), read, write, copy, and each
 * inheritance across task_create(inherit_memory).
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

static const struct utest_case utest_vm_cases[] = {
	UTEST_CASE(utest_vm_allocate_protect),
	UTEST_CASE(utest_vm_read_write_copy),
	UTEST_CASE(utest_vm_inheritance),
	{}
};

const struct utest_suite utest_vm_suite = { "vm", utest_vm_cases, false };
