"""Finding and normalising time expressions: dates, periods and durations, against a publication date.

A pure function of a text (usually one sentence) and the article's publication date::

    normalise_temporal("signed in 1999", None)      -> date 1999-01-01..1999-12-31, norm "1999"
    normalise_temporal("since the 1990s", None)     -> period earliest 1990-01-01, latest None, label "since"
    normalise_temporal("within 90 days", 2025-03-07)-> duration norm "P90D", label "within",
                                                       earliest 2025-03-07, latest 2025-06-05 (the deadline)

Rules (each is a choice; news style makes them right far more often than not):

* A year stays a year (1999-01-01..1999-12-31); "the 1990s" is a period (1990-01-01..1999-12-31).
* A month and day without a year ("Jan. 5") is the occurrence nearest the publication date (the year
  before, of, or after publication). Without a publication date its norm is "--01-05" and
  earliest/latest stay None.
* A month without a year ("in March") is the most recent March up to publication when the sentence is
  in the past tense, the next one when in the future tense, else the nearest.
* A weekday ("Tuesday"): "last Tuesday" is the most recent Tuesday strictly before publication, "next
  Tuesday" the first strictly after; with a past-tense verb in the sentence ("said Tuesday") it is the
  most recent Tuesday on or before publication, with a future cue ("will", "is set to", "plans to") the
  first on or after, and otherwise the Tuesday of the publication week (ISO week, Monday first).
* "yesterday", "last week", "last month", "this year", "three years ago" count back from publication;
  unanchored they keep earliest/latest None and a norm of the phrase ("yesterday") or an ISO duration
  ("-P3Y" for "three years ago").
* "since X" is a period from X's start to publication (latest None when unknown); "between X and Y",
  "from X to Y" and "2019-2021" run from X's start to Y's end; "until/by/through X" end at X's end,
  "before X" ends the day before X, "after X" starts the day after; "in the 1990s" is label "in";
  "the past three years" runs from publication minus three years to publication (label "past").
* A duration has an ISO norm ("P90D", "P2Y", "PT48H"), ``number`` and ``unit``. "within 90 days", "in
  90 days", "in the next 90 days" and an adjective form before a deadline noun ("a 90-day review") get
  label "within" (or "in") and, when publication is known, earliest = publication and latest =
  publication + the duration: the deadline. "for three years" gets label "for" and no dates.
* The tense is guessed from cue words (see :func:`infer_tense`) in the clause around the expression
  first, then in the whole text; pass ``tense`` to override it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from corroborator.text import words
from corroborator.text.numbers import DIGIT_NUMBER, WORD_NUMBER, parse_number

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


# ---------------------------------------------------------------------------------------------- words

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
# Duration unit -> (ISO designator, multiplier); time-of-day units go after "T".
_UNIT_ISO = {
    "second": ("S", 1), "minute": ("M", 1), "hour": ("H", 1), "day": ("D", 1), "week": ("W", 1),
    "fortnight": ("W", 2), "month": ("M", 1), "year": ("Y", 1), "decade": ("Y", 10), "century": ("Y", 100),
}  # fmt: skip
_TIME_UNITS = {"second", "minute", "hour"}
# Nouns after "a 90-day ..." that make the duration a window that ends at a deadline.
_DEADLINE_NOUNS = {
    "review", "deadline", "window", "period", "timeline", "timeframe", "time frame", "plan", "pause",
    "moratorium", "freeze", "suspension", "extension", "ceasefire", "cease-fire", "truce", "countdown",
    "notice", "grace", "assessment", "evaluation", "study", "clock", "delay", "halt", "reprieve",
}  # fmt: skip
# Words before a bare four-digit number that make it a year rather than a count.
_YEAR_BEFORE = {
    "in", "since", "of", "by", "until", "till", "from", "between", "through", "before", "after",
    "during", "the", "year", "fiscal", "early", "late", "mid", "circa", "spring", "summer", "fall",
    "autumn", "winter", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "throughout", "than",
}  # fmt: skip
# Words after a bare four-digit number that still allow a year reading ("in 1999 and", "the 2020 election").
_YEAR_AFTER = {
    "and", "to", "or", "through", "when", "as", "after", "before", "the", "a", "an", "in", "on", "at",
    "for", "with", "by", "until", "that", "was", "were", "is", "will", "had", "has", "have", "but",
    "while", "if", "election", "elections", "campaign", "budget", "census", "season", "olympics",
    "presidential", "midterm", "midterms", "primary", "primaries", "race", "cycle", "law", "act",
    "report", "survey", "study", "poll", "levels", "level", "deal", "agreement", "treaty", "accord",
    "attack", "attacks", "crisis", "war", "invasion", "summit", "vote", "ruling", "decision", "film",
    "book", "model", "version", "edition", "general", "world", "games", "cup", "nomination",
}  # fmt: skip
_APPROX_BEFORE = {
    "about", "nearly", "almost", "some", "over", "roughly", "approximately", "around", "than", "least",
    "estimated", "just", "only", "all", "those", "these", "another", "additional", "extra",
}  # fmt: skip
_MONTH_CONTEXT = {
    "in", "since", "until", "till", "by", "early", "late", "mid", "of", "through", "from", "between",
    "and", "to", "last", "next", "this", "during", "before", "after", "throughout", "or", "on", "that",
}  # fmt: skip

# ------------------------------------------------------------------------------------------- patterns

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = rf"(?:{_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?<![\d$£€,.])(?:1[6-9]\d\d|20\d\d)(?![\d%]|,\d|\.\d)"
_DECADE = r"(?:(?:1[6-9]|20)\d0s|['’]\d0s)"
_PART = r"(?i:early|mid|late)"
_WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_UNIT = r"(?i:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|century|centuries)"
_UNIT_ONE = r"(?i:second|minute|hour|day|week|fortnight|month|year|decade|century)"
_NUM = rf"(?:{DIGIT_NUMBER}|(?i:{WORD_NUMBER}))"
_NUM_NO_A = rf"(?:{DIGIT_NUMBER}|(?i:(?!an?\b){WORD_NUMBER}))"
_SEASON = r"(?i:spring|summer|fall|autumn|winter)"
_I = "(?i:{})".format  # a case-insensitive group of keywords

# The forms of a single date, most specific first; each is also matched alone by _parse_point.
_POINT_FORMS: list[tuple[str, str]] = [
    ("iso", r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),
    ("numeric", r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])"),
    # "Wednesday, June 11": the calendar date decides, the weekday is redundant.
    ("wmdy", rf"(?:{_WEEKDAY}),?\s+({_MONTH})\s+({_DAY})(?:,?\s+({_YEAR}))?"),
    ("mdy", rf"({_MONTH})\s+({_DAY}),?\s+({_YEAR})"),
    ("dmy", rf"({_DAY})\s+(?:of\s+)?({_MONTH}),?\s+({_YEAR})"),
    ("my", rf"({_MONTH}),?\s+(?:of\s+)?({_YEAR})"),
    ("md", rf"({_MONTH})\s+({_DAY})(?!,?\s*\d)"),
    ("dm", rf"({_DAY})\s+(?:of\s+)?({_MONTH_FULL})\b"),
    ("season_year", rf"(?:{_I('the')}\s+)?({_SEASON})\s+(?:of\s+)?({_YEAR})"),
    ("part_year", rf"(?:{_I('the')}\s+)?({_PART})[- ]({_YEAR})(?!['’]?s)"),
    ("decade", rf"(?:{_I('the')}\s+)?(?:({_PART})[- ])?({_DECADE})"),
    ("century", rf"(?:{_I('the')}\s+)?(\d{{1,2}})(?:st|nd|rd|th)[- ]{_I('century')}"),
    ("relday", _I(r"today|tonight|yesterday|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)")),
    ("edge", rf"({_I('earlier|later')})\s+({_I('this|last|next')})\s+({_I('week|month|year')})"),
    (
        "relunit",
        rf"({_I('this|last|next|coming')})\s+"
        rf"({_I('week|weekend|month|year|decade|quarter|spring|summer|fall|autumn|winter')})\b",
    ),
    (
        "weekday",
        rf"(?:({_I('last|next|this|on')})\s+)?({_WEEKDAY})(?:\s+{_I('morning|afternoon|evening|night')})?",
    ),
    ("relmonth", rf"({_I('last|next|this')})\s+({_MONTH_FULL})\b"),
    ("month", rf"({_MONTH_FULL})\b"),
    ("year", rf"({_YEAR})"),
]
_PRE_WORDS = _I(
    r"within|in|for|over|after|up\s+to|under|less\s+than|more\s+than|at\s+least|nearly|almost|about|"
    r"around|roughly|some|approximately|an\s+estimated"
)
_POINT = "|".join(f"(?:{p})" for _, p in _POINT_FORMS)
_POINT_RE = [(name, re.compile(p)) for name, p in _POINT_FORMS]

_MASTER = re.compile(
    "|".join(
        [
            rf"(?P<since>\b{_I('ever since|since')}\s+(?P<since_p>{_POINT}))",
            rf"(?P<between>\b{_I('between')}\s+(?P<b1>{_POINT})\s+{_I('and')}\s+(?P<b2>{_POINT}))",
            rf"(?P<fromto>\b{_I('from')}\s+(?P<f1>{_POINT})\s*(?:{_I('to|until|till|through|thru')}\s+|[-–—]\s*)(?P<f2>{_POINT}))",
            rf"(?P<range>(?P<r1>{_YEAR})\s*[-–—/]\s*(?P<r2>{_YEAR}|\d\d)(?![\d-]))",
            rf"(?P<bound>\b(?P<bw>{_I('until|till|through|by|before|after')})\s+(?P<bp>{_POINT}))",
            rf"(?P<indecade>\b{_I('in|during|throughout')}\s+"
            rf"(?P<dp>(?:{_I('the')}\s+)?(?:{_PART}[- ])?{_DECADE}))",
            rf"(?P<past>\b(?:{_I('in|over|during|for|within')}\s+)?{_I('the')}\s+{_I('past|last|previous|preceding')}"
            rf"\s+(?:(?P<pn>{_NUM_NO_A})\s+)?(?P<pu>{_UNIT})\b)",
            rf"(?P<next>\b(?P<nw>{_I('in|within|over|during')})\s+{_I('the')}\s+{_I('next|coming')}"
            rf"\s+(?:(?P<nn>{_NUM_NO_A})\s+)?(?P<nu>{_UNIT})\b)",
            rf"(?P<ago>\b(?P<an>{_NUM})\s+(?P<au>{_UNIT})\s+{_I('ago')}\b)",
            rf"(?P<pre>\b(?P<pw>{_PRE_WORDS})"
            rf"\s+(?P<pn2>{_NUM})\s+(?P<pu2>{_UNIT})\b(?![- ]old))",
            rf"(?P<adj>\b(?P<jn>{_NUM_NO_A})-(?P<ju>{_UNIT_ONE})(?:-{_I('long')})?\b(?!-old|-olds))",
            rf"(?P<plain>\b(?P<qn>{_NUM_NO_A})\s+(?P<qu>{_UNIT})\b(?![- ]old))",
            rf"(?P<point>\b(?:{_POINT}))",
        ]
    )
)

# Every expression above contains a digit or one of these words; most sentences have neither.
_ANY_TIME = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|tonight|"
    r"yesterday|tomorrow|week|month|year|decade|centur|day|hour|minute|second|fortnight|spring|summer|fall|"
    r"autumn|winter|quarter|night|morning|afternoon|evening)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z’'.]+")


def infer_tense(text: str, lang: str | None = None) -> Tense:
    """Future on a future cue ("will", "is set to", "plans to"), else past on a past cue, else present.

    The cues are the language's ``future.txt`` and ``past.txt`` (:mod:`corroborator.text.words`)."""
    return words.tense(text, lang)


def normalise_temporal(
    text: str, published: datetime | date | None, *, tense: Tense | None = None, lang: str | None = None
) -> list[TemporalValue]:
    """Every date, period and duration in ``text``, resolved against ``published`` when it is known."""
    if not _ANY_TIME.search(text):
        return []
    pub = published.date() if isinstance(published, datetime) else published
    whole = tense or infer_tense(text, lang)
    out: list[TemporalValue] = []
    for m in _MASTER.finditer(text):
        value = _value(m, text, pub, tense or _local_tense(text, m.start(), m.end(), whole, lang))
        if value is not None:
            out.append(value)
    return out


_CLAUSE_LEFT = re.compile(r".*(?:[,;:.!?]|\bthat\b|\bwhile\b|\bbut\b|\bwhen\b)", re.DOTALL)
_CLAUSE_RIGHT = re.compile(r"[,;:.!?]|\bthat\b|\bwhile\b|\bbut\b|\bwhen\b")


def _local_tense(text: str, start: int, end: int, whole: Tense, lang: str | None) -> Tense:
    """The tense of the clause around an expression ("announced on Tuesday that it will ..." is past)."""
    left = _CLAUSE_LEFT.match(text, 0, start)
    right = _CLAUSE_RIGHT.search(text, end)
    clause = text[left.end() if left else 0 : start] + " " + text[end : right.start() if right else len(text)]
    return words.tense(clause, lang, default=whole)


# ------------------------------------------------------------------------------------------ building


def _value(m: re.Match[str], text: str, pub: date | None, tense: Tense) -> TemporalValue | None:
    kind = m.lastgroup
    start, end = m.span()
    g = m.group

    def make(k: TemporalKind, norm: str, lo: date | None, hi: date | None, **kw: object) -> TemporalValue:
        return TemporalValue(k, start, end, text[start:end], norm, lo, hi, **kw)  # type: ignore[arg-type]

    if kind in ("since", "between", "fromto", "bound") and re.search(rf"(?<!\S){_YEAR}$", m.group()):
        after = _next_words(text, end)
        if after and text[end : end + 1] == " " and after[0][:1].islower() and after[0] not in _YEAR_AFTER:
            return None  # "after 2000 people": a count, not a year

    if kind == "since":
        p = _parse_point(g("since_p"), pub, tense)
        if p is None:
            return None
        return make("period", f"since {p.norm}", p.earliest, pub, label="since")
    if kind in ("between", "fromto"):
        a, b = (g("b1"), g("b2")) if kind == "between" else (g("f1"), g("f2"))
        pa, pb = _parse_point(a, pub, tense), _parse_point(b, pub, tense)
        if pa is None or pb is None:
            return None
        return make("period", f"{pa.norm}/{pb.norm}", pa.earliest, pb.latest, label=kind.replace("to", ""))
    if kind == "range":
        y1 = int(g("r1"))
        r2 = g("r2")
        y2 = int(r2) if len(r2) == 4 else (y1 // 100) * 100 + int(r2)
        if y2 <= y1 or y2 - y1 > 100:
            return None  # "2021-01" or a score, not a span of years
        return make("period", f"{y1}/{y2}", date(y1, 1, 1), date(y2, 12, 31), label="between")
    if kind == "bound":
        word = g("bw").lower()
        p = _parse_point(g("bp"), pub, tense)
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
    if kind == "indecade":
        p = _parse_point(g("dp"), pub, tense)
        if p is None:
            return None
        return make("period", p.norm, p.earliest, p.latest, label="in")
    if kind == "past":
        n = parse_number(g("pn")) if g("pn") else 1.0
        unit = _unit(g("pu"))
        if n is None:
            return None
        iso = _iso_duration(n, unit)
        lo = _shift(pub, -n, unit) if pub else None
        return make("period", f"past {iso}", lo, pub, label="past", number=n, unit=unit + "s")
    if kind == "next":
        n = parse_number(g("nn")) if g("nn") else 1.0
        if n is None:
            return None
        return _duration(make, n, _unit(g("nu")), "within", pub)
    if kind == "ago":
        n = parse_number(g("an"))
        if n is None:
            return None
        unit = _unit(g("au"))
        iso = _iso_duration(n, unit)
        if pub is None:
            return make("date", f"-{iso}", None, None, label="ago")
        d = _shift(pub, -n, unit)
        if d is None:
            return make("date", f"-{iso}", None, None, label="ago")
        lo, hi, norm = _precision(d, unit)
        return make("date", norm, lo, hi, label="ago")
    if kind == "pre":
        n = parse_number(g("pn2"))
        if n is None:
            return None
        word = re.sub(r"\s+", " ", g("pw").lower())
        label = {"up to": "within", "under": "within", "less than": "within", "over": "for"}.get(word)
        if label is None and word in ("within", "in", "for", "after"):
            label = word
        approx = label is None
        return _duration(make, n, _unit(g("pu2")), label, pub, approximate=approx)
    if kind == "adj":
        n = parse_number(g("jn"))
        if n is None:
            return None
        following = _next_words(text, end)
        deadline = following[:1] and (following[0] in _DEADLINE_NOUNS or " ".join(following[:2]) in _DEADLINE_NOUNS)
        return _duration(make, n, _unit(g("ju")), "within" if deadline else "for", pub)
    if kind == "plain":
        n = parse_number(g("qn"))
        if n is None:
            return None
        return _duration(make, n, _unit(g("qu")), None, pub)
    if kind == "point":
        p = _parse_point(g("point"), pub, tense)
        if p is None or not _plausible_point(g("point"), text, start, end):
            return None
        return make(p.kind, p.norm, p.earliest, p.latest, label=p.label)
    return None


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


# ------------------------------------------------------------------------------------------- resolving


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


def _day_point(d: date) -> _Point:
    return _Point(d, d, d.isoformat())


def _month_point(y: int, m: int) -> _Point:
    return _Point(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), f"{y:04d}-{m:02d}")


def _year_point(y: int) -> _Point:
    return _Point(date(y, 1, 1), date(y, 12, 31), f"{y:04d}")


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

# ------------------------------------------------------------------------------------------ arithmetic


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
