/* SPDX-License-Identifier: MIT */
/*
 * Pageout and the default pager (Documentation/mm/vm.rst, "Pageout").
 *
 * The pageout daemon (mm/vm_pageout.c) keeps vm_page_free_count() above
 * vm_page_free_target with a second-chance scan of the paging queues:
 * an active page whose reference bit is clear goes to the inactive queue,
 * an inactive page referenced again goes back to active, an inactive page
 * still unreferenced is cleaned (written to its pager) and freed.
 *
 * VM page allocations (vm_page_alloc_object()) fail once the free pages
 * are down to vm_page_free_min, which is kept for the kernel's own wired
 * allocations and for the daemon; a fault that gets no page unlocks
 * everything, waits in vm_page_wait() and tries again.
 *
 * The default pager (mm/default_pager.c) backs internal objects: slots of
 * one page on the "machline-swap" virtio disk, or in a RAM area reserved
 * at boot (swap=ram:SIZE), handed out by a bitmap; each object maps its
 * page offsets to slots (vm_object.swap_map). A fault on a paged-out page
 * reads it back directly (vm_fault, no message) and frees the slot.
 */
#ifndef _KERN_VM_PAGEOUT_H
#define _KERN_VM_PAGEOUT_H

#include <kern/types.h>
#include <kern/vm_object.h>
#include <mach/kern_return.h>

/* Free-page thresholds, in pages (vm.free_target=, vm.free_min=). */
extern unsigned long vm_page_free_target;
extern unsigned long vm_page_free_min;

/*
 * May a VM page be allocated now? False (and the daemon woken) when the
 * free pages are at vm_page_free_min or below, unless the caller is the
 * pageout daemon.
 */
bool vm_page_alloc_allowed(void);

/*
 * Wake the daemon and wait (no lock held) until pages are free again or a
 * short while has passed. False when the daemon can free nothing more and
 * memory is still short: the caller fails with KERN_RESOURCE_SHORTAGE.
 */
bool vm_page_wait(void);

/* What one look at a page did (vm_pageout_examine()). */
enum vm_pageout_action {
	VM_PAGEOUT_SKIPPED,	/* busy, wired, absent, terminating: left alone */
	VM_PAGEOUT_KEPT,	/* active and referenced: bit cleared, stays active */
	VM_PAGEOUT_DEACTIVATED,	/* active, not referenced: now inactive */
	VM_PAGEOUT_REACTIVATED,	/* inactive, referenced again: now active */
	VM_PAGEOUT_FREED,	/* inactive, not referenced: cleaned and freed */
	VM_PAGEOUT_FAILED,	/* could not be cleaned (no swap, an error): active */
	VM_PAGEOUT_THROTTLED,	/* for a default memory manager, which has enough in flight */
};

/*
 * One step of the second-chance scan on page (its object locked, the page
 * on a paging queue). The daemon's, and the vm_pageout tests'.
 */
enum vm_pageout_action vm_pageout_examine(struct vm_page *page);

/*
 * Clean page now (write it to its pager if it may differ) and free it
 * (object locked, page neither busy nor wired); for swap, with the
 * inactive unreferenced pages that follow it in its object (a cluster of
 * up to DP_CLUSTER in one write, all freed). KERN_SUCCESS; or the page
 * stays, active: KERN_RESOURCE_SHORTAGE (no swap slot), KERN_FAILURE (I/O),
 * KERN_INVALID_ARGUMENT (busy, wired, absent, or an object nothing backs).
 * The test hook that forces a pageout.
 */
kern_return_t vm_pageout_page(struct vm_page *page);

struct vm_pageout_stats {
	unsigned long	free_target, free_min;	/* pages */
	unsigned long	wakeups;	/* daemon runs */
	unsigned long	scanned;	/* pages examined */
	unsigned long	deactivated, reactivated;
	unsigned long	freed;		/* paged out (or clean) and freed */
	unsigned long	returned;	/* dirty pages sent to an external pager */
	unsigned long	waits;		/* vm_page_wait() calls */
};

void vm_pageout_get_stats(struct vm_pageout_stats *stats);

/* ------------------------------------------------------------------------
 * The default pager (mm/default_pager.c); objects locked.
 */

/*
 * Is the page at offset of object (internal, the page not resident) on
 * swap, or with the default memory manager the object was given to?
 */
static inline bool vm_object_paged_out(const struct vm_object *object, vm_offset_t offset)
{
	unsigned long i = offset >> PAGE_SHIFT;

	if (object->swap_count && i < object->swap_map_len && object->swap_map[i])
		return true;
	return vm_object_pager_has(object, offset);
}

/* Is there a swap area at all? */
bool default_pager_ready(void);

/* Pages per swap I/O at most (a pageout cluster, a pagein read-ahead). */
#define DP_CLUSTER	16

/*
 * Write pages[0 .. n) of an internal object, at consecutive offsets and
 * without translations, to consecutive slots in one request: how many of
 * the first ones went out (each then on swap; the caller frees them), 0
 * with *kr when none did.
 */
unsigned int default_pager_pageout_run(struct vm_object *object, struct vm_page **pages,
				       unsigned int n, kern_return_t *kr);

/*
 * The paged-out page at offset, read back into a new resident page
 * (active, DIRTY: its slot is freed), with the paged-out pages after it
 * whose slots follow on (up to DP_CLUSTER in all, while memory allows;
 * resident and active the same way), or NULL with *kr
 * (KERN_RESOURCE_SHORTAGE: no page; KERN_MEMORY_ERROR: I/O error).
 */
struct vm_page *default_pager_pagein(struct vm_object *object, vm_offset_t offset,
				     kern_return_t *kr);

/* Free the slots of [start, end) / of every page (termination). */
void default_pager_remove(struct vm_object *object, vm_offset_t start, vm_offset_t end);
void default_pager_object_terminate(struct vm_object *object);

struct default_pager_stats {
	const char	*backend;	/* "disk", "ram" or "none" */
	unsigned long	slots;		/* of one page */
	unsigned long	slots_used;
	unsigned long	pageouts, pageins;	/* pages */
	unsigned long	writes, reads;		/* requests (clusters) */
	unsigned long	errors;		/* I/O errors */
};

void default_pager_get_stats(struct default_pager_stats *stats);

#endif /* _KERN_VM_PAGEOUT_H */
