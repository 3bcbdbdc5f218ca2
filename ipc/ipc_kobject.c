// SPDX-License-Identifier: MIT
/*
 * Kernel objects: the type registry, the kernel's space, kernel ports,
 * and the dispatcher that answers messages sent to them (ipc_kobject.h).
 */
#include <kern/init.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>

ipc_space_t ipc_space_kernel;

/* The registered types, indexed by number (filled once at boot). */
static const struct ipc_kobject_type *ipc_kobject_types[IKOT_MAX];

kern_return_t ipc_kobject_bootstrap(void)
{
	const struct ipc_kobject_type *t;

	for (t = __ipc_kobject_types_start; t < __ipc_kobject_types_end; t++) {
		if (t->ikt_type == IKOT_NONE || t->ikt_type >= IKOT_MAX)
			panic("ipc_kobject: %s has a bad type number %u", t->ikt_name, t->ikt_type);
		if (ipc_kobject_types[t->ikt_type])
			panic("ipc_kobject: %s and %s have one type number", t->ikt_name,
			      ipc_kobject_types[t->ikt_type]->ikt_name);
		ipc_kobject_types[t->ikt_type] = t;
	}
	if (ipc_space_create(&ipc_space_kernel) != KERN_SUCCESS)
		panic("ipc_kobject: no memory for the kernel's space");
	return KERN_SUCCESS;
}
/* After ipc_bootstrap() (ipc_init.o links first), before anything makes kernel ports. */
KERNEL_INIT(CORE, ipc_kobject_bootstrap);

const struct ipc_kobject_type *ipc_kobject_type_lookup(unsigned int type)
{
	return type < IKOT_MAX ? ipc_kobject_types[type] : NULL;
}

ipc_port_t ipc_port_alloc_kernel(void)
{
	ipc_port_t port = ipc_port_create();

	/* Nobody sees the port yet: no lock needed. */
	if (port)
		ipc_port_set_receiver(port, ipc_space_kernel, MACH_PORT_NAME_NULL);
	return port;
}

void ipc_port_dealloc_kernel(ipc_port_t port)
{
	ip_lock(port);
	assert(ip_active(port) && port->ip_receiver == ipc_space_kernel);
	port->ip_kobject = NULL;
	ipc_port_set_kotype(port, IKOT_NONE);
	ipc_port_clear_receiver(port);
	ipc_port_destroy(port);		/* unlocks; an armed request is sent back */
}

ipc_port_t ipc_kobject_port_alloc(void *object, unsigned int type)
{
	const struct ipc_kobject_type *t = ipc_kobject_type_lookup(type);
	ipc_port_t port;

	assert(t != NULL);
	port = ipc_port_alloc_kernel();
	if (!port)
		return IP_NULL;
	port->ip_kobject = object;
	ipc_port_set_kotype(port, type);
	if (t->ikt_no_senders)
		ipc_kobject_arm_no_senders(port);
	return port;
}

void ipc_kobject_port_destroy(ipc_port_t port)
{
	ipc_port_dealloc_kernel(port);
}

void ipc_kobject_set(ipc_port_t port, void *object, unsigned int type)
{
	ip_lock(port);
	port->ip_kobject = object;
	ipc_port_set_kotype(port, type);
	ip_unlock(port);
}

void *ipc_kobject_get(ipc_port_t port, unsigned int type)
{
	void *object = NULL;

	if (!IP_VALID(port))
		return NULL;
	ip_lock(port);
	if (ip_active(port) && port->ip_kotype == type)
		object = port->ip_kobject;
	ip_unlock(port);
	return object;
}

void ipc_kobject_arm_no_senders(ipc_port_t port)
{
	ipc_port_t notify, previous = IP_NULL;

	notify = ipc_port_make_sonce(port);
	ip_lock(port);
	if (!ip_active(port) || port->ip_nsrequest != IP_NULL) {
		ip_unlock(port);
		ipc_port_release_sonce(notify);
		return;
	}
	/*
	 * sync = mscount + 1: fire when the send rights there are now (maybe
	 * none yet, for a new port) are gone, not at once.
	 */
	ipc_port_nsrequest(port, port->ip_mscount + 1, notify, &previous);
	assert(previous == IP_NULL);
}

void ipc_kobject_notify_no_senders(ipc_port_t port, mach_port_mscount_t mscount)
{
	const struct ipc_kobject_type *t;

	ip_lock(port);
	if (!ip_active(port) || port->ip_receiver != ipc_space_kernel) {
		ip_unlock(port);
		return;
	}
	t = ipc_kobject_type_lookup(port->ip_kotype);
	if (!t || !t->ikt_no_senders) {
		ip_unlock(port);
		return;
	}
	if (port->ip_srights != 0) {
		/*
		 * Stale (send rights were made after it was sent) or forged
		 * (anyone may send this id): if nothing is armed, arm again.
		 */
		bool armed = port->ip_nsrequest != IP_NULL;

		ip_unlock(port);
		if (!armed)
			ipc_kobject_arm_no_senders(port);
		return;
	}
	mscount = port->ip_mscount;
	ip_unlock(port);
	t->ikt_no_senders(port, mscount);
}

/* ---- the dispatcher ---- */

/* The right a kernel-form header slot holds, used up rather than destroyed. */
static void ipc_kobject_release_used(ipc_port_t port, mach_msg_type_name_t type)
{
	if (!IP_VALID(port))
		return;
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_release_sonce(port);
	else if (type == MACH_MSG_TYPE_PORT_SEND)
		ipc_port_release_send(port);
	else
		ipc_object_destroy(port, type);
}

void ipc_kobject_kmsg_discard(ipc_kmsg_t kmsg)
{
	mach_msg_header_t *h = kmsg->ikm_header;

	ipc_kobject_release_used((ipc_port_t)h->msgh_remote_port,
				 MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	h->msgh_remote_port = MACH_PORT_NULL;
	h->msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
	ipc_kmsg_destroy(kmsg);
}

/*
 * Present a kernel-form request as MIG servers read one received: the
 * request port in msgh_local_port, the reply port in msgh_remote_port,
 * and their types swapped with them.
 */
static void ipc_kobject_as_received(mach_msg_header_t *in)
{
	mach_msg_bits_t bits = in->msgh_bits;
	mach_port_t dest = in->msgh_remote_port;

	in->msgh_remote_port = in->msgh_local_port;
	in->msgh_local_port = dest;
	in->msgh_bits = (bits & ~MACH_MSGH_BITS_PORTS_MASK) |
			MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(bits), MACH_MSGH_BITS_REMOTE(bits));
}

/* The subsystem of the port's type that serves `id`, or NULL. */
static const struct mig_subsystem *ipc_kobject_subsystem(ipc_port_t port, mach_msg_id_t id)
{
	const struct ipc_kobject_type *t;
	unsigned int kotype, i;

	ip_lock(port);
	kotype = port->ip_kotype;
	ip_unlock(port);
	t = ipc_kobject_type_lookup(kotype);
	if (!t)
		return NULL;
	for (i = 0; i < IKT_MAX_SUBSYSTEMS && t->ikt_subsystems[i]; i++)
		if (id >= t->ikt_subsystems[i]->start && id < t->ikt_subsystems[i]->end)
			return t->ikt_subsystems[i];
	return NULL;
}

void ipc_kobject_error_reply(const mach_msg_header_t *in, mach_msg_header_t *out,
			     kern_return_t code)
{
	mig_reply_error_t *err = (mig_reply_error_t *)(void *)out;

	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_size = (mach_msg_size_t)(offsetof(mig_reply_error_t, RetCode) +
					   sizeof(kern_return_t));
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_reserved = 0;
	out->msgh_id = in->msgh_id + 100;
	err->RetCode = code;
}

/*
 * A notification addressed to a kernel port (ids 64..72): no-senders
 * goes to the type's handler, the rest (a send-once notification of the
 * port's own armed request) mean nothing. Consumes the request.
 */
static void ipc_kobject_notify(ipc_kmsg_t request)
{
	mach_msg_header_t *in = request->ikm_header;
	ipc_port_t port = (ipc_port_t)in->msgh_remote_port;
	mach_no_senders_notification_t *ns = (void *)in;
	bool no_senders = in->msgh_id == MACH_NOTIFY_NO_SENDERS &&
			  !(in->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
			  in->msgh_size == offsetof(mach_no_senders_notification_t, trailer);
	mach_port_mscount_t mscount = no_senders ? ns->not_count : 0;

	ip_reference(port);
	ipc_kobject_kmsg_discard(request);
	if (no_senders)
		ipc_kobject_notify_no_senders(port, mscount);
	ipc_port_release(port);
}

static bool ipc_kobject_is_notification(mach_msg_id_t id)
{
	return id >= MACH_NOTIFY_FIRST && id <= MACH_NOTIFY_LAST;
}

/*
 * The routine runs on the sending thread, which may be in the mach_msg trap
 * (ith_user_buffer): while it serves the kernel object the thread acts for
 * the kernel, so the out-of-line memory and port arrays its reply or its own
 * messages carry are kernel memory, not the user's.
 */
static void ipc_kobject_run_server(const struct mig_subsystem *sub,
				   mach_msg_header_t *in, mach_msg_header_t *out)
{
	struct thread *self = current_thread();
	bool user = self->ith_user_buffer;

	self->ith_user_buffer = false;
	sub->server(in, out);
	self->ith_user_buffer = user;
}

ipc_kmsg_t ipc_kobject_server(ipc_kmsg_t request)
{
	mach_msg_header_t *in = request->ikm_header, *out;
	ipc_port_t port = (ipc_port_t)in->msgh_remote_port;
	const struct mig_subsystem *sub;
	ipc_kmsg_t reply;
	ipc_port_t reply_port;
	kern_return_t kr;
	mach_msg_type_name_t reply_type;

	if (ipc_kobject_is_notification(in->msgh_id)) {
		ipc_kobject_notify(request);
		return IKM_NULL;
	}
	sub = ipc_kobject_subsystem(port, in->msgh_id);
	reply = ipc_kmsg_alloc(sub ? sub->maxsize : (mach_msg_size_t)sizeof(mig_reply_error_t));
	if (!reply) {
		/* As Mach: no memory for the reply, the request is dropped. */
		ipc_kobject_kmsg_discard(request);
		return IKM_NULL;
	}
	out = reply->ikm_header;
	ipc_kobject_as_received(in);
	if (sub)
		ipc_kobject_run_server(sub, in, out);
	else
		ipc_kobject_error_reply(in, out, MIG_BAD_ID);

	kr = (out->msgh_bits & MACH_MSGH_BITS_COMPLEX) ? KERN_SUCCESS :
		((mig_reply_error_t *)(void *)out)->RetCode;

	/* The request's destination right was used up delivering it. */
	ipc_kobject_release_used((ipc_port_t)in->msgh_local_port,
				 MACH_MSGH_BITS_LOCAL(in->msgh_bits));
	reply_port = (ipc_port_t)in->msgh_remote_port;
	reply_type = MACH_MSGH_BITS_REMOTE(in->msgh_bits);
	in->msgh_local_port = MACH_PORT_NULL;
	in->msgh_remote_port = MACH_PORT_NULL;
	in->msgh_bits &= ~MACH_MSGH_BITS_PORTS_MASK;
	if (kr == KERN_SUCCESS || kr == MIG_NO_REPLY)
		ipc_kmsg_free(request);		/* the routine took the body */
	else
		ipc_kmsg_destroy(request);

	if (kr == MIG_NO_REPLY) {
		/*
		 * Nothing to answer. No kernel routine keeps the reply port
		 * (sreplyport): a right sent along anyway is destroyed.
		 */
		ipc_kmsg_free(reply);
		ipc_object_destroy(reply_port, reply_type);
		return IKM_NULL;
	}
	if (!IP_VALID(reply_port)) {
		/* No one to answer: what the reply carries goes. */
		out->msgh_remote_port = MACH_PORT_NULL;
		out->msgh_bits &= ~MACH_MSGH_BITS_PORTS_MASK;
		if (out->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			ipc_kmsg_copyin_from_kernel(reply);
			ipc_kmsg_destroy(reply);
		} else {
			ipc_kmsg_free(reply);
		}
		return IKM_NULL;
	}
	/*
	 * The reply holds the kernel's rights as dispositions: into kernel
	 * form. The reply right moves (MACH_MSG_TYPE_PORT_X, its type, is
	 * MOVE_X, the disposition that moves it).
	 */
	out->msgh_remote_port = (mach_port_t)reply_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_bits = (out->msgh_bits & ~MACH_MSGH_BITS_PORTS_MASK) |
			 MACH_MSGH_BITS(reply_type, 0);
	ipc_kmsg_copyin_from_kernel(reply);
	return reply;
}
