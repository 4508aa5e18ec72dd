"""MinHash fingerprints of article text, for near-duplicate detection.

A signature estimates the Jaccard similarity of two articles' sets of word shingles (``k`` consecutive
normalised words). It is an estimate: with 128 permutations the standard error at J=0.8 is about 0.035.

The signature is datasketch's ``MinHash`` in its ``affine32`` scheme (SHA-1 of each shingle, affine
permutations modulo 2**32, vectorised over all shingles in one numpy pass; ~480 articles/s for
620-word articles on one core, about twice the pre-2.0 ``legacy`` scheme), widened to uint64 for the store.
Seeds are fixed, so signatures made in different processes or runs compare.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from functools import cache
from typing import Any

import numpy as np

from corroborator.model import normalise_text

_WORD = re.compile(r"\w+")
_SEED = 1
_SCHEME = "affine32"


def words(text: str) -> list[str]:
    """Normalised word tokens (NFKC, lower case, punctuation dropped)."""
    return _WORD.findall(normalise_text(text))


def shingles(text: str, k: int) -> set[bytes]:
    """The set of ``k``-word shingles of ``text``; a text shorter than ``k`` words is one shingle."""
    if k < 1:
        raise ValueError(f"shingle size must be >= 1, got {k}")
    toks = words(text)
    if not toks:
        return set()
    if len(toks) <= k:
        return {" ".join(toks).encode("utf-8")}
    return {" ".join(toks[i : i + k]).encode("utf-8") for i in range(len(toks) - k + 1)}


@cache
def _minhash_class() -> Any:
    """datasketch's ``MinHash``, imported without running the package's ``__init__``.

    That ``__init__`` imports every sketch datasketch has, and through ``MinHashLSH`` scipy, for one
    integral the LSH classes use: 0.9 s and ~53 MB in each ingest worker, which needs only ``MinHash``
    (``minhash.py`` imports nothing of the package but ``hashfunc``). The modules loaded here are taken out
    of ``sys.modules`` afterwards, so a later ``import datasketch`` elsewhere in the process gets the whole,
    ordinary package (with its own ``MinHash`` class; signatures, plain arrays, are the same).
    """
    if "datasketch" in sys.modules:
        return sys.modules["datasketch"].MinHash
    spec = importlib.util.find_spec("datasketch")
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError("datasketch is not installed: pip install datasketch")
    sys.modules["datasketch"] = importlib.util.module_from_spec(spec)
    try:
        return importlib.import_module("datasketch.minhash").MinHash
    finally:
        for name in [m for m in sys.modules if m == "datasketch" or m.startswith("datasketch.")]:
            del sys.modules[name]


def minhash_signature(text: str, num_perm: int = 128, shingle_words: int = 5) -> np.ndarray:
    """uint64 MinHash signature (``num_perm`` values) of the text's word shingles.

    An empty text gives the all-max signature, which matches nothing but another empty text.
    """
    if num_perm < 16:
        raise ValueError(f"num_perm={num_perm} is too small for a useful estimate; use >= 16 (default 128)")
    mh = _minhash_class()(num_perm=num_perm, seed=_SEED, scheme=_SCHEME)
    sh = shingles(text, shingle_words)
    if sh:
        mh.update_batch(sh)
    return np.asarray(mh.hashvalues, dtype=np.uint64)


def jaccard_estimate(a: np.ndarray | tuple[int, ...], b: np.ndarray | tuple[int, ...]) -> float:
    """Estimated Jaccard similarity: the share of permutations whose minimum agrees."""
    x = np.asarray(a, dtype=np.uint64)
    y = np.asarray(b, dtype=np.uint64)
    if x.shape != y.shape:
        raise ValueError(f"signatures differ in length ({x.shape[0]} vs {y.shape[0]}): made with other num_perm")
    if x.size == 0:
        return 0.0
    return float(np.count_nonzero(x == y)) / float(x.size)
