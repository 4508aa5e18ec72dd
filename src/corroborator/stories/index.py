"""The in-memory story index: candidates for a new article and the decision which story it joins.

Pure data structure, no store: :class:`corroborator.stories.assigner.StoryAssigner` feeds it and
persists it. Everything in it grows linearly with the number of articles; no step compares all pairs.

Candidates for a new article come from three places, each bounded:

* a vector index (usearch HNSW, cosine, float16) over the article embeddings (title + lead): the
  ``4 * story_candidates`` nearest articles, then filtered by date. usearch was chosen over hnswlib by
  measurement on 30,000 real GVA vectors (with small noise; 2 shared cores): equal recall@20 (0.994 vs
  0.994), half the memory in float16 (67 MB vs ~130 MB; f16 costs no recall here while int8 drops it
  to 0.95), a bytes round trip for the store's blobs without temporary files, and it is already a
  core dependency; hnswlib was about 1.5x faster per add and 3x per query, but both are well under
  the cost of analysing an article (about 1.3 ms add + 0.9 ms query for usearch).
* an inverted index of each article's ``POSTING_TERMS`` heaviest TF-IDF terms (names, places and
  numbers rank highest): the newest ``POSTINGS_SCAN`` articles under each of the new article's top
  terms, the ``story_candidates`` most often hit. It finds same-event articles whose leads are worded
  differently, and keeps finding in-window candidates when one kind of event (shootings) is so common
  that the nearest embeddings are all out of the window. Measured on GVA: with a 30-day window,
  40 nearest embeddings and 8 posting terms, 221 of the 1,154 articles that had an earlier
  same-incident article got no candidate from that incident (135 of them came more than 30 days
  later); 80 neighbours, 12 posting terms and follow-ups raise the bound a perfect scorer could reach
  over the candidates from 0.949 to 0.979 B-cubed F1.
* banded MinHash LSH for near-copies (checked against ``near_duplicate_jaccard``; a near-copy joins
  its original's story whatever its date).

Dates: articles further apart than ``story_followup_days`` are never compared; between
``story_window_days`` and that, a pair must clear ``story_followup_threshold`` (a trial report months
after a shooting names the same suspects and place). An unknown date is compatible with every date
(ECB+ has none) and costs no penalty.

The decision (``story_decision = "learned"``, the default): a logistic regression over the pair feature
vector (:data:`corroborator.stories.decision.FEATURES`: the signals below plus the event signature of
:mod:`corroborator.stories.signature`: event day, years, places, figures, lead words), trained by
``bench/train_stories.py``; a story's score is its best candidate member's probability. Text is cleaned
of boilerplate and repeats (:mod:`corroborator.text.boilerplate`) before any of it is computed, with the
lines each outlet repeats across its pages learnt as pages arrive (:class:`OutletLines`).

The hand-weighted score (``story_decision = "weights"``, the previous default): a pair scores
``w_words * tfidf_cosine + w_cosine * embedding_cosine + w_entities * entity_dice
- w_date * min(days_apart, window) / window`` (minus the follow-up margin
beyond the window); a story's score is the best pair score over its candidate members
(``story_link = "max"``; the learned decision always takes the best member). On ECB+ candidate
pairs the TF-IDF cosine separates same-event from same-kind pairs best (ROC AUC 0.955; lead embedding
0.951, lead entities 0.937; combined 0.976): two earthquakes or two rehab stays read alike but name
different people, places and numbers. Weights and thresholds are settings, chosen by a grid search on
ECB+ and GVA in an earlier round (the grid is gone with the learned decision).
"""

from __future__ import annotations

import bisect
import io
import json
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

import numpy as np

# onnxruntime (the pair judge's MiniLM) segfaults on import once usearch 2.26 is loaded, while the
# other order is fine; importing it first here keeps `ingest` then `compare` in one process working
# (tests/test_imports.py holds both orders).
import onnxruntime  # noqa: F401
from usearch.index import Index

from corroborator.settings import Settings
from corroborator.stories.decision import CROSS, ROW_WIDTH, StoryModel, default_story_model
from corroborator.stories.lsh import BandIndex, band_layout
from corroborator.stories.postings import Postings
from corroborator.stories.signature import LEAD_CHARS, OutletLines, Signature, fold, overlaps, signature
from corroborator.stories.terms import Vocabulary, sparse_dot, tokens
from corroborator.text.boilerplate import outlet_keys, strip_boilerplate

NO_DAY = np.iinfo(np.int32).min
POSTINGS_SCAN = 128  # newest articles examined under each term
POSTING_TERMS = 12  # heaviest terms of an article that get postings
TOP_TERMS = 48  # terms kept per article vector
FORMAT = 3
WHEN_SCALE = float(np.log1p(365.0))  # event days apart are log-scaled: 0 same day, 1 a year or more


@dataclass(frozen=True, slots=True)
class Features:
    """What the decision needs of one article."""

    article_id: str
    text: str  # title + body
    vector: np.ndarray | None  # L2-normalised float32
    minhash: np.ndarray | None
    entities: tuple[str, ...]
    day: int | None  # proleptic ordinal of the publication date
    source: str | None = None  # the outlet, whose repeated page lines are boilerplate
    language: str | None = None  # for stop words; None reads as English


@dataclass(frozen=True, slots=True)
class Prepared:
    features: Features
    counts: Counter[int]
    term_ids: np.ndarray
    term_weights: np.ndarray
    entity_ids: tuple[int, ...]
    tokens: list[str]
    signature: Signature
    outlet_keys: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Decision:
    story: str | None  # existing story id to join, None to open one
    score: float
    duplicate_of: str | None = None
    duplicate_similarity: float = 0.0
    # Other candidate stories that also reached the threshold: the article may bridge them.
    also: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Params:
    window_days: int
    near_duplicate_jaccard: float
    threshold: float
    candidates: int
    w_words: float
    w_cosine: float
    w_entities: float
    w_date: float
    link: str
    followup_days: int = 0
    followup_threshold: float = 1.0
    decision: str = "learned"
    min_probability: float = 0.5

    @classmethod
    def from_settings(cls, s: Settings) -> Params:
        return cls(
            window_days=s.story_window_days,
            near_duplicate_jaccard=s.near_duplicate_jaccard,
            threshold=s.story_threshold,
            candidates=s.story_candidates,
            w_words=s.story_weight_words,
            w_cosine=s.story_weight_cosine,
            w_entities=s.story_weight_entities,
            w_date=s.story_weight_date,
            link=s.story_link,
            followup_days=s.story_followup_days,
            followup_threshold=s.story_followup_threshold,
            decision=s.story_decision,
            min_probability=s.story_min_probability,
        )


class _Grow:
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


class StoryIndex:
    """Articles, their stories and the structures that find candidates, in insertion order."""

    def __init__(self, params: Params, num_perm: int, dim: int | None = None) -> None:
        self.params = params
        self.num_perm = num_perm
        self.dim = dim
        self.ann: Index | None = None if dim is None else self._new_ann(dim)
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.story_of: list[str] = []
        self.days = _Grow(np.int32)
        self.dup_of = _Grow(np.int32)
        self.minhash = _Grow(np.uint32, num_perm)
        self.term_ids: list[np.ndarray] = []
        self.term_ltf: list[np.ndarray] = []  # 1 + log tf of the kept terms
        self.entity_ids: list[tuple[int, ...]] = []
        self.langs: list[str] = []  # language code per article ("" unknown)
        self.sig_when = _Grow(np.int32)
        self.sig_packed: list[np.ndarray] = []
        self.sig_counts = _Grow(np.int16, 4)
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

    def __len__(self) -> int:
        return len(self.ids)

    # -- decision ---------------------------------------------------------------------------
    def prepare(self, f: Features) -> Prepared:
        clean = strip_boilerplate(f.text, self.outlets.frequent(f.source))
        toks = tokens(clean, f.language)
        # Weigh against the vocabulary as it will be once this article is counted in.
        counts = self._peek_counts(toks)
        ids, weights = self._weigh_new(counts)
        ents = tuple(sorted({self.entity_vocab.get(e, -1 - i) for i, e in enumerate(entity_keys(f.entities))}))
        sig = signature(clean[:LEAD_CHARS], date.fromordinal(f.day) if f.day is not None else None, f.language)
        keys = outlet_keys(f.text) if f.source else set()
        return Prepared(f, counts, ids, weights, ents, toks, sig, keys)

    def _peek_counts(self, toks: list[str]) -> Counter[int]:
        # New terms get ids now (df 0 until the article is added) so their background df counts.
        counts: Counter[int] = Counter()
        for tok in toks:
            counts[self.vocab.intern(tok)] += 1
        return counts

    def _weigh_new(self, counts: Counter[int]) -> tuple[np.ndarray, np.ndarray]:
        ids, ltf = self.vocab.top_terms(counts, TOP_TERMS)
        return ids, self.vocab.weights(ids, ltf)

    @property
    def threshold(self) -> float:
        return self.params.min_probability if self.model is not None else self.params.threshold

    def decide(self, p: Prepared) -> Decision:
        dup, js, rows = self.candidate_features(p)
        if dup is not None:
            original, sim = dup
            return Decision(self.story_of[original], sim, self.ids[original], sim)
        if not js:
            return Decision(None, 0.0)
        scores = self.pair_scores(rows)
        per_story: dict[str, list[float]] = {}
        for j, sc in zip(js, scores, strict=True):
            per_story.setdefault(self.story_of[j], []).append(float(sc))
        mean2 = self.model is None and self.params.link == "mean2"
        ranked = sorted(((st, _link(v, mean2)) for st, v in per_story.items()), key=lambda kv: -kv[1])
        best_story, best = ranked[0]
        if best >= self.threshold:
            also = tuple((st, sc) for st, sc in ranked[1:3] if sc >= self.threshold)
            return Decision(best_story, best, also=also)
        return Decision(None, max(best, 0.0))

    def pair_scores(self, rows: np.ndarray) -> np.ndarray:
        """Score of each pair feature row: the model's probability, or the hand-weighted score."""
        if self.model is not None:
            return self.model.probability(rows)
        prm = self.params
        sc = rows[:, 0] * prm.w_words + rows[:, 1] * prm.w_cosine + rows[:, 2] * prm.w_entities
        return sc - rows[:, 3] * prm.w_date - rows[:, 4] * max(prm.followup_threshold - prm.threshold, 0.0)

    def candidate_features(self, p: Prepared) -> tuple[tuple[int, float] | None, list[int], np.ndarray]:
        """(near-duplicate original and its Jaccard, or None; candidate positions; their pair features).

        Neither depends on earlier story decisions, which is what lets bench/train_stories.py and
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

    # -- growth -----------------------------------------------------------------------------
    def add(self, p: Prepared, story: str, duplicate_of: str | None = None) -> None:
        f = p.features
        if f.article_id in self.pos:
            return
        j = len(self.ids)
        self.ids.append(f.article_id)
        self.pos[f.article_id] = j
        self.story_of.append(story)
        self.days.append(NO_DAY if f.day is None else f.day)
        self.dup_of.append(self.pos.get(duplicate_of, -1) if duplicate_of else -1)
        sig = _as_u32(f.minhash, self.num_perm) if f.minhash is not None else None
        self.minhash.append(sig if sig is not None else np.zeros(self.num_perm, dtype=np.uint32))
        if sig is not None:
            self.lsh.add(sig, j)
        # Count the terms in, then store the article's vector with ids remapped to real ones.
        toks = p.tokens
        counts = self.vocab.observe(toks)
        ids, ltf = self.vocab.top_terms(counts, TOP_TERMS)
        weights = self.vocab.weights(ids, ltf)
        self.term_ids.append(ids)
        self.term_ltf.append(ltf)
        ent_ids = []
        for e in entity_keys(f.entities):
            ent_ids.append(self.entity_vocab.setdefault(e, len(self.entity_vocab)))
        self.entity_ids.append(tuple(sorted(set(ent_ids))))
        order = np.argsort(-weights)[:POSTING_TERMS]
        for i in order:
            self.postings.add(int(ids[i]), j)
        if f.vector is not None:
            if self.ann is None:
                self.dim = int(f.vector.shape[0])
                self.ann = self._new_ann(self.dim)
            self.ann.add(j, f.vector, threads=1)
        self.langs.append(_lang(f.language))
        sg = p.signature
        self.sig_when.append(NO_DAY if sg.when is None else sg.when)
        self.sig_packed.append(sg.packed)
        self.sig_counts.append(sg.counts)
        self.members.setdefault(story, []).append(j)
        if f.source and p.outlet_keys:
            self.outlets.add(f.source, p.outlet_keys)

    def move_story(self, article_id: str, story: str) -> None:
        j = self.pos[article_id]
        old = self.story_of[j]
        if old == story:
            return
        self.story_of[j] = story
        olds = self.members.get(old)
        if olds is not None:
            olds.remove(j)
            if not olds:
                del self.members[old]
        bisect.insort(self.members.setdefault(story, []), j)

    # -- persistence ------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.write(buf)
        return buf.getvalue()

    def write(self, fh: BinaryIO) -> None:
        """Write the index to ``fh`` as an ``.npz`` (what :meth:`from_bytes` reads), one array at a time.

        Each array is made just before it is written and dropped after, so a save holds one array's copy at
        a time rather than the whole index twice over (a save of 37,000 articles stepped the ingest's
        memory up by over 150 MB when every array and the finished file were in memory at once).
        """
        n = len(self.ids)
        parts: list[tuple[str, Callable[[], np.ndarray]]] = [
            ("meta", self._meta_array),
            ("days", lambda: self.days.view),
            ("dup_of", lambda: self.dup_of.view),
            ("minhash", lambda: self.minhash.view),
            ("df", lambda: self.vocab.df.astype(np.int64)),
            ("t_off", lambda: np.cumsum([0, *[len(t) for t in self.term_ids]]).astype(np.int64)),
            ("t_ids", lambda: np.concatenate(self.term_ids) if n else np.zeros(0, np.int32)),
            (
                "t_ltf",
                lambda: (np.concatenate(self.term_ltf) if n else np.zeros(0, np.float32)).astype(np.float16),
            ),
            ("e_off", lambda: np.cumsum([0, *[len(e) for e in self.entity_ids]]).astype(np.int64)),
            ("e_ids", lambda: np.asarray([i for e in self.entity_ids for i in e], dtype=np.int32)),
            ("ann", self._ann_bytes),
            ("sig_when", lambda: self.sig_when.view),
            ("sig_counts", lambda: self.sig_counts.view),
            ("sig_off", lambda: np.cumsum([0, *[len(x) for x in self.sig_packed]]).astype(np.int64)),
            ("sig_vals", lambda: np.concatenate(self.sig_packed) if n else np.zeros(0, np.uint32)),
        ]
        # The layout np.savez writes (a stored zip of .npy files), so np.load reads it as before.
        with zipfile.ZipFile(fh, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name, make in parts:
                with zf.open(f"{name}.npy", mode="w", force_zip64=True) as out:
                    np.lib.format.write_array(out, np.asanyarray(make()), allow_pickle=False)

    def _meta_array(self) -> np.ndarray:
        ents = [""] * len(self.entity_vocab)
        for e, i in self.entity_vocab.items():
            ents[i] = e
        meta = {
            "format": FORMAT,
            "num_perm": self.num_perm,
            "dim": self.dim,
            "docs": self.vocab.docs,
            "ids": self.ids,
            "stories": self.story_of,
            "words": self.vocab.words(),
            "entities": ents,
            "outlets": self.outlets.to_json(),
            "langs": self.langs,
        }
        return np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)

    def _ann_bytes(self) -> np.ndarray:
        saved = self.ann.save() if self.ann is not None and len(self.ann) else None
        # usearch hands back a bytearray: viewed, not copied (the graph is the largest part of a save).
        return np.zeros(0, np.uint8) if saved is None else np.frombuffer(saved, dtype=np.uint8)

    @classmethod
    def from_bytes(cls, data: bytes, params: Params) -> StoryIndex:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        meta = json.loads(bytes(z["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"story index format {meta.get('format')} is not {FORMAT}")
        idx = cls(params, int(meta["num_perm"]), meta["dim"])
        idx.ids = list(meta["ids"])
        idx.pos = {a: i for i, a in enumerate(idx.ids)}
        idx.story_of = list(meta["stories"])
        idx.days = _Grow(np.int32, data=z["days"].copy())
        idx.dup_of = _Grow(np.int32, data=z["dup_of"].copy())
        idx.minhash = _Grow(np.uint32, data=z["minhash"].copy())
        idx.vocab = Vocabulary.from_arrays(list(meta["words"]), z["df"], int(meta["docs"]))
        idx.entity_vocab = {e: i for i, e in enumerate(meta["entities"])}
        t_off, t_ids, t_ltf = z["t_off"], z["t_ids"], z["t_ltf"].astype(np.float32)
        e_off, e_ids = z["e_off"], z["e_ids"]
        for j in range(len(idx.ids)):
            ids = t_ids[t_off[j] : t_off[j + 1]]
            ltf = t_ltf[t_off[j] : t_off[j + 1]]
            idx.term_ids.append(ids)
            idx.term_ltf.append(ltf)
            idx.entity_ids.append(tuple(int(x) for x in e_ids[e_off[j] : e_off[j + 1]]))
            for i in np.argsort(-idx.vocab.weights(ids, ltf))[:POSTING_TERMS]:
                idx.postings.add(int(ids[i]), j)
            idx.lsh.add(idx.minhash.view[j], j)
        idx.sig_when = _Grow(np.int32, data=z["sig_when"].copy())
        idx.sig_counts = _Grow(np.int16, data=z["sig_counts"].copy())
        s_off, s_vals = z["sig_off"], z["sig_vals"]
        idx.sig_packed = [s_vals[s_off[j] : s_off[j + 1]].copy() for j in range(len(idx.ids))]
        for j, st in enumerate(idx.story_of):
            idx.members.setdefault(st, []).append(j)
        idx.outlets = OutletLines.from_json(meta.get("outlets", {}))
        idx.langs = [sys.intern(x) for x in meta["langs"]]
        ann = z["ann"]
        if ann.size:
            idx.ann = Index.restore(bytes(ann))
        return idx


def _lang(language: str | None) -> str:
    return sys.intern((language or "").split("-")[0].lower())


def _cross(a: str, b: str) -> float:
    """1.0 when both languages are known and differ."""
    return float(bool(a) and bool(b) and a != b)


def _link(scores: list[float], mean2: bool) -> float:
    """A story's score from its candidate members': the best, or the mean of the best two."""
    if mean2 and len(scores) > 1:
        top = sorted(scores, reverse=True)
        return (top[0] + top[1]) / 2.0
    return max(scores)


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


def _as_u32(sig: np.ndarray, num_perm: int) -> np.ndarray:
    arr = np.asarray(sig)
    if arr.shape[0] != num_perm:
        raise ValueError(
            f"MinHash of {arr.shape[0]} values, index built with {num_perm}: "
            "minhash_perm changed; run `corroborator recluster` to rebuild stories"
        )
    # affine32 signatures fit in 32 bits; others are folded, which keeps equal values equal.
    return (arr.astype(np.uint64) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
