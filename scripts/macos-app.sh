#!/usr/bin/env bash
# Makes onsdesk.app from a release binary built on a Mac:
#   cargo build --release --locked          (MACOSX_DEPLOYMENT_TARGET=11.0 to match Info.plist)
#   scripts/macos-app.sh [BINARY] [OUT_DIR]
# BINARY defaults to target/release/onsdesk, OUT_DIR to dist/. The bundle gets
# assets/macos/Info.plist (bundle id com.onsdesk.onsdesk, the data folder's name; minimum
# macOS 11.0) with the version from Cargo.toml, the icon assets/macos/onsdesk.icns, and the
# licences. On a Mac it is ad-hoc signed (codesign -s -), so the Keychain's "Always Allow"
# sticks to this build; a release should sign with a Developer ID and notarize instead.
# Runs anywhere (it only copies files), which is how it is tested on Linux.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/target/release/onsdesk}
out=${2:-$root/dist}

[ -f "$bin" ] || { echo "macos-app: no binary at $bin (build it first: cargo build --release)" >&2; exit 2; }
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
[ -n "$version" ] || { echo "macos-app: no version in Cargo.toml" >&2; exit 2; }

app=$out/onsdesk.app
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$bin" "$app/Contents/MacOS/onsdesk"
chmod 755 "$app/Contents/MacOS/onsdesk"
sed "s/@VERSION@/$version/g" "$root/assets/macos/Info.plist" > "$app/Contents/Info.plist"
printf 'APPL????' > "$app/Contents/PkgInfo"
cp "$root/assets/macos/onsdesk.icns" "$app/Contents/Resources/onsdesk.icns"
cp "$root/LICENSE" "$app/Contents/Resources/LICENSE"
cp "$root/assets/OFL-NotoSansCJK.txt" "$app/Contents/Resources/OFL-NotoSansCJK.txt"

# the plist must parse, and say what the bundle holds
if command -v plutil >/dev/null 2>&1; then
  plutil -lint "$app/Contents/Info.plist" >/dev/null
else
  python3 - "$app/Contents/Info.plist" "$version" <<'PY'
import plistlib, sys
with open(sys.argv[1], "rb") as f:
    p = plistlib.load(f)
assert p["CFBundleIdentifier"] == "com.onsdesk.onsdesk", p["CFBundleIdentifier"]
assert p["CFBundleExecutable"] == "onsdesk" and p["CFBundleShortVersionString"] == sys.argv[2], p
PY
fi
if command -v codesign >/dev/null 2>&1; then
  codesign --force --sign - "$app"
fi
echo "$app"
