"""A single date expression ("Jan. 5", "last Tuesday", "the 1990s") resolved against the publication date."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from corroborator.text.temporal.arithmetic import _add_months
from corroborator.text.temporal.patterns import _MONTHS, _POINT_RE, _SEASONS, _WEEKDAYS
from corroborator.text.temporal.values import Tense, _day_point, _month_point, _Point, _year_point


def _parse_point(s: str, pub: date | None, tense: Tense) -> _Point | None:
    s = s.strip()
    for name, rx in _POINT_RE:
        m = rx.fullmatch(s)
        if m is not None:
            try:
                return _RESOLVERS[name](m, pub, tense)
            except ValueError:  # "February 30", "13/45/2020"
                return None
    return None


def _month(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _day(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def _year2(word: str) -> int:
    y = int(word)
    if len(word) == 2:
        y += 2000 if y < 50 else 1900
    return y


def _r_iso(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _day_point(date(int(m[1]), int(m[2]), int(m[3])))


def _r_numeric(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _day_point(date(_year2(m[3]), int(m[1]), int(m[2])))  # US order: month/day/year


def _r_wmdy(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    if m[3]:
        return _day_point(date(int(m[3]), _month(m[1]), _day(m[2])))
    return _month_day(_month(m[1]), _day(m[2]), pub)


def _r_mdy(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _day_point(date(int(m[3]), _month(m[1]), _day(m[2])))


def _r_dmy(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _day_point(date(int(m[3]), _month(m[2]), _day(m[1])))


def _r_my(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _month_point(int(m[2]), _month(m[1]))


def _month_day(month: int, day: int, pub: date | None) -> _Point:
    if pub is None:
        date(2000, month, day)  # validates (2000 is a leap year)
        return _Point(None, None, f"--{month:02d}-{day:02d}")
    candidates = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            candidates.append(date(y, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(f"no {month}/{day}")
    return _day_point(min(candidates, key=lambda d: abs((d - pub).days)))


def _r_md(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _month_day(_month(m[1]), _day(m[2]), pub)


def _r_dm(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _month_day(_month(m[2]), _day(m[1]), pub)


def _season(name: str, y: int) -> _Point:
    first, last = _SEASONS[name.lower()]
    if first > last:  # winter Y runs December Y to February Y+1
        lo, hi = date(y, first, 1), date(y + 1, last, calendar.monthrange(y + 1, last)[1])
    else:
        lo, hi = date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1])
    return _Point(lo, hi, f"{lo.isoformat()}/{hi.isoformat()}")


def _r_season_year(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _season(m[1], int(m[2]))


_THIRDS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_DECADE_THIRDS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}


def _r_part_year(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    y = int(m[2])
    a, b = _THIRDS[m[1].lower()]
    lo, hi = date(y, a, 1), date(y, b, calendar.monthrange(y, b)[1])
    return _Point(lo, hi, f"{lo.isoformat()}/{hi.isoformat()}")


def _r_decade(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    word = m[2]
    if word[0] in "'’":
        d = int(word[1])
        start = (2000 if d <= 2 else 1900) + d * 10
    else:
        start = int(word[:4])
    if m[1]:
        a, b = _DECADE_THIRDS[m[1].lower()]
        return _Point(date(start + a, 1, 1), date(start + b, 12, 31), f"{m[1].lower()} {start}s", "period", "decade")
    return _Point(date(start, 1, 1), date(start + 9, 12, 31), f"{start}s", "period", "decade")


def _r_century(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    c = int(m[1])
    if not 1 <= c <= 22:
        raise ValueError(c)
    start = (c - 1) * 100
    return _Point(date(max(start, 1), 1, 1), date(start + 99, 12, 31), f"{c}th century", "period", "century")


def _r_relday(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    word = re.sub(r"\s+", " ", m[0].lower())
    if pub is None:
        return _Point(None, None, word)
    shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    return _day_point(pub + timedelta(days=shift))


def _week_of(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _unit_range(unit: str, pub: date, offset: int) -> _Point:
    if unit == "week":
        lo, hi = _week_of(pub + timedelta(days=7 * offset))
        y, w, _ = lo.isocalendar()
        return _Point(lo, hi, f"{y}-W{w:02d}")
    if unit == "weekend":
        monday, _ = _week_of(pub + timedelta(days=7 * offset))
        sat = monday + timedelta(days=5)
        return _Point(sat, sat + timedelta(days=1), f"{sat.isoformat()}/{(sat + timedelta(days=1)).isoformat()}")
    if unit == "month":
        first = _add_months(date(pub.year, pub.month, 1), offset)
        return _month_point(first.year, first.month)
    if unit == "quarter":
        q0 = (pub.month - 1) // 3 + offset
        y, q = pub.year + q0 // 4, q0 % 4
        lo = date(y, 3 * q + 1, 1)
        hi_month = 3 * q + 3
        return _Point(lo, date(y, hi_month, calendar.monthrange(y, hi_month)[1]), f"{y}-Q{q + 1}")
    if unit == "year":
        return _year_point(pub.year + offset)
    if unit == "decade":
        start = (pub.year // 10 + offset) * 10
        return _Point(date(start, 1, 1), date(start + 9, 12, 31), f"{start}s", "period", "decade")
    # a season: the one around publication, or the one before/after it
    this = _season(unit, pub.year if unit != "winter" or pub.month >= 3 else pub.year - 1)
    assert this.earliest is not None and this.latest is not None
    if offset < 0:
        y = this.earliest.year if this.latest < pub else this.earliest.year - 1
        return _season(unit, y)
    if offset > 0:
        y = this.earliest.year if this.earliest > pub else this.earliest.year + 1
        return _season(unit, y)
    return this


def _r_edge(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    which, rel, unit = m[1].lower(), m[2].lower(), m[3].lower()
    if pub is None:
        return _Point(None, None, f"{which} {rel} {unit}")
    whole = _unit_range(unit, pub, {"this": 0, "last": -1, "next": 1}[rel])
    assert whole.earliest is not None and whole.latest is not None
    if rel == "this":
        lo, hi = (whole.earliest, pub) if which == "earlier" else (pub, whole.latest)
    else:
        mid = whole.earliest + (whole.latest - whole.earliest) / 2
        lo, hi = (whole.earliest, mid) if which == "earlier" else (mid, whole.latest)
    return _Point(lo, hi, f"{lo.isoformat()}/{hi.isoformat()}")


def _r_relunit(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    rel, unit = m[1].lower(), m[2].lower()
    if pub is None:
        if unit == "decade":
            return _Point(None, None, f"{rel} {unit}", "period", "decade")
        return _Point(None, None, f"{rel} {unit}")
    offset = {"this": 0, "last": -1, "next": 1, "coming": 1}[rel]
    return _unit_range(unit, pub, offset)


def _r_weekday(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    rel = (m[1] or "").lower()
    w = _WEEKDAYS.index(m[2].lower())
    if pub is None:
        return _Point(None, None, f"{rel} {m[2].lower()}".strip() if rel in ("last", "next", "this") else m[2].lower())
    back = (pub.weekday() - w) % 7
    ahead = (w - pub.weekday()) % 7
    if rel == "last":
        d = pub - timedelta(days=back or 7)
    elif rel == "next":
        d = pub + timedelta(days=ahead or 7)
    elif rel != "this" and tense == "past":
        d = pub - timedelta(days=back)
    elif rel != "this" and tense == "future":
        d = pub + timedelta(days=ahead)
    else:
        d = _week_of(pub)[0] + timedelta(days=w)
    return _day_point(d)


def _pick_month(month: int, pub: date, rel: str, tense: Tense) -> _Point:
    if rel == "last":
        y = pub.year if month < pub.month else pub.year - 1
    elif rel == "next":
        y = pub.year if month > pub.month else pub.year + 1
    elif rel == "this":
        y = pub.year
    elif tense == "past":
        y = pub.year if month <= pub.month else pub.year - 1
    elif tense == "future":
        y = pub.year if month >= pub.month else pub.year + 1
    else:
        here = pub.year * 12 + pub.month
        y = min((pub.year - 1, pub.year, pub.year + 1), key=lambda yy: abs(yy * 12 + month - here))
    return _month_point(y, month)


def _r_relmonth(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    month = _month(m[2])
    if pub is None:
        return _Point(None, None, f"--{month:02d}")
    return _pick_month(month, pub, m[1].lower(), tense)


def _r_month(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    month = _month(m[1])
    if pub is None:
        return _Point(None, None, f"--{month:02d}")
    return _pick_month(month, pub, "", tense)


def _r_year(m: re.Match[str], pub: date | None, tense: Tense) -> _Point:
    return _year_point(int(m[1]))


_RESOLVERS: dict[str, Callable[[re.Match[str], date | None, Tense], _Point]] = {
    "iso": _r_iso,
    "numeric": _r_numeric,
    "wmdy": _r_wmdy,
    "mdy": _r_mdy,
    "dmy": _r_dmy,
    "my": _r_my,
    "md": _r_md,
    "dm": _r_dm,
    "season_year": _r_season_year,
    "part_year": _r_part_year,
    "decade": _r_decade,
    "century": _r_century,
    "relday": _r_relday,
    "edge": _r_edge,
    "relunit": _r_relunit,
    "weekday": _r_weekday,
    "relmonth": _r_relmonth,
    "month": _r_month,
    "year": _r_year,
}
