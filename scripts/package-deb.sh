#!/usr/bin/env bash
# Builds the Linux package (target/debian/onsdesk_<version>-1_<arch>.deb) with cargo-deb and
# checks it the way a user would meet it: unpacked into a throwaway root, the installed
# `onsdesk --version` runs, a dry-run create works from the installed binary, the .desktop
# entry validates, every icon size and both licences are there, and apt could resolve its
# dependencies (simulated, nothing is installed).
#
# Needs: Debian/Ubuntu, root for apt (only when a tool is missing), the Rust toolchain.
# Installs what is missing: desktop-file-utils and dpkg-dev (apt), cargo-deb (crates.io).
# Usage: scripts/package-deb.sh           the release package (a release build, ~5 min on 2 cores)
#        DEB_PROFILE=dev scripts/package-deb.sh
#            the same package around the debug binary that `cargo test` already built, with
#            light compression: what CI checks (the packaging, not the optimiser), in ~1 min
#        SKIP_BUILD=1 ...   check an existing .deb only
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0

say() { printf '== package-deb: %s\n' "$*" >&2; }
# WIDTHxHEIGHT of a PNG, from its IHDR chunk (bytes 16-23, big-endian), with coreutils only
png_size() {
  local b
  read -r -a b < <(od -An -tu1 -j16 -N8 "$1")
  [ "${#b[@]}" -eq 8 ] || return 0
  echo "$(( (b[0] << 24) + (b[1] << 16) + (b[2] << 8) + b[3] ))x$(( (b[4] << 24) + (b[5] << 16) + (b[6] << 8) + b[7] ))"
}
fail() { printf 'package-deb: FAIL: %s\n' "$*" >&2; exit 1; }

need=()
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)          # for cargo-deb's $auto depends
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
if ! cargo deb --version 2>/dev/null | grep -qF "$CARGO_DEB_VERSION"; then
  say "cargo install cargo-deb $CARGO_DEB_VERSION"
  cargo install cargo-deb --locked --version "$CARGO_DEB_VERSION"
fi

version=$(cargo metadata --locked --no-deps --format-version 1 |
  sed -n 's/.*"name":"onsdesk","version":"\([^"]*\)".*/\1/p')
[ -n "$version" ] || fail "no version from cargo metadata"
arch=$(dpkg --print-architecture)
profile=${DEB_PROFILE:-release}
case $profile in
  release) deb=target/debian/onsdesk_${version}-1_${arch}.deb; extra=() ;;
  dev) deb=target/debian-dev/onsdesk_${version}-1_${arch}.deb; extra=(--profile dev --fast) ;;
  *) fail "DEB_PROFILE must be release or dev" ;;
esac

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "cargo deb ($profile build)"
  start=$(date +%s)
  mkdir -p "$(dirname "$deb")"
  cargo deb --locked "${extra[@]}" --output "$deb"
  say "built in $(( $(date +%s) - start ))s"
fi
[ -f "$deb" ] || fail "no package at $deb"
say "$deb: $(du -h "$deb" | cut -f1)"
dpkg-deb --field "$deb" Package Version Architecture Depends >&2

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"

# the installed binary runs, and is this version
out=$("$root/usr/bin/onsdesk" --version) || fail "installed onsdesk --version failed"
[ "$out" = "onsdesk $version" ] || fail "installed onsdesk --version said: $out"
say "installed binary: $out"
# and the command line works from it (nothing is sent with --dry-run)
env -i HOME="$root/home" ONSDESK_DATA_DIR="$root/data" PATH=/usr/bin:/bin \
  ALIBABA_CLOUD_ACCESS_KEY_ID=TESTpackageCheck0001 ALIBABA_CLOUD_ACCESS_KEY_SECRET=package-check \
  "$root/usr/bin/onsdesk" create --name package-check --dry-run >/dev/null ||
  fail "installed onsdesk create --dry-run failed"

desktop=$root/usr/share/applications/onsdesk.desktop
[ -f "$desktop" ] || fail "no .desktop entry"
desktop-file-validate "$desktop" || fail "the .desktop entry does not validate"
grep -qx 'Exec=onsdesk' "$desktop" || fail ".desktop Exec is not the installed binary"
[ -x "$root/usr/bin/$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")" ] || fail ".desktop Exec does not resolve"
icon=$(sed -n 's/^Icon=//p' "$desktop")
for n in 16 22 24 32 48 64 128 256; do
  png=$root/usr/share/icons/hicolor/${n}x${n}/apps/$icon.png
  [ -f "$png" ] || fail "no ${n}x${n} icon"
  [ "$(png_size "$png")" = "${n}x${n}" ] || fail "$png is not a ${n}x${n} PNG"
done
for f in LICENSE OFL-NotoSansCJK.txt copyright; do
  [ -s "$root/usr/share/doc/onsdesk/$f" ] || fail "no usr/share/doc/onsdesk/$f"
done
grep -q "SIL OPEN FONT LICENSE" "$root/usr/share/doc/onsdesk/OFL-NotoSansCJK.txt" || fail "the OFL text is missing"

# apt could install it: every dependency resolves in the configured suites (simulated)
if [ "$(id -u)" = 0 ]; then
  apt-get install -s -q "./$deb" >"$root/apt-sim.txt" 2>&1 || { cat "$root/apt-sim.txt" >&2; fail "apt cannot resolve the dependencies"; }
  say "apt-get install -s: dependencies resolve"
fi
say "OK: $deb"
