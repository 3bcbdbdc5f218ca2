// SPDX-License-Identifier: MIT
/*
 * mach_msg_destroy() (<mach/mach_init.h>): give back what a received
 * message holds, as Mach's libmach does for a message nobody will handle
 * (a reply that is not the call's, a request no routine took, a message a
 * send gave back).
 *
 * A received message names rights by the form the receiver got
 * (MACH_MSG_TYPE_PORT_SEND, _SEND_ONCE, _RECEIVE), whose values are those
 * of the MOVE dispositions; a message still to be sent may hold the other
 * dispositions, which name no right of the message's own (COPY_SEND,
 * MAKE_SEND, MAKE_SEND_ONCE: the caller's right stays) and are left alone.
 * Out-of-line memory a receiver got is its own (a fresh region), and goes.
 */
#include <mach/mach.h>

static void mach_msg_destroy_port(mach_port_t port, mach_msg_type_name_t type)
{
	if (!MACH_PORT_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		/* A send-once right deallocated sends its send-once notification. */
		mach_port_deallocate(mach_task_self(), port);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	default:
		break;
	}
}

static void mach_msg_destroy_memory(void *addr, mach_msg_size_t size)
{
	if (addr && size)
		vm_deallocate(mach_task_self(), (vm_address_t)addr, size);
}

/* The size of a descriptor of a known type; 0 for anything else. */
static mach_msg_size_t mach_msg_desc_size(const mach_msg_descriptor_t *d)
{
	switch (d->type.type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		return sizeof(d->port);
	case MACH_MSG_OOL_DESCRIPTOR:
	case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
		return sizeof(d->out_of_line);
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		return sizeof(d->ool_ports);
	default:
		return 0;
	}
}

/*
 * fn on each descriptor of a complex message, as far as they lie within
 * msgh_size and are of a known type (after an unknown one nothing can be
 * trusted).
 */
static void mach_msg_for_each_desc(mach_msg_header_t *msg, void (*fn)(mach_msg_descriptor_t *d))
{
	mach_msg_body_t *body = (mach_msg_body_t *)(msg + 1);
	char *p = (char *)(body + 1), *end = (char *)msg + msg->msgh_size;
	mach_msg_size_t i, size;

	if (!(msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) || p > end)
		return;
	for (i = 0; i < body->msgh_descriptor_count; i++, p += size) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;

		if (p + sizeof(d->type) > end)
			return;
		size = mach_msg_desc_size(d);
		if (!size || p + size > end)
			return;
		fn(d);
	}
}

static void mach_msg_destroy_desc(mach_msg_descriptor_t *d)
{
	mach_port_t *names;
	mach_msg_size_t j;

	switch (d->type.type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		mach_msg_destroy_port(d->port.name, d->port.disposition);
		break;
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		names = d->ool_ports.address;
		for (j = 0; names && j < d->ool_ports.count; j++)
			mach_msg_destroy_port(names[j], d->ool_ports.disposition);
		mach_msg_destroy_memory(names, d->ool_ports.count * sizeof(*names));
		break;
	default:
		mach_msg_destroy_memory(d->out_of_line.address, d->out_of_line.size);
		break;
	}
}

void mach_msg_destroy(mach_msg_header_t *msg)
{
	mach_msg_destroy_port(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
	mach_msg_for_each_desc(msg, mach_msg_destroy_desc);
}

void mach_msg_destroy_reply(mach_msg_header_t *msg)
{
	mach_msg_destroy_port(msg->msgh_local_port, MACH_MSGH_BITS_LOCAL(msg->msgh_bits));
}
