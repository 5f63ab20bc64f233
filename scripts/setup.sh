#!/usr/bin/env bash
# Installs everything BNSL Studio needs that is missing, and skips what is already there at the
# right version, so that a second run takes seconds:
#   Debian packages  chromium, chromium-driver (browser tests), mesa-vulkan-drivers (wgpu on the
#                    CPU through lavapipe), a C compiler and curl when absent;
#   Rust             the toolchain pinned in rust-toolchain.toml with rustfmt, clippy and the
#                    wasm32-unknown-unknown target;
#   cargo tools      trunk (build and bundle the page) and wasm-bindgen-cli (with
#                    wasm-bindgen-test-runner), at the version Cargo.lock pins;
#   npm tools        playwright-core and binaryen's wasm-opt, from package-lock.json;
#   crates           every dependency in Cargo.lock, so that release builds can run offline.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"

# One set-up at a time on a machine: a second caller waits for the first.
LOCK_FILE="${XDG_CACHE_HOME:-$HOME/.cache}/bnsl-setup.lock"
mkdir -p "$(dirname "$LOCK_FILE")"
exec 9>"$LOCK_FILE"
flock 9

started=$SECONDS
echo "${BOLD}==> set-up${RESET} (installs only what is missing)"

# --- Debian packages ---------------------------------------------------------------------
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing_debs=()
for pkg in chromium chromium-driver mesa-vulkan-drivers; do
  deb_installed "$pkg" || missing_debs+=("$pkg")
done
command -v cc >/dev/null || missing_debs+=(build-essential)
command -v curl >/dev/null || missing_debs+=(curl ca-certificates)
command -v flock >/dev/null || missing_debs+=(util-linux)
command -v node >/dev/null || missing_debs+=(nodejs npm)
if [ "${#missing_debs[@]}" -gt 0 ]; then
  note "apt: installing ${missing_debs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
else
  note "apt: chromium, chromium-driver, mesa-vulkan-drivers present"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "${RED}node $(node --version) is too old: playwright-core needs node 20 or newer.${RESET}" >&2
  exit 1
fi

# --- Rust toolchain ----------------------------------------------------------------------
if ! command -v rustup >/dev/null; then
  note "rustup: installing"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain none
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! rustup toolchain list | grep -q "^$RUST_TOOLCHAIN"; then
  note "rustup: installing toolchain $RUST_TOOLCHAIN"
  rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal --component rustfmt,clippy --target "$WASM_TARGET"
fi
installed_components="$(rustup component list --toolchain "$RUST_TOOLCHAIN" --installed)"
for comp in rustfmt clippy "rust-std-$WASM_TARGET"; do
  if ! grep -q "^$comp" <<<"$installed_components"; then
    note "rustup: adding $comp"
    if [ "$comp" = "rust-std-$WASM_TARGET" ]; then
      rustup target add --toolchain "$RUST_TOOLCHAIN" "$WASM_TARGET"
    else
      rustup component add --toolchain "$RUST_TOOLCHAIN" "$comp"
    fi
  fi
done
note "rust: $(rustc --version) with rustfmt, clippy, $WASM_TARGET"

# --- cargo-installed tools ---------------------------------------------------------------
# Both are built with LTO off and many codegen units: half the build time, same behaviour.
# They are installed from outside the repository so that the pinned toolchain does not apply.
tool_version() { "$1" --version 2>/dev/null | awk '{print $2}'; }
if [ "$(tool_version trunk)" != "$TRUNK_VERSION" ]; then
  note "cargo install trunk $TRUNK_VERSION (about 5 minutes)"
  (cd / && CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "$TRUNK_VERSION")
fi
note "trunk $(tool_version trunk)"
if [ "$(tool_version wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ] \
  || [ "$(tool_version wasm-bindgen-test-runner)" != "$WASM_BINDGEN_VERSION" ]; then
  # Not --locked: one locked dependency of wasm-bindgen-cli is gone from the registry.
  note "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  (cd / && CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION")
fi
note "wasm-bindgen $(tool_version wasm-bindgen) (same as Cargo.lock)"

# --- npm tools -----------------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  note "npm ci (playwright-core, binaryen)"
  npm ci --no-audit --no-fund --loglevel=error
fi
note "npm: playwright-core $(node -p 'require("./node_modules/playwright-core/package.json").version'), $(wasm-opt --version)"

# --- crates --------------------------------------------------------------------------------
cargo fetch --quiet
note "crates: fetched (offline builds possible)"

echo "set-up done in $((SECONDS - started)) s"
