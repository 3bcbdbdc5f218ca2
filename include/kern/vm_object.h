/* SPDX-License-Identifier: MIT */
/*
 * Memory objects as the VM keeps them (vm_object) and the resident pages
 * they hold. See Documentation/mm/vm.rst.
 *
 * A vm_object is a range of bytes whose pages are either resident (a
 * struct vm_page in the object, found by (object, offset) through a hash
 * table), or come from the object it shadows (copy-on-write), or come
 * from its pager (mm/memory_object.c). An internal object has no pager: a
 * page that no object of its chain holds is zero-filled.
 *
 *	struct vm_object *obj = vm_object_allocate(4 * PAGE_SIZE);
 *	vm_object_lock(obj);
 *	struct vm_page *p = vm_page_alloc_object(obj, 0);	zero-filled, busy
 *	...
 *	vm_page_wakeup_done(p);
 *	vm_object_unlock(obj);
 *	vm_object_deallocate(obj);		frees every page with the last reference
 *
 * Locking: each object has a mutex (vm_object_lock()) that guards its
 * fields and the pages it holds (their flags, their object/offset and its
 * list). Objects of a shadow chain are locked from the top down. The hash
 * table and the paging queues have spinlocks of their own (never held
 * across anything that sleeps or calls the pmap). Reference counts are
 * changed under the object's lock.
 */
#ifndef _KERN_VM_OBJECT_H
#define _KERN_VM_OBJECT_H

#include <kern/types.h>
#include <kern/lock.h>
#include <kern/vm_page.h>
#include <mach/kern_return.h>
#include <mach/memory_object_types.h>
#include <mach/vm_prot.h>

/* ------------------------------------------------------------------------
 * Resident pages (mm/vm_resident.c)
 *
 * A page the VM owns is VM_PAGE_ALLOCATED for the page allocator and
 * carries these flags in vm_flags. Its state for the VM:
 *
 *	free		not the VM's (vm_page.state FREE or CACHED)
 *	active		in an object, on the active queue (VM_PAGE_ACTIVE)
 *	inactive	in an object, on the inactive queue (VM_PAGE_INACTIVE)
 *	wired		in an object, wire_count > 0, on no queue
 *	busy		being filled or copied: others wait (VM_PAGE_BUSY)
 *	absent		a placeholder for data a pager has not supplied yet
 *	error		the pager failed to supply it
 */
#define VM_PAGE_TABLED		0x0001	/* in an object and the hash table */
#define VM_PAGE_ACTIVE		0x0002	/* on the active queue */
#define VM_PAGE_INACTIVE	0x0004	/* on the inactive queue */
#define VM_PAGE_BUSY		0x0008	/* contents changing: wait */
#define VM_PAGE_WANTED		0x0010	/* someone waits for !BUSY */
#define VM_PAGE_ABSENT		0x0020	/* data not yet supplied */
#define VM_PAGE_ERROR		0x0040	/* the pager failed */
#define VM_PAGE_DIRTY		0x0080	/* differs from the pager's copy */
#define VM_PAGE_UNLOCK_ERROR	0x0100	/* the data_unlock failed (data_error, timeout) */
/*
 * Page locks (memory_object.defs): the access the pager's lock_value
 * forbids (bits 9-11, a vm_prot_t) and the access a data_unlock has asked
 * for and not been answered yet (bits 12-14: later faults wait for that
 * answer rather than ask again).
 */
#define VM_PAGE_LOCK_SHIFT	9
#define VM_PAGE_UNLOCK_SHIFT	12

static inline vm_prot_t vm_page_prot_bits(uint16_t flags, unsigned int shift)
{
	return (vm_prot_t)((flags >> shift) & VM_PROT_ALL);
}

static inline uint16_t vm_page_prot_set(uint16_t flags, unsigned int shift, vm_prot_t prot)
{
	return (uint16_t)((flags & ~(VM_PROT_ALL << shift)) | ((prot & VM_PROT_ALL) << shift));
}

/* The access the page's lock forbids (VM_PROT_NONE for most pages). */
#define vm_page_lock_value(page)	vm_page_prot_bits((page)->vm_flags, VM_PAGE_LOCK_SHIFT)
/* The access asked for by a data_unlock not answered yet. */
#define vm_page_unlock_request(page)	vm_page_prot_bits((page)->vm_flags, VM_PAGE_UNLOCK_SHIFT)

struct vm_object;

/*
 * A fresh page, zero-filled, inserted at (object, offset) with BUSY set
 * (the caller clears it with vm_page_wakeup_done()); NULL without memory.
 * Object locked. The page is on no queue until activated.
 */
struct vm_page *vm_page_alloc_object(struct vm_object *object, vm_offset_t offset);

/*
 * The same with src's contents instead of zeroes (copy-on-write, eager
 * copies): the page is not zeroed first, and a pre-zeroed one is taken
 * only when no other is free. src's object locked too.
 */
struct vm_page *vm_page_alloc_object_copy(struct vm_object *object, vm_offset_t offset,
					  struct vm_page *src);

/* The page at (object, offset), or NULL. Object locked. */
struct vm_page *vm_page_lookup(struct vm_object *object, vm_offset_t offset);

/* Put a page the VM allocated at (object, offset) / take it out. Object locked. */
void vm_page_insert(struct vm_page *page, struct vm_object *object, vm_offset_t offset);
void vm_page_remove(struct vm_page *page);

/* Move a page to another object (collapse). Both objects locked. */
void vm_page_rename(struct vm_page *page, struct vm_object *object, vm_offset_t offset);

/*
 * Remove every mapping of the page, take it out of its object and the
 * queues and give it back to the page allocator. Object locked; the page
 * must not be wired.
 */
void vm_page_free_object(struct vm_page *page);

/* Paging queues (the page's object locked). */
void vm_page_activate(struct vm_page *page);
void vm_page_deactivate(struct vm_page *page);
void vm_page_wire(struct vm_page *page);	/* wire_count++, off the queues */
void vm_page_unwire(struct vm_page *page);	/* the last one puts it on active */
/* Every wiring gone, the page on no queue: it is about to be freed. */
void vm_page_unwire_dying(struct vm_page *page);

/*
 * For the pageout daemon: the first page of the first `tries` at the head
 * of the inactive (or active) queue whose object lock could be taken
 * without waiting, with that lock held; each page looked at goes to the
 * tail of its queue. NULL if none.
 */
struct vm_page *vm_page_queue_grab(bool inactive, unsigned int tries);

/* Clear BUSY and wake whoever waits for the page. */
void vm_page_wakeup_done(struct vm_page *page);

/* Copy the contents of one page into another. */
void vm_page_copy(struct vm_page *src, struct vm_page *dst);

struct vm_resident_stats {
	unsigned long	pages;		/* pages in objects */
	unsigned long	active;
	unsigned long	inactive;
	unsigned long	wired;		/* pages with wire_count > 0 */
	unsigned long	buckets;	/* hash table size */
};

void vm_resident_get_stats(struct vm_resident_stats *stats);

/* ------------------------------------------------------------------------
 * Objects (mm/vm_object.c)
 */
struct vm_object {
	struct mutex		lock;
	unsigned int		ref_count;	/* entries, shadows and callers */
	unsigned int		resident_page_count;
	/*
	 * Resident pages with wire_count > 0: kept by vm_page_insert/remove
	 * and the wire/unwire calls, so that collapse and bypass can rule a
	 * wired page out without walking the pages (most objects have none).
	 */
	unsigned int		wired_page_count;
	struct vm_page		*pages;		/* resident pages (listq_next) */
	vm_size_t		size;

	/* Copy-on-write: pages not here come from shadow at offset + shadow_offset. */
	struct vm_object	*shadow;	/* holds a reference */
	vm_offset_t		shadow_offset;
	memory_object_copy_strategy_t copy_strategy;	/* SYMMETRIC for internal objects */
	/*
	 * The copy object of a delayed copy (MEMORY_OBJECT_COPY_DELAY,
	 * vm_object_copy_delayed()): it shadows this object and shows what
	 * this object held when the copy was made. Before a page of this
	 * object changes, its old contents are pushed there unless the copy
	 * has a page at that offset (vm_object_copy_push()). No reference:
	 * the copy clears it as it terminates. Changed under this object's
	 * lock and the copy's.
	 */
	struct vm_object	*copy;

	/*
	 * The pager (memory_object protocol, mm/memory_object.c): a send
	 * right to the memory object port, or NULL (an internal object
	 * zero-fills). pager_control is the object's control port (a kernel
	 * object, IKOT_MEMORY_OBJECT_CONTROL). Temporary means the data dies
	 * with the object (no data_return at termination).
	 */
	struct ipc_port		*pager;
	struct ipc_port		*pager_control;
	struct vm_object	*pager_next;	/* objects with a pager */
	bool			pager_ready;	/* set_attributes(ready) came */
	bool			pager_dead;	/* destroy: every fault fails */
	bool			internal;
	bool			temporary;
	bool			terminating;
	unsigned int		paging_in_progress;	/* waits for the pager: no collapse */

	/*
	 * The default pager (mm/default_pager.c) of an internal object:
	 * swap_map[offset / PAGE_SIZE] is the slot + 1 holding the page
	 * paged out there (0: none), swap_map_len entries; swap_count
	 * pages are out. Object lock.
	 */
	uint32_t		*swap_map;
	uint32_t		swap_map_len;
	uint32_t		swap_count;

	/*
	 * An internal object given to a registered default memory manager
	 * (mm/memory_object_default.c) has a pager like any other; the bits
	 * of pager_written (pager_written_len pages) say which pages the
	 * manager has been given (data_initialize the first time,
	 * data_return after). manager_gen: the registration current when the
	 * object was made (only such objects go to that manager). Object lock.
	 */
	unsigned long		*pager_written;
	uint32_t		pager_written_len;
	uint32_t		manager_gen;
	bool			laundry;	/* a page's copy in flight to a manager */

	struct vm_object	*all_next, *all_prev;	/* every object (debugging) */
};

/* An internal, temporary, zero-fill object of size bytes (rounded up to pages), one reference. */
struct vm_object *vm_object_allocate(vm_size_t size);

void vm_object_reference(struct vm_object *object);

/*
 * Drop a reference. The last one terminates the object: every page is
 * unmapped and freed, and the reference on its shadow dropped (which may
 * terminate that in turn).
 */
void vm_object_deallocate(struct vm_object *object);

static inline void vm_object_lock(struct vm_object *object)
{
	mutex_lock(&object->lock);
}

static inline void vm_object_unlock(struct vm_object *object)
{
	mutex_unlock(&object->lock);
}

/*
 * Replace *object (a reference the caller gives up) by a new object of
 * `length` bytes that shadows it at *offset; *offset becomes 0. The new
 * object starts with one reference, the caller's.
 */
kern_return_t vm_object_shadow(struct vm_object **object, vm_offset_t *offset,
			       vm_size_t length);

/*
 * Shorten object's shadow chain while nothing else can see the objects
 * being removed: collapse (the shadow has no other reference: its pages
 * not hidden by object's move up and it goes away) and bypass (every page
 * of the shadow within object's range is hidden by one of object's: skip
 * it). Object locked; may drop and retake nothing.
 */
void vm_object_collapse(struct vm_object *object);

/*
 * The map entry that holds the last reference to object (not locked;
 * anonymous memory without a shadow) is going: drop every wiring of its
 * pages, which its termination frees next (no data goes back), in one
 * walk of its page list and with no paging queue on the way
 * (vm_map_delete()). Returns false, doing nothing, when the object does
 * not qualify (referenced elsewhere, a pager's, or a shadow of another: a
 * wired page may lie below).
 */
bool vm_object_unwire_dying(struct vm_object *object);

/* Unmap and free the pages of object in [start, end) (object locked, none wired). */
void vm_object_page_remove(struct vm_object *object, vm_offset_t start, vm_offset_t end);

/*
 * Find the page that (object, offset) shows: in object or down its shadow
 * chain. Object locked; every deeper object visited is locked too and
 * stays locked (top-down order) until vm_object_chain_unlock(object).
 * Returns the page and, in *where and *where_offset, the object holding it
 * and the offset there; NULL when no object of the chain has one (then
 * *where is the bottom object).
 */
struct vm_page *vm_object_chain_lookup(struct vm_object *object, vm_offset_t offset,
				       struct vm_object **where, vm_offset_t *where_offset);

/* Unlock the objects below object that vm_object_chain_lookup() locked, down to last. */
void vm_object_chain_unlock(struct vm_object *object, struct vm_object *last);

/*
 * A new object of size bytes holding copies of what object shows at
 * [offset, offset + size) now (its chain included): an eager copy.
 * NULL without memory. Object unlocked.
 */
struct vm_object *vm_object_copy_slowly(struct vm_object *object, vm_offset_t offset,
					vm_size_t size);

/*
 * The loop of vm_object_copy_slowly(): copy what object shows at
 * [offset + *done, offset + copy->size) into copy (a new object of the
 * caller's alone) at *done on, *done advancing a page at a time.
 * may_wait false: VM_OBJECT_COPY_WAIT at the first page a pager must
 * supply (*done at it), so that a caller holding a map lock can drop it
 * and go on from there (vm_map_copy_entry_slowly()). KERN_SUCCESS, or
 * what failed (KERN_RESOURCE_SHORTAGE, the pager's error). Nothing locked.
 */
#define VM_OBJECT_COPY_WAIT	((kern_return_t)-4)
kern_return_t vm_object_copy_pages(struct vm_object *object, vm_offset_t offset,
				   struct vm_object *copy, vm_offset_t *done, bool may_wait);

/*
 * The start of vm_object_copy_slowly(): the copy object with what needs
 * no pager copied, *done where a pager must supply a page (the size: all
 * copied); vm_object_copy_pages(..., may_wait true) goes on from there.
 * NULL when a page or the object could not be had.
 */
struct vm_object *vm_object_copy_start(struct vm_object *object, vm_offset_t offset,
				       vm_size_t size, vm_offset_t *done);

/*
 * Is object the current copy object of its shadow? Object locked: the
 * shadow's copy field stops naming it only under its lock, and names it
 * only from its creation.
 */
static inline bool vm_object_is_copy(const struct vm_object *object)
{
	return object->shadow && READ_ONCE(object->shadow->copy) == object;
}

/*
 * A copy of [offset, offset + size) of object (referenced by the caller,
 * who keeps that reference) as the object's copy strategy says, for
 * vm_map(copy TRUE), and for fork and copyin of a pager's object: *copy
 * (a new reference) to be mapped at *copy_offset, needs_copy when its
 * mapping must copy on write. MEMORY_OBJECT_COPY_NONE, or an object with
 * wired pages (which must not lose write, _CALL included): an eager copy
 * (vm_object_copy_slowly(), the pager asked for every page it has not
 * supplied); _CALL: vm_object_copy_call() (the pager makes the copy);
 * any other: a delayed copy (vm_object_copy_delayed()). Nothing locked.
 */
kern_return_t vm_object_copy_strategically(struct vm_object *object, vm_offset_t offset,
					   vm_size_t size,
					   struct vm_object **copy, vm_offset_t *copy_offset,
					   bool *needs_copy);

/*
 * How a copy of object is made, as vm_object_copy_strategically() makes
 * it: by the pager (MEMORY_OBJECT_COPY_CALL: vm_object_copy_call()),
 * delayed (vm_object_copy_delayed()), or eager (COPY_NONE, or any object
 * with a wired page, which must not lose write), which fork and copyin
 * make with their map unlocked (vm_map_copy_entry_slowly()). Nothing
 * locked.
 */
enum vm_object_copy_kind {
	VM_OBJECT_COPY_EAGER,
	VM_OBJECT_COPY_DELAYED,
	VM_OBJECT_COPY_BY_CALL,
};
enum vm_object_copy_kind vm_object_copy_kind(struct vm_object *object);

/*
 * Mach's vm_object_copy_call(), for a MEMORY_OBJECT_COPY_CALL object
 * (referenced by the caller): a new memory object port goes to the pager
 * in memory_object_copy(object's pager, control, offset, size, its
 * receive right); the resident pages of the range then lock write (the
 * pager hears the next write as data_unlock and lifts the lock with
 * lock_request); the result (a new reference) is the object made for
 * the new port, whose pages the pager supplies on data_request. NULL if
 * the pager is dead or the message or object could not be made. Nothing
 * locked.
 */
struct vm_object *vm_object_copy_call(struct vm_object *object, vm_offset_t offset,
				      vm_size_t size);

/*
 * Mach's MEMORY_OBJECT_COPY_DELAY: the object's copy object (a new
 * reference), which shows the object as it is now. One that has received
 * nothing since it was made is shared; otherwise a new one is made, and
 * the previous one shadows it (what it had not received is the same in
 * the new one). Every resident page of the object loses write in every
 * mapping, so that the next write faults and pushes (vm_object_copy_push()).
 * NULL without memory. Object unlocked.
 */
struct vm_object *vm_object_copy_delayed(struct vm_object *object);

/*
 * Page (of object, locked, not busy) is about to change: if object has a
 * copy object with no page of its own at that offset, remove the page's
 * translations (mappings of the copy may show it), then give the copy a
 * copy of the page. unmapped: the caller has removed every translation of
 * the page and flushed the TLBs (pmap_page_protect_options() for a batch
 * of pages, then pmap_flush(): one shootdown for all), and has kept
 * object locked since; the push then only copies. KERN_SUCCESS,
 * KERN_RESOURCE_SHORTAGE, or VM_OBJECT_COPY_BUSY: the copy's lock is held
 * elsewhere (it is above object in the lock order: only tried), unlock
 * object and come back.
 */
#define VM_OBJECT_COPY_BUSY	((kern_return_t)-2)
kern_return_t vm_object_copy_push(struct vm_object *object, struct vm_page *page, bool unmapped);

/*
 * After VM_OBJECT_COPY_BUSY, with the object unlocked: let the holder of
 * the copy's lock (which may wait for the object's) go on. A short sleep,
 * not a yield: the holder may have a lower priority. Thread context.
 */
void vm_object_copy_pause(void);

/* ------------------------------------------------------------------------
 * External memory management (mm/memory_object.c, Documentation/mm/vm.rst)
 */
struct ipc_port;
struct vm_map_copy;

/*
 * The object whose pager is the memory object port `pager` (made, with a
 * control port and memory_object_init() to the pager, if none exists; it
 * keeps a send right of its own), with a reference and at least size
 * bytes. NULL for a null or dead port or without memory.
 */
struct vm_object *vm_object_enter(struct ipc_port *pager, vm_size_t size);

/* vm_object_enter() calls (lookups) and those that found an object (hits). */
void vm_object_enter_stats(unsigned long *lookups, unsigned long *hits);

/*
 * For faults, which wait for a pager with no lock held (not even the
 * map's): a page the fault found BUSY, or put there BUSY and ABSENT to ask
 * the pager for it (request). vm_object_pager_wait_prepare() (object
 * locked) takes a reference on the object and blocks its collapse;
 * vm_object_pager_wait_run() (nothing locked) sends the data_request if
 * asked to, waits for the page to lose BUSY and drops what prepare took.
 * KERN_SUCCESS when the page is no longer busy (the fault looks up the
 * map again); KERN_MEMORY_ERROR when the pager is dead or, for the
 * requester, does not answer within vm_pager_timeout_ms (the page is
 * freed; other waiters then look again and ask anew).
 */
struct vm_pager_wait {
	struct vm_object	*object;
	struct vm_page		*page;
	vm_offset_t		offset;
	vm_prot_t		access;
	bool			request;
	bool			unlock;		/* a page lock, not a busy page */
	vm_prot_t		need;		/* unlock: the access the fault needs */
};

void vm_object_pager_wait_prepare(struct vm_object *object, struct vm_page *page,
				  bool request, vm_prot_t access, struct vm_pager_wait *w);
kern_return_t vm_object_pager_wait_run(struct vm_pager_wait *w);

/*
 * A fault needs access `need` to a page whose lock forbids some of it
 * (object locked): prepare the wait (as vm_object_pager_wait_prepare())
 * for the pager's answer to a data_unlock, which this fault sends if no
 * data_unlock already asks for that access. vm_object_pager_wait_run()
 * then gives KERN_SUCCESS when the lock no longer forbids it (or the page
 * went: look again), KERN_PROTECTION_FAILURE when the pager answered with
 * a lock_request keeping it, KERN_MEMORY_ERROR for a data_error, a dead
 * pager or no answer within vm_pager_timeout_ms.
 */
void vm_object_page_unlock_prepare(struct vm_object *object, struct vm_page *page,
				   vm_prot_t need, struct vm_pager_wait *w);

/*
 * The last reference is gone (terminating set, object unlocked): drop the
 * control port, send every dirty page back, then memory_object_terminate.
 */
void vm_object_pager_terminate(struct vm_object *object);
/* memory_object_data_return() of one page (object locked; clears DIRTY). */
kern_return_t vm_object_pager_return(struct vm_object *object, struct vm_page *page);

/*
 * The control side, what the pager's messages on the control port do
 * (memory_object_data_supply etc. in mach.defs; offsets and sizes in
 * bytes, page-aligned). Each consumes what it is given (data, reply_to).
 * A malformed supply (misaligned, beyond the object) or data_error fails
 * every fault waiting on the range with KERN_MEMORY_ERROR.
 */
kern_return_t vm_object_data_supply(struct vm_object *object, vm_offset_t offset,
				    struct vm_map_copy *data, vm_prot_t lock_value,
				    bool precious);
kern_return_t vm_object_data_unavailable(struct vm_object *object, vm_offset_t offset,
					 vm_size_t size);
kern_return_t vm_object_data_error(struct vm_object *object, vm_offset_t offset,
				   vm_size_t size, kern_return_t error);
kern_return_t vm_object_lock_request(struct vm_object *object, vm_offset_t offset,
				     vm_size_t size, int should_return, bool should_flush,
				     vm_prot_t lock_value, struct ipc_port *reply_to);
kern_return_t vm_object_set_attributes(struct vm_object *object, bool ready,
				       bool may_cache,
				       memory_object_copy_strategy_t strategy);
kern_return_t vm_object_pager_destroy(struct vm_object *object, kern_return_t reason);

/* The object behind a control port (a reference), or NULL: the MIG intran. */
struct vm_object *vm_object_control_lookup(struct ipc_port *control);

/*
 * The default memory manager (memory_object_default.defs,
 * mm/memory_object_default.c). vm_default_manager_get(): a send right to
 * the registered manager, or to the port of the kernel's own default
 * pager (swap, mm/default_pager.c) while that serves.
 * vm_default_manager_set(): the manager becomes `manager` (a send right it
 * takes; the kernel pager's port or IP_NULL: the kernel's own again), the
 * previous one's right comes back. vm_default_manager_is_kernel(): no
 * manager is registered.
 */
struct ipc_port *vm_default_manager_get(void);
struct ipc_port *vm_default_manager_set(struct ipc_port *manager);
bool vm_default_manager_is_kernel(void);

/*
 * The current registration, which vm_object_allocate() records;
 * VM_MANAGER_GEN_NEVER marks objects that must not go to a manager
 * (kernel data in flight: vm_map_copy_from_kernel()).
 */
extern uint32_t vm_default_manager_gen;
#define VM_MANAGER_GEN_NEVER	UINT32_MAX

/*
 * An internal object (locked, no pager, not terminating) about to be
 * paged out: if the manager registered when it was made is alive and the
 * object has nothing in the kernel's swap, give it a pager (a memory
 * object port whose receive right goes to the manager with
 * memory_object_create(), a control port). Whether it now has one.
 */
bool vm_object_default_pager_create(struct vm_object *object);

/*
 * Page (of an internal object with a pager; object locked) to its
 * manager: memory_object_data_initialize the first time,
 * memory_object_data_return after; *sent says whether it went. Nothing
 * goes for a clean page the manager has already, unless always. The
 * caller removes the mappings first if the page is to be freed.
 */
kern_return_t vm_object_default_pageout(struct vm_object *object, struct vm_page *page,
					bool always, bool *sent);

/* Forget what the manager was given in [start, end) / everything (terminate). */
void vm_object_default_remove(struct vm_object *object, vm_offset_t start, vm_offset_t end);
void vm_object_default_terminate(struct vm_object *object);

/* Has the manager been given the page at offset? (object locked) */
static inline bool vm_object_pager_has(const struct vm_object *object, vm_offset_t offset)
{
	unsigned long i = offset >> PAGE_SHIFT, bits = 8 * sizeof(unsigned long);

	return object->pager_written && i < object->pager_written_len &&
	       ((object->pager_written[i / bits] >> (i % bits)) & 1);
}

/*
 * A copy of the page's contents as out-of-line message data, or NULL.
 * laundry: it goes to a default memory manager (counted until the manager
 * drops it, vm_object_default_laundry_done()).
 */
struct ipc_ool_copy *vm_page_ool_copy(struct vm_page *page, bool laundry);

/*
 * Laundry: pages sent to default memory managers whose copy is still
 * alive (in the message, or in the manager's map). The pageout daemon
 * sends no more once VM_DEFAULT_LAUNDRY_MAX are, and waits for the
 * managers instead (vm_object_default_throttled(): object locked, would
 * its page go to a manager now, and must it wait?). The copy's object
 * calls vm_object_default_laundry_done() as it terminates.
 */
#define VM_DEFAULT_LAUNDRY_MAX	64
bool vm_object_default_throttled(struct vm_object *object);
void vm_object_default_laundry_done(void);
unsigned long vm_object_default_laundry(void);

/* How long a fault waits for a pager (ms): Kconfig, vm.pager_timeout_ms=. */
extern unsigned long vm_pager_timeout_ms;

/* Objects that exist (tests: back to the baseline). */
unsigned long vm_object_count(void);

/* The length of object's shadow chain, itself included (tests). */
unsigned int vm_object_chain_length(struct vm_object *object);

#endif /* _KERN_VM_OBJECT_H */
