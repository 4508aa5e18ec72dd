"""Banded MinHash LSH for near-duplicate candidates (datasketch's idea, our own compact tables).

A signature of ``bands * rows`` values is cut into bands; two articles become candidates when any band
agrees exactly. With 16 bands of 8 rows a pair at Jaccard 0.8 is found with probability 0.95 and a pair
at 0.5 with 0.06; every candidate is then checked against the estimated Jaccard, so the banding only
decides what is checked. Keys are 64-bit hashes of the band values, kept in one dict whose entries are
an article position or, rarely, a list of them: memory grows linearly, about 16 entries an article.
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
    """key -> article position(s)."""

    def __init__(self, bands: int, rows: int) -> None:
        self.bands = bands
        self.rows = rows
        self._table: dict[int, int | list[int]] = {}

    def query(self, signature: np.ndarray) -> set[int]:
        found: set[int] = set()
        for key in band_keys(signature, self.bands, self.rows):
            hit = self._table.get(key)
            if hit is None:
                continue
            if isinstance(hit, int):
                found.add(hit)
            else:
                found.update(hit)
        return found

    def add(self, signature: np.ndarray, position: int) -> None:
        for key in band_keys(signature, self.bands, self.rows):
            hit = self._table.get(key)
            if hit is None:
                self._table[key] = position
            elif isinstance(hit, int):
                self._table[key] = [hit, position]
            else:
                hit.append(position)
