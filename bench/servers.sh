# Sourced by the server comparisons: starts `s1 serve` and llama-server on free ports of
# 127.0.0.1 with the same model, threads, slots and context, waits until both answer
# /health, and stops both when the script exits.
#
#   start_servers SLOTS THREADS CTX LOG_SUFFIX [extra s1 serve flags...]
#     CTX is the whole context (llama-server's -c); s1's -c is each slot's share of it.
#     sets s1_port and ll_port. Needs $root, $s1, $llama_server and $model.
#   start_second_llama_server SLOTS THREADS CTX LOG_SUFFIX
#     after start_servers: one more llama-server with the same flags, for a comparison
#     of llama-server with itself (what the machine's noise alone makes of a ratio);
#     sets ll2_port and stops it with the others.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_health() {
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench: server on port $1 did not start" >&2
  return 1
}

start_servers() {
  local slots=$1 threads=$2 ctx=$3 suffix=$4
  shift 4
  s1_port=$(free_port)
  "$s1" serve -m "$model" --host 127.0.0.1 --port "$s1_port" --parallel "$slots" -t "$threads" \
    -c "$((ctx / slots))" "$@" >"$root/build/bench/s1-serve$suffix.log" 2>&1 &
  s1_pid=$!
  ll_port=$(free_port)
  "$llama_server" -m "$model" --host 127.0.0.1 --port "$ll_port" -np "$slots" -t "$threads" \
    -c "$ctx" --no-webui >"$root/build/bench/llama-server$suffix.log" 2>&1 &
  ll_pid=$!
  server_pids=("$s1_pid" "$ll_pid")
  trap 'kill "${server_pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
  wait_health "$s1_port"
  wait_health "$ll_port"
}

start_second_llama_server() {
  local slots=$1 threads=$2 ctx=$3 suffix=$4
  ll2_port=$(free_port)
  "$llama_server" -m "$model" --host 127.0.0.1 --port "$ll2_port" -np "$slots" -t "$threads" \
    -c "$ctx" --no-webui >"$root/build/bench/llama-server-2$suffix.log" 2>&1 &
  server_pids+=("$!")
  wait_health "$ll2_port"
}
