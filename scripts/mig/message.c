// SPDX-License-Identifier: MIT
/*
 * Message layout, shared by the user and the server generators.
 *
 * A message is a C struct: the header; for a complex message the body and
 * one descriptor per port, out-of-line array or out-of-line port array, in
 * parameter order; in a reply that is not complex, RetCode; then the fixed
 * inline data in parameter order (scalars, structs, fixed arrays and
 * strings, and the count of every inline variable array); last, the
 * inline variable arrays, each declared at its bound. On the wire the
 * variable arrays are packed: each starts at the first offset after the
 * previous one that suits its alignment, and the message ends, rounded up
 * to 4 bytes, after the last. Sizes are computed from offsetof, never
 * from sizeof a whole struct, so that the kernel's larger header (a
 * pointer-sized mach_port_t) changes nothing but the offsets.
 */
#include <string.h>
#include "migcom.h"

bool arg_travels(const struct arg *a, bool reply)
{
	if (a->cls == AC_NONE || a->header)
		return false;
	if (reply)
		return a->in_rep;
	return a->in_req || (a->flags & AF_COUNTINOUT);
}

bool arg_is_descriptor(const struct arg *a)
{
	return a->cls == AC_PORT || a->cls == AC_OOL || a->cls == AC_OOLPORTS ||
	       a->cls == AC_PORTARRAY;
}

/* How many descriptors the argument takes. */
int arg_descriptors(const struct arg *a)
{
	if (!arg_is_descriptor(a))
		return 0;
	return a->cls == AC_PORTARRAY ? (int)a->type->number : 1;
}

/* The type of one right: the element of an array of them. */
static const struct mtype *arg_right_type(const struct arg *a)
{
	return a->cls == AC_OOLPORTS || a->cls == AC_PORTARRAY ? a->type->elem : a->type;
}

static bool arg_is_right(const struct arg *a)
{
	return a->cls == AC_PORT || a->cls == AC_OOLPORTS || a->cls == AC_PORTARRAY;
}

/* The element type of an array or string, as one side declares it. */
const char *arg_elem_cname(const struct arg *a, bool server)
{
	const struct mtype *e;

	if (a->is_string && a->type->kind == WK_STRING)
		return "char";
	e = a->type->elem;
	if (!e)
		return type_cname(a->type);
	if (e->kind == WK_PORT)
		return "mach_port_t";
	return server ? type_server_cname(e) : type_user_cname(e);
}

/* The C type of the parameter itself, before any translation. */
const char *arg_wire_cname(const struct arg *a, bool server)
{
	const struct mtype *t = a->type;

	if (!t->ctype && !t->name && !t->cusertype && !t->cservertype &&
	    (t->kind == WK_ARRAY || t->kind == WK_STRING))
		return xasprintf("%s *", arg_elem_cname(a, server));
	return server ? type_server_cname(t) : type_user_cname(t);
}

/* The C type the server routine sees: intran's result when there is one. */
const char *arg_server_cname(const struct arg *a, bool out)
{
	const struct mtype *t = a->type;

	if (!out && t->intran_fn)
		return t->intran_type;
	if (out && t->outtran_fn)
		return t->outtran_type;
	if (t->intran_fn)
		return t->intran_type;
	return arg_wire_cname(a, true);
}

/* Does the user / the server see a run-time disposition for this right? */
bool arg_user_poly(const struct arg *a)
{
	const struct mtype *t = arg_right_type(a);

	if (a->kind == AK_REQUESTPORT || a->kind == AK_REPLYPORT || a->kind == AK_UREPLYPORT)
		return t->send_disp == MT_POLYMORPHIC;
	if (!arg_is_right(a))
		return false;
	if (a->in_req && t->send_disp == MT_POLYMORPHIC)
		return true;
	return a->in_rep && t->recv_disp == MT_POLYMORPHIC;
}

bool arg_server_poly(const struct arg *a)
{
	const struct mtype *t = arg_right_type(a);

	if (a->kind == AK_REQUESTPORT || a->kind == AK_REPLYPORT || a->kind == AK_SREPLYPORT)
		return t->recv_disp == MT_POLYMORPHIC;
	if (!arg_is_right(a))
		return false;
	if (a->in_req && t->recv_disp == MT_POLYMORPHIC)
		return true;
	return a->in_rep && t->send_disp == MT_POLYMORPHIC;
}

const char *disp_name(int d)
{
	switch (d) {
	case MT_PORT_NAME: return "MACH_MSG_TYPE_PORT_NAME";
	case MT_MOVE_RECEIVE: return "MACH_MSG_TYPE_MOVE_RECEIVE";
	case MT_MOVE_SEND: return "MACH_MSG_TYPE_MOVE_SEND";
	case MT_MOVE_SEND_ONCE: return "MACH_MSG_TYPE_MOVE_SEND_ONCE";
	case MT_COPY_SEND: return "MACH_MSG_TYPE_COPY_SEND";
	case MT_MAKE_SEND: return "MACH_MSG_TYPE_MAKE_SEND";
	case MT_MAKE_SEND_ONCE: return "MACH_MSG_TYPE_MAKE_SEND_ONCE";
	default: return "0";
	}
}

const char *arg_string_bound(const struct arg *a)
{
	return xasprintf("%lu", a->type->number);
}

/* ---------------------------------------------------------------- structs */

void msg_write_struct(FILE *f, const struct routine *r, bool reply, bool server,
		      const char *tname)
{
	const struct arg *a;
	bool complex = reply ? r->rep_complex : r->req_complex;

	fprintf(f, "typedef struct {\n\tmach_msg_header_t Head;\n");
	if (complex) {
		fprintf(f, "\tmach_msg_body_t msgh_body;\n");
		for (a = r->args; a; a = a->next) {
			if (!arg_travels(a, reply) || !arg_is_descriptor(a))
				continue;
			if (a->cls == AC_PORTARRAY) {
				fprintf(f, "\tmach_msg_port_descriptor_t %s[%lu];\n", a->name,
					a->type->number);
				continue;
			}
			fprintf(f, "\t%s %s;\n",
				a->cls == AC_PORT ? "mach_msg_port_descriptor_t" :
				a->cls == AC_OOL ? "mach_msg_ool_descriptor_t" :
				"mach_msg_ool_ports_descriptor_t", a->name);
		}
	}
	if (reply && !complex)
		fprintf(f, "\tkern_return_t RetCode;\n");
	for (a = r->args; a; a = a->next) {
		if (!arg_travels(a, reply) || arg_is_descriptor(a))
			continue;
		switch (a->cls) {
		case AC_DATA:
			fprintf(f, "\t%s %s;\n", arg_wire_cname(a, server), a->name);
			break;
		case AC_FIXARRAY:
			fprintf(f, "\t%s %s[%lu];\n", arg_elem_cname(a, server), a->name,
				a->type->number);
			break;
		case AC_VARARRAY:
			fprintf(f, "\tmach_msg_type_number_t %sCnt;\n", a->name);
			break;
		default:
			break;
		}
	}
	for (a = r->args; a; a = a->next) {
		if (a->cls == AC_VARARRAY && (reply ? a->in_rep : a->in_req))
			fprintf(f, "\t%s %s[%lu];\n", arg_elem_cname(a, server), a->name,
				a->type->number);
	}
	fprintf(f, "} %s;\n\n", tname);
}

/* The last field of the fixed part, for the size of a message with no
 * variable part. */
static const char *msg_last_fixed(const struct routine *r, bool reply)
{
	const struct arg *a;
	bool complex = reply ? r->rep_complex : r->req_complex;
	const char *last = complex ? "msgh_body" : reply ? "RetCode" : "Head";

	for (a = r->args; a; a = a->next)
		if (arg_travels(a, reply) && arg_is_descriptor(a))
			last = a->name;
	if (reply && !complex)
		last = "RetCode";
	for (a = r->args; a; a = a->next) {
		if (!arg_travels(a, reply) || arg_is_descriptor(a))
			continue;
		if (a->cls == AC_VARARRAY)
			last = xasprintf("%sCnt", a->name);
		else
			last = a->name;
	}
	return last;
}

const struct arg *msg_first_var(const struct routine *r, bool reply)
{
	const struct arg *a;

	for (a = r->args; a; a = a->next)
		if (a->cls == AC_VARARRAY && (reply ? a->in_rep : a->in_req))
			return a;
	return NULL;
}

static const struct arg *msg_last_var(const struct routine *r, bool reply)
{
	const struct arg *a, *last = NULL;

	for (a = r->args; a; a = a->next)
		if (a->cls == AC_VARARRAY && (reply ? a->in_rep : a->in_req))
			last = a;
	return last;
}

/* C expressions: the size of a fixed message, or the bounds of a variable one. */
char *msg_size_fixed(const struct routine *r, bool reply, const char *tname)
{
	return xasprintf("_MIG_END(%s, %s)", tname, msg_last_fixed(r, reply));
}

char *msg_size_min(const struct routine *r, bool reply, const char *tname)
{
	return xasprintf("((mach_msg_size_t)__builtin_offsetof(%s, %s))", tname,
			 msg_first_var(r, reply)->name);
}

char *msg_size_max(const struct routine *r, bool reply, const char *tname)
{
	const struct arg *v = msg_last_var(r, reply);

	if (!v)
		return msg_size_fixed(r, reply, tname);
	return xasprintf("_MIG_END(%s, %s)", tname, v->name);
}

/* ---------------------------------------------------------------- checks */

/*
 * Check a received message `P` of type `tname` before anything reads it:
 * size, complex bit, descriptors, strings and counts. Leaves the offset
 * of each variable array in _pos_<name>. `fail` is the statement that
 * rejects the message.
 */
void msg_write_checks(FILE *f, const struct routine *r, bool reply, bool server,
		      const char *P, const char *tname, const char *fail)
{
	const struct arg *a;
	bool complex = reply ? r->rep_complex : r->req_complex;
	bool var = msg_first_var(r, reply) != NULL;
	int ndesc = 0;

	fprintf(f, "\t/* Check the %s before reading it. */\n", reply ? "reply" : "request");
	fprintf(f, "\tif (%s(%s->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX))\n\t\t%s\n",
		complex ? "!" : "", P, fail);
	if (var)
		fprintf(f, "\tif (%s->Head.msgh_size < %s ||\n\t    %s->Head.msgh_size > %s)\n\t\t%s\n",
			P, msg_size_min(r, reply, tname), P, msg_size_max(r, reply, tname), fail);
	else
		fprintf(f, "\tif (%s->Head.msgh_size != %s)\n\t\t%s\n", P,
			msg_size_fixed(r, reply, tname), fail);
	for (a = r->args; a; a = a->next)
		if (arg_travels(a, reply))
			ndesc += arg_descriptors(a);
	if (complex)
		fprintf(f, "\tif (%s->msgh_body.msgh_descriptor_count != %d)\n\t\t%s\n", P, ndesc, fail);
	for (a = r->args; a; a = a->next) {
		const struct mtype *t = arg_right_type(a);
		/* the receiver of a request sees the client's dispositions */
		int want = t->recv_disp;
		const char *E;

		if (!arg_travels(a, reply))
			continue;
		switch (a->cls) {
		case AC_PORTARRAY:
			/* each a port; a polymorphic array came with one disposition */
			fprintf(f, "\t{\n\t\tmach_msg_size_t _i;\n\n"
				"\t\tfor (_i = 0; _i < %lu; _i++)\n"
				"\t\t\tif (%s->%s[_i].type != MACH_MSG_PORT_DESCRIPTOR ||\n",
				a->type->number, P, a->name);
			if (want == MT_POLYMORPHIC)
				fprintf(f, "\t\t\t    !MACH_MSG_TYPE_PORT_ANY_RIGHT(%s->%s[_i].disposition) ||\n"
					"\t\t\t    %s->%s[_i].disposition != %s->%s[0].disposition)\n",
					P, a->name, P, a->name, P, a->name);
			else
				fprintf(f, "\t\t\t    %s->%s[_i].disposition != %s)\n", P, a->name,
					disp_name(want));
			fprintf(f, "\t\t\t\t%s\n\t}\n", fail);
			break;
		case AC_PORT:
		case AC_OOLPORTS:
			fprintf(f, "\tif (%s->%s.type != %s ||\n", P, a->name,
				a->cls == AC_PORT ? "MACH_MSG_PORT_DESCRIPTOR" :
				"MACH_MSG_OOL_PORTS_DESCRIPTOR");
			if (want == MT_POLYMORPHIC)
				fprintf(f, "\t    !MACH_MSG_TYPE_PORT_ANY_RIGHT(%s->%s.disposition))\n\t\t%s\n",
					P, a->name, fail);
			else
				fprintf(f, "\t    %s->%s.disposition != %s)\n\t\t%s\n", P, a->name,
					disp_name(want), fail);
			if (a->cls == AC_OOLPORTS && !a->type->variable)
				fprintf(f, "\tif (%s->%s.count != %lu)\n\t\t%s\n", P, a->name,
					a->type->number, fail);
			else if (a->cls == AC_OOLPORTS && a->type->number)
				fprintf(f, "\tif (%s->%s.count > %lu)\n\t\t%s\n", P, a->name,
					a->type->number, fail);
			break;
		case AC_OOL:
			E = arg_elem_cname(a, server);
			fprintf(f, "\tif ((%s->%s.type != MACH_MSG_OOL_DESCRIPTOR &&\n"
				"\t     %s->%s.type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR) ||\n"
				"\t    %s->%s.size %% sizeof(%s) != 0)\n\t\t%s\n",
				P, a->name, P, a->name, P, a->name, E, fail);
			if (!a->type->variable)
				fprintf(f, "\tif (%s->%s.size != %luUL * sizeof(%s))\n\t\t%s\n",
					P, a->name, a->type->number, E, fail);
			else if (a->type->number)
				fprintf(f, "\tif (%s->%s.size / sizeof(%s) > %lu)\n\t\t%s\n",
					P, a->name, E, a->type->number, fail);
			break;
		case AC_FIXARRAY:
			if (a->is_string && (reply ? a->in_rep : a->in_req))
				fprintf(f, "\tif (_mig_strnlen(%s->%s, %lu) >= %lu)\n\t\t%s\n",
					P, a->name, a->type->number, a->type->number, fail);
			break;
		default:
			break;
		}
	}
	if (!var)
		return;
	fprintf(f, "\t_pos = (mach_msg_size_t)__builtin_offsetof(%s, %s);\n", tname,
		msg_first_var(r, reply)->name);
	for (a = r->args; a; a = a->next) {
		const char *E;

		if (!(a->cls == AC_VARARRAY && (reply ? a->in_rep : a->in_req)))
			continue;
		E = arg_elem_cname(a, server);
		fprintf(f, "\tif (%s->%sCnt > %lu%s)\n\t\t%s\n", P, a->name, a->type->number,
			a->is_string ? xasprintf(" || %s->%sCnt == 0", P, a->name) : "", fail);
		fprintf(f, "\t_pos_%s = _MIG_ALIGN(_pos, _Alignof(%s));\n", a->name, E);
		fprintf(f, "\t_pos = _pos_%s + %s->%sCnt * (mach_msg_size_t)sizeof(%s);\n",
			a->name, P, a->name, E);
		fprintf(f, "\tif (_pos > %s->Head.msgh_size)\n\t\t%s\n", P, fail);
		if (a->is_string)
			fprintf(f, "\tif (((const char *)%s + _pos_%s)[%s->%sCnt - 1] != '\\0')\n\t\t%s\n",
				P, a->name, P, a->name, fail);
	}
	fprintf(f, "\tif (_MIG_ALIGN(_pos, 4) != %s->Head.msgh_size)\n\t\t%s\n", P, fail);
}

/* Declarations of the offsets msg_write_checks and the builders use. */
void msg_write_pos_decls(FILE *f, const struct routine *r, bool reply)
{
	const struct arg *a;

	if (!msg_first_var(r, reply))
		return;
	fprintf(f, "\tmach_msg_size_t _pos");
	for (a = r->args; a; a = a->next)
		if (a->cls == AC_VARARRAY && (reply ? a->in_rep : a->in_req))
			fprintf(f, ", _pos_%s", a->name);
	fprintf(f, ";\n");
}

/* Pointer to a variable array in message P, at its packed offset. */
char *msg_var_ptr(const struct arg *a, bool server, const char *P)
{
	return xasprintf("((%s *)(void *)((char *)%s + _pos_%s))",
			 arg_elem_cname(a, server), P, a->name);
}

/* ---------------------------------------------------------------- shared text */

void write_preamble(FILE *f, const char *what)
{
	fprintf(f, "/*\n * %s for the %s subsystem (%ld), generated by MachLine MIG\n"
		" * from its .defs file: do not edit. See Documentation/mig.rst.\n",
		what, mig_subsystem.name, mig_subsystem.base);
	if (mig_subsystem.rcsid)
		fprintf(f, " *\n * rcsid %s\n", mig_subsystem.rcsid);
	fprintf(f, " */\n");
}

void write_imports(FILE *f, int which)
{
	const struct import *i;

	for (i = mig_imports; i; i = i->next)
		if (i->which == 0 || i->which == which)
			fprintf(f, "#include %s\n", i->text);
}

/* Helpers every generated .c file carries: no runtime needed for them. */
void write_c_helpers(FILE *f)
{
	fprintf(f,
		"#include <mach/message.h>\n"
		"#include <mach/mig_errors.h>\n"
		"#include <mach/mig.h>\n"
		"\n"
		"#define _MIG_ALIGN(x, a) \\\n"
		"\t((mach_msg_size_t)(((x) + ((a) - 1)) & ~(mach_msg_size_t)((a) - 1)))\n"
		"/* Where field f of message type T ends, rounded up to 4 bytes. */\n"
		"#define _MIG_END(T, f) _MIG_ALIGN((mach_msg_size_t)(__builtin_offsetof(T, f) + \\\n"
		"\tsizeof(((T *)0)->f)), 4)\n"
		"#define _MIG_ERROR_SIZE _MIG_END(mig_reply_error_t, RetCode)\n"
		"#define _MIG_NULL ((void *)0)\n"
		"\n"
		"static inline __attribute__((unused))\n"
		"mach_msg_size_t _mig_strnlen(const char *s, mach_msg_size_t max)\n"
		"{\n"
		"\tmach_msg_size_t n = 0;\n\n"
		"\twhile (n < max && s[n])\n"
		"\t\tn++;\n"
		"\treturn n;\n"
		"}\n"
		"\n"
		"/* Copy at most max - 1 bytes and the NUL; zero the rest. */\n"
		"static inline __attribute__((unused))\n"
		"void _mig_strncpy(char *d, const char *s, mach_msg_size_t max)\n"
		"{\n"
		"\tmach_msg_size_t n = _mig_strnlen(s, max - 1);\n\n"
		"\t__builtin_memcpy(d, s, n);\n"
		"\t__builtin_memset(d + n, 0, max - n);\n"
		"}\n\n");
}

/* The size of each fixed inline item is the .defs file's: check the C type. */
void write_size_asserts(FILE *f, bool server)
{
	const struct routine *r;
	const struct arg *a;

	for (r = mig_routines; r; r = r->next) {
		if (r->skip)
			continue;
		for (a = r->args; a; a = a->next) {
			const struct mtype *t = a->type;

			if (a->cls != AC_DATA || t->basic < 0 || t->is_struct || t->bits < 8)
				continue;
			fprintf(f, "_Static_assert(sizeof(%s) == %u, \"%s: %s is %u bits in the .defs\");\n",
				arg_wire_cname(a, server), t->bits / 8, r->name, a->name, t->bits);
		}
	}
}
