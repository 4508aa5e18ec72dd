"""Claims: sentences split into clauses only where two statements are joined."""

from __future__ import annotations

import pytest

from corroborator.compare.claims import build_claims, clause_spans
from corroborator.model import Article, Fact, Sentence


def _clauses(text: str) -> list[str]:
    return [text[s:e] for s, e in clause_spans(text, 0, len(text))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The council approved the budget on Monday; the mayor said she would sign it this week.",
            ["The council approved the budget on Monday", "the mayor said she would sign it this week."],
        ),
        (
            "Supporters say the plan will create jobs, while critics warn it will raise local taxes.",
            ["Supporters say the plan will create jobs", "critics warn it will raise local taxes."],
        ),
        (
            "While the town has never signed the agreement, its officials attended every board meeting.",
            [
                "the town has never signed the agreement",
                "its officials attended every board meeting.",
            ],
        ),
        # a list and a short "but" are not two statements
        ("Residents, shop owners, and teachers attended the meeting.", None),
        ("The plan is cheap but slow.", None),
        ("He voted for it, but reluctantly.", None),
    ],
)
def test_compare_claims_split_conservatively(sentence: str, expected: list[str] | None) -> None:
    assert _clauses(sentence) == (expected or [sentence])


def test_compare_claims_offsets_and_facts() -> None:
    text = "Intro line here.\nThe board met on 3 May; the chair said 40 people attended the session."
    art = Article.create(text)
    s0 = Sentence(art.id, 0, 0, 16, text[:16])
    s1 = Sentence(art.id, 1, 17, len(text), text[17:])
    n = text.index("40 people")
    d = text.index("3 May")
    facts = (
        Fact("number", n, n + 9, "40 people", "40 people", 1, number=40.0, unit="people"),
        Fact("date", d, d + 5, "3 May", "3 May", 1),
    )
    claims = build_claims(art, (s0, s1), facts)
    assert [c.text for c in claims] == [
        "Intro line here.",
        "The board met on 3 May",
        "the chair said 40 people attended the session.",
    ]
    for c in claims:
        assert text[c.start : c.end] == c.text
        assert c.id == f"{art.id}:{c.start}-{c.end}"
    assert [f.kind for f in claims[1].facts] == ["date"]
    assert [f.kind for f in claims[2].facts] == ["number"]
