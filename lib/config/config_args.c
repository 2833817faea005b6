/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command line after EAL's "--". Two passes: the first only looks for --config and --help,
 * the file is applied, then the second pass applies every other option, so the command line wins
 * whatever the order of the arguments.
 */
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

/*
 * One getopt_long pass. @p pass 0 handles --help and --config; pass 1 every other option.
 * @return 0, 1 for --help, -1 on error
 */
static int
pass(struct tcpd_config *c, int argc, char **argv, int which, char *err, size_t errlen)
{
	struct option lopts[64];
	char opts_list[768];
	unsigned int i;
	int opt, idx;

	for (i = 0; i < tcpd_config_nb_opts; i++)
		lopts[i] = (struct option){tcpd_config_opts[i].name, required_argument, NULL,
					   OPT_BASE + (int)i};
	lopts[i++] = (struct option){"help", no_argument, NULL, OPT_HELP};
	lopts[i] = (struct option){NULL, 0, NULL, 0};

	/* EAL parsed its own options with getopt; optind = 0 makes glibc start afresh. */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:h", lopts, &idx)) != -1) {
		const struct tcpd_opt *o;
		char where[80];

		if (opt == OPT_HELP) {
			if (which == 0)
				return 1;
			continue;
		}
		if (opt == '?' || opt == ':') {
			const char *bad = argv[optind - 1];

			list_options(opts_list, sizeof(opts_list));
			if (opt == ':')
				snprintf(err, errlen, "%s: missing value (see --help)", bad);
			else
				snprintf(err, errlen, "unknown option '%s' (accepted: %s)", bad,
					 opts_list);
			return -1;
		}
		o = &tcpd_config_opts[opt - OPT_BASE];
		if ((which == 0) != (o->type == TCPD_OT_FILE))
			continue;
		snprintf(where, sizeof(where), "--%s", o->name);
		if (tcpd_config_set(c, o, optarg, where, err, errlen) < 0)
			return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen,
			 "unexpected argument '%s' (options take the form --name VALUE)",
			 argv[optind]);
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
	return pass(c, argc, argv, 1, err, errlen);
}
