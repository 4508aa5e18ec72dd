"""Sentences of an article for stance checking: the ingest splitter, so offsets match stored sentences."""

from __future__ import annotations

from corroborator.model import Article, Sentence
from corroborator.text.sentences import split_sentences


def article_sentences(article: Article) -> tuple[Sentence, ...]:
    return tuple(split_sentences(article))
