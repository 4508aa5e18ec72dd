"""The story index's state: per-article arrays in insertion order and the structures that find candidates.

:class:`IndexState` holds them; the behaviour is split by concern over it: pair features
(:mod:`.pairs`), candidate search (:mod:`.candidates`), persistence (:mod:`.persist`), the decision and
growth (:mod:`.index`).
"""

from __future__ import annotations

import sys

import numpy as np

# onnxruntime (the pair judge's MiniLM) segfaults on import once usearch 2.26 is loaded, while the
# other order is fine; importing it first here keeps `ingest` then `compare` in one process working
# (tests/test_imports.py holds both orders).
import onnxruntime  # noqa: F401
from usearch.index import Index

from corroborator.stories.decision import StoryModel, default_story_model
from corroborator.stories.lsh import BandIndex, band_layout
from corroborator.stories.postings import Postings
from corroborator.stories.records import Params
from corroborator.stories.signature import OutletLines
from corroborator.stories.terms import Vocabulary


class Grow:
    """A growable 1-d or 2-d numpy array (amortised doubling)."""

    def __init__(self, dtype: type | np.dtype, width: int = 0, data: np.ndarray | None = None) -> None:
        shape = (0,) if width == 0 else (0, width)
        self._a = np.zeros(shape, dtype=dtype) if data is None else data
        self.n = len(self._a)

    def append(self, value: object) -> None:
        if self.n == len(self._a):
            new = np.zeros((max(16, 2 * self.n), *self._a.shape[1:]), dtype=self._a.dtype)
            new[: self.n] = self._a[: self.n]
            self._a = new
        self._a[self.n] = value
        self.n += 1

    @property
    def view(self) -> np.ndarray:
        return self._a[: self.n]


class IndexState:
    """Articles, their stories and the structures that find candidates, in insertion order."""

    def __init__(self, params: Params, num_perm: int, dim: int | None = None) -> None:
        self.params = params
        self.num_perm = num_perm
        self.dim = dim
        self.ann: Index | None = None if dim is None else self._new_ann(dim)
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.story_of: list[str] = []
        self.days = Grow(np.int32)
        self.dup_of = Grow(np.int32)
        self.minhash = Grow(np.uint32, num_perm)
        self.term_ids: list[np.ndarray] = []
        self.term_ltf: list[np.ndarray] = []  # 1 + log tf of the kept terms
        self.entity_ids: list[tuple[int, ...]] = []
        self.langs: list[str] = []  # language code per article ("" unknown)
        self.sig_when = Grow(np.int32)
        self.sig_packed: list[np.ndarray] = []
        self.sig_counts = Grow(np.int16, 4)
        self.outlets = OutletLines()
        self.members: dict[str, list[int]] = {}
        self.vocab = Vocabulary()
        self.model: StoryModel | None = default_story_model() if params.decision == "learned" else None
        self.entity_vocab: dict[str, int] = {}
        self.postings = Postings()
        bands, rows = band_layout(num_perm, params.near_duplicate_jaccard)
        self.lsh = BandIndex(bands, rows)

    @staticmethod
    def _new_ann(dim: int) -> Index:
        return Index(ndim=dim, metric="cos", dtype="f16")

    @staticmethod
    def _restore_ann(data: bytes) -> Index | None:
        return Index.restore(data)

    def __len__(self) -> int:
        return len(self.ids)


def _lang(language: str | None) -> str:
    return sys.intern((language or "").split("-")[0].lower())


def _as_u32(sig: np.ndarray, num_perm: int) -> np.ndarray:
    arr = np.asarray(sig)
    if arr.shape[0] != num_perm:
        raise ValueError(
            f"MinHash of {arr.shape[0]} values, index built with {num_perm}: "
            "minhash_perm changed; run `corroborator recluster` to rebuild stories"
        )
    # affine32 signatures fit in 32 bits; others are folded, which keeps equal values equal.
    return (arr.astype(np.uint64) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
