// SPDX-License-Identifier: MIT
/*
 * ACPI table discovery, as much as the interrupt hardware needs: the RSDP
 * (in the first KiB of the EBDA or in the BIOS area 0xE0000-0xFFFFF), the
 * RSDT or XSDT it points to, and from them the MADT (local APICs, IOAPICs,
 * interrupt source overrides, the local APIC address) and the HPET table.
 * Every table's checksum is verified; a bad one is ignored.
 *
 * Tables are read through ioremap(): ACPI memory is often outside the
 * direct map (QEMU puts the tables in "reserved" memory at the top of RAM).
 */
#include <kern/ioremap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <asm/memory.h>

#include "acpi.h"

struct acpi_rsdp {
	char		signature[8];	/* "RSD PTR " */
	uint8_t		checksum;	/* of the first 20 bytes */
	char		oem_id[6];
	uint8_t		revision;	/* 0: ACPI 1.0, 2: 2.0+ with the fields below */
	uint32_t	rsdt_address;
	uint32_t	length;
	uint64_t	xsdt_address;
	uint8_t		ext_checksum;	/* of all `length` bytes */
	uint8_t		reserved[3];
} __packed;

struct acpi_sdt_header {
	char		signature[4];
	uint32_t	length;
	uint8_t		revision;
	uint8_t		checksum;
	char		oem_id[6];
	char		oem_table_id[8];
	uint32_t	oem_revision;
	uint32_t	creator_id;
	uint32_t	creator_revision;
} __packed;

struct acpi_madt {
	struct acpi_sdt_header	hdr;
	uint32_t		lapic_address;
	uint32_t		flags;
	uint8_t			entries[];
} __packed;
#define ACPI_MADT_PCAT_COMPAT	(1U << 0)

enum {
	MADT_LAPIC		= 0,
	MADT_IOAPIC		= 1,
	MADT_ISO		= 2,
	MADT_LAPIC_OVERRIDE	= 5,
	MADT_X2APIC		= 9,
};

struct madt_lapic {
	uint8_t type, length, processor_id, apic_id;
	uint32_t flags;
} __packed;

struct madt_ioapic {
	uint8_t type, length, id, reserved;
	uint32_t address, gsi_base;
} __packed;

struct madt_iso {
	uint8_t type, length, bus, source;
	uint32_t gsi;
	uint16_t flags;
} __packed;

struct madt_lapic_override {
	uint8_t type, length;
	uint16_t reserved;
	uint64_t address;
} __packed;

struct madt_x2apic {
	uint8_t type, length;
	uint16_t reserved;
	uint32_t x2apic_id, flags, uid;
} __packed;

#define MADT_LAPIC_ENABLED	(1U << 0)
#define MADT_LAPIC_ONLINE_CAPABLE (1U << 1)

struct acpi_hpet {
	struct acpi_sdt_header	hdr;
	uint32_t		event_timer_block_id;
	uint8_t			space_id, bit_width, bit_offset, access_size;
	uint64_t		address;
} __packed;

#define EBDA_SEGMENT_PTR	0x40e
#define BIOS_AREA_START		0xe0000
#define BIOS_AREA_END		0x100000

struct acpi_madt_info acpi_madt;

const void *acpi_map(uint64_t pa, size_t size)
{
	return (const void __force *)ioremap(pa, size);
}

static bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static const struct acpi_rsdp *acpi_scan_rsdp(const uint8_t *area, uint64_t pa, size_t len)
{
	size_t off;

	for (off = 0; off + 20 <= len; off += 16) {
		const struct acpi_rsdp *r = (const void *)(area + off);

		if (memcmp(r->signature, "RSD PTR ", 8) || !acpi_checksum_ok(r, 20))
			continue;
		if (r->revision >= 2 && off + sizeof(*r) <= len &&
		    !acpi_checksum_ok(r, sizeof(*r)))
			continue;
		pr_info("acpi: RSDP at %#lx, revision %u (%.6s)\n",
			(unsigned long)(pa + off), r->revision, r->oem_id);
		return r;
	}
	return NULL;
}

static const struct acpi_rsdp *acpi_find_rsdp(void)
{
	const uint16_t *ebda_ptr = acpi_map(EBDA_SEGMENT_PTR, 2);
	const struct acpi_rsdp *r = NULL;
	const uint8_t *area;
	uint64_t ebda;

	if (ebda_ptr) {
		ebda = (uint64_t)*ebda_ptr << 4;
		if (ebda >= 0x80000 && ebda < 0xa0000) {
			area = acpi_map(ebda, 1024);
			if (area)
				r = acpi_scan_rsdp(area, ebda, 1024);
		}
	}
	if (!r) {
		area = acpi_map(BIOS_AREA_START, BIOS_AREA_END - BIOS_AREA_START);
		if (area)
			r = acpi_scan_rsdp(area, BIOS_AREA_START,
					   BIOS_AREA_END - BIOS_AREA_START);
	}
	return r;
}

/* A whole table, mapped and checked, or NULL. */
static const struct acpi_sdt_header *acpi_map_table(uint64_t pa)
{
	const struct acpi_sdt_header *h = acpi_map(pa, sizeof(*h));

	if (!h || h->length < sizeof(*h) || h->length > (1U << 20))
		return NULL;
	h = acpi_map(pa, h->length);
	if (!h)
		return NULL;
	if (!acpi_checksum_ok(h, h->length)) {
		pr_warn("acpi: table %.4s at %#lx has a bad checksum, ignored\n",
			h->signature, (unsigned long)pa);
		return NULL;
	}
	return h;
}

static void acpi_madt_add_cpu(uint32_t apic_id, uint32_t flags)
{
	unsigned int i;

	if (!(flags & MADT_LAPIC_ENABLED))
		return;
	for (i = 0; i < acpi_madt.nr_cpus; i++)
		if (acpi_madt.apic_ids[i] == apic_id)
			return;
	if (acpi_madt.nr_cpus == ACPI_MAX_CPUS) {
		pr_warn("acpi: more than %d CPUs, APIC id %u ignored\n", ACPI_MAX_CPUS, apic_id);
		return;
	}
	acpi_madt.apic_ids[acpi_madt.nr_cpus++] = apic_id;
}

static void acpi_madt_entry(const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC: {
		const struct madt_lapic *l = (const void *)e;

		acpi_madt_add_cpu(l->apic_id, l->flags);
		break;
	}
	case MADT_X2APIC: {
		const struct madt_x2apic *x = (const void *)e;

		acpi_madt_add_cpu(x->x2apic_id, x->flags);
		break;
	}
	case MADT_IOAPIC: {
		const struct madt_ioapic *io = (const void *)e;
		struct acpi_ioapic *a;

		if (acpi_madt.nr_ioapics == ACPI_MAX_IOAPICS)
			break;
		a = &acpi_madt.ioapics[acpi_madt.nr_ioapics++];
		a->id = io->id;
		a->base = io->address;
		a->gsi_base = io->gsi_base;
		break;
	}
	case MADT_ISO: {
		const struct madt_iso *iso = (const void *)e;
		struct acpi_isa_irq *irq;

		if (iso->bus != 0 || iso->source >= ACPI_NR_ISA_IRQS)
			break;
		irq = &acpi_madt.isa[iso->source];
		irq->gsi = iso->gsi;
		irq->active_low = (iso->flags & ACPI_POLARITY_MASK) == ACPI_POLARITY_LOW;
		irq->level = (iso->flags & ACPI_TRIGGER_MASK) == ACPI_TRIGGER_LEVEL;
		break;
	}
	case MADT_LAPIC_OVERRIDE: {
		const struct madt_lapic_override *o = (const void *)e;

		acpi_madt.lapic_base = o->address;
		break;
	}
	}
}

static void acpi_parse_madt(const struct acpi_madt *madt)
{
	const uint8_t *e = madt->entries;
	const uint8_t *end = (const uint8_t *)madt + madt->hdr.length;
	unsigned int i;

	for (i = 0; i < ACPI_NR_ISA_IRQS; i++)
		acpi_madt.isa[i] = (struct acpi_isa_irq){ .gsi = i };
	acpi_madt.lapic_base = madt->lapic_address;
	acpi_madt.has_8259 = madt->flags & ACPI_MADT_PCAT_COMPAT;
	while (e + 2 <= end && e[1] >= 2 && e + e[1] <= end) {
		acpi_madt_entry(e);
		e += e[1];
	}
}

static void acpi_parse_table(uint64_t pa)
{
	const struct acpi_sdt_header *h = acpi_map_table(pa);

	if (!h)
		return;
	pr_info("acpi: %.4s at %#lx, %u bytes (%.6s %.8s)\n", h->signature,
		(unsigned long)pa, h->length, h->oem_id, h->oem_table_id);
	if (!memcmp(h->signature, "APIC", 4) && h->length >= sizeof(struct acpi_madt))
		acpi_parse_madt((const void *)h);
	else if (!memcmp(h->signature, "HPET", 4) && h->length >= sizeof(struct acpi_hpet))
		acpi_madt.hpet_base = ((const struct acpi_hpet *)h)->address;
}

kern_return_t acpi_init(void)
{
	const struct acpi_rsdp *rsdp = acpi_find_rsdp();
	const struct acpi_sdt_header *root;
	bool xsdt;
	unsigned int i, n;

	if (!rsdp) {
		pr_err("acpi: no RSDP in the EBDA or the BIOS area\n");
		return KERN_FAILURE;
	}
	xsdt = rsdp->revision >= 2 && rsdp->xsdt_address;
	root = acpi_map_table(xsdt ? rsdp->xsdt_address : rsdp->rsdt_address);
	if (!root) {
		pr_err("acpi: no valid %s\n", xsdt ? "XSDT" : "RSDT");
		return KERN_FAILURE;
	}
	n = (root->length - sizeof(*root)) / (xsdt ? 8 : 4);
	for (i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)(root + 1) + i * (xsdt ? 8 : 4);
		uint64_t pa;

		if (xsdt)
			memcpy(&pa, p, 8);
		else
			pa = *(const uint32_t *)p;
		acpi_parse_table(pa);
	}
	if (!acpi_madt.lapic_base) {
		pr_err("acpi: no MADT: no local APIC or IOAPIC to use\n");
		return KERN_FAILURE;
	}
	pr_info("acpi: %u CPUs, %u IOAPICs, local APIC at %#lx%s\n", acpi_madt.nr_cpus,
		acpi_madt.nr_ioapics, (unsigned long)acpi_madt.lapic_base,
		acpi_madt.hpet_base ? ", HPET" : "");
	return KERN_SUCCESS;
}
