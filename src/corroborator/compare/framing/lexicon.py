"""Framing word lists and the matcher that finds them in text with exact offsets.

The lists are the project's own (``data/framing_lexicon.json``); emotive words come from the VADER
lexicon shipped inside the installed ``vadersentiment`` package. Optional learned adjustments
(``data/framing_weights.json``, written by ``bench/train_framing.py``) drop words that proved to be
plain reporting vocabulary and add words that proved to be charged, on training events only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from corroborator.errors import ModelError

CATEGORIES: tuple[str, ...] = ("loaded", "emotive", "intensifier", "aside", "hedge")
# When two lists hold the same phrase, the more specific framing signal wins.
_PRIORITY = {"aside": 0, "loaded": 1, "intensifier": 2, "hedge": 3, "emotive": 4}

# Words with internal hyphens or apostrophes stay one token ("so-called", "far-right", "it's").
_TOKEN = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
_VOWELS = set("aeiou")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str  # as written
    norm: str  # lower case, straight apostrophe


@dataclass(frozen=True, slots=True)
class Lexicon:
    phrases: dict[tuple[str, ...], str]  # token sequence -> category
    lengths: dict[str, tuple[int, ...]]  # first token -> phrase lengths starting with it, longest first
    emotive: dict[str, float]  # word -> VADER valence, already filtered
    roles: dict[str, tuple[str, ...]]  # voice role -> keywords (lower case, may be multi-word)
    speech_verbs: frozenset[str]


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of ``text[start:end]`` with offsets into ``text``."""
    return [
        Token(m.start(), m.end(), m.group(), m.group().lower().replace("’", "'"))
        for m in _TOKEN.finditer(text, start, len(text) if end is None else end)
    ]


def inflect(word: str) -> set[str]:
    """The regular inflections of an English verb or noun (over-generation is harmless here)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "d"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word + "d"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    # slam -> slammed, slamming: one short vowel before a final consonant doubles it.
    if len(word) >= 3 and word[-1] not in _VOWELS | {"w", "x", "y"} and word[-2] in _VOWELS and word[-3] not in _VOWELS:
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def _entries(raw: Iterable[str], inflect_all: bool = False) -> Iterable[tuple[str, ...]]:
    for entry in raw:
        if inflect_all and entry.isalpha():
            entry += "~"
        if entry.endswith("~"):
            for form in inflect(entry[:-1]):
                yield (form,)
        else:
            yield tuple(t.norm for t in tokens(entry))


def _read_json(name: str) -> dict[str, Any] | None:
    ref = resources.files("corroborator.data").joinpath(name)
    if not ref.is_file():
        return None
    try:
        data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ModelError(f"{ref}: not valid JSON ({err}); restore it from git") from err
    return data


@cache
def vader() -> Any:
    """The one VADER analyser (loading its lexicon takes ~50 ms)."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as err:  # pragma: no cover - a core dependency
        raise ModelError("vadersentiment is not installed: pip install vadersentiment==3.3.2") from err
    return SentimentIntensityAnalyzer()


def hand_lists() -> dict[str, Any]:
    """The hand-written lists (``data/framing_lexicon.json``)."""
    data = _read_json("framing_lexicon.json")
    if data is None:
        raise ModelError("corroborator/data/framing_lexicon.json is missing; reinstall corroborator")
    return data


def learned_adjustments() -> dict[str, Any]:
    """What ``bench/train_framing.py`` learned (``data/framing_weights.json``), or nothing."""
    return _read_json("framing_weights.json") or {}


@cache
def load_lexicon(learned: bool = True) -> Lexicon:
    """The lexicon in use: hand lists plus, unless ``learned`` is False, the learned adjustments."""
    return build_lexicon(hand_lists(), learned_adjustments() if learned else {})


def build_lexicon(data: dict[str, Any], learned: dict[str, Any]) -> Lexicon:
    """Compile word lists; ``learned`` may hold ``add`` {category: [words]}, ``drop``, ``min_valence``."""
    phrases: dict[tuple[str, ...], str] = {}
    for category in ("loaded", "intensifier", "aside", "hedge"):
        extra = learned.get("add", {}).get(category, [])
        # Loaded words are verbs and nouns as often as adjectives ("demagogue", "demagogued").
        for key in _entries([*data[category], *extra], inflect_all=category == "loaded"):
            if key and (key not in phrases or _PRIORITY[category] < _PRIORITY[phrases[key]]):
                phrases[key] = category
    dropped = set(learned.get("drop", []))
    for key in [k for k in phrases if " ".join(k) in dropped]:
        del phrases[key]

    emotive_spec = data["emotive"]
    excluded = set(emotive_spec["exclude"]) | dropped
    floor = float(learned.get("min_valence", emotive_spec["min_valence"]))
    emotive = {
        word: float(valence)
        for word, valence in vader().lexicon.items()
        if abs(valence) >= floor and _TOKEN.fullmatch(word) and word not in excluded
    }
    roles = {role: tuple(words) for role, words in data["voices"].items()}
    lengths: dict[str, set[int]] = {}
    for key in phrases:
        lengths.setdefault(key[0], set()).add(len(key))
    return Lexicon(
        phrases=phrases,
        lengths={first: tuple(sorted(ns, reverse=True)) for first, ns in lengths.items()},
        emotive=emotive,
        roles=roles,
        speech_verbs=frozenset(data["speech_verbs"]),
    )


# "May" the month, not the hedge: a capitalised May after these words or before a number.
_MONTH_BEFORE = frozenset({"in", "of", "since", "until", "by", "last", "next", "early", "late", "mid", "on"})


def _is_month(text: str, toks: Sequence[Token], i: int) -> bool:
    if toks[i].text != "May":
        return False
    before = toks[i - 1].norm if i > 0 else ""
    return before in _MONTH_BEFORE or _DIGIT_NEXT.match(text, toks[i].end) is not None


_DIGIT_NEXT = re.compile(r"\s*\d")


def match(text: str, toks: Sequence[Token], lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, category)`` matches among ``toks`` (of ``text``), longest first."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        hit: tuple[int, str] | None = None
        for n in lexicon.lengths.get(toks[i].norm, ()):
            if i + n > len(toks):
                continue
            category = lexicon.phrases.get(tuple(t.norm for t in toks[i : i + n]))
            if category is not None:
                hit = (n, category)
                break
        if hit is not None and not (hit[1] == "hedge" and _is_month(text, toks, i)):
            n, category = hit
            found.append((toks[i].start, toks[i + n - 1].end, category))
            i += n
            continue
        # Capitalised mid-sentence words are names ("Supreme Court", "Dick Durbin"), not feelings.
        proper = i > 0 and toks[i].text[:1].isupper()
        if toks[i].norm in lexicon.emotive and not proper and len(toks[i].norm) > 1:
            found.append((toks[i].start, toks[i].end, "emotive"))
        i += 1
    return found
