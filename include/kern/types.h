/* SPDX-License-Identifier: MIT */
#ifndef _KERN_TYPES_H
#define _KERN_TYPES_H

/* gcc's freestanding headers: the only "libc" headers the kernel uses. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kern/compiler.h>

typedef uint64_t	phys_addr_t;	/* a physical address */
typedef uintptr_t	vm_offset_t;	/* a kernel or user virtual address */
typedef uintptr_t	vm_size_t;
typedef long		ssize_t;

#endif /* _KERN_TYPES_H */
