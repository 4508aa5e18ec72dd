"""What every command shares: the typer app they register on, the consoles, and one-line errors.

Command modules import from here (not from :mod:`corroborator.cli`), so the CLI module imports the
commands and no module imports the one that imports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console

from corroborator.errors import CorroboratorError
from corroborator.settings import Settings

# Keep accidental model-hub calls from hanging a user's offline machine.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

app = typer.Typer(
    name="corroborator",
    help="Compare news reports claim by claim: agreements, single-source details, conflicts, rewrites, framing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
out_console = Console(highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


class ListFormat(StrEnum):
    """``--format`` of commands that print a list: typer checks the choice and lists it in --help."""

    text = "text"
    json = "json"


class ReportFormat(StrEnum):
    """``--format`` of commands that print a comparison (see :func:`corroborator.render.render`)."""

    text = "text"
    md = "md"
    html = "html"
    json = "json"


def _version(value: bool) -> None:
    if value:
        from corroborator import __version__

        print(f"corroborator {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Compare news reports claim by claim: agreements, single-source details, conflicts, rewrites, framing."""


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def library_errors(func: F) -> F:
    """Turn CorroboratorError (and a closed pipe) into a one-line error instead of a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CorroboratorError as exc:
            raise fail(str(exc)) from None
        except BrokenPipeError:  # `corroborator ... | head`
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def settings_from(pairs: list[str]) -> Settings:
    """Settings from the environment, then ``--set name=value`` pairs on top (a usage error if malformed)."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"{pair!r} is not name=value", param_hint="--set")
        overrides[name.strip()] = value.strip()
    try:
        return Settings.from_env().with_overrides(overrides)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--set") from None
