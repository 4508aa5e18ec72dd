"""``corroborator settings``: list every setting, its default, the values it accepts and what it does."""

from __future__ import annotations

import json

import typer

from corroborator.commands.base import app, out_console
from corroborator.settings import SETTINGS, Settings, settings_markdown


@app.command("settings")
def settings_command(
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    markdown: bool = typer.Option(False, "--markdown", help="Print docs/settings.md."),
) -> None:
    """List settings with their defaults and current values (CORROBORATOR_<NAME> overrides)."""
    current = Settings.from_env()
    if markdown:
        print(settings_markdown(), end="")
        return
    if as_json:
        rows = [
            {
                "name": s.name,
                "type": s.type.__name__,
                "default": s.default,
                "value": getattr(current, s.name),
                "accepts": s.range,
                "help": s.help,
            }
            for s in SETTINGS
        ]
        print(json.dumps(rows, indent=2))
        return
    from rich.table import Table

    table = Table("name", "default", "value", "accepts", "help")
    for s in SETTINGS:
        table.add_row(s.name, str(s.default), str(getattr(current, s.name)), s.range, s.help)
    out_console.print(table)
