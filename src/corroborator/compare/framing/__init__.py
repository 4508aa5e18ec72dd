"""Framing of one article: charged wording, hedges, asides, subjectivity, tone and whose voices it quotes.

Terms are exact spans into ``article.text`` in five categories:

- ``loaded``: politically or emotionally charged word choice ("slammed", "regime", "so-called");
- ``emotive``: words the VADER lexicon rates strongly positive or negative, less plain news vocabulary;
- ``intensifier``: words that amplify ("sharp", "fierce", "dramatic", "sweeping");
- ``aside``: the writer stepping in ("a phrase that has raised eyebrows", "of course", "tellingly"),
  rhetorical questions, and scare quotes (a short quoted fragment nobody is said to have said);
- ``hedge``: distance from a claim ("reportedly", "allegedly", "may", "appears").

``subjectivity`` is the share of sentences carrying loaded, emotive, intensifying or aside wording
(hedges mark caution, not opinion); ``tone`` is the mean VADER compound score over sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from corroborator.compare.framing.lexicon import (
    CATEGORIES,
    Lexicon,
    Token,
    load_lexicon,
    match,
    tokens,
    vader,
)
from corroborator.compare.framing.voices import ROLES, find_voices
from corroborator.model import Article, Fact, Framing, FramingTerm, Sentence

__all__ = ["CATEGORIES", "SUBJECTIVE", "analyse_framing", "framing_table"]

SUBJECTIVE: frozenset[str] = frozenset({"loaded", "emotive", "intensifier", "aside"})

_OPEN_CLOSE = {"“": "”", '"': '"', "‘": "’"}
# An opening straight quote follows a space or bracket and is followed by a word character.
_QUOTED = re.compile(r"“([^”]{1,80})”|(?:^|(?<=[\s(]))\"(\w[^\"]{0,80})\"|‘([^’]{1,60})’(?![a-z])")
# Beyond speech verbs, words that say a fragment is someone's wording (a name, a document's term).
_CITING = frozenset(
    {"according", "deemed", "labeled", "labelled", "branded", "termed", "dubbed", "described", "describes",
     "describing", "saying", "calling", "emphasized", "emphasizing", "statement", "memo", "titled", "known"}
)  # fmt: skip
# Not a setting: part of the scare-quote rule measured on BASIL (tests/test_framing_basil.py).
_SCARE_MAX_WORDS = 3
# "Face the Nation", "Celebrity Apprentice": quoted titles, not irony.
_TITLE = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:[a-z]{1,3}\s+)?[A-Z][\w'’-]*)*")


def _sentences(article: Article, sentences: Sequence[Sentence]) -> Sequence[Sentence]:
    if sentences:
        return sentences
    from corroborator.text.sentences import split_sentences  # loads spaCy: only when asked

    return split_sentences(article)


def _attributed(toks: Sequence[Token], lexicon: Lexicon) -> bool:
    return any(t.norm in lexicon.speech_verbs or t.norm in _CITING for t in toks)


def _scare_quotes(text: str, sentence: Sentence, attributed: bool) -> list[tuple[int, int]]:
    """Short quoted fragments inside a sentence that no speech verb introduces: ironic distance."""
    found: list[tuple[int, int]] = []
    body = text[sentence.start : sentence.end]
    for m in _QUOTED.finditer(body):
        inner = next(g for g in m.groups() if g is not None)
        words = len(tokens(inner))
        if not 1 <= words <= _SCARE_MAX_WORDS or m.start() == 0 or _TITLE.fullmatch(inner.strip(" ,.!?")):
            continue
        # A fragment someone is said to have said (or called it) is a quotation, not an aside.
        if attributed:
            break
        found.append((sentence.start + m.start(), sentence.start + m.end()))
    return found


def _rhetorical_question(text: str, sentence: Sentence, attributed: bool) -> tuple[int, int] | None:
    body = text[sentence.start : sentence.end].rstrip()
    if body.endswith("?") and not attributed and not any(q in body for q in _OPEN_CLOSE) and len(tokens(body)) >= 3:
        return sentence.start, sentence.start + len(body)
    return None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int, str]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in taken)


def sentence_terms(
    text: str, sentence: Sentence, lexicon: Lexicon | None = None, toks: Sequence[Token] | None = None
) -> list[FramingTerm]:
    """The framing terms of one sentence, in text order (``toks``: its tokens, when already made)."""
    lexicon = lexicon or load_lexicon()
    toks = toks if toks is not None else tokens(text, sentence.start, sentence.end)
    found = match(text, toks, lexicon)
    attributed = _attributed(toks, lexicon)
    question = _rhetorical_question(text, sentence, attributed)
    extra = [*_scare_quotes(text, sentence, attributed), *([question] if question else [])]
    for span in extra:
        # An aside that contains a matched word replaces it: the whole gesture is the signal.
        found = [f for f in found if not (span[0] <= f[0] and f[1] <= span[1])]
        if not _overlaps(span, found):
            found.append((span[0], span[1], "aside"))
    return [FramingTerm(s, e, text[s:e], c) for s, e, c in sorted(found)]


def analyse_framing(
    article: Article,
    sentences: Sequence[Sentence],
    facts: Sequence[Fact] = (),
    *,
    lexicon: Lexicon | None = None,
) -> Framing:
    """Framing terms, subjectivity, tone and voices of one article.

    ``sentences`` are the article's sentences (split them when empty); ``facts`` of kind quote and
    attribution name speakers when given, and pattern matching over sentences adds the rest.
    ``lexicon`` replaces the default word lists (training and ablations use it).
    """
    lexicon = lexicon or load_lexicon()
    sents = _sentences(article, sentences)
    analyser = vader()
    terms: list[FramingTerm] = []
    subjective = 0
    compound = 0.0
    sentence_tokens = [tokens(article.text, s.start, s.end) for s in sents]
    for sentence, toks in zip(sents, sentence_tokens, strict=True):
        found = sentence_terms(article.text, sentence, lexicon, toks)
        terms.extend(found)
        subjective += any(t.category in SUBJECTIVE for t in found)
        compound += analyser.polarity_scores(article.text[sentence.start : sentence.end])["compound"]
    n = len(sents)
    return Framing(
        article_id=article.id,
        terms=tuple(terms),
        subjectivity=subjective / n if n else 0.0,
        tone=compound / n if n else 0.0,
        voices=find_voices(article, sents, facts, lexicon, sentence_tokens),
    )


def _top_terms(framing: Framing, k: int = 6) -> list[str]:
    counts = Counter(t.text.lower() for t in framing.terms if t.category in SUBJECTIVE)
    return [term for term, _ in counts.most_common(k)]


def framing_table(framings: Sequence[Framing]) -> list[dict[str, object]]:
    """One row per article for side-by-side display: counts by category, top terms, tone, voices."""
    rows: list[dict[str, object]] = []
    for framing in framings:
        counts = Counter(t.category for t in framing.terms)
        row: dict[str, object] = {"article": framing.article_id}
        row.update({category: counts.get(category, 0) for category in CATEGORIES})
        row["top_terms"] = _top_terms(framing)
        row["subjectivity"] = round(framing.subjectivity, 3)
        row["tone"] = round(framing.tone, 3)
        row["voices"] = {role: list(framing.voices[role]) for role in ROLES if role in framing.voices}
        rows.append(row)
    return rows
