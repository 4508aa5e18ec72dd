"""Quote: one quotation, from one speaker, worded differently in the two reports.

Finder (aligned claims only): two quotations sharing most of their words (``QUOTE_WORDING_OVERLAP``) but
not the same words, not credited to different people, in which content words were replaced inside the
shared stretch (quoting more or less of it, or differing only in function words, is not a conflict).
Its link test is the attribution check's: a shared quotation.
"""

from __future__ import annotations

from corroborator.compare import cues
from corroborator.compare.checks.base import Check, Link, PairContext, register, side
from corroborator.compare.checks.speakers import QUOTE_WORDING_OVERLAP, overlap, same_words, speaker_for, substituted
from corroborator.model import Claim, Conflict
from corroborator.settings import Settings


def quote_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
    if link != "aligned":
        return []
    antecedents = ctx.antecedents if ctx is not None else {}
    out = []
    for qa in cues.quotes(a):
        ka = cues.quote_key(qa.text)
        for qb in cues.quotes(b):
            kb = cues.quote_key(qb.text)
            if not ka or not kb or same_words(ka, kb):
                continue
            if not (QUOTE_WORDING_OVERLAP <= overlap(ka, kb) < 1.0 and min(len(ka), len(kb)) >= 4):
                continue
            sa, sb = speaker_for(a, qa, antecedents), speaker_for(b, qb, antecedents)
            if sa is not None and sb is not None and not cues.same_speaker(sa.name, sb.name):
                continue
            only_a, only_b = substituted(ka, kb)
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


CHECK = register(Check("quote", quote_conflicts))
