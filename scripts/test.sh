#!/usr/bin/env bash
# Installs everything missing (scripts/setup.sh), then runs every check BNSL Studio has, in
# order, stopping at the first failure with a non-zero exit:
#   rustfmt; clippy (native and wasm32, -D warnings); native unit and integration tests;
#   wasm-bindgen tests in headless Chromium (WebGPU through SwiftShader); the release build of
#   the page (trunk); Playwright end-to-end tests against that build served on 127.0.0.1.
# Screenshots and logs go to test-artifacts/. The last line is the end-to-end summary.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"
started=$SECONDS
mkdir -p test-artifacts

step "rustfmt" cargo fmt --all --check
step "clippy (native)" cargo clippy --all-targets --quiet -- -D warnings
step "clippy (wasm32)" cargo clippy --target "$WASM_TARGET" --all-targets --quiet -- -D warnings
# The `ci` profile is release without cross-crate LTO (Cargo.toml): same speed for the tests,
# a fifth of the build time. It also builds the `bnsl` binary the end-to-end tests call.
step "native tests (optimised)" cargo test --profile ci
# The runner (wasm-bindgen-test-runner, see .cargo/config.toml) drives chromedriver with the
# options in webdriver.json; browser tests need it on PATH. Only tests/wasm_*.rs hold browser
# tests: building the other ~35 test crates for wasm32 found none and cost about 20 s.
stray="$(grep -rl 'wasm_bindgen_test' src tests --include='*.rs' | grep -v '^tests/wasm_' || true)"
if [ -n "$stray" ]; then
  echo "${RED}browser tests outside tests/wasm_*.rs would not run:${RESET} $stray"
  exit 1
fi
step "wasm tests (headless Chromium)" cargo test --target "$WASM_TARGET" --test 'wasm_*'
step "release build of the page (trunk)" trunk build --release
BNSL_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/ci/bnsl"
BNSL_VERSION="$("$BNSL_BIN" --version | awk '{print $2}')"
export BNSL_BIN BNSL_VERSION
note "bnsl --version: $BNSL_VERSION"

# The end-to-end step: node's spec report on screen, a TAP copy to count results from.
printf '\n%s==> %s%s\n' "$BOLD" "end-to-end tests (Playwright, headless Chromium)" "$RESET"
tap=test-artifacts/e2e.tap
e2e_status=0
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  tests/e2e/*.test.mjs || e2e_status=$?
e2e_pass="$(awk '/^# pass /{print $3}' "$tap" 2>/dev/null)"
e2e_fail="$(awk '/^# fail /{print $3}' "$tap" 2>/dev/null)"

echo
if [ "$e2e_status" -eq 0 ]; then
  echo "${GREEN}all checks passed${RESET} in $((SECONDS - started)) s:"
  printf '  %s\n' "${STEPS_DONE[@]}" "end-to-end tests"
  echo "screenshots: test-artifacts/e2e/"
else
  echo "${RED}FAILED: end-to-end tests${RESET} (screenshots: test-artifacts/e2e/)"
fi
echo "e2e: ${e2e_pass:-0} passed, ${e2e_fail:-?} failed"
exit "$e2e_status"
