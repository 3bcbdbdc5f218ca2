/* SPDX-License-Identifier: MIT */
/*
 * The system's paging counts as vm_statistics() and
 * host_statistics(HOST_VM_INFO) report them (<mach/vm_statistics.h>,
 * Documentation/mm/vm.rst, "Statistics").
 */
#ifndef _KERN_VM_STATISTICS_H
#define _KERN_VM_STATISTICS_H

#include <mach/vm_statistics.h>

/*
 * Fill s from the page allocator, the paging queues, the fault counters,
 * the pageout daemon, the default pager and the pager object list. Counts
 * since boot wrap at 2^32 (integer_t fields, as in Mach).
 */
void vm_statistics_get(vm_statistics_data_t *s);

#endif /* _KERN_VM_STATISTICS_H */
