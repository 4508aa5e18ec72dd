"""A matched expression (one alternative of ``_MASTER``) built into a :class:`TemporalValue`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from corroborator.text.numbers import parse_number
from corroborator.text.temporal.arithmetic import _iso_duration, _precision, _shift, _unit
from corroborator.text.temporal.patterns import (
    _APPROX_BEFORE,
    _DEADLINE_NOUNS,
    _MONTH_CONTEXT,
    _MONTH_FULL,
    _WORD,
    _YEAR,
    _YEAR_AFTER,
    _YEAR_BEFORE,
)
from corroborator.text.temporal.resolve import _parse_point
from corroborator.text.temporal.values import TemporalKind, TemporalValue, Tense

Make = Callable[..., TemporalValue]  # (kind, norm, earliest, latest, **fields): a value spanning the match
Builder = Callable[[re.Match[str], str, date | None, Tense, Make], TemporalValue | None]


def _value(m: re.Match[str], text: str, pub: date | None, tense: Tense) -> TemporalValue | None:
    kind = m.lastgroup
    start, end = m.span()

    def make(k: TemporalKind, norm: str, lo: date | None, hi: date | None, **kw: object) -> TemporalValue:
        return TemporalValue(k, start, end, text[start:end], norm, lo, hi, **kw)  # type: ignore[arg-type]

    if kind in ("since", "between", "fromto", "bound") and re.search(rf"(?<!\S){_YEAR}$", m.group()):
        after = _next_words(text, end)
        if after and text[end : end + 1] == " " and after[0][:1].islower() and after[0] not in _YEAR_AFTER:
            return None  # "after 2000 people": a count, not a year
    build = _BUILDERS.get(kind or "")
    return None if build is None else build(m, text, pub, tense, make)


def _since(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    p = _parse_point(m.group("since_p"), pub, tense)
    if p is None:
        return None
    return make("period", f"since {p.norm}", p.earliest, pub, label="since")


def _between(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    kind = m.lastgroup or ""
    a, b = (m.group("b1"), m.group("b2")) if kind == "between" else (m.group("f1"), m.group("f2"))
    pa, pb = _parse_point(a, pub, tense), _parse_point(b, pub, tense)
    if pa is None or pb is None:
        return None
    return make("period", f"{pa.norm}/{pb.norm}", pa.earliest, pb.latest, label=kind.replace("to", ""))


def _range(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    y1 = int(m.group("r1"))
    r2 = m.group("r2")
    y2 = int(r2) if len(r2) == 4 else (y1 // 100) * 100 + int(r2)
    if y2 <= y1 or y2 - y1 > 100:
        return None  # "2021-01" or a score, not a span of years
    return make("period", f"{y1}/{y2}", date(y1, 1, 1), date(y2, 12, 31), label="between")


def _bound(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    word = m.group("bw").lower()
    p = _parse_point(m.group("bp"), pub, tense)
    if p is None:
        return None
    label = {"till": "until", "through": "until"}.get(word, word)
    if word == "before":
        hi = p.earliest - timedelta(days=1) if p.earliest else None
        return make("period", f"before {p.norm}", None, hi, label=label)
    if word == "after":
        lo = p.latest + timedelta(days=1) if p.latest else None
        return make("period", f"after {p.norm}", lo, None, label=label)
    return make("period", f"{label} {p.norm}", None, p.latest, label=label)


def _in_decade(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    p = _parse_point(m.group("dp"), pub, tense)
    if p is None:
        return None
    return make("period", p.norm, p.earliest, p.latest, label="in")


def _past(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    n = parse_number(m.group("pn")) if m.group("pn") else 1.0
    unit = _unit(m.group("pu"))
    if n is None:
        return None
    iso = _iso_duration(n, unit)
    lo = _shift(pub, -n, unit) if pub else None
    return make("period", f"past {iso}", lo, pub, label="past", number=n, unit=unit + "s")


def _next(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    n = parse_number(m.group("nn")) if m.group("nn") else 1.0
    if n is None:
        return None
    return _duration(make, n, _unit(m.group("nu")), "within", pub)


def _ago(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    n = parse_number(m.group("an"))
    if n is None:
        return None
    unit = _unit(m.group("au"))
    iso = _iso_duration(n, unit)
    if pub is None:
        return make("date", f"-{iso}", None, None, label="ago")
    d = _shift(pub, -n, unit)
    if d is None:
        return make("date", f"-{iso}", None, None, label="ago")
    lo, hi, norm = _precision(d, unit)
    return make("date", norm, lo, hi, label="ago")


def _pre(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    n = parse_number(m.group("pn2"))
    if n is None:
        return None
    word = re.sub(r"\s+", " ", m.group("pw").lower())
    label = {"up to": "within", "under": "within", "less than": "within", "over": "for"}.get(word)
    if label is None and word in ("within", "in", "for", "after"):
        label = word
    approx = label is None
    return _duration(make, n, _unit(m.group("pu2")), label, pub, approximate=approx)


def _adjective(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    n = parse_number(m.group("jn"))
    if n is None:
        return None
    following = _next_words(text, m.end())
    deadline = following[:1] and (following[0] in _DEADLINE_NOUNS or " ".join(following[:2]) in _DEADLINE_NOUNS)
    return _duration(make, n, _unit(m.group("ju")), "within" if deadline else "for", pub)


def _plain(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    n = parse_number(m.group("qn"))
    if n is None:
        return None
    return _duration(make, n, _unit(m.group("qu")), None, pub)


def _point(m: re.Match[str], text: str, pub: date | None, tense: Tense, make: Make) -> TemporalValue | None:
    p = _parse_point(m.group("point"), pub, tense)
    if p is None or not _plausible_point(m.group("point"), text, m.start(), m.end()):
        return None
    return make(p.kind, p.norm, p.earliest, p.latest, label=p.label)


# One builder per named alternative of patterns._MASTER.
_BUILDERS: dict[str, Builder] = {
    "since": _since,
    "between": _between,
    "fromto": _between,
    "range": _range,
    "bound": _bound,
    "indecade": _in_decade,
    "past": _past,
    "next": _next,
    "ago": _ago,
    "pre": _pre,
    "adj": _adjective,
    "plain": _plain,
    "point": _point,
}


def _duration(
    make: Callable[..., TemporalValue],
    n: float,
    unit: str,
    label: str | None,
    pub: date | None,
    approximate: bool = False,
) -> TemporalValue:
    iso = _iso_duration(n, unit)
    lo = hi = None
    if pub is not None and label in ("within", "in"):
        hi = _shift(pub, n, unit)
        lo = pub if hi is not None else None
    return make("duration", iso, lo, hi, label=label, number=n, unit=unit + "s", approximate=approximate)


def _next_words(text: str, end: int) -> list[str]:
    return [w.lower().strip(".’'") for w in _WORD.findall(text[end : end + 40])][:2]


def _prev_word(text: str, start: int) -> str:
    words = _WORD.findall(text[max(0, start - 30) : start])
    return words[-1].lower().rstrip(".") if words else ""


def _plausible_point(point: str, text: str, start: int, end: int) -> bool:
    """Reject bare years that are counts ("some 2000 people") and bare months that are words ("May")."""
    if re.fullmatch(_YEAR, point):
        before = _prev_word(text, start)
        if before in _APPROX_BEFORE:
            return False
        after = _next_words(text, end)
        if after and text[end : end + 1] == " " and after[0][:1].islower():
            return after[0] in _YEAR_AFTER or before in _YEAR_BEFORE
        return True
    if re.fullmatch(_MONTH_FULL, point):
        return _prev_word(text, start) in _MONTH_CONTEXT
    return True
