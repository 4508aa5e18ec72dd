"""Claim-vs-article features for the stance classifier.

An article is read once into a :class:`BodyView` (per-sentence vectors, words, numbers, cues), a claim
into a :class:`ClaimView`; :func:`pair_features` then costs one matrix-vector product and set lookups,
so checking one claim against many articles, or many claims against one article, stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corroborator.check import cues as C
from corroborator.model import Sentence

# Not settings: features of the shipped stance model, fitted with these values (training/train_stance.py).
TOP_K = 3  # evidence sentences the cue features look at
LEAD = 3  # sentences counted as the lead

# Sentences that stand for a register; a sentence's cosine to the nearest one of a family is a cue the
# lexicons miss ("the images were digitally altered"). Written for this purpose, not taken from data.
PROTOTYPES: dict[str, tuple[str, ...]] = {
    "refuting": (
        "This story is a hoax.",
        "The report is false and the claims were fabricated.",
        "Officials denied the report.",
        "There is no evidence that this ever happened.",
        "The photo is fake and was digitally altered.",
        "The website that published it is satirical.",
        "He said the rumours were not true.",
    ),
    "hedging": (
        "The report could not be independently verified.",
        "It is unclear whether the claim is true.",
        "According to unconfirmed reports, it may have happened.",
        "Rumours have been circulating online.",
        "The claims have not been confirmed by officials.",
    ),
    "confirming": (
        "Officials confirmed the report on Tuesday.",
        "The company announced the news in a statement.",
        "Police said the man was arrested.",
        "It is true, a spokesman confirmed.",
    ),
}
PROTOTYPE_FAMILIES: tuple[str, ...] = tuple(PROTOTYPES)


def prototype_scores(vectors: np.ndarray, prototypes: np.ndarray, family: np.ndarray) -> np.ndarray:
    """(n, families): each row's best cosine to the prototypes of each family."""
    sims = np.asarray(vectors, dtype=np.float32) @ prototypes.T
    out = np.full((sims.shape[0], len(PROTOTYPE_FAMILIES)), -1.0, dtype=np.float32)
    for k in range(len(PROTOTYPE_FAMILIES)):
        cols = sims[:, family == k]
        if cols.size:
            out[:, k] = cols.max(axis=1)
    return out


@dataclass(frozen=True, slots=True)
class ClaimView:
    text: str
    vector: np.ndarray
    words: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[float]
    names: frozenset[str]
    cues: np.ndarray  # cue family counts, C.CUE_NAMES order
    registers: np.ndarray  # prototype family scores, PROTOTYPE_FAMILIES order


@dataclass(frozen=True, slots=True)
class BodyView:
    sentences: tuple[Sentence, ...]
    vectors: np.ndarray  # (n, dim), L2-normalised
    words: tuple[frozenset[str], ...]
    all_words: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    numbers: frozenset[float]
    names: frozenset[str]
    cue_matrix: np.ndarray  # (n, families): cue counts per sentence, C.CUE_NAMES order
    registers: np.ndarray  # (n, PROTOTYPE_FAMILIES): prototype scores per sentence


def claim_view(text: str, vector: np.ndarray, registers: np.ndarray) -> ClaimView:
    return ClaimView(
        text=text,
        vector=np.asarray(vector, dtype=np.float32),
        words=frozenset(C.content_words(text)),
        bigrams=frozenset(C.bigrams(text)),
        numbers=frozenset(C.numbers(text)),
        names=frozenset(C.names(text)),
        cues=np.asarray(C.cue_counts(text), dtype=np.float32),
        registers=np.asarray(registers, dtype=np.float32).reshape(-1),
    )


def body_view(text: str, sentences: Sequence[Sentence], vectors: np.ndarray, registers: np.ndarray) -> BodyView:
    sents = tuple(sentences)
    per = tuple(frozenset(C.content_words(s.text)) for s in sents)
    cue_matrix = np.asarray([C.cue_counts(s.text) for s in sents], dtype=np.float32).reshape(
        len(sents), len(C.CUE_NAMES)
    )
    return BodyView(
        sentences=sents,
        vectors=np.asarray(vectors, dtype=np.float32).reshape(len(sents), -1),
        words=per,
        all_words=frozenset().union(*per) if per else frozenset(),
        bigrams=frozenset(C.bigrams(text)),
        numbers=frozenset(C.numbers(text)),
        # Claims are often in Title Case, so a claim's names are looked up among all body words.
        names=frozenset(C.words(text)),
        cue_matrix=cue_matrix,
        registers=np.asarray(registers, dtype=np.float32).reshape(len(sents), len(PROTOTYPE_FAMILIES)),
    )


_SCALAR_NAMES: tuple[str, ...] = (
    "sim_max",
    "sim_top3",
    "sim_mean",
    "sim_lead",
    "sim_gap",
    "best_pos",
    "log_sentences",
    "log_claim_words",
    "overlap_body",
    "overlap_best",
    "overlap_top3",
    "bigram_body",
    "claim_has_numbers",
    "numbers_found",
    "numbers_missing",
    "claim_has_names",
    "names_found",
    "claim_refuting",
    "evidence_refuting",
    "body_refuting",
    "weighted_refuting",
    "claim_hedging",
    "evidence_hedging",
    "body_hedging",
    "mismatch_refuting",
    "mismatch_negation",
    "refuting_x_sim",
    "hedging_x_sim",
)
_GROUPS: tuple[str, ...] = ("claim", "evidence", "body", "weighted", "lead")
_REGISTER_GROUPS: tuple[str, ...] = ("claim", "best", "max", "mean", "weighted")
FEATURE_NAMES: tuple[str, ...] = (
    _SCALAR_NAMES
    + tuple(f"{g}_{c}" for g in _GROUPS for c in C.CUE_NAMES)
    + tuple(f"register_{g}_{r}" for g in _REGISTER_GROUPS for r in PROTOTYPE_FAMILIES)
)
_REF = [C.CUE_NAMES.index(n) for n in C.REFUTING]
_HEDGE = [C.CUE_NAMES.index(n) for n in C.HEDGING]
_NEG = C.CUE_NAMES.index("negation")


def _frac(part: frozenset, whole: frozenset) -> float:
    return len(part & whole) / len(part) if part else 0.0


def pair_features(claim: ClaimView, body: BodyView) -> tuple[np.ndarray, np.ndarray]:
    """Return (features in FEATURE_NAMES order, cosine of the claim to each sentence)."""
    n = len(body.sentences)
    k = len(C.CUE_NAMES)
    claim_cues = np.minimum(claim.cues, 2.0)
    if n == 0:
        out = np.zeros(len(FEATURE_NAMES), dtype=np.float32)
        out[_SCALAR_NAMES.index("log_claim_words")] = np.log1p(len(claim.words))
        out[len(_SCALAR_NAMES) : len(_SCALAR_NAMES) + k] = claim_cues
        r0 = len(_SCALAR_NAMES) + k * len(_GROUPS)
        out[r0 : r0 + len(PROTOTYPE_FAMILIES)] = claim.registers
        return out, np.zeros(0, dtype=np.float32)
    sims = body.vectors @ claim.vector
    order = np.argsort(-sims, kind="stable")
    top = order[:TOP_K]
    best = int(order[0])
    sim_best = float(sims[best])
    second = float(sims[order[1]]) if n > 1 else sim_best
    top_words = frozenset().union(*(body.words[i] for i in top))
    evidence = np.minimum(body.cue_matrix[top].sum(axis=0), 3.0)
    present = (body.cue_matrix > 0).astype(np.float32)
    rate = present.mean(axis=0)
    lead = present[:LEAD].mean(axis=0)
    # Soft attention over sentences: cues in the sentences that talk about the claim count most.
    w = np.exp((sims - sim_best) / 0.05)
    weighted = (w / w.sum()) @ present
    claim_ref = float(claim.cues[_REF].sum() > 0)
    ev_ref = float(evidence[_REF].sum() > 0)
    scalars = [
        sim_best,
        float(sims[top].mean()),
        float(sims.mean()),
        float(sims[:LEAD].max()),
        sim_best - second,
        best / max(1, n - 1),
        float(np.log1p(n)),
        float(np.log1p(len(claim.words))),
        _frac(claim.words, body.all_words),
        _frac(claim.words, body.words[best]),
        _frac(claim.words, top_words),
        _frac(claim.bigrams, body.bigrams),
        float(bool(claim.numbers)),
        _frac(claim.numbers, body.numbers),
        float(bool(claim.numbers) and not (claim.numbers & body.numbers)),
        float(bool(claim.names)),
        _frac(claim.names, body.names),
        claim_ref,
        ev_ref,
        float(present[:, _REF].max(axis=1).mean()),
        float(weighted[_REF].sum()),
        float(claim.cues[_HEDGE].sum() > 0),
        float(evidence[_HEDGE].sum()),
        float(present[:, _HEDGE].max(axis=1).mean()),
        float(claim_ref != ev_ref),
        float((claim.cues[_NEG] > 0) != (evidence[_NEG] > 0)),
        float(present[:, _REF].max(axis=1).mean()) * sim_best,
        float(present[:, _HEDGE].max(axis=1).mean()) * sim_best,
    ]
    wn = w / w.sum()
    registers = [claim.registers, body.registers[best], body.registers.max(axis=0), body.registers.mean(axis=0)]
    registers.append(wn @ body.registers)
    out = np.concatenate(
        [np.asarray(scalars, dtype=np.float32), claim_cues, evidence, rate, weighted, lead, *registers]
    )
    return out.astype(np.float32), sims.astype(np.float32)
