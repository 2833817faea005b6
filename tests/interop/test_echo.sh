#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Issue 3: 1 MiB of random bytes through the echo service, with nc and with Python (reading while
# writing), compared byte for byte; the window and ACK clocking have to work for this.
. "$(dirname "$0")/lib.sh"
tl_init lecho
tl_need_daemon
tl_need nc cmp

daemon_start --listen 7:echo || finish
head -c 1048576 /dev/urandom >"$TL_WORK/in"
# nc -N: shut the socket down for writing at EOF on stdin, then read until the server closes.
nsx timeout 60 nc -N "$DAEMON_IP" 7 <"$TL_WORK/in" >"$TL_WORK/out"
check_eq "nc: 1 MiB echoed, size" "$(stat -c %s "$TL_WORK/out")" 1048576
check "nc: 1 MiB echoed, bytes identical" cmp "$TL_WORK/in" "$TL_WORK/out"
check "python: 1 MiB echoed while writing, identical" tlab echo-bulk --port 7 --bytes 1048576 --timeout 60
check "python: 8 MiB echoed, identical" tlab echo-bulk --port 7 --bytes 8388608 --timeout 120
s=$(tele /tcpd/stats)
check_eq "data_rx_bytes" "$(json_get data_rx_bytes <<<"$s")" $((1048576 * 2 + 8388608))
check_ge "data_tx_bytes (retransmissions included)" "$(json_get data_tx_bytes <<<"$s")" $((1048576 * 2 + 8388608))
check "connections closed" wait_for 3 counter_is conn_live 0
echo "# retransmit=$(json_get retransmit <<<"$s") dupack_ooo=$(json_get dupack_ooo <<<"$s") drop_out_of_window=$(json_get drop_out_of_window <<<"$s")"
daemon_stop
finish
