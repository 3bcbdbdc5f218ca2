/* SPDX-License-Identifier: MIT */
/* vm_inherit_t: what a child task gets of a region at task_create(). */
#ifndef _MACH_VM_INHERIT_H
#define _MACH_VM_INHERIT_H

typedef unsigned int	vm_inherit_t;

#define VM_INHERIT_SHARE	((vm_inherit_t)0)	/* the same memory */
#define VM_INHERIT_COPY		((vm_inherit_t)1)	/* a copy-on-write copy */
#define VM_INHERIT_NONE		((vm_inherit_t)2)	/* an unallocated hole */
#define VM_INHERIT_DONATE_COPY	((vm_inherit_t)3)	/* the region moves to the child */
#define VM_INHERIT_DEFAULT	VM_INHERIT_COPY
#define VM_INHERIT_LAST_VALID	VM_INHERIT_NONE

#endif /* _MACH_VM_INHERIT_H */
