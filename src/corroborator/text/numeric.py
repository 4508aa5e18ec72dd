"""Counts, money and percentages in a text, with values, units and an "approximate" flag.

A pure function of the text: ``find_numeric("about 120 people")`` gives one number, value 120, unit
"people", norm "120 people", approximate. Money is normalised to ``"USD 1200000000"`` and percentages
to ``"45%"`` (``"2 pp"`` for percentage points). Spans are offsets into the text given.

What is left out on purpose: numbers glued to letters or hyphens inside names ("COVID-19", "F-35"),
clock times ("3:53"), ordinals ("1st"), scores and ranges written with a hyphen ("52-48"), and words
"a"/"an"/"one" unless they count something ("one soldier", not "one of the"). Years are the temporal
normaliser's business: callers pass its date/period spans as ``skip``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from corroborator.text.numbers import DIGIT_NUMBER, SCALES, WORD_NUMBER, parse_number

NumericKind = Literal["number", "money", "percent"]


@dataclass(frozen=True, slots=True)
class NumericValue:
    kind: NumericKind
    start: int
    end: int
    text: str
    norm: str
    number: float
    unit: str | None
    approximate: bool = False


_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|tn|m|k|b)\b"
_SCALE_WORD = r"(?i:hundred|thousand|million|billion|trillion)\b"
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
    "yen": "JPY", "yuan": "CNY", "rupee": "INR", "rupees": "INR", "ruble": "RUB", "rubles": "RUB",
    "rouble": "RUB", "roubles": "RUB", "pesos": "MXN", "francs": "CHF", "shekels": "ILS",
}  # fmt: skip
_SYMBOLS = {"$": "USD", "US$": "USD", "C$": "CAD", "A$": "AUD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_WORDNUM = rf"(?i:{WORD_NUMBER})"

_MONEY_SYMBOL = re.compile(rf"(?P<cur>US\$|C\$|A\$|\$|£|€|¥)\s?(?P<num>{DIGIT_NUMBER})(?:\s?(?P<scale>(?i:{_SCALE})))?")
_MONEY_CODE = re.compile(rf"\b(?P<cur>USD|EUR|GBP|JPY|CNY)\s?(?P<num>{DIGIT_NUMBER})(?:\s?(?P<scale>(?i:{_SCALE})))?")
_MONEY_WORD = re.compile(
    rf"(?<![\w.,-])(?P<num>{DIGIT_NUMBER}|{_WORDNUM})(?:\s+(?P<scale>{_SCALE_WORD}))?\s+"
    rf"(?P<cur>(?i:{'|'.join(_CURRENCY_WORDS)}))\b"
)
_PERCENT = re.compile(
    rf"(?<![\w.,$-])(?P<num>{DIGIT_NUMBER}|{_WORDNUM})\s?(?P<unit>%|(?i:percent|per\s+cent|percentage\s+points?)\b)"
)
_NUMBER = re.compile(
    rf"(?<![\w.,/$£€¥:#-])(?P<num>{DIGIT_NUMBER}|\b{_WORDNUM}\b)(?:\s+(?P<scale>{_SCALE_WORD}))?"
    rf"(?![\w%]|[.,:/]\d|-\d|\s?(?:%|percent\b))"
)
_APPROX = re.compile(
    r"(?:about|around|nearly|almost|some|roughly|approximately|more\s+than|at\s+least|an\s+estimated|"
    r"over|up\s+to|fewer\s+than|less\s+than|close\s+to|upwards\s+of|as\s+many\s+as|as\s+much\s+as|"
    r"under|just\s+over|just\s+under|estimated|approx\.|~)\s*$",
    re.IGNORECASE,
)
_NEXT = re.compile(r"\s*(?:-\s*)?([A-Za-z][A-Za-z.'’]*)")
# Words between a number and what it counts ("1,000 more troops", "120 American citizens").
_SKIP_ADJ = {
    "more", "other", "new", "additional", "extra", "fewer", "armed", "active", "civilian", "innocent",
    "young", "old", "small", "large", "major", "total", "confirmed", "reported", "registered", "foreign",
    "local", "federal", "full-time", "part-time", "unarmed", "wounded", "injured", "dead",
}  # fmt: skip
_NOT_UNIT = {
    "of", "to", "and", "or", "in", "on", "at", "for", "the", "a", "an", "by", "from", "with", "as", "than",
    "that", "this", "is", "was", "were", "are", "be", "been", "percent", "per", "who", "which", "it",
    "he", "she", "they", "we", "i", "you", "his", "her", "their", "its", "our", "times", "time", "after",
    "before", "into", "out", "up", "down", "more", "less", "most", "will", "would", "have", "has", "had",
    "votes", "vote", "points", "point", "while", "but", "so", "if", "when", "then", "also", "each",
    "does", "did", "do", "straight", "bit", "way", "another", "such", "too", "very", "last", "first",
    "ones", "thing", "can", "could", "should", "may", "might", "must", "just", "only", "even", "still",
    "not", "no", "now", "again", "ago", "apiece", "alone", "together", "all", "both", "said",
    "left", "went", "came", "fled", "got", "made", "took", "gave", "saw", "ran", "fell", "won", "lost",
    "remain", "remained", "say", "says", "feel", "felt", "knew", "know", "think", "thought",
}  # fmt: skip
# Adjective endings: "11.3 million undocumented immigrants" counts the immigrants.
_ADJ_END = ("ed", "al", "ous", "ive", "ic", "ian", "ese", "ish", "ful", "less", "ing", "ary")
_TIME_UNITS = {"year", "years", "day", "days", "week", "weeks", "month", "months", "hour", "hours",
               "minute", "minutes", "second", "seconds", "decade", "decades"}  # fmt: skip
_WEAK_WORDS = {"a", "an", "one"}
_DETERMINED = re.compile(r"\b(?:[Aa]ll|[Tt]he|[Tt]hose|[Tt]hese|[Tt]heir|[Oo]ther)\s+$")
_PARTITIVE = re.compile(r"\s+of\s+(?:(them|those|these|whom)\b|(?:the|his|her|their)\s+([a-z]+)\b)")


def find_numeric(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[NumericValue]:
    """Money, percentages and counts in ``text``, leaving out anything overlapping a ``skip`` span."""
    taken: list[tuple[int, int]] = list(skip)
    out: list[NumericValue] = []
    for value in [*_money(text), *_percent(text)]:
        if not _overlaps(value.start, value.end, taken):
            out.append(value)
            taken.append((value.start, value.end))
    for value in _numbers(text):
        if not _overlaps(value.start, value.end, taken):
            out.append(value)
            taken.append((value.start, value.end))
    return sorted(out, key=lambda v: v.start)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _fmt(value: float) -> str:
    """Plain digits, never an exponent: 1.64e13 from "$16.4 trillion" prints as 16400000000000."""
    whole = round(value)
    if abs(value - whole) <= 1e-9 * max(1.0, abs(value)):
        return str(whole)
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _scaled(num: str, scale: str | None) -> float | None:
    value = parse_number(num)
    if value is None:
        return None
    if scale:
        value *= SCALES[scale.lower()]
    return value


def _approx(text: str, start: int) -> bool:
    return bool(_APPROX.search(text[max(0, start - 25) : start]))


def _money(text: str) -> list[NumericValue]:
    out = []
    for rx in (_MONEY_SYMBOL, _MONEY_CODE, _MONEY_WORD):
        for m in rx.finditer(text):
            value = _scaled(m["num"], m["scale"])
            if value is None or m["num"].lower() in _WEAK_WORDS:
                continue
            cur = m["cur"]
            code = _SYMBOLS.get(cur) or _CURRENCY_WORDS.get(cur.lower()) or cur.upper()
            start, end = m.span()
            out.append(
                NumericValue(
                    "money",
                    start,
                    end,
                    text[start:end],
                    f"{code} {_fmt(value)}",
                    value,
                    code,
                    _approx(text, start),
                )
            )
    return out


def _percent(text: str) -> list[NumericValue]:
    out = []
    for m in _PERCENT.finditer(text):
        value = parse_number(m["num"])
        if value is None or m["num"].lower() in _WEAK_WORDS:
            continue
        points = m["unit"].lower().startswith("percentage")
        unit = "percentage points" if points else "%"
        norm = f"{_fmt(value)} pp" if points else f"{_fmt(value)}%"
        start, end = m.span()
        out.append(NumericValue("percent", start, end, text[start:end], norm, value, unit, _approx(text, start)))
    return out


def _numbers(text: str) -> list[NumericValue]:
    out = []
    for m in _NUMBER.finditer(text):
        num = m["num"]
        value = _scaled(num, m["scale"])
        if value is None:
            continue
        start, end = m.span()
        unit, unit_end = _unit_after(text, end)
        is_word = not num[0].isdigit() and num[0] != "."
        partitive = None
        if is_word and unit is None and num.lower() not in _WEAK_WORDS:
            partitive = _PARTITIVE.match(text, end)  # "four of them were hurt", "two of the victims"
            if partitive:
                unit = partitive.group(2)
                unit_end = partitive.end()
        if is_word and unit is None and _DETERMINED.search(text, 0, start):
            partitive = partitive or _DETERMINED.search(text, 0, start)  # "all five were taken"
        if is_word and not partitive and (unit is None or unit.endswith("ed")):
            continue  # "three" alone is usually not a fact, "two differed" never is
        if num.lower() in ("a", "an"):
            continue  # "a" counts only in "a dozen", "a hundred" (matched as one number)
        if unit_end:
            end = unit_end
        norm = f"{_fmt(value)} {unit}" if unit else _fmt(value)
        out.append(NumericValue("number", start, end, text[start:end], norm, value, unit, _approx(text, start)))
    return out


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """The word a number counts and where it ends: "120 people", "1,000 U.S. troops", "90-day"."""
    pos = end
    for _ in range(2):
        m = _NEXT.match(text, pos)
        if m is None:
            return None, 0
        word = m.group(1).rstrip(".'’")
        lower = word.lower()
        if lower in _TIME_UNITS:
            stop = m.start(1) + len(word)
            old = re.match(r"[- ]old\b", text[stop : stop + 5])
            if old:  # an age: "a 52-year-old man"
                return "years old", stop + old.end()
            return lower, stop
        if word[:1].isupper() or lower in _SKIP_ADJ:
            pos = m.end(1)
            continue
        if lower.endswith(_ADJ_END) and lower not in _NOT_UNIT:
            follow = _NEXT.match(text, m.end(1))
            nxt = follow.group(1).lower() if follow else ""
            if follow and nxt.isalpha() and nxt not in _NOT_UNIT and not follow.group(1)[:1].isupper():
                return nxt, follow.end(1)
        if lower in _NOT_UNIT or not word.isalpha():
            return None, 0
        return lower, m.start(1) + len(word)
    return None, 0
