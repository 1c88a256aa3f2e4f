#!/usr/bin/env bash
# Fine-tuning step time and peak RSS of full vs LoRA vs QLoRA, robust to a machine whose speed drifts: ROUNDS rounds,
# each running every variant in its own process back to back (`tarka bench finetune --variant V`), then the median
# over rounds of each figure and of each round's ratio to full fine-tuning. Extra arguments go to every run
# (for example --gradient-checkpointing).
# Usage: bench/finetune/rounds.sh [ROUNDS] [OUTDIR] [bench finetune options...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rounds=${1:-3}
out=${2:-$root/target/finetune-rounds}
shift $(( $# < 2 ? $# : 2 ))
mkdir -p "$out"
rm -f "$out"/round-*.json
for r in $(seq 1 "$rounds"); do
  for v in full lora qlora; do
    "$root/tarka" bench finetune --variant "$v" --json "$out/round-$r-$v.json" "$@" 2>"$out/round-$r-$v.log" | grep -E "^$v " || {
      echo "round $r $v failed; see $out/round-$r-$v.log"; exit 1; }
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def rec(r, v):
    with open(f"{out}/round-{r}-{v}.json") as f:
        return {x["name"]: x["value"] for x in json.load(f)["records"]}
rows = {v: [rec(r, v) for r in range(1, rounds + 1)] for v in ("full", "lora", "qlora")}
print(f"\nmedians over {rounds} rounds (ratios: median of each round's ratio to full)")
print(f"{'variant':8} {'s/step':>8} {'vs full':>8} {'range':>13} {'peak RSS MiB':>13} {'vs full':>8} {'range':>13}")
for v, rs in rows.items():
    t = [x[f"finetune.{v}.s_per_step"] for x in rs]
    m = [x.get(f"finetune.{v}.peak_rss", float("nan")) for x in rs]
    tr = [a[f"finetune.{v}.s_per_step"] / b["finetune.full.s_per_step"] for a, b in zip(rs, rows["full"])]
    mr = [a.get(f"finetune.{v}.peak_rss", float("nan")) / b.get("finetune.full.peak_rss", float("nan")) for a, b in zip(rs, rows["full"])]
    print(f"{v:8} {statistics.median(t):8.3f} {100*statistics.median(tr):7.1f}% {100*min(tr):5.1f}-{100*max(tr):5.1f}% "
          f"{statistics.median(m):13.0f} {100*statistics.median(mr):7.1f}% {100*min(mr):5.1f}-{100*max(mr):5.1f}%")
PY
