"""Dates, periods and durations: two reports date the same event differently.

Finder: different dates of one grain for one event (the same event word, the same incident, or a
paraphrase of one statement), one date given to two exclusive events ("signed in 1999" vs "came into
force in 1999"), open periods that start differently ("since the 1990s" vs "since 2021"), different
spans for one step; a wider date containing a narrower one is a precision note. Link test: two dated
claims on one incident or with the same words around their dates, or two "since" periods on a subject
named by a word rare in the articles.
"""

from __future__ import annotations

import re
from datetime import date

from corroborator.compare import cues
from corroborator.compare.checks.base import Check, Link, PairContext, fact_text, register, side, table, words
from corroborator.model import Claim, Conflict, Fact
from corroborator.settings import Settings

_DECADE = re.compile(r"\b(1\d|20)(\d)0s\b")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def _year_range(f: Fact) -> tuple[int, int] | None:
    """Years a date (or a period's start) can fall in: '1999' -> (1999, 1999), 'the 1990s' -> (1990, 1999)."""
    m = _DECADE.search(f.text)
    if m:
        start = int(m.group(1) + m.group(2) + "0")
        return (start, start + 9)
    m = _YEAR.search(f.text)
    if m:
        return (int(m.group(1)), int(m.group(1)))
    if f.earliest:
        lo = int(f.earliest[:4])
        hi = int(f.latest[:4]) if f.kind == "date" and f.latest else lo
        return (lo, hi)
    return None


def _iso_range(f: Fact) -> tuple[date, date] | None:
    try:
        lo = date.fromisoformat(f.earliest[:10]) if f.earliest else None
        hi = date.fromisoformat(f.latest[:10]) if f.latest else lo
    except ValueError:
        return None
    if lo is None or hi is None:
        return None
    return (lo, hi)


def _same_day_unanchored(x: Fact, y: Fact) -> bool:
    """Same month and day, one of them written without a year."""
    if not (x.earliest and y.earliest) or x.earliest[5:10] != y.earliest[5:10] or len(x.earliest) < 10:
        return False
    return not (_YEAR.search(x.text) and _YEAR.search(y.text))


def _grain(r: tuple[date, date]) -> str:
    days = (r[1] - r[0]).days
    return "day" if days < 1 else "month" if days <= 31 else "year"


def _disjoint(x: tuple[object, object], y: tuple[object, object]) -> bool:
    return x[1] < y[0] or y[1] < x[0]  # type: ignore[operator]


_PERIOD_START = re.compile(r"\b(since|from|starting|beginning)\b", re.IGNORECASE)
_EXCLUSIVE_EVENTS = frozenset(table("date")["exclusive_events"])


def _label(f: Fact) -> str:
    if f.label:
        return f.label.lower()
    m = _PERIOD_START.search(f.text)
    return m.group(1).lower() if m else ""


def _date_range(f: Fact) -> tuple[date, date] | None:
    """The calendar span a date fact covers: ISO earliest..latest when resolved, else its years."""
    iso = _iso_range(f)
    if iso is not None:
        return iso
    years = _year_range(f)
    if years is None:
        return None
    return (date(years[0], 1, 1), date(years[1], 12, 31))


_NON_EVENTS = words("date", "non_events")
_DATE_WORDS = words("date", "date_words")
_DATE_CONTEXT_WORDS = 8
# Report-time phrases date the report's present ("allowed home this afternoon"), not the event.
_DEICTIC = re.compile(r"^(?:this|today|tonight|now|currently|later)\b", re.IGNORECASE)


DATE_PARAPHRASE_SIMILARITY = 0.7
# Nouns naming a one-off incident: two claims dating "the fire" to different days disagree.
_INCIDENTS = re.compile(r"\b(" + "|".join(sorted(words("date", "incidents"))) + r")s?\b", re.IGNORECASE)


def incident_nouns(claim: Claim) -> set[str]:
    return {m.group(1).lower() for m in _INCIDENTS.finditer(claim.text)}


def _dated_incident(claim: Claim, f: Fact) -> set[str]:
    """Incident nouns the date belongs to: the claim's subject ("The fire started ... on March 2") or
    a noun within a few words of the date ("late on Tuesday after a fire tore through")."""
    out = set()
    head = " ".join(cues.words(claim.text)[:4])
    out |= {m.group(1).lower() for m in _INCIDENTS.finditer(head)}
    before = " ".join(cues.words(claim.text[: max(0, f.start - claim.start)])[-_DATE_CONTEXT_WORDS:])
    after = " ".join(cues.words(claim.text[max(0, f.end - claim.start) :])[:_DATE_CONTEXT_WORDS])
    out |= {m.group(1).lower() for m in _INCIDENTS.finditer(before + " " + after)}
    return out


_PAST_VERB = re.compile(r"^[a-z]{3,}ed$")
_FUTURE = re.compile(r"\b(?:will|would|next|upcoming|scheduled|plans? to|set to|expected to)\b", re.IGNORECASE)
_VERB_WINDOW = 6


def _verb_before(claim: Claim, pos: int) -> str | None:
    """Stem of the nearest past-tense verb in the few words before a date ("pleaded guilty on Friday")."""
    before = cues.words(claim.text[: max(0, pos - claim.start)])[-_VERB_WINDOW:]
    for w in reversed(before):
        if _PAST_VERB.match(w) and w not in _DATE_WORDS:
            return cues.stem(w)
    return None


def _tense(claim: Claim, pos: int) -> str:
    window = " ".join(cues.words(claim.text[: max(0, pos - claim.start)])[-10:])
    return "future" if _FUTURE.search(window) else "past"


def date_context(claim: Claim, f: Fact) -> set[str]:
    """Lower-case content stems around a date: what it dates ("passed its last safety inspection [in
    October]"); names are left out, since a shared name does not make two dates date one event."""
    before = cues.words(claim.text[: max(0, f.start - claim.start)])[-_DATE_CONTEXT_WORDS:]
    after = cues.words(claim.text[max(0, f.end - claim.start) :])[:_DATE_CONTEXT_WORDS]
    return {
        cues.stem(w)
        for w in (*before, *after)
        if w.islower() and w not in cues.STOPWORDS and len(w) > 2 and w not in _DATE_WORDS
    }


def dates_linked(a: Claim, x: Fact, b: Claim, y: Fact) -> bool:
    return len(date_context(a, x) & date_context(b, y)) >= 2


def date_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
    out: list[Conflict] = []
    dates_a = [f for f in a.facts if f.kind == "date"]
    dates_b = [f for f in b.facts if f.kind == "date"]
    one_each = len(dates_a) == 1 and len(dates_b) == 1
    ranges_a = [_date_range(f) for f in dates_a]
    ranges_b = [_date_range(f) for f in dates_b]
    for x in dates_a:
        for y in dates_b:
            rx, ry = _date_range(x), _date_range(y)
            if rx is None or ry is None:
                continue
            ex, ey = cues.event_of(a, x.start), cues.event_of(b, y.start)
            if (ex and ex[0] in _NON_EVENTS) or (ey and ey[0] in _NON_EVENTS):
                continue  # "said Tuesday" dates the statement, not the event
            if _DEICTIC.match(x.text) or _DEICTIC.match(y.text):
                continue
            if x.text.lower() == y.text.lower() and not _YEAR.search(x.text):
                continue  # "Monday evening" in both: resolved against different publication dates
            va, vb = _verb_before(a, x.start), _verb_before(b, y.start)
            same_incident = bool(_dated_incident(a, x) & _dated_incident(b, y))
            if va and vb and va != vb and not (ex and ey) and not same_incident:
                continue  # "pleaded guilty on Friday" and "defended him on Monday": two events
            if _tense(a, x.start) != _tense(b, y.start):
                continue  # "voted Friday" and "will vote on Feb. 8": two events
            same_class = ex is not None and ey is not None and ex[0] == ey[0]
            other_events = ex is not None and ey is not None and ex[0] != ey[0] and not same_incident
            shared = len(date_context(a, x) & date_context(b, y))
            if _disjoint(rx, ry) and (
                any(not _disjoint(rx, r) for r in ranges_b if r is not None)
                or any(not _disjoint(ry, r) for r in ranges_a if r is not None)
            ):
                continue  # each date is also given by the other report: nothing disputed
            if not _disjoint(rx, ry):
                if (
                    other_events
                    and ex is not None
                    and ey is not None
                    and ex[0] in _EXCLUSIVE_EVENTS
                    and ey[0] in _EXCLUSIVE_EVENTS
                    and rx == ry
                ):
                    out.append(
                        Conflict(
                            kind="date",
                            explanation=(
                                f"The same date, {x.norm}, is given for different events: "
                                f"'{ex[0]}' in one report, '{ey[0]}' in the other."
                            ),
                            sides=(
                                side(a, min(ex[1], x.start), max(ex[2], x.end), f"{ex[0]} {x.norm}"),
                                side(b, min(ey[1], y.start), max(ey[2], y.end), f"{ey[0]} {y.norm}"),
                            ),
                            claims=(a.id, b.id),
                        )
                    )
                elif rx != ry and not other_events and shared >= 3:
                    wide, narrow = (x, y) if (rx[1] - rx[0]) > (ry[1] - ry[0]) else (y, x)
                    out.append(
                        Conflict(
                            kind="date",
                            explanation=(
                                f"Not a contradiction: ‘{wide.text}’ contains ‘{narrow.text}’; "
                                "one report is only less precise."
                            ),
                            sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                            claims=(a.id, b.id),
                            precision_only=True,
                        )
                    )
                continue
            # Different dates: a contradiction only when they date the same event: dates of the same
            # precision, with the same event word or the same words around them.
            if _grain(rx) != _grain(ry) or other_events:
                continue
            if _same_day_unanchored(x, y):
                continue  # "Sept. 11" (no year, resolved near publication) and "Sept. 11, 2012"
            # News narratives date many events; only the same event word, the same incident, or a
            # paraphrase of the same statement makes two different dates a contradiction.
            paraphrase = link == "aligned" and one_each and similarity >= DATE_PARAPHRASE_SIMILARITY
            incident = one_each and _grain(rx) == "day" and same_incident
            if (same_class and shared >= 1) or (paraphrase and shared >= 1) or incident:
                event = f" for '{ex[0]}'" if same_class and ex else ""
                if incident and not event:
                    event = f" for the {sorted(_dated_incident(a, x) & _dated_incident(b, y))[0]}"
                out.append(
                    Conflict(
                        kind="date",
                        explanation=f"Different dates{event}: {x.text} ({x.norm}) vs {y.text} ({y.norm}).",
                        sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                        claims=(a.id, b.id),
                    )
                )
    out.extend(_period_conflicts(a, b))
    if link == "aligned":
        out.extend(_duration_conflicts(a, b))
    return out


def _period_conflicts(a: Claim, b: Claim) -> list[Conflict]:
    out = []
    for x in (f for f in a.facts if f.kind == "period"):
        for y in (f for f in b.facts if f.kind == "period"):
            # Only open periods ("since 2021"): "from X to Y" spans are more often different terms.
            if _label(x) != _label(y) or _label(x) != "since":
                continue
            rx, ry = _year_range(x), _year_range(y)
            if rx is None or ry is None or not _disjoint(rx, ry):
                continue
            if not date_context(a, x) & date_context(b, y):
                continue  # "since 2003" and "since 2005" about different things
            out.append(
                Conflict(
                    kind="date",
                    explanation=(
                        f"The reports date the start differently: '{fact_text(a, x)}' vs '{fact_text(b, y)}'."
                    ),
                    sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                    claims=(a.id, b.id),
                )
            )
    return out


_DAYS: dict[str, float] = table("date")["days_per_unit"]


def _days(f: Fact) -> float | None:
    if f.number is None:
        return None
    unit = (f.unit or "").lower().rstrip("s")
    return f.number * _DAYS[unit] if unit in _DAYS else None


def _duration_conflicts(a: Claim, b: Claim) -> list[Conflict]:
    out: list[Conflict] = []
    da = [f for f in a.facts if f.kind == "duration" and _days(f) is not None]
    db = [f for f in b.facts if f.kind == "duration" and _days(f) is not None]

    def same_step(x: Fact, y: Fact) -> bool:
        return _label(x) == _label(y) and len(date_context(a, x) & date_context(b, y)) >= 2

    da, db = [x for x in da if any(same_step(x, y) for y in db)], [y for y in db if any(same_step(x, y) for x in da)]
    if not da or not db:
        return out
    if any(abs((_days(x) or 0) - (_days(y) or 0)) < 1e-6 for x in da for y in db):
        return out
    if len(da) == 1 and len(db) == 1:
        x, y = da[0], db[0]
        out.append(
            Conflict(
                kind="date",
                explanation=f"Different time spans for the same step: {x.norm} vs {y.norm}.",
                sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                claims=(a.id, b.id),
            )
        )
    return out


# A shared word links two "since" periods only when it is this rare among the two articles' claims.
RARE_STEM_SHARE = 0.3


def _linked(a: Claim, b: Claim, ctx: PairContext) -> bool:
    dates_a = [f for f in a.facts if f.kind == "date"]
    dates_b = [f for f in b.facts if f.kind == "date"]
    if dates_a and dates_b:
        if incident_nouns(a) & incident_nouns(b):
            return True
        if any(dates_linked(a, x, b, y) for x in dates_a for y in dates_b):
            return True
    if any(f.kind == "period" for f in a.facts) and any(f.kind == "period" for f in b.facts):
        limit = RARE_STEM_SHARE * ctx.claims
        shared = cues.content_stems(a.text) & cues.content_stems(b.text)
        return any(ctx.stem_df.get(w, 0) <= limit for w in shared)
    return False


CHECK = register(Check("date", date_conflicts, _linked))
