/* SPDX-License-Identifier: MIT */
/*
 * MachLine MIG: the Mach Interface Generator (host tool).
 *
 *	lexer.l		tokens, with the positions cpp's line markers give
 *	parser.y	the .defs grammar; builds types and routines
 *	type.c		type declarations: what a type is on the wire
 *	routine.c	parameters: checks, and the layout of each message
 *	user.c		client stubs and the user header
 *	server.c	server stubs, the demultiplexer and the server header
 *	error.c		file:line:col: diagnostics
 *	mig.c		the command line, cpp, and writing the output files
 *
 * See Documentation/mig.rst for the language and the generated code.
 */
#ifndef MIGCOM_H
#define MIGCOM_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

struct loc {
	const char	*file;
	int		line;
	int		col;
};

/* ---------------------------------------------------------------- error.c */
void mig_error(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mig_warning(struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mig_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
extern int mig_errors;
void mig_cleanup(void);		/* remove half-written output */
extern bool mig_quiet;			/* -q: no warnings */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---------------------------------------------------------------- types */

/* The wire codes of <mach/message.h> that a .defs file may name. */
#define MT_PORT_NAME		15
#define MT_MOVE_RECEIVE		16
#define MT_MOVE_SEND		17
#define MT_MOVE_SEND_ONCE	18
#define MT_COPY_SEND		19
#define MT_MAKE_SEND		20
#define MT_MAKE_SEND_ONCE	21
#define MT_POLYMORPHIC		(-1)

/* What a type is on the wire. */
enum wire_kind {
	WK_DATA,	/* inline bytes of a fixed size (scalars, structs) */
	WK_PORT,	/* one right: a port descriptor */
	WK_ARRAY,	/* array[...] of something */
	WK_STRING,	/* c_string[N] / c_string[*:N] / MACH_MSG_TYPE_STRING */
};

struct mtype {
	char		*name;		/* NULL for an anonymous type */
	struct loc	loc;
	enum wire_kind	kind;
	bool		builtin;	/* predefined: may be redeclared */

	/* WK_DATA from a basic type: its MACH_MSG_TYPE_* and size */
	int		basic;		/* -1 if not basic */
	unsigned	bits;		/* size of one item in bits */
	bool		is_struct;	/* struct {...} or struct[N]: by value */

	/* WK_PORT: the disposition the sender uses and the name the
	 * receiver sees; MT_POLYMORPHIC for either means "chosen at run time". */
	int		send_disp;
	int		recv_disp;

	/* WK_ARRAY / WK_STRING */
	struct mtype	*elem;
	bool		variable;	/* [] or [*:N] */
	unsigned long	number;		/* [N] or the N of [*:N]; 0 for [] */
	bool		ool;		/* ^array: out of line */

	/* C names; any may be NULL */
	char		*ctype;
	char		*cusertype;
	char		*cservertype;
	char		*intran_type, *intran_fn;
	char		*outtran_type, *outtran_fn;
	char		*destructor;
	bool		dealloc;	/* (type, size, dealloc) long form */
};

struct mtype *type_lookup(const char *name);
void type_define(struct mtype *t, struct loc loc);
void type_init(void);
struct mtype *type_new(struct loc loc);
struct mtype *type_msgtype(const char *name, int code, unsigned bits, struct loc loc);
struct mtype *type_basic(int code, unsigned bits, struct loc loc);
struct mtype *type_port(int send, int recv, struct loc loc);
struct mtype *type_array(struct mtype *elem, bool variable, unsigned long n,
			 bool ool, struct loc loc);
struct mtype *type_struct_of(struct mtype *elem, unsigned long n, struct loc loc);
struct mtype *type_string(bool variable, unsigned long n, struct loc loc);
struct mtype *type_copy(const struct mtype *t, struct loc loc);
/* The C name of an element / of the type as user or server code sees it. */
const char *type_cname(const struct mtype *t);
const char *type_user_cname(const struct mtype *t);
const char *type_server_cname(const struct mtype *t);
bool type_is_port_array(const struct mtype *t);

/* ---------------------------------------------------------------- routines */

enum arg_kind {
	AK_IN, AK_OUT, AK_INOUT,
	AK_REQUESTPORT, AK_REPLYPORT, AK_SREPLYPORT, AK_UREPLYPORT,
	AK_WAITTIME, AK_SENDTIME, AK_MSGOPTION, AK_MSGSEQNO,
	AK_IGNORED,		/* XNU's audit/security tokens, impl args */
};

#define AF_DEALLOC	0x01
#define AF_NOTDEALLOC	0x02
#define AF_SERVERCOPY	0x04
#define AF_COUNTINOUT	0x08
#define AF_PHYSCOPY	0x10

/* How a parameter travels (decided in routine.c). */
enum arg_class {
	AC_NONE,	/* not in the message body */
	AC_DATA,	/* fixed inline, assigned (scalars, structs) */
	AC_FIXARRAY,	/* fixed inline array or string, copied */
	AC_VARARRAY,	/* inline, count + up to the bound */
	AC_OOL,		/* out-of-line memory descriptor */
	AC_PORT,	/* port descriptor */
	AC_OOLPORTS,	/* out-of-line ports descriptor */
	AC_PORTARRAY,	/* array[N] of rights: N port descriptors, as XNU's MIG */
};

struct arg {
	char		*name;
	struct loc	loc;
	enum arg_kind	kind;
	struct mtype	*type;
	unsigned	flags;
	enum arg_class	cls;
	bool		in_req, in_rep;	/* travels in request / reply */
	bool		poly;		/* a run-time disposition travels too */
	bool		is_string;
	bool		header;		/* the request or reply port */
	bool		implicit;	/* no kind given */
	struct arg	*next;
};

struct routine {
	char		*name;
	struct loc	loc;
	bool		simple;
	bool		skip;
	int		number;		/* offset from the subsystem base */
	struct arg	*args;
	struct arg	*reqport, *replyport; /* may be NULL */
	bool		req_complex, rep_complex;
	struct arg	*waittime, *sendtime, *msgoption;
	/* the global settings in force where the routine was declared */
	char		*wait_time_expr;
	char		*msg_option_expr;
	char		*user_prefix, *server_prefix;
	struct routine	*next;
};

struct subsystem {
	char		*name;
	long		base;
	bool		kernel_user, kernel_server;
	struct loc	loc;
	char		*server_demux;	/* serverdemux */
	char		*rcsid;
};

struct import {
	int		which;		/* 0 import, 1 uimport, 2 simport */
	char		*text;		/* <foo.h> or "foo.h" */
	struct import	*next;
};

extern struct subsystem mig_subsystem;
extern struct routine *mig_routines;
extern struct import *mig_imports;
extern int mig_routine_count;		/* including skips */
extern char *mig_user_prefix, *mig_server_prefix;
extern char *mig_wait_time, *mig_msg_option;

void routine_add(struct routine *r);
void routine_check(struct routine *r);
bool arg_is_user_param(const struct arg *a);
bool arg_is_server_param(const struct arg *a);

/* ---------------------------------------------------------------- message.c */
bool arg_travels(const struct arg *a, bool reply);
bool arg_is_descriptor(const struct arg *a);
int arg_descriptors(const struct arg *a);
const char *arg_elem_cname(const struct arg *a, bool server);
const char *arg_wire_cname(const struct arg *a, bool server);
const char *arg_server_cname(const struct arg *a, bool out);
bool arg_user_poly(const struct arg *a);
bool arg_server_poly(const struct arg *a);
void mig_param(FILE *f, bool *first, const char *fmt, const char *type, const char *name);
void arg_write_value_params(FILE *f, bool *first, const struct arg *a, const char *T,
			    bool out, bool poly);
const char *disp_name(int d);
void msg_write_struct(FILE *f, const struct routine *r, bool reply, bool server,
		      const char *tname);
const struct arg *msg_first_var(const struct routine *r, bool reply);
char *msg_size_fixed(const struct routine *r, bool reply, const char *tname);
char *msg_size_min(const struct routine *r, bool reply, const char *tname);
char *msg_size_max(const struct routine *r, bool reply, const char *tname);
void msg_write_checks(FILE *f, const struct routine *r, bool reply, bool server,
		      const char *P, const char *tname, const char *fail);
void msg_write_pos_decls(FILE *f, const struct routine *r, bool reply);
char *msg_var_ptr(const struct arg *a, bool server, const char *P);
void write_c_helpers(FILE *f);
void write_size_asserts(FILE *f, bool server);

/* ---------------------------------------------------------------- output */
void user_write_header(FILE *f);
void user_write_source(FILE *f);
void server_write_header(FILE *f);
void server_write_source(FILE *f);
void write_preamble(FILE *f, const char *what);
void write_imports(FILE *f, int which);

/* ---------------------------------------------------------------- lexer */
extern struct loc lex_loc;		/* the current token's position */
int yylex(void);
void lex_start(FILE *in, const char *name);
void lex_finish(void);
int yyparse(void);

#endif /* MIGCOM_H */
