"""Banded MinHash LSH for near-duplicate candidates (datasketch's idea, our own compact tables).

A signature of ``bands * rows`` values is cut into bands; two articles become candidates when any band
agrees exactly. With 16 bands of 8 rows a pair at Jaccard 0.8 is found with probability 0.95 and a pair
at 0.5 with 0.06; every candidate is then checked against the estimated Jaccard, so the banding only
decides what is checked. Keys are 64-bit hashes of the band values. New keys go to a small dict; every
``MERGE_AT`` of them are merged into two sorted numpy arrays (key, position) that a query binary-searches.
A dict holds a 64-bit key in about 110 bytes (the entry, the int objects), the arrays in 12: at 16 keys
an article that was 1.5 KB an article, a tenth of the story index (issue 13: ingest --all under 1 GB).
"""

from __future__ import annotations

import numpy as np

_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93] * 64, dtype=np.uint64)


def band_layout(num_perm: int, threshold: float) -> tuple[int, int]:
    """(bands, rows) for a signature length: the layout whose S-curve midpoint is nearest the threshold."""
    best = (num_perm, 1)
    best_err = float("inf")
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands < 1:
            break
        # Midpoint of the S-curve 1 - (1 - s^r)^b is about (1/b)^(1/r); aim a little below the
        # threshold so that pairs at the threshold are found with high probability.
        mid = (1.0 / bands) ** (1.0 / rows)
        err = abs(mid - (threshold - 0.1))
        if err < best_err:
            best, best_err = (bands, rows), err
    return best


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[int]:
    """One 64-bit key per band (the band number is mixed in, so bands never collide)."""
    sig = np.asarray(signature, dtype=np.uint64)[: bands * rows].reshape(bands, rows)
    with np.errstate(over="ignore"):
        mixed = (sig * _MULT[:rows]).sum(axis=1, dtype=np.uint64)
        mixed ^= np.arange(1, bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return [int(x) for x in mixed]


class BandIndex:
    """key -> article position(s): sorted arrays for the bulk, a dict for the keys added since the last merge."""

    MERGE_AT = 1 << 16  # recent keys before a merge: ~4,000 articles; a merge sorts once, ~10 ms per 100k keys

    def __init__(self, bands: int, rows: int) -> None:
        self.bands = bands
        self.rows = rows
        self._keys = np.zeros(0, dtype=np.uint64)
        self._pos = np.zeros(0, dtype=np.int32)
        self._recent: dict[int, int | list[int]] = {}
        self._n_recent = 0

    def __len__(self) -> int:
        """Keys held (one per band per article added)."""
        return len(self._keys) + self._n_recent

    def query(self, signature: np.ndarray) -> set[int]:
        keys = band_keys(signature, self.bands, self.rows)
        found: set[int] = set()
        if len(self._keys):
            wanted = np.asarray(keys, dtype=np.uint64)
            lo = np.searchsorted(self._keys, wanted, side="left")
            hi = np.searchsorted(self._keys, wanted, side="right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    found.update(self._pos[a:b].tolist())
        for key in keys:
            hit = self._recent.get(key)
            if hit is None:
                continue
            if isinstance(hit, int):
                found.add(hit)
            else:
                found.update(hit)
        return found

    def add(self, signature: np.ndarray, position: int) -> None:
        for key in band_keys(signature, self.bands, self.rows):
            hit = self._recent.get(key)
            if hit is None:
                self._recent[key] = position
            elif isinstance(hit, int):
                self._recent[key] = [hit, position]
            else:
                hit.append(position)
            self._n_recent += 1
        if self._n_recent >= self.MERGE_AT:
            self._merge()

    def _merge(self) -> None:
        keys: list[int] = []
        pos: list[int] = []
        for key, hit in self._recent.items():
            for p in [hit] if isinstance(hit, int) else hit:
                keys.append(key)
                pos.append(p)
        all_keys = np.concatenate([self._keys, np.asarray(keys, dtype=np.uint64)])
        all_pos = np.concatenate([self._pos, np.asarray(pos, dtype=np.int32)])
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._pos = all_keys[order], all_pos[order]
        self._recent = {}
        self._n_recent = 0
