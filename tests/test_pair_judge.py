"""The shipped pair judgement on real MRPC pairs and on sentence pairs written for these tests."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pytest

from conftest import shared_path
from corroborator.compare.alignment.judge import PairJudge, PairJudgement, default_judge
from corroborator.errors import ModelError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judge() -> PairJudge:
    return default_judge()


def heldout_mrpc_sample(per_class: int) -> list[tuple[str, str, int]]:
    """Balanced sample from the fifth of MRPC train that training/train_pair.py keeps out of training."""
    path = shared_path("datasets", "mrpc", "msr_paraphrase_train.txt")
    rows: dict[int, list[tuple[str, str, int]]] = {0: [], 1: []}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for quality, id1, id2, s1, s2 in reader:
            if int(hashlib.sha256(f"{id1}-{id2}".encode()).hexdigest(), 16) % 5 == 0:
                rows[int(quality)].append((s1, s2, int(quality)))
    return rows[0][:per_class] + rows[1][:per_class]


def test_pair_judge_separates_mrpc_paraphrases(judge: PairJudge) -> None:
    sample = heldout_mrpc_sample(60)
    judged = judge.judge_many([(a, b) for a, b, _ in sample])
    gold = np.array([y for _, _, y in sample])
    same = np.array([j.same for j in judged])
    prob = np.array([j.probability for j in judged])
    # Balanced sample: chance is 0.5; the model reaches about 0.75 here.
    assert float(np.mean(same == gold)) >= 0.66
    assert prob[gold == 1].mean() > prob[gold == 0].mean() + 0.15


def test_pair_judge_sentence_is_same_as_itself(judge: PairJudge) -> None:
    text = "Firefighters battled the blaze in the warehouse district for six hours on Sunday."
    j = judge.judge(text, text)
    assert isinstance(j, PairJudgement)
    assert j.relation == "same"
    assert j.same
    assert j.probability > 0.8
    assert j.similarity > 0.9


def test_pair_judge_unrelated_sentence_is_none(judge: PairJudge) -> None:
    j = judge.judge(
        "Firefighters battled the blaze in the warehouse district for six hours on Sunday.",
        "The central bank's governor will present the annual report to parliament next week.",
    )
    assert j.relation == "none"
    assert not j.same
    assert j.similarity < 0.3


def test_pair_judge_paraphrase_is_same(judge: PairJudge) -> None:
    j = judge.judge(
        "The company said on Monday that it would cut 300 jobs at its plant in Ohio.",
        "On Monday the company announced it will eliminate 300 jobs at its Ohio plant.",
    )
    assert j.relation == "same"


def test_pair_judge_partial_statement_is_overlap(judge: PairJudge) -> None:
    j = judge.judge(
        "The company said on Monday that it would cut 300 jobs at its plant in Ohio.",
        "The company also plans to open a new research centre in Texas, its chief executive said.",
    )
    assert j.relation in ("overlap", "none")
    assert not j.same


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The earthquake killed 45 people, officials said.", "The earthquake killed 450 people, officials said."),
        ("The bill passed the Senate 62 to 38 on Thursday.", "The bill passed the Senate 51 to 49 on Thursday."),
        ("Unemployment fell to 4.1 percent in March.", "Unemployment fell to 5.3 percent in March."),
    ],
)
def test_pair_judge_numbers_differing_lower_probability(judge: PairJudge, a: str, b: str) -> None:
    differ = judge.judge(a, b)
    identical = judge.judge(a, a)
    assert differ.probability < identical.probability - 0.2
    assert differ.probability < 0.7
    assert not differ.same
    # Still related: compare reads the typed numbers of "overlap" pairs to report the conflict.
    assert differ.relation == "overlap"


def test_pair_judge_added_detail_is_not_none(judge: PairJudge) -> None:
    j = judge.judge(
        "Police arrested two men.",
        "Police arrested two men on Friday after a chase through the northern suburbs of the city.",
    )
    assert j.relation in ("overlap", "same")


def test_pair_judge_many_accepts_precomputed_vectors(judge: PairJudge) -> None:
    pairs = [
        ("Police arrested two men on Friday.", "Two men were arrested by police on Friday."),
        ("The river burst its banks overnight.", "Stock markets rallied on Wednesday."),
    ]
    va = judge.encoder.encode([a for a, _ in pairs])
    vb = judge.encoder.encode([b for _, b in pairs])
    given = judge.judge_many(pairs, va, vb)
    computed = judge.judge_many(pairs)
    for x, y in zip(given, computed, strict=True):
        assert x.relation == y.relation
        assert abs(x.similarity - y.similarity) < 1e-5
    with pytest.raises(ValueError, match="vectors_a"):
        judge.judge_many(pairs, va[:1], vb[:1])
    assert judge.judge_many([]) == []


def test_pair_judge_name_is_versioned(judge: PairJudge) -> None:
    assert judge.name.startswith("pair.") and judge.name.endswith(".v1")


def test_pair_judge_bad_model_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "pair_model.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"regenerate it with bench/train_pair\.py"):
        PairJudge(model_path=bad)
