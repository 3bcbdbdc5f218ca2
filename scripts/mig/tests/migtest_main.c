// SPDX-License-Identifier: MIT
/*
 * Loopback and malformed-message tests of the code MIG generates from
 * migtest.defs: every routine's arguments and results must arrive intact
 * (arrays at 0, 1 and their bound), and every corrupted request or reply
 * must be refused with the right MIG error without an out-of-bounds
 * access (this runs under AddressSanitizer and UBSan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loopback.h"
#include "migtest_types.h"
#include "migtestUser.h"
#include "migtestServer.h"

static int passed, failed;
static int server_calls;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

/* Server-side checks fail the test from inside the server routine. */
#define SCHECK(cond) do { if (!(cond)) { CHECK(cond); return KERN_FAILURE; } } while (0)

#define SERVER	((mach_port_t)0x100)

static int32_t ival(int i) { return 100 + i * 3; }
static uint64_t lval(int i) { return 0x1122334455667788ULL + (uint64_t)i * 0x10001; }
static char cval(int i) { return (char)('a' + i); }

/* ---------------------------------------------------------------- server */

kern_return_t s_t_scalars(mach_port_t server, int32_t a, uint64_t b, boolean_t c, short h,
			  int32_t *d, uint64_t *e, int32_t *f)
{
	server_calls++;
	SCHECK(server == SERVER);
	SCHECK(a == -5 && b == 0xfedcba9876543210ULL && c == TRUE && h == -300);
	SCHECK(*f == 41);
	*d = a * 2;
	*e = b + 1;
	*f += 1;
	return KERN_SUCCESS;
}

kern_return_t s_t_structs(mach_port_t server, point_t p, big_t big, point_t *q, big_t *bigout)
{
	server_calls++;
	SCHECK(server == SERVER && p.x == 7 && p.y == -8 && big.a == lval(1) && big.b == 9);
	q->x = p.y;
	q->y = p.x;
	bigout->a = big.a + 1;
	bigout->b = big.b + 1;
	return KERN_SUCCESS;
}

kern_return_t s_t_fixarr(mach_port_t server, fixarr_t a, shorts_t sh, fixarr_t b)
{
	int i;

	server_calls++;
	SCHECK(server == SERVER);
	for (i = 0; i < 4; i++) {
		SCHECK(a[i] == ival(i));
		b[i] = -a[i];
	}
	SCHECK(sh[0] == 1 && sh[1] == 2 && sh[2] == 3);
	return KERN_SUCCESS;
}

/* Output counts follow the tag: tag = bcnt * 100 + tcnt * 10 + dcnt. */
kern_return_t s_t_vararr(mach_port_t server, vararr_t a, mach_msg_type_number_t aCnt,
			 bytes_t s, mach_msg_type_number_t sCnt, var64_t c,
			 mach_msg_type_number_t cCnt, int32_t tag,
			 vararr_t b, mach_msg_type_number_t *bCnt,
			 bytes_t t, mach_msg_type_number_t *tCnt,
			 var64_t d, mach_msg_type_number_t *dCnt)
{
	mach_msg_type_number_t i;
	int bn = tag / 10000, tn = tag / 100 % 100, dn = tag % 100;

	server_calls++;
	SCHECK(server == SERVER);
	SCHECK(*bCnt == 8 && *tCnt == 16 && *dCnt == 3);
	for (i = 0; i < aCnt; i++)
		SCHECK(a[i] == ival((int)i));
	for (i = 0; i < sCnt; i++)
		SCHECK(s[i] == cval((int)i));
	for (i = 0; i < cCnt; i++)
		SCHECK(c[i] == lval((int)i));
	/* Echo the counts received in the first elements when there is room. */
	for (i = 0; i < (mach_msg_type_number_t)bn; i++)
		b[i] = i == 0 ? (int32_t)(aCnt * 10000 + sCnt * 100 + cCnt) : ival((int)i);
	for (i = 0; i < (mach_msg_type_number_t)tn; i++)
		t[i] = cval((int)i);
	for (i = 0; i < (mach_msg_type_number_t)dn; i++)
		d[i] = lval((int)i) ^ 0xff;
	*bCnt = (mach_msg_type_number_t)bn;
	*tCnt = (mach_msg_type_number_t)tn;
	*dCnt = (mach_msg_type_number_t)dn;
	return KERN_SUCCESS;
}

static mach_msg_type_number_t countinout_seen;

kern_return_t s_t_countinout(mach_port_t server, int32_t n, vararr_t a, mach_msg_type_number_t *aCnt)
{
	int32_t i;

	server_calls++;
	countinout_seen = *aCnt;
	SCHECK(server == SERVER);
	if ((mach_msg_type_number_t)n > *aCnt)	/* a server honours the caller's room */
		n = (int32_t)*aCnt;
	for (i = 0; i < n; i++)
		a[i] = ival(i);
	*aCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

kern_return_t s_t_strings(mach_port_t server, name_t n, vname_t v, name_t on, vname_t ov)
{
	server_calls++;
	SCHECK(server == SERVER);
	snprintf(on, 32, "<%s>", n);
	snprintf(ov, 24, "[%s]", v);
	return KERN_SUCCESS;
}

static char ool_out[300];
static int32_t oolints_out[64];

kern_return_t s_t_ool(mach_port_t server, pointer_t a, mach_msg_type_number_t aCnt,
		      oolints_t b, mach_msg_type_number_t bCnt, unbounded_t c,
		      mach_msg_type_number_t cCnt, fixool_t f,
		      pointer_t *oa, mach_msg_type_number_t *oaCnt,
		      oolints_t *ob, mach_msg_type_number_t *obCnt)
{
	mach_msg_type_number_t i;

	server_calls++;
	SCHECK(server == SERVER);
	for (i = 0; i < aCnt; i++)
		SCHECK(a[i] == (char)i);
	for (i = 0; i < bCnt; i++)
		SCHECK(b[i] == ival((int)i));
	for (i = 0; i < cCnt; i++)
		SCHECK(c[i] == -(int32_t)i);
	for (i = 0; i < 4; i++)
		SCHECK(f[i] == 40 + (int32_t)i);
	for (i = 0; i < aCnt; i++)
		ool_out[i] = (char)(a[i] + 1);
	for (i = 0; i < bCnt; i++)
		oolints_out[i] = b[i] * 2;
	*oa = aCnt ? ool_out : NULL;
	*oaCnt = aCnt;
	*ob = oolints_out;
	*obCnt = bCnt;
	return KERN_SUCCESS;
}

kern_return_t s_t_ports(mach_port_t server, mach_port_t rcv, mach_port_t cs, mach_port_t ms,
			mach_port_t mvs, mach_port_t mso, mach_port_t mvso, mach_port_t poly,
			mach_msg_type_name_t polyPoly, mach_port_name_t nm, mach_port_t *orcv,
			mach_port_t *osend, mach_port_t *opoly, mach_msg_type_name_t *opolyPoly)
{
	server_calls++;
	SCHECK(server == SERVER);
	SCHECK(rcv == 0x201 && cs == 0x202 && ms == 0x203 && mvs == 0x204 && mso == 0x205 &&
	       mvso == 0x206 && poly == 0x207 && nm == 0x208);
	SCHECK(polyPoly == MACH_MSG_TYPE_PORT_SEND_ONCE);
	*orcv = 0x301;
	*osend = 0x302;
	*opoly = 0x303;
	*opolyPoly = MACH_MSG_TYPE_MOVE_RECEIVE;
	return KERN_SUCCESS;
}

static mach_port_t portarr_out[5] = { 0x401, 0x402, 0x403, 0x404, 0x405 };

kern_return_t s_t_portarr(mach_port_t server, mach_port_array_t a, mach_msg_type_number_t aCnt,
			  mach_port_array_t pair, mach_port_array_t *b, mach_msg_type_number_t *bCnt,
			  mach_port_array_t opair)
{
	mach_msg_type_number_t i;

	server_calls++;
	SCHECK(server == SERVER);
	for (i = 0; i < aCnt; i++)
		SCHECK(a[i] == 0x500 + i);
	SCHECK(pair[0] == 0x601 && pair[1] == 0x602);
	*b = portarr_out;
	*bCnt = aCnt < 5 ? aCnt : 5;
	opair[0] = 0x701;	/* a fixed array of rights: port descriptors */
	opair[1] = 0x702;
	return KERN_SUCCESS;
}

static int simple_seen;

kern_return_t s_t_simple(mach_port_t server, int32_t a, vname_t s)
{
	server_calls++;
	SCHECK(server == SERVER && a == 77 && !strcmp(s, "fire and forget"));
	simple_seen++;
	return KERN_SUCCESS;
}

kern_return_t s_t_after_skip(mach_port_t server, int32_t *x)
{
	server_calls++;
	SCHECK(server == SERVER);
	*x = 4009;
	return KERN_SUCCESS;
}

kern_return_t s_t_error(mach_port_t server, int32_t a, int32_t *b)
{
	server_calls++;
	*b = 1;
	(void)server;
	return a;	/* the error the test asks for */
}

kern_return_t s_t_inout_arr(mach_port_t server, vararr_t a, mach_msg_type_number_t *aCnt)
{
	mach_msg_type_number_t i;

	server_calls++;
	SCHECK(server == SERVER && *aCnt <= 8);
	for (i = 0; i < *aCnt; i++)
		a[i] += 1000;
	if (*aCnt > 0)
		*aCnt -= 1;
	return KERN_SUCCESS;
}

kern_return_t s_t_replyports(mach_port_t server, mach_port_t reply, mach_msg_type_name_t replyPoly,
			     mach_port_seqno_t seq, int32_t a, int32_t *x)
{
	server_calls++;
	SCHECK(server == SERVER && reply == LOOPBACK_REPLY_PORT);
	SCHECK(replyPoly == MACH_MSG_TYPE_PORT_SEND_ONCE);
	SCHECK(seq == loopback_seqno);
	*x = a + 1;
	return KERN_SUCCESS;
}

static mach_port_t ureply_seen;

kern_return_t s_t_ureply(mach_port_t server, int32_t a)
{
	server_calls++;
	(void)server;
	(void)a;
	ureply_seen = 1;
	return KERN_SUCCESS;
}

static struct obj objs[4];
static struct counter counters[4];
static int obj_lookups, obj_releases;

obj_ref_t obj_lookup(mach_port_t port)
{
	obj_lookups++;
	objs[port & 3].port = port;
	objs[port & 3].refs++;
	return &objs[port & 3];
}

mach_port_t obj_to_port(obj_ref_t obj)
{
	return obj->port + 0x1000;
}

void obj_release(obj_ref_t obj)
{
	obj_releases++;
	obj->refs--;
}

counter_ref_t counter_in(int32_t v)
{
	counters[0].value = v;
	return &counters[0];
}

int32_t counter_out(counter_ref_t c)
{
	return c->value * 10;
}

kern_return_t s_t_trans(obj_ref_t obj, obj_ref_t other, counter_ref_t cnt,
			obj_ref_t *oobj, counter_ref_t *ocnt)
{
	server_calls++;
	SCHECK(obj->port == SERVER && other->port == 0x202 && cnt->value == 5);
	SCHECK(obj->refs == 1 && other->refs == 1);
	*oobj = other;
	counters[1].value = cnt->value + 1;
	*ocnt = &counters[1];
	return KERN_SUCCESS;
}

kern_return_t s_t_received(mach_port_t server, mach_port_t so, mach_port_t rcv,
			   mach_port_t *snd, mach_msg_type_name_t *sndPoly)
{
	server_calls++;
	SCHECK(server == SERVER && so == 0x701 && rcv == 0x702);
	*snd = 0x703;
	*sndPoly = MACH_MSG_TYPE_MAKE_SEND;
	return KERN_SUCCESS;
}

kern_return_t s_t_sendtime(mach_port_t server, mach_port_t p, pointer_t o,
			   mach_msg_type_number_t oCnt, int32_t *x)
{
	server_calls++;
	SCHECK(server == SERVER && p == 0x321 && oCnt == 4 && !memcmp(o, "ool", 4));
	*x = 1;
	return KERN_SUCCESS;
}

kern_return_t s_t_empty(mach_port_t server)
{
	server_calls++;
	(void)server;
	return KERN_SUCCESS;
}

/* ---------------------------------------------------------------- loopback */

static void test_scalars(void)
{
	int32_t d = 0, f = 41;
	uint64_t e = 0;

	CHECK(u_t_scalars(SERVER, -5, 0xfedcba9876543210ULL, TRUE, -300, &d, &e, &f) == KERN_SUCCESS);
	CHECK(d == -10 && e == 0xfedcba9876543211ULL && f == 42);
	CHECK(loopback_last_option == (MACH_SEND_MSG | MACH_RCV_MSG));
}

static void test_structs(void)
{
	point_t p = { 7, -8 }, q = { 0, 0 };
	big_t big = { lval(1), 9 }, out = { 0, 0 };

	CHECK(u_t_structs(SERVER, p, big, &q, &out) == KERN_SUCCESS);
	CHECK(q.x == -8 && q.y == 7 && out.a == lval(1) + 1 && out.b == 10);
}

static void test_fixarr(void)
{
	fixarr_t a = { ival(0), ival(1), ival(2), ival(3) }, b = { 0 };
	shorts_t sh = { 1, 2, 3 };

	CHECK(u_t_fixarr(SERVER, a, sh, b) == KERN_SUCCESS);
	CHECK(b[0] == -ival(0) && b[3] == -ival(3));
}

static void test_vararr(void)
{
	static const mach_msg_type_number_t acnt[] = { 0, 1, 8 }, scnt[] = { 0, 1, 16 },
		ccnt[] = { 0, 1, 3 };
	int32_t a[8], b[8];
	char s[16], t[16];
	uint64_t c[3], d[3];
	int i, j, k, n;

	for (n = 0; n < 8; n++)
		a[n] = ival(n);
	for (n = 0; n < 16; n++)
		s[n] = cval(n);
	for (n = 0; n < 3; n++)
		c[n] = lval(n);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++) {
			for (k = 0; k < 3; k++) {
				mach_msg_type_number_t bc = 99, tc = 99, dc = 99, x;
				int32_t tag = (int32_t)(acnt[(i + 1) % 3] * 10000 + scnt[(j + 2) % 3] * 100 +
							ccnt[k]);
				kern_return_t kr;

				memset(b, 0, sizeof(b));
				memset(t, 0, sizeof(t));
				memset(d, 0, sizeof(d));
				kr = u_t_vararr(SERVER, a, acnt[i], s, scnt[j], c, ccnt[k], tag,
						b, &bc, t, &tc, d, &dc);
				CHECK(kr == KERN_SUCCESS);
				CHECK(bc == acnt[(i + 1) % 3] && tc == scnt[(j + 2) % 3] && dc == ccnt[k]);
				if (kr != KERN_SUCCESS || bc > 8 || tc > 16 || dc > 3)
					continue;
				if (bc)
					CHECK(b[0] == (int32_t)(acnt[i] * 10000 + scnt[j] * 100 + ccnt[k]));
				for (x = 1; x < bc; x++)
					CHECK(b[x] == ival((int)x));
				for (x = 0; x < tc; x++)
					CHECK(t[x] == cval((int)x));
				for (x = 0; x < dc; x++)
					CHECK(d[x] == (lval((int)x) ^ 0xff));
			}
		}
	}
	/* Over the bound: refused before anything is sent. */
	{
		mach_msg_type_number_t bc, tc, dc;
		int before = server_calls;

		CHECK(u_t_vararr(SERVER, a, 9, s, 0, c, 0, 0, b, &bc, t, &tc, d, &dc) ==
		      MIG_ARRAY_TOO_LARGE);
		CHECK(server_calls == before);
	}
}

static void test_countinout(void)
{
	int32_t a[8];
	mach_msg_type_number_t cnt;

	cnt = 8;
	CHECK(u_t_countinout(SERVER, 5, a, &cnt) == KERN_SUCCESS && cnt == 5 && a[4] == ival(4));
	CHECK(countinout_seen == 8);
	cnt = 3;	/* the caller has room for 3: the server sees 3 */
	CHECK(u_t_countinout(SERVER, 8, a, &cnt) == KERN_SUCCESS && cnt == 3);
	CHECK(countinout_seen == 3);
	cnt = 0;
	CHECK(u_t_countinout(SERVER, 8, a, &cnt) == KERN_SUCCESS && cnt == 0);
	cnt = 1000;	/* more room than the bound: the server sees the bound */
	CHECK(u_t_countinout(SERVER, 8, a, &cnt) == KERN_SUCCESS && cnt == 8 && a[7] == ival(7));
	CHECK(countinout_seen == 8);
}

static void test_strings(void)
{
	name_t on, fixed = "fixed", longer, empty = "";
	char ov[24];
	static const char *vs[] = { "", "x", "12345678901234567890123" };	/* 0, 1, 23 + NUL */
	int i;

	for (i = 0; i < 3; i++) {
		char want[64];

		memset(on, 'z', sizeof(on));
		memset(ov, 'z', sizeof(ov));
		CHECK(u_t_strings(SERVER, fixed, (vname_t)vs[i], on, ov) == KERN_SUCCESS);
		CHECK(!strcmp(on, "<fixed>"));
		snprintf(want, 24, "[%s]", vs[i]);
		CHECK(!strcmp(ov, want));
	}
	/* A fixed string is cut at its bound; a variable one over it is refused. */
	memset(longer, 'x', sizeof(longer));	/* no NUL within the bound */
	CHECK(u_t_strings(SERVER, longer, "", on, ov) == KERN_SUCCESS);
	CHECK(strlen(on) == 31);	/* "<" + 29 x + ">", cut by the server's snprintf */
	CHECK(u_t_strings(SERVER, empty, "123456789012345678901234", on, ov) == MIG_ARRAY_TOO_LARGE);
}

static void test_ool(void)
{
	static const mach_msg_type_number_t cnts[] = { 0, 1, 64 };
	char a[300];
	int32_t b[64], c[100], f[4] = { 40, 41, 42, 43 };
	int i, n;

	for (n = 0; n < 300; n++)
		a[n] = (char)n;
	for (n = 0; n < 64; n++)
		b[n] = ival(n);
	for (n = 0; n < 100; n++)
		c[n] = -n;
	for (i = 0; i < 3; i++) {
		pointer_t oa = NULL;
		oolints_t ob = NULL;
		mach_msg_type_number_t oac = 99, obc = 99, x;

		CHECK(u_t_ool(SERVER, a, cnts[i] * 4, b, cnts[i], c, cnts[i] + 36, f,
			      &oa, &oac, &ob, &obc) == KERN_SUCCESS);
		CHECK(oac == cnts[i] * 4 && obc == cnts[i]);
		for (x = 0; x < oac && oa; x++)
			CHECK(oa[x] == (char)(x + 1));
		for (x = 0; x < obc && ob; x++)
			CHECK(ob[x] == ival((int)x) * 2);
	}
	{
		pointer_t oa;
		oolints_t ob;
		mach_msg_type_number_t oac, obc;

		CHECK(u_t_ool(SERVER, a, 1, b, 65, c, 0, f, &oa, &oac, &ob, &obc) == MIG_ARRAY_TOO_LARGE);
	}
}

/*
 * PORT_SEND_ONCE / PORT_RECEIVE / PORT_SEND types: the client chooses the
 * disposition, the server accepts only what arrives as the named right.
 */
static void test_received_forms(void)
{
	mach_port_t snd = 0;

	CHECK(u_t_received(SERVER, 0x701, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x702,
			   MACH_MSG_TYPE_MOVE_RECEIVE, &snd) == KERN_SUCCESS);
	CHECK(snd == 0x703);
	/* A send right where a send-once right is declared: the server refuses it. */
	CHECK(u_t_received(SERVER, 0x701, MACH_MSG_TYPE_MAKE_SEND, 0x702,
			   MACH_MSG_TYPE_MOVE_RECEIVE, &snd) == MIG_BAD_ARGUMENTS);
}

static void test_ports(void)
{
	mach_port_t orcv = 0, osend = 0, opoly = 0;
	mach_msg_type_name_t opolyPoly = 0;

	CHECK(u_t_ports(SERVER, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207,
			MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x208, &orcv, &osend, &opoly, &opolyPoly) ==
	      KERN_SUCCESS);
	CHECK(orcv == 0x301 && osend == 0x302 && opoly == 0x303);
	CHECK(opolyPoly == MACH_MSG_TYPE_PORT_RECEIVE);
}

static void test_portarr(void)
{
	static const mach_msg_type_number_t cnts[] = { 0, 1, 5 };
	mach_port_t a[5] = { 0x500, 0x501, 0x502, 0x503, 0x504 }, pair[2] = { 0x601, 0x602 };
	int i;

	for (i = 0; i < 3; i++) {
		mach_port_array_t b = NULL;
		mach_msg_type_number_t bc = 99, x;
		mach_port_t opair[2] = { 0, 0 };

		CHECK(u_t_portarr(SERVER, a, cnts[i], pair, &b, &bc, opair) == KERN_SUCCESS);
		CHECK(bc == cnts[i]);
		CHECK(opair[0] == 0x701 && opair[1] == 0x702);
		for (x = 0; x < bc; x++)
			CHECK(b[x] == 0x401 + x);
	}
}

static void test_misc(void)
{
	int32_t x = 0, arr[8];
	mach_msg_type_number_t cnt;
	mach_port_t ob = 0;
	int32_t oc = 0;
	int i;

	CHECK(u_t_simple(SERVER, 77, "fire and forget") == KERN_SUCCESS);
	CHECK(simple_seen == 1 && loopback_last_option == MACH_SEND_MSG);
	CHECK(loopback_last_retcode == MIG_NO_REPLY);

	CHECK(u_t_after_skip(SERVER, &x) == KERN_SUCCESS && x == 4009);

	CHECK(u_t_error(SERVER, KERN_INVALID_ARGUMENT, &x) == KERN_INVALID_ARGUMENT);
	CHECK(u_t_error(SERVER, MIG_NO_REPLY, &x) == MACH_RCV_TIMED_OUT);

	for (i = 0; i < 8; i++)
		arr[i] = i;
	cnt = 8;
	CHECK(u_t_inout_arr(SERVER, arr, &cnt) == KERN_SUCCESS && cnt == 7 && arr[6] == 1006);
	cnt = 0;
	CHECK(u_t_inout_arr(SERVER, arr, &cnt) == KERN_SUCCESS && cnt == 0);

	loopback_seqno = 4242;
	CHECK(u_t_replyports(SERVER, 1234, 9, &x) == KERN_SUCCESS && x == 10);
	CHECK(loopback_last_timeout == 1234);
	CHECK(loopback_last_option == (MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT));

	CHECK(u_t_ureply(SERVER, LOOPBACK_REPLY_PORT, 1) == MACH_RCV_TIMED_OUT || ureply_seen);
	CHECK(ureply_seen == 1);

	obj_lookups = obj_releases = 0;
	CHECK(u_t_trans(SERVER, 0x202, 5, &ob, &oc) == KERN_SUCCESS);
	CHECK(ob == 0x1202 && oc == 60);
	CHECK(obj_lookups == 2 && obj_releases == 2);

	CHECK(u_t_empty(SERVER) == KERN_SUCCESS);
}

/* ---------------------------------------------------------------- malformed */

/* Each case corrupts the delivered request (or reply) in one way. */
static int corrupt_case;
static mach_msg_size_t corrupt_off;
static unsigned corrupt_val;

static void put32(mach_msg_header_t *m, mach_msg_size_t off, unsigned v)
{
	memcpy((char *)m + off, &v, sizeof(v));
}

static unsigned get32(mach_msg_header_t *m, mach_msg_size_t off)
{
	unsigned v;

	memcpy(&v, (char *)m + off, sizeof(v));
	return v;
}

static void corrupt(mach_msg_header_t *m)
{
	switch (corrupt_case) {
	case 1:	/* truncated by 4 bytes */
		m->msgh_size -= 4;
		break;
	case 2:	/* 4 bytes too long */
		put32(m, m->msgh_size, 0);
		m->msgh_size += 4;
		break;
	case 3:	/* header only */
		m->msgh_size = sizeof(mach_msg_header_t);
		break;
	case 4:	/* a 32-bit field replaced */
		put32(m, corrupt_off, corrupt_val);
		break;
	case 5:	/* complex bit flipped */
		m->msgh_bits ^= MACH_MSGH_BITS_COMPLEX;
		break;
	case 6:	/* a 32-bit field changed and the size moved by corrupt_val */
		put32(m, corrupt_off, get32(m, corrupt_off) + 1);
		m->msgh_size += corrupt_val;
		break;
	case 7:	/* id changed */
		m->msgh_id = (mach_msg_id_t)corrupt_val;
		break;
	case 8:	/* corrupt_val bytes at corrupt_off overwritten with 'A' */
		memset((char *)m + corrupt_off, 'A', corrupt_val);
		break;
	}
}

/* Offsets in a user-space message (no __KERNEL__ here). */
#define HDR	((mach_msg_size_t)sizeof(mach_msg_header_t))
#define BODY	(HDR + 4)

static kern_return_t bad_request(int how, mach_msg_size_t off, unsigned val,
				 kern_return_t (*call)(void))
{
	kern_return_t kr;
	int before = server_calls;

	corrupt_case = how;
	corrupt_off = off;
	corrupt_val = val;
	loopback_request_hook = corrupt;
	kr = call();
	loopback_request_hook = NULL;
	if (kr == MIG_BAD_ARGUMENTS)
		CHECK(server_calls == before);	/* the routine never ran */
	return kr;
}

static kern_return_t bad_reply(int how, mach_msg_size_t off, unsigned val,
			       kern_return_t (*call)(void))
{
	kern_return_t kr;

	corrupt_case = how;
	corrupt_off = off;
	corrupt_val = val;
	loopback_reply_hook = corrupt;
	kr = call();
	loopback_reply_hook = NULL;
	return kr;
}

static kern_return_t call_scalars(void)
{
	int32_t d, f = 41;
	uint64_t e;

	return u_t_scalars(SERVER, -5, 0xfedcba9876543210ULL, TRUE, -300, &d, &e, &f);
}

static mach_msg_type_number_t vcnt = 8;

static kern_return_t call_vararr(void)
{
	int32_t a[8] = { 0 }, b[8];
	char s[16] = { 0 }, t[16];
	uint64_t c[3] = { 0 }, d[3];
	mach_msg_type_number_t bc, tc, dc;
	int i;

	for (i = 0; i < 8; i++)
		a[i] = ival(i);
	return u_t_vararr(SERVER, a, vcnt, s, 0, c, 0, 80000 + 300, b, &bc, t, &tc, d, &dc);
}

static kern_return_t call_strings(void)
{
	name_t n = "abc", on;
	char ov[24];

	return u_t_strings(SERVER, n, "defg", on, ov);
}

static kern_return_t call_ool(void)
{
	static char a[8];
	static int32_t b[4], c[4], f[4] = { 40, 41, 42, 43 };
	pointer_t oa;
	oolints_t ob;
	mach_msg_type_number_t oac, obc;

	for (int i = 0; i < 4; i++) {
		b[i] = ival(i);
		c[i] = -i;
	}
	for (int i = 0; i < 8; i++)
		a[i] = (char)i;
	return u_t_ool(SERVER, a, 8, b, 4, c, 4, f, &oa, &oac, &ob, &obc);
}

static kern_return_t call_ports(void)
{
	mach_port_t orcv, osend, opoly;
	mach_msg_type_name_t opolyPoly;

	return u_t_ports(SERVER, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207,
			 MACH_MSG_TYPE_MAKE_SEND_ONCE, 0x208, &orcv, &osend, &opoly, &opolyPoly);
}

static kern_return_t call_portarr(void)
{
	mach_port_t a[2] = { 0x500, 0x501 }, pair[2] = { 0x601, 0x602 };
	mach_port_array_t b;
	mach_msg_type_number_t bc;
	mach_port_t opair[2];

	return u_t_portarr(SERVER, a, 2, pair, &b, &bc, opair);
}

static kern_return_t call_countinout(void)
{
	int32_t a[8];
	mach_msg_type_number_t cnt = 8;

	return u_t_countinout(SERVER, 8, a, &cnt);
}

static kern_return_t call_empty(void)
{
	return u_t_empty(SERVER);
}

static void test_malformed_requests(void)
{
	/* t_scalars: header, a, (pad), b, c, h, f: fixed size */
	CHECK(bad_request(1, 0, 0, call_scalars) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(2, 0, 0, call_scalars) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(3, 0, 0, call_scalars) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(5, 0, 0, call_scalars) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(7, 0, 4099, call_scalars) == MIG_REPLY_MISMATCH);	/* MIG_BAD_ID */
	CHECK(loopback_last_retcode == MIG_BAD_ID && !loopback_last_demux);
	CHECK(bad_request(7, 0, 4010, call_scalars) == MIG_REPLY_MISMATCH);	/* the skip */
	CHECK(loopback_last_retcode == MIG_BAD_ID && !loopback_last_demux);

	/* t_vararr: header, aCnt, sCnt, cCnt, tag, then a[aCnt], s[sCnt], c[cCnt] */
	vcnt = 8;
	CHECK(bad_request(1, 0, 0, call_vararr) == MIG_BAD_ARGUMENTS);		/* truncated */
	CHECK(bad_request(2, 0, 0, call_vararr) == MIG_BAD_ARGUMENTS);		/* trailing junk */
	CHECK(bad_request(3, 0, 0, call_vararr) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(4, HDR, 9, call_vararr) == MIG_BAD_ARGUMENTS);	/* aCnt over bound */
	CHECK(bad_request(4, HDR, 0xffffffffU, call_vararr) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(4, HDR, 6, call_vararr) == MIG_BAD_ARGUMENTS);	/* lies: size says 8 */
	CHECK(bad_request(4, HDR + 4, 16, call_vararr) == MIG_BAD_ARGUMENTS);	/* sCnt: no room */
	CHECK(bad_request(4, HDR + 8, 3, call_vararr) == MIG_BAD_ARGUMENTS);	/* cCnt: no room */
	CHECK(bad_request(4, HDR + 8, 0x80000000U, call_vararr) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(6, HDR, 4, call_vararr) == MIG_BAD_ARGUMENTS);	/* aCnt+1, size+4 over */
	CHECK(bad_request(5, 0, 0, call_vararr) == MIG_BAD_ARGUMENTS);
	vcnt = 0;
	CHECK(bad_request(4, HDR, 1, call_vararr) == MIG_BAD_ARGUMENTS);	/* count with no data */
	vcnt = 8;

	/* t_strings: header, n[32], vCnt, v[vCnt] */
	CHECK(bad_request(8, HDR, 32, call_strings) == MIG_BAD_ARGUMENTS);	/* n unterminated */
	CHECK(bad_request(4, HDR + 32, 0, call_strings) == MIG_BAD_ARGUMENTS);	/* vCnt 0 */
	CHECK(bad_request(8, HDR + 36, 5, call_strings) == MIG_BAD_ARGUMENTS);	/* v unterminated */
	CHECK(bad_request(4, HDR + 32, 25, call_strings) == MIG_BAD_ARGUMENTS);	/* over the bound */
	CHECK(bad_request(1, 0, 0, call_strings) == MIG_BAD_ARGUMENTS);

	/* t_ool: header, body, a (OOL 16), b, c, f */
	CHECK(bad_request(4, BODY - 4, 3, call_ool) == MIG_BAD_ARGUMENTS);	/* descriptor count */
	CHECK(bad_request(4, BODY + 8, MACH_MSG_PORT_DESCRIPTOR << 24, call_ool) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(4, BODY + 16 + 12, 65 * 4, call_ool) == MIG_BAD_ARGUMENTS);	/* b over bound */
	CHECK(bad_request(4, BODY + 16 + 12, 7, call_ool) == MIG_BAD_ARGUMENTS);	/* b: not whole ints */
	CHECK(bad_request(4, BODY + 48 + 12, 12, call_ool) == MIG_BAD_ARGUMENTS);	/* f: fixed size */
	CHECK(bad_request(5, 0, 0, call_ool) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(3, 0, 0, call_ool) == MIG_BAD_ARGUMENTS);

	/* t_ports: header, body, 7 port descriptors (12 bytes each), nm */
	CHECK(bad_request(4, BODY + 8, (MACH_MSG_OOL_DESCRIPTOR << 24) | (16 << 16), call_ports) ==
	      MIG_BAD_ARGUMENTS);	/* a port descriptor claims to be OOL */
	CHECK(bad_request(4, BODY + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (17 << 16), call_ports) ==
	      MIG_BAD_ARGUMENTS);	/* receive right arrives as a send right */
	CHECK(bad_request(4, BODY + 6 * 12 + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (15 << 16),
			  call_ports) == MIG_BAD_ARGUMENTS);	/* poly: a name is not a right */
	CHECK(bad_request(4, BODY - 4, 6, call_ports) == MIG_BAD_ARGUMENTS);
	CHECK(bad_request(5, 0, 0, call_ports) == MIG_BAD_ARGUMENTS);

	/* t_portarr: header, body, a (OOL ports), pair (2 port descriptors) */
	CHECK(bad_request(4, BODY - 4, 2, call_portarr) == MIG_BAD_ARGUMENTS);	/* descriptor count */
	CHECK(bad_request(4, BODY + 16 + 12 + 8, (MACH_MSG_OOL_DESCRIPTOR << 24) | (17 << 16),
			  call_portarr) == MIG_BAD_ARGUMENTS);	/* pair[1] is not a port */
	CHECK(bad_request(4, BODY + 16 + 12 + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (18 << 16),
			  call_portarr) == MIG_BAD_ARGUMENTS);	/* pair[1]: a send-once right */
	CHECK(bad_request(4, BODY + 8, (MACH_MSG_OOL_PORTS_DESCRIPTOR << 24) | (16 << 16),
			  call_portarr) == MIG_BAD_ARGUMENTS);	/* disposition */

	/* Unknown ids against the demultiplexer directly. */
	{
		static const mach_msg_id_t ids[] = { 3999, 4000 + 20, 4010, -1, 0x7fffffff,
						     (mach_msg_id_t)0x80000000U };
		mach_msg_header_t *in = calloc(1, sizeof(*in) + 64);
		mig_reply_error_t *out = malloc(migtest_subsystem.maxsize);
		unsigned i;

		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			in->msgh_id = ids[i];
			in->msgh_size = sizeof(*in);
			CHECK(!migtest_server(in, &out->Head));
			CHECK(out->RetCode == MIG_BAD_ID && out->Head.msgh_size == sizeof(*out));
		}
		CHECK(migtest_server_routine(in) == NULL);
		in->msgh_id = 4000;
		CHECK(migtest_server_routine(in) != NULL);
		CHECK(migtest_subsystem.start == 4000 && migtest_subsystem.end == 4020);
		CHECK(migtest_subsystem.routine[10].stub == NULL);
		free(in);
		free(out);
	}
}

static void test_malformed_replies(void)
{
	/* t_scalars reply: header, RetCode, d, (pad), e, f */
	CHECK(bad_reply(7, 0, 4100 + 1, call_scalars) == MIG_REPLY_MISMATCH);
	CHECK(bad_reply(7, 0, 71, call_scalars) == MIG_SERVER_DIED);
	CHECK(bad_reply(1, 0, 0, call_scalars) == MIG_TYPE_ERROR);
	CHECK(bad_reply(2, 0, 0, call_scalars) == MIG_TYPE_ERROR);
	CHECK(bad_reply(5, 0, 0, call_scalars) == MIG_TYPE_ERROR);
	CHECK(bad_reply(3, 0, 0, call_scalars) == MIG_TYPE_ERROR);
	CHECK(bad_reply(4, HDR, KERN_FAILURE, call_scalars) == KERN_FAILURE);	/* RetCode */

	/* t_vararr reply: header, RetCode, bCnt, tCnt, dCnt, b, t, d */
	CHECK(bad_reply(4, HDR + 4, 9, call_vararr) == MIG_TYPE_ERROR);
	CHECK(bad_reply(4, HDR + 4, 0xfffffff0U, call_vararr) == MIG_TYPE_ERROR);
	CHECK(bad_reply(4, HDR + 12, 1, call_vararr) == MIG_TYPE_ERROR);	/* dCnt: no room */
	CHECK(bad_reply(1, 0, 0, call_vararr) == MIG_TYPE_ERROR);
	CHECK(bad_reply(2, 0, 0, call_vararr) == MIG_TYPE_ERROR);

	/* t_countinout: a reply with more than the caller has room for */
	{
		int32_t a[8];
		mach_msg_type_number_t cnt = 8;

		CHECK(u_t_countinout(SERVER, 8, a, &cnt) == KERN_SUCCESS);
	}
	CHECK(bad_reply(4, HDR + 4, 9, call_countinout) == MIG_TYPE_ERROR);

	/* t_ool reply: header, body, oa, ob */
	CHECK(bad_reply(4, BODY - 4, 1, call_ool) == MIG_TYPE_ERROR);
	/* t_portarr's reply: b (OOL ports), opair (2 port descriptors) */
	CHECK(bad_reply(4, BODY + 16 + 12 + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (18 << 16),
			call_portarr) == MIG_TYPE_ERROR);	/* opair[1]: a send-once right */
	CHECK(bad_reply(4, BODY + 8, MACH_MSG_PORT_DESCRIPTOR << 24, call_ool) == MIG_TYPE_ERROR);
	CHECK(bad_reply(4, BODY + 16 + 12, 65 * 4, call_ool) == MIG_TYPE_ERROR);
	CHECK(bad_reply(5, 0, 0, call_ool) == MIG_TYPE_ERROR);

	/* t_ports reply: header, body, orcv, osend, opoly */
	CHECK(bad_reply(4, BODY + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (17 << 16), call_ports) ==
	      MIG_TYPE_ERROR);
	CHECK(bad_reply(4, BODY + 24 + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (21 << 16), call_ports) ==
	      MIG_TYPE_ERROR);

	/* t_empty reply: header and RetCode */
	CHECK(bad_reply(1, 0, 0, call_empty) == MIG_TYPE_ERROR);
	CHECK(bad_reply(4, HDR, MIG_BAD_ID, call_empty) == MIG_BAD_ID);
}

/*
 * A reply the stub refuses is destroyed (mach_msg_destroy()): its rights
 * and out-of-line memory, whether another routine's or malformed.
 */
static void test_refused_reply_destroyed(void)
{
	unsigned int r0 = loopback_destroyed_rights, o0 = loopback_destroyed_ool;

	/* t_ool's reply (oa, ob out of line) with another id */
	CHECK(bad_reply(7, 0, 4100 + 1, call_ool) == MIG_REPLY_MISMATCH);
	CHECK(loopback_destroyed_rights == r0 && loopback_destroyed_ool == o0 + 2);
	/* malformed: the count of t_ool's ob over its bound */
	CHECK(bad_reply(4, BODY + 16 + 12, 65 * 4, call_ool) == MIG_TYPE_ERROR);
	CHECK(loopback_destroyed_ool == o0 + 4);
	/* t_ports' reply: orcv, osend and opoly, one with the wrong right */
	r0 = loopback_destroyed_rights;
	CHECK(bad_reply(4, BODY + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (17 << 16), call_ports) ==
	      MIG_TYPE_ERROR);
	CHECK(loopback_destroyed_rights == r0 + 3);
	/* t_portarr's: two names out of line (an array) and two port descriptors */
	r0 = loopback_destroyed_rights;
	o0 = loopback_destroyed_ool;
	CHECK(bad_reply(4, BODY + 16 + 12 + 8, (MACH_MSG_PORT_DESCRIPTOR << 24) | (18 << 16),
			call_portarr) == MIG_TYPE_ERROR);
	CHECK(loopback_destroyed_rights == r0 + 4 && loopback_destroyed_ool == o0 + 1);
	/* a good reply is the caller's: nothing destroyed */
	r0 = loopback_destroyed_rights;
	o0 = loopback_destroyed_ool;
	CHECK(call_ports() == KERN_SUCCESS && call_ool() == KERN_SUCCESS);
	CHECK(loopback_destroyed_rights == r0 && loopback_destroyed_ool == o0);
}

/*
 * A send that times out gives the request back (pseudo-receive): the stub
 * destroys it (the destination's send right, p's made send right, o's
 * fresh region) and gives the reply right, named apart, to
 * mig_dealloc_reply_port() with the thread's port.
 */
static void test_send_timeout(void)
{
	unsigned int r0 = loopback_destroyed_rights, o0 = loopback_destroyed_ool;
	int before = server_calls;
	char o[4] = "ool";
	int32_t x = 0;

	loopback_dealloc_arg = MACH_PORT_NULL;
	loopback_send_timeout = 1;
	CHECK(u_t_sendtime(SERVER, 10, 0x321, (pointer_t)o, 4, &x) == MACH_SEND_TIMED_OUT);
	CHECK(server_calls == before && x == 0);
	CHECK(loopback_destroyed_rights == r0 + 2 && loopback_destroyed_ool == o0 + 1);
	CHECK(loopback_dealloc_arg == LOOPBACK_PSEUDO_REPLY);
	CHECK((loopback_last_option & MACH_SEND_TIMEOUT) && loopback_last_timeout == 10);
	/* sent: the server's answer, nothing destroyed */
	CHECK(u_t_sendtime(SERVER, 10, 0x321, (pointer_t)o, 4, &x) == KERN_SUCCESS && x == 1);
	CHECK(loopback_destroyed_rights == r0 + 2 && loopback_destroyed_ool == o0 + 1);
}

/* A CountInOut caller with less room than the reply carries: the request
 * (header, n, aCnt) is changed on its way to claim room for 8. */
static int32_t room[3];
static mach_msg_type_number_t room_cnt;

static kern_return_t call_small_room(void)
{
	room[2] = 0x5a5a5a5a;	/* canary after the caller's room of 2 */
	room_cnt = 2;
	return u_t_countinout(SERVER, 8, room, &room_cnt);
}

static void test_array_too_large(void)
{
	CHECK(call_small_room() == KERN_SUCCESS && room_cnt == 2 && room[1] == ival(1));
	CHECK(bad_request(4, HDR + 4, 8, call_small_room) == MIG_ARRAY_TOO_LARGE);
	CHECK(room_cnt == 8 && room[0] == ival(0) && room[1] == ival(1));
	CHECK(room[2] == 0x5a5a5a5a);	/* only the room was written */
}

int main(void)
{
	loopback_register(&migtest_subsystem);
	test_scalars();
	test_structs();
	test_fixarr();
	test_vararr();
	test_countinout();
	test_strings();
	test_ool();
	test_ports();
	test_received_forms();
	test_portarr();
	test_misc();
	test_malformed_requests();
	test_malformed_replies();
	test_refused_reply_destroyed();
	test_send_timeout();
	test_array_too_large();
	printf("migtest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
