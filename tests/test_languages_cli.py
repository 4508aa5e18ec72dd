"""A Spanish and an English report of one event, compared end to end through the CLI.

The English Wikinews article on the Northrop Grumman/EADS tanker contract (MEANTIME 100911) and its
Spanish translation, written as text files with front matter; the language is detected from the text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corroborator.cli import app
from tests.conftest import shared_path

pytestmark = pytest.mark.slow

runner = CliRunner()


def _row(lang: str, key: str = "100911") -> dict[str, Any]:
    path = shared_path("corpus", f"meantime_{lang}", "articles.jsonl")
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] == key:
            return row
    raise AssertionError(f"{key} not in {path}")


def _write(tmp: Path, row: dict[str, Any], text: str | None = None) -> Path:
    out = tmp / f"{row['id']}-{row['language']}.txt"
    body = text if text is not None else row["text"]
    front = (
        f"---\ntitle: {json.dumps(row['title'])}\npublished: {row['date']}\nsource: wikinews-{row['language']}\n---\n"
    )
    out.write_text(front + body, encoding="utf-8")
    return out


def _compare(*paths: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["compare", *map(str, paths), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_languages_cli_english_and_spanish_report_agree(tmp_path: Path) -> None:
    en, es = _row("en"), _row("es")
    doc = _compare(_write(tmp_path, en), _write(tmp_path, es))
    assert len(doc["articles"]) == 2
    sentences = [s["text"] for s in doc["brief"]["sentences"]]
    assert sentences[0].startswith("The sources are in different languages: English (1) and Spanish (1)")
    # A translation: no contradiction, and most claims corroborated by the other language.
    assert [c for c in doc["conflicts"] if not c.get("precision_only")] == []
    summary = doc["summary"]
    assert summary["corroborated_claims"] / summary["claims"] >= 0.5
    # The brief quotes claims in their original language, both languages among its corroborated points.
    assert any("(also reported in" in s for s in sentences)


def test_languages_cli_a_changed_figure_in_the_translation_is_a_conflict(tmp_path: Path) -> None:
    en, es = _row("en"), _row("es")
    changed = es["text"].replace("179 nuevos aviones cisterna", "197 nuevos aviones cisterna", 1)
    assert changed != es["text"]
    doc = _compare(_write(tmp_path, en), _write(tmp_path, es, changed))
    values = [{s["value"] for s in c["sides"]} for c in doc["conflicts"] if not c.get("precision_only")]
    assert any({"179", "197"} <= {v.split()[0] for v in vs} for vs in values), values


def test_stories_filter_by_language_in_cli_and_web(tmp_path: Path) -> None:
    """Two MEANTIME articles on different events, one ingested in Spanish only: the stories list keeps the
    Spanish one under --language es (CLI) and ?language=es (JSON API), and lists each story's languages."""
    from fastapi.testclient import TestClient

    from corroborator.store import open_store
    from corroborator.web.app import create_app

    es = _write(tmp_path, _row("es"))
    en = _write(tmp_path, _row("en", _other_key()))
    db = tmp_path / "lang.db"
    assert runner.invoke(app, ["ingest", str(es), str(en), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["stories", "--db", str(db), "--language", "es", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert len(listed) == 1
    with open_store(str(db)) as store:
        client = TestClient(create_app(store, background=False))
        body = client.get("/api/stories", params={"language": "es"}).json()
        assert [s["languages"] for s in body["items"]] == [["es"]]
        assert body["items"][0]["id"] == listed[0]["id"]
        everything = client.get("/api/stories").json()["items"]
        assert sorted(tuple(s["languages"]) for s in everything) == [("en",), ("es",)]


def _other_key() -> str:
    """An English MEANTIME article of another topic than 100911 (airbus)."""
    for line in shared_path("corpus", "meantime_en", "articles.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["topic"] != _row("en")["topic"]:
            return str(row["id"])
    raise AssertionError("no other topic")
