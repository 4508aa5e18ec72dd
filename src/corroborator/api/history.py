"""An article's history for a reader: its versions, what changed between each two, as a versioned JSON
document (``corroborator.history/1``), and each story member's version as of a time.

A reference is a URL (its canonical form finds the article), an article id, id prefix or external id, or
the id of one of its later versions. Diffs are computed when asked for (the versions' sentences and facts
are not kept: a history is read rarely, a story's comparison often).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import pairwise
from typing import TYPE_CHECKING

from corroborator.errors import NotFound
from corroborator.model import Article
from corroborator.versioning import ComparedVersion

if TYPE_CHECKING:
    from corroborator.store.base import Store

from corroborator.provenance.history import (  # noqa: F401  (the document, re-exported for callers)
    HISTORY_SCHEMA,
    ClaimChangeDoc,
    DiffDoc,
    History,
    HistoryDoc,
    history_document,
    history_json,
)


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
    return [article for article, _ in compared_versions(store, article_ids, when)]


def compared_versions(
    store: Store, article_ids: Sequence[str], when: datetime | None = None
) -> list[tuple[Article, ComparedVersion]]:
    """:func:`as_of`, each text with the version it is (its index, time, the store's count of versions)."""
    counts = store.version_counts(article_ids)
    out: list[tuple[Article, ComparedVersion]] = []
    for article in store.get_articles(article_ids):
        count = counts.get(article.id, 1)
        if count == 1 and article.published is not None:  # never changed: version 0, at its publication
            out.append((article, ComparedVersion(article.id, 0, article.published, 1)))
            continue
        versions = store.versions(article.id)
        chosen = versions[-1] if when is None else versions[0]
        if when is not None:
            for v in versions:
                if v.at is None or _utc(v.at) <= _utc(when):
                    chosen = v
        out.append((chosen.article, ComparedVersion(article.id, chosen.index, chosen.at, len(versions))))
    return out


def _utc(d: datetime) -> datetime:
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)


# -- the document ------------------------------------------------------------------------------------------
