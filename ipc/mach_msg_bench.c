// SPDX-License-Identifier: MIT
/*
 * Benchmarks of messages (CONFIG_KBENCH, see <kbench.h>):
 *
 *	msg_null_send_recv	a null message sent to a port, then received
 *				from it, by one thread (two ipc_mach_msg calls)
 *	msg_rpc_null		a null RPC between two kernel threads on one
 *				CPU, at one real-time priority: the client's
 *				send+receive hands the message and the CPU
 *				to the waiting server, whose reply+receive
 *				hands them back (target: <= 600 guest
 *				instructions on x86_64)
 *	msg_ool_4k, msg_ool_1m	send + receive of one OOL region, and the
 *				receiver freeing it
 */
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <ipc/mach_port.h>
#include <kbench.h>

#define RPC_EXIT_ID	999

/*
 * msg_rpc_null's two threads run at one fixed priority, above the
 * timeshare priorities' decay (as sched_bench.c's): at a timeshare
 * priority the benchmark's thread would carry the decay of whatever it
 * ran before, below its fresh server's, and every switch would move the
 * run queue's priority (msg_rpc_null 595 alone, 600 after
 * context_switch, on x86_64).
 */
#define MSG_BENCH_RPC_PRI	BASEPRI_RTQUEUES

struct msg_bench {
	ipc_space_t		space;
	mach_port_name_t	port;		/* the server's (or the only) port */
	mach_port_name_t	reply;		/* the client's reply port */
	struct thread		*server;
	int			main_pri;	/* the benchmark thread's, restored */
	void			*ool;
	mach_msg_size_t		ool_size;
	union {
		mach_msg_user_header_t	h;
		char			buf[256];
	} m;
};

static struct msg_bench msg_bench;

static kern_return_t msg_bench_setup(void **ctx)
{
	struct msg_bench *b = &msg_bench;
	kern_return_t kr;

	memset(b, 0, sizeof(*b));
	kr = ipc_space_create(&b->space);
	if (kr == KERN_SUCCESS)
		kr = ipc_mach_port_allocate(b->space, MACH_PORT_RIGHT_RECEIVE, &b->port);
	if (kr == KERN_SUCCESS)
		kr = ipc_mach_port_allocate(b->space, MACH_PORT_RIGHT_RECEIVE, &b->reply);
	*ctx = b;
	return kr;
}

static void msg_bench_teardown(void *ctx)
{
	struct msg_bench *b = ctx;

	ipc_space_destroy(b->space);
	ipc_space_release(b->space);
	if (b->ool)
		kfree(b->ool, b->ool_size);
}

static void msg_bench_null(void *ctx, unsigned long iters)
{
	struct msg_bench *b = ctx;
	mach_msg_header_t *msg = (mach_msg_header_t *)&b->m;

	while (iters--) {
		b->m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
		b->m.h.msgh_size = sizeof(b->m.h);
		b->m.h.msgh_remote_port = b->port;
		b->m.h.msgh_local_port = MACH_PORT_NAME_NULL;
		b->m.h.msgh_id = 1;
		ipc_mach_msg(b->space, msg, MACH_SEND_MSG, sizeof(b->m.h), 0, 0, 0, 0);
		ipc_mach_msg(b->space, msg, MACH_RCV_MSG, 0, sizeof(b->m), b->port, 0, 0);
	}
}
KBENCH(msg_null_send_recv, 100000, msg_bench_setup, msg_bench_null, msg_bench_teardown);

/* The server: reply to the last request and wait for the next, in one call. */
static void msg_bench_server(void *arg)
{
	struct msg_bench *b = arg;
	union {
		mach_msg_user_header_t	h;
		char			buf[256];
	} m;
	mach_msg_option_t option = MACH_RCV_MSG;

	for (;;) {
		if (ipc_mach_msg(b->space, (mach_msg_header_t *)&m, option, sizeof(m.h),
				 sizeof(m), b->port, 0, 0) != MACH_MSG_SUCCESS ||
		    m.h.msgh_id == RPC_EXIT_ID)
			return;
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.h.msgh_size = sizeof(m.h);
		m.h.msgh_local_port = MACH_PORT_NAME_NULL;
		m.h.msgh_id += 100;
		option = MACH_SEND_MSG | MACH_RCV_MSG;
	}
}

static kern_return_t msg_bench_rpc_setup(void **ctx)
{
	struct msg_bench *b;
	kern_return_t kr = msg_bench_setup(ctx);

	b = *ctx;
	if (kr != KERN_SUCCESS)
		return kr;
	b->server = kernel_thread_create_suspended(msg_bench_server, b, MSG_BENCH_RPC_PRI,
						   "msg_bench_server");
	if (!b->server)
		return KERN_RESOURCE_SHORTAGE;
	b->main_pri = current_thread()->priority;
	thread_set_priority(current_thread(), MSG_BENCH_RPC_PRI);
	/* Both on this CPU, at one priority: every switch is a handoff. */
	thread_bind(b->server, (int)cpu_number());
	thread_bind(current_thread(), (int)cpu_number());
	thread_resume(b->server);
	while (!(thread_get_state(b->server) & TH_WAIT))
		thread_yield();
	return KERN_SUCCESS;
}

static void msg_bench_rpc_teardown(void *ctx)
{
	struct msg_bench *b = ctx;

	b->m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	b->m.h.msgh_size = sizeof(b->m.h);
	b->m.h.msgh_remote_port = b->port;
	b->m.h.msgh_local_port = MACH_PORT_NAME_NULL;
	b->m.h.msgh_id = RPC_EXIT_ID;
	ipc_mach_msg(b->space, (mach_msg_header_t *)&b->m, MACH_SEND_MSG, sizeof(b->m.h),
		     0, 0, 0, 0);
	thread_join(b->server);
	thread_deallocate(b->server);
	thread_set_priority(current_thread(), b->main_pri);
	thread_bind(current_thread(), -1);
	msg_bench_teardown(ctx);
}

static void msg_bench_rpc(void *ctx, unsigned long iters)
{
	struct msg_bench *b = ctx;
	mach_msg_header_t *msg = (mach_msg_header_t *)&b->m;

	while (iters--) {
		b->m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		b->m.h.msgh_size = sizeof(b->m.h);
		b->m.h.msgh_remote_port = b->port;
		b->m.h.msgh_local_port = b->reply;
		b->m.h.msgh_id = 1;
		ipc_mach_msg(b->space, msg, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(b->m.h),
			     sizeof(b->m), b->reply, 0, 0);
	}
}
KBENCH(msg_rpc_null, 100000, msg_bench_rpc_setup, msg_bench_rpc, msg_bench_rpc_teardown);

/* One OOL region of `size` bytes, sent and received. */
static void msg_bench_ool(struct msg_bench *b, unsigned long iters)
{
	struct {
		mach_msg_user_header_t		h;
		mach_msg_body_t			body;
		mach_msg_ool_descriptor_t	d;
	} __attribute__((packed, aligned(4))) *m = (void *)&b->m;
	mach_msg_header_t *msg = (mach_msg_header_t *)&b->m;

	while (iters--) {
		m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
		m->h.msgh_size = sizeof(*m);
		m->h.msgh_remote_port = b->port;
		m->h.msgh_local_port = MACH_PORT_NAME_NULL;
		m->h.msgh_id = 2;
		m->body.msgh_descriptor_count = 1;
		memset(&m->d, 0, sizeof(m->d));
		m->d.address = b->ool;
		m->d.size = b->ool_size;
		m->d.type = MACH_MSG_OOL_DESCRIPTOR;
		ipc_mach_msg(b->space, msg, MACH_SEND_MSG, sizeof(*m), 0, 0, 0, 0);
		ipc_mach_msg(b->space, msg, MACH_RCV_MSG, 0, sizeof(b->m), b->port, 0, 0);
		ipc_ool_free(m->d.address, m->d.size);
	}
}

static kern_return_t msg_bench_ool_setup(void **ctx, mach_msg_size_t size)
{
	kern_return_t kr = msg_bench_setup(ctx);
	struct msg_bench *b = *ctx;

	if (kr != KERN_SUCCESS)
		return kr;
	b->ool_size = size;
	b->ool = kalloc(size);
	if (!b->ool)
		return KERN_RESOURCE_SHORTAGE;
	memset(b->ool, 0x3c, size);
	return KERN_SUCCESS;
}

static kern_return_t msg_bench_ool_4k_setup(void **ctx)
{
	return msg_bench_ool_setup(ctx, 4096);
}

static kern_return_t msg_bench_ool_1m_setup(void **ctx)
{
	return msg_bench_ool_setup(ctx, 1024 * 1024);
}

static void msg_bench_ool_run(void *ctx, unsigned long iters)
{
	msg_bench_ool(ctx, iters);
}

KBENCH(msg_ool_4k, 20000, msg_bench_ool_4k_setup, msg_bench_ool_run, msg_bench_teardown);
KBENCH(msg_ool_1m, 200, msg_bench_ool_1m_setup, msg_bench_ool_run, msg_bench_teardown);
