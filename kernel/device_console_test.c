// SPDX-License-Identifier: MIT
/*
 * The device_console suite: device.defs on the console device, every
 * request a MIG message in the kernel's form sent to the device master
 * port or the device's port (mach_msg_rpc_from_kernel(), through
 * task_test_util.h). Output is caught by a capture console; input is fed
 * with console_device_input(), before the read or by a thread while the
 * read waits; a waiting read is interrupted. Ports, rights, kmsgs and
 * threads end at their baseline.
 */
#include <kern/console.h>
#include <kern/sched_prim.h>
#include <kern/vm_map_copy.h>
#include <kernel/device.h>
#include <ipc/ipc_kmsg.h>
#include <ktest.h>

#include "sched_test_util.h"
#include "task_test_util.h"

#define DC_TIMEOUT	(5 * NSEC_PER_SEC)

static char dc_captured[256];
static size_t dc_captured_len;

static void dc_capture_write(struct console *con, const char *s, size_t n)
{
	while (n-- && dc_captured_len < sizeof(dc_captured))
		dc_captured[dc_captured_len++] = *s++;
}

static struct console dc_capture = {
	.name	= "device_console_test",
	.write	= dc_capture_write,
};

/* Start catching console output (what printk logged before is dropped). */
static void dc_capture_start(void)
{
	console_register(&dc_capture);
	dc_captured_len = 0;
}

/* device_open (2800): a send right to the device, or NULL and *kr. */
static ipc_port_t dc_open(struct ktest *t, ipc_port_t master, const char *name,
			  kern_return_t *kr)
{
	struct oreq { mach_msg_header_t Head; dev_mode_t mode; char name[128]; } *req;
	struct orep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t device;
	} *rep = (void *)&tt_msg;

	req = tt_request(master, 2800, TT_END(struct oreq, name));
	req->mode = D_READ | D_WRITE;
	strlcpy(req->name, name, sizeof(req->name));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	*kr = tt_error();
	if (*kr != -1)
		return IP_NULL;
	*kr = KERN_SUCCESS;
	KTEST_EXPECT_TRUE(t, rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	return (ipc_port_t)rep->device.name;
}

/* device_write_inband (2803): bytes written, or -1 and *kr. */
static long dc_write_inband(struct ktest *t, ipc_port_t dev, const char *s, kern_return_t *kr)
{
	struct wreq {
		mach_msg_header_t Head; dev_mode_t mode; recnum_t recnum;
		mach_msg_type_number_t dataCnt; char data[128];
	} *req;
	struct wrep { mach_msg_header_t Head; kern_return_t RetCode; io_buf_len_t written; } *rep =
		(void *)&tt_msg;
	size_t n = strlen(s);

	req = tt_request(dev, 2803, (mach_msg_size_t)(offsetof(struct wreq, data) +
						      ALIGN_UP(n, 4)));
	req->dataCnt = (mach_msg_type_number_t)n;
	memcpy(req->data, s, n);
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	*kr = rep->RetCode;
	return *kr == KERN_SUCCESS ? (long)rep->written : -1;
}

/* device_write (2802), the data out of line. */
static long dc_write_ool(struct ktest *t, ipc_port_t dev, const char *s, kern_return_t *kr)
{
	struct wreq {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_descriptor_t data; dev_mode_t mode; recnum_t recnum;
	} *req;
	struct wrep { mach_msg_header_t Head; kern_return_t RetCode; io_buf_len_t written; } *rep =
		(void *)&tt_msg;
	struct vm_map_copy *vmc = vm_map_copy_from_kernel(s, strlen(s));

	KTEST_ASSERT_NOT_NULL(t, vmc);
	req = tt_request(dev, 2802, TT_END(struct wreq, recnum));
	req->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	req->msgh_body.msgh_descriptor_count = 1;
	req->data.address = ipc_ool_copy_from_vm(vmc);
	KTEST_ASSERT_NOT_NULL(t, req->data.address);
	req->data.size = (mach_msg_size_t)strlen(s);
	req->data.type = MACH_MSG_OOL_DESCRIPTOR;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	*kr = rep->RetCode;
	return *kr == KERN_SUCCESS ? (long)rep->written : -1;
}

/* device_read_inband (2805) into buf (NUL-terminated): the count, or -1 and *kr. */
static long dc_read_inband(struct ktest *t, ipc_port_t dev, dev_mode_t mode, unsigned int want,
			   char *buf, kern_return_t *kr)
{
	struct rreq {
		mach_msg_header_t Head; dev_mode_t mode; recnum_t recnum; io_buf_len_t want;
	} *req;
	struct rrep {
		mach_msg_header_t Head; kern_return_t RetCode;
		mach_msg_type_number_t dataCnt; char data[128];
	} *rep = (void *)&tt_msg;

	req = tt_request(dev, 2805, TT_END(struct rreq, want));
	req->mode = mode;
	req->want = want;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	*kr = rep->RetCode;
	if (*kr != KERN_SUCCESS)
		return -1;
	KTEST_ASSERT_LE(t, rep->dataCnt, 128u);
	memcpy(buf, rep->data, rep->dataCnt);
	buf[rep->dataCnt] = '\0';
	return rep->dataCnt;
}

/* A routine whose reply is its return code: device_close (2801) and such. */
static kern_return_t dc_call(struct ktest *t, ipc_port_t dev, mach_msg_id_t id)
{
	return tt_call(t, dev, id);
}

static void device_console_test_open(struct ktest *t)
{
	ipc_port_t master = device_master_port_make_send(), dev, dev2;
	kern_return_t kr;

	KTEST_ASSERT_NOT_NULL(t, master);
	dev = dc_open(t, master, "console", &kr);
	KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
	KTEST_ASSERT_NOT_NULL(t, dev);
	KTEST_EXPECT_EQ(t, dev->ip_kotype, (unsigned int)IKOT_DEVICE);
	dev2 = dc_open(t, master, "console", &kr);
	KTEST_EXPECT_PTR_EQ(t, dev2, dev);		/* one device, one port */
	KTEST_EXPECT_EQ(t, dc_open(t, master, "nosuch", &kr), IP_NULL);
	KTEST_EXPECT_EQ(t, kr, D_NO_SUCH_DEVICE);
	KTEST_EXPECT_EQ(t, dc_open(t, master, "", &kr), IP_NULL);
	KTEST_EXPECT_EQ(t, kr, D_NO_SUCH_DEVICE);
	KTEST_EXPECT_EQ(t, dc_open(t, master, "consol", &kr), IP_NULL);
	KTEST_EXPECT_EQ(t, kr, D_NO_SUCH_DEVICE);
	/* device_open on a device port: not the master. */
	KTEST_EXPECT_EQ(t, dc_open(t, dev, "console", &kr), IP_NULL);
	KTEST_EXPECT_EQ(t, kr, D_INVALID_OPERATION);
	/* Each open is closed once; one more close is refused. */
	KTEST_EXPECT_EQ(t, dc_call(t, dev, 2801), D_SUCCESS);
	KTEST_EXPECT_EQ(t, dc_call(t, dev, 2801), D_SUCCESS);
	KTEST_EXPECT_EQ(t, dc_call(t, dev, 2801), D_INVALID_OPERATION);
	/* The master port is not a device. */
	KTEST_EXPECT_EQ(t, dc_call(t, master, 2801), D_NO_SUCH_DEVICE);
	ipc_port_release_send(dev);
	ipc_port_release_send(dev2);
	ipc_port_release_send(master);
}

static ipc_port_t dc_open_console(struct ktest *t, ipc_port_t *master)
{
	ipc_port_t dev;
	kern_return_t kr;

	*master = device_master_port_make_send();
	dev = dc_open(t, *master, "console", &kr);
	KTEST_ASSERT_NOT_NULL(t, dev);
	return dev;
}

static void dc_close(struct ktest *t, ipc_port_t master, ipc_port_t dev)
{
	KTEST_EXPECT_EQ(t, dc_call(t, dev, 2801), D_SUCCESS);
	ipc_port_release_send(dev);
	ipc_port_release_send(master);
}

static void device_console_test_write(struct ktest *t)
{
	static const char in[] = "device_console: inband\n", ool[] = "device_console: ool\n";
	ipc_port_t master, dev = dc_open_console(t, &master);
	kern_return_t kr;

	dc_capture_start();
	KTEST_EXPECT_EQ(t, dc_write_inband(t, dev, in, &kr), (long)strlen(in));
	KTEST_EXPECT_EQ(t, dc_write_ool(t, dev, ool, &kr), (long)strlen(ool));
	KTEST_EXPECT_EQ(t, dc_write_inband(t, dev, "", &kr), 0l);
	console_unregister(&dc_capture);
	KTEST_EXPECT_EQ(t, dc_captured_len, strlen(in) + strlen(ool));
	KTEST_EXPECT_MEMEQ(t, dc_captured, in, strlen(in));
	KTEST_EXPECT_MEMEQ(t, dc_captured + strlen(in), ool, strlen(ool));
	/* To the master port: not a device. */
	KTEST_EXPECT_EQ(t, dc_write_inband(t, master, in, &kr), -1l);
	KTEST_EXPECT_EQ(t, kr, D_NO_SUCH_DEVICE);
	dc_close(t, master, dev);
}

static void device_console_test_read_ready(struct ktest *t)
{
	ipc_port_t master, dev = dc_open_console(t, &master);
	kern_return_t kr;
	char buf[130];

	KTEST_ASSERT_EQ(t, console_device_pending(), 0ul);
	KTEST_EXPECT_EQ(t, dc_read_inband(t, dev, D_NOWAIT, 16, buf, &kr), -1l);
	KTEST_EXPECT_EQ(t, kr, D_WOULD_BLOCK);
	console_device_input("ab\rcdef", 7);
	KTEST_EXPECT_EQ(t, dc_read_inband(t, dev, 0, 4, buf, &kr), 4l);
	KTEST_EXPECT_STREQ(t, buf, "ab\nc");
	KTEST_EXPECT_EQ(t, dc_read_inband(t, dev, D_NOWAIT, 128, buf, &kr), 3l);
	KTEST_EXPECT_STREQ(t, buf, "def");
	KTEST_EXPECT_EQ(t, dc_read_inband(t, dev, 0, 0, buf, &kr), -1l);
	KTEST_EXPECT_EQ(t, kr, D_INVALID_SIZE);
	KTEST_EXPECT_EQ(t, console_device_pending(), 0ul);
	dc_close(t, master, dev);
}

/* A read that waits, fed by another thread. */
static void dc_feeder(void *arg)
{
	while (!console_device_readers())
		thread_delay(NSEC_PER_MSEC);
	thread_delay(5 * NSEC_PER_MSEC);
	console_device_input("late", 4);
}

static void device_console_test_read_wait(struct ktest *t)
{
	ipc_port_t master, dev = dc_open_console(t, &master);
	struct thread *th;
	kern_return_t kr;
	char buf[130];

	th = kernel_thread_create(dc_feeder, NULL, BASEPRI_KERNEL, "dc-feeder");
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_EQ(t, dc_read_inband(t, dev, 0, 128, buf, &kr), 4l);
	KTEST_EXPECT_STREQ(t, buf, "late");
	KTEST_EXPECT_TRUE(t, sched_test_join(th, DC_TIMEOUT));
	thread_deallocate(th);
	KTEST_EXPECT_EQ(t, console_device_readers(), 0u);
	dc_close(t, master, dev);
}

/* A waiting read, interrupted: KERN_ABORTED, and nothing is lost. */
struct dc_reader {
	ipc_port_t	dev;
	kern_return_t	kr;
	long		n;
};

static void dc_reader(void *arg)
{
	struct dc_reader *r = arg;
	struct rreq {
		mach_msg_header_t Head; dev_mode_t mode; recnum_t recnum; io_buf_len_t want;
	} req;
	union {
		mig_reply_error_t err;
		char bytes[256];
	} rep;
	mach_msg_return_t mr;

	memset(&req, 0, sizeof(req));
	req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.Head.msgh_size = TT_END(struct rreq, want);
	req.Head.msgh_remote_port = (mach_port_t)r->dev;
	req.Head.msgh_local_port = mig_get_reply_port();
	req.Head.msgh_id = 2805;
	req.want = 16;
	memcpy(&rep, &req, sizeof(req));
	mr = mach_msg_rpc_from_kernel(&rep.err.Head, req.Head.msgh_size, sizeof(rep));
	r->kr = mr == MACH_MSG_SUCCESS ? rep.err.RetCode : (kern_return_t)mr;
	mig_dealloc_reply_port(mig_get_reply_port());
}

static void device_console_test_read_interrupt(struct ktest *t)
{
	ipc_port_t master, dev = dc_open_console(t, &master);
	struct dc_reader r = { .dev = dev, .kr = -1 };
	struct thread *th;
	int i;

	th = kernel_thread_create(dc_reader, &r, BASEPRI_KERNEL, "dc-reader");
	KTEST_ASSERT_NOT_NULL(t, th);
	for (i = 0; i < 1000 && !console_device_readers(); i++)
		thread_delay(NSEC_PER_MSEC);
	KTEST_ASSERT_EQ(t, console_device_readers(), 1u);
	KTEST_EXPECT_TRUE(t, tt_wait_for_state(th, TH_WAIT));
	KTEST_EXPECT_EQ(t, thread_interrupt(th), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, DC_TIMEOUT));
	thread_deallocate(th);
	KTEST_EXPECT_EQ(t, r.kr, KERN_ABORTED);
	KTEST_EXPECT_EQ(t, console_device_readers(), 0u);
	dc_close(t, master, dev);
}

static struct ktest_case device_console_test_cases[] = {
	KTEST_CASE(device_console_test_open),
	KTEST_CASE(device_console_test_write),
	KTEST_CASE(device_console_test_read_ready),
	KTEST_CASE(device_console_test_read_wait),
	KTEST_CASE(device_console_test_read_interrupt),
	{}
};

static struct ktest_suite device_console_test_suite = {
	.name = "device_console",
	.init = tt_init,
	.exit = tt_exit,
	.test_cases = device_console_test_cases,
};
KTEST_SUITE(device_console_test_suite);
