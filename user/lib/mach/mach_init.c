// SPDX-License-Identifier: MIT
/*
 * The task's view of itself: its own port, cached once, the host and
 * thread ports, the page size and the time base.
 */
#include <mach/mach.h>
#include "mach_internal.h"

mach_port_t mach_task_self_ = MACH_PORT_NULL;

/* The machine's page size, until host_page_size() says otherwise. */
vm_size_t vm_page_size = 4096;

/*
 * Called once by the C start-up (user/lib/c/start.c) before main(), and
 * again by nothing: the task port name does not change for the life of the
 * task, so every mach_task_self() reads this one copy.
 */
void mach_init(void)
{
	mach_port_t host;
	vm_size_t size;

	mach_task_self_ = task_self_trap();
	/* Before the first MIG call, which looks for the thread's reply port. */
	mig_main_thread_init();

	host = mach_host_self();
	if (host != MACH_PORT_NULL) {
		if (host_page_size(host, &size) == KERN_SUCCESS && size)
			vm_page_size = size;
		/* Give back the reference mach_host_self() added. */
		mach_port_deallocate(mach_task_self_, host);
	}
}

mach_port_t mach_host_self(void)
{
	return host_self_trap();
}

mach_port_t mach_thread_self(void)
{
	return thread_self_trap();
}

kern_return_t mach_timebase_info(mach_timebase_info_t info)
{
	return mach_timebase_info_trap(info);
}
