#!/usr/bin/env bash
# Writes the files the Debian package ships but the source tree does not hold: the man page and
# the bash, zsh and fish completions, each printed by the built binary itself (`cchc man`,
# `cchc completions SHELL`), so they always describe that binary. cargo-deb needs its assets as
# files, hence this step before `cargo deb --no-build`.
#
#   packaging/generate-assets.sh [BINARY] [OUT_DIR]   # defaults: target/release/cchc, target/assets
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/cchc}
OUT=${2:-target/assets}

if [ ! -x "$BIN" ]; then
    echo "generate-assets.sh: $BIN is not built; run cargo build --release --locked first" >&2
    exit 1
fi
mkdir -p "$OUT"
"$BIN" man >"$OUT/cchc.1"
for shell in bash zsh fish; do
    "$BIN" completions "$shell" >"$OUT/cchc.$shell"
done
# An empty file would install silently and complete nothing: refuse it here.
for f in "$OUT/cchc.1" "$OUT/cchc.bash" "$OUT/cchc.zsh" "$OUT/cchc.fish"; do
    if [ ! -s "$f" ]; then
        echo "generate-assets.sh: $f is empty" >&2
        exit 1
    fi
done
echo "generate-assets.sh: man page and completions in $OUT"
