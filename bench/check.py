"""Benchmark ``corroborator check`` batch mode: FNC-1 stance (held-out bodies) and QAGS support AUC.

    .venv/bin/python bench/check.py [--shared ../shared] [--rows N] [--no-qags]

FNC-1: only rows whose Body ID is in the held-out half (``corroborator.check.fnc1.split_of``; the
model was trained on the other half). The three winning 2017 systems in ``dev_top3_predictions.csv``
are scored on exactly the same rows. QAGS (XSum): is a summary sentence supported by its article
(majority of three workers); the judgement's support probability is the score for ROC AUC.
Writes bench/results/check.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
from rich.console import Console
from rich.table import Table

from corroborator.api import judge_pairs
from corroborator.check import default_stance_model, fnc1
from corroborator.check.sentences import article_sentences
from corroborator.model import Article

REPO = Path(__file__).resolve().parents[1]
console = Console(width=150)


def f1_scores(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """The FNC-1 competition score relative to a perfect one (0.25 related/unrelated, 0.75 the label)."""

    def score(g: str, p: str) -> float:
        s = 0.25 if (g == "unrelated") == (p == "unrelated") else 0.0
        return s + (0.75 if g != "unrelated" and g == p else 0.0)

    best = sum(score(g, g) for g in gold)
    return sum(score(g, p) for g, p in zip(gold, pred, strict=True)) / best


def roc_auc(labels: list[int], scores: list[float]) -> float:
    """Mann-Whitney AUC with ties counted half."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def run_fnc(folder: Path, rows: int | None) -> dict[str, object]:
    pairs = fnc1.read_pairs(folder, "test")
    if rows:
        pairs = pairs[:rows]
    lines = [json.dumps({"id": p.row, "claim": p.headline, "text": p.body}) for p in pairs]
    model = default_stance_model()
    model.encoder.encode(["warm up"])  # keep model loading out of the throughput figure
    started = time.perf_counter()
    outcomes = list(judge_pairs(lines, model=model))
    seconds = time.perf_counter() - started
    results = [o.row for o in outcomes if o.row is not None]
    assert all(o.error is None for o in outcomes) and len(results) == len(pairs)
    gold = [p.label for p in pairs]
    systems: dict[str, list[str]] = {
        "corroborator stance.features.v1": [fnc1.FROM_STANCE[r["stance"]] for r in results]
    }
    names, top3 = fnc1.read_top3(folder)
    for name in names:
        systems[f"FNC-1 2017: {name}"] = [top3[p.row][name] for p in pairs]
    scores = {}
    for name, pred in systems.items():
        per = f1_scores(gold, pred, fnc1.FNC_LABELS)
        scores[name] = {
            "macro_f1": sum(per.values()) / len(per),
            "f1": per,
            "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
            "fnc_score": fnc_score(gold, pred),
        }
    return {
        "rows": len(pairs),
        "bodies": len({p.body_id for p in pairs}),
        "labels": {label: gold.count(label) for label in fnc1.FNC_LABELS},
        "seconds": seconds,
        "pairs_per_second": len(pairs) / seconds,
        "systems": scores,
    }


def run_qags(path: Path) -> dict[str, object]:
    model = default_stance_model()
    labels: list[int] = []
    support: list[float] = []
    stance_only: list[float] = []
    started = time.perf_counter()
    n = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            article = Article.create(rec["article"])
            sentences = article_sentences(article)
            for s in rec["summary_sentences"]:
                yes = sum(r["response"] == "yes" for r in s["responses"])
                j = model.judge(s["sentence"], article, sentences)
                labels.append(int(yes * 2 > len(s["responses"])))
                support.append(j.support)
                stance_only.append(1.0 - j.probability("unrelated") - j.probability("contradicts"))
                n += 1
    return {
        "sentences": n,
        "supported": sum(labels),
        "roc_auc_support": roc_auc(labels, support),
        "roc_auc_stance_only": roc_auc(labels, stance_only),
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--rows", type=int, default=None, help="Only the first N held-out FNC-1 rows (dev runs).")
    ap.add_argument("--no-qags", action="store_true", help="Skip the QAGS part.")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "check.json")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    fnc = run_fnc(args.shared / "datasets" / "fnc1", args.rows)
    qags = None if args.no_qags else run_qags(args.shared / "datasets" / "qags" / "mturk_xsum.jsonl")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    table = Table(title=f"FNC-1 held-out bodies: {fnc['rows']} pairs, {fnc['bodies']} bodies {fnc['labels']}")
    for col in ("system", "macro-F1", *fnc1.FNC_LABELS, "accuracy", "FNC score"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, s in fnc["systems"].items():  # type: ignore[attr-defined]
        table.add_row(
            name,
            f"{s['macro_f1']:.3f}",
            *(f"{s['f1'][label]:.3f}" for label in fnc1.FNC_LABELS),
            f"{s['accuracy']:.3f}",
            f"{s['fnc_score']:.3f}",
        )
    console.print(table)
    console.print(
        f"batch mode: {fnc['pairs_per_second']:.1f} pairs/s ({fnc['seconds']:.1f}s), peak RSS {peak_mib:.0f} MiB"
    )
    if qags:
        console.print(
            f"QAGS XSum: {qags['sentences']} sentences ({qags['supported']} supported): ROC AUC "
            f"{qags['roc_auc_support']:.3f} (support probability), "
            f"{qags['roc_auc_stance_only']:.3f} (stance alone: 1 - P(unrelated) - P(contradicts))"
        )
    doc = {
        "benchmark": "check",
        "command": "bench/check.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "model": default_stance_model().name,
        "fnc1": fnc,
        "qags": qags,
        "peak_rss_mib": peak_mib,
        "total_seconds": time.perf_counter() - started,
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    console.print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
