"""Whose voices an article quotes or cites, grouped by role.

Speakers come from the quote/attribution facts when the caller has them, and from light patterns
over sentences otherwise ("X said", "said X", "according to X", "X, who argue", "criticism from X"),
so framing works before or without fact extraction. A bare surname borrows the title written
beside its first full mention ("Defense Secretary Peter Hegseth" makes "Hegseth" an official).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corroborator.compare.framing.lexicon import Lexicon, Token, tokens
from corroborator.model import Article, Fact, Sentence
from corroborator.text import words

ROLES: tuple[str, ...] = ("officials", "critics", "supporters", "experts", "others")
# Checked in this order: "military experts" are experts, "human rights officials" critics.
_ROLE_ORDER: tuple[str, ...] = ("critics", "supporters", "experts", "officials")

_AUX = frozenset(
    {"has", "have", "had", "is", "are", "was", "were", "will", "would", "also", "repeatedly", "quickly",
     "publicly", "previously", "recently", "loudly", "openly", "long", "already", "been", "be", "not",
     "did", "do", "does", "who", "which", "reportedly", "privately", "later", "then", "often", "widely"}
)  # fmt: skip
_INNER = frozenset({"of", "and", "in", "on", "the", "at", "across", "both"})
# Words that end a speaker's noun phrase (data/words/en/stopwords-voices.txt).
_STOP = words.stopwords("en", "voices")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this"})
_GING = frozenset(
    {"saying", "arguing", "warning", "announcing", "claiming", "insisting", "noting", "adding",
     "telling", "calling", "urging", "declaring", "contending", "writing", "tweeting", "explaining"}
)  # fmt: skip
_FROM_CUES = frozenset(
    {"criticism", "rebuke", "rebukes", "condemnation", "praise", "backlash", "opposition", "objections",
     "protests", "warnings", "support", "complaints", "pushback", "calls", "statement", "outcry"}
)  # fmt: skip
_DOCUMENTS = frozenset(
    {"report", "reports", "statement", "memo", "study", "analysis", "survey", "letter", "filing", "document",
     "documents", "poll", "review", "audit", "interview", "post", "op-ed", "column", "testimony"}
)  # fmt: skip
_APPOSITIVE = re.compile(
    r"\b([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}),\s+(?:a|an|the)\s[^,;\"“”]{1,80},\s*(?:who\s+)?$"
)
_HEAD_ENDS = frozenset({"of", "in", "at", "on", "from", "for", "across", "with"})
_PEOPLE = frozenset(
    {"groups", "group", "people", "residents", "members", "leaders", "voters", "families", "organizations",
     "organization", "union", "unions", "workers", "parents", "students", "lawyers", "lawyer", "doctors",
     "officers", "witnesses", "witness", "sources", "source", "aides", "aide", "staff",
     "staffers", "insiders", "colleagues", "friends", "relatives", "neighbors", "citizens", "owners",
     "executives", "executive", "companies", "company", "firms", "industry", "candidates", "candidate",
     "democrats", "republicans", "conservatives", "liberals", "progressives", "nations", "countries",
     "chief", "head", "founder", "ceo", "attorneys", "team", "campaign", "coalition", "alliance"}
)  # fmt: skip
_NOT_NAMES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
     "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "many", "some", "most",
     "others", "all", "both", "each", "none", "few", "several", "first", "last", "next", "earlier"}
)  # fmt: skip
_DETERMINERS = frozenset({"of", "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "to"})
_KEEP_LOWER = frozenset({"retired", "elected", "unnamed", "anonymous", "related", "united"})
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)
_MAX_NP = 7


def _np_before(toks: list[Token], text: str, i: int) -> list[Token]:
    """The noun phrase ending just before token ``i``, stepping over auxiliaries and ", who"."""
    j = i - 1
    while j >= 0 and toks[j].norm in _AUX:
        j -= 1
    if j < 0:
        return []
    # Between the phrase and the verb only white space, or the comma of ", who argue".
    allowed = " ," if j + 1 < i and toks[j + 1].norm in {"who", "which"} else " "
    if text[toks[j].end : toks[j + 1].start].strip(allowed):
        return []
    phrase: list[Token] = []
    while j >= 0 and len(phrase) < _MAX_NP:
        tok = toks[j]
        if phrase and text[tok.end : phrase[0].start].strip(" ."):
            break
        if tok.norm in _STOP or (tok.norm in _NOT_NAMES and tok.text[:1].isupper()):
            break
        if not phrase and tok.norm in {"and", "or"}:  # "... and said": a second verb, no new subject
            break
        if tok.text.islower() and tok.norm.endswith(("ed", "ly")) and tok.norm not in _KEEP_LOWER:
            break
        phrase.insert(0, tok)
        j -= 1
    while phrase and phrase[0].norm in _INNER:
        phrase.pop(0)
    while phrase and phrase[-1].norm in _INNER | _HEAD_ENDS:
        phrase.pop()
    return phrase


def _np_after(toks: list[Token], text: str, i: int) -> list[Token]:
    """The noun phrase starting at token ``i`` and running to the next punctuation or clause word."""
    phrase: list[Token] = []
    j = i
    while j < len(toks) and toks[j].norm in {"a", "an", "the"}:
        j += 1
    while j < len(toks) and len(phrase) < _MAX_NP:
        tok = toks[j]
        if phrase and text[phrase[-1].end : tok.start].strip(" ."):
            break
        if tok.norm in _STOP or tok.norm in {"who", "which", "said", "says"} or (phrase and tok.norm in _NOT_NAMES):
            break
        if tok.text.islower() and tok.norm.endswith(("ed", "ly")) and tok.norm not in _KEEP_LOWER:
            break
        phrase.append(tok)
        j += 1
    while phrase and phrase[-1].norm in _INNER:
        phrase.pop()
    # "according to a report by The Washington Post": the voice is the one behind the document.
    if phrase and phrase[-1].norm in _DOCUMENTS and j < len(toks) and toks[j].norm in {"by", "from"}:
        return _np_after(toks, text, j + 1)
    return phrase


def _speaker_text(text: str, phrase: list[Token]) -> str | None:
    if not phrase:
        return None
    words = [t for t in phrase if t.norm != "the" or t is not phrase[0]]
    if not words or (len(words) == 1 and words[0].norm in _PRONOUNS):
        return None
    value = text[words[0].start : words[-1].end]
    return value[:-2] if value.endswith(("'s", "’s")) else value


def sentence_speakers(
    text: str, sentence: Sentence, lexicon: Lexicon, toks: Sequence[Token] | None = None
) -> list[str]:
    """Speakers cited in one sentence, by pattern (``toks``: its tokens, when already made)."""
    toks = list(toks) if toks is not None else tokens(text, sentence.start, sentence.end)
    found: list[str] = []
    for i, tok in enumerate(toks):
        candidate: str | None = None
        is_verb = tok.norm in lexicon.speech_verbs or tok.norm in _GING
        # "The United States", "Notes From ...": a capitalised verb form mid-sentence is a name.
        # "secretary of state", "the claims", "to say": a noun or an infinitive, not a speech act.
        noun_use = i > 0 and toks[i - 1].norm in _DETERMINERS
        if is_verb and not noun_use and not (i > 0 and tok.text[:1].isupper()):
            before = _np_before(toks, text, i)
            candidate = _speaker_text(text, before)
            if candidate is None:
                # "Maria Gomez, a retired teacher, said": the name before the appositive.
                m = _APPOSITIVE.search(text, sentence.start, tok.start)
                candidate = m.group(1) if m else None
            if candidate is None and tok.norm in {"said", "says", "told", "added", "wrote"}:
                # inverted: '..., said Gen. Smith' / '" said the spokesman'
                candidate = _speaker_text(text, _np_after(toks, text, i + 1))
        elif tok.norm == "from" and i > 0 and toks[i - 1].norm in _FROM_CUES:
            candidate = _speaker_text(text, _np_after(toks, text, i + 1))
        if candidate:
            found.append(candidate)
    for m in _ACCORDING.finditer(text, sentence.start, sentence.end):
        after = [t for t in toks if t.start >= m.end()]
        if after:
            candidate = _speaker_text(text, _np_after(after, text, 0))
            if candidate:
                found.append(candidate)
    return [s for s in found if _plausible(s, lexicon)]


def _plausible(speaker: str, lexicon: Lexicon) -> bool:
    """A phrase headed by a name or a person noun: "Gen. Olsen", "supporters of the policy".

    Drops what the patterns catch by accident: "the decision", "Four", "Wednesday the event",
    "currently in place in Colorado".
    """
    words = [t for t in tokens(speaker)]
    head: list[Token] = []
    for t in words:
        if t.norm in _HEAD_ENDS and head:
            break
        head.append(t)
    if not head or head[0].norm in _NOT_NAMES or any(t.norm in _NOT_NAMES for t in head[-1:]):
        return False
    last = head[-1]
    return last.text[:1].isupper() or last.norm in _person_nouns(lexicon)


def _person_nouns(lexicon: Lexicon) -> frozenset[str]:
    return _PEOPLE | {k.split()[-1] for words in lexicon.roles.values() for k in words}


def _keyword_role(speaker: str, lexicon: Lexicon) -> str | None:
    words = " " + " ".join(t.norm for t in tokens(speaker)) + " "
    for role in _ROLE_ORDER:
        if any(f" {k} " in words for k in lexicon.roles.get(role, ())):
            return role
    return None


def _titled_mention(article_tokens: Sequence[Token], text: str, speaker: str) -> str:
    """A bare name's first mention with the capitalised words before it and an appositive after it.

    "Hegseth" -> "Defense Secretary Peter Hegseth"; "Smith" -> "Smith the state department spokeswoman".
    """
    last = speaker.split()[-1].lower().replace("’", "'")
    for i, tok in enumerate(article_tokens):
        if tok.norm != last or not tok.text[:1].isupper():
            continue
        j = i
        while j > 0 and i - j < 4 and article_tokens[j - 1].text[:1].isupper():
            if text[article_tokens[j - 1].end : article_tokens[j].start].strip(" ."):
                break
            j -= 1
        after = ""
        if text[tok.end : tok.end + 2] == ", ":
            tail = [t for t in article_tokens[i + 1 : i + 7] if not text[tok.end : t.start].count(",") > 1]
            after = " ".join(t.norm for t in tail)
        return " ".join(x for x in (text[article_tokens[j].start : tok.end], after) if x)
    return speaker


def role_of(article: Article, speaker: str, lexicon: Lexicon, article_tokens: Sequence[Token] | None = None) -> str:
    """officials | critics | supporters | experts | others, from role words in or beside the speaker."""
    role = _keyword_role(speaker, lexicon)
    if role is None and speaker[:1].isupper():
        toks = article_tokens if article_tokens is not None else tokens(article.text)
        role = _keyword_role(_titled_mention(toks, article.text, speaker), lexicon)
    return role or "others"


def find_voices(
    article: Article,
    sentences: Sequence[Sentence],
    facts: Sequence[Fact],
    lexicon: Lexicon,
    sentence_tokens: Sequence[Sequence[Token]] | None = None,
) -> dict[str, list[str]]:
    """role -> speakers in order of first appearance (facts first, then patterns; deduplicated)."""
    if sentence_tokens is None:
        sentence_tokens = [tokens(article.text, s.start, s.end) for s in sentences]
    speakers: list[str] = [
        f.speaker.strip() for f in facts if f.kind in ("quote", "attribution") and f.speaker and f.speaker.strip()
    ]
    for sentence, toks in zip(sentences, sentence_tokens, strict=True):
        speakers.extend(sentence_speakers(article.text, sentence, lexicon, toks))
    article_tokens = [t for toks in sentence_tokens for t in toks]
    voices: dict[str, list[str]] = {}
    seen: set[str] = set()
    for speaker in speakers:
        key = speaker.lower().removeprefix("the ")
        if key in seen:
            continue
        seen.add(key)
        voices.setdefault(role_of(article, speaker, lexicon, article_tokens), []).append(speaker)
    return {role: voices[role] for role in ROLES if role in voices}
