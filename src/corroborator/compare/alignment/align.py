"""Alignment of claims across articles, typed conflicts on the aligned pairs, and each claim's status.

For each pair of articles: candidate claim pairs are the top ``settings.align_candidates`` neighbours of
every claim by embedding cosine (both directions); the pair judge says whether a candidate is the same
statement, an overlapping one, or unrelated; typed facts then decide whether two claims on the same
topic disagree (see :mod:`corroborator.compare.conflicts`). A claim's status is "disputed" when it takes
part in a contradiction, "corroborated" when another article states it too, else "single-source"; its
``independent_sources`` counts groups of articles, so a rewrite or a stored near-duplicate of a source
is not a second witness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

import numpy as np

from corroborator.compare import cues
from corroborator.compare.checks import PairContext
from corroborator.compare.checks import claim as claim_check
from corroborator.compare.checks.referent import different_referents, speakers_differ
from corroborator.compare.conflicts import antecedent_names, find_conflicts, linked_pairs
from corroborator.entail import EntailmentModel
from corroborator.model import Alignment, Claim, ClaimStatus, Conflict, Contest, Corroboration
from corroborator.settings import Settings

# Claims on the same topic (for the conflict checks that carry their own evidence: periods, event
# dates, shared quotes) need this cosine and at least one shared content word.
TOPIC_COSINE = 0.35


class Judgement(Protocol):
    @property
    def relation(self) -> str: ...

    @property
    def similarity(self) -> float: ...


class Judge(Protocol):
    def judge_many(
        self,
        pairs: Sequence[tuple[str, str]],
        vectors_a: np.ndarray | None = None,
        vectors_b: np.ndarray | None = None,
    ) -> Sequence[Judgement]: ...


@dataclass(frozen=True, slots=True)
class CosineJudgement:
    relation: str
    similarity: float
    same: bool
    probability: float


class CosineJudge:
    """Embedding cosine alone: the fallback when the learned pair judge cannot be loaded.

    Thresholds from the default encoder's behaviour on paraphrases (~0.86) and unrelated news
    sentences (~0.1-0.3); weaker than the learned judge, which also reads words, numbers and names.
    """

    name = "pair.cosine.v1"

    def __init__(self, same: float = 0.8, overlap: float = 0.6) -> None:
        self.same, self.overlap = same, overlap

    def judge_many(
        self,
        pairs: Sequence[tuple[str, str]],
        vectors_a: np.ndarray | None = None,
        vectors_b: np.ndarray | None = None,
    ) -> list[CosineJudgement]:
        if vectors_a is None or vectors_b is None:
            raise ValueError("CosineJudge needs the pairs' vectors")
        sims = np.einsum("ij,ij->i", vectors_a, vectors_b)
        out = []
        for s in sims:
            rel = "same" if s >= self.same else "overlap" if s >= self.overlap else "none"
            out.append(CosineJudgement(rel, float(s), rel == "same", float(s)))
        return out


@dataclass(frozen=True, slots=True)
class PairResult:
    alignments: tuple[Alignment, ...]
    conflicts: tuple[Conflict, ...]


def candidate_pairs(va: np.ndarray, vb: np.ndarray, k: int, floor: float) -> list[tuple[int, int, float]]:
    """Top-k neighbours of each row of ``va`` in ``vb`` and vice versa, at or above the ``floor`` cosine
    (the setting ``align_min_cosine``: below it a pair is not even shown to the judge)."""
    if len(va) == 0 or len(vb) == 0:
        return []
    sims = va @ vb.T
    chosen: set[tuple[int, int]] = set()
    k_b, k_a = min(k, sims.shape[1]), min(k, sims.shape[0])
    for i in range(sims.shape[0]):
        for j in np.argsort(-sims[i])[:k_b]:
            chosen.add((i, int(j)))
    for j in range(sims.shape[1]):
        for i in np.argsort(-sims[:, j])[:k_a]:
            chosen.add((int(i), j))
    return sorted((i, j, float(sims[i, j])) for i, j in chosen if sims[i, j] >= floor)


def _dedupe(conflicts: Sequence[Conflict]) -> list[Conflict]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for c in conflicts:
        key = (c.kind, tuple((s.article, s.start, s.end) for s in c.sides))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def align_pair(
    claims_a: Sequence[Claim],
    claims_b: Sequence[Claim],
    va: np.ndarray,
    vb: np.ndarray,
    judge: Judge,
    settings: Settings,
    cands: Sequence[tuple[int, int, float]] | None = None,
    judgements: Sequence[Judgement] | None = None,
    entailment: EntailmentModel | None = None,
) -> PairResult:
    """Align two articles' claims. ``cands``/``judgements`` may come precomputed (see align_articles);
    ``entailment``, when given, judges the candidate pairs too (:mod:`corroborator.compare.checks.claim`)."""
    if cands is None:
        cands = candidate_pairs(va, vb, settings.align_candidates, settings.align_min_cosine)
    if judgements is None and cands:
        judgements = judge.judge_many(
            [(claims_a[i].text, claims_b[j].text) for i, j, _ in cands],
            np.stack([va[i] for i, _, _ in cands]),
            np.stack([vb[j] for _, j, _ in cands]),
        )
    judgements = judgements or []
    stems_a = [cues.content_stems(c.text) for c in claims_a]
    stems_b = [cues.content_stems(c.text) for c in claims_b]
    df: dict[str, int] = {}
    for st in (*stems_a, *stems_b):
        for w in st:
            df[w] = df.get(w, 0) + 1
    ctx = PairContext(
        antecedents={**antecedent_names(claims_a), **antecedent_names(claims_b)},
        stem_df=df,
        claims=len(claims_a) + len(claims_b),
    )
    linked = set(linked_pairs(claims_a, claims_b, ctx))
    judged = {(i, j) for i, j, _ in cands}
    # (i, j, relation, similarity, conflicts, aligned by the judge)
    rows: list[tuple[int, int, str, float, list[Conflict], bool]] = []
    for (i, j, cosine), verdict in zip(cands, judgements, strict=True):
        a, b = claims_a[i], claims_b[j]
        relation = verdict.relation
        similarity = float(verdict.similarity)
        detail = _shared_detail(a, b)
        if relation == "none" and cosine >= SHARED_DETAIL_COSINE and detail:
            relation = "overlap"
        # "Overlap" from the judge means "shares some details" (STS 2 of 5); a claim is corroborated
        # only by a paraphrase, a close overlap, or an overlap that shares a specific detail.
        if (
            relation == "overlap"
            and similarity < SUPPORT_SIMILARITY
            and not (similarity >= SHARED_DETAIL_SIMILARITY and detail)
        ):
            relation = "none"
            topical = True
        else:
            topical = relation == "none" and (
                (cosine >= TOPIC_COSINE and bool(stems_a[i] & stems_b[j])) or (i, j) in linked
            )
        aligned = relation in ("same", "overlap")
        if aligned or topical:
            link = "aligned" if aligned else "topic"
            found = find_conflicts(a, b, link=link, similarity=similarity, settings=settings, context=ctx)  # type: ignore[arg-type]
        else:
            found = []
        rows.append((i, j, relation, similarity, found, aligned))
    for i, j in sorted(linked - judged):
        a, b = claims_a[i], claims_b[j]
        cosine = float(va[i] @ vb[j])
        found = find_conflicts(a, b, link="topic", similarity=cosine, settings=settings, context=ctx)
        rows.append((i, j, "none", cosine, found, False))
    models: dict[int, str] = {}
    if entailment is not None:
        models = _entail(rows, claims_a, claims_b, va, vb, entailment, settings)
    alignments: list[Alignment] = []
    conflicts: list[Conflict] = []
    for k, (i, j, relation, similarity, found, _) in enumerate(rows):
        if any(not c.precision_only for c in found):
            relation = "conflict"
        elif found and relation == "none":
            relation = "overlap"  # a precision-only difference still means both talk about the same thing
        conflicts.extend(found)
        if relation != "none":
            alignments.append(
                Alignment(
                    a=claims_a[i].id,
                    b=claims_b[j].id,
                    relation=relation,  # type: ignore[arg-type]
                    similarity=round(similarity, 4),
                    model=models.get(k),
                )
            )
    return PairResult(tuple(alignments), tuple(_dedupe(conflicts)))


def _entail(
    rows: list[tuple[int, int, str, float, list[Conflict], bool]],
    claims_a: Sequence[Claim],
    claims_b: Sequence[Claim],
    va: np.ndarray,
    vb: np.ndarray,
    model: EntailmentModel,
    settings: Settings,
) -> dict[int, str]:
    """The entailment model on the candidate pairs close enough to state the same thing: a typed
    conflict the rules' guards dropped, a ``claim`` conflict, or corroboration by mutual entailment.
    Updates ``rows`` in place; returns row index -> model name for the rows the model judged."""
    todo = [
        k
        for k, (i, j, relation, _, found, aligned) in enumerate(rows)
        if (aligned or relation != "none" or float(va[i] @ vb[j]) >= settings.compare_entailment_min_cosine)
        and not any(not c.precision_only for c in found)
    ]
    if not todo:
        return {}
    pairs = [(claims_a[rows[k][0]], claims_b[rows[k][1]]) for k in todo]
    verdicts = claim_check.judge(model, [(a.text, b.text) for a, b in pairs])
    # A `claim` conflict has no typed fact to show for itself: only near-paraphrases about one referent
    # (no place, day or source that says otherwise; no two different speakers) may become one.
    claimable = [
        rows[k][5]
        and rows[k][3] >= settings.compare_claim_min_similarity
        and different_referents(a, b) is None
        and not speakers_differ(a, b)
        for k, (a, b) in zip(todo, pairs, strict=True)
    ]
    decisions = claim_check.decide(model, pairs, verdicts, claimable, settings)
    out: dict[int, str] = {}
    for k, decision in zip(todo, decisions, strict=True):
        i, j, relation, similarity, found, aligned = rows[k]
        added = [c for c in decision.conflicts if not any(c.kind == f.kind for f in found)]
        if decision.relation == "same" and relation in ("none", "overlap") and not added:
            relation = "same"
        elif decision.relation == "overlap" and relation == "none" and not added:
            relation = "overlap"
        if added or decision.relation:
            out[k] = model.name
        rows[k] = (i, j, relation, similarity, [*found, *added], aligned)
    return out


# A candidate the judge calls unrelated still overlaps when it is this close and shares a specific
# detail: two named entities, or a run of words (the embedding undervalues long sentences that share
# one clause).
SHARED_DETAIL_COSINE = 0.45
# Judge similarity (0..1, STS/5) at which an "overlap" supports a claim on its own, and the lower one
# at which it does when the two claims also share a specific detail.
SUPPORT_SIMILARITY = 0.6
SHARED_DETAIL_SIMILARITY = 0.45
_RUN = 4


def _shared_detail(a: Claim, b: Claim) -> bool:
    ents_a = {(f.norm or f.text).lower() for f in a.facts if f.kind in ("person", "organization", "place")}
    ents_b = {(f.norm or f.text).lower() for f in b.facts if f.kind in ("person", "organization", "place")}
    if len(ents_a & ents_b) >= 2:
        return True
    wa = [w.lower() for w in cues.words(a.text)]
    wb = [w.lower() for w in cues.words(b.text)]
    grams_b = {tuple(wb[i : i + _RUN]) for i in range(len(wb) - _RUN + 1)}
    for i in range(len(wa) - _RUN + 1):
        gram = tuple(wa[i : i + _RUN])
        if gram in grams_b and sum(w not in cues.STOPWORDS for w in gram) >= 2:
            return True
    return False


def align_articles(
    claims: Mapping[str, Sequence[Claim]],
    vectors: Mapping[str, np.ndarray],
    judge: Judge,
    settings: Settings,
    entailment: EntailmentModel | None = None,
) -> PairResult:
    """Align every pair of articles (``claims`` and ``vectors`` keyed by article id, in input order)."""
    alignments: list[Alignment] = []
    conflicts: list[Conflict] = []
    pairs = list(combinations(list(claims), 2))
    cands = {
        (x, y): candidate_pairs(vectors[x], vectors[y], settings.align_candidates, settings.align_min_cosine)
        for x, y in pairs
    }
    # One call to the judge for every article pair, so each claim is encoded by it once.
    texts: list[tuple[str, str]] = []
    rows_a: list[np.ndarray] = []
    rows_b: list[np.ndarray] = []
    for x, y in pairs:
        for i, j, _ in cands[(x, y)]:
            texts.append((claims[x][i].text, claims[y][j].text))
            rows_a.append(vectors[x][i])
            rows_b.append(vectors[y][j])
    verdicts: Sequence[Judgement] = judge.judge_many(texts, np.stack(rows_a), np.stack(rows_b)) if texts else []
    at = 0
    for x, y in pairs:
        n = len(cands[(x, y)])
        result = align_pair(
            claims[x],
            claims[y],
            vectors[x],
            vectors[y],
            judge,
            settings,
            cands=cands[(x, y)],
            judgements=verdicts[at : at + n],
            entailment=entailment,
        )
        at += n
        alignments.extend(result.alignments)
        conflicts.extend(result.conflicts)
    return PairResult(tuple(alignments), tuple(_dedupe(conflicts)))


def claim_statuses(
    claims: Mapping[str, Sequence[Claim]],
    alignments: Sequence[Alignment],
    conflicts: Sequence[Conflict],
    groups: Mapping[str, str],
    contests: Sequence[Contest] = (),
) -> dict[str, Corroboration]:
    """Status of every claim; ``groups`` maps article id -> source group (rewrites share a group).
    A claim in a contradiction is "disputed"; else one a party disputes, as a report says, "contested"."""
    article_of = {c.id: c.article_id for cs in claims.values() for c in cs}
    support: dict[str, set[str]] = {cid: set() for cid in article_of}
    for al in alignments:
        if al.relation in ("same", "overlap"):
            support[al.a].add(article_of[al.b])
            support[al.b].add(article_of[al.a])
    disputed: dict[str, set[str]] = {cid: set() for cid in article_of}
    for c in conflicts:
        if c.precision_only or len(c.claims) != 2:
            continue
        x, y = c.claims
        disputed[x].add(article_of[y])
        disputed[y].add(article_of[x])
    contested: dict[str, list[tuple[str, str]]] = {}
    for k in contests:
        by = (k.party, article_of.get(k.dispute, k.dispute.split(":")[0]))
        if by not in contested.setdefault(k.claim, []):
            contested[k.claim].append(by)
    out = {}
    for cid, own in article_of.items():
        sources = (own, *sorted(support[cid] - {own}))
        status: ClaimStatus
        if disputed[cid]:
            status = "disputed"
        elif cid in contested:
            status = "contested"
        elif len(sources) > 1:
            status = "corroborated"
        else:
            status = "single-source"
        out[cid] = Corroboration(
            claim=cid,
            status=status,
            sources=sources,
            disputed_by=tuple(sorted(disputed[cid])),
            independent_sources=len({groups.get(s, s) for s in sources}),
            contested_by=tuple(contested.get(cid, ())),
        )
    return out
