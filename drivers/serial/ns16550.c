// SPDX-License-Identifier: MIT
/*
 * The 8250/16550 UART as the console, polled: the PC's COM1 at I/O port
 * 0x3f8, or any other port-mapped 16550. Nothing here sleeps or waits for
 * an interrupt, so it works from the first C instruction of the boot and
 * from inside panic().
 */
#include <kern/console.h>
#include <kern/types.h>
#include <asm/io.h>
#include <asm/serial.h>

/* Registers, as offsets from the base port */
#define UART_RBR	0	/* receive buffer (read, DLAB 0) */
#define UART_THR	0	/* transmit holding (write, DLAB 0) */
#define UART_DLL	0	/* divisor latch low (DLAB 1) */
#define UART_IER	1	/* interrupt enable (DLAB 0) */
#define UART_DLM	1	/* divisor latch high (DLAB 1) */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define UART_SCR	7	/* scratch */

#define UART_LCR_8N1	0x03
#define UART_LCR_DLAB	0x80
#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLEAR	0x06	/* clear both FIFOs */
#define UART_FCR_TRIG14	0xc0	/* receive interrupt at 14 bytes */
#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_LSR_DR	0x01	/* a byte has arrived */
#define UART_LSR_THRE	0x20	/* the transmit register is empty */

#define UART_CLOCK_BAUD	115200	/* 1.8432 MHz / 16 */

/*
 * How long to wait for room in the transmitter: long enough for a real
 * UART at 115200 baud (one byte is ~87 us), short enough that a dead one
 * cannot hang the kernel.
 */
#define UART_TX_SPINS	100000

struct ns16550 {
	uint16_t	base;
};

static uint8_t ns16550_read(const struct ns16550 *uart, unsigned int reg)
{
	return inb(uart->base + reg);
}

static void ns16550_write_reg(const struct ns16550 *uart, unsigned int reg, uint8_t v)
{
	outb(v, uart->base + reg);
}

static void ns16550_putc(const struct ns16550 *uart, char c)
{
	unsigned int spins = UART_TX_SPINS;

	while (!(ns16550_read(uart, UART_LSR) & UART_LSR_THRE) && --spins)
		__asm__ __volatile__("pause");
	ns16550_write_reg(uart, UART_THR, (uint8_t)c);
}

static void ns16550_console_write(struct console *con, const char *s, size_t n)
{
	const struct ns16550 *uart = con->priv;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			ns16550_putc(uart, '\r');
		ns16550_putc(uart, s[i]);
	}
}

static int ns16550_console_getc(struct console *con)
{
	const struct ns16550 *uart = con->priv;

	if (!(ns16550_read(uart, UART_LSR) & UART_LSR_DR))
		return -1;
	return ns16550_read(uart, UART_RBR);
}

/* Is anything there? A missing port reads back 0xff, not our scratch value. */
static bool ns16550_probe(const struct ns16550 *uart)
{
	ns16550_write_reg(uart, UART_SCR, 0x5a);
	if (ns16550_read(uart, UART_SCR) != 0x5a)
		return false;
	ns16550_write_reg(uart, UART_SCR, 0xa5);
	return ns16550_read(uart, UART_SCR) == 0xa5;
}

/* baud 8N1, FIFOs on, no interrupts; DTR and RTS up for the other end. */
static void ns16550_setup(const struct ns16550 *uart, unsigned int baud)
{
	unsigned int divisor = UART_CLOCK_BAUD / (baud ? baud : UART_CLOCK_BAUD);

	if (divisor == 0)
		divisor = 1;
	ns16550_write_reg(uart, UART_IER, 0);
	ns16550_write_reg(uart, UART_LCR, UART_LCR_DLAB);
	ns16550_write_reg(uart, UART_DLL, divisor & 0xff);
	ns16550_write_reg(uart, UART_DLM, (divisor >> 8) & 0xff);
	ns16550_write_reg(uart, UART_LCR, UART_LCR_8N1);
	ns16550_write_reg(uart, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR | UART_FCR_TRIG14);
	ns16550_write_reg(uart, UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
}

/* The boot console; one is all the PC needs. */
static struct ns16550 ns16550_early;
static struct console ns16550_early_console = {
	.name	= "ttyS0",
	.write	= ns16550_console_write,
	.getc	= ns16550_console_getc,
	.priv	= &ns16550_early,
};

kern_return_t ns16550_console_init(uint16_t base, unsigned int baud)
{
	ns16550_early.base = base;
	if (!ns16550_probe(&ns16550_early))
		return KERN_FAILURE;
	ns16550_setup(&ns16550_early, baud);
	console_register(&ns16550_early_console);
	return KERN_SUCCESS;
}
