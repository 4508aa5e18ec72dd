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
    nlp._load_once.cache_clear()
    sentences = [[s.text for s in doc.sents] for doc in nlp.parse(texts, "senter")]
    entities = [[(e.text, e.label_) for e in doc.ents] for doc in nlp.parse(texts, "ner")]
    assert nlp._load_once.cache_info().currsize == 1
    # Each call ran only what it asked for.
    assert all(not doc.ents for doc in nlp.parse(texts[:3], "senter"))
    # The same answers as a pipeline loaded for that component alone.
    assert sentences == [[s.text for s in doc.sents] for doc in nlp.get_nlp("senter").pipe(texts)]
    assert entities == [[(e.text, e.label_) for e in doc.ents] for doc in nlp.get_nlp("ner").pipe(texts)]
    assert sum(len(s) for s in sentences) > len(texts) and sum(len(e) for e in entities) > 10


def test_nlp_parse_other_components_fall_back_to_their_own_pipeline(seeds: list[Path]) -> None:
    (doc,) = nlp.parse(_paragraphs(seeds)[:1], "tagger")
    assert all(t.tag_ for t in doc)


def test_nlp_transient_strings_keep_an_ingest_worker_flat_with_the_same_answers() -> None:
    import json
    import lzma

    from conftest import shared_path
    from corroborator.model import Article
    from corroborator.pipeline import analyse_many
    from corroborator.settings import Settings

    path = shared_path("corpus", "allsides", "articles", "articles-01.jsonl.xz")
    articles = []
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if (rec.get("content_original") or "").strip():
                articles.append(Article.create(rec["content_original"], title=rec.get("title")))
            if len(articles) == 60:
                break
    settings = Settings()
    analyse_many(articles[:1], settings)
    strings = nlp._load(nlp._SHARED).vocab.strings
    before = len(strings)
    with nlp.transient_strings():
        kept = analyse_many(articles[:30], settings)
    # Real news brings hundreds of word forms the model never saw; inside the block they are forgotten.
    assert len(strings) == before
    plain = analyse_many(articles[:30], settings)
    assert len(strings) > before + 200
    # Only memory changes: the same sentences and lead entities as a parse that keeps its strings.
    assert [(a.sentences, a.lead_entities) for a in kept] == [(a.sentences, a.lead_entities) for a in plain]


def test_nlp_preload_and_parse_together_load_the_pipeline_once(seeds: list[Path]) -> None:
    """A comparison starts spaCy's load on a thread and parses on another: one pipeline, same answers."""
    import threading

    texts = _paragraphs(seeds)[:5]
    nlp._load_once.cache_clear()
    nlp.preload()
    found: list[list[str]] = []
    worker = threading.Thread(
        target=lambda: found.extend([s.text for s in d.sents] for d in nlp.parse(texts, "senter"))
    )
    worker.start()
    worker.join()
    assert nlp._load_once.cache_info().currsize == 1 and nlp._load_once.cache_info().misses == 1
    assert found == [[s.text for s in d.sents] for d in nlp.get_nlp("senter").pipe(texts)]
