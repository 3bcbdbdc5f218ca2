/* SPDX-License-Identifier: MIT */
/* The C side of migtest.defs's types (see tests/loopback.c). */
#ifndef MIGTEST_TYPES_H
#define MIGTEST_TYPES_H

#include <mach/std_types.h>
#include <mach/message.h>
#include <stdint.h>

typedef struct { int32_t x, y; } point_t;
typedef struct { uint64_t a; int32_t b; } big_t;
typedef int32_t fixarr_t[4];
typedef short shorts_t[3];
typedef int32_t *vararr_t;
typedef uint64_t *var64_t;
typedef char *bytes_t;
typedef char name_t[32];
typedef char *vname_t;
typedef int32_t *oolints_t;
typedef int32_t *unbounded_t;
typedef int32_t *fixool_t;
typedef int32_t counter_t;

/* Server-side translations of obj_t and counter_t. */
typedef struct obj { mach_port_t port; int refs; } *obj_ref_t;
typedef struct counter { int32_t value; } *counter_ref_t;
obj_ref_t obj_lookup(mach_port_t port);
mach_port_t obj_to_port(obj_ref_t obj);
void obj_release(obj_ref_t obj);
counter_ref_t counter_in(int32_t v);
int32_t counter_out(counter_ref_t c);

#endif
