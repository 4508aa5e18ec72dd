"""Which outlet a quote is credited to: "told the BBC", "said in an interview with CNN", "according to the AP".

A credit is a cue phrase followed by a capitalised name, read in the quote's own sentences outside the
quoted words. Only names that are news outlets count: the outlets in ``data/quote_outlets.json`` (with
their shows: "Meet the Press" is NBC) and the outlets of the store's own articles. "Told reporters" and
"according to the Pentagon" name no outlet, so they credit nothing.

Outlet names differ in small ways between a credit and a store ("CNN (Web News)", "Fox Online News",
"the Associated Press"), so both are compared by :func:`outlet_key`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from importlib import resources

_CUE = re.compile(
    r"\b(?:told|tells|telling|interview(?:s|ed)?\s+(?:with|on|by)|according\s+to|(?:said|says|speaking|spoke|"
    r"appear(?:ed|ing|s)?|wrote|writing)\s+(?:on|to|in)|statement\s+to|quoted\s+(?:by|in)|reported\s+by|"
    r"interview\s+(?:aired|published|broadcast)\s+(?:on|by))\s+",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?:the\s+|The\s+)?((?:[A-Z0-9][\w&.’'-]*)(?:\s+(?:[A-Z0-9][\w&.’'-]*|of|&|and|the|with)){0,6})")
_REPORTED = re.compile(r"((?:The\s+)?[A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*){0,4})\s+(?:first\s+)?(?:reported|reports)\b")
_POSSESSIVE = re.compile(r"['’]s?\b")
_NOISE = re.compile(r"\(.*?\)|[\"“”‘’'.,:;!?]")
_TRAILING = ("news", "online", "web", "-", "–", "—", "com", "channel")


def outlet_key(name: str) -> str:
    """The comparable form of an outlet's name: "CNN (Web News)" -> "cnn", "The Associated Press" ->
    "associated press", "Fox Online News" -> "fox"."""
    bare = _bare_key(name)
    return _aliases().get(bare, bare)


@functools.cache
def _aliases() -> dict[str, str]:
    raw = json.loads(resources.files("corroborator").joinpath("data", "quote_outlets.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for canonical, names in raw["outlets"].items():
        key = _bare_key(canonical)
        out[key] = key
        for name in names:
            out[_bare_key(name)] = key
    return out


def _bare_key(name: str) -> str:
    parts = _NOISE.sub(" ", name.lower().replace("’", "'").replace("'s ", " ")).split()
    if parts and parts[0] == "the":
        parts = parts[1:]
    while len(parts) > 1 and parts[-1] in _TRAILING:
        parts.pop()
    return " ".join(parts)


def known_outlets(store_sources: Iterable[str] = ()) -> frozenset[str]:
    """Outlet keys a credit may name: the listed outlets and the store's own."""
    return frozenset(_aliases().values()) | {outlet_key(s) for s in store_sources if s}


def credit_phrases(text: str, quotes: Iterable[tuple[int, int]] = ()) -> list[str]:
    """Names after a credit cue in ``text`` (a quote's sentences), outside the ``quotes`` spans; each
    still to be checked against the known outlets by :func:`credited_outlet`."""
    inside = list(quotes)
    out: list[str] = []
    for m in _CUE.finditer(text):
        if any(s <= m.start() < e for s, e in inside):
            continue
        name = _NAME.match(text, m.end())
        if name:
            out.append(name.group(1))
    for m in _REPORTED.finditer(text):
        if not any(s <= m.start() < e for s, e in inside):
            out.append(m.group(1))
    return out


def credited_outlet(phrase: str, outlets: frozenset[str]) -> str | None:
    """The outlet key a credit phrase names ("CNN's Jake Tapper" -> "cnn"), or None when it names no outlet.
    The longest leading run of words that is an outlet wins ("Fox News Sunday" before "Fox")."""
    words = _POSSESSIVE.split(phrase, maxsplit=1)[0].split()
    for n in range(len(words), 0, -1):
        key = outlet_key(" ".join(words[:n]))
        if key in outlets:
            return key
    return None
