#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Request bodies (RFC 9112 6): curl from the namespace POSTs small and 100 kB bodies (--data,
# Content-Length) and uploads from stdin with -T - (Transfer-Encoding: chunked), each answered
# with 200 and the configured body; 2 MB bodies, for which curl sends "Expect: 100-continue", get
# "HTTP/1.1 100 Continue" at once (RFC 9110 10.1.1), curl's one-second wait never runs out; a POST then a GET on one connection (--next) shows the body
# was consumed, not parsed as a request. A Python client pipelines a POST whose body spans two
# sends with a GET (two responses, exact lengths), then sends bad framing: 400, Connection: close,
# our FIN, and the refusal counted.
. "$(dirname "$0")/lib.sh"
tl_init lhbody
tl_need_daemon
tl_need curl

url=http://$DAEMON_IP
size=100
daemon_start --listen 80:http --http-body-size "$size" || finish
body "$size" >"$TL_WORK/want"
head -c 100000 /dev/urandom >"$TL_WORK/big"

# curl --data: a small body and a 100 kB one (Content-Length), with and without
# "Expect: 100-continue" (answered with 100 Continue at once: the connection's first request).
out=$(nsx curl -sS --max-time 10 -w '%{http_code} %{size_download}\n' -o "$TL_WORK/p1" \
	--data 'hello=world' "$url/p" 2>&1)
check_eq "--data 11 bytes: 200 and the body" "$out" "200 $size"
check "--data: body equals the pattern" cmp "$TL_WORK/p1" "$TL_WORK/want"
out=$(nsx curl -sS --max-time 10 -H 'Expect:' -w '%{http_code} %{size_download}\n' \
	-o "$TL_WORK/p2" --data-binary "@$TL_WORK/big" "$url/p" 2>&1)
check_eq "--data-binary 100 kB: 200 and the body" "$out" "200 $size"
check "100 kB: body equals the pattern" cmp "$TL_WORK/p2" "$TL_WORK/want"
out=$(nsx curl -sS --max-time 10 -H 'Expect: 100-continue' -w '%{http_code} %{size_download}\n' \
	-o "$TL_WORK/p3" --data-binary "@$TL_WORK/big" "$url/p" 2>&1)
check_eq "100 kB with Expect: 100-continue: 200 and the body" "$out" "200 $size"

# Expect: 100-continue (RFC 9110 10.1.1): curl 7.88 sends it for a body over 1 MiB and waits up to
# a second for "100 Continue" ("Done waiting for 100-continue") before it sends the body; the 100
# comes as soon as the headers end.
head -c 2000000 /dev/urandom >"$TL_WORK/huge"
nsx curl -v -sS --max-time 10 -w '%{http_code} %{size_download} %{time_total}\n' \
	-o "$TL_WORK/p4" --data-binary "@$TL_WORK/huge" "$url/p" >"$TL_WORK/p4.out" \
	2>"$TL_WORK/p4.err"
check_eq "2 MB --data-binary: curl's exit status" "$?" 0
check_eq "2 MB: 200 and the body" "$(cut -d' ' -f1,2 "$TL_WORK/p4.out")" "200 $size"
check "2 MB: body equals the pattern" cmp "$TL_WORK/p4" "$TL_WORK/want"
check "2 MB: curl sent Expect: 100-continue" grep -q '^> Expect: 100-continue' "$TL_WORK/p4.err"
check "2 MB: curl got HTTP/1.1 100 Continue" grep -q '^< HTTP/1.1 100 Continue' "$TL_WORK/p4.err"
check "2 MB: curl did not wait for it" \
	bash -c "! grep -q 'Done waiting for 100-continue' '$TL_WORK/p4.err'"
echo "# 2 MB with Expect: 100-continue: $(cut -d' ' -f3 "$TL_WORK/p4.out") s (informational)"
# On one connection: the POST fixes the 100 mode, the GET after it gets a 100 too (curl reads
# it), the second POST its 100. Then a GET first: the POST after it gets the 100, then
# Connection: close (curl reconnects for the last GET).
out=$(nsx curl -sS --max-time 20 -w '%{http_code} %{size_download} %{num_connects}\n' \
	-o /dev/null --data-binary "@$TL_WORK/huge" "$url/a" --next \
	-w '%{http_code} %{size_download} %{num_connects}\n' -o /dev/null "$url/b" --next \
	-w '%{http_code} %{size_download} %{num_connects}\n' -o /dev/null \
	--data-binary "@$TL_WORK/huge" "$url/c" 2>&1)
check_eq "100 mode: POST 2 MB, GET, POST 2 MB on one connection" "$(tr '\n' ' ' <<<"$out")" \
	"200 $size 1 200 $size 0 200 $size 0 "
out=$(nsx curl -v -sS --max-time 20 -w '%{http_code} %{size_download} %{num_connects}\n' \
	-o /dev/null "$url/d" --next \
	-w '%{http_code} %{size_download} %{num_connects}\n' -o /dev/null \
	--data-binary "@$TL_WORK/huge" "$url/e" --next \
	-w '%{http_code} %{size_download} %{num_connects}\n' -o /dev/null "$url/f" \
	2>"$TL_WORK/p5.err")
check_eq "GET, POST 2 MB (100, then close), GET on a new connection" \
	"$(tr '\n' ' ' <<<"$out")" "200 $size 1 200 $size 0 200 $size 1 "
check "GET then POST: curl got HTTP/1.1 100 Continue" grep -q '^< HTTP/1.1 100 Continue' \
	"$TL_WORK/p5.err"
check "GET then POST: curl did not wait for it" \
	bash -c "! grep -q 'Done waiting for 100-continue' '$TL_WORK/p5.err'"
check_eq "http_continue" "$(counter http_continue)" 6
check_eq "http_expect_close" "$(counter http_expect_close)" 1

# curl -T -: chunked upload from stdin (PUT), small and 100 kB.
out=$(echo -n 'chunky' | nsx curl -sS --max-time 10 -H 'Expect:' -T - \
	-w '%{http_code} %{size_download}\n' -o "$TL_WORK/u1" "$url/u" 2>&1)
check_eq "-T - (chunked, 6 bytes): 200 and the body" "$out" "200 $size"
out=$(nsx curl -sS --max-time 10 -T - -w '%{http_code} %{size_download}\n' -o "$TL_WORK/u2" \
	"$url/u" <"$TL_WORK/big" 2>&1)
check_eq "-T - (chunked, 100 kB): 200 and the body" "$out" "200 $size"
check "-T -: body equals the pattern" cmp "$TL_WORK/u2" "$TL_WORK/want"

# POST then GET then chunked PUT on one connection: 1 new connection, then 0, 0.
out=$(nsx curl -sS --max-time 10 -H 'Expect:' -w '%{http_code} %{size_download} %{num_connects}\n' \
	-o "$TL_WORK/k1" --data-binary "@$TL_WORK/big" "$url/a" --next \
	-w '%{http_code} %{size_download} %{num_connects}\n' -o "$TL_WORK/k2" "$url/b" --next \
	-H 'Expect:' -T "$TL_WORK/big" -H 'Transfer-Encoding: chunked' \
	-w '%{http_code} %{size_download} %{num_connects}\n' -o "$TL_WORK/k3" "$url/c" 2>&1)
check_eq "keep-alive: POST, GET, chunked PUT on one connection" "$(tr '\n' ' ' <<<"$out")" \
	"200 $size 1 200 $size 0 200 $size 0 "
check_eq "http_requests (curl)" "$(counter http_requests)" 15
check_eq "conn_opened (curl)" "$(counter conn_opened)" 10

# Python: a POST whose body spans two sends pipelined with a GET, then bad framing.
cat >"$TL_WORK/raw.py" <<'PY'
import socket, sys, time
host, body = sys.argv[1], int(sys.argv[2])
def conn():
    s = socket.create_connection((host, 80), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s
def read_all(s):
    out = b""
    while True:
        d = s.recv(65536)
        if not d:
            return out
        out += d
s = conn()
s.sendall(b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 20\r\n\r\n0123456789")
time.sleep(0.2)
s.sendall(b"\r\n\r\nGET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n")
out = read_all(s)
n200 = out.count(b"HTTP/1.1 200 OK\r\n")
print("pipelined", n200, len(out))
s = conn()
s.sendall(b"POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\nxGET / HTTP/1.1\r\n\r\n")
out = read_all(s)
print("bad", out.split(b"\r\n")[0].decode(), b"Connection: close" in out, len(out))
PY
out=$(nsx python3 "$TL_WORK/raw.py" "$DAEMON_IP" "$size" 2>&1)
hl=$(printf 'HTTP/1.1 200 OK\r\nServer: dpdk-tcpd\r\nContent-Type: text/plain\r\nContent-Length: %s\r\n\r\n' "$size" | wc -c)
check_eq "python: POST over two sends + 2 GETs: 3 responses, exact length" \
	"$(sed -n 1p <<<"$out")" "pipelined 3 $((3 * (hl + size) + 19))"
check_eq "python: bad Content-Length: 400, Connection: close, then EOF" \
	"$(sed -n 2p <<<"$out")" "bad HTTP/1.1 400 Bad Request True 124"
check_eq "http_bad_content_length" "$(counter http_bad_content_length)" 1
check_eq "http_requests" "$(counter http_requests)" 18
check_eq "http_bad_chunk" "$(counter http_bad_chunk)" 0
daemon_stop
finish
