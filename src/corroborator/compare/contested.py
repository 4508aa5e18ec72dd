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
from corroborator.compare.checks.base import side, table, words
from corroborator.errors import ModelError
from corroborator.model import Article, Claim, Contest
from corroborator.settings import Settings

if TYPE_CHECKING:
    from corroborator.embed import Encoder

# A country disputes too ("Syria denies ..."): its government speaks for it.
_RANKER = Path(__file__).resolve().parents[1] / "data" / "contest_ranker.json"
_PARTY_KINDS = ("person", "organization", "place")
_PARTY_NOUNS = words("contested", "party_nouns")
_PARTY_NOUN_STEMS = frozenset(n.rstrip("s") for n in _PARTY_NOUNS)
_PRONOUNS = words("contested", "pronouns")
_DECISION_OBJECTS = words("contested", "decision_objects")
_MIN_CLAIM_WORDS = 6
_WITHIN_MARGIN = 0.15
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
    r"push(?:ed|es|ing)? back|correct(?:ing|ed|ion)|(?:not|in)accurate|false|untrue|baseless|unfounded|"
    r"challeng\w* the (?:facts|account|report|claims?)|took issue|contradict\w*|without merit|"
    r"stands? by|stood by|confident in what)\b",
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


_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|tweeted|tweets|wrote|writes|asserted|asserts|contended|contends|argued|argues|"
    r"insisted|insists|maintained|maintains|added|stated|declared|responded|replied|countered|claimed|claims|"
    r"noted|explained|posted|emailed|believes|believe|agrees|agreed)\b",
    re.I,
)
_BEFORE_SPEECH = re.compile(
    r"^(?:\s*,[^,;]{0,80},)?\s*,?\s*(?:(?:\w+ly|later|also|then|again|on \w+day|\w+day)\s+)*$", re.I
)


def _speaker_party(claim: Claim, before: int, previous_person: str | None) -> tuple[str, int, int] | None:
    """Who says the words at article offset ``before``: the person or organisation right before a speech
    verb ("Michael Harrison, said", "Ben Smith, later tweeted", "Vega asserted"), a party noun there ("some
    local law-enforcement officers ... said"), a pronoun's antecedent, else the first person named (not one
    spoken to)."""
    text = claim.text
    people = [f for f in claim.facts if f.kind in _PARTY_KINDS]
    quoted = [(q.start, q.end) for q in cues.quotes(claim)]
    for m in _SPEECH.finditer(text):
        at = claim.start + m.start()
        if any(a <= at < b for a, b in quoted):
            continue  # a speech verb inside the quotation is the speaker's own wording
        for f in sorted((f for f in people if f.end <= at), key=lambda x: -x.end):
            if _BEFORE_SPEECH.match(text[f.end - claim.start : m.start()]):
                return (f.norm or f.text, f.start, f.end)
        after = [f for f in people if 0 <= f.start - claim.start - m.end() <= 5]
        if after and text[m.end() : after[0].start - claim.start].strip() in ("", "the"):
            f = after[0]  # '"That is not true," said Smith.'
            return (f.norm or f.text, f.start, f.end)
        lead = _AUX.sub("", text[: m.start()]).rstrip(" ,")
        toks = list(re.finditer(r"[A-Za-z][\w.'’-]*", lead))
        if toks and toks[-1].group()[0].isupper() and toks[-1].group().lower() not in _WHEN_WORDS:
            # a name the entity tagger missed ("Vega asserted")
            s = claim.start + toks[-1].start()
            return (toks[-1].group(), s, s + len(toks[-1].group()))
        if toks and toks[-1].group().lower() in _PRONOUNS and previous_person:
            s = claim.start + toks[-1].start()
            return (previous_person, s, s + len(toks[-1].group()))
        if toks and toks[-1].group().lower().rstrip("s") in _PARTY_NOUN_STEMS | {"officer"}:
            first = max(0, len(toks) - 4)
            s, e = claim.start + toks[first].start(), claim.start + toks[-1].end()
            return (text[s - claim.start : e - claim.start], s, e)
    named = [
        f
        for f in people
        if f.end <= before and f.kind != "place" and not _SPOKEN_TO.search(text[: max(0, f.start - claim.start)])
    ]
    if named:
        f = min(named, key=lambda x: (x.kind != "person", x.start))
        return (f.norm or f.text, f.start, f.end)
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
        passive = _PASSIVE.search(text[: m.start()]) is not None or (
            m.group().lower().endswith("ed") and _BY.match(text[m.end() :]) is not None
        )
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
