"""Reading the FNC-1 stance data (headline = claim, body = article) for training and evaluation.

The split is by ``Body ID`` so no body is in both halves: a body's id is hashed, and the hash decides.
Training (training/train_stance.py), the benchmark (bench/check.py) and the tests share this one rule.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from corroborator.errors import InputError
from corroborator.model import Stance

FNC_LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
TO_STANCE: dict[str, Stance] = {
    "agree": "supports",
    "disagree": "contradicts",
    "discuss": "discusses",
    "unrelated": "unrelated",
}
FROM_STANCE: dict[str, str] = {v: k for k, v in TO_STANCE.items()}
SPLIT_SALT = "corroborator-fnc1-v1"
TRAIN_SHARE = 0.5

Part = Literal["train", "test", "all"]


@dataclass(frozen=True, slots=True)
class StancePair:
    row: int  # 0-based data row in dev_stances.csv
    headline: str
    body_id: str
    label: str  # FNC label
    body: str


def split_of(body_id: str) -> Literal["train", "test"]:
    digest = hashlib.sha256(f"{SPLIT_SALT}:{body_id}".encode()).digest()
    return "train" if int.from_bytes(digest[:4], "big") / 2**32 < TRAIN_SHARE else "test"


def read_bodies(folder: Path) -> dict[str, str]:
    path = folder / "dev_bodies.csv"
    if not path.exists():
        raise InputError(str(path), "not found; pass --shared pointing at the team's shared data folder")
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}


def read_pairs(folder: Path, part: Part = "all") -> list[StancePair]:
    """Pairs of ``dev_stances.csv`` in file order, restricted to one side of the body split."""
    bodies = read_bodies(folder)
    path = folder / "dev_stances.csv"
    out: list[StancePair] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            bid = row["Body ID"]
            if part != "all" and split_of(bid) != part:
                continue
            out.append(StancePair(i, row["Headline"], bid, row["Stance"], bodies[bid]))
    return out


def read_top3(folder: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The 2017 winners' predictions: (system names, one row per dev_stances.csv row)."""
    path = folder / "dev_top3_predictions.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        systems = [n for n in (reader.fieldnames or []) if n not in ("Headline", "Body ID", "Stance")]
        return systems, list(reader)
