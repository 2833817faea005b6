#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The namespace lab: one veth pair per NAME, its host end left to dpdk-tcpd (net_af_packet),
# its other end in a network namespace where the Linux TCP stack is the peer.
#
#   tools/lab.sh up NAME        create (idempotent: an existing lab of that NAME is rebuilt)
#   tools/lab.sh down NAME      remove (idempotent: nothing to remove is not an error)
#   tools/lab.sh exec NAME CMD  run CMD inside the namespace
#   tools/lab.sh status NAME    print the lab's variables; exit 0 if it is up, 1 if not
#   tools/lab.sh env NAME       print the variables as shell assignments (for eval)
#   tools/lab.sh relay-up NAME  the relay variant (below); down, exec, status and env work on it
#
# NAME: 1 to 10 characters [a-z0-9], so that the interface names fit IFNAMSIZ (15 characters).
# Names: namespace tcpd-NAME, host end tl-NAME-h (no address: the kernel must not talk on the
# wire the daemon owns), namespace end tl-NAME-n with 198.18.0.2/15; the daemon takes
# 198.18.0.1/15 (RFC 2544 benchmarking range: nothing here can leak to a real network).
#
# The relay variant (relay-up) puts an impairment relay (tools/tcpd-impair) on the path and a
# Linux server behind the same relay, for comparisons on the same impaired path:
#
#   tcpd-NAME            tcpd-NAME-r (relay)              host
#   tl-NAME-n  <-veth->  tl-NAME-a   tl-NAME-b  <-veth->  tl-NAME-h (dpdk-tcpd, 198.18.0.1)
#   198.18.0.2/15                    tl-NAME-c  <-veth->  tl-NAME-s in tcpd-NAME-s (198.18.0.1/15,
#                                                         a Linux server)
#
# The relay runs between tl-NAME-a and tl-NAME-b (to the daemon) or tl-NAME-a and tl-NAME-c (to
# the Linux server); both servers hold 198.18.0.1, only the one the relay connects is reachable.
# The relay's namespace has no addresses and no IPv6; env adds LAB_RELAY_NS, LAB_RELAY_A,
# LAB_RELAY_B, LAB_RELAY_C, LAB_SRV_NS, LAB_SRV_IF, LAB_SRV_MAC for such a lab (and nothing for a
# plain one). The client and host ends keep their names, so whatever uses LAB_NS/LAB_HOST_IF works.
#
# Checksum offloads, GSO, TSO and GRO are switched off on both ends: af_packet hands the daemon
# frames exactly as the namespace's kernel built them, so a frame with a checksum left to
# "hardware" would be dropped as bad, and a 64 KiB GSO super-frame would not fit an mbuf.
set -euo pipefail

LAB_NS_IP=198.18.0.2
LAB_DAEMON_IP=198.18.0.1
LAB_PREFIX=15

die() {
	echo "lab: $*" >&2
	exit 1
}

usage() {
	sed -n '4,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

names() {
	local name=$1
	[[ $name =~ ^[a-z0-9]{1,10}$ ]] || die "bad NAME '$name': 1 to 10 characters [a-z0-9]"
	NS=tcpd-$name
	HOST_IF=tl-$name-h
	NS_IF=tl-$name-n
	RELAY_NS=tcpd-$name-r
	RELAY_A=tl-$name-a
	RELAY_B=tl-$name-b
	RELAY_C=tl-$name-c
	SRV_NS=tcpd-$name-s
	SRV_IF=tl-$name-s
}

ns_exists() {
	netns_exists "$NS"
}

netns_exists() {
	ip netns list | awk '{print $1}' | grep -qx -- "$1"
}

lab_down() {
	# Deleting the namespace destroys its veth end and with it the host end; delete the host
	# end too in case the pair was never moved (a failure half way through "up").
	if ns_exists; then
		ip netns del "$NS"
	fi
	# The relay variant's namespaces (nothing to do for a plain lab).
	local n
	for n in "$RELAY_NS" "$SRV_NS"; do
		if netns_exists "$n"; then
			ip netns del "$n"
		fi
	done
	# The namespace's teardown may remove the pair while we look: a failed del is no error,
	# the wait below is the check.
	ip link del dev "$HOST_IF" >/dev/null 2>&1 || true
	# Netns deletion is asynchronous in the kernel; wait until the name is free again.
	local i
	for i in $(seq 50); do
		ip link show dev "$HOST_IF" >/dev/null 2>&1 || return 0
		sleep 0.1
	done
	die "$HOST_IF still exists after down"
}

offloads_off() {
	# $1: "" or "ip netns exec NS"
	$1 ethtool -K "$2" tx off rx off gso off tso off gro off >/dev/null 2>&1 ||
		die "ethtool -K $2 failed (is ethtool installed?)"
}

# in_order IFACE: the frames the kernel peer sends reach IFACE's packet sockets (the daemon's
# net_af_packet, tcpdump) in the order it sent them. With GRO off a veth has no NAPI ring:
# veth_xmit hands each frame to netif_rx, which queues it on the backlog of the CPU that sent
# it (enqueue_to_backlog(smp_processor_id())), and two CPUs' backlogs are processed
# independently. Linux sends one connection's segments from several CPUs, in the socket lock's
# order: a bare ACK from the softirq that took our segment (tcp_send_ack; the handshake's from
# tcp_rcv_synsent_state_process), the data that follows from the application's write on the
# other CPU. Once in a while the ACK waited in its CPU's backlog and arrived after the data:
# SEG.SEQ < RCV.NXT without data, not acceptable (RFC 9293 3.10.7.4), counted
# drop_out_of_window with no retransmission of Linux's behind it (interop_loadgen: 7 runs in 32,
# 0 in 40 with this). RPS with a single CPU in the map queues every frame on that CPU's backlog
# instead (netif_rx_internal -> get_rps_cpu): one FIFO queue, filled in the socket lock's order.
in_order() {
	local q
	for q in /sys/class/net/"$1"/queues/rx-*/rps_cpus; do
		echo 1 >"$q" || die "cannot set $q"
	done
}

lab_up() {
	command -v ethtool >/dev/null || die "ethtool not found (apt-get install ethtool)"
	lab_down
	# From here on, any failure removes what was created.
	trap 'rc=$?; trap - EXIT; lab_down >/dev/null 2>&1 || true; exit $rc' EXIT
	ip netns add "$NS"
	ip link add "$HOST_IF" type veth peer name "$NS_IF"
	# Host end: no IPv4 address, no IPv6 (no link-local address, no router or neighbour
	# solicitations, no MLD reports), so the kernel sends nothing the daemon would have to
	# count. Set before the link goes up, when IPv6 would start DAD.
	sysctl -qw "net.ipv6.conf.$HOST_IF.disable_ipv6=1"
	offloads_off "" "$HOST_IF"
	in_order "$HOST_IF"
	ip link set "$NS_IF" netns "$NS"
	local nsx="ip netns exec $NS"
	# Namespace end: IPv4 only too, so the daemon's counters see only what a test sends.
	$nsx sysctl -qw "net.ipv6.conf.all.disable_ipv6=1"
	$nsx sysctl -qw "net.ipv6.conf.default.disable_ipv6=1"
	offloads_off "$nsx" "$NS_IF"
	$nsx ip addr add "$LAB_NS_IP/$LAB_PREFIX" dev "$NS_IF"
	$nsx ip link set lo up
	$nsx ip link set "$NS_IF" up
	ip link set "$HOST_IF" up
	# Wait for carrier on both ends (veth reports it once both are up).
	local i
	for i in $(seq 50); do
		if [ "$(cat "/sys/class/net/$HOST_IF/carrier" 2>/dev/null)" = 1 ]; then
			trap - EXIT
			return 0
		fi
		sleep 0.1
	done
	die "$HOST_IF has no carrier"
}

# ns_if_setup NS IF [ADDR]: in namespace NS, IPv6 off, offloads off, ADDR if any, up.
ns_if_setup() {
	local nsx="ip netns exec $1"
	$nsx sysctl -qw "net.ipv6.conf.all.disable_ipv6=1"
	$nsx sysctl -qw "net.ipv6.conf.default.disable_ipv6=1"
	offloads_off "$nsx" "$2"
	[ -z "${3:-}" ] || $nsx ip addr add "$3" dev "$2"
	$nsx ip link set lo up
	$nsx ip link set "$2" up
}

relay_up() {
	command -v ethtool >/dev/null || die "ethtool not found (apt-get install ethtool)"
	lab_down
	trap 'rc=$?; trap - EXIT; lab_down >/dev/null 2>&1 || true; exit $rc' EXIT
	ip netns add "$NS"
	ip netns add "$RELAY_NS"
	ip netns add "$SRV_NS"
	ip link add "$NS_IF" type veth peer name "$RELAY_A"
	ip link add "$HOST_IF" type veth peer name "$RELAY_B"
	ip link add "$SRV_IF" type veth peer name "$RELAY_C"
	# Host end: as in a plain lab (no address, no IPv6: the kernel says nothing on the wire).
	sysctl -qw "net.ipv6.conf.$HOST_IF.disable_ipv6=1"
	offloads_off "" "$HOST_IF"
	in_order "$HOST_IF"
	ip link set "$NS_IF" netns "$NS"
	ip link set "$RELAY_A" netns "$RELAY_NS"
	ip link set "$RELAY_B" netns "$RELAY_NS"
	ip link set "$RELAY_C" netns "$RELAY_NS"
	ip link set "$SRV_IF" netns "$SRV_NS"
	ns_if_setup "$NS" "$NS_IF" "$LAB_NS_IP/$LAB_PREFIX"
	ns_if_setup "$SRV_NS" "$SRV_IF" "$LAB_DAEMON_IP/$LAB_PREFIX"
	# The relay's interfaces: no address, so its kernel neither answers nor forwards anything.
	local i
	for i in "$RELAY_A" "$RELAY_B" "$RELAY_C"; do
		ns_if_setup "$RELAY_NS" "$i"
	done
	ip link set "$HOST_IF" up
	for i in $(seq 50); do
		if [ "$(cat "/sys/class/net/$HOST_IF/carrier" 2>/dev/null)" = 1 ]; then
			trap - EXIT
			return 0
		fi
		sleep 0.1
	done
	die "$HOST_IF has no carrier"
}

lab_env() {
	local up=0 host_mac="" ns_mac=""
	if ns_exists && ip link show dev "$HOST_IF" >/dev/null 2>&1; then
		up=1
		host_mac=$(cat "/sys/class/net/$HOST_IF/address")
		ns_mac=$(ip netns exec "$NS" cat "/sys/class/net/$NS_IF/address" 2>/dev/null || true)
	fi
	cat <<EOF
LAB_UP=$up
LAB_NS=$NS
LAB_HOST_IF=$HOST_IF
LAB_NS_IF=$NS_IF
LAB_HOST_MAC=$host_mac
LAB_NS_MAC=$ns_mac
LAB_NS_IP=$LAB_NS_IP
LAB_DAEMON_IP=$LAB_DAEMON_IP
LAB_PREFIX=$LAB_PREFIX
EOF
	if netns_exists "$RELAY_NS"; then
		cat <<EOF
LAB_RELAY_NS=$RELAY_NS
LAB_RELAY_A=$RELAY_A
LAB_RELAY_B=$RELAY_B
LAB_RELAY_C=$RELAY_C
LAB_SRV_NS=$SRV_NS
LAB_SRV_IF=$SRV_IF
LAB_SRV_MAC=$(ip netns exec "$SRV_NS" cat "/sys/class/net/$SRV_IF/address" 2>/dev/null || true)
EOF
	fi
	[ $up = 1 ]
}

[ $# -ge 2 ] || usage
cmd=$1
names "$2"
shift 2

case $cmd in
up)
	[ "$(id -u)" = 0 ] || die "must be root"
	lab_up
	;;
down)
	[ "$(id -u)" = 0 ] || die "must be root"
	lab_down
	;;
relay-up)
	[ "$(id -u)" = 0 ] || die "must be root"
	relay_up
	;;
exec)
	[ $# -ge 1 ] || usage
	ns_exists || die "lab $NS is not up"
	exec ip netns exec "$NS" "$@"
	;;
status)
	if lab_env; then
		ip -br link show dev "$HOST_IF"
		ip netns exec "$NS" ip -br addr show dev "$NS_IF"
	else
		exit 1
	fi
	;;
env)
	lab_env
	;;
*)
	usage
	;;
esac
