"""Articles in the store, on both backends: add, dedup, atomicity, look-ups, filters, caches."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from conftest import shared_path
from corroborator.errors import NotFound
from corroborator.model import Article, Fact, Sentence, content_hash
from corroborator.store import AmbiguousReference, Store
from test_store_support import item_for, make_item, report_sentences

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends


def test_store_add_new_then_duplicate(store: Store) -> None:
    a, b, c = item_for("harbour", 1), item_for("harbour", 2), item_for("harbour", 3)
    assert store.add([a, b]) == ["new", "new"]
    assert store.add([a, c]) == ["duplicate", "new"]
    assert store.add([c, c]) == ["duplicate", "duplicate"]
    d = item_for("harbour", 4)
    assert store.add([d, d]) == ["new", "duplicate"]  # a duplicate inside one batch
    assert store.count_articles() == 4
    assert store.add([]) == []
    # The duplicate wrote nothing: the first copy's metadata stays.
    relabelled = replace(a, article=replace(a.article, source="Someone Else"))
    assert store.add([relabelled]) == ["duplicate"]
    assert store.get_article(a.article.id).source is None


def test_store_article_round_trips_exactly(store: Store) -> None:
    published = datetime(2019, 3, 14, 9, 26, 53, 589000, tzinfo=timezone(timedelta(hours=-5)))
    item = item_for(
        "bridge closure",
        7,
        n=6,
        source="The Valley Courier",
        url="https://courier.example/bridge",
        title="Bridge closes for repairs",
        byline="R. Okafor",
        published=published,
        language="en",
        external_id="rec-7",
        origin="feed.xml#3",
        lead_entities=("Valley Courier", "Zürich"),
    )
    naive = item_for("bridge closure", 8, published=datetime(2019, 3, 15, 12, 0))
    assert store.add([item, naive]) == ["new", "new"]
    got = store.get_article(item.article.id)
    assert got == item.article
    assert got.published is not None and got.published.utcoffset() == timedelta(hours=-5)
    assert store.get_article(naive.article.id) == naive.article  # naive stays naive
    assert store.sentences(item.article.id) == list(item.sentences)
    assert store.has_article(item.article.id)
    assert not store.has_article("0" * 16)
    vec = store.article_vector(item.article.id)
    assert vec is not None and vec.dtype == np.float32
    assert np.array_equal(vec, np.asarray(item.vector, dtype=np.float32))
    mh = store.article_minhash(item.article.id)
    assert mh is not None and mh.tolist() == list(item.minhash or ())
    assert store.lead_entities(item.article.id) == ("Valley Courier", "Zürich")
    assert store.sentences("0" * 16) == []
    assert store.article_vector("0" * 16) is None


def test_store_article_without_signals(store: Store) -> None:
    bare = replace(item_for("quiet", 1), vector=None, minhash=None, lead_entities=())
    no_sentences = replace(item_for("quiet", 2), sentences=())
    assert store.add([bare, no_sentences]) == ["new", "new"]
    assert store.article_vector(bare.article.id) is None
    assert store.article_minhash(bare.article.id) is None
    assert store.lead_entities(bare.article.id) == ()
    assert store.sentences(no_sentences.article.id) == []


def test_store_vector_encoder_is_recorded(store: Store) -> None:
    a, b = item_for("ferry", 1), item_for("ferry", 2)
    store.add([a], encoder="test.encoder.v1")
    store.add([b])  # the default encoder name
    assert store.article_vector(a.article.id, "test.encoder.v1") is not None
    assert store.article_vector(a.article.id, "embed.use-m3.v1") is None
    assert store.article_vector(b.article.id, "embed.use-m3.v1") is not None
    both = store.article_vectors([a.article.id, b.article.id, "f" * 16])
    assert set(both) == {a.article.id, b.article.id}
    only = store.article_vectors([a.article.id, b.article.id], encoder="test.encoder.v1")
    assert set(only) == {a.article.id}
    assert np.array_equal(only[a.article.id], np.asarray(a.vector, dtype=np.float32))


def test_store_bad_article_rolls_back_alone(store: Store) -> None:
    good1, good2 = item_for("flood", 1), item_for("flood", 2)
    bad_db = item_for("flood", 3)
    # Two sentences with the same index: the database refuses the second mid-article.
    clash = replace(bad_db, sentences=(bad_db.sentences[0], replace(bad_db.sentences[1], index=0)))
    bad_span = item_for("flood", 4)
    wrong = replace(bad_span, sentences=(replace(bad_span.sentences[0], end=bad_span.sentences[0].end + 5),))
    nul = make_item(["A NUL \x00 in the text of this report."])
    outcomes = store.add([good1, clash, good2, wrong, nul])
    assert outcomes == ["new", "failed", "new", "failed", "failed"]
    assert store.has_article(good1.article.id) and store.has_article(good2.article.id)
    for refused in (clash, wrong, nul):
        assert not store.has_article(refused.article.id)
    assert store.count_articles() == 2
    messages = [m for _, m, _ in store.failures()]
    assert len(messages) == 3
    assert any(bad_db.article.id in m for m in messages)
    assert any("does not match the article text" in m for m in messages)
    assert any("NUL" in m for m in messages)
    # Nothing of the refused article was left behind: its corrected form stores cleanly and completely.
    assert store.add([bad_db]) == ["new"]
    assert store.sentences(bad_db.article.id) == list(bad_db.sentences)


def test_store_get_article_by_id_prefix_and_external_id(store: Store) -> None:
    a = item_for("fire", 1, external_id="wire-42", source="Wire A")
    b = item_for("fire", 2, external_id="7", source="Paper B")
    c = item_for("fire", 3, external_id="7", source="Paper C")
    store.add([a, b, c])
    assert store.get_article(a.article.id) == a.article
    assert store.get_article(a.article.id[:6]) == a.article
    assert store.get_article(f"  {a.article.id[:9]} ") == a.article
    assert store.get_article("wire-42") == a.article
    with pytest.raises(AmbiguousReference) as amb:
        store.get_article("7")
    assert b.article.id in str(amb.value) and c.article.id in str(amb.value)
    with pytest.raises(NotFound, match="at least 6 characters") as short:
        store.get_article(a.article.id[:5])
    assert "corroborator stories --db" in str(short.value)
    with pytest.raises(NotFound, match=r"run `corroborator stories --db .*` to list ids"):
        store.get_article("ffffffffffff")
    assert not isinstance(short.value, AmbiguousReference)


def test_store_ambiguous_id_prefix_names_candidates(store: Store) -> None:
    by_prefix: dict[str, str] = {}
    for i in range(200_000):  # ~5,000 texts give two ids sharing 6 hex digits
        text = f"Probe sentence {i} about the county fair."
        key = content_hash(text)[:6]
        if key in by_prefix:
            first, second = by_prefix[key], text
            break
        by_prefix[key] = text
    a, b = make_item([first]), make_item([second])
    store.add([a, b])
    with pytest.raises(AmbiguousReference) as err:
        store.get_article(a.article.id[:6])
    message = str(err.value)
    assert a.article.id in message and b.article.id in message and "\n" not in message
    assert store.get_article(a.article.id) == a.article


def test_store_articles_filters_and_order(store: Store) -> None:
    t0 = datetime(2020, 5, 1, 12, 0, tzinfo=UTC)
    items = [
        item_for("school budget", 1, source="Daily A", published=t0, title="School budget passes"),
        item_for("school budget", 2, source="Daily B", published=t0 + timedelta(days=2), title="Budget vote"),
        # 23:30 at UTC-5 is 04:30 UTC the next day: filters use the instant, not the wall time.
        item_for(
            "road works",
            3,
            source="Daily A",
            published=datetime(2020, 5, 2, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
            title="Road works in ZÜRICH street",
        ),
        item_for("road works", 4, source="Daily C", title="Undated road story"),
    ]
    store.add(items)
    ids = [i.article.id for i in items]
    assert [a.id for a in store.articles()] == [ids[0], ids[2], ids[1], ids[3]]  # unknown date last
    assert [a.id for a in store.articles(source="Daily A")] == [ids[0], ids[2]]
    assert [a.id for a in store.articles(since=datetime(2020, 5, 3, 4, 0, tzinfo=UTC))] == [ids[2], ids[1]]
    assert [a.id for a in store.articles(until=datetime(2020, 5, 3, 4, 29, tzinfo=UTC))] == [ids[0]]
    assert [a.id for a in store.articles(since=t0, until=t0)] == [ids[0]]  # bounds are inclusive
    assert [a.id for a in store.articles(query="budget")] == [ids[0], ids[1]]
    assert [a.id for a in store.articles(query="zürich STREET")] == [ids[2]]  # case-insensitive, every word
    assert [a.id for a in store.articles(query="north hall ballots")] == [ids[0], ids[2], ids[1], ids[3]]
    assert store.articles(query="100%") == []  # LIKE wildcards are literal
    assert store.articles(query="budget nowhere") == []
    assert [a.id for a in store.articles(limit=2, offset=1)] == [ids[2], ids[1]]
    assert [a.id for a in store.articles(offset=3)] == [ids[3]]
    assert [a.id for a in store.iter_articles(batch_size=3)] == ids  # ingest order
    assert store.count_articles() == 4


def test_store_facts_round_trip_exactly(store: Store) -> None:
    item = item_for("storm", 1)
    store.add([item])
    aid = item.article.id
    facts = [
        Fact("number", 0, 3, "120", "120 people", sentence=0, number=120.0, unit="people", approximate=True),
        Fact("money", 4, 10, "$3.5m", "3500000 USD", number=3_500_000.0, unit="USD"),
        Fact("percent", 11, 15, "0.3%", "0.3%", number=0.1 + 0.2),
        Fact("period", 16, 26, "since 2021", "2021-01-01..", earliest="2021-01-01", latest=None),
        Fact("person", 27, 33, "Zoë Ng", "zoë ng", label="PERSON"),
        Fact("quote", 34, 50, '"We will rebuild"', "we will rebuild", speaker="Zoë Ng"),
        Fact("negation", 51, 54, "not", "not"),
    ]
    assert store.facts(aid, "facts.test.v1") is None
    store.put_facts(aid, "facts.test.v1", facts)
    assert store.facts(aid, "facts.test.v1") == facts
    assert store.facts(aid, "facts.other.v1") is None
    store.put_facts(aid, "facts.test.v1", facts[:2])  # replaces
    assert store.facts(aid, "facts.test.v1") == facts[:2]
    store.put_facts(aid, "facts.empty.v1", [])
    assert store.facts(aid, "facts.empty.v1") == []
    with pytest.raises(NotFound):
        store.put_facts("0" * 16, "facts.test.v1", facts)


def test_store_sentence_vectors_round_trip(store: Store) -> None:
    item = item_for("storm", 2)
    store.add([item])
    aid = item.article.id
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((4, 512)).astype(np.float32)
    assert store.sentence_vectors(aid, "embed.test.v1") is None
    store.put_sentence_vectors(aid, "embed.test.v1", vectors)
    got = store.sentence_vectors(aid, "embed.test.v1")
    assert got is not None and got.dtype == np.float32 and np.array_equal(got, vectors)
    assert store.sentence_vectors(aid, "embed.other.v1") is None
    store.put_sentence_vectors(aid, "embed.test.v1", vectors[:2, :8])
    again = store.sentence_vectors(aid, "embed.test.v1")
    assert again is not None and again.shape == (2, 8) and np.array_equal(again, vectors[:2, :8])
    with pytest.raises(NotFound):
        store.put_sentence_vectors("0" * 16, "embed.test.v1", vectors)


def test_store_blobs(store: Store) -> None:
    assert store.get_blob("index.lsh") is None
    data = bytes(range(256)) * 40 + b"\x00tail"
    store.put_blob("index.lsh", data)
    assert store.get_blob("index.lsh") == data
    store.put_blob("index.lsh", b"")
    assert store.get_blob("index.lsh") == b""
    store.put_blob("other", b"x")
    assert store.get_blob("other") == b"x"


def test_store_failures_newest_first(store: Store) -> None:
    assert store.failures() == []
    store.record_failure("a.html", "a.html: empty page")
    store.record_failure("b.json#record-2", "b.json#record-2: no text")
    got = store.failures()
    assert [(o, m) for o, m, _ in got] == [
        ("b.json#record-2", "b.json#record-2: no text"),
        ("a.html", "a.html: empty page"),
    ]
    assert all(isinstance(at, datetime) and at.tzinfo is not None for _, _, at in got)
    assert len(store.failures(limit=1)) == 1


def test_store_keeps_the_seed_reports(store: Store) -> None:
    paths = sorted(shared_path("corpus", "seeds").glob("*.txt"))
    assert len(paths) == 2
    items = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip()]
        item = make_item(lines, origin=str(path))
        # make_item joins the lines with spaces; store the real text with sentence spans into it.
        article = Article.create(text, origin=str(path))
        sentences, pos = [], 0
        for i, line in enumerate(lines):
            start = text.index(line, pos)
            sentences.append(Sentence(article.id, i, start, start + len(line), line))
            pos = start + len(line)
        items.append(replace(item, article=article, sentences=tuple(sentences)))
    assert store.add(items) == ["new", "new"]
    for item, path in zip(items, paths, strict=True):
        got = store.get_article(item.article.id[:8])
        assert got.text == path.read_text(encoding="utf-8")
        assert got.id == content_hash(got.text)
        stored = store.sentences(got.id)
        assert len(stored) == len(item.sentences) > 5
        assert all(got.text[s.start : s.end] == s.text for s in stored)
    assert store.add(items) == ["duplicate", "duplicate"]


def test_store_report_sentences_are_distinct() -> None:
    parts = report_sentences("x", 44, 3)
    assert len(set(parts)) == 44


def test_store_keeps_facts_made_at_ingest_with_their_article(store: Store) -> None:
    a, b = item_for("harbour facts", 1), item_for("harbour facts", 2)
    facts_a = (Fact("person", 0, 5, a.article.text[0:5], "someone", 0, label="PERSON"),)
    with_facts = replace(a, facts=facts_a, facts_analyser="facts.test.v1")
    plain = replace(b, facts=None)  # ingest_facts off: nothing written, made on first read
    # A NUL in the title makes the database refuse this one article: its facts must not be kept either.
    bad_article = replace(item_for("harbour facts", 3).article, title="bad\x00title")
    bad = replace(item_for("harbour facts", 3), article=bad_article, facts=facts_a, facts_analyser="facts.test.v1")
    assert store.add([with_facts, plain, bad]) == ["new", "new", "failed"]
    assert store.facts(a.article.id, "facts.test.v1") == list(facts_a)
    assert store.facts(b.article.id, "facts.test.v1") is None
    assert store.facts(bad.article.id, "facts.test.v1") is None
    empty = replace(item_for("harbour facts", 4), facts=(), facts_analyser="facts.test.v1")
    assert store.add([empty]) == ["new"]
    assert store.facts(empty.article.id, "facts.test.v1") == []  # made, and none found: not "missing"
