#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 3: 1000 sequential and 100 concurrent echo connections with all data verified; then the
# namespace shows no connection in a state other than TIME-WAIT, and the daemon's table empties
# once its timers ran (--time-wait 1).
. "$(dirname "$0")/lib.sh"
tl_init lconns
tl_need_daemon
tl_need ss

daemon_start --listen 7:echo --time-wait 1 || finish
check "1000 sequential connections, data verified" tlab seq-conns --port 7 --conns 1000 --timeout 10
check "100 concurrent connections, data verified" tlab conc-conns --port 7 --conns 100 --timeout 10
check_eq "namespace: no connection outside TIME-WAIT" \
	"$(nsx ss -tanH state all | grep -v -c '^TIME-WAIT')" 0
check_ge "namespace: the client ends hold TIME-WAIT" \
	"$(nsx ss -tanH state time-wait | wc -l)" 1000
check "daemon: conn_live back to 0" wait_for 10 counter_is conn_live 0
s=$(tele /tcpd/stats)
check_eq "conn_opened" "$(json_get conn_opened <<<"$s")" 1100
check_eq "conn_closed" "$(json_get conn_closed <<<"$s")" 1100
check_eq "conn_half_open" "$(json_get conn_half_open <<<"$s")" 0
check_eq "rst_tx" "$(json_get rst_tx <<<"$s")" 0
check_eq "rto_timeout" "$(json_get rto_timeout <<<"$s")" 0
check_eq "table_full" "$(json_get table_full <<<"$s")" 0
daemon_stop
finish
