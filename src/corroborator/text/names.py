"""Cleaning entity names so two articles' mentions of one entity compare equal."""

from __future__ import annotations

import re

# Honorifics and ranks that precede a name; removed so "Mr. Hegseth" and "Hegseth" match.
_TITLE = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Rev|Sir|Dame|Lord|Lady|"
    r"President|Senator|Representative|Governor|General|Secretary|Judge|Justice|Pope|Prime Minister)"
    r"\.?\s+)+",
)
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_EDGE = re.compile(r"^[\s\"'“”‘’(\[,.;:-]+|[\s\"'“”‘’)\],;:-]+$")
_SPACE = re.compile(r"\s+")


def clean_name(name: str) -> str:
    """``name`` without a leading "the", honorific titles, possessive "'s" and stray punctuation."""
    name = _SPACE.sub(" ", name)
    name = _EDGE.sub("", name)
    name = _POSSESSIVE.sub("", name)
    name = _THE.sub("", name)
    name = _TITLE.sub("", name)
    return _EDGE.sub("", name).strip()


# Spellings of the same place that news uses interchangeably.
_ALIASES = {
    "u.s.": "united states",
    "us": "united states",
    "u.s.a.": "united states",
    "usa": "united states",
    "america": "united states",
    "u.k.": "united kingdom",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "u.n.": "united nations",
    "un": "united nations",
    "e.u.": "european union",
    "eu": "european union",
}


def name_key(name: str) -> str:
    """The lower-cased clean name with common aliases unified ("U.S." -> "united states")."""
    key = clean_name(name).lower()
    return _ALIASES.get(key, key)
