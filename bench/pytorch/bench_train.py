#!/usr/bin/env python3
"""PyTorch peer for `tarka bench train`: full fp32 training steps (forward, backward, AdamW) of GPT-2
style models, in tokens per second, plus the process's peak resident memory.

Run it the way `tarka bench train --pytorch` does, so that torch uses OpenBLAS with OpenMP threads
(Debian's python3-torch otherwise falls back to the reference BLAS and is 20-40x slower):

    apt-get install python3-torch libopenblas0-openmp
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 \
        /usr/bin/python3 bench/pytorch/bench_train.py --config A --threads 2

Prints one JSON object per config on stdout (and a note on which BLAS library was loaded on stderr).
Each config runs in a fresh process when called by tarka, so peak RSS is per config.
"""
import argparse
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    # name: (vocab, layers, heads, width, seq_len, batch)
    "A": (65, 6, 6, 384, 256, 8),
    "B": (50257, 12, 12, 768, 64, 4),
    "C": (4096, 4, 4, 128, 128, 16),
}


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.c_attn = nn.Linear(width, 3 * width)
        self.c_proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, 4 * width)
        self.mlp_proj = nn.Linear(4 * width, width)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, "scaled_dot_product_attention") \
            else self._attention(q, k, v)
        x = x + self.c_proj(y.transpose(1, 2).reshape(b, t, c))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))

    @staticmethod
    def _attention(q, k, v):
        t = q.size(-2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~mask, float("-inf"))
        return F.softmax(att, dim=-1) @ v


class Gpt(nn.Module):
    def __init__(self, vocab, layers, heads, width, seq_len):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(seq_len, width)
        self.h = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(width)

    def forward(self, idx, targets):
        t = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied head, as GPT-2
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def blas_library():
    try:
        with open("/proc/self/maps") as maps:
            libs = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
        return ", ".join(libs) or "none mapped (reference BLAS or MKL-DNN only)"
    except OSError:
        return "unknown"


def run(name, threads, warmup, steps):
    vocab, layers, heads, width, seq_len, batch = CONFIGS[name]
    torch.manual_seed(1337)
    model = Gpt(vocab, layers, heads, width, seq_len)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.1)
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, vocab, (batch, seq_len), generator=gen)
    y = torch.randint(0, vocab, (batch, seq_len), generator=gen)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model(x, y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times.sort()
    median = times[len(times) // 2]
    return {
        "config": name,
        "peer": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
        "step_ms": median * 1e3,
        "tokens_per_s": batch * seq_len / median,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default="A", help="A, B, C or all")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    names = list(CONFIGS) if args.config == "all" else [args.config]
    for name in names:
        if name not in CONFIGS:
            sys.exit(f"unknown config {name!r}; choose one of {', '.join(CONFIGS)} or all")
        print(json.dumps(run(name, args.threads, args.warmup, args.steps)), flush=True)
    print("pytorch BLAS loaded: " + blas_library(), file=sys.stderr)


if __name__ == "__main__":
    main()
