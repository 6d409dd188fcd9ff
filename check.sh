#!/usr/bin/env bash
# The one check: formatting, spelling (typos), lints (clippy pedantic, warnings are errors), the
# dependency policy (cargo deny, deny.toml), the API docs (a broken intra-doc link is an error),
# every test (tests/it/docs.rs checks the Markdown docs too).
# typos and cargo-deny are installed by .ci/tools into ~/.cache/onsdesk-tools; without them
# their steps skip with a note.
# CI runs it unchanged through .ci/run. The real-keyring tests need a Secret Service: when
# dbus-run-session and gnome-keyring-daemon are installed they get a private, unlocked one;
# otherwise they skip with a printed reason. With ONSDESK_NO_SKIP=1 (CI sets it) every skip
# is a failure instead (tests/support/skip.rs).
set -euo pipefail
cd "$(dirname "$0")"

# the pinned checkers .ci/tools installs come first; else whatever is on PATH
PATH="${ONSDESK_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/onsdesk-tools}/bin:$PATH"
# A step whose tool is missing skips with a note, or fails where nothing may skip (CI).
missing() {
  if [ "${ONSDESK_NO_SKIP:-}" = 1 ]; then
    echo "check.sh: $1 is missing and ONSDESK_NO_SKIP=1: run .ci/tools" >&2
    exit 1
  fi
  echo "note: $1 is missing: $2 skipped (.ci/tools installs it)" >&2
}

echo "== rustfmt"
cargo fmt --all -- --check
echo "== typos"
if command -v typos >/dev/null 2>&1; then typos; else missing typos "the spell check"; fi
echo "== clippy"
cargo clippy --locked --all-targets -- -D warnings
echo "== cargo deny"
# licences, duplicate versions and sources, offline (the advisories need a database from the
# network, which these machines cannot reach)
if command -v cargo-deny >/dev/null 2>&1; then
  cargo deny --locked --offline check licenses bans sources
else
  missing cargo-deny "the dependency policy"
fi
echo "== docs"
RUSTDOCFLAGS="${RUSTDOCFLAGS:-} -D warnings" cargo doc --locked --no-deps
echo "== tests"
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  # A throwaway session bus and keyring (its own data dir, so a keyring left in $HOME by an
  # earlier run with another password cannot make it start locked), unlocked with a throwaway
  # password.
  keyring_home=$(mktemp -d)
  trap 'rm -rf "$keyring_home"' EXIT
  KEYRING_HOME="$keyring_home" dbus-run-session -- bash -c '
    printf "onsdesk-check" | XDG_DATA_HOME="$KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null
    cargo test --locked'
else
  echo "note: dbus-run-session or gnome-keyring-daemon missing: real-keyring tests will skip" >&2
  cargo test --locked
fi
