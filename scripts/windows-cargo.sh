#!/usr/bin/env bash
# cargo for Windows (x86_64-pc-windows-gnu) on a Linux x86_64 machine:
#   scripts/windows-cargo.sh build --release --locked --bins
# runs `cargo build --release --locked --bins` for that target, with everything it needs:
#
# - the compiler: rustup's, when its toolchain has the target installed; otherwise Debian's
#   rustc-web with the standard library's source (rust-web-src), which .ci/xplat-check
#   unpacks into its cache (not installed: /usr/bin and rustup stay as they are), and std is
#   compiled for the target by cargo's -Zbuild-std (RUSTC_BOOTSTRAP=1 allows it);
# - the linker and the C compiler (ring's C): Debian's mingw-w64 gcc, installed with apt when
#   missing and run as root;
# - `-C target-feature=+crt-static`: Debian's mingw ships libgcc_s as a DLL only, so the exes
#   link the C runtime statically and import system DLLs only.
#
# CARGO_TARGET_DIR is honoured (default: the repository's target/); the exes land in
# $CARGO_TARGET_DIR/x86_64-pc-windows-gnu/<profile>/. Extra environment (a test runner, a
# profile override) passes through to cargo.
# Exit: cargo's status; 2 when the toolchain cannot be prepared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
TARGET=x86_64-pc-windows-gnu
MINGW=x86_64-w64-mingw32

die() { printf 'windows-cargo: %s\n' "$*" >&2; exit 2; }

if ! command -v "$MINGW-gcc" >/dev/null; then
  command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] ||
    die "no $MINGW-gcc: install gcc-mingw-w64-x86-64-win32 (Debian) or your system's mingw-w64 gcc"
  printf '== windows-cargo: apt-get install gcc-mingw-w64-x86-64-win32\n' >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    gcc-mingw-w64-x86-64-win32 >/dev/null
fi

build_std=()
if command -v rustup >/dev/null && (cd "$root" && rustup target list --installed 2>/dev/null) | grep -qx "$TARGET"; then
  cargo=cargo
else
  # Debian's toolchain, shared with .ci/xplat-check (same cache, same lock)
  XPLAT_SETUP_ONLY=1 "$root/.ci/xplat-check" || die "the Debian Rust toolchain could not be prepared"
  prefix=${ONSDESK_XPLAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/onsdesk-xplat}/toolchain
  export PATH=$prefix/usr/bin:$PATH
  export LD_LIBRARY_PATH=$prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export RUSTC=$prefix/usr/bin/rustc RUSTDOC=$prefix/usr/bin/rustdoc
  export RUSTC_BOOTSTRAP=1
  unset RUSTUP_TOOLCHAIN
  cargo=$prefix/usr/bin/cargo
  build_std=(-Zbuild-std=std,panic_unwind)
fi
unset RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER RUSTFLAGS CARGO_BUILD_RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

export CARGO_BUILD_TARGET=$TARGET
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=$MINGW-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
export CC_x86_64_pc_windows_gnu=$MINGW-gcc AR_x86_64_pc_windows_gnu=$MINGW-ar

[ $# -gt 0 ] || die "usage: scripts/windows-cargo.sh SUBCOMMAND [ARGS...]"
subcommand=$1
shift
cd "$root"
exec "$cargo" "$subcommand" "${build_std[@]}" "$@"
