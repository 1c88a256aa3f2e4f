#!/usr/bin/python3
"""Reference fixtures for Tarka's model parity tests (tarka-models ParityTest).

Builds small GPT-2 and Llama-family models in plain PyTorch, written here to follow Hugging Face's
GPT2LMHeadModel / LlamaForCausalLM / MistralForCausalLM / Qwen2ForCausalLM forward passes (the
`transformers` and `safetensors` packages are not needed), with seeded random weights, and writes
for each model, under OUT/<name>/:

  config.json             Hugging Face config (read back by HfModelConfig.read)
  model.safetensors       weights under HF names and in HF layouts (GPT-2 Conv1D matrices [in, out])
  reference.safetensors   "logits" [B, T, V] for the fixed batch and "grad.<name>" for every parameter
                          (HF names and layouts), all float32
  reference.json          input ids, targets, loss, and the losses of 5 AdamW steps with its settings

Models (all float32):
  gpt2     vocab 61, 16 positions, 2 layers, 4 heads, width 32, MLP 128, tied head
  llama    vocab 61, 2 layers, 4 query heads / 2 KV heads (GQA), width 32, MLP 44, RoPE theta 10000
           (HF "rotate_half" pairing), untied head
  mistral  as llama, plus sliding window 5 (query i sees keys j with i-5 < j <= i), linear RoPE
           scaling x2, tied head
  qwen2    as llama, plus q/k/v biases and llama3 RoPE scaling, theta 1e6

Batch: 2 rows of 12 tokens; the targets are the next tokens; loss = mean cross-entropy.
AdamW (torch.optim.AdamW): lr 1e-2 constant, betas (0.9, 0.95), eps 1e-8, weight decay 0.1 on every
parameter; no clipping; 5 steps on the same batch; the recorded loss of step i is computed before
update i.

Run from the repository root (needs Debian's python3-torch and, for a fast BLAS, libopenblas0-openmp):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 \\
      /usr/bin/python3 bench/pytorch/make_parity_fixtures.py [--out tarka-models/src/test/resources/parity]
"""
import argparse
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

B, T = 2, 12
ADAMW = dict(lr=1e-2, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
STEPS = 5

CONFIGS = {
    "gpt2": dict(model_type="gpt2", vocab_size=61, n_positions=16, n_layer=2, n_head=4, n_embd=32, n_inner=None,
                 layer_norm_epsilon=1e-5, activation_function="gelu_new", tie_word_embeddings=True,
                 bos_token_id=0, eos_token_id=0),
    "llama": dict(model_type="llama", vocab_size=61, hidden_size=32, intermediate_size=44, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32, rms_norm_eps=1e-5,
                  rope_theta=10000.0, rope_scaling=None, tie_word_embeddings=False, attention_bias=False,
                  hidden_act="silu", bos_token_id=1, eos_token_id=2),
    "mistral": dict(model_type="mistral", vocab_size=61, hidden_size=32, intermediate_size=44, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32, rms_norm_eps=1e-5,
                    rope_theta=10000.0, rope_scaling={"rope_type": "linear", "factor": 2.0}, sliding_window=5,
                    tie_word_embeddings=True, hidden_act="silu", bos_token_id=1, eos_token_id=2),
    "qwen2": dict(model_type="qwen2", vocab_size=61, hidden_size=32, intermediate_size=44, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32, rms_norm_eps=1e-6,
                  rope_theta=1000000.0, use_sliding_window=False,
                  rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                "high_freq_factor": 4.0, "original_max_position_embeddings": 8},
                  tie_word_embeddings=False, hidden_act="silu", bos_token_id=1, eos_token_id=2),
}


def print_blas():
    """Which BLAS this torch process actually mapped (the reference BLAS is 20-40x slower than OpenBLAS)."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if "blas" in path or "lapack" in path or "mkl" in path:
                libs.add(path)
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    print("BLAS libraries loaded:", ", ".join(sorted(libs)) or "none found in /proc/self/maps")


# ----------------------------------------------------------------------------- safetensors (F32 only)

def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", name
        a, b = e["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(e["shape"]).clone()
    return out


# ----------------------------------------------------------------------------- weights

def gpt2_shapes(c):
    C, V, L, I = c["n_embd"], c["vocab_size"], c["n_layer"], c["n_inner"] or 4 * c["n_embd"]
    s = {"transformer.wte.weight": [V, C], "transformer.wpe.weight": [c["n_positions"], C]}
    for l in range(L):
        p = f"transformer.h.{l}."
        s.update({p + "ln_1.weight": [C], p + "ln_1.bias": [C],
                  p + "attn.c_attn.weight": [C, 3 * C], p + "attn.c_attn.bias": [3 * C],
                  p + "attn.c_proj.weight": [C, C], p + "attn.c_proj.bias": [C],
                  p + "ln_2.weight": [C], p + "ln_2.bias": [C],
                  p + "mlp.c_fc.weight": [C, I], p + "mlp.c_fc.bias": [I],
                  p + "mlp.c_proj.weight": [I, C], p + "mlp.c_proj.bias": [C]})
    s.update({"transformer.ln_f.weight": [C], "transformer.ln_f.bias": [C]})
    return s


def llama_shapes(c):
    C, V, L, I = c["hidden_size"], c["vocab_size"], c["num_hidden_layers"], c["intermediate_size"]
    H, KV = c["num_attention_heads"], c["num_key_value_heads"]
    D = C // H
    bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)
    s = {"model.embed_tokens.weight": [V, C]}
    for l in range(L):
        p = f"model.layers.{l}."
        s.update({p + "self_attn.q_proj.weight": [H * D, C], p + "self_attn.k_proj.weight": [KV * D, C],
                  p + "self_attn.v_proj.weight": [KV * D, C], p + "self_attn.o_proj.weight": [C, H * D]})
        if bias:
            s.update({p + "self_attn.q_proj.bias": [H * D], p + "self_attn.k_proj.bias": [KV * D],
                      p + "self_attn.v_proj.bias": [KV * D]})
        s.update({p + "mlp.gate_proj.weight": [I, C], p + "mlp.up_proj.weight": [I, C],
                  p + "mlp.down_proj.weight": [C, I],
                  p + "input_layernorm.weight": [C], p + "post_attention_layernorm.weight": [C]})
    s["model.norm.weight"] = [C]
    if not c["tie_word_embeddings"]:
        s["lm_head.weight"] = [V, C]
    return s


def random_weights(shapes, gen):
    """Norm scales near 1, biases and matrices large enough that every gradient is clearly non-zero."""
    w = {}
    for name, shape in shapes.items():
        if len(shape) == 1 and ("ln_" in name or "norm" in name) and name.endswith("weight"):
            w[name] = 1 + 0.1 * torch.randn(shape, generator=gen)
        elif len(shape) == 1:
            w[name] = 0.1 * torch.randn(shape, generator=gen)
        elif "wte" in name or "wpe" in name or "embed_tokens" in name:
            w[name] = 0.5 * torch.randn(shape, generator=gen)
        else:
            fan_in = shape[0] if ("c_attn" in name or "c_fc" in name or "c_proj" in name) else shape[1]
            w[name] = torch.randn(shape, generator=gen) / math.sqrt(fan_in)
    return w


# ----------------------------------------------------------------------------- models

def causal_attention(q, k, v, window=0):
    """q [B, H, T, D], k/v [B, H, T, D] (kv heads already repeated)."""
    t = q.shape[2]
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    i = torch.arange(t).view(t, 1)
    j = torch.arange(t).view(1, t)
    visible = j <= i
    if window > 0:
        visible = visible & (i - j < window)
    scores = scores.masked_fill(~visible, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def gpt2_forward(c, w, ids):
    C, H, eps = c["n_embd"], c["n_head"], c["layer_norm_epsilon"]
    b, t = ids.shape
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][torch.arange(t)]
    for l in range(c["n_layer"]):
        p = f"transformer.h.{l}."
        h = F.layer_norm(x, (C,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]      # Conv1D: x @ W[in, out] + b
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in qkv.split(C, dim=-1))
        y = causal_attention(q, k, v).transpose(1, 2).reshape(b, t, C)
        x = x + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = F.layer_norm(x, (C,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        h = F.gelu(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"], approximate="tanh")
        x = x + h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = F.layer_norm(x, (C,), w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
    return x @ w["transformer.wte.weight"].t()


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope_inv_freq(c, d):
    inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).double() / d))
    s = c.get("rope_scaling")
    if s is None:
        return inv
    if s["rope_type"] == "linear":
        return inv / s["factor"]
    if s["rope_type"] == "llama3":
        factor, lo, hi, orig = s["factor"], s["low_freq_factor"], s["high_freq_factor"], s["original_max_position_embeddings"]
        low_wavelen, high_wavelen = orig / lo, orig / hi
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (orig / wavelen - lo) / (hi - lo)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, scaled)
    raise ValueError(s)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def llama_forward(c, w, ids):
    C, H, KV, eps = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["rms_norm_eps"]
    D = C // H
    b, t = ids.shape
    window = c.get("sliding_window", 0) if c["model_type"] == "mistral" else 0
    freqs = torch.outer(torch.arange(t).double(), rope_inv_freq(c, D).double())
    emb = torch.cat((freqs, freqs), dim=-1)
    x = w["model.embed_tokens.weight"][ids]
    cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)

        def proj(name, heads):
            y = h @ w[p + f"self_attn.{name}.weight"].t()
            if p + f"self_attn.{name}.bias" in w:
                y = y + w[p + f"self_attn.{name}.bias"]
            return y.view(b, t, heads, D).transpose(1, 2)

        q, k, v = proj("q_proj", H), proj("k_proj", KV), proj("v_proj", KV)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // KV, dim=1)           # query head h uses kv head h // (H/KV), as HF repeat_kv
        v = v.repeat_interleave(H // KV, dim=1)
        y = causal_attention(q, k, v, window).transpose(1, 2).reshape(b, t, C)
        x = x + y @ w[p + "self_attn.o_proj.weight"].t()
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        g = F.silu(h @ w[p + "mlp.gate_proj.weight"].t()) * (h @ w[p + "mlp.up_proj.weight"].t())
        x = x + g @ w[p + "mlp.down_proj.weight"].t()
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if c["tie_word_embeddings"] else w["lm_head.weight"]
    return x @ head.t()


# ----------------------------------------------------------------------------- fixtures

def make(name, c, out_dir, seed):
    gen = torch.Generator().manual_seed(seed)
    gpt = c["model_type"] == "gpt2"
    shapes = gpt2_shapes(c) if gpt else llama_shapes(c)
    weights = random_weights(shapes, gen)
    forward = gpt2_forward if gpt else llama_forward
    tokens = torch.randint(0, c["vocab_size"], (B, T + 1), generator=gen)
    ids, targets = tokens[:, :T], tokens[:, 1:]

    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    write_safetensors(os.path.join(d, "model.safetensors"), weights)

    # read the weights back, so the references come from exactly the stored bytes
    params = {k: v.double().requires_grad_(True) for k, v in read_safetensors(os.path.join(d, "model.safetensors")).items()}
    logits = forward(c, params, ids)
    loss = F.cross_entropy(logits.reshape(-1, c["vocab_size"]), targets.reshape(-1))
    loss.backward()
    ref = {"logits": logits.detach()}
    for k, p in params.items():
        ref["grad." + k] = p.grad
    write_safetensors(os.path.join(d, "reference.safetensors"), ref)

    params = {k: v.double().requires_grad_(True) for k, v in read_safetensors(os.path.join(d, "model.safetensors")).items()}
    opt = torch.optim.AdamW(list(params.values()), **ADAMW)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        l = F.cross_entropy(forward(c, params, ids).reshape(-1, c["vocab_size"]), targets.reshape(-1))
        losses.append(l.item())
        l.backward()
        opt.step()

    meta = {"batch": B, "seq_len": T, "input_ids": ids.reshape(-1).tolist(), "targets": targets.reshape(-1).tolist(),
            "loss": loss.item(), "adamw": {"lr": ADAMW["lr"], "beta1": ADAMW["betas"][0], "beta2": ADAMW["betas"][1],
                                           "eps": ADAMW["eps"], "weight_decay": ADAMW["weight_decay"], "steps": STEPS},
            "adamw_losses": losses, "torch": torch.__version__}
    with open(os.path.join(d, "reference.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(f"{name}: loss {loss.item():.6f}, AdamW losses {[round(x, 6) for x in losses]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="tarka-models/src/test/resources/parity")
    args = ap.parse_args()
    torch.set_num_threads(2)
    print_blas()
    for i, (name, c) in enumerate(CONFIGS.items()):
        make(name, c, args.out, 1234 + i)


if __name__ == "__main__":
    main()
