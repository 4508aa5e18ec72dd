"""The store facade: the only place in corroborator that knows SQL.

Callers (ingest, stories, compare, web, CLI) use these verbs and never a connection. Backends:
``SQLiteStore`` (default, embedded) and ``PostgresStore`` (the server option); :func:`open_store`
picks one from a path or a ``postgresql://`` URL.

Guarantees every backend keeps:
- migrations are registered functions recorded in a ``migrations`` table, applied once, in order;
- one writer: write methods are serialised by the store (a lock in-process, a transaction each);
- ``add`` is atomic per article: an article is stored with all its sentences and signals, or not at all,
  and a failure on one article never undoes the others (it is reported as "failed" and recorded in
  ``failures``); an exception that is not about the data (a bug, KeyboardInterrupt, a lost connection)
  rolls back the unfinished batch and propagates, and a killed process loses at most that batch;
- content-hash dedup: adding an article whose id is already stored adds nothing and says "duplicate";
- times: ``published`` reads back exactly as given (naive or with its offset); filters and ordering use
  the instant in UTC, a naive datetime being taken as UTC; story times read back as UTC;
- driver errors surface as ``StoreError`` naming the store; unknown ids as ``NotFound`` with a hint.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Literal

import numpy as np

from corroborator.errors import NotFound, StoreError
from corroborator.model import AnalysedArticle, Article, Fact, Sentence, Story
from corroborator.versioning import ArticleVersion

# "failed": the store refused this article's data (sentence spans that do not match the text, a NUL
# character, a constraint); nothing of it was written and the reason is in ``failures()``.
AddOutcome = Literal["new", "duplicate", "failed"]

# The encoder name recorded beside article vectors when ``add`` is not told otherwise
# (corroborator.embed.UseEncoder.name; spelled out so the store does not import the model code).
DEFAULT_ENCODER = "embed.use-m3.v1"


class AmbiguousReference(NotFound):
    """An id prefix or external id that matches several articles; the message lists them."""


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    article_id: str
    original_id: str
    kind: Literal["exact", "near"]
    similarity: float


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles :meth:`Store.articles` lists (its keywords, in order): published in [since, until]
    (bounds inclusive), from ``source`` (exact name), with every word of ``query`` in the title or text."""

    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    query: str | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Which stories to list. A story is active from its first to its last article's publication time:
    ``since``/``until`` keep stories whose active span overlaps the range (bounds inclusive; stories
    with no dated article only pass when neither is given). ``source`` keeps stories with an article
    from that outlet (exact name); ``disputed_only`` those flagged ``disputed`` = "1"."""

    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    query: str | None = None  # every word, case-insensitive, in the story title or an article title
    min_size: int | None = None
    disputed_only: bool = False
    limit: int | None = None
    offset: int = 0
    language: str | None = None  # stories with an article in this language (ISO 639-1); last, so positions hold


class Store(ABC):
    """Abstract facade; see module docstring for the guarantees."""

    backend: str = "abstract"
    location: str = ""

    # -- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles --------------------------------------------------------------------------
    @abstractmethod
    def add(self, items: Sequence[AnalysedArticle], *, encoder: str = DEFAULT_ENCODER) -> list[AddOutcome]:
        """Store each article with its sentences, vector, minhash and lead entities (one transaction per
        batch, a savepoint per article). Returns one outcome per item, in order. ``encoder`` names the
        model that made the article vectors."""

    @abstractmethod
    def has_article(self, article_id: str) -> bool: ...

    @abstractmethod
    def get_article(self, ref: str) -> Article:
        """By id, unique id prefix (>= 6 chars) or external id. Raises NotFound with a hint."""

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        """The stored articles with exactly these ids, in the order given (unknown ids left out): one
        query where a backend can, for pages that show many articles."""
        out: list[Article] = []
        for aid in article_ids:
            try:
                out.append(self.get_article(aid))
            except NotFound:
                continue
        return out

    def articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        query: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles ordered by publication time (unknown last), then id."""
        return self._articles(ArticleFilter(since, until, source, query, limit, offset))

    # -- versions (store/tables/versions.py) -------------------------------------------------
    def version_of(self, article: Article) -> str | None:
        """The id of the stored article ``article`` is a version of (same canonical URL, else outlet and
        external id), or None."""
        return None

    def add_version(
        self, article_id: str, article: Article, *, seen: datetime | None = None, at: datetime | None = None
    ) -> str:
        """Record ``article`` as the next version of ``article_id`` in one transaction: "version", or
        "duplicate" when its text is one the article already had. ``at``: the version's time, when known
        (else decided from its publication time and ``seen``)."""
        raise StoreError(f"{self.location}: this store does not keep article versions")

    def has_version(self, version_id: str) -> bool:
        return False

    def versions(self, article_id: str) -> list[ArticleVersion]:
        """Every version of a stored article, oldest first (the article itself is version 0)."""
        found = self.get_articles([article_id])
        return [ArticleVersion(found[0], 0, found[0].published)] if found else []

    def version_counts(self, article_ids: Sequence[str]) -> dict[str, int]:
        return dict.fromkeys(article_ids, 1)

    def article_by_url(self, url: str) -> Article | None:
        return None

    def article_of_version(self, version_id: str) -> str | None:
        return None

    @abstractmethod
    def _articles(self, flt: ArticleFilter) -> list[Article]:
        """The backend's :meth:`articles`."""

    @abstractmethod
    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every article in ingest order, read in batches so memory stays flat."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def sentences(self, article_id: str) -> list[Sentence]: ...

    @abstractmethod
    def article_vector(self, article_id: str, encoder: str | None = None) -> np.ndarray | None:
        """The article's float32 vector; None when absent or made by another encoder than ``encoder``."""

    def article_vectors(self, article_ids: Sequence[str], encoder: str | None = None) -> dict[str, np.ndarray]:
        """Vectors of many articles at once (those without one, or of another encoder, are left out)."""
        found = {aid: self.article_vector(aid, encoder) for aid in article_ids}
        return {aid: vec for aid, vec in found.items() if vec is not None}

    def vectors_after(
        self, seq: int, encoder: str | None = None, limit: int = 5000
    ) -> list[tuple[int, str, np.ndarray | None]]:
        """(ingest sequence number, article id, vector or None) of up to ``limit`` articles stored after
        ``seq``, in ingest order; the vector is None when absent or made by another encoder. Lets a
        reader keep an in-memory vector index in step with the store, reading only what is new."""
        raise NotImplementedError

    @abstractmethod
    def article_minhash(self, article_id: str) -> np.ndarray | None: ...

    @abstractmethod
    def lead_entities(self, article_id: str) -> tuple[str, ...]: ...

    # -- caches computed after ingest --------------------------------------------------------
    @abstractmethod
    def facts(self, article_id: str, analyser: str) -> list[Fact] | None:
        """Cached facts for an article by analyser name (e.g. ``facts.spacy-sm.v1``); None if not cached."""

    @abstractmethod
    def put_facts(self, article_id: str, analyser: str, facts: Sequence[Fact]) -> None: ...

    @abstractmethod
    def sentence_vectors(self, article_id: str, encoder: str) -> np.ndarray | None: ...

    @abstractmethod
    def put_sentence_vectors(self, article_id: str, encoder: str, vectors: np.ndarray) -> None: ...

    @abstractmethod
    def get_blob(self, name: str) -> bytes | None:
        """Named binary state that must survive a restart (persisted indexes)."""

    @abstractmethod
    def put_blob(self, name: str, data: bytes | BinaryIO) -> None:
        """Replace the named blob; ``data`` may be a file read from its start (a large index is written
        to a temporary file and streamed in where the backend can, rather than held in memory twice)."""

    # -- ingest bookkeeping ------------------------------------------------------------------
    @abstractmethod
    def record_failure(self, origin: str, message: str) -> None: ...

    @abstractmethod
    def failures(self, limit: int = 100) -> list[tuple[str, str, datetime]]: ...

    # -- jobs (ingest jobs started from the web app; the API layer owns what ``data`` holds) -----------
    def put_job(
        self, job_id: str, kind: str, state: str, data: str, files: Sequence[tuple[str, bytes]] | None = None
    ) -> None:
        """Create or update a job: its state and JSON ``data``; ``files`` (name, bytes) replace its inputs."""
        raise NotImplementedError

    def job(self, job_id: str) -> tuple[str, str, str, datetime, datetime] | None:
        """(kind, state, data, created_at, updated_at) of a job, or None."""
        raise NotImplementedError

    def jobs(self, states: Sequence[str] | None = None, limit: int = 100) -> list[str]:
        """Ids of jobs (in these states), newest first."""
        raise NotImplementedError

    def job_files(self, job_id: str) -> list[tuple[str, bytes]]:
        """The (name, bytes) inputs recorded with a job, in order."""
        raise NotImplementedError

    # -- stories and duplicates ---------------------------------------------------------------
    @abstractmethod
    def new_story(self, title: str, article_id: str, score: float = 1.0) -> str:
        """Open a story holding one article; returns the story id."""

    @abstractmethod
    def assign(self, article_id: str, story_id: str, score: float) -> None:
        """Put an article into an existing story (moving it if it was elsewhere)."""

    @abstractmethod
    def story_of(self, article_id: str) -> str | None: ...

    @abstractmethod
    def story(self, story_id: str) -> Story:
        """Raises NotFound (the message lists how to find story ids)."""

    @abstractmethod
    def stories(self, flt: StoryFilter | None = None) -> list[Story]:
        """Newest activity first (latest publication, undated stories last, then newest created);
        each Story's ``article_ids`` in publication order."""

    @abstractmethod
    def count_stories(self, flt: StoryFilter | None = None) -> int: ...

    @abstractmethod
    def clear_stories(self) -> None:
        """Forget every story assignment and duplicate link (for recluster); articles stay."""

    @abstractmethod
    def link_duplicate(self, link: DuplicateLink) -> None: ...

    @abstractmethod
    def duplicate_links(self, article_id: str | None = None) -> list[DuplicateLink]:
        """Links where the article is the copy or the original; all links when None."""

    def duplicate_links_from(self, article_ids: Sequence[str]) -> list[DuplicateLink]:
        """Links whose copy is one of ``article_ids`` (one query where a backend can)."""
        wanted = set(article_ids)
        seen: set[tuple[str, str]] = set()
        out: list[DuplicateLink] = []
        for aid in article_ids:
            for link in self.duplicate_links(aid):
                if link.article_id in wanted and (link.article_id, link.original_id) not in seen:
                    seen.add((link.article_id, link.original_id))
                    out.append(link)
        return out

    @abstractmethod
    def set_story_flag(self, story_id: str, name: str, value: str) -> None:
        """Small per-story annotations computed later (e.g. ``disputed`` = "1") used by filters."""

    def story_flags(self, story_id: str) -> dict[str, str]:
        """Every flag set on a story (empty for none)."""
        raise NotImplementedError

    def story_flags_of(self, story_ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """Every flag of each story, keyed by story id (one query where a backend can, for lists of stories)."""
        return {sid: self.story_flags(sid) for sid in dict.fromkeys(story_ids)}

    def set_story_title(self, story_id: str, title: str) -> None:
        """Rename a story (e.g. when a better title emerges as articles join)."""
        raise NotImplementedError

    def migrations_applied(self) -> list[tuple[str, datetime]]:
        """(name, applied_at) of every applied schema migration, in order."""
        raise NotImplementedError

    def add_story_event(self, event: StoryEvent) -> None:
        """Record a merge or split of stories (self-correction); ``event.at`` None means now."""
        raise NotImplementedError

    def story_events(self, story_id: str | None = None, limit: int = 100) -> list[StoryEvent]:
        """Merges and splits involving the story (as ``story_id`` or ``other_id``), oldest first; all when None."""
        raise NotImplementedError

    def story_events_of(self, story_ids: Sequence[str], limit: int = 100) -> dict[str, list[StoryEvent]]:
        """The first ``limit`` events of each story (as ``story_id`` or ``other_id``), keyed by story id,
        oldest first: one query where a backend can."""
        return {sid: self.story_events(sid, limit) for sid in dict.fromkeys(story_ids)}


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """A self-correction of stories: ``merge`` (``other_id`` was merged into ``story_id``) or ``split``
    (``other_id`` was split out of ``story_id``), triggered by the arrival of ``article_id``."""

    kind: Literal["merge", "split"]
    story_id: str
    other_id: str
    article_id: str | None
    articles: int  # how many articles moved
    at: datetime | None = None  # when it happened (set by the store)
