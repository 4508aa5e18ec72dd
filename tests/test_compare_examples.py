"""The fictional example corpus (examples/README.md lists its planted disagreements): each one found,
each agreement left alone, the rewrite and its direction, single-source details and framing."""

from __future__ import annotations

import pytest

from corroborator.compare import Comparison, compare_articles
from corroborator.compare.lineage import is_rewrite
from corroborator.errors import InputError
from corroborator.ingest import read_paths
from corroborator.model import Article, Conflict
from corroborator.settings import Settings
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow


def _read(folder: str) -> dict[str, Article]:
    paths = sorted((EXAMPLES / folder).glob("*.md"))
    items = list(read_paths(paths, Settings()))
    assert not [i for i in items if isinstance(i, InputError)]
    return {a.external_id.split("-")[2]: a for a in items if isinstance(a, Article) and a.external_id}


@pytest.fixture(scope="module")
def fire() -> tuple[Comparison, dict[str, Article]]:
    arts = _read("port-elvan-fire")
    assert set(arts) == {"01", "02", "03", "04", "05"}
    return compare_articles([arts[k] for k in sorted(arts)]), arts


def _between(c: Comparison, kind: str, x: Article, y: Article, phrase_x: str, phrase_y: str) -> list[Conflict]:
    out = []
    for cf in c.conflicts:
        texts = {s.article: s.text for s in cf.sides}
        if cf.kind == kind and x.id in texts and y.id in texts and phrase_x in texts[x.id] and phrase_y in texts[y.id]:
            out.append(cf)
    return out


def _any(c: Comparison, kind: str, arts: dict[str, Article], left: str, right: str, px: str, py: str) -> Conflict:
    for k in left:
        for m in right:
            found = _between(c, kind, arts[f"0{k}"], arts[f"0{m}"], px, py)
            if found:
                return found[0]
    raise AssertionError(
        f"no {kind} conflict {px!r} vs {py!r}: {[(x.kind, [s.text for s in x.sides]) for x in c.conflicts]}"
    )


def test_compare_examples_c1_evacuated_340_vs_430(fire: tuple[Comparison, dict[str, Article]]) -> None:
    c, arts = fire
    cf = _any(c, "number", arts, "1245", "3", "340", "430")
    assert not cf.precision_only


def test_compare_examples_c2_about_120_vs_118_is_not_a_conflict(
    fire: tuple[Comparison, dict[str, Article]],
) -> None:
    c, _ = fire
    bad = [
        cf
        for cf in c.conflicts
        if cf.kind == "number" and {"120", "118"} <= {s.value.split()[0].split(".")[0] for s in cf.sides}
    ]
    assert not bad or all(cf.precision_only for cf in bad)


def test_compare_examples_c3_tuesday_vs_march_2(fire: tuple[Comparison, dict[str, Article]]) -> None:
    c, arts = fire
    cf = _any(c, "date", arts, "5", "1234", "March 2", "Tuesday")
    assert not cf.precision_only


def test_compare_examples_c4_same_quote_two_speakers(fire: tuple[Comparison, dict[str, Article]]) -> None:
    c, arts = fire
    cf = _any(c, "attribution", arts, "12", "3", "lucky the wind turned", "lucky the wind turned")
    assert "Varga" in cf.sides[0].value or "Mayor" in cf.sides[0].value
    assert "Oduya" in cf.sides[1].value


def test_compare_examples_c5_october_vs_october_14_is_precision_only(
    fire: tuple[Comparison, dict[str, Article]],
) -> None:
    c, arts = fire
    cf = _any(c, "date", arts, "12", "3", "October", "October 14")
    assert cf.precision_only


def test_compare_examples_c6_no_injuries_vs_two_treated(fire: tuple[Comparison, dict[str, Article]]) -> None:
    c, arts = fire
    cf = _any(c, "polarity", arts, "12", "3", "o injuries", "treated")
    assert not cf.precision_only


@pytest.mark.parametrize("phrase", ["14 streets", "5 a.m", "Harbour Road", "cooperating"])
def test_compare_examples_agreements_are_not_conflicts(
    fire: tuple[Comparison, dict[str, Article]], phrase: str
) -> None:
    c, _ = fire
    hits = [cf for cf in c.conflicts if not cf.precision_only and any(phrase in s.text for s in cf.sides)]
    assert not hits, [(x.kind, x.explanation) for x in hits]


def test_compare_examples_wire_rewrite_has_direction(fire: tuple[Comparison, dict[str, Article]]) -> None:
    c, arts = fire
    d = next(d for d in c.derivations if {d.a, d.b} == {arts["01"].id, arts["02"].id})
    assert (d.a, d.b, d.direction) == (arts["01"].id, arts["02"].id, "a->b")
    assert is_rewrite(d) and d.verbatim_runs >= 5
    courier = next(d for d in c.derivations if {d.a, d.b} == {arts["01"].id, arts["03"].id})
    assert not is_rewrite(courier)
    assert c.groups[arts["01"].id] == c.groups[arts["02"].id] != c.groups[arts["03"].id]


def test_compare_examples_rewrite_is_not_a_second_witness(
    fire: tuple[Comparison, dict[str, Article]],
) -> None:
    c, arts = fire
    wire_only_pair = [s for s in c.statuses.values() if set(s.sources) == {arts["01"].id, arts["02"].id}]
    assert wire_only_pair, "some claims are shared by the wire and its rewrite only"
    assert all(s.independent_sources == 1 for s in wire_only_pair)


@pytest.mark.parametrize(("key", "phrase"), [("02", "loud bang"), ("01", "employs 45 people"), ("05", "Kessline")])
def test_compare_examples_single_source_details(
    fire: tuple[Comparison, dict[str, Article]], key: str, phrase: str
) -> None:
    c, arts = fire
    claim = next(x for x in c.claims if x.article_id == arts[key].id and phrase in x.text)
    assert c.statuses[claim.id].status == "single-source"


def test_compare_examples_column_is_most_loaded(fire: tuple[Comparison, dict[str, Article]]) -> None:
    c, arts = fire
    subj = {f.article_id: f.subjectivity for f in c.framings}
    assert max(subj, key=lambda k: subj[k]) == arts["04"].id


@pytest.fixture(scope="module")
def dunmere() -> Comparison:
    arts = _read("dunmere-water")
    return compare_articles([arts[k] for k in sorted(arts)])


def test_compare_examples_dunmere_rounding_agrees(dunmere: Comparison) -> None:
    assert not [cf for cf in dunmere.conflicts if cf.kind == "number" and not cf.precision_only]


def test_compare_examples_dunmere_about_2000_vs_1950_is_a_precision_note(dunmere: Comparison) -> None:
    notes = [
        cf
        for cf in dunmere.conflicts
        if cf.kind == "number"
        and cf.precision_only
        and {"2,000", "1,950"} <= {w for s in cf.sides for w in s.text.split()}
    ]
    assert notes, [(cf.kind, [s.text for s in cf.sides]) for cf in dunmere.conflicts]


def test_compare_examples_dunmere_shared_points_corroborated(dunmere: Comparison) -> None:
    """The two reports of the burst main state how many homes lost water in their own words ("About
    2,000 homes", "1,950 households"): both claims are corroborated, and nothing is a contradiction."""
    c = dunmere
    a, b = c.articles
    x = next(cl for cl in c.claims if cl.article_id == a.id and "2,000 homes" in cl.text)
    y = next(cl for cl in c.claims if cl.article_id == b.id and "1,950 households" in cl.text)
    assert c.statuses[x.id].status == "corroborated", x.text
    assert c.statuses[y.id].status == "corroborated", y.text
    assert not [cf for cf in c.conflicts if not cf.precision_only], [cf.explanation for cf in c.conflicts]


def test_compare_examples_brief_order_and_citations(fire: tuple[Comparison, dict[str, Article]]) -> None:
    c, _ = fire
    sections = [s.status for s in c.brief.sentences]
    order = ["corroborated", "single-source", "contested", "disputed", "note", "timeline"]
    assert sections == sorted(sections, key=order.index), "brief sections out of order"
    texts = {a.id: a.text for a in c.articles}
    for s in c.brief.sentences:
        assert s.citations
        for cit in s.citations:
            assert 0 <= cit.start < cit.end <= len(texts[cit.article_id])
    # corroborated points by importance: sources weigh with lead position and facts, so the point most
    # sources confirm is among the first three, and the brief opens with one of the reports' leads
    groups = c.groups
    counts = []
    for s in c.brief.sentences:
        if s.status == "corroborated":
            counts.append(len({groups[cit.article_id] for cit in s.citations}))
    assert max(counts) in counts[:3] and counts[0] >= 2
    # the three planted disagreements that are contradictions each appear once in the brief
    disputed = [s.text for s in c.brief.sentences if s.status == "disputed"]
    for needle in ("340", "lucky the wind turned", "injuries", "March 2"):
        assert sum(needle in t for t in disputed) == 1, (needle, disputed)
    assert c.brief.left_out.startswith(("Left out", "Nothing left out"))
