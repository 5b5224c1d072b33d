#!/usr/bin/env bash
# Soak: the simulator with the agent and the Prometheus exporter under a fleet, with Redis and the
# CSMS each failing and recovering in turn, for a long time; heap, threads, file descriptors, RSS and
# the agent's queue lengths sampled every SAMPLE seconds and plotted (PNG, gnuplot). Then the fleet is
# settled (the CSMS sends ChangeAvailability Inoperative to every charge point; wait until no
# transaction runs and nothing is queued, journaled or in flight) and checked: everything flat, every
# queued message delivered, the CSMS's complete log free of duplicate or out-of-order transaction
# messages, none lost (the CSMS's counts against the simulator's), and Redis, read directly, holding
# exactly the state every charge point has in memory (none of its writes lost). Not part of mvn verify.
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
. "$ROOT/scripts/options.sh"
script_options soak.sh "$@"
whole_number soak.sh MINUTES 1 1440
whole_number soak.sh CHARGE_POINTS 1 10000
whole_number soak.sh FAULT_EVERY 10 86400
whole_number soak.sh FAULT_LENGTH 1 86400
whole_number soak.sh SAMPLE 1 600
(( FAULT_LENGTH < FAULT_EVERY )) || { echo "soak.sh: FAULT_LENGTH ($FAULT_LENGTH s) must be shorter than FAULT_EVERY ($FAULT_EVERY s)" >&2; exit 2; }
if [[ $BUILD == 1 ]]; then
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
rm -rf "$OUT"/appendonly.aof "$OUT"/appendonlydir "$OUT"/*.json "$OUT"/summary.txt
# Every message the CSMS receives stays in its log for the check: room for one a second per charge point
# (the simulator sends about one every 2.5 s), at least the default million; about 250 bytes each.
LOG_CAPACITY=$(( CHARGE_POINTS * MINUTES * 60 > 1000000 ? CHARGE_POINTS * MINUTES * 60 : 1000000 ))
CSMS_HEAP_MB=$(( 512 + LOG_CAPACITY * 400 / 1048576 ))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RPORT=$(free_port); CPORT=$(free_port); CTL=$(free_port); HPORT=$(free_port); XPORT=$(free_port)
PIDS=()
cleanup() { kill -CONT "${REDIS_PID:-0}" 2>/dev/null || true; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start_redis() { redis-server --port "$RPORT" --save '' --appendonly yes --appendfsync always --dir "$OUT" >>"$OUT/redis.log" 2>&1 & REDIS_PID=$!; PIDS+=($REDIS_PID); }
start_redis
java -Xmx${CSMS_HEAP_MB}m -jar "$SIM" csms --port "$CPORT" --control-port "$CTL" \
    --message-log-capacity "$LOG_CAPACITY" >"$OUT/csms.log" 2>&1 & PIDS+=($!)
sleep 2
java -Xmx1g -Dorg.slf4j.simpleLogger.log.io.breakwater.simulator.chargepoint=warn \
    "-javaagent:$AGENT=ocpp.callTimeout=10s,ocpp.resetTimeout=10s,redis.resetTimeout=5s" \
    "-javaagent:$EXPORTER=127.0.0.1:$XPORT:$ROOT/jmx-config/breakwater.yaml" \
    -jar "$SIM" run --csms "ws://127.0.0.1:$CPORT/ocpp" --redis "redis://127.0.0.1:$RPORT" \
    --charge-points "$CHARGE_POINTS" --health-port "$HPORT" >"$OUT/simulator.log" 2>&1 & SIM_PID=$!; PIDS+=($SIM_PID)

metric() { # sum of a metric's samples on the exporter page; NA if the page or the metric is missing (a check then fails)
  curl -s --max-time 10 "127.0.0.1:$XPORT/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $NF; n++} END {if (n) printf "%.0f", s; else printf "NA"}'
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
    if [[ $fault_kind == redis ]]; then kill -9 "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; phase=redis-down; fault_kind=csms
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

# Settle the fleet: every charge point out of service (connector 0 Inoperative: a session under way ends as
# it would, then its connector goes Unavailable; no new one starts), then wait until no transaction runs,
# nothing is queued by the simulator or the agent, the write journal is empty, no Redis command is in
# flight, and the transaction counters at both ends have stopped moving (a StopTransaction retried later).
echo "soak: $(date -u +%H:%M:%S) settling the fleet (ChangeAvailability Inoperative to every charge point)"
sim_get() { curl -s --max-time 30 "127.0.0.1:$HPORT$1"; }
settled=no; last=""; stable=0
for round in $(seq 60); do
  if (( round % 12 == 1 )); then # again every minute, for charge points that were reconnecting
    curl -s --max-time 60 -X POST "127.0.0.1:$CTL/availability?type=Inoperative" > "$OUT/availability.json"
  fi
  sim_get /health/state > "$OUT/state.json"; sim_get /health/detailed > "$OUT/detailed.json"
  curl -s --max-time 10 "127.0.0.1:$CTL/stats" > "$OUT/csms-stats.json"
  now_state=$(python3 - "$OUT" "$(metric breakwater_offline_queue_messages)" "$(metric breakwater_fallback_journal_length)" <<'PY'
import json, sys
def num(text): return None if text in ("", "NA") else int(text)  # None: the exporter did not say
out, queued, journal = sys.argv[1], num(sys.argv[2]), num(sys.argv[3])
state, sim = json.load(open(out + "/state.json")), json.load(open(out + "/detailed.json"))["simulator"]
csms = json.load(open(out + "/csms-stats.json"))["counts"]
busy = [cp for cp, s in state.items() if s.get("transactionId") is not None
        or any(v != "Unavailable" for v in s["connectors"].values())]
tx = ("StartTransaction", "StopTransaction", "MeterValues")
calls = sim["calls"]
counters = [calls.get(a, {}).get(k, 0) for a in tx for k in ("ok", "failed", "skipped")] + [csms.get(a, 0) for a in tx]
quiet = not busy and queued == 0 and journal == 0 and sim["callsWaiting"] == 0 and sim["redisCommandsInFlight"] == 0
print(("quiet " if quiet else "busy ") + ",".join(map(str, counters))
      + f" busy={len(busy)} queued={queued} journal={journal} waiting={sim['callsWaiting']} redis={sim['redisCommandsInFlight']}")
PY
)
  if [[ $now_state == quiet* && "${now_state%% busy=*}" == "$last" ]]; then stable=$((stable + 1)); else stable=0; fi
  last=${now_state%% busy=*}
  (( round % 6 == 0 )) && echo "soak: settling: $now_state"
  if (( stable >= 3 )); then settled=yes; break; fi
  sleep 5
done
echo "soak: $(date -u +%H:%M:%S) settled: $settled ($now_state)"
# Compared: the CSMS's check of its whole log, the simulator's counters and in-memory state, and Redis read
# directly (not through the agent); the state is read again afterwards, to show nothing moved meanwhile.
curl -s --max-time 120 "127.0.0.1:$CTL/check" > "$OUT/check.json"
sim_get /health/detailed > "$OUT/detailed.json"
sim_get /health/state > "$OUT/state.json"
python3 - "$RPORT" "$OUT/state.json" > "$OUT/redis.json" <<'PY'
import json, socket, sys
port, state = int(sys.argv[1]), json.load(open(sys.argv[2]))
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
reader = sock.makefile("rb")
def command(*args):
    parts = [f"*{len(args)}\r\n".encode()] + [f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args]
    sock.sendall(b"".join(parts))
    return reply()
def reply(): # RESP2: simple string, error, integer, bulk string, array
    line = reader.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:].decode()
    if kind == b"+": return rest
    if kind == b"-": raise RuntimeError(rest)
    if kind == b":": return int(rest)
    if kind == b"$": return None if int(rest) < 0 else reader.read(int(rest) + 2)[:-2].decode()
    if kind == b"*": return None if int(rest) < 0 else [reply() for _ in range(int(rest))]
    raise RuntimeError(f"unexpected reply {line!r}")
prefix = "breakwater-sim:cp:"
redis = {}
for cp in state:
    flat = command("HGETALL", prefix + cp + ":connectors")
    redis[cp] = {"meter": command("GET", prefix + cp + ":meter"), "tx": command("GET", prefix + cp + ":tx"),
                 "connectors": dict(zip(flat[0::2], flat[1::2]))}
json.dump(redis, sys.stdout, indent=1, sort_keys=True)
PY
sleep 5
sim_get /health/state > "$OUT/state-after.json"
status=0
python3 - "$OUT" "$settled" \
    "$(metric breakwater_offline_queue_messages)" "$(metric breakwater_offline_queue_dropped_total)" \
    "$(metric breakwater_offline_queue_failed_total)" "$(metric breakwater_fallback_journal_length)" \
    "$(metric breakwater_fallback_journal_dropped_total)" "$(metric breakwater_fallback_replay_failed_total)" <<'PY' | tee "$OUT/summary.txt" || status=$?
import csv, json, sys
out, settled = sys.argv[1], sys.argv[2] == "yes"
check = json.load(open(out + "/check.json"))
stalled = json.load(open(out + "/csms-stats.json")).get("stalledWritesResumed")
def num(text): return None if text in ("", "NA") else int(text)  # None: the exporter did not say, and the check fails
queued, q_dropped, q_failed, journal, j_dropped, j_failed = map(num, sys.argv[3:9])
sim = json.load(open(out + "/detailed.json"))["simulator"]
state, state_after, redis = (json.load(open(out + f)) for f in ("/state.json", "/state-after.json", "/redis.json"))
def calls(action, kind): return sim["calls"].get(action, {}).get(kind, 0)
# Flatness is judged after start-up (the first minute, or the first quarter of a short run).
all_rows = list(csv.DictReader(open(out + "/samples.csv")))
settle = min(60, float(all_rows[-1]["seconds"]) / 4) if all_rows else 0
rows = [r for r in all_rows if float(r["seconds"]) >= settle]
def series(k): return [float(r[k]) for r in rows if r[k] not in ("", None)]
quarter = max(1, len(rows) // 4)
def growth(k):
    v = series(k)
    return (sum(v[-quarter:]) / quarter) - (sum(v[:quarter]) / quarter) if len(v) >= 2 * quarter else 0.0
# None lost, by counts (a queued message's future completes when the agent delivers it, and the log has no
# duplicate): every transaction the simulator saw started and stopped is one the CSMS started and stopped.
# A StartTransaction whose answer was cut off is in doubt: the CSMS has it open, the simulator called the
# session off; there can be no more of those than StartTransactions failed. MeterValues are not resent: the
# CSMS has those answered ok, plus at most those that failed (in flight at a cut).
open_at_csms = check.get("openTransactions", -1)
start_ok, stop_ok = calls("StartTransaction", "ok"), calls("StopTransaction", "ok")
mv_ok, mv_failed = calls("MeterValues", "ok"), calls("MeterValues", "failed")
mv_extra = check.get("meterValues", -1) - mv_ok
# No Redis write lost: what Redis holds (read directly) is what every charge point has in memory.
mismatches = []
for cp, mine in state.items():
    stored = redis.get(cp, {})
    expected = {"meter": str(mine["meterWh"]),
                "tx": None if mine.get("transactionId") is None else str(mine["transactionId"]),
                "connectors": mine["connectors"]}
    for key, value in expected.items():
        if stored.get(key) != value:
            mismatches.append(f"{cp} {key}: memory {value!r}, Redis {stored.get(key)!r}")
json.dump(mismatches, open(out + "/redis-mismatches.json", "w"), indent=1)
verdicts = {
    "threads flat (last quarter - first quarter <= 5)": growth("threads") <= 5,
    "file descriptors flat (<= 20)": growth("fds") <= 20,
    "live heap flat (<= 32 MB)": growth("live_mb") <= 32,
    "fleet settled (no transaction running, nothing queued, journaled or in flight)": settled and state == state_after,
    "offline queue drained, none dropped or given up": queued == 0 and q_dropped == 0 and q_failed == 0,
    "write journal drained, none dropped or failed": journal == 0 and j_dropped == 0 and j_failed == 0,
    "CSMS log complete (nothing pushed out)": check.get("complete") is True,
    "CSMS log: no duplicate or out-of-order transaction message": check.get("duplicateStarts") == 0
        and check.get("duplicateStops") == 0 and check.get("duplicateMeterValues") == 0
        and check.get("outOfOrder") == 0 and check.get("wrongTransaction") == 0,
    "no StartTransaction lost (CSMS started - in doubt == simulator ok)":
        check.get("startedTransactions", -1) - open_at_csms == start_ok
        and 0 <= open_at_csms <= calls("StartTransaction", "failed"),
    "no StopTransaction lost (CSMS stopped == simulator ok)": check.get("stoppedTransactions", -1) == stop_ok,
    "no MeterValues lost but those in doubt (0 <= CSMS - simulator ok <= simulator failed)": 0 <= mv_extra <= mv_failed,
    "no Redis write lost (meter, transaction, connector statuses in Redis == each charge point's memory)":
        not mismatches and len(redis) == len(state) > 0,
}
print(f"samples {len(rows)}; growth first->last quarter: threads {growth('threads'):+.1f}, fds {growth('fds'):+.1f}, "
      f"live heap {growth('live_mb'):+.1f} MB, RSS {growth('rss_mb'):+.1f} MB")
problems = check.get("problems") or []
print(f"CSMS: {check.get('startedTransactions')} started ({open_at_csms} left open: in doubt), "
      f"{check.get('stoppedTransactions')} stopped, {check.get('meterValues')} MeterValues; "
      f"log complete: {check.get('complete')}; {len(problems)} problems"
      f"{': ' + '; '.join(problems[:5]) if problems else ''} (all in check.json); "
      f"connections found with a frame left unwritten and set writing again: {stalled}")
print(f"simulator: StartTransaction {start_ok} ok / {calls('StartTransaction', 'failed')} failed, "
      f"StopTransaction {stop_ok} ok / {calls('StopTransaction', 'failed')} failed, "
      f"MeterValues {mv_ok} ok / {mv_failed} failed / {calls('MeterValues', 'skipped')} skipped "
      f"({mv_extra} more at the CSMS: in doubt at a cut)")
print(f"Redis: {len(redis)} charge points read directly, {len(mismatches)} differences from memory"
      f"{': ' + '; '.join(mismatches[:5]) if mismatches else ''} (all in redis-mismatches.json)")
for name, ok in verdicts.items():
    print(("OK   " if ok else "FAIL ") + name)
sys.exit(0 if all(verdicts.values()) else 1)
PY
# The plot is drawn whatever the checks said (status: 1 if any failed).
gnuplot <<GP
set terminal pngcairo size 1200,900 font ",10" noenhanced
set output "$OUT/soak.png"
set datafile separator ","
set datafile missing "NA"
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
