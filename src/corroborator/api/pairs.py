"""Batch stance judgements of ``{"id", "claim", "text"}`` records (``corroborator check --pairs``, bench/check.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corroborator.check.stance import StanceModel

SPLIT_CACHE = 256  # bodies kept split at once: many claims often share one article


@dataclass(frozen=True, slots=True)
class PairLine:
    """One input line's outcome: ``row`` (the JSON result) or ``error`` (why the line was refused)."""

    lineno: int
    row: dict[str, Any] | None = None
    error: str | None = None


def judge_pairs(lines: Iterable[str], model: StanceModel | None = None) -> Iterator[PairLine]:
    """Judge each JSON line; blank lines are skipped, malformed ones give a PairLine with ``error``."""
    from corroborator.check import default_stance_model
    from corroborator.check.sentences import article_sentences
    from corroborator.model import Article

    model = model or default_stance_model()
    split: dict[str, tuple[Any, ...]] = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("not a JSON object")
            claim, text = rec.get("claim"), rec.get("text")
            if not isinstance(claim, str) or not claim.strip():
                raise ValueError('missing "claim" (a non-empty string)')
            if not isinstance(text, str) or not text.strip():
                raise ValueError('missing "text" (a non-empty string)')
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            yield PairLine(lineno, error=str(exc))
            continue
        article = Article.create(text)
        if article.id not in split:
            if len(split) > SPLIT_CACHE:
                split.pop(next(iter(split)))
            split[article.id] = tuple(article_sentences(article))
        judgement = model.judge(claim, article, split[article.id])
        yield PairLine(
            lineno,
            row={
                "id": rec.get("id"),
                "stance": judgement.stance,
                "score": round(judgement.score, 4),
                "evidence": [e.text for e in judgement.evidence],
            },
        )
