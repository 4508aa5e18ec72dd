"""Typed conflicts between two claims of different articles that talk about the same thing.

Embeddings cannot tell "raised rates" from "left rates unchanged" or 118 from 120; typed facts can.
Each check compares one kind of fact and returns a :class:`Conflict` carrying both sides' exact spans,
their normalised values and one plain sentence saying what differs. Where one side is only less precise
("never ratified" vs "never signed", "1,200" vs "1,234") the conflict is returned with
``precision_only=True``: reported to the reader, never counted as a contradiction.

``linked`` says how the two claims were paired: "aligned" (the pair judge found them the same or
overlapping statements: every check runs) or "topic" (close in meaning only: just the checks whose
facts are specific enough to carry the link themselves: periods, event dates, shared quotes).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from difflib import SequenceMatcher
from typing import Literal

from corroborator.compare import cues
from corroborator.compare.cues import wordset
from corroborator.model import NUMERIC_KINDS, Claim, Conflict, ConflictSide, Fact
from corroborator.settings import Settings

Link = Literal["aligned", "topic"]


def side(claim: Claim, start: int, end: int, value: str) -> ConflictSide:
    """A conflict side for article offsets ``start..end``, clipped to the claim."""
    start = max(start, claim.start)
    end = min(end, claim.end)
    if end <= start:
        start, end = claim.start, claim.end
    text = claim.text[start - claim.start : end - claim.start]
    return ConflictSide(article=claim.article_id, text=text, start=start, end=end, value=value)


def _fact_text(claim: Claim, f: Fact) -> str:
    return claim.text[max(f.start, claim.start) - claim.start : min(f.end, claim.end) - claim.start]


# -- numbers ----------------------------------------------------------------------------------------


def _significant_round(value: float) -> int:
    """Decimal places a round number was given at: 1200 -> -2, 118 -> 0, 2.5 -> 1."""
    if value == 0:
        return 0
    if value != int(value):
        s = repr(value).rstrip("0")
        return len(s.split(".")[1]) if "." in s else 0
    digits = str(int(abs(value)))
    return -(len(digits) - len(digits.rstrip("0")))


def numbers_agree(a: Fact, b: Fact, tolerance: float) -> Literal["same", "rounded", "different"]:
    x, y = a.number, b.number
    if x is None or y is None:
        return "same"
    if abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y)):
        return "same"
    rel = abs(x - y) / max(abs(x), abs(y))
    if (a.approximate or b.approximate) and rel <= tolerance:
        return "same"
    for rough, exact in ((x, y), (y, x)):
        places = _significant_round(rough)
        if places < 0 and round(exact, places) == rough:
            return "rounded"
    return "different"


# Count nouns that name the same thing in news copy ("340 residents" vs "430 people").
_UNIT_CLASSES = {
    "people": "people",
    "person": "people",
    "resident": "people",
    "individual": "people",
    "civilian": "people",
    "citizen": "people",
    "villager": "people",
    "inhabitant": "people",
    "evacuee": "people",
    "home": "homes",
    "household": "homes",
    "house": "homes",
    "property": "homes",
    "propertie": "homes",
    "dwelling": "homes",
}


def _unit(f: Fact) -> tuple[str, str]:
    unit = (f.unit or "").lower().strip()
    unit = unit.split()[-1] if unit else ""
    unit = unit.rstrip("s") if not unit.endswith("ss") else unit
    return (f.kind, _UNIT_CLASSES.get(unit, unit))


def _looks_like_year(f: Fact) -> bool:
    return f.kind == "number" and not f.unit and f.number is not None and 1800 <= f.number <= 2100


_CONTEXT_WORDS = 6
_DATE_CONTEXT_WORDS = 8
_MEASURE_WORDS = wordset("percent per cent points point million billion thousand hundred about nearly some")


def number_context(claim: Claim, f: Fact) -> set[str]:
    """Content stems within a few words either side of a figure: what the figure counts or measures
    ("340 residents [forced from their homes]" and "430 people [were evacuated from their homes]")."""
    before = cues.words(claim.text[: max(0, f.start - claim.start)])[-_CONTEXT_WORDS:]
    after = cues.words(claim.text[max(0, f.end - claim.start) :])[:_CONTEXT_WORDS]
    unit = cues.stem(f.unit or "")
    return {
        cues.stem(w)
        for w in (*before, *after)
        if w.islower()
        and w not in cues.STOPWORDS
        and w not in _MEASURE_WORDS
        and w not in _DATE_WORDS
        and not w[0].isdigit()
        and len(w) > 2
        and cues.stem(w) != unit
    }


def numeric_facts(claim: Claim) -> list[Fact]:
    return [f for f in claim.facts if f.kind in NUMERIC_KINDS and f.number is not None and not _looks_like_year(f)]


def numbers_linked(a: Claim, b: Claim) -> bool:
    """Two claims give a figure of the same unit for the same thing (shared words around the figures)."""
    for x in numeric_facts(a):
        for y in numeric_facts(b):
            if _unit(x) == _unit(y) and _unit(x)[1] and number_context(a, x) & number_context(b, y):
                return True
    return False


def number_conflicts(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings) -> list[Conflict]:
    fa = numeric_facts(a)
    fb = numeric_facts(b)
    out: list[Conflict] = []
    for unit in {_unit(f) for f in fa} & {_unit(f) for f in fb}:
        # A bare count ("three") is only compared in claims that say the same thing.
        if not unit[1] and (similarity < 0.8 or link != "aligned"):
            continue
        xa = [f for f in fa if _unit(f) == unit]
        xb = [f for f in fb if _unit(f) == unit]
        # Only figures that count the same thing (two shared words around them) are compared, one
        # shared word being enough for the single figures of two paraphrases.
        need = 1 if link == "aligned" and similarity >= 0.8 and len(xa) == len(xb) == 1 else 2
        xa = [x for x in xa if any(len(number_context(a, x) & number_context(b, y)) >= need for y in xb)]
        xb = [y for y in xb if any(len(number_context(a, x) & number_context(b, y)) >= need for x in xa)]
        if not xa or not xb:
            continue
        verdicts = {(id(x), id(y)): numbers_agree(x, y, settings.number_tolerance) for x in xa for y in xb}
        if any(v == "same" for v in verdicts.values()) and (len(xa) == 1 or len(xb) == 1):
            continue
        unmatched_a = [x for x in xa if all(verdicts[(id(x), id(y))] != "same" for y in xb)]
        unmatched_b = [y for y in xb if all(verdicts[(id(x), id(y))] != "same" for x in xa)]
        if not unmatched_a or not unmatched_b:
            continue
        x, y = unmatched_a[0], unmatched_b[0]
        if x.number and y.number and max(x.number, y.number) / max(1e-9, min(x.number, y.number)) >= 10:
            continue  # an order of magnitude apart: a different quantity ("$700 billion" vs "$600" each)
        rounded = verdicts[(id(x), id(y))] == "rounded"
        what = f" ({unit[1]})" if unit[1] else ""
        if rounded:
            explanation = f"{x.norm} and {y.norm}{what} differ only by rounding: one is less precise."
        else:
            explanation = f"Different figures for the same thing{what}: {x.norm} vs {y.norm}."
        out.append(
            Conflict(
                kind="number",
                explanation=explanation,
                sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                claims=(a.id, b.id),
                precision_only=rounded,
            )
        )
    return out


# -- dates, periods, durations ----------------------------------------------------------------------

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
_EXCLUSIVE_EVENTS = {"came into force", "ratified", "signed", "established", "announced", "ended"}


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


_NON_EVENTS = {"said", "announced"}
_DATE_WORDS = wordset("late early mid night morning afternoon evening day week month year")
# Report-time phrases date the report's present ("allowed home this afternoon"), not the event.
_DEICTIC = re.compile(r"^(?:this|today|tonight|now|currently|later)\b", re.IGNORECASE)


DATE_PARAPHRASE_SIMILARITY = 0.7
# Nouns naming a one-off incident: two claims dating "the fire" to different days disagree.
_INCIDENTS = re.compile(
    r"\b(fire|blaze|explosion|blast|attack|crash|shooting|earthquake|quake|storm|flood|accident|collision|"
    r"derailment|stabbing|bombing|landslide|eruption|outage|leak|spill)s?\b",
    re.IGNORECASE,
)


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


def date_conflicts(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings) -> list[Conflict]:
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
                        f"The reports date the start differently: '{_fact_text(a, x)}' vs '{_fact_text(b, y)}'."
                    ),
                    sides=(side(a, x.start, x.end, x.norm), side(b, y.start, y.end, y.norm)),
                    claims=(a.id, b.id),
                )
            )
    return out


_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 1 / 24}


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


# -- entities ---------------------------------------------------------------------------------------


def _entity_names(claim: Claim, kind: str) -> dict[str, Fact]:
    return {(f.norm or f.text).lower(): f for f in claim.facts if f.kind == kind}


def _names_match(x: str, y: str) -> bool:
    """Shared word, or an abbreviation of one ("Calif." and "California")."""
    tx, ty = set(re.findall(r"\w+", x)), set(re.findall(r"\w+", y))
    return bool(tx & ty) or any(len(p) >= 3 and (q.startswith(p) or p.startswith(q)) for p in tx for q in ty)


def entity_conflicts(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings) -> list[Conflict]:
    """A different person/place/organisation in the same role: only in near-paraphrases, one name each."""
    if link != "aligned" or similarity < 0.8:
        return []
    out = []
    # Organisations are left out: metonymy ("Congress" / "Capitol Hill", "the Pentagon" / "the
    # Defense Department") makes a different name in the same role too often the same body.
    for kind in ("person", "place"):
        na, nb = _entity_names(a, kind), _entity_names(b, kind)
        if len(na) != 1 or len(nb) != 1:
            continue
        (xa, fa), (xb, fb) = next(iter(na.items())), next(iter(nb.items()))
        if _names_match(xa, xb):
            continue
        if kind == "person" and (len(xa.split()) < 2 or len(xb.split()) < 2):
            continue  # a single capitalised word tagged as a person is too often not one ("Twitter")
        # The other report must not mention the first name anywhere in the claim (a list, an aside).
        if xa in b.text.lower() or xb in a.text.lower():
            continue
        out.append(
            Conflict(
                kind="entity",
                explanation=f"A different {kind} in the same statement: {fa.norm} vs {fb.norm}.",
                sides=(side(a, fa.start, fa.end, fa.norm), side(b, fb.start, fb.end, fb.norm)),
                claims=(a.id, b.id),
            )
        )
    return out


_RUN_WORDS = 4
_AFTER_RUN = 6
_ROLE_RUN = 6  # words of shared wording before the names differ


def _word_spans(claim: Claim) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), claim.start + m.start(), claim.start + m.end()) for m in _WORD_RE.finditer(claim.text)]


_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")


def role_conflicts(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings) -> list[Conflict]:
    """The same wording continued with a different person: "marks a sharp departure from the [Obama]-era
    stance" vs "marks a sharp departure from the policies of the previous [Biden] administration"."""
    people_a = [f for f in a.facts if f.kind == "person"]
    people_b = [f for f in b.facts if f.kind == "person"]
    if not people_a or not people_b:
        return []
    wa, wb = _word_spans(a), _word_spans(b)
    ta, tb = [w for w, _, _ in wa], [w for w, _, _ in wb]
    inside_a = [(q.start, q.end) for q in cues.quotes(a)]
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    for blk in matcher.get_matching_blocks():
        if blk.size < _ROLE_RUN or sum(w not in cues.STOPWORDS for w in ta[blk.a : blk.a + blk.size]) < 3:
            continue
        if any(s <= wa[blk.a][1] < e for s, e in inside_a):
            continue
        run_end_a, run_end_b = wa[blk.a + blk.size - 1][2], wb[blk.b + blk.size - 1][2]
        end_a = wa[min(len(wa) - 1, blk.a + blk.size + _AFTER_RUN - 1)][2]
        end_b = wb[min(len(wb) - 1, blk.b + blk.size + _AFTER_RUN - 1)][2]
        after_a = [f for f in people_a if run_end_a <= f.start < end_a]
        after_b = [f for f in people_b if run_end_b <= f.start < end_b]
        if not after_a or not after_b:
            continue
        x, y = after_a[0], after_b[0]
        nx, ny = (x.norm or x.text), (y.norm or y.text)
        if _names_match(nx.lower(), ny.lower()) or SequenceMatcher(None, nx.lower(), ny.lower()).ratio() >= 0.6:
            continue  # one person, or one name spelled two ways ("Muammar", "Moammar")
        if nx.split()[-1] in b.text or ny.split()[-1] in a.text:
            continue  # both people are in both claims: a different arrangement, not a different person
        phrase = " ".join(ta[blk.a : blk.a + blk.size])
        return [
            Conflict(
                kind="entity",
                explanation=(
                    f"The same words, ‘{phrase} …’, go on to a different person: {nx} in one report, {ny} in the other."
                ),
                sides=(side(a, wa[blk.a][1], x.end, nx), side(b, wb[blk.b][1], y.end, ny)),
                claims=(a.id, b.id),
            )
        ]
    return []


# -- quotes and who said them -----------------------------------------------------------------------


def _overlap(x: tuple[str, ...], y: tuple[str, ...]) -> float:
    sx, sy = set(x), set(y)
    return len(sx & sy) / max(1, len(sx | sy))


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_PRONOUN_SAYS = re.compile(
    r"\b(?:he|she)\s+(?:said|says|told|added|insisted|argued|wrote|tweeted|continued|explained)\b", re.IGNORECASE
)


def _speaker_for(claim: Claim, quote: cues.Quoted, antecedents: Mapping[str, str]) -> cues.Speaker | None:
    """Who the claim credits with the quote, only from what the claim itself says: a name next to a
    speech verb ("Mayor Ilse Varga told reporters", "according to X"), or "..., he said" right after a
    sentence in which one named person speaks. Anything vaguer gives None (no attribution conflict)."""
    inside = [(q.start, q.end) for q in cues.quotes(claim)]
    found = [
        sp
        for sp in cues.speakers(claim)
        if not any(s <= sp.start < e for s, e in inside) and sp.name.lower() not in _PRONOUNS
    ]
    if found:
        if quote.speaker:
            agreeing = [sp for sp in found if cues.same_speaker(sp.name, quote.speaker)]
            found = agreeing or found
        before = [s for s in found if s.end <= quote.start]
        return max(before, key=lambda s: s.end) if before else min(found, key=lambda s: s.start)
    m = _PRONOUN_SAYS.search(claim.text)
    if m and claim.id in antecedents:
        return cues.Speaker(antecedents[claim.id], claim.start + m.start(), claim.start + m.end())
    return None


# A document is not a speaker: "the memo says" credits whoever wrote it, which the text may not say.
_DOCUMENTS = wordset(
    "memo memorandum statement report letter document order directive filing ruling release post tweet"
)
_GROUP_STEMS = frozenset(
    cues.stem(w)
    for w in wordset(
        "officials official critics experts lawmakers analysts supporters opponents residents officers "
        "advocates activists observers diplomats sources aides leaders groups scientists researchers "
        "spokesman spokeswoman spokesperson witnesses police firefighters commanders economists "
        "prosecutors lawyers attorneys investigators democrats republicans members voters chief mayor"
    )
)
_NOT_SPEAKERS = wordset("we i you us he she they it")
_INSTITUTION_WORDS = wordset(
    "pentagon ministry department agency government administration company firm council service office "
    "committee commission police army navy court parliament congress senate house authority"
)


def speaker_kind(claim: Claim, name: str, article_claims: Sequence[Claim] = ()) -> str | None:
    """'person', 'organization', 'group' (officials, critics) or None when the speaker is only a document."""
    raw = [t.lower() for t in cues.words(name)]
    if not raw or raw[0] in _NOT_SPEAKERS:
        return None  # "we are told ...": the reporter's voice, or an unresolved pronoun
    tokens = set(raw) - cues.STOPWORDS
    if not tokens or tokens <= _DOCUMENTS:
        return None
    for c in (claim, *article_claims):
        for f in c.facts:
            if f.kind in ("person", "organization"):
                ent = {t.lower() for t in cues.words(f.norm or f.text)}
                if tokens & ent:
                    return f.kind
    if tokens & _INSTITUTION_WORDS:
        return "organization"
    if {cues.stem(t) for t in tokens} & _GROUP_STEMS:
        return "group"
    last_two = cues.words(name)[-2:]
    if len(raw) >= 2 and all(w[:1].isupper() and len(w.strip(".")) >= 3 for w in last_two):
        return "person"  # a full name the entity tagger missed (or that was resolved from "he said")
    return None  # not recognisably a speaker ("Democratic" from "his Democratic rival")


def _locate(claim: Claim, name: str, quote: cues.Quoted) -> cues.Speaker:
    """The speaker's mention in the claim (full name, else its last word), else the quote's span."""
    for probe in (name, name.split()[-1] if name.split() else name):
        at = claim.text.find(probe)
        if probe and at >= 0:
            return cues.Speaker(name, claim.start + at, claim.start + at + len(probe))
    return cues.Speaker(name, quote.start, quote.end)


# Two quotations are one quotation worded differently only when most of their words are shared.
QUOTE_WORDING_OVERLAP = 0.7
_ABBREVIATIONS = {"gen": "general", "sen": "senator", "rep": "representative", "gov": "governor", "dr": "doctor"}
_FILLERS = wordset("very really just so quite also")


def _substituted(ka: tuple[str, ...], kb: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Content words replaced inside the shared stretch of two quotations (not added at either end)."""
    norm_a = [cues.stem(_ABBREVIATIONS.get(w, w)) for w in ka]
    norm_b = [cues.stem(_ABBREVIATIONS.get(w, w)) for w in kb]
    only_a: list[str] = []
    only_b: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, norm_a, norm_b, autojunk=False).get_opcodes():
        if op != "replace":
            continue
        wa = [w for w in norm_a[i1:i2] if w not in cues.STOPWORDS and w not in _FILLERS]
        wb = [w for w in norm_b[j1:j2] if w not in cues.STOPWORDS and w not in _FILLERS]
        if wa and wb:
            only_a += wa
            only_b += wb
    return only_a, only_b


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _same_words(ka: tuple[str, ...], kb: tuple[str, ...]) -> bool:
    """The same quotation: identical, one quoting a run of >= 3 words of the other, or nearly identical."""
    if ka == kb:
        return True
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    if len(short) >= 3 and _contains(long_, short):
        return True
    return _overlap(ka, kb) >= 0.8 and min(len(ka), len(kb)) >= 4


def quote_conflicts(
    a: Claim,
    b: Claim,
    link: Link,
    similarity: float,
    settings: Settings,
    antecedents: Mapping[str, str] | None = None,
) -> list[Conflict]:
    antecedents = antecedents or {}
    out = []
    for qa in cues.quotes(a):
        ka = cues.quote_key(qa.text)
        for qb in cues.quotes(b):
            kb = cues.quote_key(qb.text)
            if not ka or not kb:
                continue
            ov = _overlap(ka, kb)
            if _same_words(ka, kb):
                sa, sb = _speaker_for(a, qa, antecedents), _speaker_for(b, qb, antecedents)
                if sa is None or sb is None or cues.same_speaker(sa.name, sb.name):
                    continue
                kinds = {speaker_kind(a, sa.name), speaker_kind(b, sb.name)}
                # A document, or an institution and a person (who may lead it), is not a different mouth.
                if None in kinds or kinds == {"organization", "person"}:
                    continue
                out.append(
                    Conflict(
                        kind="attribution",
                        explanation=(
                            f"The same words, ‘{qa.text}’, are credited to {sa.name} in one report "
                            f"and to {sb.name} in the other."
                        ),
                        sides=(
                            side(a, min(sa.start, qa.start), max(sa.end, qa.end), sa.name),
                            side(b, min(sb.start, qb.start), max(sb.end, qb.end), sb.name),
                        ),
                        claims=(a.id, b.id),
                    )
                )
            elif QUOTE_WORDING_OVERLAP <= ov < 1.0 and min(len(ka), len(kb)) >= 4 and link == "aligned":
                sa, sb = _speaker_for(a, qa, antecedents), _speaker_for(b, qb, antecedents)
                if sa is not None and sb is not None and not cues.same_speaker(sa.name, sb.name):
                    continue
                only_a, only_b = _substituted(ka, kb)
                if not only_a or not only_b:
                    continue  # one quotes more of the same words, or only function words differ
                out.append(
                    Conflict(
                        kind="quote",
                        explanation=(
                            "The quotation is worded differently: "
                            f"‘{' '.join(only_a) or '…'}’ vs ‘{' '.join(only_b) or '…'}’."
                        ),
                        sides=(side(a, qa.start, qa.end, qa.text), side(b, qb.start, qb.end, qb.text)),
                        claims=(a.id, b.id),
                    )
                )
    return out


# -- polarity ---------------------------------------------------------------------------------------

# Steps of a process where saying "never <later step>" is weaker than "never <earlier step>".
_SCALES: tuple[tuple[tuple[str, int], ...], ...] = (
    (("sign", 1), ("ratif", 2)),
    (("charg", 1), ("indict", 2), ("convict", 3)),
    (("propos", 1), ("pass", 2), ("enact", 3)),
)
_ANTONYMS: tuple[tuple[str, str], ...] = (
    ("confirm", "deni"),
    ("confirm", "deny"),
    ("rais", "unchang"),
    ("rais", "lower"),
    ("rais", "cut"),
    ("increas", "decreas"),
    ("approv", "reject"),
    ("accept", "reject"),
    ("won", "lost"),
    ("guilty", "acquitt"),
    ("support", "oppos"),
    ("rose", "fell"),
    ("ris", "fall"),
)


def _scale_step(head: str) -> tuple[int, int] | None:
    for i, scale in enumerate(_SCALES):
        for prefix, level in scale:
            if head.startswith(prefix):
                return (i, level)
    return None


def _has_stem(claim: Claim, prefix: str) -> tuple[int, int] | None:
    for m in re.finditer(r"[A-Za-z]+", claim.text):
        if cues.stem(m.group()).startswith(prefix) or m.group().lower().startswith(prefix):
            return (claim.start + m.start(), claim.start + m.end())
    return None


def polarity_conflicts(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings) -> list[Conflict]:
    out: list[Conflict] = []
    neg_a, neg_b = cues.negations(a), cues.negations(b)
    # Both negated, different steps of one scale: one report is just less precise.
    for x in neg_a:
        for y in neg_b:
            sx, sy = _scale_step(x.head), _scale_step(y.head)
            if sx and sy and sx[0] == sy[0] and sx[1] != sy[1] and _shares_topic(a, b, {x.head, y.head}):
                strong, weak = (x, y) if sx[1] < sy[1] else (y, x)
                strong_text = _span_text(a, b, strong)
                weak_text = _span_text(a, b, weak)
                out.append(
                    Conflict(
                        kind="polarity",
                        explanation=(
                            f"Not a contradiction: ‘{strong_text}’ implies ‘{weak_text}’; "
                            "one report is only less precise."
                        ),
                        sides=(
                            side(a, x.start, x.end, x.cue + " " + x.word),
                            side(b, y.start, y.end, y.cue + " " + y.word),
                        ),
                        claims=(a.id, b.id),
                        precision_only=True,
                    )
                )
                return out
    if link != "aligned" or similarity < POLARITY_MIN_SIMILARITY or _speakers_differ(a, b):
        # Different parties' opposite positions ("X says it did not discriminate", "Y says it did")
        # are reported speech, not a contradiction between the reports.
        return out
    # One negates a verb the other asserts.
    for negs, this, other, first in ((neg_a, a, b, True), (neg_b, b, a, False)):
        other_negated = {n.head for n in (neg_b if first else neg_a)}
        for n in negs:
            if n.head in other_negated or len(n.head) < 4 or n.cue not in cues.STRICT_NEGATORS or not n.verbal:
                continue
            hit = _has_stem(other, n.head)
            if hit is None:
                continue
            asserted = other.text[hit[0] - other.start : hit[1] - other.start]
            if not (asserted.lower().endswith(("ed", "en")) or asserted.lower() == n.word.lower()):
                continue
            step = _scale_step(n.head)
            sides = (side(this, n.start, n.end, "not " + n.word), side(other, hit[0], hit[1], n.head))
            if not first:
                sides = (sides[1], sides[0])
            out.append(
                Conflict(
                    kind="polarity",
                    explanation=(
                        f"One report says ‘{this.text[n.start - this.start : n.end - this.start]}’, "
                        "the other "
                        f"asserts ‘{other.text[hit[0] - other.start : hit[1] - other.start]}’."
                        + (" (a scale: check which step each means)" if step else "")
                    ),
                    sides=sides,
                    claims=(a.id, b.id),
                )
            )
            return out
    for pos, neg in _ANTONYMS:
        for this, other, first in ((a, b, True), (b, a, False)):
            if "as opposed" in this.text.lower() or "as opposed" in other.text.lower():
                continue  # "as opposed to" contrasts, it does not oppose
            hx, hy = _has_stem(this, pos), _has_stem(other, neg)
            if hx and hy and not _has_stem(other, pos) and not _has_stem(this, neg):
                sides = (side(this, hx[0], hx[1], pos), side(other, hy[0], hy[1], neg))
                if not first:
                    sides = (sides[1], sides[0])
                out.append(
                    Conflict(
                        kind="polarity",
                        explanation=(
                            f"Opposite outcomes: ‘{this.text[hx[0] - this.start : hx[1] - this.start]}’ vs "
                            f"‘{other.text[hy[0] - other.start : hy[1] - other.start]}’."
                        ),
                        sides=sides,
                        claims=(a.id, b.id),
                    )
                )
                return out
    return out


# -- harm: "no injuries were reported" vs "two firefighters were treated" ---------------------------

_HARM_CLASSES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "injuries": (
        re.compile(
            r"\b(?:no (?:injuries|injury|one (?:was|were) (?:hurt|injured))|nobody (?:was )?(?:hurt|injured)|"
            r"no-one (?:was )?(?:hurt|injured)|without (?:injury|injuries)|no reports? of injur\w*|"
            r"no one (?:has been|had been) (?:hurt|injured))",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:were|was|been|are|is) (?:\w+ )?"
            r"(?:injured|hurt|wounded|hospitali[sz]ed|treated (?:at|for|in))"
            r"|\b(?:injuries|injured people|wounded)\b(?! were not)",
            re.IGNORECASE,
        ),
    ),
    "deaths": (
        re.compile(
            r"\b(?:no (?:deaths|fatalities|one (?:was|were) killed|one died)|nobody (?:was killed|died))",
            re.I,
        ),
        re.compile(r"\b(?:were|was|been) killed\b|\b(?:died|dead|deaths|fatalities)\b", re.I),
    ),
}


def harm_conflicts(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings) -> list[Conflict]:
    """One report says nobody was hurt (or killed), the other that people were."""
    out: list[Conflict] = []
    for what, (none_re, some_re) in _HARM_CLASSES.items():
        for this, other, first in ((a, b, True), (b, a, False)):
            m_none = none_re.search(this.text)
            if m_none is None or none_re.search(other.text):
                continue
            m_some = some_re.search(other.text)
            if m_some is None or (
                cues.negations(other)
                and any(n.start <= other.start + m_some.start() <= n.end for n in cues.negations(other))
            ):
                continue
            sides = (
                side(this, this.start + m_none.start(), this.start + m_none.end(), f"no {what}"),
                side(other, other.start, other.end, what),
            )
            if not first:
                sides = (sides[1], sides[0])
            out.append(
                Conflict(
                    kind="polarity",
                    explanation=(
                        f"One report says there were no {what} (‘{m_none.group()}’); "
                        f"the other reports some (‘{' '.join(other.text.split())}’)."
                    ),
                    sides=sides,
                    claims=(a.id, b.id),
                )
            )
            return out
    return out


POLARITY_MIN_SIMILARITY = 0.6


def _speakers_differ(a: Claim, b: Claim) -> bool:
    sa, sb = cues.speakers(a), cues.speakers(b)
    if not sa or not sb:
        return False
    return not any(cues.same_speaker(x.name, y.name) for x in sa for y in sb)


def _span_text(a: Claim, b: Claim, n: cues.Negated) -> str:
    for c in (a, b):
        if c.start <= n.start and n.end <= c.end:
            return c.text[n.start - c.start : n.end - c.start]
    return n.head


def _shares_topic(a: Claim, b: Claim, ignore: set[str]) -> bool:
    shared = cues.content_stems(a.text) & cues.content_stems(b.text)
    return bool(shared - ignore)


Check = Callable[[Claim, Claim, Link, float, Settings], list[Conflict]]
CHECKS: tuple[Check, ...] = (
    number_conflicts,
    date_conflicts,
    entity_conflicts,
    role_conflicts,
    polarity_conflicts,
    harm_conflicts,
)


def find_conflicts(
    a: Claim,
    b: Claim,
    *,
    link: Link,
    similarity: float,
    settings: Settings | None = None,
    antecedents: Mapping[str, str] | None = None,
) -> list[Conflict]:
    """Every typed conflict between two claims (of different articles).

    ``antecedents`` maps a claim id to the person named last before it in its article, so that a quote
    closed by "he said" can be credited.
    """
    settings = settings or Settings()
    out: list[Conflict] = []
    for check in CHECKS:
        found = check(a, b, link, similarity, settings)
        if check is role_conflicts and any(c.kind == "entity" for c in out):
            continue  # the same two names already reported as a different person in the same role
        out.extend(found)
    out.extend(quote_conflicts(a, b, link, similarity, settings, antecedents))
    return out


def antecedent_names(claims: Sequence[Claim]) -> dict[str, str]:
    """Claim id -> the speaker of the claim just before it, when that claim has one named person who
    speaks ("Fire Chief Tomas Oduya said ..." then '"...," he said'); otherwise no entry."""
    out: dict[str, str] = {}
    for prev, c in itertools.pairwise(claims):
        people = {(f.norm or f.text) for f in prev.facts if f.kind == "person"}
        if len(people) != 1:
            continue
        person = next(iter(people))
        if any(cues.same_speaker(sp.name, person) for sp in cues.speakers(prev)):
            out[c.id] = person
    return out
