#!/usr/bin/env bash
# The attack soak: the service jar as its own process on loopback, attacked from several 127.0.0.x addresses
# (non-reading watchers, malformed frames, rapid resets, oversized headers, /inspect fetchers) while a well-behaved
# client measures Hello and Watch delivery latency and checks that nothing acknowledged is lost (also across a kill -9).
# Stops by itself. Usage: ops/soak-attack.sh [--duration=90s] [--heap=512m] [--hello-p99-ms=250]
#                                           [--delivery-p99-ms=500] [--heap-max-mib=384]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f ops/target/loadgen.jar ] || [ ! -f service/target/discoveryd.jar ]; then
  mvn -B -ntp -q -DskipTests package -pl ops -am
fi
exec java -Xmx1g -cp ops/target/loadgen.jar dev.discoveryd.ops.soak.AttackSoak "$@"
