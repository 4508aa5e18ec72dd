"""Following sources: folders, files and feed URLs polled until stopped (``corroborator watch``).

    watch = Watcher(store, ["news/", "feeds/world.rss", "https://example.org/rss"], settings)
    watch.run(interval=60)          # until watch.stop() (the CLI calls it on SIGTERM / SIGINT)

Each poll looks at every source and ingests what is new or changed:

* a folder: every readable file under it (the same walk as ``ingest``), new files and files whose
  size, modification time or content changed since they were last ingested;
* a file (an article, a feed file, a JSONL export): the same test, for that file;
* an ``http(s)://`` URL (a feed): fetched with ``If-None-Match`` / ``If-Modified-Since`` from the
  last answer's ``ETag`` / ``Last-Modified``, so an unchanged feed costs one 304.

What was seen is recorded in the store (one blob per source key: size, mtime, SHA-256, ETag,
Last-Modified), written only after the articles it yielded are stored and in their stories. A
restart therefore resumes where it stopped: an unchanged file is not read again, and a file the
crash interrupted is read again but its stored articles are skipped before analysis (the store's
content hash), so nothing is ingested twice. Articles of a changed feed that were already stored are
skipped the same way; only new entries are analysed.

A stop request (``stop()``) is honoured between batches of articles: the batch in hand is stored and
assigned, the story index saved, and the file it came from is left unmarked so the next run finishes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corroborator.errors import InputError
from corroborator.model import Article
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.pipeline import IngestReport
    from corroborator.store.base import Store

__all__ = ["PollReport", "Watcher"]

_BLOB_PREFIX = "watch/"
_USER_AGENT = "corroborator-watch (+https://github.com/corroborator)"
_FETCH_TIMEOUT = 30.0


@dataclass
class PollReport:
    """What one poll did."""

    sources: int = 0  # files and URLs looked at
    changed: int = 0  # of those, new or changed since last seen
    new: int = 0  # articles stored
    duplicates: int = 0
    failed: int = 0
    stories_opened: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, report: IngestReport) -> None:
        self.new += report.new
        self.duplicates += report.duplicates
        self.failed += report.failed
        self.stories_opened += report.stories_opened
        self.errors.extend(report.errors)


@dataclass(frozen=True, slots=True)
class _Seen:
    size: int = -1
    mtime_ns: int = -1
    sha256: str = ""
    etag: str = ""
    last_modified: str = ""

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "size": self.size,
                "mtime_ns": self.mtime_ns,
                "sha256": self.sha256,
                "etag": self.etag,
                "last_modified": self.last_modified,
            }
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes | None) -> _Seen | None:
        if not data:
            return None
        try:
            raw = json.loads(data)
            return cls(
                int(raw["size"]),
                int(raw["mtime_ns"]),
                str(raw["sha256"]),
                str(raw.get("etag", "")),
                str(raw.get("last_modified", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None  # damaged: read the source again (its articles are deduplicated anyway)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class Watcher:
    """Polls sources and ingests what is new into ``store``; one store writer, in this process."""

    def __init__(
        self,
        store: Store,
        sources: Sequence[str | Path],
        settings: Settings | None = None,
        *,
        on_progress: Callable[[IngestReport, str | None], None] | None = None,
    ) -> None:
        from corroborator.stories import StoryAssigner

        self.store = store
        self.sources = [str(s) for s in sources]
        self.settings = settings or Settings()
        self.on_progress = on_progress
        self._stop = threading.Event()
        # Opening the assigner first assigns any article a crash left without a story.
        self.assigner = StoryAssigner(store, self.settings)

    # -- control ------------------------------------------------------------------------------
    def stop(self) -> None:
        """Ask the watcher to stop after the batch in hand (safe to call from a signal handler)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(
        self, interval: float = 60.0, polls: int | None = None, on_poll: Callable[[PollReport], None] | None = None
    ) -> None:
        """Poll every ``interval`` seconds until stopped (or ``polls`` times)."""
        done = 0
        while not self.stopping:
            report = self.poll()
            done += 1
            if on_poll:
                on_poll(report)
            if polls is not None and done >= polls:
                break
            self._stop.wait(interval)

    # -- one poll -----------------------------------------------------------------------------
    def poll(self) -> PollReport:
        report = PollReport()
        for source in self.sources:
            if self.stopping:
                break
            if is_url(source):
                self._poll_url(source, report)
            else:
                for path in self._files(Path(source), report):
                    if self.stopping:
                        break
                    self._poll_file(path, report)
        self.assigner.save()
        return report

    def _files(self, source: Path, report: PollReport) -> Iterator[Path]:
        if source.is_dir():
            yield from _walk_files(source)
        elif source.exists():
            yield source
        else:
            message = f"{source}: no such file or folder (yet); watching for it"
            if message not in report.errors:
                report.errors.append(message)

    def _poll_file(self, path: Path, report: PollReport) -> None:
        from corroborator.ingest import read_paths

        report.sources += 1
        key = f"file:{path.resolve()}"
        try:
            info = path.stat()
        except OSError:
            return  # removed between the listing and now
        seen = _Seen.from_bytes(self.store.get_blob(_BLOB_PREFIX + key))
        if seen is not None and (seen.size, seen.mtime_ns) == (info.st_size, info.st_mtime_ns):
            return
        digest = _sha256(path)
        if digest is None:
            return
        now = _Seen(info.st_size, info.st_mtime_ns, digest)
        if seen is not None and seen.sha256 == digest:
            self.store.put_blob(_BLOB_PREFIX + key, now.to_bytes())  # touched, not changed
            return
        if time.time() - info.st_mtime < self.settings.watch_settle_seconds:
            return  # still being written, most likely: next poll
        report.changed += 1
        if self._ingest(read_paths([path], self.settings), report):
            self.store.put_blob(_BLOB_PREFIX + key, now.to_bytes())

    def _poll_url(self, url: str, report: PollReport) -> None:
        from corroborator.ingest import read_bytes

        report.sources += 1
        key = f"url:{url}"
        seen = _Seen.from_bytes(self.store.get_blob(_BLOB_PREFIX + key))
        try:
            fetched = fetch(url, seen, self.settings.max_file_bytes)
        except InputError as exc:
            report.errors.append(str(exc))
            self.store.record_failure(url, str(exc))
            return
        if fetched is None:
            return  # 304 Not Modified
        data, etag, modified = fetched
        digest = hashlib.sha256(data).hexdigest()
        now = _Seen(len(data), 0, digest, etag, modified)
        if seen is not None and seen.sha256 == digest:
            self.store.put_blob(_BLOB_PREFIX + key, now.to_bytes())
            return
        report.changed += 1
        articles, errors = read_bytes(_feed_name(url, data), data, self.settings)
        items: list[Article | InputError] = [*errors, *articles]
        if self._ingest(iter(items), report):
            self.store.put_blob(_BLOB_PREFIX + key, now.to_bytes())

    def _ingest(self, items: Iterator[Article | InputError], report: PollReport) -> bool:
        """Ingest ``items``; True when all were handled (not cut short by a stop request)."""
        from corroborator.pipeline import ingest_articles

        done = ingest_articles(
            items,
            self.store,
            self.settings,
            on_progress=self.on_progress,
            assigner=self.assigner,
            should_stop=self._stop.is_set,
        )
        report.add(done)
        return not done.stopped


def fetch(url: str, seen: _Seen | None, limit: int) -> tuple[bytes, str, str] | None:
    """GET ``url`` conditionally: (body, ETag, Last-Modified), or None when the server says 304."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"})
    if seen is not None and seen.etag:
        request.add_header("If-None-Match", seen.etag)
    if seen is not None and seen.last_modified:
        request.add_header("If-Modified-Since", seen.last_modified)
    try:
        with urllib.request.urlopen(request, timeout=_FETCH_TIMEOUT) as response:
            data = response.read(limit + 1)
            etag = response.headers.get("ETag", "") or ""
            modified = response.headers.get("Last-Modified", "") or ""
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None
        raise InputError(url, f"the server answered {exc.code} {exc.reason}; will try again next poll") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(url, f"cannot fetch: {reason}; will try again next poll") from exc
    if len(data) > limit:
        raise InputError(url, f"the answer is over {limit:,} bytes (setting max_file_bytes); not read")
    return data, etag, modified


def _feed_name(url: str, data: bytes) -> str:
    """A name whose extension picks the reader: the URL's own if it has a known one, else by content."""
    from corroborator.ingest import FORMATS

    path = url.split("?", 1)[0].split("#", 1)[0]
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS and FORMATS[suffix] in {"feed", "json", "jsonl", "html"}:
        return url
    head = data[:2048].lstrip().lower()
    if head.startswith((b"{", b"[")):
        return url + "#.json"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head or head.startswith(b"<?xml"):
        return url + "#.xml"
    return url + "#.html"


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _walk_files(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in name order, skipping hidden ones (as ``ingest`` walks a folder)."""
    from corroborator.ingest import is_document_file

    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk_files(Path(entry.path))
            elif entry.is_file() and not is_document_file(entry.name):
                yield Path(entry.path)
        except OSError:
            continue
