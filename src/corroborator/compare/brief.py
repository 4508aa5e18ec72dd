"""The consolidated brief: every sentence cites the spans it comes from, and every citation is true.

Order, as a wire editor writes: what several sources confirm, most important first (independent sources,
how early the reports tell it, the facts it carries; a claim whose facts other sources state in other
sentences is told once, with what each confirms); then what single sources add ("Only X reports", or "X
adds" for a claim some of whose facts others state); then contested points (a party disputes them, as a
report says: "X — disputed by Stone, per B"; not a contradiction between the reports), disputed points
with both versions (the reports contradict each other) and differences of precision only; then a timeline
of the dates and deadlines mentioned, and a closing line saying what was left out and why. The brief is
extractive: its sentences are the sources' own claims (from the least loaded wording available) or short
connecting phrases around them, so it never states anything no source said. A claim with no fact
("Further details will be set out in due course.") is never a point; page furniture is never a claim.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import PurePath

from corroborator.compare.conflicts import _year_range
from corroborator.compare.ledger import claim_facts
from corroborator.compare.ledger.citations import true_citations
from corroborator.compare.ledger.points import fact_points, importance, informativeness
from corroborator.model import (
    TEMPORAL_KINDS,
    Alignment,
    Article,
    Brief,
    BriefSentence,
    Citation,
    Claim,
    Conflict,
    Contest,
    Corroboration,
    Framing,
    LedgerFact,
    Point,
    TimelineEntry,
)

# Not a setting: a guard against fragments ("The U.S." cut off by a paragraph break), not a matter of taste.
MIN_POINT_WORDS = 4
_FACTUAL_KINDS = frozenset(
    {"number", "money", "percent", "date", "period", "duration", "person", "organization", "place", "quote"}
)


def label_of(article: Article) -> str:
    """A reader's name for a source: the outlet, else its own id, else its file name, else the id."""
    if article.source or article.external_id:
        return article.label
    if article.origin:
        return PurePath(article.origin.split("#")[0]).name or article.id
    return article.id


def _cite(c: Claim) -> Citation:
    return Citation(article_id=c.article_id, start=c.start, end=c.end)


def group_points(
    claims: Mapping[str, Claim],
    alignments: Sequence[Alignment],
    statuses: Mapping[str, Corroboration],
    loadedness: Mapping[str, int],
    subjectivity: Mapping[str, float] | None = None,
    apart: Collection[frozenset[str]] = (),
) -> list[Point]:
    """Greedy grouping: each corroborated claim with its best partner in every other article.

    ``subjectivity`` (article id -> framing subjectivity) breaks ties toward the plainer outlet.

    ``apart``: claim pairs never grouped, a contested claim and the claim reporting its dispute (they
    are aligned, being about one matter, but the second does not state the first).

    ``loadedness`` (claim id -> framing terms inside it) picks the plainest wording as representative.
    """
    partners: dict[str, dict[str, tuple[float, str]]] = {cid: {} for cid in claims}
    for al in alignments:
        if al.relation not in ("same", "overlap"):
            continue
        for x, y in ((al.a, al.b), (al.b, al.a)):
            art = claims[y].article_id
            if art not in partners[x] or al.similarity > partners[x][art][0]:
                partners[x][art] = (al.similarity, y)
    order = sorted(
        (cid for cid, s in statuses.items() if s.status == "corroborated"),
        key=lambda cid: (-statuses[cid].independent_sources, -len(partners[cid]), cid),
    )
    subjectivity = subjectivity or {}
    covered: set[str] = set()
    points = []
    for cid in order:
        if cid in covered:
            continue
        # A disputed claim is told in its dispute, with both versions, not as an agreed point.
        members = [cid] + [
            y
            for _, y in partners[cid].values()
            if y not in covered and statuses[y].status != "disputed" and frozenset((cid, y)) not in apart
        ]
        if len(members) < 2:
            continue
        covered.update(members)
        members.sort(
            key=lambda m: (loadedness.get(m, 0), subjectivity.get(claims[m].article_id, 0.0), len(claims[m].text))
        )
        points.append(Point(claims=tuple(members), status="corroborated"))
    return points


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text[:1].islower():  # a clause cut from the middle of a sentence
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "’", "”", '"', "'")) else text + "."


def _iso_key(earliest: str, latest: str | None) -> str:
    """The date at the precision the text gave it: '2026-03-03', '2025-10' or '1999'."""
    if latest is None or latest[:10] == earliest[:10]:
        return earliest[:10]
    if latest[:7] == earliest[:7]:
        return earliest[:7]
    return earliest[:4]


def timeline(claims: Sequence[Claim]) -> list[TimelineEntry]:
    entries = []
    seen: set[tuple[str, str]] = set()
    for c in claims:
        for f in c.facts:
            if f.kind not in TEMPORAL_KINDS:
                continue
            if f.earliest:
                key = _iso_key(f.earliest, f.latest)
            else:
                years = _year_range(f)
                if years is None and f.kind != "duration":
                    continue
                key = f"{years[0]:04d}" if years else "~"
            dedupe = (c.article_id, f"{key}:{f.text.lower()}")
            if dedupe in seen:
                continue
            seen.add(dedupe)
            entries.append(
                TimelineEntry(
                    when=f.text,
                    sort_key=key,
                    what=" ".join(c.text.split()),
                    citation=Citation(article_id=c.article_id, start=c.start, end=c.end),
                )
            )
    return sorted(entries, key=lambda e: (e.sort_key, e.citation.article_id, e.citation.start))


def build_brief(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    alignments: Sequence[Alignment],
    statuses: Mapping[str, Corroboration],
    conflicts: Sequence[Conflict],
    framings: Sequence[Framing] = (),
    groups: Mapping[str, str] | None = None,
    *,
    max_single_source: int,
    contests: Sequence[Contest] = (),
    ledger: Sequence[LedgerFact] = (),
    length: int = 0,
) -> tuple[Brief, list[Point], list[TimelineEntry]]:
    """The brief, its points and the timeline; ``max_single_source`` is the setting ``brief_single_source``,
    ``length`` the setting ``brief_length`` (corroborated points told; 0: scaled to the story).

    Order: what several sources confirm, most important first (sources, lead position, facts carried),
    then what single sources add, then contested claims, contradictions and differences of precision,
    then the timeline. A point holding a contested claim (``contests``) is told in the contested section,
    with who disputes it per which report, and has status "contested"; the others are "corroborated".
    Every citation is checked against the span it cites (:func:`true_citations`)."""
    by_id = {c.id: c for c in claims}
    by_article = {a.id: a for a in articles}
    loadedness = _loadedness(claims, framings)
    subjectivity = {fr.article_id: fr.subjectivity for fr in framings}
    apart = {frozenset((k.claim, k.dispute)) for k in contests}
    points = group_points(by_id, alignments, statuses, loadedness, subjectivity, apart)
    contested_of: dict[str, list[Contest]] = {}
    for k in contests:
        contested_of.setdefault(k.claim, []).append(k)
    points = [Point(p.claims, "contested") if any(m in contested_of for m in p.claims) else p for p in points]
    groups = groups or {}
    order = {a.id: i for i, a in enumerate(articles)}
    by_claim = claim_facts(ledger)
    # Pairs told as one: aligned, and in no contradiction ("signed in 1999" and "came into force in 1999").
    opposed = {frozenset(cf.claims) for cf in conflicts if not cf.precision_only}
    aligned = {frozenset((al.a, al.b)) for al in alignments if al.relation in ("same", "overlap")} - opposed
    out: list[BriefSentence] = []
    used: set[str] = set()
    told, beyond, empty = _corroborated_sentences(
        [p for p in points if p.status != "contested"], by_id, by_article, by_claim, groups, order, length, aligned
    )
    out.extend(told)
    used.update(c.article_id + f":{c.start}-{c.end}" for s in told for c in s.citations if not c.facts)
    for p in points:
        if p.status != "contested":
            used.update(p.claims)  # beyond the length or without a fact: counted in the closing line

    singles = [c for c in claims if statuses[c.id].status == "single-source" and c.id not in used]
    factual = [c for c in singles if _checkable(c, loadedness.get(c.id, 0))]
    shown = _single_source_sentences(factual, by_article, order, max_single_source, out, by_claim)
    used.update(c.id for c in shown)

    # A contested claim no other report states is a point of its own here.
    in_points = {m for p in points for m in p.claims}
    contested_points = [p for p in points if p.status == "contested"] + [
        Point((cid,), "contested")
        for cid in sorted(contested_of, key=lambda x: (order[by_id[x].article_id], by_id[x].start))
        if cid not in in_points
    ]
    for p in contested_points:
        listed = [k for m in p.claims for k in contested_of.get(m, ())]
        out.append(_contested_sentence(p, listed, by_id, by_article, order))
        used.update(p.claims)
        used.update(k.dispute for k in listed)

    for precision_only in (False, True):
        for dispute in group_disputes([c for c in conflicts if c.precision_only == precision_only]):
            out.append(_dispute_sentence(dispute, by_article, order, precision_only=precision_only))
            for cf in dispute:
                used.update(cf.claims)

    entries = timeline(claims)
    out.extend(_timeline_sentences(entries, by_article, by_id, by_claim, aligned))
    repeated = sum(
        1 for c in claims if c.id not in used and statuses[c.id].status in ("corroborated", "disputed", "contested")
    )
    left_out = _left_out(
        len(claims), repeated, len(singles) - len(factual), len(factual) - len(shown), max_single_source, beyond, empty
    )
    note = languages_note(articles)
    if note:
        out.insert(0, BriefSentence(text=note, citations=(), status="note"))
    checked = true_citations(out, by_id, ledger, alignments, conflicts, contests)
    title = _title(articles)
    points = [p for p in points if p.status != "contested"] + [p for p in contested_points if len(p.claims) > 1]
    return Brief(title=title, sentences=tuple(checked), left_out=left_out), points, entries


def brief_points(claims: int, length: int) -> int:
    """Corroborated points a brief tells: ``length`` when set, else scaled to the story (7 for the 14
    claims of two short reports, 20 at most)."""
    return length if length > 0 else min(20, max(5, round(2 * claims**0.5)))


def _corroborated_sentences(
    points: Sequence[Point],
    by_id: Mapping[str, Claim],
    by_article: Mapping[str, Article],
    by_claim: Mapping[str, Sequence[LedgerFact]],
    groups: Mapping[str, str],
    order: Mapping[str, int],
    length: int,
    aligned: Collection[frozenset[str]],
) -> tuple[list[BriefSentence], int, int]:
    """One sentence per point (aligned claims, or claims sharing facts), most important first, at most
    :func:`brief_points`; returns them, how many were beyond the length, and how many had no fact."""
    rank: dict[str, int] = {}
    for a in by_article:
        for i, c in enumerate(sorted((c for c in by_id.values() if c.article_id == a), key=lambda c: c.start)):
            rank[c.id] = i
    covered = {m for p in points for m in p.claims}
    candidates: list[tuple[float, BriefSentence]] = []
    empty = 0
    for p in points:
        members = [by_id[m] for m in p.claims]
        if not any(informativeness(c) or by_claim.get(c.id) for c in members):
            empty += 1  # "Further details will be set out in due course.": corroborated, but says nothing
            continue
        sources = {c.article_id for c in members}
        n_independent = len({groups.get(a, a) for a in sources})
        score = importance(members, n_independent, rank, len(by_claim.get(p.claims[0], ())))
        candidates.append((score, _point_sentence(p, by_id, order, n_independent)))
    for fp in fact_points(by_id, by_claim, covered, order):
        members = [by_id[m] for m in fp.claims]
        n_independent = len({groups.get(c.article_id, c.article_id) for c in members})
        shared = sum(len(words) for _, words in fp.confirmed)
        text = _sentence(members[0].text)
        also = "; ".join(
            f"{label_of(by_article[a])} also reports {', '.join(f'‘{w}’' for w in words)}" for a, words in fp.confirmed
        )
        sentence = BriefSentence(text=f"{text} ({also})", citations=fp.citations, status="corroborated")
        candidates.append((importance(members, n_independent, rank, shared) - 0.5, sentence))
    candidates.sort(key=lambda x: -x[0])
    limit = brief_points(len(by_id), length)
    return [s for _, s in candidates[:limit]], max(0, len(candidates) - limit), empty


def _point_sentence(
    p: Point, by_id: Mapping[str, Claim], order: Mapping[str, int], n_independent: int
) -> BriefSentence:
    rep = by_id[p.claims[0]]
    sources = sorted({by_id[m].article_id for m in p.claims}, key=order.__getitem__)
    text = _sentence(rep.text)
    others = list(
        dict.fromkeys(
            by_id[m].language or "en" for m in p.claims if (by_id[m].language or "en") != (rep.language or "en")
        )
    )
    if others:
        # Quoted in the representative's own language; say where the others said it in another.
        text += f" (also reported in {_and(language_name(x) for x in others)})"
    if n_independent < len(sources):
        text += f" ({len(sources)} reports, {n_independent} independent"
        text += " source)" if n_independent == 1 else " sources)"
    return BriefSentence(text=text, citations=tuple(_cite(by_id[m]) for m in p.claims), status="corroborated")


def _loadedness(claims: Sequence[Claim], framings: Sequence[Framing]) -> dict[str, int]:
    """Claim id -> the loaded, emotive or hedging terms inside it."""
    out: dict[str, int] = {}
    for fr in framings:
        for t in fr.terms:
            for c in claims:
                if c.article_id == fr.article_id and c.start <= t.start < c.end:
                    out[c.id] = out.get(c.id, 0) + 1
    return out


def _single_source_sentences(
    factual: Sequence[Claim],
    by_article: Mapping[str, Article],
    order: Mapping[str, int],
    limit: int,
    out: list[BriefSentence],
    by_claim: Mapping[str, Sequence[LedgerFact]] | None = None,
) -> list[Claim]:
    """Append "Only X reports: ..." for the ``limit`` most fact-laden claims, in text order so each
    outlet's details read in sequence; a claim some of whose facts other sources state too is what X
    "adds", never "only X reports". Returns the claims shown."""
    ranked = sorted(factual, key=lambda c: -_weight(c))[:limit]
    shown = sorted(ranked, key=lambda c: (order[c.article_id], c.start))
    for c in shown:
        label = label_of(by_article[c.article_id])
        shares = any(
            f.status in ("corroborated", "precision") and f.kind != "name" for f in (by_claim or {}).get(c.id, ())
        )
        lead = f"{label} adds" if shares else f"Only {label} reports"
        out.append(BriefSentence(text=f"{lead}: {_sentence(c.text)}", citations=(_cite(c),), status="single-source"))
    return shown


def _timeline_sentences(
    entries: Sequence[TimelineEntry],
    by_article: Mapping[str, Article],
    by_id: Mapping[str, Claim] | None = None,
    by_claim: Mapping[str, Sequence[LedgerFact]] | None = None,
    aligned: Collection[frozenset[str]] = (),
) -> list[BriefSentence]:
    """One sentence per date mentioned, citing every report that states that date of that matter: two
    reports' "Friday" are one entry only when their claims are aligned or share the date as a ledger
    fact (a repair due on Friday and a supply restored on Friday are two entries)."""
    merged: dict[tuple[str, str], list[TimelineEntry]] = {}
    for e in entries:
        key = (e.sort_key, "" if len(e.sort_key) == 10 else e.when.lower())  # a resolved day: however written
        for prior in merged.get(key, [])[:1]:
            if not _same_matter(prior, e, by_claim or {}, aligned):
                key = (e.sort_key, f"{e.when.lower()}#{e.citation.article_id}:{e.citation.start}")
        merged.setdefault(key, []).append(e)
    out = []
    for group in merged.values():
        labels = ", ".join(dict.fromkeys(label_of(by_article[e.citation.article_id]) for e in group))
        out.append(
            BriefSentence(
                text=f"{_when(group[0])} ({labels}): {_sentence(group[0].what)}",
                citations=tuple(_date_citation(group[0], e, by_claim or {}, aligned) for e in group),
                status="timeline",
            )
        )
    return out


def _claim_id(c: Citation) -> str:
    return f"{c.article_id}:{c.start}-{c.end}"


def _date_citation(
    told: TimelineEntry,
    e: TimelineEntry,
    by_claim: Mapping[str, Sequence[LedgerFact]],
    aligned: Collection[frozenset[str]],
) -> Citation:
    """``e``'s citation for the entry that tells ``told``: whole when the claims are one or aligned, else
    for the date they share only."""
    x, y = _claim_id(told.citation), _claim_id(e.citation)
    if x == y or frozenset((x, y)) in aligned:
        return e.citation
    shared = [f.id for f in by_claim.get(y, ()) if _agreed_date(f) and f in by_claim.get(x, ())]
    return Citation(e.citation.article_id, e.citation.start, e.citation.end, facts=tuple(shared))


def _same_matter(
    a: TimelineEntry,
    b: TimelineEntry,
    by_claim: Mapping[str, Sequence[LedgerFact]],
    aligned: Collection[frozenset[str]],
) -> bool:
    x, y = _claim_id(a.citation), _claim_id(b.citation)
    if x == y or frozenset((x, y)) in aligned:
        return True
    # One day is no one matter ("Trump said on Monday", "an interview published Monday"): the two claims
    # share the date and another fact of what happened that day.
    fx, fy = {f.id: f for f in by_claim.get(x, ())}, {f.id: f for f in by_claim.get(y, ())}
    shared = [fx[i] for i in fx.keys() & fy.keys()]
    return any(_agreed_date(f) for f in shared) and any(
        f.kind not in ("date", "name") and f.status in ("corroborated", "precision") for f in shared
    )


def _agreed_date(f: LedgerFact) -> bool:
    return f.kind == "date" and f.status in ("corroborated", "precision")


def _left_out(
    total: int, repeated: int, commentary: int, beyond: int, limit: int, points_beyond: int = 0, empty: int = 0
) -> str:
    parts = []
    if points_beyond:
        parts.append(f"{points_beyond} further corroborated points (the brief's length)")
    if empty:
        parts.append(f"{empty} corroborated claims with no fact (boilerplate, transitions)")
    if repeated:
        parts.append(f"{repeated} claims that repeat a point above in other words")
    if commentary:
        parts.append(f"{commentary} single-source claims with no checkable fact (commentary, context, framing)")
    if beyond:
        parts.append(f"{beyond} further single-source claims (the first {limit} are shown)")
    if not parts:
        return f"Nothing left out: all {total} claims are covered above."
    if not (repeated + commentary + beyond):
        return "Left out " + "; ".join(parts) + "."
    return f"Left out {repeated + commentary + beyond} of {total} claims: " + "; ".join(parts) + "."


_WEIGHTS = {"number": 3, "money": 3, "percent": 3, "date": 2, "period": 2, "duration": 2, "quote": 2, "person": 1}


def _weight(c: Claim) -> int:
    return sum(_WEIGHTS.get(f.kind, 0) for f in c.facts)


def _when(e: TimelineEntry) -> str:
    """'2026-03-03 (on Tuesday)' when the date was resolved to a day, else the words as written."""
    if len(e.sort_key) in (7, 10) and e.sort_key[:4] not in e.when:
        return f"{e.sort_key} ({e.when})"
    return e.when


def _checkable(c: Claim, loaded_terms: int) -> bool:
    """A claim a reader could check: a figure, a date, a quote or a named person; a claim whose only
    facts are names of places or organisations counts only when it carries no loaded wording."""
    if len(c.text.split()) < MIN_POINT_WORDS:
        return False  # a fragment ("The U.S." cut off by a paragraph break)
    kinds = {f.kind for f in c.facts}
    if kinds & (_FACTUAL_KINDS - {"place", "organization"}):
        return True
    entities = {(f.norm or f.text).lower() for f in c.facts if f.kind in ("place", "organization")}
    return len(entities) >= 2 or (len(entities) == 1 and loaded_terms == 0)


def group_disputes(conflicts: Sequence[Conflict]) -> list[list[Conflict]]:
    """Pairwise conflicts of one kind that share a claim are one disagreement seen from several pairs
    (three outlets say 340, one says 430)."""
    parent = list(range(len(conflicts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for i, cf in enumerate(conflicts):
        for cid in cf.claims:
            key = (cf.kind, cid)
            if key in first_with:
                parent[find(i)] = find(first_with[key])
            else:
                first_with[key] = i
    out: dict[int, list[Conflict]] = {}
    for i, cf in enumerate(conflicts):
        out.setdefault(find(i), []).append(cf)
    return list(out.values())


def _dispute_sentence(
    dispute: Sequence[Conflict],
    by_article: Mapping[str, Article],
    order: Mapping[str, int],
    precision_only: bool = False,
) -> BriefSentence:
    """One brief sentence for a disagreement: the explanation, then each version with who gives it."""
    # Two camps: sides opposed in some conflict go to different camps (a 2-colouring).
    camp: dict[tuple[str, int, int], int] = {}
    for cf in dispute:
        keys = [(s.article, s.start, s.end) for s in cf.sides]
        if len(keys) != 2:
            continue
        x, y = keys
        if x in camp and y not in camp:
            camp[y] = 1 - camp[x]
        elif y in camp and x not in camp:
            camp[x] = 1 - camp[y]
        elif x not in camp and y not in camp:
            camp[x], camp[y] = 0, 1
    sides = {(s.article, s.start, s.end): s for cf in dispute for s in cf.sides}
    versions = []
    for team in (0, 1):
        members = sorted((k for k, v in camp.items() if v == team), key=lambda k: (order[k[0]], k[1]))
        by_text: dict[str, list[str]] = {}
        for k in members:
            by_text.setdefault(" ".join(sides[k].text.split()), []).append(label_of(by_article[k[0]]))
        if by_text:
            versions.append("; ".join(f"‘{t}’ ({', '.join(dict.fromkeys(labels))})" for t, labels in by_text.items()))
    cites = tuple(Citation(k[0], k[1], k[2]) for k in sorted(sides, key=lambda k: (order[k[0]], k[1])))
    lead = "Differs only in precision" if precision_only else "Disputed"
    text = f"{lead}: {dispute[0].explanation} One version: {versions[0]}."
    if len(versions) > 1:
        text += f" The other: {versions[1]}."
    return BriefSentence(text=text, citations=cites, status="note" if precision_only else "disputed")


def _contested_sentence(
    point: Point,
    contests: Sequence[Contest],
    by_id: Mapping[str, Claim],
    by_article: Mapping[str, Article],
    order: Mapping[str, int],
) -> BriefSentence:
    """'X — disputed by Stone, per B.': the statement in its plainest wording, then who disputes it as
    which report says; it cites every report stating it and every report of the dispute."""
    rep = by_id[point.claims[0]]
    text = _sentence(rep.text)
    if text.endswith("."):
        text = text[:-1]
    who: list[str] = []
    for k in contests:
        outlet = label_of(by_article[by_id[k.dispute].article_id]) if k.dispute in by_id else "another report"
        if k.outlet_voice:
            phrase = f"called into question by {outlet}"
        elif k.dispute in by_id and by_id[k.dispute].article_id == by_id[k.claim].article_id:
            phrase = f"disputed by {k.party}, as {outlet} itself reports"
        else:
            phrase = f"disputed by {k.party}, per {outlet}"
        if phrase not in who:
            who.append(phrase)
    stated = [_cite(by_id[m]) for m in point.claims]
    disputes = [_cite(by_id[k.dispute]) for k in contests if k.dispute in by_id]
    cites = sorted(dict.fromkeys([*stated, *disputes]), key=lambda c: (order[c.article_id], c.start))
    return BriefSentence(text=f"{text} — {'; '.join(who)}.", citations=tuple(cites), status="contested")


_TITLE_WS = re.compile(r"\s+")


def _title(articles: Sequence[Article]) -> str:
    dated = sorted((a for a in articles if a.title), key=lambda a: (a.published is None, a.published or 0))
    if dated:
        return _TITLE_WS.sub(" ", dated[0].title or "").strip()
    return f"{len(articles)} reports compared"


LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "nl": "Dutch",
                  "pt": "Portuguese", "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "zh": "Chinese"}  # fmt: skip


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def _and(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def languages_note(articles: Sequence[Article]) -> str | None:
    """A note for a brief whose sources are in more than one language; None when they share one."""
    counts: dict[str, int] = {}
    for a in articles:
        code = a.language or "en"
        counts[code] = counts.get(code, 0) + 1
    if len(counts) < 2:
        return None
    listed = _and(f"{language_name(c)} ({n})" for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return (
        f"The sources are in different languages: {listed}. Claims are quoted in their original language. "
        "Agreement in meaning is judged by the entailment model for English pairs only; across languages "
        "claims are matched by multilingual similarity and compared on figures, dates and names."
    )
