"""Article versions in the store (store/tables/versions.py), on both backends: recorded once per changed
body, looked up by canonical URL or outlet + external id, a registered migration, and a writer killed with
SIGKILL mid-write loses nothing that was committed and leaves nothing torn."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from corroborator.identity import canonical_url
from corroborator.model import Article
from corroborator.store import Store, open_store
from test_store_support import REPO_SRC, item_for, raw_execute

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends

URL = "https://news.example.com/2026/03/01/flood-toll"


def base_item(url: str = URL) -> Article:
    return item_for("flood", 1, url=url, source="Example News").article


def test_store_versions_a_changed_body_is_the_next_version(store: Store) -> None:
    first = item_for("flood", 1, url=URL, source="Example News")
    assert store.add([first]) == ["new"]
    changed = Article.create(first.article.text + " The toll rose to 15.", url=URL + "/", source="Example News")
    assert store.version_of(changed) == first.article.id
    assert store.add_version(first.article.id, changed) == "version"
    assert store.add_version(first.article.id, changed) == "duplicate"  # an identical re-fetch records nothing
    assert store.add_version(first.article.id, first.article) == "duplicate"
    versions = store.versions(first.article.id)
    assert [v.index for v in versions] == [0, 1]
    assert versions[0].article == first.article
    assert versions[1].article.id == changed.id and versions[1].article.text == changed.text
    assert versions[1].at is not None
    assert store.has_version(changed.id) and not store.has_version(first.article.id)
    assert store.count_articles() == 1  # a version is not an article of its own
    assert store.version_counts([first.article.id, "nope"]) == {first.article.id: 2, "nope": 1}


@pytest.mark.parametrize(
    "variant",
    [URL, URL + "/", URL + "#comments", URL + "?utm_source=feed", "HTTPS://NEWS.EXAMPLE.COM/2026/03/01/flood-toll"],
)
def test_store_versions_found_by_canonical_url(store: Store, variant: str) -> None:
    first = item_for("flood", 1, url=URL, source="Example News")
    store.add([first])
    assert canonical_url(variant) == canonical_url(URL)
    assert store.version_of(Article.create("Another body.", url=variant)) == first.article.id
    assert store.version_of(Article.create("Another body.", url=URL + "-other")) is None


def test_store_versions_found_by_outlet_and_external_id(store: Store) -> None:
    first = item_for("flood", 1, external_id="entry-7", source="Feed A")
    store.add([first])
    assert store.version_of(Article.create("New body.", external_id="entry-7", source="Feed A")) == first.article.id
    assert store.version_of(Article.create("New body.", external_id="entry-7", source="Feed B")) is None


def test_store_versions_migration_is_registered_and_applies_to_an_old_store(location: str) -> None:
    with open_store(location) as store:
        assert "0004_article_versions" in [name for name, _ in store.migrations_applied()]
        store.add([item_for("flood", 1, url=URL)])
    # An existing database from before versions: the table and its record gone, as a 0003 store had.
    raw_execute(location, "DROP TABLE article_versions")
    raw_execute(location, "DROP INDEX articles_url")
    raw_execute(location, "DELETE FROM migrations WHERE name = '0004_article_versions'")
    with open_store(location) as store:
        (article,) = store.articles()
        assert store.versions(article.id)[0].article == article  # one version: itself
        assert store.add_version(article.id, Article.create("A new body.", url=URL)) == "version"
        assert len(store.versions(article.id)) == 2


# The child adds one article, then versions of it as fast as it can (each 400 KB, its own transaction),
# printing how many are committed; it is killed mid-write.
WRITER = r"""
import sys
from corroborator.model import AnalysedArticle, Article
from corroborator.store import open_store

location = sys.argv[1]
url = "https://news.example.com/killed"
with open_store(location) as store:
    first = Article.create("Version zero of the killed writer's article.", url=url)
    store.add([AnalysedArticle(first, ())])
    print("0", flush=True)
    for n in range(1, 100000):
        body = f"Version {n} of the killed writer's article. " * 9000
        assert store.add_version(first.id, Article.create(body, url=url)) == "version"
        print(n, flush=True)
"""


@pytest.mark.slow
def test_store_versions_survive_a_writer_killed_mid_write(location: str) -> None:
    from corroborator.model import content_hash

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([REPO_SRC, os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, location], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None and child.stderr is not None
    committed = -1
    while (line := child.stdout.readline().strip()) and int(line) < 5:
        committed = int(line)
    assert line, child.stderr.read()
    time.sleep(0.13)  # versions are being written now
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    committed = max([committed, *(int(x) for x in [line, *child.stdout.read().split()] if x.strip())])
    if location.startswith("postgresql://"):
        time.sleep(0.2)  # let the server roll the dead client's transaction back
    with open_store(location) as store:
        (article,) = store.articles()
        versions = store.versions(article.id)
        # Every version the child saw committed is there (one more may have committed unreported), whole.
        assert committed <= len(versions) - 1 <= committed + 1
        assert [v.index for v in versions] == list(range(len(versions)))
        for v in versions:
            assert content_hash(v.article.text) == v.article.id
        # The store takes the next version after the kill.
        assert store.add_version(article.id, Article.create("After the kill.", url=article.url)) == "version"
