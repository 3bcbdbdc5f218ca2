// SPDX-License-Identifier: MIT
/*
 * ARM PL011 UART console. The device tree names it (/chosen stdout-path,
 * else the first "arm,pl011" node); the firmware has already set the baud
 * rate, so we only make sure the UART and its transmitter are on, then
 * poll: write when the TX FIFO has room, read when the RX FIFO has a byte.
 */
#include <kern/console.h>
#include <kern/fdt.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <asm/arch.h>
#include <asm/io.h>
#include <asm/mmu.h>
#include <asm/setup.h>

#define UART_DR		0x00		/* data */
#define UART_FR		0x18		/* flags */
#define UART_CR		0x30		/* control */
#define FR_RXFE		(1 << 4)	/* receive FIFO empty */
#define FR_TXFF		(1 << 5)	/* transmit FIFO full */
#define CR_UARTEN	(1 << 0)
#define CR_TXE		(1 << 8)
#define CR_RXE		(1 << 9)

#define PL011_PATH_MAX	128

struct pl011 {
	uint8_t __iomem	*base;		/* byte pointer: register offsets add */
	phys_addr_t	phys;
};

static struct pl011 pl011_uart;

static void pl011_putc(struct pl011 *uart, char c)
{
	while (readl(uart->base + UART_FR) & FR_TXFF)
		arch_cpu_relax();
	writel((unsigned char)c, uart->base + UART_DR);
}

static void pl011_write(struct console *con, const char *s, size_t n)
{
	struct pl011 *uart = con->priv;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			pl011_putc(uart, '\r');
		pl011_putc(uart, s[i]);
	}
}

static int pl011_getc(struct console *con)
{
	struct pl011 *uart = con->priv;

	if (readl(uart->base + UART_FR) & FR_RXFE)
		return -1;
	return readl(uart->base + UART_DR) & 0xff;
}

static struct console pl011_console = {
	.name	= "pl011",
	.write	= pl011_write,
	.getc	= pl011_getc,
	.priv	= &pl011_uart,
};

/*
 * The node /chosen stdout-path names: a path or an alias, optionally
 * followed by ":options" ("serial0:115200n8"). -1 if absent.
 */
static int pl011_stdout_node(const void *fdt)
{
	char path[PL011_PATH_MAX];
	const char *stdout_path, *alias;
	int chosen, aliases;
	size_t len;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return -1;
	stdout_path = fdt_getprop_string(fdt, chosen, "stdout-path");
	if (!stdout_path)
		stdout_path = fdt_getprop_string(fdt, chosen, "linux,stdout-path");
	if (!stdout_path)
		return -1;
	len = strchr(stdout_path, ':') ? (size_t)(strchr(stdout_path, ':') - stdout_path)
				       : strlen(stdout_path);
	if (len == 0 || len >= sizeof(path))
		return -1;
	memcpy(path, stdout_path, len);
	path[len] = '\0';
	if (path[0] == '/')
		return fdt_path_offset(fdt, path);

	aliases = fdt_path_offset(fdt, "/aliases");
	alias = aliases >= 0 ? fdt_getprop_string(fdt, aliases, path) : NULL;
	return alias ? fdt_path_offset(fdt, alias) : -1;
}

kern_return_t pl011_console_setup(const void *fdt)
{
	struct pl011 *uart = &pl011_uart;
	uint64_t addr, size;
	uint32_t cr;
	int node;

	node = pl011_stdout_node(fdt);
	if (node < 0 || !fdt_node_compatible(fdt, node, "arm,pl011"))
		node = fdt_find_compatible(fdt, -1, "arm,pl011");
	if (node < 0)
		return KERN_INVALID_ARGUMENT;
	if (fdt_get_reg(fdt, node, 0, &addr, &size) != KERN_SUCCESS || size < 0x48)
		return KERN_INVALID_ARGUMENT;

	uart->phys = addr;
	uart->base = ioremap(addr, size);
	if (!uart->base)
		return KERN_RESOURCE_SHORTAGE;

	cr = readl(uart->base + UART_CR);
	if ((cr & (CR_UARTEN | CR_TXE | CR_RXE)) != (CR_UARTEN | CR_TXE | CR_RXE))
		writel(cr | CR_UARTEN | CR_TXE | CR_RXE, uart->base + UART_CR);

	console_register(&pl011_console);
	pr_info("pl011: console at %#llx (%s)\n", (unsigned long long)addr,
		fdt_node_name(fdt, node));
	return KERN_SUCCESS;
}
