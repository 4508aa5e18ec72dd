"""Incremental TF-IDF term vectors for story decisions.

Every article keeps a short sparse vector: its ``top`` terms by (1 + log tf) * idf when it was indexed,
stored as (term id, 1 + log tf). Document frequencies grow as articles arrive, and weights are computed
with the current ones at comparison time, so articles indexed early are not stuck with the poor idf of a
near-empty store.
Keeping only the top terms bounds memory per article (the names, places and numbers of an event are
what rank highest), which is what keeps the index linear in the number of articles.

Background statistics: a store of five articles has no idea that "fire" is common and "Brightwater" is
not, so every shared word looks like evidence. Document frequencies of a large news corpus (AllSides,
37,554 articles, built by ``training/train_stories.py`` into ``data/story_background_df.npz``) are added to
the store's own: idf = log((docs + background docs + 1) / (df + background df + 0.5)). A small store
then weighs words like a large one, and a large store's own counts still move the weights.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

import numpy as np

from corroborator.model import normalise_text
from corroborator.text.words import lang_code, stopwords

_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

# Function words and newsroom verbs that carry no event identity: text/words.py's "story" list for English
# (data/words/en/stopwords-story.txt, the list the shipped story model was trained with).
STOP_WORDS: frozenset[str] = stopwords("en", "story")


@lru_cache(maxsize=32)
def stop_words(lang: str | None) -> frozenset[str]:
    """The English story list, plus the language's own stop words (text/words.py) for other languages.

    Without them a Spanish "de" or "la" is a rare word to an English background and weighs like a name.
    """
    code = lang_code(lang)
    if code == "en":
        return STOP_WORDS
    return STOP_WORDS | stopwords(code)


def tokens(text: str, lang: str | None = None) -> list[str]:
    """Content-word tokens: normalised, stop words dropped, single letters and lone digits dropped."""
    stop = stop_words(lang)
    out = []
    for tok in _TOKEN.findall(normalise_text(text)):
        if len(tok) < 2 or tok in stop:
            continue
        out.append(tok)
    return out


BACKGROUND_FILE = "story_background_df.npz"


@lru_cache(maxsize=1)
def background() -> tuple[dict[str, int], int]:
    """(word -> document frequency, documents) of the shipped background corpus; empty when absent."""
    ref = resources.files("corroborator.data").joinpath(BACKGROUND_FILE)
    if not ref.is_file():
        return {}, 0
    z = np.load(io.BytesIO(ref.read_bytes()), allow_pickle=False)
    words = bytes(z["words"]).decode("utf-8").split("\n")
    return dict(zip(words, (int(x) for x in z["df"]), strict=True)), int(z["docs"])


class Vocabulary:
    """Term ids and document frequencies, grown one article at a time."""

    def __init__(self, use_background: bool = True) -> None:
        self.ids: dict[str, int] = {}
        self._df = np.zeros(1024, dtype=np.int32)
        self._bg = np.zeros(1024, dtype=np.int32)  # background df of each term id
        self.docs = 0
        self._bg_df, self.bg_docs = background() if use_background else ({}, 0)

    def intern(self, tok: str) -> int:
        """The id of a term, registering it (with df 0 and its background df) when new."""
        tid = self.ids.get(tok)
        if tid is None:
            tid = len(self.ids)
            self.ids[tok] = tid
            if tid >= self._df.shape[0]:
                self._df = np.concatenate([self._df, np.zeros_like(self._df)])
                self._bg = np.concatenate([self._bg, np.zeros_like(self._bg)])
            self._bg[tid] = self._bg_df.get(tok, 0)
        return tid

    @property
    def df(self) -> np.ndarray:
        return self._df[: len(self.ids)]

    def observe(self, toks: list[str]) -> Counter[int]:
        """Count the article's terms into the document frequencies; returns term-id counts."""
        counts: Counter[int] = Counter()
        for tok in toks:
            counts[self.intern(tok)] += 1
        if counts:
            self._df[np.fromiter(counts, dtype=np.int64, count=len(counts))] += 1
        self.docs += 1
        return counts

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """Current inverse document frequency of known term ids (unknown, negative ids: df 0)."""
        safe = np.where(ids >= 0, ids, 0)
        df = np.where(ids >= 0, self._df[safe] + self._bg[safe], 0).astype(np.float32)
        return np.log((self.docs + self.bg_docs + 1.0) / (df + 0.5)).astype(np.float32)

    def top_terms(self, counts: Counter[int], top: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids sorted ascending, 1 + log tf) of the ``top`` terms by tf-idf now."""
        if not counts:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        ids = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
        ltf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        order = np.argsort(-(ltf * self.idf(ids)), kind="stable")[:top]
        keep = np.sort(order)
        ids, ltf = ids[keep], ltf[keep]
        srt = np.argsort(ids)
        return ids[srt], ltf[srt].astype(np.float32)

    def weights(self, ids: np.ndarray, ltf: np.ndarray) -> np.ndarray:
        """L2-normalised tf-idf weights under the current document frequencies."""
        w = np.maximum(ltf * self.idf(ids), 0.0)
        norm = float(np.linalg.norm(w))
        return w / norm if norm > 0 else w

    # -- persistence -----------------------------------------------------------------------------
    def to_arrays(self) -> tuple[list[str], np.ndarray]:
        return self.words(), self.df.astype(np.int64)

    def words(self) -> list[str]:
        """Every term, at its id."""
        words = [""] * len(self.ids)
        for w, i in self.ids.items():
            words[i] = w
        return words

    @classmethod
    def from_arrays(cls, words: list[str], df: np.ndarray, docs: int) -> Vocabulary:
        voc = cls()
        voc.ids = {w: i for i, w in enumerate(words)}
        voc._df = np.zeros(max(1024, 2 * len(words)), dtype=np.int32)
        voc._df[: len(words)] = df
        voc._bg = np.zeros_like(voc._df)
        voc._bg[: len(words)] = [voc._bg_df.get(w, 0) for w in words]
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
