"""Every tunable in one declarative table: name, default, help.

The table drives ``corroborator settings`` (listing), ``--set name=value`` overrides on the CLI, the
``CORROBORATOR_<NAME>`` environment variables, and docs/settings.md (a test fails when a setting is
undocumented there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    # ingest
    Setting("max_file_bytes", 50_000_000, "Files larger than this are refused with a one-line error."),
    Setting("min_text_chars", 40, "Extracted text shorter than this is refused as empty."),
    Setting("ingest_workers", 2, "Processes that analyse articles in parallel during ingest (0 = in-process)."),
    Setting("ingest_batch", 64, "Articles written to the store per transaction during ingest."),
    Setting("lead_sentences", 5, "Sentences of an article's lead used for its embedding and lead entities."),
    # fingerprints
    Setting("minhash_perm", 128, "MinHash permutations per article."),
    Setting("shingle_words", 5, "Words per shingle for MinHash."),
    # stories
    Setting("story_window_days", 14, "Articles further apart share a story only as a follow-up (see below)."),
    Setting("near_duplicate_jaccard", 0.8, "MinHash Jaccard at or above which an article is a near-copy."),
    Setting("story_threshold", 0.325, "Score at or above which an article joins a candidate story."),
    Setting("story_candidates", 20, "Nearest stories examined per new article."),
    Setting("story_weight_words", 1.0, "Score weight: TF-IDF cosine of two articles' words (ECB+ tuned)."),
    Setting("story_weight_cosine", 0.1, "Score weight: cosine of title+lead embeddings (ECB+ tuned)."),
    Setting("story_weight_entities", 0.5, "Score weight: Dice overlap of lead entities (ECB+ tuned)."),
    Setting("story_weight_date", 0.3, "Score penalty at story_window_days apart (none if a date is unknown)."),
    Setting("story_link", "max", "Story score: max (best member) or mean2 (mean of best two)."),
    Setting("story_followup_days", 365, "Articles up to this far apart may share a story as a follow-up."),
    Setting("story_followup_threshold", 0.5, "Score a follow-up beyond story_window_days must reach (GVA tuned)."),
    # compare
    Setting("align_candidates", 5, "Nearest claims of another article examined per claim."),
    Setting("number_tolerance", 0.05, "Relative difference under which approximate numbers agree."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    max_file_bytes: int = 50_000_000
    min_text_chars: int = 40
    ingest_workers: int = 2
    ingest_batch: int = 64
    lead_sentences: int = 5
    minhash_perm: int = 128
    shingle_words: int = 5
    story_window_days: int = 14
    near_duplicate_jaccard: float = 0.8
    story_threshold: float = 0.325
    story_candidates: int = 20
    story_weight_words: float = 1.0
    story_weight_cosine: float = 0.1
    story_weight_entities: float = 0.5
    story_weight_date: float = 0.3
    story_link: str = "max"
    story_followup_days: int = 365
    story_followup_threshold: float = 0.5
    align_candidates: int = 5
    number_tolerance: float = 0.05

    def with_overrides(self, overrides: dict[str, str]) -> Settings:
        """Apply ``name=value`` strings, converting each to the default's type."""
        changes: dict[str, Any] = {}
        for name, raw in overrides.items():
            if name not in _BY_NAME:
                known = ", ".join(sorted(_BY_NAME))
                raise ValueError(f"unknown setting {name!r}; known settings: {known}")
            default = _BY_NAME[name].default
            try:
                changes[name] = type(default)(raw)
            except ValueError as exc:
                raise ValueError(f"setting {name}: {raw!r} is not a {type(default).__name__}") from exc
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        overrides = {
            f.name: env[f"CORROBORATOR_{f.name.upper()}"]
            for f in fields(cls)
            if f"CORROBORATOR_{f.name.upper()}" in env
        }
        return cls().with_overrides(overrides)


def _check_table() -> None:
    names = {f.name for f in fields(Settings)}
    if names != set(_BY_NAME) or any(getattr(Settings(), s.name) != s.default for s in SETTINGS):
        raise AssertionError("settings.SETTINGS and Settings disagree")


_check_table()
