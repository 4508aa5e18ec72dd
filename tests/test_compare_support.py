"""Deterministic stand-ins for the models, for unit tests of the comparison logic (not for quality).

``FakeEncoder`` embeds a text as a hashed bag of its word stems; ``CosineJudge`` calls a pair "same" or
"overlap" by cosine alone. Quality tests use the real encoder and pair judge instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corroborator.compare.cues import STOPWORDS, stem, words


class FakeEncoder:
    name = "test.hashed-stems.v1"
    dim = 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in words(text):
                if w.lower() in STOPWORDS:
                    continue
                h = int(hashlib.md5(stem(w).encode()).hexdigest()[:8], 16)
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        return out


@dataclass(frozen=True)
class Verdict:
    relation: str
    similarity: float
    same: bool
    probability: float


class CosineJudge:
    def __init__(self, same: float = 0.75, overlap: float = 0.45) -> None:
        self.same, self.overlap = same, overlap

    def judge_many(
        self,
        pairs: Sequence[tuple[str, str]],
        vectors_a: np.ndarray | None = None,
        vectors_b: np.ndarray | None = None,
    ) -> list[Verdict]:
        assert vectors_a is not None and vectors_b is not None
        out = []
        for k in range(len(pairs)):
            s = float(vectors_a[k] @ vectors_b[k])
            rel = "same" if s >= self.same else "overlap" if s >= self.overlap else "none"
            out.append(Verdict(rel, s, rel == "same", s))
        return out


def test_fake_encoder_is_deterministic_and_normalised() -> None:
    enc = FakeEncoder()
    a = enc.encode(["The council approved the budget.", "The council approved the budget."])
    assert np.allclose(a[0], a[1])
    assert abs(float(np.linalg.norm(a[0])) - 1.0) < 1e-5
