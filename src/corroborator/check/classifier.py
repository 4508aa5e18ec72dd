"""Small classifiers evaluated with numpy alone, read from NPZ arrays (never pickle).

Two kinds are written by training/train_stance.py: ``dense`` (standardise, then dense layers with ReLU
between them; zero hidden layers is logistic regression) and ``trees`` (a gradient-boosted ensemble of
binary trees packed into padded arrays so every tree is walked at once).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from corroborator.errors import ModelError


class Classifier(Protocol):
    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """(n, classes) probabilities for (n, features) rows."""
        ...


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


@dataclass(frozen=True, slots=True)
class DenseNet:
    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        h = (np.asarray(x, dtype=np.float64) - self.mean) / self.scale
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        if h.shape[1] == 1:  # binary logistic output
            p = 1.0 / (1.0 + np.exp(-h[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        return _softmax(h)


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Trees as padded arrays (trees, nodes): feature, threshold, left, right, value, leaf flag.

    ``klass[t]`` is the output column tree ``t`` adds to; ``baseline`` the starting raw score.
    Missing values (NaN) follow ``nan_left``, as in scikit-learn's HistGradientBoosting.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    nan_left: np.ndarray
    klass: np.ndarray
    baseline: np.ndarray
    depth: int

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        n, trees = x.shape[0], self.feature.shape[0]
        rows = np.arange(trees)[None, :]
        node = np.zeros((n, trees), dtype=np.int64)
        for _ in range(self.depth):
            feat = self.feature[rows, node]
            val = np.take_along_axis(x, feat, axis=1)
            go_left = np.where(np.isnan(val), self.nan_left[rows, node], val <= self.threshold[rows, node])
            nxt = np.where(go_left, self.left[rows, node], self.right[rows, node])
            node = np.where(self.leaf[rows, node], node, nxt)
        leaf_values = self.value[rows, node]  # (n, trees)
        raw = np.tile(self.baseline, (n, 1))
        for k in range(raw.shape[1]):
            raw[:, k] += leaf_values[:, self.klass == k].sum(axis=1)
        if raw.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        return _softmax(raw)


def load_classifier(arrays: Mapping[str, np.ndarray], prefix: str, kind: str) -> Classifier:
    """Rebuild the classifier saved under ``prefix.`` keys of an NPZ archive."""
    try:
        if kind == "dense":
            layers = int(arrays[f"{prefix}.layers"])
            return DenseNet(
                mean=arrays[f"{prefix}.mean"],
                scale=arrays[f"{prefix}.scale"],
                weights=tuple(arrays[f"{prefix}.W{i}"] for i in range(layers)),
                biases=tuple(arrays[f"{prefix}.b{i}"] for i in range(layers)),
            )
        if kind == "trees":
            a = {name: arrays[f"{prefix}.{name}"] for name in _TREE_FIELDS}
            return TreeEnsemble(
                feature=a["feature"].astype(np.int64),
                threshold=a["threshold"].astype(np.float64),
                left=a["left"].astype(np.int64),
                right=a["right"].astype(np.int64),
                value=a["value"].astype(np.float64),
                leaf=a["leaf"].astype(bool),
                nan_left=a["nan_left"].astype(bool),
                klass=a["klass"].astype(np.int64),
                baseline=a["baseline"].astype(np.float64),
                depth=int(a["depth"]),
            )
    except KeyError as exc:
        raise ModelError(f"stance weights lack array {exc.args[0]!r}; rerun training/train_stance.py") from None
    raise ModelError(f"unknown classifier kind {kind!r} in the stance weights; rerun training/train_stance.py")


_TREE_FIELDS = ("feature", "threshold", "left", "right", "value", "leaf", "nan_left", "klass", "baseline", "depth")
