#!/usr/bin/env bash
# Soak: the simulator with the agent and the Prometheus exporter under a fleet, with Redis and the
# CSMS each failing and recovering in turn, for a long time; heap, threads, file descriptors, RSS and
# the agent's queue lengths sampled every SAMPLE seconds and plotted (PNG, gnuplot), then the checks:
# everything flat, every queued message delivered, no journaled Redis write dropped or failed, and
# the CSMS's log free of duplicate or out-of-order transaction messages. Not part of mvn verify.
#
#   e2e-tests/soak.sh                                   # 60 minutes, 1,000 charge points, a fault every 3 minutes
#   MINUTES=10 CHARGE_POINTS=200 FAULT_EVERY=60 e2e-tests/soak.sh --no-build
#
# Results in e2e-tests/target/soak/ (or $SOAK_OUT): samples.csv, soak.png, summary.txt, logs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${SOAK_OUT:-$ROOT/e2e-tests/target/soak}
MINUTES=${MINUTES:-60}
CHARGE_POINTS=${CHARGE_POINTS:-1000}
FAULT_EVERY=${FAULT_EVERY:-180}
FAULT_LENGTH=${FAULT_LENGTH:-45}
SAMPLE=${SAMPLE:-10}
if [[ "${1:-}" != "--no-build" ]]; then
  (cd "$ROOT" && mvn -q -B -Dmaven.test.skip=true -pl agent,sample-simulator,jmx-config -am package)
fi
SIM=$ROOT/sample-simulator/target/sample-simulator.jar
AGENT=$ROOT/agent/target/breakwater-agent.jar
EXPORTER=$ROOT/jmx-config/target/jmx_prometheus_javaagent.jar
for f in "$SIM" "$AGENT" "$EXPORTER"; do [[ -f $f ]] || { echo "soak.sh: $f missing; run without --no-build" >&2; exit 1; }; done
for tool in redis-server curl jcmd gnuplot python3; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool is not on PATH (gnuplot: apt-get install gnuplot-nox)" >&2; exit 1; }
done
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RPORT=$(free_port); CPORT=$(free_port); CTL=$(free_port); HPORT=$(free_port); XPORT=$(free_port)
PIDS=()
cleanup() { kill -CONT "${REDIS_PID:-0}" 2>/dev/null || true; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start_redis() { redis-server --port "$RPORT" --save '' --appendonly yes --appendfsync always --dir "$OUT" >>"$OUT/redis.log" 2>&1 & REDIS_PID=$!; PIDS+=($REDIS_PID); }
start_redis
java -Xmx512m -jar "$SIM" csms --port "$CPORT" --control-port "$CTL" >"$OUT/csms.log" 2>&1 & PIDS+=($!)
sleep 2
java -Xmx1g -Dorg.slf4j.simpleLogger.log.io.breakwater.simulator.chargepoint=warn \
    "-javaagent:$AGENT=ocpp.callTimeout=10s,ocpp.resetTimeout=10s,redis.resetTimeout=5s" \
    "-javaagent:$EXPORTER=127.0.0.1:$XPORT:$ROOT/jmx-config/breakwater.yaml" \
    -jar "$SIM" run --csms "ws://127.0.0.1:$CPORT/ocpp" --redis "redis://127.0.0.1:$RPORT" \
    --charge-points "$CHARGE_POINTS" --health-port "$HPORT" >"$OUT/simulator.log" 2>&1 & SIM_PID=$!; PIDS+=($SIM_PID)

metric() { # sum of a metric's samples on the exporter page
  curl -s --max-time 5 "127.0.0.1:$XPORT/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $NF} END {printf "%.0f", s}'
}
heap_mb() { jcmd "$SIM_PID" GC.heap_info 2>/dev/null | awk '/heap .*used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); gsub(/[^0-9]/,"",v); print int(v/1024); exit}}'; }
old_gen_after_gc_mb() { # the live set as of the last collection: the line to watch for a leak
  curl -s --max-time 5 "127.0.0.1:$XPORT/metrics" | awk '/^jvm_memory_pool_collection_used_bytes\{.*G1 Old Gen/ {printf "%d", $NF/1048576}'
}

echo "seconds,heap_mb,live_mb,threads,fds,rss_mb,offline_queue,redis_journal,phase" > "$OUT/samples.csv"
start=$(date +%s); end=$((start + MINUTES * 60)); next_fault=$((start + FAULT_EVERY)); fault_kind=redis; phase=ok; heal_at=0
echo "soak: $CHARGE_POINTS charge points for $MINUTES min, a fault every $FAULT_EVERY s for $FAULT_LENGTH s; samples in $OUT/samples.csv"
while (( $(date +%s) < end )); do
  now=$(date +%s)
  if [[ $phase == ok ]] && (( now >= next_fault && now + FAULT_LENGTH + 60 < end )); then
    if [[ $fault_kind == redis ]]; then kill -9 "$REDIS_PID"; phase=redis-down; fault_kind=csms
    else curl -s -X POST "127.0.0.1:$CTL/down" >/dev/null; phase=csms-down; fault_kind=redis; fi
    heal_at=$((now + FAULT_LENGTH)); next_fault=$((now + FAULT_EVERY))
    echo "soak: $(date -u +%H:%M:%S) $phase"
  elif [[ $phase != ok ]] && (( now >= heal_at )); then
    if [[ $phase == redis-down ]]; then start_redis; else curl -s -X POST "127.0.0.1:$CTL/up" >/dev/null; fi
    echo "soak: $(date -u +%H:%M:%S) healed ($phase)"; phase=ok
  fi
  kill -0 "$SIM_PID" 2>/dev/null || { echo "soak: the simulator died" >&2; exit 1; }
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s\n' $((now - start)) "$(heap_mb)" "$(old_gen_after_gc_mb)" \
      "$(awk '/^Threads/ {print $2}' /proc/$SIM_PID/status)" "$(ls /proc/$SIM_PID/fd | wc -l)" \
      $(( $(ps -o rss= -p $SIM_PID) / 1024 )) "$(metric breakwater_offline_queue_messages)" \
      "$(metric breakwater_fallback_journal_length)" "$phase" >> "$OUT/samples.csv"
  sleep "$SAMPLE"
done

# Let everything drain, then check.
for _ in $(seq 60); do
  [[ "$(metric breakwater_offline_queue_messages)" == 0 && "$(metric breakwater_fallback_journal_length)" == 0 ]] && break
  sleep 2
done
curl -s --max-time 30 "127.0.0.1:$CTL/check" > "$OUT/check.json"
python3 - "$OUT" "$OUT/check.json" \
    "$(metric breakwater_offline_queue_messages)" "$(metric breakwater_offline_queue_dropped_total)" \
    "$(metric breakwater_offline_queue_failed_total)" "$(metric breakwater_fallback_journal_length)" \
    "$(metric breakwater_fallback_journal_dropped_total)" "$(metric breakwater_fallback_replay_failed_total)" <<'PY' | tee "$OUT/summary.txt"
import csv, json, sys
out, check = sys.argv[1], json.load(open(sys.argv[2]))
queued, q_dropped, q_failed, journal, j_dropped, j_failed = map(int, sys.argv[3:9])
# Flatness is judged after start-up (the first minute, or the first quarter of a short run).
all_rows = list(csv.DictReader(open(out + "/samples.csv")))
settle = min(60, float(all_rows[-1]["seconds"]) / 4) if all_rows else 0
rows = [r for r in all_rows if float(r["seconds"]) >= settle]
def series(k): return [float(r[k]) for r in rows if r[k] not in ("", None)]
quarter = max(1, len(rows) // 4)
def growth(k):
    v = series(k)
    return (sum(v[-quarter:]) / quarter) - (sum(v[:quarter]) / quarter) if len(v) >= 2 * quarter else 0.0
verdicts = {
    "threads flat (last quarter - first quarter <= 5)": growth("threads") <= 5,
    "file descriptors flat (<= 20)": growth("fds") <= 20,
    "live heap flat (<= 32 MB)": growth("live_mb") <= 32,
    "offline queue drained, none dropped or given up": queued == 0 and q_dropped == 0 and q_failed == 0,
    "write journal drained, none dropped or failed": journal == 0 and j_dropped == 0 and j_failed == 0,
    "CSMS log: no duplicate or out-of-order transaction message": check.get("duplicateStarts") == 0
        and check.get("duplicateStops") == 0 and check.get("outOfOrder") == 0 and check.get("wrongTransaction") == 0,
}
print(f"samples {len(rows)}; growth first->last quarter: threads {growth('threads'):+.1f}, fds {growth('fds'):+.1f}, "
      f"live heap {growth('live_mb'):+.1f} MB, RSS {growth('rss_mb'):+.1f} MB")
problems = check.get("problems") or []
print(f"CSMS: {check.get('startedTransactions')} started, {check.get('stoppedTransactions')} stopped transactions; "
      f"{len(problems)} problems{': ' + '; '.join(problems[:5]) if problems else ''} (all in check.json)")
for name, ok in verdicts.items():
    print(("OK   " if ok else "FAIL ") + name)
sys.exit(0 if all(verdicts.values()) else 1)
PY
status=${PIPESTATUS[0]}
gnuplot <<GP
set terminal pngcairo size 1200,900 font ",10" noenhanced
set output "$OUT/soak.png"
set datafile separator ","
set multiplot layout 2,2 title "Breakwater soak: $CHARGE_POINTS charge points, $MINUTES min, Redis and CSMS failing in turn"
set key autotitle columnhead
set xlabel "seconds"
plot "$OUT/samples.csv" using 1:2 with lines title "heap used MB", "" using 1:3 with lines title "old gen after GC MB", "" using 1:6 with lines title "RSS MB"
plot "$OUT/samples.csv" using 1:4 with lines title "threads"
plot "$OUT/samples.csv" using 1:5 with lines title "file descriptors"
plot "$OUT/samples.csv" using 1:7 with lines title "OCPP offline queue", "" using 1:8 with lines title "Redis write journal"
unset multiplot
GP
echo "soak: plot $OUT/soak.png; summary $OUT/summary.txt"
exit "$status"
