"""The conflict registry: one check per kind, each run on real sentence pairs from the corpora.

The two seed reports (one event, two outlets) carry real disagreements of several kinds; where a kind has
none there, a real sentence is paired with itself with one fact changed (the way bench/conflicts.py
plants contradictions), so the check sees real wording around the changed fact.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from corroborator.compare.checks import KINDS, REGISTRY, PairContext
from corroborator.compare.claims import build_claims
from corroborator.compare.conflicts import antecedent_names
from corroborator.model import Article, Claim, Conflict
from corroborator.settings import Settings
from tests.conftest import shared_path

pytestmark = pytest.mark.slow


def _claims(text: str, source: str) -> tuple[Claim, ...]:
    from corroborator.text.facts import extract_facts
    from corroborator.text.sentences import split_sentences

    art = Article.create(text, source=source)
    sents = split_sentences(art)
    return build_claims(art, sents, extract_facts(art, sents))


@pytest.fixture(scope="module")
def seeds() -> tuple[tuple[Claim, ...], tuple[Claim, ...]]:
    paths = sorted(shared_path("corpus", "seeds").glob("*.txt"))
    assert len(paths) == 2
    rewrite, report = (_claims(p.read_text(encoding="utf-8"), p.stem) for p in paths)
    return rewrite, report


def _one(claims: Sequence[Claim], phrase: str) -> Claim:
    found = [c for c in claims if phrase in c.text]
    assert found, f"no claim contains {phrase!r}"
    return found[0]


def _run(kind: str, a: Claim, b: Claim, ctx: PairContext | None = None, similarity: float = 0.85) -> list[Conflict]:
    return REGISTRY[kind].find(a, b, "aligned", similarity, Settings(), ctx or PairContext())


def _planted(sentence: str, old: str, new: str) -> tuple[Claim, Claim]:
    """A real sentence and the same sentence with one fact changed, as two articles' claims."""
    assert old in sentence
    (a,) = _claims(sentence, "A")[:1]
    (b,) = _claims(sentence.replace(old, new, 1), "B")[:1]
    return a, b


def test_conflicts_registry_has_one_check_per_kind() -> None:
    assert set(KINDS) == {"number", "date", "entity", "attribution", "polarity", "quote", "claim"}
    assert all(REGISTRY[k].kind == k for k in KINDS)
    # The kinds whose facts can link two claims on their own carry a link test.
    assert {k for k in KINDS if REGISTRY[k].linked is not None} == {"number", "date", "attribution", "polarity"}


def test_conflicts_registry_date_signed_vs_in_force(seeds: tuple[tuple[Claim, ...], tuple[Claim, ...]]) -> None:
    rewrite, report = seeds
    a, b = _one(rewrite, "signed in 1999"), _one(report, "came into force in 1999")
    (cf,) = [c for c in _run("date", a, b) if "different events" in c.explanation]
    assert not cf.precision_only
    assert REGISTRY["date"].linked is not None


def test_conflicts_registry_date_since_links_on_its_own(seeds: tuple[tuple[Claim, ...], tuple[Claim, ...]]) -> None:
    rewrite, report = seeds
    a, b = _one(rewrite, "since the 1990s"), _one(report, "since 2021")
    stems: dict[str, int] = {}
    from corroborator.compare import cues

    for c in (*rewrite, *report):
        for w in cues.content_stems(c.text):
            stems[w] = stems.get(w, 0) + 1
    ctx = PairContext(stem_df=stems, claims=len(rewrite) + len(report))
    linked = REGISTRY["date"].linked
    assert linked is not None and linked(a, b, ctx)
    found = REGISTRY["date"].find(a, b, "topic", 0.4, Settings(), ctx)
    assert any(c.kind == "date" and not c.precision_only for c in found)


def test_conflicts_registry_entity_obama_vs_biden(seeds: tuple[tuple[Claim, ...], tuple[Claim, ...]]) -> None:
    rewrite, report = seeds
    a, b = _one(rewrite, "sharp departure"), _one(report, "sharp departure")
    (cf,) = _run("entity", a, b, similarity=0.6)
    assert {s.value for s in cf.sides} == {"Biden", "Obama"}


def test_conflicts_registry_attribution_force_multiplier(seeds: tuple[tuple[Claim, ...], tuple[Claim, ...]]) -> None:
    rewrite, report = seeds
    a, b = _one(rewrite, "force multiplier"), _one(report, "force multiplier")
    ctx = PairContext(antecedents={**antecedent_names(rewrite), **antecedent_names(report)})
    linked = REGISTRY["attribution"].linked
    assert linked is not None and linked(a, b, ctx)
    (cf,) = REGISTRY["attribution"].find(a, b, "topic", 0.5, Settings(), ctx)
    assert "military officials" in cf.sides[0].value and "Hegseth" in cf.sides[1].value


def test_conflicts_registry_polarity(seeds: tuple[tuple[Claim, ...], tuple[Claim, ...]]) -> None:
    rewrite, report = seeds
    # Both negated, different steps of one scale: only less precise.
    a, b = _one(rewrite, "never ratified"), _one(report, "never been a signatory")
    assert any(c.precision_only for c in _run("polarity", a, b))
    # A real sentence against itself with its verb negated: a contradiction.
    x, y = _planted(_one(rewrite, "sharp departure").text, "has ignited", "has not ignited")
    (cf,) = _run("polarity", x, y, similarity=0.9)
    assert not cf.precision_only and "not ignited" in cf.sides[1].text


def test_conflicts_registry_quote_reworded(seeds: tuple[tuple[Claim, ...], tuple[Claim, ...]]) -> None:
    rewrite, _ = seeds
    sentence = _one(rewrite, "most dangerous security situations").text
    a, b = _planted(sentence, "dangerous security situations", "dangerous public safety situations")
    (cf,) = _run("quote", a, b)
    assert "secur" in cf.explanation and "safety" in cf.explanation
    assert _run("quote", a, a) == []


def _basil_sentence(relpath: str, phrase: str) -> str:
    path = shared_path("corpus", "basil", "articles") / Path(relpath)
    if not path.exists():
        pytest.skip(f"{path} not present")
    d = json.loads(path.read_text(encoding="utf-8"))
    for paragraph in d["body-paragraphs"]:
        for s in paragraph:
            if phrase in s:
                return str(s)
    raise AssertionError(f"{phrase!r} not in {path}")


def test_conflicts_registry_number_differs_rounds_or_is_about() -> None:
    sentence = _basil_sentence("2011/576116e5-2b18-4d35-be73-36f5863c9468_1.json", "77 percent of promised benefits")
    a, b = _planted(sentence, "77 percent", "70 percent")
    (cf,) = _run("number", a, b)
    assert not cf.precision_only
    assert "77" in cf.sides[0].text and "70" in cf.sides[1].text
    # "about 78 percent" vs "77 percent": an approximate figure within tolerance is a precision note.
    a, b = _planted(sentence, "77 percent", "about 78 percent")
    (note,) = _run("number", a, b)
    assert note.precision_only
    # 10 vs 14 is not rounding.
    a, _ = _planted(sentence, "77 percent", "10 percent")
    _, b = _planted(sentence, "77 percent", "14 percent")
    (cf,) = _run("number", a, b)
    assert not cf.precision_only and "rounding" not in cf.explanation


def test_conflicts_registry_claim_model_verdicts_on_real_pairs(
    seeds: tuple[tuple[Claim, ...], tuple[Claim, ...]],
) -> None:
    """The entailment step (checks/claim.py) with the shipped model on real sentences: a sentence and its
    own wording is corroboration ("same"), and "About 2,000 homes ... without running water" against
    "... cutting supplies to 1,950 households", which the model reads as a contradiction, stays a
    precision note: a difference of precision is never a conflict, whatever the model says."""
    from corroborator.compare.checks import claim as claim_check
    from corroborator.entail import default_entailment_model
    from corroborator.errors import ModelError
    from tests.conftest import EXAMPLES

    try:
        model = default_entailment_model()
    except ModelError as exc:
        pytest.skip(str(exc))
    _, report = seeds
    sentence = _one(report, "formally ending the restriction").text
    same_a, same_b = _planted(sentence, "formally ending", "formally ending")
    texts = {}
    for name in ("01-example-wire.md", "02-kessmoor-courier.md"):
        body = (EXAMPLES / "dunmere-water" / name).read_text(encoding="utf-8").split("---")[-1]
        texts[name] = next(line for line in body.splitlines() if "2,000 homes" in line or "1,950 households" in line)
    wire = _claims(texts["01-example-wire.md"], "A")[0]
    courier = next(c for c in _claims(texts["02-kessmoor-courier.md"], "B") if "1,950" in c.text)
    pairs = [(same_a, same_b), (wire, courier)]
    verdicts = claim_check.judge(model, [(a.text, b.text) for a, b in pairs])
    same, homes = claim_check.decide(model, pairs, verdicts, [True, True], Settings())
    assert same.conflicts == () and same.relation == "same"
    assert homes.conflicts and all(c.precision_only and c.kind == "number" for c in homes.conflicts)
