#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
every_routine.py: every routine of every interface through the loopback.

For each .defs file given, MIG (the binary given) generates the client and
the server; this script reads the .defs itself (after cpp, with the flags
mig gets) to know what each parameter is on the wire (scalar, struct, fixed
or variable array and its bound, string, out-of-line data, port right and
its disposition), and the generated headers for the C prototypes, and
writes a test program per interface:

  <b>_srv.c   the server routines: each checks every argument against the
              pattern the client sent (bytes, counts, strings, port names,
              the received disposition of a polymorphic right) and fills
              every result with another pattern;
  <b>_cli.c   the client stubs (renamed u_<routine> so that both sides link
              into one program) called for every routine in several rounds:
              variable arrays and strings at 0, 1, their bound and one size
              between (unbounded arrays at 0, 1, 3 and 300 elements), each
              disposition a polymorphic right can be sent with, then a round
              where the server routine fails and its code must come back.

Each is linked with tests/loopback.c under -fsanitize=address,undefined and
run. A parameter the loopback cannot carry or the script does not know is
named in a "not exercised:" line, never skipped silently; KNOWN_FAILURES
lists routines MIG gets wrong today, with the reason.

Usage: every_routine.py --mig MIG --work DIR --cc CC --jobs N
         [--cflags FLAGS] [--defs-flags FLAGS --inc FLAGS FILE.defs...]...
(each --defs-flags/--inc applies to the .defs files that follow it).
Ends with "every-routine: N routines in M interfaces, all intact" (exit 0)
or the failures (exit 1).
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

# Routines MIG gets wrong today: "iface/routine": "reason". The test still
# runs them; a failure there is reported as known, a pass as a surprise.
KNOWN_FAILURES = {
}

ROUNDS = 6          # rounds with a successful server routine
ERR_CODE = 0x4e0    # + routine index: what the failing round's server returns

SEND_DISPS = {
    'COPY_SEND': 'PORT_SEND', 'MAKE_SEND': 'PORT_SEND', 'MOVE_SEND': 'PORT_SEND',
    'MAKE_SEND_ONCE': 'PORT_SEND_ONCE', 'MOVE_SEND_ONCE': 'PORT_SEND_ONCE',
    'MOVE_RECEIVE': 'PORT_RECEIVE',
}
ALL_DISPS = ['COPY_SEND', 'MAKE_SEND', 'MOVE_SEND', 'MAKE_SEND_ONCE',
             'MOVE_SEND_ONCE', 'MOVE_RECEIVE']
RECEIVED = ('PORT_SEND', 'PORT_SEND_ONCE', 'PORT_RECEIVE')

INT_SIZES = {
    'INTEGER_8': 1, 'CHAR': 1, 'BYTE': 1, 'UNSTRUCTURED': 1, 'INTEGER_16': 2,
    'INTEGER_32': 4, 'BOOLEAN': 4, 'REAL_32': 4, 'PORT_NAME': 4, 'BIT': 4,
    'INTEGER_64': 8, 'REAL_64': 8,
}


class DefsError(Exception):
    pass


# ------------------------------------------------------------------ .defs

class Type:
    """What a .defs type is on the wire.

    kind: int (size, align), struct (size, align), fixarr (n, elem),
    vararr (bound, elem: inline with a count), ool (bound or None, elem,
    fixed n if fixed), cstr (n, var), port (send, recv).
    """

    def __init__(self, kind, **kw):
        self.kind = kind
        self.size = 0
        self.align = 1
        self.n = None
        self.bound = None
        self.elem = None
        self.var = False
        self.send = None
        self.recv = None
        self.fixed = None
        self.translated = False
        self.__dict__.update(kw)

    def copy(self):
        t = Type(self.kind)
        t.__dict__.update(self.__dict__)
        return t

    def is_port(self):
        return self.kind == 'port'


def tokenize(text):
    toks = re.findall(r'"[^"]*"|<[^<>;\s]*>|0[xX][0-9a-fA-F]+|\d+|[A-Za-z_]\w*|\S', text)
    return toks


class Parser:
    MODIFIERS = ('ctype', 'cusertype', 'cservertype', 'intran', 'outtran',
                 'destructor', 'intranpayload', 'outtranpayload')

    def __init__(self, text):
        self.t = tokenize(text)
        self.i = 0
        self.types = {'char': Type('int', size=1, align=1),
                      'short': Type('int', size=2, align=2),
                      'int': Type('int', size=4, align=4)}
        self.routines = []
        self.subsystem = None
        self.msgid = 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else None

    def next(self):
        tok = self.peek()
        if tok is None:
            raise DefsError('unexpected end of file')
        self.i += 1
        return tok

    def expect(self, tok):
        got = self.next()
        if got.lower() != tok.lower():
            raise DefsError('expected %r, got %r' % (tok, got))

    def skip_statement(self):
        while self.next() != ';':
            pass

    def expr(self):
        """A constant: numbers with + - * / and parentheses."""
        s = ''
        depth = 0
        while True:
            tok = self.peek()
            if tok in (']', ',', ';') or (tok == ')' and depth == 0):
                break
            if tok == '(':
                depth += 1
            elif tok == ')':
                depth -= 1
            elif not re.match(r'^(0[xX][0-9a-fA-F]+|\d+|[-+*/])$', tok):
                raise DefsError('not a constant: %r' % tok)
            s += self.next()
        return int(eval(s.replace('/', '//'), {}, {}))

    def parse(self):
        while self.peek() is not None:
            kw = self.next().lower()
            if kw == 'subsystem':
                toks = []
                while self.peek() != ';':
                    toks.append(self.next())
                self.next()
                self.subsystem = toks[-2]
                self.msgid = int(toks[-1], 0)
            elif kw == 'type':
                name = self.next()
                self.expect('=')
                t = self.spec()
                self.expect(';')
                self.types[name] = t
            elif kw in ('routine', 'simpleroutine'):
                self.routine(kw == 'simpleroutine')
            elif kw == 'skip':
                self.expect(';')
                self.msgid += 1
            elif kw == ';':
                pass
            else:
                self.skip_statement()

    def builtin(self, name):
        n = name[len('MACH_MSG_TYPE_'):].upper()
        if n in INT_SIZES:
            s = INT_SIZES[n]
            return Type('int', size=s, align=s)
        if n in SEND_DISPS:
            return Type('port', send=n, recv=SEND_DISPS[n])
        if n in RECEIVED:
            return Type('port', send='poly', recv=n)
        if n == 'POLYMORPHIC':
            return Type('port', send='poly', recv='poly')
        raise DefsError('unknown builtin %s' % name)

    def base(self):
        tok = self.next()
        low = tok.lower()
        if tok == '(':
            name = self.next()
            self.expect(',')
            bits = self.expr()
            if self.peek() == ',':
                self.next()
                self.next()
            self.expect(')')
            if name.upper() in ('MACH_MSG_TYPE_STRING', 'MACH_MSG_TYPE_STRING_C'):
                return Type('cstr', n=bits // 8, size=bits // 8)
            t = self.builtin(name)
            if t.kind == 'int':
                t.size = t.align = bits // 8
            return t
        if low == 'array':
            return self.array(False)
        if tok == '^':
            if self.peek().lower() == 'array':
                self.next()
                return self.array(True)
            e = self.base()
            return Type('ool', n=1, fixed=1, elem=e)
        if low == 'struct':
            if self.peek() == '[':
                self.next()
                n = self.expr()
                self.expect(']')
                self.expect('of')
                e = self.base()
                return Type('struct', size=n * e.size, align=e.align)
            self.expect('{')
            off = 0
            al = 1
            while self.peek() != '}':
                e = self.spec()
                self.next()                     # the member's name
                while self.peek() == '[':       # a member array: name[n]
                    self.next()
                    e = Type('struct', size=e.size * self.expr(), align=e.align)
                    self.expect(']')
                self.expect(';')
                off = (off + e.align - 1) // e.align * e.align + e.size
                al = max(al, e.align)
            self.next()
            return Type('struct', size=(off + al - 1) // al * al, align=al)
        if low == 'c_string':
            self.expect('[')
            var = False
            if self.peek() == '*':
                self.next()
                self.expect(':')
                var = True
            n = self.expr()
            self.expect(']')
            return Type('cstr', n=n, var=var, size=n)
        if low == 'polymorphic':
            return Type('port', send='poly', recv='poly')
        if tok in self.types:
            return self.types[tok].copy()
        if tok.startswith('MACH_MSG_TYPE_'):
            return self.builtin(tok)
        raise DefsError('unknown type %r' % tok)

    def array(self, ool):
        self.expect('[')
        bound = None
        fixed = None
        if self.peek() == ']':
            pass
        elif self.peek() == '*':
            self.next()
            self.expect(':')
            bound = self.expr()
        else:
            fixed = self.expr()
        self.expect(']')
        self.expect('of')
        e = self.base()
        if e.is_port():     # any array of rights travels as OOL ports
            return Type('portarr', bound=bound if fixed is None else fixed,
                        fixed=fixed, elem=e, send=e.send, recv=e.recv)
        if ool or (bound is None and fixed is None):
            return Type('ool', bound=bound if fixed is None else fixed, fixed=fixed, elem=e)
        if fixed is not None:
            return Type('fixarr', n=fixed, elem=e, size=fixed * e.size, align=e.align)
        return Type('vararr', bound=bound, elem=e)

    def spec(self):
        t = self.base()
        if self.peek() == '|':
            self.next()
            r = self.base()
            if not (t.is_port() and r.is_port()):
                raise DefsError('A | B of non-ports')
            t = Type('port', send=t.send, recv=r.recv,
                     send_set=disp_set(t.send, t.recv))
        while self.peek() is not None and self.peek().lower() in self.MODIFIERS:
            m = self.next().lower()
            self.expect(':')
            if m in ('intran', 'outtran', 'destructor', 'intranpayload', 'outtranpayload'):
                if m in ('intran', 'outtran', 'destructor'):
                    t.translated = True
                depth = 0
                while True:
                    tok = self.next()
                    if tok == '(':
                        depth += 1
                    elif tok == ')':
                        depth -= 1
                        if depth == 0:
                            break
            else:
                while self.peek() not in (';', ',', ')') and \
                        self.peek().lower() not in self.MODIFIERS:
                    self.next()
        return t

    def routine(self, simple):
        name = self.next()
        self.expect('(')
        params = []
        while self.peek() != ')':
            kind = 'in'
            if self.peek(1) != ':':
                kind = self.next().lower()
            pname = self.next()
            self.expect(':')
            if self.peek(1) == '=':     # name : newtype = spec
                self.next()
                self.next()
            t = self.spec()
            flags = []
            while self.peek() == ',':
                self.next()
                flags.append(self.next().lower())
                if self.peek() == '[':          # GNU's Dealloc[]
                    while self.next() != ']':
                        pass
            params.append({'name': pname, 'kind': kind, 'type': t, 'flags': flags})
            if self.peek() == ';':
                self.next()
        self.expect(')')
        self.expect(';')
        if params and not any(p['kind'] == 'requestport' for p in params) \
                and params[0]['kind'] == 'in':
            params[0]['kind'] = 'requestport'
        self.routines.append({'name': name, 'simple': simple, 'params': params,
                              'id': self.msgid})
        self.msgid += 1


def disp_set(send, recv):
    """The dispositions a sender may pick for a right of this type."""
    if send != 'poly':
        return [send]
    if recv == 'poly':
        return list(ALL_DISPS)
    return [d for d in ALL_DISPS if SEND_DISPS[d] == recv]


# ------------------------------------------------------------------ headers

def parse_header(path):
    """{routine: (C name, [(ctype, name)])} from a generated header."""
    text = open(path).read()
    out = {}
    for m in re.finditer(r'/\* (?:simple)?routine (\w+) \(msgh_id \d+\) \*/\n'
                         r'kern_return_t (\w+)\(\n(.*?)\);\n', text, re.S):
        params = []
        for line in m.group(3).split('\n'):
            line = line.strip().rstrip(',')
            if not line or line == 'void':
                continue
            pm = re.match(r'^(.*?)(\w+)$', line)
            params.append((pm.group(1).strip(), pm.group(2)))
        out[m.group(1)] = (m.group(2), params)
    return out


# ------------------------------------------------------------------ C generation

COMMON = r'''
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loopback.h"

struct er_state {
	int routine;		/* the routine being called */
	int round;
	int called;		/* times its server routine ran */
	kern_return_t ret;	/* what the server routine returns */
	void *srv_mem[16];	/* out-of-line results the server lent */
	int nsrv_mem;
	int check_reply;	/* a replyport/ureplyport parameter: */
	mach_port_t want_reply;	/* the request's reply port must be it */
	mach_msg_type_name_t want_reply_disp;
	int reply_seen;
};
extern struct er_state er;
extern int er_failed;
void er_fail(const char *routine, const char *what, int round);

static inline unsigned char er_byte(unsigned seed, size_t i)
{
	uint32_t x = seed * 2654435761u + (uint32_t)i * 40503u + 0x9e37u;

	x ^= x >> 13;
	x *= 0x5bd1e995u;
	x ^= x >> 15;
	return (unsigned char)x;
}

static inline void er_fill(void *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		((unsigned char *)p)[i] = er_byte(seed, i);
}

static inline int er_ok(const void *p, size_t n, unsigned seed)
{
	size_t i;

	if (n && !p)
		return 0;
	for (i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != er_byte(seed, i))
			return 0;
	return 1;
}

static inline void er_str(char *p, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (char)('a' + er_byte(seed, i) % 26);
	p[len] = 0;
}

static inline int er_str_ok(const char *p, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (char)('a' + er_byte(seed, i) % 26))
			return 0;
	return p[len] == 0;
}

static inline mach_port_t er_port(unsigned seed)
{
	return (mach_port_t)(0x100 + (er_byte(seed, 0) | er_byte(seed, 1) << 8));
}

static inline void er_ports(mach_port_t *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = er_port(seed + 7919u * (unsigned)i);
}

static inline int er_ports_ok(const mach_port_t *p, size_t n, unsigned seed)
{
	size_t i;

	if (n && !p)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] != er_port(seed + 7919u * (unsigned)i))
			return 0;
	return 1;
}

/* The name a receiver sees for a right sent with disposition d: the test's
 * own table, not loopback.c's, so that a wrong conversion there shows. */
static inline mach_msg_type_name_t er_received(mach_msg_type_name_t d)
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

/* The address of a by-value parameter's bytes: an array type decays. */
#define ER_ADDR(x, T) __builtin_choose_expr(					\
	__builtin_types_compatible_p(__typeof__(x), T),				\
	(void *)&(x), *(void **)&(x))
'''


def choices(bound):
    """The element counts of the rounds for a variable array."""
    if bound is None:
        return [0, 1, 3, 300]
    if bound <= 2:
        return [0, 1, bound] + [bound] * 3
    return [0, 1, bound, bound // 2 + 1]


def out_choices(bound, inout):
    """The counts of the results: for an inout array, not the ones sent."""
    c = choices(bound)
    return c[1:] + c[:1] if inout else c


def rooms(bound):
    """The room a CountInOut caller offers in each round: the bound, or
    exactly what the server sends (choices())."""
    c = choices(bound)
    return [bound] + c[1:]


def str_lens(n):
    """String lengths (without the NUL) for a string of at most n bytes."""
    if n <= 2:
        return [0, n - 1]
    return [0, 1, n - 1, n // 2]


def cexpr_list(vals):
    return '(int[]){ %s }[er.round %% %d]' % (', '.join(str(v) for v in vals), len(vals))


def disp_list(ds):
    return '(mach_msg_type_name_t[]){ %s }[er.round %% %d]' % (
        ', '.join('MACH_MSG_TYPE_' + d for d in ds), len(ds))


def elem_size(t):
    e = t.elem
    if e is None:
        return 1
    if e.kind == 'cstr':
        return e.n
    return e.size


class Gen:
    """The C of one interface."""

    def __init__(self, iface, parser, user, server):
        self.iface = iface
        self.p = parser
        self.user = user
        self.server = server
        self.skipped = []     # "routine: reason"
        self.srv = []
        self.cli = []
        self.count = 0
        self.kinds = {}

    def seed(self, ri, pi, out):
        return '(%du + %du * (unsigned)er.round)' % (
            (ri * 64 + pi) * 2 + (1 if out else 0) + 0x10000, 4099)

    def run(self):
        for ri, r in enumerate(self.p.routines):
            why = self.routine_problem(r)
            if why:
                self.skipped.append('%s/%s: %s' % (self.iface, r['name'], why))
                continue
            self.gen_routine(ri, r)
            self.count += 1
            for p in r['params']:
                t = p['type']
                k = {'cstr': 'string', 'fixarr': 'fixed array', 'vararr': 'variable array',
                     'ool': 'out-of-line array', 'portarr': 'port array'}.get(t.kind, t.kind)
                if t.kind == 'port' and (t.send == 'poly' or t.recv == 'poly'):
                    k = 'polymorphic port'
                if p['kind'] in ('sreplyport', 'msgseqno', 'waittime', 'sendtime',
                                 'msgoption', 'replyport', 'ureplyport'):
                    k = p['kind']
                self.kinds[k] = self.kinds.get(k, 0) + 1

    def routine_problem(self, r):
        if r['name'] not in self.user or r['name'] not in self.server:
            return 'not in the generated headers'
        for p in r['params']:
            t = p['type']
            if t.translated:
                return "parameter '%s' has an intran/outtran translation" % p['name']
            if p['kind'].endswith('token') or p['kind'] in ('userimpl', 'serverimpl'):
                continue
            if p['kind'] not in ('in', 'out', 'inout', 'requestport', 'replyport',
                                 'ureplyport', 'sreplyport', 'waittime', 'msgseqno',
                                 'sendtime', 'msgoption'):
                return "parameter '%s' of kind %s" % (p['name'], p['kind'])
            if p['kind'] == 'inout' and (t.kind == 'cstr' and t.var or
                                         t.kind == 'portarr' and 'poly' in (t.send, t.recv)):
                return "parameter '%s': inout variable string or polymorphic port array" % \
                    p['name']
            if t.kind == 'ool' and t.elem is not None and t.elem.kind == 'cstr':
                return "parameter '%s': out-of-line strings" % p['name']
        pnames = {p['name'] for p in r['params']}
        for side in (self.user, self.server):
            for ctype, name in side[r['name']][1]:
                base = re.sub(r'(Cnt|Poly)$', '', name)
                if name not in pnames and base not in pnames:
                    return "C parameter '%s' matches nothing in the .defs" % name
        return None

    # -- per parameter, the server's check (in) and fill (out)
    def srv_param(self, ri, r, pi, p, cparams, lines):
        t = p['type']
        name = p['name']
        kind = p['kind']
        cmap = dict((n, c) for c, n in cparams)
        if name not in cmap:
            return
        ctype = cmap[name]
        rname = r['name']
        din = kind in ('in', 'inout', 'requestport', 'replyport')
        dout = kind in ('out', 'inout')
        sin = self.seed(ri, pi, False)
        sout = self.seed(ri, pi, True)
        star = ctype.endswith('*')

        def chk(cond, what):
            lines.append('\tif (!(%s))\n\t\ter_fail("%s", "%s", er.round);' %
                         (cond, rname, what.replace('"', "'")))

        if kind == 'sreplyport':
            # The request's reply port: the client's replyport/ureplyport
            # parameter, else MIG's own (a routine) or none (a simpleroutine).
            chk('%s == (er.check_reply ? er.want_reply : %s)' %
                (name, 'LOOPBACK_REPLY_PORT' if not r['simple'] else 'MACH_PORT_NULL'),
                name + ' (sreplyport)')
            if name + 'Poly' in cmap:
                chk('%sPoly == (er.check_reply ? er.want_reply_disp : %s)' %
                    (name, 'MACH_MSG_TYPE_PORT_SEND_ONCE' if not r['simple'] else '0'),
                    name + 'Poly')
            return
        if kind == 'msgseqno':
            chk('%s == loopback_seqno' % name, name + ' (MsgSeqno)')
            return
        if kind in ('waittime', 'sendtime', 'msgoption', 'ureplyport'):
            return
        if t.kind == 'port':
            if din:
                chk('%s%s == er_port(%s)' % ('*' if star else '', name, sin), name)
                if name + 'Poly' in cmap:
                    ds = getattr(t, 'send_set', None) or disp_set(t.send, t.recv)
                    chk('%s%sPoly == er_received(%s)' % ('*' if cmap[name + 'Poly'].endswith('*')
                                                         else '', name, disp_list(ds)),
                        name + 'Poly')
            if dout:
                lines.append('\t*%s = er_port(%s);' % (name, sout))
                if name + 'Poly' in cmap:
                    ds = getattr(t, 'send_set', None) or disp_set(t.send, t.recv)
                    lines.append('\t*%sPoly = %s;' % (name, disp_list(ds)))
            return
        if t.kind in ('int', 'struct', 'fixarr') or (t.kind == 'cstr' and not t.var):
            if t.kind == 'cstr':
                lens = cexpr_list(str_lens(t.n))
                if din:
                    chk('er_str_ok((const char *)%s, %s, %s)' % (name, lens, sin), name)
                if dout:
                    lines.append('\ter_str((char *)%s, %s, %s);' % (name, lens, sout))
                return
            if t.kind == 'fixarr' and not star and t.size:
                # An array parameter is a pointer whether its C type is an
                # array typedef (decayed) or a pointer typedef (XNU's
                # exception_behavior_array_t): its bytes are the .defs size.
                if din:
                    chk('er_ok((void *)%s, %d, %s)' % (name, t.size, sin), name)
                if dout:
                    lines.append('\ter_fill((void *)%s, %d, %s);' % (name, t.size, sout))
                return
            if star:
                T = ctype[:-1].strip()
                if din:
                    chk('er_ok(%s, sizeof(%s), %s)' % (name, T, sin), name)
                if dout:
                    lines.append('\ter_fill(%s, sizeof(%s), %s);' % (name, T, sout))
            else:
                if din:
                    chk('er_ok(ER_ADDR(%s, %s), sizeof(%s), %s)' % (name, ctype, ctype, sin), name)
                if dout:
                    lines.append('\ter_fill(ER_ADDR(%s, %s), sizeof(%s), %s);' %
                                 (name, ctype, ctype, sout))
            return
        if t.kind == 'cstr':            # variable string
            lens = cexpr_list(str_lens(t.n))
            if din:
                chk('er_str_ok((const char *)%s, %s, %s)' % (name, lens, sin), name)
            if dout:
                lines.append('\ter_str((char *)%s, %s, %s);' % (name, lens, sout))
            return
        es = elem_size(t)
        cnt = name + 'Cnt'
        cv = ('*' + cnt) if cmap.get(cnt, '').endswith('*') else cnt
        if t.kind == 'vararr':
            n = cexpr_list(choices(t.bound))
            if din:
                chk('%s == (mach_msg_type_number_t)%s' % (cv, n), cnt)
                chk('er_ok((const void *)%s, (size_t)%s * %d, %s)' % (name, cv, es, sin), name)
            n = cexpr_list(out_choices(t.bound, din and dout))
            if dout:
                if 'countinout' in p['flags']:
                    chk('*%s == (mach_msg_type_number_t)%s' % (cnt, cexpr_list(rooms(t.bound))),
                        cnt + ' (CountInOut room)')
                lines.append('\ter_fill((void *)%s, (size_t)%s * %d, %s);' % (name, n, es, sout))
                lines.append('\t*%s = %s;' % (cnt, n))
            return
        if t.kind in ('ool', 'portarr'):
            if t.fixed is not None:
                n = str(t.fixed)
            else:
                n = cexpr_list(choices(t.bound))
            hascnt = cnt in cmap
            if t.kind == 'portarr':
                es = 4
            deref = '*' if din and dout else ''
            if din:
                addr = '(%s)(uintptr_t)%s%s' % ('mach_port_t *' if t.kind == 'portarr'
                                                else 'const void *', deref, name)
                if hascnt:
                    chk('%s == (mach_msg_type_number_t)%s' % (cv, n), cnt)
                if t.kind == 'portarr':
                    chk('er_ports_ok(%s, (size_t)%s, %s)' % (addr, n, sin), name)
                    if name + 'Poly' in cmap:
                        ds = disp_set(t.send, t.recv)
                        chk('%sPoly == er_received(%s)' % (name, disp_list(ds)), name + 'Poly')
                else:
                    chk('er_ok(%s, (size_t)%s * %d, %s)' % (addr, n, es, sin), name)
                lines.append('\tfree((void *)(uintptr_t)%s%s);' % (deref, name))
            if t.fixed is None:
                n = cexpr_list(out_choices(t.bound, din and dout))
            if dout and t.kind == 'portarr' and not star:
                # A fixed array of rights sent inline (port descriptors):
                # the server fills the reply's array in place.
                lines.append('\ter_ports((mach_port_t *)%s, (size_t)%s, %s);' % (name, n, sout))
                return
            if dout:
                T = ctype[:-1].strip()
                lines.append('\t{')
                lines.append('\t\tsize_t n = (size_t)%s;' % n)
                lines.append('\t\tvoid *m = malloc(n * %d + 1);' % es)
                lines.append('\t\ter.srv_mem[er.nsrv_mem++] = m;')
                if t.kind == 'portarr':
                    lines.append('\t\ter_ports(m, n, %s);' % sout)
                    if name + 'Poly' in cmap:
                        lines.append('\t\t*%sPoly = %s;' % (name, disp_list(disp_set(t.send, t.recv))))
                else:
                    lines.append('\t\ter_fill(m, n * %d, %s);' % (es, sout))
                lines.append('\t\t*%s = (%s)(uintptr_t)m;' % (name, T))
                if hascnt:
                    lines.append('\t\t*%s = (mach_msg_type_number_t)n;' % cnt)
                lines.append('\t}')
            return
        raise DefsError('%s/%s: parameter %s of kind %s' % (self.iface, rname, name, t.kind))

    # -- per parameter, the client's setup, argument(s) and check
    def cli_param(self, ri, r, pi, p, cparams, decl, args, after, cleanup):
        """Fill decl (statements before the call), args {cname: expr} and
        after (checks once it returned)."""
        t = p['type']
        name = p['name']
        kind = p['kind']
        cmap = dict((n, c) for c, n in cparams)
        rname = r['name']
        din = kind in ('in', 'inout', 'requestport', 'replyport', 'ureplyport')
        dout = kind in ('out', 'inout')
        sin = self.seed(ri, pi, False)
        sout = self.seed(ri, pi, True)
        v = 'a_' + name
        if name not in cmap:
            return
        ctype = cmap[name]
        star = ctype.endswith('*')

        def chk(cond, what):
            after.append('\t\tif (!(%s))\n\t\t\ter_fail("%s", "%s", er.round);' %
                         (cond, rname, what.replace('"', "'")))

        if kind in ('waittime', 'sendtime'):
            args[name] = '(mach_msg_timeout_t)(%d + er.round)' % (1000 + pi)
            chk('loopback_last_timeout == (mach_msg_timeout_t)(%d + er.round)' % (1000 + pi),
                name + ' (' + kind + ')')
            chk('loopback_last_option & %s' % ('MACH_RCV_TIMEOUT' if kind == 'waittime'
                                               else 'MACH_SEND_TIMEOUT'), name + ' option')
            return
        if kind == 'msgoption':
            args[name] = 'MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT'
            chk('(loopback_last_option & (MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT)) == '
                '(MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT)', name + ' (msgoption)')
            return
        if t.kind == 'port':
            T = ctype[:-1].strip() if star else ctype
            decl.append('\t\t%s %s = er_port(%s);' % (T, v, sin))
            args[name] = '&' + v if star else v
            if name + 'Poly' in cmap:
                ds = getattr(t, 'send_set', None) or disp_set(t.send, t.recv)
                if dout:
                    decl.append('\t\tmach_msg_type_name_t %sPoly = 0;' % v)
                    args[name + 'Poly'] = '&%sPoly' % v
                    chk('%sPoly == er_received(%s)' % (v, disp_list(ds)), name + 'Poly')
                else:
                    args[name + 'Poly'] = disp_list(ds)
            if kind in ('replyport', 'ureplyport'):
                # The request must carry it as its reply port (er_hook).
                ds = getattr(t, 'send_set', None) or disp_set(t.send, t.recv)
                decl.append('\t\ter.want_reply = (mach_port_t)%s;' % v)
                decl.append('\t\ter.want_reply_disp = er_received(%s);' % disp_list(ds))
                decl.append('\t\ter.check_reply = 1;')
            if dout:
                if not din:
                    decl.append('\t\t%s = 0;' % v)
                chk('%s == er_port(%s)' % (v, sout), name)
            return
        if t.kind == 'fixarr' and not star and t.size:
            # The caller's own bytes, passed as the (array or pointer) parameter.
            decl.append('\t\tunsigned char %s[%d] __attribute__((aligned(8)));' % (v, t.size))
            if din:
                decl.append('\t\ter_fill(%s, sizeof(%s), %s);' % (v, v, sin))
            else:
                decl.append('\t\tmemset(%s, 0, sizeof(%s));' % (v, v))
            if dout:
                chk('er_ok(%s, sizeof(%s), %s)' % (v, v, sout), name)
            args[name] = '(void *)' + v
            return
        if t.kind in ('int', 'struct', 'fixarr') or (t.kind == 'cstr' and not t.var):
            T = ctype[:-1].strip() if star else ctype
            decl.append('\t\t%s %s;' % (T, v))
            if t.kind == 'cstr':
                lens = cexpr_list(str_lens(t.n))
                decl.append('\t\tmemset(&%s, 0x5a, sizeof(%s));' % (v, v))
                if din:
                    decl.append('\t\ter_str((char *)&%s, %s, %s);' % (v, lens, sin))
                if dout:
                    chk('er_str_ok((const char *)&%s, %s, %s)' % (v, lens, sout), name)
            else:
                if din:
                    decl.append('\t\ter_fill(&%s, sizeof(%s), %s);' % (v, v, sin))
                else:
                    decl.append('\t\tmemset(&%s, 0, sizeof(%s));' % (v, v))
                if dout:
                    chk('er_ok(&%s, sizeof(%s), %s)' % (v, v, sout), name)
            args[name] = '&' + v if star else v
            return
        if t.kind == 'cstr':            # variable string
            # Exactly the string (in) or the bound (out): ASan sees any overrun.
            lens = cexpr_list(str_lens(t.n))
            decl.append('\t\tsize_t %sN = %s;' % (v, ('(size_t)%s + 1' % lens) if din else str(t.n)))
            decl.append('\t\tchar *%s = malloc(%sN);' % (v, v))
            decl.append('\t\tmemset(%s, 0x5a, %sN);' % (v, v))
            if din:
                decl.append('\t\ter_str(%s, %s, %s);' % (v, lens, sin))
            if dout:
                chk('er_str_ok(%s, %s, %s)' % (v, lens, sout), name)
            cleanup.append('\t\tfree(%s);' % v)
            args[name] = '(void *)' + v
            return
        es = elem_size(t)
        cnt = name + 'Cnt'
        vc = v + 'Cnt'
        if t.kind == 'vararr':
            # A buffer of exactly the elements sent (in) or the bound (out).
            n = cexpr_list(choices(t.bound))
            decl.append('\t\tmach_msg_type_number_t %s = (mach_msg_type_number_t)%s;' % (vc, n))
            if din and dout:        # a buffer of the bound, n sent, others back
                decl.append('\t\tsize_t %sN = %d;' % (v, t.bound * es))
                decl.append('\t\tunsigned char *%s = malloc(%sN);' % (v, v))
                decl.append('\t\ter_fill(%s, (size_t)%s * %d, %s);' % (v, vc, es, sin))
                args[cnt] = '&' + vc
                n = cexpr_list(out_choices(t.bound, True))
                chk('%s == (mach_msg_type_number_t)%s' % (vc, n), cnt)
                chk('er_ok(%s, (size_t)%s * %d, %s)' % (v, vc, es, sout), name)
            elif din:
                decl.append('\t\tsize_t %sN = (size_t)%s * %d;' % (v, vc, es))
                decl.append('\t\tunsigned char *%s = malloc(%sN);' % (v, v))
                decl.append('\t\ter_fill(%s, %sN, %s);' % (v, v, sin))
                args[cnt] = vc
            elif dout:
                decl.append('\t\tsize_t %sN = %d;' % (v, t.bound * es))
                decl.append('\t\tunsigned char *%s = malloc(%sN);' % (v, v))
                decl.append('\t\tmemset(%s, 0xee, %sN);' % (v, v))
                if 'countinout' in p['flags']:
                    decl.append('\t\t%s = (mach_msg_type_number_t)%s;' %
                                (vc, cexpr_list(rooms(t.bound))))
                else:
                    decl.append('\t\t%s = %d;' % (vc, t.bound))
                args[cnt] = '&' + vc
                chk('%s == (mach_msg_type_number_t)%s' % (vc, n), cnt)
                chk('er_ok(%s, (size_t)%s * %d, %s)' % (v, vc, es, sout), name)
                # nothing written past what was received
                after.append('\t\tfor (size_t i = (size_t)%s * %d; i < %sN; i++)\n'
                             '\t\t\tif (%s[i] != 0xee) {\n'
                             '\t\t\t\ter_fail("%s", "%s written past its count", er.round);\n'
                             '\t\t\t\tbreak;\n\t\t\t}' % (vc, es, v, v, rname, name))
            cleanup.append('\t\tfree(%s);' % v)
            args[name] = '(void *)' + v
            return
        if t.kind in ('ool', 'portarr'):
            if t.kind == 'portarr':
                es = 4
            if t.fixed is not None:
                n = str(t.fixed)
            else:
                n = cexpr_list(choices(t.bound))
            hascnt = cnt in cmap
            if din and dout:
                T = ctype[:-1].strip()
                decl.append('\t\tsize_t %sN = (size_t)%s;' % (v, n))
                decl.append('\t\tunsigned char *%sIn = malloc(%sN * %d + 1);' % (v, v, es))
                if t.kind == 'portarr':
                    decl.append('\t\ter_ports((mach_port_t *)%sIn, %sN, %s);' % (v, v, sin))
                else:
                    decl.append('\t\ter_fill(%sIn, %sN * %d, %s);' % (v, v, es, sin))
                decl.append('\t\t%s %s = (%s)(uintptr_t)%sIn;' % (T, v, T, v))
                args[name] = '&' + v
                if hascnt:
                    decl.append('\t\tmach_msg_type_number_t %s = (mach_msg_type_number_t)%sN;' %
                                (vc, v))
                    args[cnt] = '&' + vc
                cleanup.append('\t\tfree(%sIn);' % v)
                if t.fixed is None:
                    n = cexpr_list(out_choices(t.bound, True))
                if hascnt:
                    chk('%s == (mach_msg_type_number_t)%s' % (vc, n), cnt)
                if t.kind == 'portarr':
                    if name + 'Poly' in cmap:
                        return          # said in routine_problem
                    chk('er_ports_ok((mach_port_t *)(uintptr_t)%s, (size_t)%s, %s)' %
                        (v, n, sout), name)
                else:
                    chk('er_ok((const void *)(uintptr_t)%s, (size_t)%s * %d, %s)' %
                        (v, n, es, sout), name)
                after.append('\t\tfree((void *)(uintptr_t)%s);' % v)
                return
            if din:
                T = ctype
                decl.append('\t\tsize_t %sN = (size_t)%s;' % (v, n))
                decl.append('\t\tunsigned char *%s = malloc(%sN * %d + 1);' % (v, v, es))
                if t.kind == 'portarr':
                    decl.append('\t\ter_ports((mach_port_t *)%s, %sN, %s);' % (v, v, sin))
                    if name + 'Poly' in cmap:
                        args[name + 'Poly'] = disp_list(disp_set(t.send, t.recv))
                else:
                    decl.append('\t\ter_fill(%s, %sN * %d, %s);' % (v, v, es, sin))
                args[name] = '(%s)(uintptr_t)%s' % (T, v)
                if hascnt:
                    args[cnt] = '(mach_msg_type_number_t)%sN' % v
                cleanup.append('\t\tfree(%s);' % v)
            if dout and t.kind == 'portarr' and not ctype.endswith('*'):
                # Inline (fixed) array of rights: the caller's own array.
                decl.append('\t\tmach_port_t %s[%s];' % (v, n))
                decl.append('\t\tmemset(%s, 0, sizeof(%s));' % (v, v))
                args[name] = '(%s)%s' % (ctype, v)
                chk('er_ports_ok(%s, (size_t)%s, %s)' % (v, n, sout), name)
                return
            if dout:
                T = ctype[:-1].strip()
                decl.append('\t\t%s %s = 0;' % (T, v))
                args[name] = '&' + v
                if hascnt:
                    decl.append('\t\tmach_msg_type_number_t %s = 0;' % vc)
                    args[cnt] = '&' + vc
                    chk('%s == (mach_msg_type_number_t)%s' % (vc, n), cnt)
                if t.kind == 'portarr':
                    chk('er_ports_ok((mach_port_t *)(uintptr_t)%s, (size_t)%s, %s)' %
                        (v, n, sout), name)
                    if name + 'Poly' in cmap:
                        decl.append('\t\tmach_msg_type_name_t %sPoly = 0;' % v)
                        args[name + 'Poly'] = '&%sPoly' % v
                        chk('%sPoly == er_received(%s)' % (v, disp_list(disp_set(t.send, t.recv))),
                            name + 'Poly')
                else:
                    chk('er_ok((const void *)(uintptr_t)%s, (size_t)%s * %d, %s)' %
                        (v, n, es, sout), name)
                after.append('\t\tfree((void *)(uintptr_t)%s);' % v)
            return
        raise DefsError('%s/%s: parameter %s of kind %s' % (self.iface, rname, name, t.kind))

    def gen_routine(self, ri, r):
        rname = r['name']
        sname, sparams = self.server[rname]
        uname, uparams = self.user[rname]
        # server routine
        body = []
        for pi, p in enumerate(r['params']):
            self.srv_param(ri, r, pi, p, sparams, body)
        proto = 'kern_return_t %s(\n%s)' % (
            sname, ',\n'.join('\t%s %s' % (c, n) if not c.endswith('*')
                              else '\t%s%s' % (c, n) for c, n in sparams) or '\tvoid')
        self.srv.append('%s\n{\n\tif (er.routine != %d) {\n'
                        '\t\ter_fail("%s", "server routine of another call", er.round);\n'
                        '\t\treturn KERN_FAILURE;\n\t}\n\ter.called++;\n'
                        '\tif (er.ret != KERN_SUCCESS)\n\t\treturn er.ret;\n%s\n'
                        '\treturn KERN_SUCCESS;\n}\n' % (proto, ri, rname, '\n'.join(body)))
        # client call
        decl, args, after, cleanup = [], {}, [], []
        for pi, p in enumerate(r['params']):
            self.cli_param(ri, r, pi, p, uparams, decl, args, after, cleanup)
        missing = [n for c, n in uparams if n not in args]
        if missing:
            raise DefsError('%s/%s: no client argument for %s' % (self.iface, rname,
                                                                  ', '.join(missing)))
        call = '%s(%s)' % (uname, ', '.join(args[n] for c, n in uparams))
        expect_ok = 'MACH_MSG_SUCCESS' if r['simple'] else 'KERN_SUCCESS'
        expect_err = 'MACH_MSG_SUCCESS' if r['simple'] else '(kern_return_t)%d' % (ERR_CODE + ri)
        self.cli.append('''static void call_%(ri)d(void)
{
	for (er.round = 0; er.round <= %(rounds)d; er.round++) {
		er.check_reply = 0;
%(decl)s
		kern_return_t kr;
		int fail_round = er.round == %(rounds)d;

		er.routine = %(ri)d;
		er.called = 0;
		er.nsrv_mem = 0;
		er.reply_seen = 0;
		er.ret = fail_round ? %(err)d : KERN_SUCCESS;
		loopback_seqno = 1000 + (mach_port_seqno_t)er.round;
		kr = %(call)s;
		if (er.called != 1)
			er_fail("%(name)s", "server routine not called once", er.round);
		if (er.check_reply && !er.reply_seen)
			er_fail("%(name)s", "reply port of the request", er.round);
		if (kr != (fail_round ? %(experr)s : %(expok)s)) {
			fprintf(stderr, "every-routine: %(iface)s/%(name)s round %%d: returned %%#x\\n",
				er.round, (unsigned)kr);
			er_failed++;
		}%(simplecheck)s
		if (!fail_round && kr == %(expok)s) {
%(after)s
		}
%(cleanup)s
		while (er.nsrv_mem)
			free(er.srv_mem[--er.nsrv_mem]);
	}
}
''' % {'ri': ri, 'rounds': ROUNDS, 'decl': '\n'.join(decl), 'err': ERR_CODE + ri,
       'call': call, 'name': rname, 'iface': self.iface, 'experr': expect_err,
       'expok': expect_ok, 'cleanup': '\n'.join(cleanup), 'after': '\n'.join(after) if after else '\t\t\t;',
       'simplecheck': ('\n\t\tif (loopback_last_retcode != (fail_round ? %d : MIG_NO_REPLY))\n'
                       '\t\t\ter_fail("%s", "simpleroutine RetCode", er.round);' %
                       (ERR_CODE + ri, rname)) if r['simple'] else ''})

    def files(self, b, user_h, server_h, user_c, server_c):
        srv = ['/* Generated by tests/every_routine.py: the server routines of %s. */' % self.iface,
               COMMON, '#include "%s"' % server_h, '#include "%s"' % server_c, '']
        srv += self.srv
        renames = ['#define %s u_%s' % (self.user[r['name']][0], self.user[r['name']][0])
                   for r in self.p.routines if r['name'] in self.user]
        cli = ['/* Generated by tests/every_routine.py: the client calls of %s. */' % self.iface,
               COMMON] + renames + ['#include "%s"' % user_h, '#include "%s"' % user_c, '',
                                    'struct er_state er;', 'int er_failed;', '',
                                    '''void er_fail(const char *routine, const char *what, int round)
{
	fprintf(stderr, "every-routine: %s/%%s round %%d: %%s\\n", routine, round, what);
	er_failed++;
}
''' % self.iface]
        cli += self.cli
        calls = ''.join('\tcall_%d();\n' % ri for ri, r in enumerate(self.p.routines)
                        if r['name'] in self.user and 'call_%d(' % ri in ''.join(self.cli))
        cli.append('''extern const struct mig_subsystem %s_subsystem;

/* The request as the server receives it: its reply port, when the client
 * named one, is that port with the received form of its disposition. */
static void er_hook(mach_msg_header_t *m)
{
	if (er.check_reply && m->msgh_remote_port == er.want_reply &&
	    MACH_MSGH_BITS_REMOTE(m->msgh_bits) == er.want_reply_disp)
		er.reply_seen = 1;
}

int main(void)
{
	loopback_request_hook = er_hook;
	loopback_register(&%s_subsystem);
%s	if (er_failed) {
		printf("%s: %%d failures\\n", er_failed);
		return 1;
	}
	printf("%s: %d routines intact\\n");
	return 0;
}
''' % (self.p.subsystem, self.p.subsystem, calls, self.iface, self.iface, self.count))
        return '\n'.join(srv), '\n'.join(cli)


# ------------------------------------------------------------------ driver

def sh(cmd, log):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.append('$ ' + ' '.join(cmd) + '\n' + r.stdout)
    return r.returncode == 0


def one(job, a):
    """Generate, build and run the test of one .defs. Returns a dict."""
    defs, dflags, inc, iface = job
    b = os.path.basename(defs)[:-5]
    d = os.path.join(a.work, iface.replace('/', '_'))
    os.makedirs(d, exist_ok=True)
    log = []
    res = {'iface': iface, 'ok': False, 'routines': 0, 'skipped': [], 'log': log,
           'failures': [], 'norout': False}
    uc, uh = os.path.join(d, b + 'User.c'), os.path.join(d, b + 'User.h')
    sc, shh = os.path.join(d, b + 'Server.c'), os.path.join(d, b + 'Server.h')
    if not sh([a.mig, '-q'] + dflags + ['-user', uc, '-header', uh, '-server', sc,
                                        '-sheader', shh, defs], log):
        res['failures'].append('mig failed')
        return res
    if not os.path.exists(uc):
        res['norout'] = True
        return res
    cpp = subprocess.run(['cpp', '-P'] + [f for f in dflags if f[:2] in ('-I', '-D', '-U')
                                         or f == '-nostdinc'] + ['-x', 'c', defs],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ps = Parser(cpp.stdout)
        ps.parse()
        if not ps.routines:
            res['norout'] = True
            return res
        g = Gen(iface, ps, parse_header(uh), parse_header(shh))
        g.run()
        srv, cli = g.files(b, uh, shh, uc, sc)
    except DefsError as e:
        res['failures'].append('generator: %s' % e)
        return res
    res['skipped'] = g.skipped
    res['routines'] = g.count
    res['kinds'] = g.kinds
    fs, fc = os.path.join(d, b + '_srv.c'), os.path.join(d, b + '_cli.c')
    open(fs, 'w').write(srv)
    open(fc, 'w').write(cli)
    cf = a.cflags.split() + inc.split() + ['-I' + d, '-I' + a.here]
    exe = os.path.join(d, b + '_test')
    if not (sh([a.cc] + cf + ['-c', fs, '-o', fs[:-2] + '.o'], log) and
            sh([a.cc] + cf + ['-c', fc, '-o', fc[:-2] + '.o'], log) and
            sh([a.cc] + cf + ['-o', exe, fs[:-2] + '.o', fc[:-2] + '.o', a.loopback_o], log)):
        res['failures'].append('build failed')
        return res
    env = dict(os.environ)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=0')
    r = subprocess.run([exe], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=120)
    log.append(r.stdout)
    for line in r.stdout.splitlines():
        if line.startswith('every-routine: '):
            res['failures'].append(line[len('every-routine: '):])
    if r.returncode != 0 and not res['failures']:
        res['failures'].append('exit status %d' % r.returncode)
    res['ok'] = r.returncode == 0
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mig', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--cc', default='cc')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--cflags', default='')
    ap.add_argument('-v', action='store_true')
    a, rest = ap.parse_known_args()
    a.here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(a.work, exist_ok=True)
    jobs = []
    dflags, inc, prefix = [], '', ''
    i = 0
    while i < len(rest):
        if rest[i] == '--defs-flags':
            dflags = rest[i + 1].split()
            i += 2
        elif rest[i] == '--inc':
            inc = rest[i + 1]
            i += 2
        elif rest[i] == '--name':
            prefix = rest[i + 1]
            i += 2
        else:
            f = rest[i]
            jobs.append((f, dflags, inc, '%s/%s' % (prefix, os.path.basename(f)[:-5])))
            i += 1
    a.loopback_o = os.path.join(a.work, 'loopback.o')
    log = []
    srcinc = os.path.normpath(os.path.join(a.here, '..', '..', '..', 'include'))
    if not sh([a.cc] + a.cflags.split() + ['-I' + a.here, '-I' + srcinc, '-c',
                                           os.path.join(a.here, 'loopback.c'), '-o',
                                           a.loopback_o], log):
        print('every-routine: cannot build loopback.c\n' + '\n'.join(log))
        return 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        results = list(ex.map(lambda j: one(j, a), jobs))
    nr = ni = 0
    bad = []
    kinds = {}
    known_seen = set()
    for res in results:
        if res['norout']:
            continue
        ni += 1
        # A program that did not build or run checked none of its routines.
        if not res['ok'] and any(f in ('build failed', 'mig failed') or
                                 f.startswith(('generator', 'exit status'))
                                 for f in res['failures']):
            res['routines'] = 0
        nr += res['routines']
        for k, n in res.get('kinds', {}).items():
            kinds[k] = kinds.get(k, 0) + n
        for s in res['skipped']:
            print('every-routine: not exercised: %s' % s)
        for f in res['failures']:
            m = re.match(r'(\S+/\S+?)(?: round|:)', f)
            keys = [m.group(1)] if m else \
                [k for k in KNOWN_FAILURES if k.startswith(res['iface'] + '/')]
            if keys and all(k in KNOWN_FAILURES for k in keys):
                if m and m.group(1) not in known_seen and res['routines']:
                    nr -= 1         # it ran, and failed as known
                known_seen.update(keys)
                continue
            bad.append('%s: %s' % (res['iface'], f))
        mine = [b for b in bad if b.startswith(res['iface'] + ': ')]
        if a.v or any(b.endswith(('build failed', 'mig failed')) or ': generator:' in b
                      for b in mine):
            print('\n'.join(res['log'])[:6000])
    ran = {res['iface'] for res in results}
    for k in sorted(KNOWN_FAILURES):
        if k.rsplit('/', 1)[0] not in ran:
            continue
        state = 'still fails' if k in known_seen else 'PASSES NOW (remove it from the list)'
        print('every-routine: known failure %s: %s (%s)' % (k, KNOWN_FAILURES[k], state))
    if bad:
        for b in bad[:60]:
            print('every-routine: FAIL %s' % b)
        print('every-routine: %d failures in %d routines of %d interfaces' % (len(bad), nr, ni))
        return 1
    print('every-routine: parameters: %s' % ', '.join('%d %s' % (n, k)
                                                     for k, n in sorted(kinds.items())))
    print('every-routine: %d routines in %d interfaces, all intact%s' %
          (nr, ni, ' (and %d known failures)' % len(known_seen) if known_seen else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
