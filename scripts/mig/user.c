// SPDX-License-Identifier: MIT
/*
 * The client side: one stub per routine that builds the request, sends it
 * (and for a routine waits for the reply on mig_get_reply_port()), checks
 * the reply as strictly as the server checks requests, and copies the
 * results out.
 */
#include <string.h>
#include "migcom.h"

static const char *uname(const struct routine *r)
{
	return xasprintf("%s%s", r->user_prefix ? r->user_prefix : "", r->name);
}

/* The parameter list of the client stub. */
static void user_write_params(FILE *f, const struct routine *r)
{
	const struct arg *a;
	bool first = true;

	fprintf(f, "(");
	for (a = r->args; a; a = a->next) {
		const char *T = arg_wire_cname(a, false);
		bool out = a->kind == AK_OUT || a->kind == AK_INOUT;

		if (!arg_is_user_param(a))
			continue;
		switch (a->kind) {
		case AK_REQUESTPORT:
		case AK_REPLYPORT:
		case AK_UREPLYPORT:
			mig_param(f, &first, "%s %s", T, a->name);
			if (arg_user_poly(a))
				mig_param(f, &first, "%s %sPoly", "mach_msg_type_name_t", a->name);
			continue;
		case AK_WAITTIME:
		case AK_SENDTIME:
			mig_param(f, &first, "%s %s", "mach_msg_timeout_t", a->name);
			continue;
		case AK_MSGOPTION:
			mig_param(f, &first, "%s %s", "mach_msg_option_t", a->name);
			continue;
		default:
			break;
		}
		arg_write_value_params(f, &first, a, T, out, arg_user_poly(a));
	}
	if (first)
		fprintf(f, "void");
	fprintf(f, ")");
}

static void user_write_prototypes(FILE *f)
{
	const struct routine *r;

	for (r = mig_routines; r; r = r->next) {
		if (r->skip)
			continue;
		fprintf(f, "/* %s %s (msgh_id %ld) */\nkern_return_t %s", r->simple ?
			"simpleroutine" : "routine", r->name, mig_subsystem.base + r->number,
			uname(r));
		user_write_params(f, r);
		fprintf(f, ";\n\n");
	}
}

void user_write_header(FILE *f)
{
	write_preamble(f, "Client stubs (declarations)");
	fprintf(f, "#ifndef _MIG_%s_USER_H_\n#define _MIG_%s_USER_H_\n\n",
		mig_subsystem.name, mig_subsystem.name);
	fprintf(f, "#include <mach/kern_return.h>\n#include <mach/port.h>\n"
		"#include <mach/message.h>\n");
	write_imports(f, 1);
	fprintf(f, "\n");
	user_write_prototypes(f);
	fprintf(f, "#endif /* _MIG_%s_USER_H_ */\n", mig_subsystem.name);
}

/* ---------------------------------------------------------------- stubs */

static const char *val(const struct arg *a, bool ptr)
{
	return xasprintf(ptr ? "(*%s)" : "%s", a->name);
}

/* An inout array's count is the caller's *xCnt, an in array's xCnt. */
static const char *cntval(const struct arg *a, bool ptr)
{
	return xasprintf(ptr ? "(*%sCnt)" : "%sCnt", a->name);
}

static const char *polyval(const struct arg *a, bool ptr)
{
	return xasprintf(ptr ? "(*%sPoly)" : "%sPoly", a->name);
}

/* Fill the header, descriptors and fixed data of the request. */
static void user_write_request_fixed(FILE *f, const struct routine *r, const char *reply_port)
{
	const struct arg *a;
	int ndesc = 0;
	const char *req_disp, *rep_disp = "0";

	req_disp = r->reqport->poly ? xasprintf("%sPoly", r->reqport->name) :
		   disp_name(r->reqport->type->send_disp);
	if (r->replyport && r->replyport->kind != AK_SREPLYPORT)
		rep_disp = arg_user_poly(r->replyport) ? xasprintf("%sPoly", r->replyport->name) :
			   disp_name(r->replyport->type->send_disp);
	else if (!r->simple)
		rep_disp = "MACH_MSG_TYPE_MAKE_SEND_ONCE";

	fprintf(f, "\tInP->Head.msgh_bits = MACH_MSGH_BITS(%s, %s)%s;\n", req_disp, rep_disp,
		r->req_complex ? " | MACH_MSGH_BITS_COMPLEX" : "");
	fprintf(f, "\tInP->Head.msgh_remote_port = %s;\n", r->reqport->name);
	fprintf(f, "\tInP->Head.msgh_local_port = %s;\n", reply_port);
	fprintf(f, "\tInP->Head.msgh_reserved = 0;\n");
	fprintf(f, "\tInP->Head.msgh_id = %ld;\n", mig_subsystem.base + r->number);

	for (a = r->args; a; a = a->next) {
		bool ptr = a->kind == AK_INOUT;
		const char *E;

		if (!arg_travels(a, false))
			continue;
		switch (a->cls) {
		case AC_PORTARRAY:
			ndesc += arg_descriptors(a);
			fprintf(f, "\t{\n\t\tmach_msg_size_t _i;\n\n"
				"\t\tfor (_i = 0; _i < %lu; _i++) {\n"
				"\t\t\tInP->%s[_i].name = %s[_i];\n"
				"\t\t\tInP->%s[_i].disposition = %s;\n"
				"\t\t\tInP->%s[_i].type = MACH_MSG_PORT_DESCRIPTOR;\n\t\t}\n\t}\n",
				a->type->number, a->name, a->name, a->name, arg_user_poly(a) ?
				polyval(a, ptr) : disp_name(a->type->elem->send_disp), a->name);
			break;
		case AC_PORT:
			ndesc++;
			fprintf(f, "\tInP->%s.name = %s;\n", a->name, val(a, ptr));
			fprintf(f, "\tInP->%s.disposition = %s;\n", a->name, arg_user_poly(a) ?
				polyval(a, ptr) : disp_name(a->type->send_disp));
			fprintf(f, "\tInP->%s.type = MACH_MSG_PORT_DESCRIPTOR;\n", a->name);
			break;
		case AC_OOL:
		case AC_OOLPORTS:
			ndesc++;
			E = arg_elem_cname(a, false);
			if (a->type->variable) {
				if (a->type->number)
					fprintf(f, "\tif (%s > %lu)\n\t\treturn MIG_ARRAY_TOO_LARGE;\n",
						cntval(a, ptr), a->type->number);
				if (a->cls == AC_OOL)
					fprintf(f, "\tif ((unsigned long long)%s * sizeof(%s) > 0xffffffffULL)\n"
						"\t\treturn MIG_ARRAY_TOO_LARGE;\n", cntval(a, ptr), E);
			}
			fprintf(f, "\tInP->%s.address = (void *)(%s);\n", a->name, val(a, ptr));
			if (a->cls == AC_OOL) {
				if (a->type->variable)
					fprintf(f, "\tInP->%s.size = %s * (mach_msg_size_t)sizeof(%s);\n",
						a->name, cntval(a, ptr), E);
				else
					fprintf(f, "\tInP->%s.size = %lu * (mach_msg_size_t)sizeof(%s);\n",
						a->name, a->type->number, E);
				fprintf(f, "\tInP->%s.copy = %s;\n", a->name, (a->flags & AF_PHYSCOPY) ?
					"MACH_MSG_PHYSICAL_COPY" : "MACH_MSG_VIRTUAL_COPY");
				fprintf(f, "\tInP->%s.type = MACH_MSG_OOL_DESCRIPTOR;\n", a->name);
			} else {
				if (a->type->variable)
					fprintf(f, "\tInP->%s.count = %s;\n", a->name, cntval(a, ptr));
				else
					fprintf(f, "\tInP->%s.count = %lu;\n", a->name, a->type->number);
				fprintf(f, "\tInP->%s.disposition = %s;\n", a->name, arg_user_poly(a) ?
					polyval(a, ptr) :
					disp_name(a->type->elem->send_disp));
				fprintf(f, "\tInP->%s.copy = MACH_MSG_PHYSICAL_COPY;\n", a->name);
				fprintf(f, "\tInP->%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;\n", a->name);
			}
			fprintf(f, "\tInP->%s.deallocate = %s;\n", a->name,
				(a->flags & AF_DEALLOC) || a->type->dealloc ? "TRUE" : "FALSE");
			break;
		case AC_DATA:
			fprintf(f, "\tInP->%s = %s;\n", a->name, val(a, ptr));
			break;
		case AC_FIXARRAY:
			if (a->is_string)
				fprintf(f, "\t_mig_strncpy(InP->%s, %s, %lu);\n", a->name, a->name,
					a->type->number);
			else
				fprintf(f, "\t__builtin_memcpy(InP->%s, (const void *)(%s), sizeof(InP->%s));\n",
					a->name, a->name, a->name);
			break;
		case AC_VARARRAY:
			if (a->is_string)
				break;
			if (!a->in_req)	/* CountInOut: the room the caller has */
				fprintf(f, "\tInP->%sCnt = *%sCnt;\n", a->name, a->name);
			break;
		default:
			break;
		}
	}
	if (r->req_complex)
		fprintf(f, "\tInP->msgh_body.msgh_descriptor_count = %d;\n", ndesc);
}

/* The inline variable arrays, packed, and the message size. */
static void user_write_request_var(FILE *f, const struct routine *r)
{
	const struct arg *a;

	if (!msg_first_var(r, false)) {
		fprintf(f, "\tInP->Head.msgh_size = %s;\n", msg_size_fixed(r, false, "Request"));
		return;
	}
	fprintf(f, "\t_pos = (mach_msg_size_t)__builtin_offsetof(Request, %s);\n",
		msg_first_var(r, false)->name);
	for (a = r->args; a; a = a->next) {
		const char *E;

		if (!(a->cls == AC_VARARRAY && a->in_req))
			continue;
		E = arg_elem_cname(a, false);
		fprintf(f, "\t/* %s */\n", a->name);
		if (a->is_string) {
			fprintf(f, "\t_n = _mig_strnlen(%s, %lu);\n\tif (_n >= %lu)\n"
				"\t\treturn MIG_ARRAY_TOO_LARGE;\n\tInP->%sCnt = _n + 1;\n",
				a->name, a->type->number, a->type->number, a->name);
		} else {
			fprintf(f, "\tif (%s > %lu)\n\t\treturn MIG_ARRAY_TOO_LARGE;\n",
				xasprintf(a->kind == AK_INOUT ? "*%sCnt" : "%sCnt", a->name),
				a->type->number);
			fprintf(f, "\tInP->%sCnt = %s;\n", a->name, xasprintf(
				a->kind == AK_INOUT ? "*%sCnt" : "%sCnt", a->name));
		}
		fprintf(f, "\t_at = _MIG_ALIGN(_pos, _Alignof(%s));\n", E);
		fprintf(f, "\t__builtin_memset((char *)InP + _pos, 0, _at - _pos);\n");
		if (a->is_string)
			fprintf(f, "\t__builtin_memcpy((char *)InP + _at, %s, _n);\n"
				"\t((char *)InP)[_at + _n] = '\\0';\n", a->name);
		else
			fprintf(f, "\t__builtin_memcpy((char *)InP + _at, (const void *)(%s),\n"
				"\t\t\t InP->%sCnt * sizeof(%s));\n", a->name, a->name, E);
		fprintf(f, "\t_pos = _at + InP->%sCnt * (mach_msg_size_t)sizeof(%s);\n", a->name, E);
	}
	fprintf(f, "\tInP->Head.msgh_size = _MIG_ALIGN(_pos, 4);\n");
	fprintf(f, "\t__builtin_memset((char *)InP + _pos, 0, InP->Head.msgh_size - _pos);\n");
}

static void user_write_copyout(FILE *f, const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next) {
		const char *E, *T = arg_wire_cname(a, false);

		if (!arg_travels(a, true))
			continue;
		switch (a->cls) {
		case AC_DATA:
			fprintf(f, "\t*%s = OutP->%s;\n", a->name, a->name);
			break;
		case AC_FIXARRAY:
			fprintf(f, "\t__builtin_memcpy((void *)(%s), OutP->%s, sizeof(OutP->%s));\n",
				a->name, a->name, a->name);
			break;
		case AC_VARARRAY:
			E = arg_elem_cname(a, false);
			if (a->is_string) {
				fprintf(f, "\t__builtin_memcpy((void *)(%s), %s, OutP->%sCnt);\n",
					a->name, msg_var_ptr(a, false, "OutP"), a->name);
			} else if (a->flags & AF_COUNTINOUT) {
				fprintf(f, "\tif (OutP->%sCnt > *%sCnt) {\n"
					"\t\t__builtin_memcpy((void *)(%s), %s, *%sCnt * sizeof(%s));\n"
					"\t\t_ret = MIG_ARRAY_TOO_LARGE;\n"
					"\t} else {\n"
					"\t\t__builtin_memcpy((void *)(%s), %s, OutP->%sCnt * sizeof(%s));\n"
					"\t}\n\t*%sCnt = OutP->%sCnt;\n",
					a->name, a->name, a->name, msg_var_ptr(a, false, "OutP"), a->name, E,
					a->name, msg_var_ptr(a, false, "OutP"), a->name, E, a->name, a->name);
			} else {
				fprintf(f, "\t__builtin_memcpy((void *)(%s), %s, OutP->%sCnt * sizeof(%s));\n"
					"\t*%sCnt = OutP->%sCnt;\n", a->name, msg_var_ptr(a, false, "OutP"),
					a->name, E, a->name, a->name);
			}
			break;
		case AC_PORT:
			fprintf(f, "\t*%s = OutP->%s.name;\n", a->name, a->name);
			if (arg_user_poly(a))
				fprintf(f, "\t*%sPoly = OutP->%s.disposition;\n", a->name, a->name);
			break;
		case AC_OOL:
			fprintf(f, "\t*%s = (%s)(OutP->%s.address);\n", a->name, T, a->name);
			if (a->type->variable)
				fprintf(f, "\t*%sCnt = OutP->%s.size / (mach_msg_size_t)sizeof(%s);\n",
					a->name, a->name, arg_elem_cname(a, false));
			break;
		case AC_PORTARRAY:
			fprintf(f, "\t{\n\t\tmach_msg_size_t _i;\n\n"
				"\t\tfor (_i = 0; _i < %lu; _i++)\n"
				"\t\t\t%s[_i] = OutP->%s[_i].name;\n\t}\n",
				a->type->number, a->name, a->name);
			if (arg_user_poly(a))
				fprintf(f, "\t*%sPoly = OutP->%s[0].disposition;\n", a->name, a->name);
			break;
		case AC_OOLPORTS:
			fprintf(f, "\t*%s = (%s)(OutP->%s.address);\n", a->name, T, a->name);
			if (arg_user_poly(a))
				fprintf(f, "\t*%sPoly = OutP->%s.disposition;\n", a->name, a->name);
			if (a->type->variable)
				fprintf(f, "\t*%sCnt = OutP->%s.count;\n", a->name, a->name);
			break;
		default:
			break;
		}
	}
}

static bool has_var_string(const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (a->cls == AC_VARARRAY && a->is_string && a->in_req)
			return true;
	return false;
}

static void user_write_send(FILE *f, const struct routine *r, const char *rcv_name)
{
	const char *timeout = "MACH_MSG_TIMEOUT_NONE";
	char *opts = xstrdup(r->simple ? "MACH_SEND_MSG" : "MACH_SEND_MSG | MACH_RCV_MSG");

	if (r->waittime) {
		timeout = r->waittime->name;
		if (!r->simple)
			opts = xasprintf("%s | MACH_RCV_TIMEOUT", opts);
	} else if (r->wait_time_expr && !r->simple) {
		timeout = r->wait_time_expr;
		opts = xasprintf("%s | MACH_RCV_TIMEOUT", opts);
	}
	if (r->sendtime) {
		timeout = r->sendtime->name;
		opts = xasprintf("%s | MACH_SEND_TIMEOUT", opts);
	}
	if (r->msg_option_expr)
		opts = xasprintf("%s | %s", opts, r->msg_option_expr);
	if (r->msgoption)
		opts = xasprintf("%s | %s", opts, r->msgoption->name);

	if (!mig_subsystem.kernel_user)
		fprintf(f, "#ifdef __KERNEL__\n");
	/* The kernel's sends take no timeout and no options. */
	if (r->waittime)
		fprintf(f, "\t(void)%s;\n", r->waittime->name);
	if (r->sendtime)
		fprintf(f, "\t(void)%s;\n", r->sendtime->name);
	if (r->msgoption)
		fprintf(f, "\t(void)%s;\n", r->msgoption->name);
	if (r->simple)
		fprintf(f, "\tmsg_result = mach_msg_send_from_kernel(&InP->Head, InP->Head.msgh_size);\n");
	else
		fprintf(f, "\tmsg_result = mach_msg_rpc_from_kernel(&InP->Head, InP->Head.msgh_size,\n"
			"\t\t\t\t\t      (mach_msg_size_t)sizeof(Mess));\n");
	if (!mig_subsystem.kernel_user) {
		fprintf(f, "#else\n");
		fprintf(f, "\tmsg_result = mach_msg(&InP->Head, %s,\n\t\t\t      InP->Head.msgh_size, %s,\n"
			"\t\t\t      %s, %s, MACH_PORT_NULL);\n", opts,
			r->simple ? "0" : "(mach_msg_size_t)sizeof(Mess)",
			r->simple ? "MACH_PORT_NULL" : rcv_name, timeout);
		fprintf(f, "#endif\n");
	} else {
		(void)opts;
	}
}

/*
 * Can the send give the request back (Mach's pseudo-receive on
 * MACH_SEND_TIMED_OUT, or MACH_SEND_INTERRUPTED asked for)? Only with a
 * send timeout or options the caller or the .defs adds.
 */
static bool user_may_return_request(const struct routine *r)
{
	return r->sendtime || r->msgoption || r->msg_option_expr;
}

static void user_write_stub(FILE *f, const struct routine *r)
{
	bool own_reply = !r->simple && !(r->replyport && r->replyport->kind != AK_SREPLYPORT);
	const char *reply_port = own_reply ? "_reply_port" :
		(r->replyport && r->replyport->kind != AK_SREPLYPORT) ? r->replyport->name :
		"MACH_PORT_NULL";
	long id = mig_subsystem.base + r->number;

	fprintf(f, "/* %s %s */\n", r->simple ? "simpleroutine" : "routine", r->name);
	fprintf(f, "kern_return_t %s", uname(r));
	user_write_params(f, r);
	fprintf(f, "\n{\n");
	fprintf(f, "\ttypedef __Request__%s_t Request;\n", r->name);
	if (!r->simple)
		fprintf(f, "\ttypedef __Reply__%s_t Reply;\n", r->name);
	fprintf(f, "\tunion {\n\t\tRequest In;\n");
	if (!r->simple)
		fprintf(f, "\t\tReply Out;\n\t\tmig_reply_error_t Err;\n"
			"\t\tchar rcv[sizeof(Reply) + MAX_TRAILER_SIZE];\n");
	fprintf(f, "\t} Mess;\n");
	fprintf(f, "\tRequest *InP = &Mess.In;\n");
	if (!r->simple)
		fprintf(f, "\tReply *OutP = &Mess.Out;\n\tkern_return_t _ret = KERN_SUCCESS;\n");
	fprintf(f, "\tmach_msg_return_t msg_result;\n");
	if (own_reply)
		fprintf(f, "\tmach_port_t _reply_port;\n");
	if (msg_first_var(r, false))
		fprintf(f, "\tmach_msg_size_t _at;\n");
	if (has_var_string(r))
		fprintf(f, "\tmach_msg_size_t _n;\n");
	if (msg_first_var(r, false) || (!r->simple && msg_first_var(r, true)))
		fprintf(f, "\tmach_msg_size_t _pos;\n");
	if (!r->simple && msg_first_var(r, true)) {
		const struct arg *a;

		for (a = r->args; a; a = a->next)
			if (a->cls == AC_VARARRAY && a->in_rep)
				fprintf(f, "\tmach_msg_size_t _pos_%s;\n", a->name);
	}
	fprintf(f, "\n\t__builtin_memset(InP, 0, %s);\n", msg_first_var(r, false) ?
		msg_size_min(r, false, "Request") : msg_size_fixed(r, false, "Request"));
	if (own_reply)
		fprintf(f, "\t_reply_port = mig_get_reply_port();\n");
	user_write_request_fixed(f, r, reply_port);
	user_write_request_var(f, r);
	fprintf(f, "\n");
	user_write_send(f, r, reply_port);
	if (r->simple) {
		if (user_may_return_request(r))
			fprintf(f, "\tif (msg_result == MACH_SEND_TIMED_OUT ||\n"
				"\t    msg_result == MACH_SEND_INTERRUPTED) {\n"
				"\t\t/* The request came back (pseudo-receive): it goes. */\n"
				"\t\t_MIG_DESTROY(&InP->Head);\n"
				"\t\t_MIG_DESTROY_REPLY(&InP->Head);\n\t}\n");
		fprintf(f, "\treturn msg_result;\n}\n\n");
		return;
	}
	fprintf(f, "\tif (msg_result != MACH_MSG_SUCCESS) {\n");
	if (user_may_return_request(r))
		/*
		 * Mach's pseudo-receive: the request is back in InP with every
		 * right it carried named in our space again and its
		 * out-of-line memory in fresh regions. It is destroyed, as a
		 * send refused after the copyin destroys it; the reply right
		 * came back under a name of its own (a send-once right is
		 * never named with its port), which the runtime gives back
		 * with the thread's reply port (mig_dealloc_reply_port()).
		 */
		fprintf(f, "\t\tif (msg_result == MACH_SEND_TIMED_OUT ||\n"
			"\t\t    msg_result == MACH_SEND_INTERRUPTED) {\n"
			"\t\t\t/* The request came back (pseudo-receive): it goes, its reply right too. */\n"
			"\t\t\t_MIG_DESTROY(&InP->Head);\n"
			"%s"
			"\t\t\treturn msg_result;\n\t\t}\n",
			own_reply ? "\t\t\tmig_dealloc_reply_port(InP->Head.msgh_local_port);\n" :
			"\t\t\t_MIG_DESTROY_REPLY(&InP->Head);\n");
	if (own_reply)
		/*
		 * As MIG's runtime (__MachMsgErrorWithoutTimeout): a send
		 * refused once the header's rights were taken destroyed the
		 * reply right, so a send-once notification is on its way to
		 * the port; a failed receive leaves a reply to come. Either
		 * would be the next call's answer: the thread gets a fresh
		 * port. Only a send refused before anything was taken keeps it.
		 */
		fprintf(f, "\t\t/* Unless nothing was taken, a reply or notification may come. */\n"
			"\t\tif (msg_result != MACH_SEND_INVALID_DEST &&\n"
			"\t\t    msg_result != MACH_SEND_INVALID_DATA &&\n"
			"\t\t    msg_result != MACH_SEND_INVALID_HEADER)\n"
			"\t\t\tmig_dealloc_reply_port(_reply_port);\n");
	fprintf(f, "\t\treturn msg_result;\n\t}\n");
	fprintf(f, "\tif (OutP->Head.msgh_id != %ld) {\n", id + 100);
	if (own_reply)
		fprintf(f, "\t\t/* Not this call's answer, which may still come: a fresh port. */\n"
			"\t\tmig_dealloc_reply_port(_reply_port);\n");
	/*
	 * As XNU's MIG: a reply the stub will not unpack (another message,
	 * a malformed one) is destroyed, its rights and out-of-line memory,
	 * which would otherwise stay in the caller's space with no name
	 * anybody knows. A send-once notification carries nothing.
	 */
	fprintf(f, "\t\tif (OutP->Head.msgh_id == 0107)\t/* MACH_NOTIFY_SEND_ONCE: the server died */\n"
		"\t\t\treturn MIG_SERVER_DIED;\n"
		"\t\t_MIG_DESTROY(&OutP->Head);\n"
		"\t\treturn MIG_REPLY_MISMATCH;\n\t}\n");
	fprintf(f, "\tif (!(OutP->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&\n"
		"\t    OutP->Head.msgh_size == _MIG_ERROR_SIZE && Mess.Err.RetCode != KERN_SUCCESS) {\n"
		"\t\t_MIG_DESTROY(&OutP->Head);\n"
		"\t\treturn Mess.Err.RetCode;\n\t}\n");
	msg_write_checks(f, r, true, false, "OutP", "Reply", "goto _mig_bad_reply;");
	if (!r->rep_complex)
		fprintf(f, "\tif (OutP->RetCode != KERN_SUCCESS)\n\t\treturn OutP->RetCode;\n");
	fprintf(f, "\n");
	user_write_copyout(f, r);
	fprintf(f, "\treturn _ret;\n\n_mig_bad_reply:\n"
		"\t_MIG_DESTROY(&OutP->Head);\n\treturn MIG_TYPE_ERROR;\n}\n\n");
}

void user_write_source(FILE *f)
{
	const struct routine *r;

	write_preamble(f, "Client stubs");
	write_c_helpers(f);
	/*
	 * What a message the stub will not unpack holds is destroyed by the
	 * runtime: mach_msg_destroy() (libmach), or in the kernel
	 * mach_msg_destroy_from_kernel() on the kernel-form reply
	 * mach_msg_rpc_from_kernel() handed back. The kernel's sends never
	 * time out or give a request back, so there is no reply right of a
	 * returned request to destroy there.
	 */
	if (mig_subsystem.kernel_user)
		fprintf(f, "#define _MIG_DESTROY(h) mach_msg_destroy_from_kernel(h)\n"
			"#define _MIG_DESTROY_REPLY(h) ((void)(h))\n\n");
	else
		fprintf(f, "#ifdef __KERNEL__\n"
			"#define _MIG_DESTROY(h) ((void)(h))\n"
			"#define _MIG_DESTROY_REPLY(h) ((void)(h))\n"
			"#else\n"
			"void mach_msg_destroy(mach_msg_header_t *msg);\n"
			"void mach_msg_destroy_reply(mach_msg_header_t *msg);\n"
			"#define _MIG_DESTROY(h) mach_msg_destroy(h)\n"
			"#define _MIG_DESTROY_REPLY(h) mach_msg_destroy_reply(h)\n"
			"#endif\n\n");
	fprintf(f, "#include <mach/kern_return.h>\n#include <mach/port.h>\n");
	write_imports(f, 1);
	fprintf(f, "\n");
	write_size_asserts(f, false);
	fprintf(f, "\n");
	user_write_prototypes(f);
	for (r = mig_routines; r; r = r->next) {
		if (r->skip)
			continue;
		msg_write_struct(f, r, false, false, xasprintf("__Request__%s_t", r->name));
		if (!r->simple)
			msg_write_struct(f, r, true, false, xasprintf("__Reply__%s_t", r->name));
		user_write_stub(f, r);
	}
}
