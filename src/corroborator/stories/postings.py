"""The rare-term inverted index: term id -> the positions of the articles it is a top term of, oldest first.

Same shape of storage as the LSH tables (stories/lsh.py): postings added since the last merge sit in a
dict of small typed arrays; every ``MERGE_AT`` of them are merged into one sorted array of 64-bit
``term << 32 | position`` keys that a look-up binary-searches. A term met once (most of them) cost a dict
entry and an array object, ~150 bytes; in the sorted array it costs 8 (issue 13: ingest --all under 1 GB).
"""

from __future__ import annotations

from array import array

import numpy as np


class Postings:
    MERGE_AT = 1 << 16  # recent postings before a merge: ~5,000 articles at 12 terms each

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.int64)
        self._recent: dict[int, array[int]] = {}
        self._n_recent = 0

    def __len__(self) -> int:
        return len(self._keys) + self._n_recent

    def add(self, term: int, position: int) -> None:
        """Positions must come in increasing order (articles are added in order)."""
        self._recent.setdefault(term, array("i")).append(position)
        self._n_recent += 1
        if self._n_recent >= self.MERGE_AT:
            self._merge()

    def newest(self, term: int, n: int) -> list[int]:
        """The last ``n`` positions under ``term``, oldest first (empty for a term never added)."""
        recent = self._recent.get(term)
        tail = list(recent[-n:]) if recent is not None else []
        if len(tail) >= n or not len(self._keys):
            return tail
        lo = int(np.searchsorted(self._keys, term << 32, side="left"))
        hi = int(np.searchsorted(self._keys, (term + 1) << 32, side="left"))
        merged = (self._keys[max(lo, hi - (n - len(tail))) : hi] & 0xFFFFFFFF).tolist()
        return merged + tail

    def _merge(self) -> None:
        fresh = np.fromiter(
            ((t << 32) | p for t, ps in self._recent.items() for p in ps), dtype=np.int64, count=self._n_recent
        )
        self._keys = np.sort(np.concatenate([self._keys, fresh]))
        self._recent = {}
        self._n_recent = 0
