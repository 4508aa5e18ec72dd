"""Typed conflict checks on hand-made claims: what disagrees, what is only less precise, what agrees."""

from __future__ import annotations

from typing import Any

from corroborator.compare.conflicts import find_conflicts, numbers_agree
from corroborator.model import Claim, Conflict, Fact
from corroborator.settings import Settings


def claim(article: str, text: str, *facts: tuple[str, str, dict[str, Any]]) -> Claim:
    """A claim over its own text; each fact is (kind, substring, fields)."""
    out = []
    for kind, sub, fields in facts:
        s = text.index(sub)
        out.append(Fact(kind, s, s + len(sub), sub, fields.pop("norm", sub), **fields))  # type: ignore[arg-type]
    return Claim(f"{article}:0-{len(text)}", article, 0, 0, len(text), text, tuple(out))


def conflicts(a: Claim, b: Claim, link: str = "aligned", sim: float = 0.85) -> list[Conflict]:
    return find_conflicts(a, b, link=link, similarity=sim, settings=Settings())  # type: ignore[arg-type]


def test_conflicts_number_outside_tolerance() -> None:
    a = claim(
        "a",
        "Officials said 340 people were evacuated.",
        ("number", "340 people", {"number": 340.0, "unit": "people"}),
    )
    b = claim(
        "b",
        "Officials said 430 people were evacuated.",
        ("number", "430 people", {"number": 430.0, "unit": "people"}),
    )
    (c,) = conflicts(a, b)
    assert c.kind == "number" and not c.precision_only
    assert [s.text for s in c.sides] == ["340 people", "430 people"]
    assert [s.article for s in c.sides] == ["a", "b"]


def test_conflicts_number_approximate_within_tolerance_is_only_a_precision_note() -> None:
    a = claim(
        "a",
        "About 120 firefighters fought the blaze.",
        ("number", "About 120 firefighters", {"number": 120.0, "unit": "firefighters", "approximate": True}),
    )
    b = claim(
        "b",
        "118 firefighters fought the blaze.",
        ("number", "118 firefighters", {"number": 118.0, "unit": "firefighter"}),
    )
    (c,) = conflicts(a, b)
    assert c.kind == "number" and c.precision_only
    assert "About 120" in c.explanation


def test_conflicts_number_rounding_is_precision_only() -> None:
    x = Fact("number", 0, 5, "1,200", "1200", number=1200.0, unit="homes")
    y = Fact("number", 0, 5, "1,234", "1234", number=1234.0, unit="homes")
    assert numbers_agree(x, y, 0.05) == "rounded"
    a = claim("a", "1,200 homes lost power.", ("number", "1,200 homes", {"number": 1200.0, "unit": "homes"}))
    b = claim("b", "1,234 homes lost power.", ("number", "1,234 homes", {"number": 1234.0, "unit": "homes"}))
    (c,) = conflicts(a, b)
    assert c.precision_only


def test_conflicts_same_year_different_events() -> None:
    a = claim(
        "a",
        "The accord, signed in 1999, bans the weapons.",
        ("date", "1999", {"earliest": "1999-01-01", "latest": "1999-12-31"}),
    )
    b = claim(
        "b",
        "The accord, which came into force in 1999, bans the weapons.",
        ("date", "1999", {"earliest": "1999-01-01", "latest": "1999-12-31"}),
    )
    (c,) = conflicts(a, b)
    assert c.kind == "date" and not c.precision_only
    assert "signed" in c.sides[0].text and "came into force" in c.sides[1].text


def test_conflicts_same_event_same_year_agrees() -> None:
    a = claim("a", "The accord was signed in 1999 by the ministers.", ("date", "1999", {"earliest": "1999-01-01"}))
    b = claim("b", "Ministers signed the accord in 1999.", ("date", "1999", {"earliest": "1999-01-01"}))
    assert conflicts(a, b) == []


def test_conflicts_since_periods_disagree() -> None:
    a = claim(
        "a",
        "The restriction has applied since the 1990s.",
        ("period", "since the 1990s", {"label": "since", "earliest": "1990-01-01"}),
    )
    b = claim(
        "b",
        "The restriction had been in place since 2021.",
        ("period", "since 2021", {"label": "since", "earliest": "2021-01-01"}),
    )
    (c,) = conflicts(a, b, link="topic", sim=0.3)
    assert c.kind == "date"
    assert [s.text for s in c.sides] == ["since the 1990s", "since 2021"]


def test_conflicts_durations_agree_in_other_words() -> None:
    a = claim("a", "The ministry ordered a 90-day review.", ("duration", "90-day", {"number": 90.0, "unit": "day"}))
    b = claim(
        "b",
        "The ministry wants a new framework within 90 days.",
        ("duration", "within 90 days", {"number": 90.0, "unit": "days", "label": "within"}),
    )
    assert conflicts(a, b) == []


def test_conflicts_same_quote_two_speakers() -> None:
    a = claim("a", "“We were lucky the wind turned,” Mayor Ilse Varga told reporters.")
    b = claim("b", "“We were lucky the wind turned,” the fire chief said.")
    (c,) = conflicts(a, b, link="topic", sim=0.5)
    assert c.kind == "attribution"
    assert c.sides[0].value.endswith("Varga") or "Varga" in c.sides[0].value
    assert "fire chief" in c.sides[1].value


def test_conflicts_same_quote_same_speaker_agrees() -> None:
    a = claim("a", "“We were lucky the wind turned,” Mayor Varga said.")
    b = claim("b", "“We were lucky the wind turned,” said Varga, the mayor.")
    assert [c for c in conflicts(a, b) if c.kind == "attribution"] == []


def test_conflicts_never_ratified_vs_never_signed_is_precision_only() -> None:
    a = claim("a", "The country never ratified the treaty.")
    b = claim("b", "The country has never been a signatory to the treaty.")
    (c,) = conflicts(a, b, link="topic", sim=0.6)
    assert c.kind == "polarity" and c.precision_only
    assert "implies" in c.explanation


def test_conflicts_negated_vs_asserted_is_polarity() -> None:
    a = claim("a", "The country never ratified the treaty.")
    b = claim("b", "The country ratified the treaty in 2001.")
    found = conflicts(a, b)
    assert [c.kind for c in found] == ["polarity"]
    assert not found[0].precision_only


def test_conflicts_opposite_outcomes() -> None:
    a = claim("a", "The central bank raised interest rates on Thursday.")
    b = claim("b", "The central bank left interest rates unchanged on Thursday.")
    found = conflicts(a, b)
    assert [c.kind for c in found] == ["polarity"]


def test_conflicts_entity_in_same_role() -> None:
    a = claim("a", "The memo was signed by Defense Secretary Alan Brook.", ("person", "Alan Brook", {}))
    b = claim("b", "The memo was signed by Defense Secretary Maria Lopez.", ("person", "Maria Lopez", {}))
    found = conflicts(a, b, sim=0.9)
    assert [c.kind for c in found] == ["entity"]


def test_conflicts_paraphrase_without_facts_has_none() -> None:
    a = claim("a", "The council approved the budget after a long debate.")
    b = claim("b", "After a lengthy debate, councillors approved the budget.")
    assert conflicts(a, b) == []


def test_conflicts_same_event_different_years() -> None:
    a = claim("a", "The accord, signed in 1997, bans the weapons.", ("date", "1997", {"earliest": "1997-01-01"}))
    b = claim("b", "The accord, signed in 1999, bans the weapons.", ("date", "1999", {"earliest": "1999-01-01"}))
    (c,) = conflicts(a, b)
    assert c.kind == "date" and "signed" in c.explanation


def test_conflicts_different_days_of_a_narrative_are_not_a_conflict() -> None:
    a = claim(
        "a",
        "The president defended his adviser on Monday in a post.",
        ("date", "on Monday", {"earliest": "2017-12-04", "latest": "2017-12-04"}),
    )
    b = claim(
        "b",
        "The adviser pleaded guilty on Friday in a federal court.",
        ("date", "on Friday", {"earliest": "2017-12-01", "latest": "2017-12-01"}),
    )
    assert conflicts(a, b, sim=0.5) == []
