// SPDX-License-Identifier: MIT
/*
 * Benchmarks of ports (CONFIG_KBENCH, see <kbench.h>):
 * port_alloc_destroy is mach_port_allocate(RECEIVE) + mach_port_destroy
 * on a space of its own (the target: <= 250 guest instructions on
 * x86_64); port_make_send_dealloc inserts a made send right under the
 * receive right's name and deallocates it.
 */
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_port.h>
#include <kbench.h>

static kern_return_t ipc_bench_setup(void **ctx)
{
	ipc_space_t space;
	kern_return_t kr = ipc_space_create(&space);

	*ctx = space;
	return kr;
}

static void ipc_bench_teardown(void *ctx)
{
	ipc_space_destroy(ctx);
	ipc_space_release(ctx);
}

static void ipc_bench_alloc_destroy(void *ctx, unsigned long iters)
{
	mach_port_name_t name;

	while (iters--) {
		ipc_mach_port_allocate(ctx, MACH_PORT_RIGHT_RECEIVE, &name);
		ipc_mach_port_destroy(ctx, name);
	}
}
KBENCH(port_alloc_destroy, 100000, ipc_bench_setup, ipc_bench_alloc_destroy,
       ipc_bench_teardown);

static void ipc_bench_make_send(void *ctx, unsigned long iters)
{
	mach_port_name_t name;
	ipc_port_t port;

	ipc_mach_port_allocate(ctx, MACH_PORT_RIGHT_RECEIVE, &name);
	while (iters--) {
		ipc_object_copyin(ctx, name, MACH_MSG_TYPE_MAKE_SEND, &port);
		ipc_mach_port_insert_right(ctx, name, port, MACH_MSG_TYPE_PORT_SEND);
		ipc_mach_port_deallocate(ctx, name);
	}
	ipc_mach_port_destroy(ctx, name);
}
KBENCH(port_make_send_dealloc, 100000, ipc_bench_setup, ipc_bench_make_send,
       ipc_bench_teardown);
