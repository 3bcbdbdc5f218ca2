/* SPDX-License-Identifier: MIT */
/*
 * Device registers in the kernel's address space (mm/ioremap.c).
 *
 * ioremap() maps [pa, pa + size) uncached (x86_64: PCD|PWT; arm64: device
 * nGnRnE), read-write, no-execute, in the ioremap window
 * [IOREMAP_START, IOREMAP_END) of <asm/memory.h>, and returns the address
 * of pa (the offset inside its page is kept), or NULL when it cannot. It
 * works once arch_vm_bootstrap() has run; before that, arm64 maps devices
 * in its boot-time direct map (the early console) and x86_64 has nothing
 * (NULL). Use the accessors of <asm/io.h> on the result.
 *
 * iounmap() takes the mapping away again (a boot-time one stays). The
 * window's virtual addresses are not reused: drivers map their registers
 * once.
 */
#ifndef _KERN_IOREMAP_H
#define _KERN_IOREMAP_H

#include <kern/types.h>

void __iomem *ioremap(phys_addr_t pa, size_t size);
void iounmap(volatile void __iomem *addr);

#endif /* _KERN_IOREMAP_H */
