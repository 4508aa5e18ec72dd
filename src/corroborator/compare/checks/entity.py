"""Entities: a different person or place in the same statement, or the same words going on to a
different person ("a sharp departure from the Obama-era stance" vs "... the previous Biden administration").

Finder only (no link test): names are compared in near-paraphrases, one name of a kind on each side, and
in long shared runs of wording; organisations are left out (metonymy: "Congress" / "Capitol Hill").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from corroborator.compare import cues
from corroborator.compare.checks.base import Check, Link, PairContext, register, side
from corroborator.compare.checks.referent import place_clash, same_statement
from corroborator.model import Claim, Conflict, Fact
from corroborator.settings import Settings


def _entity_names(claim: Claim, kind: str) -> dict[str, Fact]:
    return {(f.norm or f.text).lower(): f for f in claim.facts if f.kind == kind}


def _names_match(x: str, y: str) -> bool:
    """Shared word, or an abbreviation of one ("Calif." and "California")."""
    tx, ty = set(re.findall(r"\w+", x)), set(re.findall(r"\w+", y))
    return bool(tx & ty) or any(len(p) >= 3 and (q.startswith(p) or p.startswith(q)) for p in tx for q in ty)


def entity_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
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
        if kind == "place" and not place_clash(xa, xb):
            continue  # "Minneapolis" / "Minnesota", or two names the gazetteer cannot place: no clash
        if kind == "person" and not same_statement(a, fa, b, fb):
            continue  # two people quoted saying different things, not one statement in two mouths
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


def role_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
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


def find(a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext) -> list[Conflict]:
    # The role check would report the same two names again as a different person in the same role.
    return entity_conflicts(a, b, link, similarity, settings) or role_conflicts(a, b, link, similarity, settings)


CHECK = register(Check("entity", find))
