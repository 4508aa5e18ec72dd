"""Settings are declared once; the table, --set, the environment and the docs all follow the declaration."""

from __future__ import annotations

import dataclasses

import pytest
from typer.testing import CliRunner

from corroborator.cli import app
from corroborator.settings import SETTINGS, Settings, env_var


def test_settings_table_follows_the_dataclass() -> None:
    defaults = Settings()
    assert [s.name for s in SETTINGS] == [f.name for f in dataclasses.fields(Settings)]
    for s in SETTINGS:
        assert getattr(defaults, s.name) == s.default
        assert isinstance(s.default, s.type)
        assert s.help.strip(), f"{s.name} has no help"


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [("story_threshold", "0.4", 0.4), ("story_candidates", "7", 7), ("story_link", "mean2", "mean2")],
)
def test_settings_override_converts_to_the_declared_type(name: str, raw: str, expected: object) -> None:
    value = getattr(Settings().with_overrides({name: raw}), name)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("story_threshold", "high", "is not a float"),
        ("near_duplicate_jaccard", "1.5", "out of range (0.0 to 1.0)"),
        ("story_link", "min", "is not one of max, mean2"),
        ("no_such_setting", "1", "unknown setting 'no_such_setting'"),
    ],
)
def test_settings_bad_override_names_the_setting_and_the_range(name: str, raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings().with_overrides({name: raw})


def test_settings_out_of_range_values_are_refused_in_code_too() -> None:
    with pytest.raises(ValueError, match="minhash_perm"):
        dataclasses.replace(Settings(), minhash_perm=0)


def test_settings_environment_variables_override_defaults() -> None:
    env = {env_var("story_candidates"): "3", env_var("number_tolerance"): "0.1", "CORROBORATOR_OTHER": "x"}
    s = Settings.from_env(env)
    assert (s.story_candidates, s.number_tolerance) == (3, 0.1)
    assert s.story_threshold == Settings().story_threshold


def test_settings_cli_set_reports_a_bad_value_as_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["compare", "a.txt", "b.txt", "--set", "story_link=min"])
    assert result.exit_code == 2
    assert "setting story_link: 'min' is not one of max, mean2" in " ".join(result.output.split())


def test_settings_brief_single_source_limits_the_brief() -> None:
    from corroborator.compare import compare_articles
    from corroborator.ingest import read_paths
    from corroborator.model import Article
    from tests.conftest import REPO
    from tests.test_compare_support import CosineJudge, FakeEncoder

    files = sorted((REPO / "examples" / "port-elvan-fire").glob("*.md"))
    articles = [a for a in read_paths(files, Settings()) if isinstance(a, Article)]

    def single_source_lines(settings: Settings) -> int:
        c = compare_articles(articles, settings=settings, judge=CosineJudge(), encoder=FakeEncoder())
        return sum(1 for s in c.brief.sentences if s.status == "single-source")

    assert single_source_lines(Settings()) > 2
    assert single_source_lines(Settings().with_overrides({"brief_single_source": "2"})) == 2
