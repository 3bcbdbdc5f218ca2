// SPDX-License-Identifier: MIT
/*
 * Types: what a declared name is on the wire. MachLine's inline data is
 * untyped, so a type is only a C name with a size (checked by the C
 * compiler against the declaration), a port right, or an array or string
 * with its bound and placement (inline or out of line).
 */
#include <stdlib.h>
#include <string.h>
#include "migcom.h"

struct type_entry {
	struct mtype		*type;
	struct type_entry	*next;
};

#define TYPE_HASH	256
static struct type_entry *type_table[TYPE_HASH];

static unsigned type_hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % TYPE_HASH;
}

struct mtype *type_lookup(const char *name)
{
	struct type_entry *e;

	for (e = type_table[type_hash(name)]; e; e = e->next)
		if (!strcmp(e->type->name, name))
			return e->type;
	return NULL;
}

void type_define(struct mtype *t, struct loc loc)
{
	unsigned h = type_hash(t->name);
	struct type_entry *e;

	for (e = type_table[h]; e; e = e->next) {
		if (strcmp(e->type->name, t->name))
			continue;
		/* As in Mach's and GNU's MIG: the new declaration wins. */
		if (!e->type->builtin)
			mig_warning(loc, "type '%s' redefined; the previous definition (at %s:%d) "
				    "is overridden", t->name, e->type->loc.file, e->type->loc.line);
		e->type = t;
		return;
	}
	e = xcalloc(1, sizeof(*e));
	e->type = t;
	e->next = type_table[h];
	type_table[h] = e;
}

struct mtype *type_new(struct loc loc)
{
	struct mtype *t = xcalloc(1, sizeof(*t));

	t->loc = loc;
	t->basic = -1;
	return t;
}

struct mtype *type_copy(const struct mtype *from, struct loc loc)
{
	struct mtype *t = type_new(loc);

	*t = *from;
	t->loc = loc;
	t->builtin = false;
	/* The copy is a new type; its C name is that of the original. */
	if (!t->ctype)
		t->ctype = from->name;
	return t;
}

/* The name a receiver sees for a right sent with disposition d. */
static int disp_received(int d)
{
	switch (d) {
	case MT_MOVE_RECEIVE:
		return MT_MOVE_RECEIVE;
	case MT_MOVE_SEND:
	case MT_COPY_SEND:
	case MT_MAKE_SEND:
		return MT_MOVE_SEND;
	case MT_MOVE_SEND_ONCE:
	case MT_MAKE_SEND_ONCE:
		return MT_MOVE_SEND_ONCE;
	default:
		return d;
	}
}

static bool disp_is_right(int d)
{
	return d == MT_POLYMORPHIC || (d >= MT_MOVE_RECEIVE && d <= MT_MAKE_SEND_ONCE);
}

struct mtype *type_port(int send, int recv, struct loc loc)
{
	struct mtype *t = type_new(loc);

	if (!disp_is_right(send) || !disp_is_right(recv)) {
		mig_error(loc, "'|' joins two port dispositions (MACH_MSG_TYPE_MOVE_SEND ... or polymorphic)");
		send = recv = MT_COPY_SEND;
	}
	t->kind = WK_PORT;
	t->send_disp = send;
	t->recv_disp = disp_received(recv);
	t->ctype = "mach_port_t";
	return t;
}

/*
 * A type named by one MACH_MSG_TYPE_ name. The PORT_RECEIVE, PORT_SEND and
 * PORT_SEND_ONCE names are what a receiver gets: as in Mach's MIG, the
 * sender of such a type chooses the disposition at run time (a Poly
 * argument), and the receiver sees the named right.
 */
struct mtype *type_msgtype(const char *name, int code, unsigned bits, struct loc loc)
{
	if (!strncmp(name, "PORT_", 5) && strcmp(name, "PORT_NAME"))
		return type_port(MT_POLYMORPHIC, code, loc);
	return type_basic(code, bits, loc);
}

struct mtype *type_basic(int code, unsigned bits, struct loc loc)
{
	struct mtype *t;

	if (code == MT_POLYMORPHIC || (code >= MT_MOVE_RECEIVE && code <= MT_MAKE_SEND_ONCE))
		return type_port(code, code, loc);
	if (code == 12) {
		mig_error(loc, "MACH_MSG_TYPE_STRING needs a size: use c_string[N]");
		return type_string(false, 1, loc);
	}
	t = type_new(loc);
	t->kind = WK_DATA;
	t->basic = code;
	if (code == MT_PORT_NAME) {
		t->bits = 32;
		t->ctype = "mach_port_name_t";
		return t;
	}
	if (bits == 1) {
		mig_warning(loc, "MACH_MSG_TYPE_BIT: single bits cannot be sent untyped; sent as a 32-bit boolean_t");
		bits = 32;
	}
	if (!bits) {
		mig_error(loc, "this MACH_MSG_TYPE_ needs a size: (MACH_MSG_TYPE_..., bits)");
		bits = 32;
	}
	t->bits = bits;
	return t;
}

struct mtype *type_array(struct mtype *elem, bool variable, unsigned long n,
			 bool ool, struct loc loc)
{
	struct mtype *t = type_new(loc);

	t->kind = WK_ARRAY;
	t->elem = elem;
	t->variable = variable;
	t->number = n;
	t->ool = ool;
	if (!variable && !n)
		mig_error(loc, "a fixed array needs a size of at least 1");
	if (elem->kind == WK_ARRAY && !elem->name)
		mig_error(loc, "an array of an unnamed array: declare the element type first");
	return t;
}

struct mtype *type_struct_of(struct mtype *elem, unsigned long n, struct loc loc)
{
	struct mtype *t = type_new(loc);

	t->kind = WK_DATA;
	t->is_struct = true;
	t->elem = elem;
	t->number = n;
	if (!n)
		mig_error(loc, "struct[N] needs N of at least 1");
	if (elem->kind != WK_DATA)
		mig_error(loc, "struct[N] of a port, array or string is not supported");
	else if (elem->basic >= 0 && !elem->is_struct && elem->bits)
		t->bits = (unsigned)(n * elem->bits);
	return t;
}

struct mtype *type_string(bool variable, unsigned long n, struct loc loc)
{
	struct mtype *t = type_new(loc);

	t->kind = WK_STRING;
	t->variable = variable;
	t->number = n;
	t->elem = type_lookup("char");
	t->ctype = "char *";
	if (!n)
		mig_error(loc, "a string needs room for at least its NUL");
	return t;
}

/* The C name of a basic type with no name of its own. */
static const char *basic_cname(const struct mtype *t)
{
	switch (t->basic) {
	case MT_PORT_NAME:
		return "mach_port_name_t";
	case 10:
		return t->bits == 64 ? "double" : "float";
	case 0:
		if (t->bits == 32)
			return "boolean_t";
		break;
	default:
		break;
	}
	switch (t->bits) {
	case 8:
		return "char";
	case 16:
		return "short";
	case 32:
		return "int";
	case 64:
		return "long long";
	default:
		return "int";
	}
}

const char *type_cname(const struct mtype *t)
{
	if (t->ctype)
		return t->ctype;
	if (t->name)
		return t->name;
	if (t->kind == WK_PORT)
		return "mach_port_t";
	if (t->kind == WK_DATA && t->basic >= 0)
		return basic_cname(t);
	return "void *";
}

const char *type_user_cname(const struct mtype *t)
{
	return t->cusertype ? t->cusertype : type_cname(t);
}

const char *type_server_cname(const struct mtype *t)
{
	return t->cservertype ? t->cservertype : type_cname(t);
}

bool type_is_port_array(const struct mtype *t)
{
	return t->kind == WK_ARRAY && t->elem && t->elem->kind == WK_PORT;
}

/* What every .defs may use without declaring it (XNU's std_types.defs
 * declares these itself: a builtin may be redeclared). The exact-width
 * integers let XNU's machine_types.defs, which std_types.defs includes
 * after declaring them, be read on its own. */
void type_init(void)
{
	static const struct { const char *name; int code; unsigned bits; } builtins[] = {
		{ "char", 8, 8 }, { "short", 1, 16 }, { "int", 2, 32 },
		{ "int8_t", 9, 8 }, { "uint8_t", 9, 8 }, { "int16_t", 1, 16 },
		{ "uint16_t", 1, 16 }, { "int32_t", 2, 32 }, { "uint32_t", 2, 32 },
		{ "int64_t", 11, 64 }, { "uint64_t", 11, 64 },
	};
	struct loc none = { "<builtin>", 0, 0 };
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		struct mtype *t = type_basic(builtins[i].code, builtins[i].bits, none);

		t->name = (char *)builtins[i].name;
		t->builtin = true;
		type_define(t, none);
	}
}
