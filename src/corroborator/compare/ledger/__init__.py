"""The fact ledger: a story's atomic facts, each with its standing across the sources and every span
that states it.

Sentences corroborate each other only when they say the same thing; a fact is corroborated whenever two
independent sources state it, in whatever sentences ("the 60-year-old cast-iron pipe ruptured at around
7 a.m." and "the cast-iron main, laid in the 1960s, failed shortly after 7 a.m." share three facts: cast
iron, the age and the time). :func:`build_ledger` decomposes each claim into atoms
(:mod:`~corroborator.compare.ledger.atoms`), matches them across sources
(:mod:`~corroborator.compare.ledger.match`) and folds in what the comparison already found: a
contradiction is one fact stated two ways (``contradicted``, or ``precision`` when one side is only less
precise), a contest a statement a party disputes (``contested``). :func:`claim_summary` says what a
claim's facts add up to ("partly corroborated: 3 of 4 facts; only A gives the time").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from corroborator.compare.ledger.atoms import COUNTED_KINDS, Atom, claim_atoms
from corroborator.compare.ledger.match import (
    DETAIL_COSINE,
    RELATED_COSINE,
    Match,
    names_match,
    quotes_match,
    shared_details,
    values_agree,
)
from corroborator.model import Alignment, Article, Claim, Conflict, Contest, FactMention, LedgerFact

__all__ = ["RELATED_COSINE", "ClaimFacts", "build_ledger", "claim_facts", "claim_summary"]

_AtomId = tuple[str, str, int, int]  # claim id, kind, start, end


def _aid(atom: Atom) -> _AtomId:
    return (atom.claim.id, atom.kind, atom.start, atom.end)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[_AtomId, _AtomId] = {}

    def find(self, x: _AtomId) -> _AtomId:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, x: _AtomId, y: _AtomId) -> None:
        self.parent[self.find(x)] = self.find(y)


def _related(
    claims: Mapping[str, Sequence[Claim]],
    vectors: Mapping[str, np.ndarray],
    alignments: Sequence[Alignment],
    x: str,
    y: str,
) -> list[tuple[Claim, Claim, float]]:
    """Claim pairs of articles x and y that may speak of one matter, with their cosine (1.0 when
    aligned): at least ``DETAIL_COSINE``."""
    aligned = {frozenset((al.a, al.b)) for al in alignments if al.relation in ("same", "overlap", "conflict")}
    ca, cb = claims[x], claims[y]
    va, vb = vectors.get(x), vectors.get(y)
    sims = va @ vb.T if va is not None and vb is not None and len(ca) and len(cb) else None
    out = []
    for i, a in enumerate(ca):
        for j, b in enumerate(cb):
            if frozenset((a.id, b.id)) in aligned:
                out.append((a, b, 1.0))
            elif sims is not None and sims[i, j] >= DETAIL_COSINE:
                out.append((a, b, float(sims[i, j])))
    return out


def _matches(
    articles: Sequence[Article],
    claims: Mapping[str, Sequence[Claim]],
    vectors: Mapping[str, np.ndarray],
    alignments: Sequence[Alignment],
    tolerance: float,
) -> tuple[dict[str, list[Atom]], list[Match]]:
    """Every claim's atoms (details included where shared) and the matches between sources."""
    atoms = {c.id: claim_atoms(c) for a in articles for c in claims[a.id]}
    years = {a.id: a.published.year if a.published else None for a in articles}
    found: list[Match] = []
    ids = [a.id for a in articles]
    for i, x in enumerate(ids):
        for y in ids[i + 1 :]:
            every_a = [t for c in claims[x] for t in atoms[c.id]]
            every_b = [t for c in claims[y] for t in atoms[c.id]]
            for ta in every_a:
                for tb in every_b:
                    if (ta.kind == tb.kind == "name" and names_match(ta, tb)) or (
                        ta.kind == tb.kind == "quote" and quotes_match(ta, tb)
                    ):
                        found.append(Match(ta, tb, "same"))
            for ca, cb, cosine in _related(claims, vectors, alignments, x, y):
                for ta in atoms[ca.id] if cosine >= RELATED_COSINE else ():
                    for tb in atoms[cb.id]:
                        if ta.kind in ("name", "quote") or tb.kind in ("name", "quote"):
                            continue
                        m = values_agree(ta, tb, years, tolerance)
                        if m is not None:
                            found.append(m)
                for sa, sb, key in shared_details(ca, cb):
                    if _on_atom(atoms[ca.id], *sa) or _on_atom(atoms[cb.id], *sb):
                        continue  # "four people" is the figure's, not a detail of its own
                    da, db = Atom(ca, "detail", key, *sa), Atom(cb, "detail", key, *sb)
                    atoms[ca.id].append(da)
                    atoms[cb.id].append(db)
                    found.append(Match(da, db, "same"))
    return {cid: list(ts) for cid, ts in atoms.items()}, found


def _on_atom(atoms: Sequence[Atom], start: int, end: int) -> bool:
    return any(t.kind != "detail" and t.start < end and start < t.end for t in atoms)


def _overlaps(atom: Atom, article: str, start: int, end: int) -> bool:
    return atom.claim.article_id == article and atom.start < end and start < atom.end


def _mention(atom: Atom) -> FactMention:
    return FactMention(atom.claim.article_id, atom.claim.id, atom.start, atom.end, atom.text)


@dataclass(frozen=True, slots=True)
class _Draft:
    kind: str
    label: str
    status: str
    mentions: tuple[FactMention, ...]
    note: str = ""


def _conflict_drafts(conflicts: Sequence[Conflict], claims: Mapping[str, Claim]) -> list[_Draft]:
    out = []
    for cf in conflicts:
        mentions = []
        for side, cid in zip(cf.sides, cf.claims, strict=False):
            mentions.append(FactMention(side.article, cid, side.start, side.end, side.text))
        if len(mentions) < 2:
            continue
        status = "precision" if cf.precision_only else "contradicted"
        label = " / ".join(dict.fromkeys(s.text for s in cf.sides))
        out.append(_Draft(cf.kind, label, status, tuple(mentions), cf.explanation))
    return out


def _statement_drafts(
    alignments: Sequence[Alignment], claims: Mapping[str, Claim], opposed: set[frozenset[str]]
) -> list[_Draft]:
    """Two claims of two sources the alignment judged one statement: the statement is a fact of its own,
    whatever atoms it holds ("officers handcuffed a man" and "he was placed into custody")."""
    out = []
    for al in alignments:
        a, b = claims.get(al.a), claims.get(al.b)
        if al.relation not in ("same", "overlap") or a is None or b is None or a.article_id == b.article_id:
            continue
        if frozenset((a.id, b.id)) in opposed:
            continue
        mentions = tuple(FactMention(c.article_id, c.id, c.start, c.end, c.text) for c in (a, b))
        out.append(_Draft("statement", " ".join(a.text.split()[:8]), "corroborated", mentions))
    return out


def _contest_drafts(contests: Sequence[Contest], claims: Mapping[str, Claim]) -> list[_Draft]:
    out = []
    for k in contests:
        stated, dispute = claims.get(k.claim), claims.get(k.dispute)
        if stated is None or dispute is None:
            continue
        mentions = tuple(FactMention(c.article_id, c.id, c.start, c.end, c.text) for c in (stated, dispute))
        out.append(_Draft("statement", k.party, "contested", mentions, k.explanation))
    return out


def build_ledger(
    articles: Sequence[Article],
    claims: Mapping[str, Sequence[Claim]],
    vectors: Mapping[str, np.ndarray],
    alignments: Sequence[Alignment] = (),
    conflicts: Sequence[Conflict] = (),
    contests: Sequence[Contest] = (),
    groups: Mapping[str, str] | None = None,
    *,
    tolerance: float = 0.05,
) -> tuple[LedgerFact, ...]:
    """The story's facts: ``claims`` and ``vectors`` (claim vectors, in claim order) by article id;
    ``groups`` the independent-source groups (a rewrite's facts are no corroboration); ``tolerance`` the
    setting ``number_tolerance``."""
    groups = groups or {}
    by_id = {c.id: c for a in articles for c in claims[a.id]}
    atoms, found = _matches(articles, claims, vectors, alignments, tolerance)
    drafts = _conflict_drafts(conflicts, by_id) + _contest_drafts(contests, by_id)
    # An atom a contradiction or a contest covers is told there, not as a fact of its own.
    taken = [(m.article_id, m.start, m.end) for d in drafts for m in d.mentions if d.status != "contested"]
    opposed = {frozenset(cf.claims) for cf in conflicts} | {frozenset((k.claim, k.dispute)) for k in contests}
    drafts += _statement_drafts(alignments, by_id, opposed)
    every = [t for ts in atoms.values() for t in ts]
    free = {_aid(t): t for t in every if not any(_overlaps(t, *span) for span in taken)}
    union = _Union()
    agreement: dict[_AtomId, set[str]] = defaultdict(set)
    notes: dict[_AtomId, str] = {}
    for m in found:
        if _aid(m.a) in free and _aid(m.b) in free:
            union.join(_aid(m.a), _aid(m.b))
    for m in found:
        if _aid(m.a) in free and _aid(m.b) in free:
            root = union.find(_aid(m.a))
            agreement[root].add(m.agreement)
            if m.note:
                notes.setdefault(root, m.note)
    clusters: dict[_AtomId, list[Atom]] = defaultdict(list)
    for key, t in free.items():
        clusters[union.find(key)].append(t)
    order = {a.id: i for i, a in enumerate(articles)}
    for root, members in clusters.items():
        articles_of = {t.claim.article_id for t in members}
        if len(articles_of) < 2 and members[0].kind == "detail":
            continue
        if members[0].kind == "name" and not any(t.fact is not None and t.fact.kind == "person" for t in members):
            # A place or an organisation named is an anchor of other facts (where, by whom), not a fact:
            # "Twitter", "the Senate", "California" in both reports confirm nothing.
            continue
        members.sort(key=lambda t: (order[t.claim.article_id], t.start))
        status = "precision" if agreement.get(root) == {"about"} else "corroborated"
        drafts.append(
            _Draft(members[0].kind, members[0].text, status, tuple(_mention(t) for t in members), notes.get(root, ""))
        )
    return _finish(drafts, order, groups)


def _finish(drafts: list[_Draft], order: Mapping[str, int], groups: Mapping[str, str]) -> tuple[LedgerFact, ...]:
    """Drafts as numbered facts in the order of first mention; one source's fact is single-source. A fact
    two reports state is corroborated whatever their independence, which ``independent_sources`` says
    (a rewrite and its original: 2 sources, 1 independent), as a claim's status does."""

    def first(d: _Draft) -> tuple[int, int]:
        m = min(d.mentions, key=lambda m: (order[m.article_id], m.start))
        return order[m.article_id], m.start

    out = []
    for n, d in enumerate(sorted(drafts, key=first), 1):
        sources = tuple(sorted({m.article_id for m in d.mentions}, key=order.__getitem__))
        independent = len({groups.get(a, a) for a in sources})
        status = d.status
        if status in ("corroborated", "precision") and len(sources) < 2:
            status = "single-source"
        mentions = tuple(sorted(d.mentions, key=lambda m: (order[m.article_id], m.start)))
        out.append(LedgerFact(f"f{n}", d.kind, d.label, status, mentions, sources, independent, d.note))  # type: ignore[arg-type]
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """A claim's facts and what they add up to."""

    claim: str
    facts: tuple[LedgerFact, ...]
    shared: tuple[LedgerFact, ...]  # corroborated or agreeing at another precision
    counted: int  # facts of the kinds a summary counts (figures, dates, times, names, quotes)
    summary: str


def claim_facts(ledger: Sequence[LedgerFact]) -> dict[str, list[LedgerFact]]:
    """Claim id -> the ledger facts with a mention in it."""
    out: dict[str, list[LedgerFact]] = defaultdict(list)
    for f in ledger:
        for cid in dict.fromkeys(m.claim for m in f.mentions):
            out[cid].append(f)
    return dict(out)


def claim_summary(claim: Claim, facts: Sequence[LedgerFact], labels: Mapping[str, str]) -> ClaimFacts:
    """'corroborated: 4 of 4 facts', 'partly corroborated: 3 of 4 facts; only A gives the time' or
    'single-source'; ``labels`` maps article ids to the letters or names a reader sees."""
    shared = tuple(f for f in facts if f.status in ("corroborated", "precision"))
    counted = [f for f in facts if f.kind in COUNTED_KINDS or f.status != "single-source"]
    own = [f for f in counted if f.status == "single-source"]
    if all(f.kind == "name" for f in shared):
        # Naming the same town or company is no confirmation of what the claim says about it.
        summary = "single-source"
    elif not shared:
        summary = "single-source"
    elif not own:
        summary = f"corroborated: {len(shared)} of {len(shared)} facts"
    else:
        total = len(shared) + len(own)
        gives = ", ".join(dict.fromkeys(_what(f) for f in own))
        who = labels.get(claim.article_id, claim.article_id)
        summary = f"partly corroborated: {len(shared)} of {total} facts; only {who} gives {gives}"
    return ClaimFacts(claim.id, tuple(facts), shared, len(counted), summary)


_WHAT = {"figure": "the figure", "date": "the date", "time": "the time", "quote": "the quote"}


def _what(f: LedgerFact) -> str:
    return _WHAT.get(f.kind, f.label) if f.kind != "name" else f.label
