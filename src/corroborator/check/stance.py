"""Stance of an article toward a claim: supports, contradicts, discusses or unrelated, with evidence.

No entailment model ships in any package we can depend on, so the default model
(``stance.features.v1``) reads cheap signals: sentence embeddings pick the evidence sentences, and word,
number, name and cue features (refutation, hedging, negation; in the evidence, the lead and the whole
body) feed a small classifier trained on FNC-1 by ``bench/train_stance.py`` and stored as NPZ + JSON.
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
            raise ModelError(f"{npz}: stance weights missing; run bench/train_stance.py to make them")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if tuple(meta.get("features", ())) != FEATURE_NAMES:
            raise ModelError(f"{npz}: trained on other features than this code computes; rerun bench/train_stance.py")
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


NLI_WEIGHTS = "stance_nli"
NLI_FEATURES = ("max_entail", "max_contra", "top_entail", "top_contra", "max_margin", "min_margin")


def nli_evidence_features(probs: np.ndarray) -> np.ndarray:
    """Features of the entailment over the evidence sentences (rows nearest the claim first): the
    best-supporting and the most-contradicting sentence, as in SummaC-ZS, and the nearest sentence's view."""
    if len(probs) == 0:
        return np.zeros(len(NLI_FEATURES))
    e, c = probs[:, 0], probs[:, 2]
    margin = e - c
    return np.array([e.max(), c.max(), e[0], c[0], margin.max(), margin.min()])


class NliStanceModel:
    """``stance.nli.v1``: the feature model's relatedness and cue signals plus the entailment model over the
    evidence sentences (the ``nli_evidence`` nearest full sentences), combined by a multinomial logistic
    model trained on the FNC-1 training half (``bench/train_stance_nli.py``, ``data/stance_nli.npz``).

    ``support`` (used for summaries and checks) is the SummaC-ZS score rescaled to 0..1: the best
    sentence's P(entailment) - P(contradiction), so one clear supporting sentence is enough.
    """

    def __init__(
        self, base: FeatureStanceModel, entail: EntailmentModel, arrays: dict[str, np.ndarray], meta: dict[str, object]
    ) -> None:
        self.base = base
        self.entail = entail
        self.meta = meta
        self.name = str(meta.get("name", "stance.nli.v1"))
        self._w = np.asarray(arrays["weights"], dtype=np.float64)
        self._b = np.asarray(arrays["intercept"], dtype=np.float64)
        self._mean = np.asarray(arrays["mean"], dtype=np.float64)
        self._scale = np.asarray(arrays["scale"], dtype=np.float64)
        self._bias = np.asarray(arrays["bias"], dtype=np.float64)
        self.evidence_count = int(str(meta.get("evidence", 5)))
        self.skip_unrelated = float(str(meta.get("skip_unrelated", 0.97)))

    @classmethod
    def load(cls, npz: Path | None = None) -> NliStanceModel:
        from corroborator.entail import get_entailment_model

        npz = npz or weights_path().with_name(f"{NLI_WEIGHTS}.npz")
        meta_path = npz.with_suffix(".json")
        if not npz.exists() or not meta_path.exists():
            raise ModelError(f"{npz}: NLI stance weights missing; run bench/train_stance_nli.py to make them")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(npz, allow_pickle=False) as arrays:
            data = {k: arrays[k] for k in arrays.files}
        entail = get_entailment_model(str(meta.get("entailment_model", "nli.minilm-l6.v1")))
        if entail.name != meta.get("entailment_model", entail.name):
            raise ModelError(f"{npz}: trained over {meta['entailment_model']}, not {entail.name}")
        return cls(FeatureStanceModel.load(), entail, data, meta)

    @property
    def encoder(self) -> Encoder:
        return self.base.encoder

    def evidence_rows(self, body: BodyView, sims: np.ndarray) -> list[int]:
        order = [int(i) for i in np.argsort(-sims, kind="stable")]
        full = [i for i in order if len(body.sentences[i].text.split()) >= MIN_EVIDENCE_WORDS]
        return (full or order)[: self.evidence_count]

    def features(
        self, claim: str, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, BodyView, list[int]]:
        """(combined features, base features, entailment probabilities of the evidence rows, body, rows)."""
        feats, sims, body = self.base.featurizer.features(claim, article, sentences, vectors)
        base_probs = self.base.probabilities(feats)[0]
        rows = self.evidence_rows(body, sims) if len(sims) else []
        if base_probs[3] >= self.skip_unrelated:
            # Clearly about something else: the entailment model has nothing to say and costs time.
            rows = []
        probs = self.entail.predict([(body.sentences[i].text, claim) for i in rows]) if rows else np.zeros((0, 3))
        x = np.concatenate([np.log(np.clip(base_probs, 1e-6, 1.0)), nli_evidence_features(probs), [float(bool(rows))]])
        return x, feats, probs, body, rows

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((np.atleast_2d(x) - self._mean) / self._scale) @ self._w.T + self._b
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def judge(
        self, claim: str, article: Article, sentences: Sequence[Sentence], vectors: np.ndarray | None = None
    ) -> StanceJudgement:
        x, feats, probs, body, rows = self.features(claim, article, sentences, vectors)
        p = self.probabilities(x)
        k = int(np.argmax(np.log(np.clip(p[0], 1e-9, 1.0)) + self._bias))
        stance = STANCES[k]
        evidence: tuple[Evidence, ...] = ()
        if stance != "unrelated" and rows:
            col = 2 if stance == "contradicts" else 0
            ranked = sorted(range(len(rows)), key=lambda r: -probs[r, col])[:EVIDENCE_SENTENCES]
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
            score=float(p[0, k]),
            evidence=evidence,
            probabilities=tuple(float(v) for v in p[0]),
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
