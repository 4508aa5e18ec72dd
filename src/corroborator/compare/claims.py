"""Claims: the units compared across sources.

A claim is a sentence, or a clause of a sentence that packs two independent statements joined by
"; ", ", while ", ", but ", ", whereas " or opened by "While/Although ..., ...". Splitting is kept
conservative: both parts must be long enough and the second must look like it has its own verb, so a
list ("A, B, and C") or an apposition is never cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corroborator.model import Article, Claim, Fact, Sentence

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


def build_claims(article: Article, sentences: Sequence[Sentence], facts: Sequence[Fact] = ()) -> tuple[Claim, ...]:
    """Claims of one article, in text order, each with the facts whose span lies inside it."""
    ordered = sorted(facts, key=lambda f: (f.start, f.end))
    claims: list[Claim] = []
    for sentence in sentences:
        for start, end in clause_spans(article.text, sentence.start, sentence.end):
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
                )
            )
    return tuple(claims)
