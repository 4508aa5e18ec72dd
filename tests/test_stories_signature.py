"""Event signatures of real reports: when (resolved against publication), where, figures (no models)."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from conftest import shared_path
from corroborator.stories.signature import FIELDS, overlaps, places, signature
from corroborator.text.boilerplate import strip_boilerplate


def _ecb(ids: set[str]) -> dict[str, str]:
    path = shared_path("datasets", "ecbplus", "ecbplus_topics_1-35.jsonl")
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in ids:
                out[rec["id"]] = rec["text"]
    return out


def _gva(prefixes: tuple[str, ...]) -> dict[str, dict]:
    path = shared_path("corpus", "gva", "articles.jsonl")
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["doc_id"].startswith(prefixes):
                out[rec["doc_id"][:8]] = rec
    return out


def test_dateline_gives_the_event_day_without_a_publication_date() -> None:
    text = _ecb({"7_6ecbplus"})["7_6ecbplus"]  # "... | July 7, 2012 | Wladimir Klitschko retained ..."
    sig = signature(strip_boilerplate(text), None)
    assert sig.when == date(2012, 7, 7).toordinal()


def test_weekday_resolved_against_publication() -> None:
    rec = _gva(("d1de29dc",))["d1de29dc"]  # Houston, published 2016-09-26: "... on Monday morning"
    lead = f"{rec['title']}\n{strip_boilerplate(rec['content'])}"
    sig = signature(lead, date.fromisoformat(rec["dct"][:10]))
    assert sig.when is not None and abs(sig.when - date(2016, 9, 26).toordinal()) <= 1
    assert "houston" in places(lead[:600])


def test_two_fights_differ_in_place_and_figures_but_share_the_lead_words() -> None:
    texts = _ecb({"7_1ecb", "7_8ecbplus"})
    a = signature(strip_boilerplate(texts["7_1ecb"]), None)  # Rahman, Mannheim 2008
    b = signature(strip_boilerplate(texts["7_8ecbplus"]), None)  # Thompson, Bern 2012
    shared = dict(zip(FIELDS, overlaps(a.packed, b.packed), strict=True))
    assert shared["places"] == 0
    assert shared["lead"] >= 3  # "klitschko", "heavyweight", "round", ...
    same = overlaps(a.packed, a.packed)
    assert np.array_equal(same, np.asarray(a.counts))


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Gunfire in Isla Vista near the campus left six dead.", {"isla vista", "vista"}),
        ("Un tiroteo en Málaga dejó tres heridos.", {"malaga"}),
        ("Tre feriti in una sparatoria a Milano.", {"milano"}),
    ],
)
def test_places_across_languages_are_folded(lead: str, expected: set[str]) -> None:
    assert expected <= places(lead)
