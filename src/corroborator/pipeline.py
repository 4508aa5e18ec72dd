"""The ingest pipeline: read -> analyse -> store -> story, with the cheap work every article needs.

What runs at ingest was decided by measurement (see docs/architecture.md, "Where the time goes"):
sentences (fast segmenter), language, one article embedding over the title and lead, a MinHash
fingerprint, the named entities of the title and lead, and (setting ``ingest_facts``, on by default)
every sentence's typed facts, stored with the article so no read waits for them; their NER pass also
gives the lead's entities. Per-sentence vectors are only needed where claims are compared, so they wait
for ``compare``/``check`` and are cached in the store.

Analysis is pure (Article -> AnalysedArticle) and runs in worker processes; the parent process reads
inputs and is the store's only writer, so a batch is all-or-nothing per article whatever a worker does.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corroborator.errors import CorroboratorError, InputError
from corroborator.model import AnalysedArticle, Article, Fact, Sentence
from corroborator.provenance.record import record_version, split_versions
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.store.base import Store
    from corroborator.stories import StoryAssigner
    from corroborator.text.quotes import Entity

# Stage names, so an error says which stage failed (as spaCy names the failing component).
# How often a long ingest saves the story index (it is always saved at the end).
_SAVE_INDEX_SECONDS = 60.0

STAGES = ("language", "sentences", "facts", "lead-entities", "fingerprint", "embed")


class StageError(CorroboratorError):
    """A pipeline stage failed on one article; the message names the article and the stage."""

    def __init__(self, origin: str, stage: str, cause: BaseException | str) -> None:
        self.origin = origin
        self.stage = stage
        self.cause = f"{type(cause).__name__}: {cause}" if isinstance(cause, BaseException) else str(cause)
        super().__init__(f"{origin}: stage '{stage}' failed: {self.cause}")

    def __reduce__(self) -> tuple[type[StageError], tuple[str, str, str]]:
        # Workers send failures back pickled; the cause travels as its message (an exception of any
        # type, with its traceback, need not unpickle in the parent).
        return (StageError, (self.origin, self.stage, self.cause))


Analysed = list[AnalysedArticle | StageError]  # a batch's results, in input order


def _lead_text(article: Article, sentences: Sequence[str]) -> str:
    parts = [article.title] if article.title else []
    parts.extend(sentences)
    return "\n".join(parts)


def bounded_sentences(article: Article, sentences: Sequence[Sentence], settings: Settings) -> tuple[Sentence, ...]:
    """Sentences cut to ``max_sentence_chars`` (at white space where there is some), at most ``max_sentences``.

    A "sentence" of a megabyte (a page without full stops) would make every later stage quadratic in
    it; cut into pieces it costs what ordinary sentences cost. Too many sentences refuse the article.
    """
    limit = settings.max_sentence_chars
    if all(s.end - s.start <= limit for s in sentences) and len(sentences) <= settings.max_sentences:
        return tuple(sentences)
    spans: list[tuple[int, int]] = []
    text = article.text
    for s in sentences:
        start = s.start
        while s.end - start > limit:
            cut = text.rfind(" ", start + limit // 2, start + limit)
            cut = cut if cut > start else start + limit
            end = cut
            while end > start and text[end - 1].isspace():
                end -= 1
            spans.append((start, end))
            start = cut
            while start < s.end and text[start].isspace():
                start += 1
        if start < s.end:
            spans.append((start, s.end))
        if len(spans) > settings.max_sentences:
            raise ValueError(
                f"more than {settings.max_sentences:,} sentences (setting max_sentences); split the article"
            )
    return tuple(Sentence(article.id, n, a, b, text[a:b]) for n, (a, b) in enumerate(spans))


class StageClock:
    """CPU seconds spent in each stage, summed over the articles analysed: what ``ingest`` reports, so a
    bench can tell the stages' cost from everything else without timing them again on its own. CPU, not
    wall, time: on a shared machine a stage's wall time counts other processes' work as its own."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stage = ""
        self._since = 0.0

    def start(self, stage: str) -> None:
        now = time.process_time()
        if self._stage:
            self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + now - self._since
        self._stage, self._since = stage, now

    def stop(self) -> None:
        self.start("")

    @property
    def stage(self) -> str:
        return self._stage

    def add(self, other: dict[str, float]) -> None:
        for k, v in other.items():
            self.seconds[k] = self.seconds.get(k, 0.0) + v


@dataclass(frozen=True, slots=True)
class _Staged:
    article: Article
    sentences: tuple[Sentence, ...]
    lead: tuple[Sentence, ...]
    entities: tuple[str, ...]
    minhash: tuple[int, ...]
    facts: tuple[Fact, ...] | None


def _analyse_one(article: Article, settings: Settings, facts: bool, clock: StageClock) -> _Staged:
    """Every stage but the (batched) embedding; raises with ``clock.stage`` naming the stage that failed."""
    from dataclasses import replace

    from corroborator.fingerprint import minhash_signature
    from corroborator.text.analysis import ENGLISH, analyser_for
    from corroborator.text.boilerplate import lead_indices
    from corroborator.text.facts import extract_facts, sentence_entities
    from corroborator.text.language import detect_language
    from corroborator.text.lead import lead_entities
    from corroborator.text.sentences import split_sentences

    clock.start("language")
    if article.language is None:
        article = replace(article, language=detect_language(article.text))
    clock.start("sentences")
    sentences = bounded_sentences(article, split_sentences(article), settings)
    found: list[list[Entity]] | None = None
    made: tuple[Fact, ...] | None = None
    if facts:
        clock.start("facts")
        found = list(sentence_entities(article, sentences))
        made = extract_facts(article, sentences, found)
        if analyser_for(article.language).name != ENGLISH:
            found = None  # the lead's entities are the English NER's whatever the language
    clock.start("lead-entities")
    # The lead skips page furniture and repeats (text.boilerplate), for entities and embedding.
    picked = lead_indices([s.text for s in sentences], settings.lead_sentences, article.title)
    lead = tuple(sentences[i] for i in picked)
    entities = lead_entities(article, lead, len(lead), None if found is None else [found[i] for i in picked])
    clock.start("fingerprint")
    signature = minhash_signature(article.text, settings.minhash_perm, settings.shingle_words)
    clock.stop()
    return _Staged(article, sentences, lead, entities, tuple(int(x) for x in signature), made)


def analyse_many(
    articles: Sequence[Article], settings: Settings, *, facts: bool = False, clock: StageClock | None = None
) -> Analysed:
    """Analyse a batch; one failing article gives a StageError in its place, the others go on.

    Batched because the encoder is much faster on many texts at once than on one. ``facts``: also make
    every sentence's typed facts (``ingest`` with the ``ingest_facts`` setting; the batch engines do not
    keep them). ``clock`` sums the seconds of each stage.
    """
    from corroborator.embed import get_encoder
    from corroborator.text.facts import FACTS_ANALYSER

    clock = clock or StageClock()
    staged: list[_Staged | StageError] = []
    for article in articles:
        try:
            staged.append(_analyse_one(article, settings, facts, clock))
        except Exception as exc:  # a bug or a pathological text must not stop the batch
            staged.append(StageError(article.origin or article.id, clock.stage, exc))
            clock.stop()

    ok = [s for s in staged if not isinstance(s, StageError)]
    vectors: list[tuple[float, ...]] = []
    if ok:
        clock.start("embed")
        leads = [_lead_text(s.article, [x.text for x in s.lead]) for s in ok]
        try:
            matrix = get_encoder().encode(leads)
        except Exception as exc:
            clock.stop()
            err = StageError(f"batch of {len(ok)} articles", "embed", exc)
            return [err if not isinstance(s, StageError) else s for s in staged]
        vectors = [tuple(float(x) for x in row) for row in matrix]
        clock.stop()

    out: list[AnalysedArticle | StageError] = []
    it = iter(vectors)
    for s in staged:
        if isinstance(s, StageError):
            out.append(s)
            continue
        out.append(
            AnalysedArticle(
                article=s.article,
                sentences=s.sentences,
                vector=next(it),
                minhash=s.minhash,
                lead_entities=s.entities,
                facts=s.facts,
                facts_analyser=FACTS_ANALYSER if s.facts is not None else None,
            )
        )
    return out


def analyse(article: Article, settings: Settings | None = None, *, facts: bool = False) -> AnalysedArticle:
    """Analyse one article (raises StageError naming the failing stage)."""
    result = analyse_many([article], settings or Settings(), facts=facts)[0]
    if isinstance(result, StageError):
        raise result
    return result


@dataclass
class IngestReport:
    """What an ingest run did, for the summary line and for callers of the API."""

    read: int = 0
    new: int = 0
    duplicates: int = 0  # exact copies (same content hash) of stored articles
    near_duplicates: int = 0  # near-identical copies linked to an original
    versions: int = 0  # changed bodies of stored articles, recorded as their new versions
    failed: int = 0
    stories_opened: int = 0
    sentences: int = 0
    seconds: float = 0.0
    # CPU seconds of each stage summed over the articles: the analysis stages (STAGES) in whichever process
    # ran them, and this process's "read", "store" (writes) and "stories" (assignment)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stopped: bool = False  # a stop request cut the input short (what was read is stored and assigned)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def spent(self, stage: str, seconds: float) -> None:
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds


# -- worker processes ----------------------------------------------------------------------------

_WORKER_SETTINGS: Settings | None = None


def _worker_init(settings: Settings) -> None:
    from corroborator.ingest.memory import keep_heap_small

    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    keep_heap_small()  # a batch's buffers go back to the system, not into a heap that only grows
    # The parent decides when to stop (Ctrl-C reaches the whole process group): a worker that died of
    # SIGINT would break the pool and lose the batch in hand.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One BLAS thread per worker: the workers are the parallelism, oversubscription only slows them.
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - scikit-learn brings threadpoolctl
        pass
    warm_up = Article.create("Warm-up sentence for the models. It loads them once.")
    analyse_many([warm_up], settings, facts=settings.ingest_facts)


def _worker_analyse(articles: list[Article]) -> tuple[Analysed, dict[str, float]]:
    from corroborator.text.nlp import transient_strings

    settings = _WORKER_SETTINGS
    assert settings is not None
    clock = StageClock()
    # A worker is single-threaded and keeps no spaCy Doc: its memory stays flat over any number of articles.
    with transient_strings():
        return analyse_many(articles, settings, facts=settings.ingest_facts, clock=clock), clock.seconds


def _timed(
    items: Iterable[Article | InputError], spent: Callable[[str, float], None]
) -> Iterator[Article | InputError]:
    """``items`` with the time spent reading each one (decoding, extraction) counted as stage "read".

    This process's parts are timed by thread CPU time: the progress bar and the pool's threads are not
    ingest's reading, writing or story assignment."""
    it = iter(items)
    while True:
        t = time.thread_time()
        item = next(it, None)
        spent("read", time.thread_time() - t)
        if item is None:
            return
        yield item


def _chunks(items: Iterable[Article | InputError], size: int) -> Iterator[list[Article | InputError]]:
    chunk: list[Article | InputError] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


ProgressHook = Callable[[IngestReport, str | None], None]


def _unstored(store: Store, chunk: list[Article | InputError]) -> list[Article]:
    """The chunk's articles the store does not hold yet: a re-run does not analyse anything twice."""
    return [c for c in chunk if isinstance(c, Article) and not store.has_article(c.id) and not store.has_version(c.id)]


def ingest_articles(
    items: Iterable[Article | InputError],
    store: Store,
    settings: Settings | None = None,
    *,
    on_progress: ProgressHook | None = None,
    assign_stories: bool = True,
    assigner: StoryAssigner | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> IngestReport:
    """Analyse and store articles (and InputErrors to record); the core of ``corroborator ingest``.

    Runs the analysis on ``settings.ingest_workers`` processes when there is enough to do; writes and
    story assignment stay in this process so the store has one writer. Opening the story assigner
    first assigns stored articles a crash left without a story. ``assigner`` reuses an open one (a
    long-running caller such as ``watch``); ``should_stop`` is asked before each article is read, and
    when it answers True the articles in hand are finished and the rest left unread (``report.stopped``).
    """
    from corroborator.ingest.memory import keep_heap_small, release_heap

    settings = settings or Settings()
    report = IngestReport()
    started = time.perf_counter()
    keep_heap_small()  # the periodic index saves' buffers must not stay resident (ingest/memory.py)
    if assigner is None and assign_stories:
        assigner = _make_assigner(store, settings)
    if should_stop is not None:
        items = _until(items, should_stop, report)
    batch_size = max(1, settings.ingest_batch)

    def stored(item: AnalysedArticle, outcome: str) -> None:
        if outcome == "duplicate":
            report.duplicates += 1
            return
        if outcome != "new":
            _refused(report, item, outcome, on_progress)
            return
        report.new += 1
        report.sentences += len(item.sentences)
        if assigner is not None:
            t = time.thread_time()
            assignment = assigner.assign(item)
            report.spent("stories", time.thread_time() - t)
            report.stories_opened += int(assignment.opened)
            report.near_duplicates += int(assignment.duplicate_kind == "near")

    def handle(chunk: list[Article | InputError], result: tuple[Analysed, dict[str, float]]) -> None:
        analysed, seconds = result
        for stage, s in seconds.items():
            report.spent(stage, s)
        errors = [c for c in chunk if isinstance(c, InputError)]
        for err in errors:
            _fail(report, store, err.path, str(err), on_progress)
        report.read += len(chunk) - len(errors)
        # Articles the store already held when the chunk was sent were not analysed again.
        report.duplicates += len(chunk) - len(errors) - len(analysed)
        good: list[AnalysedArticle] = []
        for a in analysed:
            if isinstance(a, StageError):
                _fail(report, store, a.origin, str(a), on_progress)
            else:
                good.append(a)
        # A changed body at a stored article's URL (or outlet + external id) is a version of it, never a
        # new article or story member (provenance/record.py); the first of a batch's copies is stored first.
        plain, later = split_versions(store, good)
        t = time.thread_time()
        outcomes = _add_isolated(store, plain)
        report.spent("store", time.thread_time() - t)
        for item, outcome in zip(plain, outcomes, strict=True):
            stored(item, outcome)
        _store_versions(store, later, report, stored, on_progress)
        if assigner is not None and time.perf_counter() - saved[0] > _SAVE_INDEX_SECONDS:
            # Saved now and then, so a re-run after a crash catches up a few articles, not the whole store.
            assigner.save()
            release_heap()
            saved[0] = time.perf_counter()
        report.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(report, None)

    unstored = functools.partial(_unstored, store)
    saved = [time.perf_counter()]
    workers = settings.ingest_workers
    chunks = _chunks(_timed(items, report.spent), batch_size)
    first = next(chunks, None)
    if first is None:
        return report
    second = next(chunks, None)
    if workers <= 0 or second is None:
        # Small inputs: starting worker processes (and loading models in each) costs more than it saves.
        for chunk in itertools.chain([first] if second is None else [first, second], chunks):
            clock = StageClock()
            done = analyse_many(unstored(chunk), settings, facts=settings.ingest_facts, clock=clock)
            handle(chunk, (done, clock.seconds))
    else:
        _run_parallel([first, second], chunks, workers, settings, handle, unstored)
    if assigner is not None:
        assigner.save()
    report.seconds = time.perf_counter() - started
    return report


def _refused(report: IngestReport, item: AnalysedArticle, outcome: str, hook: ProgressHook | None) -> None:
    """The store refused this article alone (its reason is in store.failures())."""
    report.failed += 1
    origin = item.article.origin or item.article.id
    detail = "" if outcome == "failed" else f": {outcome}"
    report.errors.append(f"{origin}: the store refused it{detail}")
    if hook:
        hook(report, report.errors[-1])


def _store_versions(
    store: Store,
    later: Sequence[AnalysedArticle],
    report: IngestReport,
    stored: Callable[[AnalysedArticle, str], None],
    on_progress: Callable[[IngestReport, str | None], None] | None,
) -> None:
    """Record each changed body at a stored identity as a version of that article."""
    for item in later:
        try:
            outcome = record_version(store, item)
        except CorroboratorError as exc:
            _fail(report, store, item.article.origin or item.article.id, f"version not stored: {exc}", on_progress)
            continue
        if outcome == "version":
            report.versions += 1
        elif outcome == "duplicate":
            report.duplicates += 1
        else:  # what it was a version of was refused: it is an article of its own
            stored(item, _add_isolated(store, [item])[0])


def _until(
    items: Iterable[Article | InputError], should_stop: Callable[[], bool], report: IngestReport
) -> Iterator[Article | InputError]:
    for item in items:
        if should_stop():
            report.stopped = True
            return
        yield item


def _run_parallel(
    head: list[list[Article | InputError]],
    rest: Iterator[list[Article | InputError]],
    workers: int,
    settings: Settings,
    handle: Callable[[list[Article | InputError], tuple[Analysed, dict[str, float]]], None],
    unstored: Callable[[list[Article | InputError]], list[Article]],
) -> None:
    # spawn, not fork: the parent may hold threads (progress bar, store) that fork would copy broken.
    ctx = mp.get_context("spawn")
    in_flight: list[tuple[list[Article | InputError], Future[tuple[Analysed, dict[str, float]]]]] = []
    max_in_flight = workers * 2  # bounded, so memory stays flat however large the input
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(settings,)
    ) as pool:

        def submit(chunk: list[Article | InputError]) -> None:
            arts = unstored(chunk)
            in_flight.append((chunk, pool.submit(_worker_analyse, arts)))

        for chunk in head:
            submit(chunk)
        for chunk in rest:
            if len(in_flight) >= max_in_flight:
                done_chunk, fut = in_flight.pop(0)
                handle(done_chunk, fut.result())
            submit(chunk)
        while in_flight:
            done_chunk, fut = in_flight.pop(0)
            handle(done_chunk, fut.result())


def _fail(report: IngestReport, store: Store, origin: str, message: str, hook: ProgressHook | None) -> None:
    from corroborator.ingest.fields import safe_label

    message = safe_label(message)
    report.failed += 1
    report.errors.append(message)
    store.record_failure(origin, message)
    if hook:
        hook(report, message)


def _add_isolated(store: Store, items: list[AnalysedArticle]) -> list[str]:
    """``store.add`` for a batch; if the batch as a whole fails, each article alone, so one never costs another.

    Outcomes are "new", "duplicate", "failed" (refused by the store, reason recorded there) or the
    one-line message of an error that refused this article alone.
    """
    if not items:
        return []
    try:
        return list(store.add(items))
    except (CorroboratorError, UnicodeError, ValueError, OverflowError):
        pass
    outcomes: list[str] = []
    for item in items:
        try:
            outcomes.extend(store.add([item]))
        except (CorroboratorError, UnicodeError, ValueError, OverflowError) as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            from corroborator.ingest.fields import safe_label

            store.record_failure(item.article.origin or item.article.id, safe_label(message))
            outcomes.append(safe_label(message))
    return outcomes


def _make_assigner(store: Store, settings: Settings) -> StoryAssigner:
    from corroborator.stories import StoryAssigner

    return StoryAssigner(store, settings)


def ingest(
    paths: Sequence[str | Path],
    store: Store,
    settings: Settings | None = None,
    *,
    on_progress: ProgressHook | None = None,
    assign_stories: bool = True,
    should_stop: Callable[[], bool] | None = None,
) -> IngestReport:
    """Read files and folders (every supported format) into the store. Bad inputs are reported, not raised."""
    from corroborator.ingest import read_paths

    settings = settings or Settings()
    return ingest_articles(
        read_paths(paths, settings),
        store,
        settings,
        on_progress=on_progress,
        assign_stories=assign_stories,
        should_stop=should_stop,
    )


def default_workers() -> int:
    return max(1, min(2, (os.cpu_count() or 1)))
