"""Gradient-boosted trees (scikit-learn) exported to the plain arrays ``corroborator.check.classifier``
walks; shared by ``training/train_stance.py`` and the story model's trees (``training/story_data.py``)."""

from __future__ import annotations

import numpy as np


def export_trees(model, prefix: str) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    """HistGradientBoosting -> padded arrays readable by corroborator.check.classifier.TreeEnsemble."""
    trees = [(k, pred.nodes) for it in model._predictors for k, pred in enumerate(it)]
    width = max(len(nodes) for _, nodes in trees)
    shape = (len(trees), width)
    out: dict[str, np.ndarray] = {
        "feature": np.zeros(shape, np.int16),
        "threshold": np.zeros(shape, np.float64),
        "left": np.zeros(shape, np.int16),
        "right": np.zeros(shape, np.int16),
        "value": np.zeros(shape, np.float64),
        "leaf": np.ones(shape, bool),
        "nan_left": np.zeros(shape, bool),
    }
    depth = 0
    for t, (_, nodes) in enumerate(trees):
        n = len(nodes)
        out["feature"][t, :n] = nodes["feature_idx"]
        out["threshold"][t, :n] = nodes["num_threshold"]
        out["left"][t, :n] = nodes["left"]
        out["right"][t, :n] = nodes["right"]
        out["value"][t, :n] = nodes["value"]
        out["leaf"][t, :n] = nodes["is_leaf"].astype(bool)
        out["nan_left"][t, :n] = nodes["missing_go_to_left"].astype(bool)
        depth = max(depth, int(nodes["depth"].max()))
    out["klass"] = np.asarray([k for k, _ in trees], np.int16)
    out["baseline"] = np.asarray(model._baseline_prediction, np.float64).reshape(-1)
    out["depth"] = np.asarray(depth + 1)
    return {f"{prefix}.{k}": v for k, v in out.items()}
