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
#include <kernel/task_test_util.h>
#include "vm_test_util.h"

#define MO_BASE		0x40000000UL
#define MO_END		(MO_BASE + 256 * PAGE_SIZE)
#define MO_PAGES	4

/* MO_MSG_*: the pager answers with messages to the control port. */
enum mo_mode { MO_SUPPLY, MO_UNAVAILABLE, MO_ERROR, MO_BESIDE, MO_DIE, MO_SILENT,
	       MO_DELAY, MO_MSG_SUPPLY, MO_MSG_PROVIDED, MO_MSG_UNAVAILABLE, MO_MSG_ERROR,
	       MO_MSG_BESIDE };

/* How the pager answers a data_unlock. */
enum mo_unlock { MO_UNLOCK_GRANT, MO_UNLOCK_KEEP, MO_UNLOCK_ERROR, MO_UNLOCK_SILENT };

struct mo_pager {
	ipc_space_t	space;
	mach_port_name_t name;
	enum mo_mode	mode;
	volatile bool	stop, dead;
	unsigned int	inits, requests, returns, terminates;
	unsigned int	supplied, locked;	/* supply_completed, lock_completed */
	kern_return_t	supply_result;
	unsigned char	returned;	/* first byte of the last page returned */
	/* MO_DELAY: a request arrived; the answer may go; go was set before it. */
	volatile bool	asked, go, go_seen;
	/* MO_DELAY: wait instead for this many faults waiting on the object. */
	unsigned int	await_waiters;
	/* Page locks: the lock_value of MO_SUPPLY, the answer to data_unlock. */
	vm_prot_t	supply_lock;
	enum mo_unlock	unlock_mode;
	unsigned int	unlocks;	/* data_unlock requests, the last one's: */
	memory_object_offset_t unlock_offset;
	vm_size_t	unlock_length;
	vm_prot_t	unlock_access;
	/* Set: before each answer, write a byte at fault_at, running in fault_map. */
	vm_map_t	fault_map;
	vm_offset_t	fault_at;
	unsigned int	faults;
	kern_return_t	fault_kr;	/* the last one's */
	/*
	 * data_requests the pager is done with (mo_answer() returned: the
	 * supplied data discarded, the object's reference dropped).
	 */
	unsigned int	answered;
	/* memory_object_copy: how many, the last one's range and new port's name. */
	unsigned int	copies;
	memory_object_offset_t copy_offset;
	vm_size_t	copy_length;
	mach_port_name_t copy_name;
	vm_offset_t	pat_base;	/* MO_SUPPLY supplies mo_pat(offset + this) */
};

/* MO_DELAY holds its answer this long at most for the go flag. */
#define MO_DELAY_HOLD_MS	3000

/*
 * Poll every millisecond, for at most ms milliseconds, until n faults wait
 * on object (each holds paging_in_progress while it waits): whether they did.
 */
static bool mo_await_waiters(struct vm_object *object, unsigned int n, unsigned long ms)
{
	uint64_t until = clock_now() + ms * NSEC_PER_MSEC;

	while (__atomic_load_n(&object->paging_in_progress, __ATOMIC_RELAXED) < n &&
	       clock_now() < until)
		thread_delay(NSEC_PER_MSEC);
	return __atomic_load_n(&object->paging_in_progress, __ATOMIC_RELAXED) >= n;
}

/* Poll flag every millisecond for at most ms milliseconds: its value. */
static bool mo_await(volatile bool *flag, unsigned long ms)
{
	uint64_t until = clock_now() + ms * NSEC_PER_MSEC;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE) && clock_now() < until)
		thread_delay(NSEC_PER_MSEC);
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

/* Wait (at most MO_DELAY_HOLD_MS) until *count reaches n: whether it is n. */
static bool mo_await_count(unsigned int *count, unsigned int n)
{
	uint64_t until = clock_now() + MO_DELAY_HOLD_MS * NSEC_PER_MSEC;

	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) < n && clock_now() < until)
		thread_delay(NSEC_PER_MSEC);
	return __atomic_load_n(count, __ATOMIC_ACQUIRE) == n;
}

/* Wait for the pager's first memory_object_copy. */
static bool mo_await_copies(struct mo_pager *p)
{
	return mo_await_count(&p->copies, 1);
}

/*
 * Wait until the pager is done with its first n data_requests. A fault
 * goes on as soon as the supply wakes it, while the pager thread is still
 * in vm_object_data_supply(): the supplied data (a vm_map_copy, an object
 * of its own) is discarded after the wakeup. Objects counted before then
 * count that one too.
 */
static bool mo_await_answered(struct mo_pager *p, unsigned int n)
{
	return mo_await_count(&p->answered, n);
}

#pragma pack(push, 4)
struct mo_request {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	control;
	memory_object_offset_t		offset;
	vm_size_t			length;
	vm_prot_t			access;
};

struct mo_supplied {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	control;
	memory_object_offset_t		offset;
	vm_size_t			length;
	kern_return_t			result;
	memory_object_offset_t		error_offset;
};

struct mo_copy_msg {		/* memory_object_copy */
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	control;
	mach_msg_user_port_descriptor_t	new_object;
	uint32_t			pad;	/* MIG aligns the 64-bit offset */
	memory_object_offset_t		offset;
	vm_size_t			length;
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

/*
 * The pager's answers as messages, in the kernel's layout (the one MIG
 * generates for mach.defs: kernel-form header and descriptors, natural
 * alignment), sent with mach_msg_send_from_kernel() to the control port.
 */
struct mo_k_supply {
	mach_msg_header_t		h;
	mach_msg_body_t			body;
	mach_msg_ool_descriptor_t	data;
	mach_msg_port_descriptor_t	reply_to;
	memory_object_offset_t		offset;
	vm_prot_t			lock_value;
	boolean_t			precious;
};

struct mo_k_provided {
	mach_msg_header_t		h;
	mach_msg_body_t			body;
	mach_msg_ool_descriptor_t	data;
	memory_object_offset_t		offset;
	vm_prot_t			lock_value;
};

struct mo_k_range {		/* data_unavailable (size), data_error (and error) */
	mach_msg_header_t		h;
	memory_object_offset_t		offset;
	vm_size_t			size;
	kern_return_t			error;
};

struct mo_k_lock {
	mach_msg_header_t		h;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	reply_to;
	memory_object_offset_t		offset;
	vm_size_t			size;
	memory_object_return_t		should_return;
	boolean_t			should_flush;
	vm_prot_t			lock_value;
};

struct mo_k_attr {		/* set_attributes; ready without object_ready */
	mach_msg_header_t		h;
	boolean_t			object_ready;
	boolean_t			may_cache;
	memory_object_copy_strategy_t	strategy;
};

struct mo_k_destroy {
	mach_msg_header_t		h;
	kern_return_t			reason;
};

#define MO_ID_PROVIDED		2038
#define MO_ID_UNAVAILABLE	2039
#define MO_ID_GET_ATTRIBUTES	2040
#define MO_ID_LOCK		2044
#define MO_ID_ERROR		2090
#define MO_ID_SET_ATTRIBUTES	2091
#define MO_ID_DESTROY		2092
#define MO_ID_SUPPLY		2093

/* A request to dest (copied send right), size bytes, no reply port. */
static void *mo_msg(void *buf, ipc_port_t dest, mach_msg_id_t id, mach_msg_size_t size)
{
	mach_msg_header_t *h = buf;

	memset(buf, 0, size);
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h->msgh_size = size;
	h->msgh_remote_port = (mach_port_t)dest;
	h->msgh_id = id;
	return buf;
}

static void mo_ool(mach_msg_ool_descriptor_t *d, struct ipc_ool_copy *copy, vm_size_t size)
{
	d->address = copy;
	d->size = (mach_msg_size_t)size;
	d->deallocate = true;
	d->copy = MACH_MSG_VIRTUAL_COPY;
	d->type = MACH_MSG_OOL_DESCRIPTOR;
}

/*
 * One page of mo_pat(offset) as a message's data: kernel memory
 * (ipc_ool_copyin() from a thread without a map) or, for `vm`, a
 * vm_map_copy, the two forms a MIG server can be given.
 */
static struct ipc_ool_copy *mo_page_copy(vm_offset_t offset, bool vm)
{
	struct ipc_ool_copy *copy = NULL;
	unsigned char *buf = kalloc(PAGE_SIZE);

	if (!buf)
		return NULL;
	memset(buf, mo_pat(offset), PAGE_SIZE);
	if (vm) {
		struct vm_map_copy *vmc = vm_map_copy_from_kernel(buf, PAGE_SIZE);

		copy = ipc_ool_copy_from_vm(vmc);
		if (!copy)
			vm_map_copy_discard(vmc);
	} else if (ipc_ool_copyin(buf, PAGE_SIZE, false, &copy) != MACH_MSG_SUCCESS) {
		copy = NULL;
	}
	kfree(buf, PAGE_SIZE);
	return copy;
}

static void mo_send_supply(struct mo_pager *p, ipc_port_t control, vm_offset_t offset)
{
	struct mo_k_supply m;
	struct ipc_ool_copy *copy = mo_page_copy(offset, false);

	if (!copy)
		return;
	mo_msg(&m, control, MO_ID_SUPPLY, TT_END(struct mo_k_supply, precious));
	m.h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.body.msgh_descriptor_count = 2;
	mo_ool(&m.data, copy, PAGE_SIZE);
	/* supply_completed comes to the pager's own port. */
	m.reply_to.name = (mach_port_t)ipc_test_port_of(p->space, p->name);
	m.reply_to.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	m.reply_to.type = MACH_MSG_PORT_DESCRIPTOR;
	m.offset = p->mode == MO_MSG_BESIDE ? offset + 64 * PAGE_SIZE : offset;
	m.lock_value = VM_PROT_NONE;
	mach_msg_send_from_kernel(&m.h, m.h.msgh_size);
}

static void mo_send_provided(ipc_port_t control, vm_offset_t offset)
{
	struct mo_k_provided m;
	struct ipc_ool_copy *copy = mo_page_copy(offset, true);

	if (!copy)
		return;
	mo_msg(&m, control, MO_ID_PROVIDED, TT_END(struct mo_k_provided, lock_value));
	m.h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m.body.msgh_descriptor_count = 1;
	mo_ool(&m.data, copy, PAGE_SIZE);
	m.offset = offset;
	m.lock_value = VM_PROT_NONE;
	mach_msg_send_from_kernel(&m.h, m.h.msgh_size);
}

static void mo_send_range(ipc_port_t control, mach_msg_id_t id, vm_offset_t offset,
			  vm_size_t size)
{
	struct mo_k_range m;

	mo_msg(&m, control, id, id == MO_ID_ERROR ? TT_END(struct mo_k_range, error)
						  : TT_END(struct mo_k_range, size));
	m.offset = offset;
	m.size = size;
	m.error = KERN_FAILURE;
	mach_msg_send_from_kernel(&m.h, m.h.msgh_size);
}

/* lock_request, lock_completed to the pager's own port. */
static mach_msg_return_t mo_send_lock(struct mo_pager *p, ipc_port_t control,
				      vm_offset_t offset, vm_size_t size, int should_return,
				      bool should_flush, vm_prot_t lock_value)
{
	struct mo_k_lock l;

	mo_msg(&l, control, MO_ID_LOCK, TT_END(struct mo_k_lock, lock_value));
	l.h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	l.body.msgh_descriptor_count = 1;
	l.reply_to.name = (mach_port_t)ipc_test_port_of(p->space, p->name);
	l.reply_to.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	l.reply_to.type = MACH_MSG_PORT_DESCRIPTOR;
	l.offset = offset;
	l.size = size;
	l.should_return = should_return;
	l.should_flush = should_flush;
	l.lock_value = lock_value;
	return mach_msg_send_from_kernel(&l.h, l.h.msgh_size);
}

static void mo_answer_msg(struct mo_pager *p, ipc_port_t control, struct mo_request *r)
{
	switch (p->mode) {
	case MO_MSG_SUPPLY:
	case MO_MSG_BESIDE:
		mo_send_supply(p, control, r->offset);
		break;
	case MO_MSG_PROVIDED:
		mo_send_provided(control, r->offset);
		break;
	case MO_MSG_UNAVAILABLE:
		mo_send_range(control, MO_ID_UNAVAILABLE, r->offset, r->length);
		break;
	case MO_MSG_ERROR:
		mo_send_range(control, MO_ID_ERROR, r->offset, r->length);
		break;
	default:
		break;
	}
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
	if (p->fault_map) {
		/* A pager thread of the task whose map it faults on, as a manager's cthread. */
		vm_map_t old = vm_map_switch(p->fault_map);
		unsigned char v = 1;

		p->fault_kr = copyout(&v, (void __user *)p->fault_at, 1);
		vm_map_switch(old);
		p->faults++;
	}
	if (p->mode >= MO_MSG_SUPPLY)
		mo_answer_msg(p, ipc_test_port_of(p->space, r->control.name), r);
	switch (p->mode) {
	case MO_DELAY:
		/*
		 * Hold the answer until the test's other thread has done its
		 * map operations (go), which it can only while the fault
		 * waits without the map lock: go_seen records the order.
		 */
		__atomic_store_n(&p->asked, true, __ATOMIC_RELEASE);
		if (p->await_waiters)
			p->go_seen = mo_await_waiters(obj, p->await_waiters, MO_DELAY_HOLD_MS);
		else
			p->go_seen = mo_await(&p->go, MO_DELAY_HOLD_MS);
		/* fall through */
	case MO_SUPPLY:
	case MO_BESIDE:
		buf = kalloc(PAGE_SIZE);
		if (buf) {
			memset(buf, mo_pat(r->offset + p->pat_base), PAGE_SIZE);
			vm_object_data_supply(obj, p->mode != MO_BESIDE ? r->offset :
						   r->offset + 64 * PAGE_SIZE,
					      vm_map_copy_from_kernel(buf, PAGE_SIZE),
					      p->supply_lock, false);
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

/*
 * A data_unlock: recorded, then answered as p->unlock_mode says, once
 * p->await_waiters faults wait on the object if that is set.
 */
static void mo_unlock(struct mo_pager *p, struct mo_request *r)
{
	ipc_port_t control = ipc_test_port_of(p->space, r->control.name);
	struct vm_object *obj = vm_object_control_lookup(control);

	p->unlocks++;
	p->unlock_offset = r->offset;
	p->unlock_length = r->length;
	p->unlock_access = r->access;
	if (!obj)
		return;
	__atomic_store_n(&p->asked, true, __ATOMIC_RELEASE);
	if (p->await_waiters)
		p->go_seen = mo_await_waiters(obj, p->await_waiters, MO_DELAY_HOLD_MS);
	switch (p->unlock_mode) {
	case MO_UNLOCK_GRANT:
		mo_send_lock(p, control, r->offset, r->length, MEMORY_OBJECT_RETURN_NONE,
			     false, VM_PROT_NONE);
		break;
	case MO_UNLOCK_KEEP:
		vm_object_lock_request(obj, r->offset, r->length, MEMORY_OBJECT_RETURN_NONE,
				       false, p->supply_lock, IP_NULL);
		break;
	case MO_UNLOCK_ERROR:
		vm_object_data_error(obj, r->offset, r->length, KERN_FAILURE);
		break;
	case MO_UNLOCK_SILENT:
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
		case 2202: {
			struct mo_copy_msg *cm = (struct mo_copy_msg *)m;

			p->copy_offset = cm->offset;
			p->copy_length = cm->length;
			p->copy_name = cm->new_object.name;
			__atomic_store_n(&p->copies, p->copies + 1, __ATOMIC_RELEASE);
			break;
		}
		case 2203:
			mo_answer(p, (struct mo_request *)m);
			__atomic_store_n(&p->answered, p->answered + 1, __ATOMIC_RELEASE);
			break;
		case 2204:
			mo_unlock(p, (struct mo_request *)m);
			break;
		case 2206:
			p->locked++;
			break;
		case 2207:
			p->supplied++;
			p->supply_result = ((struct mo_supplied *)m)->result;
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
	struct vm_object	*obj;	/* the map's reference */
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
	c->obj = obj;
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
	struct ipc_test_baseline ipc;	/* ports, rights, spaces */
} mo_base;

static int mo_test_init(struct ktest *t)
{
	mo_base.entries = vm_map_entry_count();
	mo_base.objects = vm_object_count();
	mo_base.tabled = vm_test_tabled();
	mo_base.allocated = vm_test_allocated();
	tmsg_baseline_take(&mo_base.msgs);
	ipc_test_baseline_take(&mo_base.ipc);
	return 0;
}

static void mo_test_exit(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), mo_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), mo_base.objects);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), mo_base.tabled);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), mo_base.allocated);
	tmsg_baseline_check(t, &mo_base.msgs);
	/* The RPCs' reply port (tt_rpc()) is the test thread's until given back. */
	mig_dealloc_reply_port(mig_get_reply_port());
	ipc_test_baseline_check(t, &mo_base.ipc);
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

struct mo_faulter {
	struct mo_case	*c;
	unsigned int	pages_ok;
	unsigned long	switches;	/* the faulter's, during its faults */
};

static void mo_faulter_fn(void *arg)
{
	struct mo_faulter *f = arg;
	struct thread *self = current_thread();
	unsigned long before;
	unsigned int i;

	for (i = 0; i < MO_PAGES; i++) {
		before = READ_ONCE(self->switches_in);
		if (vm_test_peek(f->c->map, f->c->a + i * PAGE_SIZE + 3) == mo_pat(i * PAGE_SIZE))
			f->pages_ok++;
		f->switches += READ_ONCE(self->switches_in) - before;
	}
}

/*
 * A supply wakes its fault once, after the object is unlocked. The fault
 * and a pager of lower priority share one CPU: woken under the object's
 * lock, the fault would preempt the pager at once, block on that lock and
 * be woken a second time by the pager's unlock (two switches a fault; on
 * separate CPUs the same made two IPIs a round trip). Now one switch
 * each: back from the page's wait, with the object free.
 */
static void mo_test_supply_wakeup(struct ktest *t)
{
	struct mo_faulter f = { 0 };
	struct thread *th;
	struct mo_case c;
	unsigned int i;

	mo_start(t, &c, MO_SUPPLY);
	f.c = &c;
	/* The pager waits for requests: bindable, once it is off its CPU. */
	for (i = 0; i < 1000 && thread_bind(c.th, 0) != KERN_SUCCESS; i++)
		thread_delay(NSEC_PER_MSEC);
	th = kernel_thread_create_suspended(mo_faulter_fn, &f, BASEPRI_KERNEL + 10, "mo-faulter");
	KTEST_EXPECT_NOT_NULL(t, th);
	if (th) {
		KTEST_EXPECT_EQ(t, thread_bind(th, 0), KERN_SUCCESS);
		thread_resume(th);
		thread_join(th);
		thread_deallocate(th);
	}
	KTEST_EXPECT_EQ(t, f.pages_ok, (unsigned int)MO_PAGES);
	KTEST_EXPECT_EQ(t, c.p.requests, (unsigned int)MO_PAGES);
	/* One switch a fault; one more allowed for a stray preemption. */
	KTEST_EXPECT_LE(t, f.switches, MO_PAGES + 1UL);
	mo_finish(&c);
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

/*
 * The pager timeout of the cases below. A fault that its timeout ends
 * has waited at least the timeout: its deadline is taken after the case's
 * start, and it fails only once clock_now() has reached it. So an elapsed
 * time under the timeout proves that the pager's answer (data_error, a
 * supply beside the object, its death) ended the fault, however long a
 * loaded host kept the pager thread from running: no wall-clock guess at
 * "fast" is needed, only a timeout far beyond any such stall. The silent
 * pager's fault must end by the timeout: not before it, and not far after
 * it (one wait slice and the scheduling latency of a host that stalls the
 * guest, bounded like the scheduler suites' deadlines).
 */
#define MO_ANSWERED_TIMEOUT_MS	10000
#define MO_SILENT_TIMEOUT_MS	200
#define MO_SILENT_LATE_FACTOR	10

/* Every misbehaving pager: the fault fails with KERN_MEMORY_ERROR. */
static void mo_test_fails(struct ktest *t, enum mo_mode mode)
{
	struct mo_case c;
	unsigned long timeout = vm_pager_timeout_ms;
	uint64_t start, elapsed, limit;

	vm_pager_timeout_ms = mode == MO_SILENT ? MO_SILENT_TIMEOUT_MS : MO_ANSWERED_TIMEOUT_MS;
	limit = vm_pager_timeout_ms * NSEC_PER_MSEC;
	mo_start(t, &c, mode);
	start = clock_now();
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_READ, false), KERN_MEMORY_ERROR);
	elapsed = clock_now() - start;
	if (mode == MO_SILENT) {
		KTEST_EXPECT_GE(t, elapsed, limit);
		KTEST_EXPECT_LT(t, elapsed, MO_SILENT_LATE_FACTOR * limit);
	} else {
		/* Under the timeout: the answer ended the fault, not the timeout. */
		KTEST_EXPECT_LT(t, elapsed, limit);
	}
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

/*
 * A fault waiting for a pager holds no map lock. The pager (MO_DELAY)
 * holds its answer until a second thread has changed the same map while
 * the fault waits, and records whether it could (go_seen): with the map
 * locked across the wait the second thread would block until the answer,
 * which the pager gives only after MO_DELAY_HOLD_MS without go.
 */
enum mo_mapper_op { MO_OPS_ELSEWHERE, MO_OPS_REMOVE, MO_OPS_REPLACE, MO_OPS_FAULT,
		   MO_OPS_WRITE, MO_OPS_PROTECT };

struct mo_mapper {
	struct mo_case		*c;
	enum mo_mapper_op	op;
	kern_return_t		kr[3];
};

static void mo_mapper_fn(void *arg)
{
	struct mo_mapper *m = arg;
	struct mo_case *c = m->c;
	vm_offset_t a = MO_BASE, len = MO_PAGES * PAGE_SIZE;

	if (!mo_await(&c->p.asked, 2 * MO_DELAY_HOLD_MS))
		return;
	m->kr[0] = m->kr[1] = m->kr[2] = KERN_SUCCESS;	/* those op does not set */
	switch (m->op) {
	case MO_OPS_ELSEWHERE:
		m->kr[0] = vm_map_allocate(c->map, &a, 2 * PAGE_SIZE, true);
		m->kr[1] = vm_map_protect(c->map, a, a + PAGE_SIZE, VM_PROT_READ, false);
		m->kr[2] = vm_map_remove(c->map, a, a + 2 * PAGE_SIZE);
		break;
	case MO_OPS_REMOVE:
		m->kr[0] = vm_map_remove(c->map, c->a, c->a + len);
		break;
	case MO_OPS_REPLACE:
		m->kr[0] = vm_map_remove(c->map, c->a, c->a + len);
		a = c->a;
		m->kr[1] = vm_map_allocate(c->map, &a, len, false);
		break;
	case MO_OPS_FAULT:
		/* A second fault on the page, which waits for the first's request. */
		m->kr[0] = vm_fault(c->map, c->a, VM_PROT_READ, false);
		break;
	case MO_OPS_WRITE:
		/* A second write fault, which waits for the first's data_unlock. */
		m->kr[0] = vm_fault(c->map, c->a, VM_PROT_WRITE, false);
		break;
	case MO_OPS_PROTECT:
		m->kr[0] = vm_map_protect(c->map, c->a, c->a + len, VM_PROT_NONE, false);
		break;
	}
	__atomic_store_n(&c->p.go, true, __ATOMIC_RELEASE);
}

/* What waits for the pager: a fault, vm_map_wire, vm_write (vm_map_copy_overwrite). */
enum mo_access { MO_ACCESS_FAULT, MO_ACCESS_WIRE, MO_ACCESS_OVERWRITE };

#define MO_OVERWRITE_BYTE	0x3c

static kern_return_t mo_access(struct mo_case *c, enum mo_access how, vm_prot_t type)
{
	unsigned char bytes[16];
	struct vm_map_copy *copy;
	kern_return_t kr;

	switch (how) {
	case MO_ACCESS_WIRE:
		return vm_map_wire(c->map, c->a, c->a + PAGE_SIZE, VM_PROT_READ);
	case MO_ACCESS_OVERWRITE:
		memset(bytes, MO_OVERWRITE_BYTE, sizeof(bytes));
		copy = vm_map_copy_from_kernel(bytes, sizeof(bytes));
		if (!copy)
			return KERN_RESOURCE_SHORTAGE;
		kr = vm_map_write(c->map, c->a + 7, copy);
		if (kr != KERN_SUCCESS)
			vm_map_copy_discard(copy);	/* consumed on success only */
		return kr;
	default:
		return vm_fault(c->map, c->a, type, false);
	}
}

/* Fault (or how) on c->a while a mapper thread does op: the fault's result. */
static kern_return_t mo_access_while(struct ktest *t, struct mo_case *c,
				     enum mo_mapper_op op, enum mo_access how,
				     kern_return_t *kr)
{
	unsigned long timeout = vm_pager_timeout_ms;
	struct mo_mapper m = { .c = c, .op = op,
				.kr = { KERN_FAILURE, KERN_FAILURE, KERN_FAILURE } };
	struct thread *th;
	kern_return_t fault;
	unsigned int i;

	vm_pager_timeout_ms = MO_ANSWERED_TIMEOUT_MS;	/* beyond the pager's hold */
	if (op == MO_OPS_FAULT || op == MO_OPS_WRITE)
		c->p.await_waiters = 2;		/* the pager answers once both wait */
	th = kernel_thread_create(mo_mapper_fn, &m, BASEPRI_KERNEL, "mo-mapper");
	KTEST_EXPECT_NOT_NULL(t, th);
	fault = mo_access(c, how, op == MO_OPS_WRITE ? VM_PROT_WRITE : VM_PROT_READ);
	if (th) {
		thread_join(th);
		thread_deallocate(th);
	}
	vm_pager_timeout_ms = timeout;
	KTEST_EXPECT_TRUE(t, c->p.asked);
	KTEST_EXPECT_TRUE(t, c->p.go_seen);	/* the other thread's part came during the wait */
	for (i = 0; i < ARRAY_SIZE(m.kr); i++)
		kr[i] = m.kr[i];
	return fault;
}

static kern_return_t mo_fault_while(struct ktest *t, struct mo_case *c,
				    enum mo_mapper_op op, kern_return_t *kr)
{
	return mo_access_while(t, c, op, MO_ACCESS_FAULT, kr);
}

/*
 * The fault on c->a waits while a mapper thread does op; then fault_kr,
 * resident pages in the map, and the byte at c->a (peek >= 0).
 */
static void mo_test_wait(struct ktest *t, enum mo_mapper_op op, kern_return_t fault_kr,
			 unsigned long resident, int peek)
{
	struct mo_case c;
	kern_return_t kr[3];
	unsigned int i;

	mo_start(t, &c, MO_DELAY);
	KTEST_EXPECT_EQ(t, mo_fault_while(t, &c, op, kr), fault_kr);
	for (i = 0; i < ARRAY_SIZE(kr); i++)
		KTEST_EXPECT_EQ(t, kr[i], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_resident_count(c.map->pmap), resident);
	if (peek >= 0)
		KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 7), peek);
	KTEST_EXPECT_EQ(t, c.p.requests, 1U);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.terminates, 1U);
	KTEST_EXPECT_EQ(t, c.p.returns, 0U);
}

/* vm_allocate, vm_protect, vm_deallocate elsewhere in the map complete. */
static void mo_test_wait_unlocked(struct ktest *t)
{
	mo_test_wait(t, MO_OPS_ELSEWHERE, KERN_SUCCESS, 1, mo_pat(0));
}

/*
 * The region goes while the fault waits: the fault looks the map up
 * again and fails; the supplied page goes with the object, which
 * terminates when the fault drops the reference it waited with.
 */
static void mo_test_wait_removed(struct ktest *t)
{
	mo_test_wait(t, MO_OPS_REMOVE, KERN_INVALID_ADDRESS, 0, -1);
}

/*
 * vm_map_wire and vm_write (vm_map_copy_overwrite) wait for the pager with
 * the map unlocked too, as faults do: the mapper's vm_allocate,
 * vm_protect and vm_deallocate elsewhere complete during the wait (op
 * ELSEWHERE), and the region removed meanwhile makes the call, looking
 * again, fail with KERN_INVALID_ADDRESS (op REMOVE). Done, the wired page
 * reads the pager's data and unwires; the written bytes read back beside
 * the pager's; both pages, written for the call, go back at termination.
 */
static void mo_test_wait_access(struct ktest *t, enum mo_access how, enum mo_mapper_op op)
{
	kern_return_t kr[3], expect = op == MO_OPS_REMOVE ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
	struct mo_case c;
	unsigned int i;

	mo_start(t, &c, MO_DELAY);
	KTEST_EXPECT_EQ(t, mo_access_while(t, &c, op, how, kr), expect);
	for (i = 0; i < ARRAY_SIZE(kr); i++)
		KTEST_EXPECT_EQ(t, kr[i], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.requests, 1U);
	if (op == MO_OPS_REMOVE) {
		KTEST_EXPECT_EQ(t, pmap_resident_count(c.map->pmap), 0UL);
	} else if (how == MO_ACCESS_WIRE) {
		KTEST_EXPECT_EQ(t, pmap_resident_count(c.map->pmap), 1UL);
		KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 7), mo_pat(0));
		KTEST_EXPECT_EQ(t, vm_map_unwire(c.map, c.a, c.a + PAGE_SIZE), KERN_SUCCESS);
	} else {
		KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 7), MO_OVERWRITE_BYTE);
		KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 6), mo_pat(0));
	}
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.terminates, 1U);
	KTEST_EXPECT_EQ(t, c.p.returns, op == MO_OPS_REMOVE ? 0U : 1U);
	if (op != MO_OPS_REMOVE)
		KTEST_EXPECT_EQ(t, c.p.returned, mo_pat(0));
}

static void mo_test_wait_wire(struct ktest *t)
{
	mo_test_wait_access(t, MO_ACCESS_WIRE, MO_OPS_ELSEWHERE);
}

static void mo_test_wait_wire_removed(struct ktest *t)
{
	mo_test_wait_access(t, MO_ACCESS_WIRE, MO_OPS_REMOVE);
}

static void mo_test_wait_overwrite(struct ktest *t)
{
	mo_test_wait_access(t, MO_ACCESS_OVERWRITE, MO_OPS_ELSEWHERE);
}

static void mo_test_wait_overwrite_removed(struct ktest *t)
{
	mo_test_wait_access(t, MO_ACCESS_OVERWRITE, MO_OPS_REMOVE);
}

/* The region is replaced by anonymous memory: the fault zero-fills it. */
static void mo_test_wait_replaced(struct ktest *t)
{
	mo_test_wait(t, MO_OPS_REPLACE, KERN_SUCCESS, 1, 0);
}

/*
 * A second fault on the page waits for the first one's request (both
 * waiting before the pager answers: neither holds the map), and both get
 * the one supply.
 */
static void mo_test_wait_shared(struct ktest *t)
{
	mo_test_wait(t, MO_OPS_FAULT, KERN_SUCCESS, 1, mo_pat(0));
}

/*
 * Eager copies of the region: copyin of one page (small: copied at once),
 * and fork with the object's copy strategy MEMORY_OBJECT_COPY_NONE (every
 * page copied at once). Each asks the pager for its pages. got[i]: a byte
 * of page i of the copy (0xa5: not there).
 */
enum mo_copy { MO_COPY_COPYIN, MO_COPY_FORK };

static unsigned int mo_copy_pages(enum mo_copy how)
{
	return how == MO_COPY_FORK ? MO_PAGES : 1;
}

static kern_return_t mo_copy(struct mo_case *c, enum mo_copy how, unsigned char *got)
{
	unsigned int i, pages = mo_copy_pages(how);
	struct vm_map_copy *copy;
	kern_return_t kr;
	vm_map_t child;

	memset(got, 0xa5, pages);
	if (how == MO_COPY_FORK) {
		child = vm_map_fork(c->map);
		if (!child)
			return KERN_RESOURCE_SHORTAGE;
		for (i = 0; i < pages; i++)
			got[i] = vm_test_peek(child, c->a + i * PAGE_SIZE + 7);
		vm_map_deallocate(child);
		return KERN_SUCCESS;
	}
	kr = vm_map_copyin(c->map, c->a, pages * PAGE_SIZE, false, &copy);
	if (kr != KERN_SUCCESS)
		return kr;
	for (i = 0; i < pages; i++)
		vm_map_copy_read(copy, i * PAGE_SIZE + 7, &got[i], 1);
	vm_map_copy_discard(copy);
	return KERN_SUCCESS;
}

/* c's object copied eagerly by fork too (the strategy is the object's). */
static void mo_copy_start(struct ktest *t, struct mo_case *c, enum mo_mode mode,
			  enum mo_copy how)
{
	mo_start(t, c, mode);
	if (how == MO_COPY_FORK)
		KTEST_EXPECT_EQ(t, vm_object_set_attributes(c->obj, true, false,
							    MEMORY_OBJECT_COPY_NONE),
				KERN_SUCCESS);
}

/*
 * The pager is a thread of the task whose map is copied, and it faults
 * in that map (writes a page of its own there) before it answers each
 * request of the copy. The copy waits for it with the map unlocked, so
 * the pager's fault goes through and the copy completes with the pager's
 * data; with the map held across the wait, the copy would fail at the
 * pager timeout (MO_ANSWERED_TIMEOUT_MS), its fault blocked meanwhile.
 */
static void mo_test_copy_pager_faults(struct ktest *t, enum mo_copy how)
{
	unsigned long timeout = vm_pager_timeout_ms;
	unsigned int i, pages = mo_copy_pages(how);
	vm_offset_t own = MO_BASE + MO_PAGES * PAGE_SIZE;
	unsigned char got[MO_PAGES];
	struct mo_case c;
	kern_return_t kr;
	uint64_t until;

	mo_copy_start(t, &c, MO_SUPPLY, how);
	KTEST_ASSERT_EQ(t, vm_map_allocate(c.map, &own, PAGE_SIZE, false), KERN_SUCCESS);
	c.p.fault_at = own;
	c.p.fault_map = c.map;
	vm_pager_timeout_ms = MO_ANSWERED_TIMEOUT_MS;
	kr = mo_copy(&c, how, got);
	vm_pager_timeout_ms = timeout;
	/* Out of the map before it goes (a copy that timed out leaves the pager in it). */
	until = clock_now() + 2 * MO_ANSWERED_TIMEOUT_MS * NSEC_PER_MSEC;
	while (READ_ONCE(c.p.faults) < READ_ONCE(c.p.requests) && clock_now() < until)
		thread_delay(NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.requests, pages);
	KTEST_EXPECT_EQ(t, c.p.faults, pages);
	KTEST_EXPECT_EQ(t, c.p.fault_kr, KERN_SUCCESS);
	for (i = 0; i < pages; i++)
		KTEST_EXPECT_EQ(t, got[i], mo_pat(i * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, own), 1);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.terminates, 1U);
	KTEST_EXPECT_EQ(t, c.p.returns, 0U);
}

static void mo_test_copyin_pager_faults(struct ktest *t)
{
	mo_test_copy_pager_faults(t, MO_COPY_COPYIN);
}

static void mo_test_fork_pager_faults(struct ktest *t)
{
	mo_test_copy_pager_faults(t, MO_COPY_FORK);
}

/*
 * While the eager copy waits for the pager's first page (MO_DELAY holds
 * it until the mapper's op is done, go_seen), another thread changes the
 * map: elsewhere (the copy goes on as it was), or the region removed,
 * made inaccessible or replaced. Then copyin looks the range up again
 * from where it was and fails as Mach's does (KERN_INVALID_ADDRESS,
 * KERN_PROTECTION_FAILURE) or copies what is there now (zeroes of the
 * anonymous memory in its place); fork goes on without the region, which
 * the child does not have (a fork made after the removal).
 */
static void mo_test_copy_wait(struct ktest *t, enum mo_copy how, enum mo_mapper_op op,
			      kern_return_t expect, int byte)
{
	unsigned long timeout = vm_pager_timeout_ms;
	struct mo_mapper m = { .op = op, .kr = { KERN_FAILURE, KERN_FAILURE, KERN_FAILURE } };
	unsigned char got[MO_PAGES];
	struct mo_case c;
	struct thread *th;
	kern_return_t kr;
	unsigned int i;

	mo_copy_start(t, &c, MO_DELAY, how);
	m.c = &c;
	vm_pager_timeout_ms = MO_ANSWERED_TIMEOUT_MS;	/* beyond the pager's hold */
	th = kernel_thread_create(mo_mapper_fn, &m, BASEPRI_KERNEL, "mo-mapper");
	KTEST_EXPECT_NOT_NULL(t, th);
	kr = mo_copy(&c, how, got);
	if (th) {
		thread_join(th);
		thread_deallocate(th);
	}
	vm_pager_timeout_ms = timeout;
	KTEST_EXPECT_EQ(t, kr, expect);
	KTEST_EXPECT_TRUE(t, c.p.asked);
	KTEST_EXPECT_TRUE(t, c.p.go_seen);	/* the mapper's op came during the wait */
	for (i = 0; i < ARRAY_SIZE(m.kr); i++)
		KTEST_EXPECT_EQ(t, m.kr[i], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.requests, mo_copy_pages(how));
	if (byte >= 0)
		KTEST_EXPECT_EQ(t, got[0], byte);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.terminates, 1U);
}

static void mo_test_copyin_wait(struct ktest *t)
{
	mo_test_copy_wait(t, MO_COPY_COPYIN, MO_OPS_ELSEWHERE, KERN_SUCCESS, mo_pat(0));
}

static void mo_test_copyin_wait_removed(struct ktest *t)
{
	mo_test_copy_wait(t, MO_COPY_COPYIN, MO_OPS_REMOVE, KERN_INVALID_ADDRESS, -1);
}

static void mo_test_copyin_wait_protected(struct ktest *t)
{
	mo_test_copy_wait(t, MO_COPY_COPYIN, MO_OPS_PROTECT, KERN_PROTECTION_FAILURE, -1);
}

static void mo_test_copyin_wait_replaced(struct ktest *t)
{
	mo_test_copy_wait(t, MO_COPY_COPYIN, MO_OPS_REPLACE, KERN_SUCCESS, 0);
}

static void mo_test_fork_wait(struct ktest *t)
{
	mo_test_copy_wait(t, MO_COPY_FORK, MO_OPS_ELSEWHERE, KERN_SUCCESS, mo_pat(0));
}

static void mo_test_fork_wait_removed(struct ktest *t)
{
	mo_test_copy_wait(t, MO_COPY_FORK, MO_OPS_REMOVE, KERN_SUCCESS, 0xa5);
}

/*
 * The control port's routines as messages: data_supply (kernel memory,
 * supply_completed to the pager's port) and data_provided (a vm_map_copy)
 * fill the faulting page with the pager's bytes.
 */
static void mo_test_msg_fill(struct ktest *t, enum mo_mode mode)
{
	struct mo_case c;

	mo_start(t, &c, mode);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 5), mo_pat(0));
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 3 * PAGE_SIZE + 1), mo_pat(3 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, c.p.requests, 2U);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.supplied, mode == MO_MSG_SUPPLY ? 2U : 0U);
	KTEST_EXPECT_EQ(t, c.p.supply_result, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.returns, 0U);
}

static void mo_test_msg_supply(struct ktest *t)
{
	mo_test_msg_fill(t, MO_MSG_SUPPLY);
}

static void mo_test_msg_provided(struct ktest *t)
{
	mo_test_msg_fill(t, MO_MSG_PROVIDED);
}

static void mo_test_msg_unavailable(struct ktest *t)
{
	struct mo_case c;

	mo_start(t, &c, MO_MSG_UNAVAILABLE);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, c.p.requests, 1U);
	mo_finish(&c);
}

static void mo_test_msg_error(struct ktest *t)
{
	mo_test_fails(t, MO_MSG_ERROR);
}

/* A supply beside the object: the fault fails, supply_completed says why. */
static void mo_test_msg_beside(struct ktest *t)
{
	struct mo_case c;
	uint64_t until;

	mo_start(t, &c, MO_MSG_BESIDE);
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_READ, false), KERN_MEMORY_ERROR);
	until = clock_now() + 1000ULL * 1000 * 1000;
	while (!c.p.supplied && clock_now() < until)
		thread_delay(1000 * 1000);
	KTEST_EXPECT_EQ(t, c.p.supplied, 1U);
	KTEST_EXPECT_EQ(t, c.p.supply_result, KERN_INVALID_ARGUMENT);
	mo_finish(&c);
}

/*
 * set_attributes, then get_attributes (a routine: tt_rpc() gets the
 * reply); a copy strategy that does not exist is refused with a reply
 * saying so; lock_request flushes the page and answers lock_completed;
 * destroy makes the next fault fail.
 */
static void mo_test_msg_attributes(struct ktest *t)
{
	struct mo_k_attr a;
	struct mo_k_destroy d;
	struct mo_case c;
	ipc_port_t control;
	struct {
		mach_msg_header_t h;
		kern_return_t ret;
		boolean_t ready, may_cache;
		memory_object_copy_strategy_t strategy;
	} *reply = (void *)&tt_msg;
	uint64_t until;

	mo_start(t, &c, MO_MSG_SUPPLY);
	control = c.obj->pager_control;
	KTEST_EXPECT_EQ(t, c.obj->pager_ready, false);
	mo_msg(&a, control, MO_ID_SET_ATTRIBUTES, TT_END(struct mo_k_attr, strategy));
	a.object_ready = true;
	a.strategy = MEMORY_OBJECT_COPY_DELAY;
	KTEST_EXPECT_EQ(t, mach_msg_send_from_kernel(&a.h, a.h.msgh_size), MACH_MSG_SUCCESS);

	tt_request(control, MO_ID_GET_ATTRIBUTES, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, reply->h.msgh_size, TT_END(typeof(*reply), strategy));
	KTEST_EXPECT_EQ(t, reply->ret, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, reply->ready, true);
	KTEST_EXPECT_EQ(t, reply->may_cache, false);
	KTEST_EXPECT_EQ(t, reply->strategy, MEMORY_OBJECT_COPY_DELAY);

	mo_msg(tt_request(control, MO_ID_SET_ATTRIBUTES, 0), control, MO_ID_SET_ATTRIBUTES,
	       TT_END(struct mo_k_attr, strategy));
	tt_msg.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					       MACH_MSG_TYPE_MAKE_SEND_ONCE);
	tt_msg.head.msgh_local_port = mig_get_reply_port();
	((struct mo_k_attr *)&tt_msg)->strategy = MEMORY_OBJECT_COPY_INVALID;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, c.obj->copy_strategy, MEMORY_OBJECT_COPY_DELAY);

	/* A resident page, flushed by lock_request. */
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a), mo_pat(0));
	KTEST_EXPECT_EQ(t, c.obj->resident_page_count, 1U);
	KTEST_EXPECT_EQ(t, mo_send_lock(&c.p, control, 0, MO_PAGES * PAGE_SIZE,
					MEMORY_OBJECT_RETURN_NONE, true, VM_PROT_NO_CHANGE),
			MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, c.obj->resident_page_count, 0U);
	until = clock_now() + 1000ULL * 1000 * 1000;
	while (!c.p.locked && clock_now() < until)
		thread_delay(1000 * 1000);
	KTEST_EXPECT_EQ(t, c.p.locked, 1U);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 7), mo_pat(0));	/* asked again */
	KTEST_EXPECT_EQ(t, c.p.requests, 2U);

	mo_msg(&d, control, MO_ID_DESTROY, TT_END(struct mo_k_destroy, reason));
	d.reason = KERN_FAILURE;
	KTEST_EXPECT_EQ(t, mach_msg_send_from_kernel(&d.h, d.h.msgh_size), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a + PAGE_SIZE, VM_PROT_READ, false),
			KERN_MEMORY_ERROR);
	mo_finish(&c);
}

/*
 * Page locks. The pager supplies its pages write-locked (supply_lock):
 * a read maps the page read-only; a write fault sends data_unlock for
 * that page and access, and goes on once the pager's lock_request lowers
 * the lock; the written data goes back at termination.
 */
static void mo_test_unlock(struct ktest *t)
{
	vm_offset_t off = 2 * PAGE_SIZE;
	struct mo_case c;
	bool writable = true;

	mo_start(t, &c, MO_SUPPLY);
	c.p.supply_lock = VM_PROT_WRITE;
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + off + 5), mo_pat(off));
	KTEST_EXPECT_NE(t, vm_test_pa(c.map, c.a + off, &writable), 0UL);
	KTEST_EXPECT_FALSE(t, writable);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 0U);
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a + off + 9, VM_PROT_WRITE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 1U);
	KTEST_EXPECT_EQ(t, c.p.unlock_offset, (memory_object_offset_t)off);
	KTEST_EXPECT_EQ(t, c.p.unlock_length, (vm_size_t)PAGE_SIZE);
	KTEST_EXPECT_EQ(t, c.p.unlock_access, VM_PROT_WRITE);
	KTEST_EXPECT_NE(t, vm_test_pa(c.map, c.a + off, &writable), 0UL);
	KTEST_EXPECT_TRUE(t, writable);
	vm_test_poke(c.map, c.a + off, 0xcd);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + off), 0xcd);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + off + 1), mo_pat(off));
	/* Unlocked now: no second data_unlock. */
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a + off, VM_PROT_WRITE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 1U);
	KTEST_EXPECT_EQ(t, c.p.requests, 1U);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.returns, 1U);
	KTEST_EXPECT_EQ(t, c.p.returned, 0xcd);
}

/*
 * A pager that does not unlock: lock_request keeping the lock makes the
 * write fault fail with KERN_PROTECTION_FAILURE, data_error and silence
 * with KERN_MEMORY_ERROR (silence after the timeout, the others before
 * it). The page stays, readable; the next write fault asks again.
 */
static void mo_test_unlock_fails(struct ktest *t, enum mo_unlock mode, kern_return_t expect)
{
	unsigned long timeout = vm_pager_timeout_ms;
	uint64_t start, elapsed, limit;
	struct mo_case c;

	vm_pager_timeout_ms = mode == MO_UNLOCK_SILENT ? MO_SILENT_TIMEOUT_MS
						       : MO_ANSWERED_TIMEOUT_MS;
	limit = vm_pager_timeout_ms * NSEC_PER_MSEC;
	mo_start(t, &c, MO_SUPPLY);
	c.p.supply_lock = VM_PROT_WRITE;
	c.p.unlock_mode = mode;
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 3), mo_pat(0));
	start = clock_now();
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_WRITE, false), expect);
	elapsed = clock_now() - start;
	if (mode == MO_UNLOCK_SILENT) {
		KTEST_EXPECT_GE(t, elapsed, limit);
		KTEST_EXPECT_LT(t, elapsed, MO_SILENT_LATE_FACTOR * limit);
	} else {
		KTEST_EXPECT_LT(t, elapsed, limit);
	}
	KTEST_EXPECT_EQ(t, c.p.unlocks, 1U);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 4), mo_pat(0));
	KTEST_EXPECT_EQ(t, c.obj->resident_page_count, 1U);
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_WRITE, false), expect);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 2U);
	KTEST_EXPECT_EQ(t, c.p.requests, 1U);
	mo_finish(&c);
	KTEST_EXPECT_EQ(t, c.p.returns, 0U);
	vm_pager_timeout_ms = timeout;
}

static void mo_test_unlock_kept(struct ktest *t)
{
	mo_test_unlock_fails(t, MO_UNLOCK_KEEP, KERN_PROTECTION_FAILURE);
}

static void mo_test_unlock_error(struct ktest *t)
{
	mo_test_unlock_fails(t, MO_UNLOCK_ERROR, KERN_MEMORY_ERROR);
}

static void mo_test_unlock_silent(struct ktest *t)
{
	mo_test_unlock_fails(t, MO_UNLOCK_SILENT, KERN_MEMORY_ERROR);
}

/*
 * Two write faults on a locked page: the second waits for the first's
 * data_unlock (the pager answers once both wait), one data_unlock in all.
 */
static void mo_test_unlock_shared(struct ktest *t)
{
	kern_return_t kr[3];
	struct mo_case c;

	mo_start(t, &c, MO_SUPPLY);
	c.p.supply_lock = VM_PROT_WRITE;
	KTEST_EXPECT_EQ(t, mo_fault_while(t, &c, MO_OPS_WRITE, kr), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, kr[0], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 1U);
	KTEST_EXPECT_EQ(t, c.p.unlock_access, VM_PROT_WRITE);
	mo_finish(&c);
}

/*
 * lock_request raising the lock of a mapped, written page: its mapping
 * loses write, the dirty data goes back (MEMORY_OBJECT_RETURN_DIRTY) and
 * the page stays; the next write fault sends data_unlock.
 */
static void mo_test_lock_raise(struct ktest *t)
{
	struct mo_case c;
	bool writable = false;
	uint64_t until;

	mo_start(t, &c, MO_SUPPLY);
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_WRITE, false), KERN_SUCCESS);
	vm_test_poke(c.map, c.a, 0xab);
	KTEST_EXPECT_NE(t, vm_test_pa(c.map, c.a, &writable), 0UL);
	KTEST_EXPECT_TRUE(t, writable);
	/* A lock_value that is no protection (nor NO_CHANGE): refused, nothing done. */
	KTEST_EXPECT_EQ(t, mo_send_lock(&c.p, c.obj->pager_control, 0, PAGE_SIZE,
					MEMORY_OBJECT_RETURN_DIRTY, true, VM_PROT_NO_CHANGE << 1),
			MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, c.obj->resident_page_count, 1U);
	KTEST_EXPECT_EQ(t, mo_send_lock(&c.p, c.obj->pager_control, 0, PAGE_SIZE,
					MEMORY_OBJECT_RETURN_DIRTY, false, VM_PROT_WRITE),
			MACH_MSG_SUCCESS);
	KTEST_EXPECT_NE(t, vm_test_pa(c.map, c.a, &writable), 0UL);
	KTEST_EXPECT_FALSE(t, writable);
	KTEST_EXPECT_EQ(t, c.obj->resident_page_count, 1U);
	until = clock_now() + 1000ULL * NSEC_PER_MSEC;
	while ((!c.p.returns || !c.p.locked) && clock_now() < until)
		thread_delay(NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, c.p.returns, 1U);
	KTEST_EXPECT_EQ(t, c.p.returned, 0xab);
	KTEST_EXPECT_EQ(t, c.p.locked, 1U);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 0U);
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_WRITE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 1U);
	KTEST_EXPECT_EQ(t, c.p.unlock_offset, (memory_object_offset_t)0);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a), 0xab);
	KTEST_EXPECT_EQ(t, c.p.requests, 1U);
	mo_finish(&c);
}

/*
 * A control routine sent to a port that is not a control port (a task's,
 * also served by mach.defs): the conversion gives the null object, the
 * routine's error comes back as the reply, and the dispatcher destroys the
 * request: its data (the suite's kmsg and OOL counts) and its reply_to
 * right, whose send-once notification arrives.
 */
/*
 * MEMORY_OBJECT_COPY_CALL: a copy of [PAGE_SIZE, 4 * PAGE_SIZE) of the
 * object (vm_map copy TRUE or copyin of that range; fork, the whole
 * object) sends memory_object_copy with that range and a new memory
 * object's receive right; a second pager thread serves that port: the
 * copy is a new object whose pages come from its data_request (the
 * pager's data, not the source's pages). The source's resident pages in
 * the range lock write: a write to one sends the source's pager
 * data_unlock, which it grants; one outside the range does not. Both
 * objects terminate; every count is back (mo_test_exit()).
 */
enum mo_call { MO_CALL_MAP, MO_CALL_FORK, MO_CALL_COPYIN };

struct mo_call_copy {
	vm_map_t		map;	/* where the copy is mapped (at), or */
	vm_offset_t		at;	/* the copy of the source's PAGE_SIZE */
	struct vm_map_copy	*copy;	/* copyin's, from the source's PAGE_SIZE */
	vm_offset_t		offset;	/* memory_object_copy's range */
	vm_size_t		length;
};

#define MO_CALL_SIZE	(3 * PAGE_SIZE)	/* more than VM_MAP_COPY_SMALL */

static kern_return_t mo_call_copy(struct mo_case *c, enum mo_call how, struct mo_call_copy *x)
{
	ipc_port_t send;
	kern_return_t kr;

	memset(x, 0, sizeof(*x));
	x->offset = PAGE_SIZE;
	x->length = MO_CALL_SIZE;
	switch (how) {
	case MO_CALL_MAP:
		x->map = c->map;
		send = ipc_port_make_send(ipc_test_port_of(c->p.space, c->p.name));
		kr = vm_map_memory_object(c->map, &x->at, MO_CALL_SIZE, 0, true, send, PAGE_SIZE,
					  true, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY);
		ipc_port_release_send(send);
		return kr;
	case MO_CALL_FORK:
		x->offset = 0;
		x->length = MO_PAGES * PAGE_SIZE;
		x->map = vm_map_fork(c->map);
		x->at = c->a + PAGE_SIZE;
		return x->map ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
	default:
		return vm_map_copyin(c->map, c->a + PAGE_SIZE, MO_CALL_SIZE, false, &x->copy);
	}
}

/* A byte of the copy, off bytes past its copy of the source's PAGE_SIZE. */
static unsigned char mo_call_read(struct mo_call_copy *x, vm_offset_t off)
{
	unsigned char b = 0xa5;

	if (x->copy)
		vm_map_copy_read(x->copy, off, &b, 1);
	else
		b = vm_test_peek(x->map, x->at + off);
	return b;
}

static void mo_test_copy_call(struct ktest *t, enum mo_call how)
{
	struct mo_pager cp = { 0 };
	struct mo_call_copy x;
	struct thread *cth;
	struct mo_case c;
	unsigned long objects;
	uint64_t until;

	mo_start(t, &c, MO_SUPPLY);
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + 1), mo_pat(0));
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + PAGE_SIZE + 1), mo_pat(PAGE_SIZE));
	KTEST_EXPECT_EQ(t, vm_object_set_attributes(c.obj, true, false, MEMORY_OBJECT_COPY_CALL),
			KERN_SUCCESS);
	/* The two supplies' data is gone (the pager may still hold it). */
	KTEST_ASSERT_TRUE(t, mo_await_answered(&c.p, 2));
	objects = vm_object_count();
	KTEST_ASSERT_EQ(t, mo_call_copy(&c, how, &x), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_object_count(), objects + 1);	/* the copy's object */
	KTEST_ASSERT_TRUE(t, mo_await_copies(&c.p));
	KTEST_EXPECT_EQ(t, c.p.copy_offset, (memory_object_offset_t)x.offset);
	KTEST_EXPECT_EQ(t, c.p.copy_length, x.length);
	KTEST_ASSERT_NE(t, c.p.copy_name, 0U);

	cp.space = c.p.space;
	cp.name = c.p.copy_name;
	cp.mode = MO_SUPPLY;
	cp.pat_base = x.offset;		/* the copy's offset 0 is the source's x.offset */
	cth = kernel_thread_create(mo_pager_fn, &cp, BASEPRI_KERNEL, "mo-copy-pager");
	KTEST_ASSERT_NOT_NULL(t, cth);

	/* Written before the copy is read: the pager hears it (data_unlock). */
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a + PAGE_SIZE + 3, VM_PROT_WRITE, false),
			KERN_SUCCESS);
	vm_test_poke(c.map, c.a + PAGE_SIZE + 3, 0xee);
	KTEST_EXPECT_EQ(t, c.p.unlocks, 1U);
	KTEST_EXPECT_EQ(t, c.p.unlock_offset, (memory_object_offset_t)PAGE_SIZE);
	KTEST_EXPECT_EQ(t, c.p.unlock_access & VM_PROT_WRITE, VM_PROT_WRITE);
	vm_test_poke(c.map, c.a + 7, 0xef);		/* in fork's range only */
	KTEST_EXPECT_EQ(t, c.p.unlocks, how == MO_CALL_FORK ? 2U : 1U);

	/* The copy's pages are the pager's, asked for on the new object. */
	KTEST_EXPECT_EQ(t, mo_call_read(&x, 3), mo_pat(PAGE_SIZE));
	KTEST_EXPECT_EQ(t, mo_call_read(&x, PAGE_SIZE + 3), mo_pat(2 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, cp.requests, 2U);
	KTEST_EXPECT_EQ(t, cp.inits, 1U);
	KTEST_EXPECT_EQ(t, c.p.requests, 2U);		/* the source's two only */
	if (x.map) {
		KTEST_EXPECT_NE(t, vm_test_pa(x.map, x.at, NULL),
				vm_test_pa(c.map, c.a + PAGE_SIZE, NULL));
		/* The copy's own writes are its own. */
		vm_test_poke(x.map, x.at + 9, 0x5c);
		KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + PAGE_SIZE + 9), mo_pat(PAGE_SIZE));
	}

	if (x.copy)
		vm_map_copy_discard(x.copy);
	if (x.map && x.map != c.map)
		vm_map_deallocate(x.map);
	vm_map_deallocate(c.map);
	until = clock_now() + 2000ULL * NSEC_PER_MSEC;
	while ((!c.p.terminates || !cp.terminates) && clock_now() < until)
		thread_delay(NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, c.p.terminates, 1U);
	KTEST_EXPECT_EQ(t, cp.terminates, 1U);
	cp.stop = true;
	c.p.stop = true;
	thread_join(cth);
	thread_deallocate(cth);
	thread_join(c.th);
	thread_deallocate(c.th);
	ipc_test_space_done(c.p.space);
}

static void mo_test_copy_call_map(struct ktest *t)
{
	mo_test_copy_call(t, MO_CALL_MAP);
}

static void mo_test_copy_call_fork(struct ktest *t)
{
	mo_test_copy_call(t, MO_CALL_FORK);
}

static void mo_test_copy_call_copyin(struct ktest *t)
{
	mo_test_copy_call(t, MO_CALL_COPYIN);
}

static void mo_test_msg_bad_port(struct ktest *t)
{
	ipc_port_t task_port = tt_task_port(kernel_task);
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t name = ipc_test_port(t, space);
	struct mo_k_supply *m;
	struct tmsg *r = kalloc(sizeof(*r));

	KTEST_ASSERT_NOT_NULL(t, r);
	m = tt_request(task_port, MO_ID_SUPPLY, TT_END(struct mo_k_supply, precious));
	m->h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	m->body.msgh_descriptor_count = 2;
	mo_ool(&m->data, mo_page_copy(0, false), PAGE_SIZE);
	m->reply_to.name = (mach_port_t)ipc_test_port_of(space, name);
	m->reply_to.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	m->reply_to.type = MACH_MSG_PORT_DESCRIPTOR;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, tmsg_poll(space, r, name), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, r->h.msgh_id, MACH_NOTIFY_SEND_ONCE);

	tt_request(task_port, MO_ID_GET_ATTRIBUTES, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_INVALID_ARGUMENT);
	kfree(r, sizeof(*r));
	ipc_test_space_done(space);
	ipc_port_release_send(task_port);
	mig_dealloc_reply_port(mig_get_reply_port());
}

static struct ktest_case mo_test_cases[] = {
	KTEST_CASE(mo_test_supply),
	KTEST_CASE(mo_test_supply_wakeup),
	KTEST_CASE(mo_test_unavailable),
	KTEST_CASE(mo_test_error),
	KTEST_CASE(mo_test_beside),
	KTEST_CASE(mo_test_dead),
	KTEST_CASE(mo_test_silent),
	KTEST_CASE(mo_test_wait_unlocked),
	KTEST_CASE(mo_test_wait_removed),
	KTEST_CASE(mo_test_wait_wire),
	KTEST_CASE(mo_test_wait_wire_removed),
	KTEST_CASE(mo_test_wait_overwrite),
	KTEST_CASE(mo_test_wait_overwrite_removed),
	KTEST_CASE(mo_test_wait_replaced),
	KTEST_CASE(mo_test_wait_shared),
	KTEST_CASE(mo_test_copyin_pager_faults),
	KTEST_CASE(mo_test_fork_pager_faults),
	KTEST_CASE(mo_test_copyin_wait),
	KTEST_CASE(mo_test_copyin_wait_removed),
	KTEST_CASE(mo_test_copyin_wait_protected),
	KTEST_CASE(mo_test_copyin_wait_replaced),
	KTEST_CASE(mo_test_fork_wait),
	KTEST_CASE(mo_test_fork_wait_removed),
	KTEST_CASE(mo_test_msg_supply),
	KTEST_CASE(mo_test_msg_provided),
	KTEST_CASE(mo_test_msg_unavailable),
	KTEST_CASE(mo_test_msg_error),
	KTEST_CASE(mo_test_msg_beside),
	KTEST_CASE(mo_test_msg_attributes),
	KTEST_CASE(mo_test_msg_bad_port),
	KTEST_CASE(mo_test_unlock),
	KTEST_CASE(mo_test_unlock_kept),
	KTEST_CASE(mo_test_unlock_error),
	KTEST_CASE(mo_test_unlock_silent),
	KTEST_CASE(mo_test_unlock_shared),
	KTEST_CASE(mo_test_lock_raise),
	KTEST_CASE(mo_test_copy_call_map),
	KTEST_CASE(mo_test_copy_call_fork),
	KTEST_CASE(mo_test_copy_call_copyin),
	{}
};

static struct ktest_suite mo_test_suite = {
	.name = "memory_object",
	.init = mo_test_init,
	.exit = mo_test_exit,
	.test_cases = mo_test_cases,
};
KTEST_SUITE(mo_test_suite);
