#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tools/lab.sh itself: addresses, sysctls, offloads, silence of the host end, idempotent up and
# down, teardown when "up" fails half way, names refused when they would not fit IFNAMSIZ.
. "$(dirname "$0")/lib.sh"
tl_init llab
tl_need tcpdump

check_eq "namespace exists" "$(ip netns list | awk '{print $1}' | grep -cx "$LAB_NS")" 1
check_eq "host end has no IPv4 address" "$(ip -4 -o addr show dev "$LAB_HOST_IF" | wc -l)" 0
check_eq "host end has IPv6 disabled" \
	"$(sysctl -n "net.ipv6.conf.$LAB_HOST_IF.disable_ipv6")" 1
check_eq "host end has no IPv6 address" "$(ip -6 -o addr show dev "$LAB_HOST_IF" | wc -l)" 0
check_eq "namespace end is 198.18.0.2/15" \
	"$(nsx ip -4 -o addr show dev "$LAB_NS_IF" | awk '{print $4}')" 198.18.0.2/15
check_eq "host end carrier" "$(cat "/sys/class/net/$LAB_HOST_IF/carrier")" 1
check_eq "namespace end carrier" "$(nsx cat "/sys/class/net/$LAB_NS_IF/carrier")" 1

offloads_off() {
	# $@: command prefix; prints the offload features still on
	"$@" ethtool -k "$iface" | awk -F': ' '
		/^(rx-checksumming|tx-checksumming|tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):/ && $2 ~ /^on/ {print $1}'
}
iface=$LAB_HOST_IF
check_eq "host end: checksum, TSO, GSO, GRO offloads off" "$(offloads_off)" ""
iface=$LAB_NS_IF
check_eq "namespace end: checksum, TSO, GSO, GRO offloads off" "$(offloads_off nsx)" ""
# Frames reach the daemon in the order Linux sent them: every receive queue of the host end
# steers them to CPU 0's backlog (RPS), not to the sending CPU's (tools/lab.sh in_order).
rps_maps() {
	local q
	for q in /sys/class/net/"$LAB_HOST_IF"/queues/rx-*/rps_cpus; do
		echo $((16#$(tr -d ',' <"$q")))
	done | sort -u
}
check_eq "host end: every receive queue's RPS map is CPU 0" "$(rps_maps)" 1

# Nothing may appear on the wire unless a test sends it: the daemon's counters must be exact.
n=$(timeout 3 tcpdump -ni "$LAB_HOST_IF" -c 1 -w /dev/null 2>&1 |
	awk '/packets captured/ {print $1}')
check_eq "host end silent for 3 s (packets captured)" "$n" 0

check "status reports up" "$LAB" status "$tl_name"
check "up again on a live lab (idempotent)" "$LAB" up "$tl_name"
eval "$("$LAB" env "$tl_name")"
check "status still up" "$LAB" status "$tl_name"
check "exec runs in the namespace" bash -c "'$LAB' exec '$tl_name' ip -br link | grep -q '^$LAB_NS_IF'"
check "down" "$LAB" down "$tl_name"
check "down again (idempotent)" "$LAB" down "$tl_name"
if "$LAB" status "$tl_name" >/dev/null; then
	not_ok "status after down fails"
else
	ok "status after down fails"
fi
check_eq "no host end left" "$(ip -o link show dev "$LAB_HOST_IF" 2>/dev/null | wc -l)" 0

# A failure half way through "up" leaves nothing behind: occupy the namespace end's name.
ip link add "$LAB_NS_IF" type veth peer name "tl-${tl_name}-x"
tl_on_exit "ip link del $LAB_NS_IF"
if "$LAB" up "$tl_name" >/dev/null 2>&1; then
	not_ok "up fails when the interface name is taken"
else
	ok "up fails when the interface name is taken"
fi
check_eq "failed up removed its namespace" \
	"$(ip netns list | awk '{print $1}' | grep -cx "$LAB_NS")" 0
check_eq "failed up removed its host end" \
	"$(ip -o link show dev "$LAB_HOST_IF" 2>/dev/null | wc -l)" 0
ip link del "$LAB_NS_IF"

for bad in "" Upper abcdefghijk 'a-b' 'a/b'; do
	if "$LAB" up "$bad" >/dev/null 2>&1; then
		not_ok "name '$bad' refused"
		"$LAB" down "$bad" >/dev/null 2>&1
	else
		ok "name '$bad' refused"
	fi
done
finish
