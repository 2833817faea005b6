/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_APP_H
#define TCPD_APP_H

/**
 * @file
 * The applications that run on lib/tcp's application interface (tcpd_tcp_app.h), one file each:
 * discard (RFC 863), echo (RFC 862) and http (HTTP/1.1 200 OK with a fixed-size body). A new
 * application is one new file with its ops table and one line in app.c's registry (plus its
 * name in lib/config's service list).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcpd_config.h"
#include "tcpd_tcp_app.h"

/** The ops of service @p svc (enum tcpd_service), NULL if unknown. */
const struct tcpd_app_ops *tcpd_app_ops(unsigned int svc);

/** Every registered application, indexed by enum tcpd_service (TCPD_SVC_MAX entries). */
const struct tcpd_app_ops *const *tcpd_app_registry(void);

extern const struct tcpd_app_ops tcpd_app_discard_ops; /**< discard.c */
extern const struct tcpd_app_ops tcpd_app_echo_ops;    /**< echo.c */
extern const struct tcpd_app_ops tcpd_app_http_ops;    /**< http.c */

/** Echo's receive buffer: it holds at most this much not yet echoed and acknowledged (its
 * receive window, so also what one round trip can carry: 1 MiB, as much as the services without
 * buffer offer; 26 MB/s at 40 ms). */
#define TCPD_APP_ECHO_QMAX (1024u * 1024)

/**
 * Byte @p i of every HTTP response body: "0123456789", "a".."z", "A".."Z", "\r\n", repeated
 * (a 64-byte period, so any byte can be regenerated for retransmission with a mask).
 */
static inline uint8_t
tcpd_app_http_body_byte(uint32_t i)
{
	static const char pat[65] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n";
	return (uint8_t)pat[i & 63];
}

/**
 * Write the header of the HTTP response (status line to the blank line) into @p buf:
 * "HTTP/1.1 200 OK", "Server: dpdk-tcpd", "Content-Type: text/plain",
 * "Content-Length: <body_size>" and, if @p close, "Connection: close".
 * @return its length (snprintf semantics)
 */
int tcpd_app_http_header(char *buf, size_t len, uint32_t body_size, bool close);

/**
 * The http service's whole answer to a request whose framing is bad (RFC 9112 6.3: an invalid
 * Content-Length, Transfer-Encoding with Content-Length, a final coding other than chunked, a bad
 * chunk, an obs-fold): our FIN follows it and nothing more of the stream is read.
 */
#define TCPD_APP_HTTP_400                                                                          \
	"HTTP/1.1 400 Bad Request\r\nServer: dpdk-tcpd\r\nContent-Type: text/plain\r\n"            \
	"Content-Length: 12\r\nConnection: close\r\n\r\nBad Request\n"

#endif /* TCPD_APP_H */
