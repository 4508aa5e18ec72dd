"""Shared test fixtures: where ../shared lives, and skips with a reason when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CORROBORATOR_SHARED", REPO.parent / "shared"))
EXAMPLES = REPO / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test naming what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the team's shared data beside the repo); not present here")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"needs {SHARED} (the team's shared data beside the repo); not present here")
    return SHARED


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return sorted(shared_path("corpus", "seeds").glob("*.txt"))
