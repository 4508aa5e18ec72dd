"""Pair features: the feature vector (:data:`corroborator.stories.decision.FEATURES`) of an article and a
stored one, or of two stored ones."""

from __future__ import annotations

import numpy as np

from corroborator.stories.decision import CROSS
from corroborator.stories.records import NO_DAY, WHEN_SCALE, Prepared
from corroborator.stories.signature import fold, overlaps
from corroborator.stories.state import IndexState, _lang
from corroborator.stories.terms import sparse_dot


class PairRows(IndexState):
    def words_cosines(self, p: Prepared, js: list[int]) -> np.ndarray:
        """TF-IDF cosines of the article with each of ``js``, under the current idf, in one numpy pass."""
        out = np.zeros(len(js), dtype=np.float64)
        if not js or p.term_ids.size == 0:
            return out
        lens = np.fromiter((self.term_ids[j].size for j in js), dtype=np.int64, count=len(js))
        if int(lens.sum()) == 0:
            return out
        ids = np.concatenate([self.term_ids[j] for j in js])
        ltf = np.concatenate([self.term_ltf[j] for j in js])
        w = np.maximum(ltf * self.vocab.idf(ids), 0.0).astype(np.float64)
        seg = np.repeat(np.arange(len(js)), lens)
        norms = np.sqrt(np.bincount(seg, weights=w * w, minlength=len(js)))
        # The new article's ids are sorted, so each stored term finds its partner by binary search.
        pos = np.minimum(np.searchsorted(p.term_ids, ids), p.term_ids.size - 1)
        hit = p.term_ids[pos] == ids
        dots = np.bincount(seg, weights=np.where(hit, w * p.term_weights[pos], 0.0), minlength=len(js))
        np.divide(dots, norms, out=out, where=norms > 0)
        return out

    def pair_vector(self, p: Prepared, j: int, cos: float | None, words: float) -> list[float]:
        """The pair feature vector (:data:`FEATURES`) of the new article and stored article ``j``."""
        if cos is None:
            cos = self._cosine(p.features.vector, j)
        ea, eb = p.entity_ids, self.entity_ids[j]
        ents = 2.0 * len(set(ea).intersection(eb)) / (len(ea) + len(eb)) if ea and eb else 0.0
        day = NO_DAY if p.features.day is None else p.features.day
        sig = p.signature
        when = NO_DAY if sig.when is None else sig.when
        row = self._row(
            words, float(cos), ents, day, int(self.days.view[j]), when, int(self.sig_when.view[j]),
            sig.packed, sig.counts, self.sig_packed[j], tuple(int(x) for x in self.sig_counts.view[j]),
        )  # fmt: skip
        row[CROSS] = _cross(_lang(p.features.language), self.langs[j])
        return row

    def stored_pair_vector(self, i: int, j: int) -> list[float]:
        """The pair feature vector of two stored articles (self-correction re-checks stories with it)."""
        wi = self.vocab.weights(self.term_ids[i], self.term_ltf[i])
        wj = self.vocab.weights(self.term_ids[j], self.term_ltf[j])
        words = sparse_dot(self.term_ids[i], wi, self.term_ids[j], wj)
        cos = 0.0
        if self.ann is not None and i in self.ann and j in self.ann:
            cos = float(np.dot(np.asarray(self.ann.get(i), np.float32), np.asarray(self.ann.get(j), np.float32)))
        ea, eb = self.entity_ids[i], self.entity_ids[j]
        ents = 2.0 * len(set(ea).intersection(eb)) / (len(ea) + len(eb)) if ea and eb else 0.0
        row = self._row(
            words, cos, ents, int(self.days.view[i]), int(self.days.view[j]), int(self.sig_when.view[i]),
            int(self.sig_when.view[j]), self.sig_packed[i], tuple(int(x) for x in self.sig_counts.view[i]),
            self.sig_packed[j], tuple(int(x) for x in self.sig_counts.view[j]),
        )  # fmt: skip
        row[CROSS] = _cross(self.langs[i], self.langs[j])
        return row

    def _row(
        self,
        words: float,
        cos: float,
        ents: float,
        day_a: int,
        day_b: int,
        when_a: int,
        when_b: int,
        packed_a: np.ndarray,
        counts_a: tuple[int, ...],
        packed_b: np.ndarray,
        counts_b: tuple[int, ...],
    ) -> list[float]:
        gap = beyond = dated = 0.0
        window = self.params.window_days
        if day_a != NO_DAY and day_b != NO_DAY:
            dated = 1.0
            if window > 0:
                gap = min(abs(day_a - day_b), window) / window
                beyond = float(abs(day_a - day_b) > window)
        when_gap = when_both = 0.0
        if when_a != NO_DAY and when_b != NO_DAY:
            when_both = 1.0
            when_gap = min(float(np.log1p(abs(when_a - when_b))) / WHEN_SCALE, 1.0)
        ov = overlaps(packed_a, packed_b)

        def dice(k: int) -> tuple[float, float]:
            if counts_a[k] and counts_b[k]:
                return 2.0 * float(ov[k]) / (counts_a[k] + counts_b[k]), 1.0
            return 0.0, 0.0

        years_both = bool(counts_a[0] and counts_b[0])
        year_match = float(ov[0] > 0)
        year_clash = float(years_both and ov[0] == 0)
        places, places_both = dice(1)
        figs, figs_both = dice(2)
        lead, _ = dice(3)
        return [
            words, cos, ents, gap, beyond, dated, when_gap, when_both, year_match, year_clash,
            places, places_both, figs, figs_both, lead, 0.0,
        ]  # fmt: skip

    def _cosine(self, vector: np.ndarray | None, j: int) -> float:
        if vector is None or self.ann is None or j not in self.ann:
            return 0.0
        other = np.asarray(self.ann.get(j), dtype=np.float32)
        return float(np.dot(vector, other))


def _cross(a: str, b: str) -> float:
    """1.0 when both languages are known and differ."""
    return float(bool(a) and bool(b) and a != b)


def entity_keys(entities: tuple[str, ...]) -> list[str]:
    """Entity names plus the last word of multi-word names, so "Wladimir Klitschko" meets "Klitschko"."""
    keys: dict[str, None] = {}
    for e in entities:
        name = " ".join(fold(e).split())
        if not name:
            continue
        keys[name] = None
        parts = name.split()
        if len(parts) > 1 and len(parts[-1]) > 2:
            keys[parts[-1]] = None
    return list(keys)
