"""Quote provenance, the pure part: wording matches, speakers, first appearance, credits, and mutations
edited by rule and classified (no models: wording alone, vectors None)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corroborator.provenance.quote_credits import credit_phrases, credited_outlet, known_outlets, outlet_key
from corroborator.provenance.quote_json import QUOTES_SCHEMA, quotes_document
from corroborator.provenance.quote_words import diff_translation, diff_wordings
from corroborator.provenance.quotes import QuoteItem, cluster_quotes, filter_clusters

BASE = "We will not raise taxes on working families, and we will protect every job in this state"


def item(aid: str, text: str, speaker: str | None = "Maria Lopez", day: int = 1, source: str | None = None,
         credits: tuple[str, ...] = (), language: str = "en") -> QuoteItem:  # fmt: skip
    return QuoteItem(aid, 10, 10 + len(text), text, speaker, source or f"Outlet {aid}",
                     datetime(2024, 5, day, 9, tzinfo=UTC), language, None, credits)  # fmt: skip


def one_cluster(items: list[QuoteItem]) -> list[list[str]]:
    return sorted(sorted(a.article_id for a in c.appearances) for c in cluster_quotes(items))


def test_provenance_quotes_trimmed_and_elided_wordings_cluster() -> None:
    items = [
        item("a", BASE),
        item("b", "we will protect every job in this state", day=2),
        item("c", "We will not raise taxes on working families ... we will protect every job", day=3),
        item("d", "The budget office expects revenue to grow by two percent next year", day=2),
    ]
    assert one_cluster(items) == [["a", "b", "c"], ["d"]]


def test_provenance_quotes_a_different_named_speaker_blocks_a_short_match() -> None:
    idea = "such a terrible idea for everyone"
    items = [item("a", idea), item("b", idea, "John Park")]
    assert one_cluster(items) == [["a"], ["b"]]
    # An unnamed speaker ("he", an official) does not block; a surname matches the full name.
    items = [item("a", "such a terrible idea for everyone"), item("b", "such a terrible idea for everyone", "Lopez"),
             item("c", "such a terrible idea for everyone", "officials")]  # fmt: skip
    assert one_cluster(items) == [["a", "b", "c"]]


def test_provenance_quotes_first_appearance_by_time_then_credit() -> None:
    items = [item("late", BASE, day=3), item("early", BASE, day=1), item("mid", BASE, day=2)]
    (c,) = cluster_quotes(items)
    assert [a.article_id for a in c.appearances] == ["early", "mid", "late"]
    assert not c.first_tied
    # Same time: the article that credits another outlet is not the origin; the credited one is.
    items = [
        item("x", BASE, source="Daily Planet", credits=("the BBC",)),
        item("y", BASE, source="BBC News"),
        item("z", BASE, day=2, source="Courier", credits=("BBC",)),
    ]
    (c,) = cluster_quotes(items, outlets=["BBC News", "Daily Planet", "Courier"])
    assert c.first.article_id == "y" and c.first_tied
    assert c.appearances[1].credits == ("bbc",) and c.appearances[1].credits_earlier == "y"
    assert c.credited_outside == ()


def test_provenance_quotes_credit_to_an_outlet_not_in_the_store() -> None:
    items = [item("a", BASE, credits=("CNN's Jake Tapper",)), item("b", BASE, day=2)]
    (c,) = cluster_quotes(items)
    assert c.credited_outside == ("cnn",)


def test_provenance_quotes_unknown_and_junk_dates_sort_last_without_crashing() -> None:
    junk = QuoteItem("junk", 0, len(BASE), BASE, None, "X", datetime(1, 11, 30), "en")
    naive = QuoteItem("naive", 0, len(BASE), BASE, None, "Y", datetime(2024, 5, 2), "en")
    none = QuoteItem("none", 0, len(BASE), BASE, None, "Z", None, "en")
    (c,) = cluster_quotes([junk, none, naive, item("aware", BASE, day=3)])
    assert [a.article_id for a in c.appearances][:2] == ["naive", "aware"]


@pytest.mark.parametrize(
    ("text", "kind", "why", "meaning"),
    [
        ("We will not raise taxes on working families, and we will protect every worker in this state",
         "changed", "wording", False),  # a word swapped
        ("We will not raise taxes on working families in this state", "dropped", "clause", True),
        ("We will raise taxes on working families, and we will protect every job in this state",
         "dropped", "negation", True),
        ("We will not raise taxes on working families, and we will not protect every job in this state",
         "added", "negation", True),
        ("We will not raise taxes on 40 working families, and we will protect every job in this state",
         "added", "number", True),
        ("We will not raise taxes on working families, and we will protect every job in this Texas",
         "changed", "name", True),
        ("We will not raise taxes on working families, and we will really protect every job in this state",
         "added", "filler", False),
        ("We will not cut taxes on working families, and we will protect every job in this state",
         "changed", "antonym", True),
        ("We won't raise taxes on working families, and we will protect every job in this state", None, None, None),
        ("We will not raise taxes on working families", "trimmed", "trim", False),
        ("we will protect every job in this state", "trimmed", "negation", True),  # the lost "not" is flagged
    ],
)  # fmt: skip
def test_provenance_quotes_mutations_by_rule(
    text: str, kind: str | None, why: str | None, meaning: bool | None
) -> None:
    changes = diff_wordings(BASE, text)
    if kind is None:
        assert changes == []  # a contraction is the same words
        return
    assert [(c.kind, c.why, c.meaning) for c in changes] == [(kind, why, meaning)]
    c = changes[0]
    assert 0 <= c.start <= c.end <= len(text)


def test_provenance_quotes_mutations_carry_article_offsets() -> None:
    later = "We will not raise taxes on working families, and we will protect every worker in this state"
    (c,) = cluster_quotes([item("a", BASE), item("b", later, day=2)])
    (m,) = c.appearances[1].mutations
    assert later[m.start - 10 : m.end - 10] == "worker" and m.before == "job"


def test_provenance_quotes_translation_compares_numbers_and_negation() -> None:
    assert diff_translation("We sold 179 tankers", "en", "Vendimos 179 aviones", "es") == []
    (m,) = diff_translation("We sold 179 tankers", "en", "Vendimos 197 aviones", "es")
    assert (m.why, m.meaning) == ("number", True)
    (m,) = diff_translation("We sold the tankers", "en", "No vendimos los aviones", "es")
    assert m.why == "negation"


@pytest.mark.parametrize(
    ("sentence", "outlet"),
    [
        ('"We will win," Lopez told the BBC on Monday.', "bbc"),
        ('Lopez said in an interview with CNN that "we will win."', "cnn"),
        ('"We will win," according to the AP.', "associated press"),
        ('"We will win," Lopez told Fox News\' Sean Hannity.', "fox"),
        ('"We will win," Lopez said on NBC\'s "Meet the Press."', "nbc"),
        ('"We will win," Lopez told reporters.', None),
        ('"We will win," according to the Pentagon.', None),
    ],
)
def test_provenance_quotes_credits(sentence: str, outlet: str | None) -> None:
    start = sentence.index('"') + 1
    end = sentence.index('"', start)
    found = [credited_outlet(p, known_outlets()) for p in credit_phrases(sentence, [(start, end)])]
    assert (outlet in found) if outlet else not any(found)


def test_provenance_quotes_outlet_keys() -> None:
    assert outlet_key("CNN (Web News)") == outlet_key("CNN") == "cnn"
    assert outlet_key("The Associated Press") == outlet_key("AP") == "associated press"
    assert outlet_key("Fox Online News") == outlet_key("Fox News") == "fox"


def test_provenance_quotes_filters_and_document() -> None:
    other = "an entirely different quote of hers"
    clusters = cluster_quotes([item("a", BASE), item("b", BASE, day=2), item("c", other)])
    assert len(filter_clusters(clusters, min_size=2)) == 1
    assert len(filter_clusters(clusters, speaker="lopez", min_size=2)) == 1
    assert filter_clusters(clusters, speaker="John Park") == []
    assert [len(c.appearances) for c in filter_clusters(clusters, article="c")] == [1]
    doc = quotes_document(clusters, articles=3, quotes=3)
    assert doc["schema"] == QUOTES_SCHEMA == "corroborator.quotes/1"
    first = doc["clusters"][0]
    assert first["first"] == first["appearances"][0] and first["size"] == 2


def test_provenance_quotes_bad_input_never_crashes() -> None:
    assert cluster_quotes([]) == []
    odd = [QuoteItem("a", 0, 3, "…", None), QuoteItem("b", 0, 9, "\u0000\u202e!!!", None, language="xx")]
    assert len(cluster_quotes(odd)) == 2
