"""Deterministic stand-ins for the models, for unit tests of the comparison logic (not for quality).

``FakeEncoder`` embeds a text as a hashed bag of its word stems; ``CosineJudge`` calls a pair "same" or
"overlap" by cosine alone. Quality tests use the real encoder and pair judge instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from corroborator.compare.alignment.align import CosineJudge as CosineJudgeImpl
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


def CosineJudge() -> CosineJudgeImpl:
    """The library's cosine fallback judge, with thresholds that suit the hashed-stem vectors above."""
    return CosineJudgeImpl(same=0.75, overlap=0.45)


def test_fake_encoder_is_deterministic_and_normalised() -> None:
    enc = FakeEncoder()
    a = enc.encode(["The council approved the budget.", "The council approved the budget."])
    assert np.allclose(a[0], a[1])
    assert abs(float(np.linalg.norm(a[0])) - 1.0) < 1e-5
