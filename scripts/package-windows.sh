#!/usr/bin/env bash
# Builds the Windows download, target/windows/onsdesk-<version>-windows-x86_64.zip, and checks
# it the way a user would meet it. The zip holds one folder, onsdesk-<version>/, with:
#   onsdesk.exe            the window (GUI subsystem: no console on a double-click)
#   onsdesk.com            its console twin (src/bin/onsdesk-console.rs), which cmd and
#                          PowerShell pick first for `onsdesk …`, so a command prints and
#                          returns its exit code
#   LICENSE                onsdesk's licence (MIT)
#   OFL-NotoSansCJK.txt    the embedded font's licence (SIL OFL 1.1)
# Checked: exactly those files, each exe's PE subsystem, and in both exes the icon: a group
# icon and every image of assets/windows/onsdesk.ico, byte for byte.
#
# The exes are built for x86_64-pc-windows-gnu by scripts/windows-cargo.sh (which prepares its
# toolchain); they link the C runtime statically and import system DLLs only.
# Needs: Linux; zip, unzip and mingw-w64's binutils (installed with apt when missing, as root).
# Usage: scripts/package-windows.sh            the release build (20 min of CPU cold, so at
#                                              least 10 min on 2 cores); a 22 MB zip
#        WIN_PROFILE=dev scripts/package-windows.sh
#            the same zip around the dev build, stored without compression (its exes are
#            150 MB each): what CI checks, after .ci/windows has built and run those very
#            exes (the packaging, not the optimiser)
#        SKIP_BUILD=1 ...   package exes already built
# CARGO_TARGET_DIR is honoured; the zip goes to target/windows/ of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-pc-windows-gnu
SUBSYSTEM_GUI=2
SUBSYSTEM_CONSOLE=3

say() { printf '== package-windows: %s\n' "$*" >&2; }
fail() { printf 'package-windows: FAIL: %s\n' "$*" >&2; exit 1; }
# little-endian integers from a file, with coreutils only
u16() { local b; read -r -a b < <(od -An -tu1 -j"$2" -N2 "$1"); echo $(( b[0] + (b[1] << 8) )); }
u32() { local b; read -r -a b < <(od -An -tu1 -j"$2" -N4 "$1"); echo $(( b[0] + (b[1] << 8) + (b[2] << 16) + (b[3] << 24) )); }
# the optional header's offset in a PE image (MZ header, e_lfanew, "PE\0\0", COFF header)
pe_optional() {
  local pe
  [ "$(head -c 2 "$1")" = MZ ] || return 0
  pe=$(u32 "$1" 60)
  [ "$(od -An -tx1 -j"$pe" -N4 "$1" | tr -d ' \n')" = 50450000 ] || return 0
  echo $(( pe + 24 ))
}
# the Subsystem field of a PE image
pe_subsystem() {
  local optional
  optional=$(pe_optional "$1")
  [ -z "$optional" ] || u16 "$1" $(( optional + 68 ))
}
# rsrc_leaves RSRC RVA: the resources of a resource tree (RSRC: the .rsrc section's bytes, the
# tree at their start; RVA: its address in the image), one line each: TYPE NAME OFFSET SIZE,
# OFFSET in RSRC. Three levels (types, names, languages), entries named by ordinal.
rsrc_entries() { # rsrc_entries FILE AT: "ID OFFSET" for each entry of the directory at AT
  local count i
  count=$(( $(u16 "$1" $(( $2 + 12 ))) + $(u16 "$1" $(( $2 + 14 ))) ))
  for ((i = 0; i < count; i++)); do
    echo "$(u32 "$1" $(( $2 + 16 + 8 * i ))) $(( $(u32 "$1" $(( $2 + 20 + 8 * i ))) & 0x7FFFFFFF ))"
  done
}
rsrc_leaves() {
  local rsrc=$1 rva=$2 kind names id languages entry
  while read -r kind names; do
    while read -r id languages; do
      while read -r _ entry; do
        echo "$kind $id $(( $(u32 "$rsrc" "$entry") - rva )) $(u32 "$rsrc" $(( entry + 4 )))"
      done < <(rsrc_entries "$rsrc" "$languages")
    done < <(rsrc_entries "$rsrc" "$names")
  done < <(rsrc_entries "$rsrc" 0)
}
# whether EXE holds a group icon and every image of ICO among its resources, byte for byte
icon_in_exe() {
  local exe=$1 ico=$2 work=$3 optional rva leaves count i size offset found kind name at length
  optional=$(pe_optional "$exe")
  [ -n "$optional" ] || { echo "not a PE image"; return 1; }
  rva=$(u32 "$exe" $(( optional + 112 + 2 * 8 )))   # PE32+: data directory 2, resources
  [ "$rva" -gt 0 ] || { echo "no resources"; return 1; }
  x86_64-w64-mingw32-objcopy -O binary --only-section=.rsrc "$exe" "$work/rsrc"
  leaves=$(rsrc_leaves "$work/rsrc" "$rva")
  grep -q '^14 ' <<<"$leaves" || { echo "no group icon (RT_GROUP_ICON)"; return 1; }
  count=$(u16 "$ico" 4)
  for ((i = 0; i < count; i++)); do
    size=$(u32 "$ico" $(( 6 + 16 * i + 8 )))
    offset=$(u32 "$ico" $(( 6 + 16 * i + 12 )))
    found=0
    while read -r kind name at length; do
      [ "$kind" = 3 ] && [ "$length" = "$size" ] || continue
      cmp -s -n "$size" -i "$at:$offset" "$work/rsrc" "$ico" && found=1
    done <<<"$leaves"
    [ "$found" = 1 ] || { echo "image $((i + 1)) of $count ($size bytes) is missing"; return 1; }
  done
}
# the DLLs a PE image imports, from the names in its import section
pe_dlls() {
  x86_64-w64-mingw32-objcopy -O binary --only-section=.idata "$1" "$2/idata"
  strings -n 5 "$2/idata" | grep -i '\.dll$' | sort -fu | tr '\n' ' '
}

need=()
command -v zip >/dev/null || need+=(zip)
command -v unzip >/dev/null || need+=(unzip)
command -v x86_64-w64-mingw32-objcopy >/dev/null || need+=(binutils-mingw-w64-x86-64) # reads the exes
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || fail "no version in Cargo.toml"
profile=${WIN_PROFILE:-release}
case $profile in
  release) dir=release; level=-9 ;;
  dev) dir=debug; level=-0 ;;
  *) fail "WIN_PROFILE must be release or dev" ;;
esac
target_dir=${CARGO_TARGET_DIR:-target}
exes=$target_dir/$TARGET/$dir

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "cargo build --profile $profile --target $TARGET --bins"
  start=$(date +%s)
  scripts/windows-cargo.sh build --locked --profile "$profile" --bins
  say "built in $(( $(date +%s) - start ))s"
fi
for exe in onsdesk.exe onsdesk-console.exe; do
  [ -f "$exes/$exe" ] || fail "no $exes/$exe (build it first, or leave SKIP_BUILD unset)"
done

name=onsdesk-$version
zip=$PWD/target/windows/$name-windows-x86_64.zip
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/$name" "$(dirname "$zip")"
cp "$exes/onsdesk.exe" "$work/$name/onsdesk.exe"
cp "$exes/onsdesk-console.exe" "$work/$name/onsdesk.com"
cp LICENSE "$work/$name/LICENSE"
cp assets/OFL-NotoSansCJK.txt "$work/$name/OFL-NotoSansCJK.txt"
rm -f "$zip"
(cd "$work" && zip -q -X "$level" -r "$zip" "$name")
say "$zip: $(du -h "$zip" | cut -f1)"

# ------------------------------------------------------------------ what a user unzips
files=$(unzip -Z1 "$zip" | sort)
expected=$(printf '%s\n' "$name/" "$name/LICENSE" "$name/OFL-NotoSansCJK.txt" "$name/onsdesk.com" "$name/onsdesk.exe" | sort)
[ "$files" = "$expected" ] || fail "the zip holds: $(echo "$files" | tr '\n' ' ')"
mkdir "$work/unzipped"
unzip -q "$zip" -d "$work/unzipped"
got=$work/unzipped/$name
[ "$(pe_subsystem "$got/onsdesk.exe")" = $SUBSYSTEM_GUI ] ||
  fail "onsdesk.exe is not a GUI-subsystem program (subsystem $(pe_subsystem "$got/onsdesk.exe"))"
[ "$(pe_subsystem "$got/onsdesk.com")" = $SUBSYSTEM_CONSOLE ] ||
  fail "onsdesk.com is not a console program (subsystem $(pe_subsystem "$got/onsdesk.com"))"
for exe in onsdesk.exe onsdesk.com; do
  why=$(icon_in_exe "$got/$exe" assets/windows/onsdesk.ico "$work") || fail "$exe: the icon: $why"
done
cmp -s "$got/LICENSE" LICENSE || fail "LICENSE differs"
grep -q "SIL OPEN FONT LICENSE" "$got/OFL-NotoSansCJK.txt" || fail "the OFL text is missing"
# system DLLs only: nothing a user would have to find beside the exe
dlls=$(pe_dlls "$got/onsdesk.exe" "$work")
[ -n "$dlls" ] || fail "onsdesk.exe: no imported DLL found"
case " ${dlls,,} " in
  *" libgcc_s"* | *" libwinpthread"* | *" libstdc++"*) fail "onsdesk.exe needs a MinGW DLL: $dlls" ;;
esac
say "imports: $dlls"
say "OK: $zip"
