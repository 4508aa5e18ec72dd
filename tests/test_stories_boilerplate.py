"""Boilerplate and repetition removal on real scraped GVA pages (pure functions, no models)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import shared_path
from corroborator.stories.signature import OutletLines
from corroborator.text.boilerplate import outlet_keys, page_lines, strip_boilerplate


def _gva() -> list[dict]:
    path = shared_path("corpus", "gva", "articles.jsonl")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def gva() -> list[dict]:
    return _gva()


def test_repeated_paragraphs_of_a_page_are_kept_once(gva: list[dict]) -> None:
    # The KHOU page of the 2016 Houston strip-mall shooting carries its paragraphs two and three times.
    page = next(r for r in gva if r["doc_id"].startswith("ffc9101d"))
    before = Counter(page_lines(page["content"]))
    assert sum(n - 1 for n in before.values()) >= 10
    cleaned = strip_boilerplate(page["content"])
    after = Counter(page_lines(cleaned))
    assert max(after.values()) == 1
    assert set(after) <= set(before)
    # Every distinct reporting line that is not furniture survives.
    assert "Houston" in cleaned and len(cleaned) < 0.75 * len(page["content"])


def test_copyright_and_sharing_lines_go_even_on_a_first_page(gva: list[dict]) -> None:
    page = next(r for r in gva if "All rights reserved" in r["content"])
    cleaned = strip_boilerplate(page["content"])
    assert "All rights reserved" not in cleaned
    assert cleaned.strip()


def test_lines_an_outlet_repeats_are_learnt_across_its_pages(gva: list[dict]) -> None:
    pages = [r["content"] for r in gva if r["outlet_host"] == "www.dnainfo.com"]
    furniture = "For more neighborhood news, listen to DNAinfo Radio here:"
    assert sum(furniture in p for p in pages) >= 5
    lines = OutletLines()
    seen_before = 0
    for p in pages:
        cleaned = strip_boilerplate(p, lines.frequent("www.dnainfo.com"))
        if furniture in p:
            if seen_before >= OutletLines.MIN_PAGES:
                assert furniture not in cleaned
            seen_before += 1
        lines.add("www.dnainfo.com", outlet_keys(p))
    # Another outlet's tables do not leak: a first page of a new outlet keeps the line.
    assert furniture in strip_boilerplate(f"Shots fired in Uptown.\n{furniture}", lines.frequent("example.test"))


def test_outlet_names_with_ports_share_one_table() -> None:
    lines = OutletLines()
    for _ in range(OutletLines.MIN_PAGES):
        lines.add("www.dnainfo.com:80", {"k"})
    assert "k" in lines.frequent("dnainfo.com")
    assert "k" not in lines.frequent("www.chron.com")


def test_every_gva_page_keeps_text(gva: list[dict]) -> None:
    for r in gva[:400]:
        if r["content"].strip():
            assert strip_boilerplate(r["content"]).strip(), r["doc_id"]


def test_the_analysed_lead_skips_repeats_and_furniture(gva: list[dict]) -> None:
    """The lead the pipeline embeds and takes entities from: on real GVA pages, no repeated sentence,
    no share/subscribe line and not the headline again; clean pages keep their first sentences."""
    from corroborator.model import Article
    from corroborator.pipeline import analyse
    from corroborator.settings import Settings
    from corroborator.text.boilerplate import lead_indices, line_key
    from corroborator.text.sentences import split_sentences

    n = Settings().lead_sentences
    changed = 0
    pages = [r for r in gva if r["content"].strip()][:400]
    for r in pages:
        art = Article.create(r["content"], title=r["title"] or None)
        sents = [s.text for s in split_sentences(art)]
        picked = lead_indices(sents, n, art.title)
        keys = [line_key(sents[i]) for i in picked]
        assert len(set(keys)) == len(keys), r["doc_id"]
        assert line_key(art.title or "") not in keys or len(picked) == 1, r["doc_id"]
        assert picked == sorted(picked) and len(picked) <= n
        first = list(range(min(n, len(sents))))
        if picked != first:
            changed += 1
        elif len({line_key(s) for s in sents[:n]}) == len(first):
            assert picked == first  # a clean lead is left as it is
    assert changed >= 20, f"only {changed} of {len(pages)} leads cleaned"
    # Through the pipeline: the article embedding reads the title and the cleaned lead (a page whose
    # fifth sentence is an "Advertisement" line), not the raw first sentences.
    import numpy as np

    from corroborator.embed import get_encoder

    page = next(r for r in gva if r["doc_id"].startswith("d678d3ee"))
    art = Article.create(page["content"], title=page["title"] or None)
    sents = [s.text for s in split_sentences(art)]
    picked = lead_indices(sents, n, art.title)
    assert "Advertisement" in sents[:n] and all(sents[i] != "Advertisement" for i in picked)
    analysed = analyse(art, Settings(ingest_workers=0))
    assert analysed.vector is not None
    cleaned, raw = get_encoder().encode(
        ["\n".join([art.title or "", *(sents[i] for i in picked)]), "\n".join([art.title or "", *sents[:n]])]
    )
    got = np.asarray(analysed.vector)
    assert float(got @ cleaned) > 0.999 > float(got @ raw)
