/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The INI file, read with rte_cfgfile (which needs no EAL). Keys may sit before any section or in
 * [tcpd]; both are applied, [tcpd] last. Any other section, unknown key or bad value is an error:
 * a typo in a key must not silently leave a default in place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cfgfile.h>

#include "config_internal.h"

#define TCPD_SECTION   "tcpd"
#define GLOBAL_SECTION "GLOBAL" /* rte_cfgfile's name for keys before the first section */

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

static int
apply_section(struct tcpd_config *c, struct rte_cfgfile *cfg, const char *sec, const char *path,
	      char *err, size_t errlen)
{
	struct rte_cfgfile_entry *e;
	int n, i, rc = 0;

	n = rte_cfgfile_section_num_entries(cfg, sec);
	if (n <= 0)
		return 0;
	e = calloc((size_t)n, sizeof(*e));
	if (e == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = rte_cfgfile_section_entries(cfg, sec, e, n);
	for (i = 0; i < n && rc == 0; i++) {
		const struct tcpd_opt *o = tcpd_config_find(NULL, e[i].name);
		char where[512], keys[768];

		if (o == NULL || o->type == TCPD_OT_FILE) {
			list_keys(keys, sizeof(keys));
			snprintf(err, errlen, "%s: unknown key '%s' (accepted keys: %s)", path,
				 e[i].name, keys);
			rc = -1;
			break;
		}
		snprintf(where, sizeof(where), "%s: %s", path, o->key);
		rc = tcpd_config_set(c, o, e[i].value, where, err, errlen);
	}
	/* The entries may hold a secret. */
	memset(e, 0, (size_t)n * sizeof(*e));
	free(e);
	return rc;
}

int
tcpd_config_load_file(struct tcpd_config *c, const char *path, char *err, size_t errlen)
{
	struct rte_cfgfile_parameters params = {.comment_character = '#'};
	struct rte_cfgfile *cfg;
	char **names = NULL;
	int nsec, i, rc = 0;
	FILE *f;

	/* rte_cfgfile only says "failed"; open the file first to report why. */
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "--config: cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	fclose(f);
	cfg = rte_cfgfile_load_with_params(path, CFG_FLAG_GLOBAL_SECTION, &params);
	if (cfg == NULL) {
		snprintf(err, errlen,
			 "%s: not a valid INI file (expected 'key = value' lines, [tcpd] "
			 "sections and '#' comments)",
			 path);
		return -1;
	}
	nsec = rte_cfgfile_num_sections(cfg, NULL, 0);
	if (nsec > 0) {
		names = calloc((size_t)nsec, sizeof(*names));
		for (i = 0; names != NULL && i < nsec; i++) {
			names[i] = malloc(CFG_NAME_LEN);
			if (names[i] == NULL)
				break;
		}
		if (names == NULL || i < nsec) {
			snprintf(err, errlen, "%s: out of memory", path);
			rc = -1;
			goto out;
		}
		rte_cfgfile_sections(cfg, names, nsec);
		for (i = 0; i < nsec; i++) {
			if (strcmp(names[i], GLOBAL_SECTION) != 0 &&
			    strcmp(names[i], TCPD_SECTION) != 0) {
				snprintf(err, errlen,
					 "%s: unknown section [%s] (accepted: [tcpd], or keys "
					 "before any section)",
					 path, names[i]);
				rc = -1;
				goto out;
			}
		}
	}
	rc = apply_section(c, cfg, GLOBAL_SECTION, path, err, errlen);
	if (rc == 0)
		rc = apply_section(c, cfg, TCPD_SECTION, path, err, errlen);
out:
	if (names != NULL) {
		for (i = 0; i < nsec; i++)
			free(names[i]);
		free(names);
	}
	rte_cfgfile_close(cfg);
	return rc;
}
