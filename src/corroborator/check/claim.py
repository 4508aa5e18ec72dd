"""Checking one claim against a set of articles, counting rewrites of one report once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from corroborator.check.sentences import article_sentences
from corroborator.check.stance import StanceJudgement, StanceModel, default_stance_model
from corroborator.independence import Links, source_groups
from corroborator.model import Article, Sentence


@dataclass(frozen=True, slots=True)
class CheckResult:
    """``judgements`` most relevant first; the source counts treat an article and its rewrites or
    near-duplicates as one source (a group counts once for each stance any of its members takes)."""

    claim: str
    judgements: list[tuple[Article, StanceJudgement]]
    supporting_sources: int
    disputing_sources: int


def check_claim(
    claim: str,
    articles: Sequence[Article],
    *,
    model: StanceModel | None = None,
    duplicate_of: Links | None = None,
    sentences: Mapping[str, Sequence[Sentence]] | None = None,
    vectors: Mapping[str, np.ndarray] | None = None,
) -> CheckResult:
    """Judge ``claim`` against every article.

    ``duplicate_of``: copy -> original links (a mapping or pairs; chains and rewrites of rewrites join
    one group, see :func:`corroborator.independence.source_groups`); ``sentences`` and
    ``vectors`` are per-article caches (e.g. from the store) and are computed when absent.
    """
    model = model or default_stance_model()
    judged: list[tuple[Article, StanceJudgement]] = []
    for article in articles:
        sents = (sentences or {}).get(article.id)
        if sents is None:
            sents = article_sentences(article)
        vecs = (vectors or {}).get(article.id)
        judged.append((article, model.judge(claim, article, sents, vecs)))
    judged.sort(key=lambda aj: (-aj[1].relevance, -aj[1].score, aj[0].id))
    support, dispute = independent_counts(judged, duplicate_of or {})
    return CheckResult(claim=claim, judgements=judged, supporting_sources=support, disputing_sources=dispute)


def independent_counts(judged: Sequence[tuple[Article, StanceJudgement]], links: Links) -> tuple[int, int]:
    """(supporting, disputing) independent sources: a group of copies counts once for each stance."""
    groups = source_groups([a.id for a, _ in judged], links)
    supporting = {groups[a.id] for a, j in judged if j.stance == "supports"}
    disputing = {groups[a.id] for a, j in judged if j.stance == "contradicts"}
    return len(supporting), len(disputing)
