#!/usr/bin/env bash
# Breakwater demo: the sample simulator protected by the Breakwater agent, through a scripted outage.
#
#   ./demo.sh [--duration SECONDS] [--charge-points N] [--no-build]
#
# Starts its own redis-server (from PATH, or the binary shipped in embedded-redis), the embedded CSMS,
# and the simulator JVM with -javaagent:breakwater-agent.jar and the Prometheus JMX exporter on
# 127.0.0.1:9404. Then: normal traffic -> Redis killed -> Redis back -> CSMS down -> CSMS back, with a
# live status line per breaker and a final summary. Ctrl-C stops everything it started.
#
# Environment: REDIS_PORT (6380), CSMS_PORT (9000), CSMS_CONTROL_PORT (9001), HEALTH_PORT (8080) and
# EXPORTER_PORT (9404) on 127.0.0.1, all different; DEMO_WORK_DIR (.demo/) for its logs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${DEMO_WORK_DIR:-$ROOT/.demo}"
DURATION=120
CHARGE_POINTS=10
BUILD=1
REDIS_PORT="${REDIS_PORT:-6380}"
CSMS_PORT="${CSMS_PORT:-9000}"
CSMS_CONTROL_PORT="${CSMS_CONTROL_PORT:-9001}"
HEALTH_PORT="${HEALTH_PORT:-8080}"
EXPORTER_PORT="${EXPORTER_PORT:-9404}"

. "$ROOT/scripts/options.sh"
die() { echo "demo: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --duration=*) DURATION="${1#*=}"; shift ;;
    --charge-points=*) CHARGE_POINTS="${1#*=}"; shift ;;
    --duration) [ $# -ge 2 ] || die "--duration needs a value"; DURATION="$2"; shift 2 ;;
    --charge-points) [ $# -ge 2 ] || die "--charge-points needs a value"; CHARGE_POINTS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) script_help; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]{1,9}$ ]] && [ "$DURATION" -ge 60 ] && [ "$DURATION" -le 3600 ] \
  || die "--duration must be a whole number of seconds between 60 and 3600 (got '$DURATION')"
[[ "$CHARGE_POINTS" =~ ^[0-9]{1,9}$ ]] && [ "$CHARGE_POINTS" -ge 1 ] && [ "$CHARGE_POINTS" -le 1000 ] \
  || die "--charge-points must be between 1 and 1000 (got '$CHARGE_POINTS')"
for var in REDIS_PORT CSMS_PORT CSMS_CONTROL_PORT HEALTH_PORT EXPORTER_PORT; do
  value="${!var}"
  [[ "$value" =~ ^[0-9]{1,5}$ ]] && [ "$value" -ge 1 ] && [ "$value" -le 65535 ] || die "$var must be a port number between 1 and 65535 (got '$value')"
done
dup_port=$(printf '%s\n' "$REDIS_PORT" "$CSMS_PORT" "$CSMS_CONTROL_PORT" "$HEALTH_PORT" "$EXPORTER_PORT" | sort | uniq -d | head -1)
[ -z "$dup_port" ] || die "port $dup_port is given twice; REDIS_PORT, CSMS_PORT, CSMS_CONTROL_PORT, HEALTH_PORT and EXPORTER_PORT must all differ"
command -v java >/dev/null || die "java (17 or newer) is not on PATH"
command -v curl >/dev/null || die "curl is not on PATH"

AGENT_JAR="$ROOT/agent/target/breakwater-agent.jar"
SIM_JAR="$ROOT/sample-simulator/target/sample-simulator.jar"
EXPORTER_JAR="$ROOT/jmx-config/target/jmx_prometheus_javaagent.jar"
EXPORTER_CONFIG="$ROOT/jmx-config/breakwater.yaml"

PIDS=()
cleanup() {
  trap - EXIT INT TERM
  if [ ${#PIDS[@]} -gt 0 ]; then
    echo
    echo "demo: stopping ${#PIDS[@]} processes"
    for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$REDIS_PORT" "$CSMS_PORT" "$CSMS_CONTROL_PORT" "$HEALTH_PORT" "$EXPORTER_PORT"; do
  if port_busy "$p"; then die "port $p on 127.0.0.1 is in use; free it or set REDIS_PORT/CSMS_PORT/CSMS_CONTROL_PORT/HEALTH_PORT/EXPORTER_PORT"; fi
done

mkdir -p "$WORK" 2>/dev/null && [ -w "$WORK" ] || die "cannot write to $WORK (set DEMO_WORK_DIR to a directory you can write)"
if [ "$BUILD" = 1 ] || [ ! -f "$AGENT_JAR" ] || [ ! -f "$SIM_JAR" ] || [ ! -f "$EXPORTER_JAR" ]; then
  echo "demo: building (mvn -q -DskipTests package; the first run downloads dependencies) ..."
  (cd "$ROOT" && mvn -q -B -DskipTests package) >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; die "build failed, see $WORK/build.log"; }
fi

# ---- Redis: the one on PATH, else the binary shipped in com.github.codemonstur:embedded-redis ----
REDIS_BIN="$(command -v redis-server || true)"
if [ -z "$REDIS_BIN" ]; then
  case "$(uname -m)" in
    x86_64) REDIS_ENTRY=redis-server-6.2.6-v5-linux-amd64 ;;
    aarch64|arm64) REDIS_ENTRY=redis-server-6.2.7-linux-arm64 ;;
    *) die "no redis-server on PATH and no embedded binary for $(uname -m)" ;;
  esac
  REDIS_BIN="$WORK/$REDIS_ENTRY"
  if [ ! -x "$REDIS_BIN" ]; then
    echo "demo: no redis-server on PATH, using the one shipped in embedded-redis 1.4.3"
    (cd "$ROOT" && mvn -q -B dependency:copy -Dartifact=com.github.codemonstur:embedded-redis:1.4.3 -DoutputDirectory="$WORK") >>"$WORK/build.log" 2>&1 \
      || die "cannot fetch embedded-redis, see $WORK/build.log"
    (cd "$WORK" && jar xf embedded-redis-1.4.3.jar "$REDIS_ENTRY" && chmod +x "$REDIS_ENTRY")
  fi
fi

REDIS_PID=""
start_redis() {
  "$REDIS_BIN" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >>"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  for _ in $(seq 1 50); do port_busy "$REDIS_PORT" && return 0; sleep 0.1; done
  die "redis-server did not start, see $WORK/redis.log"
}

# ---- start everything ----
start_redis
java -jar "$SIM_JAR" csms --port "$CSMS_PORT" --control-port "$CSMS_CONTROL_PORT" >"$WORK/csms.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do port_busy "$CSMS_CONTROL_PORT" && break; sleep 0.1; done
port_busy "$CSMS_CONTROL_PORT" || die "the CSMS did not start, see $WORK/csms.log"

# Reset timeouts are shortened from the defaults (30 s Redis, 60 s OCPP) so the demo fits in its duration.
AGENT_ARGS="redis.resetTimeout=5s,ocpp.resetTimeout=5s,ocpp.callTimeout=10s"
java -javaagent:"$AGENT_JAR=$AGENT_ARGS" \
     -javaagent:"$EXPORTER_JAR=127.0.0.1:$EXPORTER_PORT:$EXPORTER_CONFIG" \
     -jar "$SIM_JAR" run --csms "ws://127.0.0.1:$CSMS_PORT/ocpp" --redis "redis://127.0.0.1:$REDIS_PORT" \
     --charge-points "$CHARGE_POINTS" --meter-interval 2 --session-seconds 20 --health-port "$HEALTH_PORT" \
     --reconnect-max 3 >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!
PIDS+=("$SIM_PID")

echo "demo: Redis      127.0.0.1:$REDIS_PORT"
echo "demo: CSMS       ws://127.0.0.1:$CSMS_PORT/ocpp   (control http://127.0.0.1:$CSMS_CONTROL_PORT/stats)"
echo "demo: simulator  pid $SIM_PID, $CHARGE_POINTS charge points, health http://127.0.0.1:$HEALTH_PORT/health/detailed"
echo "demo: metrics    http://127.0.0.1:$EXPORTER_PORT/metrics   (JConsole: jconsole $SIM_PID)"
echo "demo: agent      $AGENT_ARGS"
echo "demo: logs       $WORK/*.log"
echo

# ---- reading the breakers from the exporter, as Prometheus would ----
METRICS=""
scrape() { METRICS="$(curl -s --max-time 2 "http://127.0.0.1:$EXPORTER_PORT/metrics" || true)"; }
metric() { # metric NAME BREAKER [KIND] -> integer value (0 when absent)
  local kind=${3:-}
  printf '%s\n' "$METRICS" | awk -v n="$1" -v b="name=\"$2\"" -v k="kind=\"$kind\"" '
    index($0, n"{") == 1 && index($0, b) && (k == "kind=\"\"" || index($0, k)) { s += $NF } END { printf "%d", s }'
}
state_of() {
  printf '%s\n' "$METRICS" | awk -v b="name=\"$1\"" '
    index($0, "resilience4j_circuitbreaker_state{") == 1 && index($0, b) && $NF + 0 == 1 {
      match($0, /state="[a-z_]+"/); print substr($0, RSTART + 7, RLENGTH - 8); found = 1 }
    END { if (!found) print "-" }'
}
line_for() {
  local b=$1 ok failed ignored rejected fallbacks
  ok=$(metric resilience4j_circuitbreaker_calls_seconds_count "$b" successful)
  failed=$(metric resilience4j_circuitbreaker_calls_seconds_count "$b" failed)
  ignored=$(metric resilience4j_circuitbreaker_calls_seconds_count "$b" ignored)
  rejected=$(metric resilience4j_circuitbreaker_not_permitted_calls_total "$b")
  fallbacks=$(metric breakwater_circuitbreaker_fallback_calls_total "$b")
  printf '%-9s %-10s calls %6d  failed %5d  rejected %6d  fallbacks %6d' \
    "$b" "$(state_of "$b")" $((ok + failed + ignored + rejected)) "$failed" "$rejected" "$fallbacks"
}
# On a terminal the status line rewrites itself; in a log it prints one line each time.
if [ -t 1 ]; then EOL='\r'; else EOL='\n'; fi
status() { scrape; printf "%b[%3ds] %-34s | %s | %s   " "$EOL" "$SECONDS" "$PHASE" "$(line_for redis)" "$(line_for ocpp-csms)"; }

declare -A SEEN
PHASE="starting"
run_phase() { # run_phase NAME SECONDS
  PHASE="$1"
  echo
  echo "== $1"
  local until=$((SECONDS + $2))
  while [ $SECONDS -lt $until ]; do
    kill -0 "$SIM_PID" 2>/dev/null || die "the simulator exited, see $WORK/simulator.log"
    status
    SEEN["redis:$(state_of redis)"]=1
    SEEN["ocpp-csms:$(state_of ocpp-csms)"]=1
    sleep 1
  done
}
control() { curl -s --max-time 5 -X POST "http://127.0.0.1:$CSMS_CONTROL_PORT/$1" >/dev/null || echo "demo: CSMS control /$1 failed"; }

SECONDS=0
for _ in $(seq 1 60); do scrape; [ "$(state_of redis)" != "-" ] && break; sleep 1; done
[ "$(state_of redis)" != "-" ] || die "no breaker metrics on http://127.0.0.1:$EXPORTER_PORT/metrics, see $WORK/simulator.log"

unit=$((DURATION / 12))
run_phase "normal traffic" $((unit * 2))
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
run_phase "Redis killed: fallback serves" $((unit * 3))
start_redis
run_phase "Redis restarted: breaker recovers" $((unit * 2))
control down
run_phase "CSMS down: OCPP fails fast" $((unit * 3))
control up
run_phase "CSMS back: breaker recovers" $((DURATION - unit * 10))
echo

# ---- summary ----
scrape
echo
echo "== summary after ${SECONDS}s"
echo "$(line_for redis)"
echo "$(line_for ocpp-csms)"
echo "transitions: redis $(metric breakwater_circuitbreaker_transitions_total redis), ocpp-csms $(metric breakwater_circuitbreaker_transitions_total ocpp-csms)"
echo "CSMS received: $(curl -s --max-time 2 "http://127.0.0.1:$CSMS_CONTROL_PORT/stats" || echo '?')"
verdict=0
for expect in redis:open redis:closed ocpp-csms:open ocpp-csms:closed; do
  if [ -n "${SEEN[$expect]:-}" ]; then echo "seen: breaker ${expect%%:*} ${expect#*:}"; else echo "NOT seen: breaker ${expect%%:*} ${expect#*:}"; verdict=1; fi
done
for b in redis ocpp-csms; do
  final=$(state_of "$b")
  [ "$final" = closed ] || { echo "breaker $b ends $final, expected closed"; verdict=1; }
done
kill -0 "$SIM_PID" 2>/dev/null && echo "the simulator ran throughout" || { echo "the simulator died"; verdict=1; }
if [ $verdict = 0 ]; then echo "demo: OK"; else echo "demo: FAILED (logs in $WORK)"; fi
exit $verdict
