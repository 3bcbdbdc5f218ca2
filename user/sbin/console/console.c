// SPDX-License-Identifier: MIT
/*
 * /sbin/console: the console server. It serves device.defs on its port,
 * registered as "console" in the name server, over the kernel's console
 * device: device_open("console") gives that port back; writes go to the
 * kernel's console; reads get edited lines.
 *
 * Line editing: what is typed is echoed; backspace (BS or DEL) erases a
 * character, ^U the line, and ^C drops the line and sends an interrupt
 * message (NS_INTR_MSG_ID) to the port registered as "sh-intr" (the
 * shell's, which stops the program it runs). Enter ends the line, which
 * readers then get, up to and including its newline.
 *
 * Two threads. A reader thread (cthreads) waits in the kernel console's
 * device_read_inband (MIG's stub: each thread has its own reply port,
 * cthreads.h) and passes what is typed to the server's own port as an
 * input message (CONSOLE_INPUT_ID). The main thread does everything else:
 * requests, input messages, the line discipline. A read that must wait is
 * kept (the request message itself, with its reply right) and dispatched
 * again once a line is there.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <device/device.h>
#include <nsUser.h>
#include <cthreads.h>

/*
 * MIG's server of device.defs, built with its routines renamed ds_*
 * (user/Makefile): device_* are the kernel's, which we call.
 */
boolean_t device_server(mach_msg_header_t *in, mach_msg_header_t *out);
kern_return_t ds_device_open(mach_port_t master, mach_port_t reply,
			     mach_msg_type_name_t reply_poly, dev_mode_t mode,
			     dev_name_t name, mach_port_t *device);
kern_return_t ds_device_close(mach_port_t device);
kern_return_t ds_device_write_inband(mach_port_t device, mach_port_t reply,
				     mach_msg_type_name_t reply_poly, dev_mode_t mode,
				     recnum_t recnum, io_buf_ptr_inband_t data,
				     mach_msg_type_number_t count, io_buf_len_t *written);
kern_return_t ds_device_write(mach_port_t device, mach_port_t reply,
			      mach_msg_type_name_t reply_poly, dev_mode_t mode,
			      recnum_t recnum, io_buf_ptr_t data, mach_msg_type_number_t count,
			      io_buf_len_t *written);
kern_return_t ds_device_read_inband(mach_port_t device, mach_port_t reply,
				    mach_msg_type_name_t reply_poly, dev_mode_t mode,
				    recnum_t recnum, io_buf_len_t want,
				    io_buf_ptr_inband_t data, mach_msg_type_number_t *count);
kern_return_t ds_device_read(mach_port_t device, mach_port_t reply,
			     mach_msg_type_name_t reply_poly, dev_mode_t mode, recnum_t recnum,
			     io_buf_len_t want, io_buf_ptr_t *data, mach_msg_type_number_t *count);
kern_return_t ds_device_set_status(mach_port_t device, dev_flavor_t flavor,
				   dev_status_t status, mach_msg_type_number_t count);
kern_return_t ds_device_get_status(mach_port_t device, dev_flavor_t flavor,
				   dev_status_t status, mach_msg_type_number_t *count);

/* The reader thread's message to the main thread: typed bytes. */
#define CONSOLE_INPUT_ID	5290
#define PENDING_MAX	8
#define MSG_MAX		2048
#define LINE_MAX	256
#define READY_MAX	1024

static mach_port_t ns_port, kdev, cons_port;
static mach_msg_header_t *cur_msg;	/* the request being dispatched */

static char line[LINE_MAX];		/* being edited */
static size_t line_len;
static char ready[READY_MAX];		/* ended lines, not read yet */
static size_t ready_len;

static union {
	mach_msg_header_t head;
	char buf[MSG_MAX];
} pending[PENDING_MAX];
static unsigned int npending;

static void kwrite(const char *s, size_t n)
{
	io_buf_ptr_inband_t chunk;
	io_buf_len_t done;
	size_t off, c;

	for (off = 0; off < n; off += c) {
		c = n - off < IO_INBAND_MAX ? n - off : IO_INBAND_MAX;
		memcpy(chunk, s + off, c);
		if (device_write_inband(kdev, 0, 0, chunk, c, &done) != D_SUCCESS)
			return;
	}
}

static void send_interrupt(void)
{
	ns_name_t name;
	mach_port_t intr;
	mach_msg_header_t m;

	strlcpy(name, NS_NAME_SHELL_INTR, sizeof(name));
	if (ns_look_up(ns_port, name, &intr) != KERN_SUCCESS)
		return;
	memset(&m, 0, sizeof(m));
	m.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.msgh_size = sizeof(m);
	m.msgh_remote_port = intr;
	m.msgh_id = NS_INTR_MSG_ID;
	/* A full queue gives the message back, with a send right of its own. */
	if (mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
		     MACH_PORT_NULL) == MACH_SEND_TIMED_OUT)
		mach_msg_destroy(&m);
	mach_port_deallocate(mach_task_self(), intr);
}

static void erase(size_t n)
{
	while (n--)
		kwrite("\b \b", 3);
}

/* One typed byte through the line discipline. */
static void edit(char c)
{
	switch (c) {
	case '\r':
	case '\n':
		if (ready_len + line_len + 1 > READY_MAX)
			break;	/* nobody reads: drop the line */
		memcpy(ready + ready_len, line, line_len);
		ready_len += line_len;
		ready[ready_len++] = '\n';
		line_len = 0;
		kwrite("\n", 1);
		break;
	case '\b':
	case 0x7f:
		if (line_len) {
			line_len--;
			erase(1);
		}
		break;
	case 0x15:	/* ^U */
		erase(line_len);
		line_len = 0;
		break;
	case 0x03:	/* ^C */
		kwrite("^C\n", 3);
		line_len = 0;
		send_interrupt();
		break;
	default:
		if ((unsigned char)c < 0x20 || line_len >= LINE_MAX - 1)
			break;
		line[line_len++] = c;
		kwrite(&c, 1);
	}
}

struct input_msg {
	mach_msg_header_t	head;
	uint32_t		count;
	char			data[IO_INBAND_MAX];
};

/*
 * The reader thread: wait for typed bytes in the kernel's console device,
 * send them to our port.
 */
static void *reader(void *arg)
{
	struct input_msg in;
	mach_msg_type_number_t count;

	(void)arg;
	for (;;) {
		memset(&in, 0, sizeof(in));
		count = IO_INBAND_MAX;
		if (device_read_inband(kdev, 0, 0, IO_INBAND_MAX, in.data, &count) != D_SUCCESS ||
		    count > IO_INBAND_MAX) {
			swtch_pri(0);
			continue;
		}
		in.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		in.head.msgh_size = sizeof(in);
		in.head.msgh_remote_port = cons_port;
		in.head.msgh_id = CONSOLE_INPUT_ID;
		in.count = count;
		mach_msg(&in.head, MACH_SEND_MSG, sizeof(in), 0, MACH_PORT_NULL,
			 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
	return NULL;
}

/* Up to want bytes of the first ready line; 0 if none. */
static size_t take_line(char *to, size_t want)
{
	size_t n = 0;

	while (n < ready_len && n < want && (n == 0 || ready[n - 1] != '\n'))
		n++;
	memcpy(to, ready, n);
	memmove(ready, ready + n, ready_len - n);
	ready_len -= n;
	return n;
}

/* A read that must wait: keep its request to dispatch again. */
static kern_return_t defer(dev_mode_t mode)
{
	if (mode & D_NOWAIT)
		return D_WOULD_BLOCK;
	if (npending == PENDING_MAX || cur_msg->msgh_size > MSG_MAX)
		return D_NO_MEMORY;
	memcpy(&pending[npending++], cur_msg, cur_msg->msgh_size);
	return MIG_NO_REPLY;
}

kern_return_t ds_device_open(mach_port_t master, mach_port_t reply,
			     mach_msg_type_name_t reply_poly, dev_mode_t mode,
			     dev_name_t name, mach_port_t *device)
{
	(void)master;
	(void)reply;
	(void)reply_poly;
	(void)mode;
	if (strcmp(name, "console"))
		return D_NO_SUCH_DEVICE;
	*device = cons_port;
	return D_SUCCESS;
}

kern_return_t ds_device_close(mach_port_t device)
{
	(void)device;
	return D_SUCCESS;
}

kern_return_t ds_device_write_inband(mach_port_t device, mach_port_t reply,
				     mach_msg_type_name_t reply_poly, dev_mode_t mode,
				     recnum_t recnum, io_buf_ptr_inband_t data,
				     mach_msg_type_number_t count, io_buf_len_t *written)
{
	(void)device;
	(void)reply;
	(void)reply_poly;
	(void)mode;
	(void)recnum;
	kwrite(data, count);
	*written = count;
	return D_SUCCESS;
}

kern_return_t ds_device_write(mach_port_t device, mach_port_t reply,
			      mach_msg_type_name_t reply_poly, dev_mode_t mode,
			      recnum_t recnum, io_buf_ptr_t data, mach_msg_type_number_t count,
			      io_buf_len_t *written)
{
	(void)device;
	(void)reply;
	(void)reply_poly;
	(void)mode;
	(void)recnum;
	kwrite(data, count);
	vm_deallocate(mach_task_self(), (vm_address_t)data, count);
	*written = count;
	return D_SUCCESS;
}

kern_return_t ds_device_read_inband(mach_port_t device, mach_port_t reply,
				    mach_msg_type_name_t reply_poly, dev_mode_t mode,
				    recnum_t recnum, io_buf_len_t want,
				    io_buf_ptr_inband_t data, mach_msg_type_number_t *count)
{
	(void)device;
	(void)reply;
	(void)reply_poly;
	(void)recnum;
	if (!ready_len)
		return defer(mode);
	*count = take_line(data, want < IO_INBAND_MAX ? want : IO_INBAND_MAX);
	return D_SUCCESS;
}

kern_return_t ds_device_read(mach_port_t device, mach_port_t reply,
			     mach_msg_type_name_t reply_poly, dev_mode_t mode, recnum_t recnum,
			     io_buf_len_t want, io_buf_ptr_t *data, mach_msg_type_number_t *count)
{
	vm_address_t buf = 0;

	(void)device;
	(void)reply;
	(void)reply_poly;
	(void)recnum;
	if (!ready_len)
		return defer(mode);
	if (vm_allocate(mach_task_self(), &buf, vm_page_size, TRUE) != KERN_SUCCESS)
		return D_NO_MEMORY;
	*count = take_line((char *)buf, want < vm_page_size ? want : vm_page_size);
	*data = (io_buf_ptr_t)buf;
	return D_SUCCESS;
}

kern_return_t ds_device_set_status(mach_port_t device, dev_flavor_t flavor,
				   dev_status_t status, mach_msg_type_number_t count)
{
	(void)device;
	(void)flavor;
	(void)status;
	(void)count;
	return D_INVALID_OPERATION;
}

kern_return_t ds_device_get_status(mach_port_t device, dev_flavor_t flavor,
				   dev_status_t status, mach_msg_type_number_t *count)
{
	(void)device;
	(void)flavor;
	(void)status;
	(void)count;
	return D_INVALID_OPERATION;
}

/* Dispatch one request and send its answer, unless it was deferred. */
static void dispatch(mach_msg_header_t *in)
{
	union {
		mach_msg_header_t head;
		char buf[MSG_MAX];
	} out;
	mig_reply_error_t *rep = (mig_reply_error_t *)&out.head;
	mach_msg_return_t mr;

	if (in->msgh_id == CONSOLE_INPUT_ID) {
		struct input_msg *im = (struct input_msg *)in;
		uint32_t i;

		for (i = 0; i < im->count && i < IO_INBAND_MAX; i++)
			edit(im->data[i]);
		return;
	}
	cur_msg = in;
	/*
	 * A request of another interface is answered like any MIG server
	 * answers it: the demultiplexer wrote a MIG_BAD_ID reply, which takes
	 * the request's reply right back to the client (dropped, the client
	 * would wait for good and the right would stay here).
	 */
	device_server(in, &out.head);
	/*
	 * The body of a request no routine took (another interface's, a
	 * malformed one, or one refused) goes, its rights and memory, as a
	 * MIG server loop destroys it; its reply right goes with the reply.
	 */
	if (!(out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) && rep->RetCode != KERN_SUCCESS &&
	    rep->RetCode != MIG_NO_REPLY) {
		in->msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(in);
	}
	if (rep->RetCode == MIG_NO_REPLY || out.head.msgh_remote_port == MACH_PORT_NULL)
		return;
	/*
	 * A reply that cannot go (its right a dead name) or that came back
	 * (a full queue: the message is ours again, its rights and memory
	 * named here) is not kept either.
	 */
	mr = mach_msg(&out.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.head.msgh_size, 0,
		      MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_TIMED_OUT)
		mach_msg_destroy(&out.head);
}

/* Give the waiting reads what is ready, oldest first. */
static void serve_pending(void)
{
	union {
		mach_msg_header_t head;
		char buf[MSG_MAX];
	} req;
	unsigned int i;

	mach_port_type_t type;

	while (npending && ready_len) {
		memcpy(&req, &pending[0], pending[0].head.msgh_size);
		for (i = 1; i < npending; i++)
			pending[i - 1] = pending[i];
		npending--;
		/* A reader that died meanwhile (its reply right is a dead name) gets no line. */
		if (mach_port_type(mach_task_self(), req.head.msgh_remote_port, &type) !=
		    KERN_SUCCESS || (type & MACH_PORT_TYPE_DEAD_NAME)) {
			mach_port_deallocate(mach_task_self(), req.head.msgh_remote_port);
			continue;
		}
		dispatch(&req.head);
	}
}

static kern_return_t setup(void)
{
	ns_name_t name;
	dev_name_t dname;
	mach_port_t master;
	kern_return_t kr;
	int tries;

	kr = task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &ns_port);
	if (kr != KERN_SUCCESS)
		return kr;
	strlcpy(name, NS_NAME_DEVICE_MASTER, sizeof(name));
	for (tries = 0; (kr = ns_look_up(ns_port, name, &master)) != KERN_SUCCESS; tries++) {
		if (tries == 100)
			return kr;
		swtch_pri(0);
	}
	strlcpy(dname, "console", sizeof(dname));
	kr = device_open(master, D_READ | D_WRITE, dname, &kdev);
	if (kr != D_SUCCESS)
		return kr;
	console_open(master);	/* our own printf() goes to the kernel's console */
	mach_port_deallocate(mach_task_self(), master);

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &cons_port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), cons_port, cons_port,
					    MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!cthread_fork(reader, NULL))
		return KERN_RESOURCE_SHORTAGE;
	strlcpy(name, NS_NAME_CONSOLE, sizeof(name));
	return ns_register(ns_port, name, cons_port);
}

int main(void)
{
	union {
		mach_msg_header_t head;
		char buf[MSG_MAX];
	} in;
	mach_msg_return_t mr;
	kern_return_t kr;

	kr = setup();
	if (kr != KERN_SUCCESS) {
		/* Nothing to print with if there is no console. */
		return 1;
	}
	printf("console: serving \"%s\"\n", NS_NAME_CONSOLE);
	for (;;) {
		mr = mach_msg(&in.head, MACH_RCV_MSG, 0, sizeof(in), cons_port,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			continue;
		dispatch(&in.head);
		serve_pending();
	}
}
