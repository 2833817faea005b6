#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 3: curl against the http service, keep-alive (several URLs in one curl, one connection)
# and Connection: close, with bodies of 0, 100 and 65536 bytes compared byte for byte with the
# daemon's pattern (lib/tcp: tcpd_tcp_http_body_byte) and with Content-Length. HEAD (RFC 9110
# 9.3.2): curl -I twice on one connection gets the header sections alone (Content-Length as GET's,
# no excess data after them), then a GET gets the body.
. "$(dirname "$0")/lib.sh"
tl_init lhttp
tl_need_daemon
tl_need curl tcpdump tshark

url=http://$DAEMON_IP
for size in 0 100 65536; do
	echo "# --- body $size bytes"
	daemon_start --listen 80:http --http-body-size "$size" || finish
	body "$size" >"$TL_WORK/want"
	capture_start

	# Keep-alive: three URLs, one invocation; curl reports 1 new connection, then 0, 0.
	out=$(nsx curl -sS --max-time 10 -D "$TL_WORK/hdr" -w '%{http_code} %{size_download} %{num_connects}\n' \
		-o "$TL_WORK/b1" "$url/a" -o "$TL_WORK/b2" "$url/b" -o "$TL_WORK/b3" "$url/c" 2>&1)
	check_eq "keep-alive: 3 responses, one connection" "$(tr '\n' ' ' <<<"$out")" \
		"200 $size 1 200 $size 0 200 $size 0 "
	for b in b1 b2 b3; do
		check "keep-alive $b: body equals the pattern ($size bytes)" cmp "$TL_WORK/$b" "$TL_WORK/want"
	done
	check_eq "keep-alive: Content-Length in each response" \
		"$(grep -ci "^content-length: $size"$'\r'"\$" "$TL_WORK/hdr")" 3
	check_eq "keep-alive: no Connection: close" "$(grep -ci '^connection: close' "$TL_WORK/hdr")" 0
	check_eq "keep-alive: conn_opened" "$(counter conn_opened)" 1
	check_eq "keep-alive: http_requests" "$(counter http_requests)" 3

	# Connection: close: the daemon answers with Connection: close and closes first.
	out=$(nsx curl -sS --max-time 10 -H 'Connection: close' -D "$TL_WORK/hdr" \
		-w '%{http_code} %{size_download} %{num_connects}\n' \
		-o "$TL_WORK/c1" "$url/x" -o "$TL_WORK/c2" "$url/y" 2>&1)
	check_eq "close: 2 responses, 2 connections" "$(tr '\n' ' ' <<<"$out")" \
		"200 $size 1 200 $size 1 "
	for b in c1 c2; do
		check "close $b: body equals the pattern" cmp "$TL_WORK/$b" "$TL_WORK/want"
	done
	check_eq "close: Connection: close in both responses" \
		"$(grep -ci '^connection: close' "$TL_WORK/hdr")" 2
	check_eq "close: Content-Length in both" \
		"$(grep -ci "^content-length: $size"$'\r'"\$" "$TL_WORK/hdr")" 2

	# HEAD twice on one connection: exit 0, no body, and no "Excess found" (body bytes after a
	# response to HEAD, which curl would read as the start of the next response).
	rc=0
	out=$(nsx curl -sS -I -v --max-time 10 -w '%{http_code} %{size_download} %{num_connects}\n' \
		-o "$TL_WORK/h1" "$url/h1" -o "$TL_WORK/h2" "$url/h2" 2>"$TL_WORK/hv") || rc=$?
	check_eq "HEAD x2: exit 0, 200, no body, one connection" "$rc $(tr '\n' ' ' <<<"$out")" \
		"0 200 0 1 200 0 0 "
	check_eq "HEAD: no excess data after a header section" \
		"$(grep -c 'Excess found' "$TL_WORK/hv")" 0
	check_eq "HEAD: Content-Length as GET's in both" \
		"$(cat "$TL_WORK/h1" "$TL_WORK/h2" | grep -ci "^content-length: $size"$'\r'"\$")" 2
	check_eq "HEAD: keep-alive (no Connection: close)" \
		"$(cat "$TL_WORK/h1" "$TL_WORK/h2" | grep -ci '^connection: close')" 0
	out=$(nsx curl -sS --max-time 10 -w '%{http_code} %{size_download} %{num_connects}\n' \
		-o "$TL_WORK/g1" "$url/g" 2>&1)
	check_eq "GET after HEAD: 200 and the body" "$out" "200 $size 1"
	check "GET after HEAD: body equals the pattern" cmp "$TL_WORK/g1" "$TL_WORK/want"

	# Python: 3 connections x 4 keep-alive requests, the last with Connection: close.
	check "python: 3 connections x 4 requests, bodies exact" \
		tlab http-load --port 80 --conns 3 --reqs 4 --close-last --body-size "$size"
	s=$(tele /tcpd/stats)
	check_eq "conn_opened" "$(json_get conn_opened <<<"$s")" 8
	check_eq "http_requests" "$(json_get http_requests <<<"$s")" $((3 + 2 + 3 + 12))
	capture_stop
	check_capture_clean
	check_no_loss_repair
	daemon_stop
done
finish
