/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_CONFIG_INTERNAL_H
#define TCPD_CONFIG_INTERNAL_H

/*
 * The option table shared by the command line, the file and the usage text: one row per option,
 * so that an option cannot exist in one place and be missing from another.
 */

#include <stdbool.h>
#include <stddef.h>

#include "tcpd_config.h"

enum tcpd_opt_type {
	TCPD_OT_UINT,	    /* unsigned integer field of 2 or 4 bytes, range [min, max] */
	TCPD_OT_IP,	    /* ADDR/PREFIX */
	TCPD_OT_IP6,	    /* IPv6 ADDR/PREFIX */
	TCPD_OT_LISTEN,	    /* PORT:SERVICE[,PORT:SERVICE...] */
	TCPD_OT_SYNCOOKIES, /* off|auto|always */
	TCPD_OT_ROTATE,	    /* 0 or [min, max] */
	TCPD_OT_SECRET,	    /* 64 hex digits */
	TCPD_OT_FILE,	    /* --config: command line only */
	TCPD_OT_CLIENT,	    /* client mode's own values (config_client.c) */
	TCPD_OT_ONOFF,	    /* on|off: a bool field */
};

struct tcpd_opt {
	const char *name; /* command line, without "--" */
	const char *key;  /* file key: name with '-' -> '_' */
	enum tcpd_opt_type type;
	size_t off;  /* field offset in struct tcpd_config */
	size_t size; /* field size (TCPD_OT_UINT) */
	uint32_t min, max;
	const char *arg;  /* metavariable in the usage */
	const char *help; /* one line, with the unit */
};

extern const struct tcpd_opt tcpd_config_opts[];
extern const unsigned int tcpd_config_nb_opts;
/** getopt_long's table in config_args.c: every option, --help and the terminator. */
#define TCPD_CONFIG_OPTS_MAX 64

/* Client mode's defaults. */
void tcpd_config_client_defaults(struct tcpd_config *c);
/* TCPD_OT_CLIENT: parse (@return 0 or -1), show, accepted values. */
int tcpd_config_client_set(struct tcpd_config *c, const struct tcpd_opt *o, const char *val);
void tcpd_config_client_show(const struct tcpd_config *c, const struct tcpd_opt *o, char *val,
			     size_t len);
void tcpd_config_client_accepted(const struct tcpd_opt *o, char *buf, size_t len);

/* The row of command line option @p name, or file key @p key (either may be NULL). */
const struct tcpd_opt *tcpd_config_find(const char *name, const char *key);

/*
 * Parse @p val for option @p o into @p c. @p where names the source in messages ("--mtu" or
 * "tcpd.conf: mtu"). @return 0, or -1 with @p err naming @p where and the accepted values.
 */
int tcpd_config_set(struct tcpd_config *c, const struct tcpd_opt *o, const char *val,
		    const char *where, char *err, size_t errlen);

/* The accepted values of @p o in words, for messages and the usage. */
void tcpd_config_accepted(const struct tcpd_opt *o, char *buf, size_t len);

#define TCPD_CONFIG_SHOW_NAME  64  /* characters of a key, section or option name quoted */
#define TCPD_CONFIG_SHOW_VALUE 256 /* characters of a bad value quoted (a listen list fits) */

/*
 * Text of a file or command line for a one-line error: [@p s, @p s + @p n) copied to @p buf,
 * unless it is longer than @p max, holds a byte that is not printable ASCII, or may hold the
 * cookie secret; then @p buf says "(not shown: why)". @return true if copied.
 */
bool tcpd_config_quote(const char *s, size_t n, size_t max, char *buf, size_t len);

#endif /* TCPD_CONFIG_INTERNAL_H */
