#!/usr/bin/env bash
# Builds the guide (docs/src/*.md) into target/book with mdBook, installed from crates.io
# under target/mdbook on first use (a few minutes on two cores; nothing system-wide).
#
#   docs/build.sh            build target/book/index.html
#
# The guide's Rust examples are not run here: `cargo test -p stacks --doc` compiles and runs
# them, and the suite checks its transcripts (`cargo test --workspace` runs both).
set -euo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
root=target/mdbook
mdbook="$root/bin/mdbook"

if ! "$mdbook" --version 2>/dev/null | grep -qx "mdbook v$MDBOOK_VERSION"; then
    echo "installing mdbook $MDBOOK_VERSION into $root (once)" >&2
    cargo install mdbook --version "=$MDBOOK_VERSION" --locked --root "$root" \
        --no-default-features --features search
fi

"$mdbook" build docs
echo "the guide: target/book/index.html" >&2
