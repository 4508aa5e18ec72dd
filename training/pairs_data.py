"""MRPC and STS-B as pairs, and the fixed fifth of MRPC train kept out of training.

Shared: ``training/train_pair.py`` trains on what :func:`mrpc_heldout` leaves in; ``bench/pairs.py``
scores the held-out fifth and ``sts-dev.csv``.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Pair:
    id: str
    a: str
    b: str
    label: float  # MRPC: 0/1; STS-B: 0..5
    genre: str = ""


def mrpc_heldout(pair_id: str) -> bool:
    """The fixed fifth of MRPC train kept out of training, by a hash of ``"<id1>-<id2>"``."""
    return int(hashlib.sha256(pair_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


def load_mrpc(shared: Path) -> list[Pair]:
    path = shared / "datasets" / "mrpc" / "msr_paraphrase_train.txt"
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for quality, id1, id2, s1, s2 in reader:
            rows.append(Pair(f"{id1}-{id2}", s1, s2, float(quality)))
    return rows


def load_sts(shared: Path, part: str) -> list[Pair]:
    """``part`` is ``train`` or ``dev``; tab-separated, unquoted (some rows carry extra source columns)."""
    path = shared / "datasets" / "stsb" / f"sts-{part}.csv"
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for rec in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append(Pair(f"{rec[1]}-{rec[2]}-{rec[3]}", rec[5], rec[6], float(rec[4]), rec[0]))
    return rows
