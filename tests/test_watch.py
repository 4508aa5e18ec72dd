"""``corroborator watch`` follows a folder, a feed file and a feed served from 127.0.0.1 (issue 13):
new files and entries are ingested into their stories while it runs, SIGTERM stops it cleanly, and a
restart ingests nothing twice."""

from __future__ import annotations

import hashlib
import http.server
import json
import lzma
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from corroborator.errors import StoreError
from corroborator.store import open_store
from tests.conftest import REPO, shared_path

pytestmark = pytest.mark.slow

WAIT = 180.0  # seconds; the first poll loads the models


def allsides(n: int) -> list[dict[str, str]]:
    shard = shared_path("corpus", "allsides", "articles", "articles-01.jsonl.xz")
    out: list[dict[str, str]] = []
    with lzma.open(shard, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = str(r.get("content_original") or "")
            if 800 <= len(text) <= 2500 and r.get("title") and str(r.get("url") or "").startswith("http"):
                out.append({k: str(r.get(k) or "") for k in ("title", "source", "url", "date")} | {"text": text})
            if len(out) == n:
                break
    return out


def as_txt(record: dict[str, str]) -> str:
    meta = {"title": record["title"], "source": record["source"], "url": record["url"]}
    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()) + "---\n\n" + record["text"] + "\n"


def as_rss(title: str, records: list[dict[str, str]]) -> str:
    items = "".join(
        f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link>"
        f"<guid>{escape(r['url'])}</guid><description>{escape(r['text'])}</description></item>"
        for r in records
    )
    channel = f"<channel><title>{title}</title>{items}</channel>"
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'>{channel}</rss>"


def write_atomically(path: Path, text: str) -> None:
    hidden = path.with_name(f".{path.name}.part")  # hidden files are not read
    hidden.write_text(text, encoding="utf-8")
    os.replace(hidden, path)


class FeedServer:
    """An RSS feed on 127.0.0.1 with ETag and Last-Modified; counts requests and 304 answers."""

    def __init__(self) -> None:
        self.body = b""
        self.modified = datetime.now(UTC)
        self.requests = 0
        self.not_modified = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                etag = '"' + hashlib.sha256(server.body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    server.not_modified += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", format_datetime(server.modified, usegmt=True))
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/world.rss"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, text: str) -> None:
        self.body = text.encode("utf-8")
        self.modified = datetime.now(UTC)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


def start_watch(db: Path, *sources: str | Path, polls: int = 0) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "corroborator", "watch", *map(str, sources), "--db", str(db), "--interval", "0.3"]
    cmd += ["--polls", str(polls), "--set", "watch_settle_seconds=0", "--set", "ingest_workers=0"]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"watch exited ({proc.returncode}) before {what}:\n{out}\n{err}")
        time.sleep(0.3)
    proc.kill()
    out, err = proc.communicate()
    pytest.fail(f"timed out waiting for {what}:\n{out}\n{err}")


def snapshot(db: Path) -> dict[str, str | None]:
    """Each stored article's URL (or title) and its story."""
    if not db.exists():
        return {}
    try:
        with open_store(db, create=False) as store:
            return {(a.url or a.title or a.id): store.story_of(a.id) for a in store.articles()}
    except StoreError:  # the watcher is still creating it
        return {}


def test_watch_folder_feed_file_and_url(tmp_path: Path, feed_server: FeedServer) -> None:
    records = allsides(8)
    folder = tmp_path / "drop"
    folder.mkdir()
    feed_file = tmp_path / "local.rss"
    db = tmp_path / "watch.db"
    write_atomically(folder / "a0.txt", as_txt(records[0]))
    write_atomically(feed_file, as_rss("Local feed", records[1:3]))
    feed_server.publish(as_rss("World feed", records[3:5]))

    proc = start_watch(db, folder, feed_file, feed_server.url)
    try:
        wait_for(lambda: len(snapshot(db)) == 5, proc, "the first five articles")
        # While it runs: a new file, a near-copy of a stored article (its last paragraph cut), a new
        # entry in the feed file and a new entry in the served feed.
        write_atomically(folder / "a5.txt", as_txt(records[5]))
        copy = dict(records[0], url=records[0]["url"] + "?copy")
        copy["text"] = records[0]["text"] + "\n\nThis story has been updated to correct a spelling."
        write_atomically(folder / "sub-a0-copy.txt", as_txt(copy))
        write_atomically(feed_file, as_rss("Local feed", records[1:3] + records[6:7]))
        feed_server.publish(as_rss("World feed", records[3:5] + records[7:8]))
        wait_for(lambda: len(snapshot(db)) == 9, proc, "the four new articles")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopping after the article in hand" in err and "stopped: new 9" in out

    stories = snapshot(db)
    urls = [r["url"] for r in records]
    assert set(stories) == {*urls, copy["url"]}
    assert all(story is not None for story in stories.values())
    assert stories[copy["url"]] == stories[urls[0]]  # the near-copy joined the original's story
    with open_store(db, create=False) as store:
        assert store.count_articles() == 9
        assert sum(len(s.article_ids) for s in store.stories()) == 9  # every article in exactly one story
        assert [link.original_id for link in store.duplicate_links()] != []

    # A restart ingests nothing twice: unchanged files are not read, the served feed answers 304.
    before = feed_server.not_modified
    again = start_watch(db, folder, feed_file, feed_server.url, polls=2)
    out, err = again.communicate(timeout=WAIT)
    assert again.returncode == 0, err
    assert "stopped: new 0, duplicates 0, failed 0" in out, out + err
    assert feed_server.not_modified >= before + 2
    assert snapshot(db) == stories
