// SPDX-License-Identifier: MIT
/*
 * The memory_object suite: a kernel thread acts as the pager of a memory
 * object port. It receives the kernel's requests (memory_object_init,
 * data_request, data_return, terminate) as messages in its IPC space and
 * answers through the object its control port names
 * (vm_object_control_lookup(), then vm_object_data_supply() etc.: what
 * the control port's MIG routines do). The test thread maps the object in
 * a user map and faults on it. Each misbehaving pager (data_error, a
 * supply beside the object, a dead port, silence) makes the fault fail
 * with KERN_MEMORY_ERROR; pages, objects, entries and kmsgs come back to
 * their baseline.
 */
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <kern/vm_fault.h>
#include <kern/vm_map_copy.h>
#include <ipc/ipc_msg_test_util.h>
#include "vm_test_util.h"

#define MO_BASE		0x40000000UL
#define MO_END		(MO_BASE + 256 * PAGE_SIZE)
#define MO_PAGES	4

enum mo_mode { MO_SUPPLY, MO_UNAVAILABLE, MO_ERROR, MO_BESIDE, MO_DIE, MO_SILENT };

struct mo_pager {
	ipc_space_t	space;
	mach_port_name_t name;
	enum mo_mode	mode;
	volatile bool	stop, dead;
	unsigned int	inits, requests, returns, terminates;
	unsigned char	returned;	/* first byte of the last page returned */
};

#pragma pack(push, 4)
struct mo_request {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	control;
	memory_object_offset_t		offset;
	vm_size_t			length;
	vm_prot_t			access;
};

struct mo_return {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	control;
	mach_msg_ool_descriptor_t	data;
};
#pragma pack(pop)

static unsigned char mo_pat(vm_offset_t off)
{
	return (unsigned char)(off / PAGE_SIZE * 31 + 7);
}

static void mo_answer(struct mo_pager *p, struct mo_request *r)
{
	struct vm_object *obj = vm_object_control_lookup(ipc_test_port_of(p->space,
									 r->control.name));
	unsigned char *buf;

	p->requests++;
	if (p->mode == MO_DIE) {
		p->dead = true;
		ipc_test_space_done(p->space);
	}
	if (!obj)
		return;
	switch (p->mode) {
	case MO_SUPPLY:
	case MO_BESIDE:
		buf = kalloc(PAGE_SIZE);
		if (buf) {
			memset(buf, mo_pat(r->offset), PAGE_SIZE);
			vm_object_data_supply(obj, p->mode == MO_SUPPLY ? r->offset :
						   r->offset + 64 * PAGE_SIZE,
					      vm_map_copy_from_kernel(buf, PAGE_SIZE),
					      VM_PROT_NONE, false);
			kfree(buf, PAGE_SIZE);
		}
		break;
	case MO_UNAVAILABLE:
		vm_object_data_unavailable(obj, r->offset, r->length);
		break;
	case MO_ERROR:
		vm_object_data_error(obj, r->offset, r->length, KERN_FAILURE);
		break;
	default:
		break;
	}
	vm_object_deallocate(obj);
}

static void mo_pager_fn(void *arg)
{
	struct mo_pager *p = arg;
	struct tmsg *m = kalloc(sizeof(*m));

	while (m && !p->stop && !p->dead) {
		if (tmsg_recv(p->space, m, p->name, MACH_RCV_TIMEOUT, 10, 0) != MACH_MSG_SUCCESS)
			continue;
		switch (m->h.msgh_id) {
		case 2200:
			p->inits++;
			break;
		case 2201:
			p->terminates++;
			break;
		case 2203:
			mo_answer(p, (struct mo_request *)m);
			break;
		case 2208: {
			struct mo_return *r = (struct mo_return *)m;

			p->returns++;
			if (r->data.address) {
				p->returned = *(unsigned char *)r->data.address;
				ipc_ool_free(r->data.address, r->data.size);
			}
			break;
		}
		}
	}
	kfree(m, sizeof(*m));
}

struct mo_case {
	struct mo_pager		p;
	struct thread		*th;
	vm_map_t		map;
	vm_offset_t		a;
};

/* A pager thread in mode, its object mapped at c->a in a new map. */
static void mo_start(struct ktest *t, struct mo_case *c, enum mo_mode mode)
{
	struct vm_object *obj;
	ipc_port_t port;

	memset(c, 0, sizeof(*c));
	c->p.space = ipc_test_space(t);
	c->p.name = ipc_test_port(t, c->p.space);
	c->p.mode = mode;
	port = ipc_port_make_send(ipc_test_port_of(c->p.space, c->p.name));
	obj = vm_object_enter(port, MO_PAGES * PAGE_SIZE);
	ipc_port_release_send(port);
	KTEST_ASSERT_NOT_NULL(t, obj);
	c->map = vm_test_map(t, MO_BASE, MO_END);
	KTEST_ASSERT_EQ(t, vm_map_enter(c->map, &c->a, MO_PAGES * PAGE_SIZE, 0, true, obj, 0,
					false, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
			KERN_SUCCESS);
	c->th = kernel_thread_create(mo_pager_fn, &c->p, BASEPRI_KERNEL, "mo-pager");
	KTEST_ASSERT_NOT_NULL(t, c->th);
}

/* Unmap (the object terminates), then stop the pager once it has heard. */
static void mo_finish(struct mo_case *c)
{
	uint64_t until = clock_now() + 2000ULL * 1000 * 1000;

	vm_map_deallocate(c->map);
	while (!c->p.dead && !c->p.terminates && clock_now() < until)
		thread_delay(1000 * 1000);
	c->p.stop = true;
	thread_join(c->th);
	thread_deallocate(c->th);
	if (!c->p.dead)
		ipc_test_space_done(c->p.space);
}

static struct {
	unsigned long	entries, objects, tabled, allocated;
	struct tmsg_baseline msgs;
} mo_base;

static int mo_test_init(struct ktest *t)
{
	mo_base.entries = vm_map_entry_count();
	mo_base.objects = vm_object_count();
	mo_base.tabled = vm_test_tabled();
	mo_base.allocated = vm_test_allocated();
	tmsg_baseline_take(&mo_base.msgs);
	return 0;
}

static void mo_test_exit(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), mo_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), mo_base.objects);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), mo_base.tabled);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), mo_base.allocated);
	tmsg_baseline_check(t, &mo_base.msgs);
}

/* Data supplied on request; a dirty page goes back at termination. */
static void mo_test_supply(struct ktest *t)
{
	struct mo_case c;

	mo_start(t, &c, MO_SUPPLY);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 5), mo_pat(0));
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 2 * PAGE_SIZE + 9), mo_pat(2 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 6), mo_pat(0));	/* resident now */
	KTEST_EXPECT_EQ(t, c.p.requests, 2U);
	vm_test_poke(c.map, c.a + 3 * PAGE_SIZE, 0xab);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.inits, 1U);
	KTEST_EXPECT_EQ(t, c.p.requests, 3U);
	KTEST_EXPECT_EQ(t, c.p.returns, 1U);
	KTEST_EXPECT_EQ(t, c.p.returned, 0xab);
	KTEST_EXPECT_EQ(t, c.p.terminates, 1U);
}

static void mo_test_unavailable(struct ktest *t)
{
	struct mo_case c;

	mo_start(t, &c, MO_UNAVAILABLE);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + PAGE_SIZE), 0);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.returns, 0U);	/* clean pages stay here */
}

/* Every misbehaving pager: the fault fails with KERN_MEMORY_ERROR. */
static void mo_test_fails(struct ktest *t, enum mo_mode mode)
{
	struct mo_case c;
	unsigned long timeout = vm_pager_timeout_ms;
	uint64_t start;

	vm_pager_timeout_ms = 200;
	mo_start(t, &c, mode);
	start = clock_now();
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_READ, false), KERN_MEMORY_ERROR);
	KTEST_EXPECT_LT(t, clock_now() - start, 2000ULL * 1000 * 1000);
	if (mode != MO_SILENT)
		KTEST_EXPECT_LT(t, clock_now() - start, 150ULL * 1000 * 1000);
	KTEST_EXPECT_EQ(t, c.p.requests, 1U);
	/* Nothing stays behind: the absent page is gone. */
	KTEST_EXPECT_EQ(t, pmap_resident_count(c.map->pmap), 0UL);
	mo_finish(&c);
	vm_pager_timeout_ms = timeout;
}

static void mo_test_error(struct ktest *t)
{
	mo_test_fails(t, MO_ERROR);
}

static void mo_test_beside(struct ktest *t)
{
	mo_test_fails(t, MO_BESIDE);
}

static void mo_test_dead(struct ktest *t)
{
	mo_test_fails(t, MO_DIE);
}

static void mo_test_silent(struct ktest *t)
{
	mo_test_fails(t, MO_SILENT);
}

static struct ktest_case mo_test_cases[] = {
	KTEST_CASE(mo_test_supply),
	KTEST_CASE(mo_test_unavailable),
	KTEST_CASE(mo_test_error),
	KTEST_CASE(mo_test_beside),
	KTEST_CASE(mo_test_dead),
	KTEST_CASE(mo_test_silent),
	{}
};

static struct ktest_suite mo_test_suite = {
	.name = "memory_object",
	.init = mo_test_init,
	.exit = mo_test_exit,
	.test_cases = mo_test_cases,
};
KTEST_SUITE(mo_test_suite);
