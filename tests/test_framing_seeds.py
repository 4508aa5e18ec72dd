"""Framing on the two real seed reports: one wire-like, one an editorial rewrite of the same event."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import shared_path
from corroborator.compare.framing import analyse_framing, framing_table
from corroborator.model import Article, Framing
from corroborator.text.sentences import split_sentences

pytestmark = pytest.mark.slow

EDITORIAL_OPENING = "The United States has taken a dramatic turn"
COLOURING = ("loaded", "intensifier", "aside")


@pytest.fixture(scope="module")
def seeds() -> tuple[tuple[Article, Framing], tuple[Article, Framing]]:
    paths = sorted(shared_path("corpus", "seeds").glob("*.txt"))
    articles = [Article.create(p.read_text(encoding="utf-8")) for p in paths]
    editorial = [a for a in articles if a.text.lstrip().startswith(EDITORIAL_OPENING)]
    wire = [a for a in articles if not a.text.lstrip().startswith(EDITORIAL_OPENING)]
    assert len(editorial) == 1 and len(wire) == 1, "expected one editorial rewrite and one wire-like report"
    ed, wi = editorial[0], wire[0]
    return (ed, analyse_framing(ed, split_sentences(ed))), (wi, analyse_framing(wi, split_sentences(wi)))


def test_framing_seeds_editorial_is_more_coloured_than_wire(seeds) -> None:  # type: ignore[no-untyped-def]
    (_, editorial), (_, wire) = seeds
    ed = Counter(t.category for t in editorial.terms)
    wi = Counter(t.category for t in wire.terms)
    assert sum(ed[c] for c in COLOURING) >= 2 * sum(wi[c] for c in COLOURING)
    assert ed["intensifier"] > wi["intensifier"] and ed["loaded"] > wi["loaded"]
    assert editorial.subjectivity >= wire.subjectivity + 0.15


def test_framing_seeds_terms_have_exact_spans(seeds) -> None:  # type: ignore[no-untyped-def]
    for article, framing in seeds:
        for term in framing.terms:
            assert article.text[term.start : term.end] == term.text
    (article, editorial), _ = seeds
    found = {(t.text.lower(), t.category) for t in editorial.terms}
    assert {("dramatic", "intensifier"), ("fierce", "intensifier"), ("sweeping", "intensifier")} <= found
    assert ("a phrase that has raised eyebrows", "aside") in found


def test_framing_seeds_voices_by_role(seeds) -> None:  # type: ignore[no-untyped-def]
    (_, editorial), (_, wire) = seeds
    voices = {role: [s.lower() for s in speakers] for role, speakers in editorial.voices.items()}
    assert "military officials" in voices["officials"]
    assert {"critics", "human rights groups"} <= set(voices["critics"])
    assert "trump supporters" in voices["supporters"]
    assert any("hegseth" in s for s in voices["officials"])
    # the wire report cites critics and supporters too, in fewer words
    assert wire.voices.get("critics") and wire.voices.get("supporters")


def test_framing_seeds_table_side_by_side(seeds) -> None:  # type: ignore[no-untyped-def]
    (_, editorial), (_, wire) = seeds
    ed_row, wi_row = framing_table([editorial, wire])
    assert ed_row["article"] == editorial.article_id and wi_row["article"] == wire.article_id
    assert "dramatic" in ed_row["top_terms"] or "sharp" in ed_row["top_terms"]  # type: ignore[operator]
    assert ed_row["subjectivity"] > wi_row["subjectivity"]  # type: ignore[operator]
