/* SPDX-License-Identifier: MIT */
/* The C side of tests/every_kind.defs (see tests/every_routine.py). */
#ifndef EVERY_KIND_TYPES_H
#define EVERY_KIND_TYPES_H

#include <mach/std_types.h>
#include <mach/port.h>
#include <stdint.h>

typedef int8_t		int8;
typedef int16_t		int16;
typedef int64_t		int64;
typedef boolean_t	ek_bool_t;
typedef int8_t		*ek_bytes_t;
typedef int16_t		*ek_shorts_t;
typedef int		*ek_ints_t;
typedef int64_t		*ek_longs_t;
typedef int64_t		*ek_one_t;
typedef int8_t		ek_fixb_t[3];
typedef int16_t		ek_fixs_t[5];
typedef int64_t		ek_fixl_t[2];
typedef struct { int x, y; } ek_pair_t;
typedef struct { int8_t a; int64_t b; int16_t c; } ek_rec_t;
typedef ek_rec_t	*ek_recs_t;
typedef char		ek_name_t[16];
typedef char		*ek_vname_t;
typedef char		*ek_tiny_t;
typedef int16_t		*ek_ool_t;
typedef int64_t		*ek_oolfix_t;
typedef ek_rec_t	*ek_oolrecs_t;
typedef int64_t		*ek_single_t;
typedef struct { int8_t a, b, c; } ek_odd_t;
typedef ek_odd_t	*ek_odds_t;
typedef char		*ek_nul_t;
typedef char		ek_fnul_t[1];
typedef int8_t		*ek_byte1_t;
typedef mach_port_t	*ek_send_array_t, *ek_once_array_t, *ek_recv_array_t,
			*ek_poly_array_t, *ek_sendr_array_t;

#endif
