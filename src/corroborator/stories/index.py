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
``training/train_stories.py``; a story's score is its best candidate member's probability. Text is cleaned
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
from collections import Counter
from datetime import date

import numpy as np

from corroborator.stories.candidates import CandidateSearch
from corroborator.stories.pairs import entity_keys
from corroborator.stories.persist import FORMAT, PersistedIndex
from corroborator.stories.records import (
    NO_DAY,
    POSTING_TERMS,
    POSTINGS_SCAN,
    TOP_TERMS,
    WHEN_SCALE,
    Decision,
    Features,
    Params,
    Prepared,
)
from corroborator.stories.signature import LEAD_CHARS, signature
from corroborator.stories.state import _as_u32, _lang
from corroborator.stories.terms import tokens
from corroborator.text.boilerplate import outlet_keys, strip_boilerplate

__all__ = [
    "FORMAT",
    "NO_DAY",
    "POSTINGS_SCAN",
    "POSTING_TERMS",
    "TOP_TERMS",
    "WHEN_SCALE",
    "Decision",
    "Features",
    "Params",
    "Prepared",
    "StoryIndex",
    "entity_keys",
]


class StoryIndex(CandidateSearch, PersistedIndex):
    """Articles, their stories and the structures that find candidates, in insertion order: the decision
    which story a new article joins, and growth (the rest is in the classes it is made of)."""

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


def _link(scores: list[float], mean2: bool) -> float:
    """A story's score from its candidate members': the best, or the mean of the best two."""
    if mean2 and len(scores) > 1:
        top = sorted(scores, reverse=True)
        return (top[0] + top[1]) / 2.0
    return max(scores)
