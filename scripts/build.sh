#!/usr/bin/env bash
# Set-up (scripts/setup.sh) and a Release build of s1.cpp into build/.
# Extra CMake flags: S1_CMAKE_ARGS, e.g. S1_CMAKE_ARGS="-DS1_LLAMA_DIR=$HOME/llama.cpp".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
[ -f "$root/build/CMakeCache.txt" ] && generator=()
# shellcheck disable=SC2086
cmake -S "$root" -B "$root/build" ${generator[@]+"${generator[@]}"} -DCMAKE_BUILD_TYPE=Release ${S1_CMAKE_ARGS:-} >/dev/null
cmake --build "$root/build" -j "$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)"
