// SPDX-License-Identifier: MIT
/*
 * vm_statistics() and host_statistics(HOST_VM_INFO): the counts each VM
 * layer keeps, gathered into Mach's structure (<kern/vm_statistics.h>).
 *
 *	free_count		pages free in the allocator
 *	active_count		pages on the active queue
 *	inactive_count		pages on the inactive queue
 *	wire_count		every other allocated page: wired VM pages, pages
 *				busy in a fault, and the kernel's own (kmem, zones,
 *				page tables), which the pageout daemon cannot take
 *	zero_fill_count		demand-zero faults
 *	reactivations		inactive pages touched again (daemon and faults)
 *	pageins			pages read back by the default pager, and
 *				data_request sent to external pagers
 *	pageouts		pages written to the default pager, and dirty
 *				pages returned to external pagers
 *	faults, cow_faults	vm_fault() calls, pages copied on write
 *	lookups, hits		vm_object_enter() searches of the pager objects
 *
 * The counts are read one after another without a common lock: under load
 * they need not add up exactly.
 */
#include <kern/vm_fault.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/vm_pageout.h>
#include <kern/vm_statistics.h>

/* integer_t fields: counts since boot wrap as Mach's do. */
static inline integer_t vm_stat_int(unsigned long n)
{
	return (integer_t)(natural_t)n;
}

void vm_statistics_get(vm_statistics_data_t *s)
{
	struct vm_page_stats ps;
	struct vm_resident_stats rs;
	struct vm_fault_stats fs;
	struct vm_pageout_stats os;
	struct default_pager_stats ds;
	unsigned long lookups, hits, queued;

	vm_page_get_stats(&ps);
	vm_resident_get_stats(&rs);
	vm_fault_get_stats(&fs);
	vm_pageout_get_stats(&os);
	default_pager_get_stats(&ds);
	vm_object_enter_stats(&lookups, &hits);
	queued = rs.active + rs.inactive;

	s->pagesize = PAGE_SIZE;
	s->free_count = vm_stat_int(ps.free);
	s->active_count = vm_stat_int(rs.active);
	s->inactive_count = vm_stat_int(rs.inactive);
	s->wire_count = vm_stat_int(ps.allocated > queued ? ps.allocated - queued : 0);
	s->zero_fill_count = vm_stat_int(fs.zero_fills);
	s->reactivations = vm_stat_int(os.reactivated + fs.reactivations);
	s->pageins = vm_stat_int(ds.pageins + fs.pager_requests);
	s->pageouts = vm_stat_int(ds.pageouts + os.returned);
	s->faults = vm_stat_int(fs.faults);
	s->cow_faults = vm_stat_int(fs.cow_faults);
	s->lookups = vm_stat_int(lookups);
	s->hits = vm_stat_int(hits);
}
