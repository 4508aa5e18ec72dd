"""The fact ledger: corroboration fact by fact, and a brief whose every citation is true.

The Dunmere example (two reports written for this repo) shares details in different sentences: the
cast-iron main, its age (a 60-year-old pipe in 2026, a main laid in the 1960s), the time it burst, the
bottled water station at the market hall, and the count at two precisions. Then every citation of every
example and of real stories (the seeds, BASIL triplets, GVA incidents, read from ../shared) is walked and
checked against the JSON document, apart from the code that chose it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, shared_path
from corroborator.compare import Comparison, compare_articles
from corroborator.compare.ledger.citations import true_citations
from corroborator.ingest import read_paths
from corroborator.model import Article, BriefSentence, Citation
from corroborator.render import render
from corroborator.render.document import to_document
from corroborator.settings import Settings
from tests.browser_support import CHROMIUM


@cache
def _compare(*paths: str) -> Comparison:
    arts = [a for a in read_paths([Path(p) for p in paths], Settings()) if isinstance(a, Article)]
    return compare_articles(arts)


def _dunmere() -> Comparison:
    return _compare(str(EXAMPLES / "dunmere-water"))


def _facts(c: Comparison, status: str) -> list[Any]:
    return [f for f in c.ledger if f.status == status and len(f.sources) > 1]


def test_ledger_dunmere_shared_details_are_corroborated_in_other_sentences() -> None:
    c = _dunmere()
    shared = {f.label.lower() for f in _facts(c, "corroborated") if f.kind != "name"}
    for detail in ("cast-iron", "7 a.m.", "market hall"):
        assert detail in shared, shared
    assert any(label.startswith("bottled water station") for label in shared), shared
    assert len(shared) >= 5, shared
    age = next(f for f in _facts(c, "corroborated") if f.label == "60-year-old")
    assert "1960s" in age.note and {m.text for m in age.mentions} == {"60-year-old", "in the 1960s"}
    count = next(f for f in _facts(c, "precision"))
    assert {m.text for m in count.mentions} == {"2,000 homes", "1,950 households"}
    # Every mention is the source's own text at its offsets.
    texts = {a.id: a.text for a in c.articles}
    for f in c.ledger:
        for m in f.mentions:
            assert texts[m.article_id][m.start : m.end] == m.text


def test_ledger_dunmere_brief_no_false_only_x_reports() -> None:
    c = _dunmere()
    doc = to_document(c)
    summary = {cl["id"]: cl["corroboration"] for cl in doc["claims"]}
    shared_claims = {cid for cid, s in summary.items() if s.startswith(("corroborated", "partly"))}
    for s in c.brief.sentences:
        if s.text.startswith("Only "):
            cited = {f"{x.article_id}:{x.start}-{x.end}" for x in s.citations}
            assert not cited & shared_claims, s.text
    pipe = next(s for s in c.brief.sentences if "cast-iron pipe" in s.text)
    assert pipe.status == "corroborated" and len({x.article_id for x in pipe.citations}) == 2
    assert "‘cast-iron’" in pipe.text and "‘in the 1960s’" in pipe.text
    assert any(cl["corroboration"].startswith("partly corroborated") for cl in doc["claims"])


def test_ledger_timeline_cites_only_reports_stating_that_matter() -> None:
    c = _dunmere()
    friday = [s for s in c.brief.sentences if s.status == "timeline" and "2026-03-06" in s.text]
    # A repair due on Friday (A) and a supply restored by Friday (B) are two entries, each citing its report.
    assert len(friday) == 2 and all(len(s.citations) == 1 for s in friday)


def test_ledger_brief_leads_with_facts_not_boilerplate() -> None:
    c = _dunmere()
    first = [s for s in c.brief.sentences if s.status == "corroborated"][:3]
    assert "2,000 homes" in first[0].text
    assert all(len(s.citations) >= 2 for s in first)


def _holds(doc: dict[str, Any], sentence: dict[str, Any], cite: dict[str, Any]) -> bool:
    """The check, written against the published JSON, apart from the code that chose the citations."""
    claims = {(cl["article"], cl["start"], cl["end"]): cl for cl in doc["claims"]}
    key = (cite["article"], cite["start"], cite["end"])
    if sentence["status"] in ("disputed", "note"):
        sides = {(s["article"], s["start"], s["end"]) for cf in doc["conflicts"] for s in cf["sides"]}
        return key in sides
    cited = claims.get(key)
    if cited is None:
        return False
    aligned = {frozenset((al["a"], al["b"])) for al in doc["alignments"] if al["relation"] in ("same", "overlap")}
    if sentence["status"] == "contested":
        named = {x for k in doc["contests"] for x in (k["claim"], k["dispute"])}
        return cited["id"] in named or any(frozenset((cited["id"], n)) in aligned for n in named)
    first = sentence["citations"][0]
    told = claims[(first["article"], first["start"], first["end"])]
    if " ".join(told["text"].split()).lower().rstrip(".") not in " ".join(sentence["text"].split()).lower():
        return False
    if cited["id"] == told["id"]:
        return True
    if cite.get("facts"):
        ledger = {f["id"]: f for f in doc["ledger"]}
        for fid in cite["facts"]:
            spans = [(m["article"], m["start"], m["end"]) for m in ledger[fid]["mentions"]]
            inside = [s for s in spans if s[0] == key[0] and key[1] <= s[1] and s[2] <= key[2]]
            in_told = [s for s in spans if s[0] == told["article"] and told["start"] <= s[1] and s[2] <= told["end"]]
            if not inside or not in_told:
                return False
        return True
    return frozenset((told["id"], cited["id"])) in aligned


def _walk(c: Comparison) -> tuple[int, int]:
    doc = json.loads(json.dumps(to_document(c)))
    texts = {a.id: a.text for a in c.articles}
    total = other = 0
    for s in doc["brief"]["sentences"]:
        for cite in s["citations"]:
            assert 0 <= cite["start"] < cite["end"] <= len(texts[cite["article"]])
            assert _holds(doc, s, cite), (s["text"][:120], cite)
            total += 1
            other += cite["article"] != s["citations"][0]["article"]
    return total, other


def _stories() -> list[list[str]]:
    out = [[str(p)] for p in sorted(EXAMPLES.iterdir()) if p.is_dir() and p.name != "html"]
    out.append([str(p) for p in sorted(shared_path("corpus", "seeds").glob("*.txt"))])
    basil = shared_path("corpus", "basil", "articles")
    for year in ("2012", "2016"):
        triplet = sorted((basil / year).glob("*_1.json"))[0]
        out.append([str(triplet.with_name(triplet.name.replace("_1", f"_{n}"))) for n in (1, 2, 3)])
    return out


@pytest.mark.slow
def test_ledger_every_citation_of_every_story_holds() -> None:
    total = other = 0
    for paths in _stories():
        t, o = _walk(_compare(*paths))
        total, other = total + t, other + o
    assert total > 100 and other > 20, (total, other)  # a walk over real cross-source citations, not a few


def test_ledger_a_false_citation_is_dropped_a_true_one_kept() -> None:
    c = _dunmere()
    a, b = c.articles
    told = next(x for x in c.claims if x.article_id == a.id and "cast-iron pipe" in x.text)
    main = next(x for x in c.claims if x.article_id == b.id and "cast-iron main" in x.text)
    pettigrew = next(x for x in c.claims if x.article_id == b.id and "Pettigrew" in x.text)
    cast = next(f for f in c.ledger if f.label == "cast-iron")
    sentence = BriefSentence(
        text=told.text,
        citations=(
            Citation(a.id, told.start, told.end),
            Citation(b.id, main.start, main.end, facts=(cast.id,)),
            Citation(b.id, pettigrew.start, pettigrew.end),  # says nothing of the pipe
            Citation(b.id, pettigrew.start, pettigrew.end, facts=(cast.id,)),  # does not state cast iron
        ),
    )
    by_id = {x.id: x for x in c.claims}
    (checked,) = true_citations([sentence], by_id, c.ledger, c.alignments, c.conflicts, c.contests)
    assert checked.citations == sentence.citations[:2]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (bash .ci/browser.sh)")
def test_ledger_in_the_html_report_in_chromium(tmp_path: Path) -> None:
    pytest.importorskip("playwright")
    from tests.browser_support import chromium

    report = tmp_path / "report.html"
    report.write_text(render(_dunmere(), "html"), encoding="utf-8")
    with chromium() as browser:
        page: Any = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(report.as_uri())
        ledger = page.locator("#ledger")
        assert ledger.is_visible() and ledger.locator("h2").inner_text() == "Fact ledger"
        row = ledger.locator("tr.fact", has_text="cast-iron").first
        cells = row.locator("td")
        # status, fact, kind, then one cell per source: both state it, each in its own words
        assert cells.nth(0).inner_text().strip() == "corroborated"
        assert "cast-iron" in cells.nth(3).inner_text() and "cast-iron" in cells.nth(4).inner_text()
        age = ledger.locator("tr.fact", has_text="60-year-old").first
        assert "in the 1960s" in age.inner_text() and "agree" in age.inner_text()
        assert ledger.locator("tr.st-precision", has_text="1,950 households").count() == 1
        # a source's words for a fact jump to its claim in that source, which flashes
        row.locator("a.cite").nth(1).click()
        page.wait_for_selector(".flash")
        # in the sources side by side each shared fact is marked; a click shows it in every source
        cast = page.locator("#sources mark.fact", has_text="cast-iron")
        assert cast.count() == 2
        cast.first.click()
        lit = page.locator("#sources mark.fact-on")
        assert lit.count() == 2 and {lit.nth(i).inner_text() for i in range(2)} == {"cast-iron"}
        sources = {lit.nth(i).evaluate("e => e.closest('.source').id") for i in range(2)}
        assert sources == {"art0", "art1"}
        page.locator("#sources mark.fact", has_text="market hall").first.click()
        assert page.locator("#sources mark.fact-on").count() == 2
        assert "market hall" in page.locator("#sources mark.fact-on").first.inner_text()
        page.close()


def test_ledger_check_a_claim_fact_by_fact(tmp_path: Path) -> None:
    from corroborator.api.check import check_claim
    from corroborator.pipeline import ingest
    from corroborator.store import open_store

    with open_store(tmp_path / "c.db") as store:
        ingest([EXAMPLES / "dunmere-water"], store, Settings(ingest_workers=0))
        ids = {a.source: a.id for a in store.get_articles([s for st in store.stories() for s in st.article_ids])}
        same = check_claim(store, "About 2,000 homes in Dunmere lost water after a cast-iron main burst at 7 a.m.")
        facts = {f.text: f for f in same.facts}
        assert {s.article for s in facts["7 a.m."].stated_by} == set(ids.values())
        assert any(f.kind == "detail" and "cast-iron" in f.text and f.stated_by for f in same.facts)
        other = check_claim(store, "About 3,500 homes in Dunmere lost water after a main burst.")
        figure = next(f for f in other.facts if f.text == "3,500 homes")
        assert {s.text for s in figure.differs} >= {"2,000 homes"} and not figure.stated_by
        assert other.as_dict()["facts"][0]["kind"]
