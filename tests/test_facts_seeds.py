"""extract_facts on the two real seed reports (read from ../shared at run time), with and without a
publication date. The seeds carry no date; the test picks Friday 7 March 2025."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from corroborator.model import Article, Fact
from corroborator.text.facts import FACTS_ANALYSER, extract_facts
from corroborator.text.sentences import split_sentences

pytestmark = pytest.mark.slow  # spaCy NER

PUBLISHED = datetime(2025, 3, 7, 12, 0)


def _facts(path: Path, published: datetime | None) -> tuple[Article, tuple[Fact, ...]]:
    article = Article.create(path.read_text(encoding="utf-8"), published=published)
    return article, extract_facts(article, split_sentences(article))


@pytest.fixture(scope="module", params=[PUBLISHED, None], ids=["published", "undated"])
def seed_facts(request: pytest.FixtureRequest, seeds: list[Path]) -> list[tuple[Article, tuple[Fact, ...]]]:
    assert len(seeds) == 2
    return [_facts(p, request.param) for p in seeds]


def _of(facts: tuple[Fact, ...], kind: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind]


def test_facts_analyser_name() -> None:
    assert FACTS_ANALYSER == "facts.spacy-sm.v1"


def test_facts_offsets_are_absolute_and_sentences_match(seed_facts: list) -> None:
    for article, facts in seed_facts:
        sentences = split_sentences(article)
        assert facts
        for f in facts:
            assert f.text == article.text[f.start : f.end]
            s = sentences[f.sentence]
            assert s.start <= f.start < s.end + 1 or f.kind == "quote"
        assert list(facts) == sorted(facts, key=lambda f: (f.start, f.end, f.kind))


def test_facts_seed_durations(seed_facts: list) -> None:
    (a, fa), (_, fb) = seed_facts
    review = [f for f in _of(fa, "duration") if f.text == "90-day"]
    within = [f for f in _of(fb, "duration") if f.text == "within 90 days"]
    assert len(review) == len(within) == 1
    for f in (review[0], within[0]):
        assert (f.norm, f.label, f.number, f.unit) == ("P90D", "within", 90.0, "days")
        if a.published is None:
            assert (f.earliest, f.latest) == (None, None)
        else:
            assert (f.earliest, f.latest) == ("2025-03-07", "2025-06-05")  # the deadline
    # The count is kept as a number too, for the number checks.
    assert any(f.number == 90 and f.unit == "days" for f in _of(fb, "number"))


def test_facts_seed_dates_and_periods(seed_facts: list) -> None:
    (a, fa), (_, fb) = seed_facts
    for facts in (fa, fb):
        years = [f for f in _of(facts, "date") if f.text == "1999"]
        assert len(years) == 1
        assert (years[0].norm, years[0].earliest, years[0].latest) == ("1999", "1999-01-01", "1999-12-31")
        assert not any(f.kind == "number" and f.text == "1999" for f in facts)
    (nineties,) = [f for f in _of(fa, "period") if "1990s" in f.text]
    assert (nineties.text, nineties.label, nineties.earliest) == ("since the 1990s", "since", "1990-01-01")
    (since,) = [f for f in _of(fb, "period") if "2021" in f.text]
    assert (since.text, since.label, since.earliest) == ("since 2021", "since", "2021-01-01")
    expected_latest = "2025-03-07" if a.published else None
    assert nineties.latest == since.latest == expected_latest


def test_facts_seed_entities(seed_facts: list) -> None:
    for _, facts in seed_facts:
        people = {f.norm for f in _of(facts, "person")}
        orgs = {f.norm: f for f in _of(facts, "organization")}
        places = {f.norm for f in _of(facts, "place")}
        assert "Peter Hegseth" in people
        assert "Washington Post" in orgs
        assert orgs["Washington Post"].text == "The Washington Post"
        assert orgs["Washington Post"].label == "ORG"
        assert {"Russia", "China", "Finland"} <= places


def test_facts_seed_quotes_with_speakers(seed_facts: list) -> None:
    (_, fa), (_, fb) = seed_facts
    quotes_a = {f.norm: f for f in _of(fa, "quote")}
    quotes_b = {f.norm: f for f in _of(fb, "quote")}
    # Original: "military officials argue it provides a ‘force multiplier’"
    assert quotes_a["force multiplier"].speaker == "military officials"
    # Rewrite: "Hegseth’s memo outlines ... a ‘force multiplier’"
    assert "Hegseth" in (quotes_b["force multiplier"].speaker or "")
    # Original: "Hegseth’s memo also includes a provision ... ‘dysfunctional or unsafe.’"
    assert "Hegseth" in (quotes_a["dysfunctional or unsafe"].speaker or "")
    # Rewrite: "the memo specifies that ... ‘dysfunctional or unsafe,’"
    assert quotes_b["dysfunctional or unsafe"].speaker == "memo"
    # The curly apostrophe in "country’s" does not end the quote.
    long_quote = "one of the most dangerous security situations in the country's history"
    assert long_quote in quotes_a and long_quote in quotes_b
    for f in (*quotes_a.values(), *quotes_b.values()):
        assert not f.text.startswith("‘") and not f.text.endswith("’")


def test_facts_seed_attributions(seed_facts: list) -> None:
    (_, fa), (_, fb) = seed_facts
    att_a = {(f.speaker, f.label) for f in _of(fa, "attribution")}
    att_b = {(f.speaker, f.label) for f in _of(fb, "attribution")}
    assert ("military officials", "argue") in att_a
    assert ("Washington Post", "report") in att_a  # "reported by The Washington Post"
    assert ("Washington Post", "according to") in att_b
    # "The defense chief argued" resolves to the full name met earlier.
    assert ("Peter Hegseth", "argue") in att_b
    assert ("Critics", "argue") in att_b


def test_facts_seed_negation_and_hedges(seed_facts: list) -> None:
    (a, fa), (_, fb) = seed_facts
    sentences = split_sentences(a)
    (never_ratified,) = [s for s in sentences if s.text.startswith("The U.S. never ratified the treaty")]
    cues = [f for f in _of(fa, "negation") if f.sentence == never_ratified.index]
    assert [f.norm for f in cues] == ["never"]
    assert any(f.norm == "no longer" for f in _of(fa, "negation"))
    assert any(f.norm == "not" for f in _of(fb, "negation"))  # "has not yet issued"
    assert {"could", "may"} <= {f.norm for f in _of(fa, "hedge")}


def test_facts_seed_title_words_are_not_organizations(seed_facts: list) -> None:
    for _, facts in seed_facts:
        assert "Defense" not in {f.norm for f in _of(facts, "organization")}
