// SPDX-License-Identifier: MIT
/*
 * The IPC layer's zones, counters, table memory and failure injection.
 */
#include <kern/init.h>
#include <kern/kconfig.h>
#include <kern/zalloc.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>

struct zone *ipc_port_zone, *ipc_pset_zone, *ipc_space_zone;

struct lock_class ipc_space_lock_class = LOCK_CLASS_INIT("ipc_space");
struct lock_class ipc_port_lock_class = LOCK_CLASS_INIT("ipc_port");
struct lock_class ipc_pset_lock_class = LOCK_CLASS_INIT("ipc_pset");

long ipc_stat_counters[IPC_STAT_NR];

static unsigned long ipc_fail_allocs;	/* tests: allocations left to fail */

kern_return_t ipc_bootstrap(void)
{
	ipc_port_zone = zone_create("ipc.port", sizeof(struct ipc_port), 0, 0);
	ipc_pset_zone = zone_create("ipc.pset", sizeof(struct ipc_pset), 0, 0);
	ipc_space_zone = zone_create("ipc.space", sizeof(struct ipc_space), 0, 0);
	if (!ipc_port_zone || !ipc_pset_zone || !ipc_space_zone)
		panic("ipc: cannot create the zones");
	zone_set_ctor(ipc_port_zone, ipc_port_construct);
	return KERN_SUCCESS;
}
KERNEL_INIT(CORE, ipc_bootstrap);

void ipc_stats_get(struct ipc_stats *stats)
{
	long *c = ipc_stat_counters;

	stats->ports = __atomic_load_n(&c[IPC_STAT_PORTS], __ATOMIC_RELAXED);
	stats->ports_active = __atomic_load_n(&c[IPC_STAT_PORTS_ACTIVE], __ATOMIC_RELAXED);
	stats->psets = __atomic_load_n(&c[IPC_STAT_PSETS], __ATOMIC_RELAXED);
	stats->spaces = __atomic_load_n(&c[IPC_STAT_SPACES], __ATOMIC_RELAXED);
	stats->entries = ipc_space_entries_total();
	stats->dnrequests = __atomic_load_n(&c[IPC_STAT_DNREQUESTS], __ATOMIC_RELAXED);
	stats->table_bytes = __atomic_load_n(&c[IPC_STAT_TABLE_BYTES], __ATOMIC_RELAXED);
}

unsigned long ipc_test_fail_allocs(unsigned long n)
{
	if (!IS_ENABLED(CONFIG_KTEST))
		return 0;
	return __atomic_exchange_n(&ipc_fail_allocs, n, __ATOMIC_RELAXED);
}

bool ipc_alloc_should_fail_ktest(void)
{
	unsigned long left;

	left = __atomic_load_n(&ipc_fail_allocs, __ATOMIC_RELAXED);
	while (left) {
		if (__atomic_compare_exchange_n(&ipc_fail_allocs, &left, left - 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

void *ipc_table_alloc(vm_size_t size)
{
	void *p;

	if (ipc_alloc_should_fail())
		return NULL;
	p = kalloc(size);
	if (p)
		ipc_stat_add(IPC_STAT_TABLE_BYTES, (long)size);
	return p;
}

void ipc_table_free(void *ptr, vm_size_t size)
{
	if (!ptr)
		return;
	kfree(ptr, size);
	ipc_stat_add(IPC_STAT_TABLE_BYTES, -(long)size);
}

void ipc_object_reference(ipc_object_t object)
{
	io_reference(object);
}

void ipc_object_release(ipc_object_t object)
{
	if (object->io_otype == IOT_PORT)
		ipc_port_release((ipc_port_t)object);
	else
		ipc_pset_release((ipc_pset_t)object);
}
