/* SPDX-License-Identifier: MIT */
/*
 * Copies of address-space ranges (Mach's vm_map_copy), for out-of-line
 * message data and vm_read/vm_write/vm_copy. See Documentation/mm/vm.rst.
 *
 * A copy is a list of pieces, each (object, offset, length) as a map
 * entry would hold it, with the byte offset of the data in its first page
 * and its size. vm_map_copyin() shares the source's pages copy-on-write
 * (symmetric, as vm_map_fork(): no page is copied until one side writes
 * it); ranges of at most VM_MAP_COPY_SMALL bytes are copied at once, which
 * costs less than write-protecting and later shadowing the source.
 *
 *	struct vm_map_copy *copy;
 *	kr = vm_map_copyin(src_map, addr, len, false, &copy);
 *	kr = vm_map_copyout(dst_map, &dst_addr, copy);	consumes copy
 *	(or vm_map_copy_overwrite(dst_map, addr, copy), or vm_map_copy_discard(copy))
 *
 * The kernel's own data becomes a copy with vm_map_copy_from_kernel() and
 * comes back with vm_map_copy_to_kernel(). Thread context, no lock held.
 */
#ifndef _KERN_VM_MAP_COPY_H
#define _KERN_VM_MAP_COPY_H

#include <kern/vm_map.h>
#include <mach/memory_object_types.h>

struct vm_map_copy {
	struct vm_map_entry	header;		/* circular list of pieces; start/end from 0 */
	unsigned int		nentries;
	vm_offset_t		offset;		/* of the data in the first page */
	vm_size_t		size;		/* bytes of data */
};

#define VM_MAP_COPY_SMALL	(2 * PAGE_SIZE)

/*
 * A copy of [addr, addr + len) of map: KERN_INVALID_ADDRESS if not all
 * mapped, KERN_PROTECTION_FAILURE if a part is not readable,
 * KERN_RESOURCE_SHORTAGE. src_destroy: the range is then removed from
 * map (the pages move, nothing is copied). len 0 gives a NULL copy.
 */
kern_return_t vm_map_copyin(vm_map_t map, vm_offset_t addr, vm_size_t len,
			    bool src_destroy, struct vm_map_copy **copyp);

/*
 * Map the copy anywhere in map (read-write, inherited by copy); *addr gets
 * where its data starts. Consumes the copy on success (a NULL copy gives
 * 0). KERN_NO_SPACE.
 */
kern_return_t vm_map_copyout(vm_map_t map, vm_offset_t *addr, struct vm_map_copy *copy);

/*
 * Write the copy's data over [addr, addr + size) of map, which must be
 * mapped and writable (KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE;
 * nothing is written then). Whole pages over private memory (anonymous,
 * referenced by this map alone, not wired) are replaced by the copy's,
 * copy-on-write, with no byte copied; elsewhere the data is written into
 * the pages mapped there (shared memory shows it to its sharers).
 * Consumes the copy on success.
 */
kern_return_t vm_map_copy_overwrite(vm_map_t map, vm_offset_t addr, struct vm_map_copy *copy);

void vm_map_copy_discard(struct vm_map_copy *copy);

/* A copy holding len bytes of kernel memory at data (fresh pages); NULL without memory. */
struct vm_map_copy *vm_map_copy_from_kernel(const void *data, vm_size_t len);

/*
 * Read len bytes at offset from the start of the copy's data into buf.
 * KERN_MEMORY_ERROR when a pager cannot supply a page.
 */
kern_return_t vm_map_copy_read(struct vm_map_copy *copy, vm_offset_t offset, void *buf,
			       vm_size_t len);

/* Copies that exist (tests). */
unsigned long vm_map_copy_count(void);

/*
 * The Mach calls on a map (mach.defs), for the task layer's MIG server:
 *	vm_read		vm_map_read(map, addr, size, &copy)
 *	vm_write	vm_map_write(map, addr, copy)		(consumes on success)
 *	vm_copy		vm_map_copy_region(map, src, size, dst)
 *	vm_map		vm_map_memory_object(map, &addr, ...)
 * ipc_ool_copy_from_vm() / ipc_ool_copy_to_vm() (ipc/ipc_kmsg.h) turn
 * these copies into a message's out-of-line data and back.
 */
kern_return_t vm_map_read(vm_map_t map, vm_offset_t addr, vm_size_t size,
			  struct vm_map_copy **copyp);
kern_return_t vm_map_write(vm_map_t map, vm_offset_t addr, struct vm_map_copy *copy);
kern_return_t vm_map_copy_region(vm_map_t map, vm_offset_t src, vm_size_t size,
				 vm_offset_t dst);

/*
 * vm_map(): map size bytes of the memory object whose port is `pager` (a
 * send right the call consumes on success; MACH_PORT_NULL: anonymous
 * memory) at offset. copy: the map gets a copy of the object as it is
 * at the call (a snapshot), made as the pager's copy strategy says
 * (vm_object_copy_strategically(): delayed copy-on-write by default,
 * eager for MEMORY_OBJECT_COPY_NONE, KERN_NOT_SUPPORTED for _CALL).
 */
struct ipc_port;
kern_return_t vm_map_memory_object(vm_map_t map, vm_offset_t *addr, vm_size_t size,
				   vm_offset_t mask, bool anywhere, struct ipc_port *pager,
				   vm_offset_t offset, bool copy, vm_prot_t cur_protection,
				   vm_prot_t max_protection, vm_inherit_t inheritance);

#endif /* _KERN_VM_MAP_COPY_H */
