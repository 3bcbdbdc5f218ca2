// SPDX-License-Identifier: MIT
/* The loopback mach_msg() and MIG runtime of the host tests: see loopback.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loopback.h"

void (*loopback_request_hook)(mach_msg_header_t *msg);
void (*loopback_reply_hook)(mach_msg_header_t *msg);
mach_msg_option_t loopback_last_option;
mach_msg_timeout_t loopback_last_timeout;
kern_return_t loopback_last_retcode;
boolean_t loopback_last_demux;
mach_port_seqno_t loopback_seqno = 1000;

static const struct mig_subsystem *subsystems[16];
static int nsubsystems;

void loopback_register(const struct mig_subsystem *s)
{
	subsystems[nsubsystems++] = s;
}

mach_port_t mig_get_reply_port(void)
{
	return LOOPBACK_REPLY_PORT;
}

mach_port_t loopback_dealloc_arg;

void mig_dealloc_reply_port(mach_port_t reply_port)
{
	loopback_dealloc_arg = reply_port;
}

void mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}

/* The name a receiver sees for a right sent with disposition d. */
static unsigned received(unsigned d)
{
	switch (d) {
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	default:
		return d;
	}
}

/*
 * As the kernel: swap the header, translate rights, copy OOL memory. A
 * send that gives the message back (pseudo) keeps the header's places and
 * names the reply right apart from its port (LOOPBACK_PSEUDO_REPLY).
 */
static mach_msg_return_t deliver_as(mach_msg_header_t *m, bool pseudo)
{
	mach_msg_bits_t bits = m->msgh_bits;
	mach_port_t dest = m->msgh_remote_port;
	char *p, *end = (char *)m + m->msgh_size;
	mach_msg_size_t i, n, cnt;

	if (pseudo) {
		if (m->msgh_local_port == LOOPBACK_REPLY_PORT)
			m->msgh_local_port = LOOPBACK_PSEUDO_REPLY;
		m->msgh_bits = (bits & MACH_MSGH_BITS_COMPLEX) |
			MACH_MSGH_BITS(received(MACH_MSGH_BITS_REMOTE(bits)),
				       received(MACH_MSGH_BITS_LOCAL(bits)));
	} else {
		m->msgh_remote_port = m->msgh_local_port;
		m->msgh_local_port = dest;
		m->msgh_bits = (bits & MACH_MSGH_BITS_COMPLEX) |
			MACH_MSGH_BITS(received(MACH_MSGH_BITS_LOCAL(bits)),
				       received(MACH_MSGH_BITS_REMOTE(bits)));
	}
	if (!(bits & MACH_MSGH_BITS_COMPLEX))
		return MACH_MSG_SUCCESS;
	p = (char *)m + sizeof(*m);
	if (p + sizeof(mach_msg_body_t) > end)
		return MACH_SEND_MSG_TOO_SMALL;
	n = ((mach_msg_body_t *)p)->msgh_descriptor_count;
	p += sizeof(mach_msg_body_t);
	for (i = 0; i < n; i++) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;
		void *copy;

		if (p + sizeof(mach_msg_type_descriptor_t) > end)
			return MACH_SEND_MSG_TOO_SMALL;
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			d->port.disposition = received(d->port.disposition);
			p += sizeof(d->port);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
			copy = malloc(d->out_of_line.size ? d->out_of_line.size : 1);
			if (d->out_of_line.size)
				memcpy(copy, d->out_of_line.address, d->out_of_line.size);
			d->out_of_line.address = d->out_of_line.size ? copy : NULL;
			if (!d->out_of_line.size)
				free(copy);
			d->out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
			p += sizeof(d->out_of_line);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			cnt = d->ool_ports.count;
			copy = malloc(cnt ? cnt * sizeof(mach_port_t) : 1);
			if (cnt)
				memcpy(copy, d->ool_ports.address, cnt * sizeof(mach_port_t));
			d->ool_ports.address = copy;
			d->ool_ports.disposition = received(d->ool_ports.disposition);
			p += sizeof(d->ool_ports);
			break;
		default:
			return MACH_SEND_INVALID_TYPE;
		}
	}
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t deliver(mach_msg_header_t *m)
{
	return deliver_as(m, false);
}

/* mach_msg_destroy() of libmach: what it gave back, counted and freed. */
unsigned int loopback_destroyed_rights, loopback_destroyed_ool;
int loopback_send_timeout;

static void destroy_right(mach_port_t name, unsigned disp)
{
	if (MACH_PORT_VALID(name) && disp >= MACH_MSG_TYPE_PORT_RECEIVE &&
	    disp <= MACH_MSG_TYPE_PORT_SEND_ONCE)
		loopback_destroyed_rights++;
}

void mach_msg_destroy(mach_msg_header_t *m)
{
	char *p = (char *)m + sizeof(*m), *end = (char *)m + m->msgh_size;
	mach_msg_size_t i, j, n;

	destroy_right(m->msgh_remote_port, MACH_MSGH_BITS_REMOTE(m->msgh_bits));
	if (!(m->msgh_bits & MACH_MSGH_BITS_COMPLEX) || p + sizeof(mach_msg_body_t) > end)
		return;
	n = ((mach_msg_body_t *)p)->msgh_descriptor_count;
	p += sizeof(mach_msg_body_t);
	for (i = 0; i < n && p + sizeof(mach_msg_type_descriptor_t) <= end; i++) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;

		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			destroy_right(d->port.name, d->port.disposition);
			p += sizeof(d->port);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
			free(d->out_of_line.address);
			loopback_destroyed_ool++;
			p += sizeof(d->out_of_line);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			for (j = 0; j < d->ool_ports.count; j++)
				destroy_right(((mach_port_t *)d->ool_ports.address)[j],
					      d->ool_ports.disposition);
			free(d->ool_ports.address);
			loopback_destroyed_ool++;
			p += sizeof(d->ool_ports);
			break;
		default:
			return;
		}
	}
}

void mach_msg_destroy_reply(mach_msg_header_t *m)
{
	destroy_right(m->msgh_local_port, MACH_MSGH_BITS_LOCAL(m->msgh_bits));
}

/* A received message: exactly its bytes and a trailer, so that ASan sees
 * any read past them. */
static mach_msg_header_t *received_copy(const mach_msg_header_t *m)
{
	size_t size = m->msgh_size;
	mach_msg_header_t *r = malloc(size + sizeof(mach_msg_seqno_trailer_t));
	mach_msg_seqno_trailer_t tr = {
		MACH_MSG_TRAILER_FORMAT_0, sizeof(mach_msg_seqno_trailer_t), loopback_seqno,
	};

	memcpy(r, m, size);
	memcpy((char *)r + size, &tr, sizeof(tr));
	return r;
}

static const struct mig_subsystem *find(mach_msg_id_t id)
{
	int i;

	for (i = 0; i < nsubsystems; i++)
		if (id >= subsystems[i]->start && id < subsystems[i]->end)
			return subsystems[i];
	return subsystems[0];
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	static union { mach_msg_header_t h; char b[MACH_MSG_SIZE_MAX + 64]; } buf;
	const struct mig_subsystem *s;
	mach_msg_header_t *req, *rep;
	mach_msg_return_t mr;

	(void)notify;
	loopback_last_option = option;
	loopback_last_timeout = timeout;
	if (!(option & MACH_SEND_MSG) || send_size != msg->msgh_size ||
	    send_size < sizeof(mach_msg_header_t) || send_size > MACH_MSG_SIZE_MAX || send_size % 4)
		return MACH_SEND_MSG_TOO_SMALL;
	if ((option & MACH_RCV_MSG) && rcv_name != msg->msgh_local_port)
		return MACH_RCV_INVALID_NAME;

	memcpy(buf.b, msg, send_size);
	if (loopback_send_timeout && (option & MACH_SEND_TIMEOUT)) {
		/* Queue full: the sender gets its message back (pseudo-receive). */
		loopback_send_timeout = 0;
		mr = deliver_as(&buf.h, true);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
		memcpy(msg, buf.b, send_size);
		return MACH_SEND_TIMED_OUT;
	}
	mr = deliver(&buf.h);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (loopback_request_hook)
		loopback_request_hook(&buf.h);
	req = received_copy(&buf.h);
	s = find(req->msgh_id);
	rep = malloc(s->maxsize);
	memset(rep, 0xa5, s->maxsize);	/* stale bytes must not leak into the reply */
	loopback_last_demux = s->server(req, rep);
	loopback_last_retcode = ((mig_reply_error_t *)rep)->RetCode;
	free(req);
	if (!(option & MACH_RCV_MSG)) {
		free(rep);
		return MACH_MSG_SUCCESS;
	}
	if (!(rep->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    ((mig_reply_error_t *)rep)->RetCode == MIG_NO_REPLY) {
		free(rep);
		return MACH_RCV_TIMED_OUT;
	}
	if (rep->msgh_size > s->maxsize) {
		fprintf(stderr, "loopback: reply of %u bytes > maxsize %u\n",
			rep->msgh_size, s->maxsize);
		abort();
	}
	memcpy(buf.b, rep, rep->msgh_size);
	free(rep);
	mr = deliver(&buf.h);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (loopback_reply_hook)
		loopback_reply_hook(&buf.h);
	if (buf.h.msgh_size + sizeof(mach_msg_seqno_trailer_t) > rcv_size)
		return MACH_RCV_TOO_LARGE;
	rep = received_copy(&buf.h);
	memcpy(msg, rep, buf.h.msgh_size + sizeof(mach_msg_seqno_trailer_t));
	free(rep);
	return MACH_MSG_SUCCESS;
}
