/* SPDX-License-Identifier: MIT */
/*
 * For the usermode and exception suites: a kernel port that catches the
 * exception_raise messages of user threads (kernel/exception.c), and the
 * reply that resumes the thread or passes the exception on.
 */
#ifndef _KERNEL_EXCEPTION_TEST_UTIL_H
#define _KERNEL_EXCEPTION_TEST_UTIL_H

#include <kern/string.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <kernel/ipc_tt.h>
#include <kernel/mig/mig_convert.h>
#include <mach/exception_types.h>
#include <mach/message.h>
#include <mach/mig.h>
#include <mach/thread_status.h>

#define EXC_TEST_RAISE_ID	2400	/* exception_raise; 2401, 2402 the state ones */
#define EXC_TEST_MACH_RAISE_ID	2405	/* mach_exception_raise (64-bit codes) ... 2407 */

/* exception_raise as the kernel receives it (descriptors hold ports). */
struct exc_test_request {
	mach_msg_header_t		Head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	thread;
	mach_msg_port_descriptor_t	task;
	exception_type_t		exception;
	mach_msg_type_number_t		codeCnt;
	integer_t			code[EXCEPTION_CODE_MAX];
};

/*
 * The other five as MIG lays them out (kernel/mig/excUser.c), with both
 * codes: the identity, the scalars with the counts, then the arrays.
 */
#define EXC_TEST_IDENTITY						\
	mach_msg_body_t			body;				\
	mach_msg_port_descriptor_t	thread;				\
	mach_msg_port_descriptor_t	task;
#define EXC_TEST_STATE_REQUEST(name, code_type, identity)		\
struct name {								\
	mach_msg_header_t		Head;				\
	identity							\
	exception_type_t		exception;			\
	mach_msg_type_number_t		codeCnt;			\
	int				flavor;				\
	mach_msg_type_number_t		old_stateCnt;			\
	code_type			code[EXCEPTION_CODE_MAX];	\
	natural_t			old_state[THREAD_STATE_MAX];	\
}
EXC_TEST_STATE_REQUEST(exc_test_state_request, integer_t, );
EXC_TEST_STATE_REQUEST(exc_test_state_identity_request, integer_t, EXC_TEST_IDENTITY);
EXC_TEST_STATE_REQUEST(exc_test_mach_state_request, int64_t, );
EXC_TEST_STATE_REQUEST(exc_test_mach_state_identity_request, int64_t, EXC_TEST_IDENTITY);

struct exc_test_mach_request {
	mach_msg_header_t		Head;
	EXC_TEST_IDENTITY
	exception_type_t		exception;
	mach_msg_type_number_t		codeCnt;
	int64_t				code[EXCEPTION_CODE_MAX];
};

/* A caught exception: what it says, its thread and task (references). */
struct exc_test_msg {
	ipc_kmsg_t	kmsg;
	int		exception;	/* -1: not an exception message */
	integer_t	code[EXCEPTION_CODE_MAX];
	int		id;		/* the message's: 2400-2402, 2405-2407 */
	int64_t		code64[EXCEPTION_CODE_MAX];	/* the codes as sent */
	int		flavor;		/* the state ones: the state sent, in the kmsg */
	natural_t	*state;
	mach_msg_type_number_t state_count;
	thread_t	thread;
	task_t		task;
};

/* The fields of a state message, whichever of the four it is; false if malformed. */
#define EXC_TEST_STATE_PARSE(m, h, type)					\
	({									\
		type *_r = (type *)(void *)(h);					\
		bool _ok = _r->Head.msgh_size >= __builtin_offsetof(type, old_state) && \
			   _r->old_stateCnt <= THREAD_STATE_MAX &&		\
			   _r->Head.msgh_size >= __builtin_offsetof(type, old_state) + \
				_r->old_stateCnt * sizeof(natural_t) &&		\
			   _r->codeCnt == EXCEPTION_CODE_MAX;			\
		if (_ok) {							\
			(m)->exception = _r->exception;				\
			(m)->code64[0] = _r->code[0];				\
			(m)->code64[1] = _r->code[1];				\
			(m)->flavor = _r->flavor;				\
			(m)->state = _r->old_state;				\
			(m)->state_count = _r->old_stateCnt;			\
		}								\
		_ok;								\
	})

/* The thread and task of an identity message (references). */
#define EXC_TEST_IDENTITY_PARSE(m, h, type)					\
	({									\
		type *_i = (type *)(void *)(h);					\
		(m)->thread = convert_port_to_thread((mach_port_t)_i->thread.name); \
		(m)->task = convert_port_to_task((mach_port_t)_i->task.name);	\
		true;								\
	})

/* The codes of exception_raise or mach_exception_raise. */
#define EXC_TEST_CODES_PARSE(m, h, type)					\
	({									\
		type *_c = (type *)(void *)(h);					\
		bool _ok = _c->Head.msgh_size >= __builtin_offsetof(type, code) + \
			   sizeof(_c->code) && _c->codeCnt == EXCEPTION_CODE_MAX; \
		if (_ok) {							\
			(m)->exception = _c->exception;				\
			(m)->code64[0] = _c->code[0];				\
			(m)->code64[1] = _c->code[1];				\
		}								\
		_ok;								\
	})

static inline void exc_test_parse(struct exc_test_msg *m, mach_msg_header_t *h)
{
	bool complex = h->msgh_bits & MACH_MSGH_BITS_COMPLEX;
	bool ok = false;

	m->id = h->msgh_id;
	switch (h->msgh_id) {
	case EXC_TEST_RAISE_ID:
		ok = complex && EXC_TEST_CODES_PARSE(m, h, struct exc_test_request) &&
		     EXC_TEST_IDENTITY_PARSE(m, h, struct exc_test_request);
		break;
	case EXC_TEST_MACH_RAISE_ID:
		ok = complex && EXC_TEST_CODES_PARSE(m, h, struct exc_test_mach_request) &&
		     EXC_TEST_IDENTITY_PARSE(m, h, struct exc_test_mach_request);
		break;
	case EXC_TEST_RAISE_ID + 1:
		ok = !complex && EXC_TEST_STATE_PARSE(m, h, struct exc_test_state_request);
		break;
	case EXC_TEST_MACH_RAISE_ID + 1:
		ok = !complex && EXC_TEST_STATE_PARSE(m, h, struct exc_test_mach_state_request);
		break;
	case EXC_TEST_RAISE_ID + 2:
		ok = complex &&
		     EXC_TEST_STATE_PARSE(m, h, struct exc_test_state_identity_request) &&
		     EXC_TEST_IDENTITY_PARSE(m, h, struct exc_test_state_identity_request);
		break;
	case EXC_TEST_MACH_RAISE_ID + 2:
		ok = complex &&
		     EXC_TEST_STATE_PARSE(m, h, struct exc_test_mach_state_identity_request) &&
		     EXC_TEST_IDENTITY_PARSE(m, h, struct exc_test_mach_state_identity_request);
		break;
	}
	if (!ok) {
		m->exception = -1;
		return;
	}
	m->code[0] = (integer_t)m->code64[0];
	m->code[1] = (integer_t)m->code64[1];
}

/* The next exception message on port, waiting up to ms; false if none came. */
static inline bool exc_test_receive(ipc_port_t port, mach_msg_timeout_t ms,
				    struct exc_test_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->exception = -1;
	if (ipc_mqueue_receive_kernel(&port->ip_object, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				      MACH_MSG_SIZE_MAX, ms, &m->kmsg) != MACH_MSG_SUCCESS) {
		m->kmsg = IKM_NULL;
		return false;
	}
	exc_test_parse(m, m->kmsg->ikm_header);
	return true;
}

/* Whether the message carries a state (and its reply must). */
static inline bool exc_test_has_state(const struct exc_test_msg *m)
{
	return m->state != NULL;
}

/*
 * Answer it: kr alone, or for KERN_SUCCESS to a state message the state
 * the thread goes on with (flavor, count natural_t of state).
 */
static inline void exc_test_reply(struct exc_test_msg *m, kern_return_t kr, int flavor,
				  const natural_t *state, mach_msg_type_number_t count)
{
	mach_msg_header_t *h = m->kmsg->ikm_header;
	struct {
		mach_msg_header_t	Head;
		kern_return_t		RetCode;
		int			flavor;
		mach_msg_type_number_t	new_stateCnt;
		natural_t		new_state[THREAD_STATE_MAX];
	} rep;

	if (!IP_VALID((ipc_port_t)h->msgh_local_port))
		return;
	/* Not the state's room: the benchmarks answer through here too. */
	memset(&rep, 0, __builtin_offsetof(typeof(rep), new_state));
	rep.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	/* Without the structure's tail padding: the stub checks the size. */
	rep.Head.msgh_size = __builtin_offsetof(typeof(rep), RetCode) + sizeof(rep.RetCode);
	if (kr == KERN_SUCCESS && exc_test_has_state(m)) {
		rep.flavor = flavor;
		rep.new_stateCnt = count;
		memcpy(rep.new_state, state, count * sizeof(natural_t));
		rep.Head.msgh_size = __builtin_offsetof(typeof(rep), new_state) +
				     count * sizeof(natural_t);
	}
	rep.Head.msgh_remote_port = h->msgh_local_port;
	rep.Head.msgh_id = (m->id ? m->id : EXC_TEST_RAISE_ID) + 100;
	rep.RetCode = kr;
	h->msgh_local_port = MACH_PORT_NULL;	/* the reply takes the right */
	h->msgh_bits &= ~MACH_MSGH_BITS_LOCAL_MASK;
	mach_msg_send_from_kernel(&rep.Head, rep.Head.msgh_size);
}

/* Answer (or not), then let go of everything the message held. */
static inline void exc_test_finish(struct exc_test_msg *m, bool answer, kern_return_t kr,
				   int flavor, const natural_t *state,
				   mach_msg_type_number_t count)
{
	if (m->thread)
		thread_deallocate(m->thread);
	if (m->task)
		task_deallocate(m->task);
	if (!m->kmsg)
		return;
	if (answer)
		exc_test_reply(m, kr, flavor, state, count);
	ipc_kmsg_destroy(m->kmsg);
	memset(m, 0, sizeof(*m));
}

/*
 * Answer it with kr (KERN_SUCCESS resumes the thread, with the state it
 * sent for a state message; anything else passes the exception on), or
 * with no reply at all (answer false: the send-once right dies unused).
 * Everything the message held goes.
 */
static inline void exc_test_done(struct exc_test_msg *m, bool answer, kern_return_t kr)
{
	exc_test_finish(m, answer, kr, m->flavor, m->state, m->state_count);
}

/* KERN_SUCCESS to a state message, with the state the thread is to go on with. */
static inline void exc_test_done_state(struct exc_test_msg *m, int flavor, const natural_t *state,
				       mach_msg_type_number_t count)
{
	exc_test_finish(m, true, KERN_SUCCESS, flavor, state, count);
}

/* A kernel port to catch exceptions on, and a send right to it for task (or thread). */
static inline ipc_port_t exc_test_port_for_task(task_t task)
{
	ipc_port_t port = ipc_port_alloc_kernel();

	if (port && task_set_special_port(task, TASK_EXCEPTION_PORT,
					  (mach_port_t)ipc_port_make_send(port)) != KERN_SUCCESS) {
		ipc_port_dealloc_kernel(port);
		return IP_NULL;
	}
	return port;
}

#endif /* _KERNEL_EXCEPTION_TEST_UTIL_H */
