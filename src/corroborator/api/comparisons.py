"""Story comparisons over the store: compute with the store's caches, keep the result, refresh it in the background.

A comparison of a stored story is kept in the store (blob ``comparison:<story id>``: the JSON document and
the HTML report, with a key naming the articles it covered), and the story's ``disputed`` flag (a
contradiction between the reports) and ``contested`` flag (a report says a party disputes a claim) are set
from it, so the stories list can filter on and mark them without anyone opening the story. When a story gains an
article its kept comparison goes stale: readers are shown the stale one, marked as being refreshed,
while :class:`corroborator.api.refresher.Refresher` (one worker thread, a bounded queue) computes the new
one; the readers here only see it as a :class:`RefreshQueue`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from corroborator.errors import CorroboratorError, NotFound
from corroborator.independence import source_groups
from corroborator.model import Article, Fact, Sentence, Story
from corroborator.settings import Settings

if TYPE_CHECKING:
    import numpy as np

    from corroborator.compare import Comparison
    from corroborator.compare.alignment.align import Judge
    from corroborator.embed import Encoder
    from corroborator.store.base import DuplicateLink, Store

BLOB_PREFIX = "comparison:"
COMPARED_FLAG = "compared"  # story flag: the key of the kept comparison (lets a sweep find stale ones)
# Bumped when the kept documents change shape, so old ones are recomputed rather than served.
CACHE_VERSION = "1"


class RefreshQueue(Protocol):
    """What a reader asks of the background worker (:class:`corroborator.api.refresher.Refresher`)."""

    @property
    def running(self) -> bool: ...

    def request(self, story_id: str, *, urgent: bool = False) -> threading.Event | None:
        """Ask for a story to be (re)compared; the Event is set when done (None: the queue is full)."""

    def request_facts(self, article_id: str) -> threading.Event | None:
        """Ask for an article's facts, in front of the background work."""

    def enqueue(self, story_id: str) -> bool:
        """Ask for a story to be (re)compared in the background; True if it is queued or being compared."""


@dataclass(frozen=True, slots=True)
class KeptComparison:
    """A comparison as kept in the store. ``fresh``: it covers the story's current articles;
    ``refreshing``: it does not, and a newer one is being computed in the background."""

    story_id: str
    key: str
    document: dict[str, Any]
    html: str
    fresh: bool
    refreshing: bool = False

    @property
    def disputed(self) -> bool:
        return any(not c.get("precision_only") for c in self.document.get("conflicts", []))

    @property
    def contested(self) -> bool:
        return bool(self.document.get("contests"))


def comparison_key(story: Story, settings: Settings | None = None, store: Store | None = None) -> str:
    """What a kept comparison was computed from: the story's articles, and with ``store`` the number of
    versions of each (a new version makes the kept comparison stale). Settings are not part of it: the
    web app and the CLI read them from different places (environment, ``--set``), and a user who changes
    a comparison setting asks for a story with ``corroborator story``, which always computes afresh."""
    from corroborator.compare import SCHEMA_VERSION  # a new document shape makes every kept one stale

    parts: list[object] = [CACHE_VERSION, SCHEMA_VERSION, sorted(story.article_ids)]
    if store is not None:
        versioned = {a: n for a, n in store.version_counts(story.article_ids).items() if n > 1}
        if versioned:  # stories whose articles never changed keep the keys they had before versions
            parts.append(sorted(versioned.items()))
    text = json.dumps(parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def story_links(store: Store, article_ids: Sequence[str]) -> list[tuple[str, str]]:
    """The stored copy -> original links (exact and near duplicates) among ``article_ids``."""
    return links_among(article_ids, store.duplicate_links_from(article_ids))


def links_among(article_ids: Sequence[str], links: Iterable[DuplicateLink]) -> list[tuple[str, str]]:
    """The (copy, original) pairs of ``links`` whose two articles are both among ``article_ids``."""
    ids = set(article_ids)
    return [(dl.article_id, dl.original_id) for dl in links if dl.article_id in ids and dl.original_id in ids]


def independent_count(article_ids: Sequence[str], links: Sequence[tuple[str, str]]) -> int:
    """How many independent sources these articles are, given the copy -> original links among them."""
    return len(set(source_groups(list(article_ids), links).values()))


def independent_sources(store: Store, story: Story) -> int:
    """How many independent sources a story has by the stored duplicate links (rewrites need a comparison)."""
    return independent_count(story.article_ids, story_links(store, story.article_ids))


# -- computing ----------------------------------------------------------------------------------
def _cached_inputs(
    store: Store, articles: Sequence[Article], encoder: Encoder
) -> tuple[dict[str, tuple[Sentence, ...]], dict[str, tuple[Fact, ...]], dict[str, np.ndarray]]:
    """Sentences, facts and sentence vectors of stored articles: read from the store, computed and
    written back where missing, so the next comparison or check of these articles reuses them."""
    from corroborator.text.facts import FACTS_ANALYSER, extract_facts
    from corroborator.text.sentences import split_sentences

    sentences: dict[str, tuple[Sentence, ...]] = {}
    facts: dict[str, tuple[Fact, ...]] = {}
    vectors: dict[str, np.ndarray] = {}
    for a in articles:
        # A later version is no article row: its analysis is made here and not kept (history is rare).
        kept = store.has_article(a.id)
        sents = (tuple(store.sentences(a.id)) if kept else ()) or tuple(split_sentences(a))
        sentences[a.id] = sents
        cached = store.facts(a.id, FACTS_ANALYSER) if kept else None
        if cached is None:  # kept for the article page too (api.articles reads them)
            cached = list(extract_facts(a, sents))
            if kept:
                store.put_facts(a.id, FACTS_ANALYSER, cached)
        facts[a.id] = tuple(cached)
        vecs = store.sentence_vectors(a.id, encoder.name) if kept else None
        if vecs is None or len(vecs) != len(sents):
            vecs = encoder.encode([s.text for s in sents])
            if kept:
                store.put_sentence_vectors(a.id, encoder.name, vecs)
        vectors[a.id] = vecs
    return sentences, facts, vectors


def compare_story(
    store: Store,
    story_id: str,
    *,
    settings: Settings | None = None,
    judge: Judge | None = None,
    encoder: Encoder | None = None,
    as_of: datetime | None = None,
) -> Comparison:
    """Compare the articles of a stored story, keep the result in the store and set its ``disputed`` flag.

    Each article is read at its latest version (:mod:`corroborator.api.history`); with ``as_of``, at the
    version it had then, and the result is not kept (the kept comparison is the story as it reads now).
    ``Comparison.versions`` says which version of each article was read, ``Comparison.as_of`` the time asked.
    Raises NotFound for an unknown id, CorroboratorError for a story of one article.
    """
    from dataclasses import replace

    from corroborator.api.history import compared_versions
    from corroborator.compare import compare_articles

    settings = settings or Settings()
    story = store.story(story_id)
    read = compared_versions(store, story.article_ids, as_of)
    articles = [article for article, _ in read]
    if len(articles) < 2:
        raise CorroboratorError(f"story {story_id} has only {len(articles)} article; a comparison needs at least 2")
    if encoder is None:
        from corroborator.embed import get_encoder

        encoder = get_encoder()
    sentences, facts, vectors = _cached_inputs(store, articles, encoder)
    comparison = compare_articles(
        articles,
        settings=settings,
        judge=judge,
        encoder=encoder,
        sentences=sentences,
        facts=facts,
        sentence_vectors=vectors,
        links=_version_links(story_links(store, story.article_ids), story.article_ids, articles),
    )
    # Which version of each member was read (and the time asked for): plain data for the document.
    comparison = replace(comparison, versions={a.id: v for a, v in read}, as_of=as_of)
    if as_of is None:
        _keep(store, story, comparison, settings)
    return comparison


def _version_links(
    links: list[tuple[str, str]], members: Sequence[str], read: Sequence[Article]
) -> list[tuple[str, str]]:
    """Copy -> original links between story members, renamed to the versions the comparison reads."""
    name = {m: a.id for m, a in zip(members, read, strict=False)} if len(members) == len(read) else {}
    return [(name.get(a, a), name.get(b, b)) for a, b in links]


def _keep(store: Store, story: Story, comparison: Comparison, settings: Settings) -> None:
    from corroborator.render import render
    from corroborator.render.document import to_document

    key = comparison_key(story, settings, store)
    document = to_document(comparison)
    data = {"key": key, "document": document, "html": render(comparison, "html")}
    store.put_blob(BLOB_PREFIX + story.id, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    disputed = any(not c.precision_only for c in comparison.conflicts)
    store.set_story_flag(story.id, "disputed", "1" if disputed else "0")
    store.set_story_flag(story.id, "contested", "1" if comparison.contests else "0")
    store.set_story_flag(story.id, COMPARED_FLAG, key)


def kept_comparison(store: Store, story_id: str, settings: Settings | None = None) -> KeptComparison | None:
    """The comparison kept for a story (fresh or stale), or None when it was never compared."""
    story = store.story(story_id)
    data = store.get_blob(BLOB_PREFIX + story.id)
    if not data:
        return None
    try:
        kept = json.loads(data.decode("utf-8"))
        document, html, key = kept["document"], kept["html"], kept["key"]
    except (ValueError, KeyError, TypeError):
        return None  # damaged or from an older shape: recomputed by the caller
    return KeptComparison(story.id, key, document, html, fresh=key == comparison_key(story, settings, store))


def stale_stories(store: Store, settings: Settings | None = None) -> list[str]:
    """Stories with two or more independent sources whose kept comparison is missing or out of date."""
    from corroborator.store.base import StoryFilter

    out = []
    for story in store.stories(StoryFilter(min_size=2)):
        if store.story_flags(story.id).get(COMPARED_FLAG) == comparison_key(story, settings, store):
            continue
        if independent_sources(store, story) >= 2:
            out.append(story.id)
    return out


class Pending(CorroboratorError):
    """A story's first comparison is still being computed; ask again in a moment."""

    def __init__(self, story_id: str, retry_after: float) -> None:
        self.story_id = story_id
        self.retry_after = retry_after
        super().__init__(f"story {story_id} is being compared for the first time; ask again in a few seconds")


def story_comparison(
    store: Store,
    story_id: str,
    settings: Settings | None = None,
    refresher: RefreshQueue | None = None,
    *,
    wait: float = 30.0,
) -> KeptComparison:
    """The story's comparison for a reader.

    - a fresh kept comparison: returned at once;
    - a stale one (the story gained articles): returned at once, marked ``refreshing``, while
      ``refresher`` computes the new one;
    - none yet: with a running ``refresher``, the story goes to the front of its queue and the reader
      waits up to ``wait`` seconds for it (then :class:`Pending`); without one it is computed here.
    """
    kept = kept_comparison(store, story_id, settings)
    if kept is not None and kept.fresh:
        return kept
    if kept is not None and refresher is not None and refresher.enqueue(kept.story_id):
        return KeptComparison(kept.story_id, kept.key, kept.document, kept.html, fresh=False, refreshing=True)
    if refresher is not None and refresher.running:
        story = store.story(story_id)
        if len(story.article_ids) < 2:
            raise CorroboratorError(f"story {story.id} has only 1 article; a comparison needs at least 2")
        event = refresher.request(story.id, urgent=True)
        if event is not None and event.wait(wait):
            again = kept_comparison(store, story.id, settings)
            if again is not None:
                return again
        if event is not None and not event.is_set():
            raise Pending(story.id, retry_after=2.0)
    compare_story(store, story_id, settings=settings)
    again = kept_comparison(store, story_id, settings)
    if again is None:  # put_blob then get_blob on the same store: only a concurrent recluster gets here
        raise NotFound(f"story {story_id} changed while it was being compared; try again")
    return again
