#!/usr/bin/env bash
# Builds s1.cpp (after set-up) and runs every test: unit, engine and end-to-end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" --timeout 600
