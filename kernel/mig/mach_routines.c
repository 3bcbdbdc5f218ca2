// SPDX-License-Identifier: MIT
/*
 * The kernel's side of mach.defs (subsystem 2000): tasks, threads,
 * address spaces, and the control side of the memory management
 * protocol.
 *
 * A task's port (IKOT_TASK) serves this subsystem and mach_port.defs; a
 * thread's port (IKOT_THREAD) serves the thread routines. The task
 * routines are kernel/task.c's and kernel/ipc_tt.c's; the vm_* routines
 * forward to the task's vm_map (vm_read/write/copy and vm_map through
 * vm_map_copy). Thread user state is <kern/usermode.h>'s. vm_statistics
 * reports the system's counts (<kern/vm_statistics.h>); memory object
 * controls answer KERN_NOT_SUPPORTED until their issues land. The thread
 * routines whose names the kernel core uses for its own threads are the
 * *_from_user() ones (see mach.defs). Documentation/interfaces.rst lists what works.
 */
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/usermode.h>
#include <kern/vm_map.h>
#include <kern/vm_map_copy.h>
#include <kern/vm_object.h>
#include <kern/vm_statistics.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <mach/mach_types.h>
#include <mach/mig_errors.h>
#include <kernel/ipc_tt.h>
#include <kernel/mig/mig_convert.h>
#include "machServer.h"
#include "taskServer.h"	/* semaphore_create/destroy: semaphore_routines.c */
#include "thread_actServer.h"	/* the exception ports: kernel/exception.c */
#include "mach_portServer.h"
#include "memory_objectUser.h"

/* The bounds in mach_types.defs must be the C headers' ones. */
_Static_assert(THREAD_STATE_MAX == 144, "thread_state_t bound in mach_types.defs");
_Static_assert(TASK_INFO_MAX == 1024, "task_info_t bound in mach_types.defs");
_Static_assert(THREAD_INFO_MAX == 32, "thread_info_t bound in mach_types.defs");
_Static_assert(THREAD_POLICY_MAX == 16, "thread_policy_t bound in mach_types.defs");
_Static_assert(HOST_INFO_MAX == 1024, "host_info_t bound in mach_types.defs");
_Static_assert(MACH_PORT_INFO_MAX == 10, "mach_port_info_t bound in mach_types.defs");
_Static_assert(EXCEPTION_CODE_MAX == 2, "exception_data_t bound in mach_types.defs");
_Static_assert(KERNEL_VERSION_MAX == 512, "kernel_version_t bound in mach_types.defs");
_Static_assert(VM_STATISTICS_COUNT == 13, "vm_statistics_data_t size in mach_types.defs");

IPC_KOBJECT_DEFINE(IKOT_TASK,
	.ikt_subsystems = { &mach_subsystem, &mach_port_subsystem, &task_subsystem });

IPC_KOBJECT_DEFINE(IKOT_THREAD,
	.ikt_subsystems = { &mach_subsystem, &thread_act_subsystem });

/*
 * Tasks. task_create, task_terminate, task_suspend, task_resume,
 * task_info and the special ports are kernel/task.c's and
 * kernel/ipc_tt.c's own functions, which have the routines' signatures.
 */

/* The threads leave as an array of send rights to their ports (MOVE_SEND). */
kern_return_t task_threads(task_t target_task, thread_array_t *thread_list,
			   mach_msg_type_number_t *thread_listCnt)
{
	thread_t *threads;
	unsigned int i, n;
	kern_return_t kr;

	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	kr = task_threads_get(target_task, &threads, &n);
	if (kr != KERN_SUCCESS)
		return kr;
	/* A thread and a port pointer have one size: convert in place. */
	for (i = 0; i < n; i++)
		threads[i] = (thread_t)convert_thread_to_port(threads[i]);
	*thread_list = threads;
	*thread_listCnt = n;
	return KERN_SUCCESS;
}

/* On success the routine owns the rights and the kalloc()ed array. */
kern_return_t mach_ports_register(task_t target_task, mach_port_array_t init_port_set,
				  mach_msg_type_number_t init_port_setCnt)
{
	ipc_port_t *ports = (ipc_port_t *)init_port_set, old[TASK_PORT_REGISTER_MAX];
	unsigned int i;

	if (!target_task || init_port_setCnt > TASK_PORT_REGISTER_MAX)
		return KERN_INVALID_ARGUMENT;
	spin_lock(&target_task->lock);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		old[i] = target_task->itk_registered[i];
		target_task->itk_registered[i] = i < init_port_setCnt ? ports[i] : IP_NULL;
	}
	spin_unlock(&target_task->lock);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		if (IP_VALID(old[i]))
			ipc_port_release_send(old[i]);
	if (ports)
		kfree(ports, init_port_setCnt * sizeof(*ports));
	return KERN_SUCCESS;
}

kern_return_t mach_ports_lookup(task_t target_task, mach_port_array_t *init_port_set,
				mach_msg_type_number_t *init_port_setCnt)
{
	ipc_port_t *ports;
	unsigned int i;

	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	ports = kalloc(TASK_PORT_REGISTER_MAX * sizeof(*ports));
	if (!ports)
		return KERN_RESOURCE_SHORTAGE;
	spin_lock(&target_task->lock);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		ports[i] = target_task->itk_registered[i];
		if (IP_VALID(ports[i]))
			ports[i] = ipc_port_copy_send(ports[i]);
	}
	spin_unlock(&target_task->lock);
	*init_port_set = (mach_port_array_t)ports;
	*init_port_setCnt = TASK_PORT_REGISTER_MAX;
	return KERN_SUCCESS;
}

/* Threads */

/*
 * A suspended user thread (user stop count 1, as Mach's) with no state
 * yet: thread_set_state() gives it one and thread_resume() starts it (a
 * thread resumed first waits for its state, <kern/usermode.h>).
 */
kern_return_t thread_create(task_t parent_task, thread_t *child_thread)
{
	thread_t t;
	kern_return_t kr;

	if (!parent_task)
		return KERN_INVALID_ARGUMENT;
	kr = thread_create_user_nostate(parent_task, &t);
	if (kr != KERN_SUCCESS)
		return kr;
	t->user_stop_count = 1;
	*child_thread = t;
	return KERN_SUCCESS;
}

/*
 * The server runs on the sender's thread: a thread terminating itself is
 * marked and ends at its next safe point, after the reply.
 */
kern_return_t thread_terminate_from_user(thread_t target_thread)
{
	kern_return_t kr;

	if (!target_thread)
		return KERN_INVALID_ARGUMENT;
	if (target_thread == current_thread())
		return thread_terminate_request(target_thread);
	kr = thread_terminate_other(target_thread);
	return kr == KERN_ABORTED ? KERN_SUCCESS : kr;	/* it ends anyway */
}

/* The machine's flavors (kernel/usermode.c, arch/<arch>/kernel/usermode.c). */
kern_return_t thread_get_state_from_user(thread_t target_thread,
					 thread_state_flavor_t flavor,
					 thread_state_t old_state,
					 mach_msg_type_number_t *old_stateCnt)
{
	return thread_user_state_get(target_thread, flavor, old_state, old_stateCnt);
}

kern_return_t thread_set_state(thread_t target_thread, thread_state_flavor_t flavor,
			       thread_state_t new_state,
			       mach_msg_type_number_t new_stateCnt)
{
	return thread_user_state_set(target_thread, flavor, new_state, new_stateCnt);
}

static integer_t thread_run_state(unsigned int state)
{
	if (state & TH_HALTED)
		return TH_STATE_HALTED;
	if (state & TH_SUSP)
		return TH_STATE_STOPPED;
	if (state & TH_RUN)
		return TH_STATE_RUNNING;
	if (state & TH_UNINT)
		return TH_STATE_UNINTERRUPTIBLE;
	return TH_STATE_WAITING;
}

kern_return_t thread_info(thread_t target_thread, thread_flavor_t flavor,
			  thread_info_t thread_info_out,
			  mach_msg_type_number_t *thread_info_outCnt)
{
	struct thread_basic_info *bi = (void *)thread_info_out;
	thread_t t = target_thread;
	unsigned int state;
	uint64_t ns, user_ns;

	if (!t || flavor != THREAD_BASIC_INFO)
		return KERN_INVALID_ARGUMENT;
	if (*thread_info_outCnt < THREAD_BASIC_INFO_COUNT) {
		*thread_info_outCnt = THREAD_BASIC_INFO_COUNT;
		return KERN_FAILURE;
	}
	memset(bi, 0, sizeof(*bi));
	state = thread_get_state(t);
	/* User time is sampled at the scheduler's ticks; the rest is system time. */
	user_ns = READ_ONCE(t->user_time);
	ns = READ_ONCE(t->total_time);
	ns = ns > user_ns ? ns - user_ns : 0;
	bi->user_time.seconds = (integer_t)(user_ns / NSEC_PER_SEC);
	bi->user_time.microseconds = (integer_t)(user_ns % NSEC_PER_SEC / NSEC_PER_USEC);
	bi->system_time.seconds = (integer_t)(ns / NSEC_PER_SEC);
	bi->system_time.microseconds = (integer_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
	/* As XNU's: a thread that does not timeshare runs round robin. */
	bi->policy = thread_is_timeshare(t) && t->priority < BASEPRI_RTQUEUES ?
		     POLICY_TIMESHARE : POLICY_RR;
	bi->run_state = thread_run_state(state);
	if (!READ_ONCE(t->kstack))
		bi->flags |= TH_FLAGS_SWAPPED;
	if (state & TH_IDLE)
		bi->flags |= TH_FLAGS_IDLE;
	bi->suspend_count = (integer_t)READ_ONCE(t->user_stop_count);
	*thread_info_outCnt = THREAD_BASIC_INFO_COUNT;
	return KERN_SUCCESS;
}

/*
 * Scheduling policy (thread_act.defs 3617-3618, XNU's flavors). The
 * kernel's own threads keep what the kernel gave them. Importance is
 * relative to a user task's base priority (BASEPRI_USER) and held within
 * the user priorities, so that no task can rise above the kernel's threads.
 */
kern_return_t thread_policy_set(thread_t target_thread, thread_policy_flavor_t flavor,
				thread_policy_t policy_info,
				mach_msg_type_number_t policy_infoCnt)
{
	thread_t t = target_thread;
	integer_t importance;

	if (!t || t->task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case THREAD_EXTENDED_POLICY:	/* THREAD_STANDARD_POLICY with no data */
		thread_set_timeshare(t, policy_infoCnt < THREAD_EXTENDED_POLICY_COUNT ||
					 policy_info[0]);
		return KERN_SUCCESS;
	case THREAD_PRECEDENCE_POLICY:
		if (policy_infoCnt < THREAD_PRECEDENCE_POLICY_COUNT)
			return KERN_INVALID_ARGUMENT;
		importance = MAX(MIN(policy_info[0], MAXPRI_USER - BASEPRI_USER),
				 MINPRI + 1 - BASEPRI_USER);
		return thread_set_priority(t, BASEPRI_USER + importance);
	case THREAD_TIME_CONSTRAINT_POLICY:
		return KERN_NOT_SUPPORTED;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t thread_policy_get(thread_t target_thread, thread_policy_flavor_t flavor,
				thread_policy_t policy_info,
				mach_msg_type_number_t *policy_infoCnt, boolean_t *get_default)
{
	thread_t t = target_thread;

	if (!t || t->task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case THREAD_EXTENDED_POLICY:
		if (*policy_infoCnt < THREAD_EXTENDED_POLICY_COUNT)
			return KERN_INVALID_ARGUMENT;
		policy_info[0] = *get_default || thread_is_timeshare(t);
		*policy_infoCnt = THREAD_EXTENDED_POLICY_COUNT;
		return KERN_SUCCESS;
	case THREAD_PRECEDENCE_POLICY:
		if (*policy_infoCnt < THREAD_PRECEDENCE_POLICY_COUNT)
			return KERN_INVALID_ARGUMENT;
		policy_info[0] = *get_default ? 0 : READ_ONCE(t->priority) - BASEPRI_USER;
		*policy_infoCnt = THREAD_PRECEDENCE_POLICY_COUNT;
		return KERN_SUCCESS;
	case THREAD_TIME_CONSTRAINT_POLICY:
		return KERN_NOT_SUPPORTED;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/*
 * The stops asked through the port are counted apart (user_stop_count),
 * so that a resume cannot lift a suspension the kernel or the task holds.
 */
kern_return_t thread_suspend_from_user(thread_t target_thread)
{
	kern_return_t kr;

	if (!target_thread)
		return KERN_INVALID_ARGUMENT;
	__atomic_add_fetch(&target_thread->user_stop_count, 1, __ATOMIC_RELAXED);
	kr = thread_suspend(target_thread);
	if (kr != KERN_SUCCESS)
		__atomic_sub_fetch(&target_thread->user_stop_count, 1, __ATOMIC_RELAXED);
	return kr;
}

kern_return_t thread_resume_from_user(thread_t target_thread)
{
	unsigned int n;

	if (!target_thread)
		return KERN_INVALID_ARGUMENT;
	n = __atomic_load_n(&target_thread->user_stop_count, __ATOMIC_RELAXED);
	do {
		if (!n)
			return KERN_FAILURE;
	} while (!__atomic_compare_exchange_n(&target_thread->user_stop_count, &n, n - 1,
					      false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return thread_resume(target_thread);
}

/* An interruptible wait ends (THREAD_INTERRUPTED); an uninterruptible one: KERN_FAILURE. */
kern_return_t thread_abort(thread_t target_thread)
{
	if (!target_thread)
		return KERN_INVALID_ARGUMENT;
	return thread_interrupt(target_thread) == KERN_FAILURE ? KERN_FAILURE : KERN_SUCCESS;
}

/*
 * Address spaces: the task port's map (convert_port_to_map()); NULL for
 * kernel_task and for a port that is not a task's. Ranges are widened to
 * whole pages, as Mach's.
 */

kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
			  vm_size_t size, boolean_t anywhere)
{
	vm_offset_t addr = anywhere ? 0 : ALIGN_DOWN(*address, PAGE_SIZE);
	kern_return_t kr;

	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	if (!size) {
		*address = 0;
		return KERN_SUCCESS;
	}
	kr = vm_map_allocate(target_task, &addr, ALIGN_UP(size, PAGE_SIZE), anywhere);
	if (kr == KERN_SUCCESS)
		*address = addr;
	return kr;
}

kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size)
{
	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	if (!size)
		return KERN_SUCCESS;
	return vm_map_remove(target_task, ALIGN_DOWN(address, PAGE_SIZE),
			     ALIGN_UP(address + size, PAGE_SIZE));
}

kern_return_t vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 boolean_t set_maximum, vm_prot_t new_protection)
{
	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	return vm_map_protect(target_task, ALIGN_DOWN(address, PAGE_SIZE),
			      ALIGN_UP(address + size, PAGE_SIZE), new_protection, set_maximum);
}

kern_return_t vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 vm_inherit_t new_inheritance)
{
	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	return vm_map_inherit(target_task, ALIGN_DOWN(address, PAGE_SIZE),
			      ALIGN_UP(address + size, PAGE_SIZE), new_inheritance);
}

/*
 * Out-of-line data in a kernel-form message is a struct ipc_ool_copy
 * (ipc/ipc_kmsg.h); vm_map_copy (<kern/vm_map_copy.h>) moves it in and
 * out of the map.
 */
kern_return_t vm_read(vm_map_t target_task, vm_address_t address, vm_size_t size,
		      pointer_t *data, mach_msg_type_number_t *dataCnt)
{
	struct vm_map_copy *vmc = NULL;
	struct ipc_ool_copy *copy = NULL;
	kern_return_t kr;

	if (!target_task || size > IPC_OOL_SIZE_MAX)
		return KERN_INVALID_ARGUMENT;
	kr = vm_map_read(target_task, address, size, &vmc);
	if (kr != KERN_SUCCESS)
		return kr;
	if (vmc) {
		copy = ipc_ool_copy_from_vm(vmc);
		if (!copy) {
			vm_map_copy_discard(vmc);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	*data = (pointer_t)copy;
	*dataCnt = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

/*
 * The request's copy stays whole until the write has succeeded: after an
 * error the dispatcher destroys it with the request.
 */
kern_return_t vm_write(vm_map_t target_task, vm_address_t address, pointer_t data,
		       mach_msg_type_number_t dataCnt)
{
	struct ipc_ool_copy *copy = (struct ipc_ool_copy *)data;
	struct vm_map_copy *vmc;
	kern_return_t kr;

	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	if (!copy)
		return KERN_SUCCESS;	/* no data */
	vmc = copy->ioc_vm ? copy->ioc_vm : vm_map_copy_from_kernel(copy->ioc_data, copy->ioc_size);
	if (!vmc)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_map_write(target_task, address, vmc);
	if (kr != KERN_SUCCESS) {
		if (vmc != copy->ioc_vm)
			vm_map_copy_discard(vmc);
		return kr;
	}
	if (vmc == copy->ioc_vm)
		ipc_ool_copy_to_vm(copy);	/* vmc is consumed: only the holder goes */
	else
		ipc_ool_copy_discard(copy);	/* the kernel data vmc was made from */
	return KERN_SUCCESS;
}

kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address,
		      vm_size_t size, vm_address_t dest_address)
{
	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	return vm_map_copy_region(target_task, source_address, size, dest_address);
}

/* Memory object names do not exist yet: object_name is always null. */
kern_return_t vm_region(vm_map_t target_task, vm_address_t *address, vm_size_t *size,
			vm_prot_t *protection, vm_prot_t *max_protection,
			vm_inherit_t *inheritance, boolean_t *is_shared,
			memory_object_name_t *object_name, vm_offset_t *offset)
{
	vm_offset_t addr = *address;
	bool shared = false;
	kern_return_t kr;

	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	kr = vm_map_region(target_task, &addr, size, protection, max_protection,
			   inheritance, &shared, NULL, offset);
	if (kr != KERN_SUCCESS)
		return kr;
	*address = addr;
	*is_shared = shared;
	*object_name = MEMORY_OBJECT_NAME_NULL;
	return KERN_SUCCESS;
}

/* The system's counts (mm/vm_statistics.c): any task's port may ask. */
kern_return_t vm_statistics(vm_map_t target_task, vm_statistics_data_t *vm_stats)
{
	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	vm_statistics_get(vm_stats);
	return KERN_SUCCESS;
}

/* The memory object's send right is the routine's on success. */
kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
		     vm_address_t mask, boolean_t anywhere, memory_object_t memory_object,
		     memory_object_offset_t offset, boolean_t copy,
		     vm_prot_t cur_protection, vm_prot_t max_protection,
		     vm_inherit_t inheritance)
{
	vm_offset_t addr = *address;
	kern_return_t kr;

	if (!target_task)
		return KERN_INVALID_ARGUMENT;
	kr = vm_map_memory_object(target_task, &addr, size, mask, anywhere,
				  (struct ipc_port *)memory_object, offset, copy,
				  cur_protection, max_protection, inheritance);
	if (kr != KERN_SUCCESS)
		return kr;	/* the dispatcher destroys the request's send right */
	/*
	 * On success the request's body is ours: the object keeps a send
	 * right of its own (vm_object_enter()), the one that came is dropped.
	 * Kept, it held the pager's port after the pager destroyed it.
	 */
	if (IP_VALID((ipc_port_t)memory_object))
		ipc_port_release_send((ipc_port_t)memory_object);
	*address = addr;
	return KERN_SUCCESS;
}

/*
 * The default memory manager (mm/memory_object_default.c): with a null
 * port, a send right to the current one (the port of the kernel's own
 * default pager while that serves: registering it gives the kernel's pager
 * back); with a send right, it becomes the manager and the previous one's
 * right comes back. Either way the reply moves the
 * right in *default_manager (server_reply_disp(): MAKE_SEND goes out as
 * MOVE_SEND from a kernel server).
 */
kern_return_t vm_set_default_memory_manager(host_priv_t host_priv,
					    mach_port_t *default_manager)
{
	ipc_port_t port = (ipc_port_t)*default_manager;

	if (!host_priv)
		return KERN_INVALID_HOST;
	if (IP_VALID(port))
		*default_manager = (mach_port_t)vm_default_manager_set(port);
	else
		*default_manager = (mach_port_t)vm_default_manager_get();
	return KERN_SUCCESS;
}

/*
 * The control side of the memory management protocol: a pager's messages
 * on an object's control port (a kernel object, IKOT_MEMORY_OBJECT_CONTROL;
 * the conversion takes a reference on the vm_object, mig_convert.c).
 * These are simpleroutines, get_attributes excepted: on success the stub
 * answers MIG_NO_REPLY and the request's body is the routine's, so it
 * must release what came (data, reply_to); on an error the dispatcher
 * answers the error to the reply port, if the pager gave one, and
 * destroys the request with its body. So a routine fails only before it
 * has taken anything (a port that is not a control port: the null
 * object, KERN_INVALID_ARGUMENT); once the data is the VM's, a malformed
 * request is answered as Mach does, by failing the faults that wait on
 * it and by the result in supply_completed.
 */

static inline struct vm_object *mo_object(memory_object_control_t control)
{
	return (struct vm_object *)control;
}

/*
 * A reply_to right for a *_completed message, which moves a send-once
 * right: a send right (or nothing) gives IP_NULL, the right released.
 */
static ipc_port_t mo_reply_port(mach_port_t reply_to, mach_msg_type_name_t type)
{
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE)
		return (ipc_port_t)reply_to;
	ipc_object_destroy((ipc_port_t)reply_to, type);
	return IP_NULL;
}

/*
 * Give the object the request's data (struct ipc_ool_copy, ipc/ipc_kmsg.h)
 * as a vm_map_copy, which vm_object_data_supply() consumes:
 * ipc_ool_copy_to_vm() frees the copy object (and kernel memory data once
 * copied into pages) or, without memory, leaves it whole for the
 * dispatcher to destroy (KERN_RESOURCE_SHORTAGE). Otherwise the data is
 * consumed and *result is the supply's result.
 */
static kern_return_t mo_supply(struct vm_object *object, memory_object_offset_t offset,
			       pointer_t data, vm_prot_t lock_value, bool precious,
			       kern_return_t *result)
{
	struct ipc_ool_copy *copy = (struct ipc_ool_copy *)data;
	struct vm_map_copy *vmc = NULL;

	if (lock_value & ~VM_PROT_ALL)
		return KERN_INVALID_ARGUMENT;	/* not a page lock: the data is destroyed */
	if (copy) {
		vmc = ipc_ool_copy_to_vm(copy);
		if (!vmc)
			return KERN_RESOURCE_SHORTAGE;
	}
	*result = vm_object_data_supply(object, (vm_offset_t)offset, vmc, lock_value,
					precious);
	return KERN_SUCCESS;
}

kern_return_t memory_object_data_provided(memory_object_control_t memory_control,
					  memory_object_offset_t offset, pointer_t data,
					  mach_msg_type_number_t dataCnt,
					  vm_prot_t lock_value)
{
	kern_return_t result;

	if (!memory_control)
		return KERN_INVALID_ARGUMENT;
	return mo_supply(mo_object(memory_control), offset, data, lock_value, false, &result);
}

kern_return_t memory_object_data_supply(memory_object_control_t memory_control,
					memory_object_offset_t offset, pointer_t data,
					mach_msg_type_number_t dataCnt,
					vm_prot_t lock_value, boolean_t precious,
					mach_port_t reply_to,
					mach_msg_type_name_t reply_toPoly)
{
	struct vm_object *object = mo_object(memory_control);
	kern_return_t kr, result;
	ipc_port_t reply;

	if (!object)
		return KERN_INVALID_ARGUMENT;
	kr = mo_supply(object, offset, data, lock_value, precious, &result);
	if (kr != KERN_SUCCESS)
		return kr;
	reply = mo_reply_port(reply_to, reply_toPoly);
	if (IP_VALID(reply))
		memory_object_supply_completed((mach_port_t)reply,
					       (mach_port_t)object->pager_control, offset,
					       dataCnt, result,
					       result == KERN_SUCCESS ? 0 : offset);
	return KERN_SUCCESS;
}

kern_return_t memory_object_data_unavailable(memory_object_control_t memory_control,
					     memory_object_offset_t offset, vm_size_t size)
{
	if (!memory_control)
		return KERN_INVALID_ARGUMENT;
	/* A bad range fails the waiting faults: the request is consumed all the same. */
	vm_object_data_unavailable(mo_object(memory_control), (vm_offset_t)offset, size);
	return KERN_SUCCESS;
}

kern_return_t memory_object_data_error(memory_object_control_t memory_control,
				       memory_object_offset_t offset, vm_size_t size,
				       kern_return_t error_value)
{
	if (!memory_control)
		return KERN_INVALID_ARGUMENT;
	return vm_object_data_error(mo_object(memory_control), (vm_offset_t)offset, size,
				    error_value);
}

/* A routine: the reply carries the attributes. may_cache is never kept. */
kern_return_t memory_object_get_attributes(memory_object_control_t memory_control,
					   boolean_t *object_ready, boolean_t *may_cache,
					   memory_object_copy_strategy_t *copy_strategy)
{
	struct vm_object *object = mo_object(memory_control);

	if (!object)
		return KERN_INVALID_ARGUMENT;
	vm_object_lock(object);
	*object_ready = object->pager_ready;
	*may_cache = false;
	*copy_strategy = object->copy_strategy;
	vm_object_unlock(object);
	return KERN_SUCCESS;
}

/* lock_completed moves a send-once right: a send right for reply_to is dropped. */
kern_return_t memory_object_lock_request(memory_object_control_t memory_control,
					 memory_object_offset_t offset, vm_size_t size,
					 memory_object_return_t should_return,
					 boolean_t should_flush, vm_prot_t lock_value,
					 mach_port_t reply_to,
					 mach_msg_type_name_t reply_toPoly)
{
	if (!memory_control ||
	    ((lock_value & ~VM_PROT_ALL) && lock_value != VM_PROT_NO_CHANGE))
		return KERN_INVALID_ARGUMENT;
	return vm_object_lock_request(mo_object(memory_control), (vm_offset_t)offset, size,
				      should_return, should_flush, lock_value,
				      mo_reply_port(reply_to, reply_toPoly));
}

static bool mo_strategy_ok(memory_object_copy_strategy_t strategy)
{
	return strategy >= MEMORY_OBJECT_COPY_NONE && strategy < MEMORY_OBJECT_COPY_INVALID;
}

kern_return_t memory_object_set_attributes(memory_object_control_t memory_control,
					   boolean_t object_ready, boolean_t may_cache,
					   memory_object_copy_strategy_t copy_strategy)
{
	if (!memory_control || !mo_strategy_ok(copy_strategy))
		return KERN_INVALID_ARGUMENT;
	return vm_object_set_attributes(mo_object(memory_control), object_ready, may_cache,
					copy_strategy);
}

kern_return_t memory_object_ready(memory_object_control_t memory_control,
				  boolean_t may_cache,
				  memory_object_copy_strategy_t copy_strategy)
{
	return memory_object_set_attributes(memory_control, true, may_cache, copy_strategy);
}

/* As Mach: the object becomes ready, and reply_to hears change_completed. */
kern_return_t memory_object_change_attributes(memory_object_control_t memory_control,
					      boolean_t may_cache,
					      memory_object_copy_strategy_t copy_strategy,
					      mach_port_t reply_to,
					      mach_msg_type_name_t reply_toPoly)
{
	kern_return_t kr;
	ipc_port_t reply;

	kr = memory_object_set_attributes(memory_control, true, may_cache, copy_strategy);
	if (kr != KERN_SUCCESS)
		return kr;
	reply = mo_reply_port(reply_to, reply_toPoly);
	if (IP_VALID(reply))
		memory_object_change_completed((mach_port_t)reply, false, copy_strategy);
	return KERN_SUCCESS;
}

kern_return_t memory_object_destroy(memory_object_control_t memory_control,
				    kern_return_t reason)
{
	if (!memory_control)
		return KERN_INVALID_ARGUMENT;
	return vm_object_pager_destroy(mo_object(memory_control), reason);
}
