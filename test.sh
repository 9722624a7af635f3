#!/usr/bin/env bash
# Runs every test of every module. First installs the Debian packages the tests drive (when root and missing), then
# builds and tests with Maven. A fresh Debian 12 with only a JDK 17 and Maven passes it: ops/fresh-machine-test.sh.
set -euo pipefail
cd "$(dirname "$0")"

# Every system package a test needs, one per line, with the test that needs it. Add yours here (nowhere else).
packages=(
  chromium          # BrowserEndToEndTest: the headless browser
  chromium-driver   # BrowserEndToEndTest: chromedriver, which drives it
  prometheus        # PrometheusScrapeTest: a real scrape of /metrics; ops AlertRulesTest (promtool), MonitoringEndToEndIT
  systemd           # ops SystemdUnitsTest: systemd-analyze verify / security
  openssl           # ops MonitoringEndToEndIT, KubernetesManifestsIT: self-signed TLS pairs
  wireguard-go      # LinuxMesh*Test (kubespan-agent): userspace WireGuard, one per test host (no kernel module needed)
  wireguard-tools   # LinuxMesh*Test: wg, for looking at a failed run
  nftables          # LinuxMesh*Test: the KubeSpan marking chains
  iproute2          # LinuxMesh*Test: network namespaces, routes, rules
  iputils-ping      # LinuxMesh*Test: ping across the test hosts
)
# ops ContainerImageIT (opt-in, minutes): base images by debootstrap, built with buildah, run with podman (runc for
# hosts with hybrid cgroups, where crun cannot start containers).
if [ "${DISCOVERYD_CONTAINER_TEST:-}" = 1 ]; then
  packages+=(debootstrap buildah podman runc curl)
fi

missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing test prerequisites: ${missing[*]}"
    # Waits for another apt (unattended upgrades, a second test run) instead of failing on its lock.
    apt=(apt-get -qq -o DPkg::Lock::Timeout=600)
    "${apt[@]}" update >/dev/null
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "note: ${missing[*]} not installed; run as root on Debian (or install them) for the tests that need them" >&2
  fi
fi

# ops KubernetesManifestsIT: the Kubernetes OpenAPI schemas come from the kubernetes-models npm package.
if command -v npm >/dev/null 2>&1 && [ ! -d ops/kubernetes/validate/node_modules ]; then
  npm ci --prefix ops/kubernetes/validate --no-audit --no-fund --loglevel=error >/dev/null \
    || echo "note: npm ci in ops/kubernetes/validate failed; KubernetesManifestsIT will skip" >&2
fi

exec mvn -B -ntp verify "$@"
