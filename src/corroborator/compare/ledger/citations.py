"""Citations that are true: each citation of a brief sentence is checked against the span it cites.

A sentence is told in one claim's words (its first citation, or for a dispute the sides of the
conflict); another source's span holds for it when that span is the claim aligned with it (the
alignment judged them the same statement), or, for a citation that vouches only for some facts
(``Citation.facts``), when each of those ledger facts is stated both in the cited span and in the claim
told. A dispute's and a contest's citations hold when they are the sides the comparison found. A
citation that does not hold is dropped, and a sentence left with none is not told.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from corroborator.model import Alignment, BriefSentence, Citation, Claim, Conflict, Contest, LedgerFact

_Span = tuple[str, int, int]


def _span(c: Citation) -> _Span:
    return (c.article_id, c.start, c.end)


def _inside(m_article: str, m_start: int, m_end: int, span: _Span) -> bool:
    return m_article == span[0] and span[1] <= m_start and m_end <= span[2]


def _states(fact: LedgerFact, span: _Span) -> bool:
    return any(_inside(m.article_id, m.start, m.end, span) for m in fact.mentions)


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


class CitationCheck:
    """What a brief's citations are checked against: the comparison's claims, alignments, conflicts,
    contests and ledger."""

    def __init__(
        self,
        claims: Mapping[str, Claim],
        ledger: Sequence[LedgerFact],
        alignments: Sequence[Alignment],
        conflicts: Sequence[Conflict],
        contests: Sequence[Contest],
    ) -> None:
        self.claims = {(c.article_id, c.start, c.end): c for c in claims.values()}
        self.facts = {f.id: f for f in ledger}
        # A claim of another source vouches for a whole sentence when the alignment judged them the same
        # statement, or overlapping statements that share a fact (names aside): an overlap alone ("a
        # spokesperson fired back Tuesday" and "he apologized on Tuesday") is no evidence of the sentence.
        sharing: dict[str, set[str]] = {}
        for f in ledger:
            if f.kind != "name" and f.status in ("corroborated", "precision"):
                for m in f.mentions:
                    sharing.setdefault(m.claim, set()).add(f.id)
        self.aligned = {
            frozenset((al.a, al.b))
            for al in alignments
            if al.relation == "same"
            or (al.relation == "overlap" and sharing.get(al.a, set()) & sharing.get(al.b, set()) - {None})
        }
        self.sides = {(s.article, s.start, s.end) for cf in conflicts for s in cf.sides}
        self.sides |= {(c.article_id, c.start, c.end) for cf in conflicts for c in _claims_of(cf.claims, claims)}
        self.contested = {cid for k in contests for cid in (k.claim, k.dispute)}

    def told(self, sentence: BriefSentence) -> Claim | None:
        """The claim whose words the sentence tells (its first citation's, when the sentence holds them)."""
        if not sentence.citations:
            return None
        claim = self.claims.get(_span(sentence.citations[0]))
        if claim is None or _words(claim.text).rstrip(".") not in _words(sentence.text):
            return None
        return claim

    def holds(self, sentence: BriefSentence, citation: Citation) -> bool:
        span = _span(citation)
        if sentence.status in ("disputed", "note"):
            return span in self.sides
        cited = self.claims.get(span)
        if cited is None:
            return False
        if sentence.status == "contested" and (cited.id in self.contested or self._aligned_with_contested(cited)):
            return True
        told = self.told(sentence)
        if told is None:
            return False
        if cited.id == told.id:
            return True
        if citation.facts:
            facts = [self.facts.get(i) for i in citation.facts]
            tspan = (told.article_id, told.start, told.end)
            return all(f is not None and _states(f, span) and _states(f, tspan) for f in facts)
        return frozenset((told.id, cited.id)) in self.aligned

    def _aligned_with_contested(self, cited: Claim) -> bool:
        return any(frozenset((cited.id, cid)) in self.aligned for cid in self.contested)


def _claims_of(ids: Sequence[str], claims: Mapping[str, Claim]) -> list[Claim]:
    return [claims[i] for i in ids if i in claims]


def true_citations(
    sentences: Sequence[BriefSentence],
    claims: Mapping[str, Claim],
    ledger: Sequence[LedgerFact],
    alignments: Sequence[Alignment],
    conflicts: Sequence[Conflict],
    contests: Sequence[Contest],
) -> list[BriefSentence]:
    """The sentences with every citation that does not hold dropped; a sentence that cited spans and has
    none left is dropped too (a note that cites nothing stays)."""
    check = CitationCheck(claims, ledger, alignments, conflicts, contests)
    out = []
    for s in sentences:
        kept = tuple(c for c in s.citations if check.holds(s, c))
        if s.citations and not kept:
            continue
        status = s.status
        if status == "corroborated" and len({c.article_id for c in kept}) < 2:
            status = "single-source"  # its other sources did not hold: it is one report's claim
        out.append(s if kept == s.citations else BriefSentence(s.text, kept, status))
    return out
