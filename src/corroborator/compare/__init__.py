"""Compare reports of one story: claims, alignment, typed conflicts, rewrites, framing and a cited brief.

``compare_articles(articles)`` runs the whole comparison and returns a :class:`Comparison`. This package
is pure (it never reads the store): :func:`corroborator.api.compare_story` does the same for a stored
story, reading and filling the store's caches of facts and sentence vectors.
Models (spaCy for facts, the sentence encoder, the pair judge) load lazily, once per process.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np

from corroborator.compare.alignment.align import CosineJudge, Judge, align_articles, claim_statuses
from corroborator.compare.brief import build_brief
from corroborator.compare.claims import CrossLanguageJudge, build_claims, check_across_languages
from corroborator.compare.contested import find_contests, settle_contested
from corroborator.compare.ledger import build_ledger
from corroborator.compare.lineage import derive, is_rewrite, source_groups
from corroborator.errors import CorroboratorError
from corroborator.independence import Links
from corroborator.model import (
    Alignment,
    Article,
    Claim,
    Derivation,
    Fact,
    Framing,
    Sentence,
)
from corroborator.results import SCHEMA_VERSION, Comparison
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.embed import Encoder
    from corroborator.entail import EntailmentModel

__all__ = ["SCHEMA_VERSION", "Comparison", "compare_articles"]

_T = TypeVar("_T")


def copies(comparison: Comparison, known: Links = ()) -> list[tuple[str, str]]:
    """``known`` copy -> original links (e.g. the store's near-duplicates) plus each rewrite the
    comparison found, as (copy, original) pairs for :func:`corroborator.independence.source_groups`.

    The later article is the copy when publication times say so (direction "a->b" / "b->a"); with a
    shared origin either could be, and grouping does not depend on the direction anyway.
    """
    out = list(known.items()) if isinstance(known, Mapping) else list(known)
    for d in comparison.rewrites():
        out.append((d.a, d.b) if d.direction == "b->a" else (d.b, d.a))
    return out


class _Loader(Generic[_T]):
    """Run a model loader on a background thread; ``result()`` waits for it (and re-raises its error)."""

    def __init__(self, load: Callable[[], _T]) -> None:
        self._load = load
        self._value: _T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._load()
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> _T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 4)
        self._last = now


def _claim_vectors(
    sentences: Sequence[Sentence],
    claims: Sequence[Claim],
    encoder: Encoder,
    sentence_vectors: np.ndarray | None,
) -> np.ndarray:
    """Vectors of the claims; a claim that is a whole sentence reuses the sentence's vector when given."""
    if sentence_vectors is not None and len(sentence_vectors) != len(sentences):
        sentence_vectors = None
    by_span = {(s.start, s.end): i for i, s in enumerate(sentences)}
    out = np.zeros((len(claims), encoder.dim), dtype=np.float32)
    todo = []
    for k, c in enumerate(claims):
        i = by_span.get((c.start, c.end))
        if sentence_vectors is not None and i is not None:
            out[k] = sentence_vectors[i]
        else:
            todo.append(k)
    if todo:
        out[todo] = encoder.encode([claims[k].text for k in todo])
    return out


def _with_language(article: Article) -> Article:
    from dataclasses import replace

    from corroborator.text.language import detect_language

    return replace(article, language=detect_language(article.text))


def _split(article: Article) -> tuple[Sentence, ...]:
    from corroborator.text.sentences import split_sentences

    return split_sentences(article)


def _extract(article: Article, sentences: Sequence[Sentence]) -> tuple[Fact, ...]:
    from corroborator.text.facts import extract_facts

    return tuple(extract_facts(article, sentences))


def _framings(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    facts: Mapping[str, Sequence[Fact]],
) -> tuple[Framing, ...]:
    from corroborator.compare.framing import analyse_framing

    return tuple(analyse_framing(a, sentences[a.id], facts[a.id]) for a in articles)


def _default_judge() -> Judge:
    from corroborator.compare.alignment.judge import default_judge
    from corroborator.errors import ModelError

    try:
        return default_judge()
    except ModelError as exc:
        # Comparing still works without the learned judge, less well: say so once, do not fail.
        warnings.warn(f"{exc}; aligning claims by embedding cosine only", stacklevel=3)
        return CosineJudge()


def _warm_encoder() -> Encoder:
    from corroborator.embed import get_encoder

    encoder = get_encoder()
    encoder.encode(["warm up"])  # the first call finishes loading (USE builds its backend lazily)
    return encoder


def _entailment(name: str) -> EntailmentModel | None:
    from corroborator.entail import get_entailment_model
    from corroborator.errors import ModelError

    try:
        return get_entailment_model(name)
    except ModelError as exc:
        # Comparing still works on the typed-fact rules alone: say so once, do not fail.
        warnings.warn(f"{exc}; comparing without the entailment model", stacklevel=3)
        return None


class _Models:
    """The models a comparison needs, loading on threads from the start (each given one is used as is)."""

    def __init__(
        self,
        encoder: Encoder | _Loader[Encoder],
        judge: Judge | _Loader[Judge],
        entailment: _Loader[EntailmentModel | None] | None,
    ) -> None:
        self._encoder, self._judge, self._entailment = encoder, judge, entailment

    @classmethod
    def start(
        cls, arts: Sequence[Article], settings: Settings, judge: Judge | None, encoder: Encoder | None, *, spacy: bool
    ) -> _Models:
        if spacy and any(a.language in (None, "en") for a in arts):
            from corroborator.text.nlp import preload

            # spaCy's import and load (~2 s) would wait for language detection; begun now, they overlap
            # it and the other loads instead of following them.
            preload()
        # The encoder (tokenizer, weights, a first call), the pair judge's MiniLM and the entailment
        # model (ONNX both) load beside spaCy; each is needed only later.
        entailment = _Loader(lambda: _entailment(settings.entailment_model)) if settings.compare_entailment else None
        return cls(encoder or _Loader(_warm_encoder), judge or _Loader(_default_judge), entailment)

    def encoder(self) -> Encoder:
        return self._encoder.result() if isinstance(self._encoder, _Loader) else self._encoder

    def judge(self) -> Judge:
        return self._judge.result() if isinstance(self._judge, _Loader) else self._judge

    def entailment(self) -> EntailmentModel | None:
        return self._entailment.result() if self._entailment is not None else None


def _derivations(
    arts: Sequence[Article], claims: Mapping[str, Sequence[Claim]], alignments: Sequence[Alignment]
) -> list[Derivation]:
    """Which article of each pair carries the other's claims (a rewrite, or a shared origin)."""
    out = []
    for x, y in combinations(arts, 2):
        pair_alignments = [al for al in alignments if {al.a.split(":")[0], al.b.split(":")[0]} == {x.id, y.id}]
        out.append(derive(x, y, claims[x.id], claims[y.id], pair_alignments))
    return out


def _distinct(articles: Sequence[Article]) -> tuple[Article, ...]:
    """Each article once (the first of an id); at least two of them."""
    unique: dict[str, Article] = {}
    for a in articles:
        unique.setdefault(a.id, a)
    if len(unique) < 2:
        raise CorroboratorError(
            f"compare needs at least 2 different articles, got {len(unique)}; pass two or more files or a story id"
        )
    return tuple(unique.values())


def _with_languages(articles: Sequence[Article]) -> tuple[Article, ...]:
    """The articles with their language detected where they have none: each article's analysis depends
    on it, and files read for a comparison have none yet."""
    return tuple(a if a.language else _with_language(a) for a in articles)


def compare_articles(
    articles: Sequence[Article],
    *,
    settings: Settings | None = None,
    judge: Judge | None = None,
    encoder: Encoder | None = None,
    sentences: Mapping[str, Sequence[Sentence]] | None = None,
    facts: Mapping[str, Sequence[Fact]] | None = None,
    sentence_vectors: Mapping[str, np.ndarray] | None = None,
    links: Links = (),
) -> Comparison:
    """Compare two or more articles about one story.

    ``judge`` and ``encoder`` default to the shared models (:func:`corroborator.compare.alignment.judge.default_judge`,
    :func:`corroborator.embed.get_encoder`); tests may pass deterministic stand-ins. ``sentences``,
    ``facts`` and ``sentence_vectors`` (by ``encoder``) are per-article caches, computed when absent
    (the store-backed :func:`corroborator.api.compare_story` passes and fills them); ``links`` are known
    copy -> original links (stored near-duplicates) that join independent-source groups.
    """
    settings = settings or Settings()
    arts = _distinct(articles)
    models = _Models.start(arts, settings, judge, encoder, spacy=sentences is None)
    # Detected after the loads began: fastText's model load overlaps theirs.
    arts = _with_languages(arts)

    clock = _Clock()
    given_sentences, given_facts, given_vectors = sentences or {}, facts or {}, sentence_vectors or {}
    sentences = {a.id: tuple(given_sentences.get(a.id) or _split(a)) for a in arts}
    clock.lap("sentences")
    facts = {a.id: tuple(given_facts[a.id]) if a.id in given_facts else _extract(a, sentences[a.id]) for a in arts}
    clock.lap("facts")
    claims = {a.id: build_claims(a, sentences[a.id], facts[a.id]) for a in arts}
    encoder = models.encoder()
    vectors = {a.id: _claim_vectors(sentences[a.id], claims[a.id], encoder, given_vectors.get(a.id)) for a in arts}
    clock.lap("vectors")

    judge = models.judge()
    # Claims in two languages: the multilingual cosine judges those pairs, typed facts compare them.
    listed = [c for a in arts for c in claims[a.id]]
    multilingual = len({c.language or "en" for c in listed}) > 1
    if multilingual:
        judge = CrossLanguageJudge(judge, listed)
    entailment = models.entailment()
    aligned = align_articles(claims, vectors, judge, settings, entailment=entailment)
    if multilingual:
        aligned = check_across_languages(aligned, listed)
    contests = find_contests(arts, claims, vectors, settings, encoder)
    # A reported dispute is not a contradiction between the reports: it replaces any conflict the
    # checks found between the disputed claim and the claim that reports the dispute.
    aligned = settle_contested(aligned, contests)
    clock.lap("align")
    derivations = _derivations(arts, claims, aligned.alignments)
    rewrites = [(d.a, d.b) for d in derivations if is_rewrite(d)]
    known = list(links.items()) if isinstance(links, Mapping) else list(links)
    groups = source_groups([a.id for a in arts], [*rewrites, *known])
    statuses = claim_statuses(claims, aligned.alignments, aligned.conflicts, groups, contests)
    ledger = build_ledger(
        arts,
        claims,
        vectors,
        aligned.alignments,
        aligned.conflicts,
        contests,
        groups,
        tolerance=settings.number_tolerance,
    )
    framings = _framings(arts, sentences, facts)
    clock.lap("framing")
    all_claims = tuple(c for a in arts for c in claims[a.id])
    brief, points, entries = build_brief(
        arts,
        all_claims,
        aligned.alignments,
        statuses,
        aligned.conflicts,
        framings,
        groups,
        max_single_source=settings.brief_single_source,
        contests=contests,
        ledger=ledger,
        length=settings.brief_length,
    )
    clock.lap("brief")
    return Comparison(
        articles=arts,
        claims=all_claims,
        alignments=aligned.alignments,
        statuses=statuses,
        conflicts=aligned.conflicts,
        contests=tuple(contests),
        ledger=ledger,
        derivations=tuple(derivations),
        framings=framings,
        brief=brief,
        points=tuple(points),
        timeline=tuple(entries),
        groups=groups,
        timings=clock.laps,
    )
