"""Quote provenance over the store: every article's quotes clustered (:mod:`corroborator.provenance.quotes`).

Facts are read from the store's facts cache and made where missing (as a comparison does, and kept, so
the article page and later comparisons reuse them); sentence vectors of the quotes come from the
multilingual encoder. The clustering of one set of articles is kept in this process (the last few sets),
so the web pages of one store cluster once; stories are read afresh on every call, since a recluster
changes them without changing the articles.

Only existing Store reads are used: ``iter_articles``, ``sentences``, ``facts``/``put_facts`` (through
:func:`corroborator.api.articles.make_facts`) and ``story_of``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corroborator.errors import NotFound
from corroborator.provenance.quote_json import cluster_dict, quotes_document
from corroborator.provenance.quotes import QuoteCluster, QuoteItem, cluster_quotes, collect_quotes, filter_clusters
from corroborator.provenance.quotes import with_stories as _with_stories

if TYPE_CHECKING:
    from corroborator.embed import Encoder
    from corroborator.store.base import Store

log = logging.getLogger(__name__)

_KEPT = 4  # clusterings kept in this process (one per set of articles)
_kept: OrderedDict[str, tuple[list[QuoteCluster], int, int]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class QuoteReport:
    clusters: list[QuoteCluster]  # filtered, largest first
    articles: int  # articles read
    quotes: int  # quotes clustered (all, before filtering)
    filters: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return quotes_document(self.clusters, articles=self.articles, quotes=self.quotes, filters=self.filters)


def _items(store: Store) -> tuple[list[QuoteItem], set[str], list[str]]:
    from corroborator.api.articles import make_facts
    from corroborator.text.facts import FACTS_ANALYSER

    items: list[QuoteItem] = []
    outlets: set[str] = set()
    ids: list[str] = []
    for article in store.iter_articles():
        ids.append(article.id)
        if article.source:
            outlets.add(article.source)
        try:
            facts = store.facts(article.id, FACTS_ANALYSER)
            if facts is None:
                make_facts(store, article.id)
                facts = store.facts(article.id, FACTS_ANALYSER) or []
            items.extend(collect_quotes(article, store.sentences(article.id), facts))
        except Exception as exc:  # one bad article must not take every quote page down with it
            log.warning("quotes: article %s skipped: %s", article.id, exc)
    return items, outlets, ids


def all_clusters(store: Store, encoder: Encoder | None = None) -> tuple[list[QuoteCluster], int, int]:
    """Every quote cluster of the store (singletons included), the articles read and the quotes found."""
    items, outlets, ids = _items(store)
    key = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            clusters, n_articles, n_quotes = _kept[key]
            return clusters, n_articles, n_quotes
    vectors = None
    if items:
        from corroborator.embed import get_encoder

        vectors = (encoder or get_encoder()).encode([i.text for i in items])
    clusters = cluster_quotes(items, vectors, outlets)
    with _lock:
        _kept[key] = (clusters, len(ids), len(items))
        while len(_kept) > _KEPT:
            _kept.popitem(last=False)
    return clusters, len(ids), len(items)


def _stories(store: Store, clusters: list[QuoteCluster]) -> list[QuoteCluster]:
    ids = {a.article_id for c in clusters for a in c.appearances}
    stories = {aid: store.story_of(aid) for aid in ids}
    return [_with_stories(c, stories) for c in clusters]


def quote_report(
    store: Store,
    *,
    speaker: str | None = None,
    story: str | None = None,
    article: str | None = None,
    min_size: int = 2,
    encoder: Encoder | None = None,
) -> QuoteReport:
    """Quote clusters of the store with at least ``min_size`` articles, of ``speaker`` (a name as any
    outlet credits it), with an appearance in ``story`` and in ``article`` (an id, prefix or external id)."""
    if story is not None:
        store.story(story)  # NotFound names how to list story ids
    article_id = store.get_article(article).id if article is not None else None
    clusters, n_articles, n_quotes = all_clusters(store, encoder)
    chosen = filter_clusters(clusters, speaker=speaker, article=article_id, min_size=min_size)
    chosen = _stories(store, chosen)
    if story is not None:
        chosen = filter_clusters(chosen, story=story)
    filters = {"speaker": speaker, "story": story, "article": article_id, "min_size": min_size}
    return QuoteReport(chosen, n_articles, n_quotes, filters)


def quote_cluster(store: Store, key: str, encoder: Encoder | None = None) -> QuoteCluster:
    """One cluster by its key (see ``corroborator quotes``)."""
    clusters, _, _ = all_clusters(store, encoder)
    for c in clusters:
        if c.key == key:
            return _stories(store, [c])[0]
    raise NotFound(f"no quote cluster {key!r}; list them with: corroborator quotes --db FILE")


def quote_cluster_dict(cluster: QuoteCluster) -> dict[str, Any]:
    from corroborator.provenance.quote_json import QUOTES_SCHEMA

    return {"schema": QUOTES_SCHEMA, **cluster_dict(cluster)}
