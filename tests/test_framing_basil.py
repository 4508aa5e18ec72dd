"""Framing terms against BASIL's annotated lexical-bias phrases (real articles read from ../shared).

Only held-out events (2015-2019) are scored: the learned adjustments were fitted on the others.
"""

from __future__ import annotations

import json

import pytest

from conftest import shared_path
from corroborator.compare.framing import SUBJECTIVE, analyse_framing
from corroborator.compare.framing.evaluate import BasilArticle, Score, framing_score, load_basil
from corroborator.compare.framing.lexicon import build_lexicon, hand_lists, load_lexicon

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def basil() -> list[BasilArticle]:
    return load_basil(shared_path("corpus", "basil"))


@pytest.fixture(scope="module")
def heldout(basil: list[BasilArticle]) -> list[BasilArticle]:
    return [b for b in basil if b.heldout]


def _score(items: list[BasilArticle], categories: frozenset[str] | set[str], learned: bool = True) -> Score:
    lexicon = load_lexicon() if learned else build_lexicon(hand_lists(), {})
    total = Score()
    for item in items:
        total.add(framing_score(item, analyse_framing(item.article, item.sentences, lexicon=lexicon), categories))
    return total


def test_framing_basil_annotations_map_onto_article_text(basil: list[BasilArticle]) -> None:
    root = shared_path("corpus", "basil")
    raw = 0
    for path in (root / "annotations").glob("*/*_ann.json"):
        phrases = json.loads(path.read_text(encoding="utf-8"))["phrase-level-annotations"]
        raw += sum(p["bias"] == "lex" for p in phrases)
    located = [g for b in basil for g in b.lexical]
    assert len(located) >= 0.99 * raw
    for item in basil:
        for g in item.gold:
            assert item.article.text[g.start : g.end] == g.text
    outlets = {b.outlet for b in basil}
    assert outlets == {"Fox", "NYT", "HuffPost"}
    assert {b.heldout for b in basil} == {True, False}


def test_framing_basil_finds_annotated_phrases_in_single_articles(heldout: list[BasilArticle]) -> None:
    annotated = [b for b in heldout if len(b.lexical) >= 3][:6]
    assert annotated
    hits = [_score([b], SUBJECTIVE).gold_found for b in annotated]
    assert sum(h >= 1 for h in hits) >= len(annotated) // 2


def test_framing_basil_heldout_recall_and_precision(heldout: list[BasilArticle]) -> None:
    biased = _score(heldout, SUBJECTIVE)
    hedges = _score(heldout, {"hedge"})
    assert biased.recall >= 0.25
    # charged wording lands on annotated bias far more often than hedging does
    assert biased.precision >= 3 * max(hedges.precision, 0.005)


def test_framing_basil_learned_adjustments_generalise(heldout: list[BasilArticle]) -> None:
    learned = _score(heldout, SUBJECTIVE, learned=True)
    hand = _score(heldout, SUBJECTIVE, learned=False)
    assert learned.precision >= hand.precision
    assert learned.recall >= hand.recall - 0.02


def test_framing_basil_voices_are_cited_names_from_the_text(basil: list[BasilArticle]) -> None:
    sample = basil[::5]
    with_voices = 0
    for item in sample:
        voices = analyse_framing(item.article, item.sentences).voices
        with_voices += bool(voices)
        for speakers in voices.values():
            for speaker in speakers:
                assert speaker in item.article.text
    # news reports cite someone: nearly every article has at least one voice
    assert with_voices >= 0.9 * len(sample)
