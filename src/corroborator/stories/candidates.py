"""Candidates for a new article: the vector index, the rare-term postings and MinHash LSH for near-copies."""

from __future__ import annotations

from collections import Counter

import numpy as np

from corroborator.stories.decision import ROW_WIDTH
from corroborator.stories.pairs import PairRows
from corroborator.stories.records import NO_DAY, POSTING_TERMS, POSTINGS_SCAN, Features, Prepared
from corroborator.stories.state import _as_u32


class CandidateSearch(PairRows):
    def candidate_features(self, p: Prepared) -> tuple[tuple[int, float] | None, list[int], np.ndarray]:
        """(near-duplicate original and its Jaccard, or None; candidate positions; their pair features).

        Neither depends on earlier story decisions, which is what lets training/train_stories.py and
        bench/stories.py replay the decisions under other models and settings from one pass.
        """
        dup = self._near_duplicate(p.features)
        empty = np.zeros((0, ROW_WIDTH), dtype=np.float64)
        if dup is not None or not self.ids:
            return dup, [], empty
        cands = self._candidates(p)
        js = list(cands)
        if not js:
            return None, [], empty
        words = self.words_cosines(p, js)
        rows = np.asarray([self.pair_vector(p, j, cands[j], float(w)) for j, w in zip(js, words, strict=True)])
        return None, js, rows

    def _in_window(self, day: int | None, j: int) -> bool:
        if day is None:
            return True
        other = int(self.days.view[j])
        return other == NO_DAY or abs(day - other) <= max(self.params.window_days, self.params.followup_days)

    def _candidates(self, p: Prepared) -> dict[int, float | None]:
        f = p.features
        out: dict[int, float | None] = {}
        k = max(1, self.params.candidates)
        if f.vector is not None and self.ann is not None and len(self.ann) > 0:
            matches = self.ann.search(f.vector, min(4 * k, len(self.ann)), threads=1)
            for key, dist in zip(matches.keys, matches.distances, strict=True):
                j = int(key)
                if self._in_window(f.day, j):
                    out[j] = 1.0 - float(dist)
        hits: Counter[int] = Counter()
        for tid in self._posting_terms(p):
            for j in self.postings.newest(tid, POSTINGS_SCAN):
                if self._in_window(f.day, j):
                    hits[j] += 1
        for j, _ in hits.most_common(k):
            out.setdefault(j, None)
        return out

    def _posting_terms(self, p: Prepared) -> list[int]:
        order = np.argsort(-p.term_weights)[:POSTING_TERMS]
        return [int(p.term_ids[i]) for i in order if p.term_ids[i] >= 0]

    def _near_duplicate(self, f: Features) -> tuple[int, float] | None:
        if f.minhash is None or not self.ids:
            return None
        sig = _as_u32(f.minhash, self.num_perm)
        best: tuple[int, float] | None = None
        for j in self.lsh.query(sig):
            sim = float(np.count_nonzero(self.minhash.view[j] == sig)) / self.num_perm
            if sim >= self.params.near_duplicate_jaccard and (best is None or sim > best[1]):
                best = (j, sim)
        if best is None:
            return None
        j, sim = best
        while int(self.dup_of.view[j]) >= 0:  # link to the first original, not to another copy
            j = int(self.dup_of.view[j])
        return j, sim
