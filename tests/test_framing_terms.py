"""Framing terms per category on sentences written for these tests (no shared data needed)."""

from __future__ import annotations

import pytest

from corroborator.compare.framing import analyse_framing, framing_table, sentence_terms
from corroborator.compare.framing.lexicon import build_lexicon, hand_lists, inflect, load_lexicon
from corroborator.model import Article, Sentence


def _sentence(text: str) -> tuple[Article, Sentence]:
    article = Article.create(text)
    return article, Sentence(article.id, 0, 0, len(text), text)


def _terms(text: str) -> list[tuple[str, str]]:
    article, sentence = _sentence(text)
    return [(t.text, t.category) for t in sentence_terms(article.text, sentence)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The senator slammed the radical scheme as a draconian power grab.", "loaded"),
        ("Opponents called it a so-called reform pushed by cronies of the regime.", "loaded"),
        ("The governor demagogued the issue for weeks.", "loaded"),
        ("The bill marks a dramatic and sweeping shift after a fierce debate.", "intensifier"),
        ("The minister reportedly resigned, and the deal may collapse.", "hedge"),
        ("Of course, the plan, a phrase that has raised eyebrows, tellingly went nowhere.", "aside"),
        ("The crowd was horrified and furious at the cruel, disgusting spectacle.", "emotive"),
    ],
)
def test_framing_terms_category_found(text: str, expected: str) -> None:
    assert expected in {category for _, category in _terms(text)}


def test_framing_terms_spans_are_exact_and_longest_phrase_wins() -> None:
    text = "The memo drew fierce criticism, a phrase that has raised eyebrows in Congress."
    article, sentence = _sentence(text)
    terms = sentence_terms(article.text, sentence)
    for term in terms:
        assert article.text[term.start : term.end] == term.text
    assert ("a phrase that has raised eyebrows", "aside") in [(t.text, t.category) for t in terms]
    # the shorter "raised eyebrows" inside it is not flagged a second time
    assert [t.text for t in terms].count("raised eyebrows") == 0
    assert ("fierce", "intensifier") in [(t.text, t.category) for t in terms]


def test_framing_terms_plain_wire_sentence_has_no_biased_terms() -> None:
    terms = _terms("The committee voted 12 to 9 on Tuesday to send the bill to the full Senate.")
    assert [t for t in terms if t[1] != "hedge"] == []


def test_framing_terms_month_may_is_not_a_hedge() -> None:
    assert ("may", "hedge") not in [(t.lower(), c) for t, c in _terms("The law took effect in May 2021.")]
    assert ("may", "hedge") in _terms("The law may take effect next year.")


def test_framing_terms_names_are_not_emotive() -> None:
    # "Supreme" and "Dick" are strong words in VADER, but capitalised mid-sentence they are names.
    terms = _terms("Senator Dick Durbin spoke outside the Supreme Court.")
    assert [t for t in terms if t[1] == "emotive"] == []


def test_framing_terms_scare_quotes_and_rhetorical_questions_are_asides() -> None:
    quoted = _terms("The agency's “reforms” left the backlog untouched.")
    assert ("“reforms”", "aside") in quoted
    # a fragment the sentence attributes to a speaker is a quotation, not irony
    assert [t for t in _terms("The spokesman said the “reforms” were working.") if t[1] == "aside"] == []
    question = "So who pays for the new stadium?"
    assert (question, "aside") in _terms(question)


def test_framing_lexicon_inflects_regular_verbs() -> None:
    assert {"slams", "slammed", "slamming"} <= inflect("slam")
    assert {"decries", "decried"} <= inflect("decry")


def test_framing_lexicon_learned_adjustments_only_prune_vader_words() -> None:
    hand = build_lexicon(hand_lists(), {})
    learned = load_lexicon()
    # the hand-written categories survive learning; learning may only add to them
    assert set(hand.phrases) <= set(learned.phrases)
    assert set(learned.emotive) <= set(hand.emotive)


def test_framing_subjectivity_and_table_count_what_was_found() -> None:
    text = (
        "The senator slammed the sweeping bill. The committee met on Tuesday. "
        "Critics say the plan is a radical gamble. The vote is set for June 3."
    )
    article = Article.create(text)
    sentences = []
    start = 0
    for piece in text.split(". "):
        end = start + len(piece.rstrip(".")) + 1
        sentences.append(Sentence(article.id, len(sentences), start, end, text[start:end]))
        start = end + 1
    framing = analyse_framing(article, sentences)
    assert framing.subjectivity == pytest.approx(0.5)
    assert -1.0 <= framing.tone <= 1.0
    (row,) = framing_table([framing])
    categories = [t.category for t in framing.terms]
    for category in ("loaded", "intensifier", "aside", "hedge", "emotive"):
        assert row[category] == categories.count(category)
    assert "slammed" in row["top_terms"]  # type: ignore[operator]
    # "slammed" is a speech act too: the senator is cited
    assert row["voices"] == {"officials": ["senator"], "critics": ["Critics"]}


@pytest.mark.parametrize("text", ["", "   ", "???", "Only three words"])
def test_framing_degenerate_articles_give_empty_framing(text: str) -> None:
    framing = analyse_framing(Article.create(text), [])
    assert framing.terms == ()
    assert framing.subjectivity == 0.0 and framing.voices == {}
