"""An article's event signature: when, where, who and what, for the story decision.

Two reports of the same kind of event (two title fights, two earthquakes) read alike; what tells them
apart is that they happened at different times, in different places, to different people, with different
figures. The signature is computed from the article's cleaned lead (title and first lines, boilerplate
removed, see :mod:`corroborator.text.boilerplate`):

* when: the first dated expression of the lead that pins a day or a week ("on Saturday", "April 5,
  2011", a dateline), resolved against the publication date; without one, the publication day. Years
  named in the lead are kept too, since a year clash ("the 2009 fight" against "2012") separates events
  when no day is given.
* where: capitalised words after a place preposition ("in Isla Vista", "at 6740 N. Clark St.").
* who: the lead entities, already part of the decision (``entities`` feature).
* what: the content words of the lead, and its key figures (counts, money, percentages: a death toll,
  a price), which are language-neutral and so also match a translation.

Sets are kept as 28-bit hashes packed with a 4-bit field number into one sorted ``uint32`` array per
article, which is what keeps the signature at a few hundred bytes an article in the index.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from corroborator.stories.terms import tokens
from corroborator.text.numeric import find_numeric
from corroborator.text.temporal import normalise_temporal

LEAD_CHARS = 600
FIELDS = ("years", "places", "figures", "lead")
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d.,])")
# "in/at/near X" in English, Spanish, Italian, Dutch, French and German: cheap, language-neutral enough.
_PLACE = re.compile(
    r"\b(?:in|at|near|outside|en|a|cerca de|presso|vicino a|bij|nabij|à|près de|im|bei)\s+"
    r"((?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|(?:de|del|di|van|der|la|le)\b(?=\s+[A-Z])))*)"
)
_PLACE_STOP = frozenset({"the", "a", "an", "this", "that", "his", "her", "their", "its"})
MAX_LEAD_WORDS = 40


@dataclass(frozen=True, slots=True)
class Signature:
    when: int | None  # ordinal of the event day
    packed: np.ndarray  # sorted uint32: field << 28 | 28-bit hash
    counts: tuple[int, int, int, int]  # items per field (years, places, figures, lead words)


def fold(text: str) -> str:
    """Lower case without accents, so "Málaga" and "Malaga", "Müller" and "Muller" meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _hash(field: int, item: str) -> int:
    return (field << 28) | (zlib.crc32(item.encode("utf-8")) & 0x0FFFFFFF)


def event_day(lead: str, published: date | datetime | None) -> int | None:
    """The event's day: the first expression pinning a day or week, else the publication day."""
    for value in normalise_temporal(lead, published):
        if value.kind != "date" or value.earliest is None or value.latest is None:
            continue
        span = (value.latest - value.earliest).days
        if 0 <= span <= 7:
            return (value.earliest.toordinal() + value.latest.toordinal()) // 2
    if published is None:
        return None
    return (published.date() if isinstance(published, datetime) else published).toordinal()


def places(lead: str) -> set[str]:
    out: set[str] = set()
    for m in _PLACE.finditer(lead):
        words = [w.strip(".'’") for w in m.group(1).split()]
        words = [w for w in words if w and fold(w) not in _PLACE_STOP]
        if words:
            out.add(fold(" ".join(words)))
            out.add(fold(words[-1]))  # "Santa Barbara" and "Barbara"; "N. Clark St." and "St"
    return out


def figures(lead: str) -> set[str]:
    """Counts, money and percentages of the lead, years left out (they are the ``years`` field)."""
    out: set[str] = set()
    for v in find_numeric(lead):
        if v.kind == "number" and v.unit is None and 1950 <= v.number <= 2049 and float(v.number).is_integer():
            continue
        out.add(f"{v.kind}:{v.number:g}")
    return out


def signature(lead: str, published: date | datetime | None, lang: str | None = None) -> Signature:
    lead = lead[:LEAD_CHARS]
    parts: list[set[str]] = [
        set(_YEAR.findall(lead)),
        places(lead),
        figures(lead),
        {fold(t) for t in tokens(lead, lang)[:MAX_LEAD_WORDS]},
    ]
    hashes: set[int] = set()
    counts = []
    for field, items in enumerate(parts):
        hs = {_hash(field, x) for x in items}
        counts.append(len(hs))
        hashes |= hs
    packed = np.asarray(sorted(hashes), dtype=np.uint32)
    return Signature(event_day(lead, published), packed, (counts[0], counts[1], counts[2], counts[3]))


def overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Shared items per field of two packed signatures (an array of len(FIELDS))."""
    if a.size == 0 or b.size == 0:
        return np.zeros(len(FIELDS), dtype=np.int64)
    common = np.intersect1d(a, b, assume_unique=True)
    return np.bincount((common >> 28).astype(np.int64), minlength=len(FIELDS))[: len(FIELDS)]


def outlet_name(outlet: str | None) -> str:
    """One name per outlet: "www.dnainfo.com:80" and "dnainfo.com" are the same pages."""
    name = (outlet or "").strip().lower()
    if "://" in name:
        name = name.split("://", 1)[1]
    name = name.split("/", 1)[0].split(":", 1)[0]
    return name.removeprefix("www.")


class OutletLines:
    """Per outlet, on how many pages each line (by :func:`~corroborator.text.boilerplate.line_key`) was seen.

    A line found on ``MIN_PAGES`` earlier pages of one outlet is boilerplate for that outlet. Memory is
    bounded: past ``CAP`` keys an outlet forgets the lines it saw only once (reporting, not furniture).
    """

    MIN_PAGES = 3
    CAP = 3000

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = {}

    def frequent(self, outlet: str | None) -> _Frequent:
        return _Frequent(self.counts.get(outlet_name(outlet), {}), self.MIN_PAGES)

    def add(self, outlet: str, keys: set[str]) -> None:
        table = self.counts.setdefault(outlet_name(outlet), {})
        for k in keys:
            table[k] = table.get(k, 0) + 1
        if len(table) > self.CAP:
            for k in [k for k, c in table.items() if c == 1]:
                del table[k]

    def to_json(self) -> dict[str, dict[str, int]]:
        # Only lines seen more than once are worth keeping across sessions.
        return {o: {k: c for k, c in t.items() if c > 1} for o, t in self.counts.items()}

    @classmethod
    def from_json(cls, data: dict[str, dict[str, int]]) -> OutletLines:
        out = cls()
        out.counts = {o: dict(t) for o, t in data.items()}
        return out


class _Frequent:
    """``key in frequent``: the line was seen on at least ``min_pages`` pages of the outlet."""

    __slots__ = ("_min", "_table")

    def __init__(self, table: dict[str, int], min_pages: int) -> None:
        self._table = table
        self._min = min_pages

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._table.get(key, 0) >= self._min
