"""Whose voices an article cites, by role, on sentences written for these tests."""

from __future__ import annotations

import pytest

from corroborator.compare.framing.lexicon import load_lexicon
from corroborator.compare.framing.voices import find_voices, sentence_speakers
from corroborator.model import Article, Fact, Sentence


def _speakers(text: str) -> list[str]:
    article = Article.create(text)
    return sentence_speakers(article.text, Sentence(article.id, 0, 0, len(text), text), load_lexicon())


def _voices(text: str, facts: tuple[Fact, ...] = ()) -> dict[str, list[str]]:
    article = Article.create(text)
    sentences, start = [], 0
    for line in text.split("\n"):
        sentences.append(Sentence(article.id, len(sentences), start, start + len(line), line))
        start += len(line) + 1
    return find_voices(article, sentences, facts, load_lexicon())


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The plan will fail, Interior Minister Ana Ruiz said on Monday.", "Interior Minister Ana Ruiz"),
        ('"We will not back down," said Gen. Mark Olsen.', "Gen. Mark Olsen"),
        ("According to the State Department, talks resumed.", "State Department"),
        (
            "According to a report by the Congressional Budget Office, costs rose.",
            "Congressional Budget Office",
        ),
        (
            "The move drew sharp criticism from human rights groups, who argue it harms civilians.",
            "human rights groups",
        ),
        (
            "Meanwhile, supporters of the policy contend that it restores flexibility.",
            "supporters of the policy",
        ),
        (
            "Economists at the central bank warned that inflation would rise.",
            "Economists at the central bank",
        ),
    ],
)
def test_framing_voices_speaker_patterns(text: str, speaker: str) -> None:
    assert speaker in _speakers(text)


@pytest.mark.parametrize(
    "text",
    [
        "The United States has taken a new step in its policy.",  # "States" is a name, not "states"
        "It said nothing about the budget.",  # a pronoun is no voice
        "The law took effect in May.",
    ],
)
def test_framing_voices_no_false_speaker(text: str) -> None:
    assert _speakers(text) == []


def test_framing_voices_grouped_by_role_with_title_borrowed_from_first_mention() -> None:
    text = "\n".join(
        [
            "Defense Secretary Lena Park signed the order on Friday.",
            "Park argued the change was overdue.",
            "Critics warn it will cost lives, while supporters have hailed the decision.",
            "Analysts said the timing was unusual.",
            "Maria Gomez, a retired teacher, said she was worried.",
        ]
    )
    voices = _voices(text)
    assert voices["officials"] == ["Park"]
    assert voices["critics"] == ["Critics"]
    assert voices["supporters"] == ["supporters"]
    assert voices["experts"] == ["Analysts"]
    assert voices["others"] == ["Maria Gomez"]


def test_framing_voices_use_fact_speakers_first() -> None:
    text = "The decision was announced on Friday."
    fact = Fact(kind="quote", start=0, end=len(text), text=text, norm=text, speaker="White House spokesperson")
    voices = _voices(text, (fact,))
    assert voices == {"officials": ["White House spokesperson"]}
