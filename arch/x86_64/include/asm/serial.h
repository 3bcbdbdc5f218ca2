/* SPDX-License-Identifier: MIT */
/*
 * The PC's serial ports. The driver is drivers/serial/ns16550.c; the x86
 * setup code registers COM1 as the console before anything prints.
 */
#ifndef _ASM_X86_64_SERIAL_H
#define _ASM_X86_64_SERIAL_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define SERIAL_COM1_BASE	0x3f8
#define SERIAL_BAUD_DEFAULT	115200

#ifdef CONFIG_SERIAL_NS16550
/*
 * Program the 16550 at I/O port base for baud 8N1 with FIFOs and register
 * it as a console. KERN_FAILURE if no UART answers there.
 */
kern_return_t ns16550_console_init(uint16_t base, unsigned int baud);
#else
static inline kern_return_t ns16550_console_init(uint16_t base, unsigned int baud)
{
	return KERN_FAILURE;
}
#endif

#endif /* _ASM_X86_64_SERIAL_H */
