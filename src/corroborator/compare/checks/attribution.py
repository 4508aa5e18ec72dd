"""Attribution: the same quoted words credited to different people ("We were lucky the wind turned,"
Mayor Ilse Varga said / ..., said Fire Chief Tomas Oduya).

Finder: quotations with the same words (identical, one quoting a run of the other, or nearly identical)
whose speakers, as each claim itself names them, are different people or groups; a document, or an
institution and a person who may lead it, is not a different mouth. Link test: the two claims quote the
same words, however far apart the embedding puts them.
"""

from __future__ import annotations

from corroborator.compare import cues
from corroborator.compare.checks.base import Check, Link, PairContext, register, side
from corroborator.compare.checks.speakers import same_words, shared_quote, speaker_for, speaker_kind
from corroborator.model import Claim, Conflict
from corroborator.settings import Settings


def attribution_conflicts(
    a: Claim, b: Claim, link: Link, similarity: float, settings: Settings, ctx: PairContext | None = None
) -> list[Conflict]:
    antecedents = ctx.antecedents if ctx is not None else {}
    out = []
    for qa in cues.quotes(a):
        ka = cues.quote_key(qa.text)
        for qb in cues.quotes(b):
            kb = cues.quote_key(qb.text)
            if not ka or not kb or not same_words(ka, kb):
                continue
            sa, sb = speaker_for(a, qa, antecedents), speaker_for(b, qb, antecedents)
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
    return out


def _linked(a: Claim, b: Claim, ctx: PairContext) -> bool:
    return shared_quote(a, b)


CHECK = register(Check("attribution", attribution_conflicts, _linked))
