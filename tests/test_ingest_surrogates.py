"""A value the store cannot write (a lone surrogate, a NUL) in any field of any record is one error
line for that record; the rest of the file and of the batch is stored (issue 13)."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

from corroborator.errors import InputError
from corroborator.ingest import read_paths
from corroborator.model import AnalysedArticle, Article
from corroborator.pipeline import ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from tests.conftest import shared_path

SETTINGS = Settings().with_overrides({"ingest_workers": "0"})
BAD_LINE = 71
SURROGATE = "\ud800"
# Every field of an AllSides record that the reader maps, and one it ignores.
FIELDS = ("ID", "url", "source", "source_url", "authors", "title", "date", "content_original", "topic")


def allsides_records(n: int) -> list[dict[str, object]]:
    """``n`` real AllSides records (the shortest of the first shard: quick to analyse)."""
    shard = shared_path("corpus", "allsides", "articles", "articles-00.jsonl.xz")
    with lzma.open(shard, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    usable = [r for r in records if len(str(r.get("content_original") or "")) >= 400]
    usable.sort(key=lambda r: len(str(r["content_original"])))
    return usable[:n]


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    # ensure_ascii (the default) writes the surrogate as the escape "\ud800", as the hostile file had it.
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def with_surrogate(records: list[dict[str, object]], field: str) -> list[dict[str, object]]:
    out = [dict(r) for r in records]
    bad = out[BAD_LINE - 1]
    value = bad.get(field)
    if isinstance(value, list) and value:
        bad[field] = [*value[:-1], f"{value[-1]}{SURROGATE}"]
    elif field == "date":
        bad[field] = f"2019-05-0{SURROGATE}1"
    else:
        bad[field] = f"{value or 'x'}{SURROGATE}tail"
    return out


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    return allsides_records(160)


@pytest.mark.parametrize("field", FIELDS)
def test_ingest_surrogate_in_any_field_is_one_error(
    tmp_path: Path, records: list[dict[str, object]], field: str
) -> None:
    bad_file = write_jsonl(tmp_path / "a-bad.jsonl", with_surrogate(records[:150], field))
    good_file = write_jsonl(tmp_path / "b-good.jsonl", records[150:160])
    items = list(read_paths([bad_file, good_file], SETTINGS))
    errors = [i for i in items if isinstance(i, InputError)]
    articles = [i for i in items if isinstance(i, Article)]
    if field in {"date", "topic", "source_url"}:
        # A junk date is no date, an unmapped field is ignored, source_url is used only when it is
        # a URL: the record is stored, and nothing unwritable reaches the store.
        assert errors == []
        assert len(articles) == 160
    else:
        assert len(errors) == 1, [str(e) for e in errors]
        assert errors[0].path == f"{bad_file}#record-{BAD_LINE}"
        assert "lone surrogate" in str(errors[0]) and "\n" not in str(errors[0])
        assert len(articles) == 159
    for article in articles:
        for value in (article.text, article.title, article.url, article.source, article.byline, article.external_id):
            assert value is None or SURROGATE not in value
    assert sum(1 for a in articles if a.origin and a.origin.startswith(str(good_file))) == 10


@pytest.mark.slow
def test_ingest_surrogate_batch_stores_the_rest(tmp_path: Path, records: list[dict[str, object]]) -> None:
    """End to end (reader, analysis, SQLite store): the bad record is one failure, the other 149 + 10 stored."""
    bad = with_surrogate(records[:150], "ID")
    bad = with_surrogate(bad, "authors")
    bad_file = write_jsonl(tmp_path / "a-bad.jsonl", bad)
    good_file = write_jsonl(tmp_path / "b-good.jsonl", records[150:160])
    with open_store(tmp_path / "s.db") as store:
        report = ingest([bad_file, good_file], store, SETTINGS)
        assert report.failed == 1 and len(report.errors) == 1
        assert f"#record-{BAD_LINE}" in report.errors[0]
        assert report.read == 149 + 10
        assert store.count_articles() == report.new == 159 - report.duplicates
        assert sum(1 for a in store.articles() if a.origin and a.origin.startswith(str(good_file))) == 10
        assert len(store.failures()) == 1
        assert all(store.story_of(a.id) is not None for a in store.articles())


def test_store_refuses_unwritable_article_alone(tmp_path: Path) -> None:
    """Past the reader (an API caller building Articles itself): the store refuses that article only."""
    good = [
        AnalysedArticle(Article.create(f"Article number {n} about the harbour vote in Westerly."), ()) for n in range(5)
    ]
    bad_fields = ("source", "url", "title", "byline", "external_id", "origin")
    bad = [
        AnalysedArticle(Article.create(f"Bad article {name} about the pier.", **{name: f"x{SURROGATE}"}), ())
        for name in bad_fields
    ]
    batch = [good[0], *bad[:3], good[1], good[2], *bad[3:], good[3], good[4]]
    with open_store(tmp_path / "s.db") as store:
        outcomes = store.add(batch)
        assert [o for o in outcomes if o == "new"] == ["new"] * 5
        assert outcomes.count("failed") == len(bad_fields)
        assert store.count_articles() == 5
        messages = [m for _, m, _ in store.failures()]
        assert len(messages) == len(bad_fields) and all("not valid Unicode" in m for m in messages)
