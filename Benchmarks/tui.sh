#!/usr/bin/env bash
# Terminal debugger benchmarks on the real release binary, driven in a private tmux server:
#   - time to first frame: from spawning `flowscope` to its Flows pane in the tmux screen (median of N)
#   - idle CPU over 5 s
#   - CPU while `firehoseFlow` streams 10 000 chunks/s, over 10 s (/proc/PID/stat utime+stime)
#   - key latency while streaming: `j`/`k` in the Flows pane until the selection moves on screen
# then the in-process frame benchmarks (TUIBenchmarks: render, diff, update on a 5 000-span trace).
#
#   Benchmarks/tui.sh                               # release build in .build, then everything
#   Benchmarks/tui.sh --scratch-path DIR            # another build directory
#   Benchmarks/tui.sh --no-build --runs 5           # reuse the binaries; 5 start-ups
#   Benchmarks/tui.sh --no-frames                   # skip TUIBenchmarks
#   Benchmarks/tui.sh --no-build --bin-dir .build/debug  # other binaries (e.g. to try the script)
#
# The first release build takes ~10 minutes on a 2-core machine. Needs tmux.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
build=1
runs=10
frames=1
bin_dir=
while [ $# -gt 0 ]; do
  case "$1" in
    --scratch-path) scratch=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --runs) runs=$2; shift 2 ;;
    --no-frames) frames=0; shift ;;
    --bin-dir) bin_dir=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }
if [ "$build" = 1 ]; then
  for product in flowscope TUIBenchmarks; do
    swift build -c release --scratch-path "$scratch" --product "$product" 2>&1 | tail -1
  done
fi
bin_dir=$(cd "${bin_dir:-$scratch/release}" && pwd)
bin=$bin_dir/flowscope
[ -x "$bin" ] || { echo "no release binary at $bin" >&2; exit 2; }

hz=$(getconf CLK_TCK)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/flowscope-tui-bench.XXXXXX")
TMX=(tmux -L "flowscope-bench-$$" -f /dev/null)
cleanup() { "${TMX[@]}" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }
screen() { "${TMX[@]}" capture-pane -p -t "$1" 2>/dev/null || true; }

# wait_for SESSION REGEX [TIMEOUT_S] [POLL_S]: polls the screen until REGEX matches.
wait_for() {
  local session=$1 regex=$2 timeout=${3:-10} pause=${4:-0.02}
  local end=$(($(now_ns) + timeout * 1000000000))
  while [ "$(now_ns)" -lt "$end" ]; do
    screen "$session" | grep -Eq -- "$regex" && return 0
    sleep "$pause"
  done
  echo "timeout waiting for /$regex/ in $session; screen:" >&2
  screen "$session" >&2
  return 1
}

# Starts flowscope in a new 120x40 session (tmux runs it directly: several arguments, no shell).
start_app() {
  local session=$1 db=$2
  "${TMX[@]}" new-session -d -s "$session" -x 120 -y 40 -e LANG=C.UTF-8 -e FLOWSCOPE_BENCHMARK_FLOWS=1 \
    "$bin" --db "$db"
}

app_pid() {
  local pid
  pid=$("${TMX[@]}" display -p -t "$1" '#{pane_pid}')
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != flowscope ]; then
    pid=$(pgrep -P "$pid" -x flowscope | head -1)
  fi
  echo "$pid"
}

# CPU ticks (utime + stime) of a process or one thread.
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1"; }

quit_app() {
  local session=$1
  "${TMX[@]}" send-keys -t "$session" q 2>/dev/null || true
  for _ in $(seq 100); do
    "${TMX[@]}" has-session -t "$session" 2>/dev/null || return 0
    sleep 0.05
  done
  "${TMX[@]}" kill-session -t "$session" 2>/dev/null || true
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

echo "== machine: $(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg); tmux $(tmux -V | cut -d' ' -f2)"
# Keep the server up between sessions (and out of the start-up timings).
"${TMX[@]}" new-session -d -s keeper -x 80 -y 24 sleep 100000

# --- time to first frame -------------------------------------------------------------------------
ttff=()
for i in $(seq "$runs"); do
  mkdir -p "$tmp/start$i"
  t0=$(now_ns)
  start_app "start$i" "$tmp/start$i/traces.sqlite"
  wait_for "start$i" 'Flows \(1\)' 10 0.002
  ttff+=("$(ms_since "$t0")")
  sleep 0.3
  quit_app "start$i"
done
ttff_median=$(printf '%s\n' "${ttff[@]}" | median)
echo "time to first frame (ms, fresh database each): ${ttff[*]} -> median $ttff_median"

# --- idle, then streaming --------------------------------------------------------------------------
mkdir -p "$tmp/app"
start_app app "$tmp/app/traces.sqlite"
wait_for app 'Flows \(1\)'
pid=$(app_pid app)
server_pid=$("${TMX[@]}" display -p '#{pid}')
echo "flowscope pid $pid ($(ls "/proc/$pid/task" | wc -l) threads), tmux server pid $server_pid"
sleep 1

# The UI loop's thread: the one parked in poll(2) (x86_64 syscall 7) on its 3 descriptors. With an
# async main, the main actor runs on a dispatch thread, not on the process's first thread.
ui_tid=
for task in /proc/"$pid"/task/*; do
  read -r nr _ nfds _ <"$task/syscall" || continue
  if [ "$nr" = 7 ] && [ "$nfds" = 0x3 ]; then ui_tid=${task##*/}; fi
done
[ -n "$ui_tid" ] || { echo "warning: UI thread not found; reporting the first thread" >&2; ui_tid=$pid; }
echo "UI thread $ui_tid ($(cat "/proc/$pid/task/$ui_tid/comm"))"

percent() { awk -v d="$1" -v hz="$hz" -v w="$2" 'BEGIN { printf "%.1f", d / hz / (w / 1e9) * 100 }'; }

# measure_cpu SECONDS: sets cpu_total, cpu_ui (the UI thread), cpu_tmux, in % of one core, and
# cpu_threads (every thread: tid name %).
measure_cpu() {
  local seconds=$1 t0 t1 p0 p1 u0 u1 s0 s1 task
  declare -A before=()
  for task in /proc/"$pid"/task/*; do before[${task##*/}]=$(ticks "$task/stat"); done
  t0=$(now_ns); p0=$(ticks "/proc/$pid/stat"); u0=$(ticks "/proc/$pid/task/$ui_tid/stat"); s0=$(ticks "/proc/$server_pid/stat")
  sleep "$seconds"
  t1=$(now_ns); p1=$(ticks "/proc/$pid/stat"); u1=$(ticks "/proc/$pid/task/$ui_tid/stat"); s1=$(ticks "/proc/$server_pid/stat")
  local wall=$((t1 - t0))
  cpu_total=$(percent $((p1 - p0)) "$wall")
  cpu_ui=$(percent $((u1 - u0)) "$wall")
  cpu_tmux=$(percent $((s1 - s0)) "$wall")
  cpu_threads=
  for task in /proc/"$pid"/task/*; do
    local tid=${task##*/} after
    after=$(ticks "$task/stat")
    cpu_threads+=" $tid:$(cat "$task/comm"):$(percent $((after - ${before[$tid]:-0})) "$wall")%"
  done
}

# The time for one `send-keys` + one `capture-pane` (the floor of the key latency figures).
probe_floor() {
  local samples=() i t0
  for i in $(seq 10); do
    t0=$(now_ns)
    "${TMX[@]}" send-keys -t keeper x
    screen app >/dev/null
    samples+=("$(($(now_ns) - t0))")
  done
  printf '%s\n' "${samples[@]}" | median | awk '{ printf "%.1f", $1 / 1e6 }'
}

# key_latency PREFIX: j/k 10 times between firehoseFlow and jokeFlow in the Flows pane, in ms from
# send-keys to the moved selection in capture-pane; sets PREFIX_median and PREFIX_max.
key_latency() {
  local samples=() i key target t0
  for i in $(seq 10); do
    if [ $((i % 2)) = 1 ]; then key=j target='▸ jokeFlow'; else key=k target='▸ firehoseFlow'; fi
    t0=$(now_ns)
    "${TMX[@]}" send-keys -t app "$key"
    wait_for app "$target" 5 0.001
    samples+=("$(ms_since "$t0")")
    sleep 0.2
  done
  echo "key latency $1 (ms): ${samples[*]}"
  printf -v "${1}_median" '%s' "$(printf '%s\n' "${samples[@]}" | median)"
  printf -v "${1}_max" '%s' "$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)"
}

measure_cpu 5
idle_total=$cpu_total idle_ui=$cpu_ui
echo "idle over 5 s: flowscope $idle_total % (UI thread $idle_ui %), tmux server $cpu_tmux %"

# Select firehoseFlow (its example input: 10 000 chunks/s for 12 s), clear the filter (the selection
# stays), and take the idle key latency.
"${TMX[@]}" send-keys -t app -l /firehose
"${TMX[@]}" send-keys -t app Enter
wait_for app '▸ firehoseFlow'
"${TMX[@]}" send-keys -t app Escape
wait_for app 'Flows \(1\)'
floor=$(probe_floor)
echo "send-keys + capture-pane alone: $floor ms"
key_latency idle

# Run it and measure 10 s of streaming.
"${TMX[@]}" send-keys -t app Enter
wait_for app 'firehoseFlow · streaming' 10 0.01
sleep 0.5
measure_cpu 10
stream_total=$cpu_total stream_ui=$cpu_ui stream_tmux=$cpu_tmux
rate=$(screen app | grep -Eo '[0-9]+ tok/s' | head -1)
echo "streaming over 10 s: flowscope $stream_total % (UI thread $stream_ui %), tmux server $stream_tmux %; stream rate $rate"
echo "  per thread (tid:name:%):$cpu_threads"
wait_for app 'firehoseFlow · done' 30

# Key latency while streaming: run it again.
"${TMX[@]}" send-keys -t app Enter
wait_for app 'firehoseFlow · streaming' 10 0.01
sleep 0.5
key_latency streaming
screen app | grep -q 'firehoseFlow · streaming' || echo "warning: the stream ended before the key latency test did" >&2
wait_for app 'firehoseFlow · done' 30
quit_app app

# The same stream without the debugger: `flowscope run` (chunks not printed) — the producer's pacing,
# the event bus and the trace store writer; the difference is what the debugger adds.
mkdir -p "$tmp/headless"
FLOWSCOPE_BENCHMARK_FLOWS=1 "$bin" run firehoseFlow '{"chunksPerSecond": 10000, "seconds": 12}' \
  --db "$tmp/headless/traces.sqlite" >/dev/null &
headless_pid=$!
sleep 1
t0=$(now_ns); h0=$(ticks "/proc/$headless_pid/stat")
sleep 10
t1=$(now_ns); h1=$(ticks "/proc/$headless_pid/stat")
wait "$headless_pid"
headless=$(percent $((h1 - h0)) $((t1 - t0)))
echo "same stream without the debugger (flowscope run) over 10 s: $headless %"

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "ok" : "MISSED") }'; }
echo
echo "| measure | result | target |"
echo "|---|---|---|"
echo "| time to first frame (median of $runs) | $ttff_median ms | < 150 ms: $(verdict "$ttff_median" 150) |"
echo "| idle CPU (5 s) | $idle_total % | ≈ 0 |"
echo "| CPU streaming 10 000 chunks/s (10 s) | $stream_total % of one core | ≤ 30 %: $(verdict "$stream_total" 30) |"
echo "| of which the UI thread | $stream_ui % | — |"
echo "| same stream, no debugger (\`flowscope run\`) | $headless % | — |"
echo "| tmux server while streaming | $stream_tmux % | — |"
echo "| achieved stream rate | $rate | 10 000 |"
echo "| key latency idle (median / max of 10) | $idle_median / $idle_max ms | — |"
echo "| key latency while streaming (median / max of 10) | $streaming_median / $streaming_max ms | — |"
echo "| send-keys + capture-pane alone (measurement floor) | $floor ms | — |"

if [ "$frames" = 1 ]; then
  echo
  "$bin_dir/TUIBenchmarks"
fi
