"""What a comparison returns, typed: the :class:`Comparison` and the versioned document built from it.

:class:`Comparison` is the library's result (``compare_articles``, ``compare_story``): the model's
types (:mod:`corroborator.model`) for everything found. :class:`ComparisonDoc` and its parts are the
published shape, ``corroborator.comparison/3.2``: the field names are the JSON keys, the type hints are
the JSON types. Every renderer reads a :class:`ComparisonDoc` (built by
:func:`corroborator.render.document.build_document`), the JSON encoder writes one, and the JSON Schema
(:mod:`corroborator.render.schema`) is generated from these classes, so the shape is written down here
once; docs/schema.md explains each field and a test checks it names every one.

A field declared with :func:`optional` is left out of the JSON when it has its default (a fact's
``number`` when the fact has none) and is not required by the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from corroborator.model import (
    Alignment,
    Article,
    Brief,
    Claim,
    ClaimStatus,
    Conflict,
    ConflictKind,
    Contest,
    Corroboration,
    Derivation,
    Framing,
    LedgerFact,
    Point,
    TimelineEntry,
)
from corroborator.versioning import ComparedVersion

SCHEMA_VERSION: Final = "corroborator.comparison/3.2"


@dataclass(frozen=True)
class Comparison:
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]
    alignments: tuple[Alignment, ...]
    statuses: dict[str, Corroboration]  # claim id -> status
    conflicts: tuple[Conflict, ...]
    derivations: tuple[Derivation, ...]
    framings: tuple[Framing, ...]
    brief: Brief
    schema_version: str = SCHEMA_VERSION
    points: tuple[Point, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    groups: dict[str, str] = field(default_factory=dict)  # article id -> independent-source group
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (models load in the first)
    contests: tuple[Contest, ...] = ()  # claims a party disputes, as a report says (not contradictions)
    ledger: tuple[LedgerFact, ...] = ()  # the story's atomic facts and their corroboration
    # Compared article id -> the stored version it is (a comparison over the store); empty for files.
    versions: dict[str, ComparedVersion] = field(default_factory=dict)
    as_of: datetime | None = None  # the time asked for ("as of T"); None: each article's latest version

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def rewrites(self) -> tuple[Derivation, ...]:
        # Imported here: the rewrite rule lives with the lineage stage, which imports this module's package.
        from corroborator.compare.lineage import is_rewrite

        return tuple(d for d in self.derivations if is_rewrite(d))


def optional(default: Any = None) -> Any:
    """A document field left out of the JSON (and not required by the schema) when it has ``default``."""
    return field(default=default, metadata={"optional": True})


# The published document, corroborator.comparison/3.2. Class names end in "Doc"; without it they name
# the section of docs/schema.md that explains them (a part without its own section is explained in
# its parent's). Docstrings become the schema's descriptions.

Cell = Literal["supports", "disputes", "silent"]
# A contested claim is no matrix row: a report saying a party disputes a claim is neither a supporting
# nor a disputing cell (the outlets do not disagree), so contests are listed on their own (``contests``).
MatrixKind = Literal["corroborated", "single-source", "disputed"]
BriefStatus = Literal["corroborated", "single-source", "disputed", "contested", "timeline", "note"]
Direction = Literal["a->b", "b->a", "shared origin"]


@dataclass(frozen=True, slots=True)
class CitationDoc:
    """A span of an article's text: character offsets, end exclusive."""

    article: str
    start: int
    end: int
    facts: tuple[str, ...] = optional(())


@dataclass(frozen=True, slots=True)
class ArticleVersionDoc:
    """Which stored version of the article was compared (comparisons over a store only)."""

    article: str
    index: int
    at: str | None
    versions: int
    latest: bool


@dataclass(frozen=True, slots=True)
class ArticleDoc:
    """A compared report and its metadata as read."""

    id: str
    external_id: str | None
    source: str | None
    label: str
    title: str | None
    url: str | None
    byline: str | None
    published: str | None
    origin: str | None
    group: str
    version: ArticleVersionDoc | None = optional()  # noqa: RUF009  # a field marker, not a shared default


@dataclass(frozen=True, slots=True)
class FactDoc:
    """A typed value found in a claim."""

    kind: str
    text: str
    start: int
    end: int
    norm: str
    number: float | None = optional()
    unit: str | None = optional()
    earliest: str | None = optional()
    latest: str | None = optional()
    label: str | None = optional()
    speaker: str | None = optional()
    approximate: bool = optional(False)


@dataclass(frozen=True, slots=True)
class ContestedByDoc:
    """Who disputes a claim and which article reports it."""

    party: str
    article: str


@dataclass(frozen=True, slots=True)
class ClaimDoc:
    """A claim (a sentence or a clause of one) and its standing across the articles."""

    id: str
    text: str
    article: str
    sentence: int
    start: int
    end: int
    status: ClaimStatus
    sources: tuple[str, ...]
    disputed_by: tuple[str, ...]
    independent_sources: int
    citations: tuple[CitationDoc, ...]
    facts: tuple[FactDoc, ...]
    contested_by: tuple[ContestedByDoc, ...]
    ledger_facts: tuple[str, ...]
    corroboration: str
    language: str | None = optional()


@dataclass(frozen=True, slots=True)
class MentionDoc:
    """Where a source states a ledger fact."""

    article: str
    claim: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class LedgerFactDoc:
    """An atomic fact of the story and its standing across the sources."""

    id: str
    kind: str
    label: str
    status: Literal["corroborated", "single-source", "contested", "contradicted", "precision"]
    mentions: tuple[MentionDoc, ...]
    sources: tuple[str, ...]
    independent_sources: int
    note: str = optional("")


@dataclass(frozen=True, slots=True)
class PointDoc:
    """A corroborated statement: its claims, the representative first."""

    claims: tuple[str, ...]
    status: str


@dataclass(frozen=True, slots=True)
class AlignmentDoc:
    """Two aligned claims of different articles."""

    a: str
    b: str
    relation: Literal["same", "overlap", "conflict"]
    similarity: float
    model: str | None = optional()


@dataclass(frozen=True, slots=True)
class SideDoc:
    """One article's side of a conflict."""

    article: str
    text: str
    start: int
    end: int
    value: str


@dataclass(frozen=True, slots=True)
class ConflictDoc:
    """A typed disagreement between claims."""

    kind: ConflictKind
    explanation: str
    precision_only: bool
    claims: tuple[str, ...]
    sides: tuple[SideDoc, ...]
    model: str | None = optional()


@dataclass(frozen=True, slots=True)
class ContestDoc:
    """A contested claim: one report states it, a report (another, or the same one later) says a party
    disputes it. Not a contradiction between the reports."""

    claim: str
    dispute: str
    party: str
    cue: str
    explanation: str
    similarity: float
    sides: tuple[SideDoc, ...]
    party_span: CitationDoc | None = optional()  # noqa: RUF009  # a field marker, not a shared default
    outlet_voice: bool = optional(False)
    model: str | None = optional()


@dataclass(frozen=True, slots=True)
class RewriteDoc:
    """How much one article carries over from another."""

    a: str
    b: str
    carried_share: float
    order_kept: float
    verbatim_runs: int
    direction: Direction
    rewrite: bool
    evidence: str
    added_by_a: tuple[str, ...]
    added_by_b: tuple[str, ...]
    credited: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TermDoc:
    """Loaded, emotive or hedging wording."""

    text: str
    start: int
    end: int
    category: str


@dataclass(frozen=True, slots=True)
class FramingDoc:
    """One article's wording, tone and voices."""

    article: str
    subjectivity: float
    tone: float
    terms: tuple[TermDoc, ...]
    voices: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class BriefSentenceDoc:
    """A sentence of the brief and the spans it cites."""

    text: str
    status: BriefStatus
    citations: tuple[CitationDoc, ...]


@dataclass(frozen=True, slots=True)
class BriefDoc:
    """The consolidated brief."""

    title: str
    sentences: tuple[BriefSentenceDoc, ...]
    left_out: str


@dataclass(frozen=True, slots=True)
class TimelineEntryDoc:
    """A date or deadline mentioned, with its source span."""

    when: str
    sort_key: str
    what: str
    citation: CitationDoc


@dataclass(frozen=True, slots=True)
class MatrixRowDoc:
    """A row of the corroboration matrix: one cell per article."""

    kind: MatrixKind
    claim: str
    text: str
    cells: dict[str, Cell]


@dataclass(frozen=True, slots=True)
class SummaryDoc:
    """Counts."""

    articles: int
    claims: int
    corroborated_claims: int
    single_source_claims: int
    disputed_claims: int
    contested_claims: int
    contradictions: int
    precision_only: int
    rewrites: int
    independent_sources: int


@dataclass(frozen=True, slots=True)
class ComparisonDoc:
    """A comparison of news reports of one story, claim by claim (corroborator.comparison/3.2)."""

    schema: Literal["corroborator.comparison/3.2"]
    title: str
    articles: tuple[ArticleDoc, ...]
    claims: tuple[ClaimDoc, ...]
    points: tuple[PointDoc, ...]
    alignments: tuple[AlignmentDoc, ...]
    conflicts: tuple[ConflictDoc, ...]
    contests: tuple[ContestDoc, ...]
    ledger: tuple[LedgerFactDoc, ...]
    rewrites: tuple[RewriteDoc, ...]
    framing: tuple[FramingDoc, ...]
    brief: BriefDoc
    timeline: tuple[TimelineEntryDoc, ...]
    matrix: tuple[MatrixRowDoc, ...]
    summary: SummaryDoc
    as_of: str | None = optional()
