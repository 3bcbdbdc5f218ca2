// SPDX-License-Identifier: MIT
/*
 * Port sets (ipc_pset.h).
 */
#include <kern/zalloc.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>

static ipc_pset_t ipc_pset_create(void)
{
	ipc_pset_t pset;

	if (ipc_alloc_should_fail())
		return IPS_NULL;
	pset = zalloc(ipc_pset_zone);
	if (!pset)
		return IPS_NULL;
	spin_lock_init_class(&pset->ips_object.io_lock, &ipc_pset_lock_class);
	pset->ips_object.io_references = 1;
	pset->ips_object.io_otype = IOT_PORT_SET;
	pset->ips_active = false;
	pset->ips_local_name = MACH_PORT_NAME_NULL;
	pset->ips_space = IS_NULL;
	pset->ips_members = IP_NULL;
	pset->ips_count = 0;
	ipc_mqueue_init(&pset->ips_messages);
	ipc_stat_add(IPC_STAT_PSETS, 1);
	return pset;
}

void ipc_pset_release(ipc_pset_t pset)
{
	if (__atomic_sub_fetch(&pset->ips_object.io_references, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	assert(!pset->ips_active && pset->ips_count == 0);
	ipc_stat_add(IPC_STAT_PSETS, -1);
	zfree(ipc_pset_zone, pset);
}

static kern_return_t ipc_pset_enter(ipc_space_t space, ipc_pset_t pset,
				    mach_port_name_t name, ipc_entry_t entry)
{
	entry->ie_object = &pset->ips_object;
	entry->ie_bits |= MACH_PORT_TYPE_PORT_SET;
	pset->ips_active = true;
	pset->ips_local_name = name;
	pset->ips_space = space;
	is_unlock(space);
	return KERN_SUCCESS;
}

static kern_return_t ipc_pset_alloc_entry(ipc_space_t space, bool named,
					   mach_port_name_t *namep)
{
	ipc_pset_t pset = ipc_pset_create();
	ipc_entry_t entry;
	kern_return_t kr;

	if (!pset)
		return KERN_RESOURCE_SHORTAGE;
	kr = ipc_entry_alloc_new(space, named, namep, &entry);
	if (kr != KERN_SUCCESS) {
		ipc_pset_release(pset);
		return kr;
	}
	return ipc_pset_enter(space, pset, *namep, entry);
}

kern_return_t ipc_pset_alloc(ipc_space_t space, mach_port_name_t *namep)
{
	return ipc_pset_alloc_entry(space, false, namep);
}

kern_return_t ipc_pset_alloc_name(ipc_space_t space, mach_port_name_t name)
{
	return ipc_pset_alloc_entry(space, true, &name);
}

void ipc_pset_add(ipc_pset_t pset, ipc_port_t port)
{
	assert(pset->ips_active && port->ip_pset == IPS_NULL);
	port->ip_pset = pset;
	port->ip_fast_pset = 1;
	port->ip_pset_prev = IP_NULL;
	port->ip_pset_next = pset->ips_members;
	if (pset->ips_members)
		pset->ips_members->ip_pset_prev = port;
	pset->ips_members = port;
	pset->ips_count++;
	/* Messages already queued on the port become receivable from the set. */
	ipc_mqueue_pset_add(pset, port);
}

void ipc_pset_remove(ipc_pset_t pset, ipc_port_t port)
{
	assert(port->ip_pset == pset);
	ipc_mqueue_pset_remove(pset, port);
	if (port->ip_pset_prev)
		port->ip_pset_prev->ip_pset_next = port->ip_pset_next;
	else
		pset->ips_members = port->ip_pset_next;
	if (port->ip_pset_next)
		port->ip_pset_next->ip_pset_prev = port->ip_pset_prev;
	port->ip_pset = IPS_NULL;
	port->ip_fast_pset = 0;
	port->ip_pset_next = port->ip_pset_prev = IP_NULL;
	pset->ips_count--;
}

void ipc_pset_destroy(ipc_pset_t pset)
{
	ipc_port_t port;

	/*
	 * The member list cannot change under us: that takes the space's
	 * lock, which the caller holds (or the space is dead and ours).
	 * Each member is locked before the set, in lock order.
	 */
	while ((port = READ_ONCE(pset->ips_members)) != IP_NULL) {
		ip_lock(port);
		ips_lock(pset);
		ipc_pset_remove(pset, port);
		ips_unlock(pset);
		ip_unlock(port);
	}
	ips_lock(pset);
	pset->ips_active = false;
	ipc_mqueue_pset_receivers_gone(pset);
	ips_unlock(pset);
	ipc_pset_release(pset);
}
