"""Ingest's side of article versions: which articles of a batch are later versions of stored ones, and
recording each (the store writes one version in one transaction: ``Store.add_version``).

Used by :func:`corroborator.pipeline.ingest_articles`, so ``ingest`` and ``watch`` both record versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from corroborator.identity import identity_keys
from corroborator.model import AnalysedArticle

if TYPE_CHECKING:
    from corroborator.store.base import Store

RecordOutcome = Literal["version", "duplicate", "none"]


def split_versions(
    store: Store, items: Sequence[AnalysedArticle]
) -> tuple[list[AnalysedArticle], list[AnalysedArticle]]:
    """(articles to store as new, later versions): an item is a later version when the store holds an
    article at its identity, or an earlier item of the batch has that identity (stored first)."""
    plain: list[AnalysedArticle] = []
    later: list[AnalysedArticle] = []
    seen: set[object] = set()
    for item in items:
        url, ext = identity_keys(item.article)
        key: object = url if url is not None else ext
        if key is not None and (key in seen or store.version_of(item.article) is not None):
            later.append(item)
            continue
        plain.append(item)
        if key is not None:
            seen.add(key)
    return plain, later


def record_version(store: Store, item: AnalysedArticle) -> RecordOutcome:
    """Record ``item`` as the next version of the stored article at its identity: "version", "duplicate"
    (a text that article already had), or "none" (no stored article there: store it as an article)."""
    article_id = store.version_of(item.article)
    if article_id is None:
        return "none"
    return "version" if store.add_version(article_id, item.article) == "version" else "duplicate"
