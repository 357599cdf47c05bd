#!/usr/bin/env bash
# Runs the benchmarks in release mode and, side by side in the same run, the same flows under the
# Python Genkit SDK (installed into Benchmarks/.venv on first use), then prints the ratios.
#
#   Benchmarks/run.sh            # everything
#   Benchmarks/run.sh --no-peer  # Swift only
#
# The terminal debugger has its own script (release flowscope in tmux: time to first frame, CPU while
# streaming 10 000 chunks/s, key latency; then TUIBenchmarks' frame timings):
#   Benchmarks/tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."
peer=1
if [ "${1:-}" = "--no-peer" ]; then peer=0; shift; fi

echo "== machine: $(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
swift build -c release --product FlowsBenchmarks 2>&1 | tail -1
swift_json=$(./.build/release/FlowsBenchmarks --json "$@")

if [ "$peer" = 1 ]; then
  venv=Benchmarks/.venv
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q genkit==0.12.0
  fi
  echo "== Python Genkit $("$venv/bin/pip" show genkit | awk '/^Version/{print $2}') (same flows, spans recorded), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
  peer_json=$("$venv/bin/python" Benchmarks/peer/bench_peer.py 5000)
  echo "$peer_json"
  python3 - "$swift_json" "$peer_json" <<'PY'
import json, sys
swift, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for name, key in (("trivial flow", "trivial"), ("flow with 2 run() steps", "two_steps")):
    s, p = swift[key]["best_us"], peer[key]["best_us"]
    print(f"{name:26s} Flowscope {s:7.2f} us   Genkit Python {p:8.2f} us   ratio {p / s:6.1f}x")
PY
fi
