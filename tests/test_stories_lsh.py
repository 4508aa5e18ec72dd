"""Banded LSH for near-copies: layouts that find pairs at the threshold and skip loose ones."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import shared_path
from corroborator.fingerprint import minhash_signature
from corroborator.stories.lsh import BandIndex, band_keys, band_layout


@pytest.mark.parametrize("threshold", [0.7, 0.8, 0.9])
def test_layout_finds_pairs_at_threshold_and_few_at_half(threshold: float) -> None:
    bands, rows = band_layout(128, threshold)
    assert bands * rows <= 128
    found = 1 - (1 - threshold**rows) ** bands
    assert found >= 0.9
    assert 1 - (1 - 0.5**rows) ** bands <= 0.3


def test_band_index_returns_copies_not_strangers() -> None:
    path = shared_path("datasets", "ecbplus", "ecbplus_topics_1-35.jsonl")
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(60), fh, strict=False)]
    texts = [t for t in texts if len(t.split()) > 200][:20]
    bands, rows = band_layout(128, 0.8)
    index = BandIndex(bands, rows)
    for i, t in enumerate(texts):
        index.add(minhash_signature(t), i)
    for i, t in enumerate(texts):
        words = t.split()
        words[len(words) // 3] = "zzxq"  # one changed word: still a near-copy
        assert i in index.query(minhash_signature(" ".join(words)))
    keys = band_keys(np.asarray(minhash_signature(texts[0])), bands, rows)
    assert len(set(keys)) == bands  # the band number is mixed in


def test_band_index_answers_the_same_across_merges_of_its_sorted_tables() -> None:
    # Real signatures (ECB+ articles and one-word edits of them), added to an index that merges its recent
    # keys into the sorted arrays every 40 keys, must give exactly what a plain dict of every key gives.
    path = shared_path("datasets", "ecbplus", "ecbplus_topics_1-35.jsonl")
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(120), fh, strict=False)]
    texts = [t for t in texts if len(t.split()) > 80][:40]
    sigs = []
    for t in texts:
        words = t.split()
        sigs.append(np.asarray(minhash_signature(t)))
        words[len(words) // 2] = "zzxq"
        sigs.append(np.asarray(minhash_signature(" ".join(words))))
    bands, rows = band_layout(128, 0.8)
    index = BandIndex(bands, rows)
    index.MERGE_AT = 40
    plain: dict[int, set[int]] = {}
    for j, sig in enumerate(sigs):
        index.add(sig, j)
        for key in band_keys(sig, bands, rows):
            plain.setdefault(key, set()).add(j)
        # Asked between merges too: what was merged and what is recent are both found.
        probe = sigs[j // 2]
        assert index.query(probe) == set().union(*(plain.get(k, set()) for k in band_keys(probe, bands, rows)))
    assert len(index) == bands * len(sigs) and len(index._keys) > 0 and index._n_recent < 40
    for j, sig in enumerate(sigs):
        assert j in index.query(sig) and (j ^ 1) in index.query(sig)  # itself and its one-word edit
