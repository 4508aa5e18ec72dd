"""``corroborator check``: batch mode over JSON lines (with a malformed line) and store mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborator.check import STANCES, fnc1
from corroborator.cli import app
from tests.conftest import shared_path


def _held_out(label: str, n: int) -> list[fnc1.StancePair]:
    pairs = [p for p in fnc1.read_pairs(shared_path("datasets", "fnc1"), "test") if p.label == label]
    return pairs[:n]


@pytest.mark.slow
def test_check_batch_round_trip_with_malformed_line(tmp_path: Path) -> None:
    agree = _held_out("agree", 2)
    unrelated = _held_out("unrelated", 1)
    good = [*agree, *unrelated]
    lines = [json.dumps({"id": f"p{i}", "claim": p.headline, "text": p.body}) for i, p in enumerate(good)]
    lines.insert(1, '{"id": "broken", "claim": "no text field"')  # truncated JSON on line 2
    lines.append(json.dumps({"id": "empty", "claim": "x", "text": "   "}))  # line 5: empty text
    src = tmp_path / "pairs.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    result = CliRunner().invoke(app, ["check", "--pairs", str(src), "--format", "json", "-o", str(out)])

    assert result.exit_code == 1, result.output
    assert f"{src}:2:" in result.output and f"{src}:5:" in result.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["p0", "p1", "p2"]
    for row, pair in zip(rows, good, strict=True):
        assert set(row) == {"id", "stance", "score", "evidence"}
        assert row["stance"] in STANCES
        assert 0.0 <= row["score"] <= 1.0
        assert all(isinstance(e, str) and e in pair.body for e in row["evidence"])
    # A headline paired at random with another story's body is unrelated, with no evidence.
    assert rows[2]["stance"] == "unrelated" and rows[2]["evidence"] == []
    # A body that reports its own headline is at least related to it, and evidence comes with it.
    assert all(r["stance"] != "unrelated" and r["evidence"] for r in rows[:2])


def test_check_batch_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--pairs", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "nope.jsonl: no such file" in result.output


def test_check_needs_a_claim() -> None:
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 2
    assert "give a claim" in result.output


def test_check_set_reaches_the_settings(tmp_path: Path) -> None:
    """`check --set` is parsed and checked like every other command's: an unknown stance model is refused."""
    result = CliRunner().invoke(
        app, ["check", "The bridge closed in 2021", "--db", str(tmp_path / "x.db"), "--set", "stance_model=nope"]
    )
    assert result.exit_code == 2
    assert "stance_model" in result.output
