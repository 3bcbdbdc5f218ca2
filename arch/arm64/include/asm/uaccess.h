/* SPDX-License-Identifier: MIT */
/*
 * The arm64 side of <kern/copyio.h>'s inline user accesses (its
 * contract, Documentation/traps.rst "copyio"): each load or store is one
 * LDTR/STTR, listed in the copyio exception table with a C label as its
 * fixup.
 *
 * LDTR and STTR check EL0's permissions and PAN does not stop them:
 * PSTATE.PAN stays set, and user_access_begin()/end() (x86_64's stac
 * and clac) have nothing to do.
 */
#ifndef _ASM_ARM64_UACCESS_H
#define _ASM_ARM64_UACCESS_H

static __always_inline void user_access_begin(void)
{
}

static __always_inline void user_access_end(void)
{
}

/*
 * The one-instruction user load and store of <kern/copyio.h>'s
 * unsafe_get_user_u32()/unsafe_put_user_u32(): %[v] the value, %[b] the
 * base, %[o] the constant offset (-256 to 255); a zero is stored from wzr.
 */
#define ARCH_UACCESS_LOAD_U32		"ldtr %w[v], [%[b], %[o]]"
#define ARCH_UACCESS_STORE_U32		"sttr %w[v], [%[b], %[o]]"
#define ARCH_UACCESS_STORE_VALUE	"rZ"

#endif /* _ASM_ARM64_UACCESS_H */
