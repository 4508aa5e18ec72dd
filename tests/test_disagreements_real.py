"""Real disagreement: reported disputes, page furniture and same-referent guards, on real and written text.

The dispute cues and parties are checked on sentences written here; on real coverage, the hand-labelled
dev set (bench/devsets/disagreements, references into ../shared) says which sentences report a dispute:
the cues must find most of them, and the whole comparison must never make a conflict out of page
furniture or out of two counts of two places.
"""

from __future__ import annotations

import json
import lzma
import sys
from pathlib import Path

import pytest

from corroborator.compare import compare_articles
from corroborator.compare.checks.referent import different_referents, place_clash
from corroborator.compare.claims import build_claims
from corroborator.compare.contested import _previous_people, dispute_cues
from corroborator.model import Article, Claim
from corroborator.text.boilerplate import dateline_length, is_furniture
from corroborator.text.facts import extract_facts
from corroborator.text.sentences import split_sentences
from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[1]


def _claims(text: str) -> tuple[Claim, ...]:
    article = Article.create(text, language="en")
    sentences = split_sentences(article)
    return build_claims(article, sentences, extract_facts(article, sentences))


@pytest.mark.parametrize(
    ("sentence", "party", "cue"),
    [
        ("Stone has denied wrongdoing and called the case politically motivated.", "Stone", "denied"),
        ("The White House pushed back on the report on Friday.", "White House", "pushed back on"),
        ('"That is simply not true," said John Smith, the mayor.', "John Smith", "is simply not true"),
        ("Syria denies government troops were behind the attack.", "Syria", "denies"),
        ('Vega asserted the prosecution was "politically motivated" because of his support.', "Vega", None),
        # the progressive is no passive; an attempt to dispute is a dispute; a falsity word under an adverb
        ("The White House was pushing back vigorously against the budget office's tally.", "White House", None),
        ("Trump sought Monday to cast doubt on the accuracy of the complaint.", "Trump", "cast doubt on"),
        ("Nancy Pelosi was questioning the veracity of the report.", "Nancy Pelosi", "questioning the veracity of"),
        # the speaker before the speech verb, not the name after it ('"...," said Smith' is the inversion)
        ("Furman said the CBO analysis is largely incorrect.", "Furman", None),
        ("Democrats questioned the veracity of the report.", "Democrats", "questioned the veracity of"),
    ],
)
def test_disagreements_dispute_cues_name_the_party(sentence: str, party: str, cue: str | None) -> None:
    [claim] = _claims(sentence)
    found = dispute_cues(claim)
    assert found and found[0].party == party
    if cue:
        assert found[0].cue == cue


@pytest.mark.parametrize(
    "sentence",
    [
        "Judge Tuter denied the initial motion in the Broward suit.",  # a decision, not a dispute
        "Neither was taking action specifically rejected by Congress.",  # a passive decision
        "The company filed false records with regulators last year.",  # 'false' describing documents
        "The contest between the two candidates was bitter.",  # a noun
        "Officials did not dispute the figures released on Monday.",  # negated
        "He was denied bail by the judge on Monday.",  # a passive decision
        "The board plans to question the witnesses about the accuracy of the figures.",  # no dispute verb
    ],
)
def test_disagreements_no_dispute_where_none_is_reported(sentence: str) -> None:
    assert not any(dispute_cues(c) for c in _claims(sentence))


def test_disagreements_page_furniture_and_datelines() -> None:
    for line in (
        "Fox News' Chad Pergram contributed to this report.",
        "Burgess Everett is a congressional reporter for Politico.",
        "Follow @politicalticker",
        "7 years ago",
        "Correction: An earlier version of this story misstated the date.",
    ):
        assert is_furniture(line), line
    assert not is_furniture("By the end of the day, 40 people had died.")
    assert dateline_length("MINNEAPOLIS (AP) — Police said the suspect fled.") == len("MINNEAPOLIS (AP) — ")
    assert dateline_length("The Senate voted on Friday.") == 0
    # the dateline's place is cut off the claim, so it is never compared with the story's places
    [claim] = _claims("MINNEAPOLIS (AP) — Police in Minnesota said the suspect fled north on Tuesday.")
    assert not claim.text.startswith("MINNEAPOLIS")


def test_disagreements_places_and_counts_of_two_places() -> None:
    assert not place_clash("Minneapolis", "Minnesota") and place_clash("Minnesota", "Iowa")
    [nj] = _claims(
        "Governor Chris Christie declared a state of emergency for three counties in New Jersey on Saturday."
    )
    [md] = _claims("Governor Larry Hogan declared a state of emergency for 12 counties in Maryland on Friday.")
    assert different_referents(nj, md) is not None
    a = Article.create(nj.text, source="A")
    b = Article.create(md.text, source="B")
    assert not [c for c in compare_articles([a, b]).conflicts if c.kind == "number" and not c.precision_only]


def _devset() -> list[dict[str, object]]:
    folder = REPO / "bench" / "devsets" / "disagreements"
    rows = []
    for path in sorted(folder.glob("pairs*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


@pytest.mark.slow
def test_disagreements_cues_find_most_labelled_disputes() -> None:
    """Of the distinct sentences the dev set labels as reporting a dispute (BASIL, whose text the test can
    rebuild without the AllSides shards), the cues find a party's dispute in most (27 of 40 when written)."""
    root = shared_path("corpus", "basil", "articles")
    sys.path.insert(0, str(REPO / "bench"))
    texts: dict[str, str] = {}
    for path in root.glob("*/*.json"):
        d = json.loads(path.read_text(encoding="utf-8"))
        texts["basil:" + str(path.relative_to(root).with_suffix(""))] = "\n\n".join(
            " ".join(p) for p in d["body-paragraphs"]
        )
    wanted = {
        (str(r["b"]), tuple(r["b_span"]))  # type: ignore[arg-type]
        for r in _devset()
        if r["label"] == "contested" and str(r["b"]).startswith("basil:")
    }
    assert len(wanted) >= 40
    claims: dict[str, tuple[Claim, ...]] = {}
    found = 0
    for ref, (start, end) in sorted(wanted):
        if ref not in claims:
            claims[ref] = _claims(texts[ref])
        cs = claims[ref]
        previous = _previous_people(cs)
        found += any(dispute_cues(c, previous[k]) for k, c in enumerate(cs) if c.start < end and start < c.end)
    assert found / len(wanted) >= 0.65, f"{found} of {len(wanted)}"


@pytest.mark.slow
def test_disagreements_no_credit_line_is_a_claim_in_real_articles() -> None:
    path = shared_path("corpus", "allsides", "articles", "articles-00.jsonl.xz")
    seen = 0
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = row.get("content_original") or ""
            if "contributed to this report" not in text:
                continue
            seen += 1
            assert not any("contributed to this report" in c.text for c in _claims(text))
            if seen >= 5:
                break
    assert seen >= 3
