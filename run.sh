#!/usr/bin/env bash
# Builds (if needed) and runs the service on its embedded defaults: gRPC :3000, pages :3001, metrics :2122, data ./data.
# Any flag is passed on, e.g. ./run.sh --addr=:4000 --log-sync=always
# Picks the newest JDK it knows (Temurin 25, else the `java` on PATH; DISCOVERYD_JAVA=/path/to/java overrides) and
# starts it from a start-up cache made once per jar and JDK by a training run (`discoveryd.jar train`): the AOT cache
# on JDK 25, a class-data sharing archive on 17. DISCOVERYD_CDS=off skips it; if making it fails, the jar runs without.
# JVM options: ops/jvm.options (heap and GC, see README "Memory and GC"); DISCOVERYD_JAVA_OPTS replaces them.
# DISCOVERYD_JAR=/path/to/discoveryd.jar runs that jar (never rebuilt; its start-up cache is made beside it).
# DISCOVERYD_PRINT_COMMAND=1 makes the cache if needed, then prints the command instead of running it (benchmarks).
set -euo pipefail
cd "$(dirname "$0")"
jar=${DISCOVERYD_JAR:-service/target/discoveryd.jar}
if [ -z "${DISCOVERYD_JAR:-}" ] && { [ ! -f "$jar" ] || [ -n "$(find . -name '*.java' -newer "$jar" -print -quit 2>/dev/null)" ] || [ -n "$(find . -name 'pom.xml' -newer "$jar" -print -quit)" ]; }; then
  mvn -B -ntp -q -DskipTests package -pl service -am
fi
[ -f "$jar" ] || { echo "run.sh: no jar at $jar" >&2; exit 1; }

java=${DISCOVERYD_JAVA:-}
if [ -z "$java" ]; then
  java=java
  for candidate in /usr/lib/jvm/temurin-25-jdk-*/bin/java; do
    [ -x "$candidate" ] && "$candidate" -version >/dev/null 2>&1 && java=$candidate
  done
fi
version=$("$java" -version 2>&1)
feature=$(sed -n 's/.*version "\([0-9]*\).*/\1/p' <<<"$version" | head -1)
# shellcheck disable=SC2206
flags=(${DISCOVERYD_JAVA_OPTS-$(cat ops/jvm.options)})
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
if [ "${feature:-17}" -ge 25 ]; then # PerfDataSamplingInterval is gone in 25 (no periodic sampler to slow down)
  kept=(); for f in ${flags[@]+"${flags[@]}"}; do [[ $f == -XX:PerfDataSamplingInterval=* ]] || kept+=("$f"); done
  flags=(${kept[@]+"${kept[@]}"})
fi
[ "${feature:-17}" -ge 24 ] && flags+=(--sun-misc-unsafe-memory-access=allow) # Chronicle Queue on 24+
# 8-byte object headers (JDK 25's JEP 519; 17 has no such flag): about 40 bytes less per affiliate. Not when
# DISCOVERYD_JAVA_OPTS is set: it replaces the choice.
[ "${feature:-17}" -ge 25 ] && [ -z "${DISCOVERYD_JAVA_OPTS+set}" ] && flags+=(-XX:+UseCompactObjectHeaders)

if [ "${DISCOVERYD_CDS:-on}" != off ]; then
  # The cache holds the heap layout of the flags it was made with (object headers, GC): a change of either makes a new one.
  key=$(printf '%s\n' "$version" "${flags[*]}" | cksum | cut -d' ' -f1)
  if [ "${feature:-17}" -ge 25 ]; then
    cache=${jar%.jar}-jdk$feature-$key.aot make=(-XX:AOTCacheOutput=) use=(-XX:AOTCache=)
  else
    cache=${jar%.jar}-jdk$feature-$key.jsa make=(-XX:ArchiveClassesAtExit=) use=(-XX:SharedArchiveFile=)
  fi
  if [ ! -s "$cache" ] || [ "$jar" -nt "$cache" ]; then
    echo "run.sh: making the start-up cache $cache (once per jar and JDK; a training run of about half a minute)" >&2
    rm -f "$cache" "$cache.tmp"
    if "$java" "${flags[@]}" "${make[0]}$cache.tmp" -jar "$jar" train >"$cache.log" 2>&1 && [ -s "$cache.tmp" ]; then
      mv "$cache.tmp" "$cache"
    else
      echo "run.sh: could not make it (see $cache.log); starting without" >&2
    fi
  fi
  # A cache the JVM cannot use (another JDK build, a changed jar) is ignored with a warning, never fatal.
  [ -s "$cache" ] && flags+=("${use[0]}$(realpath "$cache")")
fi
if [ -n "${DISCOVERYD_PRINT_COMMAND:-}" ]; then
  echo env MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX" "$java" "${flags[@]}" -jar "$(realpath "$jar")" "$@"
  exit 0
fi
exec "$java" "${flags[@]}" -jar "$jar" "$@"
