# Shared shell helpers for scripts/*.sh (sourced, not run).
#
# Puts the tools on PATH (rustup's cargo, the npm tools in node_modules/.bin), fixes the
# versions every script agrees on, and gives a `step` function that prints a header, times the
# command and says which step failed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Versions, each read from the file that pins it so that they cannot drift apart.
RUST_TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$ROOT/rust-toolchain.toml")"
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
TRUNK_VERSION="0.21.14"
WASM_TARGET="wasm32-unknown-unknown"

# Root privileges for apt-get: none needed as root, else sudo.
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

# Colours only on a terminal.
if [ -t 1 ]; then BOLD=$'\e[1m'; RED=$'\e[31m'; GREEN=$'\e[32m'; RESET=$'\e[0m'; else BOLD=""; RED=""; GREEN=""; RESET=""; fi

# step NAME COMMAND...: runs COMMAND with a header and its duration; on failure, says which
# step failed and exits with the command's status.
step() {
  local name="$1"; shift
  local start=$SECONDS status=0
  printf '\n%s==> %s%s\n' "$BOLD" "$name" "$RESET"
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    printf '%sFAILED: %s (exit %d after %ds)%s\n' "$RED" "$name" "$status" $((SECONDS - start)) "$RESET"
    exit "$status"
  fi
  printf '%sok%s: %s (%ds)\n' "$GREEN" "$RESET" "$name" $((SECONDS - start))
  STEPS_DONE+=("$name ($((SECONDS - start))s)")
}
STEPS_DONE=()

# note MESSAGE: one line of progress.
note() { printf '  %s\n' "$*"; }
