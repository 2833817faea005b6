#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Frames longer than the link MTU. Echo requests larger than the MTU leave the namespace as IP
# fragments; net_af_packet's fanout socket (PACKET_FANOUT_FLAG_DEFRAG, set by the PMD for every
# queue) reassembles them in the kernel, so the daemon receives one frame longer than the MTU
# (1642 bytes for ping -s 1600). It must not answer with a frame the link cannot carry (the veth
# drops it, a NIC would too): one counted drop, no reply. A 3000-byte request is reassembled past
# the PMD's 2048-byte frame slot and arrives truncated (drop_ip_len).
#
. "$(dirname "$0")/lib.sh"
tl_init lbig
tl_need_daemon
tl_need ping

daemon_start || finish
for size in 1600 3000; do
	before=$(tele /tcpd/stats)
	nsx ping -n -c 1 -W 1 -s $size "$DAEMON_IP" >/dev/null 2>&1
	after=$(tele /tcpd/stats)
	d=$(python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
drops = lambda d: sum(v for k, v in d.items() if k.startswith("drop_") and isinstance(v, int))
print(b["icmp_echo_tx"] - a["icmp_echo_tx"], b["drop_oversize"] - a["drop_oversize"],
      drops(b) - drops(a), (b["tx_pkts"] - a["tx_pkts"]) - (b["arp_tx"] - a["arp_tx"]))' "$before" "$after")
	# The first ping may need an ARP exchange: only non-ARP frames count as sent.
	if [ $size = 1600 ]; then want="0 1 1 0"; else want="0 0 1 0"; fi
	check_eq "ping -s $size (beyond the MTU): replies, drop_oversize, drops, non-ARP frames sent" "$d" "$want"
done
daemon_stop
finish
