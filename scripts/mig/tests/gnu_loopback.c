// SPDX-License-Identifier: MIT
/*
 * Loopback test of GNU Mach's mach_port.defs, mach.defs and exc.defs as
 * MachLine MIG compiles them (client stubs generated with
 * -DUSERPREFIX=u_ so that both sides link into one program): a routine of
 * each shape, checked end to end. The other server routines are weak
 * stand-ins (tests/run makes them) that the test never calls.
 */
#include <stdio.h>
#include <string.h>
#include "loopback.h"
#include "gnu_compat.h"
#include "mach_portUser.h"
#include "mach_portServer.h"
#include "machUser.h"
#include "machServer.h"
#include "excUser.h"
#include "excServer.h"

static int passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)
#define SCHECK(cond) do { if (!(cond)) { CHECK(cond); return KERN_FAILURE; } } while (0)

#define TASK	((mach_port_t)0x10)

static mach_port_name_t names_out[3] = { 0x101, 0x202, 0x303 };
static mach_port_type_t types_out[3] = { MACH_PORT_TYPE_SEND, MACH_PORT_TYPE_RECEIVE,
					 MACH_PORT_TYPE_DEAD_NAME };

kern_return_t mach_port_names(mach_port_t task, mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	SCHECK(task == TASK);
	*names = names_out;
	*namesCnt = 3;
	*types = types_out;
	*typesCnt = 3;
	return KERN_SUCCESS;
}

kern_return_t mach_port_allocate(mach_port_t task, mach_port_right_t right, mach_port_name_t *name)
{
	SCHECK(task == TASK);
	*name = 0x1000 + right;
	return KERN_SUCCESS;
}

kern_return_t mach_port_insert_right(mach_port_t task, mach_port_name_t name, mach_port_t poly,
				     mach_msg_type_name_t polyPoly)
{
	SCHECK(task == TASK && name == 0x44 && poly == 0x45);
	SCHECK(polyPoly == MACH_MSG_TYPE_PORT_SEND);
	return KERN_SUCCESS;
}

kern_return_t mach_port_extract_right(mach_port_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name, mach_port_t *poly,
				      mach_msg_type_name_t *polyPoly)
{
	SCHECK(task == TASK);
	*poly = name + 1;
	*polyPoly = msgt_name;
	return KERN_SUCCESS;
}

kern_return_t mach_port_get_receive_status(mach_port_t task, mach_port_name_t name,
					   mach_port_status_t *status)
{
	SCHECK(task == TASK);
	memset(status, 0, sizeof(*status));
	status->mps_seqno = name;
	status->mps_qlimit = 5;
	status->mps_srights = TRUE;
	return KERN_SUCCESS;
}

kern_return_t mach_port_request_notification(mach_port_t task, mach_port_name_t name,
					     mach_msg_id_t id, mach_port_mscount_t sync,
					     mach_port_t notify, mach_port_t *previous,
					     mach_msg_type_name_t *previousPoly)
{
	SCHECK(task == TASK && name == 1 && id == 72 && sync == 0 && notify == 0x77);
	*previous = 0x78;
	*previousPoly = MACH_MSG_TYPE_MOVE_SEND_ONCE;
	return KERN_SUCCESS;
}

static natural_t state[1024];

kern_return_t thread_get_state(mach_port_t target_thread, int flavor, thread_state_t old_state,
			       mach_msg_type_number_t *old_stateCnt)
{
	mach_msg_type_number_t i, n = (mach_msg_type_number_t)flavor;

	SCHECK(target_thread == 0x20);
	if (n > *old_stateCnt)
		n = *old_stateCnt;
	for (i = 0; i < n; i++)
		old_state[i] = i * 7;
	*old_stateCnt = n;
	return KERN_SUCCESS;
}

kern_return_t thread_set_state(mach_port_t target_thread, int flavor, thread_state_t new_state,
			       mach_msg_type_number_t new_stateCnt)
{
	mach_msg_type_number_t i;

	SCHECK(target_thread == 0x20 && (mach_msg_type_number_t)flavor == new_stateCnt);
	for (i = 0; i < new_stateCnt; i++)
		SCHECK(new_state[i] == i * 3);
	memcpy(state, new_state, new_stateCnt * sizeof(natural_t));
	return KERN_SUCCESS;
}

static char memory[4096];

kern_return_t vm_read(mach_port_t target_task, vm_address_t address, vm_size_t size,
		      vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	SCHECK(target_task == TASK && address + size <= sizeof(memory));
	*data = (vm_offset_t)(memory + address);
	*dataCnt = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

kern_return_t vm_write(mach_port_t target_task, vm_address_t address, vm_offset_t data,
		       mach_msg_type_number_t dataCnt)
{
	SCHECK(target_task == TASK && address + dataCnt <= sizeof(memory));
	memcpy(memory + address, (void *)data, dataCnt);
	return KERN_SUCCESS;
}

kern_return_t vm_statistics(mach_port_t target_task, vm_statistics_data_t *vm_stats)
{
	int i;

	SCHECK(target_task == TASK);
	for (i = 0; i < 13; i++)
		vm_stats->v[i] = i * 11;
	return KERN_SUCCESS;
}

static mach_port_t threads_out[2] = { 0x31, 0x32 };

kern_return_t task_threads(mach_port_t target_task, thread_array_t *thread_list,
			   mach_msg_type_number_t *thread_listCnt)
{
	SCHECK(target_task == TASK);
	*thread_list = threads_out;
	*thread_listCnt = 2;
	return KERN_SUCCESS;
}

kern_return_t catch_exception_raise(mach_port_t exception_port, mach_port_t thread,
				    mach_port_t task, integer_t exception, integer_t code,
				    integer_t subcode)
{
	SCHECK(exception_port == 0x50 && thread == 0x51 && task == 0x52);
	SCHECK(exception == 1 && code == 2 && subcode == -3);
	return KERN_SUCCESS;
}

int main(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t ncnt, tcnt, cnt, i;
	mach_port_name_t name;
	mach_port_t poly, prev;
	mach_msg_type_name_t polyPoly;
	mach_port_status_t st;
	natural_t st_buf[1024];
	vm_offset_t data;
	vm_statistics_data_t vs;
	thread_array_t threads;

	loopback_register(&mach_port_subsystem);
	loopback_register(&mach_subsystem);
	loopback_register(&exc_subsystem);

	CHECK(u_mach_port_names(TASK, &names, &ncnt, &types, &tcnt) == KERN_SUCCESS);
	CHECK(ncnt == 3 && tcnt == 3 && names[2] == 0x303 && types[1] == MACH_PORT_TYPE_RECEIVE);
	CHECK(u_mach_port_allocate(TASK, MACH_PORT_RIGHT_RECEIVE, &name) == KERN_SUCCESS &&
	      name == 0x1001);
	CHECK(u_mach_port_insert_right(TASK, 0x44, 0x45, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS);
	CHECK(u_mach_port_extract_right(TASK, 0x60, MACH_MSG_TYPE_MOVE_RECEIVE, &poly, &polyPoly) ==
	      KERN_SUCCESS);
	CHECK(poly == 0x61 && polyPoly == MACH_MSG_TYPE_PORT_RECEIVE);
	CHECK(u_mach_port_get_receive_status(TASK, 9, &st) == KERN_SUCCESS);
	CHECK(st.mps_seqno == 9 && st.mps_qlimit == 5 && st.mps_srights == TRUE);
	CHECK(u_mach_port_request_notification(TASK, 1, 72, 0, 0x77, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					       &prev) == KERN_SUCCESS &&
	      prev == 0x78);

	/* thread state: CountInOut at 0, 1 and the bound, and a short buffer */
	for (i = 0; i < 1024; i++)
		st_buf[i] = i * 3;
	CHECK(u_thread_set_state(0x20, 0, st_buf, 0) == KERN_SUCCESS);
	CHECK(u_thread_set_state(0x20, 1, st_buf, 1) == KERN_SUCCESS);
	CHECK(u_thread_set_state(0x20, 1024, st_buf, 1024) == KERN_SUCCESS);
	CHECK(u_thread_set_state(0x20, 1025, st_buf, 1025) == MIG_ARRAY_TOO_LARGE);
	cnt = 1024;
	CHECK(u_thread_get_state(0x20, 1024, st_buf, &cnt) == KERN_SUCCESS && cnt == 1024 &&
	      st_buf[1023] == 1023 * 7);
	cnt = 1;
	CHECK(u_thread_get_state(0x20, 1024, st_buf, &cnt) == KERN_SUCCESS && cnt == 1);
	cnt = 0;
	CHECK(u_thread_get_state(0x20, 5, st_buf, &cnt) == KERN_SUCCESS && cnt == 0);

	/* out-of-line memory both ways */
	CHECK(u_vm_write(TASK, 100, (vm_offset_t)"hello, world", 13) == KERN_SUCCESS);
	CHECK(u_vm_read(TASK, 100, 13, &data, &cnt) == KERN_SUCCESS && cnt == 13 &&
	      !strcmp((char *)data, "hello, world"));
	CHECK(u_vm_read(TASK, 0, 0, &data, &cnt) == KERN_SUCCESS && cnt == 0);

	CHECK(u_vm_statistics(TASK, &vs) == KERN_SUCCESS && vs.v[12] == 132);
	CHECK(u_task_threads(TASK, &threads, &cnt) == KERN_SUCCESS && cnt == 2 && threads[1] == 0x32);

	CHECK(exception_raise(0x50, 0x51, 0x52, 1, 2, -3) == KERN_SUCCESS);

	printf("gnu-loopback: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
