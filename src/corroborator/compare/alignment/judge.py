"""Sentence-pair judgement: are two sentences the same statement, overlapping, or unrelated?

Claim alignment asks this of every candidate pair. The answer comes from a small learned model over
:mod:`corroborator.compare.alignment.features` (cosines of two sentence encoders, cosines after two
learned projections of their concatenated vectors, one fitted to STS-B and one to MRPC, soft token
alignment, word / stem / character overlap, numbers, names,
negation). It was trained by ``bench/train_pair.py`` on the MRPC and STS-B training files only and is
stored as plain arrays (``data/pair_model.npz``, no pickle); run time needs numpy and the two encoders.

Two heads share the features:

* ``sts``: a regression onto the STS-B 0-5 scale (ridge, averaged with gradient-boosted trees when
  cross-validation preferred that), returned as ``similarity`` in 0..1;
* ``mrpc``: a logistic model giving ``probability`` = P(paraphrase), with ``same`` = probability at or
  above the threshold that maximised F1 in cross-validation on the MRPC training part.

``relation`` is ``"same"`` when ``same``; otherwise ``"overlap"`` when the similarity reaches the
threshold that best separates STS-B training pairs rated 2 or more ("not equivalent, but share some
details") from the rest in cross-validation, or when one sentence contains nearly all of the other's
words plus more (and the pair is at least on one topic: similarity at or above the threshold that
best separates pairs rated 1 or more); else ``"none"``. One product rule overrides the model: a pair
whose sentences differ in a number and little else is ``"overlap"``, never ``"same"`` (see
:data:`REPLACED_NUMBER_WORDS`). The thresholds, and how they were chosen,
are recorded in the model file's metadata. Whether two aligned claims *conflict* is not decided
here: embeddings score sentences that differ only in a number as near-identical, so conflicts come
from typed facts in compare.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corroborator.compare.alignment.features import (
    SURFACE_NAMES,
    TOKEN_NAMES,
    MiniLmEncoder,
    Tokens,
    numbers_replaced,
    surface,
    surface_features,
    token_features,
)
from corroborator.embed import Encoder, get_encoder
from corroborator.errors import ModelError
from corroborator.model import Relation
from corroborator.once import once

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "pair_model.npz"

# A changed number in an otherwise identical sentence is a different fact, not the same statement.
# MRPC's annotators disagree (of its training pairs where each side has a number the other lacks and
# the other words mostly match, 82-92% are labelled paraphrases: market reports at different hours),
# so the model, faithful to MRPC, says "same"; the product overrides it: such a pair is "overlap"
# (conflict detection in compare then reads the typed numbers) and P(same) is capped.
REPLACED_NUMBER_WORDS = 0.7  # word Jaccard (numbers left out) at or above which "the rest is the same"
REPLACED_NUMBER_CAP = 0.25

#: Features every head sees, in column order (the model file records the same list and is checked).
BASE_NAMES: tuple[str, ...] = (
    "cos_primary",
    "cos_minilm",
    *SURFACE_NAMES,
    *TOKEN_NAMES,
    "proj_sts_cos",
    "proj_mrpc_cos",
)
PROJECTIONS: tuple[str, ...] = ("proj_sts", "proj_mrpc")  # arrays in the model file, in column order


@dataclass(frozen=True, slots=True)
class PairJudgement:
    relation: Relation  # "same" | "overlap" | "none"; "conflict" is decided later by typed facts
    similarity: float  # calibrated 0..1 semantic similarity (STS-B score / 5)
    same: bool  # paraphrase decision (MRPC-style)
    probability: float  # P(same)


class PairModel:
    """The arrays of ``pair_model.npz``: feature standardisation and dense layers per head."""

    def __init__(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                self.arrays = {key: np.asarray(data[key]) for key in data.files}
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            raise ModelError(
                f"{path}: cannot read the pair model ({exc}); regenerate it with bench/train_pair.py"
            ) from None
        try:
            self.meta: dict[str, Any] = json.loads(str(self.arrays.pop("meta")))
        except (KeyError, json.JSONDecodeError):
            raise ModelError(f"{path}: no metadata in the pair model; regenerate it with bench/train_pair.py") from None
        if tuple(self.meta.get("base_features", ())) != BASE_NAMES:
            raise ModelError(
                f"{path}: the pair model was trained on other features than this code computes; "
                "regenerate it with bench/train_pair.py"
            )

    def head(self, name: str, x: np.ndarray) -> np.ndarray:
        """Standardise ``x`` and run the head's dense layers (ReLU between them); one output column."""
        a = self.arrays
        h = (x - a[f"{name}.mean"]) / a[f"{name}.scale"]
        layer = 0
        while f"{name}.w{layer}" in a:
            if layer:
                h = np.maximum(h, 0.0)
            h = h @ a[f"{name}.w{layer}"].astype(np.float64) + a[f"{name}.b{layer}"]
            layer += 1
        return np.asarray(h[:, 0], dtype=np.float64)

    def trees(self, name: str, x: np.ndarray) -> np.ndarray:
        """Sum of a gradient-boosted ensemble stored as flat node arrays (all trees walked together)."""
        a = self.arrays
        feature, threshold = a[f"{name}.feature"], a[f"{name}.threshold"]
        left, right = a[f"{name}.left"], a[f"{name}.right"]
        leaf, value = a[f"{name}.leaf"], a[f"{name}.value"]
        node = np.broadcast_to(a[f"{name}.roots"], (len(x), len(a[f"{name}.roots"]))).copy()
        rows = np.arange(len(x))[:, None]
        for _ in range(int(a[f"{name}.depth"])):
            inner = ~leaf[node]
            if not inner.any():
                break
            go_left = x[rows, feature[node]] <= threshold[node]
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        return np.asarray(value[node].sum(axis=1) + float(a[f"{name}.baseline"]), dtype=np.float64)


def _l2(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def base_matrix(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    primary_a: np.ndarray,
    primary_b: np.ndarray,
    minilm_a: np.ndarray,
    minilm_b: np.ndarray,
    tokens_a: Sequence[Tokens],
    tokens_b: Sequence[Tokens],
    idf: np.ndarray,
    projections: Sequence[np.ndarray],
) -> np.ndarray:
    """The :data:`BASE_NAMES` columns for aligned lists of pairs (shared by training and run time)."""
    n = len(texts_a)
    out = np.zeros((n, len(BASE_NAMES)), dtype=np.float64)
    if n == 0:
        return out
    out[:, 0] = np.sum(primary_a * primary_b, axis=1)
    out[:, 1] = np.sum(minilm_a * minilm_b, axis=1)
    cache: dict[str, Any] = {}

    def surf(text: str) -> Any:
        if text not in cache:
            cache[text] = surface(text)
        return cache[text]

    s0, t0 = 2, 2 + len(SURFACE_NAMES)
    for i in range(n):
        out[i, s0:t0] = surface_features(surf(texts_a[i]), surf(texts_b[i]))
        out[i, t0 : t0 + len(TOKEN_NAMES)] = token_features(tokens_a[i], tokens_b[i], idf)
    # Each projection of the concatenated vectors was learned (on STS-B train, on MRPC train) so that
    # cosine after it tracks that data set's judgement; the two encoders weigh equally before it.
    stacked_a = np.hstack([primary_a, minilm_a]).astype(np.float32) / np.float32(np.sqrt(2))
    stacked_b = np.hstack([primary_b, minilm_b]).astype(np.float32) / np.float32(np.sqrt(2))
    first = len(BASE_NAMES) - len(projections)
    for k, w in enumerate(projections):
        w32 = w.astype(np.float32)
        out[:, first + k] = np.sum(_l2(stacked_a @ w32) * _l2(stacked_b @ w32), axis=1)
    return out


def predict(model: PairModel, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(STS score 0..5, P(same)) for rows of :func:`base_matrix`."""
    if len(base) == 0:
        return np.zeros(0), np.zeros(0)
    sts = model.head("sts", base)
    if "sts_gb.feature" in model.arrays:
        # The head is the mean of a linear model and gradient-boosted trees when CV preferred that.
        sts = 0.5 * (sts + model.trees("sts_gb", base))
    sts = np.clip(sts, 0.0, 5.0)
    logit = model.head("mrpc", np.hstack([base, sts[:, None]]))
    return sts, 1.0 / (1.0 + np.exp(-logit))


class PairJudge:
    """Judges sentence pairs with the learned model; ``name`` is recorded with results."""

    def __init__(self, encoder: Encoder | None = None, model_path: Path | None = None) -> None:
        self.model = PairModel(model_path or MODEL_PATH)
        meta = self.model.meta
        self.name: str = meta["name"]
        self.encoder = encoder or get_encoder(meta["primary_encoder"])
        if self.encoder.name != meta["primary_encoder"]:
            raise ModelError(
                f"the pair model {self.name} was trained on {meta['primary_encoder']} vectors, "
                f"not {self.encoder.name}; use that encoder or retrain with bench/train_pair.py"
            )
        self.minilm = _minilm()
        self.same_threshold = float(meta["thresholds"]["same"])
        self.overlap_threshold = float(meta["thresholds"]["overlap"])
        self.contain_threshold = float(meta["thresholds"]["contain"])
        self.contain_floor = float(meta["thresholds"]["contain_floor"])
        self._idf = self.model.arrays["idf"].astype(np.float64)
        self._projections = [self.model.arrays[key] for key in PROJECTIONS]

    def judge(self, a: str, b: str) -> PairJudgement:
        return self.judge_many([(a, b)])[0]

    def judge_many(
        self,
        pairs: Sequence[tuple[str, str]],
        vectors_a: np.ndarray | None = None,
        vectors_b: np.ndarray | None = None,
    ) -> list[PairJudgement]:
        """Judge many pairs at once. ``vectors_a``/``vectors_b`` are the primary encoder's L2-normalised
        vectors of the two sides, when the caller has them already (alignment does)."""
        if not pairs:
            return []
        texts_a = [a for a, _ in pairs]
        texts_b = [b for _, b in pairs]
        if (vectors_a is None) != (vectors_b is None):
            raise ValueError("give both vectors_a and vectors_b, or neither")
        unique = list(dict.fromkeys([*texts_a, *texts_b]))
        row = {text: i for i, text in enumerate(unique)}
        ia = [row[t] for t in texts_a]
        ib = [row[t] for t in texts_b]
        if vectors_a is None or vectors_b is None:
            primary = self.encoder.encode(unique)
            vectors_a, vectors_b = primary[ia], primary[ib]
        elif vectors_a.shape != (len(pairs), self.encoder.dim) or vectors_b.shape != vectors_a.shape:
            raise ValueError(
                f"vectors_a/vectors_b must be ({len(pairs)}, {self.encoder.dim}); "
                f"got {vectors_a.shape} and {vectors_b.shape}"
            )
        minilm, tokens = self.minilm.encode_tokens(unique)
        base = base_matrix(
            texts_a,
            texts_b,
            np.asarray(vectors_a, dtype=np.float32),
            np.asarray(vectors_b, dtype=np.float32),
            minilm[ia],
            minilm[ib],
            [tokens[i] for i in ia],
            [tokens[i] for i in ib],
            self._idf,
            self._projections,
        )
        sts, prob = predict(self.model, base)
        contain = base[:, BASE_NAMES.index("stem_contain_max")]
        words = base[:, BASE_NAMES.index("word_jaccard")]
        replaced = [
            w >= REPLACED_NUMBER_WORDS and numbers_replaced(surface(a), surface(b))
            for a, b, w in zip(texts_a, texts_b, words, strict=True)
        ]
        return [
            self._judgement(float(s), float(p), float(c), r)
            for s, p, c, r in zip(sts, prob, contain, replaced, strict=True)
        ]

    def _judgement(self, sts: float, probability: float, contain: float, replaced: bool) -> PairJudgement:
        similarity = sts / 5.0
        if replaced:
            return PairJudgement("overlap", similarity, False, min(probability, REPLACED_NUMBER_CAP))
        same = probability >= self.same_threshold
        relation: Relation
        if same:
            relation = "same"
        elif similarity >= self.overlap_threshold or (
            contain >= self.contain_threshold and similarity >= self.contain_floor
        ):
            relation = "overlap"
        else:
            relation = "none"
        return PairJudgement(relation, similarity, same, probability)


@once
def _minilm() -> MiniLmEncoder:
    return MiniLmEncoder()


@once
def default_judge() -> PairJudge:
    """The shared judge over the default encoder and the shipped model (loaded once per process)."""
    return PairJudge()
