"""The weights and tables corroborator ships in its package are pinned: a changed file is a deliberate rebuild.

Each is made by a training/ script (train_pair, train_stance, train_stories, train_framing,
contest_ranker); rebuild it there,
check the script's numbers, then update its hash here. The entailment model has its own pin
(data/nli_minilm_l6_v1.json, tests/test_entail_model.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "corroborator" / "data"
PINNED = {
    "pair_model.npz": "fdf4d9e4e3ffcecf1dc1162960cfff6eff04347ac8a52fcb1629d8d5bd0ac839",
    "stance_model.npz": "0ce009480198e503a815e9f95893e3285e0ba803c750c0c47791f78c9317fe0a",
    "stance_model.json": "32f87be736b73ffb2014c621473d9082e9b935c796888c65172f22c1c76f4626",
    "story_model.json": "77ccac82be4b19c556aefcb6022ed9c3f1b69fb9f26fb7dc9366f4ee83133990",
    "story_background_df.npz": "24bba5b0304e751c0cc47316e191ccd328824eb8480561b89275aa3ea691c756",
    "framing_weights.json": "01095544960d63b4abec183c6ba953651e38e7591d74c3b560ac3650ce6acd97",
    "framing_lexicon.json": "82836894695a0b12ed5e4ec5191e2fd997723721407ec8de102347e3275953d4",
    "contest_ranker.json": "f18f3216159b87d71dd1c1ad46a6d015a4bde9286896b74fea496e6043e4ab94",
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_shipped_data_file_is_pinned(name: str) -> None:
    assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == PINNED[name], f"{name} changed"
