"""Typed facts per sentence: numbers, money, percentages, dates/periods/durations, people,
organizations, places, quotes with speakers, attributions, negation and hedge cues.

One spaCy NER pass over the sentences (``nlp.pipe`` in batches) gives the entities; everything else is
rules in small pure modules (:mod:`.numeric`, :mod:`.temporal`, :mod:`.quotes`, :mod:`.cues`). Every
fact's ``start``/``end`` are absolute offsets into ``article.text`` and ``sentence`` is the index of
the sentence it starts in.

Speed (bench/facts.py, 200 AllSides articles): ~300 sentences per CPU-second, 6.4 articles, ~120
facts an article; spaCy NER is ~80% of the time, the temporal regexes most of the rest.

Overlaps, on purpose: a duration ("within 90 days") is also a number ("90 days", unit "days"), as
conflict checks on counts and on deadlines both want it; a year inside a date or period is not a number.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence

from corroborator.model import Article, Fact, FactKind, Sentence
from corroborator.text.analysis import ENGLISH, analyser_for
from corroborator.text.cues import find_cues
from corroborator.text.dates import find_dates
from corroborator.text.figures import find_figures
from corroborator.text.names import clean_name
from corroborator.text.nlp import parse
from corroborator.text.numeric import find_numeric
from corroborator.text.quotes import (
    Attribution,
    Entity,
    SpeakerResolver,
    find_attributions,
    find_quotes,
)
from corroborator.text.temporal import normalise_temporal

FACTS_ANALYSER = "facts.spacy-sm.v1"  # English (and unknown language): facts stored under this name


def facts_analyser(article: Article) -> str:
    """The name an article's facts are stored under: which analyser ran ("facts.spacy-sm.v1" for English,
    e.g. "facts.rules.pysbd-0.3.4.es.v1" for Spanish)."""
    analyser = analyser_for(article.language)
    return FACTS_ANALYSER if analyser.name == ENGLISH else f"facts.{analyser.name}.v1"


_ENTITY_KINDS: dict[str, FactKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NAME": "name",  # a capitalised name whose type the rules-level analysers cannot tell
}
# Not a setting: spaCy batch size, a speed detail with no effect on the facts found.
_BATCH = 64
_BEFORE_TITLE = re.compile(r"\s+(?:Secretary|Minister|Chief|Spokesman|Spokeswoman|Spokesperson|Adviser|Advisor)\b")


def sentence_entities(article: Article, sentences: Sequence[Sentence]) -> Iterator[list[Entity]]:
    """The named entities of each sentence (offsets into the sentence) by the article's analyser: the one
    NER pass facts need, which ingest shares with the lead entities (spaCy's results do not depend on
    how texts are batched)."""
    analyser = analyser_for(article.language)
    if analyser.name != ENGLISH:
        yield from analyser.entities([s.text for s in sentences])
        return
    for doc in parse((s.text for s in sentences), "ner", batch_size=_BATCH):
        yield [Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def extract_facts(
    article: Article, sentences: Sequence[Sentence], found_entities: Sequence[list[Entity]] | None = None
) -> tuple[Fact, ...]:
    """All facts of ``article``, ordered by position; offsets are into ``article.text``.

    ``found_entities``: :func:`sentence_entities` of ``sentences`` (in the same order) when the caller has them.
    """
    if not sentences:
        return ()
    text = article.text
    quotes = find_quotes(text)
    if found_entities is not None and len(found_entities) != len(sentences):
        raise ValueError(f"{len(found_entities)} entity lists for {len(sentences)} sentences")
    per_sentence = found_entities if found_entities is not None else sentence_entities(article, sentences)
    pairs = sorted(zip(sentences, per_sentence, strict=True), key=lambda p: p[0].start)
    sentences = [s for s, _ in pairs]
    starts = [s.start for s in sentences]
    resolver = SpeakerResolver()
    facts: list[Fact] = []
    attributions: list[tuple[int, Attribution]] = []  # (sentence index, absolute-offset attribution)
    analyser = analyser_for(article.language)
    english = analyser.name == ENGLISH
    for sentence, entities in pairs:
        base = sentence.start
        facts.extend(_entity_facts(sentence, entities))
        if english:
            facts.extend(_temporal_and_numeric(article, sentence))
        else:
            facts.extend(_dates_and_figures(article, sentence, analyser.language))
        facts.extend(_cue_facts(sentence, analyser.language))
        if not english:
            continue  # attributions and speakers are read by English rules
        inside = [(q.start - base, q.end - base) for q in quotes if q.start < sentence.end and q.end > base]
        found = find_attributions(sentence.text, entities, inside)
        # People seen before this sentence's attributions resolve its pronouns and roles.
        people = [e for e in entities if e.label == "PERSON"]
        for att in found:
            for person in people:
                if person.start < att.start:
                    resolver.see(person.text)
            speaker = resolver.resolve(att.speaker)
            absolute = Attribution(base + att.start, base + att.end, speaker, att.verb)
            attributions.append((sentence.index, absolute))
            facts.append(
                _fact("attribution", text, absolute.start, absolute.end, f"{speaker.lower()}: {att.verb}",
                      sentence.index, label=att.verb, speaker=speaker)
            )  # fmt: skip
        for person in people:
            resolver.see(person.text)
    for q in quotes:
        first = sentences[_sentence_of(starts, q.start)]
        if not first.start <= q.start < first.end:
            continue  # outside the sentences given (a caller may pass only some)
        last = sentences[_sentence_of(starts, max(q.start, q.end - 1))]
        said_by = _quote_speaker(q.start, q.end, first.index, last.index, attributions)
        facts.append(_fact("quote", text, q.start, q.end, q.norm, first.index, speaker=said_by))
    return tuple(sorted(facts, key=lambda f: (f.start, f.end, f.kind)))


def _fact(kind: FactKind, text: str, start: int, end: int, norm: str, sentence: int, **kw: object) -> Fact:
    return Fact(kind=kind, start=start, end=end, text=text[start:end], norm=norm, sentence=sentence, **kw)  # type: ignore[arg-type]


def _sentence_of(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _entity_facts(sentence: Sentence, entities: Iterable[Entity]) -> list[Fact]:
    out = []
    for ent in entities:
        kind = _ENTITY_KINDS.get(ent.label)
        if kind is None:
            continue
        name = clean_name(ent.text)
        if not any(c.isalpha() for c in name):
            continue
        if kind != "person" and _BEFORE_TITLE.match(sentence.text, ent.end):
            continue  # "Defense" in "Defense Secretary Peter Hegseth" is part of a title
        start, end = sentence.start + ent.start, sentence.start + ent.end
        out.append(Fact(kind, start, end, ent.text, name, sentence.index, label=ent.label))
    return out


def _temporal_and_numeric(article: Article, sentence: Sentence) -> list[Fact]:
    out = []
    base = sentence.start
    values = normalise_temporal(sentence.text, article.published)
    for v in values:
        out.append(
            Fact(
                v.kind, base + v.start, base + v.end, v.text, v.norm, sentence.index,
                number=v.number, unit=v.unit,
                earliest=v.earliest.isoformat() if v.earliest else None,
                latest=v.latest.isoformat() if v.latest else None,
                label=v.label, approximate=v.approximate,
            )
        )  # fmt: skip
    skip = [(v.start, v.end) for v in values if v.kind != "duration"]
    for n in find_numeric(sentence.text, skip):
        out.append(
            Fact(n.kind, base + n.start, base + n.end, n.text, n.norm, sentence.index,
                 number=n.number, unit=n.unit, approximate=n.approximate)
        )  # fmt: skip
    return out


def _dates_and_figures(article: Article, sentence: Sentence, lang: str) -> list[Fact]:
    """Dates and figures for a language without the English rules (:mod:`.dates`, :mod:`.figures`)."""
    base = sentence.start
    out = []
    values = find_dates(sentence.text, lang, article.published)
    for v in values:
        out.append(
            Fact(v.kind, base + v.start, base + v.end, v.text, v.norm, sentence.index,
                 earliest=v.earliest.isoformat() if v.earliest else None,
                 latest=v.latest.isoformat() if v.latest else None)
        )  # fmt: skip
    for n in find_figures(sentence.text, lang, [(v.start, v.end) for v in values]):
        out.append(
            Fact(n.kind, base + n.start, base + n.end, n.text, n.norm, sentence.index, number=n.number, unit=n.unit)
        )
    return out


def _cue_facts(sentence: Sentence, lang: str = "en") -> list[Fact]:
    base = sentence.start
    return [
        Fact(c.kind, base + c.start, base + c.end, c.text, c.norm, sentence.index)
        for c in find_cues(sentence.text, lang)
    ]


def _quote_speaker(
    start: int, end: int, first: int, last: int, attributions: Sequence[tuple[int, Attribution]]
) -> str | None:
    """The nearest attribution outside the quote in its own sentences, else the sentence before or after."""

    def distance(a: Attribution) -> int:
        return start - a.end if a.end <= start else a.start - end

    outside = [(i, a) for i, a in attributions if a.end <= start or a.start >= end]
    for window in ((first, last), (first - 1, first - 1), (last + 1, last + 1)):
        near = [a for i, a in outside if window[0] <= i <= window[1]]
        if near:
            return min(near, key=lambda a: (distance(a), a.start > start)).speaker
    return None
