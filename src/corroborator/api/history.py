"""An article's history for a reader: its versions, what changed between each two, as a versioned JSON
document (``corroborator.history/1``), and each story member's version as of a time.

A reference is a URL (its canonical form finds the article), an article id, id prefix or external id, or
the id of one of its later versions. Diffs are computed when asked for (the versions' sentences and facts
are not kept: a history is read rarely, a story's comparison often).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final

from corroborator.errors import NotFound
from corroborator.model import Article, Claim, Fact
from corroborator.provenance.version_model import ArticleVersion, ClaimChange, FactChange, VersionDiff

if TYPE_CHECKING:
    from corroborator.store.base import Store

HISTORY_SCHEMA: Final = "corroborator.history/1"


@dataclass(frozen=True, slots=True)
class History:
    article: Article  # version 0: the story member
    versions: tuple[ArticleVersion, ...]
    diffs: tuple[VersionDiff, ...]  # diffs[i]: versions[i] -> versions[i + 1]
    story: str | None


def resolve(store: Store, ref: str) -> Article:
    """The stored article ``ref`` names (see the module docstring); NotFound says what to try."""
    ref = ref.strip()
    if ref.startswith(("http://", "https://")):
        found = store.article_by_url(ref)
        if found is None:
            raise NotFound(f"no article at {ref} in {store.location}; ingest it first, or give its id")
        return found
    owner = store.article_of_version(ref)
    return store.get_articles([owner])[0] if owner else store.get_article(ref)


def article_history(store: Store, ref: str) -> History:
    """Every version of the article ``ref`` names and the diff between each two in a row."""
    from corroborator.provenance.versions import diff_versions

    article = resolve(store, ref)
    versions = tuple(store.versions(article.id))
    diffs = tuple(diff_versions(a, b) for a, b in pairwise(versions))
    return History(article, versions, diffs, store.story_of(article.id))


def as_of(store: Store, article_ids: Sequence[str], when: datetime | None = None) -> list[Article]:
    """Each article as it read at ``when``: its last version whose time is not after it (the first
    version when all are later), or its latest version when ``when`` is None. In the order given."""
    counts = store.version_counts(article_ids)
    out: list[Article] = []
    for article in store.get_articles(article_ids):
        if counts.get(article.id, 1) == 1:
            out.append(article)
            continue
        versions = store.versions(article.id)
        chosen = versions[-1] if when is None else versions[0]
        if when is not None:
            for v in versions:
                if v.at is None or _utc(v.at) <= _utc(when):
                    chosen = v
        out.append(chosen.article)
    return out


def _utc(d: datetime) -> datetime:
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)


# -- the document ------------------------------------------------------------------------------------------


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
