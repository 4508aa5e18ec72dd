"""A Comparison as its published document: the typed :class:`~corroborator.results.ComparisonDoc` that every
renderer reads, and its JSON.

:func:`build_document` makes the typed document; :func:`encode` turns any document part into JSON-ready
data (field names are the keys; optional fields at their default are left out); :func:`to_document` is
the two together, the ``corroborator.comparison/3.2`` JSON (docs/schema.md; the JSON Schema generated from
the same classes is :data:`corroborator.render.schema.SCHEMA`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from corroborator.compare.brief import group_disputes, label_of
from corroborator.compare.ledger import ClaimFacts, claim_facts, claim_summary
from corroborator.compare.lineage import is_rewrite
from corroborator.model import (
    Article,
    Citation,
    Claim,
    Conflict,
    Contest,
    Corroboration,
    Derivation,
    Fact,
    Framing,
    LedgerFact,
)
from corroborator.results import (
    SCHEMA_VERSION,
    AlignmentDoc,
    ArticleDoc,
    ArticleVersionDoc,
    BriefDoc,
    BriefSentenceDoc,
    Cell,
    CitationDoc,
    ClaimDoc,
    Comparison,
    ComparisonDoc,
    ConflictDoc,
    ContestDoc,
    ContestedByDoc,
    FactDoc,
    FramingDoc,
    LedgerFactDoc,
    MatrixRowDoc,
    MentionDoc,
    PointDoc,
    RewriteDoc,
    SideDoc,
    SummaryDoc,
    TermDoc,
    TimelineEntryDoc,
)
from corroborator.versioning import ComparedVersion


def _citation(c: Citation) -> CitationDoc:
    return CitationDoc(article=c.article_id, start=c.start, end=c.end, facts=tuple(c.facts))


def _ledger_fact(f: LedgerFact) -> LedgerFactDoc:
    return LedgerFactDoc(
        id=f.id,
        kind=f.kind,
        label=f.label,
        status=f.status,
        mentions=tuple(MentionDoc(m.article_id, m.claim, m.start, m.end, m.text) for m in f.mentions),
        sources=f.sources,
        independent_sources=f.independent_sources,
        note=f.note,
    )


def _fact(f: Fact) -> FactDoc:
    return FactDoc(
        kind=f.kind,
        text=f.text,
        start=f.start,
        end=f.end,
        norm=f.norm,
        number=f.number,
        unit=f.unit,
        earliest=f.earliest,
        latest=f.latest,
        label=f.label,
        speaker=f.speaker,
        approximate=bool(f.approximate),
    )


def _contest(k: Contest) -> ContestDoc:
    dispute_article = k.sides[1].article if len(k.sides) > 1 else k.dispute.split(":")[0]
    return ContestDoc(
        claim=k.claim,
        dispute=k.dispute,
        party=k.party,
        cue=k.cue,
        explanation=k.explanation,
        similarity=k.similarity,
        sides=tuple(SideDoc(s.article, s.text, s.start, s.end, s.value) for s in k.sides),
        party_span=CitationDoc(dispute_article, *k.party_span) if k.party_span else None,
        outlet_voice=k.outlet_voice,
        model=k.model,
    )


def cue_at(text: str, cue: str) -> tuple[int, int] | None:
    """Where a contest's cue (as found, lower-cased) is in its dispute's text, for highlighting; None
    when the text does not hold it as written (whitespace differs)."""
    # A case-blind search, not text.lower().find: lower-casing can change a string's length.
    m = re.search(re.escape(cue), text, re.IGNORECASE) if cue else None
    return (m.start(), m.end()) if m else None


def encode(value: Any) -> Any:
    """A document (or any part of it) as JSON-ready data: dataclasses become objects keyed by field name,
    tuples become arrays, and a field declared ``optional`` is left out when it has its default."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.metadata.get("optional") and item == f.default:
                continue
            out[f.name] = encode(item)
        return out
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def to_document(comparison: Comparison) -> dict[str, Any]:
    """The comparison as ``corroborator.comparison/3.2`` JSON-ready data."""
    data: dict[str, Any] = encode(build_document(comparison))
    return data


def claim_summaries(comparison: Comparison) -> dict[str, ClaimFacts]:
    """Claim id -> its ledger facts and what they add up to, sources named by their letters (A, B...)."""
    letters = {a.id: chr(ord("A") + i) if i < 26 else a.id for i, a in enumerate(comparison.articles)}
    by_claim = claim_facts(comparison.ledger)
    return {c.id: claim_summary(c, by_claim.get(c.id, ()), letters) for c in comparison.claims}


def matrix(comparison: Comparison) -> tuple[MatrixRowDoc, ...]:
    """Rows of the corroboration matrix: each corroborated point, contradiction and shown single-source
    claim, with one cell per article: supports, disputes or silent. Contested points are no rows: a
    report of a party's dispute is neither support nor a contradiction (see ``contests``)."""
    claims = {c.id: c for c in comparison.claims}
    statuses = comparison.statuses
    ids = [a.id for a in comparison.articles]
    rows: list[MatrixRowDoc] = []

    def cells(supporting: set[str], disputing: set[str]) -> dict[str, Cell]:
        return {a: ("supports" if a in supporting else "disputes" if a in disputing else "silent") for a in ids}

    for p in comparison.points:
        if p.status != "corroborated":
            continue
        sup = {claims[m].article_id for m in p.claims}
        dis: set[str] = set()
        for m in p.claims:
            dis.update(statuses[m].disputed_by)
        rows.append(MatrixRowDoc("corroborated", p.claims[0], claims[p.claims[0]].text, cells(sup, dis - sup)))
    for dispute in group_disputes([c for c in comparison.conflicts if not c.precision_only]):
        # Two camps: the first side of the first conflict and whoever sides with it, and the others.
        first = dispute[0]
        camp_a = {first.sides[0].article}
        camp_b = {first.sides[1].article} if len(first.sides) > 1 else set()
        for cf in dispute[1:]:
            if len(cf.sides) != 2:
                continue
            x, y = cf.sides[0].article, cf.sides[1].article
            if x in camp_a or y in camp_b:
                camp_a.add(x)
                camp_b.add(y)
            else:
                camp_a.add(y)
                camp_b.add(x)
        rows.append(
            MatrixRowDoc(
                "disputed",
                first.claims[0] if first.claims else "",
                first.explanation,
                cells(camp_a - camp_b, camp_b - camp_a),
            )
        )
    shown = {c.article_id + ":" + f"{c.start}-{c.end}" for s in comparison.brief.sentences for c in s.citations}
    for c in comparison.claims:
        st = statuses[c.id]
        if st.status == "single-source" and c.id in shown:
            rows.append(MatrixRowDoc("single-source", c.id, c.text, cells({c.article_id}, set())))
    return tuple(rows)


def build_document(comparison: Comparison) -> ComparisonDoc:
    """The typed ``corroborator.comparison/3.2`` document of a comparison."""
    claims = {c.id: c for c in comparison.claims}
    summaries = claim_summaries(comparison)
    support_spans: dict[str, list[CitationDoc]] = {c.id: [] for c in comparison.claims}
    for al in comparison.alignments:
        if al.relation in ("same", "overlap"):
            for x, y in ((al.a, al.b), (al.b, al.a)):
                other = claims[y]
                support_spans[x].append(CitationDoc(other.article_id, other.start, other.end))
    return ComparisonDoc(
        schema=SCHEMA_VERSION,
        title=comparison.brief.title,
        articles=tuple(_article_doc(a, comparison.groups, comparison.versions.get(a.id)) for a in comparison.articles),
        claims=tuple(
            _claim_doc(c, comparison.statuses[c.id], support_spans[c.id], summaries[c.id]) for c in comparison.claims
        ),
        points=tuple(PointDoc(tuple(p.claims), p.status) for p in comparison.points),
        alignments=tuple(
            AlignmentDoc(al.a, al.b, al.relation, al.similarity, al.model)  # type: ignore[arg-type]  # "none" is never kept
            for al in comparison.alignments
        ),
        conflicts=tuple(_conflict_doc(cf) for cf in comparison.conflicts),
        contests=tuple(_contest(k) for k in comparison.contests),
        ledger=tuple(_ledger_fact(f) for f in comparison.ledger),
        rewrites=tuple(_rewrite_doc(d) for d in comparison.derivations),
        framing=tuple(_framing_doc(fr) for fr in comparison.framings),
        brief=BriefDoc(
            title=comparison.brief.title,
            sentences=tuple(
                BriefSentenceDoc(s.text, s.status, tuple(_citation(c) for c in s.citations))
                for s in comparison.brief.sentences
            ),
            left_out=comparison.brief.left_out,
        ),
        timeline=tuple(
            TimelineEntryDoc(e.when, e.sort_key, e.what, _citation(e.citation)) for e in comparison.timeline
        ),
        matrix=matrix(comparison),
        summary=summary(comparison),
        as_of=comparison.as_of.isoformat() if comparison.as_of else None,
    )


def _version_doc(v: ComparedVersion | None) -> ArticleVersionDoc | None:
    if v is None:
        return None
    at = v.at.isoformat() if v.at else None
    return ArticleVersionDoc(article=v.article, index=v.index, at=at, versions=v.count, latest=v.latest)


def _article_doc(a: Article, groups: dict[str, str], version: ComparedVersion | None = None) -> ArticleDoc:
    return ArticleDoc(
        id=a.id,
        external_id=a.external_id,
        source=a.source,
        label=label_of(a),
        title=a.title,
        url=a.url,
        byline=a.byline,
        published=a.published.isoformat() if a.published else None,
        origin=a.origin,
        group=groups.get(a.id, a.id),
        version=_version_doc(version),
    )


def _claim_doc(c: Claim, status: Corroboration, support: list[CitationDoc], facts: ClaimFacts) -> ClaimDoc:
    return ClaimDoc(
        id=c.id,
        text=c.text,
        article=c.article_id,
        sentence=c.sentence,
        start=c.start,
        end=c.end,
        status=status.status,
        sources=tuple(status.sources),
        disputed_by=tuple(status.disputed_by),
        independent_sources=status.independent_sources,
        citations=(CitationDoc(c.article_id, c.start, c.end), *support),
        facts=tuple(_fact(f) for f in c.facts),
        contested_by=tuple(ContestedByDoc(party, art) for party, art in status.contested_by),
        ledger_facts=tuple(f.id for f in facts.facts),
        corroboration=facts.summary,
        language=c.language,
    )


def _conflict_doc(cf: Conflict) -> ConflictDoc:
    return ConflictDoc(
        kind=cf.kind,
        explanation=cf.explanation,
        precision_only=cf.precision_only,
        claims=tuple(cf.claims),
        sides=tuple(SideDoc(s.article, s.text, s.start, s.end, s.value) for s in cf.sides),
        model=cf.model,
    )


def _rewrite_doc(d: Derivation) -> RewriteDoc:
    return RewriteDoc(
        a=d.a,
        b=d.b,
        carried_share=d.carried_share,
        order_kept=d.order_kept,
        verbatim_runs=d.verbatim_runs,
        direction=d.direction,
        rewrite=is_rewrite(d),
        evidence=d.evidence,
        added_by_a=tuple(d.added_by_a),
        added_by_b=tuple(d.added_by_b),
        credited=tuple(d.credited),
    )


def _framing_doc(fr: Framing) -> FramingDoc:
    return FramingDoc(
        article=fr.article_id,
        subjectivity=round(fr.subjectivity, 4),
        tone=round(fr.tone, 4),
        terms=tuple(TermDoc(t.text, t.start, t.end, t.category) for t in fr.terms),
        voices={k: tuple(v) for k, v in fr.voices.items()},
    )


def summary(comparison: Comparison) -> SummaryDoc:
    counts = {"corroborated": 0, "single-source": 0, "disputed": 0, "contested": 0}
    for s in comparison.statuses.values():
        counts[s.status] = counts.get(s.status, 0) + 1
    return SummaryDoc(
        articles=len(comparison.articles),
        claims=len(comparison.claims),
        corroborated_claims=counts["corroborated"],
        single_source_claims=counts["single-source"],
        disputed_claims=counts["disputed"],
        contested_claims=counts["contested"],
        contradictions=sum(1 for c in comparison.conflicts if not c.precision_only),
        precision_only=sum(1 for c in comparison.conflicts if c.precision_only),
        rewrites=sum(1 for d in comparison.derivations if is_rewrite(d)),
        independent_sources=len(set(comparison.groups.values())) or len(comparison.articles),
    )
