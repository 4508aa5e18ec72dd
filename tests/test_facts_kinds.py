"""Every fact kind on sentences written for the test: numbers, money, percent, entities, quotes with
speakers, attributions, negation and hedges; plus the pure finders behind them."""

from __future__ import annotations

from datetime import datetime

import pytest

from corroborator.model import Article, Fact
from corroborator.text.cues import find_cues
from corroborator.text.facts import extract_facts
from corroborator.text.numeric import find_numeric
from corroborator.text.quotes import Entity, SpeakerResolver, find_attributions, find_quotes, quote_norm
from corroborator.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "kind", "span", "norm", "number", "unit", "approximate"),
    [
        ("About 120 people were evacuated.", "number", "120 people", "120 people", 120, "people", True),
        ("The base hosts 1,000 U.S. troops.", "number", "1,000 U.S. troops", "1000 troops", 1000, "troops",
         False),
        ("Three soldiers were wounded.", "number", "Three soldiers", "3 soldiers", 3, "soldiers", False),
        ("Police held a dozen protesters.", "number", "a dozen protesters", "12 protesters", 12, "protesters",
         False),
        ("Nearly 40 houses burned.", "number", "40 houses", "40 houses", 40, "houses", True),
        ("An estimated 2 million people fled.", "number", "2 million people", "2000000 people", 2e6, "people",
         True),
        ("The deal is worth $1.2 billion.", "money", "$1.2 billion", "USD 1200000000", 1.2e9, "USD", False),
        ("The fine was at least £5m.", "money", "£5m", "GBP 5000000", 5e6, "GBP", True),
        ("It cost 300 million euros.", "money", "300 million euros", "EUR 300000000", 3e8, "EUR", False),
        ("Turnout reached 45% on Sunday.", "percent", "45%", "45%", 45, "%", False),
        ("Support fell to roughly 12.5 percent.", "percent", "12.5 percent", "12.5%", 12.5, "%", True),
        ("Four of them were hurt.", "number", "Four of them", "4", 4, None, False),
        ("All five were taken to hospital.", "number", "five", "5", 5, None, False),
        ("Two of the victims died.", "number", "Two of the victims", "2 victims", 2, "victims", False),
        ("Rates rose 2 percentage points.", "percent", "2 percentage points", "2 pp", 2, "percentage points",
         False),
    ],
)  # fmt: skip
def test_numeric_values(
    text: str, kind: str, span: str, norm: str, number: float, unit: str, approximate: bool
) -> None:
    found = find_numeric(text)
    assert len(found) == 1, found
    v = found[0]
    assert (v.kind, v.text, v.norm, v.number, v.unit, v.approximate) == (
        kind,
        span,
        norm,
        number,
        unit,
        approximate,
    )
    assert text[v.start : v.end] == v.text


@pytest.mark.parametrize(
    "text",
    [
        "COVID-19 hit the F-35 program.",
        "The vote was 52-48.",
        "He finished 1st.",
        "It began at 3:53 p.m.",
        "One of the men left.",
        "She is one of a kind.",
    ],
)
def test_numeric_ignores_identifiers_scores_and_idioms(text: str) -> None:
    assert find_numeric(text) == []


def test_numeric_skip_spans_leave_years_to_dates() -> None:
    text = "In 2020 some 300 troops left."
    assert [v.text for v in find_numeric(text, skip=[(3, 7)])] == ["300 troops"]


@pytest.mark.parametrize(
    ("text", "negations", "hedges"),
    [
        ("The U.S. never ratified the treaty.", ["never"], []),
        ("He did not sign and won’t sign.", ["not", "n't"], []),
        ("The ministry denied the report and refused to comment.", ["denied", "refused"], []),
        ("Officials failed to act without a vote.", ["failed to", "without"], []),
        ("There was no deal; the plan is no longer valid.", ["no", "no longer"], []),
        ("The suspect reportedly fled and may have crossed the border.", [], ["reportedly", "may"]),
        ("It is unclear whether the rule appears to apply.", [], ["it is unclear", "appears to"]),
        ("The leader is said to have resigned, some say.", [], ["is said to", "some say"]),
        ("He claimed the data suggests fraud that might be allegedly hidden.", [],
         ["claimed", "suggests", "might", "allegedly"]),
        ("In May the vote could fail.", [], ["could"]),
        ("The No. 2 official spoke.", [], []),
    ],
)  # fmt: skip
def test_cues(text: str, negations: list[str], hedges: list[str]) -> None:
    cues = find_cues(text)
    assert [c.norm for c in cues if c.kind == "negation"] == negations
    assert [c.norm for c in cues if c.kind == "hedge"] == hedges
    assert all(text[c.start : c.end] == c.text for c in cues)


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ('He said "we will win" and left.', ["we will win"]),
        ("She called it “a disaster,” and walked out.", ["a disaster"]),
        (
            "A ‘force multiplier’ in the country’s ‘most dangerous’ hour.",
            ["force multiplier", "most dangerous"],
        ),
        ("The states’ rights and the ’90s are not quotes.", []),
        ("“This runs on\n\nNext paragraph.", ["This runs on"]),
        ("He said: ‘the nation’s best days are ahead.’", ["the nation’s best days are ahead"]),
    ],
)
def test_quotes_found(text: str, quotes: list[str]) -> None:
    found = find_quotes(text)
    assert [q.text for q in found] == quotes
    assert all(text[q.start : q.end] == q.text for q in found)


def test_quote_norm() -> None:
    assert quote_norm("‘Dysfunctional, or UNSAFE.’") == "dysfunctional or unsafe"
    assert quote_norm("the country’s history") == "the country's history"


PUBLISHED = datetime(2025, 3, 7)


@pytest.fixture(scope="module")
def written() -> tuple[Article, tuple[Fact, ...]]:
    text = (
        "Mayor Anna Lindqvist of Portland announced on Tuesday that the Burnside Bridge will close within "
        "30 days.\n\n"
        "“We have no other choice,” she said. "
        "The Oregon Department of Transportation, which owns the bridge, said repairs would cost "
        "$45 million. "
        "According to the Portland Tribune, about 120,000 vehicles cross it daily. "
        "Critics argue the closure could hurt local businesses. "
        '"It is a disaster for us," said Tom Baker, who runs a cafe nearby. '
        "The city engineer warned that cracks had grown 15% since 2019."
    )
    article = Article.create(text, published=PUBLISHED)
    return article, extract_facts(article, split_sentences(article))


def _by(facts: tuple[Fact, ...], kind: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind]


@pytest.mark.slow
def test_facts_entities(written: tuple[Article, tuple[Fact, ...]]) -> None:
    _, facts = written
    assert {"Anna Lindqvist", "Tom Baker"} <= {f.norm for f in _by(facts, "person")}
    assert "Portland" in {f.norm for f in _by(facts, "place")}
    orgs = {f.norm for f in _by(facts, "organization")}
    assert "Oregon Department of Transportation" in orgs
    assert all(f.label in ("PERSON", "ORG", "GPE", "LOC", "FAC") for f in facts if f.label and f.kind in
               ("person", "organization", "place"))  # fmt: skip


@pytest.mark.slow
def test_facts_numbers_money_percent_and_time(written: tuple[Article, tuple[Fact, ...]]) -> None:
    _, facts = written
    (money,) = _by(facts, "money")
    assert (money.norm, money.number) == ("USD 45000000", 45e6)
    (pct,) = _by(facts, "percent")
    assert pct.norm == "15%"
    vehicles = [f for f in _by(facts, "number") if f.unit == "vehicles"]
    assert [(f.number, f.approximate) for f in vehicles] == [(120000, True)]
    (tuesday,) = [f for f in _by(facts, "date") if "Tuesday" in f.text]
    assert tuesday.earliest == "2025-03-04"  # past tense: the most recent Tuesday
    (within,) = _by(facts, "duration")
    assert (within.norm, within.latest) == ("P30D", "2025-04-06")
    (since,) = _by(facts, "period")
    assert (since.norm, since.earliest, since.latest) == ("since 2019", "2019-01-01", "2025-03-07")


@pytest.mark.slow
def test_facts_quotes_and_attributions(written: tuple[Article, tuple[Fact, ...]]) -> None:
    article, facts = written
    quotes = {f.norm: f for f in _by(facts, "quote")}
    # "she said" after the quote resolves to the last full name seen.
    assert quotes["we have no other choice"].speaker == "Anna Lindqvist"
    assert quotes["it is a disaster for us"].speaker == "Tom Baker"
    attributions = {(f.speaker, f.label) for f in _by(facts, "attribution")}
    assert ("Anna Lindqvist", "announce") in attributions
    assert ("Portland Tribune", "according to") in attributions
    assert ("Critics", "argue") in attributions
    assert ("Oregon Department of Transportation", "say") in attributions
    assert ("city engineer", "warn") in attributions
    sentences = split_sentences(article)
    for f in facts:
        assert f.text == article.text[f.start : f.end]
        assert 0 <= f.sentence < len(sentences)


@pytest.mark.slow
def test_facts_negation_and_hedge_per_sentence(written: tuple[Article, tuple[Fact, ...]]) -> None:
    article, facts = written
    sentences = split_sentences(article)
    (no,) = _by(facts, "negation")
    assert no.norm == "no" and sentences[no.sentence].text.startswith("“We have no other choice")
    assert [f.norm for f in _by(facts, "hedge")] == ["could"]


@pytest.mark.slow
def test_facts_empty_article() -> None:
    article = Article.create("")
    assert extract_facts(article, split_sentences(article)) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The dinner, sources said, took place in June.", [("sources", "say")]),
        ("Tom Baker, who runs a cafe nearby, said the closure hurts.", [("Tom Baker", "say")]),
        ("The governor, a Democrat, told reporters it was over.", [("The governor", "tell")]),
        ("Supporters of the policy contend that it works.", [("Supporters of the policy", "contend")]),
        ("Critics warn of risks, while officials say it is safe.", [("Critics", "warn"), ("officials", "say")]),
        ("The memo specifies that old mines go.", [("The memo", "specify")]),
        ("According to a report by the agency, costs rose.", [("the agency", "according to")]),
        ("The plan was reported by local media.", [("local media", "report")]),
        ("“It is over,” said the minister.", [("the minister", "say")]),
        ("Voters don’t believe the polls.", []),
        ("He has often been described as shy.", []),
        ("As I write, the vote goes on.", []),
        ("Some 25 other states agreed.", []),
        ("He refused to say more.", []),
        ("She said “I said no” twice.", [("She", "say")]),
    ],
)
def test_attributions_rules(text: str, expected: list[tuple[str, str]]) -> None:
    quotes = [(q.start, q.end) for q in find_quotes(text)]
    found = find_attributions(text, [], quotes)
    assert [(a.speaker, a.verb) for a in found] == expected


def test_attributions_use_entities_and_resolve_speakers() -> None:
    text = "Mayor Anna Lindqvist of Portland said the bridge will close."
    entities = [Entity(6, 20, "PERSON", "Anna Lindqvist"), Entity(24, 32, "GPE", "Portland")]
    (found,) = find_attributions(text, entities)
    assert (found.speaker, found.verb) == ("Anna Lindqvist", "say")
    doc = "Ana Ortiz’s memo orders a halt."
    (memo,) = find_attributions(doc, [Entity(0, 11, "PERSON", "Ana Ortiz’s")])
    assert (memo.speaker, memo.verb) == ("Ana Ortiz’s", "memo")
    resolver = SpeakerResolver()
    resolver.see("Defense Secretary Peter Hegseth")
    resolver.see("Biden")
    assert resolver.resolve("The defense chief") == "Defense Secretary Peter Hegseth"
    assert resolver.resolve("he") == "Defense Secretary Peter Hegseth"
    assert resolver.resolve("Hegseth’s") == "Defense Secretary Peter Hegseth"
    assert resolver.resolve("military officials") == "military officials"
    assert resolver.resolve("the memo") == "memo"


@pytest.mark.slow
def test_facts_subset_of_sentences_keeps_indices(written: tuple[Article, tuple[Fact, ...]]) -> None:
    article, facts = written
    sentences = split_sentences(article)
    some = [sentences[1], sentences[5]]
    part = extract_facts(article, some)
    assert part
    assert {f.sentence for f in part} <= {1, 5}
    full = {(f.kind, f.start, f.end, f.norm) for f in facts if f.sentence in (1, 5) and f.kind != "attribution"}
    got = {(f.kind, f.start, f.end, f.norm) for f in part if f.kind != "attribution"}
    assert full == got
