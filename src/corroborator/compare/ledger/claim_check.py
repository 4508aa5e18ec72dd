"""A claim to check, fact by fact: which judged articles state each of its facts, and which give another
value for it.

The claim is decomposed as every claim of a comparison is (:mod:`~corroborator.compare.ledger.atoms`);
each article's evidence sentences (what the stance model judged on) are its statements of the matter,
matched with the ledger's rules (:mod:`~corroborator.compare.ledger.match`): names and quotes as written,
figures, dates and times when consistent, details as shared runs of content words. A figure of the same
unit class with another value is reported as differing ("12 people" checked, "15 people" written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corroborator.check.stance import StanceJudgement
from corroborator.compare.checks.number import numbers_agree, unit_class
from corroborator.compare.ledger.atoms import Atom, claim_atoms
from corroborator.compare.ledger.match import names_match, quotes_match, shared_details, values_agree
from corroborator.model import Article, Claim, Sentence

# A figure checked against one this far off (relative) is another value, not the same one rounded.
TOLERANCE = 0.05


@dataclass(frozen=True, slots=True)
class FactSpan:
    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class FactCheck:
    """One fact of the checked claim: ``stated_by`` the spans that state it, ``differs`` the spans that
    give another value for it (figures only)."""

    kind: str
    text: str
    stated_by: tuple[FactSpan, ...]
    differs: tuple[FactSpan, ...]

    def as_dict(self) -> dict[str, object]:
        def spans(xs: tuple[FactSpan, ...]) -> list[dict[str, object]]:
            return [{"article": x.article, "start": x.start, "end": x.end, "text": x.text} for x in xs]

        return {
            "kind": self.kind,
            "text": self.text,
            "stated_by": spans(self.stated_by),
            "differs": spans(self.differs),
        }


def _claim_of(text: str, article_id: str, offset: int) -> Claim:
    """``text`` (one sentence) as a claim with its typed facts, offsets shifted by ``offset``."""
    from dataclasses import replace

    from corroborator.text.facts import extract_facts

    art = Article.create(text, language="en")
    sentence = Sentence(art.id, 0, 0, len(text), text)
    facts = tuple(replace(f, start=f.start + offset, end=f.end + offset) for f in extract_facts(art, (sentence,)))
    return Claim(f"{article_id}:{offset}-{offset + len(text)}", article_id, 0, offset, offset + len(text), text, facts)


def _matches(atom: Atom, other: Atom) -> bool:
    if atom.kind != other.kind and not {atom.kind, other.kind} <= {"figure", "date"}:
        return False
    if atom.kind == "name":
        return names_match(atom, other)
    if atom.kind == "quote":
        return quotes_match(atom, other)
    return values_agree(atom, other, {}, TOLERANCE) is not None


def _differs(atom: Atom, other: Atom) -> bool:
    if atom.kind != "figure" or other.kind != "figure" or atom.fact is None or other.fact is None:
        return False
    if unit_class(atom.fact) != unit_class(other.fact) or not unit_class(atom.fact)[1]:
        return False
    return numbers_agree(atom.fact, other.fact, TOLERANCE) == "different"


def check_facts(claim: str, judged: Sequence[tuple[Article, StanceJudgement]]) -> tuple[FactCheck, ...]:
    """The facts of ``claim`` and, for each, the evidence spans of the ``judged`` articles stating it or
    giving another value for it."""
    checked = _claim_of(claim, "claim", 0)
    atoms = claim_atoms(checked)
    stated: dict[int, list[FactSpan]] = {i: [] for i in range(len(atoms))}
    differs: dict[int, list[FactSpan]] = {i: [] for i in range(len(atoms))}
    details: dict[tuple[int, int], list[FactSpan]] = {}
    for article, judgement in judged:
        if judgement.stance == "unrelated":
            continue
        for e in judgement.evidence:
            other = _claim_of(e.text, article.id, e.start)
            theirs = claim_atoms(other)
            for i, atom in enumerate(atoms):
                for t in theirs:
                    if _matches(atom, t):
                        stated[i].append(FactSpan(article.id, t.start, t.end, t.text))
                    elif _differs(atom, t):
                        differs[i].append(FactSpan(article.id, t.start, t.end, t.text))
            for sa, sb, _ in shared_details(checked, other):
                span = FactSpan(article.id, sb[0], sb[1], e.text[sb[0] - e.start : sb[1] - e.start])
                # One detail of the claim however far each source's run goes ("cast-iron", "cast-iron main").
                near = next((k for k in details if k[0] < sa[1] and sa[0] < k[1]), (sa[0], sa[1]))
                details.setdefault(near, []).append(span)
    out = [
        FactCheck(a.kind, a.text, tuple(dict.fromkeys(stated[i])), tuple(dict.fromkeys(differs[i])))
        for i, a in enumerate(atoms)
    ]
    for (lo, hi), spans in details.items():
        out.append(FactCheck("detail", checked.text[lo:hi], tuple(dict.fromkeys(spans)), ()))
    return tuple(out)
