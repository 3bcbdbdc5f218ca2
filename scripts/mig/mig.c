// SPDX-License-Identifier: MIT
/*
 * mig: the command line. The .defs file goes through cpp (run here, with
 * the -D/-U/-I options passed on), the parser builds the routines, and
 * the generators write the client and server files: each to a temporary
 * name first, renamed only when everything succeeded, so that a failed
 * run leaves nothing half-written.
 *
 *	mig [-user F] [-header F] [-server F] [-sheader F] [-q]
 *	    [-cpp CMD] [-nocpp] [-DNAME[=V]] [-UNAME] [-IDIR] file.defs
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "migcom.h"

struct outfile {
	const char	*name;		/* final name; NULL: not written */
	char		*tmp;		/* temporary name while writing */
	void		(*write)(FILE *f);
};

static struct outfile outs[4];	/* user, header, server, sheader */

void mig_cleanup(void)
{
	size_t i;

	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (outs[i].tmp) {
			unlink(outs[i].tmp);
			outs[i].tmp = NULL;
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mig [options] file.defs\n"
		"  -user FILE     client stubs (default <subsystem>User.c)\n"
		"  -header FILE   client declarations (default <subsystem>.h)\n"
		"  -server FILE   server stubs and demultiplexer (default <subsystem>Server.c)\n"
		"  -sheader FILE  server declarations (default: none)\n"
		"                 (a FILE of /dev/null writes nothing)\n"
		"  -DNAME[=VAL] -UNAME -IDIR -nostdinc -M...   passed to cpp\n"
		"  -cpp CMD       the preprocessor (default: $MIGCPP, else cpp)\n"
		"  -nocpp         read the file as it is (no preprocessing)\n"
		"  -q             no warnings\n");
	exit(1);
}

/* Run cpp on `file`; its output comes back through a pipe. */
static FILE *cpp_start(const char *cpp, char **cpp_args, int ncpp, const char *file, pid_t *pid)
{
	int fd[2];
	char **argv;
	int i, n = 0;

	argv = xcalloc((size_t)ncpp + 8, sizeof(*argv));
	argv[n++] = (char *)cpp;
	for (i = 0; i < ncpp; i++)
		argv[n++] = cpp_args[i];
	argv[n++] = "-x";
	argv[n++] = "c";
	argv[n++] = (char *)file;
	argv[n] = NULL;
	if (pipe(fd) < 0)
		mig_fatal("pipe: %s", strerror(errno));
	*pid = fork();
	if (*pid < 0)
		mig_fatal("fork: %s", strerror(errno));
	if (*pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(cpp, argv);
		fprintf(stderr, "mig: cannot run %s: %s\n", cpp, strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	free(argv);
	return fdopen(fd[0], "r");
}

static void out_open(struct outfile *o, FILE **f)
{
	int fd;

	o->tmp = xasprintf("%s.tmpXXXXXX", o->name);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		mig_fatal("cannot create %s: %s", o->name, strerror(errno));
	}
	*f = fdopen(fd, "w");
	if (!*f)
		mig_fatal("cannot write %s: %s", o->name, strerror(errno));
}

static void outputs_write(void)
{
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		struct outfile *o = &outs[i];

		if (!o->name || !strcmp(o->name, "/dev/null"))
			continue;
		out_open(o, &f);
		o->write(f);
		if (ferror(f) | fclose(f))
			mig_fatal("error writing %s", o->name);
	}
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		struct outfile *o = &outs[i];

		if (!o->tmp)
			continue;
		chmod(o->tmp, 0644);
		if (rename(o->tmp, o->name) < 0)
			mig_fatal("cannot rename %s to %s: %s", o->tmp, o->name, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
	}
}

static void write_user(FILE *f) { user_write_source(f); }
static void write_header(FILE *f) { user_write_header(f); }
static void write_server(FILE *f) { server_write_source(f); }
static void write_sheader(FILE *f) { server_write_header(f); }

int main(int argc, char **argv)
{
	const char *file = NULL, *cpp = getenv("MIGCPP");
	char **cpp_args = xcalloc((size_t)argc * 2 + 1, sizeof(char *));
	int ncpp = 0, i, status = 0;
	bool use_cpp = true;
	FILE *in;
	pid_t pid = -1;

	if (!cpp || !*cpp)
		cpp = "cpp";
	outs[0].write = write_user;
	outs[1].write = write_header;
	outs[2].write = write_server;
	outs[3].write = write_sheader;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct outfile *o = NULL;

		if (!strcmp(a, "-user"))
			o = &outs[0];
		else if (!strcmp(a, "-header"))
			o = &outs[1];
		else if (!strcmp(a, "-server"))
			o = &outs[2];
		else if (!strcmp(a, "-sheader"))
			o = &outs[3];
		if (o) {
			if (++i >= argc)
				usage();
			o->name = argv[i];
		} else if (!strcmp(a, "-iheader") || !strcmp(a, "-dheader") ||
			   !strcmp(a, "-maxonstack")) {
			if (++i >= argc)
				usage();	/* XNU's: nothing to write or tune in MachLine */
		} else if (!strcmp(a, "-cpp") || !strcmp(a, "-cc")) {
			if (++i >= argc)
				usage();
			cpp = argv[i];
		} else if (!strcmp(a, "-nocpp")) {
			use_cpp = false;
		} else if (!strcmp(a, "-q")) {
			mig_quiet = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "-Q") || !strcmp(a, "-k") ||
			   !strcmp(a, "-K") || !strcmp(a, "-s") || !strcmp(a, "-S") ||
			   !strcmp(a, "-novouchers") || !strcmp(a, "-split")) {
			/* other MIGs' switches with no meaning here */
		} else if (!strcmp(a, "-nostdinc")) {
			cpp_args[ncpp++] = argv[i];	/* only the -I directories */
		} else if (a[0] == '-' && a[1] == 'M') {
			/* dependency output: cpp's -MD -MF F -MT T */
			cpp_args[ncpp++] = argv[i];
			if (!strcmp(a, "-MF") || !strcmp(a, "-MT") || !strcmp(a, "-MQ")) {
				if (++i >= argc)
					usage();
				cpp_args[ncpp++] = argv[i];
			}
		} else if (a[0] == '-' && (a[1] == 'D' || a[1] == 'U' || a[1] == 'I')) {
			cpp_args[ncpp++] = argv[i];
			if (!a[2]) {
				if (++i >= argc)
					usage();
				cpp_args[ncpp++] = argv[i];
			}
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mig: unknown option %s\n", a);
			usage();
		} else if (file) {
			fprintf(stderr, "mig: more than one input file (%s and %s)\n", file, a);
			usage();
		} else {
			file = a;
		}
	}
	if (!file)
		usage();
	signal(SIGPIPE, SIG_IGN);

	if (use_cpp) {
		in = cpp_start(cpp, cpp_args, ncpp, file, &pid);
	} else {
		in = strcmp(file, "-") ? fopen(file, "r") : stdin;
		if (!in)
			mig_fatal("cannot open %s: %s", file, strerror(errno));
	}
	if (!in)
		mig_fatal("cannot read the preprocessor's output");

	type_init();
	lex_start(in, file);
	if (yyparse() != 0 && !mig_errors)
		mig_errors++;
	lex_finish();
	if (!mig_errors && !mig_subsystem.name && mig_routine_count)
		mig_error(lex_loc, "expected a subsystem statement");
	/* Drain and reap cpp: its failure is ours. */
	if (use_cpp) {
		char buf[4096];

		while (fread(buf, 1, sizeof(buf), in) > 0)
			;
		fclose(in);
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			if (!mig_errors)
				fprintf(stderr, "mig: the preprocessor failed on %s\n", file);
			mig_errors++;
		}
	} else if (in != stdin) {
		fclose(in);
	}
	if (mig_errors)
		return 1;
	if (!mig_subsystem.name) {
		/* a file of type declarations, for others to include */
		if (!mig_quiet)
			fprintf(stderr, "%s: warning: no subsystem statement: nothing to generate\n", file);
		return 0;
	}

	if (!outs[0].name)
		outs[0].name = xasprintf("%sUser.c", mig_subsystem.name);
	if (!outs[1].name)
		outs[1].name = xasprintf("%s.h", mig_subsystem.name);
	if (!outs[2].name)
		outs[2].name = xasprintf("%sServer.c", mig_subsystem.name);
	outputs_write();
	return 0;
}
