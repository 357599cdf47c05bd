#!/usr/bin/env bash
# HTTP benchmarks: `flowscope serve` (release build, the peer-parity flows, every run traced into a
# fresh SQLite database) against the Python Genkit peer (Tests/Peer/peer_app.py on uvicorn with
# httptools, 1 worker, prod mode), side by side in the same run:
#   - wrk -t2 -c32 -d10s --latency -s Benchmarks/post.lua on POST /trivial: req/s and p99,
#     3 runs per server after a 3 s warm-up each, the servers alternating run by run;
#   - SSE: POST /manychunks {"data":N} with Accept: text/event-stream, N = 10 000 and 100 000,
#     time to the last byte with curl, 5 runs per server (alternating), medians;
# then a table with the ratios and the targets (>= 10x the peer's req/s with p99 < 5 ms; streaming
# >= 20x faster). The same wrk runs also go to Benchmarks/HTTPBaseline (a bare Hummingbird route
# answering {"result":"hello"}: no flow, no tracing, no store), the ceiling of the HTTP stack on the
# machine in the same run.
#
#   Benchmarks/http.sh                       # release build in .build-release-bench, then everything
#   Benchmarks/http.sh --no-build            # reuse the release binary
#   Benchmarks/http.sh --duration 5 --runs 2 --sse-runs 3   # shorter
#   Benchmarks/http.sh --bin PATH            # another flowscope binary
#
# Needs curl, python3 and wrk (installed with apt-get when missing); the peer venv comes from
# scripts/install-peer.sh (run when missing). The first release build takes ~10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

scratch=.build-release-bench
build=1
duration=10
runs=3
sse_runs=5
bin=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --duration) duration=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --sse-runs) sse_runs=$2; shift 2 ;;
    --bin) bin=$2; build=0; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "== installing wrk"
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
peer_dir=${FLOWSCOPE_PEER_DIR:-$HOME/.cache/flowscope-peer}
[ -x "$peer_dir/venv/bin/uvicorn" ] || scripts/install-peer.sh "$peer_dir"

if [ "$build" = 1 ]; then
  echo "== swift build -c release --scratch-path $scratch --product flowscope (and HTTPBaseline)"
  swift build -c release --scratch-path "$scratch" --product flowscope 2>&1 | tail -1
  swift build -c release --scratch-path "$scratch" --product HTTPBaseline 2>&1 | tail -1
fi
baseline_bin=$scratch/release/HTTPBaseline
bin=${bin:-$scratch/release/flowscope}
[ -x "$bin" ] || { echo "no flowscope binary at $bin" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/flowscope-http-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_ready URL LOG [RESULT]: polls POST URL/trivial until it answers {"result":RESULT} ("ready" by
# default: the flow echoes its input; the baseline always answers "hello").
wait_ready() {
  local base=$1 log=$2 expected=${3:-ready}
  for _ in $(seq 1 300); do
    if curl -sS -m 1 -X POST "$base/trivial" -H 'content-type: application/json' -d '{"data":"ready"}' 2>/dev/null \
      | grep -q "\"result\":\"$expected\""; then
      return 0
    fi
    sleep 0.1
  done
  echo "server at $base did not come up; its log:" >&2
  cat "$log" >&2
  return 1
}

ours_port=$(free_port)
peer_port=$(free_port)
while [ "$peer_port" = "$ours_port" ]; do peer_port=$(free_port); done
base_port=$(free_port)
while [ "$base_port" = "$ours_port" ] || [ "$base_port" = "$peer_port" ]; do base_port=$(free_port); done
OURS=http://127.0.0.1:$ours_port
PEER=http://127.0.0.1:$peer_port
BASE=http://127.0.0.1:$base_port

FLOWSCOPE_BENCHMARK_FLOWS=1 "$bin" serve --host 127.0.0.1 --port "$ours_port" --db "$tmp/traces.sqlite" \
  > "$tmp/ours.log" 2>&1 &
pids+=($!)
ours_pid=$!
(cd "$tmp" && PYTHONDONTWRITEBYTECODE=1 exec "$peer_dir/venv/bin/uvicorn" peer_app:app --app-dir "$repo/Tests/Peer" --host 127.0.0.1 \
  --port "$peer_port" --http httptools --loop uvloop --workers 1 --log-level warning --no-access-log) \
  > "$tmp/peer.log" 2>&1 &
pids+=($!)
peer_pid=$!
base_pid=
if [ -x "$baseline_bin" ]; then
  "$baseline_bin" "$base_port" > "$tmp/baseline.log" 2>&1 &
  pids+=($!)
  base_pid=$!
fi
wait_ready "$OURS" "$tmp/ours.log"
wait_ready "$PEER" "$tmp/peer.log"
[ -n "$base_pid" ] && wait_ready "$BASE" "$tmp/baseline.log" hello

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
echo "== date: $(date -u +%FT%TZ), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== flowscope: $bin (pid $ours_pid, $OURS, traces in $tmp/traces.sqlite)"
echo "== peer: genkit $("$peer_dir/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("genkit"))'), uvicorn httptools, 1 worker (pid $peer_pid, $PEER)"

results=$tmp/results.txt
: > "$results"

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # utime + stime of a process, all threads

# wrk_run NAME BASE DURATION PID: one wrk measurement; records "wrk NAME req/s p99_ms wrong cpu_us_per_request"
# (the server's own CPU time, all threads, divided by the requests served).
wrk_run() {
  local name=$1 base=$2 d=$3 pid=$4 out before after
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c32 -d"${d}s" --latency -s Benchmarks/post.lua "$base/trivial")
  after=$(cpu_ticks "$pid")
  local rps p99 wrong non2xx errors requests cpu
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$out")
  wrong=$(sed -n 's/^wrong_responses=//p' <<<"$out")
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  errors=$(grep -E 'Socket errors' <<<"$out" || true)
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  echo "wrk $name $rps $p99 ${wrong:-?} $cpu" >> "$results"
  printf '  %-9s %10s req/s  p99 %7s ms  server CPU %6s us/request  wrong %s%s%s   (loadavg %s)\n' "$name" "$rps" \
    "$p99" "$cpu" "${wrong:-?}" "${non2xx:+  non-2xx $non2xx}" "${errors:+  $errors}" "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "== wrk -t2 -c32 -d${duration}s --latency -s Benchmarks/post.lua <server>/trivial (warm-up 3 s each)"
wrk -t2 -c32 -d3s -s Benchmarks/post.lua "$OURS/trivial" > /dev/null
wrk -t2 -c32 -d3s -s Benchmarks/post.lua "$PEER/trivial" > /dev/null
[ -n "$base_pid" ] && wrk -t2 -c32 -d3s -s Benchmarks/post.lua "$BASE/trivial" > /dev/null
for i in $(seq 1 "$runs"); do
  echo " run $i"
  wrk_run flowscope "$OURS" "$duration" "$ours_pid"
  sleep 1
  wrk_run peer "$PEER" "$duration" "$peer_pid"
  sleep 1
  if [ -n "$base_pid" ]; then
    wrk_run baseline "$BASE" "$duration" "$base_pid"
    sleep 1
  fi
done

# sse_run NAME BASE N [warmup]: one streamed request; checks the frames, then records
# "sse NAME N seconds" (not for a warm-up).
sse_run() {
  local name=$1 base=$2 n=$3 warmup=${4:-} body=$tmp/sse.out t lines last
  t=$(curl -sS -N -o "$body" -w '%{time_total}' -X POST "$base/manychunks" \
    -H 'content-type: application/json' -H 'Accept: text/event-stream' -d "{\"data\":$n}")
  lines=$(grep -c '^data: ' "$body" || true)
  last=$(grep '^data: ' "$body" | tail -1)
  if [ "$lines" != $((n + 1)) ] || [ "$last" != "data: {\"result\":$n}" ]; then
    echo "  $name n=$n: unexpected stream ($lines data lines, last: $last)" >&2
    return 1
  fi
  [ -n "$warmup" ] && return 0
  echo "sse $name $n $t" >> "$results"
  printf '  %-9s n=%-6s %8.1f ms\n' "$name" "$n" "$(python3 -c "print($t * 1000)")"
}

for n in 10000 100000; do
  echo "== SSE POST /manychunks {\"data\":$n}, Accept: text/event-stream, curl time_total, $sse_runs runs (loadavg $(cut -d' ' -f1 /proc/loadavg))"
  sse_run flowscope "$OURS" "$n" warmup
  sse_run peer "$PEER" "$n" warmup
  for i in $(seq 1 "$sse_runs"); do
    sse_run flowscope "$OURS" "$n"
    sse_run peer "$PEER" "$n"
  done
done

sleep 2   # let the trace writer drain
stored=$(python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute("select count(*) from traces").fetchone()[0], c.execute("select count(*) from spans").fetchone()[0])' "$tmp/traces.sqlite" 2>/dev/null || echo "? ?")
echo "== end loadavg $(cut -d' ' -f1-3 /proc/loadavg); flowscope RSS $(awk '/VmRSS/ { print $2 " " $3 }' /proc/"$ours_pid"/status); stored traces/spans: $stored ($(du -h "$tmp/traces.sqlite" | cut -f1))"

python3 - "$results" <<'PY'
import statistics, sys
wrk, sse = {}, {}
for line in open(sys.argv[1]):
    kind, name, *rest = line.split()
    if kind == "wrk":
        wrk.setdefault(name, []).append((float(rest[0]), float(rest[1]), rest[2], float(rest[3])))
    else:
        sse.setdefault((name, int(rest[0])), []).append(float(rest[1]) * 1000)

def med(values): return statistics.median(values)

ours, peer = wrk["flowscope"], wrk["peer"]
o_rps, p_rps = med([r[0] for r in ours]), med([r[0] for r in peer])
o_p99, p_p99 = med([r[1] for r in ours]), med([r[1] for r in peer])
o_cpu, p_cpu = med([r[3] for r in ours]), med([r[3] for r in peer])
rows = [
    ("trivial flow, req/s (median of runs)", f"{o_rps:,.0f}", f"{p_rps:,.0f}", f"{o_rps / p_rps:.1f}x", ">= 10x",
     o_rps / p_rps >= 10),
    ("trivial flow, p99 latency (median)", f"{o_p99:.2f} ms", f"{p_p99:.2f} ms", f"{p_p99 / o_p99:.1f}x lower",
     "< 5 ms", o_p99 < 5),
    ("trivial flow, server CPU per request (median)", f"{o_cpu:.0f} us", f"{p_cpu:.0f} us", f"{p_cpu / o_cpu:.1f}x less",
     "-", None),
]
if "baseline" in wrk:
    base = wrk["baseline"]
    b_rps, b_p99 = med([r[0] for r in base]), med([r[1] for r in base])
    rows.append(("HTTP stack alone (bare Hummingbird route), req/s", f"{b_rps:,.0f} (p99 {b_p99:.2f} ms)",
                 f"{p_rps:,.0f}", f"{b_rps / p_rps:.1f}x", "(ceiling)", None))
    rows.append(("flowscope as a share of the bare stack", f"{100 * o_rps / b_rps:.0f} %", "-", "-", "-", None))
for n in (10000, 100000):
    o, p = med(sse[("flowscope", n)]), med(sse[("peer", n)])
    rows.append((f"SSE {n:,} chunks, time to last byte (median)", f"{o:.1f} ms", f"{p:.1f} ms", f"{p / o:.1f}x",
                 ">= 20x", p / o >= 20))
print()
print("| measure | flowscope | Genkit Python peer | ratio | target | met |")
print("|---|---|---|---|---|---|")
for label, o, p, ratio, target, met in rows:
    print(f"| {label} | {o} | {p} | {ratio} | {target} | {'-' if met is None else 'yes' if met else 'NO'} |")
print()
print("req/s per run: flowscope " + ", ".join(f"{r[0]:,.0f} (p99 {r[1]:.2f} ms)" for r in ours)
      + "; peer " + ", ".join(f"{r[0]:,.0f} (p99 {r[1]:.2f} ms)" for r in peer))
bad = [r[2] for r in ours + peer + wrk.get("baseline", []) if r[2] != "0"]
if bad:
    print(f"WARNING: wrong responses counted by post.lua: {bad}")
for n in (10000, 100000):
    print(f"SSE n={n}: flowscope " + ", ".join(f"{v:.1f}" for v in sse[("flowscope", n)]) + " ms; peer "
          + ", ".join(f"{v:.1f}" for v in sse[("peer", n)]) + " ms")
PY
