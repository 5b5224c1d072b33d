#!/usr/bin/env bash
# Where the agent's CPU goes in a real simulator (docs/benchmarks.md, "Scale"): the sample simulator
# with CHARGE_POINTS charge points and the agent, against a fresh redis-server and the embedded CSMS,
# sampled by JFR every millisecond for WINDOW seconds once every charge point has booted; then the share of
# the simulator's samples with an agent frame on the stack, by what the agent was doing.
#
#   benchmarks/profile.sh                               # 1,000 charge points, 60 s
#   CHARGE_POINTS=100 WINDOW=30 benchmarks/profile.sh --no-build
#
# Results in benchmarks/target/profile/ (or $BENCH_OUT): agent.jfr, samples.txt, share.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/benchmarks/target/profile}
CHARGE_POINTS=${CHARGE_POINTS:-1000}
WINDOW=${WINDOW:-60}
. "$ROOT/scripts/options.sh"
script_options profile.sh "$@"
whole_number profile.sh CHARGE_POINTS 1 10000
whole_number profile.sh WINDOW 1 3600
if [[ $BUILD == 1 ]]; then
  (cd "$ROOT" && mvn -q -B -Dmaven.test.skip=true -pl agent,sample-simulator -am package)
fi
mkdir -p "$OUT"
# Copies, so that a build started meanwhile cannot change what the running JVMs load.
cp "$ROOT/sample-simulator/target/sample-simulator.jar" "$ROOT/agent/target/breakwater-agent.jar" "$OUT/"
SIM=$OUT/sample-simulator.jar
AGENT=$OUT/breakwater-agent.jar
for tool in redis-server jcmd jfr python3 curl; do
  command -v "$tool" >/dev/null || { echo "profile.sh: $tool is not on PATH" >&2; exit 1; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
rport=$(free_port); cport=$(free_port); hport=$(free_port)
redis-server --port "$rport" --save '' --appendonly no >/dev/null & PIDS+=($!)
java -jar "$SIM" csms --port "$cport" --control-port 0 >"$OUT/csms.log" 2>&1 & PIDS+=($!)
sleep 2
java "-javaagent:$AGENT" -Dorg.slf4j.simpleLogger.log.io.breakwater.simulator.chargepoint=warn -jar "$SIM" run \
    --csms "ws://127.0.0.1:$cport/ocpp" --redis "redis://127.0.0.1:$rport" --charge-points "$CHARGE_POINTS" \
    --health-port "$hport" >"$OUT/simulator.log" 2>&1 & pid=$!; PIDS+=($pid)
for _ in $(seq 120); do
  curl -s "127.0.0.1:$hport/health/detailed" 2>/dev/null | grep -q "\"bootedChargePoints\":$CHARGE_POINTS[,}]" && break
  sleep 1
done
sleep 15
cat > "$OUT/sampling.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
</configuration>
JFC
jcmd "$pid" JFR.start name=breakwater settings="$OUT/sampling.jfc" duration="${WINDOW}s" filename="$OUT/agent.jfr" >/dev/null
sleep $((WINDOW + 3))
jfr print --events jdk.ExecutionSample "$OUT/agent.jfr" > "$OUT/samples.txt"
python3 - "$OUT/samples.txt" <<'PY' | tee "$OUT/share.txt"
import collections, re, sys
kinds = collections.Counter()
total = with_agent = 0
for event in open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
    if not frames:
        continue
    total += 1
    stack = " ".join(frames)
    if "io.breakwater.agent" not in stack:
        continue
    with_agent += 1
    redis = "RedisGuard" in stack or "MemoryStore" in stack or "JedisAccess" in stack
    ocpp = "OcppGuard" in stack or "AuthorizationCache" in stack or "TransactionLinks" in stack
    if "caffeine" in stack:
        kind = "Caffeine, " + ("memory mirror" if redis else "OCPP queues/cache" if ocpp else "maintenance")
    elif "Json" in stack:
        kind = "reading OCPP JSON"
    elif redis:
        kind = "Redis guard and mirror (not Caffeine)"
    elif "Breaker" in stack:
        kind = "breaker"
    else:
        kind = "other: " + next(f for f in frames if "io.breakwater.agent" in f)
    kinds[kind] += 1
print(f"{total} samples of the simulator's threads, {with_agent} with an agent frame "
      f"({100.0 * with_agent / max(1, total):.1f} %)")
for kind, n in kinds.most_common():
    print(f"  {n:5d}  {100.0 * n / max(1, total):5.1f} %  {kind}")
PY
