// SPDX-License-Identifier: MIT
/*
 * The ports a task was started with, from its registered ports
 * (mach_ports_lookup()). The kernel gives the bootstrap task the
 * privileged host port and the device master port there
 * (<mach/bootstrap_abi.h>); a task the bootstrap starts gets the same
 * layout from it.
 */
#include <mach/mach.h>
#include <mach/bootstrap_abi.h>

static mach_port_t port_slot(const mach_port_t *ports, mach_msg_type_number_t count,
			     unsigned int slot)
{
	return slot < count ? ports[slot] : MACH_PORT_NULL;
}

kern_return_t mach_bootstrap_ports(mach_port_t *host_priv, mach_port_t *device_master)
{
	mach_port_array_t ports;
	mach_msg_type_number_t count = 0;
	kern_return_t kr;
	unsigned int i;

	kr = mach_ports_lookup(mach_task_self(), &ports, &count);
	if (kr != KERN_SUCCESS)
		return kr;
	if (host_priv)
		*host_priv = port_slot(ports, count, BOOTSTRAP_SLOT_HOST_PRIV);
	if (device_master)
		*device_master = port_slot(ports, count, BOOTSTRAP_SLOT_DEVICE_MASTER);

	/* The rights the caller did not ask for are not kept. */
	for (i = 0; i < count; i++) {
		if (ports[i] == MACH_PORT_NULL)
			continue;
		if ((host_priv && i == BOOTSTRAP_SLOT_HOST_PRIV) ||
		    (device_master && i == BOOTSTRAP_SLOT_DEVICE_MASTER))
			continue;
		mach_port_deallocate(mach_task_self(), ports[i]);
	}
	if (count)
		vm_deallocate(mach_task_self(), (vm_address_t)ports, count * sizeof(*ports));
	return KERN_SUCCESS;
}
