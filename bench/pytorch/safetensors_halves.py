#!/usr/bin/python3
"""Writes tarka-formats' test fixture torch-halves.safetensors: float32 values and PyTorch's own float16 / bfloat16
conversions of them, so the Java tests can compare Tarka's F16/BF16 rounding with PyTorch's bit for bit.

The `safetensors` Python package is not installed here, so the file is written by hand from the format description
(8-byte little-endian header length, JSON header, data), with json.dumps' default separators (spaces after ':' and ',')
to check that Tarka reads headers formatted differently from its own.

Run: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 /usr/bin/python3 \
     bench/pytorch/safetensors_halves.py tarka-formats/src/test/resources/safetensors/torch-halves.safetensors
"""
import json
import struct
import sys

import torch


def values():
    g = torch.Generator().manual_seed(20261129)
    parts = [
        torch.tensor([0.0, -0.0, 1.0, -1.0, 65504.0, 65519.99, 65520.0, 1e30, -1e30, 3.4028235e38,
                      float("inf"), float("-inf"), 2.0 ** -24, 2.0 ** -25, 2.0 ** -26, 1e-40, -1e-45,
                      1.00390625, 1.01171875, 1.0000001, 0.1, 1.0 / 3.0]),
        torch.randn(600, generator=g),
        torch.randn(400, generator=g) * 1e-5,   # f16 subnormal range
        torch.randn(400, generator=g) * 3e4,    # near f16 overflow
        torch.randn(300, generator=g) * 1e-38,  # f32 subnormals, bf16 subnormals
    ]
    x = torch.cat(parts).to(torch.float32)
    # exact ties for bf16: an f32 whose low 16 bits are 0x8000
    ties = (torch.randint(0, 1 << 15, (256,), generator=g, dtype=torch.int32) << 16) | 0x8000
    return torch.cat([x, ties.view(torch.float32)])


def write(path, tensors):
    header, blobs, offset = {"__metadata__": {"producer": "torch " + torch.__version__}}, [], 0
    for name, t in tensors.items():
        data = t.contiguous().view(torch.uint8).numpy().tobytes()
        dtype = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}[t.dtype]
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


if __name__ == "__main__":
    x = values()
    assert sys.byteorder == "little"
    write(sys.argv[1], {"f32": x, "f16": x.to(torch.float16), "bf16": x.to(torch.bfloat16),
                        "matrix": x[:15].reshape(3, 5)})
    print("wrote", sys.argv[1], x.numel(), "values")
