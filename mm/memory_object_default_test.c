// SPDX-License-Identifier: MIT
/*
 * The memory_object_default suite: a kernel thread as the default memory
 * manager (memory_object_default.defs). It registers its port
 * (vm_default_manager_set(), or vm_set_default_memory_manager as a
 * message to the host's privileged port), receives memory_object_create
 * with the receive right of a new memory object port, keeps the pages
 * the kernel gives it (data_initialize, data_return) in its own memory
 * and supplies them on data_request. The test thread writes anonymous
 * memory in a user map, forces its pages out (vm_pageout_page(), the
 * pageout suites' hook) and reads every byte back. An object made before
 * the manager registered stays with the kernel's swap, and a manager that
 * dies fails the faults of its objects with KERN_MEMORY_ERROR while new
 * objects go to swap again. Map entries, objects, pages, messages, ports
 * and rights are back at their baseline after each case, and the kernel's
 * own default pager is the manager again.
 */
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <kern/vm_fault.h>
#include <kern/vm_map_copy.h>
#include <kern/vm_pageout.h>
#include <ipc/ipc_msg_test_util.h>
#include <kernel/mig/mig_convert.h>
#include <kernel/task_test_util.h>
#include "vm_test_util.h"

#define MD_BASE		0x40000000UL
#define MD_END		(MD_BASE + 256 * PAGE_SIZE)
#define MD_PAGES	10	/* the region */
/* The manager's own map, where what it receives appears. */
#define MD_MGR_BASE	0x80000000UL
#define MD_MGR_END	(MD_MGR_BASE + (1UL << 30))
#define MD_OUT		8	/* the pages written and paged out */

#define MD_ID_CREATE		2250
#define MD_ID_INITIALIZE	2251
#define MD_ID_TERMINATE		2201
#define MD_ID_REQUEST		2203
#define MD_ID_RETURN		2208
#define MD_ID_SET_MANAGER	2041

#pragma pack(push, 4)
struct md_create_msg {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	object, control, name;
	vm_size_t			size;
	vm_size_t			page_size;
};

/* data_initialize; data_return has dirty and kernel_copy after offset. */
struct md_data_msg {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	control;
	mach_msg_ool_descriptor_t	data;
	memory_object_offset_t		offset;
};

struct md_request_msg {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_user_port_descriptor_t	control;
	memory_object_offset_t		offset;
	vm_size_t			length;
	vm_prot_t			access;
};
#pragma pack(pop)

/* vm_set_default_memory_manager in the kernel's layout (machServer.c). */
struct md_set_request {
	mach_msg_header_t		h;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	manager;
};

/* Why the manager counted a message bad (printed when a case fails). */
enum {
	MD_BAD_PARTIAL,		/* a partial page and no slot or memory to keep it */
	MD_BAD_DATA,		/* data of the wrong size or offset, or unreadable */
	MD_BAD_STORE,		/* no memory to keep a page */
	MD_BAD_CONTROL,		/* a request for an object without control */
	MD_BAD_CREATE,		/* a malformed or second memory_object_create */
	MD_BAD_ID,		/* a message it does not know */
	MD_BAD_REASONS
};

struct md_manager {
	ipc_space_t		space;
	mach_port_name_t	port;		/* the manager's */
	mach_port_name_t	object;		/* memory_object_create's receive right */
	mach_port_name_t	control;
	volatile bool		stop;
	volatile unsigned int	creates, inits, returns, requests, terminates;
	unsigned int		bad;		/* malformed or unexpected messages */
	unsigned int		bad_why[MD_BAD_REASONS];	/* bad, by reason (md_bad()) */
	/*
	 * The thread runs in map (vm_map_switch()): the data it receives is
	 * entered there, which takes no memory, where a thread without a map
	 * gets a kernel copy (ipc_ool_copyout()), which fails when memory is
	 * short and loses the page. It reads each into buf, then removes it.
	 */
	vm_map_t		map;
	unsigned char		*buf;
	vm_size_t		size, page_size;
	unsigned char		*store[MD_PAGES];	/* what it was given, by page */
	/*
	 * Pattern mode (md_test_daemon): pages of the pattern of `seed` are
	 * checked and kept as a bit of `pattern` (npages of them), so that
	 * what is paged out to us frees memory; a page the daemon took while
	 * it was being written (the pattern's first words, then zeroes) is
	 * kept whole in one of `partial`.
	 */
	uint64_t		seed;
	unsigned long		npages;
	unsigned long		*pattern;
	struct {
		unsigned long	idx;
		unsigned char	*data;
	}			partial[8];
	unsigned int		wrong;		/* pages that were not the pattern */
	/* Requests it could not answer yet (no memory for the data): again later. */
	unsigned long		pending[64];
	unsigned int		npending;
};

#define MD_BITS		(8 * sizeof(unsigned long))

static void md_bad(struct md_manager *m, unsigned int why)
{
	m->bad++;
	m->bad_why[why]++;
}

/* Word w of page p of the pattern of seed. */
static uint64_t md_word(uint64_t seed, unsigned long p, unsigned long w)
{
	return ((p << 16 | w) * 0x9e3779b97f4a7c15UL) ^ seed;
}

/* 0: page p of the pattern; 1: its first words, then zeroes; 2: neither. */
static int md_classify(const uint64_t *page, uint64_t seed, unsigned long p)
{
	unsigned long w = 0;

	while (w < PAGE_SIZE / 8 && page[w] == md_word(seed, p, w))
		w++;
	if (w == PAGE_SIZE / 8)
		return 0;
	while (w < PAGE_SIZE / 8 && page[w] == 0)
		w++;
	return w == PAGE_SIZE / 8 ? 1 : 2;
}

/* The partial slot of page idx, a free one (create), or NULL. */
static unsigned char **md_partial(struct md_manager *m, unsigned long idx, bool create)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(m->partial); i++)
		if (m->partial[i].data && m->partial[i].idx == idx)
			return &m->partial[i].data;
	for (i = 0; create && i < ARRAY_SIZE(m->partial); i++)
		if (!m->partial[i].data) {
			m->partial[i].idx = idx;
			return &m->partial[i].data;
		}
	return NULL;
}

/* Pattern mode: a page given to us, checked and kept. */
static void md_keep_pattern(struct md_manager *m, unsigned long idx, const void *data)
{
	int kind = idx < m->npages ? md_classify(data, m->seed, idx) : 2;
	unsigned char **slot = md_partial(m, idx, kind == 1);

	if (kind == 2) {
		m->wrong++;
		return;
	}
	m->pattern[idx / MD_BITS] |= 1UL << (idx % MD_BITS);
	if (kind == 0) {
		if (slot) {
			kfree(*slot, PAGE_SIZE);
			*slot = NULL;
		}
		return;
	}
	if (slot && !*slot)
		*slot = kalloc(PAGE_SIZE);
	if (slot && *slot)
		memcpy(*slot, data, PAGE_SIZE);
	else
		md_bad(m, MD_BAD_PARTIAL);
}

static unsigned char md_byte(unsigned long seed, vm_offset_t off)
{
	return (unsigned char)((off * 131 + seed * 7 + (off >> 12) * 29) ^ seed);
}

/* Keep the page a data_initialize / data_return brought. */
static void md_keep(struct md_manager *m, struct md_data_msg *d)
{
	unsigned long idx = d->offset / PAGE_SIZE;
	vm_offset_t addr = (vm_offset_t)d->data.address;

	if (d->data.size != PAGE_SIZE || !addr || d->offset % PAGE_SIZE ||
	    d->control.name != m->control || (!m->pattern && idx >= MD_PAGES) ||
	    copyin((const void __user *)addr, m->buf, PAGE_SIZE) != KERN_SUCCESS) {
		md_bad(m, MD_BAD_DATA);
	} else if (m->pattern) {
		md_keep_pattern(m, idx, m->buf);
	} else {
		if (!m->store[idx])
			m->store[idx] = kalloc(PAGE_SIZE);
		if (m->store[idx])
			memcpy(m->store[idx], m->buf, PAGE_SIZE);
		else
			md_bad(m, MD_BAD_STORE);
	}
	if (addr)
		vm_map_remove(m->map, ALIGN_DOWN(addr, PAGE_SIZE),
			      ALIGN_UP(addr + d->data.size, PAGE_SIZE));
}

/*
 * Pattern mode: page idx as it was given (the pattern made again, or a
 * partial page); false without memory for the data (memory is short while
 * the daemon sends us pages: the request waits until we have received
 * more of them, md_retry()).
 */
static bool md_supply_pattern(struct md_manager *m, struct vm_object *obj, unsigned long idx)
{
	unsigned char **slot = md_partial(m, idx, false);
	uint64_t *buf = kalloc(PAGE_SIZE);
	struct vm_map_copy *copy;
	unsigned long w;

	if (!buf)
		return false;
	if (slot)
		memcpy(buf, *slot, PAGE_SIZE);
	else
		for (w = 0; w < PAGE_SIZE / 8; w++)
			buf[w] = md_word(m->seed, idx, w);
	copy = vm_map_copy_from_kernel(buf, PAGE_SIZE);
	kfree(buf, PAGE_SIZE);
	if (!copy)
		return false;
	vm_object_data_supply(obj, idx * PAGE_SIZE, copy, VM_PROT_NONE, false);
	return true;
}

/* Answer what could not be answered yet (the object's control known). */
static void md_retry(struct md_manager *m)
{
	struct vm_object *obj;
	unsigned int i = 0;

	if (!m->npending)
		return;
	obj = vm_object_control_lookup(ipc_test_port_of(m->space, m->control));
	if (!obj)
		return;
	while (i < m->npending) {
		if (!md_supply_pattern(m, obj, m->pending[i]))
			break;
		m->pending[i] = m->pending[--m->npending];
	}
	vm_object_deallocate(obj);
}

/* A data_request: the page it has, or data_unavailable. */
static void md_supply(struct md_manager *m, struct md_request_msg *r)
{
	struct vm_object *obj = vm_object_control_lookup(ipc_test_port_of(m->space,
									   r->control.name));
	unsigned long idx = r->offset / PAGE_SIZE;

	m->requests++;
	if (!obj) {
		md_bad(m, MD_BAD_CONTROL);
		return;
	}
	if (m->pattern && idx < m->npages &&
	    (m->pattern[idx / MD_BITS] & (1UL << (idx % MD_BITS)))) {
		if (!md_supply_pattern(m, obj, idx)) {
			if (m->npending < ARRAY_SIZE(m->pending))
				m->pending[m->npending++] = idx;
			else
				vm_object_data_error(obj, r->offset, PAGE_SIZE,
						     KERN_RESOURCE_SHORTAGE);
		}
	} else if (!m->pattern && idx < MD_PAGES && m->store[idx])
		vm_object_data_supply(obj, r->offset,
				      vm_map_copy_from_kernel(m->store[idx], PAGE_SIZE),
				      VM_PROT_NONE, false);
	else
		vm_object_data_unavailable(obj, r->offset, PAGE_SIZE);
	vm_object_deallocate(obj);
}

static void md_create(struct md_manager *m, struct md_create_msg *c)
{
	m->creates++;
	if (c->h.msgh_id != MD_ID_CREATE || c->body.msgh_descriptor_count != 3 ||
	    c->object.disposition != MACH_MSG_TYPE_PORT_RECEIVE ||
	    c->control.disposition != MACH_MSG_TYPE_PORT_SEND || m->object) {
		md_bad(m, MD_BAD_CREATE);
		return;
	}
	m->size = c->size;
	m->page_size = c->page_size;
	m->control = c->control.name;
	__atomic_store_n(&m->object, c->object.name, __ATOMIC_RELEASE);
}

static void md_object_msg(struct md_manager *m, struct tmsg *msg)
{
	switch (msg->h.msgh_id) {
	case MD_ID_INITIALIZE:
		md_keep(m, (struct md_data_msg *)msg);
		m->inits++;
		break;
	case MD_ID_RETURN:
		md_keep(m, (struct md_data_msg *)msg);
		m->returns++;
		break;
	case MD_ID_REQUEST:
		md_supply(m, (struct md_request_msg *)msg);
		break;
	case MD_ID_TERMINATE:
		m->terminates++;
		break;
	default:
		md_bad(m, MD_BAD_ID);
	}
}

static void md_manager_fn(void *arg)
{
	struct md_manager *m = arg;
	struct tmsg *msg = kalloc(sizeof(*msg));
	vm_map_t old = vm_map_switch(m->map);

	while (msg && !m->stop) {
		mach_port_name_t object = __atomic_load_n(&m->object, __ATOMIC_ACQUIRE);

		if (tmsg_recv(m->space, msg, m->port, MACH_RCV_TIMEOUT, object ? 0 : 5, 0) ==
		    MACH_MSG_SUCCESS)
			md_create(m, (struct md_create_msg *)msg);
		if (object && tmsg_recv(m->space, msg, object, MACH_RCV_TIMEOUT,
					m->npending ? 1 : 5, 0) == MACH_MSG_SUCCESS)
			md_object_msg(m, msg);
		md_retry(m);
	}
	vm_map_switch(old);
	kfree(msg, sizeof(*msg));
}

struct md_case {
	struct md_manager	m;
	struct thread		*th;
	ipc_port_t		old;	/* the manager before the case's */
	vm_map_t		map;
	vm_offset_t		a;
};

/* A manager thread, registered; a map with MD_PAGES pages allocated. */
static void md_start(struct ktest *t, struct md_case *c, bool map_first)
{
	memset(c, 0, sizeof(*c));
	c->m.space = ipc_test_space(t);
	c->m.port = ipc_test_port(t, c->m.space);
	if (map_first) {
		/* Made (first touch) before the manager registers. */
		c->map = vm_test_map(t, MD_BASE, MD_END);
		KTEST_ASSERT_EQ(t, vm_map_allocate(c->map, &c->a, MD_PAGES * PAGE_SIZE, true),
				KERN_SUCCESS);
		vm_test_poke(c->map, c->a, 1);
	}
	c->old = vm_default_manager_set(ipc_port_make_send(ipc_test_port_of(c->m.space,
									    c->m.port)));
	if (!map_first) {
		c->map = vm_test_map(t, MD_BASE, MD_END);
		KTEST_ASSERT_EQ(t, vm_map_allocate(c->map, &c->a, MD_PAGES * PAGE_SIZE, true),
				KERN_SUCCESS);
	}
	c->m.map = vm_test_map(t, MD_MGR_BASE, MD_MGR_END);
	c->m.buf = kalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, c->m.buf);
	c->th = kernel_thread_create(md_manager_fn, &c->m, BASEPRI_KERNEL, "md-manager");
	KTEST_ASSERT_NOT_NULL(t, c->th);
}

/* After the thread: its map and buffer. */
static void md_manager_done(struct md_manager *m)
{
	vm_map_deallocate(m->map);
	kfree(m->buf, PAGE_SIZE);
}

/* Poll every millisecond for at most ms: whether *v reached n. */
static bool md_await(volatile unsigned int *v, unsigned int n, unsigned long ms)
{
	uint64_t until = clock_now() + ms * NSEC_PER_MSEC;

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < n && clock_now() < until)
		thread_delay(NSEC_PER_MSEC);
	return __atomic_load_n(v, __ATOMIC_ACQUIRE) >= n;
}

/* The map goes (its object terminates), the kernel's manager comes back. */
static void md_finish(struct ktest *t, struct md_case *c, bool terminated)
{
	ipc_port_t mine;
	unsigned int i;

	vm_map_deallocate(c->map);
	if (terminated)
		KTEST_EXPECT_TRUE(t, md_await(&c->m.terminates, 1, 2000));
	mine = vm_default_manager_set(c->old);
	if (IP_VALID(mine))
		ipc_port_release_send(mine);
	c->m.stop = true;
	thread_join(c->th);
	thread_deallocate(c->th);
	md_manager_done(&c->m);
	ipc_test_space_done(c->m.space);
	for (i = 0; i < MD_PAGES; i++)
		if (c->m.store[i])
			kfree(c->m.store[i], PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(c->m.partial); i++)
		if (c->m.partial[i].data)
			kfree(c->m.partial[i].data, PAGE_SIZE);
	if (c->m.pattern)
		kfree(c->m.pattern, ALIGN_UP(c->m.npages, MD_BITS) / 8);
	if (c->m.bad)
		printk("# memory_object_default: bad messages by reason: partial %u, data %u, "
		       "store %u, control %u, create %u, id %u\n", c->m.bad_why[MD_BAD_PARTIAL],
		       c->m.bad_why[MD_BAD_DATA], c->m.bad_why[MD_BAD_STORE],
		       c->m.bad_why[MD_BAD_CONTROL], c->m.bad_why[MD_BAD_CREATE],
		       c->m.bad_why[MD_BAD_ID]);
	KTEST_EXPECT_EQ(t, c->m.bad, 0U);
	KTEST_EXPECT_EQ(t, c->m.wrong, 0U);
}

/* Write page p of the region with the pattern of seed / count the bytes that differ. */
static void md_write(struct md_case *c, unsigned int p, unsigned long seed, unsigned char *buf)
{
	vm_offset_t off = (vm_offset_t)p * PAGE_SIZE, i;
	vm_map_t old = vm_map_switch(c->map);

	for (i = 0; i < PAGE_SIZE; i++)
		buf[i] = md_byte(seed, off + i);
	copyout(buf, (void __user *)(c->a + off), PAGE_SIZE);
	vm_map_switch(old);
}

static unsigned long md_diff(struct md_case *c, unsigned int p, unsigned long seed,
			     unsigned char *buf)
{
	vm_offset_t off = (vm_offset_t)p * PAGE_SIZE, i;
	vm_map_t old = vm_map_switch(c->map);
	unsigned long bad = 0;

	if (copyin((const void __user *)(c->a + off), buf, PAGE_SIZE) != KERN_SUCCESS)
		bad = PAGE_SIZE;
	for (i = 0; !bad && i < PAGE_SIZE; i++)
		bad += buf[i] != md_byte(seed, off + i);
	vm_map_switch(old);
	return bad;
}

static kern_return_t md_pageout(struct ktest *t, struct md_case *c, unsigned int p)
{
	struct vm_object *object;
	struct vm_page *page = vm_test_page_get(t, c->map, c->a + (vm_offset_t)p * PAGE_SIZE,
						&object);
	kern_return_t kr = page ? vm_pageout_page(page) : KERN_INVALID_ADDRESS;

	vm_test_page_put(object);
	return kr;
}

static struct {
	unsigned long	entries, objects, tabled, allocated, slots, laundry;
	struct tmsg_baseline msgs;
	struct ipc_test_baseline ipc;
} md_base;

static unsigned long md_slots(void)
{
	struct default_pager_stats s;

	default_pager_get_stats(&s);
	return s.slots_used;
}

static int md_test_init(struct ktest *t)
{
	(void)t;
	md_base.entries = vm_map_entry_count();
	md_base.objects = vm_object_count();
	md_base.tabled = vm_test_tabled();
	md_base.allocated = vm_test_allocated();
	md_base.slots = md_slots();
	md_base.laundry = vm_object_default_laundry();
	tmsg_baseline_take(&md_base.msgs);
	ipc_test_baseline_take(&md_base.ipc);
	return 0;
}

static void md_test_exit(struct ktest *t)
{
	/* The kernel's own default pager serves again. */
	KTEST_EXPECT_TRUE(t, vm_default_manager_is_kernel());
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), md_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), md_base.objects);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), md_base.tabled);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), md_base.allocated);
	KTEST_EXPECT_EQ(t, md_slots(), md_base.slots);
	/* Every copy sent to a manager is gone: the daemon is not throttled. */
	KTEST_EXPECT_EQ(t, vm_object_default_laundry(), md_base.laundry);
	tmsg_baseline_check(t, &md_base.msgs);
	mig_dealloc_reply_port(mig_get_reply_port());
	ipc_test_baseline_check(t, &md_base.ipc);
}

/*
 * Pages written, forced out: one memory_object_create, a data_initialize
 * each, no page left; read back through data_request word for word; a page
 * never written reads zeroes without a request; a page written again and
 * forced out goes back with data_return; memory_object_terminate at the end.
 */
static void md_test_pageout(struct ktest *t)
{
	unsigned char *buf = kalloc(PAGE_SIZE);
	unsigned long bad = 0;
	struct md_case c;
	unsigned int p;

	KTEST_ASSERT_NOT_NULL(t, buf);
	md_start(t, &c, false);
	for (p = 0; p < MD_OUT; p++)
		md_write(&c, p, 1, buf);
	for (p = 0; p < MD_OUT; p++)
		KTEST_EXPECT_EQ(t, md_pageout(t, &c, p), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, md_await(&c.m.inits, MD_OUT, 2000));
	KTEST_EXPECT_EQ(t, c.m.creates, 1U);
	KTEST_EXPECT_EQ(t, c.m.size, MD_PAGES * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, c.m.page_size, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, c.m.returns, 0U);
	KTEST_EXPECT_EQ(t, pmap_resident_count(c.map->pmap), 0UL);

	for (p = 0; p < MD_OUT; p++)
		bad += md_diff(&c, p, 1, buf);
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_EQ(t, c.m.requests, (unsigned int)MD_OUT);
	/* Never given to the manager: zero fill, no request. */
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + MD_OUT * PAGE_SIZE + 3), 0);
	KTEST_EXPECT_EQ(t, c.m.requests, (unsigned int)MD_OUT);

	md_write(&c, 0, 2, buf);
	KTEST_EXPECT_EQ(t, md_pageout(t, &c, 0), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, md_await(&c.m.returns, 1, 2000));
	KTEST_EXPECT_EQ(t, c.m.inits, (unsigned int)MD_OUT);
	KTEST_EXPECT_EQ(t, md_diff(&c, 0, 2, buf), 0UL);
	KTEST_EXPECT_EQ(t, md_diff(&c, 1, 1, buf), 0UL);	/* resident: no request */
	KTEST_EXPECT_EQ(t, c.m.requests, (unsigned int)MD_OUT + 1);
	/* Clean, and the manager's copy: freed without a message, asked for again. */
	KTEST_EXPECT_EQ(t, md_pageout(t, &c, 1), KERN_SUCCESS);
	/* Pages 0 and 2 to 8 (8 read as zeroes) stay. */
	KTEST_EXPECT_EQ(t, pmap_resident_count(c.map->pmap), (unsigned long)MD_OUT);
	KTEST_EXPECT_EQ(t, md_diff(&c, 1, 1, buf), 0UL);
	KTEST_EXPECT_EQ(t, c.m.requests, (unsigned int)MD_OUT + 2);
	KTEST_EXPECT_EQ(t, c.m.returns, 1U);
	KTEST_EXPECT_EQ(t, c.m.creates, 1U);
	md_finish(t, &c, true);
	kfree(buf, PAGE_SIZE);
}

/*
 * lock_request on the manager's object (its control port): a flush sends
 * what the manager lacks whatever should_return says (pages it was never
 * given: data_initialize; a page written since: data_return) and drops
 * what it has; every byte reads back through data_request.
 */
static void md_test_flush(struct ktest *t)
{
	unsigned char *buf = kalloc(PAGE_SIZE);
	struct vm_object *obj;
	unsigned long bad = 0;
	struct md_case c;
	unsigned int p;

	KTEST_ASSERT_NOT_NULL(t, buf);
	md_start(t, &c, false);
	for (p = 0; p < 4; p++)
		md_write(&c, p, 6, buf);
	/* The first pageout gives the object its pager. */
	KTEST_EXPECT_EQ(t, md_pageout(t, &c, 0), KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, md_await(&c.m.inits, 1, 2000));
	KTEST_EXPECT_EQ(t, md_diff(&c, 0, 6, buf), 0UL);	/* back: clean, the manager's */
	md_write(&c, 3, 7, buf);
	obj = vm_object_control_lookup(ipc_test_port_of(c.m.space, c.m.control));
	KTEST_ASSERT_NOT_NULL(t, obj);
	KTEST_EXPECT_EQ(t, vm_object_lock_request(obj, 0, MD_PAGES * PAGE_SIZE,
						  MEMORY_OBJECT_RETURN_NONE, true, VM_PROT_NO_CHANGE,
						  IP_NULL), KERN_SUCCESS);
	vm_object_deallocate(obj);
	KTEST_EXPECT_TRUE(t, md_await(&c.m.inits, 4, 2000));
	KTEST_EXPECT_EQ(t, c.m.returns, 0U);
	KTEST_EXPECT_EQ(t, pmap_resident_count(c.map->pmap), 0UL);
	for (p = 0; p < 3; p++)
		bad += md_diff(&c, p, 6, buf);
	bad += md_diff(&c, 3, 7, buf);
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_EQ(t, c.m.requests, 5U);
	/* Written again, returned (dirty) without a flush: it stays. */
	md_write(&c, 2, 8, buf);
	obj = vm_object_control_lookup(ipc_test_port_of(c.m.space, c.m.control));
	KTEST_ASSERT_NOT_NULL(t, obj);
	KTEST_EXPECT_EQ(t, vm_object_lock_request(obj, 0, MD_PAGES * PAGE_SIZE,
						  MEMORY_OBJECT_RETURN_DIRTY, false,
						  VM_PROT_NO_CHANGE, IP_NULL), KERN_SUCCESS);
	vm_object_deallocate(obj);
	KTEST_EXPECT_TRUE(t, md_await(&c.m.returns, 1, 2000));
	KTEST_EXPECT_EQ(t, c.m.inits, 4U);
	KTEST_EXPECT_EQ(t, md_diff(&c, 2, 8, buf), 0UL);
	KTEST_EXPECT_EQ(t, c.m.requests, 5U);
	md_finish(t, &c, true);
	kfree(buf, PAGE_SIZE);
}

#define MD_WORKSET	768UL	/* pages left free above the pageout target */

/* Write (or check) pages [0, n) of the pattern at c->a: the words that differ. */
static unsigned long md_pass(struct md_case *c, unsigned long n, bool write, uint64_t *buf)
{
	vm_map_t old = vm_map_switch(c->map);
	unsigned long p, w, bad = 0;

	for (p = 0; p < n; p++) {
		void __user *u = (void __user *)(c->a + p * PAGE_SIZE);

		if (write) {
			for (w = 0; w < PAGE_SIZE / 8; w++)
				buf[w] = md_word(c->m.seed, p, w);
			if (copyout(buf, u, PAGE_SIZE) != KERN_SUCCESS)
				bad += PAGE_SIZE / 8;
		} else if (copyin(u, buf, PAGE_SIZE) != KERN_SUCCESS) {
			bad += PAGE_SIZE / 8;
		} else {
			for (w = 0; w < PAGE_SIZE / 8; w++)
				bad += buf[w] != md_word(c->m.seed, p, w);
		}
	}
	vm_map_switch(old);
	return bad;
}

/*
 * The pageout daemon itself sends anonymous memory to the manager: with
 * free memory held down to MD_WORKSET pages above the target, three
 * times that is written and read back. The manager (pattern mode) checks
 * each page it is given and keeps only that it was, so that what goes to
 * it frees memory; it makes the page again on request. Every word reads
 * back, every page given was the pattern.
 */
static void md_test_daemon(struct ktest *t)
{
	unsigned long n = 3 * MD_WORKSET, bad;
	uint64_t *buf = kalloc(PAGE_SIZE);
	struct vm_pageout_stats before, after;
	struct vm_page *held;
	struct md_case c;

	KTEST_ASSERT_NOT_NULL(t, buf);
	md_start(t, &c, false);
	/* A map big enough (the case's small region is not used). */
	vm_map_deallocate(c.map);
	c.map = vm_test_map(t, MD_BASE, MD_BASE + (1UL << 30));
	c.a = 0;
	KTEST_ASSERT_EQ(t, vm_map_allocate(c.map, &c.a, n * PAGE_SIZE, true), KERN_SUCCESS);
	c.m.seed = 0x6d647061UL;
	c.m.npages = n;
	c.m.pattern = kalloc(ALIGN_UP(n, MD_BITS) / 8);
	KTEST_ASSERT_NOT_NULL(t, c.m.pattern);
	memset(c.m.pattern, 0, ALIGN_UP(n, MD_BITS) / 8);

	vm_pageout_get_stats(&before);
	held = vm_test_hold(vm_page_free_target + MD_WORKSET);
	bad = md_pass(&c, n, true, buf);
	bad += md_pass(&c, n, false, buf);
	vm_test_release(held);
	vm_pageout_get_stats(&after);
	printk("# memory_object_default: %lu pages written and read back: %u given to the "
	       "manager (%u returned), %u asked for, %lu returned by the daemon\n", n,
	       c.m.inits, c.m.returns, c.m.requests, after.returned - before.returned);
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_EQ(t, c.m.creates, 1U);
	KTEST_EXPECT_GE(t, c.m.inits, (unsigned int)(n - MD_WORKSET) / 2);
	KTEST_EXPECT_GT(t, c.m.requests, 0U);
	KTEST_EXPECT_GE(t, after.returned - before.returned, (unsigned long)c.m.inits);
	md_finish(t, &c, true);
	kfree(buf, PAGE_SIZE);
}

/*
 * A copy-on-write child reads the parent's paged-out pages through the
 * manager; the child's writes copy, the parent keeps its bytes.
 */
static void md_test_cow(struct ktest *t)
{
	unsigned char *buf = kalloc(PAGE_SIZE);
	unsigned long bad = 0;
	struct md_case c, child;
	unsigned int p;

	KTEST_ASSERT_NOT_NULL(t, buf);
	md_start(t, &c, false);
	for (p = 0; p < MD_OUT; p++)
		md_write(&c, p, 3, buf);
	for (p = 0; p < MD_OUT; p++)
		KTEST_EXPECT_EQ(t, md_pageout(t, &c, p), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, md_await(&c.m.inits, MD_OUT, 2000));
	memset(&child, 0, sizeof(child));
	child.map = vm_map_fork(c.map);
	child.a = c.a;
	KTEST_ASSERT_NOT_NULL(t, child.map);
	for (p = 0; p < MD_OUT; p++)
		bad += md_diff(&child, p, 3, buf);
	KTEST_EXPECT_EQ(t, bad, 0UL);
	md_write(&child, 2, 4, buf);
	KTEST_EXPECT_EQ(t, md_diff(&child, 2, 4, buf), 0UL);
	KTEST_EXPECT_EQ(t, md_diff(&c, 2, 3, buf), 0UL);
	vm_map_deallocate(child.map);
	for (p = 0, bad = 0; p < MD_OUT; p++)
		bad += md_diff(&c, p, 3, buf);
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_EQ(t, c.m.creates, 1U);
	md_finish(t, &c, true);
	kfree(buf, PAGE_SIZE);
}

/*
 * An object made before the manager registered stays with the kernel's
 * own default pager: its page goes to swap (or stays, without swap), no
 * memory_object_create.
 */
static void md_test_old_object(struct ktest *t)
{
	unsigned long slots = md_slots();
	struct md_case c;

	md_start(t, &c, true);
	vm_test_poke(c.map, c.a + PAGE_SIZE, 0x5a);
	if (default_pager_ready()) {
		KTEST_EXPECT_EQ(t, md_pageout(t, &c, 1), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, md_slots(), slots + 1);
	} else {
		KTEST_EXPECT_EQ(t, md_pageout(t, &c, 1), KERN_RESOURCE_SHORTAGE);
	}
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, c.a + PAGE_SIZE), 0x5a);
	thread_delay(20 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, c.m.creates, 0U);
	md_finish(t, &c, false);
}

/*
 * The manager dies holding pages: a fault on one fails with
 * KERN_MEMORY_ERROR (the request cannot be sent); the dead manager is
 * still registered, and a new object's pages go to the kernel's swap.
 */
static void md_test_dead(struct ktest *t)
{
	unsigned char *buf = kalloc(PAGE_SIZE);
	unsigned long slots = md_slots();
	ipc_port_t dead;
	vm_offset_t b;
	struct md_case c;

	KTEST_ASSERT_NOT_NULL(t, buf);
	md_start(t, &c, false);
	md_write(&c, 0, 5, buf);
	KTEST_EXPECT_EQ(t, md_pageout(t, &c, 0), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, md_await(&c.m.inits, 1, 2000));
	c.m.stop = true;
	thread_join(c.th);
	thread_deallocate(c.th);
	md_manager_done(&c.m);
	ipc_test_space_done(c.m.space);		/* every port of the manager dies */
	KTEST_EXPECT_EQ(t, vm_fault(c.map, c.a, VM_PROT_READ, false), KERN_MEMORY_ERROR);
	/* Asking now gives the kernel's pager's port: the dead one is dropped. */
	dead = vm_default_manager_get();
	KTEST_EXPECT_TRUE(t, IP_VALID(dead) && ip_active(dead) &&
			  dead->ip_kotype == IKOT_DEFAULT_PAGER);
	KTEST_EXPECT_TRUE(t, vm_default_manager_is_kernel());
	ipc_port_release_send(dead);

	/* Not beside the old entry, which would grow (with its object) instead. */
	b = c.a + 64 * PAGE_SIZE;
	KTEST_ASSERT_EQ(t, vm_map_allocate(c.map, &b, PAGE_SIZE, false), KERN_SUCCESS);
	vm_test_poke(c.map, b, 0x77);
	c.a = b;
	if (default_pager_ready()) {
		KTEST_EXPECT_EQ(t, md_pageout(t, &c, 0), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, md_slots(), slots + 1);
	}
	KTEST_EXPECT_EQ(t, vm_test_peek(c.map, b), 0x77);
	vm_map_deallocate(c.map);
	ipc_port_release_send(vm_default_manager_set(c.old));
	if (c.m.store[0])
		kfree(c.m.store[0], PAGE_SIZE);
	KTEST_EXPECT_EQ(t, c.m.creates, 1U);
	kfree(buf, PAGE_SIZE);
}

/* vm_set_default_memory_manager as a message to the host_priv port; its reply's port. */
static kern_return_t md_set_msg(struct ktest *t, ipc_port_t host, ipc_port_t manager,
				mach_msg_type_name_t disp, ipc_port_t *old)
{
	struct md_set_request *r = tt_request(host, MD_ID_SET_MANAGER,
					      TT_END(struct md_set_request, manager));
	struct md_set_request *reply = (struct md_set_request *)r;

	r->h.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	r->body.msgh_descriptor_count = 1;
	r->manager.name = (mach_port_t)manager;
	r->manager.disposition = disp;
	r->manager.type = MACH_MSG_PORT_DESCRIPTOR;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	if (tt_error() != -1)
		return tt_error();
	KTEST_EXPECT_EQ(t, (unsigned int)reply->manager.disposition, (unsigned int)MACH_MSG_TYPE_PORT_SEND);
	*old = (ipc_port_t)reply->manager.name;
	return KERN_SUCCESS;
}

/*
 * The MIG routine: a null port asks (the kernel pager's port while that
 * serves, which no routine answers), a port registers and the old one
 * comes back, each right counted once (the reply moves the kernel's); a
 * task port is no host; the kernel pager's port registered gives it back.
 */
static void md_test_set(struct ktest *t)
{
	ipc_port_t host = (ipc_port_t)convert_host_priv_to_port(host_self());
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t name = ipc_test_port(t, space);
	ipc_port_t port = ipc_test_port_of(space, name), old = IP_DEAD, task, kernel = IP_DEAD;

	KTEST_ASSERT_TRUE(t, IP_VALID(host));
	KTEST_EXPECT_EQ(t, md_set_msg(t, host, IP_NULL, MACH_MSG_TYPE_COPY_SEND, &kernel),
			KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, IP_VALID(kernel));
	KTEST_EXPECT_EQ(t, tt_call(t, kernel, MD_ID_CREATE), MIG_BAD_ID);
	KTEST_EXPECT_EQ(t, md_set_msg(t, host, port, MACH_MSG_TYPE_MAKE_SEND, &old),
			KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, old, kernel);
	if (IP_VALID(old))
		ipc_port_release_send(old);
	KTEST_EXPECT_FALSE(t, vm_default_manager_is_kernel());
	KTEST_EXPECT_EQ(t, port->ip_srights, 1U);		/* the registration's */
	KTEST_EXPECT_EQ(t, md_set_msg(t, host, IP_NULL, MACH_MSG_TYPE_COPY_SEND, &old),
			KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, old, port);
	KTEST_EXPECT_EQ(t, port->ip_srights, 2U);		/* and the one we got */
	KTEST_EXPECT_EQ(t, port->ip_mscount, 1U);
	ipc_port_release_send(old);

	task = tt_task_port(&kernel_task_data);
	KTEST_EXPECT_EQ(t, md_set_msg(t, task, port, MACH_MSG_TYPE_MAKE_SEND, &old),
			KERN_INVALID_HOST);
	ipc_port_release_send(task);
	KTEST_EXPECT_EQ(t, port->ip_srights, 1U);		/* the refused one destroyed */

	/* Back to the kernel's own by its port: the registration's right comes back. */
	KTEST_EXPECT_EQ(t, md_set_msg(t, host, kernel, MACH_MSG_TYPE_COPY_SEND, &old),
			KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, old, port);
	if (IP_VALID(old))
		ipc_port_release_send(old);
	KTEST_EXPECT_EQ(t, port->ip_srights, 0U);
	KTEST_EXPECT_TRUE(t, vm_default_manager_is_kernel());
	if (IP_VALID(kernel))
		ipc_port_release_send(kernel);
	ipc_port_release_send(host);
	ipc_test_space_done(space);
}

static struct ktest_case md_test_cases[] = {
	KTEST_CASE(md_test_set),
	KTEST_CASE(md_test_pageout),
	KTEST_CASE(md_test_flush),
	KTEST_CASE(md_test_cow),
	KTEST_CASE(md_test_daemon),
	KTEST_CASE(md_test_old_object),
	KTEST_CASE(md_test_dead),
	{}
};

static struct ktest_suite md_test_suite = {
	.name = "memory_object_default",
	.init = md_test_init,
	.exit = md_test_exit,
	.test_cases = md_test_cases,
};
KTEST_SUITE(md_test_suite);
