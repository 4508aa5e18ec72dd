"""MinHash fingerprints: exact shingles, estimates close to the true Jaccard, stable across calls."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from conftest import shared_path
from corroborator.fingerprint import jaccard_estimate, minhash_signature, shingles


def _ecb_texts(n: int) -> list[str]:
    path = shared_path("datasets", "ecbplus", "ecbplus_topics_1-35.jsonl")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(200), fh, strict=False)]
    return [r["text"] for r in rows if len(r["text"].split()) > 150][:n]


def _edit(text: str, share: float, seed: int) -> str:
    """Replace a share of the words with a marker word, as a light rewrite would."""
    rng = random.Random(seed)
    words = text.split()
    return " ".join("zzxq" if rng.random() < share else w for w in words)


def test_shingles_are_normalised_word_ngrams() -> None:
    assert shingles("The  Quick, brown fox!", 2) == {b"the quick", b"quick brown", b"brown fox"}
    assert shingles("Two words", 5) == {b"two words"}
    assert shingles("  ", 3) == set()
    with pytest.raises(ValueError):
        shingles("text", 0)


def test_signature_is_deterministic_uint64() -> None:
    text = _ecb_texts(1)[0]
    a = minhash_signature(text, 128, 5)
    b = minhash_signature(text, 128, 5)
    assert a.dtype == np.uint64 and a.shape == (128,)
    assert np.array_equal(a, b)
    assert jaccard_estimate(a, b) == 1.0


@pytest.mark.parametrize("share", [0.02, 0.05, 0.15])
def test_estimate_tracks_true_jaccard_on_real_text(share: float) -> None:
    for i, text in enumerate(_ecb_texts(5)):
        other = _edit(text, share, i)
        sa, sb = shingles(text, 5), shingles(other, 5)
        true = len(sa & sb) / len(sa | sb)
        est = jaccard_estimate(minhash_signature(text, 256, 5), minhash_signature(other, 256, 5))
        assert abs(est - true) < 0.1, (share, true, est)


def test_unrelated_articles_score_low_and_lengths_must_match() -> None:
    a, b = _ecb_texts(2)
    assert jaccard_estimate(minhash_signature(a), minhash_signature(b)) < 0.1
    with pytest.raises(ValueError, match="num_perm"):
        jaccard_estimate(minhash_signature(a, 64), minhash_signature(a, 128))


def test_signature_needs_no_scipy_and_matches_the_package_minhash() -> None:
    """An ingest worker signs articles without importing scipy (datasketch's ``__init__`` pulls it in for
    its LSH classes), and the signature is the one the whole package's ``MinHash`` gives."""
    import subprocess
    import sys

    code = (
        "import sys; from corroborator.fingerprint import minhash_signature as m; "
        "s = m('the mayor said on Tuesday that the bridge would reopen in May after repairs'); "
        "print('scipy' in sys.modules, 'datasketch.lsh' in sys.modules, [int(v) for v in s[:4]])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(" ", 2)
    assert out[:2] == ["False", "False"]
    from datasketch import MinHash

    text = "the mayor said on Tuesday that the bridge would reopen in May after repairs"
    mh = MinHash(num_perm=128, seed=1, scheme="affine32")
    mh.update_batch(shingles(text, 5))
    assert np.array_equal(minhash_signature(text), np.asarray(mh.hashvalues, dtype=np.uint64))
    assert out[2].strip() == str([int(v) for v in minhash_signature(text)[:4]])
