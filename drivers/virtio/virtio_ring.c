// SPDX-License-Identifier: MIT
/*
 * Split virtqueues (virtio 1.2, 2.7). The three parts sit in one run of
 * physical pages, reached through the direct map:
 *
 *	descriptor table   16 * num bytes, 16-aligned
 *	available ring     6 + 2 * num bytes, 2-aligned (we write)
 *	used ring          6 + 8 * num bytes, 4-aligned (the device writes)
 *
 * Free descriptors form a chain through their `next` fields. A request is
 * a chain of descriptors whose head index goes on the available ring; the
 * device puts the head back on the used ring when done, and the chain
 * returns to the free list. We ask for an interrupt on every completion
 * (no event index): simple, and the interrupt is what wakes the waiter.
 */
#include <kern/kmem.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <asm/io.h>
#include "virtio.h"

static size_t virtq_avail_size(uint16_t num)
{
	return sizeof(struct virtq_avail) + 2 * (size_t)num + 2;	/* + used_event */
}

static size_t virtq_used_size(uint16_t num)
{
	return sizeof(struct virtq_used) + sizeof(struct virtq_used_elem) * (size_t)num + 2;
}

static size_t virtq_ring_bytes(uint16_t num, size_t *avail_off, size_t *used_off)
{
	size_t off = sizeof(struct virtq_desc) * (size_t)num;

	*avail_off = off;
	off = ALIGN_UP(off + virtq_avail_size(num), 4);
	*used_off = off;
	return off + virtq_used_size(num);
}

kern_return_t virtqueue_create(struct virtio_device *vdev, unsigned int index,
			       uint16_t max_num, struct virtqueue **vqp)
{
	uint16_t dev_max = vdev->ops->queue_max(vdev, index), num = 1;
	size_t avail_off, used_off, bytes;
	struct virtqueue *vq;
	unsigned int order = 0, i;
	kern_return_t kr;
	uint8_t *base;

	if (dev_max == 0)
		return KERN_INVALID_ARGUMENT;
	while ((uint16_t)(num * 2) <= max_num && (uint16_t)(num * 2) <= dev_max && num < 0x8000)
		num *= 2;
	bytes = virtq_ring_bytes(num, &avail_off, &used_off);
	while (VM_PAGE_ORDER_SIZE(order) < bytes)
		order++;

	vq = kalloc(sizeof(*vq));
	if (!vq)
		return KERN_RESOURCE_SHORTAGE;
	memset(vq, 0, sizeof(*vq));
	vq->cookies = kalloc(sizeof(void *) * num);
	vq->pages = vm_page_alloc(order);
	if (!vq->cookies || !vq->pages) {
		kr = KERN_RESOURCE_SHORTAGE;
		goto fail;
	}
	memset(vq->cookies, 0, sizeof(void *) * num);
	base = vm_page_to_virt(vq->pages);
	memset(base, 0, VM_PAGE_ORDER_SIZE(order));

	vq->vdev = vdev;
	vq->index = index;
	vq->num = num;
	vq->order = order;
	vq->desc = (volatile struct virtq_desc *)base;
	vq->avail = (volatile struct virtq_avail *)(base + avail_off);
	vq->used = (volatile struct virtq_used *)(base + used_off);
	vq->desc_pa = vm_page_to_phys(vq->pages);
	vq->avail_pa = vq->desc_pa + avail_off;
	vq->used_pa = vq->desc_pa + used_off;
	spin_lock_init(&vq->lock);
	for (i = 0; i < num; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->nr_free = num;

	kr = vdev->ops->queue_enable(vdev, vq);
	if (kr != KERN_SUCCESS)
		goto fail;
	*vqp = vq;
	return KERN_SUCCESS;

fail:
	if (vq->pages)
		vm_page_free(vq->pages, order);
	if (vq->cookies)
		kfree(vq->cookies, sizeof(void *) * num);
	kfree(vq, sizeof(*vq));
	return kr;
}

kern_return_t virtqueue_add_locked(struct virtqueue *vq, const struct virtq_buf *bufs,
				   unsigned int n, void *cookie)
{
	uint16_t head, d;
	unsigned int i;

	if (n == 0 || n > vq->num || !cookie)
		return KERN_INVALID_ARGUMENT;
	if (n > vq->nr_free)
		return KERN_RESOURCE_SHORTAGE;

	head = vq->free_head;
	for (i = 0, d = head; i < n; i++) {
		volatile struct virtq_desc *desc = &vq->desc[d];

		desc->addr = bufs[i].addr;
		desc->len = bufs[i].len;
		desc->flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
					 (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		d = desc->next;
	}
	vq->free_head = d;
	vq->nr_free = (uint16_t)(vq->nr_free - n);
	vq->cookies[head] = cookie;

	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	/* The entry (and the descriptors) before the index that publishes it. */
	dma_mb();
	vq->avail_idx++;
	vq->avail->idx = vq->avail_idx;
	vq->nr_added++;
	/* The index before the doorbell, and the doorbell before a used-ring check. */
	dma_mb();
	if (!(vq->used->flags & 1))	/* VIRTQ_USED_F_NO_NOTIFY */
		vq->vdev->ops->notify(vq);
	return KERN_SUCCESS;
}

void *virtqueue_get_used_locked(struct virtqueue *vq, uint32_t *len)
{
	volatile struct virtq_used_elem *e;
	uint16_t head, d, count;
	void *cookie;

	if (vq->last_used == vq->used->idx)
		return NULL;
	/* The device wrote the entry before the index we just read. */
	dma_mb();
	e = &vq->used->ring[vq->last_used & (vq->num - 1)];
	head = (uint16_t)e->id;
	if (len)
		*len = e->len;
	vq->last_used++;
	if (head >= vq->num || !vq->cookies[head]) {
		pr_err("virtio: %s: queue %u: bad used id %u\n", vq->vdev->name,
		       vq->index, head);
		return NULL;
	}
	cookie = vq->cookies[head];
	vq->cookies[head] = NULL;

	/* Walk the chain to its end and put it back on the free list. */
	for (d = head, count = 1; vq->desc[d].flags & VIRTQ_DESC_F_NEXT; count++)
		d = vq->desc[d].next;
	vq->desc[d].next = vq->free_head;
	vq->free_head = head;
	vq->nr_free = (uint16_t)(vq->nr_free + count);
	vq->nr_completed++;
	return cookie;
}

/* The physical address behind a kernel virtual address. */
static kern_return_t virtq_kva_to_phys(const void *va, phys_addr_t *pa)
{
	vm_prot_t prot;
	vm_size_t size;

	return pmap_kernel_extract((vm_offset_t)va, pa, &prot, &size);
}

kern_return_t virtq_buf_add(struct virtq_buf *bufs, unsigned int *n, unsigned int max,
			    const void *va, size_t len, bool device_writes)
{
	uintptr_t p = (uintptr_t)va;
	kern_return_t kr;

	while (len) {
		size_t chunk = PAGE_SIZE - (p & (PAGE_SIZE - 1));
		phys_addr_t pa;

		if (chunk > len)
			chunk = len;
		kr = virtq_kva_to_phys((const void *)p, &pa);
		if (kr != KERN_SUCCESS)
			return KERN_INVALID_ADDRESS;
		/* Physically adjacent to the last piece: grow it. */
		if (*n && bufs[*n - 1].device_writes == device_writes &&
		    bufs[*n - 1].addr + bufs[*n - 1].len == pa) {
			bufs[*n - 1].len += (uint32_t)chunk;
		} else {
			if (*n >= max)
				return KERN_RESOURCE_SHORTAGE;
			bufs[*n].addr = pa;
			bufs[*n].len = (uint32_t)chunk;
			bufs[*n].device_writes = device_writes;
			(*n)++;
		}
		p += chunk;
		len -= chunk;
	}
	return KERN_SUCCESS;
}
