#!/usr/bin/env bash
# Runs every test of every module. Installs the system packages the end-to-end tests use when they are missing
# (Chromium for the web page tests, Prometheus for the scrape test), then builds and tests with Maven.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
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
