// SPDX-License-Identifier: MIT
/*
 * Suite "dpager": we are the default memory manager (Documentation/mm/vm.rst,
 * "The default memory manager"). A cthread of ours registers our port with
 * vm_set_default_memory_manager (the host's privileged port, which the
 * kernel's user suite gives /bin/ktest) and serves, with MIG's server stubs,
 * what the kernel sends it: memory_object_create (the new object's receive
 * right joins our port set), memory_object_data_initialize and
 * memory_object_data_return (kept in our own memory: a page that is the
 * workload's pattern as its pattern, any other verbatim in a slot),
 * memory_object_data_request (supplied from what we kept, the page and the
 * rest of its cluster of 16),
 * memory_object_lock_completed and memory_object_terminate.
 *
 * memory_object.defs is served by the pager suite in this program too, so
 * this file's routines of it and its copy of libmach's server stubs are
 * renamed dp_* by the build (user/Makefile, dp-renames): the definitions
 * below read as memory_object_* and are dp_memory_object_*.
 *
 * The workload: user space cannot make the kernel page an object out, and
 * an anonymous object gets its manager (memory_object_create, with the
 * control port) at its first pageout. So first pressure: most of the free
 * memory wired (vm_wire), we write fresh anonymous pages until the pageout
 * daemon sends one to us; the wiring goes. Then we hold the object's
 * control port and page it out ourselves: memory_object_lock_request with a
 * flush over the whole object sends every page we lack (data_initialize),
 * and lock_completed comes after them on the object's port. Every word is
 * read back (one data_request per 16 pages), a few pages are rewritten and
 * flushed again (data_return for those alone, the clean ones dropped with
 * no message) and read back. Then the region goes (memory_object_terminate),
 * the kernel's pager is registered again (the port the first call gave
 * back) and our names and mapped bytes are as they were.
 */
#include <mach/host_info.h>
#include <mach/memory_object_types.h>
#include <mach/vm_statistics.h>
#include <memory_objectServer.h>
#include <memory_object_defaultServer.h>
#include <cthreads.h>
#include "utest.h"

#define PG		4096UL
#define DP_WORK		4096UL		/* workload pages (16 MiB) */
#define DP_FREE_LEFT	3072UL		/* free pages left by the wiring */
#define DP_SLOTS	64U		/* pages kept verbatim */
#define DP_EVERY	16UL		/* every 16th page rewritten */
#define DP_CLUSTER	16U		/* pages supplied per request at most */
#define DP_OBJECTS	4U
#define DP_STOP_ID	710
#define DP_SET_ID	2041		/* vm_set_default_memory_manager */

struct dp_object {
	mach_port_t	port;		/* its receive right, in dp.set */
	mach_port_t	control;	/* one send right to its control port */
	vm_size_t	size;
	bool		work;		/* the workload's */
	bool		terminated;
};

/* The manager's messages, in memory of its own (wired, see dp_wire()). */
union dp_msg {
	mach_msg_header_t	head;
	uint8_t			buf[1024];
};

static struct {
	union dp_msg		in, out;
	mach_port_t		host_priv;
	mach_port_t		port;	/* ours, registered */
	mach_port_t		set;	/* port and the objects' ports */
	struct dp_object	obj[DP_OBJECTS];
	volatile unsigned int	nobj, inits, returns, requests, terminates, completed;
	volatile bool		ready;
	unsigned int		bad, unknown, others;
	/* per workload page: 0 none, 1 or 2 the pattern of that round, 3 + n slot n */
	uint8_t			have[DP_WORK];
	unsigned int		slots_used;
} dp;

/* Verbatim pages (any object), made before we register: never ours to keep. */
static struct {
	unsigned int	obj;		/* dp.obj index + 1, 0 free */
	vm_offset_t	offset;
	uint64_t	data[PG / 8];
} dp_slot[DP_SLOTS];

static uint64_t dp_word(unsigned long p, unsigned long w, unsigned int round)
{
	return ((p << 16 | w) * 0x9e3779b97f4a7c15ULL) ^ (0x64706167ULL * round);
}

static void dp_fill(uint64_t *page, unsigned long p, unsigned int round)
{
	unsigned long w;

	for (w = 0; w < PG / 8; w++)
		page[w] = dp_word(p, w, round);
}

/* The round whose pattern page is, or 0. */
static unsigned int dp_round(const uint64_t *page, unsigned long p)
{
	unsigned int round;
	unsigned long w;

	for (round = 1; round <= 2; round++) {
		for (w = 0; w < PG / 8 && page[w] == dp_word(p, w, round); w++)
			;
		if (w == PG / 8)
			return round;
	}
	return 0;
}

static struct dp_object *dp_object(mach_port_t port)
{
	unsigned int i;

	for (i = 0; i < dp.nobj; i++)
		if (dp.obj[i].port == port && !dp.obj[i].terminated)
			return &dp.obj[i];
	return NULL;
}

/* The slot of (o, offset), a free one if make, or -1. */
static int dp_slot_find(const struct dp_object *o, vm_offset_t offset, bool make)
{
	unsigned int i, key = (unsigned int)(o - dp.obj) + 1;
	int free = -1;

	for (i = 0; i < DP_SLOTS; i++) {
		if (dp_slot[i].obj == key && dp_slot[i].offset == offset)
			return (int)i;
		if (!dp_slot[i].obj && free < 0)
			free = (int)i;
	}
	return make ? free : -1;
}

static void dp_slot_drop(const struct dp_object *o, vm_offset_t offset)
{
	int n = dp_slot_find(o, offset, false);

	if (n >= 0)
		dp_slot[n].obj = 0;
}

/* A page given to us (data_initialize or data_return): kept. */
static void dp_keep(mach_port_t port, memory_object_offset_t offset, pointer_t data,
		    mach_msg_type_number_t count)
{
	struct dp_object *o = dp_object(port);
	unsigned long p = offset / PG;
	unsigned int round = 0;
	int n;

	if (!o || offset % PG || count != PG || offset >= o->size) {
		dp.bad++;
		goto out;
	}
	if (o->work) {
		round = dp_round((const uint64_t *)data, p);
		if (round) {
			dp_slot_drop(o, offset);
			dp.have[p] = (uint8_t)round;
			goto out;
		}
	} else {
		dp.others++;
	}
	n = dp_slot_find(o, offset, true);
	if (n < 0) {
		dp.bad++;
		goto out;
	}
	dp_slot[n].obj = (unsigned int)(o - dp.obj) + 1;
	dp_slot[n].offset = offset;
	memcpy(dp_slot[n].data, (const void *)data, PG);
	if (o->work)
		dp.have[p] = (uint8_t)(3 + n);
out:
	vm_deallocate(mach_task_self(), (vm_address_t)data, count);
}

/* The control right each message brings: we keep the one of create. */
static void dp_drop_control(mach_port_t control)
{
	if (MACH_PORT_VALID(control))
		mach_port_deallocate(mach_task_self(), control);
}

kern_return_t memory_object_create(memory_object_default_t manager, mach_port_t object,
				   vm_size_t size, mach_port_t control, mach_port_t name,
				   vm_size_t page_size)
{
	struct dp_object *o;

	if (manager != dp.port || page_size != PG || dp.nobj == DP_OBJECTS ||
	    name != MACH_PORT_NULL)
		return KERN_INVALID_ARGUMENT;	/* the loop destroys the rights */
	o = &dp.obj[dp.nobj];
	memset(o, 0, sizeof(*o));
	o->port = object;
	o->control = control;
	o->size = size;
	o->work = size == DP_WORK * PG;
	dp.nobj++;
	if (mach_port_move_member(mach_task_self(), object, dp.set) != KERN_SUCCESS)
		dp.bad++;
	return KERN_SUCCESS;
}

kern_return_t memory_object_data_initialize(memory_object_t object, mach_port_t control,
					    memory_object_offset_t offset, pointer_t data,
					    mach_msg_type_number_t count)
{
	dp.inits++;
	dp_keep(object, offset, data, count);
	dp_drop_control(control);
	return KERN_SUCCESS;
}

kern_return_t memory_object_data_return(memory_object_t object, mach_port_t control,
					memory_object_offset_t offset, pointer_t data,
					mach_msg_type_number_t count, boolean_t dirty,
					boolean_t kernel_copy)
{
	(void)dirty; (void)kernel_copy;
	dp.returns++;
	dp_keep(object, offset, data, count);
	dp_drop_control(control);
	return KERN_SUCCESS;
}

/* A copy of what we kept at (o, offset) in buf; false if nothing. */
static bool dp_fetch(const struct dp_object *o, vm_offset_t offset, uint64_t *buf)
{
	unsigned long p = offset / PG;
	int n;

	if (o->work && p < DP_WORK && dp.have[p] && dp.have[p] < 3) {
		dp_fill(buf, p, dp.have[p]);
		return true;
	}
	n = dp_slot_find(o, offset, false);
	if (n < 0)
		return false;
	memcpy(buf, dp_slot[n].data, PG);
	return true;
}

kern_return_t memory_object_data_request(memory_object_t object, mach_port_t control,
					 memory_object_offset_t offset, vm_size_t length,
					 vm_prot_t access)
{
	struct dp_object *o = dp_object(object);
	vm_address_t buf = 0;
	kern_return_t kr;
	unsigned int n;

	(void)access;
	dp.requests++;
	if (!o || control != o->control || offset % PG || length != PG) {
		dp.bad++;
		kr = memory_object_data_error(control, offset, length, KERN_INVALID_ARGUMENT);
	} else if (vm_allocate(mach_task_self(), &buf, DP_CLUSTER * PG, TRUE) != KERN_SUCCESS) {
		kr = memory_object_data_error(control, offset, PG, KERN_RESOURCE_SHORTAGE);
	} else {
		/*
		 * The page and those after it that we have, up to a cluster:
		 * the kernel takes the ones it lacks, so a sequential reader
		 * asks once per cluster (a round trip between CPUs is slow).
		 */
		for (n = 0; n < DP_CLUSTER && offset + n * PG < o->size &&
		     dp_fetch(o, offset + n * PG, (uint64_t *)(buf + n * PG)); n++)
			;
		if (n < DP_CLUSTER)
			vm_deallocate(mach_task_self(), buf + n * PG, (DP_CLUSTER - n) * PG);
		if (!n) {
			/* Never given to us: the kernel should have read zeroes itself. */
			dp.unknown++;
			kr = memory_object_data_unavailable(control, offset, PG);
		} else {
			/* The data goes with the message (deallocated from our map). */
			kr = memory_object_data_supply(control, offset, (pointer_t)buf, n * PG,
						       VM_PROT_NONE, FALSE, MACH_PORT_NULL);
		}
	}
	if (kr != KERN_SUCCESS)
		dp.bad++;
	dp_drop_control(control);
	return KERN_SUCCESS;
}

/* A default manager's object ends with null control and name ports. */
kern_return_t memory_object_terminate(memory_object_t object, mach_port_t control,
				      mach_port_t name)
{
	struct dp_object *o = dp_object(object);
	unsigned int i;

	dp_drop_control(control);
	dp_drop_control(name);
	if (!o) {
		dp.bad++;
		return KERN_SUCCESS;
	}
	for (i = 0; i < DP_SLOTS; i++)
		if (dp_slot[i].obj == (unsigned int)(o - dp.obj) + 1)
			dp_slot[i].obj = 0;
	mach_port_deallocate(mach_task_self(), o->control);
	mach_port_mod_refs(mach_task_self(), o->port, MACH_PORT_RIGHT_RECEIVE, -1);
	o->terminated = true;
	dp.terminates++;
	return KERN_SUCCESS;
}

/* Our flushes' replies, on the object's port after the pages they sent. */
kern_return_t memory_object_lock_completed(mach_port_t reply_to, mach_msg_type_name_t poly,
					   mach_port_t control, memory_object_offset_t offset,
					   vm_size_t length)
{
	(void)reply_to; (void)poly; (void)offset; (void)length;
	dp_drop_control(control);
	dp.completed++;
	return KERN_SUCCESS;
}

/* What a default manager is never sent: refused (the loop destroys it). */
kern_return_t memory_object_init(memory_object_t object, mach_port_t control,
				 mach_port_t name, vm_size_t page_size)
{
	(void)object; (void)control; (void)name; (void)page_size;
	return KERN_FAILURE;
}

kern_return_t memory_object_copy(memory_object_t old, mach_port_t control,
				 memory_object_offset_t offset, vm_size_t length,
				 mach_port_t new_object)
{
	(void)old; (void)control; (void)offset; (void)length; (void)new_object;
	return KERN_FAILURE;
}

kern_return_t memory_object_data_unlock(memory_object_t object, mach_port_t control,
					memory_object_offset_t offset, vm_size_t length,
					vm_prot_t access)
{
	(void)object; (void)control; (void)offset; (void)length; (void)access;
	return KERN_FAILURE;
}

kern_return_t memory_object_data_write(memory_object_t object, mach_port_t control,
				       memory_object_offset_t offset, pointer_t data,
				       mach_msg_type_number_t count)
{
	(void)object; (void)control; (void)offset; (void)data; (void)count;
	return KERN_FAILURE;
}

kern_return_t memory_object_supply_completed(mach_port_t reply_to, mach_msg_type_name_t poly,
					     mach_port_t control, memory_object_offset_t offset,
					     vm_size_t length, kern_return_t result,
					     memory_object_offset_t error_offset)
{
	(void)reply_to; (void)poly; (void)control; (void)offset; (void)length; (void)result;
	(void)error_offset;
	return KERN_FAILURE;
}

kern_return_t memory_object_change_completed(mach_port_t reply_to, mach_msg_type_name_t poly,
					     boolean_t may_cache,
					     memory_object_copy_strategy_t strategy)
{
	(void)reply_to; (void)poly; (void)may_cache; (void)strategy;
	return KERN_FAILURE;
}

/*
 * Wire (prot) or unwire (VM_PROT_NONE) the pages of [addr, addr + size).
 * What the manager touches while it serves is wired: a manager that
 * faults while the pageout daemon waits for it to take its pages would
 * wait for itself (the fault gives up with KERN_RESOURCE_SHORTAGE, as the
 * first run of this test did, receiving into a fresh stack page).
 */
static kern_return_t dp_wire(vm_address_t addr, vm_size_t size, vm_prot_t prot)
{
	vm_address_t start = addr & ~(PG - 1);

	return vm_wire(dp.host_priv, mach_task_self(), start,
		       ((addr + size + PG - 1) & ~(PG - 1)) - start, prot);
}

#define DP_WIRED_MAX	16

/* The ranges dp_wire_task() wired. */
static struct utest_range dp_wired[DP_WIRED_MAX];
static unsigned int dp_nwired;

kern_return_t utest_wire_task(mach_port_t host_priv, task_t task, struct utest_range *r,
			      unsigned int max, unsigned int *n)
{
	vm_address_t addr = 0;
	kern_return_t kr = KERN_SUCCESS;
	vm_size_t size;
	vm_prot_t prot, maxprot;
	vm_inherit_t inh;
	boolean_t shared;
	mach_port_t name;
	vm_offset_t off;

	*n = 0;
	while (kr == KERN_SUCCESS && vm_region(task, &addr, &size, &prot, &maxprot, &inh,
					       &shared, &name, &off) == KERN_SUCCESS) {
		if (MACH_PORT_VALID(name))
			mach_port_deallocate(mach_task_self(), name);
		if (prot != VM_PROT_NONE && *n < max) {
			kr = vm_wire(host_priv, task, addr, size, prot);
			r[*n].addr = addr;
			r[(*n)++].size = size;
		}
		addr += size;
	}
	return kr;
}

kern_return_t utest_unwire(mach_port_t host_priv, task_t task, const struct utest_range *r,
			   unsigned int n)
{
	kern_return_t kr = KERN_SUCCESS;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (vm_wire(host_priv, task, r[i].addr, r[i].size, VM_PROT_NONE) != KERN_SUCCESS)
			kr = KERN_FAILURE;
	return kr;
}

/*
 * Every region of ours, as it is now, wired (with its protection): the
 * manager's code and data, and the rest of the program, must not be paged
 * out while the daemon needs the manager (a text page read back under
 * pressure failed with KERN_RESOURCE_SHORTAGE too). Only the workload's
 * region, made afterwards, is left to the pageout daemon.
 */
static kern_return_t dp_wire_task(void)
{
	return utest_wire_task(dp.host_priv, mach_task_self(), dp_wired, DP_WIRED_MAX,
			       &dp_nwired);
}

static kern_return_t dp_unwire_task(void)
{
	kern_return_t kr = utest_unwire(dp.host_priv, mach_task_self(), dp_wired, dp_nwired);

	dp_nwired = 0;
	return kr;
}

/* The manager's stack: from its frame's page down DP_STACK_WIRED bytes. */
#define DP_STACK_WIRED	(4 * PG)

static vm_address_t dp_stack_base(void)
{
	return ((vm_address_t)__builtin_frame_address(0) & ~(PG - 1)) - DP_STACK_WIRED;
}

/* The manager: serves dp.set until DP_STOP_ID comes. */
static void *dp_manager(void *arg)
{
	union dp_msg *in = &dp.in, *out = &dp.out;
	mig_reply_error_t *reply = (mig_reply_error_t *)&out->head;
	vm_address_t stack = dp_stack_base();

	(void)arg;
	if (dp_wire(stack, DP_STACK_WIRED + PG, VM_PROT_READ | VM_PROT_WRITE) != KERN_SUCCESS)
		dp.bad++;
	dp.ready = true;
	for (;;) {
		if (mach_msg_trap(&in->head, MACH_RCV_MSG, 0, sizeof(*in), dp.set, 0,
				  MACH_PORT_NULL) != MACH_MSG_SUCCESS) {
			dp.bad++;
			continue;
		}
		if (in->head.msgh_id == DP_STOP_ID)
			break;
		if (!memory_object_default_server(&in->head, &out->head) &&
		    !memory_object_server(&in->head, &out->head)) {
			dp.bad++;
			mach_msg_destroy(&in->head);
			continue;
		}
		/* Simpleroutines: no reply; a refused request's rights are dropped. */
		if (reply->RetCode != MIG_NO_REPLY) {
			dp.bad++;
			in->head.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&in->head);
		}
	}
	dp_wire(stack, DP_STACK_WIRED + PG, VM_PROT_NONE);
	return NULL;
}

/*
 * vm_set_default_memory_manager with a send right we hold (moved), which
 * the stub cannot send (its type makes a send right from a receive right).
 * Shared with the dpdead suite (utest.h).
 */
kern_return_t utest_set_default_manager(mach_port_t host_priv, mach_port_t manager,
					mach_port_t *old)
{
	struct {
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	port;
		uint8_t				trailer[64];
	} m;
	mig_reply_error_t *err = (mig_reply_error_t *)&m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			   MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = (mach_msg_size_t)offsetof(typeof(m), trailer);
	m.head.msgh_remote_port = host_priv;
	m.head.msgh_local_port = mig_get_reply_port();
	m.head.msgh_id = DP_SET_ID;
	m.body.msgh_descriptor_count = 1;
	m.port.name = manager;
	m.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	mr = mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, m.head.msgh_size, sizeof(m),
			   m.head.msgh_local_port, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (!(m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return err->RetCode;
	*old = m.port.name;
	return KERN_SUCCESS;
}

static unsigned long dp_free_pages(mach_port_t host)
{
	struct vm_statistics vs;
	mach_msg_type_number_t cnt = HOST_VM_INFO_COUNT;

	if (host_statistics(host, HOST_VM_INFO, (host_info_t)&vs, &cnt) != KERN_SUCCESS)
		return 0;
	return (unsigned long)vs.free_count;
}

/* Wait (up to 5 s) until *count reaches n. */
static bool dp_wait(volatile unsigned int *count, unsigned int n)
{
	unsigned int i;

	for (i = 0; *count < n && i < 500; i++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10);
	return *count >= n;
}

/* Flush the whole object to us; true once lock_completed came. */
static bool dp_flush(struct utest *t, const struct dp_object *o)
{
	unsigned int done = dp.completed;

	UT_EXPECT_EQ(t, memory_object_lock_request(o->control, 0, o->size,
						   MEMORY_OBJECT_RETURN_ALL, TRUE,
						   VM_PROT_NO_CHANGE, o->port), KERN_SUCCESS);
	return dp_wait(&dp.completed, done + 1);
}

/* Words of the workload that are not what round (and the rewritten pages' 2) wrote. */
static unsigned long dp_check(vm_address_t work, bool rewritten)
{
	unsigned long p, w, bad = 0;

	for (p = 0; p < DP_WORK; p++) {
		const uint64_t *page = (const uint64_t *)(work + p * PG);
		unsigned int round = rewritten && p % DP_EVERY == 0 ? 2 : 1;

		for (w = 0; w < PG / 8; w++)
			bad += page[w] != dp_word(p, w, round);
	}
	return bad;
}

/* Most of the free memory wired, so that the workload's writes page out. */
static vm_size_t dp_pressure(struct utest *t, mach_port_t host_priv, vm_address_t *wired)
{
	unsigned long free_pages = dp_free_pages(host_priv);
	vm_size_t size;

	if (free_pages <= DP_FREE_LEFT + 1)
		return 0;
	size = (free_pages - DP_FREE_LEFT) * PG;
	UT_EXPECT_EQ(t, vm_allocate(mach_task_self(), wired, size, TRUE), KERN_SUCCESS);
	/* Attributes of its own: the workload's entry must not extend it. */
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), *wired, size, VM_INHERIT_SHARE),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_wire(host_priv, mach_task_self(), *wired, size,
				VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
	return size;
}

/* The workload's object (made by its first pageout), or NULL. */
static struct dp_object *dp_work_object(void)
{
	unsigned int i;

	for (i = 0; i < dp.nobj; i++)
		if (dp.obj[i].work)
			return &dp.obj[i];
	return NULL;
}

static void dp_workload(struct utest *t, vm_address_t wired, vm_size_t wire_size)
{
	vm_address_t work = 0;
	unsigned long p, early;
	unsigned int inits, requests;
	struct dp_object *o = NULL;

	/* After the registration: the object is ours. Kept apart from later regions. */
	UT_EXPECT_EQ(t, vm_allocate(mach_task_self(), &work, DP_WORK * PG, TRUE), KERN_SUCCESS);
	if (!work)
		goto out;
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), work, DP_WORK * PG, VM_INHERIT_NONE),
		     KERN_SUCCESS);
	for (p = 0; p < DP_WORK && !dp_work_object(); p++)
		dp_fill((uint64_t *)(work + p * PG), p, 1);
	early = p;
	if (wired)
		vm_deallocate(mach_task_self(), wired, wire_size);	/* unwires it */
	wired = 0;
	for (; p < DP_WORK; p++)
		dp_fill((uint64_t *)(work + p * PG), p, 1);
	utest_ktap(2, "# dpager: %lu MiB wired, first page to us after %lu pages written",
		   (unsigned long)(wire_size >> 20), early);
	o = dp_work_object();
	UT_EXPECT(t, early < DP_WORK);
	if (!o) {
		utest_fail(t, __FILE__, __LINE__, "no memory_object_create for the workload");
		goto out;
	}

	/* Every page to us: data_initialize once per page, then all absent. */
	UT_EXPECT(t, dp_flush(t, o));
	UT_EXPECT_EQ(t, dp.inits, DP_WORK);
	UT_EXPECT_EQ(t, dp.returns, 0);
	requests = dp.requests;
	UT_EXPECT_EQ(t, dp_check(work, false), 0);
	UT_EXPECT_EQ(t, dp.requests - requests, DP_WORK / DP_CLUSTER);

	/* Rewritten pages come back with data_return; the clean ones go unsent. */
	for (p = 0; p < DP_WORK; p += DP_EVERY)
		dp_fill((uint64_t *)(work + p * PG), p, 2);
	inits = dp.inits;
	UT_EXPECT(t, dp_flush(t, o));
	UT_EXPECT_EQ(t, dp.inits, inits);
	UT_EXPECT_EQ(t, dp.returns, DP_WORK / DP_EVERY);
	requests = dp.requests;
	UT_EXPECT_EQ(t, dp_check(work, true), 0);
	UT_EXPECT_EQ(t, dp.requests - requests, DP_WORK / DP_CLUSTER);
	UT_EXPECT_EQ(t, dp.unknown, 0);
out:
	if (wired)
		vm_deallocate(mach_task_self(), wired, wire_size);
	if (work)
		vm_deallocate(mach_task_self(), work, DP_WORK * PG);
	if (o)
		UT_EXPECT(t, dp_wait(&dp.terminates, 1));
}

static void *dp_nothing(void *arg)
{
	return arg;
}

static void utest_dpager_workload(struct utest *t)
{
	mach_port_t host_priv = utest_host_priv(t), kernel, old = MACH_PORT_NULL;
	vm_address_t wired = 0;
	vm_size_t wire_size;
	vm_size_t mapped;
	cthread_t th;

	if (host_priv == MACH_PORT_NULL)
		return;
	memset(&dp, 0, sizeof(dp));
	memset(dp_slot, 0, sizeof(dp_slot));
	dp.host_priv = host_priv;
	/*
	 * Our mapped bytes (the manager's stack goes at the join), once
	 * cthreads has its heap: a first thread's struct cthread makes it.
	 */
	cthread_join(cthread_fork(dp_nothing, NULL));
	mapped = utest_mapped();
	UT_EXPECT_EQ(t, dp_wire_task(), KERN_SUCCESS);
	dp.port = utest_port();
	UT_ASSERT(t, dp.port != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &dp.set),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_move_member(mach_task_self(), dp.port, dp.set), KERN_SUCCESS);
	/* Its stack and our slots exist before we register: never ours to keep. */
	th = cthread_fork(dp_manager, NULL);
	while (!dp.ready)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1);
	wire_size = dp_pressure(t, host_priv, &wired);

	/* Register: the kernel's pager's port comes back. */
	kernel = dp.port;
	UT_ASSERT_EQ(t, vm_set_default_memory_manager(host_priv, &kernel), KERN_SUCCESS);
	UT_EXPECT(t, MACH_PORT_VALID(kernel) && kernel != dp.port);

	dp_workload(t, wired, wire_size);
	UT_EXPECT_EQ(t, dp.terminates, dp.nobj);
	UT_EXPECT_EQ(t, dp.bad, 0);
	utest_ktap(2, "# dpager: %u objects (%u pages of others), %u initialized, %u returned, "
		   "%u requested", dp.nobj, dp.others, dp.inits, dp.returns, dp.requests);

	/* The kernel's pager again (its port moved back): ours comes back. */
	UT_EXPECT_EQ(t, utest_set_default_manager(host_priv, kernel, &old), KERN_SUCCESS);
	UT_EXPECT_EQ(t, old, dp.port);
	if (MACH_PORT_VALID(old))
		mach_port_deallocate(mach_task_self(), old);
	old = MACH_PORT_NULL;
	UT_EXPECT_EQ(t, vm_set_default_memory_manager(host_priv, &old), KERN_SUCCESS);
	UT_EXPECT(t, MACH_PORT_VALID(old) && old != dp.port);
	if (MACH_PORT_VALID(old))
		mach_port_deallocate(mach_task_self(), old);

	UT_EXPECT_EQ(t, utest_send(dp.port, MACH_MSG_TYPE_MAKE_SEND, DP_STOP_ID, 0, 1000),
		     MACH_MSG_SUCCESS);
	cthread_join(th);
	UT_EXPECT_EQ(t, dp_unwire_task(), KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_mapped(), mapped);
	utest_port_destroy(dp.port);
	mach_port_destroy(mach_task_self(), dp.set);
	mach_port_deallocate(mach_task_self(), host_priv);
}

static const struct utest_case utest_dpager_cases[] = {
	UTEST_CASE(utest_dpager_workload),
	{}
};

const struct utest_suite utest_dpager_suite = { "dpager", utest_dpager_cases, false };
