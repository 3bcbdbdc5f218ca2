// SPDX-License-Identifier: MIT
/*
 * The server side: one stub per routine that checks the request entirely
 * before it reads any of it, translates the arguments (intran), calls the
 * server routine, runs the destructors, and builds the reply; the
 * demultiplexer, the routine table and the subsystem descriptor of
 * <mach/mig.h>.
 *
 * A request is seen as received: msgh_local_port is the port it came in
 * on (the request port), msgh_remote_port the reply port.
 */
#include <string.h>
#include "migcom.h"

static const char *sname(const struct routine *r)
{
	return xasprintf("%s%s", r->server_prefix ? r->server_prefix : "", r->name);
}

static const char *demux_name(void)
{
	return mig_subsystem.server_demux ? mig_subsystem.server_demux :
	       xasprintf("%s_server", mig_subsystem.name);
}

/* The parameter list of the server routine that the server's writer provides. */
static void server_write_params(FILE *f, const struct routine *r)
{
	const struct arg *a;
	bool first = true;

	fprintf(f, "(");
	for (a = r->args; a; a = a->next) {
		bool out = a->kind == AK_OUT || a->kind == AK_INOUT;
		const char *T = arg_server_cname(a, out);

		if (!arg_is_server_param(a))
			continue;
		switch (a->kind) {
		case AK_REQUESTPORT:
		case AK_REPLYPORT:
		case AK_SREPLYPORT:
			mig_param(f, &first, "%s %s", T, a->name);
			if (arg_server_poly(a))
				mig_param(f, &first, "%s %sPoly", "mach_msg_type_name_t", a->name);
			continue;
		case AK_MSGSEQNO:
			mig_param(f, &first, "%s %s", arg_wire_cname(a, true), a->name);
			continue;
		default:
			break;
		}
		arg_write_value_params(f, &first, a, T, out, arg_server_poly(a));
	}
	if (first)
		fprintf(f, "void");
	fprintf(f, ")");
}

/*
 * The disposition of a right in a reply. A kernel server's routine (or its
 * outtran) hands back a send right of its own that the reply is to carry
 * away: a COPY_SEND type goes out as MOVE_SEND there, else the kernel's
 * copyout would take another reference and leak the one it was given.
 * So do MAKE_SEND and MAKE_SEND_ONCE types (Mach's MIG: their out name is
 * the right they made, PORT_SEND / PORT_SEND_ONCE): the kernel holds no
 * receive right to make one from (vm_set_default_memory_manager's inout
 * port is the manager's).
 */
static int server_reply_disp(int disp)
{
	if (!mig_subsystem.kernel_server)
		return disp;
	if (disp == MT_COPY_SEND || disp == MT_MAKE_SEND)
		return MT_MOVE_SEND;
	if (disp == MT_MAKE_SEND_ONCE)
		return MT_MOVE_SEND_ONCE;
	return disp;
}

static void server_write_prototypes(FILE *f)
{
	const struct routine *r;

	for (r = mig_routines; r; r = r->next) {
		if (r->skip)
			continue;
		fprintf(f, "/* %s %s (msgh_id %ld) */\nkern_return_t %s", r->simple ?
			"simpleroutine" : "routine", r->name, mig_subsystem.base + r->number,
			sname(r));
		server_write_params(f, r);
		fprintf(f, ";\n\n");
	}
	fprintf(f, "boolean_t %s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);\n",
		demux_name());
	fprintf(f, "mig_routine_t %s_server_routine(mach_msg_header_t *InHeadP);\n",
		mig_subsystem.name);
	fprintf(f, "extern const struct mig_subsystem %s_subsystem;\n\n", mig_subsystem.name);
}

void server_write_header(FILE *f)
{
	write_preamble(f, "Server routines and demultiplexer (declarations)");
	fprintf(f, "#ifndef _MIG_%s_SERVER_H_\n#define _MIG_%s_SERVER_H_\n\n",
		mig_subsystem.name, mig_subsystem.name);
	fprintf(f, "#include <mach/kern_return.h>\n#include <mach/port.h>\n"
		"#include <mach/message.h>\n#include <mach/mig.h>\n");
	write_imports(f, 2);
	fprintf(f, "\n");
	server_write_prototypes(f);
	fprintf(f, "#endif /* _MIG_%s_SERVER_H_ */\n", mig_subsystem.name);
}

/* ---------------------------------------------------------------- stubs */

/* Does this argument go through a local variable in the stub? */
static bool needs_local(const struct arg *a)
{
	const struct mtype *t = a->type;

	if (a->kind == AK_REQUESTPORT)
		return t->intran_fn != NULL;
	if (a->kind == AK_MSGSEQNO)
		return true;
	if (a->header || a->cls == AC_NONE)
		return false;
	switch (a->cls) {
	case AC_DATA:
		if (a->in_rep)
			return t->outtran_fn || (a->in_req && t->intran_fn);
		return t->intran_fn != NULL;
	case AC_PORT:
		return a->in_rep || t->intran_fn;
	case AC_PORTARRAY:
		return true;	/* the names, gathered from the descriptors */
	case AC_OOL:
	case AC_OOLPORTS:
		return a->in_rep;
	default:
		return false;
	}
}

static void server_write_locals(FILE *f, const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next) {
		if (!needs_local(a))
			continue;
		if (a->kind == AK_MSGSEQNO) {
			fprintf(f, "\t%s _%s;\n", arg_wire_cname(a, true), a->name);
			continue;
		}
		if (a->cls == AC_PORTARRAY)
			fprintf(f, "\t%s _%s[%lu];\n", arg_elem_cname(a, true), a->name,
				a->type->number);
		else
			fprintf(f, "\t%s _%s;\n", arg_server_cname(a, a->in_rep), a->name);
		if ((a->cls == AC_PORT || a->cls == AC_OOLPORTS || a->cls == AC_PORTARRAY) &&
		    a->in_rep && arg_server_poly(a))
			fprintf(f, "\tmach_msg_type_name_t _%sPoly = %s;\n", a->name,
				disp_name(MT_COPY_SEND));
		if ((a->cls == AC_OOL || a->cls == AC_OOLPORTS) && a->in_rep && a->type->variable)
			fprintf(f, "\tmach_msg_type_number_t _%sCnt = 0;\n", a->name);
	}
}

/* Before the call: translations, inout copies, out counts. */
static void server_write_prepare(FILE *f, const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next) {
		const struct mtype *t = a->type;
		const char *E;

		if (a->kind == AK_REQUESTPORT && t->intran_fn) {
			fprintf(f, "\t_%s = %s(In0P->Head.msgh_local_port);\n", a->name, t->intran_fn);
			continue;
		}
		if (a->kind == AK_MSGSEQNO) {
			fprintf(f, "\t{\n\t\tconst mach_msg_seqno_trailer_t *_tr = (const void *)\n"
				"\t\t\t((const char *)In0P + In0P->Head.msgh_size);\n\n"
				"\t\t_%s = _tr->msgh_trailer_size >= sizeof(*_tr) ? _tr->msgh_seqno : 0;\n"
				"\t}\n", a->name);
			continue;
		}
		if (a->header || a->cls == AC_NONE)
			continue;
		switch (a->cls) {
		case AC_DATA:
			if (a->in_req && t->intran_fn)
				fprintf(f, "\t_%s = %s(In0P->%s);\n", a->name, t->intran_fn, a->name);
			else if (a->in_req && a->in_rep && needs_local(a))
				fprintf(f, "\t_%s = In0P->%s;\n", a->name, a->name);
			else if (a->in_req && a->in_rep)
				fprintf(f, "\tOutP->%s = In0P->%s;\n", a->name, a->name);
			break;
		case AC_PORT:
			if (a->in_req && t->intran_fn)
				fprintf(f, "\t_%s = %s(In0P->%s.name);\n", a->name, t->intran_fn, a->name);
			else if (a->in_req && a->in_rep)
				fprintf(f, "\t_%s = In0P->%s.name;\n", a->name, a->name);
			else if (a->in_rep)
				fprintf(f, "\t__builtin_memset(&_%s, 0, sizeof(_%s));\n", a->name, a->name);
			if (a->in_req && a->in_rep && arg_server_poly(a))
				fprintf(f, "\t_%sPoly = In0P->%s.disposition;\n", a->name, a->name);
			break;
		case AC_PORTARRAY:
			if (a->in_req)
				fprintf(f, "\t{\n\t\tmach_msg_size_t _i;\n\n"
					"\t\tfor (_i = 0; _i < %lu; _i++)\n"
					"\t\t\t_%s[_i] = In0P->%s[_i].name;\n\t}\n",
					t->number, a->name, a->name);
			else
				fprintf(f, "\t__builtin_memset(_%s, 0, sizeof(_%s));\n", a->name, a->name);
			if (a->in_req && a->in_rep && arg_server_poly(a))
				fprintf(f, "\t_%sPoly = In0P->%s[0].disposition;\n", a->name, a->name);
			break;
		case AC_OOL:
		case AC_OOLPORTS:
			if (a->in_req && a->in_rep) {
				fprintf(f, "\t_%s = (%s)(In0P->%s.address);\n", a->name,
					arg_server_cname(a, true), a->name);
				if (a->type->variable)
					fprintf(f, "\t_%sCnt = %s;\n", a->name, a->cls == AC_OOL ?
						xasprintf("In0P->%s.size / (mach_msg_size_t)sizeof(%s)",
							  a->name, arg_elem_cname(a, true)) :
						xasprintf("In0P->%s.count", a->name));
			} else if (a->in_rep) {
				fprintf(f, "\t__builtin_memset(&_%s, 0, sizeof(_%s));\n", a->name, a->name);
			}
			break;
		case AC_FIXARRAY:
			if (a->in_req && a->in_rep)
				fprintf(f, "\t__builtin_memcpy(OutP->%s, In0P->%s, sizeof(OutP->%s));\n",
					a->name, a->name, a->name);
			break;
		case AC_VARARRAY:
			E = arg_elem_cname(a, true);
			if (a->in_req && a->in_rep) {
				fprintf(f, "\tOutP->%sCnt = In0P->%sCnt;\n", a->name, a->name);
				fprintf(f, "\t__builtin_memcpy(OutP->%s, %s, In0P->%sCnt * sizeof(%s));\n",
					a->name, msg_var_ptr(a, true, "In0P"), a->name, E);
			} else if (a->in_rep) {
				fprintf(f, "\tOutP->%sCnt = %lu;\n", a->name, a->type->number);
				if (a->flags & AF_COUNTINOUT)
					fprintf(f, "\tif (In0P->%sCnt < OutP->%sCnt)\n"
						"\t\tOutP->%sCnt = In0P->%sCnt;\n",
						a->name, a->name, a->name, a->name);
			}
			break;
		default:
			break;
		}
	}
}

static void server_write_call(FILE *f, const struct routine *r)
{
	const struct arg *a;
	bool first = true;

	fprintf(f, "\tRetCode = %s(", sname(r));
	for (a = r->args; a; a = a->next) {
		const struct mtype *t = a->type;
		const char *v = NULL, *poly = NULL, *cnt = NULL;

		if (!arg_is_server_param(a))
			continue;
		switch (a->kind) {
		case AK_REQUESTPORT:
			v = t->intran_fn ? xasprintf("_%s", a->name) : "In0P->Head.msgh_local_port";
			if (arg_server_poly(a))
				poly = "MACH_MSGH_BITS_LOCAL(In0P->Head.msgh_bits)";
			break;
		case AK_REPLYPORT:
		case AK_SREPLYPORT:
			v = "In0P->Head.msgh_remote_port";
			if (arg_server_poly(a))
				poly = "MACH_MSGH_BITS_REMOTE(In0P->Head.msgh_bits)";
			break;
		case AK_MSGSEQNO:
			v = xasprintf("_%s", a->name);
			break;
		case AK_IN:
			switch (a->cls) {
			case AC_DATA:
				v = needs_local(a) ? xasprintf("_%s", a->name) : xasprintf("In0P->%s", a->name);
				break;
			case AC_FIXARRAY:
				v = xasprintf("In0P->%s", a->name);
				break;
			case AC_VARARRAY:
				v = msg_var_ptr(a, true, "In0P");
				if (!a->is_string)
					cnt = xasprintf("In0P->%sCnt", a->name);
				break;
			case AC_PORT:
				v = needs_local(a) ? xasprintf("_%s", a->name) :
				    xasprintf("In0P->%s.name", a->name);
				if (arg_server_poly(a))
					poly = xasprintf("In0P->%s.disposition", a->name);
				break;
			case AC_OOL:
				v = xasprintf("(%s)(In0P->%s.address)", arg_server_cname(a, false), a->name);
				if (a->type->variable)
					cnt = xasprintf("In0P->%s.size / (mach_msg_size_t)sizeof(%s)",
							a->name, arg_elem_cname(a, true));
				break;
			case AC_PORTARRAY:
				v = xasprintf("_%s", a->name);
				if (arg_server_poly(a))
					poly = xasprintf("In0P->%s[0].disposition", a->name);
				break;
			case AC_OOLPORTS:
				v = xasprintf("(%s)(In0P->%s.address)", arg_server_cname(a, false), a->name);
				if (arg_server_poly(a))
					poly = xasprintf("In0P->%s.disposition", a->name);
				if (a->type->variable)
					cnt = xasprintf("In0P->%s.count", a->name);
				break;
			default:
				break;
			}
			break;
		default:	/* out, inout */
			switch (a->cls) {
			case AC_DATA:
				v = needs_local(a) ? xasprintf("&_%s", a->name) : xasprintf("&OutP->%s", a->name);
				break;
			case AC_FIXARRAY:
				v = xasprintf("OutP->%s", a->name);
				break;
			case AC_VARARRAY:
				v = xasprintf("OutP->%s", a->name);
				if (!a->is_string)
					cnt = xasprintf("&OutP->%sCnt", a->name);
				break;
			case AC_PORTARRAY:
				v = xasprintf("_%s", a->name);
				if (arg_server_poly(a))
					poly = xasprintf("&_%sPoly", a->name);
				break;
			case AC_PORT:
			case AC_OOL:
			case AC_OOLPORTS:
				v = xasprintf("&_%s", a->name);
				if (arg_server_poly(a))
					poly = xasprintf("&_%sPoly", a->name);
				if (a->cls != AC_PORT && a->type->variable)
					cnt = xasprintf("&_%sCnt", a->name);
				break;
			default:
				break;
			}
			break;
		}
		if (!v)
			continue;
		fprintf(f, "%s\n\t\t%s", first ? "" : ",", v);
		first = false;
		if (poly)
			fprintf(f, ",\n\t\t%s", poly);
		if (cnt)
			fprintf(f, ",\n\t\t%s", cnt);
	}
	fprintf(f, ");\n");
}

static void server_write_destructors(FILE *f, const struct routine *r)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next) {
		const struct mtype *t = a->type;

		if (!t->destructor || a->in_rep)
			continue;
		if (a->kind == AK_REQUESTPORT)
			fprintf(f, "\t%s(%s);\n", t->destructor, t->intran_fn ?
				xasprintf("_%s", a->name) : "In0P->Head.msgh_local_port");
		else if (a->kind == AK_IN && (a->cls == AC_DATA || a->cls == AC_PORT))
			fprintf(f, "\t%s(%s);\n", t->destructor, needs_local(a) ?
				xasprintf("_%s", a->name) : xasprintf(a->cls == AC_PORT ?
				"In0P->%s.name" : "In0P->%s", a->name));
	}
}

/*
 * A kernel server's routine sees the object a translated port argument
 * stands for, never the send right the request carried with it: once the
 * routine has succeeded (and so owns the request's contents), the stub
 * releases that right for it, as Mach's MIG does.
 */
static void server_write_release_translated(FILE *f, const struct routine *r)
{
	const struct arg *a;

	if (!mig_subsystem.kernel_server)
		return;
	for (a = r->args; a; a = a->next) {
		const struct mtype *t = a->type;

		if (a->kind != AK_IN || a->cls != AC_PORT || !t->intran_fn ||
		    t->recv_disp != MT_MOVE_SEND)
			continue;
		fprintf(f, "\tif (RetCode == KERN_SUCCESS)\n"
			"\t\tmig_kernel_release_send(In0P->%s.name);\n", a->name);
	}
}

/* After a successful call: descriptors, translations, packing, size. */
static void server_write_reply(FILE *f, const struct routine *r)
{
	const struct arg *a;
	int ndesc = 0;

	for (a = r->args; a; a = a->next) {
		const struct mtype *t = a->type;
		const char *E;

		if (!arg_travels(a, true))
			continue;
		switch (a->cls) {
		case AC_DATA:
			if (needs_local(a))
				fprintf(f, "\tOutP->%s = %s(_%s);\n", a->name,
					t->outtran_fn ? t->outtran_fn : "", a->name);
			break;
		case AC_FIXARRAY:
			if (a->is_string)
				fprintf(f, "\tOutP->%s[%lu] = '\\0';\n", a->name, t->number - 1);
			break;
		case AC_VARARRAY:
			if (a->is_string)
				fprintf(f, "\tOutP->%sCnt = _mig_strnlen(OutP->%s, %lu) + 1;\n"
					"\tOutP->%s[OutP->%sCnt - 1] = '\\0';\n",
					a->name, a->name, t->number - 1, a->name, a->name);
			else
				fprintf(f, "\tif (OutP->%sCnt > %lu) {\n\t\t_err->RetCode = MIG_ARRAY_TOO_LARGE;\n"
					"\t\treturn;\n\t}\n", a->name, t->number);
			break;
		case AC_PORT:
			ndesc++;
			fprintf(f, "\tOutP->%s.name = %s(_%s);\n", a->name,
				t->outtran_fn ? t->outtran_fn : "", a->name);
			fprintf(f, "\tOutP->%s.disposition = %s;\n", a->name, arg_server_poly(a) ?
				xasprintf("_%sPoly", a->name) : disp_name(server_reply_disp(t->send_disp)));
			fprintf(f, "\tOutP->%s.type = MACH_MSG_PORT_DESCRIPTOR;\n", a->name);
			break;
		case AC_PORTARRAY:
			ndesc += arg_descriptors(a);
			fprintf(f, "\t{\n\t\tmach_msg_size_t _i;\n\n"
				"\t\tfor (_i = 0; _i < %lu; _i++) {\n"
				"\t\t\tOutP->%s[_i].name = _%s[_i];\n"
				"\t\t\tOutP->%s[_i].disposition = %s;\n"
				"\t\t\tOutP->%s[_i].type = MACH_MSG_PORT_DESCRIPTOR;\n\t\t}\n\t}\n",
				t->number, a->name, a->name, a->name, arg_server_poly(a) ?
				xasprintf("_%sPoly", a->name) :
				disp_name(server_reply_disp(t->elem->send_disp)), a->name);
			break;
		case AC_OOL:
		case AC_OOLPORTS:
			ndesc++;
			E = arg_elem_cname(a, true);
			if (t->variable && t->number)
				fprintf(f, "\tif (_%sCnt > %lu) {\n\t\t_err->RetCode = MIG_ARRAY_TOO_LARGE;\n"
					"\t\treturn;\n\t}\n", a->name, t->number);
			if (t->variable && a->cls == AC_OOL)
				fprintf(f, "\tif ((unsigned long long)_%sCnt * sizeof(%s) > 0xffffffffULL) {\n"
					"\t\t_err->RetCode = MIG_ARRAY_TOO_LARGE;\n\t\treturn;\n\t}\n",
					a->name, E);
			fprintf(f, "\tOutP->%s.address = (void *)(_%s);\n", a->name, a->name);
			if (a->cls == AC_OOL) {
				fprintf(f, "\tOutP->%s.size = %s * (mach_msg_size_t)sizeof(%s);\n", a->name,
					t->variable ? xasprintf("_%sCnt", a->name) : xasprintf("%lu", t->number), E);
				fprintf(f, "\tOutP->%s.copy = %s;\n", a->name, (a->flags & AF_PHYSCOPY) ?
					"MACH_MSG_PHYSICAL_COPY" : "MACH_MSG_VIRTUAL_COPY");
				fprintf(f, "\tOutP->%s.type = MACH_MSG_OOL_DESCRIPTOR;\n", a->name);
			} else {
				fprintf(f, "\tOutP->%s.count = %s;\n", a->name, t->variable ?
					xasprintf("_%sCnt", a->name) : xasprintf("%lu", t->number));
				fprintf(f, "\tOutP->%s.disposition = %s;\n", a->name, arg_server_poly(a) ?
					xasprintf("_%sPoly", a->name) :
					disp_name(server_reply_disp(t->elem->send_disp)));
				fprintf(f, "\tOutP->%s.copy = MACH_MSG_PHYSICAL_COPY;\n", a->name);
				fprintf(f, "\tOutP->%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;\n", a->name);
			}
			fprintf(f, "\tOutP->%s.deallocate = %s;\n", a->name,
				(a->flags & AF_DEALLOC) || t->dealloc ? "TRUE" : "FALSE");
			break;
		default:
			break;
		}
	}
	if (r->rep_complex) {
		fprintf(f, "\tOutP->msgh_body.msgh_descriptor_count = %d;\n", ndesc);
		fprintf(f, "\tOutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;\n");
	} else {
		fprintf(f, "\tOutP->RetCode = KERN_SUCCESS;\n");
	}
	if (!msg_first_var(r, true)) {
		fprintf(f, "\tOutP->Head.msgh_size = %s;\n", msg_size_fixed(r, true, "Reply"));
		return;
	}
	/* Pack the variable arrays, written at their bounds, after each other. */
	fprintf(f, "\t_at = (mach_msg_size_t)__builtin_offsetof(Reply, %s);\n",
		msg_first_var(r, true)->name);
	for (a = r->args; a; a = a->next) {
		const char *E;

		if (!(a->cls == AC_VARARRAY && a->in_rep))
			continue;
		E = arg_elem_cname(a, true);
		fprintf(f, "\t_p = _MIG_ALIGN(_at, _Alignof(%s));\n", E);
		fprintf(f, "\t__builtin_memset((char *)OutP + _at, 0, _p - _at);\n");
		fprintf(f, "\tif (_p != __builtin_offsetof(Reply, %s))\n"
			"\t\t__builtin_memmove((char *)OutP + _p, OutP->%s, OutP->%sCnt * sizeof(%s));\n",
			a->name, a->name, a->name, E);
		fprintf(f, "\t_at = _p + OutP->%sCnt * (mach_msg_size_t)sizeof(%s);\n", a->name, E);
	}
	fprintf(f, "\tOutP->Head.msgh_size = _MIG_ALIGN(_at, 4);\n");
	fprintf(f, "\t__builtin_memset((char *)OutP + _at, 0, OutP->Head.msgh_size - _at);\n");
}

static void server_write_stub(FILE *f, const struct routine *r)
{
	fprintf(f, "/* %s %s */\n", r->simple ? "simpleroutine" : "routine", r->name);
	fprintf(f, "static void _X%s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n",
		r->name);
	fprintf(f, "\ttypedef __Request__%s_t Request;\n", r->name);
	if (!r->simple)
		fprintf(f, "\ttypedef __Reply__%s_t Reply;\n", r->name);
	fprintf(f, "\tRequest *In0P = (Request *)(void *)InHeadP;\n");
	if (!r->simple)
		fprintf(f, "\tReply *OutP = (Reply *)(void *)OutHeadP;\n");
	fprintf(f, "\tmig_reply_error_t *_err = (mig_reply_error_t *)(void *)OutHeadP;\n");
	fprintf(f, "\tkern_return_t RetCode;\n");
	msg_write_pos_decls(f, r, false);
	if (!r->simple && msg_first_var(r, true))
		fprintf(f, "\tmach_msg_size_t _at, _p;\n");
	server_write_locals(f, r);
	fprintf(f, "\n");
	msg_write_checks(f, r, false, true, "In0P", "Request", "goto bad;");
	fprintf(f, "\n");
	if (!r->simple)
		fprintf(f, "\t__builtin_memset((char *)OutP + sizeof(OutP->Head), 0,\n"
			"\t\t\t %s - sizeof(OutP->Head));\n", msg_first_var(r, true) ?
			msg_size_min(r, true, "Reply") : msg_size_fixed(r, true, "Reply"));
	server_write_prepare(f, r);
	server_write_call(f, r);
	server_write_destructors(f, r);
	server_write_release_translated(f, r);
	if (r->simple) {
		/*
		 * No reply is sent either way; what the dispatcher learns is who
		 * owns the request now: MIG_NO_REPLY, the routine took its rights
		 * and memory; an error, they are still in it, to be destroyed.
		 */
		fprintf(f, "\t/* A simpleroutine has no reply: MIG_NO_REPLY, or its error. */\n"
			"\t_err->RetCode = RetCode == KERN_SUCCESS ? MIG_NO_REPLY : RetCode;\n"
			"\treturn;\n");
	} else {
		fprintf(f, "\tif (RetCode != KERN_SUCCESS) {\n\t\t_err->RetCode = RetCode;\n"
			"\t\treturn;\n\t}\n");
		server_write_reply(f, r);
		fprintf(f, "\treturn;\n");
	}
	fprintf(f, "\nbad:\n\t_err->RetCode = MIG_BAD_ARGUMENTS;\n}\n\n");
}

static void server_write_demux(FILE *f)
{
	const struct routine *r;
	const char *sub = mig_subsystem.name;
	int n = mig_routine_count;

	fprintf(f, "/* The reply buffer a server needs: the largest reply. */\n");
	fprintf(f, "union __ReplyUnion__%s {\n\tmig_reply_error_t _error;\n", sub);
	for (r = mig_routines; r; r = r->next)
		if (!r->skip && !r->simple)
			fprintf(f, "\t__Reply__%s_t %s;\n", r->name, r->name);
	fprintf(f, "};\n\n");

	fprintf(f, "static const struct mig_routine_descriptor %s_routines[%d] = {\n", sub,
		n ? n : 1);
	for (r = mig_routines; r; r = r->next) {
		if (r->skip)
			fprintf(f, "\t{ _MIG_NULL, _MIG_NULL, 0 },\t/* skip */\n");
		else if (r->simple)
			fprintf(f, "\t{ _X%s, \"%s\", _MIG_ERROR_SIZE },\n", r->name, r->name);
		else
			fprintf(f, "\t{ _X%s, \"%s\", (mach_msg_size_t)sizeof(__Reply__%s_t) },\n",
				r->name, r->name, r->name);
	}
	if (!n)
		fprintf(f, "\t{ _MIG_NULL, _MIG_NULL, 0 },\n");
	fprintf(f, "};\n\n");

	fprintf(f, "const struct mig_subsystem %s_subsystem = {\n"
		"\t.name = \"%s\",\n\t.server = %s,\n\t.start = %ld,\n\t.end = %ld,\n"
		"\t.maxsize = (mach_msg_size_t)sizeof(union __ReplyUnion__%s),\n"
		"\t.routine = %s_routines,\n};\n\n",
		sub, sub, demux_name(), mig_subsystem.base, mig_subsystem.base + n, sub, sub);

	/* A subsystem without routines (XNU's memory_object_name) knows no id. */
	if (!n)
		fprintf(f, "mig_routine_t %s_server_routine(mach_msg_header_t *InHeadP)\n{\n"
			"\t(void)InHeadP;\n\treturn _MIG_NULL;\n}\n\n", sub);
	else
		fprintf(f, "mig_routine_t %s_server_routine(mach_msg_header_t *InHeadP)\n{\n"
			"\tnatural_t i = (natural_t)InHeadP->msgh_id - (natural_t)%ld;\n\n"
			"\tif (i >= %d)\n\t\treturn _MIG_NULL;\n\treturn %s_routines[i].stub;\n}\n\n",
			sub, mig_subsystem.base, n, sub);

	fprintf(f, "boolean_t %s(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n"
		"\tmig_reply_error_t *OutP = (mig_reply_error_t *)(void *)OutHeadP;\n"
		"\tmig_routine_t routine;\n\n"
		"\tOutP->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);\n"
		"\tOutP->Head.msgh_size = _MIG_ERROR_SIZE;\n"
		"\tOutP->Head.msgh_remote_port = InHeadP->msgh_remote_port;\n"
		"\tOutP->Head.msgh_local_port = MACH_PORT_NULL;\n"
		"\tOutP->Head.msgh_reserved = 0;\n"
		"\tOutP->Head.msgh_id = (mach_msg_id_t)((natural_t)InHeadP->msgh_id + 100U);\n"
		"\tOutP->RetCode = KERN_SUCCESS;\n\n"
		"\troutine = %s_server_routine(InHeadP);\n"
		"\tif (!routine) {\n\t\tOutP->RetCode = MIG_BAD_ID;\n\t\treturn FALSE;\n\t}\n"
		"\troutine(InHeadP, OutHeadP);\n\treturn TRUE;\n}\n",
		demux_name(), sub);
}

void server_write_source(FILE *f)
{
	const struct routine *r;

	write_preamble(f, "Server stubs and demultiplexer");
	write_c_helpers(f);
	fprintf(f, "#include <mach/kern_return.h>\n#include <mach/port.h>\n");
	write_imports(f, 2);
	fprintf(f, "\n");
	write_size_asserts(f, true);
	fprintf(f, "\n");
	server_write_prototypes(f);
	for (r = mig_routines; r; r = r->next) {
		if (r->skip)
			continue;
		msg_write_struct(f, r, false, true, xasprintf("__Request__%s_t", r->name));
		if (!r->simple)
			msg_write_struct(f, r, true, true, xasprintf("__Reply__%s_t", r->name));
		server_write_stub(f, r);
	}
	server_write_demux(f);
}
