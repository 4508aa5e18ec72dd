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
