#!/bin/sh
# Runs the release build under Xvfb against the in-process sandbox (--demo), drives it with
# xdotool and saves what a user sees to assets/screenshots/:
#   empty-form.png  validation-error.png  success.png  error-card.png  (dark theme, English)
#   success-light.png  (light theme)   zh-CN.png  (LANG=zh_CN.UTF-8, a Chinese name typed)
# Needs: xvfb-run, xdotool, xwd, ImageMagick's /usr/bin/convert. Nothing leaves 127.0.0.1.
# Usage: tests/screenshots.sh [path/to/onsdesk]   (default: target/release/onsdesk, built if missing)
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-target/release/onsdesk}
[ -x "$BIN" ] || cargo build --release --bin onsdesk
OUT=assets/screenshots
mkdir -p "$OUT"

if [ -z "${ONSDESK_IN_XVFB:-}" ]; then
    ONSDESK_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$BIN"
fi

# One run of the window with its own preferences directory. $1 = LANG, $2 = theme (Dark/Light).
start() {
    STATE=$(mktemp -d)
    mkdir -p "$STATE/onsdesk"
    printf '{"onsdesk.preferences":"(theme:%s)"}' "$2" > "$STATE/onsdesk/app.ron"
    env -u LC_ALL -u LC_MESSAGES LANG="$1" XDG_DATA_HOME="$STATE" XDG_CONFIG_HOME="$STATE" \
        ALIBABA_CLOUD_ACCESS_KEY_ID= ALIBABA_CLOUD_ACCESS_KEY_SECRET= \
        RUST_LOG=error "$BIN" --demo &
    PID=$!
    WID=$(xdotool search --sync --name '^onsdesk')
    xdotool windowfocus --sync "$WID"
    sleep 1.5  # the sandbox starts and the first frames settle
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; rm -rf "$STATE"; }
shot() { sleep "${2:-0.5}"; xwd -id "$WID" -silent | /usr/bin/convert xwd:- -strip -colors 256 "PNG8:$OUT/$1.png"; echo "saved $OUT/$1.png"; }
# xdotool types non-ASCII by remapping a spare keycode per character; quicker than this and
# X drops some of them.
typ() { xdotool type --delay 120 "$1"; sleep 0.3; }
key() { xdotool key --delay 60 "$@"; }

start en_US.UTF-8 Dark
shot empty-form
typ "orders prod"
shot validation-error
key ctrl+a BackSpace
typ "orders-prod"
key Tab
typ "支付 订单 主实例"
key Return
shot success 2
key shift+Tab
key Return        # the same name again: the sandbox refuses it as a duplicate
shot error-card 2
stop

start en_US.UTF-8 Light
typ "orders-prod"
key Return
shot success-light 2
stop

start zh_CN.UTF-8 Dark
typ "订单测试"
key Tab
typ "支付 订单 主实例"
key Return
shot zh-CN 2
stop
