/* SPDX-License-Identifier: MIT */
/*
 * The types of Mach's kernel interfaces (<mach/mach_types.defs> names
 * them for MIG).
 *
 * A kernel object -- task, thread, host, processor, address space, IPC
 * space, memory object control -- is a port to user space: task_t and
 * friends are mach_port_t there. In the kernel (__KERNEL__) they are
 * pointers to the objects, opaque to whoever does not include the
 * object's own header; the generated servers turn ports into them with
 * the convert_port_to_*() functions mach_types.defs names.
 *
 * Memory objects, their names and the default pager stay ports on both
 * sides: the kernel only ever sends to them.
 */
#ifndef _MACH_MACH_TYPES_H
#define _MACH_MACH_TYPES_H

#include <mach/std_types.h>
#include <mach/message.h>
#include <mach/clock_types.h>
#include <mach/exception_types.h>
#include <mach/host_info.h>
#include <mach/host_reboot.h>
#include <mach/machine.h>
#include <mach/memory_object_types.h>
#include <mach/policy.h>
#include <mach/processor_info.h>
#include <mach/sync_policy.h>
#include <mach/task_info.h>
#include <mach/task_special_ports.h>
#include <mach/thread_info.h>
#include <mach/thread_policy.h>
#include <mach/thread_special_ports.h>
#include <mach/thread_status.h>
#include <mach/time_value.h>
#include <mach/vm_inherit.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <mach/zone_info.h>

#ifdef __KERNEL__
struct task;
struct thread;
struct host;
struct processor;
struct processor_set;
struct vm_map;
struct ipc_space;
struct vm_object;
struct sync_sema;

typedef struct task		*task_t;
typedef struct thread		*thread_t;
typedef struct host		*host_t;
typedef struct host		*host_priv_t;	/* the same host, reached by its privileged port */
typedef struct host		*host_security_t;	/* its privileged port too */
typedef struct processor	*processor_t;
typedef struct processor_set	*processor_set_t;
typedef struct processor_set	*processor_set_name_t;
typedef struct sync_sema	*semaphore_t;	/* kernel/sync_sema.c */
typedef struct vm_map		*vm_map_t;
typedef struct ipc_space	*ipc_space_t;
/* A control port names the object the kernel keeps for the pager's data. */
typedef struct vm_object	*memory_object_control_t;

#define TASK_NULL		((task_t)0)
#define THREAD_NULL		((thread_t)0)
#define HOST_NULL		((host_t)0)
#define HOST_PRIV_NULL		((host_priv_t)0)
#define PROCESSOR_NULL		((processor_t)0)
#define PROCESSOR_SET_NULL	((processor_set_t)0)
#define SEMAPHORE_NULL		((semaphore_t)0)
#define VM_MAP_NULL		((vm_map_t)0)
#define IPC_SPACE_NULL		((ipc_space_t)0)
#define MEMORY_OBJECT_CONTROL_NULL ((memory_object_control_t)0)
#else
typedef mach_port_t		task_t;
typedef mach_port_t		thread_t;
typedef mach_port_t		host_t;
typedef mach_port_t		host_priv_t;
typedef mach_port_t		host_security_t;
typedef mach_port_t		processor_t;
typedef mach_port_t		processor_set_t;
typedef mach_port_t		processor_set_name_t;
typedef mach_port_t		semaphore_t;
typedef mach_port_t		vm_map_t;
typedef mach_port_t		ipc_space_t;
typedef mach_port_t		memory_object_control_t;

#define TASK_NULL		MACH_PORT_NULL
#define THREAD_NULL		MACH_PORT_NULL
#define HOST_NULL		MACH_PORT_NULL
#define HOST_PRIV_NULL		MACH_PORT_NULL
#define PROCESSOR_NULL		MACH_PORT_NULL
#define PROCESSOR_SET_NULL	MACH_PORT_NULL
#define SEMAPHORE_NULL		MACH_PORT_NULL
#define VM_MAP_NULL		MACH_PORT_NULL
#define IPC_SPACE_NULL		MACH_PORT_NULL
#define MEMORY_OBJECT_CONTROL_NULL MACH_PORT_NULL
#endif

/* semaphore_destroy()'s semaphore: the call consumes the send right (task.defs). */
typedef semaphore_t		semaphore_consume_ref_t;

/* The address space of a task, as the vm_* routines name it. */
typedef vm_map_t		vm_task_t;

typedef task_t			*task_array_t;
typedef thread_t		*thread_array_t;
typedef processor_t		*processor_array_t;
typedef processor_set_name_t	*processor_set_name_array_t;

typedef mach_port_t		memory_object_t;
typedef mach_port_t		memory_object_name_t;
typedef mach_port_t		memory_object_default_t;
#define MEMORY_OBJECT_NULL		MACH_PORT_NULL
#define MEMORY_OBJECT_NAME_NULL		MACH_PORT_NULL
#define MEMORY_OBJECT_DEFAULT_NULL	MACH_PORT_NULL

/* mach_ports_register(): the ports a task hands its children. */
#define TASK_PORT_REGISTER_MAX	3

#endif /* _MACH_MACH_TYPES_H */
