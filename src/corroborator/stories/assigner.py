"""Incremental story assignment at ingest, backed by the store.

``StoryAssigner.assign`` decides for one newly stored article: a near-copy of a stored article joins its
original's story (and is linked as a duplicate), otherwise the article joins the best-scoring candidate
story when its score reaches ``story_min_probability`` (the learned decision; ``story_threshold`` for
the hand weights), else it opens a story. Then, with ``story_self_correct``, the stories it touched are
re-checked (:mod:`corroborator.stories.correct`): two stories it bridges may merge, its story may split;
each is recorded in the store's ``story_events`` (time, kind, both stories, the triggering article), as
story flags (``merged_from``, ``split_from``, ``split_into``) and in ``StoryAssigner.events``. The index
(see :mod:`corroborator.stories.index`) is persisted in the store as
the blob ``stories.index``; a new assigner loads it and only indexes the articles stored since it was
saved, so a second ingest run continues where the first stopped.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import numpy as np

from corroborator.model import AnalysedArticle, Article
from corroborator.settings import Settings
from corroborator.stories.index import Decision, Features, Params, StoryIndex

if TYPE_CHECKING:
    from corroborator.store.base import Store
    from corroborator.stories.correct import Merge as correct_Merge
    from corroborator.stories.correct import Split as correct_Split

BLOB = "stories.index"
TITLE_CHARS = 120
FLAG_VALUES = 20  # story ids kept in a merged_from / split_into flag


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """A self-correction: ``merge`` (``other`` merged into ``story``) or ``split`` (``other`` left ``story``)."""

    kind: Literal["merge", "split"]
    story: str
    other: str
    article_id: str  # the article whose arrival triggered it
    articles: int  # how many articles moved


@dataclass(frozen=True, slots=True)
class Assignment:
    article_id: str
    story_id: str
    score: float
    opened: bool
    duplicate_of: str | None = None
    duplicate_kind: Literal["exact", "near"] | None = None


def features_of(article: Article, vector: object, minhash: object, entities: Iterable[str]) -> Features:
    """Decision inputs from an article and its stored or freshly computed signals."""
    vec = None if vector is None else np.asarray(vector, dtype=np.float32)
    if vec is not None:
        norm = float(np.linalg.norm(vec))
        vec = vec / norm if norm > 0 else None
    sig = None if minhash is None else np.asarray(minhash, dtype=np.uint64)
    text = f"{article.title}\n{article.text}" if article.title else article.text
    return Features(
        article_id=article.id,
        text=text,
        vector=vec,
        minhash=sig,
        entities=tuple(e for e in entities if e),
        day=_day(article.published),
        source=article.source,
        language=article.language,
    )


def _day(published: datetime | None) -> int | None:
    return None if published is None else published.date().toordinal()


def story_title(article: Article) -> str:
    """A story is named after its first article: its title, else its first line that is not a URL."""
    if article.title and article.title.strip():
        return article.title.strip()[:TITLE_CHARS]
    for line in article.text.strip().split("\n", 5):
        line = line.strip()
        if line and not line.startswith(("http://", "https://", "www.")):
            return line[:TITLE_CHARS]
    return article.id


class StoryAssigner:
    """Assign stored articles to stories, one at a time, keeping the index in step with the store."""

    def __init__(self, store: Store, settings: Settings | None = None, *, catch_up: bool = True) -> None:
        self.store = store
        self._catch_up_on_open = catch_up
        self.settings = settings or Settings()
        self.params = Params.from_settings(self.settings)
        # What happened on open, for callers and tests: whether the persisted index was used, whether
        # it had to be rebuilt from the store, and how many stored articles were indexed to catch up.
        self.loaded = False
        self.rebuilt = False
        self.caught_up = 0
        # Merges and splits made by this assigner, in order (also recorded as story flags in the store).
        self.events: list[StoryEvent] = []
        self.index = self._open()

    # -- opening ----------------------------------------------------------------------------
    def _open(self) -> StoryIndex:
        data = self.store.get_blob(BLOB)
        index: StoryIndex | None = None
        if data:
            try:
                index = StoryIndex.from_bytes(data, self.params)
                self.loaded = True
            except (ValueError, KeyError, OSError):
                index = None  # an older or damaged index: rebuilt below from what the store holds
        stored = self.store.count_articles()
        if index is None or len(index) > stored or index.num_perm != self.settings.minhash_perm:
            index = StoryIndex(self.params, self.settings.minhash_perm)
            self.loaded = False
            self.rebuilt = stored > 0
        self.index = index
        if self._catch_up_on_open and stored > len(index):
            # Articles are indexed in ingest order, so the ones stored after the save are the tail.
            for article in itertools.islice(self.store.iter_articles(), len(index), None):
                if article.id in index.pos:
                    continue
                self._catch_up(article)
                self.caught_up += 1
        return index

    def _catch_up(self, article: Article) -> None:
        feats = self._stored_features(article)
        story = self.store.story_of(article.id)
        if story is None:
            self._assign_features(feats, article)
            return
        links = [link for link in self.store.duplicate_links(article.id) if link.article_id == article.id]
        self.index.add(self.index.prepare(feats), story, links[0].original_id if links else None)

    def _stored_features(self, article: Article) -> Features:
        return features_of(
            article,
            self.store.article_vector(article.id),
            self.store.article_minhash(article.id),
            self.store.lead_entities(article.id),
        )

    # -- assignment -------------------------------------------------------------------------
    def assign(self, item: AnalysedArticle) -> Assignment:
        """Assign a newly stored article (its id must be in the store) and index it."""
        article = item.article
        if article.id in self.index.pos:
            story = self.index.story_of[self.index.pos[article.id]]
            return Assignment(article.id, story, 1.0, opened=False)
        return self._assign_features(features_of(article, item.vector, item.minhash, item.lead_entities), article)

    def assign_stored(self, article: Article) -> Assignment:
        """Assign an article already in the store, reading its signals from the store."""
        return self._assign_features(self._stored_features(article), article)

    def _assign_features(self, feats: Features, article: Article) -> Assignment:
        from corroborator.store.base import DuplicateLink

        prepared = self.index.prepare(feats)
        decision: Decision = self.index.decide(prepared)
        if decision.story is None:
            story = self.store.new_story(story_title(article), article.id, 1.0)
            self.index.add(prepared, story)
            return Assignment(article.id, story, 1.0, opened=True)
        self.store.assign(article.id, decision.story, decision.score)
        if decision.duplicate_of is not None:
            self.store.link_duplicate(
                DuplicateLink(article.id, decision.duplicate_of, "near", decision.duplicate_similarity)
            )
        self.index.add(prepared, decision.story, decision.duplicate_of)
        if self.settings.story_self_correct and decision.duplicate_of is None:
            self._correct(article.id, decision)
        return Assignment(
            article.id,
            decision.story,
            decision.score,
            opened=False,
            duplicate_of=decision.duplicate_of,
            duplicate_kind="near" if decision.duplicate_of else None,
        )

    # -- self-correction ---------------------------------------------------------------------
    def _correct(self, article_id: str, decision: Decision) -> None:
        """Merge what the article bridges, then split its story if it drifted (see stories.correct)."""
        from corroborator.stories import correct

        story = decision.story
        assert story is not None
        pos = self.index.pos[article_id]
        for m in correct.plan_merges(self.index, story, decision.also, pos):
            self._merge(m, article_id)
            story = m.into
        story = self.index.story_of[pos]
        if correct.should_check_split(self.index, story, decision.score):
            plan = correct.plan_split(self.index, story)
            if plan is not None:
                self._split(plan, article_id)

    def _merge(self, m: correct_Merge, article_id: str) -> None:
        moved = list(self.index.members.get(m.absorbed, []))
        for j in moved:
            aid = self.index.ids[j]
            self.store.assign(aid, m.into, 1.0)
            self.index.move_story(aid, m.into)
        self._add_flag(m.into, "merged_from", m.absorbed)
        self._record(StoryEvent("merge", m.into, m.absorbed, article_id, len(moved)))

    def _split(self, plan: correct_Split, article_id: str) -> None:
        for part in plan.parts:
            ids = [self.index.ids[j] for j in part]
            first = self.store.get_article(ids[0])
            new = self.store.new_story(story_title(first), ids[0], 1.0)
            self.index.move_story(ids[0], new)
            for aid in ids[1:]:
                self.store.assign(aid, new, 1.0)
                self.index.move_story(aid, new)
            self._add_flag(new, "split_from", plan.story)
            self._add_flag(plan.story, "split_into", new)
            self._record(StoryEvent("split", plan.story, new, article_id, len(ids)))

    def _record(self, event: StoryEvent) -> None:
        """Keep the event for the caller and write it to the store's story_events (time, stories, trigger)."""
        from corroborator.store.base import StoryEvent as StoredEvent

        self.events.append(event)
        # A store without an events table still has the flags.
        with contextlib.suppress(NotImplementedError):
            self.store.add_story_event(
                StoredEvent(event.kind, event.story, event.other, event.article_id, event.articles)
            )

    def _add_flag(self, story: str, name: str, value: str) -> None:
        try:
            current = self.store.story_flags(story).get(name, "")
        except NotImplementedError:
            current = ""
        values = [v for v in current.split(",") if v]
        if value not in values:
            values.append(value)
        self.store.set_story_flag(story, name, ",".join(values[-FLAG_VALUES:]))

    def save(self) -> None:
        """Persist the index so the next assigner continues from here."""
        # Through a temporary file: the saved index is tens of MB at tens of thousands of articles, and
        # the store streams a file in where it can instead of holding a second copy (issue 13's 1 GB).
        with tempfile.TemporaryFile() as fh:
            self.index.write(fh)
            self.store.put_blob(BLOB, fh)


def independent_articles(store: Store, story_id: str) -> list[str]:
    """One article per independent source of the story (the first in story order of each group of copies),
    grouped by :func:`corroborator.independence.source_groups` like every other independence count."""
    from corroborator.independence import source_groups

    members = list(store.story(story_id).article_ids)
    links = [(link.article_id, link.original_id) for aid in members for link in store.duplicate_links(aid)]
    groups = source_groups(members, links)
    seen: set[str] = set()
    out = []
    for a in members:
        if groups[a] not in seen:
            seen.add(groups[a])
            out.append(a)
    return out


def recluster(
    store: Store,
    settings: Settings | None = None,
    progress: bool = True,
    on_article: Callable[[int, int], None] | None = None,
) -> int:
    """Forget every story and assign all stored articles again in publication order; returns stories made.

    For a user who changed thresholds: the articles and their signals stay, only decisions are redone.
    """
    settings = settings or Settings()
    store.clear_stories()
    store.put_blob(BLOB, b"")
    assigner = StoryAssigner(store, settings, catch_up=False)
    total = store.count_articles()
    page = 500

    def pages() -> Iterable[Article]:
        for offset in range(0, total, page):
            yield from store.articles(limit=page, offset=offset)

    opened = 0
    done = 0
    bar = _progress(progress, total)
    try:
        for article in pages():
            opened += int(assigner.assign_stored(article).opened)
            done += 1
            if bar is not None:
                bar[0].update(bar[1], completed=done)
            if on_article is not None:
                on_article(done, total)
    finally:
        if bar is not None:
            bar[0].stop()
    assigner.save()
    return opened


def _progress(enabled: bool, total: int):  # type: ignore[no-untyped-def]
    if not enabled or total == 0:
        return None
    from rich.progress import Progress

    prog = Progress(transient=True)
    prog.start()
    return prog, prog.add_task("reclustering", total=total)
