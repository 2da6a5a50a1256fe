#!/usr/bin/env bash
# Installs everything s1.cpp needs on Debian 12 and builds llama.cpp once per version.
#
#   scripts/setup.sh            # apt packages + llama.cpp (cached) + .deps/llama link
#
# llama.cpp comes from the npm package node-llama-cpp (pinned below), whose
# llama/gitRelease.bundle is a git bundle of llama.cpp's source. The tarball's
# integrity hash is checked before anything is unpacked. The bundle is cloned into
# .deps/llama.cpp (git-ignored), built, and installed into a per-version cache:
#   ${S1_CACHE:-~/.cache/s1.cpp}/llama-<commit>-<options hash>/
# so a second set-up on the same machine only re-links .deps/llama to it.
#
# Environment:
#   S1_LLAMA_CMAKE_ARGS  extra CMake flags for llama.cpp, e.g. "-DGGML_CUDA=ON" or
#                        "-DGGML_METAL=ON"; they are part of the cache key.
#   S1_CACHE             cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/s1.cpp).
#   S1_SKIP_APT=1        do not install Debian packages (they are already there, or this
#                        is not Debian). Without apt-get (macOS) the packages are not
#                        installed either: docs/build.md lists Homebrew's names for them.
set -euo pipefail

NLC_VERSION=3.21.1
NLC_INTEGRITY="sha512-E3N0Ev2Va0wzydvXYFwM9Hvyo07PoWjt8T/9GMc43Cvt8YkV/NU/tYUgEMC1grTPv2o9PRjQi0G3Wb5P/awiMg=="
APT_PACKAGES=(build-essential cmake git libssl-dev nlohmann-json3-dev libcli11-dev
              libgtest-dev libgmock-dev libbenchmark-dev libginac-dev libcsv-dev libxxhash-dev pkg-config
              libplplot-dev plplot-driver-cairo libcpp-httplib-dev chromium curl)
# npm only fetches the llama.cpp source; a Node.js that is already there will do.
command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${S1_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/s1.cpp}
jobs=$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
say() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

# --- 1. Debian packages -------------------------------------------------------
install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
if [ "${S1_SKIP_APT:-0}" = 1 ]; then
  :
elif ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  say "no apt-get here: install the packages yourself (docs/build.md names them), then go on"
else
  install_apt
fi
# Tools that differ between Linux and macOS: SHA-256 and base64 without line breaks.
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }

# --- 2. node-llama-cpp tarball, integrity-checked ------------------------------
mkdir -p "$cache" "$root/.deps"
tarball="$cache/node-llama-cpp-$NLC_VERSION.tgz"
check_integrity() {
  local got
  got="sha512-$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
  [ "$got" = "$NLC_INTEGRITY" ]
}
if [ ! -f "$tarball" ] || ! check_integrity "$tarball"; then
  say "fetching node-llama-cpp@$NLC_VERSION with npm pack"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-llama-cpp@$NLC_VERSION" >/dev/null)
  check_integrity "$tmp/node-llama-cpp-$NLC_VERSION.tgz" ||
    die "node-llama-cpp-$NLC_VERSION.tgz does not match its pinned integrity hash"
  mv "$tmp/node-llama-cpp-$NLC_VERSION.tgz" "$tarball"
  rm -rf "$tmp"
fi

# --- 3. llama.cpp source: clone the bundle into .deps/llama.cpp ----------------
bundle="$cache/gitRelease-$NLC_VERSION.bundle"
if [ ! -f "$bundle" ]; then
  tmp=$(mktemp -d)
  tar -xzf "$tarball" -C "$tmp" package/llama/gitRelease.bundle
  mv "$tmp/package/llama/gitRelease.bundle" "$bundle"
  rm -rf "$tmp"
fi
src="$root/.deps/llama.cpp"
want=$(git bundle list-heads "$bundle" | awk 'NR==1{print $1}')
if [ ! -d "$src/.git" ] || [ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$want" ]; then
  say "cloning llama.cpp ${want:0:12} into .deps/llama.cpp"
  rm -rf "$src"
  git -c advice.detachedHead=false clone -q "$bundle" "$src"
  git -C "$src" checkout -q "$want"
fi

# --- 4. build + install into the per-version cache ----------------------------
llama_args=(-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DLLAMA_BUILD_TESTS=OFF
            -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON
            -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
            -DLLAMA_TOOLS_INSTALL=OFF -DLLAMA_OPENSSL=ON)
# AMX: some virtual machines report it but fault on its instructions (SIGILL), and a
# native build would use it; AVX-512 VNNI does the same work. S1_LLAMA_AMX=1 keeps it.
if [ "$(uname -m)" = x86_64 ] && [ "${S1_LLAMA_AMX:-0}" != 1 ]; then
  no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
  llama_args+=("-DCMAKE_C_FLAGS=$no_amx" "-DCMAKE_CXX_FLAGS=$no_amx")
fi
# shellcheck disable=SC2206
extra=(${S1_LLAMA_CMAKE_ARGS:-})
key=$(printf '%s\n' "$want" "${llama_args[@]}" ${extra[@]+"${extra[@]}"} | sha256 | cut -c1-10)
prefix="$cache/llama-${want:0:12}-$key"
tools=(llama-bench llama-batched-bench llama-server)
if [ ! -f "$prefix/.complete" ]; then
  say "building llama.cpp into $prefix (once per version; takes a while)"
  build="$cache/build-${want:0:12}-$key"
  cmake -S "$src" -B "$build" -G "Unix Makefiles" "${llama_args[@]}" ${extra[@]+"${extra[@]}"} \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_RPATH="$prefix/lib" >"$cache/cmake-configure.log" 2>&1 ||
    { tail -20 "$cache/cmake-configure.log" >&2; die "llama.cpp configure failed"; }
  cmake --build "$build" -j "$jobs" --target llama llama-common "${tools[@]}" >"$cache/cmake-build.log" 2>&1 ||
    { tail -30 "$cache/cmake-build.log" >&2; die "llama.cpp build failed"; }
  cmake --install "$build" >"$cache/cmake-install.log" 2>&1 ||
    { tail -20 "$cache/cmake-install.log" >&2; die "llama.cpp install failed"; }
  # llama.cpp installs libllama-common but not its headers; s1.cpp uses them for
  # Jinja chat templates and -hf downloads.
  inc="$prefix/include/llama-common"
  mkdir -p "$inc/jinja" "$prefix/bin" "$prefix/share/s1.cpp"
  cp "$src"/common/*.h "$src"/common/*.hpp "$inc/"
  cp "$src"/common/jinja/*.h "$inc/jinja/"
  cp -r "$src/vendor/nlohmann" "$inc/"
  find "$build" -name 'libllama-common*.so*' -exec cp -P {} "$prefix/lib/" \;
  # Tools stay in the build tree (kept beside the install), where their RPATH points.
  for t in "${tools[@]}"; do ln -sfn "$build/bin/$t" "$prefix/bin/$t"; done
  cp "$src/models/ggml-vocab-qwen2.gguf" "$prefix/share/s1.cpp/"
  echo "$want" >"$prefix/.complete"
fi
# llama.cpp's common library compiles in the cpp-httplib and nlohmann-json it vendors and
# exports them; s1.cpp builds on the same copies (one of each per process), so their
# headers and cpp-httplib's compile definitions go beside the install. Done apart from
# the build above, so that caches built before this step gain it under the same key.
vendor="$prefix/include/llama-vendor"
if [ ! -f "$vendor/cpp-httplib/definitions.txt" ]; then
  flags="$cache/build-${want:0:12}-$key/vendor/cpp-httplib/CMakeFiles/cpp-httplib.dir/flags.make"
  [ -f "$flags" ] || die "$flags is missing: remove $prefix and run scripts/setup.sh again"
  mkdir -p "$vendor/cpp-httplib"
  cp -r "$src/vendor/nlohmann" "$vendor/"
  cp "$src/vendor/cpp-httplib/httplib.h" "$vendor/cpp-httplib/"
  sed -n 's/^CXX_DEFINES = //p' "$flags" | tr ' ' '\n' | sed -n 's/^-D//p' >"$vendor/cpp-httplib/definitions.tmp"
  mv "$vendor/cpp-httplib/definitions.tmp" "$vendor/cpp-httplib/definitions.txt"
fi
ln -sfn "$prefix" "$root/.deps/llama"
say "llama.cpp ${want:0:12} ready at .deps/llama -> $prefix"
