#!/bin/sh
# Runs the release build under Xvfb, drives it with xdotool and saves what a user sees, at the
# default size and the minimum, in both languages and both themes:
#   assets/screenshots/<960x640|720x480>/<en|zh>-<dark|light>/
#     empty-form.png  validation-error.png  success.png  error-card.png  history-detail.png
#     instances.png  topics.png  groups.png  connect.png  instance-delete.png  (the Instances
#       view: a sandbox seeded with two instances "made elsewhere", one with topics and
#       groups, and one the window creates; the first one's Overview, a topic just created
#       and still being created, a group ID without GID_ and its advice, the client config,
#       and the delete dialog saying what is left)
#     profiles.png  profile-editor.png  (the profiles dialog, a pasted space pointed out)
#     keyring-unavailable.png  (a default profile, no Secret Service on the session bus)
#     adopted.png  (a separate `onsdesk sandbox` drops the create reply and runs 3 h 20 min ahead)
# Needs: xvfb-run, xdotool, xwd, ImageMagick's /usr/bin/convert. Nothing leaves 127.0.0.1.
# Usage: tests/screenshots.sh [path/to/onsdesk]   (default: target/release/onsdesk, built if missing)
#        ONLY=720x480/zh-light tests/screenshots.sh   regenerates one size, language and theme.
# Clicks are at window coordinates (egui points at scale 1) that hold at both sizes and in
# both languages; everything else is the keyboard.
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-target/release/onsdesk}
[ -x "$BIN" ] || cargo build --release --bin onsdesk

if [ -z "${ONSDESK_IN_XVFB:-}" ]; then
    ONSDESK_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$BIN"
fi

# One run of the window with its own preferences directory. $1 = LANG, $2 = theme (Dark/Light),
# the rest are onsdesk's arguments. $AK_ID/$AK_SECRET set the environment's AccessKey (unset
# by default); $DATA_DIR is onsdesk's data directory (the saved profiles; empty by default);
# $W and $H the window's size.
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
    xdotool windowsize --sync "$WID" "$W" "$H"
    xdotool windowfocus --sync "$WID"
    # The pointer rests in the bottom-left corner, where hovering shows no tooltip.
    xdotool mousemove --window "$WID" 2 $((H - 2))
    sleep 1.5  # the sandbox starts and the first frames settle
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; rm -rf "$STATE"; }
shot() {
    sleep "${2:-0.5}"
    xwd -id "$WID" -silent | /usr/bin/convert xwd:- -strip -colors 256 "PNG8:$DIR/$1.png"
    echo "saved $DIR/$1.png"
}
# xdotool types non-ASCII by remapping a spare keycode per character; quicker than this and
# X drops some of them.
typ() { xdotool type --delay 120 "$1"; sleep 0.3; }
key() { xdotool key --delay 60 "$@"; }
# egui moves the focus once per frame: two Tabs in one frame move it once. Step by step.
tabs() { xdotool key --delay 250 "$@"; sleep 0.3; }
click() {
    xdotool mousemove --window "$WID" "$1" "$2" click 1
    sleep 0.4
    xdotool mousemove --window "$WID" 2 $((H - 2))
}

# Everything at one size ($W, $H), in one language ($LANG_ID: en/zh) and theme ($THEME).
one_set() {
    case $LANG_ID in
        en) L=en_US.UTF-8 BAD="orders prod" NAME="orders-prod" REMARK="payments main" ;;
        zh) L=zh_CN.UTF-8 BAD="订单 测试" NAME="订单测试" REMARK="支付 订单 主实例" ;;
    esac

    start "$L" "$THEME" --demo
    shot empty-form
    typ "$BAD"
    shot validation-error
    key ctrl+a BackSpace
    typ "$NAME"
    key Tab
    typ "$REMARK"
    key Return
    shot success 2
    key shift+Tab shift+Tab shift+Tab   # from the Instance ID back past "Show request" and "New instance" to Create
    key Return        # the same name again: the sandbox refuses it as a duplicate
    shot error-card 2
    key ctrl+f Tab Tab Tab Tab Tab Return   # search, past its row's controls to the newest entry
    shot history-detail 1
    stop

    # The Instances view, against a sandbox holding two instances made elsewhere.
    PORT=18766
    "$BIN" sandbox --port $PORT --seed-instance legacy-orders:3:2 --seed-instance billing-test:0:0 \
        >/dev/null 2>&1 &
    SANDBOX=$!
    sleep 0.5
    AK_ID=sandbox-demo-key AK_SECRET=sandbox-demo-secret start "$L" "$THEME" --endpoint "http://127.0.0.1:$PORT/"
    typ "$NAME"
    key Return
    sleep 2
    click 150 48      # the "Instances" tab, at the left of the top bar's second row
    sleep 1.5
    click 200 95      # the list's search field; then the keyboard, as a user without a mouse
    tabs Tab Tab Return  # past Refresh to legacy-orders, the first row: its details, focus on Overview
    shot instances 1
    tabs Tab Return   # the Topics tab
    tabs Tab Tab Tab  # past the Groups and Connect tabs to Topic name
    typ "refunds"
    key Return        # created, then "creating" for 2 s: followed until it is in service
    shot topics 0.6
    tabs shift+Tab shift+Tab Return  # back past the Connect tab to Groups
    tabs Tab Tab      # past Connect to Group ID
    typ "orders-consumers"   # no GID_: advice, not an error
    shot groups
    tabs shift+Tab Return    # the Connect tab
    shot connect 1
    tabs shift+Tab shift+Tab shift+Tab Return  # Overview
    tabs Tab Tab Tab Tab Tab Tab Return  # past the other tabs, the name and the remark to Delete…
    typ "legacy"
    shot instance-delete 1
    stop
    kill "$SANDBOX"; wait "$SANDBOX" 2>/dev/null || true

    # Two saved profiles (names, AccessKey IDs, regions: nothing secret is in this file).
    DATA_DIR=$(mktemp -d)
    printf '%s' '{"version":1,"default":"work","profiles":[{"name":"work","access_key_id":"TEST5tWorkKey00012345","region":"cn-shanghai"},{"name":"staging","access_key_id":"TEST5tStagingKey6789","region":"cn-shanghai"}]}' > "$DATA_DIR/profiles.json"
    start "$L" "$THEME" --demo
    click 573 18       # Profiles… (管理凭证…)
    shot profiles
    key Return         # + Add profile (focused when the dialog opens)
    typ "ops"          # the editor opens with the cursor in Profile name
    key Tab; typ "TEST5tOpsKey00009876"
    key Tab; typ "pasted-secret "
    shot profile-editor
    stop

    # No Secret Service here: the default profile cannot be read; the banner says so.
    start "$L" "$THEME"
    shot keyring-unavailable 1
    stop
    rm -rf "$DATA_DIR"; DATA_DIR=

    # A sandbox that drops the first create reply and whose clock runs 3 h 20 min ahead.
    PORT=18765
    "$BIN" sandbox --port $PORT --fault-drop-create 1 --clock-offset 12000 >/dev/null 2>&1 &
    SANDBOX=$!
    sleep 0.5
    AK_ID=sandbox-demo-key AK_SECRET=sandbox-demo-secret start "$L" "$THEME" --endpoint "http://127.0.0.1:$PORT/"
    typ "$NAME"
    key Return
    shot adopted 4
    stop
    kill "$SANDBOX"; wait "$SANDBOX" 2>/dev/null || true
}

for SIZE in 960x640 720x480; do
    W=${SIZE%x*} H=${SIZE#*x}
    for LANG_ID in en zh; do
        for THEME in Dark Light; do
            SET=$SIZE/$LANG_ID-$(echo "$THEME" | tr 'DL' 'dl')
            case ${ONLY:-$SET} in "$SET") ;; *) continue ;; esac
            DIR=assets/screenshots/$SET
            mkdir -p "$DIR"
            one_set
        done
    done
done
