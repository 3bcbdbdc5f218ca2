// SPDX-License-Identifier: MIT
/*
 * malloc() over vm_allocate(): memory comes from the kernel in arenas of
 * ARENA_SIZE (or a region of its own for a large block), is cut into
 * blocks with a header, and freed blocks go on one address-ordered free
 * list where neighbours merge again. First fit. Not thread-safe (one
 * thread per task until cthreads).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach.h>

#define ALIGN		16
#define ARENA_SIZE	(64 * 1024)
/* Blocks above this get their own vm_allocate() region, freed with vm_deallocate(). */
#define LARGE		(ARENA_SIZE / 4)

struct block {
	size_t		size;	/* bytes after the header */
	struct block	*next;	/* on the free list */
	uintptr_t	large;	/* 1: a region of its own */
	uintptr_t	pad;	/* the header is ALIGN bytes */
};

_Static_assert(sizeof(struct block) % ALIGN == 0, "block header alignment");

static struct block *free_list;

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

static void *region_alloc(size_t size)
{
	vm_address_t addr = 0;

	if (vm_allocate(mach_task_self(), &addr, size, TRUE) != KERN_SUCCESS)
		return NULL;
	return (void *)addr;
}

/* Put b back on the list, in address order, merging with its neighbours. */
static void free_insert(struct block *b)
{
	struct block **pp = &free_list, *prev = NULL;

	while (*pp && *pp < b) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	b->next = *pp;
	*pp = b;
	if (b->next && (char *)(b + 1) + b->size == (char *)b->next) {
		b->size += sizeof(*b) + b->next->size;
		b->next = b->next->next;
	}
	if (prev && (char *)(prev + 1) + prev->size == (char *)b) {
		prev->size += sizeof(*b) + b->size;
		prev->next = b->next;
	}
}

static bool arena_grow(void)
{
	struct block *b = region_alloc(ARENA_SIZE);

	if (!b)
		return false;
	b->size = ARENA_SIZE - sizeof(*b);
	b->large = 0;
	free_insert(b);
	return true;
}

static void *small_alloc(size_t size)
{
	struct block **pp, *b, *rest;

	for (;;) {
		for (pp = &free_list; (b = *pp); pp = &b->next) {
			if (b->size < size)
				continue;
			if (b->size >= size + sizeof(*b) + ALIGN) {
				/* Split: the tail stays free. */
				rest = (struct block *)((char *)(b + 1) + size);
				rest->size = b->size - size - sizeof(*b);
				rest->large = 0;
				rest->next = b->next;
				b->size = size;
				*pp = rest;
			} else {
				*pp = b->next;
			}
			b->next = NULL;
			return b + 1;
		}
		if (!arena_grow())
			return NULL;
	}
}

void *malloc(size_t size)
{
	struct block *b;
	size_t total;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX / 2)
		return NULL;
	size = round_up(size, ALIGN);
	if (size <= LARGE)
		return small_alloc(size);

	total = round_up(size + sizeof(*b), vm_page_size);
	b = region_alloc(total);
	if (!b)
		return NULL;
	b->size = total - sizeof(*b);
	b->large = 1;
	b->next = NULL;
	return b + 1;
}

void free(void *ptr)
{
	struct block *b;

	if (!ptr)
		return;
	b = (struct block *)ptr - 1;
	if (b->large)
		vm_deallocate(mach_task_self(), (vm_address_t)b, b->size + sizeof(*b));
	else
		free_insert(b);
}

void *calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	p = malloc(nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

void *realloc(void *ptr, size_t size)
{
	struct block *b;
	void *n;

	if (!ptr)
		return malloc(size);
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	b = (struct block *)ptr - 1;
	if (size <= b->size)
		return ptr;
	n = malloc(size);
	if (n) {
		memcpy(n, ptr, b->size);
		free(ptr);
	}
	return n;
}
