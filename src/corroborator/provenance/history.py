"""An article's history as a versioned document (``corroborator.history/1``): its versions and what
changed between each two, built from the pure version diff; :mod:`corroborator.api.history` reads the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Final

from corroborator.model import Article, Claim, Fact
from corroborator.versioning import ArticleVersion, ClaimChange, FactChange, VersionDiff

HISTORY_SCHEMA: Final = "corroborator.history/1"


@dataclass(frozen=True, slots=True)
class History:
    article: Article  # version 0: the story member
    versions: tuple[ArticleVersion, ...]
    diffs: tuple[VersionDiff, ...]  # diffs[i]: versions[i] -> versions[i + 1]
    story: str | None


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True, slots=True)
class SpanDoc:
    """A claim or fact of one version: character offsets into that version's text (into its title for
    a headline change), end exclusive, and the text there."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class FactChangeDoc:
    kind: str
    change: str  # added | removed | revised
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    summary: str


@dataclass(frozen=True, slots=True)
class ClaimChangeDoc:
    kind: str  # added | removed | changed | unchanged | moved | reformatted
    part: str  # body | headline
    before: SpanDoc | None
    after: SpanDoc | None
    facts: list[FactChangeDoc]
    edits: list[dict[str, int]]
    similarity: float
    note: str | None


@dataclass(frozen=True, slots=True)
class VersionDoc:
    index: int
    id: str
    at: str | None
    title: str | None
    chars: int


@dataclass(frozen=True, slots=True)
class DiffDoc:
    before: int  # version index
    after: int
    changes: list[ClaimChangeDoc]  # the real changes (added, removed, changed), headline first
    refactors: dict[str, int]  # unchanged / moved / reformatted claims, counted


@dataclass(frozen=True, slots=True)
class HistoryDoc:
    schema: str
    article: dict[str, Any]
    story: str | None
    versions: list[VersionDoc]
    diffs: list[DiffDoc]


def _span(c: Claim | None) -> SpanDoc | None:
    return None if c is None else SpanDoc(c.start, c.end, c.text)


def _fact(f: Fact | None) -> dict[str, Any] | None:
    return None if f is None else {"text": f.text, "norm": f.norm, "start": f.start, "end": f.end}


def _fact_change(f: FactChange) -> FactChangeDoc:
    return FactChangeDoc(f.kind, f.change, _fact(f.before), _fact(f.after), f.summary)


def _change(c: ClaimChange) -> ClaimChangeDoc:
    return ClaimChangeDoc(
        c.kind, c.part, _span(c.before), _span(c.after), [_fact_change(f) for f in c.facts],
        [asdict(e) for e in c.edits], c.similarity, c.note,
    )  # fmt: skip


def history_document(history: History) -> HistoryDoc:
    a = history.article
    diffs = []
    for k, d in enumerate(history.diffs):
        refactors: dict[str, int] = {}
        for c in d.refactors:
            refactors[c.kind] = refactors.get(c.kind, 0) + 1
        diffs.append(DiffDoc(k, k + 1, [_change(c) for c in d.real], refactors))
    versions = [
        VersionDoc(v.index, v.article.id, _iso(v.at), v.article.title, len(v.article.text)) for v in history.versions
    ]
    article = {"id": a.id, "url": a.url, "source": a.source, "title": a.title, "external_id": a.external_id}
    return HistoryDoc(HISTORY_SCHEMA, article, history.story, versions, diffs)


def history_json(history: History) -> dict[str, Any]:
    return asdict(history_document(history))
