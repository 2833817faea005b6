#!/usr/bin/env bash
# Overload measured with the project's own client (issue 13 item 2); not a test: it prints one RESULT
# line per offered rate. Usage (root): RATES="40000 80000 200000 40000" MAXC=1024 tools/overload-own-client.sh
# The server (lcore 0, CPU 0) has a table of MAXC connections; the client (lcore 1, CPU 1) runs in
# the lab's namespace with 16 source addresses; each rate is offered for 6 s, one GET per
# connection (the client closes first). Bounded: every run stops by itself.
cd "$(dirname "$0")/../tests/interop" || exit 1
. ./lib.sh
. ./client_lib.sh
tl_init lovl
tl_need_daemon
MAXC=${MAXC:-4096}
daemon_start --lcores 0 --max-conns "$MAXC" --stats-interval 1 || finish
for rate in $RATES; do
	CLIENT_NS=1 CLIENT_LCORES=1 CLIENT_IP=198.18.0.3 client_run 60 --connect 198.18.0.1:80:http \
		--cps "$rate" --src-ip 198.18.0.10-198.18.0.25 --duration 6 --drain 4 --requests 1 --concurrency 100000 --allow-failures 1
	s=$(tele /tcpd/stats)
	echo "RESULT rate=$rate attempted=$(final attempted) completed=$(final completed) failed=$(final failed) $(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; f=r[-1]; print(" ".join(f"{k}={v}" for k,v in f.items() if k.startswith("failed_") and v))' "$REPORT") server: $(json_get conn_opened closing_reclaimed stalled_reclaimed table_full cookie_no_room rto_timeout <<<"$s" | tr '\n' ' ')"
done
daemon_stop
finish
