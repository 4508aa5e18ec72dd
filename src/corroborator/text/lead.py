"""Entities of an article's title and lead, for the story decision at ingest (one short NER call)."""

from __future__ import annotations

from collections.abc import Sequence

from corroborator.model import Article, Sentence
from corroborator.text.names import name_key
from corroborator.text.nlp import parse

LEAD_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


def lead_entities(article: Article, sentences: Sequence[Sentence], n: int) -> tuple[str, ...]:
    """Normalised names (``name_key``) of the entities in the title and first ``n`` sentences, in order."""
    parts = [article.title] if article.title else []
    parts.extend(s.text for s in sentences[: max(n, 0)])
    if not parts:
        return ()
    seen: dict[str, None] = {}
    # One doc per part: joined, NER runs a headline without a full stop into the next sentence.
    ents = (ent for doc in parse(parts, "ner") for ent in doc.ents)
    for ent in ents:
        if ent.label_ in LEAD_LABELS:
            key = name_key(ent.text)
            if key and any(c.isalpha() for c in key):
                seen.setdefault(key, None)
    return tuple(seen)
