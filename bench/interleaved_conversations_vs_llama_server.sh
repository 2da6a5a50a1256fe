#!/usr/bin/env bash
# Three conversations interleaved turn by turn on one slot of `s1 serve` and of
# llama-server (both with their defaults: prefix cache and host-memory cache on): each
# turn finds another conversation's cells in the slot, so a server reuses a conversation's
# history only by copying it back from host memory (--cache-ram). Time per turn and in all,
# with a second llama-server as the noise control; see multiturn_vs_llama_server.sh.
#
#   bench/interleaved_conversations_vs_llama_server.sh [threads]   (default: all cores)
set -euo pipefail
exec "$(dirname "$0")/multiturn_vs_llama_server.sh" "${1:-$(nproc)}" 8 16 2 3
