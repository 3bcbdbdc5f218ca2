// SPDX-License-Identifier: MIT
/*
 * The default memory manager (memory_object_default.defs;
 * Documentation/mm/vm.rst, "The default memory manager").
 *
 * Any task or kernel thread holding the host's privileged port may become
 * the pager of anonymous memory: vm_set_default_memory_manager() registers
 * a send right to its port. From then on an internal object made after
 * the registration that the pageout daemon (or a test) pages out for the
 * first time gets a pager, as Mach's vm_object_pager_create() gives it:
 * the kernel makes a memory object port, keeps a send right to it (the
 * object's pager), makes the object's control port and sends
 * memory_object_create(manager, object port [its receive right],
 * size, control, name, page size). Each page paged out goes to the
 * manager with memory_object_data_initialize the first time,
 * memory_object_data_return after (pager_written); a fault on a page the
 * manager holds sends memory_object_data_request and waits for its
 * answer as for any pager (mm/memory_object.c). A page of such an object
 * that the manager was never given reads from the object's shadow or as
 * zeroes, without asking.
 *
 * Objects made before the registration (and any object with pages in
 * the kernel's swap) stay with the kernel's own default pager
 * (mm/default_pager.c), and so does everything while no manager is
 * registered or the registered one's port is dead. An object keeps the
 * manager it was given: replacing the manager, or the manager dying,
 * changes nothing for it (its faults then fail with KERN_MEMORY_ERROR
 * after vm_pager_timeout_ms, as with any dead pager). No name port is
 * made: the kernel has none (null, as in memory_object_init()).
 *
 * Locking: vm_default_manager_lock (a mutex) guards the registration; it
 * is taken with an object locked (pageout) and never held while taking
 * anything but the ports' locks.
 */
#include <kern/init.h>
#include <kern/kmem.h>
#include <kern/lock.h>
#include <kern/pmap.h>
#include <kern/string.h>
#include <kern/vm_map_copy.h>
#include <kern/vm_object.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <mach/mach_types.h>

/* The KernelUser stubs of memory_object_default.defs and memory_object.defs. */
kern_return_t memory_object_create(mach_port_t old_memory_object, mach_port_t new_memory_object,
				   vm_size_t new_object_size, mach_port_t new_control_port,
				   mach_port_t new_name, vm_size_t new_page_size);
kern_return_t memory_object_data_initialize(mach_port_t memory_object,
					    mach_port_t memory_control,
					    memory_object_offset_t offset, pointer_t data,
					    mach_msg_type_number_t dataCnt);
kern_return_t memory_object_data_return(mach_port_t memory_object, mach_port_t memory_control,
					memory_object_offset_t offset, pointer_t data,
					mach_msg_type_number_t dataCnt, boolean_t dirty,
					boolean_t kernel_copy);

#define VM_DMM_BITS	(8 * sizeof(unsigned long))

/*
 * The kernel's own default pager has a port, so that a manager can be
 * given back: registering it makes the kernel's pager serve again. It
 * serves no routine (a message to it is answered MIG_BAD_ID).
 */
IPC_KOBJECT_DEFINE(IKOT_DEFAULT_PAGER, .ikt_no_senders = NULL);

static ipc_port_t vm_default_pager_port;	/* the kernel holds its receive right */

static struct mutex vm_default_manager_lock = MUTEX_INITIALIZER;
static ipc_port_t vm_default_manager;		/* a send right, or IP_NULL: the kernel's */
uint32_t vm_default_manager_gen;		/* bumped by each registration */
static unsigned long vm_default_laundry;	/* pages in flight to managers */

static kern_return_t vm_default_pager_port_init(void)
{
	static char vm_default_pager_object;	/* what the port names: nothing */

	vm_default_pager_port = ipc_kobject_port_alloc(&vm_default_pager_object,
						       IKOT_DEFAULT_PAGER);
	return IP_VALID(vm_default_pager_port) ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}
KERNEL_INIT(LATE, vm_default_pager_port_init);

/* A send right to the registered manager, or to the kernel's pager (lock held). */
static ipc_port_t vm_default_manager_right(ipc_port_t manager)
{
	if (IP_VALID(manager))
		return manager;
	return IP_VALID(vm_default_pager_port) ? ipc_port_make_send(vm_default_pager_port)
					       : IP_NULL;
}

bool vm_default_manager_is_kernel(void)
{
	return READ_ONCE(vm_default_manager) == IP_NULL;
}

/*
 * A manager whose port died is no manager: the kernel's pager serves
 * again, and asking gives its port back (else a registration could never
 * be undone once its task was gone). Objects it was given keep it (lock
 * held; the generation stays, so objects of the dead one's time that have
 * no pager yet go to swap, as vm_default_manager_for() decides anyway).
 */
static void vm_default_manager_drop_dead(void)
{
	ipc_port_t manager = vm_default_manager;

	if (IP_VALID(manager) && !ip_active(manager)) {
		WRITE_ONCE(vm_default_manager, IP_NULL);
		ipc_port_release_send(manager);
	}
}

ipc_port_t vm_default_manager_get(void)
{
	ipc_port_t port;

	mutex_lock(&vm_default_manager_lock);
	vm_default_manager_drop_dead();
	port = vm_default_manager_right(IP_VALID(vm_default_manager) ?
					ipc_port_copy_send(vm_default_manager) : IP_NULL);
	mutex_unlock(&vm_default_manager_lock);
	return port;
}

ipc_port_t vm_default_manager_set(ipc_port_t manager)
{
	ipc_port_t old;

	if (IP_VALID(manager) && manager == vm_default_pager_port) {
		ipc_port_release_send(manager);		/* the kernel's own again */
		manager = IP_NULL;
	}
	mutex_lock(&vm_default_manager_lock);
	old = vm_default_manager_right(vm_default_manager);
	vm_default_manager = manager;
	/* Objects made under the previous registration keep their pager. */
	WRITE_ONCE(vm_default_manager_gen, vm_default_manager_gen + 1 == VM_MANAGER_GEN_NEVER ?
			0 : vm_default_manager_gen + 1);
	mutex_unlock(&vm_default_manager_lock);
	return old;
}

/* The manager objects of generation gen go to: a send right, or IP_NULL. */
static ipc_port_t vm_default_manager_for(uint32_t gen)
{
	ipc_port_t port = IP_NULL;

	mutex_lock(&vm_default_manager_lock);
	if (gen == vm_default_manager_gen && IP_VALID(vm_default_manager) &&
	    ip_active(vm_default_manager))
		port = ipc_port_copy_send(vm_default_manager);
	mutex_unlock(&vm_default_manager_lock);
	return IP_VALID(port) ? port : IP_NULL;
}

/* Undo a pager the manager never heard of (object locked). */
static void vm_object_default_pager_undo(struct vm_object *object)
{
	ipc_port_release_send(object->pager);
	ipc_kobject_port_destroy(object->pager_control);
	object->pager = IP_NULL;
	object->pager_control = IP_NULL;
}

bool vm_object_default_pager_create(struct vm_object *object)
{
	ipc_port_t manager, port, control;
	kern_return_t kr;

	if (object->pager || !object->internal || object->terminating || object->swap_map)
		return object->pager != IP_NULL;
	manager = vm_default_manager_for(object->manager_gen);
	if (!manager)
		return false;
	port = ipc_port_create();
	control = ipc_kobject_port_alloc(object, IKOT_MEMORY_OBJECT_CONTROL);
	if (!port || !IP_VALID(control)) {
		if (port)
			ipc_port_release_receive(port);
		if (IP_VALID(control))
			ipc_kobject_port_destroy(control);
		ipc_port_release_send(manager);
		return false;
	}
	object->pager = ipc_port_make_send(port);
	object->pager_control = control;
	object->pager_ready = true;	/* the manager is the kernel's: no set_attributes */
	/* The receive right moves to the manager; a failed send destroys it. */
	kr = memory_object_create(manager, port, object->size, control, IP_NULL, PAGE_SIZE);
	ipc_port_release_send(manager);
	if (kr == MACH_SEND_NO_BUFFER || kr == MACH_SEND_MSG_TOO_SMALL)
		ipc_port_release_receive(port);		/* never copied in: still ours */
	if (kr != KERN_SUCCESS) {
		vm_object_default_pager_undo(object);
		return false;
	}
	return true;
}

unsigned long vm_object_default_laundry(void)
{
	return __atomic_load_n(&vm_default_laundry, __ATOMIC_RELAXED);
}

void vm_object_default_laundry_done(void)
{
	__atomic_fetch_sub(&vm_default_laundry, 1, __ATOMIC_RELAXED);
}

bool vm_object_default_throttled(struct vm_object *object)
{
	if (vm_object_default_laundry() < VM_DEFAULT_LAUNDRY_MAX || !object->internal)
		return false;
	if (object->pager)
		return true;
	/* Would it get one? (racy: a hint for the daemon) */
	return object->manager_gen == READ_ONCE(vm_default_manager_gen) &&
	       !object->swap_map && READ_ONCE(vm_default_manager) != IP_NULL;
}

/* Room for page index idx in object's pager_written (object locked). */
static bool vm_object_written_grow(struct vm_object *object, unsigned long idx)
{
	unsigned long len = MAX((unsigned long)(object->size >> PAGE_SHIFT), idx + 1);
	vm_size_t bytes, old_bytes;
	unsigned long *map;

	if (idx < object->pager_written_len)
		return true;
	bytes = ALIGN_UP((len + VM_DMM_BITS - 1) / VM_DMM_BITS * sizeof(unsigned long),
			 PAGE_SIZE);
	map = kmem_alloc_wired(bytes);
	if (!map)
		return false;
	memset(map, 0, bytes);
	if (object->pager_written) {
		old_bytes = object->pager_written_len / 8;
		memcpy(map, object->pager_written, old_bytes);
		kmem_free(object->pager_written, old_bytes);
	}
	object->pager_written = map;
	object->pager_written_len = (uint32_t)(bytes * 8);
	return true;
}

kern_return_t vm_object_default_pageout(struct vm_object *object, struct vm_page *page,
					bool always, bool *sent)
{
	unsigned long idx = page->offset >> PAGE_SHIFT;
	bool known = vm_object_pager_has(object, page->offset);
	phys_addr_t pa = vm_page_to_phys(page);
	struct ipc_ool_copy *data;
	kern_return_t kr;

	*sent = false;
	/*
	 * A clean page the manager was given is its copy: every page sent
	 * is clean afterwards, and one it supplied comes clean. A clean page
	 * it was not given may still hold data (an eager copy): it goes.
	 */
	if (known && !always && !(page->vm_flags & VM_PAGE_DIRTY) && !pmap_is_modified(pa))
		return KERN_SUCCESS;
	if (!vm_object_written_grow(object, idx))
		return KERN_RESOURCE_SHORTAGE;
	data = vm_page_ool_copy(page, true);
	if (!data)
		return KERN_RESOURCE_SHORTAGE;
	/* Counted now: a failed send destroys the copy, which counts it down. */
	__atomic_fetch_add(&vm_default_laundry, 1, __ATOMIC_RELAXED);
	/* The stubs move the data (Dealloc): the message owns it from here. */
	if (known)
		kr = memory_object_data_return(object->pager, object->pager_control, page->offset,
					       (pointer_t)data, PAGE_SIZE, true, false);
	else
		kr = memory_object_data_initialize(object->pager, object->pager_control,
						   page->offset, (pointer_t)data, PAGE_SIZE);
	/* Never copied in: the data is still ours (its laundry with it). */
	if (kr == MACH_SEND_NO_BUFFER || kr == MACH_SEND_MSG_TOO_SMALL)
		ipc_ool_copy_discard(data);
	if (kr != KERN_SUCCESS)
		return kr;	/* a dead manager: the page stays */
	object->pager_written[idx / VM_DMM_BITS] |= 1UL << (idx % VM_DMM_BITS);
	page->vm_flags &= ~VM_PAGE_DIRTY;
	pmap_clear_modify(pa);
	*sent = true;
	return KERN_SUCCESS;
}

void vm_object_default_remove(struct vm_object *object, vm_offset_t start, vm_offset_t end)
{
	unsigned long i = start >> PAGE_SHIFT;
	unsigned long last = MIN((unsigned long)(ALIGN_UP(end, PAGE_SIZE) >> PAGE_SHIFT),
				 (unsigned long)object->pager_written_len);

	/* The manager keeps its stale copy; a later pageout initializes it anew. */
	for (; object->pager_written && i < last; i++)
		object->pager_written[i / VM_DMM_BITS] &= ~(1UL << (i % VM_DMM_BITS));
}

void vm_object_default_terminate(struct vm_object *object)
{
	if (!object->pager_written)
		return;
	kmem_free(object->pager_written, object->pager_written_len / 8);
	object->pager_written = NULL;
	object->pager_written_len = 0;
}
