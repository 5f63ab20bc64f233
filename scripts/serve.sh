#!/usr/bin/env bash
# Installs everything missing (scripts/setup.sh), builds the page in release mode (trunk, into
# dist/) and serves it on 127.0.0.1, printing the address. PORT picks the port (default 8080;
# a busy port falls back to a free one). Stop with Ctrl+C.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"
step "release build of the page (trunk)" trunk build --release
exec node scripts/static-server.mjs dist --port "${PORT:-8080}"
