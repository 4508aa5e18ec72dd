"""Gold by rule for bench/versions.py: what changed between two real versions of an article, read off the
raw texts without the product's analysis.

An *item* is a number (digits), a quoted string (between double quotes) or a capitalised name (a run of
capitalised words, less a sentence's first word when it is a common one) that occurs in one version and
not in the other. Numbers are compared as tokens (commas dropped); quotes and names by their words
without case, white space or punctuation, so a scraper gluing two words together ("country'sdeadliest")
or a changed comma makes no item. Every occurrence of an item in its version is a changed span.

Planted refactors: one version edited by rule in ways that change no fact (white space around
punctuation, curly and straight quotes, two paragraphs swapped, a paragraph split at a sentence end or
two joined), for the "refactors not reported as changes" measure.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_NUMBER = re.compile(r"(?<!\d)\d+(?:[.,:]\d+)*(?!\d)")
_QUOTE = re.compile(r"“([^”\n]{2,}?)”|\"([^\"\n]{2,}?)\"")
_NAME = re.compile(r"(?<![\w’'])[A-Z][\w’'-]*(?:[ ](?:[A-Z][\w’'-]*))*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\W*\s+|[“\"(]\s*)$")
# A sentence's first word that is no name when capitalised there.
_COMMON_FIRST = frozenset(
    re.findall(
        r"\w+",
        "a an the in on at but and or if it its he she they we i you this that these those there then when while "
        "after before as for from to of with by his her their our my so yet still also some many most more one "
        "two no not what who why how where according despite during since until over under",
    )
)
_NOT_ALNUM = re.compile(r"[\W_]+")


def key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


@dataclass(frozen=True)
class Item:
    kind: str  # number | quote | name
    value: str
    side: str  # "before" (only there: removed) | "after" (only there: added)
    spans: tuple[tuple[int, int], ...]


def numbers(text: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _NUMBER.finditer(text):
        out.setdefault(m.group().replace(",", "").rstrip(".:"), []).append(m.span())
    return out


def quotes(text: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _QUOTE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        k = key(m.group(group))
        if k:
            out.setdefault(k, []).append(m.span(group))
    return out


def names(text: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _NAME.finditer(text):
        start, value = m.start(), m.group()
        if _SENTENCE_START.search(text[max(0, start - 4) : start]) or start == 0:
            first, _, rest = value.partition(" ")
            if first.casefold() in _COMMON_FIRST or not rest:
                if not rest:
                    continue
                start, value = start + len(first) + 1, rest
        if value in ("I",) or not key(value):
            continue
        out.setdefault(key(value), []).append((start, start + len(value)))
    return out


def changed_items(before: str, after: str) -> list[Item]:
    """Numbers, quotes and names in one version and not the other, with their spans."""
    items: list[Item] = []
    nb, na = numbers(before), numbers(after)
    items += [Item("number", v, "before", tuple(s)) for v, s in nb.items() if v not in na]
    items += [Item("number", v, "after", tuple(s)) for v, s in na.items() if v not in nb]
    kb, ka = key(before), key(after)
    for kind, find in (("quote", quotes), ("name", names)):
        fb, fa = find(before), find(after)
        items += [Item(kind, v, "before", tuple(s)) for v, s in fb.items() if v not in ka]
        items += [Item(kind, v, "after", tuple(s)) for v, s in fa.items() if v not in kb]
    return items


# -- planted refactors -----------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n")]


def refactor(text: str, rng: random.Random) -> tuple[str, str]:
    """``text`` with formatting edits that change no fact, and which ones were made."""
    made = []
    paras = _paragraphs(text)
    long = [i for i, p in enumerate(paras) if len(p) > 80]
    if len(long) >= 2:
        i, j = sorted(rng.sample(long, 2))
        paras[i], paras[j] = paras[j], paras[i]
        made.append("swap")
    splittable = [i for i, p in enumerate(paras) if re.search(r"[a-z]\. [A-Z]", p)]
    if splittable:
        i = rng.choice(splittable)
        m = re.search(r"[a-z]\. (?=[A-Z])", paras[i])
        assert m is not None
        paras[i] = paras[i][: m.end() - 1] + "\n\n" + paras[i][m.end() :]
        made.append("split")
    text = "\n\n".join(paras)
    text = re.sub(r", (?=[a-z])", lambda m: "," if rng.random() < 0.3 else m.group(), text)
    made.append("commas")
    text = text.replace("“", '"').replace("”", '"') if rng.random() < 0.5 else text.replace("’", "'")
    made.append("quotes")
    text = re.sub(r"(?<=\w) (?=\w)", lambda m: "  " if rng.random() < 0.05 else m.group(), text)
    made.append("spaces")
    return text, "+".join(made)
