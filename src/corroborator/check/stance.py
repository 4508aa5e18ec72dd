"""Stance of an article toward a claim: supports, contradicts, discusses or unrelated, with evidence.

No entailment model ships in any package we can depend on, so the default model
(``stance.features.v1``) reads cheap signals: sentence embeddings pick the evidence sentences, and word,
number, name and cue features (refutation, hedging, negation; in the evidence, the lead and the whole
body) feed a small classifier trained on FNC-1 by ``training/train_stance.py`` and stored as NPZ + JSON.
A user with an NLI model plugs it in by implementing :class:`StanceModel`.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from corroborator.check import cues as C
from corroborator.check.classifier import Classifier, load_classifier
from corroborator.check.features import (
    FEATURE_NAMES,
    PROTOTYPES,
    BodyView,
    ClaimView,
    body_view,
    claim_view,
    pair_features,
    prototype_scores,
)
from corroborator.embed import Encoder, get_encoder
from corroborator.entail import EntailmentModel
from corroborator.errors import ModelError
from corroborator.model import Article, Sentence, Stance

STANCES: tuple[Stance, ...] = ("supports", "contradicts", "discusses", "unrelated")
_COVERAGE = FEATURE_NAMES.index("overlap_body")
EVIDENCE_SENTENCES = 2
MIN_EVIDENCE_WORDS = 5


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence of the article that the judgement rests on; ``score`` is its cosine to the claim."""

    article_id: str
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True, slots=True)
class StanceJudgement:
    """``score`` is the model's confidence in ``stance`` (0..1); ``probabilities`` covers every stance
    when the model gives them (in STANCES order), and is empty otherwise; ``coverage`` is the share of
    the claim's content words that the article contains (1.0 when a model does not measure it)."""

    stance: Stance
    score: float
    evidence: tuple[Evidence, ...]
    probabilities: tuple[float, ...] = ()
    coverage: float = 1.0
    support_score: float | None = None

    def probability(self, stance: Stance) -> float:
        if self.probabilities:
            return self.probabilities[STANCES.index(stance)]
        if stance == self.stance:
            return self.score
        return (1.0 - self.score) / (len(STANCES) - 1)

    @property
    def relevance(self) -> float:
        """How much the article is about the claim at all: 1 - P(unrelated)."""
        return 1.0 - self.probability("unrelated")

    @property
    def support(self) -> float:
        """The judgement as one probability that the article backs the claim: it is about the claim and
        does not dispute it, scaled by how much of what the claim says the article contains.

        The coverage factor matters for abstractive restatements (summaries): a stance model trained on
        news headlines judges those "related, not disputed" even when they add names the article lacks.
        """
        if self.support_score is not None:
            return self.support_score
        related_undisputed = 1.0 - self.probability("unrelated") - self.probability("contradicts")
        return max(0.0, related_undisputed) * self.coverage


@runtime_checkable
class StanceModel(Protocol):
    name: str

    def judge(
        self,
        claim: str,
        article: Article,
        sentences: Sequence[Sentence],
        vectors: np.ndarray | None = None,
    ) -> StanceJudgement:
        """``vectors``: the sentences' embeddings by the model's encoder, when the caller has them."""
        ...


WEIGHTS = "stance_model"


def weights_path() -> Path:
    return Path(str(resources.files("corroborator") / "data" / f"{WEIGHTS}.npz"))


class StanceFeaturizer:
    """Claim and article views with small LRU caches, so one body met with many claims (or one
    claim with many bodies) is read and embedded once."""

    def __init__(self, encoder: Encoder | None = None, encoder_name: str = "embed.use-m3.v1") -> None:
        self._encoder = encoder
        self._encoder_name = encoder_name
        self._claims: OrderedDict[str, ClaimView] = OrderedDict()
        self._bodies: OrderedDict[tuple[str, int], BodyView] = OrderedDict()
        self._prototypes: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = get_encoder(self._encoder_name)
        return self._encoder

    def registers(self, vectors: np.ndarray) -> np.ndarray:
        if self._prototypes is None:
            texts = [t for family in PROTOTYPES.values() for t in family]
            family = np.asarray([k for k, f in enumerate(PROTOTYPES.values()) for _ in f])
            self._prototypes = (self.encoder.encode(texts), family)
        return prototype_scores(vectors, *self._prototypes)

    def claim_view(self, claim: str) -> ClaimView:
        view = self._claims.get(claim)
        if view is None:
            vector = self.encoder.encode([claim])
            view = claim_view(claim, vector[0], self.registers(vector)[0])
            self._claims[claim] = view
            if len(self._claims) > 1024:
                self._claims.popitem(last=False)
        return view

    def body_view(self, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray | None) -> BodyView:
        key = (article.id, len(sentences))
        view = self._bodies.get(key)
        if view is None:
            if vectors is None or len(vectors) != len(sentences):
                vectors = self.encoder.encode([s.text for s in sentences])
            view = body_view(article.text, sentences, vectors, self.registers(vectors))
            self._bodies[key] = view
            if len(self._bodies) > 512:
                self._bodies.popitem(last=False)
        else:
            self._bodies.move_to_end(key)
        return view

    def features(
        self, claim: str, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, BodyView]:
        """(features in FEATURE_NAMES order, cosine of the claim to each sentence, the body view)."""
        body = self.body_view(article, sentences, vectors)
        feats, sims = pair_features(self.claim_view(claim), body)
        return feats, sims, body


class FeatureStanceModel:
    """``stance.features.v1``: embedding-picked evidence + cue features + a two-stage numpy classifier
    (related vs unrelated, then supports / contradicts / discusses among the related)."""

    def __init__(
        self,
        related: Classifier,
        stance: Classifier,
        bias: np.ndarray,
        meta: dict[str, object],
        encoder: Encoder | None = None,
        related_threshold: float = 0.5,
    ) -> None:
        self.name = str(meta.get("name", "stance.features.v1"))
        self.meta = meta
        self._related = related
        self._stance = stance
        self._bias = bias
        self._threshold = related_threshold
        self.featurizer = StanceFeaturizer(encoder, str(meta.get("encoder", "embed.use-m3.v1")))

    @classmethod
    def load(cls, npz: Path | None = None, encoder: Encoder | None = None) -> FeatureStanceModel:
        npz = npz or weights_path()
        meta_path = npz.with_suffix(".json")
        if not npz.exists() or not meta_path.exists():
            raise ModelError(f"{npz}: stance weights missing; run training/train_stance.py to make them")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if tuple(meta.get("features", ())) != FEATURE_NAMES:
            raise ModelError(
                f"{npz}: trained on other features than this code computes; rerun training/train_stance.py"
            )
        with np.load(npz, allow_pickle=False) as arrays:
            data = {k: arrays[k] for k in arrays.files}
        related = load_classifier(data, "related", str(meta["related_kind"]))
        stance = load_classifier(data, "stance", str(meta["stance_kind"]))
        bias = np.asarray(data["bias"], dtype=np.float64)
        threshold = float(data["related_threshold"]) if "related_threshold" in data else 0.5
        return cls(related, stance, bias, meta, encoder, threshold)

    @property
    def encoder(self) -> Encoder:
        return self.featurizer.encoder

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, 4) in STANCES order from (n, features) rows: P(related) x P(stance | related)."""
        x = np.atleast_2d(features)
        related = self._related.predict_proba(x)[:, 1]
        given = self._stance.predict_proba(x)  # supports, contradicts, discusses
        return np.column_stack([given * related[:, None], 1.0 - related])

    def decide(self, probs: np.ndarray) -> np.ndarray:
        """Class indices: unrelated unless P(related) passes the threshold, else the related stance with
        the highest log-probability plus its offset (offsets tuned on training folds for macro-F1,
        since balanced class weights alone still under-call the rare 'contradicts')."""
        related = 1.0 - probs[:, 3]
        given = probs[:, :3] / np.maximum(related, 1e-12)[:, None]
        k = np.argmax(np.log(np.clip(given, 1e-9, 1.0)) + self._bias, axis=1)
        return np.asarray(np.where(related > self._threshold, k, 3))

    def judge(
        self,
        claim: str,
        article: Article,
        sentences: Sequence[Sentence],
        vectors: np.ndarray | None = None,
    ) -> StanceJudgement:
        feats, sims, body = self.featurizer.features(claim, article, sentences, vectors)
        probs = self.probabilities(feats)
        k = int(self.decide(probs)[0])
        stance = STANCES[k]
        return StanceJudgement(
            stance=stance,
            score=float(probs[0, k]),
            evidence=_evidence(article.id, body, sims, stance),
            probabilities=tuple(float(p) for p in probs[0]),
            coverage=float(feats[_COVERAGE]),
        )


def _evidence(article_id: str, body: BodyView, sims: np.ndarray, stance: Stance) -> tuple[Evidence, ...]:
    if stance == "unrelated" or len(sims) == 0:
        return ()
    order = [int(i) for i in np.argsort(-sims, kind="stable")[: EVIDENCE_SENTENCES + 3]]
    if stance == "contradicts":
        # Among the nearest sentences, the ones that carry a refutation are the ones a reader needs.
        ref = [C.CUE_NAMES.index(n) for n in (*C.REFUTING, "negation")]
        order.sort(key=lambda i: (body.cue_matrix[i, ref].sum() == 0, -sims[i]))
    # Headings and fragments ("Several Gulf") make poor evidence when a full sentence is near.
    full = [i for i in order if len(body.sentences[i].text.split()) >= MIN_EVIDENCE_WORDS]
    picked = (full or order)[:EVIDENCE_SENTENCES]
    return tuple(
        Evidence(article_id, body.sentences[i].start, body.sentences[i].end, body.sentences[i].text, float(sims[i]))
        for i in picked
    )


class NliStanceModel:
    """``stance.nli.v1``: the feature model's stance, with the entailment model reading the evidence.

    The ``nli_evidence`` full sentences nearest the claim are judged by the entailment model; the evidence
    shown is the best-supporting (or, for a contradiction, the most-contradicting) of them, and ``support``
    is the SummaC-ZS score rescaled to 0..1: the best sentence's P(entailment) - P(contradiction), so one
    clearly supporting sentence is enough and one clearly contradicting sentence pulls it down.

    The stance label itself stays the feature model's: a logistic combiner of the two, trained on the FNC-1
    training half, scored below it on the held-out half (macro-F1 0.643 against 0.711), while the
    entailment score ranks supported summary sentences better (QAGS XSum ROC AUC 0.685 against 0.622; see
    bench/stance_nli.py).
    """

    def __init__(
        self, base: FeatureStanceModel, entail: EntailmentModel, *, evidence: int = 5, skip_unrelated: float = 0.97
    ) -> None:
        self.base = base
        self.entail = entail
        self.name = "stance.nli.v1"
        self.evidence_count = evidence
        self.skip_unrelated = skip_unrelated

    @classmethod
    def load(cls) -> NliStanceModel:
        from corroborator.entail import default_entailment_model

        return cls(FeatureStanceModel.load(), default_entailment_model())

    @property
    def encoder(self) -> Encoder:
        return self.base.encoder

    def evidence_rows(self, body: BodyView, sims: np.ndarray) -> list[int]:
        order = [int(i) for i in np.argsort(-sims, kind="stable")]
        full = [i for i in order if len(body.sentences[i].text.split()) >= MIN_EVIDENCE_WORDS]
        return (full or order)[: self.evidence_count]

    def judge(
        self, claim: str, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray | None = None
    ) -> StanceJudgement:
        feats, sims, body = self.base.featurizer.features(claim, article, sentences, vectors)
        probs4 = self.base.probabilities(feats)
        k = int(self.base.decide(probs4)[0])
        stance = STANCES[k]
        base_probs = probs4[0]
        # Clearly about something else: the entailment model has nothing to say and costs time.
        rows = self.evidence_rows(body, sims) if len(sims) and base_probs[3] < self.skip_unrelated else []
        probs = self.entail.predict([(body.sentences[i].text, claim) for i in rows]) if rows else np.zeros((0, 3))
        evidence: tuple[Evidence, ...] = ()
        if stance != "unrelated" and rows:
            col = 2 if stance == "contradicts" else 0
            ref = [C.CUE_NAMES.index(n) for n in (*C.REFUTING, "negation")]

            def rank(r: int) -> tuple[bool, float]:
                # A disputing sentence says so in words more often than the model alone finds (FNC-1 bodies):
                # refutation cues first, then the model's contradiction probability, as the feature model does.
                cued = stance == "contradicts" and bool(body.cue_matrix[rows[r], ref].sum())
                return (not cued, -float(probs[r, col]))

            ranked = sorted(range(len(rows)), key=rank)[:EVIDENCE_SENTENCES]
            evidence = tuple(
                Evidence(
                    article.id,
                    body.sentences[rows[r]].start,
                    body.sentences[rows[r]].end,
                    body.sentences[rows[r]].text,
                    float(probs[r, col]),
                )
                for r in ranked
            )
        zs = float((probs[:, 0] - probs[:, 2]).max()) if len(probs) else -1.0
        return StanceJudgement(
            stance=stance,
            score=float(base_probs[k]),
            evidence=evidence,
            probabilities=tuple(float(v) for v in base_probs),
            coverage=float(feats[_COVERAGE]),
            support_score=(zs + 1.0) / 2.0,
        )


STANCE_MODELS = ("stance.nli.v1", "stance.features.v1")


@lru_cache(maxsize=2)
def get_stance_model(name: str = STANCE_MODELS[0]) -> StanceModel:
    """A shipped stance model by name, loaded once per process."""
    if name == "stance.features.v1":
        return FeatureStanceModel.load()
    if name == "stance.nli.v1":
        return NliStanceModel.load()
    raise ModelError(f"unknown stance model {name!r}; known: {', '.join(STANCE_MODELS)}")


def default_stance_model() -> StanceModel:
    """The model the ``stance_model`` setting names (environment or default), loaded once per process."""
    from corroborator.settings import Settings

    return get_stance_model(Settings.from_env().stance_model)
