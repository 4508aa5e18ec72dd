"""split_sentences: exact offsets, paragraph boundaries, abbreviations and quotes, on seeds and AllSides."""

from __future__ import annotations

import json
import lzma

import pytest

from conftest import shared_path
from corroborator.model import Article
from corroborator.text.sentences import sentence_spans, split_many, split_sentences

pytestmark = pytest.mark.slow  # loads spaCy's senter


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(Article.create(text))]


def _check_invariants(article: Article) -> None:
    sentences = split_sentences(article)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    last_end = 0
    for s in sentences:
        assert s.article_id == article.id
        assert s.text == article.text[s.start : s.end]
        assert s.text and s.text == s.text.strip()
        assert s.start >= last_end
        last_end = s.end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Jane O. Smith arrived in Washington, D.C. on Jan. 5. She met officials from the U.S. "
            "State Department.",
            [
                "Dr. Jane O. Smith arrived in Washington, D.C. on Jan. 5.",
                "She met officials from the U.S. State Department.",
            ],
        ),
        (
            'Sen. Mitch McConnell (R-Ky.) spoke first. "We will not back down," he said. The vote was 52-48.',
            [
                "Sen. Mitch McConnell (R-Ky.) spoke first.",
                '"We will not back down," he said.',
                "The vote was 52-48.",
            ],
        ),
        (
            "The rally ended. “Change the laws!” he wrote. Nobody answered.",
            ["The rally ended.", "“Change the laws!” he wrote.", "Nobody answered."],
        ),
        (
            "It was approx. 5 p.m. when Mr. Smith Jr. left the building. The U.S. economy grew 2.1% last year.",
            [
                "It was approx. 5 p.m. when Mr. Smith Jr. left the building.",
                "The U.S. economy grew 2.1% last year.",
            ],
        ),
    ],
)
def test_sentences_handle_abbreviations_and_quotes(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_sentences_paragraph_breaks_are_boundaries() -> None:
    text = "Breaking News Headline Without Stop\n\nThe report came out. It said little\nmore than that.\nA new line."
    assert _texts(text) == [
        "Breaking News Headline Without Stop",
        "The report came out.",
        "It said little\nmore than that.",  # a hard-wrapped line is not a paragraph
        "A new line.",
    ]


def test_sentences_empty_and_blank_text() -> None:
    assert split_sentences(Article.create("")) == ()
    assert split_sentences(Article.create("  \n\n \t ")) == ()
    assert sentence_spans("   Hello there.  ") == [(3, 15)]


def test_sentences_seeds_offsets_and_us_paragraph(seeds: list) -> None:
    assert len(seeds) == 2
    articles = [Article.create(p.read_text(encoding="utf-8")) for p in seeds]
    for article in articles:
        _check_invariants(article)
    rewrite = split_sentences(articles[1])
    # "The U.S." closes its paragraph; the next paragraph starts "State Department ...".
    us = [s for s in rewrite if s.text == "The U.S."]
    assert len(us) == 1
    assert rewrite[us[0].index + 1].text.startswith("State Department has not yet issued")
    # Both seeds keep every "U.S." inside its sentence.
    for article in articles:
        for s in split_sentences(article):
            assert not s.text.startswith(("S.", "."))
    first = split_sentences(articles[0])
    assert any(s.text.startswith("The U.S. never ratified the treaty") for s in first)
    assert any(s.text.endswith("‘dysfunctional or unsafe.’") for s in first)


def test_sentences_allsides_invariants_and_batching() -> None:
    path = shared_path("corpus", "allsides", "articles", "articles-00.jsonl.xz")
    articles = []
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("content_original") or ""
            if text.strip():
                articles.append(Article.create(text))
            if len(articles) == 40:
                break
    total = 0
    for article, batched in zip(articles, split_many(articles, batch_size=64), strict=True):
        _check_invariants(article)
        single = split_sentences(article)
        assert batched == single
        total += len(single)
        # A paragraph break never falls inside a sentence.
        assert all("\n\n" not in s.text for s in single)
    # Real news sentences average 15-35 words; a broken splitter lands far outside that.
    words = sum(len(s.text.split()) for a in articles for s in split_sentences(a))
    assert 15 <= words / total <= 35


def test_sentences_very_long_paragraph_is_cut_safely() -> None:
    # Over spaCy's comfortable length in one paragraph: cut into blocks, offsets still exact.
    text = " ".join(f"Sentence number {i} talks about the U.S. budget." for i in range(2600))
    assert len(text) > 100_000
    article = Article.create(text)
    sentences = split_sentences(article)
    _check_invariants(article)
    assert len(sentences) == 2600
    assert "\r" not in "".join(s.text for s in split_sentences(Article.create("One line.\r\n\r\nTwo line.\r\n")))
