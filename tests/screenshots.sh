#!/bin/sh
# Runs the release build under Xvfb against the in-process sandbox (--demo), drives it with
# xdotool and saves what a user sees to assets/screenshots/:
#   empty-form.png  validation-error.png  success.png  error-card.png  (dark theme, English)
#   success-light.png  (light theme)   zh-CN.png  (LANG=zh_CN.UTF-8, a Chinese name typed)
#   profiles.png  profile-editor.png  (the profiles dialog, a pasted space pointed out)
#   adopted.png  (a separate `onsdesk sandbox` drops the create reply and runs 3 h 20 min ahead)
#   keyring-unavailable.png  (a default profile, no Secret Service on the session bus)
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

# One run of the window with its own preferences directory. $1 = LANG, $2 = theme (Dark/Light),
# the rest are onsdesk's arguments. $AK_ID/$AK_SECRET set the environment's AccessKey (unset
# by default); $DATA_DIR is onsdesk's data directory (the saved profiles; empty by default).
start() {
    STATE=$(mktemp -d)
    mkdir -p "$STATE/onsdesk"
    printf '{"onsdesk.preferences":"(theme:%s)"}' "$2" > "$STATE/onsdesk/app.ron"
    L=$1; shift 2
    if [ -n "${AK_ID:-}" ]; then
        set -- env ALIBABA_CLOUD_ACCESS_KEY_ID="$AK_ID" ALIBABA_CLOUD_ACCESS_KEY_SECRET="$AK_SECRET" "$BIN" "$@"
    else
        set -- "$BIN" "$@"
    fi
    env -u LC_ALL -u LC_MESSAGES -u ALIBABA_CLOUD_ACCESS_KEY_ID -u ALIBABA_CLOUD_ACCESS_KEY_SECRET \
        -u ALIBABA_CLOUD_SECURITY_TOKEN -u DBUS_SESSION_BUS_ADDRESS \
        LANG="$L" XDG_DATA_HOME="$STATE" XDG_CONFIG_HOME="$STATE" HOME="$STATE" \
        ONSDESK_DATA_DIR="${DATA_DIR:-$STATE/data}" RUST_LOG=error "$@" &
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

start en_US.UTF-8 Dark --demo
shot empty-form
typ "orders prod"
shot validation-error
key ctrl+a BackSpace
typ "orders-prod"
key Tab
typ "支付 订单 主实例"
key Return
shot success 2
key shift+Tab shift+Tab shift+Tab   # from the Instance ID back past "Show request" and "New instance" to Create
key Return        # the same name again: the sandbox refuses it as a duplicate
shot error-card 2
stop

start en_US.UTF-8 Light --demo
typ "orders-prod"
key Return
shot success-light 2
stop

start zh_CN.UTF-8 Dark --demo
typ "订单测试"
key Tab
typ "支付 订单 主实例"
key Return
shot zh-CN 2
stop

# Two saved profiles (names, AccessKey IDs, regions: nothing secret is in this file).
DATA_DIR=$(mktemp -d)
printf '%s' '{"version":1,"default":"work","profiles":[{"name":"work","access_key_id":"TEST5tWorkKey00012345","region":"cn-shanghai"},{"name":"staging","access_key_id":"TEST5tStagingKey6789","region":"cn-shanghai"}]}' > "$DATA_DIR/profiles.json"
click() { xdotool mousemove --sync "$1" "$2" click 1; sleep 0.4; }

# The dialog. Coordinates are egui points at 960x640 (the kittest layout); inside the dialog,
# the keyboard.
start en_US.UTF-8 Dark --demo
click 573 18       # Profiles…
shot profiles
key Return         # + Add profile (focused when the dialog opens)
typ "ops"          # the editor opens with the cursor in Profile name
key Tab; typ "TEST5tOpsKey00009876"
key Tab; typ "pasted-secret "
shot profile-editor
stop

# No Secret Service here: the default profile cannot be read; the banner says so.
start en_US.UTF-8 Light
shot keyring-unavailable 1
stop
rm -rf "$DATA_DIR"; DATA_DIR=

# A sandbox that drops the first create reply and whose clock runs 3 h 20 min ahead.
PORT=18765
"$BIN" sandbox --port $PORT --fault-drop-create 1 --clock-offset 12000 >/dev/null 2>&1 &
SANDBOX=$!
sleep 0.5
AK_ID=sandbox-demo-key AK_SECRET=sandbox-demo-secret start en_US.UTF-8 Dark --endpoint "http://127.0.0.1:$PORT/"
typ "orders-prod"
key Return
shot adopted 4
stop
kill "$SANDBOX"; wait "$SANDBOX" 2>/dev/null || true
