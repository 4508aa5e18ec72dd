"""Contested claims: one report states X, another (or the same one) reports that a party disputes it.

Most disagreement in real coverage is not two outlets asserting opposite things; it is one outlet
reporting that a named party denies, rejects or disputes what the other outlet states ("Stone was
convicted Friday of lying to lawmakers" / "Stone has denied wrongdoing and called the case politically
motivated"). That is a finding of its own, a :class:`~corroborator.model.Contest`, never a
contradiction between the outlets: it changes the disputed claim's status ("contested by Stone, per B").

Two steps, both cheap:

1. **Dispute cues** (:func:`dispute_cues`): a claim reports a dispute when it carries a cue of the word
   table ``data/conflicts/contested.json`` ("denied", "pushed back on", "called the charges baseless",
   "said there was no evidence", "maintained his innocence") with a party: the name before the cue
   (a person or organisation fact, "the White House", "his lawyer"), a pronoun resolved to the person
   the article named last, or "by X" after a passive cue. A cue whose object is a decision ("denied
   bail", "rejected the bill") is not a dispute. The outlet's own voice ("falsely claimed", "without
   evidence") is a dispute whose party is the outlet.
2. **The disputed claim** (:func:`find_contests`): for each dispute, the claim of each other article
   (and the earlier claims of its own article) that talks about the same matter: close by embedding
   cosine and sharing something specific (the party, another name, or rare content words), and not
   itself reporting the same party's dispute (two reports of one denial agree). The best such claim per
   article is contested.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corroborator.compare import cues
from corroborator.compare.alignment.align import PairResult
from corroborator.compare.checks.base import side, table
from corroborator.compare.contested.disputes import (
    _DISPUTE_TALK,
    _MIN_CLAIM_WORDS,
    _WITHIN_MARGIN,
    DisputeCue,
    _cue_stems,
    _Dispute,
    _names,
    _previous_people,
    _rare,
    dispute_cues,
)
from corroborator.errors import ModelError
from corroborator.model import Article, Claim, Contest
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.embed import Encoder

__all__ = [
    "FEATURES",
    "Candidate",
    "ContestRanker",
    "DisputeCue",
    "contest_candidates",
    "default_ranker",
    "dispute_cues",
    "disputes_of",
    "find_contests",
    "settle_contested",
]

_RANKER = Path(__file__).resolve().parents[2] / "data" / "contest_ranker.json"


def _party_in(claim: Claim, party: str) -> bool:
    tokens = [w for w in cues.words(party) if w[0].isupper() and w.lower() not in cues.STOPWORDS]
    return bool(tokens) and any(re.search(rf"\b{re.escape(t)}\b", claim.text) for t in tokens)


_SPEAKS = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:asserted|argued|contended|wrote|said|says|told|claimed|insisted|noted|added|"
    r"stated|tweeted|explained|warned|accused|called|blamed)\b",
    re.I,
)


def _party_speaks(claim: Claim, party: str) -> bool:
    """The party is the claim's speaker: a speech verb right after its name ("Mr. Vega, anticipating ...,
    asserted in the letter")."""
    tokens = [w for w in cues.words(party) if w[0].isupper() and w.lower() not in cues.STOPWORDS]
    for t in tokens[-1:]:
        for m in re.finditer(rf"\b{re.escape(t)}\b", claim.text):
            rest = claim.text[m.end() :]
            rest = re.sub(r"^\s*,[^,]{0,60},", "", rest)  # an apposition between name and verb
            if _SPEAKS.match(rest):
                return True
    return False


def _disputed_content(d: _Dispute) -> str:
    """What the dispute is about: the claim without its party's name and its cue words ("government
    troops were behind the attack" of "Syria denies government troops were behind the attack", "the
    prosecution was because of ..." of "Vega asserted the prosecution was politically motivated")."""
    c, cue = d.claim, d.cue
    cut = sorted(
        span
        for span in ((cue.party_start, cue.party_end), (cue.start, cue.end))
        if c.start <= span[0] < span[1] <= c.end
    )
    parts, at = [], c.start
    for s, e in cut:
        if s >= at:
            parts.append(c.text[at - c.start : s - c.start])
            at = e
    parts.append(c.text[at - c.start :])
    rest = " ".join(parts)
    return rest if len(cues.content_stems(rest)) >= 3 else c.text


_OBJECT_GROUPS: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in table("contested")["object_groups"])
_ACCUSATION = re.compile(
    r"\b(?:claim(?:ed|s)?|alleg(?:ed|es|ation|ations|edly)|accus(?:ed|es|ation|ations)|charg(?:ed|es)|"
    r"indict(?:ed|ment)|argu(?:ed|es)|says|said|reported|report|according to|cit(?:ing|ed)|filed|found|"
    r"convicted|guilty|concluded|suggested|showed|shows)\b",
    re.I,
)
FEATURES = (
    "cosine",
    "cosine_content",
    "party_named",
    "shared_names",
    "shared_rare",
    "object_match",
    "accusation",
    "lead",
    "within",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A claim that may be what a reported dispute is about, with the ranker's features (FEATURES)."""

    dispute: _Dispute
    claim: Claim
    features: tuple[float, ...]


def _groups(text: str) -> set[int]:
    ws = {cues.stem(w.lower()) for w in cues.words(text)} | {w.lower() for w in cues.words(text)}
    return {i for i, g in enumerate(_OBJECT_GROUPS) if ws & g}


def disputes_of(
    articles: Sequence[Article], claims: Mapping[str, Sequence[Claim]], settings: Settings
) -> dict[str, _Dispute]:
    """Claim id -> the dispute it reports, for every claim of ``claims`` that reports one."""
    by_id = {a.id: a for a in articles}
    out: dict[str, _Dispute] = {}
    for aid, cs in claims.items():
        previous = _previous_people(cs)
        for k, c in enumerate(cs):
            found = dispute_cues(c, previous[k], by_id[aid].label, settings.contest_outlet_voice)
            if found:
                out[c.id] = _Dispute(c, found[0], k)
    return out


def contest_candidates(
    articles: Sequence[Article],
    claims: Mapping[str, Sequence[Claim]],
    vectors: Mapping[str, np.ndarray],
    settings: Settings,
    encoder: Encoder | None = None,
) -> list[list[Candidate]]:
    """For each reported dispute and each article, the claims that may be what it disputes, with their
    features: one list per (dispute, article). A claim that reports a dispute itself, the party's own
    statement, a fragment, and (in the dispute's own article) what comes after it are never candidates."""
    disputes = disputes_of(articles, claims, settings)
    if not disputes:
        return []
    ordered = list(disputes.values())
    df: dict[str, int] = {}
    stems = {c.id: cues.content_stems(c.text) for cs in claims.values() for c in cs}
    for st in stems.values():
        for w in st:
            df[w] = df.get(w, 0) + 1
    rare_limit = max(2, int(max(1, len(stems)) * settings.contest_rare_share))
    contents = [_disputed_content(d) for d in ordered]
    content_vecs = encoder.encode(contents) if encoder is not None else None
    out: list[list[Candidate]] = []
    for n, d in enumerate(ordered):
        aid = d.claim.article_id
        v_claim = vectors[aid][d.index]
        v_content = np.asarray(content_vecs[n], dtype=v_claim.dtype) if content_vecs is not None else v_claim
        own_names = _names(d.claim)
        own_stems = _rare(stems[d.claim.id] - _cue_stems(d.claim, [d.cue]), df, rare_limit)
        objects = _groups(contents[n])
        for target, cs in claims.items():
            if not cs or (target == aid and d.cue.outlet_voice):
                continue  # a report's own doubt is about what others claimed, not about its own claims
            sims, sims_content = vectors[target] @ v_claim, vectors[target] @ v_content
            group: list[Candidate] = []
            for k, c in enumerate(cs):
                if target == aid and k >= d.index:
                    break  # in its own article, only what was stated before the dispute
                if len(cues.words(c.text)) < _MIN_CLAIM_WORDS or c.id in disputes or _DISPUTE_TALK.search(c.text):
                    continue  # a fragment; another report of a dispute (this one told again, or a reply)
                if float(sims[k]) < settings.contest_min_cosine:
                    continue
                party = d.cue.party or ""
                if party and any(cues.same_speaker(sp.name, party) for sp in cues.speakers(c)):
                    continue  # the party's own statement, which it does not dispute
                party_named = bool(party) and _party_in(c, party)
                if party_named and _party_speaks(c, party):
                    continue
                features = (
                    float(sims[k]),
                    float(sims_content[k]),
                    float(party_named),
                    min(3, len(own_names & _names(c))) / 3,
                    min(3, len(own_stems & stems[c.id])) / 3,
                    float(bool(objects & _groups(c.text))),
                    float(_ACCUSATION.search(c.text) is not None),
                    float(c.sentence < 3),
                    float(target == aid),
                )
                group.append(Candidate(d, c, features))
            if group:
                out.append(group)
    return out


@dataclass(frozen=True)
class ContestRanker:
    """A logistic model over :data:`FEATURES` that says how likely a claim is what a dispute disputes
    (``data/contest_ranker.json``, built by ``training/contest_ranker.py``; ``name`` is recorded)."""

    name: str
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return float(1.0 / (1.0 + np.exp(-z)))


@cache
def default_ranker() -> ContestRanker:
    data = json.loads(_RANKER.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ModelError(f"{_RANKER}: features {data['features']} are not this code's {list(FEATURES)}; rebuild it")
    return ContestRanker(data["name"], tuple(data["weights"]), float(data["bias"]), float(data["threshold"]))


def find_contests(
    articles: Sequence[Article],
    claims: Mapping[str, Sequence[Claim]],
    vectors: Mapping[str, np.ndarray],
    settings: Settings,
    encoder: Encoder | None = None,
    ranker: ContestRanker | None = None,
) -> list[Contest]:
    """Every contested claim among ``articles`` (``claims`` and ``vectors`` keyed by article id): for
    each reported dispute and each article, the candidate the ranker finds likeliest, when at least its
    threshold (the ``contest_threshold`` setting overrides it)."""
    ranker = ranker or default_ranker()
    threshold = settings.contest_threshold if settings.contest_threshold >= 0 else ranker.threshold
    by_id = {a.id: a for a in articles}
    out: list[Contest] = []
    for group in contest_candidates(articles, claims, vectors, settings, encoder):
        scored = sorted(((ranker.probability(c.features), c) for c in group), key=lambda x: -x[0])
        for p, best in scored[: settings.contest_per_article]:
            # Within one report a later denial most often answers something else than the claim the
            # ranker finds: it must be clearer.
            if p >= threshold + (_WITHIN_MARGIN if best.claim.article_id == best.dispute.claim.article_id else 0):
                out.append(_contest(best.claim, best.dispute, by_id, best.features[0], ranker.name))
    return out


def _contest(c: Claim, d: _Dispute, by_id: Mapping[str, Article], cosine: float, model: str) -> Contest:
    party = d.cue.party or "a party"
    outlet = by_id[d.claim.article_id].label
    where = "itself reports" if c.article_id == d.claim.article_id else "reports"
    if d.cue.outlet_voice:
        explanation = f"{by_id[c.article_id].label} states this; {outlet} calls it into question (‘{d.cue.cue}’)."
    else:
        explanation = (
            f"{by_id[c.article_id].label} states this; {outlet} {where} that {party} disputes it (‘{d.cue.cue}’)."
        )
    return Contest(
        claim=c.id,
        dispute=d.claim.id,
        party=party,
        cue=d.cue.cue,
        sides=(
            side(c, c.start, c.end, "states"),
            side(d.claim, d.claim.start, d.claim.end, f"{party} disputes"),
        ),
        party_span=(d.cue.party_start, d.cue.party_end) if d.cue.party_start >= 0 else None,
        similarity=round(cosine, 4),
        explanation=explanation,
        outlet_voice=d.cue.outlet_voice,
        model=model,
    )


def settle_contested(aligned: PairResult, contests: Sequence[Contest]) -> PairResult:
    """``aligned`` without any conflict or alignment between a contested claim and the claim reporting its
    dispute: the dispute is neither a contradiction between the reports nor support for the claim."""
    pairs = {frozenset((c.claim, c.dispute)) for c in contests}
    if not pairs:
        return aligned
    conflicts = tuple(c for c in aligned.conflicts if frozenset(c.claims) not in pairs)
    alignments = tuple(al for al in aligned.alignments if frozenset((al.a, al.b)) not in pairs)
    return PairResult(alignments, conflicts)
