"""text/nlp: sentence boundaries and entities come from one loaded spaCy pipeline, with the same results as
a pipeline loaded for each alone (a cold compare used to load the package twice)."""

from __future__ import annotations

from pathlib import Path

from corroborator.text import nlp


def _paragraphs(seeds: list[Path]) -> list[str]:
    out = []
    for path in seeds:
        out.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 20)
    return out[:40]


def test_nlp_parse_senter_and_ner_share_one_pipeline(seeds: list[Path]) -> None:
    texts = _paragraphs(seeds)
    assert texts
    nlp._load.cache_clear()
    sentences = [[s.text for s in doc.sents] for doc in nlp.parse(texts, "senter")]
    entities = [[(e.text, e.label_) for e in doc.ents] for doc in nlp.parse(texts, "ner")]
    assert nlp._load.cache_info().currsize == 1
    # Each call ran only what it asked for.
    assert all(not doc.ents for doc in nlp.parse(texts[:3], "senter"))
    # The same answers as a pipeline loaded for that component alone.
    assert sentences == [[s.text for s in doc.sents] for doc in nlp.get_nlp("senter").pipe(texts)]
    assert entities == [[(e.text, e.label_) for e in doc.ents] for doc in nlp.get_nlp("ner").pipe(texts)]
    assert sum(len(s) for s in sentences) > len(texts) and sum(len(e) for e in entities) > 10


def test_nlp_parse_other_components_fall_back_to_their_own_pipeline(seeds: list[Path]) -> None:
    (doc,) = nlp.parse(_paragraphs(seeds)[:1], "tagger")
    assert all(t.tag_ for t in doc)
