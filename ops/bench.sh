#!/usr/bin/env bash
# Benchmarks from one command. Usage:
#   ops/bench.sh load    [loadgen flags]   # Hello/AffiliateUpdate throughput and latency, fan-out to 1024 watchers, per storage mode
#   ops/bench.sh coldstart [--rounds=5] ['name=command' ...]  # process start to first Hello, /readyz, a 150-Hello burst
#   ops/bench.sh restart [flags]           # 1M affiliates: ready after full replay vs after snapshot, heap per affiliate
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f ops/target/loadgen.jar ] || mvn -B -ntp -q -DskipTests package -pl ops -am
flags=(--add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)
what=${1:-load}; shift || true
case "$what" in
  load) exec java "${flags[@]}" -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp ops/target/loadgen.jar dev.discoveryd.ops.LoadGen "$@" ;;
  coldstart) exec java -cp ops/target/loadgen.jar dev.discoveryd.ops.ColdStart "$@" ;;
  restart) exec java "${flags[@]}" -Xmx8g -XX:+UseParallelGC -cp ops/target/loadgen.jar dev.discoveryd.ops.RestartBench "$@" ;;
  *) echo "usage: ops/bench.sh load|coldstart|restart [flags]" >&2; exit 2 ;;
esac
