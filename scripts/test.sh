#!/usr/bin/env bash
# Builds s1.cpp (after set-up) and runs every test: the playground in headless Chromium,
# the server through the official openai npm client, then unit, engine and end-to-end
# tests (ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"

# The playground in headless Chromium (playwright-core from npm), where both are installed.
if [ -x /usr/bin/chromium ] && command -v npm >/dev/null; then
  mkdir -p "$root/build/browser"
  [ -f "$root/build/browser/tiny.gguf" ] || "$root/build/bin/s1" make-test-model -o "$root/build/browser/tiny.gguf" >/dev/null
  (cd "$root/tests/browser" && npm ci --silent --no-audit --no-fund &&
     node playground.test.mjs "$root/build/bin/s1" "$root/build/browser/tiny.gguf" "$root/build/browser/playground.png")
else
  echo "test: skipping the browser test (needs /usr/bin/chromium and npm)" >&2
fi

# s1 serve driven by the official openai npm client (chat, streaming, multi-turn cache hits).
if command -v npm >/dev/null; then
  mkdir -p "$root/build/browser"
  [ -f "$root/build/browser/tiny.gguf" ] || "$root/build/bin/s1" make-test-model -o "$root/build/browser/tiny.gguf" >/dev/null
  (cd "$root/tests/clients" && npm ci --silent --no-audit --no-fund &&
     node openai.test.mjs "$root/build/bin/s1" "$root/build/browser/tiny.gguf")
else
  echo "test: skipping the openai client test (needs npm)" >&2
fi

cd "$root/build"
ctest --output-on-failure -j "$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)" --timeout 600
