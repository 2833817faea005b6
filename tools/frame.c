/* SPDX-License-Identifier: BSD-3-Clause */
/* The tools' IPv4/TCP and IPv6/TCP frame writer (see frame.h). */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "frame.h"

/* Option kinds and lengths (RFC 9293 3.2, RFC 2018, RFC 7323). */
#define OPT_NOP	      1
#define OPT_MSS	      2
#define OPT_WS	      3
#define OPT_SACK_PERM 4
#define OPT_TS	      8
#define OPTLEN_MSS    4
#define OPTLEN_WS     3
#define OPTLEN_SACKP  2
#define OPTLEN_TS     10

unsigned int
tcpd_frame_opts_len(const struct tcpd_frame_opts *o)
{
	return (o->mss ? 4u : 0u) + (o->ts ? 12u : 0u) + (o->sack_perm && !o->ts ? 4u : 0u) +
	       (o->ws ? 4u : 0u);
}

static void
put32(uint8_t *p, uint32_t v)
{
	uint32_t be = rte_cpu_to_be_32(v);

	memcpy(p, &be, 4);
}

/* Writes the option block; returns its length (tcpd_frame_opts_len). */
static unsigned int
opts_write(uint8_t *o, const struct tcpd_frame_opts *opt)
{
	unsigned int n = 0;

	if (opt->mss) {
		o[n++] = OPT_MSS;
		o[n++] = OPTLEN_MSS;
		o[n++] = (uint8_t)(opt->mss >> 8);
		o[n++] = (uint8_t)opt->mss;
	}
	if (opt->ts) {
		/* SACK-permitted shares the timestamps' word, as Linux writes it. */
		o[n++] = opt->sack_perm ? OPT_SACK_PERM : OPT_NOP;
		o[n++] = opt->sack_perm ? OPTLEN_SACKP : OPT_NOP;
		o[n++] = OPT_TS;
		o[n++] = OPTLEN_TS;
		put32(&o[n], opt->tsval);
		put32(&o[n + 4], opt->tsecr);
		n += 8;
	} else if (opt->sack_perm) {
		o[n++] = OPT_NOP;
		o[n++] = OPT_NOP;
		o[n++] = OPT_SACK_PERM;
		o[n++] = OPTLEN_SACKP;
	}
	if (opt->ws) {
		o[n++] = OPT_NOP;
		o[n++] = OPT_WS;
		o[n++] = OPTLEN_WS;
		o[n++] = opt->wscale;
	}
	return n;
}

/* The TCP header, its options and the payload (checksum 0); returns the TCP segment length. */
static size_t
tcp_write(struct rte_tcp_hdr *tcp, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
	  uint8_t flags, uint16_t win, const struct tcpd_frame_opts *o, const void *payload,
	  uint16_t plen)
{
	uint8_t *opt = (uint8_t *)(tcp + 1);
	unsigned int olen = tcpd_frame_opts_len(o);

	tcp->src_port = rte_cpu_to_be_16(sport);
	tcp->dst_port = rte_cpu_to_be_16(dport);
	tcp->sent_seq = rte_cpu_to_be_32(seq);
	tcp->recv_ack = rte_cpu_to_be_32(ack);
	tcp->data_off = (uint8_t)(((sizeof(*tcp) + olen) / 4) << 4);
	tcp->tcp_flags = flags;
	tcp->rx_win = rte_cpu_to_be_16(win);
	tcp->cksum = 0;
	tcp->tcp_urp = 0;
	opts_write(opt, o);
	if (plen)
		memcpy(opt + olen, payload, plen);
	return sizeof(*tcp) + olen + plen;
}

size_t
tcpd_frame_write(void *buf, size_t cap, const struct tcpd_frame *f)
{
	struct rte_ether_hdr *eth = buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
	unsigned int olen = tcpd_frame_opts_len(&f->opt);
	size_t len = TCPD_FRAME_HDR_LEN + olen + f->plen;

	if (len > cap)
		return 0;
	eth->dst_addr = f->dst_mac;
	eth->src_addr = f->src_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - sizeof(*eth)));
	ip->packet_id = rte_cpu_to_be_16(f->ip_id);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->hdr_checksum = 0;
	ip->src_addr = rte_cpu_to_be_32(f->src_ip);
	ip->dst_addr = rte_cpu_to_be_32(f->dst_ip);

	tcp_write(tcp, f->sport, f->dport, f->seq, f->ack, f->flags, f->win, &f->opt, f->payload,
		  f->plen);

	ip->hdr_checksum = rte_ipv4_cksum(ip);
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	return len;
}

size_t
tcpd_frame_write6(void *buf, size_t cap, const struct tcpd_frame6 *f)
{
	struct rte_ether_hdr *eth = buf;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
	size_t len = TCPD_FRAME6_HDR_LEN + tcpd_frame_opts_len(&f->opt) + f->plen;
	size_t seg;

	if (len > cap)
		return 0;
	eth->dst_addr = f->dst_mac;
	eth->src_addr = f->src_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);

	seg = tcp_write(tcp, f->sport, f->dport, f->seq, f->ack, f->flags, f->win, &f->opt,
			f->payload, f->plen);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)f->tclass << 20 |
					(f->flow_label & RTE_IPV6_HDR_FL_MASK));
	ip->payload_len = rte_cpu_to_be_16((uint16_t)seg);
	ip->proto = IPPROTO_TCP;
	ip->hop_limits = 64;
	memcpy(ip->src_addr, f->src_ip, 16);
	memcpy(ip->dst_addr, f->dst_ip, 16);
	/* No extension header: the payload length is the TCP length, as DPDK's helper needs. */
	tcp->cksum = rte_ipv6_udptcp_cksum(ip, tcp);
	return len;
}
