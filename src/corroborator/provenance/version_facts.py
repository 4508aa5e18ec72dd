"""What changed inside a pair of matched claims: typed facts (added, removed, revised) and word runs."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from corroborator.model import Claim, Fact
from corroborator.provenance.version_match import CUT_WORDS, WORDS, similarity, text_key, words
from corroborator.versioning import FactChange, WordEdit

# -- what changed inside a pair ---------------------------------------------------------------------------

_GROUP: dict[str, str] = {
    "number": "figure", "money": "figure", "percent": "figure",
    "date": "time", "period": "time", "duration": "time",
    "person": "name", "organization": "name", "place": "name", "name": "name",
    "quote": "quote", "attribution": "attribution", "negation": "negation", "hedge": "hedge",
}  # fmt: skip
# Quotes whose words overlap this much are one quote reworded, not one dropped and another added.
_QUOTE_REWORDED = 0.3


def _fact_key(f: Fact) -> tuple[str, str]:
    value = f.norm if _GROUP[f.kind] in ("figure", "time", "attribution") else text_key(f.norm or f.text)
    return _GROUP[f.kind], value


def _still_there(f: Fact, other: str, key: str) -> bool:
    """Whether the fact's words appear in the other side's text (as a word run; names and quotes also
    without white space, for glued words)."""
    run = " ".join(words(f.text))
    if run and f" {run} " in other:
        return True
    return _GROUP[f.kind] not in ("figure", "time") and bool(text_key(f.text)) and text_key(f.text) in key


# Two names this alike (by characters, or sharing a word) are one name corrected: "Jon Smyth" -> "John Smith".
_NAME_ALIKE = 0.5


def _alike(a: str, b: str) -> bool:
    if set(words(a)) & set(words(b)):
        return True
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= _NAME_ALIKE


def _pair_revisions(old: list[Fact], new: list[Fact], a: Claim, b: Claim) -> list[FactChange]:
    """Removed and added facts of one group in one claim paired into revisions, nearest place first."""

    def place(f: Fact, c: Claim) -> float:
        return (f.start - c.start) / max(1, c.end - c.start)

    out: list[FactChange] = []
    left = list(new)
    for f in old:
        group = _GROUP[f.kind]
        options = [g for g in left if _GROUP[g.kind] == group]
        if group == "quote":
            options = [g for g in options if similarity(words(f.text), words(g.text))[0] >= _QUOTE_REWORDED]
        if group == "name":  # a name corrected, not another name put in its place
            options = [g for g in options if _alike(f.text, g.text)]
        if group == "figure" and any(g.unit == f.unit for g in options):
            options = [g for g in options if g.unit == f.unit]
        if not options:
            out.append(FactChange(f.kind, "removed", before=f))
            continue
        g = min(options, key=lambda g: abs(place(f, a) - place(g, b)))
        left.remove(g)
        out.append(FactChange(g.kind, "revised", before=f, after=g))
    out.extend(FactChange(g.kind, "added", after=g) for g in left)
    return sorted(out, key=lambda c: (c.after or c.before).start)  # type: ignore[union-attr]


def fact_changes(
    a: Claim, b: Claim, around_a: str = "", around_b: str = "", edits: Sequence[WordEdit] = ()
) -> tuple[FactChange, ...]:
    """The typed facts that changed from claim ``a`` to claim ``b``; ``around_a``/``around_b`` is text
    near each claim on its side (its neighbours), where a fact that moved across a sentence cut stays.
    Names and figures no fact covers are read from the ``edits`` too (:func:`unlisted_facts`)."""
    words_a = f" {' '.join(words(a.text + ' ' + around_a))} "
    words_b = f" {' '.join(words(b.text + ' ' + around_b))} "
    key_a, key_b = text_key(a.text + around_a), text_key(b.text + around_b)
    keys_a = {_fact_key(f) for f in a.facts}
    keys_b = {_fact_key(f) for f in b.facts}
    gone = [f for f in a.facts if _fact_key(f) not in keys_b and not _still_there(f, words_b, key_b)]
    came = [f for f in b.facts if _fact_key(f) not in keys_a and not _still_there(f, words_a, key_a)]
    if edits:
        in_a = [(e.before_start, e.before_end) for e in edits if e.before_end > e.before_start]
        in_b = [(e.after_start, e.after_end) for e in edits if e.after_end > e.after_start]
        gone += [f for f in unlisted_facts(a, in_a) if not _still_there(f, words_b, key_b)]
        came += [f for f in unlisted_facts(b, in_b) if not _still_there(f, words_a, key_a)]
    gone.sort(key=lambda f: f.start)
    came.sort(key=lambda f: f.start)
    return tuple(_pair_revisions(gone, came, a, b))


# Names and figures the typed facts miss: spaCy's small model tags nationalities and groups as NORP (no
# fact kind), misses names a scraper glued to the next word, and a clock time is no fact. On the CNN Lite
# version pairs (bench/versions.py) these were ~8% of the changed names and numbers.
_CAPITALISED = re.compile(r"(?<![\w’'])[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*")
_FIGURE = re.compile(r"(?<![\d.,:])\d+(?:[.,:]\d+)*")
# A claim's first word that is capitalised only because it comes first.
_COMMON_FIRST = frozenset(
    re.findall(
        r"\w+",
        "a an the in on at but and or if it its he she they we i you this that these those there then when "
        "while after before as for from to of with by his her their our my so yet still also some many most "
        "more one two no not what who why how where according despite during since until over under",
    )
)


def unlisted_facts(claim: Claim, within: Sequence[tuple[int, int]] | None = None) -> list[Fact]:
    """Capitalised names and digit figures in ``claim`` that none of its facts covers, as facts of kind
    "name" / "number" with label "rule"; only those overlapping one of the ``within`` ranges when given.
    A single capitalised word that opens the claim is no name (its capital says nothing)."""
    covered = [(f.start, f.end) for f in claim.facts]
    lead = claim.start + len(claim.text) - len(claim.text.lstrip("\"“‘(' "))
    found: list[tuple[str, int, int]] = []
    for m in _CAPITALISED.finditer(claim.text):
        start, end = claim.start + m.start(), claim.start + m.end()
        if start == lead:
            first, _, rest = m.group().partition(" ")
            if not rest:
                continue
            if first.casefold() in _COMMON_FIRST:
                start += len(first) + 1
        found.append(("name", start, end))
    found += [("number", claim.start + m.start(), claim.start + m.end()) for m in _FIGURE.finditer(claim.text)]
    out = []
    for kind, start, end in found:
        if any(s < end and start < e for s, e in covered):
            continue
        if within is not None and not any(s < end and start < e for s, e in within):
            continue
        text = claim.text[start - claim.start : end - claim.start]
        number = _number(text) if kind == "number" else None
        out.append(Fact(kind, start, end, text, text if kind == "name" else text.replace(",", ""),  # type: ignore[arg-type]
                        claim.sentence, number=number, label="rule"))  # fmt: skip
    return out


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None  # a clock time or a score ("2:50", "0-2")


def word_edits(a: Claim, b: Claim, cut: bool = False) -> tuple[WordEdit, ...]:
    """Word runs that differ between two claims, as offsets into each side's text; runs that differ only
    in white space or punctuation are left out, and with ``cut`` (claims widened over a clause cut) runs
    of the joining words a cut drops ("but", "while")."""
    ta = [(m.start() + a.start, m.end() + a.start) for m in WORDS.finditer(a.text)]
    tb = [(m.start() + b.start, m.end() + b.start) for m in WORDS.finditer(b.text)]
    wa, wb = words(a.text), words(b.text)
    if len(wa) != len(ta) or len(wb) != len(tb):  # NFKC changed the word count: compare as written
        wa, wb = [w.casefold() for w in WORDS.findall(a.text)], [w.casefold() for w in WORDS.findall(b.text)]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op == "equal" or "".join(wa[i1:i2]) == "".join(wb[j1:j2]):
            continue
        if cut and set(wa[i1:i2]) | set(wb[j1:j2]) <= CUT_WORDS:
            continue
        bs, be = (ta[i1][0], ta[i2 - 1][1]) if i2 > i1 else ((ta[i1 - 1][1],) * 2 if i1 else (a.start, a.start))
        as_, ae = (tb[j1][0], tb[j2 - 1][1]) if j2 > j1 else ((tb[j1 - 1][1],) * 2 if j1 else (b.start, b.start))
        out.append(WordEdit(bs, be, as_, ae))
    return tuple(out)
