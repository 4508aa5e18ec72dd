"""The claim-level diff between two versions of one article (corroborator.provenance.versions).

Synthetic versions below are written for these tests; the real CNN Lite versions are read from
../shared (skipped with a reason when absent), never copied here.
"""

from __future__ import annotations

import collections
import json
import lzma
from typing import Any

import pytest

from corroborator.model import Article
from corroborator.provenance.versions import (
    REAL_CHANGES,
    ArticleVersion,
    VersionDiff,
    diff_versions,
    note_kind,
    text_key,
)
from tests.conftest import shared_path

BASE = (
    "Floodwaters swept through the river town of Millbrook on Monday, officials said.\n\n"
    "At least 12 people died and 40 were injured, according to the county sheriff, Dana Ortiz.\n\n"
    "“We have never seen water rise this fast,” Ortiz told reporters at a briefing.\n\n"
    "The National Weather Service had issued a flood warning for the region on Sunday evening.\n\n"
    "Residents of about 300 homes were told to leave before the levee failed."
)

PARAS = BASE.split("\n\n")


def version(text: str, title: str = "Floods kill 12 in Millbrook") -> Article:
    return Article.create(text, title=title, language="en", source="Test Wire")


def diff(
    before: str, after: str, title_before: str = "Floods kill 12 in Millbrook", title_after: str = ""
) -> VersionDiff:
    return diff_versions(version(before, title_before), version(after, title_after or title_before))


def summaries(d: VersionDiff) -> list[str]:
    return [f.summary for f in d.fact_changes]


def test_versions_identical_texts_change_nothing() -> None:
    d = diff(BASE, BASE)
    assert not d.changed
    assert {c.kind for c in d.changes} == {"unchanged"}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("At least 12 people", "At least 15 people"), 'number: "12 people" -> "15 people"'),
        (("on Monday, officials", "on Tuesday, officials"), 'date: "on Monday" -> "on Tuesday"'),
        (("sheriff, Dana Ortiz", "sheriff, Dana Ortega"), 'person: "Dana Ortiz" -> "Dana Ortega"'),
        (("never seen water rise this fast", "never seen the water rise so fast"),
         'quote: "We have never seen water rise this fast" -> "We have never seen the water rise so fast"'),
        (("about 300 homes", "about 450 homes"), 'number: "300 homes" -> "450 homes"'),
    ],
)  # fmt: skip
def test_versions_a_revised_fact_is_named(edit: tuple[str, str], expected: str) -> None:
    d = diff(BASE, BASE.replace(*edit))
    assert [c.kind for c in d.real] == ["changed"]
    assert expected in summaries(d)
    assert all(f.change == "revised" for f in d.fact_changes if f.kind in ("number", "date", "person"))


def test_versions_a_removed_quote_is_named() -> None:
    quote = "“We have never seen water rise this fast,” Ortiz told reporters at a briefing.\n\n"
    d = diff(BASE, BASE.replace(quote, ""))
    (change,) = d.real
    assert change.kind == "removed" and change.before is not None
    assert any(f.kind == "quote" and f.change == "removed" for f in change.facts)


def test_versions_a_correction_note_is_marked() -> None:
    note = "\n\nCorrection: An earlier version of this story misstated the number of people injured."
    d = diff(BASE, BASE.replace("40 were injured", "14 were injured") + note)
    kinds = [(c.kind, c.note) for c in d.real]
    assert ("added", "correction") in kinds
    assert 'number: "40" -> "14"' in summaries(d) or any("40" in s and "14" in s for s in summaries(d))


def test_versions_an_update_note_and_new_paragraph_are_added() -> None:
    added = "\n\nThe governor declared a state of emergency on Tuesday.\n\nThis story has been updated."
    d = diff(BASE, BASE + added)
    assert [(c.kind, c.note) for c in d.real] == [("added", None), ("added", "update")]
    assert any(f.kind == "person" or f.kind == "date" for f in d.real[0].facts)


def test_versions_the_headline_change_is_a_change_with_its_facts() -> None:
    d = diff(BASE, BASE, title_after="Floods kill 15 in Millbrook")
    assert d.headline is not None and d.headline.kind == "changed" and d.headline.part == "headline"
    assert any(f.change == "revised" and f.kind == "number" for f in d.headline.facts)
    assert d.headline.after is not None and d.headline.after.id.endswith(":headline")


@pytest.mark.parametrize(
    ("name", "after"),
    [
        ("paragraph moved", "\n\n".join([PARAS[3], *PARAS[:3], *PARAS[4:]])),
        ("glued words", BASE.replace("river town", "rivertown").replace(", officials", ",officials")),
        ("quote marks", BASE.replace("“", '"').replace("”", '"')),
        ("paragraph split", BASE.replace("injured, according", "injured.\n\nAccording")),
        ("extra white space", BASE.replace(" ", "  ").replace("\n\n", "\n\n\n")),
    ],
)  # fmt: skip
def test_versions_refactors_are_not_changes(name: str, after: str) -> None:
    d = diff(BASE, after)
    assert not d.real, f"{name}: {[(c.kind, c.before and c.before.text, c.after and c.after.text) for c in d.real]}"


def test_versions_a_moved_paragraph_is_moved() -> None:
    paras = BASE.split("\n\n")
    d = diff(BASE, "\n\n".join([paras[3], *paras[:3], *paras[4:]]))
    assert collections.Counter(c.kind for c in d.changes)["moved"] == 1


def test_versions_text_key_ignores_formatting_only() -> None:
    assert text_key("the country’s deadliest, in decades") == text_key("the country’sdeadliest,in decades")
    assert text_key("12 dead") != text_key("15 dead")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Correction: An earlier version of this story misstated the date.", "correction"),
        ("This story has been updated with additional reporting.", "update"),
        ("This story and headline have been updated with additional details.", "update"),
        ("Editor’s note: This article contains graphic descriptions.", "editor"),
        ("The update to the software shipped on Monday.", None),
    ],
)
def test_versions_note_kind(text: str, kind: str | None) -> None:
    assert note_kind(text) == kind


def test_versions_changes_point_into_the_texts() -> None:
    before, after = version(BASE), version(BASE.replace("12 people", "15 people"))
    d = diff_versions(ArticleVersion(before, 0), ArticleVersion(after, 1))
    for c in d.changes:
        if c.before is not None and c.part == "body":
            assert before.text[c.before.start : c.before.end] == c.before.text
        if c.after is not None and c.part == "body":
            assert after.text[c.after.start : c.after.end] == c.after.text
        for e in c.edits:
            assert e.before_start <= e.before_end and e.after_start <= e.after_end
    (change,) = d.real
    (edit,) = change.edits
    assert before.text[edit.before_start : edit.before_end] == "12"
    assert after.text[edit.after_start : edit.after_end] == "15"


# -- real versions (../shared/corpus/cnn_lite_versions.jsonl.xz) -------------------------------------------


@pytest.fixture(scope="module")
def cnn_versions() -> dict[str, list[dict[str, Any]]]:
    path = shared_path("corpus", "cnn_lite_versions.jsonl.xz")
    by_url: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by_url[rec["url"]].append(rec)
    return by_url


def real_diff(by_url: dict[str, list[dict[str, Any]]], url_part: str) -> VersionDiff:
    (url,) = [u for u in by_url if url_part in u]
    a, b = by_url[url][:2]
    return diff_versions(*(Article.create(r["text"], title=r["title"], url=url, language="en") for r in (a, b)))


def test_versions_real_cnn_date_correction(cnn_versions: dict[str, list[dict[str, Any]]]) -> None:
    # A correction: the date of an arrest revised, and a correction note appended.
    d = real_diff(cnn_versions, "don-lemon-minnesota-joseph-thompson")
    revised = [f for f in d.fact_changes if f.change == "revised" and f.kind == "date"]
    assert revised and revised[0].before is not None and revised[0].after is not None
    assert "30" in revised[0].before.text and "29" in revised[0].after.text
    assert any(c.note == "correction" for c in d.real)


def test_versions_real_cnn_death_toll_revised(cnn_versions: dict[str, list[dict[str, Any]]]) -> None:
    # A death toll revised in the lead, with the words glued by the scraper around it (a refactor).
    d = real_diff(cnn_versions, "canada-british-columbia-school-shooting")
    assert any(f.kind == "number" and f.change == "revised" for f in d.fact_changes)
    assert sum(c.kind == "unchanged" for c in d.changes) > 40
    assert all(c.kind in REAL_CHANGES for c in d.real)


def test_versions_real_cnn_identical_and_reformatted_report_nothing(
    cnn_versions: dict[str, list[dict[str, Any]]],
) -> None:
    for recs in list(cnn_versions.values())[:8]:
        text = recs[0]["text"]
        a = Article.create(text, title=recs[0]["title"], language="en")
        b = Article.create(
            text.replace("“", '"').replace("”", '"').replace(", ", ","), title=recs[0]["title"], language="en"
        )
        assert not diff_versions(a, a).changed
        assert not diff_versions(a, b).real
