#!/usr/bin/env bash
# Install, from Debian packages only, what dpdk-tcpd needs to build, run and test.
# Idempotent: does nothing when everything is there already.
set -euo pipefail

pkgs=(dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config gcc libcmocka-dev libsodium-dev
      libpcap-dev tshark hping3 python3 python3-scapy curl iproute2 netcat-openbsd iputils-ping
      tcpdump ethtool clang-format procps python3-matplotlib apache2-utils clang
      libclang-rt-14-dev wrk nghttp2-client httperf)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}; run as root" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
