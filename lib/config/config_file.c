/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The INI file: "key = value" lines, '#' comments (also after a value), keys at the top of the
 * file or in one [tcpd] section. Every departure is an error that names the file, the line and
 * the problem: another section, [tcpd] twice, a line that is neither a section, a key = value nor
 * a comment, a key set twice (anywhere in the file), an unknown key, a bad value, a NUL byte.
 * Nothing is applied unless the whole file is good.
 *
 * Why a hand-written reader and not rte_cfgfile (which DPDK 22.11 offers and this file used):
 * rte_cfgfile reports no line numbers (only "failed"), skips lines without '=', keeps a second
 * [tcpd] or an explicit [GLOBAL] section as a separate section that lookups never reach, keeps
 * duplicate keys, silently truncates names to 63 and values to 255 bytes, and reads by path with
 * fgets until EOF: a directory reads as an empty file, /dev/zero never ends, a FIFO blocks in
 * open, and its entries grow 16 at a time (quadratic copying: minutes for a 1 MB file under ASan).
 * Checking all that needs a scan of every line anyway; once the scan knows each key, value and
 * line, rte_cfgfile would only re-read the file by path (possibly another file by then). So the
 * file is read once, from a descriptor that fstat says is a regular file, at most
 * TCPD_CONFIG_FILE_MAX bytes, and parsed here in one linear pass; each key may appear once, so at
 * most one entry per option is ever kept. The buffer is wiped: it may hold the cookie secret.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_internal.h"

#define TCPD_SECTION  "tcpd"
#define SHOW_MAX      TCPD_CONFIG_SHOW_NAME
#define PATH_SHOW_MAX 256 /* characters of the --config path in messages */

static void
list_keys(char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < tcpd_config_nb_opts && used < len; i++) {
		int n;

		if (tcpd_config_opts[i].type == TCPD_OT_FILE)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			     tcpd_config_opts[i].key);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static void
wipe(void *p, size_t n)
{
	/* explicit_bzero: a plain memset before free may be optimised away. */
	explicit_bzero(p, n);
}

/* Blanks around keys, values and section names; other control bytes are errors or values. */
static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Strip blanks from both ends of [*s, *e). */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

/* Name [s, e) for a message: @p buf gets it, or why it is not shown. @return true if shown. */
static bool
show_name(const char *s, const char *e, char *buf, size_t len)
{
	return tcpd_config_quote(s, (size_t)(e - s), SHOW_MAX, buf, len);
}

/* One "key = value" entry, pointing into the file buffer (NUL-terminated there). */
struct entry {
	const struct tcpd_opt *opt;
	const char *value;
	unsigned int line;
};

/*
 * Parse @p text (@p len bytes, text[len] writable) into @p ent, one entry per option at most.
 * @return the number of entries, or -1 with @p err set ("FILE:LINE: problem").
 */
/* A section line [NAME] from @p s to @p e: only one [tcpd] is accepted. @return 0 or -1. */
static int
section(const char *s, const char *e, const char *path, unsigned int line, unsigned int *tcpd_line,
	char *err, size_t errlen)
{
	const char *close = memchr(s, ']', (size_t)(e - s));
	const char *ns = s + 1, *ne;
	char name[SHOW_MAX + 48];

	if (close == NULL) {
		snprintf(err, errlen, "%s:%u: no closing ']' in a section line", path, line);
		return -1;
	}
	if (close + 1 != e) {
		snprintf(err, errlen, "%s:%u: text after ']' in a section line", path, line);
		return -1;
	}
	ne = close;
	trim(&ns, &ne);
	if ((size_t)(ne - ns) != strlen(TCPD_SECTION) ||
	    memcmp(ns, TCPD_SECTION, (size_t)(ne - ns)) != 0) {
		bool shown = show_name(ns, ne, name, sizeof(name));

		snprintf(err, errlen,
			 "%s:%u: unknown section %s%s%s (accepted: "
			 "one [tcpd] section; keys may also come before it)",
			 path, line, shown ? "[" : "", name, shown ? "]" : "");
		return -1;
	}
	if (*tcpd_line != 0) {
		snprintf(err, errlen,
			 "%s:%u: section [tcpd] repeated (first at line %u); "
			 "put its keys in one section",
			 path, line, *tcpd_line);
		return -1;
	}
	*tcpd_line = line;
	return 0;
}

/* The file option named [@p ks, @p ke), NULL if none. */
static const struct tcpd_opt *
find_key(const char *ks, const char *ke)
{
	const struct tcpd_opt *o = NULL;
	int i;

	for (i = 0; i < (int)tcpd_config_nb_opts; i++) {
		const struct tcpd_opt *c = &tcpd_config_opts[i];

		if (c->type != TCPD_OT_FILE && strlen(c->key) == (size_t)(ke - ks) &&
		    memcmp(c->key, ks, (size_t)(ke - ks)) == 0)
			o = c;
	}
	return o;
}

static int
scan(char *text, size_t len, const char *path, struct entry *ent, char *err, size_t errlen)
{
	unsigned int line = 0, tcpd_line = 0;
	char *p = text, *end = text + len;
	int n = 0;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl != NULL ? nl : end;
		const char *s = p, *e = eol, *hash, *eq, *ks, *ke, *vs, *ve;
		const struct tcpd_opt *o;
		char name[SHOW_MAX + 48];
		int i;

		line++;
		p = nl != NULL ? nl + 1 : end;
		if (memchr(s, '\0', (size_t)(e - s)) != NULL) {
			snprintf(err, errlen, "%s:%u: NUL byte (not a text file)", path, line);
			return -1;
		}
		hash = memchr(s, '#', (size_t)(e - s));
		if (hash != NULL)
			e = hash;
		trim(&s, &e);
		if (s == e)
			continue;
		if (*s == '[') {
			if (section(s, e, path, line, &tcpd_line, err, errlen) != 0)
				return -1;
			continue;
		}
		eq = memchr(s, '=', (size_t)(e - s));
		if (eq == NULL) {
			/* The line is not quoted: it may be a secret missing its "key =". */
			snprintf(err, errlen,
				 "%s:%u: expected 'key = value', '[tcpd]' or a '#' comment "
				 "(line not shown)",
				 path, line);
			return -1;
		}
		ks = s;
		ke = eq;
		vs = eq + 1;
		ve = e;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ks == ke) {
			snprintf(err, errlen, "%s:%u: no key before '='", path, line);
			return -1;
		}
		o = find_key(ks, ke);
		if (o == NULL) {
			char keys[1024]; /* the list is about 700 bytes */
			bool shown = show_name(ks, ke, name, sizeof(name));

			list_keys(keys, sizeof(keys));
			snprintf(err, errlen, "%s:%u: unknown key %s%s%s (accepted keys: %s)", path,
				 line, shown ? "'" : "", name, shown ? "'" : "", keys);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (ent[i].opt == o) {
				snprintf(err, errlen,
					 "%s:%u: key '%s' repeated (first at line %u); each key "
					 "may be set once",
					 path, line, o->key, ent[i].line);
				return -1;
			}
		}
		if (vs == ve) {
			snprintf(err, errlen, "%s:%u: %s: no value after '='", path, line, o->key);
			return -1;
		}
		*(char *)ve = '\0'; /* the value ends here; the line is done with */
		ent[n++] = (struct entry){o, vs, line};
	}
	return n;
}

/* Read at most TCPD_CONFIG_FILE_MAX bytes of a regular file into a new buffer (NUL-terminated). */
static char *
read_file(const char *path, const char *name, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	size_t used = 0;
	char *buf;
	int fd;

	/* O_NONBLOCK: open must not wait for a FIFO's writer; fstat refuses it right after. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		const char *q = name == path ? "'" : ""; /* a path is quoted, a notice is not */

		snprintf(err, errlen, "--config: cannot open %s%s%s: %s", q, name, q,
			 strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: cannot stat: %s", name, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (a directory, device or FIFO)", name);
		close(fd);
		return NULL;
	}
	if (st.st_size > TCPD_CONFIG_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %u bytes (%lld bytes)", name,
			 TCPD_CONFIG_FILE_MAX, (long long)st.st_size);
		close(fd);
		return NULL;
	}
	/* One byte more than the limit tells a file that grew since fstat (or a /proc file). */
	buf = malloc(TCPD_CONFIG_FILE_MAX + 2);
	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, buf + used, TCPD_CONFIG_FILE_MAX + 1 - used);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: cannot read: %s", name, strerror(errno));
			break;
		}
		used += (size_t)r;
		if (r == 0 || used > TCPD_CONFIG_FILE_MAX)
			break;
	}
	close(fd);
	if (used > TCPD_CONFIG_FILE_MAX && err[0] == '\0')
		snprintf(err, errlen, "%s: larger than %u bytes", name, TCPD_CONFIG_FILE_MAX);
	if (err[0] != '\0') {
		wipe(buf, used);
		free(buf);
		return NULL;
	}
	buf[used] = '\0';
	*len = used;
	return buf;
}

int
tcpd_config_load_text(struct tcpd_config *c, const char *name, char *text, size_t len, char *err,
		      size_t errlen)
{
	struct entry ent[64];
	struct tcpd_config tmp;
	int n, i;

	/* Each key at most once: never more entries than options. */
	if (tcpd_config_nb_opts > sizeof(ent) / sizeof(ent[0])) {
		snprintf(err, errlen, "%s: internal error: too many options", name);
		return -1;
	}
	n = scan(text, len, name, ent, err, errlen);
	if (n < 0)
		return -1;
	/* Apply to a copy: a bad value on line 9 must not leave lines 1 to 8 applied. */
	tmp = *c;
	for (i = 0; i < n; i++) {
		char where[512];

		snprintf(where, sizeof(where), "%s:%u: %s", name, ent[i].line, ent[i].opt->key);
		if (tcpd_config_set(&tmp, ent[i].opt, ent[i].value, where, err, errlen) < 0) {
			wipe(&tmp, sizeof(tmp));
			return -1;
		}
	}
	*c = tmp;
	wipe(&tmp, sizeof(tmp));
	return 0;
}

int
tcpd_config_load_file(struct tcpd_config *c, const char *path, char *err, size_t errlen)
{
	/* Every message names the file, unless its name may be a secret given to --config, would
	 * break the one-line message or fill it. */
	char shown[PATH_SHOW_MAX + 48], notice[PATH_SHOW_MAX + 96];
	const char *name = path;
	size_t len = 0;
	char *text;
	int rc;

	if (!tcpd_config_quote(path, strlen(path), PATH_SHOW_MAX, shown, sizeof(shown))) {
		snprintf(notice, sizeof(notice), "the --config file (name %s", shown + 1);
		name = notice;
	}
	err[0] = '\0';
	text = read_file(path, name, &len, err, errlen);
	if (text == NULL)
		return -1;
	rc = tcpd_config_load_text(c, name, text, len, err, errlen);
	wipe(text, len);
	free(text);
	return rc;
}
