"""Stories, moves, flags, filters and duplicate links in the store, on both backends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from corroborator.errors import NotFound
from corroborator.store import DuplicateLink, Store, StoryFilter, open_store
from test_store_support import BACKENDS, fresh_location, item_for

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends

T0 = datetime(2021, 6, 1, 8, 0, tzinfo=UTC)


def _day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def test_store_story_lifecycle_keeps_size_and_span(store: Store) -> None:
    a = item_for("mine ban", 1, published=_day(2), source="Post", title="Mine ban lifted")
    b = item_for("mine ban", 2, published=_day(0), source="Wire", title="Pentagon memo")
    c = item_for("mine ban", 3, source="Blog", title="Undated take")
    store.add([a, b, c])
    sid = store.new_story("Mine ban lifted", a.article.id, 1.0)
    assert re.fullmatch(r"s[0-9a-f]{10}", sid)
    assert store.story_of(a.article.id) == sid
    assert store.story_of(b.article.id) is None
    store.assign(b.article.id, sid, 0.8)
    store.assign(c.article.id, sid, 0.6)
    story = store.story(sid)
    assert story.title == "Mine ban lifted"
    assert story.article_ids == (b.article.id, a.article.id, c.article.id)  # by publication, undated last
    assert story.first_published == _day(0) and story.last_published == _day(2)
    assert store.count_stories(StoryFilter(min_size=3)) == 1
    store.set_story_title(sid, "US lifts anti-personnel mine ban")
    assert store.story(sid).title == "US lifts anti-personnel mine ban"


def test_store_moves_update_both_stories(store: Store) -> None:
    a = item_for("strike", 1, published=_day(0))
    b = item_for("strike", 2, published=_day(5))
    c = item_for("strike", 3, published=_day(9))
    store.add([a, b, c])
    s1 = store.new_story("Strike", a.article.id)
    store.assign(b.article.id, s1, 0.9)
    s2 = store.new_story("Strike talks", c.article.id)
    assert s1 != s2
    store.assign(b.article.id, s2, 0.7)  # move
    one, two = store.story(s1), store.story(s2)
    assert one.article_ids == (a.article.id,) and one.last_published == _day(0)
    assert two.article_ids == (b.article.id, c.article.id)
    assert (two.first_published, two.last_published) == (_day(5), _day(9))
    assert store.count_stories(StoryFilter(min_size=2)) == 1
    # Moving a story's last article away removes the empty story.
    store.assign(a.article.id, s2, 0.5)
    with pytest.raises(NotFound, match="corroborator stories --db"):
        store.story(s1)
    assert store.story(s2).article_ids == (a.article.id, b.article.id, c.article.id)
    assert store.count_stories() == 1
    # new_story on an article already in a story moves it out too.
    s3 = store.new_story("Strike ends", c.article.id)
    assert store.story(s2).article_ids == (a.article.id, b.article.id)
    assert store.story(s3).article_ids == (c.article.id,)
    assert store.story(s2).last_published == _day(5)


def test_store_story_ids_are_stable(location: str) -> None:
    a = item_for("election", 1)
    with open_store(location) as store:
        store.add([a])
        first = store.new_story("Election", a.article.id)
        store.clear_stories()
        assert store.count_stories() == 0
        assert store.new_story("Election", a.article.id) == first
    with open_store(location) as store:
        assert store.story(first).article_ids == (a.article.id,)


def test_store_unknown_ids_raise_not_found(store: Store) -> None:
    a = item_for("quarry", 1)
    store.add([a])
    sid = store.new_story("Quarry", a.article.id)
    with pytest.raises(NotFound, match="no story 'snope'"):
        store.story("snope")
    with pytest.raises(NotFound):
        store.assign(a.article.id, "snope", 1.0)
    with pytest.raises(NotFound):
        store.assign("0" * 16, sid, 1.0)
    with pytest.raises(NotFound):
        store.new_story("Ghost", "0" * 16)
    with pytest.raises(NotFound):
        store.set_story_flag("snope", "disputed", "1")
    with pytest.raises(NotFound):
        store.set_story_title("snope", "x")
    assert store.story(sid).article_ids == (a.article.id,)  # failed calls changed nothing


def _populate(store: Store) -> dict[str, str]:
    items = {
        "dam_post": item_for("dam", 1, published=_day(0), source="Post", title="Dam inspection ordered"),
        "dam_wire": item_for("dam", 2, published=_day(1), source="Wire", title="Engineers check the dam"),
        "dam_blog": item_for("dam", 3, published=_day(2), source="Blog", title="Why the dam matters"),
        "zoo_wire": item_for("zoo", 4, published=_day(10), source="Wire", title="Zoo welcomes panda cub"),
        "zoo_post": item_for("zoo", 5, published=_day(11), source="Post", title="Cub named by public vote"),
        "tax_blog": item_for("tax", 6, published=_day(20), source="Blog", title="Tax bill advances"),
        "undated": item_for("fog", 7, source="Wire", title="Fog delays ferries"),
    }
    store.add(list(items.values()))
    aid = {k: v.article.id for k, v in items.items()}
    stories = {
        "dam": store.new_story("Dam inspection", aid["dam_post"]),
        "zoo": store.new_story("Panda cub at the zoo", aid["zoo_wire"]),
        "tax": store.new_story("Tax bill", aid["tax_blog"]),
        "fog": store.new_story("Fog", aid["undated"]),
    }
    store.assign(aid["dam_wire"], stories["dam"], 0.9)
    store.assign(aid["dam_blog"], stories["dam"], 0.8)
    store.assign(aid["zoo_post"], stories["zoo"], 0.7)
    store.set_story_flag(stories["dam"], "disputed", "1")
    store.set_story_flag(stories["zoo"], "disputed", "0")
    store.set_story_flag(stories["tax"], "disputed", "1")
    store.set_story_flag(stories["tax"], "disputed", "0")  # overwritten
    return stories


@pytest.fixture(scope="module", params=BACKENDS)
def populated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, dict[str, str]]]:
    """One populated store per backend, shared by the read-only filter cases."""
    with (
        fresh_location(request.param, tmp_path_factory.mktemp("stories")) as where,
        open_store(where) as opened,
    ):
        yield opened, _populate(opened)


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (StoryFilter(), ["tax", "zoo", "dam", "fog"]),  # newest activity first, undated last
        (StoryFilter(since=_day(11)), ["tax", "zoo"]),  # the zoo story is active until day 11
        (StoryFilter(until=_day(10)), ["zoo", "dam"]),
        (StoryFilter(since=_day(1), until=_day(1)), ["dam"]),  # an overlapping span counts
        (StoryFilter(source="Post"), ["zoo", "dam"]),
        (StoryFilter(source="Wire"), ["zoo", "dam", "fog"]),
        (StoryFilter(query="PANDA"), ["zoo"]),  # story title
        (StoryFilter(query="public vote"), ["zoo"]),  # an article title, every word
        (StoryFilter(query="engineers dam"), ["dam"]),
        (StoryFilter(query="engineers panda"), []),
        (StoryFilter(min_size=2), ["zoo", "dam"]),
        (StoryFilter(min_size=3), ["dam"]),
        (StoryFilter(disputed_only=True), ["dam"]),
        (StoryFilter(source="Blog", disputed_only=True), ["dam"]),
        (StoryFilter(limit=2), ["tax", "zoo"]),
        (StoryFilter(limit=2, offset=2), ["dam", "fog"]),
        (StoryFilter(offset=3), ["fog"]),
    ],
)
def test_store_story_filters(populated: tuple[Store, dict[str, str]], flt: StoryFilter, expected: list[str]) -> None:
    store, stories = populated
    got = store.stories(flt)
    assert [s.id for s in got] == [stories[name] for name in expected]
    unpaged = StoryFilter(flt.since, flt.until, flt.source, flt.query, flt.min_size, flt.disputed_only)
    assert store.count_stories(flt) == len(store.stories(unpaged))
    assert store.story_flags(stories["tax"]) == {"disputed": "0"}
    assert store.story_flags(stories["fog"]) == {}


def test_store_stories_carry_members(populated: tuple[Store, dict[str, str]]) -> None:
    store, stories = populated
    by_id = {s.id: s for s in store.stories()}
    assert len(by_id[stories["dam"]].article_ids) == 3
    assert by_id[stories["zoo"]].first_published == _day(10)
    assert by_id[stories["fog"]].first_published is None
    assert by_id[stories["dam"]] == store.story(stories["dam"])


def test_store_duplicate_links_and_clear(store: Store) -> None:
    a, b, c = item_for("wire copy", 1), item_for("wire copy", 2), item_for("wire copy", 3)
    store.add([a, b, c])
    ida, idb, idc = a.article.id, b.article.id, c.article.id
    sid = store.new_story("Wire copy", ida)
    store.assign(idb, sid, 1.0)
    store.set_story_flag(sid, "disputed", "1")
    store.link_duplicate(DuplicateLink(idb, ida, "exact", 1.0))
    store.link_duplicate(DuplicateLink(idc, ida, "near", 0.82))
    store.link_duplicate(DuplicateLink(idc, ida, "near", 0.91))  # updated, not doubled
    assert store.duplicate_links(idb) == [DuplicateLink(idb, ida, "exact", 1.0)]
    assert sorted(store.duplicate_links(ida), key=lambda link: link.article_id) == sorted(
        [DuplicateLink(idb, ida, "exact", 1.0), DuplicateLink(idc, ida, "near", 0.91)],
        key=lambda link: link.article_id,
    )
    assert len(store.duplicate_links()) == 2
    with pytest.raises(NotFound):
        store.link_duplicate(DuplicateLink("0" * 16, ida, "exact", 1.0))
    store.clear_stories()
    assert store.duplicate_links() == []
    assert store.count_stories() == 0 and store.stories() == []
    assert store.story_of(ida) is None
    assert store.count_articles() == 3  # articles stay
    assert store.count_stories(StoryFilter(disputed_only=True)) == 0
