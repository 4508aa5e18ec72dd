"""Whose voices an article quotes or cites, grouped by role.

Speakers come from the quote/attribution facts when the caller has them, and from light patterns
over sentences otherwise ("X said", "said X", "according to X", "X, who argue", "criticism from X"),
so framing works before or without fact extraction. A bare surname borrows the title written
beside its first full mention ("Defense Secretary Peter Hegseth" makes "Hegseth" an official).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corroborator.compare.framing_lexicon import Lexicon, Token, tokens
from corroborator.model import Article, Fact, Sentence

ROLES: tuple[str, ...] = ("officials", "critics", "supporters", "experts", "others")
# Checked in this order: "military experts" are experts, "human rights officials" critics.
_ROLE_ORDER: tuple[str, ...] = ("critics", "supporters", "experts", "officials")

_AUX = frozenset(
    {"has", "have", "had", "is", "are", "was", "were", "will", "would", "also", "repeatedly", "quickly",
     "publicly", "previously", "recently", "loudly", "openly", "long", "already", "been", "be", "not",
     "did", "do", "does", "who", "which", "reportedly", "privately", "later", "then", "often", "widely"}
)  # fmt: skip
_INNER = frozenset({"of", "and", "in", "on", "the", "at", "across", "both"})
_STOP = frozenset(
    {"that", "while", "as", "but", "because", "when", "where", "if", "whether", "though", "although",
     "meanwhile", "since", "after", "before", "with", "by", "this", "these", "those", "it", "its",
     "he", "she", "they", "we", "i", "you", "them", "him", "her", "there", "what", "some", "many",
     "instead", "now", "so", "yet", "or", "not", "to", "an", "a", "from", "for", "about",
     "against", "into", "than", "over", "under", "has", "have", "had", "is", "are", "was", "were"}
)  # fmt: skip
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
        if tok.norm in _STOP:
            break
        phrase.insert(0, tok)
        j -= 1
    while phrase and phrase[0].norm in _INNER:
        phrase.pop(0)
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
        if tok.norm in _STOP or tok.norm in {"who", "which", "said", "says"}:
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
        if is_verb and not (i > 0 and tok.text[:1].isupper()):
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
    """A name (capitalised word) or a role noun; drops "the report", "the decision" and the like."""
    if _keyword_role(speaker, lexicon) is not None:
        return True
    return any(w[:1].isupper() for w in speaker.split()[1:]) or (
        speaker[:1].isupper() and len(speaker.split()) <= 4 and speaker.split()[0].lower() not in _STOP
    )


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


def role_of(
    article: Article, speaker: str, lexicon: Lexicon, article_tokens: Sequence[Token] | None = None
) -> str:
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
        f.speaker.strip()
        for f in facts
        if f.kind in ("quote", "attribution") and f.speaker and f.speaker.strip()
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
