/* SPDX-License-Identifier: MIT */
/*
 * The machine's basic Mach types, for the kernel and for user programs
 * alike (LP64 on both boards): natural_t and integer_t are 32 bits, the
 * VM address types are pointer-sized, as in OSF/XNU.
 */
#ifndef _MACH_MACHINE_VM_TYPES_H
#define _MACH_MACHINE_VM_TYPES_H

#include <stdint.h>

typedef uint32_t	natural_t;
typedef int32_t		integer_t;

typedef uintptr_t	vm_offset_t;
typedef uintptr_t	vm_size_t;
typedef uintptr_t	vm_address_t;
typedef uint64_t	mach_vm_address_t;
typedef uint64_t	mach_vm_offset_t;
typedef uint64_t	mach_vm_size_t;

/* Memory object offsets and sizes: 64 bits whatever the address space. */
typedef uint64_t	memory_object_offset_t;
typedef uint64_t	memory_object_size_t;

#endif /* _MACH_MACHINE_VM_TYPES_H */
