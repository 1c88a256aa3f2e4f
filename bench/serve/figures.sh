#!/usr/bin/env bash
# Reproduces the serving figures of docs/BENCHMARKS.md: (1) 16 concurrent streams vs 1 on a stories15M-size random
# model, (2) TTFT of 64 requests sharing a 512-token prefix with and without prefix caching.
# Usage: bench/serve/figures.sh [OUTDIR]   (servers bind 127.0.0.1 and are stopped at the end)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/target/serve-figures}
mkdir -p "$out"
rm -f "$out/server-memory.txt"
vocab=/work/shared/data/llama-cpp-vocab/ggml-vocab-phi-3.gguf
port=18123
pid=
stop() {
  if [ -n "$pid" ]; then
    # the server's resident memory: peak (VmHWM) and now (VmRSS), kB
    grep -E '^Vm(HWM|RSS)' "/proc/$pid/status" 2>/dev/null | tr -s ' \t' ' ' | tee -a "$out/server-memory.txt" || true
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=
  fi
}
trap stop EXIT
start() {
  "$root/tarka" serve --random-model stories15M --tokenizer "$vocab" --port $port "$@" >"$out/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return; sleep 1; done
  echo "server did not start"; cat "$out/server.log"; exit 1
}
bench() { "$root/tarka" bench serve --base-url "http://127.0.0.1:$port" --vocab 32000 "$@"; }

start --max-model-len 640
bench --num-prompts 4 --max-concurrency 4 --input-len 16 --output-len 16 >/dev/null          # JIT warm-up
bench --num-prompts 8 --max-concurrency 1 --input-len 32 --output-len 128 --json "$out/streams-1.json" | tee "$out/streams-1.txt"
bench --num-prompts 32 --max-concurrency 16 --input-len 32 --output-len 128 --json "$out/streams-16.json" | tee "$out/streams-16.txt"
bench --num-prompts 64 --max-concurrency 8 --prefix-len 512 --input-len 16 --output-len 8 --seed 5 --json "$out/prefix-cached.json" | tee "$out/prefix-cached.txt"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^tarka:prefix_cache_(queries|hits)_total' | tee "$out/prefix-cached-metrics.txt"
stop
start --max-model-len 640 --no-prefix-caching
bench --num-prompts 4 --max-concurrency 4 --input-len 16 --output-len 16 >/dev/null
bench --num-prompts 64 --max-concurrency 8 --prefix-len 512 --input-len 16 --output-len 8 --seed 5 --json "$out/prefix-uncached.json" | tee "$out/prefix-uncached.txt"
stop
