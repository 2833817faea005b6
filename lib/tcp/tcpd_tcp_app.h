/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_TCP_APP_H
#define TCPD_TCP_APP_H

/**
 * @file
 * The application interface of lib/tcp. An application (the discard, echo and http services of
 * lib/app, and the load generator's clients) is an ops table chosen once, when a connection is
 * created; TCP calls it through struct tcpd_tcb.app and never switches on what it is.
 *
 * Data model: TCP keeps no send buffer. An application that has data to send moves
 * tcpd_tcb.app_end forward (tcpd_tcp_app_queue) and writes any byte again on demand (fill), for
 * the first transmission and for retransmissions alike: echo from the mbufs it holds, http by
 * regenerating its responses from their sequence number.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "tcpd_config.h"
#include "tcpd_stats.h"
#include "tcpd_tcb.h"

/** Window offered by an application without receive buffer (rcv_wnd NULL): 1 MiB. */
#define TCPD_APP_WND_NOBUF (1u << 20)

struct tcpd_app;

/** Why a connection left its application (the free hook). */
enum tcpd_close_reason {
	TCPD_CLOSE_NORMAL,  /**< both FINs exchanged (or TIME-WAIT entered, FIN-WAIT-2 timed out) */
	TCPD_CLOSE_RST,	    /**< reset by the peer once synchronized */
	TCPD_CLOSE_REFUSED, /**< SYN-SENT: the peer answered our SYN with a RST */
	TCPD_CLOSE_SYN_TIMEOUT, /**< SYN-SENT: no answer after rto_retries retransmissions */
	TCPD_CLOSE_TIMEOUT,	/**< retransmissions unacknowledged rto_retries times: reset */
	TCPD_CLOSE_IDLE,	/**< idle timeout: reset */
	TCPD_CLOSE_ABORT,	/**< tcpd_tcp_abort: reset by us */
	TCPD_CLOSE_HANDSHAKE,	/**< a passive open that never completed (SYN-RECEIVED) */
	TCPD_CLOSE_REASONS
};

/** What an application implements; NULL hooks are optional where said so. */
struct tcpd_app_ops {
	const char *name; /**< as in the configuration ("echo") */
	/** Per-lcore set-up (may allocate; not on the fast path); NULL if none. @return 0 or -errno */
	int (*init)(struct tcpd_app *a, const struct tcpd_config *cfg, int socket_id);
	/** Undo init; NULL if none. */
	void (*fini)(struct tcpd_app *a);
	/** The connection reached ESTABLISHED (either open); NULL if nothing to do. */
	void (*established)(struct tcpd_app *a, struct tcpd_tcb *c);
	/**
	 * In-order payload at RCV.NXT: @p len bytes at @p data, of which the window allows
	 * @p room. @p m is the segment's mbuf: the application may keep it (set *m_taken; its
	 * data_off/len are then the application's). @return bytes consumed: RCV.NXT moves by that.
	 */
	uint32_t (*rx)(struct tcpd_app *a, struct tcpd_tcb *c, struct rte_mbuf *m,
		       const uint8_t *data, uint32_t len, uint32_t room, int *m_taken);
	/** Write the @p len bytes of application data that start at sequence @p seq into @p dst. */
	void (*fill)(const struct tcpd_app *a, const struct tcpd_tcb *c, uint8_t *dst, uint32_t seq,
		     uint32_t len);
	/** SND.UNA moved on from @p old_una: release what is acknowledged; NULL if nothing held. */
	void (*acked)(struct tcpd_app *a, struct tcpd_tcb *c, uint32_t old_una);
	/**
	 * Receive window in bytes; NULL: TCPD_APP_WND_NOBUF (nothing is buffered). Its right
	 * edge (RCV.NXT + window) must never move left, and only in steps of at least
	 * min(buffer / 2, MSS) (receiver silly window avoidance, RFC 9293 3.8.6.2.2): TCP
	 * advertises what this returns (echo_rcv_wnd in lib/app shows how). With window scaling
	 * the field cannot say every edge: TCP then offers at least what it offered before,
	 * rounded up to its unit, and rx's @p room may run past this window by that much (a
	 * remainder per segment shorter than the unit, Linux's likewise: echo_rx bounds it).
	 */
	uint32_t (*rcv_wnd)(const struct tcpd_app *a, const struct tcpd_tcb *c);
	/**
	 * The connection leaves the application, exactly once: closed, reset, timed out, or in
	 * TIME-WAIT (where TCP alone keeps it). Free what it holds; NULL if nothing to do.
	 */
	void (*free)(struct tcpd_app *a, struct tcpd_tcb *c, enum tcpd_close_reason why);
};

/** One application on one lcore. */
struct tcpd_app {
	const struct tcpd_app_ops *ops;
	void *priv;	       /**< the application's per-lcore state (init) */
	struct tcpd_stats *st; /**< the lcore's counters */
	uint32_t idle_ms;      /**< reset idle connections after this (init may set it), 0: cfg */
};

/* ---- sequence numbers, modulo 2^32 ---- */
/** a < b in sequence space. */
static inline int
tcpd_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}
/** a <= b in sequence space. */
static inline int
tcpd_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}
/** a > b in sequence space. */
static inline int
tcpd_seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}
/** a >= b in sequence space. */
static inline int
tcpd_seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/**
 * Application bytes queued and not acknowledged if SND.UNA were @p una. Application data lives in
 * [ISS + 1, app_end): the SYN and the FIN are not data.
 */
static inline uint32_t
tcpd_tcp_app_unacked_from(const struct tcpd_tcb *c, uint32_t una)
{
	if (tcpd_seq_lt(una, c->iss + 1))
		una = c->iss + 1;
	if (tcpd_seq_gt(una, c->app_end))
		return 0;
	return c->app_end - una;
}

/** Application bytes queued and not acknowledged. */
static inline uint32_t
tcpd_tcp_app_unacked(const struct tcpd_tcb *c)
{
	return tcpd_tcp_app_unacked_from(c, c->snd_una);
}

/** First sequence number of application data still held (ISS + 1 before any ACK of data). */
static inline uint32_t
tcpd_tcp_app_una(const struct tcpd_tcb *c)
{
	return tcpd_seq_lt(c->snd_una, c->iss + 1) ? c->iss + 1 : c->snd_una;
}

/** Queue @p n more bytes of application data (fill writes them when they are sent). */
static inline void
tcpd_tcp_app_queue(struct tcpd_tcb *c, uint32_t n)
{
	c->app_end += n;
}

/** Close our side once the queued data is sent (our FIN follows it). */
static inline void
tcpd_tcp_app_close(struct tcpd_tcb *c)
{
	c->tflags |= TCPD_TCB_F_FIN;
}

/** Bytes sent on the connection since it opened (ISS + 1 onwards), for regenerated streams. */
static inline uint32_t
tcpd_tcp_app_offset(const struct tcpd_tcb *c, uint32_t seq)
{
	return seq - (c->iss + 1);
}

#endif /* TCPD_TCP_APP_H */
