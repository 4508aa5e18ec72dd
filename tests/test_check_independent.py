"""Independent-source counting: an article and its rewrites or near-duplicates count once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from corroborator.check import StanceJudgement, StanceModel, check_claim, fnc1, source_groups
from corroborator.model import Article, Sentence, Stance
from tests.conftest import shared_path


class KeywordStance:
    """A plug-in StanceModel (the interface a user's NLI model implements): 'false' in the text
    contradicts, a shared word supports, anything else is unrelated."""

    name = "test.keyword.v1"

    def judge(
        self, claim: str, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray | None = None
    ) -> StanceJudgement:
        text = article.text.lower()
        stance: Stance = "unrelated"
        if "false" in text:
            stance = "contradicts"
        elif set(claim.lower().split()) & set(text.split()):
            stance = "supports"
        return StanceJudgement(stance, 1.0, ())


def test_check_keyword_model_is_a_stance_model() -> None:
    assert isinstance(KeywordStance(), StanceModel)


def test_check_independent_counts_follow_duplicate_chains() -> None:
    a = Article.create("the bridge closed in 2021 after the flood")
    b = Article.create("the bridge closed in 2021 after the flood, officials said")  # rewrite of a
    c = Article.create("the bridge closed in 2021 after the flood, the mayor said")  # rewrite of b
    d = Article.create("a separate report: the bridge closed in 2021")
    e = Article.create("that the bridge closed is false")
    f = Article.create("that story is false, copied")
    claim = "bridge closed"
    model = KeywordStance()
    alone = check_claim(claim, [a, b, c, d, e, f], model=model)
    assert (alone.supporting_sources, alone.disputing_sources) == (4, 2)
    dup = {b.id: a.id, c.id: b.id, f.id: e.id}
    linked = check_claim(claim, [a, b, c, d, e, f], model=model, duplicate_of=dup)
    assert (linked.supporting_sources, linked.disputing_sources) == (2, 1)
    groups = source_groups([a.id, b.id, c.id, d.id], dup)
    assert groups[a.id] == groups[b.id] == groups[c.id] != groups[d.id]


def test_check_duplicate_cycle_does_not_hang() -> None:
    groups = source_groups(["x", "y"], {"x": "y", "y": "x"})
    assert set(groups) == {"x", "y"}


@pytest.mark.slow
def test_check_real_model_counts_a_near_copy_once() -> None:
    """Default model on a held-out FNC-1 body and a near-copy of it (one sentence dropped)."""
    pairs = fnc1.read_pairs(shared_path("datasets", "fnc1"), "test")
    unrelated = next(p for p in pairs if p.label == "unrelated")
    for pair in (p for p in pairs if p.label == "agree"):
        original = Article.create(pair.body)
        paragraphs = pair.body.split("\n")
        copy = Article.create("\n".join(paragraphs[:-1]) if len(paragraphs) > 2 else pair.body + " (copy)")
        other = Article.create(unrelated.body)
        result = check_claim(pair.headline, [other, original, copy])
        stances = {a.id: j.stance for a, j in result.judgements}
        if stances[original.id] == stances[copy.id] == "supports":
            break
    else:
        pytest.fail("no held-out agree body and its near-copy were both judged 'supports'")
    assert result.supporting_sources == 2
    linked = check_claim(pair.headline, [other, original, copy], duplicate_of={copy.id: original.id})
    assert linked.supporting_sources == 1
    assert linked.judgements[-1][0].id == other.id  # the unrelated body is ranked last
    assert linked.judgements[-1][1].stance == "unrelated"
