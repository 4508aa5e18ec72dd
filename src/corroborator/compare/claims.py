"""Claims: the units compared across sources.

Page furniture is never a claim: credit and byline lines, captions, related links, correction
boilerplate (:func:`corroborator.text.boilerplate.is_furniture`); a dateline opening a paragraph
("MINNEAPOLIS (AP) —") is cut off the sentence it heads, so its place is never compared with the places
of the story.

A claim is a sentence, or a clause of a sentence that packs two independent statements joined by
"; ", ", while ", ", but ", ", whereas " or opened by "While/Although ..., ...". Splitting is kept
conservative: both parts must be long enough and the second must look like it has its own verb, so a
list ("A, B, and C") or an apposition is never cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from corroborator.model import Article, Claim, Conflict, ConflictSide, Fact, Sentence
from corroborator.text.boilerplate import dateline_length, is_furniture

# Joins that may separate two statements; the match is the separator that is dropped.
_JOINS = re.compile(r";\s+|,\s+(?:while|but|whereas|although)\s+", re.IGNORECASE)
# "While the U.S. has never signed the treaty, the shift has reignited debates ..."
_LEADING = re.compile(r"^(?:while|although|though|whereas)\s+", re.IGNORECASE)

# A finite-verb cue without a tagger: auxiliaries, modals, reporting verbs, or a past-tense form.
_VERB_CUE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|shall|should|"
    r"do|does|did|says?|said|argues?|argued|warns?|warned|claims?|claimed|remains?|remained|"
    r"calls?|called|grants?|allows?|marks?|seems?|appears?|lies|provides?|\w{3,}ed)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# Not a setting: where a sentence splits into clauses changes claim ids, so the store's cached claims,
# kept comparisons and tests' golden data would all move with it.
MIN_CLAUSE_WORDS = 5


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_statement(text: str) -> bool:
    return _words(text) >= MIN_CLAUSE_WORDS and _VERB_CUE.search(text) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink (start, end) past white space and dangling separators at either edge."""
    while start < end and (text[start].isspace() or text[start] in ",;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one sentence) into clause spans, conservatively."""
    sentence = text[start:end]
    cuts: list[tuple[int, int]] = []  # (cut_start, cut_end) of separators, relative to the sentence
    lead = _LEADING.match(sentence)
    if lead:
        comma = sentence.find(", ", lead.end())
        if comma > 0:
            cuts.append((comma, comma + 2))
    for m in _JOINS.finditer(sentence):
        if any(a <= m.start() < b for a, b in cuts):
            continue
        cuts.append((m.start(), m.end()))
    cuts.sort()
    pieces: list[tuple[int, int]] = []
    prev = 0
    for cut_start, cut_end in cuts:
        left = sentence[prev:cut_start]
        right = sentence[cut_end:]
        if _is_statement(left) and _is_statement(right):
            pieces.append((prev, cut_start))
            prev = cut_end
    pieces.append((prev, len(sentence)))
    if lead and len(pieces) > 1 and pieces[0][0] == 0:
        # "While the U.S. has never signed the treaty, ..." -> the claim is what follows "While".
        pieces[0] = (lead.end(), pieces[0][1])
    out = []
    for a, b in pieces:
        s, e = _trim(text, start + a, start + b)
        if e > s:
            out.append((s, e))
    return out


def build_claims(
    article: Article, sentences: Sequence[Sentence], facts: Sequence[Fact] = (), *, furniture: bool = False
) -> tuple[Claim, ...]:
    """Claims of one article, in text order, each with the facts whose span lies inside it. Page furniture
    is left out unless ``furniture`` (a version diff must see a correction note appear)."""
    ordered = sorted(facts, key=lambda f: (f.start, f.end))
    claims: list[Claim] = []
    # The clause cues are English; in another language a claim is a whole sentence.
    english = article.language in (None, "en")
    for sentence in sentences:
        body = article.text[sentence.start : sentence.end]
        if is_furniture(body) and not furniture:
            continue
        first = sentence.start
        if sentence.start == 0 or article.text[sentence.start - 1] == "\n":
            first += dateline_length(body)
        spans = (
            clause_spans(article.text, first, sentence.end) if english else [_trim(article.text, first, sentence.end)]
        )
        for start, end in spans:
            if not _WORD.search(article.text[start:end]):
                continue
            # A fact belongs to the clause where it starts (a quote may run past a clause cut).
            inside = tuple(f for f in ordered if start <= f.start < end)
            claims.append(
                Claim(
                    id=f"{article.id}:{start}-{end}",
                    article_id=article.id,
                    sentence=sentence.index,
                    start=start,
                    end=end,
                    text=article.text[start:end],
                    facts=inside,
                    language=article.language,
                )
            )
    return tuple(claims)


# The entailment model reads English only (src/corroborator/entail.py); elsewhere only the typed facts and
# the multilingual pair similarity judge a pair.
ENTAILMENT_LANGUAGES: frozenset[str] = frozenset({"en"})


def entailment_reads(*claims: Claim) -> bool:
    """Whether the entailment model can judge these claims: all in a language it reads (unknown = English)."""
    return all((c.language or "en") in ENTAILMENT_LANGUAGES for c in claims)


def languages_of(*claims: Claim) -> tuple[str, ...]:
    """The claims' languages, in order, when they differ (() when all are in one language)."""
    langs = tuple(dict.fromkeys(c.language or "en" for c in claims))
    return langs if len(langs) > 1 else ()


# -- across languages ---------------------------------------------------------------------------------

# Cosine of the multilingual encoder (USE) between an English MEANTIME sentence and its Spanish
# translation: 10th percentile 0.75, median 0.84; the second-best match of the same sentence: median
# 0.44, 90th percentile 0.61; the best match in another article: 90th percentile 0.35 (4 article pairs).
CROSS_LANGUAGE_SAME = 0.65


@dataclass(frozen=True, slots=True)
class CrossLanguageJudgement:
    relation: str
    similarity: float
    same: bool
    probability: float


class CrossLanguageJudge:
    """The pair judge for claims in one language; for claims in two languages, the multilingual cosine.

    The learned pair judge reads English words, numbers and names (its encoder is English MiniLM), so
    a translation scores low there; across languages only the multilingual encoder's cosine is a fair
    reading, at a threshold set on translations (``CROSS_LANGUAGE_SAME``).
    """

    def __init__(self, inner: Any, claims: Iterable[Claim], same: float = CROSS_LANGUAGE_SAME) -> None:
        self.inner, self.same = inner, same
        self.name = f"{getattr(inner, 'name', 'pair')}+cross-language-cosine.v1"
        self._language = {c.text: c.language or "en" for c in claims}

    def crosses(self, a: str, b: str) -> bool:
        la, lb = self._language.get(a), self._language.get(b)
        return la is not None and lb is not None and la != lb

    def judge_many(
        self,
        pairs: Sequence[tuple[str, str]],
        vectors_a: np.ndarray | None = None,
        vectors_b: np.ndarray | None = None,
    ) -> list[Any]:
        cross = [k for k, (a, b) in enumerate(pairs) if self.crosses(a, b)]
        if not cross:
            return list(self.inner.judge_many(pairs, vectors_a, vectors_b))
        out: list[Any] = [None] * len(pairs)
        within = [k for k in range(len(pairs)) if k not in set(cross)]
        if within:
            va = vectors_a[within] if vectors_a is not None else None
            vb = vectors_b[within] if vectors_b is not None else None
            for k, j in zip(within, self.inner.judge_many([pairs[k] for k in within], va, vb), strict=True):
                out[k] = j
        if vectors_a is None or vectors_b is None:
            raise ValueError("CrossLanguageJudge needs the pairs' vectors")
        for k in cross:
            s = float(vectors_a[k] @ vectors_b[k])
            rel = "same" if s >= self.same else "none"
            out[k] = CrossLanguageJudgement(rel, s, rel == "same", s)
        return out


_NUMERIC = frozenset({"money", "percent", "number"})


def _numeric_values(claim: Claim) -> dict[float, Fact]:
    # By value, whatever the kind: a translation may write "£20.1 billion" as a bare "20.100 millones de GB #",
    # and English counts carry their noun ("179 tankers") where other languages' do not. Years are dates.
    return {
        round(f.number, 6): f
        for f in claim.facts
        if f.kind in _NUMERIC and f.number is not None and not (f.kind == "number" and 1800 <= f.number <= 2100)
    }


def _date_values(claim: Claim) -> dict[str, Fact]:
    return {f.norm: f for f in claim.facts if f.kind == "date"}


def _span(f: Fact) -> tuple[str, str] | None:
    return (f.earliest, f.latest or f.earliest) if f.earliest else None


def _replaced(kind: str, va: Mapping[Any, Fact], vb: Mapping[Any, Fact]) -> tuple[Fact, Fact] | None:
    """The one value of each side that replaces the other's, among the values each side lacks.

    Figures: the only pair within a factor of ten of each other. Dates: a pair whose calendar spans
    overlap is one date written at two precisions ("late 2006" and "2006"), not a conflict; the only pair
    whose spans are disjoint is."""
    only_a = [f for k, f in va.items() if k not in vb]
    only_b = [f for k, f in vb.items() if k not in va]
    if kind == "date":
        spans_a = [(f, _span(f)) for f in only_a]
        spans_b = [(f, _span(f)) for f in only_b]
        overlapping: set[int] = set()
        for x, sx in spans_a:
            for y, sy in spans_b:
                if sx and sy and sx[0] <= sy[1] and sy[0] <= sx[1]:
                    overlapping |= {id(x), id(y)}
        pairs = [
            (x, y)
            for x, sx in spans_a
            for y, sy in spans_b
            if sx and sy and id(x) not in overlapping and id(y) not in overlapping
        ]
    else:
        pairs = [
            (x, y)
            for x in only_a
            for y in only_b
            if x.number and y.number and max(abs(x.number), abs(y.number)) / min(abs(x.number), abs(y.number)) < 10
        ]
    return pairs[0] if len(pairs) == 1 else None


def cross_language_conflicts(a: Claim, b: Claim) -> list[Conflict]:
    """Typed facts of two claims in different languages that state the same thing (aligned by the
    multilingual encoder): one figure or one date replaced by another is a conflict.

    Only a replacement counts (one value each side lacks, the only comparable pair among them), since a
    translation may drop or add a detail without contradicting."""
    langs = languages_of(a, b)
    out: list[Conflict] = []
    for kind, va, vb in (
        ("number", _numeric_values(a), _numeric_values(b)),
        ("date", _date_values(a), _date_values(b)),
    ):
        pair = _replaced(kind, va, vb)
        if pair is None:
            continue
        fa, fb = pair
        if kind == "number" and fa.unit and fb.unit and fa.kind == fb.kind == "money" and fa.unit != fb.unit:
            continue  # two currencies: a conversion, not a changed figure
        out.append(
            Conflict(
                kind=kind,  # type: ignore[arg-type]
                explanation=f"{fa.text!r} against {fb.text!r} in claims that say the same thing in "
                + " and ".join(langs),
                sides=(
                    ConflictSide(a.article_id, fa.text, fa.start, fa.end, fa.norm),
                    ConflictSide(b.article_id, fb.text, fb.start, fb.end, fb.norm),
                ),
                claims=(a.id, b.id),
                languages=langs,
            )
        )
    return out


def check_across_languages(aligned: Any, claims: Sequence[Claim]) -> Any:
    """``aligned`` (alignments and conflicts) with the typed-fact conflicts of the pairs aligned across
    languages added, and those pairs marked "conflict"; unchanged when all claims share a language.

    A "claim" conflict (the entailment model's own verdict) between claims in two languages is dropped:
    the model reads English only, so on a translation its verdict is noise (on MEANTIME en-es it flagged
    2 of 8 translated article pairs)."""
    by_id = {c.id: c for c in claims}
    if len({c.language or "en" for c in claims}) < 2:
        return aligned

    def unreadable(cf: Conflict) -> bool:
        pair = [by_id[i] for i in cf.claims if i in by_id]
        return cf.kind == "claim" and len(pair) == 2 and not entailment_reads(*pair)

    dropped = {tuple(cf.claims) for cf in aligned.conflicts if unreadable(cf)}
    kept = [cf for cf in aligned.conflicts if not unreadable(cf)]
    alignments = []
    added: list[Conflict] = []
    for al in aligned.alignments:
        a, b = by_id.get(al.a), by_id.get(al.b)
        if a is None or b is None or not languages_of(a, b):
            alignments.append(al)
            continue
        if al.relation == "conflict" and (al.a, al.b) in dropped | {(y, x) for x, y in dropped}:
            if al.similarity < CROSS_LANGUAGE_SAME:
                continue
            al = replace(al, relation="same", model=None)
        found = cross_language_conflicts(a, b)
        if found and al.relation in ("same", "overlap"):
            al = replace(al, relation="conflict")
        added.extend(found)
        alignments.append(al)
    return replace(aligned, alignments=tuple(alignments), conflicts=(*kept, *added))
