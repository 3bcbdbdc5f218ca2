/* SPDX-License-Identifier: MIT */
/*
 * Ports to kernel objects and back: the translations that the kernel's
 * MIG servers apply to their arguments (mach_types.defs and
 * device_types.defs name them).
 *
 * convert_port_to_<object>() returns the object a port stands for, with
 * a reference the server drops with the type's destructor once the
 * routine returns, or the null object if the port is not one of those.
 * convert_<object>_to_port() consumes a reference and returns a send
 * right to the object's port (MACH_PORT_NULL for the null object).
 *
 * The host, IPC spaces, tasks and threads have ports (ipc/ipc_kobject.h;
 * tasks and threads in kernel/ipc_tt.c, an address map is named by its
 * task's port), and so do memory object controls (a vm_object's control
 * port, mm/memory_object.c), devices (kernel/mig/device_routines.c:
 * devices are static, so their conversions take no reference),
 * processors, processor sets and semaphores (kernel/processor.c,
 * kernel/sync_sema.c).
 */
#ifndef _KERNEL_MIG_MIG_CONVERT_H
#define _KERNEL_MIG_MIG_CONVERT_H

#include <mach/mach_types.h>
#include <mach/device_types.h>

task_t convert_port_to_task(mach_port_t port);
mach_port_t convert_task_to_port(task_t task);
void task_deallocate(task_t task);

thread_t convert_port_to_thread(mach_port_t port);
mach_port_t convert_thread_to_port(thread_t thread);
/* thread_deallocate() is the thread code's own (<kern/thread.h>). */
void thread_deallocate(thread_t thread);

vm_map_t convert_port_to_map(mach_port_t port);
void vm_map_deallocate(vm_map_t map);

/*
 * IPC spaces (mach_port_routines.c): a task's port names the task's
 * space (not kernel_task's: the kernel's space has no names), and so
 * does the port of an IKOT_SPACE kernel object, which names a space
 * that has no task (the tests' spaces). convert_space_to_port() consumes
 * a space reference and returns a send right to a new IKOT_SPACE port
 * for the space (IP_NULL without memory); the port goes, and drops the
 * reference, when its last send right does.
 */
ipc_space_t convert_port_to_space(mach_port_t port);
ipc_space_t convert_task_port_to_space(mach_port_t port);	/* the task case */
mach_port_t convert_space_to_port(ipc_space_t space);
void space_deallocate(ipc_space_t space);
struct ipc_port;
void space_port_no_senders(struct ipc_port *port, mach_port_mscount_t mscount);

/*
 * The host (mach_host_routines.c): one object, never freed, with two
 * kernel ports made at boot: host_self (IKOT_HOST: mach_host) and
 * host_priv (IKOT_HOST_PRIV: host_priv and mach_host).
 */
host_t host_self(void);
host_t convert_port_to_host(mach_port_t port);		/* either port */
host_priv_t convert_port_to_host_priv(mach_port_t port);
mach_port_t convert_host_to_port(host_t host);		/* a send right to host_self */
mach_port_t convert_host_priv_to_port(host_priv_t host);

/*
 * Processors and processor sets (kernel/processor.c), semaphores
 * (kernel/sync_sema.c): their headers declare the conversions.
 */
#include <kern/processor.h>
#include <kern/sync_sema.h>

memory_object_control_t convert_port_to_memory_object_control(mach_port_t port);
void memory_object_control_deallocate(memory_object_control_t control);

device_t convert_port_to_device(mach_port_t port);
mach_port_t convert_device_to_port(device_t device);
void device_deallocate(device_t device);

#endif /* _KERNEL_MIG_MIG_CONVERT_H */
