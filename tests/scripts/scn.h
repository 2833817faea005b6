/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SCN_H
#define SCN_H

/*
 * Packet-level scenario runner: shared declarations of the lexer (scn_lex.c), the frame
 * builder/decoder (scn_frame.c) and the harness (tcpd-scenario.c).
 *
 * The frame code is written independently of lib/net on purpose: the runner must be able to tell
 * lib/net that it is wrong, so it cannot reuse lib/net's parser or builder.
 */

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

/* ---- failure reporting ---------------------------------------------------------------- */

/** Line of the scenario being executed (for messages). */
extern unsigned int scn_line;

/** Print "FAIL line N: ..." and exit(1); or, while scn_soft is set, longjmp there with the
 * message in scn_soft_msg (used to try an optional match). */
void scn_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
extern jmp_buf *scn_soft;
/** If not empty, the scenario is a self-test that must fail with a message containing this. */
extern char scn_must_fail[128];
/** Called once by scn_fail before exiting (the harness prints its counters). */
extern void (*scn_on_fail)(void);
extern char scn_soft_msg[512];

/* ---- tokens and expressions ------------------------------------------------------------ */

#define SCN_MAX_TOKENS 64
#define SCN_MAX_DATA   4096

/** One word of a scenario line: "key", "key=value", "key~value" or "key<=value". */
struct scn_tok {
	char *key;
	char *val; /**< NULL for a bare word; unquoted and unescaped if it was "..." */
	char op;   /**< '=' , '~' (contains), '<' (<=) or 0 */
	bool quoted;
	uint16_t vlen; /**< length of val (quoted values may hold NUL bytes) */
};

/**
 * Split @p line into tokens (in place). '#' outside quotes starts a comment. Quoted values
 * understand \r \n \t \\ \" \0 and \xHH.
 * @return the number of tokens
 */
int scn_tokenize(char *line, struct scn_tok *t, int max);

/** Bind variable @p name (without '$'). */
void scn_var_set(const char *name, uint64_t v);

/** Variables bound so far, to undo the bindings of a failed optional match. */
unsigned int scn_var_mark(void);
void scn_var_rollback(unsigned int mark);

/** True and *v set if @p name is bound. */
bool scn_var_get(const char *name, uint64_t *v);

/**
 * Evaluate an expression: terms (decimal, 0x hex, $VAR) joined by + - & | >> << evaluated left to
 * right, no precedence. Fails the scenario on a syntax error or an unbound variable.
 */
uint64_t scn_eval(const char *s);

/**
 * Match @p got against pattern @p pat: "*" matches anything; "$NAME" with NAME unbound binds it;
 * anything else is evaluated and compared (modulo 2^32 if @p mask32). Fails the scenario with
 * the field name on a mismatch.
 */
void scn_match(const char *field, const char *pat, uint64_t got, bool mask32);

/** Parse "a.b.c.d" (network order result). */
bool scn_parse_ip(const char *s, uint32_t *ip);

/** Parse "a.b.c.d:port" or ":port" or "port"; missing parts keep their value. */
bool scn_parse_endpoint(const char *s, uint32_t *ip, uint16_t *port);

/** Parse a hex string (spaces and ':' ignored). @return bytes written, or -1 */
int scn_parse_hex(const char *s, uint8_t *out, int max);

/** Format a network-order IPv4 address into a static buffer (two alternate). */
const char *scn_ip_str(uint32_t ip);

/** Parse an IPv6 address ("2001:2::1", "::ffff:198.18.0.2"). */
bool scn_parse_ip6(const char *s, uint8_t ip6[16]);

/**
 * Parse "[ADDR6]:PORT" or "[ADDR6]" (the address in brackets, so that its colons are not
 * taken for the port's). @return false if @p s is not in brackets or not an address
 */
bool scn_parse_endpoint6(const char *s, uint8_t ip6[16], uint16_t *port);

/** Format an IPv6 address into a static buffer (four alternate). */
const char *scn_ip6_str(const uint8_t ip6[16]);

/* ---- frames ---------------------------------------------------------------------------- */

/** TCP options of a segment, in the order found. */
struct scn_opts {
	bool has_mss, has_ws, has_sackok, has_ts;
	uint16_t mss;
	uint8_t ws;
	uint32_t tsval, tsecr;
	unsigned int nb_sack;
	uint32_t sack[4][2];
	bool malformed; /**< a length did not fit */
	unsigned int nb_unknown;
};

/** Addresses of a frame, network order for IPs and ports. */
struct scn_flow {
	struct rte_ether_addr peer_mac, our_mac;
	uint32_t peer_ip, our_ip;
	uint16_t peer_port, our_port;
	bool v6; /**< IPv6: the addresses below, not peer_ip/our_ip */
	uint8_t peer_ip6[16], our_ip6[16];
};

/** A TCP segment to build. */
struct scn_tcp_in {
	uint32_t seq, ack;
	uint16_t win;
	uint16_t urp; /**< urgent pointer (0 unless given) */
	uint8_t flags;
	uint8_t tos;
	uint8_t opt[60];
	unsigned int optlen;
	const uint8_t *data;
	unsigned int dlen;
	/* deliberate damage */
	bool bad_tcp_cksum, bad_ip_cksum;
	int doff;	 /**< override data offset (words), -1 = computed */
	int ip_len;	 /**< override IPv4 total length, -1 = computed */
	int truncate;	 /**< cut the frame to this many bytes, -1 = no */
	int frag_off;	 /**< IPv4 fragment offset/flags field, -1 = DF */
	int ttl;	 /**< -1 = 64 (IPv6: the hop limit) */
	uint32_t dst_ip; /**< 0: ours */
	/* IPv6 only */
	uint32_t flow_label; /**< 20 bits */
	bool dst6_set;	     /**< dst_ip6 replaces our address as the destination */
	uint8_t dst_ip6[16];
	struct rte_ether_addr dst_mac; /**< with dst6_set: the frame's destination MAC */
	int plen6;		       /**< override the payload length, -1 = computed */
};

/**
 * Build an Ethernet/IPv4/TCP frame from the peer to us, or Ethernet/IPv6/TCP when @p f is an
 * IPv6 flow (checksum over the IPv6 pseudo-header of RFC 8200 8.1). @return frame length
 */
unsigned int scn_build_tcp(uint8_t *buf, const struct scn_flow *f, const struct scn_tcp_in *s);

/** Build an ARP request from the peer for @p target_ip (network order). */
unsigned int scn_build_arp_req(uint8_t *buf, const struct scn_flow *f, uint32_t target_ip);

/**
 * Build an ICMP destination unreachable (type 3, @p code) from @p router (network order; 0: the
 * peer) to us, next-hop MTU @p mtu, quoting @p qlen bytes of our segment to the peer: an IPv4
 * header of protocol @p qproto and the first 8 bytes of a TCP header with @p seq.
 */
unsigned int scn_build_icmp_unreach(uint8_t *buf, const struct scn_flow *f, uint8_t code,
				    uint16_t mtu, uint32_t seq, uint32_t router, uint8_t qproto,
				    unsigned int qlen);

/**
 * Build an ICMPv6 error of @p type and @p code (RFC 4443: 1 destination unreachable, 2 packet
 * too big with MTU @p mtu) from @p router to us, quoting our IPv6 packet to the peer on flow
 * @p f (next header @p qnh) with 20 bytes of TCP header: ports and @p seq.
 */
unsigned int scn_build_icmp6_err(uint8_t *buf, const struct scn_flow *f, uint8_t type, uint8_t code,
				 uint32_t mtu, uint32_t seq, const uint8_t *router, uint8_t qnh);

/** Build an ICMP echo request from the peer to us. */
unsigned int scn_build_icmp_echo(uint8_t *buf, const struct scn_flow *f, uint16_t id, uint16_t seq,
				 const uint8_t *data, unsigned int dlen);

/** Build an ICMPv6 echo request from the peer to us (hop limit @p hlim). */
unsigned int scn_build_icmp6_echo(uint8_t *buf, const struct scn_flow *f, uint16_t id, uint16_t seq,
				  const uint8_t *data, unsigned int dlen, uint8_t hlim);

/** A neighbour solicitation to build (RFC 4861 4.3). */
struct scn_ns {
	uint8_t target[16];
	uint8_t src[16]; /**< the peer's address, or :: (duplicate address detection) */
	uint8_t dst[16]; /**< the target's solicited-node group unless set otherwise */
	uint8_t hlim;	 /**< 255 unless testing the check */
	uint8_t code;	 /**< 0 unless testing the check */
	bool slla;	 /**< carry the source link-layer address option */
	bool bad_cksum;
};

/** Build a neighbour advertisement from the peer to us (RFC 4861 4.4): for @p target, flags
 * @p flags (R 0x80, S 0x40, O 0x20), with the peer's MAC as target link-layer address if
 * @p tlla. */
unsigned int scn_build_na(uint8_t *buf, const struct scn_flow *f, const uint8_t *target,
			  uint8_t flags, bool tlla);

/** Build a neighbour solicitation from the peer's MAC. */
unsigned int scn_build_ns(uint8_t *buf, const struct scn_flow *f, const struct scn_ns *ns);

/** The solicited-node multicast group of @p a (ff02::1:ffXX:XXXX) and its MAC (RFC 2464). */
void scn_solicited_node(const uint8_t a[16], uint8_t group[16], struct rte_ether_addr *mac);

/** What a transmitted frame turned out to be. */
enum scn_kind {
	SCN_K_OTHER = 0,
	SCN_K_TCP,
	SCN_K_ARP,
	SCN_K_ICMP,
	SCN_K_ICMP6, /**< ICMPv6 other than ND */
	SCN_K_ND,    /**< neighbour solicitation or advertisement */
};

/** A transmitted frame, decoded and verified (checksums, lengths) by scn_decode. */
struct scn_out {
	enum scn_kind kind;
	char err[160]; /**< empty if the frame is well formed */
	struct rte_ether_addr eth_dst, eth_src;
	uint16_t ether_type;
	/* IPv4 */
	uint32_t ip_src, ip_dst;
	uint8_t ttl, tos, proto;
	uint16_t frag;
	/* TCP */
	uint16_t sport, dport; /**< host order */
	uint32_t seq, ack;
	uint16_t win;
	uint8_t flags;
	struct scn_opts opts;
	const uint8_t *data;
	unsigned int dlen;
	/* ARP */
	uint16_t arp_op;
	struct rte_ether_addr arp_sha, arp_tha;
	uint32_t arp_sip, arp_tip;
	/* ICMP, ICMPv6 */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq;
	/* IPv6 (ttl holds the hop limit, tos the traffic class) */
	bool v6;
	uint8_t src6[16], dst6[16];
	uint32_t flow_label;
	/* ND */
	uint8_t nd_target[16];
	uint8_t nd_flags; /**< NA: R 0x80, S 0x40, O 0x20 */
	bool nd_has_lla;  /**< source (NS) or target (NA) link-layer address option */
	struct rte_ether_addr nd_lla;
};

/** Decode @p len bytes at @p frame; every defect is reported in o->err. */
void scn_decode(const uint8_t *frame, unsigned int len, struct scn_out *o);

/** One-line summary of a decoded frame ("SA 198.18.0.1:80 > ... seq=... ack=..."). */
void scn_describe(const struct scn_out *o, char *buf, size_t len);

/** Parse TCP flag letters ("SA", "PA", "FA", "R", "." for none). @return -1 on error */
int scn_parse_flags(const char *s);

/** Flags as letters in a fixed order (static buffer). */
const char *scn_flags_str(uint8_t f);

/** Parse options in @p opt (@p len bytes) into @p o. */
void scn_parse_opts(const uint8_t *opt, unsigned int len, struct scn_opts *o);

#endif /* SCN_H */
