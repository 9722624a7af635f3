#!/usr/bin/env bash
# Benchmarks from one command. Usage:
#   ops/bench.sh fleet   [fleet flags] [-- server flags]  # the documented mode: the real jar as its own process, a
#                                                          # Talos fleet (N clusters x M nodes) driving it from another
#   ops/bench.sh fleet --target=HOST:PORT [fleet flags]    # the same fleet against a discoveryd already running
#   ops/bench.sh load    [loadgen flags]   # in-process: Hello/AffiliateUpdate throughput, fan-out, per storage mode
#   ops/bench.sh coldstart [--rounds=5] ['name=command' ...]  # process start to first Hello, /readyz, a 150-Hello burst
#   ops/bench.sh restart [flags]           # 1M affiliates: ready after full replay vs after snapshot, heap per affiliate
#   ops/bench.sh memory [--idle=60s] [--clusters=10000] [--affiliates=10] [--watchers=10000] ['name=command' ...]
#                                          # the real jar per launch command: idle CPU, idle RSS, RSS per affiliate,
#                                          # GC pauses while loading and fanning out to the watchers
#   ops/bench.sh updates [--jars=before=OTHER.jar,after=service/target/discoveryd.jar] [--rounds=3] [--duration=8s]
#                        # the real jar(s) as their own processes, per storage mode in interleaved rounds: updates to one
#                        # cluster of 1000 affiliates, updates over 10k clusters, a lone update's p50/p99; ratios against
#                        # --in-memory of the same run (and against the first jar)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f ops/target/loadgen.jar ] && [ -f service/target/discoveryd.jar ] || mvn -B -ntp -q -DskipTests package -pl ops -am
flags=(--add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)
what=${1:-fleet}; shift || true

fleet() {
  local gen=() srv=() seen=0 a
  for a in "$@"; do
    if [ "$a" = "--" ]; then seen=1; elif [ $seen = 1 ]; then srv+=("$a"); else gen+=("$a"); fi
  done
  case " ${gen[*]:-} " in
    *" --target="*) exec java -Xmx1g -cp ops/target/loadgen.jar dev.discoveryd.ops.FleetLoad "${gen[@]}" ;;
  esac
  local log port
  dir=$(mktemp -d /tmp/discoveryd-fleet.XXXXXX)
  log=$dir/server.log
  # The service as users run it: its own JVM, default heap sizing, its own data directory.
  java -jar service/target/discoveryd.jar --addr=127.0.0.1:0 --landing-addr= --metrics-addr=127.0.0.1:0 \
    --data-dir="$dir/data" ${srv[@]+"${srv[@]}"} >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
  for _ in $(seq 1 600); do
    port=$(sed -n 's/.*serving gRPC on [^ ]*:\([0-9]*\) .*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 $pid 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "discoveryd did not start:" >&2; cat "$log" >&2; exit 1; }
  echo "discoveryd pid $pid on 127.0.0.1:$port (data in $dir/data, flags: ${srv[*]:-defaults})"
  java -Xmx1g -cp ops/target/loadgen.jar dev.discoveryd.ops.FleetLoad --target=127.0.0.1:"$port" \
    --server-pid=$pid ${gen[@]+"${gen[@]}"}
}

case "$what" in
  fleet) fleet "$@" ;;
  load) exec java "${flags[@]}" -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp ops/target/loadgen.jar dev.discoveryd.ops.LoadGen "$@" ;;
  coldstart) exec java -cp ops/target/loadgen.jar dev.discoveryd.ops.ColdStart "$@" ;;
  memory) exec java -Xmx2g -cp ops/target/loadgen.jar dev.discoveryd.ops.MemoryBench "$@" ;;
  updates) exec java -Xmx1g -cp ops/target/loadgen.jar dev.discoveryd.ops.UpdateBench "$@" ;;
  restart) exec java "${flags[@]}" -Xmx8g -XX:+UseParallelGC -cp ops/target/loadgen.jar dev.discoveryd.ops.RestartBench "$@" ;;
  *) echo "usage: ops/bench.sh fleet|load|coldstart|restart|memory|updates [flags]" >&2; exit 2 ;;
esac
