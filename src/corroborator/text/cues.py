"""Negation and hedge cues: the words that flip or soften a statement ("never", "reportedly")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

CueKind = Literal["negation", "hedge"]


@dataclass(frozen=True, slots=True)
class Cue:
    kind: CueKind
    start: int
    end: int
    text: str
    norm: str  # the cue, lower case, one space between words ("n't" for any "n’t")


_NEGATION = re.compile(
    r"\b(?:no\s+longer|not|never|no(?!\.\s*\d)|none|nobody|nothing|neither|nor|without|cannot|"
    r"denied|denies|deny|denying|refused|refuses|refuse|refusing|rejected|rejects|reject|rejecting|"
    r"(?:failed|fails|fail|failing)\s+to)\b"
    r"|(?<=\w)n['’]t\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|apparently|possibly|perhaps|probably|likely|unlikely|"
    r"may|might|could|"
    r"(?:appears|appear|appeared|seems|seem|seemed)(?:\s+to)?|suggests|suggested|suggest|"
    r"it\s+(?:is|was|remains)\s+unclear|it['’]s\s+unclear|unclear|some\s+(?:say|argue|believe)|"
    r"(?:is|are|was|were)\s+(?:said|believed|thought|understood|rumou?red)\s+to|claimed|claims)\b",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")


def find_cues(text: str) -> list[Cue]:
    """Every negation and hedge cue in ``text``, in order of position."""
    out: list[Cue] = []
    for kind, rx in (("negation", _NEGATION), ("hedge", _HEDGE)):
        for m in rx.finditer(text):
            word = m.group()
            if word == "May":  # the month, not the modal
                continue
            norm = _SPACE.sub(" ", word.lower()).replace("’", "'")
            out.append(Cue(kind, m.start(), m.end(), word, norm))  # type: ignore[arg-type]
    return sorted(out, key=lambda c: c.start)
