"""Brief points from the ledger: claims of different sources that share facts without saying the same
thing, each told once in its richest wording and cited, fact by fact, by the others; and how much a
point matters, so the brief leads with what happened, to whom, how many, when and where.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from corroborator.compare.ledger.atoms import claim_atoms
from corroborator.model import Citation, Claim, FactMention, LedgerFact

_SHARED = ("corroborated", "precision")


@dataclass(frozen=True, slots=True)
class FactPoint:
    """A claim (``claims[0]``) and the claims of other sources that state some of its facts: ``citations``
    cite the representative whole and each other claim for ``facts`` only."""

    claims: tuple[str, ...]
    citations: tuple[Citation, ...]
    confirmed: tuple[tuple[str, tuple[str, ...]], ...]  # (article id, that source's words for each fact)


def _shared_facts(by_claim: Mapping[str, Sequence[LedgerFact]], cid: str) -> list[LedgerFact]:
    # A name alone (the town, the company) confirms nothing of what a claim says about it.
    return [f for f in by_claim.get(cid, ()) if f.status in _SHARED and f.kind != "name"]


def fact_points(
    claims: Mapping[str, Claim],
    by_claim: Mapping[str, Sequence[LedgerFact]],
    covered: Collection[str],
    order: Mapping[str, int],
) -> list[FactPoint]:
    """Points for claims that share facts with other sources' claims and are in no aligned point
    (``covered``): the claim with the most shared facts is told, the others cite it for theirs."""
    candidates = [cid for cid in claims if cid not in covered and _shared_facts(by_claim, cid)]
    candidates.sort(
        key=lambda cid: (-len(_shared_facts(by_claim, cid)), order[claims[cid].article_id], claims[cid].start)
    )
    used: set[str] = set(covered)
    out = []
    for cid in candidates:
        if cid in used:
            continue
        rep = claims[cid]
        partners: dict[str, dict[str, FactMention]] = {}
        for f in _shared_facts(by_claim, cid):
            for m in f.mentions:
                if m.article_id != rep.article_id and m.claim not in used and m.claim in claims:
                    partners.setdefault(m.claim, {}).setdefault(f.id, m)
        kinds = {f.id: f.kind for f in _shared_facts(by_claim, cid)}
        # A day or a year alone ties two claims loosely ("2012", "last week"): a partner shares something
        # else too (read on the tune stories: 7 of the 15 wrong fact citations were one date).
        partners = {o: fs for o, fs in partners.items() if any(kinds[i] != "date" for i in fs)}
        best: dict[str, str] = {}  # article -> its claim sharing the most facts
        for other, facts in partners.items():
            art = claims[other].article_id
            if art not in best or len(facts) > len(partners[best[art]]):
                best[art] = other
        if not best:
            continue
        members = sorted(best.values(), key=lambda x: order[claims[x].article_id])
        cites = [Citation(rep.article_id, rep.start, rep.end)]
        confirmed = []
        for member in members:
            c = claims[member]
            ids = tuple(partners[member])
            cites.append(Citation(c.article_id, c.start, c.end, facts=ids))
            confirmed.append((c.article_id, tuple(dict.fromkeys(partners[member][i].text for i in ids))))
        used.update([cid, *members])
        out.append(FactPoint((cid, *members), tuple(cites), tuple(confirmed)))
    return out


def informativeness(claim: Claim) -> int:
    """Facts a reader can check in the claim: figures, dates, times, names, quotes."""
    return len(claim_atoms(claim))


def importance(members: Sequence[Claim], independent: int, rank: Mapping[str, int], shared_facts: int = 0) -> float:
    """How much a point matters: sources confirming it, how early the reports put it (the lead says
    what happened), and how many facts it carries. A wire editor's order, as a number."""
    lead = min(rank.get(c.id, 99) for c in members)
    facts = max(informativeness(c) for c in members)
    # Someone's words are what they said, not what happened: a claim that is mostly a quotation (a
    # reaction, a pledge) goes after the events, however early it comes.
    quoted = min(quoted_share(c) for c in members)
    return (
        independent
        + 1.5 / (1 + lead)
        + 0.25 * min(4, facts)
        + 0.25 * min(4, shared_facts)
        - QUOTE_PENALTY * (quoted >= MOSTLY_QUOTED)
    )


# Set on the tune stories' first three points, read (bench/ledger.py): pure quotations led 4 of 21.
QUOTE_PENALTY = 1.5
MOSTLY_QUOTED = 0.5


def quoted_share(claim: Claim) -> float:
    """The share of the claim's characters inside its quotes (quotation marks included)."""
    text = claim.text
    inside = sum(f.end - f.start for f in claim.facts if f.kind == "quote")
    if inside == 0:
        import re

        inside = sum(len(m.group()) for m in re.finditer(r"[\"“][^\"”]{12,}[\"”]", text))
    return min(1.0, inside / max(1, len(text)))
