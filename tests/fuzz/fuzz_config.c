/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target 4: the configuration file and the command line (lib/config), as the daemon uses them:
 * tcpd_config_parse_args with --config and tcpd_config_client_check, the error printed as main.c
 * prints it, then every option's value as /tcpd/config shows it; and tcpd_config_load_file
 * alone.
 *
 * Input: the command line after EAL's "--" as NUL-terminated strings, ended by an empty one; the
 * rest is the file. "@S" anywhere is replaced by a 64-digit cookie secret, "@F" on the command
 * line by the file's path (a memfd, /proc/self/fd/N). A command line with a path of
 * its own (a '/' outside an address/prefix, or "..") is not parsed: only the file loader runs.
 *
 * Checked, with stdout and stderr captured: no 16 consecutive digits of the secret (any case)
 * are ever printed or put in the error message (issue 11 item 6: tag secret-argv when the
 * secret is named as an unknown option or stray argument, secret-value when a bad value or an
 * unknown key holding it is echoed); and, with tags of issue 11 item 5 while it is open: a
 * directory given to --config is an error (config-dir); a file line that is neither blank, a
 * comment, a section nor "key = value" is an error (config-noeq); a key given twice in one
 * section is an error (config-dup); a [GLOBAL] section is an error (config-global); every
 * error is one line of printable ASCII not cut by the buffer's end (config-msg: a value, name
 * or path quoted whole would carry escape codes, line breaks or 60 KB into it).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "tcpd_config.h"
#include "tcpd_config_client.h"

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

static const char secret[] = "5ec4e7a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d";
/* The file and the capture are memfds: no disk, no clean-up. */
static char file_name[64];
static int file_fd, out_fd;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	file_fd = memfd_create("tcpd.conf", 0);
	out_fd = memfd_create("fuzz_config.out", 0);
	if (file_fd < 0 || out_fd < 0) {
		perror("fuzz_config: memfd_create");
		abort();
	}
	snprintf(file_name, sizeof(file_name), "/proc/self/fd/%d", file_fd);
	/* Sanitizer reports go to the real stderr, also while it is captured. */
	__sanitizer_set_report_fd((void *)(intptr_t)dup(2));
	return 0;
}

/* Copy @p n bytes of @p s into a new string with @S and @F expanded. */
static char *
expand(const uint8_t *s, size_t n, bool names)
{
	size_t i, o = 0, extra = 0;
	char *d;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == '@' && (s[i + 1] == 'S' || s[i + 1] == 'F'))
			extra += 96;
	d = malloc(n + extra + 1);
	if (d == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (s[i] == '@' && i + 1 < n && s[i + 1] == 'S') {
			memcpy(d + o, secret, 64);
			o += 64;
			i++;
		} else if (names && s[i] == '@' && i + 1 < n && s[i + 1] == 'F') {
			memcpy(d + o, file_name, strlen(file_name));
			o += strlen(file_name);
			i++;
		} else {
			d[o++] = (char)s[i];
		}
	}
	d[o] = '\0';
	return d;
}

/* No path that leads out of the working directory: '/' only in digits and dots (an address
 * and prefix), and no "..". */
static bool
safe_arg(const uint8_t *a, size_t n)
{
	size_t i;
	bool slash = false, other = false;

	for (i = 0; i < n; i++) {
		slash |= a[i] == '/';
		other |= !(a[i] == '/' || a[i] == '.' || (a[i] >= '0' && a[i] <= '9'));
		if (i > 0 && a[i] == '.' && a[i - 1] == '.')
			return false;
	}
	return !slash || !other;
}

/* 16 consecutive digits of the secret, in any case, somewhere in @p s. */
static bool
leaks(const char *s, size_t n)
{
	char *low = malloc(n + 1);
	bool found = false;
	size_t i;

	if (low == NULL)
		abort();
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	for (i = 0; i + 16 <= 64 && !found; i++)
		found = memmem(low, n, secret + i, 16) != NULL;
	free(low);
	return found;
}

struct capture {
	int saved[2];
	int fd;
};

static void
capture_start(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	c->fd = out_fd;
	if (ftruncate(c->fd, 0) != 0 || lseek(c->fd, 0, SEEK_SET) != 0)
		abort();
	c->saved[0] = dup(1);
	c->saved[1] = dup(2);
	dup2(c->fd, 1);
	dup2(c->fd, 2);
}

/* Stop capturing; @return what was printed (malloc'd), its length in *n. */
static char *
capture_end(struct capture *c, size_t *n)
{
	struct stat st;
	char *buf;
	ssize_t got;

	fflush(stdout);
	fflush(stderr);
	dup2(c->saved[0], 1);
	dup2(c->saved[1], 2);
	close(c->saved[0]);
	close(c->saved[1]);
	if (fstat(c->fd, &st) != 0)
		abort();
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		abort();
	got = pread(c->fd, buf, (size_t)st.st_size, 0);
	*n = got > 0 ? (size_t)got : 0;
	buf[*n] = '\0';
	return buf;
}

/* The known bug a leak in error message @p err belongs to (issue 11 item 6), "" for none. */
static const char *
leak_tag(const char *err)
{
	if (strstr(err, "unknown option") || strstr(err, "unexpected argument") ||
	    strstr(err, "missing value"))
		return "secret-argv"; /* the argument named is the secret */
	if (strstr(err, "bad value") || strstr(err, "unknown key") || strstr(err, "cannot open") ||
	    strstr(err, "unknown section"))
		return "secret-value"; /* a value or key holding the secret is echoed */
	return "";
}

/* An error is one line of printable ASCII that ends its sentence (nothing quoted from the input
 * may carry an escape code or a line break, nor fill the buffer and cut the rest off). */
static bool
one_line(const char *err, size_t size)
{
	size_t n = strlen(err), i;

	for (i = 0; i < n; i++)
		if ((unsigned char)err[i] < 0x20 || (unsigned char)err[i] > 0x7e)
			return false;
	return n + 1 < size;
}

/* What a correct loader must refuse in the file (issue 11 item 5), as a tag, or NULL. */
static const char *
file_must_fail(const char *f)
{
	char keys[64][32], sec[64] = "";
	unsigned int nkeys = 0, i;
	const char *l = f;

	while (*l != '\0') {
		const char *e = strchr(l, '\n'), *p = l, *q;
		size_t len = e ? (size_t)(e - l) : strlen(l);

		while (p < l + len && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p < l + len && *p != '#' && *p != ';') {
			if (*p == '[') {
				q = memchr(p, ']', (size_t)(l + len - p));
				if (q != NULL && (size_t)(q - p - 1) < sizeof(sec)) {
					memcpy(sec, p + 1, (size_t)(q - p - 1));
					sec[q - p - 1] = '\0';
					nkeys = 0;
					if (strcmp(sec, "GLOBAL") == 0)
						return "config-global";
				}
			} else if (memchr(p, '=', (size_t)(l + len - p)) == NULL) {
				return "config-noeq";
			} else {
				size_t kl;

				q = memchr(p, '=', (size_t)(l + len - p));
				while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
					q--;
				kl = (size_t)(q - p);
				if (kl > 0 && kl < sizeof(keys[0]) && nkeys < 64) {
					for (i = 0; i < nkeys; i++)
						if (strlen(keys[i]) == kl &&
						    memcmp(keys[i], p, kl) == 0)
							return "config-dup";
					memcpy(keys[nkeys], p, kl);
					keys[nkeys++][kl] = '\0';
				}
			}
		}
		if (e == NULL)
			break;
		l = e + 1;
	}
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *file, *out, *cfgarg = NULL;
	struct tcpd_config c;
	struct capture cap;
	char err[2048], val[512];
	const char *tag;
	size_t off = 0, n;
	int argc = 1, rc, i;
	bool bad = false;
	struct stat st;

	if (size > 16384)
		return 0;
	argv[0] = strdup("dpdk-tcpd");
	while (off < size && argc <= MAX_ARGS) {
		const uint8_t *z = memchr(data + off, 0, size - off);
		size_t len = z ? (size_t)(z - (data + off)) : size - off;

		if (len == 0) {
			off++;
			break;
		}
		if (!safe_arg(data + off, len))
			bad = true; /* no path of the input's own: only our file is opened */
		argv[argc] = expand(data + off, len, true);
		if (i = argc - 1, i >= 1 && strcmp(argv[i], "--config") == 0)
			cfgarg = argv[argc];
		else if (strncmp(argv[argc], "--config=", 9) == 0)
			cfgarg = argv[argc] + 9;
		argc++;
		off += len + (z != NULL);
	}
	argv[argc] = NULL;
	file = expand(data + off, size - off, false);
	if (ftruncate(file_fd, 0) != 0 ||
	    pwrite(file_fd, file, strlen(file), 0) != (ssize_t)strlen(file))
		abort();

	if (!bad) {
		/* As main.c: parse, print the error; then as /tcpd/config: every value. */
		capture_start(&cap);
		tcpd_config_defaults(&c);
		err[0] = '\0';
		rc = tcpd_config_parse_args(&c, argc, argv, stdout, err, sizeof(err));
		if (rc == 0 && tcpd_config_client_check(&c, err, sizeof(err)) < 0)
			rc = -1;
		if (rc < 0)
			fprintf(stderr, "dpdk-tcpd: %s\n", err);
		for (i = 0; i < (int)tcpd_config_nb_options(); i++) {
			const char *k = tcpd_config_option(&c, (unsigned int)i, val, sizeof(val));

			printf("%s = %s\n", k, val);
		}
		out = capture_end(&cap, &n);
		if (getenv("FUZZ_TRACE") != NULL)
			fprintf(stderr, "-- parse_args: rc %d, %s\n", rc, err);
		tag = leak_tag(err);
		FUZZ_CHECK(!leaks(err, strlen(err)) && !leaks(out, n), tag,
			   "the cookie secret is printed (rc %d): %s", rc, err);
		FUZZ_CHECK(rc >= 0 || one_line(err, sizeof(err)), "config-msg",
			   "the error is not one printable line, whole: %s", err);
		if (rc == 0 && cfgarg != NULL && stat(cfgarg, &st) == 0)
			FUZZ_CHECK(S_ISREG(st.st_mode), "config-dir",
				   "--config '%s' is not a regular file, yet accepted", cfgarg);
		free(out);
	}

	/* The file alone. */
	capture_start(&cap);
	tcpd_config_defaults(&c);
	err[0] = '\0';
	rc = tcpd_config_load_file(&c, file_name, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "dpdk-tcpd: %s\n", err);
	out = capture_end(&cap, &n);
	if (getenv("FUZZ_TRACE") != NULL)
		fprintf(stderr, "file:\n%s\n-- load_file: rc %d, %s\n", file, rc, err);
	FUZZ_CHECK(!leaks(err, strlen(err)) && !leaks(out, n), leak_tag(err),
		   "the cookie secret is printed by the file loader: %s", err);
	FUZZ_CHECK(rc >= 0 || one_line(err, sizeof(err)), "config-msg",
		   "the file loader's error is not one printable line, whole: %s", err);
	tag = file_must_fail(file);
	if (tag != NULL)
		FUZZ_CHECK(rc != 0, tag, "the file is accepted, but has a line it must refuse (%s)",
			   tag);
	free(out);

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(file);
	return 0;
}
