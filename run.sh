#!/usr/bin/env bash
# Builds (if needed) and runs the service on its embedded defaults: gRPC :3000, pages :3001, metrics :2122, data ./data.
# Any flag is passed on, e.g. ./run.sh --addr=:4000 --log-sync=always
set -euo pipefail
cd "$(dirname "$0")"
jar=service/target/discoveryd.jar
if [ ! -f "$jar" ] || [ -n "$(find . -name '*.java' -newer "$jar" -print -quit 2>/dev/null)" ] || [ -n "$(find . -name 'pom.xml' -newer "$jar" -print -quit)" ]; then
  mvn -B -ntp -q -DskipTests package -pl service -am
fi
exec java -jar "$jar" "$@"
