"""Train the stance classifier shipped in src/corroborator/data/stance_model.{npz,json}.

    .venv/bin/python training/train_stance.py [--shared ../shared] [--out src/corroborator/data]

Data: FNC-1 rows in ``datasets/fnc1`` whose ``Body ID`` falls in the training half of
``corroborator.check.fnc1.split_of`` (bench/check.py scores only the other half). Two stages, both
gradient-boosted trees exported to plain arrays: related vs unrelated, then supports / contradicts /
discusses among the related rows with balanced class weights (``disagree`` is ~3% of rows). Per-class
log-probability offsets are then tuned for macro-F1 on out-of-fold predictions (5 folds grouped by
body), so the held-out half is never looked at. Deterministic: fixed seeds, fixed split, sorted inputs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# One OpenMP thread: scikit-learn's tree training crawls on a busy 2-core machine with more, and the
# result must not depend on the thread count.
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
from rich.console import Console
from rich.progress import track

from corroborator.check import fnc1
from corroborator.check.features import FEATURE_NAMES
from corroborator.check.sentences import article_sentences
from corroborator.check.stance import STANCES, StanceFeaturizer
from corroborator.model import Article
from trees import export_trees

REPO = Path(__file__).resolve().parents[1]
console = Console(stderr=True)


def pair_matrix(pairs: list[fnc1.StancePair], featurizer: StanceFeaturizer, label: str) -> np.ndarray:
    """Features for every pair, reading each body once (pairs are grouped by body first)."""
    articles: dict[str, tuple[Article, tuple]] = {}
    for p in pairs:
        if p.body_id not in articles:
            art = Article.create(p.body)
            articles[p.body_id] = (art, article_sentences(art))
    rows = np.zeros((len(pairs), len(FEATURE_NAMES)), dtype=np.float32)
    order = sorted(range(len(pairs)), key=lambda i: (pairs[i].body_id, i))
    for i in track(order, description=label, console=console, transient=True):
        art, sents = articles[pairs[i].body_id]
        rows[i] = featurizer.features(pairs[i].headline, art, sents)[0]
    return rows


def stance_targets(pairs: list[fnc1.StancePair]) -> np.ndarray:
    """Indices into STANCES."""
    return np.asarray([STANCES.index(fnc1.TO_STANCE[p.label]) for p in pairs])


# -- models ------------------------------------------------------------------------------------------
RELATED_PARAMS = {"max_iter": 200, "learning_rate": 0.06, "max_leaf_nodes": 15, "min_samples_leaf": 20}
STANCE_PARAMS = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 63, "min_samples_leaf": 8}
RELATED_THRESHOLD = 0.5


def fit_trees(x: np.ndarray, y: np.ndarray, params: dict[str, float], balanced: bool):  # type: ignore[no-untyped-def]
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        **params,
        l2_regularization=1.0,
        class_weight="balanced" if balanced else None,
        early_stopping=False,
        random_state=0,
    )
    return model.fit(x, y)


UNRELATED = STANCES.index("unrelated")


def fit_two_stage(x: np.ndarray, y: np.ndarray):  # type: ignore[no-untyped-def]
    related = fit_trees(x, (y != UNRELATED).astype(int), RELATED_PARAMS, balanced=False)
    mask = y != UNRELATED
    stance = fit_trees(x[mask], y[mask], STANCE_PARAMS, balanced=True)
    return related, stance


def decide(p_related: np.ndarray, p_stance: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """The rule FeatureStanceModel.decide applies: related first, then the biased stance argmax."""
    k = np.argmax(np.log(np.clip(p_stance, 1e-9, 1.0)) + bias, axis=1)
    return np.where(p_related > RELATED_THRESHOLD, k, UNRELATED)


def macro_f1(y: np.ndarray, pred: np.ndarray, classes: int = 4) -> tuple[float, list[float]]:
    per = []
    for k in range(classes):
        tp = float(np.sum((pred == k) & (y == k)))
        fp = float(np.sum((pred == k) & (y != k)))
        fn = float(np.sum((pred != k) & (y == k)))
        per.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(per)), per


def tune_bias(p_stance: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Log-probability offsets for supports and contradicts (discusses fixed at 0) that maximise the
    out-of-fold macro-F1 of the three related classes: balanced weights alone under-call the rare ones."""
    logp = np.log(np.clip(p_stance, 1e-9, 1.0))
    grid = np.round(np.arange(-1.0, 4.01, 0.125), 3)
    best, best_bias = -1.0, np.zeros(3)
    for a, d in itertools.product(grid, grid):
        bias = np.asarray([a, d, 0.0])
        score = macro_f1(y, np.argmax(logp + bias, axis=1), classes=3)[0]
        if score > best + 1e-9:
            best, best_bias = score, bias
    return best_bias


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """(P(related), P(stance | related)) for every row from models that never saw its body."""
    from sklearn.model_selection import GroupKFold

    p_related = np.zeros(len(y))
    p_stance = np.zeros((len(y), 3))
    for train, test in track(
        list(GroupKFold(folds).split(x, y, groups)), description="cross-validation", console=console, transient=True
    ):
        related, stance = fit_two_stage(x[train], y[train])
        p_related[test] = related.predict_proba(x[test])[:, 1]
        p_stance[test] = stance.predict_proba(x[test])
    return p_related, p_stance


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "src" / "corroborator" / "data")
    ap.add_argument("--features-cache", type=Path, help="Reuse/write the training feature matrix here (.npz).")
    args = ap.parse_args(argv)

    started = time.time()
    pairs = fnc1.read_pairs(args.shared / "datasets" / "fnc1", "train")
    y = stance_targets(pairs)
    groups = np.asarray([p.body_id for p in pairs])
    cache = args.features_cache
    x: np.ndarray | None = None
    if cache and cache.exists():
        with np.load(cache, allow_pickle=False) as z:
            if tuple(z["names"]) == FEATURE_NAMES and len(z["x"]) == len(pairs):
                x = z["x"]
    if x is None:
        x = pair_matrix(pairs, StanceFeaturizer(), "features (train half)")
        if cache:
            np.savez(cache, x=x, names=np.asarray(FEATURE_NAMES))
    console.print(f"{len(pairs)} training pairs, {len(set(groups))} bodies, labels {np.bincount(y).tolist()}")

    p_related, p_stance = out_of_fold(x, y, groups)
    mask = y != UNRELATED
    bias = tune_bias(p_stance[mask], y[mask])
    raw_f1, _ = macro_f1(y, decide(p_related, p_stance, np.zeros(3)))
    cv_f1, cv_per = macro_f1(y, decide(p_related, p_stance, bias))
    console.print(f"out-of-fold macro-F1 {raw_f1:.3f} -> {cv_f1:.3f} with offsets {bias.tolist()}")
    console.print("per class " + ", ".join(f"{s} {f:.3f}" for s, f in zip(STANCES, cv_per, strict=True)))

    related, stance = fit_two_stage(x, y)
    arrays = {
        **export_trees(related, "related"),
        **export_trees(stance, "stance"),
        "bias": bias,
        "related_threshold": np.asarray(RELATED_THRESHOLD),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    npz = args.out / "stance_model.npz"
    np.savez_compressed(npz, **arrays)  # type: ignore[arg-type]

    # The exported arrays must reproduce scikit-learn's probabilities exactly.
    from corroborator.check.classifier import load_classifier

    with np.load(npz, allow_pickle=False) as z:
        data = {k: z[k] for k in z.files}
    for prefix, model in (("related", related), ("stance", stance)):
        ours = load_classifier(data, prefix, "trees").predict_proba(x[:500])
        if not np.allclose(ours, model.predict_proba(x[:500]), atol=1e-6):
            console.print(f"[red]exported {prefix} trees disagree with scikit-learn[/]")
            return 1

    meta = {
        "name": "stance.features.v1",
        "encoder": "embed.use-m3.v1",
        "features": list(FEATURE_NAMES),
        "classes": list(STANCES),
        "related_kind": "trees",
        "stance_kind": "trees",
        "bias": bias.tolist(),
        "related_threshold": RELATED_THRESHOLD,
        "params": {"related": RELATED_PARAMS, "stance": STANCE_PARAMS},
        "training": {
            "data": "FNC-1 competition test, even Body IDs (shared/datasets/fnc1), training half by Body ID",
            "split": {"salt": fnc1.SPLIT_SALT, "train_share": fnc1.TRAIN_SHARE},
            "pairs": len(pairs),
            "bodies": len(set(groups)),
            "labels": dict(zip(STANCES, np.bincount(y, minlength=4).tolist(), strict=True)),
            "out_of_fold_macro_f1": round(cv_f1, 4),
            "out_of_fold_f1": dict(zip(STANCES, [round(f, 4) for f in cv_per], strict=True)),
            "script": "training/train_stance.py",
        },
    }
    (args.out / "stance_model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    console.print(f"wrote {npz} ({npz.stat().st_size / 1024:.0f} KiB) in {time.time() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
