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
 * Fixed-size copies for the mach_msg trap: a message header in user form
 * (mach_msg_user_header_t, ipc/ipc_kmsg.h: COPYIO_MSG_HEADER_SIZE bytes)
 * in, and a header with its trailer out. One range check, then straight
 * loads or stores (one copyio exception-table entry each) instead of the
 * copy loop; the same rules otherwise as copyin()/copyout(): a page the
 * map holds is faulted in, anything else is KERN_INVALID_ADDRESS, SMAP
 * and PAN stay on around the access.
 *
 * copyin_msg_header(): the header into kaddr, which nothing is written to
 * if the copy fails (the three words are loaded before any is stored).
 * copyout_msg_header(): size bytes from kaddr; a size of
 * COPYIO_MSG_HEADER_SIZE to COPYOUT_MSG_HEADER_MAX and a multiple of 4
 * (a header and a trailer) takes the straight stores, any other size is
 * plain copyout(). Part of it may have been written when it fails.
 */
#define COPYIO_MSG_HEADER_SIZE		24
#define COPYOUT_MSG_HEADER_MAX		(COPYIO_MSG_HEADER_SIZE + 32)

unsigned long arch_copyin_msg_header(void *kaddr, const void __user *uaddr);
unsigned long arch_copyout_msg_header(void __user *uaddr, const void *kaddr, vm_size_t size);

static inline kern_return_t copyin_msg_header(const void __user *uaddr, void *kaddr)
{
	/* No wrap to test: the constant is subtracted, not added. */
	if (unlikely((unsigned long)uaddr > VM_MAX_USER_ADDRESS - COPYIO_MSG_HEADER_SIZE))
		return KERN_INVALID_ADDRESS;
	if (unlikely(arch_copyin_msg_header(kaddr, uaddr)))
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

static inline kern_return_t copyout_msg_header(const void *kaddr, void __user *uaddr,
					       vm_size_t size)
{
	if (unlikely(size - COPYIO_MSG_HEADER_SIZE >
		     COPYOUT_MSG_HEADER_MAX - COPYIO_MSG_HEADER_SIZE || (size & 3)))
		return copyout(kaddr, uaddr, size);
	if (unlikely((unsigned long)uaddr > VM_MAX_USER_ADDRESS - size))
		return KERN_INVALID_ADDRESS;
	if (unlikely(arch_copyout_msg_header(uaddr, kaddr, size)))
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

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
 * resumes if pc is one of the copyio accesses, else 0.
 * copyio_user_access_pc(): whether pc is in a copyio user access (the
 * only kernel code allowed to touch user memory with SMAP/PAN on).
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

/* The exception table of copyio.S: a faulting pc, where it resumes. */
struct copyio_extable_entry {
	unsigned long	pc;
	unsigned long	fixup;
};
extern const struct copyio_extable_entry copyio_extable_start[], copyio_extable_end[];
extern const char copyio_user_text_start[], copyio_user_text_end[];

#endif /* _KERN_COPYIO_H */
