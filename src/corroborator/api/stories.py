"""Reading the store for people: stories with their articles and the store's size (one article: api.articles)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from corroborator.api.comparisons import COMPARED_FLAG, comparison_key, independent_sources
from corroborator.model import Article, Story
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.store.base import Store, StoryFilter

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
    arts = store.get_articles(story.article_ids)  # one query for the story's articles
    flags = store.story_flags(story.id)
    compared = flags.get(COMPARED_FLAG)
    state = "none" if compared is None else ("fresh" if compared == comparison_key(story, settings) else "stale")
    return {
        "id": story.id,
        "title": story.title,
        "size": len(story.article_ids),
        "independent": independent_sources(store, story),
        "sources": sorted({a.label for a in arts}),
        "languages": sorted({a.language for a in arts if a.language}),
        "articles": [article_row(a) for a in arts],
        "first_published": _iso(story.first_published),
        "last_published": _iso(story.last_published),
        "disputed": flags.get("disputed") == "1",
        # Self-correction history (stories.correct): which stories merged into this one, or it split from.
        "merged_from": [x for x in flags.get("merged_from", "").split(",") if x],
        "split_from": flags.get("split_from") or None,
        # The same history as records (store.story_events): when, what, the other story, the trigger.
        "events": story_events(store, story.id),
        "comparison": state,
        "url": f"/stories/{story.id}",
    }


def story_events(store: Store, story_id: str, limit: int = EVENTS_LISTED) -> list[dict[str, Any]]:
    """The story's merges and splits, oldest first: ``at``, ``kind`` ("merge" or "split"), ``role`` (this
    story "kept" the other's articles in a merge / was "absorbed" into it; "left" when articles split out
    of it / "new" when it was split out of the other), ``other`` story, ``article`` whose arrival
    triggered it, ``articles`` moved."""
    out = []
    for e in store.story_events(story_id, limit):
        mine = e.story_id == story_id
        role = ("kept" if mine else "absorbed") if e.kind == "merge" else ("left" if mine else "new")
        out.append(
            {
                "at": _iso(e.at),
                "kind": e.kind,
                "role": role,
                "other": e.other_id if mine else e.story_id,
                "article": e.article_id,
                "articles": e.articles,
            }
        )
    return out


def list_stories(store: Store, flt: StoryFilter, settings: Settings | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of stories (``flt.limit``/``flt.offset``) as rows, and how many match in all."""
    return [story_row(store, s, settings) for s in store.stories(flt)], store.count_stories(flt)


def story_articles(store: Store, story_id: str) -> tuple[Story, list[Article]]:
    """A story and its articles, in publication order (NotFound for an unknown id)."""
    story = store.story(story_id)
    return story, store.get_articles(story.article_ids)


def store_summary(store: Store) -> dict[str, Any]:
    return {"articles": store.count_articles(), "stories": store.count_stories(), "backend": store.backend}
