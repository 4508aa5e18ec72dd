"""Calendar arithmetic: ISO durations, shifting a date by N units, the precision "N units ago" can name."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from corroborator.text.temporal.patterns import _TIME_UNITS, _UNIT_ISO
from corroborator.text.temporal.values import _day_point, _month_point, _year_point


def _unit(word: str) -> str:
    w = word.lower()
    if w == "centuries":
        return "century"
    return w[:-1] if w.endswith("s") else w


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _iso_duration(n: float, unit: str) -> str:
    designator, mult = _UNIT_ISO[unit]
    value = _fmt(n * mult)
    return f"PT{value}{designator}" if unit in _TIME_UNITS else f"P{value}{designator}"


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _shift(d: date, n: float, unit: str) -> date | None:
    """``d`` moved by ``n`` units (negative goes back), or None off the calendar ("a million years")."""
    days_per = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14}
    try:
        if unit in days_per:
            return d + timedelta(days=round(n * days_per[unit]))
        months = n * {"month": 1, "year": 12, "decade": 120, "century": 1200}[unit]
        if float(months).is_integer():
            return _add_months(d, int(months))
        return d + timedelta(days=round(months * 30.4375))
    except (ValueError, OverflowError):
        return None


def _precision(d: date, unit: str) -> tuple[date, date, str]:
    """The calendar unit around ``d`` that "N <unit>s ago" can honestly name."""
    if unit in ("month",):
        p = _month_point(d.year, d.month)
    elif unit in ("year", "decade", "century"):
        p = _year_point(d.year)
    else:
        p = _day_point(d)
    assert p.earliest is not None and p.latest is not None
    return p.earliest, p.latest, p.norm
