// SPDX-License-Identifier: MIT
/*
 * The port <-> object translation of the kernel's MIG servers for the
 * memory object control port, which vm_object_control_lookup() does
 * (mig_convert.h). The translations of the objects that had no port here
 * once gave the null object; each moved to its object's code when that
 * code gave the object a port, as the host's (mach_host_routines.c), the
 * IPC space's (mach_port_routines.c), the task's, thread's and address
 * map's (kernel/ipc_tt.c), the devices' (device_routines.c) and the
 * processors' (kernel/processor.c) did.
 */
#include <kern/vm_object.h>
#include <kernel/mig/mig_convert.h>

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
