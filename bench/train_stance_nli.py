"""Train and evaluate ``stance.nli.v1``: the cue-feature stance model plus entailment over evidence sentences.

    .venv/bin/python bench/train_stance_nli.py            # train on the FNC-1 training half, write data/stance_nli.*
    .venv/bin/python bench/train_stance_nli.py --eval     # + held-out FNC-1, QAGS XSum, SummaC subsets

Training rows: FNC-1 pairs whose body falls in the training half (``check.fnc1.split_of``), the same half the
feature model was trained on, so the held-out half stays unseen by both. The combiner is a multinomial
logistic regression over the feature model's four log-probabilities and the entailment features of the
evidence sentences (``check.stance.NLI_FEATURES``); class weights balanced; the per-class offsets that
maximise macro-F1 are chosen by 5-fold cross-validation grouped by body (never on the held-out half).

The evaluation prints, beside ``stance.features.v1`` (today's model) on the same rows: FNC-1 held-out
macro-F1 and disagree F1; QAGS XSum ROC AUC of ``support``; SummaC subsets (FactCC, Polytope, SummEval,
XSumFaith) ROC AUC and balanced accuracy, the threshold for each subset chosen on the other three.
Writes bench/results/stance_nli.json.
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
from corroborator.check.stance import (
    NLI_FEATURES,
    NLI_WEIGHTS,
    STANCES,
    FeatureStanceModel,
    NliStanceModel,
    weights_path,
)
from corroborator.entail import default_entailment_model
from corroborator.model import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
console = Console(width=160)
FEATURES = ("log_p_supports", "log_p_contradicts", "log_p_discusses", "log_p_unrelated", *NLI_FEATURES, "judged")


def untrained(meta_extra: dict[str, object] | None = None) -> NliStanceModel:
    """A model object with identity weights, used only to compute features."""
    k = len(FEATURES)
    arrays = {
        "weights": np.zeros((4, k)),
        "intercept": np.zeros(4),
        "mean": np.zeros(k),
        "scale": np.ones(k),
        "bias": np.zeros(4),
    }
    return NliStanceModel(
        FeatureStanceModel.load(), default_entailment_model(), arrays, {"evidence": 5, **(meta_extra or {})}
    )


def fnc_matrix(model: NliStanceModel, pairs: list[fnc1.StancePair], label: str) -> np.ndarray:
    articles: dict[str, tuple[Article, tuple]] = {}
    rows = []
    for p in track(pairs, description=label, console=console):
        if p.body_id not in articles:
            art = Article.create(p.body)
            articles[p.body_id] = (art, article_sentences(art))
        art, sents = articles[p.body_id]
        rows.append(model.features(p.headline, art, sents)[0])
    return np.asarray(rows)


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, list[float]]:
    out = []
    for k in range(4):
        tp = np.sum((gold == k) & (pred == k))
        fp = np.sum((gold != k) & (pred == k))
        fn = np.sum((gold == k) & (pred != k))
        out.append(float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0)
    return float(np.mean(out)), out


def fit(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> dict[str, np.ndarray]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale

    def model() -> LogisticRegression:
        return LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)

    # Offsets for the rare classes, chosen on out-of-fold probabilities.
    oof = np.zeros((len(y), 4))
    for train, test in GroupKFold(5).split(z, y, groups):
        oof[test] = model().fit(z[train], y[train]).predict_proba(z[test])
    best, bias = -1.0, np.zeros(4)
    grid = np.linspace(-1.5, 1.5, 7)
    for b0 in grid:
        for b1 in grid:
            for b2 in grid:
                cand = np.array([b0, b1, b2, 0.0])
                score = macro_f1(y, np.argmax(np.log(oof + 1e-9) + cand, axis=1))[0]
                if score > best:
                    best, bias = score, cand
    final = model().fit(z, y)
    return {
        "weights": final.coef_,
        "intercept": final.intercept_,
        "mean": mean,
        "scale": scale,
        "bias": bias,
        "cv_macro_f1": np.array(best),
    }


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
    x = fnc_matrix(nli, test, "FNC-1 held-out")
    started = time.perf_counter()
    pred_nli = np.argmax(np.log(nli.probabilities(x) + 1e-9) + nli._bias, axis=1)
    base_probs = np.exp(x[:, :4])
    pred_base = base.decide(base_probs)
    fnc = {}
    for name, pred in (("stance.features.v1", pred_base), (nli.name, pred_nli)):
        m, per = macro_f1(gold, pred)
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
    parser.add_argument("--eval", action="store_true")
    parser.add_argument("--eval-only", action="store_true")
    parser.add_argument("--limit", type=int, default=None, help="rows per evaluation set (dev runs)")
    parser.add_argument("--train-limit", type=int, default=None, help="training rows (smoke runs only)")
    args = parser.parse_args()
    target = weights_path().with_name(f"{NLI_WEIGHTS}.npz")
    if not args.eval_only:
        entail = default_entailment_model()
        model = untrained()
        train = fnc1.read_pairs(SHARED / "datasets" / "fnc1", "train")[: args.train_limit]
        x = fnc_matrix(model, train, "FNC-1 training half")
        y = np.array([STANCES.index(fnc1.TO_STANCE[p.label]) for p in train])
        groups = np.array([p.body_id for p in train])
        arrays = fit(x, y, groups)
        console.print(f"cross-validated macro-F1 (grouped by body): {float(arrays['cv_macro_f1']):.3f}")
        meta = {
            "name": "stance.nli.v1",
            "features": list(FEATURES),
            "entailment_model": entail.name,
            "evidence": model.evidence_count,
            "skip_unrelated": model.skip_unrelated,
            "trained_on": "FNC-1 dev_stances.csv rows whose Body ID is in the training half",
            "cv_macro_f1": float(arrays.pop("cv_macro_f1")),
        }
        np.savez(target, **arrays)
        target.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
        console.print(f"wrote {target}")
    if args.eval or args.eval_only:
        results = evaluate(NliStanceModel.load(target), args.limit)
        table = Table(title="check: stance and support, held-out")
        table.add_column("measure")
        table.add_column("stance.features.v1 (before)")
        table.add_column("stance.nli.v1")
        fnc = results["fnc1_heldout"]
        assert isinstance(fnc, dict)
        for key in ("macro_f1",):
            table.add_row(f"FNC-1 {key}", *[f"{fnc[m][key]:.3f}" for m in fnc])
        table.add_row("FNC-1 disagree F1", *[f"{fnc[m]['per_class_f1']['contradicts']:.3f}" for m in fnc])
        if "qags_xsum" in results:
            q = results["qags_xsum"]
            assert isinstance(q, dict)
            table.add_row("QAGS XSum ROC AUC", *[f"{q[m]:.3f}" for m in q])
        summac = results["summac"]
        assert isinstance(summac, dict)
        for name, r in summac.items():
            table.add_row(
                f"SummaC {name} AUC / bal. acc.",
                *[f"{r[m]['roc_auc']:.3f} / {r[m]['balanced_accuracy']:.3f}" for m in r],
            )
        console.print(table)
        out = ROOT / "bench" / "results" / "stance_nli.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
