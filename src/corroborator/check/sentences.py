"""Sentences of an article for stance checking: the team's splitter when present, pysbd otherwise."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from corroborator.model import Article, Sentence


def article_sentences(article: Article) -> tuple[Sentence, ...]:
    try:
        from corroborator.text.sentences import split_sentences
    except ImportError:
        return _pysbd_sentences(article)
    return tuple(split_sentences(article))


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _pysbd_sentences(article: Article) -> tuple[Sentence, ...]:
    text = article.text
    out: list[Sentence] = []
    cursor = 0
    for span in _segmenter().segment(text):
        raw = span.sent
        # pysbd's offsets drift on repeated sentences; locate each piece ourselves, left to right.
        start = text.find(raw, cursor)
        if start < 0:
            start = span.start
        end = start + len(raw)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        cursor = end
        out.append(Sentence(article.id, len(out), start, end, text[start:end]))
    return tuple(out)
