#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 15: a SYN flood over IPv6 while curl -6 is served. The daemon owns 2001:2::1/64 with
# --syncookies auto, a small table (--max-conns 256) and --synq-limit 32; tools/tcpd-flood sends
# SYNs from spoofed sources in 2001:2:0:ff::/64 (RFC 5180's 2001:2::/48, inside the namespace
# only), bounded in count and time, while 200 curl -6 requests run 10 at a time. The flood's
# first 32 SYNs fill the SYN-RECEIVED quota (their SYN-ACKs go to addresses nobody owns, so they
# stay half-open for the whole test); every later SYN, curl's included, gets a cookie. Asserted:
# every request answered, every curl connection opened by a valid cookie, every SYN past the
# quota answered by a cookie SYN-ACK, no state for the flood beyond the quota, the daemon's
# IPv6 SYN-ACKs with good checksums (tshark), no RST from the namespace's kernel. (That kernel
# answers some SYN-ACKs for the spoofed sources, which it has no route to, with rate-limited
# ICMPv6 destination unreachable; the daemon drops them as drop_icmp6: reported, not asserted.)
. "$(dirname "$0")/lib.sh"
tl_init lflood6
tl_need_daemon
tl_need_flood
tl_need curl tcpdump tshark

DAEMON_IP6=2001:2::1
NS_IP6=2001:2::2
SYNQ=32
nsx sysctl -qw "net.ipv6.conf.$LAB_NS_IF.disable_ipv6=0"
nsx ip -6 addr add "$NS_IP6/64" dev "$LAB_NS_IF" nodad

daemon_start --ip6 "$DAEMON_IP6/64" --listen 80:http --syncookies auto --synq-limit "$SYNQ" \
	--max-conns 256 --http-body-size 100 || finish

# Refusals: nothing outside 2001:2::/48.
for args in "--dst-ip6 2001:db8::1" "--dst-ip6 $DAEMON_IP6 --src6 2001:3::/64" \
	"--dst-ip6 $DAEMON_IP6 --src6 2001::/16" "--dst-ip 198.18.0.1 --dst-ip6 $DAEMON_IP6"; do
	# shellcheck disable=SC2086
	out=$(nsx "$TCPD_FLOOD" --iface "$LAB_NS_IF" --dst-mac "$LAB_HOST_MAC" $args --count 1 \
		--seconds 1 2>&1)
	rc=$?
	check_eq "refused: $args" "$rc:$(grep -c '^sent=' <<<"$out")" 2:0
done

# One request before the flood: ND resolution, a SYN-RECEIVED handshake (below the quota).
check_eq "curl -6 before the flood" \
	"$(nsx curl -6 -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 10 "http://[$DAEMON_IP6]/")" \
	"200 100"
check_eq "cookie_sent before the flood (below the quota: SYN-RECEIVED)" "$(counter cookie_sent)" 0
check "conn_live back to 0" wait_for 5 counter_is conn_live 0

# What the daemon sends into the namespace during the flood: the first 2000 IPv6 SYN-ACKs
# (libpcap's tcp[] does not reach past an IPv6 header: offsets from the fixed header, which is
# all these frames have). RSTs either way, and the ICMPv6 the namespace's kernel sends.
bg_ns tcpdump --immediate-mode -ni "$LAB_NS_IF" -s 200 -c 2000 -w "$TL_WORK/synack.pcap" \
	"ip6 and src $DAEMON_IP6 and ip6[6] == 6 and ip6[53] & 0x12 == 0x12" 2>"$TL_WORK/cap1.err"
cap_pid=$BG_PID
bg_ns tcpdump --immediate-mode -ni "$LAB_NS_IF" -s 128 -w "$TL_WORK/rst.pcap" \
	"(ip6 and ip6[6] == 6 and ip6[53] & 0x04 != 0) or (icmp6 and src $NS_IP6)" \
	2>"$TL_WORK/cap2.err"
rst_pid=$BG_PID
wait_for 5 grep -q listening "$TL_WORK/cap1.err"
wait_for 5 grep -q listening "$TL_WORK/cap2.err"
sleep 1
s0=$(tele /tcpd/stats)
read -r syn0 cs0 ok0 open0 <<<"$(json_get syn_rx cookie_sent cookie_ok conn_opened <<<"$s0" | tr '\n' ' ')"

# A rate the veth/af_packet path carries on this loaded 2-CPU machine without losing SYNs
# (test_cookies.sh measures 60 % of full speed; IPv6 frames are 20 bytes longer).
bg_ns "$TCPD_FLOOD" --iface "$LAB_NS_IF" --dst-mac "$LAB_HOST_MAC" --dst-ip6 "$DAEMON_IP6" \
	--src6 2001:2:0:ff::/64 --count 2000000 --seconds 120 --rate 5000 --quiet \
	>"$TL_WORK/flood.out" 2>&1
flood_pid=$BG_PID
check "half-open quota filled by the flood" wait_for 10 counter_is conn_half_open "$SYNQ"
max_live=0
t0=$SECONDS
seq 200 | ip netns exec "$LAB_NS" xargs -P 10 -I{} \
	curl -6 -s -o /dev/null -w '%{http_code} %{size_download}\n' --max-time 15 \
	"http://[$DAEMON_IP6]/{}" >"$TL_WORK/curl.out" &
curl_pid=$!
while kill -0 $curl_pid 2>/dev/null; do
	live=$(counter conn_live)
	[ "${live:-0}" -gt "$max_live" ] && max_live=$live
	sleep 0.5
done
wait $curl_pid
echo "# 200 curl -6 requests in $((SECONDS - t0)) s"
flood_running=0
kill -0 $flood_pid 2>/dev/null && flood_running=1
kill -INT $flood_pid 2>/dev/null
wait $flood_pid
sleep 0.5
timeout 5 tail --pid="$cap_pid" -f /dev/null || kill -INT "$cap_pid"
kill -INT "$rst_pid"
wait "$rst_pid" 2>/dev/null
echo "# flood: $(cat "$TL_WORK/flood.out")"

check_eq "flood lasted the whole curl run" "$flood_running" 1
check_eq "200 curl -6 requests during the flood: 200 OK with the 100-byte body" \
	"$(grep -c '^200 100$' "$TL_WORK/curl.out")" 200
s=$(tele /tcpd/stats)
read -r syn cs ok opened half synq txd tcp6 peers <<<"$(json_get syn_rx cookie_sent cookie_ok \
	conn_opened conn_half_open synq_full tx_drop tcp6_rx ip6_peers <<<"$s" | tr '\n' ' ')"
echo "# syn_rx=$((syn - syn0)) cookie_sent=$((cs - cs0)) cookie_ok=$((ok - ok0)) conn_opened=$((opened - open0)) synq_full=$synq tcp6_rx=$tcp6 ip6_peers=$peers max conn_live=$max_live"
check_ge "the flood reached the daemon (SYNs beyond the 200 legitimate and the quota)" \
	"$((syn - syn0))" $((200 + SYNQ + 1))
check_eq "every SYN past the quota got a cookie SYN-ACK (syn_rx - $SYNQ)" "$((cs - cs0))" \
	"$((syn - syn0 - SYNQ))"
check_eq "synq_full counts the same SYNs" "$synq" "$((cs - cs0))"
check_eq "cookie_ok: every curl connection came through a cookie" "$((ok - ok0))" 200
check_eq "conn_opened: only the legitimate handshakes" "$((opened - open0))" 200
check_eq "conn_half_open: the flood's quota, no more" "$half" "$SYNQ"
check_le "conn_live during the flood: the quota and 10 clients at a time" "$max_live" $((SYNQ + 12))
check_eq "tx_drop" "$txd" 0
check_eq "http_requests (one before the flood)" "$(counter http_requests)" 201
check_eq "ip6_peers: the half-open flood sources only, curl's connections closed" "$peers" "$SYNQ"
n=$(tshark -r "$TL_WORK/synack.pcap" -c 2000 2>/dev/null | wc -l)
check_ge "captured IPv6 SYN-ACKs" "$n" 1000
check_eq "captured SYN-ACKs with a good checksum over the IPv6 pseudo-header (tshark)" \
	"$(tshark -r "$TL_WORK/synack.pcap" -o tcp.check_checksum:TRUE -Y 'tcp.checksum.status == 1 && tcp.options.mss_val == 1440' 2>/dev/null | wc -l)" "$n"
check_eq "RSTs on the wire (the namespace drops SYN-ACKs for addresses it does not own)" \
	"$(tshark -r "$TL_WORK/rst.pcap" -Y 'tcp.flags.reset == 1' 2>/dev/null | wc -l)" 0
echo "# ICMPv6 from the namespace's kernel, by type: $(tshark -r "$TL_WORK/rst.pcap" -Y icmpv6 \
	-T fields -e icmpv6.type -e icmpv6.code 2>/dev/null | sort | uniq -c | tr -s ' \n' ' ')"
daemon_stop
finish
