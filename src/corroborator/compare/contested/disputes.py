"""Reported disputes inside one claim: the cue, who disputes (the party), and the helpers the
contest ranker shares (names, rare words, the person a pronoun refers to). See the package doc."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from corroborator.compare import cues
from corroborator.compare.checks.base import table, words
from corroborator.model import Claim

# A country disputes too ("Syria denies ..."): its government speaks for it.
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


# "sought to cast doubt on", "tried to pick apart": the attempt is the dispute reported, unlike "to deny".
_ATTEMPT = re.compile(
    r"\b(?:sought|seeks|seek|tried|tries|try|moved|moves|rushed|scrambled|worked|aimed|attempted|went on)"
    r"(?:\s+\w+day)?\s+to\s+$",
    re.I,
)
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
        inverted = text[: m.start()].rstrip().endswith((",", '"', "”", "’", "'"))  # '"...," said Smith'
        if after and inverted and text[m.end() : after[0].start - claim.start].strip() in ("", "the"):
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
        before = text[: m.start()]
        if _decision(text[m.end() :]) or (_NOT_BEFORE.search(before) and not _ATTEMPT.search(before)):
            continue  # "denied bail"; "to deny", "did not dispute", "the contest": no dispute reported
        # "was pushing back" is the progressive, not a passive ("was rejected by")
        progressive = m.group().split()[0].lower().endswith("ing")
        passive = (_PASSIVE.search(before) is not None and not progressive) or (
            m.group().lower().endswith("ed") and _BY.match(text[m.end() :]) is not None
        )
        if passive and not _STATEMENT_SUBJECT.search(before):
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
