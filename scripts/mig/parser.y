/* SPDX-License-Identifier: MIT */
/*
 * The .defs grammar: the language of GNU Mach's and XNU's interface
 * definitions (see Documentation/mig.rst). The first syntax error ends
 * the run; semantic errors are counted and reported as they are found.
 */
%{
#include <stdlib.h>
#include <string.h>
#include "migcom.h"

void yyerror(const char *msg);



static unsigned long expr_check(unsigned long long v, struct loc loc)
{
	if (v > 0xffffffffULL) {
		mig_error(loc, "constant expression overflows");
		return 0;
	}
	return (unsigned long)v;
}

/* Type modifiers gathered while parsing, applied to the declared type. */
struct tmods {
	char *ctype, *cusertype, *cservertype;
	char *intran_type, *intran_fn, *outtran_type, *outtran_fn, *destructor;
};

static void tmods_apply(struct mtype *t, const struct tmods *m)
{
	if (m->ctype) t->ctype = m->ctype;
	if (m->cusertype) t->cusertype = m->cusertype;
	if (m->cservertype) t->cservertype = m->cservertype;
	if (m->intran_fn) { t->intran_type = m->intran_type; t->intran_fn = m->intran_fn; }
	if (m->outtran_fn) { t->outtran_type = m->outtran_type; t->outtran_fn = m->outtran_fn; }
	if (m->destructor) t->destructor = m->destructor;
}

static struct tmods cur_mods;
static unsigned cur_arg_flags;
static struct routine *cur_routine;
static struct arg **arg_tail;

static struct arg *arg_new(enum arg_kind kind, char *name, struct loc loc)
{
	struct arg *a = xcalloc(1, sizeof(*a));

	a->kind = kind;
	a->name = name;
	a->loc = loc;
	return a;
}

static void routine_begin(char *name, bool simple, struct loc loc)
{
	struct routine *r = xcalloc(1, sizeof(*r));

	r->name = name;
	r->simple = simple;
	r->loc = loc;
	cur_routine = r;
	arg_tail = &r->args;
}

/* A type named in a declaration: a copy of it when modifiers follow. */
static struct mtype *named_type(char *name, struct loc loc)
{
	struct mtype *t = type_lookup(name);

	if (!t) {
		mig_error(loc, "unknown type '%s'", name);
		t = type_basic(2, 32, loc);	/* go on as if it were an int */
		t->name = name;
	}
	return t;
}
%}

%code requires {
/* Locations carry the file that cpp's line markers named. */
typedef struct YYLTYPE {
	int		first_line, first_column, last_line, last_column;
	const char	*file;
} YYLTYPE;
#define YYLTYPE_IS_DECLARED 1
#define YYLTYPE_IS_TRIVIAL 1
/* As bison's own, and the file too. */
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		if (n) {						\
			(cur) = YYRHSLOC(rhs, 1);			\
			(cur).last_line = YYRHSLOC(rhs, n).last_line;	\
			(cur).last_column = YYRHSLOC(rhs, n).last_column; \
		} else {						\
			(cur) = YYRHSLOC(rhs, 0);			\
			(cur).first_line = (cur).last_line;		\
			(cur).first_column = (cur).last_column;		\
		}							\
	} while (0)
}

%locations

%code {
static struct loc L(YYLTYPE y)
{
	struct loc l = { y.file, y.first_line, y.first_column };

	return l;
}
}

%union {
	char		*string;
	unsigned long	number;
	unsigned long long bignum;
	struct { int code; unsigned bits; const char *name; } msgtype;
	struct { unsigned bits; char *name; } flag;
	struct mtype	*type;
	struct arg	*arg;
	int		kind;
	struct { unsigned long n; int variable; } dims;
}

%token ROUTINE "routine" SIMPLEROUTINE "simpleroutine" SKIP "skip"
%token SUBSYSTEM "subsystem" KERNELUSER "KernelUser" KERNELSERVER "KernelServer"
%token TYPE "type" ARRAY "array" OF "of" STRUCT "struct" CSTRING "c_string"
%token POLYMORPHIC "polymorphic" CTYPE "ctype" CUSERTYPE "cusertype"
%token CSERVERTYPE "cservertype" INTRAN "intran" OUTTRAN "outtran"
%token DESTRUCTOR "destructor" INTRANPAYLOAD "intranpayload"
%token SERVERPREFIX "serverprefix" USERPREFIX "userprefix" SERVERDEMUX "serverdemux"
%token MSGOPTION "msgoption" WAITTIME "waittime" RCSID "rcsid"
%token IN "in" OUT "out" INOUT "inout" REQUESTPORT "requestport"
%token REPLYPORT "replyport" SREPLYPORT "sreplyport" UREPLYPORT "ureplyport"
%token SENDTIME "SendTime" MSGSEQNO "MsgSeqno"
%token ERRTOKEN "invalid token"
%token <number> IMPORT "import" NUMBER "number"
%token <string> IDENT "identifier" STRING "string" FILENAME "file name"
%token <string> IGNOREDKIND "parameter kind" IGNOREDSTMT "statement"
%token <msgtype> MSGTYPE "MACH_MSG_TYPE_ name"
%token <flag> FLAG "flag"

%type <bignum> expr
%type <type> type_spec type_base arg_type
%type <kind> arg_kind
%type <string> cname time_value
%type <dims> dims
%type <arg> arg

%left '+' '-'
%left '*' '/'

%define parse.error verbose

%%

file:	  %empty
	| file statement
	;

statement:
	  subsystem ';'
	| type_decl ';'
	| routine ';'
	| SKIP ';'
		{
			struct routine *r = xcalloc(1, sizeof(*r));
			r->skip = true;
			r->loc = L(@1);
			routine_add(r);
		}
	| IMPORT FILENAME ';'
		{
			struct import *i = xcalloc(1, sizeof(*i)), **p;
			i->which = (int)$1;
			i->text = $2;
			for (p = &mig_imports; *p; p = &(*p)->next)
				;
			*p = i;
		}
	| USERPREFIX IDENT ';'		{ mig_user_prefix = $2; }
	| SERVERPREFIX IDENT ';'	{ mig_server_prefix = $2; }
	| SERVERDEMUX IDENT ';'		{ mig_subsystem.server_demux = $2; }
	| WAITTIME time_value ';'	{ mig_wait_time = $2; }
	| MSGOPTION IDENT ';'		{ mig_msg_option = $2; }
	| MSGOPTION NUMBER ';'		{ mig_msg_option = xasprintf("%lu", $2); }
	| RCSID STRING ';'		{ mig_subsystem.rcsid = $2; }
	| IGNOREDSTMT ignored_words ';'
		{ mig_warning(L(@$), "'%s' has no meaning in MachLine; ignored", $1); }
	| ';'
	;

ignored_words: %empty | ignored_words IDENT | ignored_words NUMBER ;

time_value: IDENT { $$ = $1; } | NUMBER { $$ = xasprintf("%lu", $1); } ;

subsystem:
	  SUBSYSTEM sub_mods IDENT expr
		{
			if (mig_subsystem.name)
				mig_error(L(@1), "a second subsystem statement (the first named '%s')",
					  mig_subsystem.name);
			mig_subsystem.name = $3;
			mig_subsystem.base = (long)expr_check($4, L(@4));
			mig_subsystem.loc = L(@3);
		}
	;

sub_mods: %empty
	| sub_mods KERNELUSER	{ mig_subsystem.kernel_user = true; }
	| sub_mods KERNELSERVER	{ mig_subsystem.kernel_server = true; }
	;

expr:	  NUMBER		{ $$ = $1; }
	| '(' expr ')'		{ $$ = $2; }
	| expr '+' expr		{ $$ = expr_check($1 + $3, L(@$)); }
	| expr '-' expr
		{
			if ($3 > $1) {
				mig_error(L(@$), "negative constant expression");
				$$ = 0;
			} else {
				$$ = $1 - $3;
			}
		}
	| expr '*' expr		{ $$ = expr_check($1 * $3, L(@$)); }
	| expr '/' expr
		{
			if (!$3) {
				mig_error(L(@$), "division by zero");
				$$ = 0;
			} else {
				$$ = $1 / $3;
			}
		}
	;

/* ------------------------------------------------------------------ types */

type_decl:
	  TYPE IDENT '=' { memset(&cur_mods, 0, sizeof(cur_mods)); } type_spec type_mods
		{
			struct mtype *t = type_copy($5, L(@$));
			t->name = $2;
			t->builtin = false;
			/* A new name is a new C type unless ctype says otherwise. */
			t->ctype = NULL;
			t->cusertype = NULL;
			t->cservertype = NULL;
			tmods_apply(t, &cur_mods);
			type_define(t, L(@2));
		}
	;

type_spec:
	  type_base			{ $$ = $1; }
	| '^' type_spec
		{
			if ($2->kind != WK_ARRAY) {
				/* XNU's "^ T": one T, out of line */
				$$ = type_array($2, false, 1, true, L(@$));
			} else {
				$$ = type_copy($2, L(@$));
				$$->name = NULL;
				$$->ool = true;
			}
		}
	| ARRAY '[' dims ']' OF type_spec
		{ $$ = type_array($6, $3.variable, $3.n, false, L(@$)); }
	| STRUCT '[' expr ']' OF type_spec
		{ $$ = type_struct_of($6, expr_check($3, L(@$)), L(@$)); }
	| STRUCT '{' struct_fields '}'
		{
			$$ = type_new(L(@$));
			$$->kind = WK_DATA;
			$$->is_struct = true;
		}
	| CSTRING '[' expr ']'		{ $$ = type_string(false, expr_check($3, L(@$)), L(@$)); }
	| CSTRING '[' '*' ':' expr ']'	{ $$ = type_string(true, expr_check($5, L(@$)), L(@$)); }
	;

type_base:
	  IDENT			{ $$ = named_type($1, L(@1)); }
	| MSGTYPE		{ $$ = type_msgtype($1.name, $1.code, $1.bits, L(@$)); }
	| POLYMORPHIC		{ $$ = type_port(MT_POLYMORPHIC, MT_POLYMORPHIC, L(@$)); }
	| MSGTYPE '|' MSGTYPE	{ $$ = type_port($1.code, $3.code, L(@$)); }
	| MSGTYPE '|' POLYMORPHIC { $$ = type_port($1.code, MT_POLYMORPHIC, L(@$)); }
	| POLYMORPHIC '|' MSGTYPE { $$ = type_port(MT_POLYMORPHIC, $3.code, L(@$)); }
	| '(' MSGTYPE ',' expr long_dealloc ')'
		{
			unsigned long bits = expr_check($4, L(@$));
			if ($2.code == 12) {	/* MACH_MSG_TYPE_STRING */
				mig_warning(L(@$), "(MACH_MSG_TYPE_%s, %lu) is a typed-message string: "
					    "sent as c_string[%lu]", $2.name, bits, bits / 8);
				$$ = type_string(false, bits / 8, L(@$));
			} else if ($2.code >= MT_PORT_NAME || $2.code == MT_POLYMORPHIC) {
				$$ = type_basic($2.code, $2.bits, L(@$));
			} else if (bits != $2.bits) {
				if (bits == 0 || bits % 8) {
					mig_error(L(@$), "a size of %lu bits cannot be sent untyped", bits);
					bits = 32;
				} else if ($2.bits) {
					mig_warning(L(@$), "(MACH_MSG_TYPE_%s, %lu): the size given wins",
						    $2.name, bits);
				}
				$$ = type_basic($2.code, (unsigned)bits, L(@$));
			} else {
				$$ = type_basic($2.code, $2.bits, L(@$));
			}
		}
	;

long_dealloc: %empty
	| ',' FLAG
		{
			mig_warning(L(@$), "'%s' in a long-form type has no meaning for inline data; ignored",
				    $2.name);
		}
	;

dims:	  %empty		{ $$.n = 0; $$.variable = 1; }
	| '*'			{ $$.n = 0; $$.variable = 1; }
	| expr			{ $$.n = expr_check($1, L(@$)); $$.variable = 0; }
	| '*' ':' expr		{ $$.n = expr_check($3, L(@$)); $$.variable = 1; }
	;

struct_fields: %empty
	| struct_fields IDENT IDENT ';'
	| struct_fields IDENT IDENT '[' expr ']' ';'
	;

type_mods: %empty
	| type_mods type_mod
	;

type_mod:
	  CTYPE ':' cname		{ cur_mods.ctype = $3; }
	| CUSERTYPE ':' cname		{ cur_mods.cusertype = $3; }
	| CSERVERTYPE ':' cname		{ cur_mods.cservertype = $3; }
	| INTRAN ':' cname IDENT '(' cname ')'
		{ cur_mods.intran_type = $3; cur_mods.intran_fn = $4; }
	| OUTTRAN ':' cname IDENT '(' cname ')'
		{ cur_mods.outtran_type = $6; cur_mods.outtran_fn = $4; }	/* wire fn(server) */
	| DESTRUCTOR ':' IDENT '(' cname ')'
		{ cur_mods.destructor = $3; }
	| INTRANPAYLOAD ':' cname IDENT '(' cname ')'
		{
			mig_warning(L(@1), "intranpayload (protected payloads) does not exist in "
				    "MachLine; '%s' is not used", $4);
		}
	;

cname:	  IDENT			{ $$ = $1; }
	| cname '*'		{ $$ = xasprintf("%s *", $1); }
	;

/* ------------------------------------------------------------------ routines */

routine:
	  ROUTINE IDENT { routine_begin($2, false, L(@2)); } '(' args ')'
		{ routine_add(cur_routine); }
	| SIMPLEROUTINE IDENT { routine_begin($2, true, L(@2)); } '(' args ')'
		{ routine_add(cur_routine); }
	;

args:	  %empty
	| arg_list
	| arg_list ';'
	;

arg_list: arg			{ *arg_tail = $1; arg_tail = &$1->next; }
	| arg_list ';' arg	{ *arg_tail = $3; arg_tail = &$3->next; }
	;

arg:	  arg_kind IDENT ':' { memset(&cur_mods, 0, sizeof(cur_mods)); } arg_type arg_flags
		{
			$$ = arg_new($1 < 0 ? AK_IN : (enum arg_kind)$1, $2, L(@2));
			$$->implicit = $1 < 0;
			$$->type = $5;
			$$->flags = cur_arg_flags;
			cur_arg_flags = 0;
		}
	| IGNOREDKIND IDENT ':' { memset(&cur_mods, 0, sizeof(cur_mods)); } arg_type arg_flags
		{
			mig_warning(L(@1), "'%s' has no meaning in MachLine: parameter '%s' is left out",
				    $1, $2);
			$$ = arg_new(AK_IGNORED, $2, L(@2));
			$$->type = $5;
			cur_arg_flags = 0;
		}
	;

arg_kind: %empty		{ $$ = -1; }
	| IN			{ $$ = AK_IN; }
	| OUT			{ $$ = AK_OUT; }
	| INOUT			{ $$ = AK_INOUT; }
	| REQUESTPORT		{ $$ = AK_REQUESTPORT; }
	| REPLYPORT		{ $$ = AK_REPLYPORT; }
	| SREPLYPORT		{ $$ = AK_SREPLYPORT; }
	| UREPLYPORT		{ $$ = AK_UREPLYPORT; }
	| WAITTIME		{ $$ = AK_WAITTIME; }
	| SENDTIME		{ $$ = AK_SENDTIME; }
	| MSGOPTION		{ $$ = AK_MSGOPTION; }
	| MSGSEQNO		{ $$ = AK_MSGSEQNO; }
	;

arg_type:
	  IDENT type_mods
		{
			$$ = named_type($1, L(@1));
			if (cur_mods.ctype || cur_mods.cusertype || cur_mods.cservertype ||
			    cur_mods.intran_fn || cur_mods.outtran_fn || cur_mods.destructor) {
				$$ = type_copy($$, L(@$));
				tmods_apply($$, &cur_mods);
			}
		}
	| IDENT '=' type_spec type_mods
		{
			struct mtype *t = type_copy($3, L(@$));
			t->name = $1;
			t->ctype = NULL;
			t->cusertype = NULL;
			t->cservertype = NULL;
			tmods_apply(t, &cur_mods);
			if (!type_lookup($1))
				type_define(t, L(@1));
			$$ = t;
		}
	| ARRAY '[' dims ']' OF type_spec type_mods
		{
			$$ = type_array($6, $3.variable, $3.n, false, L(@$));
			tmods_apply($$, &cur_mods);
		}
	| '^' type_spec type_mods
		{
			if ($2->kind != WK_ARRAY) {
				$$ = type_array($2, false, 1, true, L(@$));
				tmods_apply($$, &cur_mods);
			} else {
				$$ = type_copy($2, L(@$));
				$$->name = NULL;
				$$->ool = true;
				tmods_apply($$, &cur_mods);
			}
		}
	| MSGTYPE type_mods
		{
			$$ = type_basic($1.code, $1.bits, L(@$));
			tmods_apply($$, &cur_mods);
		}
	| POLYMORPHIC type_mods
		{
			$$ = type_port(MT_POLYMORPHIC, MT_POLYMORPHIC, L(@$));
			tmods_apply($$, &cur_mods);
		}
	;

arg_flags: %empty
	| arg_flags ',' FLAG			{ cur_arg_flags |= $3.bits; }
	| arg_flags ',' FLAG '[' ']'		{ cur_arg_flags |= $3.bits; }
	;

%%

void yyerror(const char *msg)
{
	const char *p = msg;

	/* Bison says "syntax error, unexpected X, expecting Y or Z". */
	if (!strncmp(p, "syntax error, ", 14))
		p += 14;
	/* The lexer has already said what is wrong with a stray character. */
	if (yychar == ERRTOKEN) {
		mig_errors++;
		return;
	}
	struct loc l = { yylloc.file, yylloc.first_line, yylloc.first_column };

	if (!l.file)
		l = lex_loc;
	mig_error(l, "%s", p);
}
