"""Reading the store for people: stories with their articles and the store's size (one article: api.articles)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from corroborator.api.comparisons import COMPARED_FLAG, comparison_key, independent_count, links_among
from corroborator.model import Article, Story
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.store.base import Store, StoryEvent, StoryFilter

EVENTS_LISTED = 20  # a story's merge/split history shown with it


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def article_row(a: Article) -> dict[str, Any]:
    # "url" is the page in the web app (the article's own URL is in the article's detail).
    return {
        "id": a.id,
        "external_id": a.external_id,
        "source": a.label,
        "title": a.title,
        "published": _iso(a.published),
        "url": f"/articles/{a.id}",
    }


def story_row(store: Store, story: Story, settings: Settings | None = None) -> dict[str, Any]:
    """A story as listed: its articles, outlets, independent sources and what its comparison says."""
    return story_rows(store, [story], settings)[0]


def story_rows(store: Store, stories: Sequence[Story], settings: Settings | None = None) -> list[dict[str, Any]]:
    """Rows of many stories from four batched reads (articles, flags, duplicate links, events), whatever
    their number: one query per story and kind costs little on SQLite but about a millisecond a round trip
    on PostgreSQL, which made a page of 50 stories take over a second there."""
    article_ids = [aid for s in stories for aid in s.article_ids]
    articles = {a.id: a for a in store.get_articles(article_ids)}
    flags = store.story_flags_of([s.id for s in stories])
    events = store.story_events_of([s.id for s in stories], EVENTS_LISTED)
    links = store.duplicate_links_from(article_ids)
    rows = []
    for story in stories:
        arts = [articles[aid] for aid in story.article_ids if aid in articles]
        story_flags = flags.get(story.id, {})
        compared = story_flags.get(COMPARED_FLAG)
        state = (
            "none" if compared is None else ("fresh" if compared == comparison_key(story, settings, store) else "stale")
        )
        rows.append(
            {
                "id": story.id,
                "title": story.title,
                "size": len(story.article_ids),
                "independent": independent_count(story.article_ids, links_among(story.article_ids, links)),
                "sources": sorted({a.label for a in arts}),
                "languages": sorted({a.language for a in arts if a.language}),
                "articles": [article_row(a) for a in arts],
                "first_published": _iso(story.first_published),
                "last_published": _iso(story.last_published),
                "disputed": story_flags.get("disputed") == "1",
                # A report says a party disputes one of the story's claims (no contradiction between reports).
                "contested": story_flags.get("contested") == "1",
                # Self-correction history (stories.correct): which stories merged into this one, or it split from.
                "merged_from": [x for x in story_flags.get("merged_from", "").split(",") if x],
                "split_from": story_flags.get("split_from") or None,
                # The same history as records (store.story_events): when, what, the other story, the trigger.
                "events": [_event_row(e, story.id) for e in events.get(story.id, [])],
                "comparison": state,
                "url": f"/stories/{story.id}",
            }
        )
    return rows


def _event_row(e: StoryEvent, story_id: str) -> dict[str, Any]:
    """A merge or split as listed with the story: ``at``, ``kind`` ("merge" or "split"), ``role`` (this
    story "kept" the other's articles in a merge / was "absorbed" into it; "left" when articles split out
    of it / "new" when it was split out of the other), ``other`` story, ``article`` whose arrival
    triggered it, ``articles`` moved."""
    mine = e.story_id == story_id
    role = ("kept" if mine else "absorbed") if e.kind == "merge" else ("left" if mine else "new")
    return {
        "at": _iso(e.at),
        "kind": e.kind,
        "role": role,
        "other": e.other_id if mine else e.story_id,
        "article": e.article_id,
        "articles": e.articles,
    }


def list_stories(store: Store, flt: StoryFilter, settings: Settings | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of stories (``flt.limit``/``flt.offset``) as rows, and how many match in all."""
    return story_rows(store, store.stories(flt), settings), store.count_stories(flt)


def story_articles(store: Store, story_id: str) -> tuple[Story, list[Article]]:
    """A story and its articles, in publication order (NotFound for an unknown id)."""
    story = store.story(story_id)
    return story, store.get_articles(story.article_ids)


def store_summary(store: Store) -> dict[str, Any]:
    return {"articles": store.count_articles(), "stories": store.count_stories(), "backend": store.backend}
