/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command line after EAL's "--". Two passes: the first only looks for --config and --help,
 * the file is applied, then the second pass applies every other option, so the command line wins
 * whatever the order of the arguments.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define OPT_HELP 'h'
#define OPT_BASE 256 /* long option i returns OPT_BASE + i */

static void
list_options(char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < tcpd_config_nb_opts && used < len; i++) {
		int n = snprintf(buf + used, len - used, "--%s, ", tcpd_config_opts[i].name);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (used < len)
		snprintf(buf + used, len - used, "--help");
}

#define SHOW_MAX TCPD_CONFIG_SHOW_NAME

/*
 * Quote argument @p idx, @p arg, for a message without any value it carries: the text up to '='
 * (then "=..."), or, when that text is long, not printable or may hold a secret, "argument N
 * (not shown: why)".
 */
static void
show_arg(const char *arg, int idx, char *buf, size_t len)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	char name[SHOW_MAX + 48];

	if (tcpd_config_quote(arg, n, SHOW_MAX, name, sizeof(name)))
		snprintf(buf, len, "'%s%s'", name, eq != NULL ? "=..." : "");
	else
		snprintf(buf, len, "argument %d %s", idx, name);
	explicit_bzero(name, sizeof(name));
}

/*
 * The message for getopt's '?' or ':' on argument @p cur. getopt's optind cannot name it: inside
 * a cluster of short options ("-ip") optind still points at the previous argument (which may be
 * a secret), so the caller passes the index it had before the call.
 */
static void
arg_error(int opt, const char *arg, int cur, char *err, size_t errlen)
{
	char shown[128], opts_list[1024]; /* the list is about 725 bytes with 50 options */

	show_arg(arg, cur, shown, sizeof(shown));
	list_options(opts_list, sizeof(opts_list));
	if (arg[0] == '-' && arg[1] != '-') {
		/* A short option: only -h exists, and it takes no value. */
		if (!isprint(optopt))
			snprintf(err, errlen, "unknown option in %s (accepted: %s)", shown,
				 opts_list);
		else if (arg[1] == optopt && arg[2] == '\0')
			snprintf(err, errlen, "unknown option '-%c' (accepted: %s)", optopt,
				 opts_list);
		else
			snprintf(err, errlen, "unknown option '-%c' in %s (accepted: %s)", optopt,
				 shown, opts_list);
	} else if (opt == ':') {
		snprintf(err, errlen, "option %s: missing value (see --help)", shown);
	} else if (optopt == OPT_HELP) {
		snprintf(err, errlen, "option %s takes no value", shown);
	} else {
		snprintf(err, errlen, "unknown option %s%s (accepted: %s)",
			 shown[0] == '\'' ? "" : "in ", shown, opts_list);
	}
}

/*
 * One getopt_long pass. @p pass 0 handles --help and --config; pass 1 every other option.
 * @return 0, 1 for --help, -1 on error
 */
static int
pass(struct tcpd_config *c, int argc, char **argv, int which, char *err, size_t errlen)
{
	struct option lopts[TCPD_CONFIG_OPTS_MAX];
	char shown[128];
	unsigned int i;
	int opt, idx, cur, config_at = 0;

	for (i = 0; i < tcpd_config_nb_opts; i++)
		lopts[i] = (struct option){tcpd_config_opts[i].name, required_argument, NULL,
					   OPT_BASE + (int)i};
	lopts[i++] = (struct option){"help", no_argument, NULL, OPT_HELP};
	lopts[i] = (struct option){NULL, 0, NULL, 0};

	/* EAL parsed its own options with getopt; optind = 0 makes glibc start afresh. */
	optind = 0;
	opterr = 0;
	/* With '+' (no permutation), the argument getopt works on is argv[optind] (1 at the start). */
	while (cur = optind > 0 ? optind : 1,
	       (opt = getopt_long(argc, argv, "+:h", lopts, &idx)) != -1) {
		const struct tcpd_opt *o;
		char where[80];

		if (opt == OPT_HELP) {
			if (which == 0)
				return 1;
			continue;
		}
		if (opt == '?' || opt == ':') {
			arg_error(opt, cur < argc ? argv[cur] : "", cur, err, errlen);
			return -1;
		}
		o = &tcpd_config_opts[opt - OPT_BASE];
		if ((which == 0) != (o->type == TCPD_OT_FILE))
			continue;
		/* One file: a second --config would silently replace the first. */
		if (o->type == TCPD_OT_FILE && config_at != 0) {
			snprintf(err, errlen,
				 "--config given twice (arguments %d and %d): one file only",
				 config_at, cur);
			return -1;
		}
		if (o->type == TCPD_OT_FILE)
			config_at = cur;
		snprintf(where, sizeof(where), "--%s", o->name);
		if (tcpd_config_set(c, o, optarg, where, err, errlen) < 0)
			return -1;
	}
	if (optind < argc) {
		show_arg(argv[optind], optind, shown, sizeof(shown));
		/* "unexpected argument 3 'x'", or "unexpected argument 3 (not shown: ...)" */
		snprintf(err, errlen,
			 "unexpected argument %d%s%s (options take the form --name VALUE)", optind,
			 shown[0] == '\'' ? " " : "",
			 shown[0] == '\'' ? shown : strchr(shown, '(') - 1);
		return -1;
	}
	return 0;
}

int
tcpd_config_parse_args(struct tcpd_config *c, int argc, char **argv, FILE *out, char *err,
		       size_t errlen)
{
	int rc;

	err[0] = '\0';
	rc = pass(c, argc, argv, 0, err, errlen);
	if (rc == 1) {
		tcpd_config_usage(out, argc > 0 ? argv[0] : "dpdk-tcpd");
		return 1;
	}
	if (rc < 0)
		return -1;
	if (c->config_file[0] != '\0' && tcpd_config_load_file(c, c->config_file, err, errlen) < 0)
		return -1;
	if (pass(c, argc, argv, 1, err, errlen) < 0)
		return -1;
	return tcpd_config_check(c, err, errlen);
}
