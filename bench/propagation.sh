#!/usr/bin/env bash
# Configuration propagation (p50/p99 over CHANGES changes) from two control-plane replicas to three gateways, and
# the overshoot of a 100-per-minute rate-limit tier across them, with counts in Redis and without.
#
#   bench/propagation.sh            # 100 changes
#   CHANGES=400 bench/propagation.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
if [ -z "${JAVA_HOME:-}" ]; then
  for home in /usr/lib/jvm/*; do
    major=$("$home/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME="$home"; break; fi
  done
fi
(cd "$root" && mvn -B -q install -DskipTests && mvn -B -q -f bench/pom.xml package)
exec "$JAVA_HOME/bin/java" -cp "$here/target/gatehouse-bench.jar" dev.gatehouse.bench.PropagationBenchmark "${CHANGES:-100}"
