"""Check's stance and support with the entailment model (``stance.nli.v1``) beside ``stance.features.v1``.

    .venv/bin/python bench/stance_nli.py [--limit N]

On held-out data only: FNC-1 rows whose body is in the held-out half (``check.fnc1.split_of``; the feature
model was trained on the other half) for macro-F1 and disagree F1; QAGS XSum for the ROC AUC of
``support``; the SummaC subsets (FactCC, Polytope, SummEval, XSumFaith) for ROC AUC and balanced accuracy,
the threshold for each subset chosen on the other three. Writes bench/results/stance_nli.json.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from corroborator.check import fnc1
from corroborator.check.sentences import article_sentences
from corroborator.check.stance import STANCES, FeatureStanceModel, NliStanceModel
from corroborator.model import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
console = Console(width=160)


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, list[float]]:
    out = []
    for k in range(4):
        tp = np.sum((gold == k) & (pred == k))
        fp = np.sum((gold != k) & (pred == k))
        fn = np.sum((gold == k) & (pred != k))
        out.append(float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0)
    return float(np.mean(out)), out


def roc_auc(labels: list[int], scores: list[float]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def summac_sets() -> dict[str, list[tuple[str, str, int]]]:
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name in ("factcc", "polytope", "summeval", "xsumfaith"):
        path = SHARED / "datasets" / "summac" / f"{name}.json"
        if not path.exists():
            continue
        raw = json.loads(path.read_text(encoding="utf-8"))
        rows = []
        for value in raw.values():
            rec = ast.literal_eval(value) if isinstance(value, str) else value
            rows.append((rec["document"], rec["claim"], int(rec["label"])))
        out[name] = rows
    return out


def support_scores(model: object, items: list[tuple[str, str]], label: str) -> list[float]:
    cache: dict[str, tuple[Article, tuple]] = {}
    out = []
    for doc, claim in track(items, description=label, console=console):
        if doc not in cache:
            art = Article.create(doc)
            cache[doc] = (art, article_sentences(art))
        art, sents = cache[doc]
        out.append(model.judge(claim, art, sents).support)  # type: ignore[attr-defined]
    return out


def balanced_accuracy(labels: list[int], scores: list[float], threshold: float) -> float:
    y = np.asarray(labels)
    p = np.asarray(scores) >= threshold
    return float((np.mean(p[y == 1]) + np.mean(~p[y == 0])) / 2)


def best_threshold(labels: list[int], scores: list[float]) -> float:
    cands = sorted(set(scores))
    return max(cands, key=lambda t: balanced_accuracy(labels, scores, t)) if cands else 0.5


def evaluate(nli: NliStanceModel, limit: int | None) -> dict[str, object]:
    base = FeatureStanceModel.load()
    out: dict[str, object] = {}
    test = fnc1.read_pairs(SHARED / "datasets" / "fnc1", "test")[:limit]
    gold = np.array([STANCES.index(fnc1.TO_STANCE[p.label]) for p in test])
    started = time.perf_counter()
    preds: dict[str, list[int]] = {"stance.features.v1": [], nli.name: []}
    articles: dict[str, tuple[Article, tuple]] = {}
    for p in track(test, description="FNC-1 held-out", console=console):
        if p.body_id not in articles:
            art = Article.create(p.body)
            articles[p.body_id] = (art, article_sentences(art))
        art, sents = articles[p.body_id]
        for name, m in (("stance.features.v1", base), (nli.name, nli)):
            preds[name].append(STANCES.index(m.judge(p.headline, art, sents).stance))  # type: ignore[attr-defined]
    fnc = {}
    for name, pred in preds.items():
        m, per = macro_f1(gold, np.asarray(pred))
        fnc[name] = {"macro_f1": m, "per_class_f1": dict(zip(STANCES, per, strict=True)), "rows": len(gold)}
    out["fnc1_heldout"] = fnc
    out["fnc1_seconds"] = time.perf_counter() - started
    # QAGS XSum
    qags = SHARED / "datasets" / "qags" / "mturk_xsum.jsonl"
    if qags.exists():
        items, labels = [], []
        for line in qags.open(encoding="utf-8"):
            rec = json.loads(line)
            for s in rec["summary_sentences"]:
                yes = sum(r["response"] == "yes" for r in s["responses"])
                items.append((rec["article"], s["sentence"]))
                labels.append(int(yes * 2 > len(s["responses"])))
        out["qags_xsum"] = {
            name: roc_auc(labels, support_scores(m, items, f"QAGS {name}"))
            for name, m in (("stance.features.v1", base), (nli.name, nli))
        }
    sets = summac_sets()
    summac: dict[str, dict[str, object]] = {}
    scores: dict[str, dict[str, list[float]]] = {}
    for name, rows in sets.items():
        rows = rows[:limit] if limit else rows
        sets[name] = rows
        scores[name] = {
            mname: support_scores(m, [(d, c) for d, c, _ in rows], f"SummaC {name} {mname}")
            for mname, m in (("stance.features.v1", base), (nli.name, nli))
        }
    for name, rows in sets.items():
        labels = [y for *_, y in rows]
        summac[name] = {}
        for mname in scores[name]:
            others_l = [y for o, r in sets.items() if o != name for *_, y in r]
            others_s = [s for o in sets if o != name for s in scores[o][mname]]
            t = best_threshold(others_l, others_s)
            summac[name][mname] = {
                "roc_auc": roc_auc(labels, scores[name][mname]),
                "balanced_accuracy": balanced_accuracy(labels, scores[name][mname], t),
                "threshold_from_other_sets": t,
            }
    out["summac"] = summac
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="rows per evaluation set (dev runs)")
    parser.add_argument(
        "--model", type=Path, default=None, help="an exported entailment ONNX file instead of the shipped model"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "stance_nli.json")
    args = parser.parse_args()
    nli = NliStanceModel.load()
    if args.model:
        from corroborator.entail import OnnxEntailment

        nli = NliStanceModel(nli.base, OnnxEntailment(args.model))
        nli.name = f"stance.nli.v1 over {args.model.name}"
    results = evaluate(nli, args.limit)
    table = Table(title="check: stance and support, held-out")
    table.add_column("measure")
    table.add_column("stance.features.v1 (before)")
    table.add_column(nli.name)
    fnc = results["fnc1_heldout"]
    assert isinstance(fnc, dict)
    table.add_row("FNC-1 macro-F1", *[f"{fnc[m]['macro_f1']:.3f}" for m in fnc])
    table.add_row("FNC-1 disagree F1", *[f"{fnc[m]['per_class_f1']['contradicts']:.3f}" for m in fnc])
    if "qags_xsum" in results:
        q = results["qags_xsum"]
        assert isinstance(q, dict)
        table.add_row("QAGS XSum ROC AUC", *[f"{q[m]:.3f}" for m in q])
    summac = results["summac"]
    assert isinstance(summac, dict)
    for name, r in summac.items():
        table.add_row(
            f"SummaC {name} AUC / bal. acc.", *[f"{r[m]['roc_auc']:.3f} / {r[m]['balanced_accuracy']:.3f}" for m in r]
        )
    console.print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
