"""Numbers written in digits or words: "1,000", "1.2 billion", "three", "twenty-five", "a dozen"."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "tn": 1e12,
}

_UNIT_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
# A number in words: "three", "twenty-five", "one hundred", "a dozen", "two thousand".
WORD_NUMBER = (
    r"(?:a\s+(?:dozen|hundred|thousand|million|billion)\b|dozen|"
    rf"(?:(?:{_TENS_WORD})(?:[- ](?:{_UNIT_WORD}))?|{_UNIT_WORD}|a|an)"
    rf"(?:\s+(?:hundred|thousand|million|billion|trillion))?)"
)
DIGIT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
NUMBER = rf"(?:{DIGIT_NUMBER}|(?i:{WORD_NUMBER}))"
_NUMBER_RE = re.compile(rf"^(?:{NUMBER})$")


def parse_number(text: str) -> float | None:
    """The value of a number in digits or English words, or None when ``text`` is not one."""
    text = text.strip()
    if not text:
        return None
    if text[0].isdigit() or text[0] == ".":
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return None
    words = re.split(r"[\s-]+", text.lower())
    total = 0.0
    current = 0.0
    seen = False
    for word in words:
        if word in ("a", "an") and not seen:
            current, seen = 1.0, True
        elif word == "dozen":
            current, seen = (current or 1.0) * 12, True
        elif word in _UNITS:
            current, seen = current + _UNITS[word], True
        elif word in _TENS:
            current, seen = current + _TENS[word], True
        elif word == "hundred":
            current, seen = (current or 1.0) * 100, True
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1.0) * SCALES[word]
            current, seen = 0.0, True
        elif word == "and":
            continue
        else:
            return None
    return total + current if seen else None


def is_number(text: str) -> bool:
    return bool(_NUMBER_RE.match(text.strip()))
