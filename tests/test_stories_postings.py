"""The rare-term postings: the newest positions under a term, the same before and after merges."""

from __future__ import annotations

import json

from conftest import shared_path
from corroborator.stories.postings import Postings


def test_postings_give_what_a_plain_dict_gives_across_merges() -> None:
    # Words of real ECB+ articles as terms (ids in order of first sight), articles as positions in order.
    path = shared_path("datasets", "ecbplus", "ecbplus_topics_1-35.jsonl")
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(150), fh, strict=False)]
    vocab: dict[str, int] = {}
    postings = Postings()
    postings.MERGE_AT = 97  # many merges, at odd places
    plain: dict[int, list[int]] = {}
    for j, text in enumerate(texts):
        for word in dict.fromkeys(w.lower() for w in text.split()[:40]):
            term = vocab.setdefault(word, len(vocab))
            postings.add(term, j)
            plain.setdefault(term, []).append(j)
        for term in list(plain)[:: max(1, len(plain) // 50)]:
            for n in (1, 3, 128):
                assert postings.newest(term, n) == plain[term][-n:]
    assert len(postings) == sum(map(len, plain.values())) and len(postings._keys) > 0
    common = max(plain, key=lambda t: len(plain[t]))
    assert len(plain[common]) > 100 and postings.newest(common, 128) == plain[common][-128:]
    assert postings.newest(len(vocab) + 5, 10) == []
