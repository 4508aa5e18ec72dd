"""Dates in other languages than English: "1 de marzo de 2008", "1er mars 2008", "1. März 2008", "marzo 2009".

For languages without the English rules of :mod:`.temporal`. The month names (and their abbreviations)
of each language come from dateparser's locale data (multilingual, offline, in the installed package),
so a language dateparser knows needs nothing more; the patterns are plain: day month year, day month,
month year, numeric day/month/year, and a bare year. (dateparser's own ``search_dates`` was tried first:
on five test sentences it missed "1er mars 2008" and "1. März 2008", took trailing words into the
span, and was ~2 s a sentence on this machine.)

Values are :class:`~.temporal.TemporalValue` with the norms :mod:`.temporal` gives ("2008-03-01",
"2008-03", "2008"), so dates compare across languages.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime

from corroborator.text.temporal import TemporalValue

_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")  # fmt: skip
_CONNECT = r"(?:\s+|\s+(?:de|del|di|du|van)\s+|\.\s*)"


@functools.cache
def month_names(lang: str) -> dict[str, int]:
    """Lower-case month names and abbreviations of ``lang`` -> month number (empty if unknown)."""
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(lang).info
    except Exception:  # dateparser does not know the language: only numeric dates are read
        return {}
    out: dict[str, int] = {}
    for number, key in enumerate(_MONTH_KEYS, start=1):
        for name in info.get(key, []):
            name = str(name).lower().rstrip(".")
            if len(name) >= 3 and not name.isdigit():
                out.setdefault(name, number)
    return out


@functools.cache
def _pattern(lang: str) -> re.Pattern[str]:
    names = sorted(month_names(lang), key=len, reverse=True)
    month = r"(?P<month>" + "|".join(re.escape(n) for n in names) + r")" if names else r"(?P<month>(?!x)x)"
    day = r"(?P<day>[0-3]?\d)(?:er|º|°|\.)?"
    year = r"(?P<year>1[89]\d\d|20\d\d)"
    return re.compile(
        rf"(?<![\w.,/-])(?:"
        rf"{day}{_CONNECT}{month}(?:,?{_CONNECT}{year})?"  # 1 de marzo (de 2008)
        rf"|{month.replace('month', 'month2')}(?:{_CONNECT}|,\s*){year.replace('year', 'year2')}"  # marzo de 2008
        rf"|(?P<nd>[0-3]?\d)[./-](?P<nm>[01]?\d)[./-](?P<ny>1[89]\d\d|20\d\d)"  # 01/03/2008
        rf"|{year.replace('year', 'year3')}"  # 2008
        rf")(?![\w/-]|[.,]\d)",
        re.IGNORECASE,
    )


def _span(year: int, month: int | None, day: int | None) -> tuple[str, date, date] | None:
    try:
        if month is None:
            return f"{year}", date(year, 1, 1), date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return f"{year}-{month:02d}", date(year, month, 1), date(year, month, last)
        d = date(year, month, day)
    except ValueError:
        return None
    return d.isoformat(), d, d


def find_dates(text: str, lang: str, published: datetime | date | None = None) -> list[TemporalValue]:
    """Calendar dates in ``text`` (language ``lang``) with offsets into ``text``; a day and month without
    a year take the publication year (or are left out when the publication date is unknown)."""
    pub = published.date() if isinstance(published, datetime) else published
    months = month_names(lang)
    out: list[TemporalValue] = []
    for m in _pattern(lang).finditer(text):
        g = m.groupdict()
        if g["month"]:
            month = months.get(g["month"].lower().rstrip("."))
            if month is None:
                continue
            if g["year"] is None and pub is None:
                continue
            span = _span(int(g["year"]) if g["year"] else pub.year if pub else 0, month, int(g["day"]))
        elif g["year2"]:
            month = months.get(g["month2"].lower().rstrip("."))
            span = _span(int(g["year2"]), month, None) if month else None
        elif g["ny"]:
            span = _span(int(g["ny"]), int(g["nm"]), int(g["nd"]))
        else:
            span = _span(int(g["year3"]), None, None)
        if span is None:
            continue
        norm, lo, hi = span
        out.append(TemporalValue("date", m.start(), m.end(), m.group(), norm, lo, hi))
    return out
