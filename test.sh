#!/usr/bin/env bash
# Runs every test of every module. Installs the system packages the end-to-end tests use when they are missing
# (Chromium for the web page tests, Prometheus for the scrape test, WireGuard/nftables/iproute2 for the KubeSpan mesh
# tests; --no-install-recommends keeps apt from pulling a kernel image), then builds and tests with Maven.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
# kubespan-agent's netns mesh suites (userspace WireGuard; no kernel module needed)
for p in wireguard-go:wireguard-go wg:wireguard-tools nft:nftables ip:iproute2 ping:iputils-ping; do
  command -v "${p%%:*}" >/dev/null 2>&1 || need+=("${p#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing test prerequisites: ${need[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "note: ${need[*]} not installed; run as root (or install them) for the browser and Prometheus tests" >&2
  fi
fi

exec mvn -B -ntp verify "$@"
