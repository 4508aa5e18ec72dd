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

import re
from datetime import date, datetime

from corroborator.text import words
from corroborator.text.temporal.build import _value
from corroborator.text.temporal.patterns import _ANY_TIME, _MASTER
from corroborator.text.temporal.values import TemporalKind, TemporalValue, Tense

__all__ = ["TemporalKind", "TemporalValue", "Tense", "infer_tense", "normalise_temporal"]


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
