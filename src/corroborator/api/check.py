"""Checking a claim against the store: one candidate search over every stored article, then the stance model.

Candidates come from the article vectors the store keeps (title + lead, made at ingest): an in-memory
matrix per open store, brought up to date with only the articles stored since the last search, and
searched exactly (a matrix product; 40k articles x 512 dimensions is a few milliseconds). Articles
without a vector join the candidates only when there is room.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from corroborator.api.comparisons import RefreshQueue, story_comparison, story_links
from corroborator.check.claim import check_claim as judge_claim
from corroborator.model import Article
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.check.stance import StanceJudgement, StanceModel
    from corroborator.compare.ledger.claim_check import FactCheck
    from corroborator.embed import Encoder
    from corroborator.store.base import Store

# Articles judged when no story is given (the ones nearest the claim): the setting check_candidates.
CHECK_POOL = Settings().check_candidates
MAX_CLAIM_CHARS = 1_000


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """The answer to "what does the stored coverage say about this claim", most relevant first.

    ``supporting_sources`` / ``disputing_sources`` count independent sources (copies and rewrites of one
    report count once, see :func:`corroborator.independence.source_groups`)."""

    claim: str
    story: str | None
    model: str
    judgements: list[tuple[Article, StanceJudgement]]
    supporting_sources: int
    disputing_sources: int
    facts: tuple[FactCheck, ...] = ()  # the claim's facts, each with the evidence stating it or another value

    def rows(self, *, include_unrelated: bool = True) -> list[dict[str, Any]]:
        """One JSON row per judged article (the shape the CLI and the web API both print)."""
        return [
            {
                "article": a.id,
                "source": a.label,
                "title": a.title,
                "url": a.url,
                "page": f"/articles/{a.id}",
                "stance": j.stance,
                "score": round(float(j.score), 4),
                "evidence": [
                    {"text": e.text, "start": e.start, "end": e.end, "score": round(float(e.score), 4)}
                    for e in j.evidence
                ],
            }
            for a, j in self.judgements
            if include_unrelated or j.stance != "unrelated"
        ]

    def stances(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, j in self.judgements:
            counts[j.stance] = counts.get(j.stance, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "story": self.story,
            "model": self.model,
            "results": self.rows(),
            "facts": [f.as_dict() for f in self.facts],
            "stances": self.stances(),
            "supporting_sources": self.supporting_sources,
            "disputing_sources": self.disputing_sources,
        }


@dataclass
class _Vectors:
    """Article vectors of one store, in ingest order, kept in step by ``seq``."""

    encoder: str
    ids: list[str] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    matrix: np.ndarray | None = None
    without: list[str] = field(default_factory=list)  # stored articles with no vector of this encoder
    last_seq: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, store: Store) -> None:
        grew = False
        while True:
            batch = store.vectors_after(self.last_seq, self.encoder)
            if not batch:
                break
            for seq, aid, vec in batch:
                if vec is None:
                    self.without.append(aid)
                else:
                    norm = float(np.linalg.norm(vec))
                    self.ids.append(aid)
                    self.rows.append((vec / norm if norm > 0 else vec).astype(np.float32))
                    grew = True
                self.last_seq = seq
        if grew or self.matrix is None:
            self.matrix = np.vstack(self.rows) if self.rows else np.zeros((0, 0), np.float32)
            self.rows = [self.matrix[i] for i in range(len(self.ids))]

    def nearest(self, query: np.ndarray, k: int) -> list[str]:
        assert self.matrix is not None
        out: list[str] = []
        if len(self.ids) and self.matrix.shape[1] == query.shape[0]:
            scores = self.matrix @ (query / max(float(np.linalg.norm(query)), 1e-12))
            top = np.argsort(-scores, kind="stable")[:k]
            out = [self.ids[int(i)] for i in top]
        return out + self.without[: max(0, k - len(out))]


_INDEXES: weakref.WeakKeyDictionary[Store, _Vectors] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def candidates(store: Store, claim: str, k: int = CHECK_POOL, encoder: Encoder | None = None) -> list[str]:
    """Ids of the ``k`` stored articles nearest the claim (cosine of the claim to each article vector)."""
    if encoder is None:
        from corroborator.embed import get_encoder

        encoder = get_encoder()
    with _INDEXES_LOCK:
        index = _INDEXES.get(store)
        if index is None or index.encoder != encoder.name:
            index = _INDEXES[store] = _Vectors(encoder.name)
    with index.lock:
        index.update(store)
        query = np.asarray(encoder.encode([claim])[0], dtype=np.float32)
        return index.nearest(query, k)


def _sentence_inputs(
    store: Store, articles: Sequence[Article], model: StanceModel
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The stored sentences, and the model's sentence vectors (cached in the store, computed once)."""
    encoder: Encoder | None = getattr(model, "encoder", None)
    sentences = {a.id: store.sentences(a.id) for a in articles}
    vectors: dict[str, np.ndarray] = {}
    if encoder is None:
        return {k: v for k, v in sentences.items() if v}, vectors
    for a in articles:
        if not sentences[a.id]:
            continue
        vecs = store.sentence_vectors(a.id, encoder.name)
        if vecs is None or len(vecs) != len(sentences[a.id]):
            vecs = encoder.encode([s.text for s in sentences[a.id]])
            store.put_sentence_vectors(a.id, encoder.name, vecs)
        vectors[a.id] = vecs
    return {k: v for k, v in sentences.items() if v}, vectors


def check_claim(
    store: Store,
    claim: str,
    story: str | None = None,
    settings: Settings | None = None,
    *,
    model: StanceModel | None = None,
    pool: int | None = None,
    refresher: RefreshQueue | None = None,
) -> ClaimCheck:
    """Which stored articles support, contradict or discuss ``claim``, counting copies once.

    ``story``: only that story's articles, and rewrites the story's comparison found count once too.
    Otherwise the ``pool`` articles nearest the claim in the whole store are judged (default: the
    setting ``check_candidates``).
    """
    from corroborator.check.stance import default_stance_model, get_stance_model
    from corroborator.compare.ledger.claim_check import check_facts
    from corroborator.errors import CorroboratorError

    claim = claim.strip()
    if len(claim) < 3:
        raise CorroboratorError("claim: write at least a few words to check")
    if len(claim) > MAX_CLAIM_CHARS:
        raise CorroboratorError(f"claim: at most {MAX_CLAIM_CHARS} characters ({len(claim)} given)")
    model = model or (get_stance_model(settings.stance_model) if settings else default_stance_model())
    ids = (
        list(store.story(story).article_ids)
        if story
        else candidates(store, claim, pool or (settings or Settings()).check_candidates)
    )
    articles = store.get_articles(ids)
    links: list[tuple[str, str]] = story_links(store, ids)
    if story and len(articles) > 1:
        # Within a story, a rewrite of another article is not a second witness either: the kept
        # comparison's groups already join stored near-copies and the rewrites it found.
        kept = story_comparison(store, story, settings, refresher)
        links.extend((a["id"], a["group"]) for a in kept.document.get("articles", []) if a.get("group"))
    sentences, vectors = _sentence_inputs(store, articles, model)
    result = judge_claim(claim, articles, model=model, duplicate_of=links, sentences=sentences, vectors=vectors)
    return ClaimCheck(
        claim=claim,
        story=story,
        model=getattr(model, "name", type(model).__name__),
        judgements=result.judgements,
        supporting_sources=result.supporting_sources,
        disputing_sources=result.disputing_sources,
        facts=check_facts(claim, result.judgements),
    )
