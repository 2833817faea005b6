/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_APP_CLIENT_H
#define TCPD_APP_CLIENT_H

/**
 * @file
 * The client side of the applications (client mode, the load generator): http (GET with a Host
 * header, status and Content-Length checked, --requests per connection kept alive, then we
 * close), echo (payload bytes sent per request, the same bytes checked back) and discard (payload
 * bytes per request sent, then we close). One file each (http_client.c, echo_client.c,
 * discard_client.c), on the same ops interface as the services (tcpd_tcp_app.h).
 *
 * Every connection carries a record (struct tcpd_client_rec, in tcpd_tcb.app_ptr) owned by the
 * load engine (lib/load), which allocates it before tcpd_tcp_connect and gets it back in the
 * free hook. The applications only parse, check and queue; what happens when is reported to the
 * engine through struct tcpd_client_hooks (which timestamps and counts). A response that fails a
 * check marks the record TCPD_CLIENT_F_BAD and closes our side; the engine counts the reason
 * when the connection ends. Nothing here reads a clock.
 *
 * Payload bytes (echo, discard) are tcpd_app_http_body_byte(offset in the stream), so a byte can
 * be regenerated for retransmission and checked when it comes back.
 */

#include <stdint.h>

#include "tcpd_tcp_app.h"

/** Record flags. */
#define TCPD_CLIENT_F_FIRST    0x01 /**< first byte of the current response seen */
#define TCPD_CLIENT_F_FINISHED 0x02 /**< every request answered; our FIN queued */
#define TCPD_CLIENT_F_BAD      0x04 /**< a response failed a check (bad_response) */
#define TCPD_CLIENT_F_TIMEOUT  0x08 /**< aborted by the engine: response timeout */
#define TCPD_CLIENT_F_DRAINED  0x10 /**< aborted by the engine: still open after the drain */
#define TCPD_CLIENT_F_EST      0x20 /**< reached ESTABLISHED */
/** http: the last header line was Content-Length: an obs-fold line next continues its value
 * (RFC 9112 5.2: replaced by SP, "1" then " 2" is "1 2"), so the response is bad. */
#define TCPD_CLIENT_F_CLEN_LINE 0x40

/** HTTP response parser phases (struct tcpd_client_rec.phase). */
enum tcpd_client_http_phase {
	TCPD_HTTP_STATUS = 0, /**< status line */
	TCPD_HTTP_HEADERS,    /**< header lines */
	TCPD_HTTP_BODY,	      /**< Content-Length bytes */
	TCPD_HTTP_IDLE,	      /**< between responses: any byte is unexpected */
};

/** Longest response header line kept for parsing (longer lines are checked on their start). */
#define TCPD_CLIENT_LINE_MAX 36

/** One client connection, the engine's; 128 bytes. */
struct tcpd_client_rec {
	uint64_t sched_tsc;    /**< when the pacer scheduled the launch */
	uint64_t syn_tsc;      /**< when the SYN was sent */
	uint64_t req_tsc;      /**< when the current request was queued */
	uint64_t req_sched;    /**< the same, as scheduled (sched_tsc for the first request) */
	uint64_t deadline_tsc; /**< response timeout (UINT64_MAX: none) */
	struct tcpd_tcb *c;    /**< the connection (valid until the free hook) */
	uint32_t done;	       /**< requests answered completely */
	uint32_t resp_rx;      /**< bytes of the current response received */
	uint32_t body_left;    /**< http: body bytes still expected */
	uint32_t clen;	       /**< http: Content-Length of the current response, UINT32_MAX none */
	uint32_t rx_total;     /**< payload bytes received on the connection */
	uint32_t tx_acked;     /**< payload bytes sent and acknowledged (set when it ends) */
	uint32_t next;	       /**< engine: free-list link */
	uint16_t status;       /**< http: status code of the current response */
	uint8_t phase;	       /**< http: enum tcpd_client_http_phase */
	uint8_t line_len;      /**< http: bytes in line[] */
	uint8_t flags;	       /**< TCPD_CLIENT_F_* */
	uint8_t target;	       /**< index of the --connect target */
	uint8_t gauge;	       /**< engine: which concurrency gauge counts it */
	uint8_t line_over;     /**< http: the line in line[] had more than TCPD_CLIENT_LINE_MAX */
	uint32_t tuple_ip;     /**< source tuple (network order), given back when it ends */
	uint16_t tuple_port;
	uint16_t pad2_;
	char line[TCPD_CLIENT_LINE_MAX]; /**< http: start of a line split over segments */
};

/** What a client application reports; @p eng is tcpd_app_client.eng. */
enum tcpd_client_event {
	TCPD_CLIENT_EV_ESTABLISHED, /**< handshake done; the first request is queued */
	TCPD_CLIENT_EV_FIRST_BYTE,  /**< first byte of a response */
	TCPD_CLIENT_EV_RESPONSE,    /**< a response is complete (r->done counts it) */
	TCPD_CLIENT_EV_REQUEST,	    /**< the next request is queued (keep-alive) */
	TCPD_CLIENT_EV_FINISHED,    /**< the last response came: our FIN is queued */
};

struct tcpd_client_hooks {
	/** Something happened on @p r (in TCP's input path: no abort from here). */
	void (*event)(void *eng, struct tcpd_client_rec *r, enum tcpd_client_event ev);
	/** The connection left the application (exactly once): give @p r back. */
	void (*free)(void *eng, struct tcpd_client_rec *r, enum tcpd_close_reason why);
};

/** Per lcore and target: a client application's state (struct tcpd_app.priv). */
struct tcpd_app_client {
	const struct tcpd_client_hooks *hooks;
	void *eng;
	uint32_t requests;    /**< per connection (at least 1) */
	uint32_t payload;     /**< echo, discard: bytes per request */
	uint32_t expect_body; /**< http: Content-Length required, UINT32_MAX: any */
	uint16_t req_len;     /**< http: request length */
	char req[190];	      /**< http: the request */
};

extern const struct tcpd_app_ops tcpd_app_http_client_ops;    /**< http_client.c */
extern const struct tcpd_app_ops tcpd_app_echo_client_ops;    /**< echo_client.c */
extern const struct tcpd_app_ops tcpd_app_discard_client_ops; /**< discard_client.c */

/** The client ops of service @p svc (enum tcpd_service), NULL if none. */
const struct tcpd_app_ops *tcpd_app_client_ops(unsigned int svc);

/**
 * Set up @p cl for an http client of @p host (e.g. "198.18.0.1:80"): the request
 * "GET @p path HTTP/1.1", Host, User-Agent. @return 0, or -EINVAL if it does not fit
 */
int tcpd_app_client_http_init(struct tcpd_app_client *cl, const char *host, const char *path);

/** Fresh record for a launch (parser reset, no deadline). */
void tcpd_app_client_rec_init(struct tcpd_client_rec *r);

/**
 * Feed @p len response bytes to the http parser of @p r (exposed for unit tests; http_client.c's
 * rx calls it). @return bytes consumed (all, unless a response ended and the stream must stop
 * there); a failed check sets TCPD_CLIENT_F_BAD.
 */
uint32_t tcpd_app_client_http_parse(const struct tcpd_app_client *cl, struct tcpd_client_rec *r,
				    const uint8_t *data, uint32_t len, int *complete);

#endif /* TCPD_APP_CLIENT_H */
