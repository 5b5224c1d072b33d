#!/usr/bin/env bash
# JVM start-up with and without the agent, and the time to attach to a running JVM
# (docs/benchmarks.md, "Start-up and attach"). Both are compared in the same run:
#
#   benchmarks/startup.sh               # build, then 30 start-ups of each kind and 10 attaches
#   benchmarks/startup.sh --no-build    # reuse agent/target and benchmarks/target jars
#   RUNS=50 ATTACHES=20 benchmarks/startup.sh --no-build
#
# Start-up: hyperfine (Debian package 'hyperfine') runs the same small application, which loads the
# Jedis classes the agent instruments and exits, alternately plain and with -javaagent; the report
# is the difference of the medians. Attach: a JVM of that application is started and left waiting,
# then 'breakwater-agent.jar attach <pid>' is timed from command start until it has returned, at
# which point the classes are transformed (agentmain returns after installing); 'status' then
# confirms the breakers are there. Results: benchmarks/target/startup/ (or $BENCH_OUT).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/benchmarks/target/startup}
RUNS=${RUNS:-30}
ATTACHES=${ATTACHES:-10}
. "$ROOT/scripts/options.sh"
script_options startup.sh "$@"
whole_number startup.sh RUNS 1 1000
whole_number startup.sh ATTACHES 1 1000
if [[ $BUILD == 1 ]]; then
  echo "startup.sh: building agent and benchmarks (mvn -pl benchmarks -am package)"
  (cd "$ROOT" && mvn -q -B -Dmaven.test.skip=true -pl benchmarks -am package)
fi
command -v hyperfine >/dev/null || { echo "startup.sh: hyperfine is not on PATH (apt-get install hyperfine)" >&2; exit 1; }
AGENT=$ROOT/agent/target/breakwater-agent.jar
APP=$ROOT/benchmarks/target/benchmarks.jar
for jar in "$AGENT" "$APP"; do
  [[ -f $jar ]] || { echo "startup.sh: $jar is missing; run without --no-build" >&2; exit 1; }
done
mkdir -p "$OUT"
PROBE="java -cp $APP io.breakwater.benchmarks.StartupProbe"

{
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc:   $(nproc)"
  echo "java:    $(java -version 2>&1 | head -1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

echo "== start-up: $RUNS runs each, alternating"
hyperfine -N --style basic --warmup 3 --runs "$RUNS" --export-json "$OUT/startup.json" \
  -n plain "$PROBE" \
  -n agent "java -javaagent:$AGENT -cp $APP io.breakwater.benchmarks.StartupProbe" | tee "$OUT/startup.txt"

echo "== attach: $ATTACHES times to a fresh waiting JVM"
: > "$OUT/attach-ms.txt"
for i in $(seq "$ATTACHES"); do
  coproc TARGET { exec $PROBE --wait; }
  read -r line <&"${TARGET[0]}"
  [[ $line == ready ]] || { echo "startup.sh: target did not start" >&2; exit 1; }
  start=$(date +%s%N)
  java -jar "$AGENT" attach "$TARGET_PID" > "$OUT/attach-last.txt" 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 )) >> "$OUT/attach-ms.txt"
  java -jar "$AGENT" status "$TARGET_PID" | grep -q redis || { echo "startup.sh: no redis breaker after attach" >&2; exit 1; }
  exec {TARGET[1]}>&-
  wait "$TARGET_PID" || true
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

python3 - "$OUT" <<'PY' | tee "$OUT/summary.txt"
import json, statistics, sys
out = sys.argv[1]
runs = {r["command"]: r["times"] for r in json.load(open(out + "/startup.json"))["results"]}
plain, agent = statistics.median(runs["plain"]) * 1000, statistics.median(runs["agent"]) * 1000
added = agent - plain
print(f"start-up median: plain {plain:.0f} ms, agent {agent:.0f} ms, added {added:.0f} ms "
      f"(target <= 300 ms: {'met' if added <= 300 else 'missed'})")
attach = [int(x) for x in open(out + "/attach-ms.txt").read().split()]
med = statistics.median(attach)
print(f"attach median: {med:.0f} ms over {len(attach)} (min {min(attach)}, max {max(attach)}) "
      f"(target <= 1500 ms: {'met' if med <= 1500 else 'missed'})")
PY
