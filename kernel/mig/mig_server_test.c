// SPDX-License-Identifier: MIT
/*
 * ktest suite "mig_server": the kernel's MIG servers, driven with
 * hand-built requests.
 *
 * For every routine of every kernel-served subsystem (mach_port, mach,
 * mach_host, host_priv, device, processor, processor_set, task,
 * thread_act, semaphore) the test builds a well-formed request in
 * the kernel's message form -- header, body and descriptors, the fixed
 * inline data, the variable arrays packed at the end -- calls
 * <subsystem>_server() and checks the reply: id + 100, the reply port
 * carried over, and the routine's answer for a null request port
 * (KERN_INVALID_TASK from mach_port, KERN_INVALID_ARGUMENT from the host,
 * task, thread and vm routines that work, D_INVALID_OPERATION and
 * D_NO_SUCH_DEVICE from the device routines, KERN_NOT_SUPPORTED from the
 * others, Documentation/interfaces.rst; a simpleroutine's stub passes its
 * routine's error on, MIG_NO_REPLY standing for success). Requests sent
 * to real kernel ports, through the dispatcher, are the ipc_kobject
 * suite's (ipc/ipc_kobject_test.c).
 * Variable arrays are sent empty and at their bound. Then the same
 * request truncated, grown, with the complex bit flipped, with a lying
 * array count, a descriptor of the wrong kind or one too many must each
 * get MIG_BAD_ARGUMENTS, and ids outside the subsystem or skipped in it
 * MIG_BAD_ID.
 *
 * The requests are laid out from a short description of each routine's
 * request (see struct mig_test_routine), independently of the generated
 * code, so that a change in the generated layout shows here.
 */
#include <kern/string.h>
#include <ktest.h>
#include <mach/mach_types.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include "mach_portServer.h"
#include "machServer.h"
#include "mach_hostServer.h"
#include "host_privServer.h"
#include "host_securityServer.h"
#include "deviceServer.h"
#include "processorServer.h"
#include "processor_setServer.h"
#include "taskServer.h"
#include "thread_actServer.h"
#include "semaphoreServer.h"

/*
 * A routine's request after the header, one code per parameter that
 * travels in it, in parameter order (the request port, and a
 * sreplyport, travel in the header instead):
 *
 *	i	a 4-byte scalar			q	an 8-byte scalar
 *	s	a port descriptor, a send right	o	... a send-once right
 *	y	a port descriptor whose disposition the sender chooses
 *	O	an out-of-line memory descriptor
 *	P	an out-of-line ports descriptor (send rights)
 *	vN	an inline array of up to N 4-byte items: its count in the
 *		fixed part, the items after it
 *	bN	the same with 1-byte items
 *	cN	the count of a CountInOut out array of up to N items
 *	SN	a fixed C string of N bytes
 */
struct mig_test_routine {
	mach_msg_id_t	id;
	const char	*name;
	const char	*request;
	kern_return_t	expect;		/* the reply's RetCode */
};

struct mig_test_subsystem {
	const struct mig_subsystem	*subsystem;
	mig_routine_t			(*lookup)(mach_msg_header_t *in);
	const struct mig_test_routine	*routines;	/* ends with { 0 } */
};

#define NS	KERN_NOT_SUPPORTED
/* The request port is null here: no space, no host, no task, no thread. */
#define IT	KERN_INVALID_TASK
#define IA	KERN_INVALID_ARGUMENT
/* Devices, as GNU Mach: a null master port, a null device. */
#define DI	D_INVALID_OPERATION
#define DN	D_NO_SUCH_DEVICE
/*
 * A simpleroutine's stub answers MIG_NO_REPLY when its routine succeeded
 * and the routine's error otherwise (Documentation/mig.rst), so the table
 * expects KERN_NOT_SUPPORTED of them too.
 */

static const struct mig_test_routine mig_test_mach_port[] = {
	{ 3200, "mach_port_names",		"",		IT },
	{ 3201, "mach_port_type",		"i",		IT },
	{ 3202, "mach_port_rename",		"ii",		IT },
	{ 3203, "mach_port_allocate_name",	"ii",		IT },
	{ 3204, "mach_port_allocate",		"i",		IT },
	{ 3205, "mach_port_destroy",		"i",		IT },
	{ 3206, "mach_port_deallocate",		"i",		IT },
	{ 3207, "mach_port_get_refs",		"ii",		IT },
	{ 3208, "mach_port_mod_refs",		"iii",		IT },
	{ 3209, "mach_port_set_qlimit",		"ii",		IT },
	{ 3210, "mach_port_set_mscount",	"ii",		IT },
	{ 3211, "mach_port_get_set_status",	"i",		IT },
	{ 3212, "mach_port_move_member",	"ii",		IT },
	{ 3213, "mach_port_request_notification", "iiio",	IT },
	{ 3214, "mach_port_insert_right",	"iy",		IT },
	{ 3215, "mach_port_extract_right",	"ii",		IT },
	{ 3216, "mach_port_set_seqno",		"ii",		IT },
	{ 3217, "mach_port_get_attributes",	"iic10",	IT },
	{ 3218, "mach_port_set_attributes",	"iiv10",	IT },
	{ 0 }
};

/* The names are the kernel's: four routines are *_from_user() there (mach.defs). */
static const struct mig_test_routine mig_test_mach[] = {
	{ 2007, "task_create",			"i",		IA },
	{ 2008, "task_terminate",		"",		IA },
	{ 2011, "task_threads",			"",		IA },
	{ 2012, "task_info",			"ic1024",	IA },
	{ 2016, "thread_terminate_from_user",		"",		IA },
	{ 2017, "thread_get_state_from_user",		"ic144",	IA },
	{ 2018, "thread_set_state",		"iv144",	IA },
	{ 2019, "thread_info",			"ic32",		IA },
	{ 2021, "vm_allocate",			"qqi",		IA },
	{ 2023, "vm_deallocate",		"qq",		IA },
	{ 2024, "vm_protect",			"qqii",		IA },
	{ 2025, "vm_inherit",			"qqi",		IA },
	{ 2026, "vm_read",			"qq",		IA },
	{ 2027, "vm_write",			"qO",		IA },
	{ 2028, "vm_copy",			"qqq",		IA },
	{ 2029, "vm_region",			"q",		IA },
	{ 2030, "vm_statistics",		"",		IA },
	{ 2033, "mach_ports_register",		"P",		IA },
	{ 2034, "mach_ports_lookup",		"",		IA },
	{ 2038, "memory_object_data_provided",	"qOi",		IA },
	{ 2039, "memory_object_data_unavailable", "qq",		IA },
	{ 2040, "memory_object_get_attributes",	"",		IA },
	{ 2041, "vm_set_default_memory_manager", "s",		KERN_INVALID_HOST },
	{ 2044, "memory_object_lock_request",	"qqiiio",	IA },
	{ 2056, "task_suspend",			"",		IA },
	{ 2057, "task_resume",			"",		IA },
	{ 2058, "task_get_special_port",	"i",		IA },
	{ 2059, "task_set_special_port",	"is",		IA },
	{ 2061, "thread_create",		"",		IA },
	{ 2062, "thread_suspend_from_user",		"",		IA },
	{ 2063, "thread_resume_from_user",		"",		IA },
	{ 2064, "thread_abort",			"",		IA },
	{ 2067, "thread_get_special_port",	"i",		IA },
	{ 2068, "thread_set_special_port",	"is",		IA },
	{ 2089, "vm_map",			"qqqisqiiii",	IA },
	{ 2090, "memory_object_data_error",	"qqi",		IA },
	{ 2091, "memory_object_set_attributes",	"iii",		IA },
	{ 2092, "memory_object_destroy",	"i",		IA },
	{ 2093, "memory_object_data_supply",	"qOiio",	IA },
	{ 2094, "memory_object_ready",		"ii",		IA },
	{ 2095, "memory_object_change_attributes", "iio",	IA },
	{ 0 }
};

static const struct mig_test_routine mig_test_mach_host[] = {
	{ 200, "host_info",			"ic1024",	IA },
	{ 201, "host_kernel_version",		"",		IA },
	{ 202, "host_page_size",		"",		IA },
	{ 204, "host_processor_info",		"i",		IA },
	{ 213, "processor_set_default",		"",		IA },
	{ 216, "host_statistics",		"ic1024",	IA },
	{ 220, "mach_zone_info",		"",		IA },
	{ 0 }
};

static const struct mig_test_routine mig_test_host_priv[] = {
	{ 401, "host_reboot",			"i",		NS },
	{ 404, "vm_wire",			"sqqi",		IA },
	{ 405, "thread_wire",			"si",		NS },
	{ 407, "host_processors",		"",		IA },
	{ 414, "host_set_exception_ports",	"isii",		IA },
	{ 415, "host_get_exception_ports",	"ic10",		IA },
	{ 416, "host_swap_exception_ports",	"isiic10",	IA },
	{ 419, "host_processor_sets",		"",		IA },
	{ 420, "host_processor_set_priv",	"s",		IA },
	{ 0 }
};

/* A null security port; security_token_t travels inline as two ints. */
static const struct mig_test_routine mig_test_host_security[] = {
	{ 600, "host_security_create_task_token", "siii",	KERN_INVALID_SECURITY },
	{ 601, "host_security_set_task_token",	"sii",		KERN_INVALID_SECURITY },
	{ 0 }
};

static const struct mig_test_routine mig_test_device[] = {
	{ 2800, "device_open",			"iS128",	DI },
	{ 2801, "device_close",			"",		DN },
	{ 2802, "device_write",			"iiO",		DN },
	{ 2803, "device_write_inband",		"iib128",	DN },
	{ 2804, "device_read",			"iii",		DN },
	{ 2805, "device_read_inband",		"iii",		DN },
	{ 2810, "device_set_status",		"iv1024",	DN },
	{ 2811, "device_get_status",		"ic1024",	DN },
	{ 0 }
};

static const struct mig_test_routine mig_test_processor[] = {
	{ 3002, "processor_info",		"ic1024",	IA },
	{ 3005, "processor_get_assignment",	"",		IA },
	{ 0 }
};

static const struct mig_test_routine mig_test_processor_set[] = {
	{ 4000, "processor_set_statistics",	"ic1024",	IA },
	{ 4005, "processor_set_tasks",		"",		IA },
	{ 4006, "processor_set_threads",	"",		IA },
	{ 4009, "processor_set_info",		"ic1024",	IA },
	{ 0 }
};

static const struct mig_test_routine mig_test_task[] = {
	{ 3413, "task_set_exception_ports",	"isii",		IA },
	{ 3414, "task_get_exception_ports",	"ic10",		IA },
	{ 3415, "task_swap_exception_ports",	"isiic10",	IA },
	{ 3418, "semaphore_create",		"ii",		IA },
	{ 3419, "semaphore_destroy",		"s",		IA },
	{ 0 }
};

static const struct mig_test_routine mig_test_thread_act[] = {
	{ 3613, "thread_set_exception_ports",	"isii",		IA },
	{ 3614, "thread_get_exception_ports",	"ic10",		IA },
	{ 3615, "thread_swap_exception_ports",	"isiic10",	IA },
	{ 3617, "thread_policy_set",		"iv16",		IA },
	{ 3618, "thread_policy_get",		"ic16i",	IA },
	{ 0 }
};

/* The kernel's names (semaphore.defs); mach_timespec_t travels inline as two ints. */
static const struct mig_test_routine mig_test_semaphore[] = {
	{ 617200, "semaphore_signal_from_user",	"",	IA },
	{ 617201, "semaphore_signal_all_from_user", "",	IA },
	{ 617202, "semaphore_wait_from_user",	"",		IA },
	{ 617203, "semaphore_signal_thread",	"s",		IA },
	{ 617204, "semaphore_timedwait_from_user", "ii",	IA },
	{ 617205, "semaphore_wait_signal",	"s",		IA },
	{ 617206, "semaphore_timedwait_signal",	"sii",		IA },
	{ 0 }
};

static const struct mig_test_subsystem mig_test_subsystems[] = {
	{ &mach_port_subsystem,	mach_port_server_routine,	mig_test_mach_port },
	{ &mach_subsystem,	mach_server_routine,		mig_test_mach },
	{ &mach_host_subsystem,	mach_host_server_routine,	mig_test_mach_host },
	{ &host_priv_subsystem,	host_priv_server_routine,	mig_test_host_priv },
	{ &host_security_subsystem, host_security_server_routine, mig_test_host_security },
	{ &device_subsystem,	device_server_routine,		mig_test_device },
	{ &processor_subsystem,	processor_server_routine,	mig_test_processor },
	{ &processor_set_subsystem, processor_set_server_routine, mig_test_processor_set },
	{ &task_subsystem,	task_server_routine,		mig_test_task },
	{ &thread_act_subsystem, thread_act_server_routine,	mig_test_thread_act },
	{ &semaphore_subsystem,	semaphore_server_routine,	mig_test_semaphore },
};

/* Big enough for any request built here (device_set_status at its bound). */
#define MIG_TEST_BUF_SIZE	8192

static union {
	mach_msg_header_t	head;
	uint64_t		align;
	char			bytes[MIG_TEST_BUF_SIZE];
} mig_test_request, mig_test_reply;

/* A reply port the servers only copy: never a real port, never followed. */
#define MIG_TEST_REPLY_PORT	((mach_port_t)0x5eed000)

/* How to build one request. */
enum mig_test_fill {
	MIG_TEST_EMPTY,		/* variable arrays empty */
	MIG_TEST_FULL,		/* variable arrays at their bound */
	MIG_TEST_LYING,		/* one count above its bound, the size to match */
};

static mach_msg_size_t mig_test_align(mach_msg_size_t x, mach_msg_size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* The parameter codes, one at a time: the code, and its number if any. */
static const char *mig_test_next(const char *p, char *code, unsigned int *n)
{
	*code = *p++;
	*n = 0;
	while (*p >= '0' && *p <= '9')
		*n = *n * 10 + (unsigned int)(*p++ - '0');
	return p;
}

static bool mig_test_is_descriptor(char code)
{
	return code == 's' || code == 'o' || code == 'y' || code == 'O' || code == 'P';
}

static unsigned int mig_test_descriptors(const char *req)
{
	unsigned int n, count = 0;
	char code;

	while (*req) {
		req = mig_test_next(req, &code, &n);
		count += mig_test_is_descriptor(code);
	}
	return count;
}

static bool mig_test_has_array(const char *req)
{
	return strchr(req, 'v') || strchr(req, 'b');
}

/* Append one descriptor at *off. */
static void mig_test_put_descriptor(char *msg, mach_msg_size_t *off, char code)
{
	mach_msg_port_descriptor_t *port = (void *)(msg + *off);
	mach_msg_ool_descriptor_t *ool = (void *)(msg + *off);
	mach_msg_ool_ports_descriptor_t *ports = (void *)(msg + *off);

	switch (code) {
	case 'O':
		ool->address = NULL;
		ool->size = 0;
		ool->deallocate = FALSE;
		ool->copy = MACH_MSG_VIRTUAL_COPY;
		ool->type = MACH_MSG_OOL_DESCRIPTOR;
		*off += sizeof(*ool);
		break;
	case 'P':
		ports->address = NULL;
		ports->count = 0;
		ports->deallocate = FALSE;
		ports->copy = MACH_MSG_VIRTUAL_COPY;
		ports->disposition = MACH_MSG_TYPE_PORT_SEND;
		ports->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		*off += sizeof(*ports);
		break;
	default:
		/* In the kernel's form: the rights as the receiver holds them. */
		port->name = MACH_PORT_NULL;
		port->disposition = code == 'o' ? MACH_MSG_TYPE_PORT_SEND_ONCE :
						  MACH_MSG_TYPE_PORT_SEND;
		port->type = MACH_MSG_PORT_DESCRIPTOR;
		*off += sizeof(*port);
		break;
	}
}

/* Append one fixed inline item at *off; remember a variable array's count. */
static void mig_test_put_fixed(char *msg, mach_msg_size_t *off, char code, unsigned int n,
			       enum mig_test_fill fill, bool *lied)
{
	uint32_t count;

	switch (code) {
	case 'i':
		*off = mig_test_align(*off, 4);
		*(uint32_t *)(void *)(msg + *off) = 1;
		*off += 4;
		break;
	case 'q':
		*off = mig_test_align(*off, 8);
		*(uint64_t *)(void *)(msg + *off) = 0x1000;
		*off += 8;
		break;
	case 'c':
		*off = mig_test_align(*off, 4);
		*(uint32_t *)(void *)(msg + *off) = n;
		*off += 4;
		break;
	case 'v':
	case 'b':
		count = fill == MIG_TEST_EMPTY ? 0 : n;
		if (fill == MIG_TEST_LYING && !*lied) {
			count = n + 1;
			*lied = true;
		}
		*off = mig_test_align(*off, 4);
		*(uint32_t *)(void *)(msg + *off) = count;
		*off += 4;
		break;
	case 'S':
		memcpy(msg + *off, "console", sizeof("console"));
		*off += n;
		break;
	}
}

/*
 * Build the request of routine r into mig_test_request (the server's
 * request port is null: every conversion gives the null object).
 * Returns its size, header included.
 */
static mach_msg_size_t mig_test_build(const struct mig_test_routine *r, enum mig_test_fill fill)
{
	char *msg = mig_test_request.bytes;
	mach_msg_header_t *head = &mig_test_request.head;
	unsigned int ndesc = mig_test_descriptors(r->request);
	mach_msg_size_t off = sizeof(*head);
	const char *p;
	unsigned int n;
	bool lied = false;
	char code;

	memset(msg, 0, sizeof(mig_test_request));
	head->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND);
	head->msgh_remote_port = MIG_TEST_REPLY_PORT;
	head->msgh_local_port = MACH_PORT_NULL;
	head->msgh_id = r->id;
	if (ndesc) {
		head->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		((mach_msg_body_t *)(void *)(msg + off))->msgh_descriptor_count = ndesc;
		off += sizeof(mach_msg_body_t);
	}
	for (p = r->request; *p; ) {
		p = mig_test_next(p, &code, &n);
		if (mig_test_is_descriptor(code))
			mig_test_put_descriptor(msg, &off, code);
	}
	for (p = r->request; *p; ) {
		p = mig_test_next(p, &code, &n);
		if (!mig_test_is_descriptor(code))
			mig_test_put_fixed(msg, &off, code, n, fill, &lied);
	}
	/* The arrays, packed, each at its items' alignment (the data is zeros). */
	lied = false;
	for (p = r->request; *p; ) {
		unsigned int count;

		p = mig_test_next(p, &code, &n);
		if (code != 'v' && code != 'b')
			continue;
		count = fill == MIG_TEST_EMPTY ? 0 : n;
		if (fill == MIG_TEST_LYING && !lied) {
			count = n + 1;
			lied = true;
		}
		off = mig_test_align(off, code == 'v' ? 4 : 1) + count * (code == 'v' ? 4 : 1);
	}
	head->msgh_size = mig_test_align(off, 4);
	return head->msgh_size;
}

/* Hand the request to the subsystem's server; the reply is in mig_test_reply. */
static boolean_t mig_test_call(const struct mig_subsystem *sub)
{
	memset(&mig_test_reply, 0xa5, sizeof(mig_test_reply));
	return sub->server(&mig_test_request.head, &mig_test_reply.head);
}

static kern_return_t mig_test_retcode(void)
{
	return ((mig_reply_error_t *)(void *)&mig_test_reply)->RetCode;
}

/* A reply that carries only a return code: header and RetCode, nothing more. */
static void mig_test_expect_error_reply(struct ktest *t, const struct mig_test_routine *r,
					kern_return_t expect)
{
	mach_msg_header_t *head = &mig_test_reply.head;

	if (mig_test_retcode() != expect)
		KTEST_FAIL(t, "%s (%d): RetCode %d, expected %d", r->name, r->id,
			   mig_test_retcode(), expect);
	KTEST_EXPECT_EQ(t, head->msgh_id, r->id + 100);
	KTEST_EXPECT_PTR_EQ(t, head->msgh_remote_port, MIG_TEST_REPLY_PORT);
	KTEST_EXPECT_PTR_EQ(t, head->msgh_local_port, MACH_PORT_NULL);
	KTEST_EXPECT_FALSE(t, head->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	KTEST_EXPECT_EQ(t, head->msgh_size,
			(mach_msg_size_t)(offsetof(mig_reply_error_t, RetCode) + sizeof(kern_return_t)));
}

static void mig_test_for_each_routine(struct ktest *t,
				      void (*fn)(struct ktest *t,
						 const struct mig_subsystem *sub,
						 const struct mig_test_routine *r))
{
	const struct mig_test_routine *r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mig_test_subsystems); i++)
		for (r = mig_test_subsystems[i].routines; r->name; r++)
			fn(t, mig_test_subsystems[i].subsystem, r);
}

/* The generated tables: ids, names, skips, and the demultiplexer's lookup. */
static void mig_test_check_table(struct ktest *t, const struct mig_test_subsystem *ts)
{
	const struct mig_subsystem *sub = ts->subsystem;
	const struct mig_test_routine *r;
	unsigned int listed = 0, stubs = 0;
	mach_msg_id_t id;

	for (r = ts->routines; r->name; r++) {
		const struct mig_routine_descriptor *d;

		listed++;
		KTEST_ASSERT_TRUE(t, r->id >= sub->start && r->id < sub->end);
		d = &sub->routine[r->id - sub->start];
		KTEST_EXPECT_NOT_NULL(t, d->stub);
		KTEST_EXPECT_STREQ(t, d->name, r->name);
		KTEST_EXPECT_LE(t, d->max_reply, sub->maxsize);
	}
	for (id = sub->start; id < sub->end; id++) {
		mig_test_request.head.msgh_id = id;
		KTEST_EXPECT_TRUE(t, sub->routine[id - sub->start].stub ==
				     ts->lookup(&mig_test_request.head));
		stubs += sub->routine[id - sub->start].stub != NULL;
	}
	/* Every routine of the subsystem is in the table above, and no more. */
	if (stubs != listed)
		KTEST_FAIL(t, "%s: %u routines, %u tested", sub->name, stubs, listed);
	mig_test_request.head.msgh_id = sub->end;
	KTEST_EXPECT_TRUE(t, ts->lookup(&mig_test_request.head) == NULL);
	KTEST_EXPECT_LE(t, sub->maxsize, (mach_msg_size_t)MIG_TEST_BUF_SIZE);
}

static void mig_server_test_tables(struct ktest *t)
{
	size_t i;

	KTEST_EXPECT_EQ(t, mach_port_subsystem.start, 3200);
	KTEST_EXPECT_EQ(t, mach_subsystem.start, 2000);
	KTEST_EXPECT_EQ(t, mach_host_subsystem.start, 200);
	KTEST_EXPECT_EQ(t, host_priv_subsystem.start, 400);
	KTEST_EXPECT_EQ(t, device_subsystem.start, 2800);
	for (i = 0; i < ARRAY_SIZE(mig_test_subsystems); i++)
		mig_test_check_table(t, &mig_test_subsystems[i]);
}

static void mig_test_well_formed(struct ktest *t, const struct mig_subsystem *sub,
				 const struct mig_test_routine *r)
{
	mig_test_build(r, MIG_TEST_EMPTY);
	KTEST_EXPECT_TRUE(t, mig_test_call(sub));
	mig_test_expect_error_reply(t, r, r->expect);
	if (!mig_test_has_array(r->request))
		return;
	mig_test_build(r, MIG_TEST_FULL);
	KTEST_EXPECT_TRUE(t, mig_test_call(sub));
	mig_test_expect_error_reply(t, r, r->expect);
}

/* Every routine, with a well-formed request: the routine's own answer. */
static void mig_server_test_routines(struct ktest *t)
{
	mig_test_for_each_routine(t, mig_test_well_formed);
}

static void mig_test_refused(struct ktest *t, const struct mig_subsystem *sub,
			     const struct mig_test_routine *r, const char *what)
{
	KTEST_EXPECT_TRUE(t, mig_test_call(sub));
	if (mig_test_retcode() != MIG_BAD_ARGUMENTS)
		KTEST_FAIL(t, "%s (%d) %s: RetCode %d, expected MIG_BAD_ARGUMENTS",
			   r->name, r->id, what, mig_test_retcode());
	KTEST_EXPECT_EQ(t, mig_test_reply.head.msgh_id, r->id + 100);
}

static void mig_test_malformed(struct ktest *t, const struct mig_subsystem *sub,
			       const struct mig_test_routine *r)
{
	mach_msg_size_t size;

	size = mig_test_build(r, MIG_TEST_EMPTY);
	mig_test_request.head.msgh_size = size - 4;
	mig_test_refused(t, sub, r, "truncated");

	mig_test_build(r, MIG_TEST_EMPTY);
	mig_test_request.head.msgh_size = size + 4;
	mig_test_refused(t, sub, r, "with 4 bytes too many");

	mig_test_build(r, MIG_TEST_EMPTY);
	mig_test_request.head.msgh_bits ^= MACH_MSGH_BITS_COMPLEX;
	mig_test_refused(t, sub, r, "with the complex bit flipped");

	if (mig_test_has_array(r->request)) {
		mig_test_build(r, MIG_TEST_LYING);
		mig_test_refused(t, sub, r, "with a count above its bound");
	}
	if (mig_test_descriptors(r->request)) {
		mach_msg_type_descriptor_t *d;

		mig_test_build(r, MIG_TEST_EMPTY);
		d = (void *)(mig_test_request.bytes + sizeof(mach_msg_header_t) +
			     sizeof(mach_msg_body_t));
		d->type = d->type == MACH_MSG_OOL_DESCRIPTOR ? MACH_MSG_PORT_DESCRIPTOR :
							       MACH_MSG_OOL_DESCRIPTOR;
		mig_test_refused(t, sub, r, "with a descriptor of the wrong kind");

		mig_test_build(r, MIG_TEST_EMPTY);
		((mach_msg_body_t *)(void *)(mig_test_request.bytes +
			sizeof(mach_msg_header_t)))->msgh_descriptor_count++;
		mig_test_refused(t, sub, r, "with one descriptor too many");
	}
}

/* Malformed requests: refused before the routine sees them. */
static void mig_server_test_malformed(struct ktest *t)
{
	mig_test_for_each_routine(t, mig_test_malformed);
}

static void mig_test_expect_bad_id(struct ktest *t, const struct mig_subsystem *sub,
				   mach_msg_id_t id)
{
	struct mig_test_routine r = { id, "(none)", "", MIG_BAD_ID };

	mig_test_build(&r, MIG_TEST_EMPTY);
	KTEST_EXPECT_FALSE(t, mig_test_call(sub));
	mig_test_expect_error_reply(t, &r, MIG_BAD_ID);
}

/* Ids before, after and skipped within each subsystem. */
static void mig_server_test_bad_id(struct ktest *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mig_test_subsystems); i++) {
		const struct mig_subsystem *sub = mig_test_subsystems[i].subsystem;
		mach_msg_id_t id;

		mig_test_expect_bad_id(t, sub, sub->start - 1);
		mig_test_expect_bad_id(t, sub, sub->end);
		mig_test_expect_bad_id(t, sub, sub->end + 100);
		mig_test_expect_bad_id(t, sub, -1);
		for (id = sub->start; id < sub->end; id++)
			if (!sub->routine[id - sub->start].stub)
				mig_test_expect_bad_id(t, sub, id);
	}
	/* mach 2000..2006 are Mach 2.5's old port calls: reserved. */
	mig_test_expect_bad_id(t, &mach_subsystem, 2000);
}

/*
 * The simpleroutines of mach.defs, called directly, as the kernel does:
 * the null control (a port that is not a control port) is refused.
 */
static void mig_server_test_simpleroutines(struct ktest *t)
{
	memory_object_control_t control = MEMORY_OBJECT_CONTROL_NULL;

	KTEST_EXPECT_EQ(t, memory_object_data_provided(control, 0, NULL, 0, VM_PROT_READ),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_data_unavailable(control, 0, 4096), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_lock_request(control, 0, 4096, MEMORY_OBJECT_RETURN_NONE,
						      FALSE, VM_PROT_NO_CHANGE, MACH_PORT_NULL,
						      MACH_MSG_TYPE_PORT_SEND_ONCE),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_data_error(control, 0, 4096, KERN_FAILURE),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_set_attributes(control, TRUE, TRUE,
							MEMORY_OBJECT_COPY_DELAY),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_destroy(control, KERN_SUCCESS), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_data_supply(control, 0, NULL, 0, VM_PROT_NONE, FALSE,
						     MACH_PORT_NULL, MACH_MSG_TYPE_PORT_SEND_ONCE),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_ready(control, TRUE, MEMORY_OBJECT_COPY_DELAY),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, memory_object_change_attributes(control, TRUE,
							   MEMORY_OBJECT_COPY_DELAY,
							   MACH_PORT_NULL,
							   MACH_MSG_TYPE_PORT_SEND_ONCE),
			KERN_INVALID_ARGUMENT);
}

static struct ktest_case mig_server_test_cases[] = {
	KTEST_CASE(mig_server_test_tables),
	KTEST_CASE(mig_server_test_routines),
	KTEST_CASE(mig_server_test_simpleroutines),
	KTEST_CASE(mig_server_test_malformed),
	KTEST_CASE(mig_server_test_bad_id),
	{}
};

static struct ktest_suite mig_server_test_suite = {
	.name = "mig_server",
	.test_cases = mig_server_test_cases,
};
KTEST_SUITE(mig_server_test_suite);
