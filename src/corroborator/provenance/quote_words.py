"""The words of a quote: tokens with offsets, how alike two wordings are, and what changed between them.

Tokens are lower-cased words with contractions opened ("won't" -> "will not", "isn't" -> "is not"), so
"we will not" and "we won't" are one wording. Each token keeps the span of the word it came from, so a
change can be highlighted in the article.

Similarity is containment, not overlap: an outlet that quotes half of a sentence quotes the same words,
so shared words are counted against the shorter wording. Stop words alone never make two wordings alike
(every quote shares "we are going to" with some other), so content words must be shared too.

Mutations are a word diff (difflib) of one wording against the earliest, each classified by rules:
a negation, a number, a name or an antonym that differs changes the meaning; a clause (three or more
content words) dropped or added changes it; a filler or a stop word does not; any other word swapped
is a change of wording that a reader should see but that the rules cannot call meaning-changing.
Translated wordings are compared only on what survives translation: numbers and negation.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from corroborator.text import words
from corroborator.text.cues import find_cues

MutationKind = Literal["changed", "added", "dropped", "trimmed", "extended", "elided"]
Why = Literal["negation", "number", "name", "antonym", "clause", "filler", "wording", "trim"]


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int  # span in the quote's text of the word the token came from
    end: int
    word: str  # as written


_WORD = re.compile(r"\w+(?:['’]\w+)*")
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…")
_CONTRACTIONS = {
    "won't": ("will", "not"), "can't": ("can", "not"), "cannot": ("can", "not"), "shan't": ("shall", "not"),
}  # fmt: skip
_SUFFIXES = (("n't", "not"), ("'re", "are"), ("'ll", "will"), ("'ve", "have"), ("'m", "am"), ("'d", "would"))


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word = m.group()
        low = word.lower().replace("’", "'")
        for norm in _open(low):
            out.append(Token(norm, m.start(), m.end(), word))
    return out


def _open(low: str) -> tuple[str, ...]:
    if low in _CONTRACTIONS:
        return _CONTRACTIONS[low]
    for suffix, full in _SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix):
            return (low[: -len(suffix)], full)
    return (low,)


def ellipsis_gaps(text: str, toks: Sequence[Token]) -> set[int]:
    """Token indexes that an ellipsis comes right before (the words an outlet marked as left out)."""
    gaps: set[int] = set()
    for m in _ELLIPSIS.finditer(text):
        gaps.add(sum(1 for t in toks if t.start < m.start()))
    return gaps


# ------------------------------------------------------------------------------------------ word classes


def wordlist(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Spoken fillers on top of the stop words: dropping them tidies a quote without changing what was said.
_FILLERS = wordlist(
    "um uh er ah oh well so just really very actually basically literally frankly honestly quite totally "
    "like okay ok yeah yes look listen now again certainly clearly simply truly kind sort know mean"
)
_NUMBER_WORDS = wordlist(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion trillion dozen dozens half first second third fourth fifth once twice percent"
)


@functools.cache
def stop_words(lang: str | None) -> frozenset[str]:
    return words.stopwords(lang) | _FILLERS if words.lang_code(lang) == "en" else words.stopwords(lang)


@functools.cache
def negations(lang: str | None) -> frozenset[str]:
    """Single-word negation cues of ``lang`` (the multi-word and regular-expression ones need the text)."""
    single = {e.lower() for e in words.entries(lang, "negation") if re.fullmatch(r"[^\W\d_]+", e)}
    return frozenset(single | ({"not", "no", "never"} if words.lang_code(lang) == "en" else set()))


@functools.cache
def _antonyms() -> tuple[tuple[str, str], ...]:
    from corroborator.compare.checks.base import table  # the polarity check's table: one list of antonyms

    return tuple((a, b) for a, b in table("polarity")["antonyms"])


def is_number(norm: str) -> bool:
    return norm[:1].isdigit() or norm in _NUMBER_WORDS


def content(toks: Sequence[Token], lang: str | None = None) -> set[str]:
    stops = stop_words(lang)
    return {t.norm for t in toks if t.norm not in stops}


# ------------------------------------------------------------------------------------------- similarity


@dataclass(frozen=True, slots=True)
class Likeness:
    score: float  # mean of word and word-pair containment, 0..1
    shared: int  # distinct words in both
    shared_content: int  # distinct content words in both
    pairs: float  # word-pair containment alone (1.0: one wording runs inside the other)


def likeness(a: Sequence[str], b: Sequence[str], ca: set[str], cb: set[str]) -> Likeness:
    """How much of the shorter wording (norm tokens ``a``/``b``, content words ``ca``/``cb``) the other holds."""
    sa, sb = set(a), set(b)
    shared = len(sa & sb)
    shared_content = len(ca & cb)
    uni = shared_content / max(1, min(len(ca), len(cb))) if ca and cb else shared / max(1, min(len(sa), len(sb)))
    pa, pb = set(itertools.pairwise(a)), set(itertools.pairwise(b))
    pairs = len(pa & pb) / max(1, min(len(pa), len(pb))) if pa and pb else uni
    return Likeness((uni + pairs) / 2, shared, shared_content, pairs)


# -------------------------------------------------------------------------------------------- mutations


@dataclass(frozen=True, slots=True)
class WordChange:
    """One difference of a wording from the earliest: the words as written on each side, and where."""

    kind: MutationKind
    before: str
    after: str
    meaning: bool
    why: Why
    start: int  # span in the later quote's text (empty at the place where words were dropped)
    end: int


def diff_wordings(base_text: str, text: str, lang: str | None = None) -> list[WordChange]:
    """What changed from ``base_text`` (the earliest wording) to ``text``, same language."""
    bt, tt = tokens(base_text), tokens(text)
    gaps = ellipsis_gaps(text, tt)
    matcher = difflib.SequenceMatcher(None, [t.norm for t in bt], [t.norm for t in tt], autojunk=False)
    ops = [op for op in matcher.get_opcodes()]
    out: list[WordChange] = []
    first_equal = next((k for k, op in enumerate(ops) if op[0] == "equal"), None)
    last_equal = max((k for k, op in enumerate(ops) if op[0] == "equal"), default=None)
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        edge = first_equal is None or k < first_equal or (last_equal is not None and k > last_equal)
        before, after = bt[i1:i2], tt[j1:j2]
        if tag == "delete":
            kind: MutationKind = "trimmed" if edge else ("elided" if j1 in gaps else "dropped")
        elif tag == "insert":
            kind = "extended" if edge else "added"
        else:
            kind = "changed"
        if after:
            start, end = after[0].start, after[-1].end
        else:
            start = end = tt[j1].start if j1 < len(tt) else len(text)
        meaning, why = classify(kind, before, after, lang, bt, tt)
        out.append(WordChange(kind, _words(base_text, before), _words(text, after), meaning, why, start, end))
    return out


def _words(text: str, toks: Sequence[Token]) -> str:
    return text[toks[0].start : toks[-1].end] if toks else ""


def classify(
    kind: MutationKind,
    before: Sequence[Token],
    after: Sequence[Token],
    lang: str | None,
    base: Sequence[Token] = (),
    this: Sequence[Token] = (),
) -> tuple[bool, Why]:
    """(meaning-changing, why) for one difference; ``base``/``this`` are the whole wordings, so a word
    capitalised only because it opens the quote is not taken for a name."""
    negs = negations(lang)
    if sum(t.norm in negs for t in before) != sum(t.norm in negs for t in after):
        return True, "negation"
    if kind in ("trimmed", "extended", "elided"):
        # Quoting less (or more) of what was said is how quotes are used; only a lost negation counts.
        return False, "trim"
    if {t.norm for t in before if is_number(t.norm)} != {t.norm for t in after if is_number(t.norm)}:
        return True, "number"
    if _names(before, base) != _names(after, this):
        return True, "name"
    if _antonym(before, after):
        return True, "antonym"
    stops = stop_words(lang)
    moved = [t for t in (*before, *after) if t.norm not in stops]
    if not moved:
        return False, "filler"
    if kind in ("dropped", "added") and len({t.norm for t in moved}) >= 3:
        return True, "clause"
    return False, "wording"


def _names(toks: Sequence[Token], whole: Sequence[Token]) -> set[str]:
    opener = whole[0].start if whole else -1
    return {t.norm for t in toks if t.word[:1].isupper() and t.start != opener and t.norm != "i"}


def _antonym(before: Sequence[Token], after: Sequence[Token]) -> bool:
    for a, b in _antonyms():
        for x, y in ((a, b), (b, a)):
            if any(t.norm.startswith(x) for t in before) and any(t.norm.startswith(y) for t in after):
                return True
    return False


_DIGITS = re.compile(r"\d[\d.,]*")


def diff_translation(base_text: str, base_lang: str | None, text: str, lang: str | None) -> list[WordChange]:
    """Differences a translation cannot explain: its numbers, and whether it negates."""
    out: list[WordChange] = []
    nb, nt = _numbers(base_text), _numbers(text)
    if nb != nt:
        out.append(WordChange("changed", " ".join(sorted(nb)), " ".join(sorted(nt)), True, "number", 0, len(text)))
    negated_b = any(c.kind == "negation" for c in find_cues(base_text, base_lang))
    negated_t = any(c.kind == "negation" for c in find_cues(text, lang))
    if negated_b != negated_t:
        before, after = ("negated", "not negated") if negated_b else ("not negated", "negated")
        out.append(WordChange("changed", before, after, True, "negation", 0, len(text)))
    return out


def _numbers(text: str) -> set[str]:
    # "1,000" and "1.000", "20.1" and "20,1": the digits alone, as separators differ by language.
    return {re.sub(r"\D", "", m.group()) for m in _DIGITS.finditer(text)}
