// SPDX-License-Identifier: MIT
/*
 * Suite "pager": we are the pager of a memory object (a port of ours,
 * served with libmach's memory_object server stubs); a child task maps it
 * with vm_map() and reads two pages, which the kernel asks us for with
 * memory_object_data_request and we supply with memory_object_data_supply.
 * When the child is gone the object is terminated and we drop its control.
 * With page locks: the pages come write-locked, the child's write makes
 * the kernel send memory_object_data_unlock, which we answer with a
 * memory_object_lock_request lowering the lock; the written page comes
 * back with memory_object_data_return at termination.
 */
#include <memory_objectServer.h>
#include "utest.h"

#define PG			4096
#define PAGER_CHILD_NAME	0x170b	/* our object port, in the child's space */
#define PAGER_DONE_ID		700
#define PAGER_WRITTEN		0x554e4c4f434b4544ULL	/* "UNLOCKED" */

static struct {
	mach_port_t	object;
	mach_port_t	control;
	unsigned int	inits, requests, terminates;
	bool		bad;		/* a request we did not expect */
	vm_prot_t	lock;		/* the lock_value of our supplies */
	unsigned int	unlocks, returns;
	memory_object_offset_t unlock_offset;
	vm_size_t	unlock_length;
	vm_prot_t	unlock_access;
	uint64_t	returned;	/* word 1 of the last page returned */
} pager;

static uint64_t pager_word(memory_object_offset_t offset)
{
	return 0x5041474500000000ULL | offset;	/* "PAGE" | offset */
}

kern_return_t memory_object_init(memory_object_t object, mach_port_t control,
				 mach_port_t name, vm_size_t page_size)
{
	pager.inits++;
	pager.bad |= object != pager.object || page_size != PG;
	pager.control = control;
	if (name != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), name);
	return memory_object_ready(control, FALSE, MEMORY_OBJECT_COPY_NONE);
}

kern_return_t memory_object_data_request(memory_object_t object, mach_port_t control,
					 memory_object_offset_t offset, vm_size_t length,
					 vm_prot_t access)
{
	vm_address_t buf = 0;
	uint64_t *page;
	unsigned int i;

	(void)access;
	pager.requests++;
	pager.bad |= object != pager.object || control != pager.control || length != PG;
	/* data_supply's data goes with the message (deallocated from our map). */
	if (vm_allocate(mach_task_self(), &buf, PG, TRUE) != KERN_SUCCESS)
		return memory_object_data_error(control, offset, length, KERN_RESOURCE_SHORTAGE);
	page = (uint64_t *)buf;
	for (i = 0; i < PG / 8; i++)
		page[i] = pager_word(offset) + i;
	return memory_object_data_supply(control, offset, (pointer_t)page, PG, pager.lock,
					 FALSE, MACH_PORT_NULL);
}

/* The control (and name) rights come with it, whatever they are: dropped. */
static void pager_drop(mach_port_t port)
{
	mach_port_type_t type;

	if (port == MACH_PORT_NULL || mach_port_type(mach_task_self(), port, &type))
		return;
	if (type & MACH_PORT_TYPE_RECEIVE)
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	if (type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DEAD_NAME))
		mach_port_destroy(mach_task_self(), port);
}

kern_return_t memory_object_terminate(memory_object_t object, mach_port_t control,
				      mach_port_t name)
{
	pager.terminates++;
	pager.bad |= object != pager.object;
	pager_drop(control);
	if (control != pager.control)
		pager_drop(pager.control);
	pager_drop(name);
	pager.control = MACH_PORT_NULL;
	return KERN_SUCCESS;
}

/* What this pager never gets (no copies; no locks, returns unless it locks): noted. */
kern_return_t memory_object_copy(memory_object_t old, mach_port_t control,
				 memory_object_offset_t offset, vm_size_t length, mach_port_t new_obj)
{
	(void)old; (void)control; (void)offset; (void)length; (void)new_obj;
	pager.bad = true;
	return KERN_FAILURE;
}

kern_return_t memory_object_data_unlock(memory_object_t object, mach_port_t control,
					memory_object_offset_t offset, vm_size_t length,
					vm_prot_t access)
{
	pager.unlocks++;
	pager.bad |= object != pager.object || control != pager.control || !pager.lock;
	pager.unlock_offset = offset;
	pager.unlock_length = length;
	pager.unlock_access = access;
	return memory_object_lock_request(control, offset, length, MEMORY_OBJECT_RETURN_NONE,
					  FALSE, VM_PROT_NONE, MACH_PORT_NULL);
}

kern_return_t memory_object_data_write(memory_object_t object, mach_port_t control,
				       memory_object_offset_t offset, pointer_t data,
				       mach_msg_type_number_t count)
{
	(void)object; (void)control; (void)offset;
	pager.bad = true;
	vm_deallocate(mach_task_self(), (vm_address_t)data, count);
	return KERN_FAILURE;
}

kern_return_t memory_object_lock_completed(mach_port_t reply_to, mach_msg_type_name_t poly,
					   mach_port_t control, memory_object_offset_t offset,
					   vm_size_t length)
{
	(void)reply_to; (void)poly; (void)control; (void)offset; (void)length;
	pager.bad = true;
	return KERN_FAILURE;
}

kern_return_t memory_object_supply_completed(mach_port_t reply_to, mach_msg_type_name_t poly,
					     mach_port_t control, memory_object_offset_t offset,
					     vm_size_t length, kern_return_t result,
					     memory_object_offset_t error_offset)
{
	(void)reply_to; (void)poly; (void)control; (void)offset; (void)length; (void)result;
	(void)error_offset;
	pager.bad = true;
	return KERN_FAILURE;
}

kern_return_t memory_object_data_return(memory_object_t object, mach_port_t control,
					memory_object_offset_t offset, pointer_t data,
					mach_msg_type_number_t count, boolean_t dirty,
					boolean_t kernel_copy)
{
	(void)control; (void)offset; (void)dirty; (void)kernel_copy;
	pager.returns++;
	pager.bad |= object != pager.object || !pager.lock || count != PG;
	if (count >= 2 * sizeof(uint64_t))
		pager.returned = ((uint64_t *)data)[1];
	vm_deallocate(mach_task_self(), (vm_address_t)data, count);
	return KERN_SUCCESS;
}

kern_return_t memory_object_change_completed(mach_port_t reply_to, mach_msg_type_name_t poly,
					     boolean_t may_cache,
					     memory_object_copy_strategy_t strategy)
{
	(void)reply_to; (void)poly; (void)may_cache; (void)strategy;
	pager.bad = true;
	return KERN_FAILURE;
}

/* In the child: read both pages, say what we saw. Traps only. */
static void pager_child(unsigned long addr)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	uint64_t sum = p[0];

	sum ^= p[PG / 8 + 5];
	utest_send(PAGER_CHILD_NAME, MACH_MSG_TYPE_COPY_SEND, PAGER_DONE_ID, sum, 2000);
	utest_child_park();
}

/* In the child: read page 0, write its word 1 (a write-locked page). */
static void pager_child_write(unsigned long addr)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	uint64_t sum = p[0];

	p[1] = PAGER_WRITTEN;
	sum ^= p[1];
	utest_send(PAGER_CHILD_NAME, MACH_MSG_TYPE_COPY_SEND, PAGER_DONE_ID, sum, 2000);
	utest_child_park();
}

/*
 * Serve the object until a message with id `until` comes (its word in
 * *word), or until `terminates` terminations were seen; false on a timeout.
 */
static bool pager_serve(mach_msg_id_t until, uint64_t *word, unsigned int terminates)
{
	union {
		mach_msg_header_t	head;
		uint8_t			buf[8192];
	} in, out;
	mach_msg_return_t mr;

	for (;;) {
		if (until == 0 && pager.terminates >= terminates)
			return true;
		mr = mach_msg_trap(&in.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in),
				   pager.object, 3000, 0);
		if (mr != MACH_MSG_SUCCESS)
			return false;
		if (until && in.head.msgh_id == until) {
			*word = ((struct utest_msg *)&in.head)->word;
			return true;
		}
		if (in.head.msgh_id == 2400) {
			/* The child's exception: its fault was not resolved. */
			integer_t *code = (integer_t *)(in.buf + sizeof(mach_msg_header_t) + 4 + 24);

			utest_ktap(2, "# pager: the child faulted: exception %d, code %#x, %#x "
				   "(%u requests)", code[-2], code[0], code[1], pager.requests);
			return false;
		}
		if (!memory_object_server(&in.head, &out.head))
			pager.bad = true;
	}
}

/*
 * A child that maps our object (2 pages, prot) and runs fn on it, which
 * says what it saw (*word); false if there is no child.
 */
static bool pager_child_run(struct utest *t, void (*fn)(unsigned long), vm_prot_t prot,
			    mach_port_t *child, mach_port_t *th, uint64_t *word)
{
	vm_address_t addr = 0, stack;

	pager.object = utest_port();
	UT_EXPECT(t, pager.object != MACH_PORT_NULL);
	if (pager.object == MACH_PORT_NULL)
		return false;
	UT_EXPECT_EQ(t, task_create(mach_task_self(), TRUE, child), KERN_SUCCESS);
	if (*child == MACH_PORT_NULL)
		return false;
	UT_EXPECT_EQ(t, task_set_special_port(*child, TASK_EXCEPTION_PORT, pager.object),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_right(*child, PAGER_CHILD_NAME, pager.object,
					       MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_map(*child, &addr, 2 * PG, 0, TRUE, pager.object, 0, FALSE,
			       prot, prot, VM_INHERIT_NONE), KERN_SUCCESS);
	UT_EXPECT(t, addr != 0);
	UT_EXPECT_EQ(t, utest_thread_start(*child, fn, addr, th, &stack), KERN_SUCCESS);
	UT_EXPECT(t, pager_serve(PAGER_DONE_ID, word, 0));
	return true;
}

/* The child's map held the only mapping: the object ends with it. */
static void pager_child_end(struct utest *t, mach_port_t child, mach_port_t th)
{
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	UT_EXPECT(t, pager_serve(0, NULL, 1));
	UT_EXPECT_EQ(t, pager.terminates, 1);
	UT_EXPECT(t, !pager.bad);
	mach_port_deallocate(mach_task_self(), th);
	mach_port_deallocate(mach_task_self(), child);
	if (pager.control != MACH_PORT_NULL)
		pager_drop(pager.control);
	utest_port_destroy(pager.object);
}

static void utest_pager_vm_map(struct utest *t)
{
	mach_port_t child = MACH_PORT_NULL, th = MACH_PORT_NULL;
	uint64_t word = 0;

	memset(&pager, 0, sizeof(pager));
	UT_ASSERT(t, pager_child_run(t, pager_child, VM_PROT_READ, &child, &th, &word));
	UT_EXPECT_EQ(t, word, pager_word(0) ^ (pager_word(PG) + 5));
	UT_EXPECT_EQ(t, pager.inits, 1);
	UT_EXPECT_EQ(t, pager.requests, 2);
	pager_child_end(t, child, th);
}

/*
 * Page locks: page 0 comes write-locked; the child's write makes the
 * kernel send data_unlock (offset 0, one page, write), our lock_request
 * lowers the lock, the write is done, and the page comes back with it.
 */
static void utest_pager_unlock(struct utest *t)
{
	mach_port_t child = MACH_PORT_NULL, th = MACH_PORT_NULL;
	uint64_t word = 0;

	memset(&pager, 0, sizeof(pager));
	pager.lock = VM_PROT_WRITE;
	UT_ASSERT(t, pager_child_run(t, pager_child_write, VM_PROT_READ | VM_PROT_WRITE, &child,
				     &th, &word));
	UT_EXPECT_EQ(t, word, pager_word(0) ^ PAGER_WRITTEN);
	UT_EXPECT_EQ(t, pager.requests, 1);
	UT_EXPECT_EQ(t, pager.unlocks, 1);
	UT_EXPECT_EQ(t, pager.unlock_offset, 0);
	UT_EXPECT_EQ(t, pager.unlock_length, PG);
	UT_EXPECT_EQ(t, pager.unlock_access, VM_PROT_WRITE);
	pager_child_end(t, child, th);
	UT_EXPECT_EQ(t, pager.returns, 1);
	UT_EXPECT_EQ(t, pager.returned, PAGER_WRITTEN);
}

static const struct utest_case utest_pager_cases[] = {
	UTEST_CASE(utest_pager_vm_map),
	UTEST_CASE(utest_pager_unlock),
	{}
};

/*
 * On request only: the kernel's case ktest_user_pager runs it alone, so
 * that its count check sees what serving one object left behind (a port
 * per object once: vm_map() kept the memory object's send right).
 */
const struct utest_suite utest_pager_suite = { "pager", utest_pager_cases, true };
