#!/usr/bin/env bash
# Benchmarks from one command. Usage:
#   ops/bench.sh fleet   [fleet flags] [-- server flags]  # the documented mode: the real jar as its own process, a
#                                                          # Talos fleet (N clusters x M nodes) driving it from another
#   ops/bench.sh fleet --target=HOST:PORT [fleet flags]    # the same fleet against a discoveryd already running
#   ops/bench.sh load    [loadgen flags]   # in-process: Hello/AffiliateUpdate throughput, fan-out, per storage mode
#   ops/bench.sh coldstart [--rounds=5] ['name=command' ...]  # process start to first Hello, /readyz, a 150-Hello burst
#   ops/bench.sh restart [flags]           # 1M affiliates: ready after full replay vs after snapshot, heap per affiliate
#   ops/bench.sh restart-real [--jars=before=OTHER.jar,after=service/target/discoveryd.jar] [--rounds=3]
#                        [--clusters=100000] [--affiliates=10] [--events=4] [--work=DIR]
#                        # the real jar(s) started as run.sh starts them (start-up cache included), cold, process start
#                        # to the first served List: from the snapshot vs a full replay of the history, interleaved
#                        # rounds; --work=DIR keeps the generated history (and each jar's snapshot) for the next run
#   ops/bench.sh memory [--idle=60s] [--settle=5s] [--clusters=10000] [--affiliates=10] [--watchers=10000] ['name=command' ...]
#                                          # the real jar per launch command: idle CPU, idle RSS, RSS per affiliate,
#                                          # GC pauses while loading and fanning out to the watchers
#   ops/bench.sh updates [--jars=before=OTHER.jar,after=service/target/discoveryd.jar] [--rounds=3] [--duration=8s]
#                        # the real jar(s) as their own processes, per storage mode in interleaved rounds: updates to one
#                        # cluster of 1000 affiliates, updates over 10k clusters, a lone update's p50/p99; ratios against
#                        # --in-memory of the same run (and against the first jar); an unreported in-memory warm-up
#                        # server first (--warmup-server=false skips it)
#   ops/bench.sh compare [--rounds=2] [--modes=memory,never,periodic,always] [--duration=3s] [--rss-at=100000,1000000]
#                        # every workload of the speed issue in one table, the real jar per storage mode in interleaved
#                        # rounds, ratios against --in-memory of the same round: h2load (nghttp2-client) for Hello,
#                        # updates to one cluster and List of 100; the load generator for updates over 10k clusters, a
#                        # lone update, fan-out to 1024 watchers, 5,000 idle Watch connections; start to first Hello;
#                        # RSS per affiliate (memory mode) at 100k and 1M; restart with 1M affiliates (restart mode)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f ops/target/loadgen.jar ] && [ -f service/target/discoveryd.jar ] || mvn -B -ntp -q -DskipTests package -pl ops -am
flags=(--add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)
what=${1:-fleet}; shift || true

# h2load comes from Debian's nghttp2-client; installed here when root and missing, as test.sh does for its packages.
need_h2load() {
  command -v h2load >/dev/null 2>&1 && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing nghttp2-client (h2load)" >&2
    apt-get -qq -o DPkg::Lock::Timeout=600 update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
      nghttp2-client >/dev/null
  else
    echo "h2load not found: install nghttp2-client (Debian) or run as root" >&2; exit 1
  fi
}

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
  compare)
    need_h2load
    # The jar as run.sh starts it (ops/jvm.options, MALLOC_ARENA_MAX), on the java on PATH; --launch= replaces it.
    # The restart rows (1M affiliates): the real-jar restart mode when this script has one, else the in-process
    # mode; --restart-command= replaces it ('' skips it).
    restart='ops/bench.sh restart --clusters=100000 --affiliates=10'
    grep -q '^  restart-real)' "$0" && restart='ops/bench.sh restart-real --rounds=1'
    exec java -Xmx2g -cp ops/target/loadgen.jar dev.discoveryd.ops.Compare "$@" \
      "--launch=env MALLOC_ARENA_MAX=2 java $(cat ops/jvm.options) -jar service/target/discoveryd.jar" \
      "--restart-command=$restart" ;;
  restart-real)
    rest=(); jars=
    for a in "$@"; do case $a in --jars=*) jars=${a#--jars=} ;; *) rest+=("$a") ;; esac; done
    named=0; for a in ${rest[@]+"${rest[@]}"}; do [[ $a == --* ]] || named=1; done
    [ -n "$jars" ] || [ $named = 1 ] || jars=jar=service/target/discoveryd.jar
    IFS=, read -ra pairs <<<"$jars"
    for pair in ${pairs[@]+"${pairs[@]}"}; do
      # The command run.sh would run for that jar, its start-up cache made first (a training run, once per jar).
      rest+=("${pair%%=*}=$(DISCOVERYD_JAR="$(realpath "${pair#*=}")" DISCOVERYD_PRINT_COMMAND=1 ./run.sh)")
    done
    exec java "${flags[@]}" -Xmx2g -cp ops/target/loadgen.jar dev.discoveryd.ops.RealRestart ${rest[@]+"${rest[@]}"} ;;
  restart) exec java "${flags[@]}" -Xmx8g -XX:+UseParallelGC -cp ops/target/loadgen.jar dev.discoveryd.ops.RestartBench "$@" ;;
  *) echo "usage: ops/bench.sh fleet|load|coldstart|restart|restart-real|memory|updates|compare [flags]" >&2; exit 2 ;;
esac
