#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 15: TCP over IPv6 against the Linux stack. The daemon owns 2001:2::1/64 (RFC 5180's
# benchmarking prefix, inside the namespace only); the kernel resolves it by neighbour discovery
# and connects: curl -6 to the http service (status and body checked against the pattern), nc -6
# to echo (bytes compared), then, with --syncookies always, curl -6 again on a connection the
# daemon created from a validated cookie. Every frame the daemon sent has a good TCP checksum and
# hop limit 64; IPv6 counters, /tcpd/conns and the peer table return to 0.
. "$(dirname "$0")/lib.sh"
tl_init ltcp6
tl_need_daemon
tl_need curl nc cmp tcpdump tshark

DAEMON_IP6=2001:2::1
NS_IP6=2001:2::2
nsx sysctl -qw "net.ipv6.conf.$LAB_NS_IF.disable_ipv6=0"
nsx ip -6 addr add "$NS_IP6/64" dev "$LAB_NS_IF" nodad

for mode in auto always; do
	echo "# --- syncookies $mode"
	daemon_start --ip6 "$DAEMON_IP6/64" --syncookies "$mode" --listen 80:http,7:echo \
		--http-body-size 1000 --time-wait 1 || finish
	capture_start
	nsx ip -6 neigh flush dev "$LAB_NS_IF"
	body 1000 >"$TL_WORK/want"

	# curl -6: two requests on one connection (keep-alive), then Connection: close.
	out=$(nsx curl -6 -sS --max-time 10 -w '%{http_code} %{size_download} %{num_connects}\n' \
		-o "$TL_WORK/b1" "http://[$DAEMON_IP6]/a" -o "$TL_WORK/b2" "http://[$DAEMON_IP6]/b" 2>&1)
	check_eq "curl -6 ($mode): 2 responses of 1000 bytes, one connection" \
		"$(tr '\n' ' ' <<<"$out")" "200 1000 1 200 1000 0 "
	check "curl -6 ($mode): first body equals the pattern" cmp "$TL_WORK/b1" "$TL_WORK/want"
	check "curl -6 ($mode): second body equals the pattern" cmp "$TL_WORK/b2" "$TL_WORK/want"
	out=$(nsx curl -6 -sS --max-time 10 -H 'Connection: close' -w '%{http_code}' \
		-o "$TL_WORK/b3" "http://[$DAEMON_IP6]/c" 2>&1)
	check_eq "curl -6 ($mode): Connection: close, status" "$out" 200
	check "curl -6 ($mode): body equals the pattern" cmp "$TL_WORK/b3" "$TL_WORK/want"

	# nc -6 to echo: 256 KiB of random bytes back, identical.
	head -c 262144 /dev/urandom >"$TL_WORK/in"
	nsx timeout 30 nc -6 -N "$DAEMON_IP6" 7 <"$TL_WORK/in" >"$TL_WORK/out"
	check_eq "nc -6 ($mode): 256 KiB echoed, size" "$(stat -c %s "$TL_WORK/out")" 262144
	check "nc -6 ($mode): bytes identical" cmp "$TL_WORK/in" "$TL_WORK/out"

	check "($mode) connections closed (TIME-WAIT 1 s)" wait_for 10 counter_is conn_live 0
	capture_stop
	s=$(tele /tcpd/stats)
	read -r opened tcp6 cs cok peers live6 <<<"$(json_get conn_opened tcp6_rx cookie_sent cookie_ok \
		ip6_peers conn_live6 <<<"$s" | tr '\n' ' ')"
	check_eq "($mode) conn_opened" "$opened" 3
	check_ge "($mode) tcp6_rx" "$tcp6" 20
	if [ "$mode" = always ]; then
		check_eq "(always) cookie_sent: every SYN" "$cs" 3
		check_eq "(always) cookie_ok: every connection from a cookie" "$cok" 3
	else
		check_eq "(auto) cookie_sent" "$cs" 0
	fi
	check_eq "($mode) ip6_peers back to 0" "$peers" 0
	check_eq "($mode) conn_live6 back to 0" "$live6" 0
	c=$(tele /tcpd/conns)
	check_eq "($mode) /tcpd/conns live_ip6" "$(json_get live_ip6 <<<"$c")" 0
	# (frames longer than the 200-byte snap length cannot be verified: status 2)
	check_eq "($mode) capture: TCP from $DAEMON_IP6 with a bad checksum" \
		"$(pcap_count "ipv6.src == $DAEMON_IP6 && tcp && tcp.checksum.status == 0")" 0
	check_eq "($mode) capture: every whole TCP frame from $DAEMON_IP6 (within the snap length) has a verified good checksum" \
		"$(pcap_count "ipv6.src == $DAEMON_IP6 && tcp && tcp.checksum.status == 1")" \
		"$(pcap_count "ipv6.src == $DAEMON_IP6 && tcp && frame.len <= 200")"
	check_eq "($mode) capture: TCP from $DAEMON_IP6 with a hop limit other than 64" \
		"$(pcap_count "ipv6.src == $DAEMON_IP6 && tcp && ipv6.hlim != 64")" 0
	check_ge "($mode) capture: SYN-ACKs from $DAEMON_IP6 with MSS 1440" \
		"$(pcap_count "ipv6.src == $DAEMON_IP6 && tcp.flags.syn == 1 && tcp.flags.ack == 1 && tcp.options.mss_val == 1440")" 3
	check_eq "($mode) capture: RSTs" "$(pcap_count 'tcp.flags.reset == 1')" 0
	daemon_stop
done
finish
