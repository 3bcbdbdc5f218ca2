// SPDX-License-Identifier: MIT
/*
 * copyin, copyout, copyinstr (<kern/copyio.h>): the range check and the
 * exception table; the copy loops with their fault recovery are the
 * architecture's (arch/<arch>/kernel/copyio.S).
 */
#include <kern/copyio.h>
#include <kern/string.h>

kern_return_t copyin(const void __user *uaddr, void *kaddr, vm_size_t len)
{
	if (!copyio_user_range_ok((unsigned long)uaddr, len))
		return KERN_INVALID_ADDRESS;
	if (len && arch_copy_from_user(kaddr, uaddr, len))
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

kern_return_t copyout(const void *kaddr, void __user *uaddr, vm_size_t len)
{
	if (!copyio_user_range_ok((unsigned long)uaddr, len))
		return KERN_INVALID_ADDRESS;
	if (len && arch_copy_to_user(uaddr, kaddr, len))
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

/* Chunks never cross a page: the string may end just before an unmapped one. */
#define COPYINSTR_CHUNK	64

kern_return_t copyinstr(const char __user *uaddr, char *kaddr, vm_size_t max,
			vm_size_t *done)
{
	unsigned long ua = (unsigned long)uaddr;
	vm_size_t copied = 0;

	while (copied < max) {
		vm_size_t n = MIN(max - copied, COPYINSTR_CHUNK);
		const char *nul;

		n = MIN(n, PAGE_SIZE - ((ua + copied) & (PAGE_SIZE - 1)));
		if (copyin((const void __user *)(ua + copied), kaddr + copied, n) != KERN_SUCCESS)
			return KERN_INVALID_ADDRESS;
		nul = memchr(kaddr + copied, '\0', n);
		if (nul) {
			if (done)
				*done = (vm_size_t)(nul - kaddr) + 1;
			return KERN_SUCCESS;
		}
		copied += n;
	}
	if (done)
		*done = copied;
	return KERN_NO_SPACE;
}

kern_return_t copyio_probe_kernel_access(const void __user *uaddr, unsigned long *val)
{
	if (!copyio_user_range_ok((unsigned long)uaddr, sizeof(*val)))
		return KERN_INVALID_ADDRESS;
	if (!arch_copyio_probe(uaddr, val))
		return KERN_SUCCESS;
	return copyio_user_access_protected() ? KERN_PROTECTION_FAILURE : KERN_INVALID_ADDRESS;
}

/*
 * The entry of pc, by halves: the table is sorted by pc after the link
 * (scripts/sort-extable.py). Asked for the fixup of a fault the VM did
 * not resolve, and on arm64 with PAN at every kernel-mode fault on a user
 * address (is it a listed access? x86_64 asks RFLAGS.AC instead): ~7
 * steps for ~80 entries, where a scan of them cost ~210 instructions.
 */
const struct copyio_extable_entry *copyio_extable_find(unsigned long pc)
{
	const struct copyio_extable_entry *lo = copyio_extable_start;
	const struct copyio_extable_entry *hi = copyio_extable_end;	/* past the end */

	while (lo < hi) {
		const struct copyio_extable_entry *mid = lo + (hi - lo) / 2;

		if (mid->pc == pc)
			return mid;
		if (mid->pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

unsigned long copyio_fixup_pc(unsigned long pc)
{
	const struct copyio_extable_entry *e;

	if (pc == (unsigned long)copyio_probe_load)
		return (unsigned long)copyio_probe_fault;
	e = copyio_extable_find(pc);
	return e ? e->fixup : 0;
}

bool copyio_user_access_pc(unsigned long pc)
{
	return copyio_extable_find(pc) != NULL;
}
