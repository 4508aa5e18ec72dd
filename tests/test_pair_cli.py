"""``corroborator pair`` end to end on a temporary JSON-lines file (real models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborator.cli import app

pytestmark = pytest.mark.slow

RECORDS = [
    {"id": "p1", "a": "Police arrested two men on Friday.", "b": "Two men were arrested by police on Friday."},
    {"id": 2, "a": "The river burst its banks overnight.", "b": "Stock markets rallied on Wednesday."},
    {"id": "p3", "a": "The mayor resigned.", "b": "The mayor resigned."},
]


def write_pairs(tmp_path: Path) -> Path:
    lines = [json.dumps(RECORDS[0]), "{not json", json.dumps(RECORDS[1]), "", '{"id": "x", "a": 3}']
    lines.append(json.dumps(RECORDS[2]))
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_pair_cli_json_round_trip_reports_bad_lines(tmp_path: Path) -> None:
    path = write_pairs(tmp_path)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["pair", "--pairs", str(path), "--format", "json", "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 2
    assert f"{path}:2: not valid JSON" in errors[0]
    assert f"{path}:5: field 'a' and 'b' missing or not a string" in errors[1]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p1", 2, "p3"]
    for row in rows:
        assert set(row) >= {"id", "relation", "similarity", "same", "probability"}
        assert 0.0 <= row["similarity"] <= 1.0
    assert rows[0]["relation"] == "same"
    assert rows[1]["relation"] == "none"
    assert rows[2]["same"] is True


def test_pair_cli_clean_file_exits_zero_with_text_table(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    result = CliRunner().invoke(app, ["pair", "--pairs", str(path), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "relation" in result.stdout
    assert "p1" in result.stdout and "p3" in result.stdout


def test_pair_cli_missing_file_is_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["pair", "--pairs", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
