"""Surface features of a sentence pair: pure functions, no models."""

from __future__ import annotations

import numpy as np
import pytest

from corroborator.compare.alignment.features import SURFACE_NAMES, surface, surface_features


def feats(a: str, b: str) -> dict[str, float]:
    return dict(zip(SURFACE_NAMES, surface_features(surface(a), surface(b)), strict=True))


def test_pair_features_are_symmetric() -> None:
    a = "The senator said on Monday that 1,200 jobs would be cut by March."
    b = "About 1200 jobs will go, the senator told reporters."
    np.testing.assert_allclose(surface_features(surface(a), surface(b)), surface_features(surface(b), surface(a)))


def test_pair_features_identical_sentence_overlaps_fully() -> None:
    f = feats("Rescuers pulled 12 people from the rubble.", "Rescuers pulled 12 people from the rubble.")
    assert f["word_jaccard"] == 1.0
    assert f["char4_jaccard"] == 1.0
    assert f["numbers_same"] == 1.0
    assert f["numbers_mismatch"] == 0.0
    assert f["negation_mismatch"] == 0.0


@pytest.mark.parametrize(
    ("a", "b", "mismatch"),
    [
        ("The fire killed 12 people.", "The fire killed 21 people.", 1.0),
        ("The fire killed 1,200 people.", "The fire killed 1200 people.", 0.0),
        ("The fire killed 12 people.", "The fire killed a dozen people.", 0.0),  # only one side has digits
    ],
)
def test_pair_features_number_mismatch(a: str, b: str, mismatch: float) -> None:
    assert feats(a, b)["numbers_mismatch"] == mismatch


def test_pair_features_negation_mismatch() -> None:
    assert feats("The bank raised rates.", "The bank did not raise rates.")["negation_mismatch"] == 1.0
    assert feats("The bank didn't raise rates.", "The bank did not raise rates.")["negation_mismatch"] == 0.0


def test_pair_features_containment_sees_the_longer_sentence() -> None:
    f = feats(
        "Police arrested two men.",
        "Police arrested two men on Friday after a chase through the northern suburbs.",
    )
    assert f["stem_contain_max"] == 1.0
    assert f["stem_contain_min"] < 0.5
    assert f["len_ratio"] < 0.5


def test_pair_features_names_differ() -> None:
    f = feats("Smith met Jones in Paris.", "Smith met Brown in Paris.")
    assert 0.0 < f["names_jaccard"] < 1.0
    assert f["names_only_one_side"] > 0.0
