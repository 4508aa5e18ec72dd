"""Incremental TF-IDF term vectors for story decisions.

Every article becomes a short sparse vector: its ``top`` terms by (1 + log tf) * idf, L2-normalised.
Document frequencies grow as articles arrive, so a term's weight is frozen at the moment the article is
indexed; with a few hundred articles stored the weights are already close to the all-corpus ones.
Keeping only the top terms bounds memory per article (the names, places and numbers of an event are
what rank highest), which is what keeps the index linear in the number of articles.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from corroborator.model import normalise_text

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

# Function words and newsroom verbs that carry no event identity.
STOP_WORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    said says say told according mr mrs ms one two new last like get got just may might must still
    s t don re ve ll d m o y th st nd rd am pm""".split()
)


def tokens(text: str) -> list[str]:
    """Content-word tokens: normalised, stop words dropped, single letters and lone digits dropped."""
    out = []
    for tok in _TOKEN.findall(normalise_text(text)):
        if len(tok) < 2 or tok in STOP_WORDS:
            continue
        out.append(tok)
    return out


class Vocabulary:
    """Term ids and document frequencies, grown one article at a time."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.df: list[int] = []
        self.docs = 0

    def observe(self, toks: list[str]) -> Counter[int]:
        """Count the article's terms into the document frequencies; returns term-id counts."""
        counts: Counter[int] = Counter()
        for tok in toks:
            tid = self.ids.get(tok)
            if tid is None:
                tid = len(self.df)
                self.ids[tok] = tid
                self.df.append(0)
            counts[tid] += 1
        for tid in counts:
            self.df[tid] += 1
        self.docs += 1
        return counts

    def weigh(self, counts: Counter[int], top: int) -> tuple[np.ndarray, np.ndarray]:
        """(term ids sorted ascending, L2-normalised float32 weights) of the ``top`` heaviest terms."""
        if not counts:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        n = self.docs
        scored = [
            (tid, (1.0 + math.log(c)) * math.log((n + 1) / (self.df[tid] + 0.5))) for tid, c in counts.items()
        ]
        scored.sort(key=lambda x: -x[1])
        kept = sorted(scored[:top])
        ids = np.fromiter((t for t, _ in kept), dtype=np.int32, count=len(kept))
        w = np.fromiter((max(s, 0.0) for _, s in kept), dtype=np.float32, count=len(kept))
        norm = float(np.linalg.norm(w))
        if norm > 0:
            w /= norm
        return ids, w

    # -- persistence -----------------------------------------------------------------------------
    def to_arrays(self) -> tuple[list[str], np.ndarray]:
        words = [""] * len(self.df)
        for w, i in self.ids.items():
            words[i] = w
        return words, np.asarray(self.df, dtype=np.int64)

    @classmethod
    def from_arrays(cls, words: list[str], df: np.ndarray, docs: int) -> Vocabulary:
        voc = cls()
        voc.ids = {w: i for i, w in enumerate(words)}
        voc.df = [int(x) for x in df]
        voc.docs = docs
        return voc


def sparse_dot(ai: np.ndarray, aw: np.ndarray, bi: np.ndarray, bw: np.ndarray) -> float:
    """Dot product of two sparse vectors given as sorted id arrays and weights."""
    if ai.size == 0 or bi.size == 0:
        return 0.0
    _, ia, ib = np.intersect1d(ai, bi, assume_unique=True, return_indices=True)
    if ia.size == 0:
        return 0.0
    return float(np.dot(aw[ia], bw[ib]))
