"""Documentation is tested: every CLI command and every setting must be documented."""

from __future__ import annotations

from corroborator.cli import app
from corroborator.settings import SETTINGS, settings_markdown
from tests.conftest import REPO


def command_names() -> list[str]:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    return sorted(n for n in names if n)


def test_docs_every_command_in_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [n for n in command_names() if f"corroborator {n}" not in readme]
    assert not missing, f"commands missing from README.md's command table: {missing}"


def test_docs_every_setting_in_settings_md() -> None:
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in doc]
    assert not missing, f"settings missing from docs/settings.md (run: corroborator settings --markdown): {missing}"


def test_docs_settings_md_is_generated_from_the_declarations() -> None:
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    stale = "docs/settings.md is stale: run corroborator settings --markdown > docs/settings.md"
    assert doc == settings_markdown(), stale
    for s in SETTINGS:
        assert f"| `{s.name}` | {s.default} | {s.range} |" in doc, f"docs/settings.md has a stale default for {s.name}"


def test_docs_architecture_names_only_files_that_exist() -> None:
    # The "where to change what" table is what a newcomer follows: every file it names must exist.
    import re

    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = {p for p in re.findall(r"`([\w./*-]+\.(?:py|md|html|css|js|json))`", doc) if "*" not in p and "<" not in p}
    roots = (REPO, REPO / "src" / "corroborator", REPO / "src" / "corroborator" / "render" / "templates")
    missing = sorted(p for p in named if not any((root / p).exists() for root in roots))
    assert len(named) > 30 and not missing, f"docs/architecture.md names files that do not exist: {missing}"
