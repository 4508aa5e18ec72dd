"""Opening stores: migrations applied once and recorded, locations, and refusing what is not a store."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from corroborator.errors import MissingExtra, StoreError
from corroborator.store import Store, open_store
from corroborator.store.migrations import MIGRATIONS, MigrationContext, migration
from corroborator.store.sqlite import SQLiteStore
from test_store_support import PG_SKIP, PG_URL, item_for, raw_execute

pytest_plugins = ["test_store_support"]  # the store fixtures, over both backends


def _one_line(err: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


def test_store_migrations_applied_once_and_recorded(location: str) -> None:
    with open_store(location) as store:
        first = store.migrations_applied()
        assert [name for name, _ in first] == [m.name for m in MIGRATIONS]
        store.add([item_for("tide", 1)])
    with open_store(location) as store:
        assert store.migrations_applied() == first  # nothing re-applied, nothing re-recorded
        assert store.count_articles() == 1
    with open_store(location, create=False) as store:
        assert store.count_articles() == 1


def test_store_new_migration_runs_once(location: str) -> None:
    with open_store(location) as store:
        store.add([item_for("tide", 2)])
    calls: list[str] = []

    def extra(db: MigrationContext) -> None:
        calls.append(db.dialect)
        db.run("CREATE TABLE test_extra (article_id {id} PRIMARY KEY, weight {real}, payload {blob})")

    migration("9999_test_extra")(extra)
    try:
        with open_store(location) as store:
            assert [n for n, _ in store.migrations_applied()][-1] == "9999_test_extra"
            assert store.count_articles() == 1  # earlier data kept
        with open_store(location) as store:
            assert [n for n, _ in store.migrations_applied()].count("9999_test_extra") == 1
        assert len(calls) == 1
        assert raw_execute(location, "SELECT COUNT(*) FROM test_extra") == [(0,)]
    finally:
        MIGRATIONS.pop()
    # Without that migration registered this store is from "a newer corroborator".
    with pytest.raises(StoreError, match="newer corroborator") as err:
        open_store(location)
    assert "9999_test_extra" in _one_line(err)


def test_store_migration_names_must_increase() -> None:
    with pytest.raises(ValueError, match="must sort after"):
        migration("0000_too_early")(lambda db: None)
    assert MIGRATIONS[-1].name != "0000_too_early"


def test_store_refuses_foreign_tables(location: str) -> None:
    if location.startswith("postgresql://"):
        raw_execute(location, "CREATE TABLE notes (body TEXT)")
    else:
        conn = sqlite3.connect(location)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
        conn.close()
    with pytest.raises(StoreError, match="not a corroborator store") as err:
        open_store(location)
    assert "no migrations table" in _one_line(err)
    assert raw_execute(location, "SELECT COUNT(*) FROM notes") == [(0,)]  # left untouched


def test_store_create_false_refuses_an_empty_location(location: str) -> None:
    with pytest.raises(StoreError, match="no corroborator store") as err:
        open_store(location, create=False)
    _one_line(err)
    if not location.startswith("postgresql://"):
        assert not Path(location).exists()


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, b"just some notes, not a database\n"],
    ids=["binary", "text"],
)
def test_store_refuses_a_file_that_is_not_sqlite(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        open_store(path)
    message = _one_line(err)
    assert str(path) in message and "not a corroborator store" in message
    assert path.read_bytes() == content


def test_store_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory") as err:
        open_store(tmp_path)
    assert str(tmp_path) in _one_line(err)


def test_store_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()  # a zero-byte file becomes a store
    with open_store(str(empty)) as store:
        assert isinstance(store, SQLiteStore) and store.count_articles() == 0
    nested = tmp_path / "a" / "b" / "news.db"
    with open_store(nested) as store:
        store.add([item_for("canal", 1)])
    with open_store(f"sqlite:///{nested}") as store:  # sqlite:////absolute/path
        assert store.count_articles() == 1
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///a/b/news.db") as store:  # three slashes: relative
        assert store.count_articles() == 1
    with pytest.raises(StoreError, match="unknown store scheme 'mysql'"):
        open_store("mysql://localhost/news")
    with pytest.raises(StoreError, match="sqlite:///relative"):
        open_store("sqlite://news.db")


def test_store_in_memory() -> None:
    with open_store(":memory:") as store:
        item = item_for("orchard", 1)
        assert store.add([item, item]) == ["new", "duplicate"]
        sid = store.new_story("Orchard", item.article.id)
        assert store.get_article(item.article.id[:6]) == item.article
        assert store.story(sid).article_ids == (item.article.id,)


def test_store_closed_store_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path / "x.db")
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.count_articles()
    with pytest.raises(StoreError, match="closed"):
        store.add([item_for("x", 1)])


def test_store_postgres_without_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what an install without the extra looks like
    with pytest.raises(MissingExtra, match=r"pip install 'corroborator\[postgres\]'"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_store_postgres_unreachable_server() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match=r"cannot connect to postgresql://nobody:\*\*\*@127\.0\.0\.1:1/") as err:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=3")
    assert "secret" not in _one_line(err)


@pytest.mark.postgres
def test_store_postgres_missing_schema() -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    joiner = "&" if "?" in PG_URL else "?"
    with pytest.raises(StoreError, match="no existing schema"):
        open_store(f"{PG_URL}{joiner}options=-csearch_path%3Dno_such_schema_here")


def test_store_is_a_store(store: Store) -> None:
    assert store.backend in {"sqlite", "postgres"}
    assert store.location and "corroborator:corroborator@" not in store.location  # no password shown


def test_store_refuses_another_programs_migrations_table(location: str) -> None:
    raw_execute(location, "CREATE TABLE migrations (version INTEGER, checksum TEXT)")
    with pytest.raises(StoreError, match="is not a corroborator store") as err:
        open_store(location)
    assert "another program" in _one_line(err)
