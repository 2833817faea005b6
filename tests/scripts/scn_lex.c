/* SPDX-License-Identifier: BSD-3-Clause */
/* Scenario lexer: tokens, quoted strings, variables and expressions. */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

unsigned int scn_line;
jmp_buf *scn_soft;
char scn_soft_msg[512];
void (*scn_on_fail)(void);

char scn_must_fail[128];

void
scn_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (scn_soft != NULL) {
		va_start(ap, fmt);
		vsnprintf(scn_soft_msg, sizeof(scn_soft_msg), fmt, ap);
		va_end(ap);
		longjmp(*scn_soft, 1);
	}
	fflush(stdout);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("FAIL line %u: %s\n", scn_line, msg);
	if (scn_on_fail) {
		void (*f)(void) = scn_on_fail;

		scn_on_fail = NULL;
		f();
	}
	if (scn_must_fail[0]) {
		/* a self-test of the runner: this failure, and no other, is success */
		bool ok = strstr(msg, scn_must_fail) != NULL;

		printf("%s: the scenario had to fail with \"%s\"\n", ok ? "PASS" : "FAIL",
		       scn_must_fail);
		fflush(stdout);
		exit(ok ? 0 : 1);
	}
	fflush(stdout);
	exit(1);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Unescape the quoted string starting after the opening quote at *pp, in place into @p out.
 * Returns the length; *pp is left after the closing quote. */
static int
unquote(char **pp, char *out)
{
	char *p = *pp;
	int n = 0;

	while (*p && *p != '"') {
		if (*p != '\\') {
			out[n++] = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'r':
			out[n++] = '\r';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case '0':
			out[n++] = '\0';
			break;
		case 'x': {
			int h = hexval(p[1]), l = hexval(p[2]);

			if (h < 0 || l < 0)
				scn_fail("bad \\x escape");
			out[n++] = (char)(h * 16 + l);
			p += 2;
			break;
		}
		case '\\':
		case '"':
			out[n++] = *p;
			break;
		default:
			scn_fail("unknown escape \\%c", *p);
		}
		p++;
	}
	if (*p != '"')
		scn_fail("unterminated string");
	*pp = p + 1;
	return n;
}

int
scn_tokenize(char *line, struct scn_tok *t, int max)
{
	char *p = line;
	int n = 0;

	for (;;) {
		char *start, *w;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n == max)
			scn_fail("too many words on the line");
		memset(&t[n], 0, sizeof(t[n]));
		start = p;
		/* the key runs to an operator or a blank */
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '=' &&
		       *p != '~' && !(*p == '<' && p[1] == '='))
			p++;
		t[n].key = start;
		if (*p == '=' || *p == '~' || *p == '<') {
			t[n].op = *p;
			*p++ = '\0';
			if (t[n].op == '<')
				*p++ = '\0';
			w = p;
			t[n].val = w;
			if (*p == '"') {
				int len;

				p++;
				len = unquote(&p, w);
				t[n].quoted = true;
				t[n].vlen = (uint16_t)len;
				if (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
					scn_fail("text after a closing quote");
				if (*p)
					p++;
				w[len] = '\0';
			} else {
				while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
					p++;
				if (*p)
					*p++ = '\0';
				t[n].vlen = (uint16_t)strlen(w);
			}
		} else if (*p) {
			*p++ = '\0';
		}
		n++;
	}
	return n;
}

/* ---- variables ------------------------------------------------------------------------- */

#define MAX_VARS 128

static struct {
	char name[32];
	uint64_t v;
} vars[MAX_VARS];
static unsigned int nb_vars;

void
scn_var_set(const char *name, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < nb_vars; i++)
		if (strcmp(vars[i].name, name) == 0) {
			vars[i].v = v;
			return;
		}
	if (nb_vars == MAX_VARS || strlen(name) >= sizeof(vars[0].name))
		scn_fail("too many variables, or name too long: %s", name);
	strcpy(vars[nb_vars].name, name);
	vars[nb_vars++].v = v;
}

unsigned int
scn_var_mark(void)
{
	return nb_vars;
}

void
scn_var_rollback(unsigned int mark)
{
	if (mark < nb_vars)
		nb_vars = mark;
}

bool
scn_var_get(const char *name, uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < nb_vars; i++)
		if (strcmp(vars[i].name, name) == 0) {
			*v = vars[i].v;
			return true;
		}
	return false;
}

static bool
is_var_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static uint64_t
term(const char **pp)
{
	const char *p = *pp;
	uint64_t v;

	if (*p == '$') {
		char name[32];
		unsigned int n = 0;

		p++;
		while ((isalnum((unsigned char)*p) || *p == '_') && n < sizeof(name) - 1)
			name[n++] = *p++;
		name[n] = '\0';
		if (n == 0)
			scn_fail("'$' without a name");
		if (!scn_var_get(name, &v))
			scn_fail("variable $%s used before it was captured", name);
	} else if (isdigit((unsigned char)*p)) {
		char *end;

		v = strtoull(p, &end, 0);
		p = end;
	} else {
		scn_fail("bad expression at \"%s\"", p);
	}
	*pp = p;
	return v;
}

uint64_t
scn_eval(const char *s)
{
	const char *p = s;
	uint64_t v = term(&p);

	while (*p) {
		char op = *p;

		if ((op == '>' || op == '<') && p[1] == op)
			p += 2;
		else if (op == '+' || op == '-' || op == '&' || op == '|')
			p++;
		else
			scn_fail("bad operator in \"%s\"", s);
		switch (op) {
		case '+':
			v += term(&p);
			break;
		case '-':
			v -= term(&p);
			break;
		case '&':
			v &= term(&p);
			break;
		case '|':
			v |= term(&p);
			break;
		case '>':
			v >>= term(&p);
			break;
		case '<':
			v <<= term(&p);
			break;
		}
	}
	return v;
}

void
scn_match(const char *field, const char *pat, uint64_t got, bool mask32)
{
	uint64_t want;

	if (strcmp(pat, "*") == 0)
		return;
	if (pat[0] == '$' && is_var_name(pat + 1) && !scn_var_get(pat + 1, &want)) {
		scn_var_set(pat + 1, got);
		return;
	}
	want = scn_eval(pat);
	if (mask32) {
		want &= 0xffffffff;
		got &= 0xffffffff;
	}
	if (want != got)
		scn_fail("field %s: expected %s = %" PRIu64 " (0x%" PRIx64 "), got %" PRIu64
			 " (0x%" PRIx64 ")",
			 field, pat, want, want, got, got);
}

/* ---- addresses and bytes --------------------------------------------------------------- */

bool
scn_parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*ip = a.s_addr;
	return true;
}

bool
scn_parse_endpoint(const char *s, uint32_t *ip, uint16_t *port)
{
	char buf[64];
	char *colon;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (colon == NULL) {
		if (strchr(buf, '.'))
			return scn_parse_ip(buf, ip);
		*port = htons((uint16_t)scn_eval(buf));
		return true;
	}
	*colon = '\0';
	if (buf[0] && !scn_parse_ip(buf, ip))
		return false;
	*port = htons((uint16_t)scn_eval(colon + 1));
	return true;
}

int
scn_parse_hex(const char *s, uint8_t *out, int max)
{
	int n = 0;

	while (*s) {
		int h, l;

		if (*s == ' ' || *s == ':' || *s == '\t') {
			s++;
			continue;
		}
		h = hexval(s[0]);
		l = s[1] ? hexval(s[1]) : -1;
		if (h < 0 || l < 0 || n == max)
			return -1;
		out[n++] = (uint8_t)(h * 16 + l);
		s += 2;
	}
	return n;
}

const char *
scn_ip_str(uint32_t ip)
{
	static char buf[2][INET_ADDRSTRLEN];
	static int i;
	struct in_addr a = {.s_addr = ip};

	i ^= 1;
	inet_ntop(AF_INET, &a, buf[i], sizeof(buf[i]));
	return buf[i];
}

bool
scn_parse_ip6(const char *s, uint8_t ip6[16])
{
	return inet_pton(AF_INET6, s, ip6) == 1;
}

bool
scn_parse_endpoint6(const char *s, uint8_t ip6[16], uint16_t *port)
{
	char buf[96];
	char *close;

	if (s[0] != '[' || strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s + 1);
	close = strchr(buf, ']');
	if (close == NULL)
		return false;
	*close = '\0';
	if (!scn_parse_ip6(buf, ip6))
		return false;
	if (close[1] == ':')
		*port = htons((uint16_t)scn_eval(close + 2));
	else if (close[1] != '\0')
		return false;
	return true;
}

const char *
scn_ip6_str(const uint8_t ip6[16])
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int i;

	i = (i + 1) & 3;
	inet_ntop(AF_INET6, ip6, buf[i], sizeof(buf[i]));
	return buf[i];
}
