/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCPD_STATS_H
#define TCPD_STATS_H

/**
 * @file
 * Per-lcore counters.
 *
 * Every counter is written by exactly one worker lcore and read by the control thread and the
 * telemetry callbacks, which accept a value one burst old. Writers use relaxed atomic stores of
 * (value + 1), which compile to a plain add/mov on x86-64: no locked instruction on the fast path.
 *
 * The counter list is an X-macro so that the enum, the telemetry key names and the help texts
 * cannot drift apart. Keys use only [a-z0-9_] (telemetry rejects anything else). Each module
 * owns one section; add a counter to your module's section only.
 *
 * X(name, kind, help): kind is TCPD_STAT_COUNTER (monotonic, shown as a rate) or
 * TCPD_STAT_GAUGE (a level, e.g. live connections).
 */

#include <stdint.h>
#include <rte_common.h>

#define TCPD_STAT_COUNTER 0
#define TCPD_STAT_GAUGE	  1

/** Port I/O, written by lib/worker. */
#define TCPD_STATS_IO(X)                                                                           \
	X(rx_pkts, TCPD_STAT_COUNTER, "packets received")                                          \
	X(rx_bytes, TCPD_STAT_COUNTER, "bytes received")                                           \
	X(tx_pkts, TCPD_STAT_COUNTER, "packets sent")                                              \
	X(tx_bytes, TCPD_STAT_COUNTER, "bytes sent")                                               \
	X(tx_drop, TCPD_STAT_COUNTER, "packets not sent: TX queue or burst TX array full, freed")  \
	X(drop_nombuf, TCPD_STAT_COUNTER, "segments or ARPs not built: mbuf pool empty")           \
	X(drop_multiseg, TCPD_STAT_COUNTER, "multi-segment frame (MTU above the mbuf size)")       \
	X(redirect_tx, TCPD_STAT_COUNTER,                                                          \
	  "client mode: segments whose RSS hash names another queue, handed to its worker")        \
	X(redirect_rx, TCPD_STAT_COUNTER, "client mode: segments handed over by another worker")   \
	X(redirect_drop, TCPD_STAT_COUNTER,                                                        \
	  "client mode: segments to hand over, owner's ring full")                                 \
	X(busy_cycles, TCPD_STAT_COUNTER,                                                          \
	  "TSC cycles of poll iterations that received or sent a packet (the rest polled an "      \
	  "empty "                                                                                 \
	  "queue): busy share = its rate / TSC hz, as dperf's cpuUsage")                           \
	X(stall_100us, TCPD_STAT_COUNTER,                                                          \
	  "poll iterations (RX burst to RX burst) longer than 100 us followed by a burst with "    \
	  "packets: they waited that long (preemption, a long walk)")                              \
	X(stall_1ms, TCPD_STAT_COUNTER, "poll iterations longer than 1 ms (also in stall_100us)")  \
	X(stall_10ms, TCPD_STAT_COUNTER, "poll iterations longer than 10 ms (also in stall_1ms)")  \
	X(slowdown_cycles, TCPD_STAT_COUNTER,                                                      \
	  "TSC cycles busy-waited by --cpu-slowdown (lab: an emulated slower CPU; in "             \
	  "busy_cycles)")

/** Parsing and ARP/ICMP, written by lib/net callers. Every drop reason has its own counter. */
#define TCPD_STATS_NET(X)                                                                          \
	X(drop_truncated, TCPD_STAT_COUNTER,                                                       \
	  "frame shorter than its Ethernet, IPv4 or ARP header")                                   \
	X(drop_vlan, TCPD_STAT_COUNTER, "VLAN-tagged frame")                                       \
	X(drop_ethertype, TCPD_STAT_COUNTER, "unsupported ethertype")                              \
	X(drop_not_for_us, TCPD_STAT_COUNTER,                                                      \
	  "destination MAC (any family) or IPv4 address not ours, IPv4 to the broadcast MAC; ARP " \
	  "replies, gratuitous ARPs, requests for another address")                                \
	X(drop_ip_version, TCPD_STAT_COUNTER, "IP version not that of the ethertype (4 or 6)")     \
	X(drop_ip_hdr_len, TCPD_STAT_COUNTER, "IPv4 IHL below 5 or beyond the frame")              \
	X(drop_ip_len, TCPD_STAT_COUNTER,                                                          \
	  "IPv4 total length beyond the frame, below the IPv4 header, or below the TCP/ICMP "      \
	  "header")                                                                                \
	X(drop_ip_cksum, TCPD_STAT_COUNTER, "bad IPv4 header checksum")                            \
	X(drop_ip_src, TCPD_STAT_COUNTER, "IPv4 source 0.0.0.0, broadcast, multicast or ours")     \
	X(drop_oversize, TCPD_STAT_COUNTER, "IPv4 datagram longer than the MTU")                   \
	X(drop_fragment, TCPD_STAT_COUNTER, "IPv4 fragment")                                       \
	X(drop_ip_proto, TCPD_STAT_COUNTER, "IP protocol other than TCP and ICMP")                 \
	X(drop_tcp_hdr_len, TCPD_STAT_COUNTER, "TCP data offset below 5 or beyond the segment")    \
	X(drop_tcp_opt, TCPD_STAT_COUNTER, "TCP option length malformed or wrong for its kind")    \
	X(drop_tcp_cksum, TCPD_STAT_COUNTER, "bad TCP checksum (IPv4 or IPv6)")                    \
	X(drop_tcp_flags, TCPD_STAT_COUNTER,                                                       \
	  "SYN+FIN without ACK to a listener or a TIME-WAIT entry, dropped (as Linux; lib/tcp)")   \
	X(drop_tcp_port, TCPD_STAT_COUNTER, "TCP source or destination port 0")                    \
	X(drop_icmp, TCPD_STAT_COUNTER, "ICMP other than echo request and TCP's errors")           \
	X(drop_icmp_cksum, TCPD_STAT_COUNTER, "bad ICMP checksum")                                 \
	X(drop_icmp_quote, TCPD_STAT_COUNTER,                                                      \
	  "ICMP fragmentation needed or ICMPv6 packet too big not quoting a TCP segment from "     \
	  "our address")                                                                           \
	X(drop_icmp_conn, TCPD_STAT_COUNTER,                                                       \
	  "ICMP error quoting a segment of no connection (of this worker) or a sequence number "   \
	  "outside SND.UNA..SND.NXT-1 (RFC 5927 4.1)")                                             \
	X(drop_icmp_mtu_large, TCPD_STAT_COUNTER,                                                  \
	  "ICMP fragmentation needed or packet too big whose MTU does not lower the segment size") \
	X(drop_icmp_hard, TCPD_STAT_COUNTER,                                                       \
	  "ICMP hard error for a synchronized connection: ignored (RFC 5927 5.2)")                 \
	X(icmp_hard_abort, TCPD_STAT_COUNTER,                                                      \
	  "ICMP hard error for our SYN or SYN-ACK that ended the connection (RFC 9293 3.9.2.2)")   \
	X(icmp_mtu_lowered, TCPD_STAT_COUNTER,                                                     \
	  "ICMP fragmentation needed or packet too big that lowered a connection's segment size "  \
	  "(RFC 1191, RFC 8201)")                                                                  \
	X(icmp_handoff, TCPD_STAT_COUNTER,                                                         \
	  "ICMP(v6) error quoting a segment whose tuple RSS gives to another worker: handed to "   \
	  "that worker's inbox")                                                                   \
	X(icmp_handoff_rx, TCPD_STAT_COUNTER,                                                      \
	  "ICMP(v6) errors handed over by another worker, processed here (counted then as if "     \
	  "received here)")                                                                        \
	X(drop_icmp_handoff, TCPD_STAT_COUNTER,                                                    \
	  "ICMP(v6) error for another worker's connection: that worker's inbox full")              \
	X(drop_arp, TCPD_STAT_COUNTER,                                                             \
	  "ARP not Ethernet/IPv4, or opcode neither request nor reply")                            \
	X(arp_rx, TCPD_STAT_COUNTER, "ARP requests for our address")                               \
	X(arp_reply_rx, TCPD_STAT_COUNTER, "ARP replies to our address (client mode next hop)")    \
	X(arp_tx, TCPD_STAT_COUNTER, "ARP replies, requests and gratuitous ARPs sent")             \
	X(icmp_echo_rx, TCPD_STAT_COUNTER, "ICMP echo requests")                                   \
	X(icmp_echo_tx, TCPD_STAT_COUNTER, "ICMP echo replies")                                    \
	X(drop_ip6_truncated, TCPD_STAT_COUNTER,                                                   \
	  "IPv6 frame shorter than its Ethernet and 40-byte IPv6 headers")                         \
	X(drop_ip6_len, TCPD_STAT_COUNTER,                                                         \
	  "IPv6 payload length beyond the frame, 0 (jumbogram), or shorter than the headers it "   \
	  "announces")                                                                             \
	X(drop_ip6_oversize, TCPD_STAT_COUNTER, "IPv6 packet longer than the MTU")                 \
	X(drop_ip6_src, TCPD_STAT_COUNTER,                                                         \
	  "IPv6 source multicast, loopback, IPv4-mapped or ours; unspecified (::) but in a "       \
	  "duplicate address detection NS")                                                        \
	X(drop_ip6_not_for_us, TCPD_STAT_COUNTER,                                                  \
	  "IPv6 destination not ours, multicast other than ND to our solicited-node groups or "    \
	  "all-nodes, or a MAC that does not match the destination")                               \
	X(drop_ip6_ext_chain, TCPD_STAT_COUNTER,                                                   \
	  "IPv6 extension headers: hop-by-hop not first, or more than 8 headers")                  \
	X(drop_ip6_ext_len, TCPD_STAT_COUNTER, "IPv6 extension header running past the payload")   \
	X(drop_ip6_opt, TCPD_STAT_COUNTER,                                                         \
	  "IPv6 hop-by-hop or destination option malformed, to be discarded (RFC 8200 4.2: "       \
	  "unknown, action not skip; jumbo payload), padding over 7 bytes or not zero, more than " \
	  "8 options")                                                                             \
	X(drop_ip6_routing, TCPD_STAT_COUNTER, "IPv6 routing header with segments left")           \
	X(drop_ip6_frag, TCPD_STAT_COUNTER, "IPv6 fragment (fragment header)")                     \
	X(drop_ip6_proto, TCPD_STAT_COUNTER,                                                       \
	  "IPv6 next header other than TCP and ICMPv6: ESP, AH, no next header, UDP, unknown")     \
	X(drop_icmp6, TCPD_STAT_COUNTER,                                                           \
	  "ICMPv6 other than echo request (code 0), neighbour solicitation and advertisement")     \
	X(drop_icmp6_len, TCPD_STAT_COUNTER,                                                       \
	  "ICMPv6 message shorter than its header: echo below 8 bytes, NS or NA below 24")         \
	X(drop_icmp6_cksum, TCPD_STAT_COUNTER, "bad ICMPv6 checksum (echo, NS, NA)")               \
	X(drop_icmp6_mcast, TCPD_STAT_COUNTER, "ICMPv6 echo request to a multicast address")       \
	X(drop_nd_hop_limit, TCPD_STAT_COUNTER, "NS or NA with a hop limit other than 255")        \
	X(drop_nd_code, TCPD_STAT_COUNTER, "NS or NA with an ICMPv6 code other than 0")            \
	X(drop_nd_opt, TCPD_STAT_COUNTER,                                                          \
	  "NS or NA option of length 0 or running past the message")                               \
	X(drop_nd_invalid, TCPD_STAT_COUNTER,                                                      \
	  "NS or NA failing RFC 4861 7.1: multicast target, NS from :: not to a solicited-node "   \
	  "group or with a source link-layer option, NA to multicast with Solicited set")          \
	X(drop_nd_not_ours, TCPD_STAT_COUNTER, "NS for an address that is not ours")               \
	X(drop_nd_no_lla, TCPD_STAT_COUNTER,                                                       \
	  "NA without a target link-layer address: nothing to learn")                              \
	X(icmp6_echo_rx, TCPD_STAT_COUNTER, "ICMPv6 echo requests")                                \
	X(icmp6_echo_tx, TCPD_STAT_COUNTER, "ICMPv6 echo replies")                                 \
	X(nd_ns_rx, TCPD_STAT_COUNTER, "neighbour solicitations for our addresses")                \
	X(nd_na_tx, TCPD_STAT_COUNTER, "neighbour advertisements sent (solicited, unsolicited)")   \
	X(nd_ns_tx, TCPD_STAT_COUNTER, "neighbour solicitations sent (next hop resolution)")       \
	X(nd_na_rx, TCPD_STAT_COUNTER, "neighbour advertisements with a link-layer address")       \
	X(tcp6_rx, TCPD_STAT_COUNTER, "TCP segments over IPv6 (also in rx_pkts)")

/** SYN cookies, written by lib/tcp. */
#define TCPD_STATS_COOKIE(X)                                                                       \
	X(syn_rx, TCPD_STAT_COUNTER, "SYNs to a listening port")                                   \
	X(cookie_sent, TCPD_STAT_COUNTER, "SYN-ACKs carrying a cookie")                            \
	X(cookie_ok, TCPD_STAT_COUNTER, "ACKs with a valid cookie (connection created)")           \
	X(cookie_bad, TCPD_STAT_COUNTER, "ACKs with an invalid cookie")                            \
	X(cookie_expired, TCPD_STAT_COUNTER, "ACKs with a cookie older than its window")           \
	X(cookie_syn_rcvd, TCPD_STAT_COUNTER,                                                      \
	  "ACKs in SYN-RECEIVED acknowledging an earlier cookie SYN-ACK of the same SYN: the "     \
	  "entry takes the cookie's values (also counted in cookie_ok)")                           \
	X(synq_full, TCPD_STAT_COUNTER, "SYNs past synq_limit (cookie sent, or dropped if off)")   \
	X(syn_shed, TCPD_STAT_COUNTER,                                                             \
	  "SYNs dropped unanswered by admission control (syn_shed): RX saturated and this "        \
	  "interval's admissions used up (in a deep poll, before parsing)")                        \
	X(syn_shed_refused, TCPD_STAT_COUNTER,                                                     \
	  "SYNs admission control refused with a RST instead (syn_shed_refuse), also in rst_tx")   \
	X(rx_backlog, TCPD_STAT_COUNTER,                                                           \
	  "polls that found TCPD_RX_DEEP frames or more waiting in the RX queue (rx_deep)")

/** Connections and the state machine, written by lib/tcp. */
#define TCPD_STATS_TCP(X)                                                                          \
	X(conn_live, TCPD_STAT_GAUGE, "connections in the table")                                  \
	X(conn_half_open, TCPD_STAT_GAUGE, "connections in SYN-RECEIVED")                          \
	X(conn_live6, TCPD_STAT_GAUGE, "connections over IPv6 in the table (also in conn_live)")   \
	X(ip6_peers, TCPD_STAT_GAUGE, "IPv6 peer addresses interned: each has a connection")       \
	X(ip6_intern_full, TCPD_STAT_COUNTER,                                                      \
	  "IPv6 SYN or cookie ACK refused: the peer address table is full (as table_full)")        \
	X(conn_opened, TCPD_STAT_COUNTER, "connections that reached ESTABLISHED")                  \
	X(conn_closed, TCPD_STAT_COUNTER, "connections removed from the table")                    \
	X(table_full, TCPD_STAT_COUNTER,                                                           \
	  "no entry free, none reclaimable: SYN gets a cookie (auto) or is dropped, a valid "      \
	  "cookie ACK gets a RST (cookie_no_room)")                                                \
	X(rst_rx, TCPD_STAT_COUNTER, "RSTs accepted: connection reset by the peer")                \
	X(rst_tx, TCPD_STAT_COUNTER, "RSTs sent")                                                  \
	X(rst_ratelimited, TCPD_STAT_COUNTER,                                                      \
	  "RSTs not sent, rst_rate exceeded: closed port, listener, bad cookie or SYN-RCVD ACK")   \
	X(rst_time_wait, TCPD_STAT_COUNTER, "RSTs ignored in TIME-WAIT (RFC 1337)")                \
	X(drop_rst_out_of_window, TCPD_STAT_COUNTER, "RSTs outside the receive window, dropped")   \
	X(challenge_ack, TCPD_STAT_COUNTER, "challenge ACKs sent (RFC 5961: in-window RST, SYN)")  \
	X(challenge_ack_limited, TCPD_STAT_COUNTER,                                                \
	  "challenge ACKs not sent: per-connection limit")                                         \
	X(retransmit, TCPD_STAT_COUNTER, "segments retransmitted (SYN-ACK, data, FIN)")            \
	X(fast_retransmit, TCPD_STAT_COUNTER,                                                      \
	  "fast retransmits: third duplicate ACK (RFC 5681 3.2) or partial ACK (RFC 6582)")        \
	X(syn_retransmit_rx, TCPD_STAT_COUNTER,                                                    \
	  "retransmitted SYNs on SYN-RECEIVED, SYN-ACK resent")                                    \
	X(handshake_undo, TCPD_STAT_COUNTER,                                                       \
	  "handshakes whose SYN or SYN-ACK was sent again but whose answer echoed the first "      \
	  "one's timestamp: the initial window kept (RFC 5681 3.1 applies to a lost SYN)")         \
	X(rto_expired, TCPD_STAT_COUNTER,                                                          \
	  "retransmission (or persist) timer expiries that sent again (RFC 6298 5.4)")             \
	X(rto_timeout, TCPD_STAT_COUNTER, "connections reset after rto_retries retransmissions")   \
	X(sws_wait, TCPD_STAT_COUNTER,                                                             \
	  "new data held back by silly window avoidance (RFC 9293 3.8.6.2.1): the peer's window "  \
	  "allowed less than a segment, less than all queued data and less than half the "         \
	  "largest window it offered")                                                             \
	X(sws_override, TCPD_STAT_COUNTER,                                                         \
	  "silly window avoidance's override timeouts: nothing in flight, what the window allows " \
	  "sent")                                                                                  \
	X(syn_rcvd_timeout, TCPD_STAT_COUNTER, "SYN-RECEIVED entries removed after rto_retries")   \
	X(drop_out_of_window, TCPD_STAT_COUNTER, "unacceptable segments, answered with an ACK")    \
	X(drop_paws, TCPD_STAT_COUNTER,                                                            \
	  "segments older than TS.Recent (PAWS), answered with an ACK")                            \
	X(oow_ack_limited, TCPD_STAT_COUNTER,                                                      \
	  "ACKs not sent to PAWS or out-of-window segments without data or FIN: one per 500 ms "   \
	  "per connection (Linux tcp_invalid_ratelimit)")                                          \
	X(dupack_ooo, TCPD_STAT_COUNTER,                                                           \
	  "out-of-order segments: acknowledged at once (SACK blocks when negotiated)")             \
	X(ooo_queued, TCPD_STAT_COUNTER, "out-of-order segments kept in the reassembly queue")     \
	X(ooo_delivered, TCPD_STAT_COUNTER,                                                        \
	  "queued out-of-order segments given to the application once the hole filled")            \
	X(ooo_dup, TCPD_STAT_COUNTER, "out-of-order segments already held (D-SACK)")               \
	X(ooo_overlap, TCPD_STAT_COUNTER,                                                          \
	  "segments repeating data held out of order in part (beyond RCV.NXT: the rest kept; in "  \
	  "order: the held copy skipped); the overlap D-SACKed (RFC 2883 4)")                      \
	X(ooo_drop_budget, TCPD_STAT_COUNTER,                                                      \
	  "out-of-order segments not kept: per-lcore mbuf budget (pool / 8), or no record")        \
	X(ooo_drop_conn, TCPD_STAT_COUNTER,                                                        \
	  "out-of-order segments not kept: the connection holds twice its window in full "         \
	  "segments (small segments)")                                                             \
	X(ooo_purged, TCPD_STAT_COUNTER,                                                           \
	  "out-of-order mbufs freed because the mbuf pool ran low (reneging, RFC 2018 8)")         \
	X(ext_no_record, TCPD_STAT_COUNTER,                                                        \
	  "no reassembly/SACK record free on the lcore: data not kept or SACK ignored")            \
	X(dsack_tx, TCPD_STAT_COUNTER, "D-SACK blocks sent for duplicate data (RFC 2883)")         \
	X(sack_rx, TCPD_STAT_COUNTER, "ACKs whose SACK blocks reported new data (RFC 2018)")       \
	X(sack_recovery, TCPD_STAT_COUNTER, "loss recoveries driven by the scoreboard (RFC 6675)") \
	X(sack_retransmit, TCPD_STAT_COUNTER,                                                      \
	  "segments retransmitted from the SACK scoreboard (holes, RFC 6675 NextSeg)")             \
	X(sack_rxt_lost, TCPD_STAT_COUNTER,                                                        \
	  "retransmissions found lost in recovery (data sent after them SACKed): sent again"       \
	  " without waiting for the RTO")                                                          \
	X(sack_reo_timeout, TCPD_STAT_COUNTER,                                                     \
	  "holes below SACKed data declared lost after a quarter SRTT without 3 DupAcks (RACK)")   \
	X(sack_undo, TCPD_STAT_COUNTER,                                                            \
	  "recoveries undone: the first ACK echoed a timestamp older than the retransmission "     \
	  "(reordering, RFC 3522)")                                                                \
	X(cc_loss_random, TCPD_STAT_COUNTER,                                                       \
	  "loss events (fast retransmit, RTO) with SRTT within 2 ms of the lowest RTT: taken for " \
	  "random loss, ssthresh = the flight (no reduction)")                                     \
	X(cc_loss_queue, TCPD_STAT_COUNTER,                                                        \
	  "loss events with a queue on the path (or no timestamps): ssthresh = 0.7 x the flight")  \
	X(limited_transmit, TCPD_STAT_COUNTER,                                                     \
	  "new segments sent on the first two duplicate ACKs (RFC 3042)")                          \
	X(tlp_probe, TCPD_STAT_COUNTER,                                                            \
	  "tail-loss probes: no ACK for 2 SRTT with data outstanding, one segment sent (new data," \
	  " the last one again, or in recovery the hole at SND.UNA) instead of waiting for the "   \
	  "RTO (RFC 8985 7)")                                                                      \
	X(dsack_rx, TCPD_STAT_COUNTER,                                                             \
	  "D-SACK blocks received: data the peer got twice, a spurious retransmission or a "       \
	  "duplicating path (RFC 2883)")                                                           \
	X(ooo_fin, TCPD_STAT_COUNTER,                                                              \
	  "FINs received beyond RCV.NXT, kept until the data before them arrived")                 \
	X(ooo_after_fin, TCPD_STAT_COUNTER,                                                        \
	  "out-of-order segments (or their tails) past the peer's FIN: not kept, or freed when "   \
	  "the FIN came (no data follows a FIN)")                                                  \
	X(no_listener, TCPD_STAT_COUNTER,                                                          \
	  "segments to a port without listener: RST unless a RST (RFC 9293 3.10.7.1)")             \
	X(drop_no_conn, TCPD_STAT_COUNTER,                                                         \
	  "ACK or RST to a listener, no connection nor cookie check: RST unless a RST")            \
	X(drop_bad_ack, TCPD_STAT_COUNTER,                                                         \
	  "unacceptable ACKs: RST in SYN-RECEIVED, else a challenge ACK (RFC 5961 5.2)")           \
	X(drop_no_ack, TCPD_STAT_COUNTER,                                                          \
	  "segment without ACK, SYN or RST to a listener or connection (RFC 9293 "                 \
	  "3.10.7.2/3.10.7.4)")                                                                    \
	X(drop_syn_rcvd, TCPD_STAT_COUNTER, "other SYN on a SYN-RECEIVED entry: entry removed")    \
	X(drop_data_closed, TCPD_STAT_COUNTER, "data after the peer's FIN, ignored")               \
	X(drop_data_refused, TCPD_STAT_COUNTER,                                                    \
	  "acceptable segments whose data was not all taken: past the receive window's edge (a "   \
	  "zero-window probe's octet too) or refused by the application (echo's queue bound, "     \
	  "http's bound on unacknowledged responses); the rest, and a FIN after it, dropped")      \
	X(drop_time_wait_syn, TCPD_STAT_COUNTER,                                                   \
	  "SYNs to TIME-WAIT not newer (RFC 6191), answered with an ACK")                          \
	X(time_wait_reuse, TCPD_STAT_COUNTER, "TIME-WAIT entries reused by a new SYN (RFC 6191)")  \
	X(time_wait_ignored, TCPD_STAT_COUNTER,                                                    \
	  "acceptable segments to TIME-WAIT other than the FIN's retransmission (a late ACK, "     \
	  "data or a FIN past RCV.NXT): nothing to do, freed (RFC 9293 3.10.7.4)")                 \
	X(time_wait_expired, TCPD_STAT_COUNTER, "TIME-WAIT entries expired")                       \
	X(fin_wait2_timeout, TCPD_STAT_COUNTER,                                                    \
	  "FIN-WAIT-2 connections dropped after the timeout")                                      \
	X(idle_timeout, TCPD_STAT_COUNTER,                                                         \
	  "connections reset after idle_timeout (or http_keepalive)")                              \
	X(closing_reclaimed, TCPD_STAT_COUNTER,                                                    \
	  "table full: oldest closing connection (FIN-WAIT-*, CLOSING, LAST-ACK, TIME-WAIT) "      \
	  "removed for a new one (RST unless TIME-WAIT)")                                          \
	X(idle_reclaimed, TCPD_STAT_COUNTER,                                                       \
	  "table full, no closing connection: the one quiet longest since its application "        \
	  "answered (10 ms + 4 SRTT at least: idle keep-alive, or no ACK/FIN came) reset for a "   \
	  "new one")                                                                               \
	X(stalled_reclaimed, TCPD_STAT_COUNTER,                                                    \
	  "table full, no closing or quiet connection: a synchronized one whose peer left our "    \
	  "last retransmission unanswered reset for a new one (sampled)")                          \
	X(time_wait_overflow, TCPD_STAT_COUNTER,                                                   \
	  "connections removed instead of entering TIME-WAIT: no TIME-WAIT entry could be made")   \
	X(time_wait_evicted, TCPD_STAT_COUNTER,                                                    \
	  "TIME-WAIT entries ended early for a newer one: max_time_wait of them made within "      \
	  "time_wait seconds")                                                                     \
	X(last_ack_shed, TCPD_STAT_COUNTER,                                                        \
	  "LAST-ACK timer expiries that sent nothing, the RX path saturated: only our FIN "        \
	  "unacknowledged (no probe, no retransmission; the back-off goes on)")                    \
	X(cookie_no_room, TCPD_STAT_COUNTER,                                                       \
	  "valid cookie ACKs refused with a RST (never rate limited: the peer proved its "         \
	  "address): table full of live connections")                                              \
	X(http_requests, TCPD_STAT_COUNTER, "HTTP requests answered")                              \
	X(http_bad_content_length, TCPD_STAT_COUNTER,                                              \
	  "HTTP requests refused (400, then close): invalid Content-Length (not digits, over 15 "  \
	  "digits, different values, a bare CR)")                                                  \
	X(http_bad_transfer_encoding, TCPD_STAT_COUNTER,                                           \
	  "HTTP requests refused (400, then close): Transfer-Encoding whose final coding is not "  \
	  "chunked, or chunked twice")                                                             \
	X(http_te_and_content_length, TCPD_STAT_COUNTER,                                           \
	  "HTTP requests refused (400, then close): both Transfer-Encoding and Content-Length")    \
	X(http_bad_chunk, TCPD_STAT_COUNTER,                                                       \
	  "HTTP requests refused (400, then close): a chunk size not hex or over 2^60, a chunk "   \
	  "line or chunk data not ended by CR LF")                                                 \
	X(http_obs_fold, TCPD_STAT_COUNTER,                                                        \
	  "HTTP requests refused (400, then close): a header line folded (starts with SP or "      \
	  "HTAB)")                                                                                 \
	X(http_continue, TCPD_STAT_COUNTER,                                                        \
	  "HTTP 100 (Continue) responses sent: every request's on a connection whose first "       \
	  "request carried Expect: 100-continue, and one for such a request on another")           \
	X(http_expect_close, TCPD_STAT_COUNTER,                                                    \
	  "HTTP requests with Expect: 100-continue on a connection whose first request had none: " \
	  "answered 100, then the closing response")                                               \
	X(data_rx_bytes, TCPD_STAT_COUNTER, "in-order payload bytes accepted")                     \
	X(data_tx_bytes, TCPD_STAT_COUNTER, "payload bytes sent, retransmissions included")

/** Active opens (client mode), written by lib/tcp. */
#define TCPD_STATS_ACTIVE(X)                                                                       \
	X(syn_sent, TCPD_STAT_COUNTER, "active opens: first SYNs sent")                            \
	X(conn_connected, TCPD_STAT_COUNTER, "active opens that reached ESTABLISHED")              \
	X(connect_refused, TCPD_STAT_COUNTER, "active opens refused: RST to our SYN")              \
	X(syn_sent_timeout, TCPD_STAT_COUNTER, "active opens given up after rto_retries SYNs")     \
	X(drop_syn_sent, TCPD_STAT_COUNTER,                                                        \
	  "segments in SYN-SENT without an acceptable ACK, or without SYN and RST (RST sent if "   \
	  "it had an ACK)")                                                                        \
	X(time_wait_reuse_own, TCPD_STAT_COUNTER,                                                  \
	  "our TIME-WAIT tuples taken over by a new active open (timestamps, as tcp_tw_reuse)")    \
	X(connect_busy, TCPD_STAT_COUNTER, "active opens refused: tuple in use, not reusable")     \
	X(conn_aborted, TCPD_STAT_COUNTER, "connections reset by the application (abort)")

#define TCPD_STATS_ALL(X)                                                                          \
	TCPD_STATS_IO(X)                                                                           \
	TCPD_STATS_NET(X)                                                                          \
	TCPD_STATS_COOKIE(X)                                                                       \
	TCPD_STATS_TCP(X)                                                                          \
	TCPD_STATS_ACTIVE(X)

/** Counter indexes: TCPD_STAT_rx_pkts, TCPD_STAT_drop_truncated, ... */
enum tcpd_stat {
#define TCPD_STAT_ENUM_(name, kind, help) TCPD_STAT_##name,
	TCPD_STATS_ALL(TCPD_STAT_ENUM_)
#undef TCPD_STAT_ENUM_
	TCPD_STAT_MAX
};

/**
 * Per-state gauges: slot i counts the connections in state i of lib/tcp's enum tcpd_tcp_state.
 * Slot 0 (CLOSED) is never counted. lib/stats knows only how many slots there are.
 */
#define TCPD_STATS_NSTATES 16

/** One worker's counters; cache aligned so no two workers share a line. */
struct tcpd_stats {
	uint64_t c[TCPD_STAT_MAX];	    /**< indexed by enum tcpd_stat */
	uint64_t state[TCPD_STATS_NSTATES]; /**< connections per TCP state (gauges) */
} __rte_cache_aligned;

/** Add @p n to counter @p idx; single writer, so a relaxed store of the sum is enough. */
static inline void
tcpd_stats_add(struct tcpd_stats *s, enum tcpd_stat idx, uint64_t n)
{
	__atomic_store_n(&s->c[idx], s->c[idx] + n, __ATOMIC_RELAXED);
}

/** Increment counter @p idx. */
static inline void
tcpd_stats_inc(struct tcpd_stats *s, enum tcpd_stat idx)
{
	tcpd_stats_add(s, idx, 1);
}

/** Decrement a gauge. */
static inline void
tcpd_stats_dec(struct tcpd_stats *s, enum tcpd_stat idx)
{
	__atomic_store_n(&s->c[idx], s->c[idx] - 1, __ATOMIC_RELAXED);
}

/** Move one connection from state gauge @p from to @p to (either may be 0, not counted). */
static inline void
tcpd_stats_state_move(struct tcpd_stats *s, unsigned int from, unsigned int to)
{
	if (from != 0)
		__atomic_store_n(&s->state[from], s->state[from] - 1, __ATOMIC_RELAXED);
	if (to != 0)
		__atomic_store_n(&s->state[to], s->state[to] + 1, __ATOMIC_RELAXED);
}

/** Read one counter from another thread. */
static inline uint64_t
tcpd_stats_read(const struct tcpd_stats *s, enum tcpd_stat idx)
{
	return __atomic_load_n(&s->c[idx], __ATOMIC_RELAXED);
}

/** Telemetry key of counter @p idx (e.g. "drop_truncated"), NULL if out of range. */
const char *tcpd_stats_name(enum tcpd_stat idx);

/** Help text of counter @p idx. */
const char *tcpd_stats_help(enum tcpd_stat idx);

/** TCPD_STAT_COUNTER or TCPD_STAT_GAUGE. */
int tcpd_stats_kind(enum tcpd_stat idx);

/**
 * Sum @p n workers' counters into @p out with relaxed loads (no lock; values may be one burst
 * apart between workers).
 */
void tcpd_stats_sum(struct tcpd_stats *out, const struct tcpd_stats *const *in, unsigned int n);

/** Copy one worker's counters with relaxed loads. */
void tcpd_stats_snapshot(struct tcpd_stats *out, const struct tcpd_stats *in);

#endif /* TCPD_STATS_H */
