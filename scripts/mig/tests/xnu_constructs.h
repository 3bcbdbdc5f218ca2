/* SPDX-License-Identifier: MIT */
/* The C types of tests/xnu_constructs.defs, as XNU's headers declare theirs. */
#ifndef MIG_TEST_XNU_CONSTRUCTS_H
#define MIG_TEST_XNU_CONSTRUCTS_H

#include <mach/std_types.h>
#include <mach/message.h>

typedef uint8_t		xc_u8;
typedef uint64_t	xc_u64;
typedef char		xc_path_t[64];
typedef struct { uint32_t v[8]; } xc_token_c_t;

#endif /* MIG_TEST_XNU_CONSTRUCTS_H */
