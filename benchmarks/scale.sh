#!/usr/bin/env bash
# The simulator at 10, 100 and 1,000 charge points, without and with the agent, in one run:
# threads, live heap and metaspace (after a full GC), RSS, and CPU over a window, so the agent's
# share shows as a difference (docs/benchmarks.md, "Scale"). Each case: a fresh redis-server, the
# embedded CSMS in its own JVM, the simulator; sampled once every charge point has booted and
# WARMUP seconds have passed, CPU over the next WINDOW seconds.
#
#   benchmarks/scale.sh                       # sizes 10 100 1000, WARMUP=20 WINDOW=30
#   SIZES="10 100" WINDOW=20 benchmarks/scale.sh --no-build
#   SIZES=1000 REPEAT=3 benchmarks/scale.sh --no-build   # plain/agent alternated three times
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/benchmarks/target/scale}
SIZES=${SIZES:-"10 100 1000"}
WARMUP=${WARMUP:-20}
WINDOW=${WINDOW:-30}
REPEAT=${REPEAT:-1}
. "$ROOT/scripts/options.sh"
script_options scale.sh "$@"
[[ $SIZES =~ ^\ *[0-9]{1,5}(\ +[0-9]{1,5})*\ *$ ]] \
  || { echo "scale.sh: SIZES must list charge-point counts separated by spaces, e.g. \"10 100 1000\" (got '$SIZES')" >&2; exit 2; }
whole_number scale.sh WARMUP 0 3600
whole_number scale.sh WINDOW 1 3600
whole_number scale.sh REPEAT 1 100
if [[ $BUILD == 1 ]]; then
  (cd "$ROOT" && mvn -q -B -Dmaven.test.skip=true -pl agent,sample-simulator -am package)
fi
SIM=$ROOT/sample-simulator/target/sample-simulator.jar
AGENT=$ROOT/agent/target/breakwater-agent.jar
for f in "$SIM" "$AGENT"; do [[ -f $f ]] || { echo "scale.sh: $f missing; run without --no-build" >&2; exit 1; }; done
command -v redis-server >/dev/null || { echo "scale.sh: redis-server is not on PATH" >&2; exit 1; }
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
trap cleanup EXIT
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# jcmd GC.heap_info after GC.run: "garbage-first heap total X, used YK" and "Metaspace used ZK".
heap_used_mb() { jcmd "$1" GC.heap_info | awk '/heap .*used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); gsub(/[^0-9]/,"",v); print int(v/1024); exit}}'; }
metaspace_mb() { jcmd "$1" GC.heap_info | awk '/Metaspace/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); gsub(/[^0-9]/,"",v); print int(v/1024); exit}}'; }

printf '%-6s %-6s %8s %10s %10s %8s %6s\n' CPS AGENT THREADS LIVE_MB META_MB RSS_MB CPU% | tee "$OUT/scale.txt"
for n in $SIZES; do
  for _ in $(seq "$REPEAT"); do
  for agent in no yes; do
    rport=$(free_port); cport=$(free_port); hport=$(free_port)
    redis-server --port "$rport" --save '' --appendonly no --daemonize no >/dev/null & PIDS+=($!)
    java -jar "$SIM" csms --port "$cport" --control-port 0 >"$OUT/csms-$n-$agent.log" 2>&1 & PIDS+=($!)
    sleep 2
    opts=(-Dorg.slf4j.simpleLogger.log.io.breakwater.simulator.chargepoint=warn)
    [[ $agent == yes ]] && opts+=("-javaagent:$AGENT")
    java "${opts[@]}" -jar "$SIM" run --csms "ws://127.0.0.1:$cport/ocpp" --redis "redis://127.0.0.1:$rport" \
        --charge-points "$n" --health-port "$hport" >"$OUT/sim-$n-$agent.log" 2>&1 & pid=$!; PIDS+=($pid)
    for _ in $(seq 120); do
      curl -s "127.0.0.1:$hport/health/detailed" 2>/dev/null | grep -q "\"bootedChargePoints\":$n[,}]" && break
      sleep 1
    done
    sleep "$WARMUP"
    t0=$(cpu_ticks "$pid"); sleep "$WINDOW"; t1=$(cpu_ticks "$pid")
    jcmd "$pid" GC.run >/dev/null
    threads=$(awk '/^Threads/ {print $2}' "/proc/$pid/status")
    rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
    cpu=$(awk -v d=$((t1 - t0)) -v w="$WINDOW" -v t="$TCK" 'BEGIN {printf "%.1f", d * 100 / w / t}')
    printf '%-6s %-6s %8s %10s %10s %8s %6s\n' "$n" "$agent" "$threads" "$(heap_used_mb "$pid")" "$(metaspace_mb "$pid")" \
        "$rss" "$cpu" | tee -a "$OUT/scale.txt"
    cleanup
  done
  done
done
echo "scale.sh: load average now $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT/scale.txt"
