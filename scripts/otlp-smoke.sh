#!/usr/bin/env bash
# OTLP end to end across two processes: builds `flowscope` with the OTLP trait, serves the sample
# flows with OTEL_EXPORTER_OTLP_* pointing at a second `flowscope serve` (its telemetry API ingests
# OTLP/JSON), runs a flow on the first and waits until the second has stored its trace.
#
#   scripts/otlp-smoke.sh [SCRATCH_PATH]     (default .build: only the CLI is rebuilt with the trait)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${1:-.build}
swift build --traits OTLP --product flowscope --scratch-path "$scratch" 2>&1 | tail -1
exporter_bin="$scratch/debug/flowscope"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # command… ; up to 30 s
  for _ in $(seq 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
collector_port=$(free_port)
"$exporter_bin" serve --port "$collector_port" --db "$work/collector.sqlite" >"$work/collector.log" 2>&1 &
pids+=($!)
wait_for curl -sf "http://127.0.0.1:$collector_port/api/__health" || { cat "$work/collector.log"; exit 1; }
app_port=$(free_port)
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="http://127.0.0.1:$collector_port/api/otlp/v1/traces" \
  OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_BSP_SCHEDULE_DELAY=100 \
  "$exporter_bin" serve --port "$app_port" --db "$work/app.sqlite" >"$work/app.log" 2>&1 &
pids+=($!)
wait_for curl -sf "http://127.0.0.1:$app_port/api/__health" || { cat "$work/app.log"; exit 1; }
grep -q "OTLP export: spans go to" "$work/app.log" || { echo "OTLP export is not on:"; cat "$work/app.log"; exit 1; }
curl -sf -X POST "http://127.0.0.1:$app_port/menuFlow" -H 'content-type: application/json' \
  -d '{"data":{"theme":"otlp"}}' >/dev/null
has_steps() {
  "$exporter_bin" traces list --db "$work/collector.sqlite" --flow menuFlow --json | grep -q traceId || return 1
  local id
  id=$("$exporter_bin" traces list --db "$work/collector.sqlite" --flow menuFlow --json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print((d if isinstance(d,list) else d["traces"])[0]["traceId"])')
  "$exporter_bin" traces show "$id" --db "$work/collector.sqlite" | grep -q "fetch-specials"
}
if wait_for has_steps; then
  echo "OTLP smoke test: menuFlow's spans reached the second process over OTLP/HTTP JSON"
else
  echo "OTLP smoke test FAILED"; cat "$work/app.log" "$work/collector.log"; exit 1
fi
