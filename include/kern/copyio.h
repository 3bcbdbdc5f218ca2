/* SPDX-License-Identifier: MIT */
/*
 * Copying between the kernel and the current thread's user address space
 * (Documentation/traps.rst, "copyio").
 *
 * User pointers are __user (sparse keeps them apart from kernel pointers).
 * These routines are the only place the kernel touches user memory: with
 * SMAP (x86_64) or PAN (arm64) on, any other kernel access to a user page
 * faults. An address range that is not wholly below VM_MAX_USER_ADDRESS
 * is refused before any access. A page that is mapped in the thread's
 * vm_map but not yet in its pmap is faulted in (vm_fault(), which may
 * sleep: call these with interrupts and preemption enabled); an access
 * the VM cannot resolve is recovered through the copyio exception table
 * and returns KERN_INVALID_ADDRESS, never a panic. Part of the data may
 * have been copied by then.
 */
#ifndef _KERN_COPYIO_H
#define _KERN_COPYIO_H

#include <kern/types.h>
#include <mach/kern_return.h>
#include <asm/memory.h>

kern_return_t copyin(const void __user *uaddr, void *kaddr, vm_size_t len);
kern_return_t copyout(const void *kaddr, void __user *uaddr, vm_size_t len);

/*
 * A NUL-terminated string of at most max bytes (NUL included) into kaddr;
 * *done (may be NULL): bytes copied, NUL included. KERN_INVALID_ADDRESS,
 * or KERN_NO_SPACE when max bytes hold no NUL.
 */
kern_return_t copyinstr(const char __user *uaddr, char *kaddr, vm_size_t max,
			vm_size_t *done);

/* Is [uaddr, uaddr + len) a range of user addresses (no wrap)? */
static inline bool copyio_user_range_ok(unsigned long uaddr, vm_size_t len)
{
	return uaddr + len >= uaddr && uaddr + len <= VM_MAX_USER_ADDRESS;
}

/*
 * Inline user accesses (their instructions and window: <asm/uaccess.h>)
 * for a few words on a hot path (the mach_msg fast path's header and
 * trailer): after one range check of its own (copyio_user_range_ok() or
 * as cheap), the caller opens the
 * window with user_access_begin(), makes each access with
 *
 *	unsafe_get_user_u32(x, base, off, label);
 *	unsafe_put_user_u32(x, base, off, label);
 *
 * (the 32-bit word at the user address base + off, off a small constant:
 * one instruction, its own copyio exception-table entry) and closes it
 * with user_access_end(), on the way out of label too. A page the
 * thread's map holds is faulted in and the access resumes; an access the
 * VM cannot resolve goes to label. SMAP (x86_64) is off only inside the
 * window; PAN (arm64) stays on (LDTR/STTR). Nothing but these accesses
 * between begin and end: no call, nothing that may sleep or fault
 * otherwise.
 */
#include <asm/uaccess.h>

/* One copyio exception-table entry: a fault at insn resumes at fixup. */
#define COPYIO_EXTABLE_ENTRY(insn, fixup)					\
	".pushsection .copyio_extable, \"a\"\n\t"				\
	".balign 8\n\t"								\
	".quad " insn ", " fixup "\n\t"						\
	".popsection\n\t"

/*
 * "asm volatile goto", not the implicitly volatile "asm goto": GCC 12
 * dropped an asm goto with an output as if it were not volatile (a
 * header's word was never loaded, on arm64).
 */
#define unsafe_get_user_u32(x, base, off, label)				\
do {										\
	uint32_t __v;								\
										\
	asm volatile goto("1:	" ARCH_UACCESS_LOAD_U32 "\n\t"			\
			  COPYIO_EXTABLE_ENTRY("1b", "%l[" #label "]")		\
			  : [v] "=r"(__v)					\
			  : [b] "r"((const void __force *)(base)), [o] "i"(off)	\
			  : : label);						\
	(x) = __v;								\
} while (0)

#define unsafe_put_user_u32(x, base, off, label)				\
	asm volatile goto("1:	" ARCH_UACCESS_STORE_U32 "\n\t"			\
			  COPYIO_EXTABLE_ENTRY("1b", "%l[" #label "]")		\
			  : : [v] ARCH_UACCESS_STORE_VALUE((uint32_t)(x)),		\
			      [b] "r"((const void __force *)(base)), [o] "i"(off)	\
			  : : label)

/*
 * True when the CPU stops the kernel from touching user memory outside
 * copyio: SMAP on x86_64, PAN on arm64.
 */
bool copyio_user_access_protected(void);

/*
 * For tests of that protection: one plain kernel load of the word at
 * uaddr, as any kernel code would do it (not a copyio access). With the
 * protection on it faults and is recovered: KERN_PROTECTION_FAILURE.
 * Without it, KERN_SUCCESS and *val (or KERN_INVALID_ADDRESS if the VM
 * could not resolve it).
 */
kern_return_t copyio_probe_kernel_access(const void __user *uaddr, unsigned long *val);

/*
 * For the trap handlers. copyio_fixup_pc(): where a faulting access at pc
 * resumes if pc is one of the copyio accesses (or the probe's load),
 * else 0. copyio_user_access_pc(): whether pc is a copyio user access,
 * one listed in the exception table (the only kernel code allowed to
 * touch user memory with PAN on; x86_64 with SMAP tests the frame's
 * RFLAGS.AC instead). Both search the sorted table by halves.
 */
unsigned long copyio_fixup_pc(unsigned long pc);
bool copyio_user_access_pc(unsigned long pc);

/*
 * The architecture's copy loops (arch/<arch>/kernel/copyio.S): 0, or
 * non-zero when a fault was not resolved. arch_copyio_probe(): the plain
 * load of copyio_probe_kernel_access(), 0 or non-zero if it faulted.
 */
unsigned long arch_copy_from_user(void *dst, const void __user *src, vm_size_t len);
unsigned long arch_copy_to_user(void __user *dst, const void *src, vm_size_t len);
unsigned long arch_copyio_probe(const void __user *uaddr, unsigned long *val);

/*
 * The copyio exception table (section .copyio_extable, gathered by the
 * linker script): every user access, in copyio.S or inline
 * (COPYIO_EXTABLE_ENTRY(), <asm/uaccess.h>), and where it resumes when
 * the VM cannot resolve its fault; sorted by pc after the link. The
 * probe's load (not a user access: SMAP/PAN must stop it) is apart:
 * copyio_probe_load, copyio_probe_fault.
 */
struct copyio_extable_entry {
	unsigned long	pc;
	unsigned long	fixup;
};
extern const struct copyio_extable_entry copyio_extable_start[], copyio_extable_end[];
/* The table sorted by pc (scripts/sort-extable.py): pc's entry, or NULL. */
const struct copyio_extable_entry *copyio_extable_find(unsigned long pc);
extern const char copyio_probe_load[], copyio_probe_fault[];

#endif /* _KERN_COPYIO_H */
