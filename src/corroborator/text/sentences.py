"""Sentence segmentation at ingest: spans with exact character offsets into ``Article.text``.

English (and an unknown language) goes through spaCy's ``senter`` with repairs (:mod:`.senter`, where
the measurements that chose it are written down); other languages through their analyser
(:func:`corroborator.text.analysis.analyser_for`). :func:`split_many` batches the English model across
many articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from corroborator.model import Article, Sentence
from corroborator.text.analysis import ENGLISH, Analyser, analyser_for
from corroborator.text.senter import blocks, english_sentences, flush_batch, sentence_spans

__all__ = ["english_sentences", "sentence_spans", "split_many", "split_sentences"]


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """The sentences of ``article``: trimmed, non-empty, indexed 0..n-1, text == article.text[start:end].

    English (and an unknown language) goes through :mod:`.senter`; other languages through their
    analyser (:func:`corroborator.text.analysis.analyser_for`)."""
    analyser = _analyser(article)
    if analyser is not None:
        return analyser.sentences(article)
    return english_sentences(article)


def _analyser(article: Article) -> Analyser | None:
    """The article's analyser when it is not the English one."""
    if article.language in (None, "en"):
        return None
    analyser = analyser_for(article.language)
    return None if analyser.name == ENGLISH else analyser


def split_many(articles: Iterable[Article], batch_size: int = 256) -> Iterator[tuple[Sentence, ...]]:
    """``split_sentences`` over many articles, batching the model across them (same results)."""
    pending: list[tuple[Article, list[tuple[int, int]]]] = []
    texts: list[str] = []
    owners: list[tuple[int, int]] = []  # (index into pending, block offset)
    for article in articles:
        other = _analyser(article)
        if other is not None:  # keep the order: flush what is pending, then this article
            yield from flush_batch(pending, texts, owners)
            pending, texts, owners = [], [], []
            yield other.sentences(article)
            continue
        spans = blocks(article.text)
        pending.append((article, spans))
        for start, end in spans:
            texts.append(article.text[start:end])
            owners.append((len(pending) - 1, start))
        if len(texts) >= batch_size:
            yield from flush_batch(pending, texts, owners)
            pending, texts, owners = [], [], []
    yield from flush_batch(pending, texts, owners)
