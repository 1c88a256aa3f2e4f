#!/usr/bin/python3
"""Reference fixtures for Tarka's LoRA parity tests (tarka-finetune LoraParityTest).

Uses the small GPT-2 and Llama models of make_parity_fixtures.py (their stored weights in
tarka-models/src/test/resources/parity/<model>/ are the frozen base) and adds LoRA adapters written here in plain
PyTorch after PEFT's LoraLayer (the `peft` package is not needed):

  y = x W^T + s * (x A^T) B^T,  A [r, in], B [out, r],  s = alpha / r  (alpha / sqrt(r) with use_rslora)

GPT-2's Conv1D stores W as [in, out] (PEFT's fan_in_fan_out=True); A and B keep nn.Linear layouts. DoRA follows
PEFT: W' = m * (W + s B A) / ||W + s B A||_row, the norm detached. Adapter weights are seeded random (B non-zero, so
every gradient is non-zero). For each case, writes OUT/<case>/:

  adapter_config.json         what PEFT 0.13's save_pretrained writes for these settings (sort_keys, indent 2)
  adapter_model.safetensors   adapter tensors under PEFT's saved names: base_model.model.<module>.lora_A.weight,
                              .lora_B.weight (and .lora_magnitude_vector with DoRA), without the adapter name
  reference.safetensors       "logits" [B, T, V] of the adapted model; "grad.<saved name>" of each adapter tensor;
                              "merged.<HF name>" every weight of the merged model (W + s B A, HF layout)
  reference.json              input ids, targets, loss

Batch: the parity fixtures' 2 rows of 12 tokens (reference.json there); loss = mean cross-entropy. Computed in
float64 from the stored float32 bytes.

Run from the repository root:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 \\
      /usr/bin/python3 bench/pytorch/make_lora_fixtures.py [--out tarka-finetune/src/test/resources/lora]
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_parity_fixtures import gpt2_forward, llama_forward, read_safetensors, write_safetensors  # noqa: E402

PARITY = "tarka-models/src/test/resources/parity"

CASES = {
    "llama-lora": dict(base="llama", r=4, lora_alpha=8, use_rslora=False, use_dora=False,
                       target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]),
    "llama-dora": dict(base="llama", r=3, lora_alpha=5, use_rslora=True, use_dora=True,
                       target_modules=["q_proj", "v_proj", "down_proj"]),
    "gpt2-lora": dict(base="gpt2", r=3, lora_alpha=6, use_rslora=False, use_dora=False,
                      target_modules=["c_attn", "c_proj", "c_fc"]),
}

CONV1D = ("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj")


def peft_config(case, base_dir):
    """adapter_config.json as PEFT 0.13 LoraConfig.save_pretrained writes it."""
    gpt = case["base"] == "gpt2"
    return {
        "alpha_pattern": {},
        "auto_mapping": None,
        "base_model_name_or_path": base_dir,
        "bias": "none",
        "fan_in_fan_out": gpt,
        "inference_mode": True,
        "init_lora_weights": True,
        "layer_replication": None,
        "layers_pattern": None,
        "layers_to_transform": None,
        "loftq_config": {},
        "lora_alpha": case["lora_alpha"],
        "lora_dropout": 0.0,
        "megatron_config": None,
        "megatron_core": "megatron.core",
        "modules_to_save": None,
        "peft_type": "LORA",
        "r": case["r"],
        "rank_pattern": {},
        "revision": None,
        "target_modules": sorted(case["target_modules"]),
        "task_type": "CAUSAL_LM",
        "use_dora": case["use_dora"],
        "use_rslora": case["use_rslora"],
    }


def targeted(weights, targets):
    """HF module paths of the adapted matrices, in weight order."""
    out = []
    for name, w in weights.items():
        if w.dim() != 2 or not name.endswith(".weight"):
            continue
        module = name[: -len(".weight")]
        if any(module == t or module.endswith("." + t) for t in targets):
            out.append(module)
    return out


def effective(weights, modules, adapters, case, gpt):
    """The weights the adapted model multiplies by: W + s B A (DoRA-rescaled), in HF layouts."""
    s = case["lora_alpha"] / (math.sqrt(case["r"]) if case["use_rslora"] else case["r"])
    w = dict(weights)
    for m in modules:
        a, b = adapters[m + ".lora_A.weight"], adapters[m + ".lora_B.weight"]
        conv = gpt and m.endswith(CONV1D)
        base = weights[m + ".weight"].t() if conv else weights[m + ".weight"]          # [out, in]
        full = base + s * (b @ a)
        if case["use_dora"]:
            norm = full.detach().norm(dim=1)
            full = (adapters[m + ".lora_magnitude_vector"] / norm).unsqueeze(1) * full
        w[m + ".weight"] = full.t() if conv else full
    return w


def make(name, case, out_dir, seed):
    gen = torch.Generator().manual_seed(seed)
    base_dir = os.path.join(PARITY, case["base"])
    with open(os.path.join(base_dir, "config.json")) as f:
        c = json.load(f)
    with open(os.path.join(base_dir, "reference.json")) as f:
        meta = json.load(f)
    gpt = c["model_type"] == "gpt2"
    forward = gpt2_forward if gpt else llama_forward
    b, t = meta["batch"], meta["seq_len"]
    ids = torch.tensor(meta["input_ids"]).view(b, t)
    targets = torch.tensor(meta["targets"]).view(b, t)
    weights = {k: v.double() for k, v in read_safetensors(os.path.join(base_dir, "model.safetensors")).items()}
    modules = targeted(weights, case["target_modules"])
    adapters = {}
    for m in modules:
        w = weights[m + ".weight"]
        out_f, in_f = (w.shape[1], w.shape[0]) if gpt and m.endswith(CONV1D) else tuple(w.shape)
        adapters[m + ".lora_A.weight"] = torch.randn(case["r"], in_f, generator=gen) / math.sqrt(in_f)
        adapters[m + ".lora_B.weight"] = 0.3 * torch.randn(out_f, case["r"], generator=gen) / math.sqrt(case["r"])
        if case["use_dora"]:
            base = w.t() if gpt and m.endswith(CONV1D) else w
            adapters[m + ".lora_magnitude_vector"] = base.norm(dim=1).float() * (1 + 0.1 * torch.randn(out_f, generator=gen))

    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "adapter_config.json"), "w") as f:
        json.dump(peft_config(case, base_dir), f, indent=2, sort_keys=True)
    write_safetensors(os.path.join(d, "adapter_model.safetensors"),
                      {"base_model.model." + k: v for k, v in adapters.items()})

    stored = {k[len("base_model.model."):]: v.double().requires_grad_(True)
              for k, v in read_safetensors(os.path.join(d, "adapter_model.safetensors")).items()}
    logits = forward(c, effective(weights, modules, stored, case, gpt), ids)
    loss = F.cross_entropy(logits.reshape(-1, c["vocab_size"]), targets.reshape(-1))
    loss.backward()
    ref = {"logits": logits.detach()}
    for k, p in stored.items():
        ref["grad.base_model.model." + k] = p.grad
    for k, v in effective(weights, modules, {k: v.detach() for k, v in stored.items()}, case, gpt).items():
        ref["merged." + k] = v
    write_safetensors(os.path.join(d, "reference.safetensors"), ref)
    with open(os.path.join(d, "reference.json"), "w") as f:
        json.dump({"base": case["base"], "batch": b, "seq_len": t, "loss": loss.item(), "modules": modules,
                   "torch": torch.__version__}, f, indent=2)
    print(f"{name}: {len(modules)} adapted modules, loss {loss.item():.6f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="tarka-finetune/src/test/resources/lora")
    args = ap.parse_args()
    torch.set_num_threads(2)
    for i, (name, case) in enumerate(CASES.items()):
        make(name, case, args.out, 4321 + i)


if __name__ == "__main__":
    main()
