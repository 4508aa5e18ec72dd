"""Article versions in a batch: which read articles are later versions of another, and their ``versions`` rows.

An article's identity is its canonical URL, else its outlet and external id (:mod:`corroborator.identity`,
as ``ingest`` decides it): among the distinct texts read at one identity, the first in read order is the
article (a row of ``articles``, the story member: version 0) and each later one is its next version, a
row of ``versions`` with the text, the metadata as read and what changed since the version before (the
claim-level diff of :mod:`corroborator.provenance.versions`). A version's time follows the store's rule
(``Store.add_version``): its publication time when that is later than the previous version's, else the
time the batch started. ``load`` writes each row back with that time, so ``corroborator history`` reads a
loaded store as it would an ingested one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from corroborator.errors import CorroboratorError
from corroborator.identity import identity_keys
from corroborator.model import Article, content_hash

Row = dict[str, Any]


def identity_key(article: Article) -> str | None:
    """The key two reads of one article share: its canonical URL, else outlet + external id; None: neither."""
    url, ext = identity_keys(article)
    if url is not None:
        return "url " + url
    if ext is not None:
        return f"ext {ext[0] or ''}\x1f{ext[1]}"
    return None


def version_map(groups: Iterable[Sequence[tuple[int, str]]]) -> dict[str, str]:
    """Version id -> the id of the article it is a later version of, from each identity's (seq, id) reads
    (distinct texts): the first read is the article, every later one a version of it."""
    out: dict[str, str] = {}
    for group in groups:
        ordered = sorted(group)
        for _, vid in ordered[1:]:
            out[vid] = ordered[0][1]
    return out


def _utc(d: datetime) -> datetime:
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)


def version_times(base: Article, later: Sequence[Article], seen: datetime) -> list[datetime]:
    """Each later version's time, as ``Store.add_version`` decides it: its publication time when later than
    the previous version's (the article's own: its publication time, else ``seen``), else ``seen``."""
    previous = base.published or seen
    out: list[datetime] = []
    for version in later:
        published = version.published
        at = published if published is not None and _utc(published) > _utc(previous) else seen
        out.append(at)
        previous = at
    return out


def version_rows(article_id: str, reads: Sequence[tuple[int, Article]], seen: datetime) -> list[Row]:
    """The ``versions`` rows of one article: ``reads`` are (seq, Article as read) of the article (version 0,
    first in read order) and its later versions; each row says what changed since the one before."""
    from corroborator.provenance.versions import diff_versions

    ordered = sorted(reads, key=lambda sa: sa[0])
    if not ordered or ordered[0][1].id != article_id:
        raise CorroboratorError(f"article {article_id}: its versions were read before it")
    base = ordered[0][1]
    later = [a for _, a in ordered[1:]]
    rows: list[Row] = []
    previous = base
    for index, ((seq, version), at) in enumerate(zip(ordered[1:], version_times(base, later, seen), strict=True), 1):
        diff = diff_versions(previous, version)
        rows.append(
            {
                "article_id": article_id,
                "version": index,
                "version_id": version.id,
                "seq": seq,
                "at": at.isoformat(),
                "seen_at": seen.isoformat(),
                "published": None if version.published is None else version.published.isoformat(),
                "url": version.url,
                "title": version.title,
                "byline": version.byline,
                "text": version.text,
                "origin": version.origin,
                "changed_claims": len(diff.real),
                "fact_changes": [f.summary for f in diff.fact_changes],
            }
        )
        previous = version
    return rows


def version_from_row(row: Row, where: str) -> tuple[str, Article, datetime, datetime]:
    """(article id, the version as an Article, its time, when the batch read it) from a ``versions`` row;
    a row that cannot be one raises CorroboratorError naming ``where`` (the table's folder) and the problem."""
    label = f"{where}: version {row.get('version')!r} of article {row.get('article_id')!r}"
    text = row.get("text")
    if not isinstance(text, str) or not text.strip() or not row.get("article_id"):
        raise CorroboratorError(f"{label}: no text or no article id")
    if content_hash(text) != row.get("version_id"):
        raise CorroboratorError(f"{label}: version_id {row.get('version_id')!r} is not the hash of its text")
    times = []
    for name in ("at", "seen_at", "published"):
        value = row.get(name)
        try:
            times.append(None if value is None else datetime.fromisoformat(value))
        except (TypeError, ValueError):
            raise CorroboratorError(f"{label}: {name} {value!r} is not an ISO 8601 time") from None
    at, seen, published = times
    if at is None or seen is None:
        raise CorroboratorError(f"{label}: no time (at and seen_at are required)")
    article = Article(
        id=row["version_id"], text=text, url=row.get("url"), title=row.get("title"), byline=row.get("byline"),
        published=published, origin=row.get("origin"),
    )  # fmt: skip
    return str(row["article_id"]), article, at, seen
