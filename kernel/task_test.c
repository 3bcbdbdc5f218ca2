// SPDX-License-Identifier: MIT
/*
 * ktest suite "task": tasks (kernel/task.c) and their ports
 * (kernel/ipc_tt.c). Tasks are made with and without inherited memory
 * (the child's copy is copy-on-write: read and written through
 * vm_map_switch()); the task port answers mach_port_* and vm_* and the
 * task_* routines as messages; terminating a task kills its receive
 * rights (another space's send rights become dead names, with dead-name
 * notifications) and ends its threads, also those blocked in a mach_msg
 * receive; suspension is counted. Every case ends with every IPC, kmsg,
 * map entry, object, page, task and thread count at its baseline.
 */
#include <ipc/mach_msg.h>
#include <kern/vm_map_copy.h>
#include <mm/vm_test_util.h>
#include <ktest.h>
#include "task_test_util.h"

#define TT_PAGES	4

/* ------------------------------------------------------------------------
 * Creation and memory
 */

static void task_test_create(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false), got;
	struct task_basic_info bi;
	mach_msg_type_number_t n = TASK_BASIC_INFO_COUNT;
	ipc_port_t port;

	KTEST_ASSERT_NOT_NULL(t, task->map);
	KTEST_EXPECT_TRUE(t, task->itk_space->is_active);
	KTEST_EXPECT_EQ(t, task->thread_count, 0u);
	KTEST_EXPECT_EQ(t, task_count(), tt_base.tasks + 1);
	port = tt_task_port(task);
	KTEST_ASSERT_TRUE(t, IP_VALID(port));
	KTEST_EXPECT_EQ(t, port->ip_kotype, (unsigned int)IKOT_TASK);
	KTEST_EXPECT_PTR_EQ(t, port, task->itk_self);
	got = convert_port_to_task((mach_port_t)port);
	KTEST_EXPECT_PTR_EQ(t, got, task);
	task_deallocate(got);
	/* Its port names its space and its map too. */
	KTEST_EXPECT_PTR_EQ(t, convert_port_to_space((mach_port_t)port), task->itk_space);
	ipc_space_release(task->itk_space);
	KTEST_EXPECT_PTR_EQ(t, convert_port_to_map((mach_port_t)port), task->map);
	vm_map_deallocate(task->map);
	/* The kernel task's port names neither. */
	KTEST_EXPECT_NULL(t, convert_port_to_space((mach_port_t)kernel_task->itk_self));
	KTEST_EXPECT_NULL(t, convert_port_to_map((mach_port_t)kernel_task->itk_self));

	KTEST_EXPECT_EQ(t, task_info(task, TASK_BASIC_INFO, (task_info_t)&bi, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, TASK_BASIC_INFO_COUNT);
	KTEST_EXPECT_EQ(t, bi.suspend_count, 0);
	KTEST_EXPECT_EQ(t, bi.virtual_size, 0ull);
	n = 1;
	KTEST_EXPECT_EQ(t, task_info(task, TASK_BASIC_INFO, (task_info_t)&bi, &n), KERN_FAILURE);
	KTEST_EXPECT_EQ(t, task_info(task, 99, (task_info_t)&bi, &n), KERN_INVALID_ARGUMENT);

	KTEST_EXPECT_EQ(t, task_terminate(task), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, task_terminate(task), KERN_TERMINATED);
	KTEST_EXPECT_FALSE(t, ip_active(port));
	KTEST_EXPECT_NULL(t, convert_port_to_task((mach_port_t)port));
	KTEST_EXPECT_FALSE(t, task->itk_space->is_active);
	ipc_port_release_send(port);
	KTEST_EXPECT_EQ(t, task_terminate(kernel_task), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, task_suspend(kernel_task), KERN_INVALID_ARGUMENT);
	task_deallocate(task);
}

/* Its token by task_info(TASK_SECURITY_TOKEN), as val[0] << 32 | val[1]. */
static uint64_t tt_token(struct ktest *t, task_t task)
{
	security_token_t token;
	mach_msg_type_number_t n = TASK_SECURITY_TOKEN_COUNT;

	KTEST_EXPECT_EQ(t, task_info(task, TASK_SECURITY_TOKEN, (task_info_t)&token, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, TASK_SECURITY_TOKEN_COUNT);
	return (uint64_t)token.val[0] << 32 | token.val[1];
}

/*
 * Security tokens: the kernel task's is the kernel's, a task the kernel
 * makes gets the user one, a child its parent's (at creation only).
 */
static void task_test_security_token(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false), child;
	security_token_t three = { { 3, 4 } }, five = { { 5, 6 } };
	mach_msg_type_number_t n = 1;

	KTEST_EXPECT_EQ(t, tt_token(t, kernel_task), 1ull);
	KTEST_EXPECT_EQ(t, tt_token(t, task), 0ull);
	task_set_security_token(task, three);
	KTEST_EXPECT_EQ(t, tt_token(t, task), 3ull << 32 | 4);
	child = tt_task(t, task, false);
	KTEST_EXPECT_EQ(t, tt_token(t, child), 3ull << 32 | 4);
	task_set_security_token(task, five);
	KTEST_EXPECT_EQ(t, tt_token(t, child), 3ull << 32 | 4);
	KTEST_EXPECT_EQ(t, tt_token(t, task), 5ull << 32 | 6);
	KTEST_EXPECT_EQ(t, task_info(task, TASK_SECURITY_TOKEN, (task_info_t)&five, &n),
			KERN_FAILURE);
	KTEST_EXPECT_EQ(t, n, TASK_SECURITY_TOKEN_COUNT);
	tt_task_done(t, child);
	tt_task_done(t, task);
}

/* A byte of map's memory, through copyin/copyout (SMAP, PAN). */
#define tt_peek		vm_test_peek
#define tt_poke		vm_test_poke

static void task_test_inherit_memory(struct ktest *t)
{
	task_t parent = tt_task(t, NULL, false), child, empty;
	vm_offset_t a = 0, none = 0, addr;
	vm_size_t size;
	int i;

	KTEST_ASSERT_EQ(t, vm_map_allocate(parent->map, &a, TT_PAGES * PAGE_SIZE, true),
			KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, vm_map_allocate(parent->map, &none, PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_inherit(parent->map, none, none + PAGE_SIZE, VM_INHERIT_NONE),
			KERN_SUCCESS);
	for (i = 0; i < TT_PAGES; i++)
		tt_poke(parent->map, a + i * PAGE_SIZE, (unsigned char)(0x10 + i));
	tt_poke(parent->map, none, 0x77);

	child = tt_task(t, parent, true);
	empty = tt_task(t, parent, false);
	/* The child reads the parent's data... */
	for (i = 0; i < TT_PAGES; i++)
		KTEST_EXPECT_EQ(t, tt_peek(child->map, a + i * PAGE_SIZE), 0x10 + i);
	/* ...and writes its own copy; the parent's stays, and the other way round. */
	tt_poke(child->map, a, 0xc1);
	tt_poke(parent->map, a + PAGE_SIZE, 0xa1);
	KTEST_EXPECT_EQ(t, tt_peek(child->map, a), 0xc1);
	KTEST_EXPECT_EQ(t, tt_peek(parent->map, a), 0x10);
	KTEST_EXPECT_EQ(t, tt_peek(parent->map, a + PAGE_SIZE), 0xa1);
	KTEST_EXPECT_EQ(t, tt_peek(child->map, a + PAGE_SIZE), 0x11);
	/* VM_INHERIT_NONE left a hole; without inherit_memory the map is empty. */
	addr = none;
	KTEST_EXPECT_EQ(t, vm_map_region(child->map, &addr, &size, NULL, NULL, NULL, NULL,
					 NULL, NULL), KERN_NO_SPACE);
	addr = 0;
	KTEST_EXPECT_EQ(t, vm_map_region(empty->map, &addr, &size, NULL, NULL, NULL, NULL,
					 NULL, NULL), KERN_NO_SPACE);

	/* The parent goes first: the child's copy is its own. */
	tt_task_done(t, parent);
	for (i = 1; i < TT_PAGES; i++)
		KTEST_EXPECT_EQ(t, tt_peek(child->map, a + i * PAGE_SIZE), 0x10 + i);
	tt_task_done(t, child);
	tt_task_done(t, empty);
}

/* ------------------------------------------------------------------------
 * The task port: mach_port_* and vm_* as messages
 */

static void task_test_mach_port_msgs(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t port = tt_task_port(task);
	struct alloc_req { mach_msg_header_t Head; mach_port_right_t right; } *req;
	struct alloc_rep { mach_msg_header_t Head; kern_return_t RetCode; mach_port_name_t name; } *rep;
	struct name_req { mach_msg_header_t Head; mach_port_name_t name; } *nreq;
	mach_port_name_t name;

	req = tt_request(port, 3204, TT_END(struct alloc_req, right));
	req->right = MACH_PORT_RIGHT_RECEIVE;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	rep = (void *)&tt_msg;
	KTEST_ASSERT_EQ(t, rep->Head.msgh_size, TT_END(struct alloc_rep, name));
	KTEST_EXPECT_EQ(t, rep->RetCode, KERN_SUCCESS);
	name = rep->name;
	/* It is in the task's space. */
	KTEST_EXPECT_EQ(t, ipc_test_type(task->itk_space, name), MACH_PORT_TYPE_RECEIVE);
	KTEST_EXPECT_EQ(t, ipc_space_names_in_use(task->itk_space), 1u);
	/* mach_port_destroy (3205) through the port. */
	nreq = tt_request(port, 3205, TT_END(struct name_req, name));
	nreq->name = name;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_space_names_in_use(task->itk_space), 0u);
	/* The kernel task's port serves no mach_port routine. */
	req = tt_request(kernel_task->itk_sself, 3204, TT_END(struct alloc_req, right));
	req->right = MACH_PORT_RIGHT_RECEIVE;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_INVALID_TASK);

	tt_task_done(t, task);
	KTEST_EXPECT_FALSE(t, ip_active(port));
	ipc_port_release_send(port);
}

struct tt_vm_req {
	mach_msg_header_t Head;
	vm_address_t address;
	vm_size_t size;
	integer_t arg1, arg2;
};

/* A vm_* routine with address, size and up to two ints; its RetCode. */
static kern_return_t tt_vm_call(struct ktest *t, ipc_port_t port, mach_msg_id_t id,
				vm_address_t address, vm_size_t size, int nargs,
				integer_t arg1, integer_t arg2)
{
	struct tt_vm_req *req;
	mach_msg_size_t sz = nargs == 0 ? TT_END(struct tt_vm_req, size) :
			     nargs == 1 ? TT_END(struct tt_vm_req, arg1) :
					  TT_END(struct tt_vm_req, arg2);

	req = tt_request(port, id, sz);
	req->address = address;
	req->size = size;
	req->arg1 = arg1;
	req->arg2 = arg2;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	return tt_msg.err.RetCode;
}

/*
 * host_priv.defs' vm_wire (404) as a message to the host_priv port, the
 * task port (a send right of the caller, or IP_NULL) copied in a port
 * descriptor. Checks that the task port has as many send rights after as
 * before: the request's right was released whatever the outcome.
 */
static kern_return_t tt_vm_wire_msg(struct ktest *t, ipc_port_t task_port, vm_address_t address,
				    vm_size_t size, vm_prot_t access)
{
	struct wire_req {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t task;
		vm_address_t address; vm_size_t size; vm_prot_t desired_access;
	} *req;
	ipc_port_t host_priv = (ipc_port_t)convert_host_priv_to_port(host_self());
	mach_port_rights_t srights = task_port ? task_port->ip_srights : 0;
	kern_return_t kr;

	req = tt_request(host_priv, 404, TT_END(struct wire_req, desired_access));
	req->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	req->msgh_body.msgh_descriptor_count = 1;
	req->task.name = (mach_port_t)task_port;
	req->task.disposition = MACH_MSG_TYPE_COPY_SEND;
	req->task.type = MACH_MSG_PORT_DESCRIPTOR;
	req->address = address;
	req->size = size;
	req->desired_access = access;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	kr = tt_msg.err.RetCode;
	if (task_port)
		KTEST_EXPECT_EQ(t, task_port->ip_srights, srights);
	ipc_port_release_send(host_priv);
	return kr;
}

/*
 * vm_write (2027) of data that comes as a vm_map_copy, as a sender running
 * in a map sends it: a page of another task's memory written over the page
 * at `dst`. The routine consumes the copy; its holder is freed once.
 */
static void tt_vm_write_copy(struct ktest *t, task_t task, ipc_port_t port, vm_address_t dst)
{
	struct wreq {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_descriptor_t data; vm_address_t address;
	} *wreq;
	task_t src = tt_task(t, NULL, false);
	vm_address_t sa = 0;
	struct vm_map_copy *vmc;

	KTEST_ASSERT_EQ(t, vm_map_allocate(src->map, &sa, PAGE_SIZE, true), KERN_SUCCESS);
	tt_poke(src->map, sa + 7, 42);
	KTEST_ASSERT_EQ(t, vm_map_copyin(src->map, sa, PAGE_SIZE, false, &vmc), KERN_SUCCESS);
	wreq = tt_request(port, 2027, TT_END(struct wreq, address));
	wreq->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	wreq->msgh_body.msgh_descriptor_count = 1;
	wreq->data.address = ipc_ool_copy_from_vm(vmc);
	KTEST_ASSERT_NOT_NULL(t, wreq->data.address);
	wreq->data.size = PAGE_SIZE;
	wreq->data.type = MACH_MSG_OOL_DESCRIPTOR;
	wreq->address = dst;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_peek(task->map, dst + 7), 42);
	/* The source keeps its own page: a write there does not show in the target. */
	tt_poke(src->map, sa + 7, 43);
	KTEST_EXPECT_EQ(t, tt_peek(task->map, dst + 7), 42);
	tt_task_done(t, src);
}

static void tt_vm_copy_read(struct ktest *t, task_t task, ipc_port_t port, vm_address_t a)
{
	struct creq { mach_msg_header_t Head; vm_address_t src; vm_size_t size; vm_address_t dst; } *creq;
	struct rrep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_descriptor_t data;	/* the count is the descriptor's size */
	} *rrep = (void *)&tt_msg;
	unsigned char *data = NULL;

	creq = tt_request(port, 2028, TT_END(struct creq, dst));
	creq->src = a + 3 * PAGE_SIZE;
	creq->size = PAGE_SIZE;
	creq->dst = a + 2 * PAGE_SIZE;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_peek(task->map, a + 2 * PAGE_SIZE), 5);
	tt_poke(task->map, a + 2 * PAGE_SIZE + 1, 6);
	KTEST_EXPECT_EQ(t, tt_peek(task->map, a + 3 * PAGE_SIZE + 1), 0);

	tt_vm_call(t, port, 2026, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, 0, 0, 0);
	KTEST_EXPECT_EQ(t, tt_error(), -1);	/* not an error reply */
	KTEST_ASSERT_EQ(t, rrep->Head.msgh_size, TT_END(struct rrep, data));
	KTEST_EXPECT_EQ(t, rrep->data.size, 2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, rrep->data.address);
	/* This thread has no map: the data comes to kernel memory. */
	KTEST_ASSERT_EQ(t, ipc_ool_copyout(rrep->data.address, (void **)&data), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, data[0], 5);
	KTEST_EXPECT_EQ(t, data[1], 6);
	KTEST_EXPECT_EQ(t, data[PAGE_SIZE], 5);
	KTEST_EXPECT_EQ(t, data[PAGE_SIZE + 1], 0);
	ipc_ool_free(data, 2 * PAGE_SIZE);
	/* Outside the map: nothing read. */
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2026, a + 8 * PAGE_SIZE, PAGE_SIZE, 0, 0, 0),
			KERN_INVALID_ADDRESS);
}

static void task_test_vm_msgs(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t port = tt_task_port(task);
	struct alloc_rep { mach_msg_header_t Head; kern_return_t RetCode; vm_address_t address; } *arep;
	struct region_req { mach_msg_header_t Head; vm_address_t address; } *rreq;
	struct region_rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t object_name;
		vm_address_t address; vm_size_t size; vm_prot_t protection;
		vm_prot_t max_protection; vm_inherit_t inheritance; boolean_t is_shared;
		vm_offset_t offset;
	} *rrep;
	struct info_req { mach_msg_header_t Head; task_flavor_t flavor; mach_msg_type_number_t cnt; } *ireq;
	struct info_rep {
		mach_msg_header_t Head; kern_return_t RetCode; mach_msg_type_number_t cnt;
		struct task_basic_info bi;
	} *irep;
	vm_address_t a;

	/* vm_allocate (2021), anywhere: 3 pages and a half become 4. */
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2021, 0, 3 * PAGE_SIZE + 100, 1, true, 0),
			KERN_SUCCESS);
	arep = (void *)&tt_msg;
	KTEST_ASSERT_EQ(t, arep->Head.msgh_size, TT_END(struct alloc_rep, address));
	a = arep->address;
	KTEST_EXPECT_NE(t, a, 0ul);
	KTEST_EXPECT_EQ(t, task->map->size, 4 * PAGE_SIZE);
	tt_poke(task->map, a + 3 * PAGE_SIZE, 5);
	/* Fixed, over it: KERN_NO_SPACE. */
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2021, a, PAGE_SIZE, 1, false, 0), KERN_NO_SPACE);
	/* vm_protect (2024) the first page read-only, vm_inherit (2025) the second shared. */
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2024, a, PAGE_SIZE, 2, false, VM_PROT_READ),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2025, a + PAGE_SIZE, PAGE_SIZE, 1,
				      VM_INHERIT_SHARE, 0), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2024, a, PAGE_SIZE, 2, false, VM_PROT_ALL + 1),
			KERN_INVALID_ARGUMENT);
	/* vm_region (2029): the read-only page. */
	rreq = tt_request(port, 2029, TT_END(struct region_req, address));
	rreq->address = a;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	rrep = (void *)&tt_msg;
	KTEST_ASSERT_EQ(t, rrep->Head.msgh_size, TT_END(struct region_rep, offset));
	KTEST_EXPECT_EQ(t, rrep->address, a);
	KTEST_EXPECT_EQ(t, rrep->size, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, rrep->protection, VM_PROT_READ);
	KTEST_EXPECT_EQ(t, rrep->max_protection, VM_PROT_ALL);
	KTEST_EXPECT_EQ(t, rrep->inheritance, VM_INHERIT_COPY);
	KTEST_EXPECT_PTR_EQ(t, rrep->object_name.name, MACH_PORT_NULL);
	/* The next one: the shared page. */
	rreq = tt_request(port, 2029, TT_END(struct region_req, address));
	rreq->address = a + PAGE_SIZE;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, rrep->inheritance, VM_INHERIT_SHARE);
	KTEST_EXPECT_EQ(t, rrep->protection, VM_PROT_DEFAULT);
	/* task_info (2012) through the port: the memory is there. */
	ireq = tt_request(port, 2012, TT_END(struct info_req, cnt));
	ireq->flavor = TASK_BASIC_INFO;
	ireq->cnt = TASK_BASIC_INFO_COUNT;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	irep = (void *)&tt_msg;
	KTEST_EXPECT_EQ(t, irep->RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, irep->cnt, TASK_BASIC_INFO_COUNT);
	KTEST_EXPECT_EQ(t, irep->bi.virtual_size, 4ull * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, irep->bi.resident_size, (unsigned long long)PAGE_SIZE);
	/*
	 * vm_wire (host_priv.defs 404) through a message to the host_priv
	 * port: the task travels as a send right that the stub translates to
	 * its map; once the routine succeeded the stub releases that right
	 * (the task port's send rights are as before), and on a failure the
	 * request's destruction does.
	 */
	KTEST_EXPECT_EQ(t, tt_vm_wire_msg(t, port, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE,
					  VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_wired_count(task->map->pmap), 2ul);
	KTEST_EXPECT_EQ(t, tt_vm_wire_msg(t, port, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE,
					  VM_PROT_NONE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_wired_count(task->map->pmap), 0ul);
	KTEST_EXPECT_EQ(t, tt_vm_wire_msg(t, IP_NULL, a, PAGE_SIZE, VM_PROT_READ),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, tt_vm_wire_msg(t, port, a, PAGE_SIZE, VM_PROT_ALL + 1),
			KERN_INVALID_ARGUMENT);
	/* vm_copy (2028) the last page over the third, vm_read (2026) it back out of line. */
	tt_vm_copy_read(t, task, port, a);
	tt_vm_write_copy(t, task, port, a + 2 * PAGE_SIZE);
	/* vm_deallocate (2023) of all of it: nothing is left. */
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2023, a, 4 * PAGE_SIZE, 0, 0, 0), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, task->map->size, 0ul);
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2023, a, 0, 0, 0, 0), KERN_SUCCESS);
	/* A page left mapped goes with the task. */
	KTEST_EXPECT_EQ(t, tt_vm_call(t, port, 2021, 0, PAGE_SIZE, 1, true, 0), KERN_SUCCESS);
	tt_poke(task->map, arep->address, 1);
	tt_task_done(t, task);
	/* The map of a dead task's port is gone with it. */
	KTEST_EXPECT_NULL(t, convert_port_to_map((mach_port_t)port));
	ipc_port_release_send(port);
}

/* ------------------------------------------------------------------------
 * Termination: dead names, threads in mach_msg
 */

static void task_test_dead_names(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_space_t b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, task->itk_space), n = ipc_test_port(t, b);
	mach_port_name_t s, tp;
	ipc_port_t prev = IP_DEAD;
	struct ipc_test_note note;

	/* b holds a send right to the task's port p, with a dead-name request... */
	s = ipc_test_give(t, task->itk_space, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(b, s, MACH_NOTIFY_DEAD_NAME, 0,
							      (mach_port_t)ipc_test_sonce(t, b, n),
							      (mach_port_t *)&prev), KERN_SUCCESS);
	/* ...and a send right to the task's own port. */
	KTEST_ASSERT_EQ(t, ipc_object_copyout(b, tt_task_port(task), MACH_MSG_TYPE_PORT_SEND,
					      false, &tp), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, tp), MACH_PORT_TYPE_SEND);

	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_DEAD_NAME);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, tp), MACH_PORT_TYPE_DEAD_NAME);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_DEAD_NAME, b, n, &note));
	KTEST_EXPECT_EQ(t, note.name, s);
	ipc_test_note_release(&note);
	ipc_test_space_done(b);
}

struct tt_receiver {
	ipc_space_t		space;
	mach_port_name_t	name;
	mach_msg_return_t	mr;
	union {
		mach_msg_user_header_t h;
		char		buf[256];
	} msg;
};

/* A thread of the task: receive on name until it ends. */
static void tt_receiver_main(void *arg)
{
	struct tt_receiver *r = arg;

	r->mr = ipc_mach_msg(r->space, (mach_msg_header_t *)&r->msg, MACH_RCV_MSG, 0,
			     sizeof(r->msg), r->name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NAME_NULL);
}

static void task_test_terminate_receivers(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	static struct tt_receiver r[2];
	struct thread *th[2];
	thread_t *list;
	unsigned int i, n;

	for (i = 0; i < 2; i++) {
		r[i].space = task->itk_space;
		r[i].name = ipc_test_port(t, task->itk_space);
		r[i].mr = -1;
		KTEST_ASSERT_EQ(t, task_thread_create(task, tt_receiver_main, &r[i], BASEPRI_KERNEL,
						      "tt-rcv", &th[i]), KERN_SUCCESS);
		KTEST_EXPECT_PTR_EQ(t, th[i]->task, task);
		KTEST_EXPECT_PTR_EQ(t, th[i]->map, task->map);
		KTEST_EXPECT_EQ(t, thread_get_state(th[i]) & TH_SUSP, (unsigned int)TH_SUSP);
		thread_resume(th[i]);
	}
	KTEST_EXPECT_EQ(t, task->thread_count, 2u);
	KTEST_ASSERT_EQ(t, task_threads_get(task, &list, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, 2u);
	for (i = 0; i < n; i++) {
		KTEST_EXPECT_TRUE(t, list[i] == th[0] || list[i] == th[1]);
		thread_deallocate(list[i]);
	}
	kfree(list, n * sizeof(*list));
	for (i = 0; i < 2; i++)
		KTEST_EXPECT_TRUE(t, tt_wait_for_state(th[i], TH_WAIT));

	KTEST_EXPECT_EQ(t, task_terminate(task), KERN_SUCCESS);
	for (i = 0; i < 2; i++) {
		KTEST_EXPECT_EQ(t, thread_join(th[i]), THREAD_AWAKENED);
		KTEST_EXPECT_EQ(t, r[i].mr, MACH_RCV_INTERRUPTED);
		thread_deallocate(th[i]);
	}
	/* No thread can join a dead task. */
	KTEST_EXPECT_EQ(t, task_thread_create(task, tt_receiver_main, &r[0], BASEPRI_KERNEL,
					      "tt-late", &th[0]), KERN_TERMINATED);
	task_deallocate(task);
}

/*
 * task_terminate() of another task returns once that task is torn down,
 * whoever tears it down: here its one thread, blocked in a receive, ends
 * and cleans up on its way out (it is the last), at a lower priority than
 * ours, with many ports and pages to destroy. At once after the call, with
 * no wait, a send right we hold to its last port is a dead name, its space
 * is dead and its map empty.
 */
#define TT_SYNC_PORTS	128

static void task_test_terminate_torn_down(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_space_t space = task->itk_space, b = ipc_test_space(t);
	static struct tt_receiver r;
	mach_port_name_t last = MACH_PORT_NAME_NULL, s;
	vm_offset_t a = 0;
	struct thread *th;
	int i;

	for (i = 0; i < TT_SYNC_PORTS; i++)
		last = ipc_test_port(t, space);
	s = ipc_test_give(t, space, last, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_SEND);
	KTEST_ASSERT_EQ(t, vm_map_allocate(task->map, &a, TT_PAGES * PAGE_SIZE, true),
			KERN_SUCCESS);
	for (i = 0; i < TT_PAGES; i++)
		tt_poke(task->map, a + i * PAGE_SIZE, (unsigned char)i);

	r.space = space;
	r.name = last;
	r.mr = -1;
	KTEST_ASSERT_EQ(t, task_thread_create(task, tt_receiver_main, &r, BASEPRI_USER,
					      "tt-torn", &th), KERN_SUCCESS);
	thread_resume(th);
	KTEST_EXPECT_TRUE(t, tt_wait_for_state(th, TH_WAIT));

	KTEST_EXPECT_EQ(t, task_terminate(task), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_DEAD_NAME);
	KTEST_EXPECT_FALSE(t, space->is_active);
	KTEST_EXPECT_EQ(t, task->map->size, 0ul);
	KTEST_EXPECT_EQ(t, task->thread_count, 0u);

	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	KTEST_EXPECT_EQ(t, r.mr, MACH_RCV_INTERRUPTED);
	thread_deallocate(th);
	task_deallocate(task);
	ipc_test_space_done(b);
}

/* A thread that ends itself by terminating its own task. */
static void tt_self_terminator(void *arg)
{
	task_t task = current_task();

	*(kern_return_t *)arg = task_terminate(task);
	/* Marked: its waits end at once, and it stops here. */
	while (!thread_should_halt())
		thread_delay(NSEC_PER_MSEC);
}

static void task_test_terminate_self(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	static kern_return_t kr;
	struct thread *th;
	ipc_space_t space = task->itk_space;

	kr = -1;
	ipc_test_port(t, space);
	KTEST_ASSERT_EQ(t, task_thread_create(task, tt_self_terminator, &kr, BASEPRI_KERNEL,
					      "tt-self", &th), KERN_SUCCESS);
	thread_resume(th);
	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
	/* Its last thread cleaned up. */
	KTEST_EXPECT_FALSE(t, space->is_active);
	KTEST_EXPECT_EQ(t, task->map->size, 0ul);
	KTEST_EXPECT_EQ(t, task_terminate(task), KERN_TERMINATED);
	thread_deallocate(th);
	task_deallocate(task);
}

/* ------------------------------------------------------------------------
 * Suspension
 */

static unsigned long tt_counter;

static void tt_counter_main(void *arg)
{
	while (!thread_should_halt()) {
		__atomic_add_fetch(&tt_counter, 1, __ATOMIC_RELAXED);
		thread_delay(NSEC_PER_MSEC / 4);
	}
}

static unsigned long tt_count(void)
{
	return __atomic_load_n(&tt_counter, __ATOMIC_RELAXED);
}

/* Does the counter move within 20 ms? */
static bool tt_counting(void)
{
	unsigned long c = tt_count();

	thread_delay(20 * NSEC_PER_MSEC);
	return tt_count() != c;
}

static void task_test_suspend(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t port = tt_task_port(task);
	struct task_basic_info bi;
	mach_msg_type_number_t n = TASK_BASIC_INFO_COUNT;
	struct thread *th, *late;

	tt_counter = 0;
	KTEST_ASSERT_EQ(t, task_thread_create(task, tt_counter_main, NULL, BASEPRI_KERNEL,
					      "tt-count", &th), KERN_SUCCESS);
	thread_resume(th);
	KTEST_EXPECT_TRUE(t, tt_counting());
	/* Twice suspended (once through the port: task_suspend, 2056). */
	KTEST_EXPECT_EQ(t, task_suspend(task), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2056), KERN_SUCCESS);
	KTEST_EXPECT_FALSE(t, tt_counting());
	KTEST_EXPECT_EQ(t, task_info(task, TASK_BASIC_INFO, (task_info_t)&bi, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, bi.suspend_count, 2);
	/* A thread made now is held too, beyond its creation hold. */
	KTEST_ASSERT_EQ(t, task_thread_create(task, tt_counter_main, NULL, BASEPRI_KERNEL,
					      "tt-late", &late), KERN_SUCCESS);
	thread_resume(late);
	KTEST_EXPECT_TRUE(t, thread_get_state(late) & TH_SUSP);
	KTEST_EXPECT_EQ(t, task_resume(task), KERN_SUCCESS);
	KTEST_EXPECT_FALSE(t, tt_counting());
	/* task_resume (2057) through the port: both run. */
	KTEST_EXPECT_EQ(t, tt_call(t, port, 2057), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, tt_counting());
	KTEST_EXPECT_FALSE(t, thread_get_state(late) & TH_SUSP);
	KTEST_EXPECT_EQ(t, task_resume(task), KERN_FAILURE);
	/* Terminated while suspended: the threads still end. */
	KTEST_EXPECT_EQ(t, task_suspend(task), KERN_SUCCESS);
	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	KTEST_EXPECT_EQ(t, thread_join(late), THREAD_AWAKENED);
	KTEST_EXPECT_EQ(t, task_suspend(task), KERN_TERMINATED);
	KTEST_EXPECT_EQ(t, task_resume(task), KERN_TERMINATED);
	thread_deallocate(th);
	thread_deallocate(late);
	ipc_port_release_send(port);
}

/* ------------------------------------------------------------------------
 * Special ports, task_create and task_threads as messages
 */

struct tt_port_rep {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
};

/* A routine whose reply carries one port (task_create, get_special_port ...). */
static ipc_port_t tt_port_reply(struct ktest *t)
{
	struct tt_port_rep *rep = (void *)&tt_msg;

	if (rep->Head.msgh_size != TT_END(struct tt_port_rep, port)) {
		KTEST_FAIL(t, "error reply %d", tt_error());
		return IP_NULL;
	}
	KTEST_EXPECT_EQ(t, (unsigned int)rep->port.disposition,
			(unsigned int)MACH_MSG_TYPE_PORT_SEND);
	return (ipc_port_t)rep->port.name;
}

static ipc_port_t tt_get_special(struct ktest *t, ipc_port_t port, int which)
{
	struct req { mach_msg_header_t Head; int which; } *req;

	req = tt_request(port, 2058, TT_END(struct req, which));
	req->which = which;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	return tt_port_reply(t);
}

static void task_test_special_ports(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false), child;
	ipc_port_t port = tt_task_port(task), got, boot, cport;
	struct creq { mach_msg_header_t Head; boolean_t inherit; } *creq;
	ipc_space_t b = ipc_test_space(t);
	mach_port_name_t bn = ipc_test_port(t, b);

	/* TASK_KERNEL_PORT is the task's port; the host port is inherited. */
	got = tt_get_special(t, port, TASK_KERNEL_PORT);
	KTEST_EXPECT_PTR_EQ(t, got, port);
	ipc_port_release_send(got);
	got = tt_get_special(t, port, TASK_HOST_PORT);
	KTEST_EXPECT_PTR_EQ(t, got, kernel_task->itk_host);
	ipc_port_release_send(got);
	KTEST_EXPECT_PTR_EQ(t, tt_get_special(t, port, TASK_BOOTSTRAP_PORT), IP_NULL);
	KTEST_EXPECT_EQ(t, task_get_special_port(task, 99, (mach_port_t *)&got),
			KERN_INVALID_ARGUMENT);
	/* A bootstrap port, set directly; a child made through the port inherits it. */
	boot = ipc_test_port_of(b, bn);
	KTEST_EXPECT_EQ(t, task_set_special_port(task, TASK_BOOTSTRAP_PORT,
						 (mach_port_t)ipc_port_make_send(boot)), KERN_SUCCESS);
	creq = tt_request(port, 2007, TT_END(struct creq, inherit));
	creq->inherit = false;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	cport = tt_port_reply(t);
	KTEST_ASSERT_TRUE(t, IP_VALID(cport));
	child = convert_port_to_task((mach_port_t)cport);
	KTEST_ASSERT_NOT_NULL(t, child);
	KTEST_EXPECT_EQ(t, task_count(), tt_base.tasks + 2);
	got = tt_get_special(t, cport, TASK_BOOTSTRAP_PORT);
	KTEST_EXPECT_PTR_EQ(t, got, boot);
	ipc_port_release_send(got);
	KTEST_EXPECT_EQ(t, boot->ip_srights, 2u);
	/* task_terminate (2008) through the child's port. */
	KTEST_EXPECT_EQ(t, tt_call(t, cport, 2008), KERN_SUCCESS);
	KTEST_EXPECT_FALSE(t, ip_active(cport));
	task_deallocate(child);
	ipc_port_release_send(cport);
	KTEST_EXPECT_EQ(t, boot->ip_srights, 1u);
	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, boot->ip_srights, 0u);
	ipc_port_release_send(port);
	ipc_test_space_done(b);
}

static void task_test_threads_msg(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t port = tt_task_port(task), *ports;
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_ports_descriptor_t list;
	} *rep;
	struct thread *th[3];
	unsigned int i, j;

	for (i = 0; i < 3; i++)
		KTEST_ASSERT_EQ(t, task_thread_create(task, tt_counter_main, NULL, BASEPRI_KERNEL,
						      "tt-list", &th[i]), KERN_SUCCESS);
	/* task_threads (2011): an out-of-line array of send rights to their ports. */
	tt_request(port, 2011, sizeof(mach_msg_header_t));
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	rep = (void *)&tt_msg;
	KTEST_ASSERT_EQ(t, rep->Head.msgh_size, TT_END(struct rep, list));
	KTEST_ASSERT_EQ(t, rep->list.count, 3u);
	ports = rep->list.address;
	for (i = 0; i < 3; i++) {
		thread_t got = convert_port_to_thread((mach_port_t)ports[i]);

		KTEST_EXPECT_EQ(t, ports[i]->ip_kotype, (unsigned int)IKOT_THREAD);
		for (j = 0; j < 3 && got != th[j]; j++)
			;
		KTEST_EXPECT_LT(t, j, 3u);
		thread_deallocate(got);
		ipc_port_release_send(ports[i]);
	}
	kfree(ports, 3 * sizeof(*ports));
	/* Never resumed: they end from their creation hold. */
	tt_task_done(t, task);
	for (i = 0; i < 3; i++) {
		KTEST_EXPECT_EQ(t, thread_join(th[i]), THREAD_AWAKENED);
		KTEST_EXPECT_PTR_EQ(t, th[i]->ith_self, IP_DEAD);
		thread_deallocate(th[i]);
	}
	ipc_port_release_send(port);
}

static struct ktest_case task_test_cases[] = {
	KTEST_CASE(task_test_create),
	KTEST_CASE(task_test_security_token),
	KTEST_CASE(task_test_inherit_memory),
	KTEST_CASE(task_test_mach_port_msgs),
	KTEST_CASE(task_test_vm_msgs),
	KTEST_CASE(task_test_dead_names),
	KTEST_CASE(task_test_terminate_receivers),
	KTEST_CASE(task_test_terminate_torn_down),
	KTEST_CASE(task_test_terminate_self),
	KTEST_CASE(task_test_suspend),
	KTEST_CASE(task_test_special_ports),
	KTEST_CASE(task_test_threads_msg),
	{}
};

static struct ktest_suite task_test_suite = {
	.name = "task",
	.init = tt_init,
	.exit = tt_exit,
	.test_cases = task_test_cases,
};
KTEST_SUITE(task_test_suite);
