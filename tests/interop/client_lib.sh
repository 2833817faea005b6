# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# Client mode helpers for the interop tests (sourced after lib.sh):
#   client_run SECONDS ARGS...   run dpdk-tcpd in client mode on the lab's host end, in the
#                                foreground, bounded by SECONDS; ARGS after --port 0 --ip ...
#                                CLIENT_NS=1: on the namespace end instead (against a daemon on
#                                the host end); CLIENT_IP (default 198.18.0.1), CLIENT_LCORES
#                                (EAL -l, default 0: the worker on the main lcore)
#                                Output in $TL_WORK/client.out, report in $TL_WORK/report.jsonl;
#                                CLIENT_RC is its exit status.
#                                CLIENT_BG=1: in the background (client_wait collects it)
#   final KEY...                 figures of the report's final line (dotted paths allowed)
#   py_server KIND PORT [BODY]   a tiny Python server in the namespace: http (HTTP/1.1 keep-alive,
#                                a fixed body of BODY bytes) or echo; waits until it listens;
#                                PY_SERVER6=1: on IPv6 (::) instead of 0.0.0.0

CLIENT_PREFIX=
client_run() {
	local secs=$1
	shift
	CLIENT_PREFIX=${TL_PREFIX}c
	rm -rf "/var/run/dpdk/$CLIENT_PREFIX"
	tl_on_exit "rm -rf /var/run/dpdk/$CLIENT_PREFIX"
	CLIENT_OUT=$TL_WORK/client.out
	REPORT=$TL_WORK/report.jsonl
	local ifc=$LAB_HOST_IF pre=()
	if [ "${CLIENT_NS:-0}" = 1 ]; then
		ifc=$LAB_NS_IF
		pre=(ip netns exec "$LAB_NS")
	fi
	local cmd=("$DPDK_TCPD" -l "${CLIENT_LCORES:-0}" --no-huge -m 256 --no-shconf --no-pci
		"--file-prefix=$CLIENT_PREFIX" "--vdev=net_af_packet0,iface=$ifc"
		-- --port 0 --ip "${CLIENT_IP:-$DAEMON_IP}/15" --report "$REPORT" "$@")
	echo "# ${cmd[*]}"
	if [ "${CLIENT_BG:-0}" = 1 ]; then
		timeout -s INT -k 10 "$secs" "${pre[@]}" stdbuf -oL -eL "${cmd[@]}" >"$CLIENT_OUT" 2>&1 &
		CLIENT_PID=$!
		tl_on_exit "kill -INT $CLIENT_PID"
		return 0
	fi
	timeout -s INT -k 10 "$secs" "${pre[@]}" stdbuf -oL -eL "${cmd[@]}" >"$CLIENT_OUT" 2>&1
	CLIENT_RC=$?
	client_show
}

# client_wait: after client_run with CLIENT_BG=1, wait for it (CLIENT_RC).
client_wait() {
	wait "$CLIENT_PID"
	CLIENT_RC=$?
	client_show
}

client_show() {
	grep -E '^client|^  |failed|dpdk-tcpd:' "$CLIENT_OUT" | sed 's/^/# /' | tail -40
}

final() {
	tail -1 "$REPORT" | python3 "$TLPY" json-get "$@"
}

py_server() {
	local kind=$1 port=$2 body=${3:-0}
	cat >"$TL_WORK/server.py" <<'PY'
import socket, socketserver, sys, threading
kind, port, body, v6 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
payload = bytes((b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n"[i % 64]) for i in range(body))
stats = {"conns": 0, "requests": 0, "bytes": 0}
peers = {}
lock = threading.Lock()

class H(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        with lock:
            stats["conns"] += 1
            peers[self.client_address[0]] = peers.get(self.client_address[0], 0) + 1
        buf = b""
        while True:
            try:
                d = s.recv(65536)
            except OSError:
                return
            if not d:
                return
            with lock:
                stats["bytes"] += len(d)
            if kind == "echo":
                s.sendall(d)
                continue
            buf += d
            while b"\r\n\r\n" in buf:
                req, buf = buf.split(b"\r\n\r\n", 1)
                with lock:
                    stats["requests"] += 1
                s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n" % body + payload)

class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 1024

if v6:
    S.address_family = socket.AF_INET6
srv = S(("::" if v6 else "0.0.0.0", port), H)
print("listening", flush=True)
def report():
    # Every 0.5 s: what the server saw, for the test to compare with the client's counts.
    import time
    while True:
        time.sleep(0.5)
        with lock:
            # peerconns: connections per peer address, ADDR/N;ADDR/N... (sorted)
            per = ";".join("%s/%d" % (a, n) for a, n in sorted(peers.items()))
            print("stats conns=%d requests=%d bytes=%d peers=%d peerconns=%s" % (stats["conns"], stats["requests"], stats["bytes"], len(peers), per), flush=True)
threading.Thread(target=report, daemon=True).start()
srv.serve_forever()
PY
	bg_ns python3 "$TL_WORK/server.py" "$kind" "$port" "$body" "${PY_SERVER6:-0}" \
		>"$TL_WORK/server.out" 2>&1
	wait_for 10 grep -q listening "$TL_WORK/server.out"
}

# server_stat KEY: the last figure the Python server printed.
server_stat() {
	grep '^stats' "$TL_WORK/server.out" | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"
}
