#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tools/tcpd-flood against the Linux kernel (no daemon needed): the lab's host end moves into a
# second namespace that plays the server (198.18.0.1, listener on :80, tcp_syncookies=2), so
# every SYN the flood sends must come out as exactly one cookie SYN-ACK. Checks: counts and
# time/rate bounds are kept, checksums are valid (tshark and the kernel's TcpInCsumErrors),
# sources stay inside the prefix and vary, the flooding namespace's kernel sends no RST, and
# addresses outside 198.18.0.0/15 are refused.
. "$(dirname "$0")/lib.sh"
tl_init lfk
tl_need_flood
tl_need tcpdump tshark nstat

K=tcpd-lfk-srv
ip netns del "$K" 2>/dev/null
tl_on_exit "ip netns del $K"
if ! ip netns add "$K" || ! ip link set "$LAB_HOST_IF" netns "$K"; then
	not_ok "server namespace $K"
	finish
fi
kx() { ip netns exec "$K" "$@"; }
kx ip link set lo up
kx ip addr add 198.18.0.1/15 dev "$LAB_HOST_IF"
kx ip link set "$LAB_HOST_IF" up
kx sysctl -qw net.ipv4.tcp_syncookies=2
ip netns exec "$K" python3 -c '
import socket, time
s = socket.socket()
s.bind(("198.18.0.1", 80))
s.listen(16)
time.sleep(120)' &
listener=$!
tl_on_exit "kill $listener"
wait_for 5 kx bash -c "ss -ltnH | grep -q '198.18.0.1:80'" || not_ok "kernel listener up"

fl() { nsx "$TCPD_FLOOD" --iface "$LAB_NS_IF" --dst-mac "$LAB_HOST_MAC" "$@"; }

# 1. Refusals: nothing outside 198.18.0.0/15, mandatory bounds.
for args in "--dst-ip 10.0.0.1 --count 1 --seconds 1" \
	"--dst-ip 198.18.0.1 --src 10.1.0.0/16 --count 1 --seconds 1" \
	"--dst-ip 198.18.0.1 --src 198.16.0.0/13 --count 1 --seconds 1" \
	"--dst-ip 198.20.0.1 --count 1 --seconds 1" \
	"--dst-ip 198.18.0.1 --count 1" "--dst-ip 198.18.0.1 --seconds 1"; do
	# shellcheck disable=SC2086
	out=$(fl $args 2>&1)
	rc=$?
	check_eq "refused: $args" "$rc:$(grep -c '^sent=' <<<"$out")" 2:0
done

# 2. 2000 SYNs captured on the server side: exact count, valid checksums, sources in prefix.
pcap=$TL_WORK/syn.pcap
ip netns exec "$K" tcpdump -ni "$LAB_HOST_IF" -w "$pcap" -c 2000 'tcp[tcpflags] == tcp-syn' 2>/dev/null &
tcpdump_pid=$!
tl_on_exit "kill $tcpdump_pid"
sleep 1
kx nstat -n
nsx nstat -n
out=$(fl --dst-ip 198.18.0.1 --src 198.19.0.0/16 --count 2000 --seconds 10 --quiet)
check_eq "2000 SYNs sent" "$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' <<<"$out")" 2000
timeout 10 tail --pid=$tcpdump_pid -f /dev/null
# tshark 4.0: checksum status 1 is "Good" (0 bad, 2 unverified).
summary=$(tshark -r "$pcap" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
	-T fields -e ip.src -e tcp.srcport -e ip.checksum.status -e tcp.checksum.status \
	-e tcp.options.mss_val -e tcp.options.wscale.shift -e tcp.options.sack_perm \
	-e tcp.options.timestamp.tsval 2>/dev/null | python3 -c '
import sys, ipaddress
net = ipaddress.ip_network("198.19.0.0/16")
rows = [l.rstrip("\n").split("\t") for l in sys.stdin]
srcs = {r[0] for r in rows}
print(len(rows),
      sum(ipaddress.ip_address(r[0]) in net for r in rows),
      len(srcs) > 1900, len({r[1] for r in rows}) > 1500,
      sum(r[2] == "1" for r in rows), sum(r[3] == "1" for r in rows),
      sum(r[4] == "1460" and r[5] == "7" and r[6] != "" and r[7] != "" for r in rows))')
read -r n in_net many_src many_port ip_ok tcp_ok opts <<<"$summary"
check_eq "captured 2000 SYNs" "$n" 2000
check_eq "every source inside 198.19.0.0/16" "$in_net" 2000
check_eq "sources vary (>1900 distinct)" "$many_src" True
check_eq "source ports vary (>1500 distinct)" "$many_port" True
check_eq "IPv4 checksums valid (tshark)" "$ip_ok" 2000
check_eq "TCP checksums valid (tshark)" "$tcp_ok" 2000
check_eq "Linux options (MSS 1460, SACK-permitted, TS, wscale 7)" "$opts" 2000
sleep 1
ks=$(kx nstat -a -z TcpInSegs TcpExtSyncookiesSent TcpInCsumErrors TcpInErrs | awk 'NR>1 {print $1 "=" $2}' | sort | tr '\n' ' ')
check_eq "kernel server: 2000 segments, 2000 cookies, no checksum error" "$ks" \
	"TcpExtSyncookiesSent=2000 TcpInCsumErrors=0 TcpInErrs=0 TcpInSegs=2000 "
check_eq "flooding namespace's kernel sent no RST" \
	"$(nsx nstat -a -z TcpOutRsts | awk '/TcpOutRsts/ {print $2}')" 0

# 3. Bounds: --seconds stops a large --count; --rate paces; --count stops early.
out=$(fl --dst-ip 198.18.0.1 --count 100000000 --seconds 1 --quiet)
secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
check "--seconds 1 stops after 1 s (got $out)" python3 -c "import sys; sys.exit(not 0.99 <= $secs < 1.5)"
out=$(fl --dst-ip 198.18.0.1 --count 100000000 --seconds 2 --rate 1000 --quiet)
sent=$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' <<<"$out")
check "--rate 1000 for 2 s sends 2000 +- 5% (got $out)" python3 -c "import sys; sys.exit(not 1900 <= $sent <= 2100)"
out=$(fl --dst-ip 198.18.0.1 --count 5 --seconds 100 --quiet)
check_eq "--count 5 sends 5 ($out)" "$(sed -n 's/^sent=\([0-9]*\) .*/\1/p' <<<"$out")" 5

# 4. ACK mode: bare ACKs, no options.
ip netns exec "$K" tcpdump -ni "$LAB_HOST_IF" -w "$TL_WORK/ack.pcap" -c 100 'tcp[tcpflags] == tcp-ack' 2>/dev/null &
tcpdump_pid=$!
tl_on_exit "kill $tcpdump_pid"
sleep 1
fl --dst-ip 198.18.0.1 --ack --count 100 --seconds 5 --quiet >/dev/null
timeout 10 tail --pid=$tcpdump_pid -f /dev/null
check_eq "--ack: 100 ACKs with valid checksums" "$(tshark -r "$TL_WORK/ack.pcap" \
	-o tcp.check_checksum:TRUE -Y 'tcp.checksum.status == 1 && tcp.flags == 0x010 && tcp.hdr_len == 20' 2>/dev/null | wc -l)" 100

# 5. Full speed for the record (bounded).
out=$(fl --dst-ip 198.18.0.1 --count 1000000 --seconds 2 --quiet)
echo "# full speed into the kernel: $out"
finish
