#!/usr/bin/env bash
# Builds the Debian package into target/debian/: the release binary, then the man page and
# completions it prints (packaging/generate-assets.sh), then `cargo deb --no-build` with the
# metadata in Cargo.toml. Installs cargo-deb first if `cargo deb` is missing. Arguments go to
# `cargo deb` (CI passes --fast: the same files, lighter compression, a minute less).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
    echo "== cargo install cargo-deb --locked (a few minutes, once per machine)"
    cargo install cargo-deb --locked
fi
cargo build --release --locked
bash packaging/generate-assets.sh target/release/cchc target/assets
cargo deb --no-build --locked "$@"
