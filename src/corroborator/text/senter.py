"""English sentences: spaCy's ``senter`` with repairs, spans with exact character offsets into ``Article.text``.

Other languages split through their analyser (:mod:`corroborator.text.analysis`); :mod:`.sentences`
picks one per article.

Choice, by measurement on 200 real AllSides articles (``content_original``, 5,316 paragraphs, one
core of a busy 2-core machine):

    pysbd 0.3.4 (rules)                         ~1,500 sentences/s   8,834 sentences
    spaCy sm ``senter`` only (no parser/NER)    ~5,500 sentences/s   9,465 sentences

spaCy's statistical ``senter`` is both faster and better; with the repairs below ``split_sentences``
runs at ~4,500 sentences per CPU-second (bench/facts.py: 200 AllSides articles, 9,352 sentences).
pysbd keeps multi-sentence quotes as one
sentence and makes rule errors ("D-Calif." | ", complained", "3:53 p.m." | "ET.", '?"' | "Alito
asked.", a lone closing quote split off). senter handles "U.S.", "Dr. Jane O. Smith", "D.C.",
"Jan. 5", "(R-Ky.)" and curly quotes; its own errors on the same sample (629 of 5,316 paragraphs
segmented differently; read by hand) are mostly a split before "[" inside quotes, a split between
'!”' and "he said" or "Justice Breyer asked", a lone quote mark or bracket as a sentence, and
"approx." | "5 p.m.". The repairs below fix exactly those: a piece with no letter or digit, a piece
that starts in lower case, a piece after a title abbreviation or an opening bracket, and "Name said"
after a closing '?”', '!”' or ',”' are joined to the one before.

Against BASIL's hand-split sentences (150 articles, 1,529 boundaries; bench/facts.py) boundary F1 is
0.95 for this splitter (precision 0.91, recall 0.99) and 0.84 for pysbd (0.91, 0.79). Most of our
"extra" boundaries are inside multi-sentence quotations, which BASIL keeps as one sentence.

Paragraph breaks are always boundaries (a blank line, and a single newline too unless the lines
look hard-wrapped: the line before ends mid-sentence and the next starts in lower case), so a
title line or "The U.S." at the end of a paragraph never runs into the next paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from corroborator.model import Article, Sentence
from corroborator.text.nlp import parse

# spaCy refuses texts over nlp.max_length (1e6); paragraphs this long are junk but must not crash.
_MAX_BLOCK = 100_000

_LINE = re.compile(r"[^\n]+")
# Where a too-long paragraph may be cut: after a full stop that does not end "U.S." or "D.C.".
_SAFE_CUT = re.compile(r"(?<![A-Z])[.!?][\"”’)]?\s+(?=[\"“A-Z])")
_ALNUM = re.compile(r"\w")
# Words whose trailing period is part of an abbreviation that cannot end a sentence.
_NO_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Prof|Rev|St|Mt|Ft|"
    r"vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|[\[(])$"
)
_MONTH_END = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$")
_QUOTE_END = re.compile(r"[?!,][”\"’]$")
_SAID = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){1,5}(?:said|says|asked|asks|added|adds|told|wrote|writes|replied|continued|"
    r"recalled|explained|declared|tweeted)\b"
)
_CONTINUES = re.compile(r"[a-z0-9,;(\-]$")
_STARTS_LOW = re.compile(r"[a-z]")


def english_sentences(article: Article) -> tuple[Sentence, ...]:
    """The English splitter: spaCy ``senter`` with the repairs above."""
    return _to_sentences(article, sentence_spans(article.text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``."""
    pieces = blocks(text)
    spans: list[tuple[int, int]] = []
    for (start, _), doc in zip(pieces, parse((text[s:e] for s, e in pieces), "senter"), strict=True):
        spans.extend(_doc_spans(doc, text, start))
    return spans


def flush_batch(
    pending: list[tuple[Article, list[tuple[int, int]]]],
    texts: list[str],
    owners: list[tuple[int, int]],
) -> Iterator[tuple[Sentence, ...]]:
    spans: list[list[tuple[int, int]]] = [[] for _ in pending]
    for (owner, offset), doc in zip(owners, parse(texts, "senter"), strict=True):
        spans[owner].extend(_doc_spans(doc, pending[owner][0].text, offset))
    for (article, _), found in zip(pending, spans, strict=True):
        yield _to_sentences(article, found)


def _to_sentences(article: Article, spans: list[tuple[int, int]]) -> tuple[Sentence, ...]:
    text = article.text
    return tuple(Sentence(article.id, i, s, e, text[s:e]) for i, (s, e) in enumerate(spans))


def blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph-like blocks: runs of lines joined only where a line is a hard-wrapped continuation."""
    found: list[tuple[int, int]] = []
    prev_end = -1
    for m in _LINE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            prev_end = -1  # a blank line: the next line starts a new block
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        end = m.start() + len(line.rstrip())
        if (
            found
            and prev_end == found[-1][1]
            and (
                (_CONTINUES.search(text[prev_end - 1]) and _STARTS_LOW.match(stripped))
                or _NO_END.search(text[max(0, prev_end - 8) : prev_end])
            )
        ):
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
        prev_end = end
    return [piece for block in found for piece in _cut_long(text, *block)]


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > _MAX_BLOCK:
        window = text[start : start + _MAX_BLOCK]
        stops = [m.end() for m in _SAFE_CUT.finditer(window)]
        space = window.rfind(" ")
        cut = stops[-1] if stops else (space + 1 if space > 0 else _MAX_BLOCK)
        pieces.append((start, start + cut))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def _doc_spans(doc: object, text: str, offset: int) -> list[tuple[int, int]]:
    raw: list[tuple[int, int]] = []
    for sent in doc.sents:  # type: ignore[attr-defined]
        s, e = offset + sent.start_char, offset + sent.end_char
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            raw.append((s, e))
    return _repair(raw, text)


def _repair(raw: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in raw:
        piece = text[s:e]
        if out and _joins_previous(text[out[-1][0] : out[-1][1]], piece):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    # A leading piece with no letters (a lone quote mark) belongs to the sentence after it.
    if len(out) > 1 and not _ALNUM.search(text[out[0][0] : out[0][1]]):
        out[1] = (out[0][0], out[1][1])
        del out[0]
    return out


def _joins_previous(prev: str, piece: str) -> bool:
    if not _ALNUM.search(piece) or _STARTS_LOW.match(piece):
        return True
    if _QUOTE_END.search(prev) and _SAID.match(piece):
        return True  # '“Is this more fun?” Trump said.' is one sentence
    if _MONTH_END.search(prev):
        return piece[:1].isdigit()
    return bool(_NO_END.search(prev))
