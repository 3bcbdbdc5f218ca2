// SPDX-License-Identifier: MIT
/*
 * The port <-> object translations of the kernel's MIG servers for the
 * objects that have no port yet (processors): every translation
 * gives the null object, and the routines answer for it; and the memory
 * object control port's, which vm_object_control_lookup() does. See
 * mig_convert.h; each function moves to its object's code when that
 * code gives the object a port, as the host's
 * (mach_host_routines.c), the IPC space's (mach_port_routines.c),
 * the task's, thread's and address map's (kernel/ipc_tt.c) and the
 * devices' (device_routines.c) did.
 */
#include <kern/vm_object.h>
#include <kernel/mig/mig_convert.h>

processor_t convert_port_to_processor(mach_port_t port)
{
	return PROCESSOR_NULL;
}

mach_port_t convert_processor_to_port(processor_t processor)
{
	return MACH_PORT_NULL;
}

/*
 * A control port (IKOT_MEMORY_OBJECT_CONTROL, mm/memory_object.c) names
 * its vm_object: the conversion takes a reference, which the server drops
 * after the routine; the port of an object that is terminating, or any
 * other port, gives the null object.
 */
memory_object_control_t convert_port_to_memory_object_control(mach_port_t port)
{
	return vm_object_control_lookup((struct ipc_port *)port);
}

void memory_object_control_deallocate(memory_object_control_t control)
{
	vm_object_deallocate(control);	/* nothing for the null object */
}
