// SPDX-License-Identifier: MIT
/*
 * Rights between spaces: copyin, copyout, destroy (ipc_object.h). This is
 * what mach_msg (part 2) and mach_port_insert/extract_right are made of.
 */
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>

mach_msg_type_name_t ipc_object_copyin_type(mach_msg_type_name_t disposition)
{
	switch (disposition) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	default:
		return 0;
	}
}

kern_return_t ipc_object_copyin(ipc_space_t space, mach_port_name_t name,
				mach_msg_type_name_t disposition, ipc_port_t *portp)
{
	ipc_port_t soright;
	ipc_entry_t entry;
	kern_return_t kr;

	if (!MACH_MSG_TYPE_PORT_ANY(disposition))
		return KERN_INVALID_VALUE;
	kr = ipc_right_lookup(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = ipc_right_copyin(space, name, entry, disposition, true, portp, &soright);
	if (kr == KERN_SUCCESS && IE_BITS_TYPE(entry->ie_bits) == MACH_PORT_TYPE_NONE)
		ipc_entry_dealloc(space, name, entry);
	is_unlock(space);
	if (soright)
		ipc_notify_port_deleted(soright, name);
	return kr;
}

/* A copied-in right whose port is dead where it should go: it just goes. */
static void ipc_object_copyout_dead(ipc_port_t port, mach_msg_type_name_t type,
				    mach_port_name_t *namep)
{
	ipc_object_destroy(port, type);
	*namep = MACH_PORT_NAME_DEAD;
}

kern_return_t ipc_object_copyout(ipc_space_t space, ipc_port_t port,
				 mach_msg_type_name_t type, bool overflow,
				 mach_port_name_t *namep)
{
	mach_port_name_t name;
	ipc_entry_t entry;
	kern_return_t kr;

	if (port == IP_DEAD || port == IP_NULL) {
		*namep = port == IP_DEAD ? MACH_PORT_NAME_DEAD : MACH_PORT_NAME_NULL;
		return KERN_SUCCESS;
	}
	kr = ipc_space_lock_active(space);
	if (kr != KERN_SUCCESS)
		return kr;
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_right_reverse(space, port, &name, &entry)) {
		/* Port locked and active: coalesce into the existing name. */
		kr = ipc_right_copyout(space, name, entry, type, overflow, port);
		is_unlock(space);
		if (kr == KERN_SUCCESS)
			*namep = name;
		return kr;
	}
	is_unlock(space);

	kr = ipc_entry_alloc(space, &name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	/* The space was unlocked: look for an existing name again. */
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE) {
		mach_port_name_t oname;
		ipc_entry_t oentry;

		if (ipc_right_reverse(space, port, &oname, &oentry)) {
			ipc_entry_dealloc(space, name, entry);
			kr = ipc_right_copyout(space, oname, oentry, type, overflow, port);
			is_unlock(space);
			if (kr == KERN_SUCCESS)
				*namep = oname;
			return kr;
		}
	}
	ip_lock(port);
	if (!ip_active(port)) {
		ip_unlock(port);
		ipc_entry_dealloc(space, name, entry);
		is_unlock(space);
		ipc_object_copyout_dead(port, type, namep);
		return KERN_SUCCESS;
	}
	kr = ipc_right_copyout(space, name, entry, type, overflow, port);
	assert(kr == KERN_SUCCESS);	/* a fresh entry never overflows */
	is_unlock(space);
	*namep = name;
	return KERN_SUCCESS;
}

kern_return_t ipc_object_copyout_name(ipc_space_t space, ipc_port_t port,
				      mach_msg_type_name_t type, bool overflow,
				      mach_port_name_t name)
{
	mach_port_name_t oname;
	ipc_entry_t entry, oentry;
	kern_return_t kr;

	if (!IP_VALID(port))
		return KERN_INVALID_CAPABILITY;
	kr = ipc_entry_alloc_name(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_right_reverse(space, port, &oname, &oentry)) {
		if (oname != name) {
			ip_unlock(port);
			if (IE_BITS_TYPE(entry->ie_bits) == MACH_PORT_TYPE_NONE)
				ipc_entry_dealloc(space, name, entry);
			is_unlock(space);
			return KERN_RIGHT_EXISTS;
		}
	} else {
		if (IE_BITS_TYPE(entry->ie_bits) != MACH_PORT_TYPE_NONE) {
			is_unlock(space);
			return KERN_NAME_EXISTS;
		}
		ip_lock(port);
		if (!ip_active(port)) {
			ip_unlock(port);
			ipc_entry_dealloc(space, name, entry);
			is_unlock(space);
			return KERN_INVALID_CAPABILITY;
		}
	}
	kr = ipc_right_copyout(space, name, entry, type, overflow, port);
	is_unlock(space);
	return kr;
}

void ipc_object_destroy(ipc_port_t port, mach_msg_type_name_t type)
{
	if (!IP_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		ipc_port_release_send(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		ipc_notify_send_once(port);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		ipc_port_release_receive(port);
		break;
	default:
		panic("ipc_object_destroy: type %u", type);
	}
}
