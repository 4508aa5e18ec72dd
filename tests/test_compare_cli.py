"""``corroborator compare``: files in, every format out; bad inputs are one line each; stored stories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborator.cli import app
from corroborator.render.schema import validate
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

runner = CliRunner()
FIRE = sorted((EXAMPLES / "port-elvan-fire").glob("*.md"))


def test_compare_cli_json_from_files_with_a_bad_one(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"text": "unterminated', encoding="utf-8")
    result = runner.invoke(app, ["compare", str(FIRE[0]), str(FIRE[2]), str(bad), "--format", "json"])
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stderr.splitlines() if "broken.json" in line]
    assert len(skipped) == 1
    doc = json.loads(result.stdout)
    assert validate(doc) == []
    assert len(doc["articles"]) == 2


def test_compare_cli_html_to_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["compare", *map(str, FIRE[:3]), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Corroboration matrix" in html


def test_compare_cli_needs_two_articles(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(FIRE[0])])
    assert result.exit_code == 2
    assert "at least two files" in result.stderr
    result = runner.invoke(app, ["compare", str(FIRE[0]), str(FIRE[0])])
    assert result.exit_code == 1
    assert "compare needs 2" in result.stderr
    result = runner.invoke(app, ["compare", str(FIRE[0]), str(FIRE[1]), "--format", "pdf"])
    assert result.exit_code == 2 and "'pdf' is not one of" in result.stderr  # typer's choice check


def test_compare_cli_stored_story(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "port-elvan-fire"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    from corroborator.store import open_store

    with open_store(str(db)) as store:
        stories = [s for s in store.stories() if len(s.article_ids) >= 2]
    assert stories
    result = runner.invoke(app, ["compare", "--db", str(db), "--story", stories[0].id, "-f", "md"])
    assert result.exit_code == 0, result.output
    assert "## Brief" in result.stdout
    result = runner.invoke(app, ["compare", "--db", str(db), "--story", "nope"])
    assert result.exit_code == 1 and "error:" in result.stderr
