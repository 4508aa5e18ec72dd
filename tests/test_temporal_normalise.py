"""normalise_temporal: dates, periods and durations on sentences written for the test.

Publication date used throughout: Friday 7 March 2025 (ISO week 10).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from corroborator.text.temporal import TemporalValue, infer_tense, normalise_temporal

PUB = date(2025, 3, 7)

# (sentence, expression text, kind, norm, earliest, latest, label)
ANCHORED = [
    ("The treaty was signed in 1999.", "1999", "date", "1999", "1999-01-01", "1999-12-31", None),
    (
        "It had been in place since 2021.",
        "since 2021",
        "period",
        "since 2021",
        "2021-01-01",
        "2025-03-07",
        "since",
    ),
    (
        "For the first time since the 1990s, mines return.",
        "since the 1990s",
        "period",
        "since 1990s",
        "1990-01-01",
        "2025-03-07",
        "since",
    ),
    (
        "Sales grew between 2019 and 2021.",
        "between 2019 and 2021",
        "period",
        "2019/2021",
        "2019-01-01",
        "2021-12-31",
        "between",
    ),
    (
        "Sales grew from 2019 to 2021.",
        "from 2019 to 2021",
        "period",
        "2019/2021",
        "2019-01-01",
        "2021-12-31",
        "from",
    ),
    (
        "The 2019-2021 figures were revised.",
        "2019-2021",
        "period",
        "2019/2021",
        "2019-01-01",
        "2021-12-31",
        "between",
    ),
    ("Crime fell in the 1990s.", "in the 1990s", "period", "1990s", "1990-01-01", "1999-12-31", "in"),
    ("Music of the '80s returned.", "the '80s", "period", "1980s", "1980-01-01", "1989-12-31", "decade"),
    (
        "Prices peaked in the mid-1990s.",
        "in the mid-1990s",
        "period",
        "mid 1990s",
        "1994-01-01",
        "1996-12-31",
        "in",
    ),
    ("Officials met on Jan. 5 to plan.", "Jan. 5", "date", "2025-01-05", "2025-01-05", "2025-01-05", None),
    ("The vote is on Dec. 30 this time.", "Dec. 30", "date", "2024-12-30", "2024-12-30", "2024-12-30", None),
    (
        "It opened on January 5, 2021.",
        "January 5, 2021",
        "date",
        "2021-01-05",
        "2021-01-05",
        "2021-01-05",
        None,
    ),
    (
        "It opened on 5 January 2021.",
        "5 January 2021",
        "date",
        "2021-01-05",
        "2021-01-05",
        "2021-01-05",
        None,
    ),
    ("It opened in March 2020.", "March 2020", "date", "2020-03", "2020-03-01", "2020-03-31", None),
    ("The file is dated 2021-01-05.", "2021-01-05", "date", "2021-01-05", "2021-01-05", "2021-01-05", None),
    ("The form is dated 1/5/2021.", "1/5/2021", "date", "2021-01-05", "2021-01-05", "2021-01-05", None),
    (
        "Work began in early 2021.",
        "early 2021",
        "date",
        "2021-01-01/2021-04-30",
        "2021-01-01",
        "2021-04-30",
        None,
    ),
    ("He spoke yesterday.", "yesterday", "date", "2025-03-06", "2025-03-06", "2025-03-06", None),
    ("She arrives tomorrow.", "tomorrow", "date", "2025-03-08", "2025-03-08", "2025-03-08", None),
    ("The bill passed last week.", "last week", "date", "2025-W09", "2025-02-24", "2025-03-02", None),
    ("The bill passed last month.", "last month", "date", "2025-02", "2025-02-01", "2025-02-28", None),
    ("Rates rose last year.", "last year", "date", "2024", "2024-01-01", "2024-12-31", None),
    ("Talks resume next week.", "next week", "date", "2025-W11", "2025-03-10", "2025-03-16", None),
    ("He left three years ago.", "three years ago", "date", "2022", "2022-01-01", "2022-12-31", "ago"),
    ("He left 10 days ago.", "10 days ago", "date", "2025-02-25", "2025-02-25", "2025-02-25", "ago"),
    (
        "Prices rose over the past three years.",
        "over the past three years",
        "period",
        "past P3Y",
        "2022-03-07",
        "2025-03-07",
        "past",
    ),
    ("The ban holds until 2030.", "until 2030", "period", "until 2030", None, "2030-12-31", "until"),
    ("Cuts are due by March 2026.", "by March 2026", "period", "by 2026-03", None, "2026-03-31", "by"),
    (
        "No such case before 2020 was found.",
        "before 2020",
        "period",
        "before 2020",
        None,
        "2019-12-31",
        "before",
    ),
    (
        "Costs rose earlier this year.",
        "earlier this year",
        "date",
        "2025-01-01/2025-03-07",
        "2025-01-01",
        "2025-03-07",
        None,
    ),
    (
        "Voters went to the polls last summer.",
        "last summer",
        "date",
        "2024-06-01/2024-08-31",
        "2024-06-01",
        "2024-08-31",
        None,
    ),
    (
        "A rally is planned this weekend.",
        "this weekend",
        "date",
        "2025-03-08/2025-03-09",
        "2025-03-08",
        "2025-03-09",
        None,
    ),
    (
        "It shaped the 20th century.",
        "the 20th century",
        "period",
        "20th century",
        "1900-01-01",
        "1999-12-31",
        "century",
    ),
    ("The 2020 election was close.", "2020", "date", "2020", "2020-01-01", "2020-12-31", None),
    ("In May, officials resigned.", "May", "date", "2024-05", "2024-05-01", "2024-05-31", None),
    (
        "An autopsy is set for Wednesday, June 11.",
        "Wednesday, June 11",
        "date",
        "2025-06-11",
        "2025-06-11",
        "2025-06-11",
        None,
    ),
    (
        "Posted: Saturday, April 5, 2014 10:24 AM",
        "Saturday, April 5, 2014",
        "date",
        "2014-04-05",
        "2014-04-05",
        "2014-04-05",
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "text", "kind", "norm", "earliest", "latest", "label"), ANCHORED)
def test_temporal_anchored(
    sentence: str,
    text: str,
    kind: str,
    norm: str,
    earliest: str | None,
    latest: str | None,
    label: str | None,
) -> None:
    found = normalise_temporal(sentence, PUB)
    assert [v.text for v in found] == [text]
    v = found[0]
    assert sentence[v.start : v.end] == v.text
    assert (v.kind, v.norm, v.label) == (kind, norm, label)
    assert (str(v.earliest) if v.earliest else None) == earliest
    assert (str(v.latest) if v.latest else None) == latest


# (sentence, expression, norm, number, unit, label, deadline with PUB, approximate)
DURATIONS = [
    (
        "A framework is due within 90 days.",
        "within 90 days",
        "P90D",
        90,
        "days",
        "within",
        "2025-06-05",
        False,
    ),
    ("The Pentagon ordered a 90-day review.", "90-day", "P90D", 90, "days", "within", "2025-06-05", False),
    ("Congress has a 30-day window to act.", "30-day", "P30D", 30, "days", "within", "2025-04-06", False),
    (
        "Results come in the next 30 days.",
        "in the next 30 days",
        "P30D",
        30,
        "days",
        "within",
        "2025-04-06",
        False,
    ),
    ("A decision is expected in two weeks.", "in two weeks", "P2W", 2, "weeks", "in", "2025-03-21", False),
    ("He gave them 48 hours to leave.", "48 hours", "PT48H", 48, "hours", None, None, False),
    ("She served for three years.", "for three years", "P3Y", 3, "years", "for", None, False),
    ("He got a two-year sentence.", "two-year", "P2Y", 2, "years", "for", None, False),
    ("The talks lasted nearly two weeks.", "nearly two weeks", "P2W", 2, "weeks", None, None, True),
    ("The feud lasted some 40 years.", "some 40 years", "P40Y", 40, "years", None, None, True),
    ("It took six months.", "six months", "P6M", 6, "months", None, None, False),
    ("A decade-long war ended.", None, None, None, None, None, None, False),
    ("A 10-year-old boy was hurt.", None, None, None, None, None, None, False),
]


@pytest.mark.parametrize(("sentence", "text", "norm", "number", "unit", "label", "deadline", "approx"), DURATIONS)
def test_temporal_durations(
    sentence: str,
    text: str | None,
    norm: str | None,
    number: float | None,
    unit: str | None,
    label: str | None,
    deadline: str | None,
    approx: bool,
) -> None:
    found = [v for v in normalise_temporal(sentence, PUB) if v.kind == "duration"]
    if text is None:
        assert found == []
        return
    assert len(found) == 1
    v = found[0]
    assert (v.text, v.norm, v.number, v.unit, v.label, v.approximate) == (
        text,
        norm,
        number,
        unit,
        label,
        approx,
    )
    assert (str(v.latest) if v.latest else None) == deadline
    if deadline:
        assert v.earliest == PUB
    unanchored = next(x for x in normalise_temporal(sentence, None) if x.kind == "duration")
    assert (unanchored.norm, unanchored.earliest, unanchored.latest) == (norm, None, None)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The minister said Tuesday that talks failed.", "2025-03-04"),  # past: most recent Tuesday
        ("The minister said Friday that talks failed.", "2025-03-07"),  # publication day itself
        ("The minister will speak on Tuesday.", "2025-03-11"),  # future: the next Tuesday
        ("The minister will speak on Friday.", "2025-03-07"),
        ("The hearing is Tuesday.", "2025-03-04"),  # no tense cue: the publication week's Tuesday
        ("The hearing is Sunday.", "2025-03-09"),
        ("It happened last Friday.", "2025-02-28"),  # "last": strictly before
        ("It happens next Friday.", "2025-03-14"),  # "next": strictly after
        ("It happens this Monday.", "2025-03-03"),
        ("The funeral is planned for Friday.", "2025-03-07"),  # "planned for" is a future cue
        ("The funeral was planned for Sunday.", "2025-03-09"),
    ],
)
def test_temporal_weekday_rule(sentence: str, expected: str) -> None:
    found = [v for v in normalise_temporal(sentence, PUB) if v.kind == "date"]
    assert len(found) == 1
    assert found[0].norm == expected
    assert str(found[0].earliest) == str(found[0].latest) == expected


@pytest.mark.parametrize(
    ("sentence", "norm"),
    [
        ("Officials met on Jan. 5 to plan.", "--01-05"),
        ("He spoke yesterday.", "yesterday"),
        ("The bill passed last week.", "last week"),
        ("He left three years ago.", "-P3Y"),
        ("The minister said Tuesday that talks failed.", "tuesday"),
        ("It happened last Friday.", "last friday"),
        ("In May, officials resigned.", "--05"),
    ],
)
def test_temporal_unanchored_relative(sentence: str, norm: str) -> None:
    found = normalise_temporal(sentence, None)
    assert len(found) == 1
    assert (found[0].norm, found[0].earliest, found[0].latest) == (norm, None, None)


def test_temporal_unanchored_periods_keep_open_end() -> None:
    (since,) = normalise_temporal("It had been in place since 2021.", None)
    assert (since.kind, since.label, str(since.earliest), since.latest) == (
        "period",
        "since",
        "2021-01-01",
        None,
    )
    (past,) = normalise_temporal("Prices rose over the past three years.", None)
    assert (past.norm, past.earliest, past.latest) == ("past P3Y", None, None)


@pytest.mark.parametrize(
    "sentence", ["Not in a million years.", "It happened 5000 years ago.", "Within 9999 centuries."]
)
def test_temporal_off_the_calendar_keeps_norm_without_dates(sentence: str) -> None:
    for v in normalise_temporal(sentence, PUB):
        assert v.norm
        assert v.earliest is None or v.earliest.year >= 1


def test_temporal_accepts_aware_datetime() -> None:
    (v,) = normalise_temporal("He spoke yesterday.", datetime(2025, 3, 7, 23, 30, tzinfo=UTC))
    assert v.norm == "2025-03-06"


@pytest.mark.parametrize(
    "sentence",
    [
        "About 2000 people marched.",  # a count, not a year
        "Some 1500 troops were sent.",
        "You may go now.",  # the modal, not the month
        "Nobody could march there.",
        "The score was 3-2 at halftime.",
        "February 30, 2020 is not a date.",
        "He paid $2020 for it.",
        "Turnout hit 2020% of target.",
        "Police arrived after 2000 people gathered.",
        "Between 1500 and 2000 troops left.",
    ],
)
def test_temporal_ignores_non_dates(sentence: str) -> None:
    assert normalise_temporal(sentence, PUB) == []


def test_temporal_several_in_one_sentence_in_order() -> None:
    text = "Signed in 1999, the treaty has been ignored since 2021, and a review is due within 90 days."
    found = normalise_temporal(text, PUB)
    assert [(v.kind, v.text) for v in found] == [
        ("date", "1999"),
        ("period", "since 2021"),
        ("duration", "within 90 days"),
    ]
    assert all(isinstance(v, TemporalValue) and text[v.start : v.end] == v.text for v in found)


@pytest.mark.parametrize(
    ("sentence", "tense"),
    [
        ("He said the plan failed.", "past"),
        ("The ministry announced cuts.", "past"),
        ("She will announce cuts.", "future"),
        ("The vote is set to take place.", "future"),
        ("The plan is bold.", "present"),
    ],
)
def test_temporal_infer_tense(sentence: str, tense: str) -> None:
    assert infer_tense(sentence) == tense


def test_master_pattern_guard_changes_no_match_on_real_articles() -> None:
    """The master pattern's leading guard (a word boundary or a digit) only skips positions where no
    alternative can start: every alternative opens with ``\\b`` or, for a year range, with a year's first
    digit; and on 150 real AllSides articles the guarded and unguarded patterns find the same matches."""
    import json
    import lzma
    import re

    from conftest import shared_path
    from corroborator.text.temporal import patterns

    for alt in patterns._ALTERNATIVES:
        assert re.match(r"\(\?P<\w+>(?:\\b|\(\?P<r1>\(\?<!)", alt), alt[:40]
    plain = re.compile("|".join(patterns._ALTERNATIVES))
    shard = shared_path("corpus", "allsides", "articles", "articles-02.jsonl.xz")
    with lzma.open(shard, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["content_original"] for _, line in zip(range(150), fh, strict=False)]
    found = 0
    for text in texts:
        guarded = [(m.span(), m.lastgroup, m.groupdict()) for m in patterns._MASTER.finditer(text)]
        assert guarded == [(m.span(), m.lastgroup, m.groupdict()) for m in plain.finditer(text)]
        found += len(guarded)
    assert found > 500
