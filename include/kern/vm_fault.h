/* SPDX-License-Identifier: MIT */
/*
 * Page faults: make a map's pmap translate an address (Documentation/mm/vm.rst).
 *
 * vm_fault() finds what the map holds at vaddr (vm_map_lookup_locked()),
 * the page of the object chain behind it (zero-filling a new one in the
 * top object when no object has one), copies it into the top object when
 * the access writes a page that a shadowed object holds (copy-on-write),
 * and enters it in the map's pmap with the entry's protection (without
 * write when the page still belongs to an object shared copy-on-write).
 */
#ifndef _KERN_VM_FAULT_H
#define _KERN_VM_FAULT_H

#include <kern/types.h>
#include <kern/vm_map.h>

/*
 * Resolve a fault of fault_type (VM_PROT_READ, _WRITE, _EXECUTE) at vaddr
 * in map. change_wiring: wire the page (vm_map_wire()). KERN_SUCCESS,
 * KERN_INVALID_ADDRESS (nothing mapped there), KERN_PROTECTION_FAILURE
 * (the entry does not allow the access), KERN_RESOURCE_SHORTAGE,
 * KERN_MEMORY_ERROR (the pager failed). Takes the map's lock, and drops
 * it while it waits for a pager (then looks the address up again);
 * thread context, interrupts enabled.
 */
kern_return_t vm_fault(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
		       bool change_wiring);

/*
 * The same with the map locked by the caller, who keeps it locked. A
 * fault that must wait for a pager or for free pages does not wait here:
 * it fills *wait and returns VM_FAULT_RETRY; the caller unlocks the map,
 * calls vm_fault_wait_run(wait, &waits) and, if that gives KERN_SUCCESS,
 * looks at the map again from the start (anything may have changed
 * meanwhile); its error otherwise.
 */
#define VM_FAULT_RETRY	((kern_return_t)-1)
struct vm_pager_wait;
kern_return_t vm_fault_locked(vm_map_t map, vm_offset_t vaddr, vm_prot_t fault_type,
			      bool change_wiring, struct vm_pager_wait *wait);

/*
 * The wait vm_fault_locked() handed back, nothing locked: for the pager
 * (vm_object_pager_wait_run(), <kern/vm_object.h>), or for the pageout
 * daemon to free pages (vm_page_wait()). *waits counts the latter across
 * the caller's retries (start at 0): KERN_RESOURCE_SHORTAGE when the
 * daemon can free nothing or after as many waits as a fault makes.
 */
kern_return_t vm_fault_wait_run(struct vm_pager_wait *wait, unsigned int *waits);

/* Unwire the pages of [start, end) of a wired entry (map locked). */
void vm_fault_unwire(vm_map_t map, struct vm_map_entry *entry, vm_offset_t start,
		     vm_offset_t end);

/*
 * Copy len bytes at in_page of the page that (object, offset) shows (its
 * shadow chain included; zeroes where no object has one) into buf.
 * Object unlocked. KERN_MEMORY_ERROR when its pager cannot supply it.
 */
struct vm_object;
kern_return_t vm_fault_object_read(struct vm_object *object, vm_offset_t offset,
				   vm_offset_t in_page, void *buf, vm_size_t len);

/*
 * For the trap handlers: a kernel-mode fault at a lower-half address.
 * Resolves it in current_thread()'s map if it has one and the context can
 * sleep (interrupts were enabled, no preemption disabled, the map not
 * already locked by this thread); interrupts are enabled meanwhile. True
 * if resolved: the faulting instruction may run again. False: the caller
 * reports the fault as it always has (after a line saying why the VM did
 * not resolve it, if it tried).
 */
bool vm_fault_kernel_trap(vm_offset_t addr, vm_prot_t fault_type, bool irqs_were_enabled);

/* What faults did since boot (vm_statistics). */
struct vm_fault_stats {
	unsigned long	faults;		/* vm_fault() calls */
	unsigned long	zero_fills;	/* pages zero-filled (demand zero) */
	unsigned long	cow_faults;	/* pages copied for a write (copy-on-write) */
	unsigned long	reactivations;	/* inactive pages a fault mapped again */
	unsigned long	pager_requests;	/* data_request sent to external pagers */
};

void vm_fault_get_stats(struct vm_fault_stats *stats);

#endif /* _KERN_VM_FAULT_H */
