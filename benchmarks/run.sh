#!/usr/bin/env bash
# Builds the agent and the JMH benchmarks, runs the suite and prints the JMH table and the ratios
# against the targets (see docs/benchmarks.md).
#
#   benchmarks/run.sh                       # whole suite, a few minutes on 2 cores
#   benchmarks/run.sh --no-build            # reuse agent/target and benchmarks/target jars
#   benchmarks/run.sh BreakerOverhead -prof gc    # anything else goes to JMH (filters, -prof, -f, ...)
#
# The jars are copied into a scratch directory first and JMH runs there, so a build started
# meanwhile (mvn verify rewrites agent/target and benchmarks/target) cannot change what a later
# fork loads. The forks that need the agent find it at agent/target/breakwater-agent.jar relative
# to that directory, the layout of the repository. Results: benchmarks/target/jmh/ (or $BENCH_OUT).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/benchmarks/target/jmh}
BUILD=1
. "$ROOT/scripts/options.sh"
if [[ "${1:-}" == "--no-build" ]]; then
  BUILD=0
  shift
fi
for argument in "$@"; do
  case $argument in
    -h|--help) script_help; echo "JMH's own options: java -jar benchmarks/target/benchmarks.jar -h"; exit 0 ;;
    --*) echo "run.sh: unknown option '$argument' (--no-build comes first; JMH's options have one dash)" >&2; exit 2 ;;
  esac
done

command -v redis-server >/dev/null || { echo "run.sh: redis-server is not on PATH (apt-get install redis-server)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run.sh: python3 is needed for the ratios" >&2; exit 1; }

cd "$ROOT"
if [[ $BUILD == 1 ]]; then
  echo "run.sh: building agent and benchmarks (mvn -pl benchmarks -am package)"
  mvn -q -B -Dmaven.test.skip=true -pl benchmarks -am package
fi
for jar in agent/target/breakwater-agent.jar benchmarks/target/benchmarks.jar; do
  [[ -f $jar ]] || { echo "run.sh: $jar is missing; run without --no-build" >&2; exit 1; }
done

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/breakwater-bench.XXXXXX")
trap 'rm -rf "$RUN_DIR"' EXIT
mkdir -p "$RUN_DIR/agent/target" "$OUT"
cp agent/target/breakwater-agent.jar "$RUN_DIR/agent/target/"
cp benchmarks/target/benchmarks.jar "$RUN_DIR/"

{
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- agent 2>/dev/null || echo ' (agent/ has uncommitted changes)')"
  echo "nproc:   $(nproc)"
  echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo "vm:      $(java -version 2>&1 | tail -1)"
  echo "redis:   $(redis-server --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

cd "$RUN_DIR"
status=0
java -jar benchmarks.jar -rf json -rff result.json "$@" 2>&1 | tee "$OUT/jmh.txt" || status=$?
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
if [[ -f result.json ]]; then
  cp result.json "$OUT/result.json"
  python3 "$ROOT/benchmarks/report.py" "$OUT/result.json" | tee "$OUT/ratios.txt"
else
  echo "run.sh: JMH wrote no result" >&2
  [[ $status == 0 ]] && status=1
fi
echo "run.sh: results in $OUT"
exit "$status"
