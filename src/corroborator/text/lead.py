"""Entities of an article's title and lead, for the story decision at ingest (one short NER call)."""

from __future__ import annotations

from collections.abc import Sequence

from corroborator.model import Article, Sentence
from corroborator.text.names import name_key
from corroborator.text.nlp import parse
from corroborator.text.quotes import Entity

LEAD_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


def lead_entities(
    article: Article,
    sentences: Sequence[Sentence],
    n: int,
    entities: Sequence[Sequence[Entity]] | None = None,
) -> tuple[str, ...]:
    """Normalised names (``name_key``) of the entities in the title and first ``n`` sentences, in order.

    ``entities``: the English NER's entities of those sentences when the caller has them (ingest, which
    makes every sentence's facts anyway); then only the title is parsed here.
    """
    lead = list(sentences[: max(n, 0)])
    title = [article.title] if article.title else []
    if not title and not lead:
        return ()
    # One doc per part: joined, NER runs a headline without a full stop into the next sentence.
    texts = title + ([] if entities is not None else [s.text for s in lead])
    found = [(e.label_, e.text) for doc in parse(texts, "ner") for e in doc.ents]
    if entities is not None:
        found.extend((e.label, e.text) for ents in entities[: len(lead)] for e in ents)
    seen: dict[str, None] = {}
    for label, text in found:
        if label in LEAD_LABELS:
            key = name_key(text)
            if key and any(c.isalpha() for c in key):
                seen.setdefault(key, None)
    return tuple(seen)
