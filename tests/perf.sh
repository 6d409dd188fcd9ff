#!/bin/sh
# Measures the window under Xvfb (release build, software GL): time to the end of the first
# ui() pass, repaints while idle (also with each pane of an instance's details open, and while
# a new topic is followed), frame CPU time while typing and while a call is in flight, and
# resident memory against a bare eframe window (examples/bare_window.rs) measured the same way.
# Needs: xvfb-run, xdotool (and xwd, ImageMagick for PERF_SHOT). Nothing leaves 127.0.0.1.
# Usage: tests/perf.sh   (builds target/release/onsdesk and the bare_window example if missing;
#        ONSDESK_BIN and BARE_BIN measure other builds, e.g. an older commit's;
#        PERF_SHOT=connect.png saves the last pane measured, to check the keys reached it)
set -eu
cd "$(dirname "$0")/.."
BIN=${ONSDESK_BIN:-target/release/onsdesk}
BARE=${BARE_BIN:-target/release/examples/bare_window}
[ -x "$BIN" ] || cargo build --release --bin onsdesk
[ -x "$BARE" ] || cargo build --release --example bare_window

if [ -z "${ONSDESK_IN_XVFB:-}" ]; then
    ONSDESK_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24" "$0"
fi

STATE=$(mktemp -d)
LOG=$STATE/log
export XDG_DATA_HOME=$STATE XDG_CONFIG_HOME=$STATE RUST_LOG=error LANG=en_US.UTF-8
rss() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
frames() { grep -c '^onsdesk-frame' "$LOG" || true; }
# Mean and max of the cpu_prev_ms / ui_ms fields over frame lines $1..$2.
frame_stats() {
    grep '^onsdesk-frame' "$LOG" | sed -n "$1,$2p" | awk '
      { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        n++; c += v["cpu_prev_ms"]; u += v["ui_ms"];
        if (v["cpu_prev_ms"] > cm) cm = v["cpu_prev_ms"]; if (v["ui_ms"] > um) um = v["ui_ms"] }
      END { printf "frames=%d frame_cpu_ms mean=%.2f max=%.2f | ui_ms mean=%.3f max=%.3f\n", n, c/n, cm, u/n, um }'
}

echo "== time to first frame (5 runs; exec -> end of first ui(), wall clock) =="
for i in 1 2 3 4 5; do
    : > "$LOG"
    t0=$(date +%s%3N)
    ONSDESK_TRACE_STARTUP=1 "$BIN" --demo 2> "$LOG" &
    pid=$!
    while ! grep -q onsdesk-startup "$LOG"; do sleep 0.01; done
    line=$(grep onsdesk-startup "$LOG")
    unix_ms=${line##*unix_ms=}
    echo "run $i: $((unix_ms - t0)) ms from exec ($line)"
    kill $pid; wait $pid 2>/dev/null || true
done

echo "== idle, typing, in flight =="
# A slow sandbox (3 s per reply) so the in-flight frames can be measured.
: > "$STATE/sandbox.out"
"$BIN" sandbox --fault-delay-ms 3000 > "$STATE/sandbox.out" &
SB=$!
while ! grep -q listening "$STATE/sandbox.out"; do sleep 0.05; done
URL=$(sed -n 's/.*listening on //p' "$STATE/sandbox.out")
: > "$LOG"
ALIBABA_CLOUD_ACCESS_KEY_ID=sandbox-demo-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=sandbox-demo-secret \
    ONSDESK_COUNT_FRAMES=1 "$BIN" --endpoint "$URL" 2> "$LOG" &
APP=$!
WID=$(xdotool search --sync --name '^onsdesk')
xdotool windowfocus --sync "$WID"
sleep 3
settled=$(frames)
sleep 5
echo "idle: $(( $(frames) - settled )) frames in 5 s (after $settled start-up frames)"

before=$(frames); t0=$(cpu_ticks $APP)
xdotool type --delay 80 "orders-prod-performance-check"
sleep 0.5
after=$(frames); t1=$(cpu_ticks $APP)
echo "typing 29 chars: $(frame_stats $((before + 1)) "$after"); process CPU $(( (t1 - t0) * 10 )) ms over $((after - before)) frames"

before=$(frames); t0=$(cpu_ticks $APP)
xdotool key Return
sleep 2.5          # spinner + elapsed time on screen
after=$(frames); t1=$(cpu_ticks $APP)
echo "in flight 2.5 s: $(frame_stats $((before + 1)) "$after"); process CPU $(( (t1 - t0) * 10 )) ms over $((after - before)) frames"
sleep 1.5
echo "onsdesk RSS after create: $(rss $APP) MiB (peak $(hwm $APP) MiB)"
kill $APP $SB; wait 2>/dev/null || true

echo "== idle with an instance's panes open (--demo, 960x640) =="
: > "$LOG"
ONSDESK_COUNT_FRAMES=1 "$BIN" --demo 2> "$LOG" &
APP=$!
WID=$(xdotool search --sync --name '^onsdesk')
xdotool windowsize --sync "$WID" 960 640
xdotool windowfocus --sync "$WID"
xdotool mousemove --window "$WID" 2 638   # no hover, no tooltip
sleep 3
xdotool mousemove --window "$WID" 150 48 click 1   # the Instances tab
xdotool mousemove --window "$WID" 2 638
sleep 2
xdotool mousemove --window "$WID" 170 131 click 1  # the list's search field, under the sandbox banner
xdotool mousemove --window "$WID" 2 638
xdotool key Tab Tab Return   # past Refresh to the demo's instance: its details, on Overview
sleep 2
settled=$(frames); sleep 5
echo "Overview pane: $(( $(frames) - settled )) frames in 5 idle s"
xdotool key Tab Return       # its Topics
sleep 2
settled=$(frames); sleep 5
echo "Topics pane: $(( $(frames) - settled )) frames in 5 idle s"
xdotool key Tab Tab Tab; xdotool type --delay 80 "perf-topic"; xdotool key Return
sleep 0.8      # created; "creating" for 2 s, followed in the background
settled=$(frames); sleep 1
echo "while a new topic is followed: $(( $(frames) - settled )) frames in 1 s"
sleep 4
settled=$(frames); sleep 5
echo "Topics pane after it is in service: $(( $(frames) - settled )) frames in 5 idle s"
xdotool key shift+Tab shift+Tab Return   # from Topic name back past Connect to the Groups tab
sleep 2
settled=$(frames); sleep 5
echo "Groups pane: $(( $(frames) - settled )) frames in 5 idle s"
xdotool key Tab Return       # the Connect tab
sleep 2
settled=$(frames); sleep 5
echo "Connect pane: $(( $(frames) - settled )) frames in 5 idle s"
# The keys above must have led to the Connect pane: PERF_SHOT=file.png saves the screen to look.
if [ -n "${PERF_SHOT:-}" ]; then
    xwd -id "$WID" -silent | convert xwd:- -strip "PNG8:$PERF_SHOT"
fi
kill $APP; wait 2>/dev/null || true

"$BARE" &
B=$!
WID=$(xdotool search --sync --name '^bare$')
xdotool windowfocus --sync "$WID"
sleep 3
xdotool type --delay 80 "orders-prod-performance-check"
sleep 1.5
echo "bare eframe RSS after typing: $(rss $B) MiB (peak $(hwm $B) MiB)"
kill $B; wait 2>/dev/null || true
rm -rf "$STATE"
