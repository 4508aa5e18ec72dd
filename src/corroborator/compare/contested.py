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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from corroborator.compare import cues
from corroborator.compare.align import PairResult
from corroborator.compare.checks.base import side, table, words
from corroborator.model import Alignment, Article, Claim, Contest
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.embed import Encoder

# A country disputes too ("Syria denies ..."): its government speaks for it.
_PARTY_KINDS = ("person", "organization", "place")
_PARTY_NOUNS = words("contested", "party_nouns")
_PARTY_NOUN_STEMS = frozenset(n.rstrip("s") for n in _PARTY_NOUNS)
_PRONOUNS = words("contested", "pronouns")
_DECISION_OBJECTS = words("contested", "decision_objects")
_MIN_CLAIM_WORDS = 6
# Characters before a cue searched for its party (the subject rarely sits further off in news prose).
_PARTY_WINDOW = 90
_CLAUSE_CUT = re.compile(r"[;:(—–]|,\s+(?:but|while|and|as|although|though|who|which)\b|\b(?:but|while)\s", re.I)
_LEADING = re.compile(r"^(?:the|a|an|his|her|their|its)\s+", re.I)
_AUX = re.compile(
    r"\s*(?:,\s*)?(?:who\s+)?(?:has|have|had|is|are|was|were|also|again|repeatedly|strongly|firmly|flatly|"
    r"vehemently|categorically|publicly|quickly|immediately|previously|long|since|already|swiftly|"
    r"adamantly|consistently|emphatically|angrily|sharply|has\s+since|have\s+since)\s*$",
    re.I,
)
_BY = re.compile(r"^\s*(?:\w+\s+){0,3}?by\s+((?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,4})")


@cache
def _cue_pattern() -> re.Pattern[str]:
    verbs = table("contested")["verbs"]
    return re.compile(r"\b(?:" + "|".join(f"(?:{v})" for v in verbs) + r")\b", re.IGNORECASE)


@cache
def _voice_pattern() -> re.Pattern[str]:
    phrases = table("contested")["outlet_voice"]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DisputeCue:
    """A reported dispute inside one claim: the cue (article offsets) and who disputes (None: nobody named)."""

    cue: str
    start: int
    end: int
    party: str | None
    party_start: int = -1
    party_end: int = -1
    outlet_voice: bool = False


def _decision(text_after: str) -> bool:
    """'denied bail', 'rejected the initial motion': the cue's object is a decision, not a statement."""
    ws = [w.lower().rstrip(".,;:") for w in cues.words(text_after)[:5]]
    return any(w in _DECISION_OBJECTS for w in ws[:4]) and not any(w in ("that", "claim", "claims") for w in ws[:2])


_DISPUTE_TALK = re.compile(
    r"\b(?:den(?:y|ies|ied|ial|ials|ying)|disput\w*|reject\w*|refut\w*|rebut\w*|stands? by|stood by|"
    r"push(?:ed|es|ing)? back|correct(?:ing|ed|ion)|(?:not|in)accurate|false|untrue|baseless|unfounded)\b",
    re.I,
)
_SPOKEN_TO = re.compile(r"\b(?:told|to|with|asked|by|of)\s+(?:\w+['’]s\s+)?$", re.I)
_STATEMENT_SUBJECT = re.compile(
    r"\b(?:claims?|allegations?|accusations?|charges?|reports?|account|accounts|assertions?|story|stories|"
    r"suggestions?|characteri[sz]ations?|findings?|figures?)\s+(?:\w+\s+){0,3}$",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:been|be|being|was|were|is|are|get|got)\s+(?:\w+ly\s+)?$", re.I)


_BETWEEN_OK = re.compile(
    r"^(?:\s|,|has|have|had|is|are|was|were|also|again|since|long|already|repeatedly|strongly|firmly|flatly|"
    r"vehemently|categorically|publicly|quickly|immediately|previously|swiftly|adamantly|consistently|"
    r"emphatically|angrily|sharply|sternly|forcefully|loudly|both|all|later|then|now|still|’s|'s|lawyers?|"
    r"on|in|late|early|last|this|a|an|the|statement|interview|tweet|post|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|morning|afternoon|evening|night|week|day|through|via|spokes(?:man|woman)|"
    r"attorneys?|spokes(?:man|woman|person|people)|aides?|campaign|office|team|representatives?|camp)*$",
    re.I,
)
_APPOSITIVE = re.compile(r"^\s*,[^,;:]{2,80},\s*$")


def _party_before(claim: Claim, at: int, previous_person: str | None) -> tuple[str, int, int] | None:
    """The cue's subject, right before it: a person/organisation fact, a party noun phrase ("his
    lawyer", "White House officials"), or a pronoun resolved to ``previous_person``. Only auxiliaries,
    adverbs, a possessive with a party noun ("Stone's lawyer") or an appositive may stand between."""
    lo = max(claim.start, at - _PARTY_WINDOW)
    window = claim.text[lo - claim.start : at - claim.start]
    cut = None
    for m in _CLAUSE_CUT.finditer(window):
        cut = m.end()
    if cut is not None:
        lo += cut
        window = window[cut:]
    quoted = [(q.start, q.end) for q in cues.quotes(claim)]
    names = [
        f
        for f in claim.facts
        if f.kind in _PARTY_KINDS and lo <= f.start and f.end <= at and not any(s <= f.start < e for s, e in quoted)
    ]
    for f in sorted(names, key=lambda x: -x.end):
        between = claim.text[f.end - claim.start : at - claim.start]
        if _BETWEEN_OK.match(between) or _APPOSITIVE.match(between):
            return (f.norm or f.text, f.start, f.end)
    stripped = _AUX.sub("", window).rstrip()
    toks = list(re.finditer(r"[A-Za-z][\w.'’-]*", stripped))[-4:]
    if not toks or toks[-1].end() < len(stripped.rstrip(" ,")):
        return None
    last = toks[-1].group().lower()
    if last in _PRONOUNS:
        if previous_person is None:
            return None
        s = lo + toks[-1].start()
        return (previous_person, s, s + len(toks[-1].group()))
    if last.rstrip("s") in {n.rstrip("s") for n in _PARTY_NOUNS}:
        first = len(toks) - 1
        while first > 0 and (toks[first - 1].group()[0].isupper() or toks[first - 1].group().lower() in _PARTY_NOUNS):
            first -= 1
        s, e = lo + toks[first].start(), lo + toks[-1].end()
        name = _LEADING.sub("", claim.text[s - claim.start : e - claim.start])
        return (name, e - len(name), e)
    return None


_NOT_BEFORE = re.compile(r"(?:\bto|\bnot|n['’]t|\bnever|\bwould|\bcould|\bmight|\bmay|\bthe|\ba|\ban|\bno)\s+$", re.I)


@cache
def _said_pattern() -> re.Pattern[str]:
    words_ = table("contested")["falsity"] + table("contested")["counter"]
    return re.compile(r"\b(?:" + "|".join(f"(?:{w})" for w in words_) + r")(?![\w-])", re.IGNORECASE)


_NEGATED_JUDGEMENT = re.compile(r"\b(?:not|n['’]t|never|no)\s+(?:\w+\s+)?$", re.I)
_SUBJECT_NP = re.compile(
    r"^\s*(?:the\s+|a\s+|an\s+)?((?:[A-Za-z][\w.'’-]*\s+){0,3}?[A-Za-z][\w.'’-]*)\s+(?=\w+(?:ing|ed)\b)", re.I
)


def _speaker_party(claim: Claim, before: int, previous_person: str | None) -> tuple[str, int, int] | None:
    """Who says the words at article offset ``before`` in: the claim's named speaker ("X said", "according
    to X", "X told"), else the first person or organisation named before them (not one spoken to), else
    the person a pronoun subject refers to."""
    said = [sp for sp in cues.speakers(claim) if sp.name.lower() not in _PRONOUNS and sp.start < before + 200]
    said = [sp for sp in said if not _SPOKEN_TO.search(claim.text[: max(0, sp.start - claim.start)])]
    if said:
        sp = said[0]
        return (sp.name, sp.start, sp.end)
    named = [
        f
        for f in claim.facts
        if f.kind in _PARTY_KINDS
        and f.end <= before
        and not _SPOKEN_TO.search(claim.text[: max(0, f.start - claim.start)])
    ]
    if named:
        f = min(named, key=lambda x: (x.kind != "person", x.start))
        return (f.norm or f.text, f.start, f.end)
    first = cues.words(claim.text[: max(0, before - claim.start)])[:1]
    if first and first[0].lower() in _PRONOUNS and previous_person:
        s = claim.start + claim.text.find(first[0])
        return (previous_person, s, s + len(first[0]))
    return None


def _subject_phrase(claim: Claim, at: int) -> tuple[str, int, int] | None:
    """The noun phrase a clause opens with, when a verb form follows it ("The special counsel
    investigating ... disputed"): a party that is no named entity."""
    m = _SUBJECT_NP.match(claim.text[: max(0, at - claim.start)])
    if not m:
        return None
    name = m.group(1)
    if name.split()[-1].lower() not in _PARTY_NOUNS and not name[0].isupper():
        return None
    s = claim.start + m.start(1)
    return (name, s, s + len(name))


_WHEN_WORDS = cues.wordset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday later earlier then now also "
    "january february march april may june july august september october november december week month year"
)


def _clean_party(party: tuple[str, int, int] | None) -> tuple[str, int, int] | None:
    """A party name without trailing adverbs or time words ("lawyers for Mr. Trump vigorously"); None
    when nothing names anyone ("later", "anybody else can")."""
    if party is None:
        return None
    name, s, _ = party
    toks = name.split()
    while toks and (
        toks[-1].lower().endswith("ly")
        or toks[-1].lower() in _WHEN_WORDS
        or toks[-1].lower() in ("can", "could", "will", "would", "had", "has", "have", "also")
    ):
        toks.pop()
    while toks and toks[0].lower() in _WHEN_WORDS:
        toks.pop(0)
    if not toks:
        return None
    if not any(t[0].isupper() for t in toks) and not any(t.lower().rstrip("s") in _PARTY_NOUN_STEMS for t in toks):
        return None
    cleaned = " ".join(toks)
    at = name.find(cleaned)
    return (cleaned, s + max(0, at), s + max(0, at) + len(cleaned))


def dispute_cues(
    claim: Claim, previous_person: str | None = None, outlet: str | None = None, outlet_voice: bool = False
) -> list[DisputeCue]:
    """The disputes the claim reports, each with its party where one is named (see the module doc):
    a dispute verb with its subject, or words judging a statement false (or a counter-account) in
    someone's words."""
    out: list[DisputeCue] = []
    text = claim.text
    if text.rstrip().endswith("?"):
        return out
    for m in _cue_pattern().finditer(text):
        s, e = claim.start + m.start(), claim.start + m.end()
        if _decision(text[m.end() :]) or _NOT_BEFORE.search(text[: m.start()]):
            continue  # "denied bail"; "to deny", "did not dispute", "the contest": no dispute reported
        passive = _PASSIVE.search(text[: m.start()]) is not None
        if passive and not _STATEMENT_SUBJECT.search(text[: m.start()]):
            continue  # "action rejected by Congress", "ballots that had been rejected": a decision
        party = None if passive else _party_before(claim, s, previous_person)
        if party is None:
            by = _BY.match(text[m.end() :])
            if by:
                name = by.group(1).strip()
                ps = claim.start + m.end() + by.start(1)
                party = (_LEADING.sub("", name), ps, ps + len(name))
        quote = next((q for q in cues.quotes(claim) if q.start <= s < q.end), None)
        if party is None and not passive:
            # A dispute in quoted words ('the ambassador told CNN the allegations "are false"'), or a
            # subject the entity tagger missed ("The special counsel ... disputed"): who says it.
            party = _speaker_party(claim, s, previous_person) if quote is not None else None
            party = party or _subject_phrase(claim, s) or _speaker_party(claim, s, previous_person)
        party = _clean_party(party)
        if party is None:
            continue
        out.append(DisputeCue(m.group().lower(), s, e, party[0], party[1], party[2]))
    if not out:
        for m in _said_pattern().finditer(text):
            s, e = claim.start + m.start(), claim.start + m.end()
            if _NEGATED_JUDGEMENT.search(text[: m.start()]) and not m.group().lower().startswith(("not ", "no ")):
                continue  # "not false", "no hoax"
            party = _clean_party(_speaker_party(claim, s, previous_person))
            if party is None:
                continue  # the report's own words: see outlet voice below
            out.append(DisputeCue(m.group().lower(), s, e, party[0], party[1], party[2]))
            break
    if not out and outlet and outlet_voice:
        for m in _voice_pattern().finditer(text):
            s, e = claim.start + m.start(), claim.start + m.end()
            out.append(DisputeCue(m.group().lower(), s, e, outlet, -1, -1, outlet_voice=True))
            break
    return out


def _names(claim: Claim) -> set[str]:
    return {
        w.lower()
        for f in claim.facts
        if f.kind in ("person", "organization", "place")
        for w in cues.words(f.norm or f.text)
        if len(w) > 2 and w.lower() not in cues.STOPWORDS
    }


def _cue_stems(claim: Claim, found: Sequence[DisputeCue]) -> set[str]:
    return {cues.stem(w) for d in found for w in cues.words(claim.text[d.start - claim.start : d.end - claim.start])}


def _rare(stems: set[str], df: Mapping[str, int], limit: int) -> set[str]:
    return {w for w in stems if df.get(w, 0) <= limit}


@dataclass(frozen=True, slots=True)
class _Dispute:
    claim: Claim
    cue: DisputeCue
    index: int  # position of the claim in its article


def _previous_people(claims: Sequence[Claim]) -> list[str | None]:
    """For each claim, the person named last before it in its article (what 'he' or 'she' refers to)."""
    out: list[str | None] = []
    last: str | None = None
    for c in claims:
        out.append(last)
        people = [f for f in c.facts if f.kind == "person"]
        if people:
            f = max(people, key=lambda x: x.end)
            last = f.norm or f.text
    return out


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


def find_contests(
    articles: Sequence[Article],
    claims: Mapping[str, Sequence[Claim]],
    vectors: Mapping[str, np.ndarray],
    settings: Settings,
    encoder: Encoder | None = None,
) -> list[Contest]:
    """Every contested claim among ``articles`` (``claims`` and ``vectors`` keyed by article id).

    With an ``encoder``, a claim is matched to what the dispute is about (the dispute without its party
    and cue) as well as to the whole dispute: the mean of the two cosines."""
    by_id = {a.id: a for a in articles}
    disputes: list[_Dispute] = []
    dispute_claims: dict[str, list[DisputeCue]] = {}
    for aid, cs in claims.items():
        previous = _previous_people(cs)
        for k, c in enumerate(cs):
            found = dispute_cues(c, previous[k], by_id[aid].label, settings.contest_outlet_voice)
            if found:
                dispute_claims[c.id] = found
                disputes.append(_Dispute(c, found[0], k))
    if not disputes:
        return []
    df: dict[str, int] = {}
    stems = {c.id: cues.content_stems(c.text) for cs in claims.values() for c in cs}
    for st in stems.values():
        for w in st:
            df[w] = df.get(w, 0) + 1
    n_claims = max(1, len(stems))
    content = encoder.encode([_disputed_content(d) for d in disputes]) if encoder is not None else None
    rare_limit = max(2, int(n_claims * settings.contest_rare_share))
    out: list[Contest] = []
    for n, d in enumerate(disputes):
        aid = d.claim.article_id
        v_d = vectors[aid][d.index]
        if content is not None:
            v_d = (v_d + np.asarray(content[n], dtype=v_d.dtype)) / 2
        own_names = _names(d.claim)
        own_stems = _rare(stems[d.claim.id] - _cue_stems(d.claim, dispute_claims[d.claim.id]), df, rare_limit)
        for target, cs in claims.items():
            if not cs:
                continue
            sims = vectors[target] @ v_d
            best: tuple[float, int] | None = None
            for k, c in enumerate(cs):
                if target == aid and k >= d.index:
                    break  # in its own article, only what was stated before the dispute
                if len(cues.words(c.text)) < _MIN_CLAIM_WORDS:
                    continue  # a fragment of a sentence states too little to be what is disputed
                if c.id in dispute_claims:
                    continue  # another report of a dispute (this one told again, or the other side's)
                if d.cue.party and any(cues.same_speaker(sp.name, d.cue.party) for sp in cues.speakers(c)):
                    continue  # the party's own statement, which it does not dispute
                cosine = float(sims[k])
                floor = settings.contest_min_cosine if target != aid else settings.contest_min_cosine_within
                if cosine < floor:
                    continue
                shared_names = own_names & _names(c)
                party_named = bool(d.cue.party) and _party_in(c, d.cue.party or "")
                if party_named and d.cue.party and _party_speaks(c, d.cue.party):
                    continue  # the party's own statement: not what it disputes
                shared_rare = own_stems & stems[c.id]
                if not (party_named or len(shared_names) >= 2 or len(shared_rare) >= 2):
                    continue
                # What is disputed is a statement, not another report of a dispute: such a claim is the
                # choice only when nothing else is close.
                telling = c.id in dispute_claims or _DISPUTE_TALK.search(c.text) is not None
                score = cosine + 0.1 * party_named + 0.03 * min(3, len(shared_rare)) - 0.15 * telling
                if best is None or score > best[0]:
                    best = (score, k)
            if best is None or (target == aid and d.cue.outlet_voice):
                continue  # a report's own doubt is about what others claimed, not about its own claims
            c = cs[best[1]]
            out.append(_contest(c, d, by_id, float(sims[best[1]])))
    return out


def _contest(c: Claim, d: _Dispute, by_id: Mapping[str, Article], cosine: float) -> Contest:
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
    )


def settle_contested(aligned: PairResult, contests: Sequence[Contest]) -> PairResult:
    """``aligned`` without the conflicts between a contested claim and the claim reporting its dispute
    (those pairs are aligned as "overlap": they talk about one matter)."""
    pairs = {frozenset((c.claim, c.dispute)) for c in contests}
    if not pairs:
        return aligned
    conflicts = tuple(c for c in aligned.conflicts if frozenset(c.claims) not in pairs)
    alignments = tuple(
        Alignment(al.a, al.b, "overlap", al.similarity, al.model)
        if al.relation == "conflict"
        and frozenset((al.a, al.b)) in pairs
        and not any(frozenset(c.claims) == frozenset((al.a, al.b)) for c in conflicts)
        else al
        for al in aligned.alignments
    )
    return PairResult(alignments, conflicts)
