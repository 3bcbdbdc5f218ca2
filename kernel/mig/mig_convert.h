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
 * Until the IPC layer gives kernel objects their ports, every port
 * translates to the null object and every object to MACH_PORT_NULL; the
 * issues that bring tasks, threads, the host, the VM and devices replace
 * these with the real ones (kernel/mig/mig_convert.c).
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

ipc_space_t convert_port_to_space(mach_port_t port);
void space_deallocate(ipc_space_t space);

host_t convert_port_to_host(mach_port_t port);
mach_port_t convert_host_to_port(host_t host);
host_priv_t convert_port_to_host_priv(mach_port_t port);

processor_t convert_port_to_processor(mach_port_t port);
mach_port_t convert_processor_to_port(processor_t processor);

memory_object_control_t convert_port_to_memory_object_control(mach_port_t port);
void memory_object_control_deallocate(memory_object_control_t control);

device_t convert_port_to_device(mach_port_t port);
mach_port_t convert_device_to_port(device_t device);
void device_deallocate(device_t device);

#endif /* _KERNEL_MIG_MIG_CONVERT_H */
