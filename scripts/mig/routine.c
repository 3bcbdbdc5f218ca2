// SPDX-License-Identifier: MIT
/*
 * Routines and their parameters: which parameter is the request port and
 * which the reply port, how each one travels (inline, in a descriptor, in
 * the header, or not at all), and what of it makes no sense.
 */
#include <string.h>
#include "migcom.h"

struct subsystem mig_subsystem;
struct routine *mig_routines;
struct import *mig_imports;
int mig_routine_count;
char *mig_user_prefix, *mig_server_prefix;
char *mig_wait_time, *mig_msg_option;

static struct routine **routine_tail = &mig_routines;

void routine_add(struct routine *r)
{
	struct routine *o;

	if (!mig_subsystem.name) {
		mig_error(r->loc, "expected a subsystem statement before the first routine");
		mig_subsystem.name = "unnamed";
	}
	r->number = mig_routine_count++;
	r->user_prefix = mig_user_prefix;
	r->server_prefix = mig_server_prefix;
	r->wait_time_expr = mig_wait_time;
	r->msg_option_expr = mig_msg_option;
	if (!r->skip) {
		for (o = mig_routines; o; o = o->next) {
			if (!o->skip && !strcmp(o->name, r->name))
				mig_error(r->loc, "routine '%s' is already defined (at %s:%d)",
					  r->name, o->loc.file, o->loc.line);
		}
		routine_check(r);
	}
	*routine_tail = r;
	routine_tail = &r->next;
}

static bool is_port_type(const struct mtype *t)
{
	return t->kind == WK_PORT;
}

static void classify(struct routine *r, struct arg *a)
{
	struct mtype *t = a->type;

	switch (t->kind) {
	case WK_DATA:
		a->cls = AC_DATA;
		if (!t->is_struct && t->basic < 0 && !t->name)
			mig_error(a->loc, "parameter '%s' has a type of unknown size", a->name);
		break;
	case WK_PORT:
		a->cls = AC_PORT;
		break;
	case WK_STRING:
		a->cls = t->variable ? AC_VARARRAY : AC_FIXARRAY;
		a->is_string = true;
		break;
	case WK_ARRAY:
		/* A fixed array of rights travels as that many port descriptors
		 * (as with XNU's MIG); any other array of rights out of line. */
		if (type_is_port_array(t))
			a->cls = t->ool || t->variable ? AC_OOLPORTS : AC_PORTARRAY;
		else if (t->ool || (t->variable && !t->number))
			a->cls = AC_OOL;
		else if (t->variable)
			a->cls = AC_VARARRAY;
		else
			a->cls = AC_FIXARRAY;
		if (a->cls == AC_PORTARRAY && !t->number)
			mig_error(a->loc, "'%s' is an array of no rights", a->name);
		if (t->elem->kind == WK_STRING && !t->elem->name)
			mig_error(a->loc, "an array of unnamed strings: declare the string type first");
		break;
	}
	if (a->kind == AK_OUT || a->kind == AK_INOUT)
		a->in_rep = true;
	if (a->kind == AK_IN || a->kind == AK_INOUT)
		a->in_req = true;
	if (r->simple && a->in_rep) {
		mig_error(a->loc, "a simpleroutine has no reply: '%s' cannot be out or inout",
			  a->name);
		a->in_rep = false;
	}
	if (a->cls == AC_PORT && (t->send_disp == MT_POLYMORPHIC || t->recv_disp == MT_POLYMORPHIC))
		a->poly = true;
	if ((a->cls == AC_OOLPORTS || a->cls == AC_PORTARRAY) && t->elem->send_disp == MT_POLYMORPHIC)
		a->poly = true;

	if ((a->flags & AF_DEALLOC) && a->cls != AC_OOL && a->cls != AC_OOLPORTS)
		mig_warning(a->loc, "'dealloc' on '%s', which is not out of line; ignored", a->name);
	if ((a->flags & AF_SERVERCOPY) && !(a->cls == AC_OOL && a->in_req))
		mig_warning(a->loc, "'servercopy' on '%s', which is not out-of-line input; ignored",
			    a->name);
	if ((a->flags & AF_COUNTINOUT) && !(a->cls == AC_VARARRAY && !a->is_string &&
					    a->kind == AK_OUT)) {
		mig_warning(a->loc, "'CountInOut' applies to inline variable out arrays; ignored on '%s'",
			    a->name);
		a->flags &= ~AF_COUNTINOUT;
	}
	if (a->cls == AC_VARARRAY && a->in_req && a->in_rep && a->is_string) {
		mig_error(a->loc, "an inout variable string is not supported");
	}
}

static void check_header_port(struct routine *r, struct arg *a, const char *what)
{
	(void)r;
	if (!is_port_type(a->type))
		mig_error(a->loc, "the %s '%s' must be a port type", what, a->name);
	a->header = true;
	a->cls = AC_NONE;
}

/* Is `name` the count or disposition parameter MIG derives from `base`? */
static bool name_derived(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (!strcmp(name + n, "Cnt") || !strcmp(name + n, "Poly"));
}

/* Names the stubs use for their own locals and message fields. */
static bool name_reserved(const char *name)
{
	static const char *const reserved[] = {
		"Head", "msgh_body", "RetCode", "InP", "OutP", "In0P", "Mess", "Request",
		"Reply", "msg_result", "InHeadP", "OutHeadP",
	};
	size_t i;

	if (name[0] == '_')
		return true;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(name, reserved[i]))
			return true;
	return false;
}

void routine_check(struct routine *r)
{
	struct arg *a, *b;
	bool explicit_req = false;

	for (a = r->args; a; a = a->next)
		if (a->kind == AK_REQUESTPORT)
			explicit_req = true;
	if (!r->args) {
		mig_error(r->loc, "routine '%s' needs at least a request port parameter", r->name);
		return;
	}
	if (!explicit_req && r->args->implicit)
		r->args->kind = AK_REQUESTPORT;
	else if (!explicit_req)
		mig_error(r->args->loc, "the first parameter of '%s' is the request port: "
			  "it takes no 'in'/'out' (or mark another one 'requestport')", r->name);

	for (a = r->args; a; a = a->next) {
		for (b = r->args; b != a; b = b->next)
			if (!strcmp(a->name, b->name) || name_derived(a->name, b->name) ||
			    name_derived(b->name, a->name))
				mig_error(a->loc, "parameter '%s' clashes with '%s' (or its count or disposition)",
					  a->name, b->name);
		if (name_reserved(a->name))
			mig_error(a->loc, "'%s' is a name the generated code uses: rename the parameter",
				  a->name);
		switch (a->kind) {
		case AK_REQUESTPORT:
			if (r->reqport)
				mig_error(a->loc, "a second request port '%s'", a->name);
			r->reqport = a;
			check_header_port(r, a, "request port");
			break;
		case AK_REPLYPORT:
		case AK_UREPLYPORT:
		case AK_SREPLYPORT:
			if (r->replyport && r->replyport->kind == a->kind)
				mig_error(a->loc, "a second reply port '%s'", a->name);
			if (!r->replyport || a->kind == AK_REPLYPORT)
				r->replyport = a;
			check_header_port(r, a, "reply port");
			break;
		case AK_WAITTIME:
			r->waittime = a;
			break;
		case AK_SENDTIME:
			r->sendtime = a;
			break;
		case AK_MSGOPTION:
			r->msgoption = a;
			break;
		case AK_MSGSEQNO:
		case AK_IGNORED:
			break;
		default:
			classify(r, a);
			if (a->in_req && arg_is_descriptor(a))
				r->req_complex = true;
			if (a->in_rep && arg_is_descriptor(a))
				r->rep_complex = true;
			break;
		}
	}
	/* XNU's KernelUser stubs pass these to mach_msg_send_from_kernel_with_options();
	 * MachLine's kernel sends have neither timeouts nor options. */
	for (a = r->args; a; a = a->next)
		if (mig_subsystem.kernel_user &&
		    (a->kind == AK_WAITTIME || a->kind == AK_SENDTIME || a->kind == AK_MSGOPTION))
			mig_warning(a->loc, "a KernelUser client sends from the kernel without "
				    "timeouts or options: '%s' is accepted and not used", a->name);
	if (r->reqport && r->reqport->type->send_disp == MT_POLYMORPHIC)
		r->reqport->poly = true;
	if (r->replyport && (r->replyport->type->send_disp == MT_POLYMORPHIC ||
			     r->replyport->type->recv_disp == MT_POLYMORPHIC))
		r->replyport->poly = true;
}

/* Does the client's stub / the server's routine take this parameter? */
bool arg_is_user_param(const struct arg *a)
{
	switch (a->kind) {
	case AK_SREPLYPORT:
	case AK_MSGSEQNO:
	case AK_IGNORED:
		return false;
	default:
		return true;
	}
}

bool arg_is_server_param(const struct arg *a)
{
	switch (a->kind) {
	case AK_UREPLYPORT:
	case AK_WAITTIME:
	case AK_SENDTIME:
	case AK_MSGOPTION:
	case AK_IGNORED:
		return false;
	default:
		return true;
	}
}

void mig_param(FILE *f, bool *first, const char *fmt, const char *type, const char *name)
{
	fprintf(f, "%s\n\t", *first ? "" : ",");
	fprintf(f, fmt, type, name);
	*first = false;
}

/*
 * The C parameters that carry the value of argument a (of C type T) in a
 * client stub's or a server routine's list: the value or a pointer to it
 * (out), and after it its count and its Poly disposition where it has them.
 */
void arg_write_value_params(FILE *f, bool *first, const struct arg *a, const char *T,
			    bool out, bool poly)
{
	switch (a->cls) {
	case AC_DATA:
		mig_param(f, first, out ? "%s *%s" : "%s %s", T, a->name);
		break;
	case AC_FIXARRAY:
		mig_param(f, first, "%s %s", T, a->name);
		break;
	case AC_VARARRAY:
		mig_param(f, first, "%s %s", T, a->name);
		if (!a->is_string)
			mig_param(f, first, out ? "%s *%sCnt" : "%s %sCnt",
				  "mach_msg_type_number_t", a->name);
		break;
	case AC_PORT:
		mig_param(f, first, out ? "%s *%s" : "%s %s", T, a->name);
		if (poly)
			mig_param(f, first, out ? "%s *%sPoly" : "%s %sPoly",
				  "mach_msg_type_name_t", a->name);
		break;
	case AC_PORTARRAY:
		/* the caller's array, whichever way the rights go */
		mig_param(f, first, "%s %s", T, a->name);
		if (poly)
			mig_param(f, first, out ? "%s *%sPoly" : "%s %sPoly",
				  "mach_msg_type_name_t", a->name);
		break;
	case AC_OOL:
	case AC_OOLPORTS:
		mig_param(f, first, out ? "%s *%s" : "%s %s", T, a->name);
		if (poly)
			mig_param(f, first, out ? "%s *%sPoly" : "%s %sPoly",
				  "mach_msg_type_name_t", a->name);
		if (a->type->variable)
			mig_param(f, first, out ? "%s *%sCnt" : "%s %sCnt",
				  "mach_msg_type_number_t", a->name);
		break;
	default:
		break;
	}
}
