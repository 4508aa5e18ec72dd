"""Negation and hedge cues: the words that flip or soften a statement ("never", "reportedly").

The cue lists are per-language data (``data/words/<lang>/negation.txt``, ``hedges.txt``), read through
:mod:`corroborator.text.words`; a language without lists yields no cues rather than English ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from corroborator.text import words

CueKind = Literal["negation", "hedge"]


@dataclass(frozen=True, slots=True)
class Cue:
    kind: CueKind
    start: int
    end: int
    text: str
    norm: str  # the cue, lower case, one space between words ("n't" for any "n’t")


_LISTS: tuple[tuple[CueKind, str], ...] = (("negation", "negation"), ("hedge", "hedges"))
_SPACE = re.compile(r"\s+")


def find_cues(text: str, lang: str | None = None) -> list[Cue]:
    """Every negation and hedge cue in ``text`` (in language ``lang``, None = English), in order of position."""
    out: list[Cue] = []
    for kind, name in _LISTS:
        for m in words.find(lang, name, text):
            word = m.group()
            norm = _SPACE.sub(" ", word.lower()).replace("’", "'")
            out.append(Cue(kind, m.start(), m.end(), word, norm))
    return sorted(out, key=lambda c: c.start)
