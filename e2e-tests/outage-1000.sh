#!/usr/bin/env bash
# The outage of OfflineChargePointEndToEndTest with 1,000 charge points instead of 100: the same assertions
# (exactly-once and order per transaction against what each charge point sent, Authorize from the cache, every
# queued message delivered, at most one outstanding CALL per charge point). Longer and heavier than the default
# suite (1,000 WebSocket connections, a 768 MB heap), so it is not part of `mvn verify`; result and
# duration are recorded in docs/ocpp.md ("Proof"). Extra arguments go to Maven; OUTAGE_CHARGE_POINTS
# (default 1000) sets the fleet's size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. "./scripts/options.sh"
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  script_help
  exit 0
fi
OUTAGE_CHARGE_POINTS="${OUTAGE_CHARGE_POINTS:-1000}"
whole_number outage-1000 OUTAGE_CHARGE_POINTS 1 99999
charge_points=$((10#$OUTAGE_CHARGE_POINTS))
start=$(date +%s)
status=0
mvn -B -q -pl e2e-tests -am verify -Dtest=OfflineChargePointEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbreakwater.outage.chargePoints="$charge_points" "$@" || status=$?
echo "outage-1000: $charge_points charge points, $(( $(date +%s) - start )) s, $([ $status -eq 0 ] && echo OK || echo FAILED)"
exit $status
