"""The values a time expression resolves to: :class:`TemporalValue` (public) and the ``_Point`` a single
date resolves to before it becomes one."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

TemporalKind = Literal["date", "period", "duration"]
Tense = Literal["past", "present", "future"]


@dataclass(frozen=True, slots=True)
class TemporalValue:
    """One time expression; ``start``/``end`` are offsets into the text that was searched."""

    kind: TemporalKind
    start: int
    end: int
    text: str
    norm: str
    earliest: date | None = None
    latest: date | None = None
    label: str | None = None
    number: float | None = None  # durations: the count of ``unit``
    unit: str | None = None  # durations: "days", "weeks", "months", "years", "hours", ...
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class _Point:
    earliest: date | None
    latest: date | None
    norm: str
    kind: TemporalKind = "date"  # decades and centuries are periods
    label: str | None = None


def _day_point(d: date) -> _Point:
    return _Point(d, d, d.isoformat())


def _month_point(y: int, m: int) -> _Point:
    return _Point(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), f"{y:04d}-{m:02d}")


def _year_point(y: int) -> _Point:
    return _Point(date(y, 1, 1), date(y, 12, 31), f"{y:04d}")
