"""Quality on the two real seed reports (one event, two outlets, one an editorial rewrite).

What a careful reader finds side by side, pinned: the shared facts aligned, the real disagreements as
typed conflicts with both spans, the precision-only difference, what only one report has, and the
rewrite's loaded framing. Runs the real pipeline (spaCy facts, the default encoder, the pair judge).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborator.compare import Comparison, compare_articles
from corroborator.model import Article, Claim, Conflict
from tests.conftest import shared_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds_comparison() -> Comparison:
    folder = shared_path("corpus", "seeds")
    paths = sorted(folder.glob("*.txt"))
    assert len(paths) == 2
    arts = [Article.create(p.read_text(encoding="utf-8"), source=Path(p).stem) for p in paths]
    return compare_articles(arts)


def _rewrite(c: Comparison) -> Article:
    return c.articles[0]  # 000_...: the editorial rewrite


def _report(c: Comparison) -> Article:
    return c.articles[1]  # 003_...: the plain report


def _claim(c: Comparison, article: Article, phrase: str) -> Claim:
    found = [x for x in c.claims if x.article_id == article.id and phrase in x.text]
    assert found, f"no claim of {article.label} contains {phrase!r}"
    return found[0]


def _linked(c: Comparison, x: Claim, y: Claim) -> str | None:
    for al in c.alignments:
        if {al.a, al.b} == {x.id, y.id}:
            return al.relation
    return None


@pytest.mark.parametrize(
    ("phrase_rewrite", "phrase_report"),
    [
        ("reversal of a longstanding ban", "lifting a longstanding ban"),  # the memo ending the restrictions
        ("Korean Peninsula", "Korean Peninsula"),
        ("dysfunctional or unsafe", "dysfunctional or unsafe"),
        ("Ottawa Convention, an international treaty", "Ottawa Convention, an international treaty"),
        ("Finland", "Finland"),
        ("Russia, China", "Russia, China"),
        ("commanding officers in combat zones", "Commanding officers in combat zones"),
    ],
)
def test_compare_seeds_shared_facts_aligned(
    seeds_comparison: Comparison, phrase_rewrite: str, phrase_report: str
) -> None:
    c = seeds_comparison
    x = _claim(c, _rewrite(c), phrase_rewrite)
    y = _claim(c, _report(c), phrase_report)
    assert _linked(c, x, y) in ("same", "overlap", "conflict")


def _conflict(c: Comparison, kind: str, phrase_a: str, phrase_b: str) -> Conflict:
    for cf in c.conflicts:
        if cf.kind != kind:
            continue
        texts = {s.article: s.text for s in cf.sides}
        a, b = _rewrite(c).id, _report(c).id
        if a in texts and b in texts and phrase_a in texts[a] and phrase_b in texts[b]:
            return cf
    kinds = [(cf.kind, [s.text for s in cf.sides]) for cf in c.conflicts]
    raise AssertionError(f"no {kind} conflict with {phrase_a!r} / {phrase_b!r}; found {kinds}")


def test_compare_seeds_1999_signed_vs_in_force(seeds_comparison: Comparison) -> None:
    cf = _conflict(seeds_comparison, "date", "signed in 1999", "came into force in 1999")
    assert not cf.precision_only
    assert "different events" in cf.explanation


def test_compare_seeds_since_1990s_vs_since_2021(seeds_comparison: Comparison) -> None:
    cf = _conflict(seeds_comparison, "date", "since the 1990s", "since 2021")
    assert not cf.precision_only


def test_compare_seeds_force_multiplier_in_two_mouths(seeds_comparison: Comparison) -> None:
    cf = _conflict(seeds_comparison, "attribution", "force multiplier", "force multiplier")
    values = [s.value for s in cf.sides]
    assert "military officials" in values[0]
    assert "Hegseth" in values[1]
    assert not cf.precision_only


def test_compare_seeds_never_ratified_vs_never_signatory_is_precision_only(
    seeds_comparison: Comparison,
) -> None:
    cf = _conflict(seeds_comparison, "polarity", "never ratified", "never been a signatory")
    assert cf.precision_only
    # and it is not counted as a contradiction: neither claim is disputed because of it
    for cid in cf.claims:
        st = seeds_comparison.statuses[cid]
        assert st.status != "disputed" or st.disputed_by


def test_compare_seeds_departure_from_obama_vs_biden(seeds_comparison: Comparison) -> None:
    """'a sharp departure from the policies of the previous Biden administration' vs 'a sharp departure
    from the Obama-era stance': the same words, a different president."""
    cf = _conflict(seeds_comparison, "entity", "sharp departure", "sharp departure")
    assert {s.value for s in cf.sides} == {"Biden", "Obama"}


def test_compare_seeds_ninety_days_agree(seeds_comparison: Comparison) -> None:
    """The 90-day review and the framework 'within 90 days' are one deadline described two ways."""
    c = seeds_comparison
    x = _claim(c, _rewrite(c), "90-day review")
    y = _claim(c, _report(c), "within 90 days")
    assert _linked(c, x, y) in ("same", "overlap")
    assert not [cf for cf in c.conflicts if set(cf.claims) == {x.id, y.id} and not cf.precision_only]


@pytest.mark.parametrize(
    ("which", "phrase"),
    [
        ("rewrite", "the UN has recently accused the country"),
        ("report", "formal statement"),
    ],
)
def test_compare_seeds_single_source_details(seeds_comparison: Comparison, which: str, phrase: str) -> None:
    c = seeds_comparison
    article = _rewrite(c) if which == "rewrite" else _report(c)
    claim = _claim(c, article, phrase)
    assert c.statuses[claim.id].status == "single-source"


def test_compare_seeds_rewrite_is_more_loaded(seeds_comparison: Comparison) -> None:
    framing = {f.article_id: f for f in seeds_comparison.framings}
    assert framing[_rewrite(seeds_comparison).id].subjectivity > framing[_report(seeds_comparison).id].subjectivity


def test_compare_seeds_brief_cites_every_sentence(seeds_comparison: Comparison) -> None:
    c = seeds_comparison
    texts = {a.id: a.text for a in c.articles}
    statuses = [s.status for s in c.brief.sentences]
    # A wire editor's order: what sources confirm, what single sources add, then the disagreements.
    assert statuses.index("corroborated") < statuses.index("single-source") < statuses.index("disputed")
    for s in c.brief.sentences:
        assert s.citations, s.text
        for cit in s.citations:
            assert 0 <= cit.start < cit.end <= len(texts[cit.article_id])
    assert "Left out" in c.brief.left_out or "Nothing left out" in c.brief.left_out


def test_compare_seeds_rewrite_is_not_a_second_witness(seeds_comparison: Comparison) -> None:
    """Both credit The Washington Post and one rewrites the other: one independent source."""
    c = seeds_comparison
    (d,) = c.derivations
    assert "Washington Post" in d.credited
    assert d.direction == "shared origin"  # no publication times: no direction is claimed
    assert c.rewrites() == (d,)
    corroborated = [s for s in c.statuses.values() if s.status == "corroborated"]
    assert corroborated and all(s.independent_sources == 1 for s in corroborated)


def test_compare_seeds_no_more_than_six_conflicts(seeds_comparison: Comparison) -> None:
    """The real disagreements, and not a flood of doubtful ones: at most 6 contradictions in all."""
    found = [cf for cf in seeds_comparison.conflicts if not cf.precision_only]
    assert len(found) <= 6, [(cf.kind, cf.explanation) for cf in found]
