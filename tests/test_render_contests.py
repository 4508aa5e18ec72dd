"""Contested claims in every output: one report states a recall over a defect, the other reports that the
carmaker denies the defect. The contest is a finding of its own (JSON ``contests``, status "contested",
the brief's "disputed by ..., per ..." section, a "Contested claims" section in text, Markdown and HTML),
never a contradiction between the reports."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from corroborator.compare import Comparison, compare_articles
from corroborator.model import Article
from corroborator.render import render
from corroborator.render.schema import validate
from tests.browser_support import CHROMIUM
from tests.test_compare_support import CosineJudge, FakeEncoder

# Fictional reports. "<b>" in the dispute checks that the contest's text is escaped wherever it is shown.
WIRE = (
    "Halvard Motors recalled 40,000 cars on Monday after regulators found a defect in the braking system "
    "of its Strale sedan.\n\n"
    "The recall covers Strale sedans built between 2021 and 2023, the company said in a filing.\n\n"
    "Owners will be contacted by mail and repairs will be free, the filing said."
)
COURIER = (
    "Regulators in Brussels said on Monday that 40,000 Strale sedans from Halvard Motors must be brought in "
    "for repairs.\n\n"
    "Halvard Motors denied that the braking system of the Strale sedan has any defect and called the recall "
    "a <b>precaution</b>.\n\n"
    "Shares of the carmaker fell 4 percent in Frankfurt trading on Monday."
)
STATED = "Halvard Motors recalled 40,000 cars on Monday"
DISPUTE = "Halvard Motors denied that the braking system"


@pytest.fixture(scope="module")
def recall() -> Comparison:
    wire = Article.create(WIRE, source="Wire", title="Halvard recalls 40,000 cars")
    courier = Article.create(COURIER, source="Courier", title="Halvard recall")
    return compare_articles([wire, courier], judge=CosineJudge(), encoder=FakeEncoder())


def _stated(c: Comparison) -> str:
    return next(x.id for x in c.claims if x.text.startswith(STATED))


def _dispute(c: Comparison) -> str:
    return next(x.id for x in c.claims if x.text.startswith(DISPUTE))


def test_contest_found_in_the_fictional_pair(recall: Comparison) -> None:
    contest = next(k for k in recall.contests if k.claim == _stated(recall))
    assert contest.dispute == _dispute(recall) and contest.party == "Halvard Motors" and contest.cue == "denied"
    assert recall.statuses[_stated(recall)].status == "contested"
    assert ("Halvard Motors", recall.articles[1].id) in recall.statuses[_stated(recall)].contested_by
    # not a contradiction between the reports
    assert not any(set(cf.claims) == {_stated(recall), _dispute(recall)} for cf in recall.conflicts)


def test_contest_in_json_validates(recall: Comparison) -> None:
    doc = json.loads(render(recall, "json"))
    assert validate(doc) == []
    [contest] = [k for k in doc["contests"] if k["claim"] == _stated(recall)]
    assert contest["dispute"] == _dispute(recall) and contest["party"] == "Halvard Motors"
    texts = {a.id: a.text for a in recall.articles}
    for sd in contest["sides"]:
        assert texts[sd["article"]][sd["start"] : sd["end"]] == sd["text"]
    span = contest["party_span"]
    assert texts[span["article"]][span["start"] : span["end"]] == "Halvard Motors"
    claim = next(c for c in doc["claims"] if c["id"] == _stated(recall))
    assert claim["status"] == "contested"
    assert {"party": "Halvard Motors", "article": recall.articles[1].id} in claim["contested_by"]
    assert doc["summary"]["contested_claims"] == sum(c["status"] == "contested" for c in doc["claims"]) >= 1
    assert doc["summary"]["contradictions"] == 0
    # no matrix row for it: the reporting article neither supports nor contradicts the claim
    assert all(row["claim"] != _stated(recall) for row in doc["matrix"])


def test_contest_in_the_brief_cites_both_spans(recall: Comparison) -> None:
    # the point holding the stated claim (its representative may be another report's wording of it)
    [sent] = [s for s in recall.brief.sentences if s.status == "contested"]
    assert "— disputed by Halvard Motors, per Courier." in sent.text
    cited = {(c.article_id, c.start, c.end) for c in sent.citations}
    by_id = {c.id: c for c in recall.claims}
    for cid in (_stated(recall), _dispute(recall)):
        assert (by_id[cid].article_id, by_id[cid].start, by_id[cid].end) in cited
    # contested points come after what sources confirm and add, before contradictions; every sentence cites
    statuses = [s.status for s in recall.brief.sentences if s.status != "note"]
    assert statuses.index("single-source") < statuses.index("contested")
    assert all(s.citations for s in recall.brief.sentences if s.status != "note")
    # the report of the denial is never a corroborated point with the claim it denies
    assert not any(s.status == "corroborated" and s.text.startswith(DISPUTE) for s in recall.brief.sentences)


def _section(text: str, start: str, ends: tuple[str, ...]) -> str:
    at = text.index(start)
    stops = [text.find(e, at + len(start)) for e in ends]
    return text[at : min([s for s in stops if s >= 0], default=len(text))]


def test_contest_in_markdown(recall: Comparison) -> None:
    md = render(recall, "md")
    section = _section(md, "## Contested claims", ("\n## ",))
    assert STATED in section and "| Halvard Motors |" in section
    assert "Halvard Motors **denied** that the braking system" in section
    assert "<b>" not in md and "&lt;b&gt;precaution&lt;/b&gt;" in section
    assert "### Disputed by a party" in md
    assert "## Conflicts" not in md  # no contradiction here, so no conflicts section at all


def test_contest_in_text(recall: Comparison) -> None:
    text = render(recall, "text")
    section = _section(text, "Contested claims", ("Corroboration matrix", "Conflicts"))
    assert "Halvard Motors" in section and "denied that" in section
    assert "[contested]" in text and "contested," in text  # the brief's badge and the summary's count
    assert "Conflicts" not in text


def test_contest_in_html_apart_from_conflicts(recall: Comparison) -> None:
    html = render(recall, "html")
    section = _section(html, '<section id="contests">', ("</section>",))
    assert '<mark class="cue">denied</mark>' in section
    assert "&lt;b&gt;precaution&lt;/b&gt;" in section and "<b>" not in html
    assert 'class="badge b-contested"' in html and "st-contested" in html
    assert '<section id="conflicts">' not in html
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert set(re.findall(r'data-target="([^"]+)"', section)) <= ids


def test_contest_kept_apart_when_there_are_conflicts_too(recall: Comparison) -> None:
    # With a contradiction in the same comparison, the contest is still not listed among the conflicts.
    from corroborator.model import Conflict, ConflictSide

    a, b = recall.articles
    one = next(c for c in recall.claims if c.article_id == a.id and "2021" in c.text)
    two = next(c for c in recall.claims if c.article_id == b.id and "Shares" in c.text)
    fake = Conflict(
        kind="number",
        explanation="The figures differ.",
        claims=(one.id, two.id),
        sides=(
            ConflictSide(a.id, one.text, one.start, one.end, "2021"),
            ConflictSide(b.id, two.text, two.start, two.end, "4"),
        ),
    )
    html = render(dataclasses.replace(recall, conflicts=(fake,)), "html")
    conflicts = _section(html, '<section id="conflicts">', ("</section>",))
    assert "The figures differ." in conflicts and "denied" not in conflicts and STATED not in conflicts


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (bash .ci/browser.sh)")
def test_contest_visible_in_chromium(recall: Comparison, tmp_path: Path) -> None:
    pytest.importorskip("playwright")
    from tests.browser_support import chromium

    report = tmp_path / "report.html"
    report.write_text(render(recall, "html"), encoding="utf-8")
    with chromium() as browser:
        page: Any = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(report.as_uri())
        section = page.locator("#contests")
        assert section.is_visible()
        assert section.locator("h2").inner_text() == "Contested claims"
        assert section.locator("mark.cue").first.inner_text() == "denied"
        assert "Halvard Motors" in section.locator("td.party").first.inner_text()
        assert page.locator("#brief .badge.b-contested").first.is_visible()
        assert page.locator(".claim.st-contested").count() >= 1
        assert page.locator("#conflicts").count() == 0
        # a citation of the contest jumps to the stated claim in its source, which flashes
        section.locator("a.cite").first.click()
        page.wait_for_selector(".flash")
        page.close()


def test_contest_is_no_support(recall: Comparison) -> None:
    """The report of a denial is not aligned with the claim it denies (so it never counts as its support)."""
    assert not [al for al in recall.alignments if {al.a, al.b} == {_stated(recall), _dispute(recall)}]
