#!/usr/bin/env bash
# Writes the files the Debian package ships but the source tree does not hold: the man pages
# (one per subcommand, `cchc man --dir`) and the bash, zsh and fish completions (`cchc
# completions SHELL`, scripts that ask the installed cchc at each Tab), each made by the built
# binary itself, so they always describe that binary. cargo-deb needs its assets as files, hence
# this step before `cargo deb --no-build`.
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
rm -rf "$OUT/man"
"$BIN" man --dir "$OUT/man" >/dev/null
for shell in bash zsh fish; do
    "$BIN" completions "$shell" >"$OUT/cchc.$shell"
done
# An empty file would install silently and complete nothing: refuse it here.
for f in "$OUT"/man/*.1 "$OUT/cchc.bash" "$OUT/cchc.zsh" "$OUT/cchc.fish"; do
    if [ ! -s "$f" ]; then
        echo "generate-assets.sh: $f is empty" >&2
        exit 1
    fi
done
echo "generate-assets.sh: $(ls "$OUT"/man/*.1 | wc -l) man pages and the completions in $OUT"
