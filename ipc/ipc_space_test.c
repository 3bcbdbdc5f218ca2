// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_space": names and their generations, stale names,
 * table growth, exhaustion (KERN_NO_SPACE) and memory shortage
 * (KERN_RESOURCE_SHORTAGE, by failure injection), chosen names, and the
 * reverse hash that coalesces send rights. Every case ends with every IPC
 * count back at its baseline.
 */
#include <ipc/ipc_test_util.h>

#define NPORTS	600

static void ipc_space_test_names(struct ktest *t)
{
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t a = ipc_test_port(t, space), b;

	KTEST_EXPECT_NE(t, MACH_PORT_INDEX(a), 0u);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, a), MACH_PORT_TYPE_RECEIVE);
	KTEST_EXPECT_EQ(t, ipc_space_names_in_use(space), 1u);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, a), KERN_SUCCESS);
	/* The stale name fails; the index comes back with a new generation. */
	KTEST_EXPECT_EQ(t, ipc_test_type(space, a), ~0U);
	b = ipc_test_port(t, space);
	KTEST_EXPECT_EQ(t, MACH_PORT_INDEX(b), MACH_PORT_INDEX(a));
	KTEST_EXPECT_NE(t, b, a);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, a), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(space, a), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, b), MACH_PORT_TYPE_RECEIVE);
	/* Garbage: index beyond the table, index 0, null and dead. */
	KTEST_EXPECT_EQ(t, ipc_test_type(space, MACH_PORT_MAKE(100000, 0)), ~0U);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, 0x17), ~0U);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, MACH_PORT_NAME_NULL), ~0U);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, MACH_PORT_NAME_DEAD), ~0U);
	ipc_test_space_done(space);
}

/* 300 reuses of one index: never the same name twice in a row. */
static void ipc_space_test_generations(struct ktest *t)
{
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t prev = MACH_PORT_NAME_NULL, name;
	unsigned int i, same_index = 0;

	for (i = 0; i < 300; i++) {
		name = ipc_test_port(t, space);
		KTEST_EXPECT_NE(t, name, prev);
		same_index += prev && MACH_PORT_INDEX(name) == MACH_PORT_INDEX(prev);
		KTEST_ASSERT_EQ(t, ipc_mach_port_destroy(space, name), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, ipc_test_type(space, name), ~0U);
		prev = name;
	}
	KTEST_EXPECT_EQ(t, same_index, 299u);
	ipc_test_space_done(space);
}

static void ipc_space_test_growth(struct ktest *t)
{
	static mach_port_name_t names[NPORTS];
	ipc_space_t space = ipc_test_space(t);
	unsigned int i, j;

	for (i = 0; i < NPORTS; i++)
		names[i] = ipc_test_port(t, space);
	KTEST_EXPECT_GE(t, space->is_table_size, (ipc_entry_index_t)NPORTS);
	KTEST_EXPECT_EQ(t, ipc_space_names_in_use(space), (unsigned int)NPORTS);
	for (i = 0; i < NPORTS; i++) {
		KTEST_EXPECT_EQ(t, ipc_test_type(space, names[i]), MACH_PORT_TYPE_RECEIVE);
		for (j = i + 1; j < NPORTS; j += 37)
			KTEST_EXPECT_NE(t, names[i], names[j]);
	}
	/* Half destroyed now, half by the space's destruction. */
	for (i = 0; i < NPORTS; i += 2)
		KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, names[i]), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_space_names_in_use(space), (unsigned int)NPORTS / 2);
	ipc_test_space_done(space);
}

static void ipc_space_test_exhaustion(struct ktest *t)
{
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t name;
	unsigned int n = 0;
	kern_return_t kr;

	KTEST_ASSERT_EQ(t, ipc_space_set_limit(space, 100), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_space_set_limit(space, 0), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_space_set_limit(space, IPC_SPACE_MAX_NAMES + 1), KERN_INVALID_VALUE);
	while ((kr = ipc_mach_port_allocate(space, n % 3 == 0 ? MACH_PORT_RIGHT_RECEIVE :
					n % 3 == 1 ? MACH_PORT_RIGHT_PORT_SET :
					MACH_PORT_RIGHT_DEAD_NAME, &name)) == KERN_SUCCESS)
		n++;
	KTEST_EXPECT_EQ(t, kr, KERN_NO_SPACE);
	KTEST_EXPECT_EQ(t, n, 99u);	/* index 0 is never a name */
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_RECEIVE,
						       MACH_PORT_MAKE(200, 0)), KERN_NO_SPACE);
	/* A freed name is usable again at the limit. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, MACH_PORT_MAKE(5, 0)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(space, MACH_PORT_RIGHT_RECEIVE, &name),
			KERN_SUCCESS);
	ipc_test_space_done(space);
}

static void ipc_space_test_shortage(struct ktest *t)
{
	ipc_space_t space = IS_NULL;
	mach_port_name_t name;
	unsigned int i;
	kern_return_t kr = KERN_SUCCESS;

	ipc_test_fail_allocs(1);
	KTEST_EXPECT_EQ(t, ipc_space_create(&space), KERN_RESOURCE_SHORTAGE);
	space = ipc_test_space(t);
	ipc_test_fail_allocs(1);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(space, MACH_PORT_RIGHT_RECEIVE, &name),
			KERN_RESOURCE_SHORTAGE);
	ipc_test_fail_allocs(1);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(space, MACH_PORT_RIGHT_PORT_SET, &name),
			KERN_RESOURCE_SHORTAGE);
	/* Fill the first table, then its growth fails cleanly. */
	for (i = 1; i < IPC_SPACE_INITIAL_SIZE; i++)
		KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(space, MACH_PORT_RIGHT_DEAD_NAME, &name),
				KERN_SUCCESS);
	ipc_test_fail_allocs(1);
	kr = ipc_mach_port_allocate(space, MACH_PORT_RIGHT_DEAD_NAME, &name);
	KTEST_EXPECT_EQ(t, kr, KERN_RESOURCE_SHORTAGE);
	ipc_test_fail_allocs(0);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(space, MACH_PORT_RIGHT_DEAD_NAME, &name),
			KERN_SUCCESS);
	ipc_test_space_done(space);
}

static void ipc_space_test_chosen_names(struct ktest *t)
{
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t n = MACH_PORT_MAKE(1000, 7 << 24);

	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_RECEIVE, n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, n), MACH_PORT_TYPE_RECEIVE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_DEAD_NAME, n),
			KERN_NAME_EXISTS);
	/* Same index, another generation: taken too. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_PORT_SET,
						       MACH_PORT_MAKE(1000, 8 << 24)),
			KERN_NAME_EXISTS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_RECEIVE,
						       MACH_PORT_NAME_NULL), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_RECEIVE,
						       MACH_PORT_NAME_DEAD), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_RECEIVE, 0x42),
			KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, 99, MACH_PORT_MAKE(3, 0)),
			KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_RECEIVE,
						       MACH_PORT_MAKE(IPC_SPACE_MAX_NAMES, 0)),
			KERN_NO_SPACE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_PORT_SET,
						       MACH_PORT_MAKE(3, 0)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_DEAD_NAME,
						       MACH_PORT_MAKE(4, 0)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, MACH_PORT_MAKE(3, 0)), MACH_PORT_TYPE_PORT_SET);
	KTEST_EXPECT_EQ(t, ipc_test_type(space, MACH_PORT_MAKE(4, 0)), MACH_PORT_TYPE_DEAD_NAME);
	/* Fresh names skip the ones taken. */
	for (int i = 0; i < 8; i++) {
		mach_port_name_t f = ipc_test_port(t, space);

		KTEST_EXPECT_NE(t, MACH_PORT_INDEX(f), 3u);
		KTEST_EXPECT_NE(t, MACH_PORT_INDEX(f), 4u);
	}
	ipc_test_space_done(space);
}

/* Send rights to one port coalesce under one name, found by the reverse hash. */
static void ipc_space_test_coalesce(struct ktest *t)
{
	static mach_port_name_t ports[200], sends[200];
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	unsigned int i;

	for (i = 0; i < 200; i++) {
		ports[i] = ipc_test_port(t, a);
		sends[i] = ipc_test_give(t, a, ports[i], MACH_MSG_TYPE_MAKE_SEND, b);
		KTEST_ASSERT_NE(t, sends[i], MACH_PORT_NAME_NULL);
	}
	for (i = 0; i < 200; i++) {
		KTEST_EXPECT_EQ(t, ipc_test_give(t, a, ports[i], MACH_MSG_TYPE_MAKE_SEND, b),
				sends[i]);
		KTEST_EXPECT_EQ(t, ipc_test_refs(b, sends[i], MACH_PORT_RIGHT_SEND), 2u);
		/* In its own space the send right joins the receive right's name. */
		KTEST_EXPECT_EQ(t, ipc_test_give(t, b, sends[i], MACH_MSG_TYPE_COPY_SEND, a),
				ports[i]);
		KTEST_EXPECT_EQ(t, ipc_test_type(a, ports[i]), MACH_PORT_TYPE_SEND_RECEIVE);
	}
	KTEST_EXPECT_EQ(t, b->is_hash_count, 200u);
	/* Send-once rights never coalesce. */
	KTEST_EXPECT_NE(t, ipc_test_give(t, a, ports[0], MACH_MSG_TYPE_MAKE_SEND_ONCE, b),
			ipc_test_give(t, a, ports[0], MACH_MSG_TYPE_MAKE_SEND_ONCE, b));
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

static void ipc_space_test_dead_space(struct ktest *t)
{
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t name = ipc_test_port(t, space), n2;
	mach_port_urefs_t refs;

	ipc_space_destroy(space);
	ipc_space_destroy(space);	/* idempotent */
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(space, MACH_PORT_RIGHT_RECEIVE, &n2),
			KERN_INVALID_TASK);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, name), KERN_INVALID_TASK);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_refs(space, name, 0, &refs), KERN_INVALID_TASK);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(IS_NULL, MACH_PORT_RIGHT_RECEIVE, &n2),
			KERN_INVALID_TASK);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(IS_NULL, name), KERN_INVALID_TASK);
	ipc_space_release(space);
}

/* A dead name at index `index` of a fresh space (generation 0): its index, or 0. */
static unsigned int ipc_space_test_take(ipc_space_t space, ipc_entry_index_t index)
{
	return ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_DEAD_NAME,
					   MACH_PORT_MAKE(index, 0)) == KERN_SUCCESS ? index : 0;
}

/* The index of the next fresh name, or 0 (KERN_NO_SPACE). */
static unsigned int ipc_space_test_next(ipc_space_t space)
{
	mach_port_name_t name;

	if (ipc_mach_port_allocate(space, MACH_PORT_RIGHT_DEAD_NAME, &name) != KERN_SUCCESS)
		return 0;
	return MACH_PORT_INDEX(name);
}

/*
 * The free list: fresh names come LIFO from freed entries, then in
 * ascending order; a chosen name comes off it wherever it is, the head
 * (whose predecessor field is stale) included, and no index is ever
 * handed out twice.
 */
static void ipc_space_test_free_list(struct ktest *t)
{
	ipc_space_t space = ipc_test_space(t);
	unsigned int i, n = 0, seen[IPC_SPACE_INITIAL_SIZE] = { 0 };

	KTEST_EXPECT_EQ(t, ipc_space_test_next(space), 1u);
	/* 2, the head now, chosen: fresh names go on at 3. */
	KTEST_EXPECT_EQ(t, ipc_space_test_take(space, 2), 2u);
	KTEST_EXPECT_EQ(t, ipc_space_test_next(space), 3u);
	for (i = 4; i <= 8; i++)
		KTEST_EXPECT_EQ(t, ipc_space_test_next(space), i);
	/* Freed 5 then 7: the list is 7, 5, 9, ... Choose 5 from its middle. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, MACH_PORT_MAKE(5, 0)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, MACH_PORT_MAKE(7, 0)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate_name(space, MACH_PORT_RIGHT_DEAD_NAME,
						       MACH_PORT_MAKE(5, 1 << 24)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_space_test_next(space), 7u);
	KTEST_EXPECT_EQ(t, ipc_space_test_next(space), 9u);
	/* The last one chosen, then the rest of the table: each index once. */
	KTEST_EXPECT_EQ(t, ipc_space_test_take(space, IPC_SPACE_INITIAL_SIZE - 1),
			IPC_SPACE_INITIAL_SIZE - 1u);
	KTEST_ASSERT_EQ(t, ipc_space_set_limit(space, IPC_SPACE_INITIAL_SIZE), KERN_SUCCESS);
	while ((i = ipc_space_test_next(space)) != 0) {
		KTEST_ASSERT_LT(t, i, (unsigned int)IPC_SPACE_INITIAL_SIZE);
		KTEST_EXPECT_EQ(t, seen[i]++, 0u);
		n++;
	}
	KTEST_EXPECT_EQ(t, n, IPC_SPACE_INITIAL_SIZE - 11u);	/* 10..30 */
	KTEST_EXPECT_EQ(t, ipc_space_names_in_use(space), IPC_SPACE_INITIAL_SIZE - 1u);
	/* A grown table's entries follow those freed before, in order. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(space, MACH_PORT_MAKE(20, 0)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_space_set_limit(space, 2 * IPC_SPACE_INITIAL_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_space_test_take(space, IPC_SPACE_INITIAL_SIZE + 1),
			IPC_SPACE_INITIAL_SIZE + 1u);
	KTEST_EXPECT_EQ(t, ipc_space_test_next(space), 20u);
	KTEST_EXPECT_EQ(t, ipc_space_test_next(space), (unsigned int)IPC_SPACE_INITIAL_SIZE);
	KTEST_EXPECT_EQ(t, ipc_space_test_next(space), IPC_SPACE_INITIAL_SIZE + 2u);
	ipc_test_space_done(space);
}

/* The `entries` statistic: every space's names, counted where it is read. */
static long ipc_space_test_entries(void)
{
	struct ipc_stats s;

	ipc_stats_get(&s);
	return s.entries;
}

static void ipc_space_test_entries_stat(struct ktest *t)
{
	long base = ipc_space_test_entries();
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t name = ipc_test_port(t, a);
	unsigned int i;

	KTEST_EXPECT_EQ(t, ipc_space_test_entries(), base + 1);
	for (i = 0; i < 40; i++)
		ipc_test_port(t, b);	/* a table grown on the way */
	KTEST_EXPECT_EQ(t, ipc_space_test_entries(), base + 41);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, name), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_space_test_entries(), base + 40);
	/* A destroyed space's names go with it. */
	ipc_space_destroy(b);
	KTEST_EXPECT_EQ(t, ipc_space_test_entries(), base);
	ipc_test_port(t, a);
	KTEST_EXPECT_EQ(t, ipc_space_test_entries(), base + 1);
	ipc_test_space_done(b);
	ipc_test_space_done(a);
	KTEST_EXPECT_EQ(t, ipc_space_test_entries(), base);
}

static struct ktest_case ipc_space_test_cases[] = {
	KTEST_CASE(ipc_space_test_names),
	KTEST_CASE(ipc_space_test_generations),
	KTEST_CASE(ipc_space_test_growth),
	KTEST_CASE(ipc_space_test_exhaustion),
	KTEST_CASE(ipc_space_test_shortage),
	KTEST_CASE(ipc_space_test_chosen_names),
	KTEST_CASE(ipc_space_test_coalesce),
	KTEST_CASE(ipc_space_test_dead_space),
	KTEST_CASE(ipc_space_test_free_list),
	KTEST_CASE(ipc_space_test_entries_stat),
	{}
};

static struct ktest_suite ipc_space_test_suite = {
	.name = "ipc_space",
	.init = ipc_test_init,
	.exit = ipc_test_exit,
	.test_cases = ipc_space_test_cases,
};
KTEST_SUITE(ipc_space_test_suite);
