"""Article versions: what changed between two versions of one article, claim by claim.

An outlet edits a published article: a death toll is revised, a name corrected, a quote reworded or
dropped, a correction note appended, the headline rewritten. A text diff shows every comma; this diff
says which *claims* changed and which typed *facts* in them (:mod:`corroborator.text.facts`), and keeps
refactors apart from real changes:

- ``unchanged``: the same claim at the same place;
- ``moved``: the same claim, elsewhere in the article (a paragraph moved);
- ``reformatted``: the same words with different white space or punctuation (a scraper gluing a link's
  text to the next word, "country'sdeadliest"), or one sentence split in two / two merged;
- ``added``, ``removed``, ``changed``: the real changes, each with its :class:`FactChange` list.

Claims are matched in three passes, strictest first: the same words (a key without case, white space
or punctuation), a resegmentation (one claim's key is the concatenation of consecutive claims' keys on
the other side), then the most similar remaining pair by word sequence (difflib), accepted when the two
share most words or one holds nearly all of the other's words (a sentence extended by a clause). What
stays unmatched is added or removed.

Facts in a changed pair are compared by kind and normalised value; a fact whose words still appear in
the other version nearby (the paired claim and its neighbours) is not a change, so a named-entity
boundary that moved or a sentence cut elsewhere does not report a name as removed. A removed and an
added fact of the same kind in one claim are one revision ("12 dead" -> "15 dead").

Whether a change moved the story's corroboration status is :mod:`corroborator.provenance.version_status`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from corroborator.model import Article, Claim, Fact, FactKind, Sentence

ChangeKind = Literal["added", "removed", "changed", "unchanged", "moved", "reformatted"]
REAL_CHANGES: frozenset[str] = frozenset({"added", "removed", "changed"})
REFACTORS: frozenset[str] = frozenset({"unchanged", "moved", "reformatted"})
FactChangeKind = Literal["added", "removed", "revised"]
NoteKind = Literal["correction", "update", "editor"]
Part = Literal["body", "headline"]


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """One version of an article: its text (an :class:`Article`, whose id is that text's hash) and when
    it was published or seen (the feed's updated time, the page's modified date, or the ingest time).

    ``sentences`` and ``facts`` are caches (the store's); empty / None means compute them."""

    article: Article
    index: int = 0
    at: datetime | None = None
    sentences: tuple[Sentence, ...] = ()
    facts: tuple[Fact, ...] | None = None


@dataclass(frozen=True, slots=True)
class WordEdit:
    """Words replaced, inserted (an empty before range) or deleted (an empty after range), as character
    offsets into the before and after texts."""

    before_start: int
    before_end: int
    after_start: int
    after_end: int


@dataclass(frozen=True, slots=True)
class FactChange:
    """A typed fact added, removed, or revised (one value replaced by another of its kind)."""

    kind: FactKind
    change: FactChangeKind
    before: Fact | None = None
    after: Fact | None = None

    @property
    def summary(self) -> str:
        """'number: "12 dead" -> "15 dead"', 'quote added: "..."', for a reader."""
        if self.before is not None and self.after is not None:
            return f'{self.kind}: "{self.before.text}" -> "{self.after.text}"'
        fact = self.after or self.before
        assert fact is not None
        return f'{self.kind} {self.change}: "{fact.text}"'


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """One claim of either version and what happened to it.

    ``before``/``after`` are the claims (None for an added / removed one); a headline change carries
    claims whose offsets are into the title (``part`` "headline", claim id "<article>:headline").
    ``note`` marks a correction, update or editor's note that a change adds or rewords."""

    kind: ChangeKind
    before: Claim | None = None
    after: Claim | None = None
    facts: tuple[FactChange, ...] = ()
    edits: tuple[WordEdit, ...] = ()
    similarity: float = 1.0
    note: NoteKind | None = None
    part: Part = "body"

    @property
    def real(self) -> bool:
        return self.kind in REAL_CHANGES


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """Every claim of two versions of one article, matched: real changes and refactors side by side, in
    the after version's order (removed claims where they stood); the headline first when it changed."""

    before: str  # article (version) id
    after: str
    changes: tuple[ClaimChange, ...]

    @property
    def real(self) -> tuple[ClaimChange, ...]:
        return tuple(c for c in self.changes if c.real)

    @property
    def refactors(self) -> tuple[ClaimChange, ...]:
        return tuple(c for c in self.changes if not c.real)

    @property
    def fact_changes(self) -> tuple[FactChange, ...]:
        return tuple(f for c in self.changes if c.real for f in c.facts)

    @property
    def headline(self) -> ClaimChange | None:
        return next((c for c in self.changes if c.part == "headline"), None)

    @property
    def changed(self) -> bool:
        """Whether anything but refactors happened."""
        return any(c.real for c in self.changes)


# -- matching keys -------------------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+")
_WORDS = re.compile(r"\w+")


def text_key(text: str) -> str:
    """What stays of a text without case, white space or punctuation: two texts with one key differ only
    in formatting."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def _words(text: str) -> list[str]:
    return _WORDS.findall(unicodedata.normalize("NFKC", text).casefold())


def version_claims(version: ArticleVersion) -> tuple[Claim, ...]:
    """The claims of one version, from its cached sentences and facts or computed (the product's own
    stages: split_sentences, extract_facts, build_claims)."""
    from corroborator.compare.claims import build_claims
    from corroborator.text.facts import extract_facts
    from corroborator.text.sentences import split_sentences

    article = version.article
    sentences = version.sentences or split_sentences(article)
    facts = version.facts if version.facts is not None else extract_facts(article, sentences)
    return build_claims(article, sentences, facts)


# -- claim matching --------------------------------------------------------------------------------------

# Fitted by reading the CNN Lite version pairs (bench/versions.py): below these, a "pair" was two
# different statements about one subject more often than one statement edited.
_MIN_RATIO = 0.5
_MIN_CONTAINED = 0.75
_MIN_CONTAINED_WORDS = 4
# A resegmentation joins at most this many claims (a guard on the search, not a tuning knob).
_MAX_JOIN = 4


@dataclass(slots=True)
class _Match:
    old: int | None
    new: int | None
    kind: ChangeKind
    similarity: float = 1.0


def _exact(ko: list[str], kn: list[str]) -> list[_Match]:
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for j, k in enumerate(kn):
        waiting[k].append(j)
    pairs = []
    for i, k in enumerate(ko):
        if waiting[k]:
            pairs.append((i, waiting[k].popleft()))
    kept = _increasing(pairs)
    return [_Match(i, j, "unchanged" if (i, j) in kept else "moved") for i, j in pairs]


def _increasing(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of pairs whose new index increases with the old one: the claims that kept their
    order; the others moved."""
    import bisect

    tails: list[int] = []  # new index ending the best run of each length
    ends: list[int] = []  # position in pairs of that tail
    back: list[int] = [-1] * len(pairs)
    for p, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            ends.append(p)
        else:
            tails[k], ends[k] = j, p
        back[p] = ends[k - 1] if k else -1
    out: set[tuple[int, int]] = set()
    p = ends[-1] if ends else -1
    while p >= 0:
        out.add(pairs[p])
        p = back[p]
    return out


def _resegmented(ko: list[str], kn: list[str], taken_old: set[int], taken_new: set[int]) -> list[_Match]:
    """One claim on one side whose key is the keys of consecutive unmatched claims on the other joined."""
    out: list[_Match] = []
    for one, many, flip in ((ko, kn, False), (kn, ko, True)):
        taken_one, taken_many = (taken_new, taken_old) if flip else (taken_old, taken_new)
        single = {k: i for i, k in enumerate(one) if i not in taken_one and k}
        for start in range(len(many)):
            joined = ""
            for end in range(start, min(start + _MAX_JOIN, len(many))):
                if end in taken_many:
                    break
                joined += many[end]
                if end > start and joined in single and single[joined] not in taken_one:
                    i = single.pop(joined)
                    taken_one.add(i)
                    for j in range(start, end + 1):
                        taken_many.add(j)
                        out.append(_Match(j, i, "reformatted") if flip else _Match(i, j, "reformatted"))
                    break
    return out


def _similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """(difflib ratio, share of the shorter side's words found in order in the longer)."""
    if not a or not b:
        return 0.0, 0.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(m.size for m in sm.get_matching_blocks())
    return 2 * matched / (len(a) + len(b)), matched / min(len(a), len(b))


def _fuzzy(wo: list[list[str]], wn: list[list[str]], taken_old: set[int], taken_new: set[int]) -> list[_Match]:
    """The most similar remaining pairs first, each claim in one pair at most."""
    scored = []
    for i, a in enumerate(wo):
        if i in taken_old:
            continue
        sa = set(a)
        for j, b in enumerate(wn):
            if j in taken_new or not sa & set(b):
                continue
            ratio, contained = _similarity(a, b)
            long_enough = min(len(a), len(b)) >= _MIN_CONTAINED_WORDS
            if ratio >= _MIN_RATIO or (contained >= _MIN_CONTAINED and long_enough):
                scored.append((max(ratio, contained * 0.9), -abs(i - j), i, j, ratio))
    out = []
    for _, _, i, j, ratio in sorted(scored, reverse=True):
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        out.append(_Match(i, j, "changed", round(ratio, 4)))
    return out


def match_claims(old: Sequence[Claim], new: Sequence[Claim]) -> list[_Match]:
    """Every claim of both sides in one match: pairs (exact, resegmented, fuzzy) and leftovers."""
    ko, kn = [text_key(c.text) for c in old], [text_key(c.text) for c in new]
    matches = _exact(ko, kn)
    taken_old = {m.old for m in matches if m.old is not None}
    taken_new = {m.new for m in matches if m.new is not None}
    matches += _resegmented(ko, kn, taken_old, taken_new)
    matches += _fuzzy([_words(c.text) for c in old], [_words(c.text) for c in new], taken_old, taken_new)
    matches += [_Match(i, None, "removed", 0.0) for i in range(len(old)) if i not in taken_old]
    matches += [_Match(None, j, "added", 0.0) for j in range(len(new)) if j not in taken_new]
    return matches


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


def _still_there(f: Fact, words: str, key: str) -> bool:
    """Whether the fact's words appear in the other side's text (as a word run; names and quotes also
    without white space, for glued words)."""
    run = " ".join(_words(f.text))
    if run and f" {run} " in words:
        return True
    return _GROUP[f.kind] not in ("figure", "time") and bool(text_key(f.text)) and text_key(f.text) in key


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
            options = [g for g in options if _similarity(_words(f.text), _words(g.text))[0] >= _QUOTE_REWORDED]
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


def fact_changes(a: Claim, b: Claim, around_a: str = "", around_b: str = "") -> tuple[FactChange, ...]:
    """The typed facts that changed from claim ``a`` to claim ``b``; ``around_a``/``around_b`` is text
    near each claim on its side (its neighbours), where a fact that moved across a sentence cut stays."""
    words_a = f" {' '.join(_words(a.text + ' ' + around_a))} "
    words_b = f" {' '.join(_words(b.text + ' ' + around_b))} "
    key_a, key_b = text_key(a.text + around_a), text_key(b.text + around_b)
    keys_a = {_fact_key(f) for f in a.facts}
    keys_b = {_fact_key(f) for f in b.facts}
    gone = [f for f in a.facts if _fact_key(f) not in keys_b and not _still_there(f, words_b, key_b)]
    came = [f for f in b.facts if _fact_key(f) not in keys_a and not _still_there(f, words_a, key_a)]
    return tuple(_pair_revisions(gone, came, a, b))


def word_edits(a: Claim, b: Claim) -> tuple[WordEdit, ...]:
    """Word runs that differ between two claims, as offsets into each side's text; runs that differ only
    in white space or punctuation are left out."""
    ta = [(m.start() + a.start, m.end() + a.start) for m in _WORDS.finditer(a.text)]
    tb = [(m.start() + b.start, m.end() + b.start) for m in _WORDS.finditer(b.text)]
    wa, wb = _words(a.text), _words(b.text)
    if len(wa) != len(ta) or len(wb) != len(tb):  # NFKC changed the word count: compare as written
        wa, wb = [w.casefold() for w in _WORDS.findall(a.text)], [w.casefold() for w in _WORDS.findall(b.text)]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if op == "equal" or "".join(wa[i1:i2]) == "".join(wb[j1:j2]):
            continue
        bs, be = (ta[i1][0], ta[i2 - 1][1]) if i2 > i1 else ((ta[i1 - 1][1],) * 2 if i1 else (a.start, a.start))
        as_, ae = (tb[j1][0], tb[j2 - 1][1]) if j2 > j1 else ((tb[j1 - 1][1],) * 2 if j1 else (b.start, b.start))
        out.append(WordEdit(bs, be, as_, ae))
    return tuple(out)


# -- notes and headline ----------------------------------------------------------------------------------

_NOTES: tuple[tuple[NoteKind, re.Pattern[str]], ...] = (
    ("correction", re.compile(r"^\W*(?:correction|clarification)\b|\ban earlier version of this\b", re.I)),
    ("editor", re.compile(r"^\W*editor[’']?s\s+note\b", re.I)),
    ("update", re.compile(r"^\W*update[ds]?\b|\bthis (?:story|article|post|report|piece) (?:has been|was|is) updated\b"
                          r"|\bthis is a developing story\b", re.I)),
)  # fmt: skip


def note_kind(text: str) -> NoteKind | None:
    """Whether a claim is a correction, editor's or update note."""
    for kind, pattern in _NOTES:
        if pattern.search(text):
            return kind
    return None


def _title_claim(article: Article) -> Claim | None:
    """The headline as a claim of its own: offsets into the title, facts found in it."""
    if not article.title or not article.title.strip():
        return None
    from corroborator.text.facts import extract_facts
    from corroborator.text.sentences import split_sentences

    title = Article.create(article.title, language=article.language, published=article.published)
    facts = extract_facts(title, split_sentences(title))
    return Claim(f"{article.id}:headline", article.id, -1, 0, len(article.title), article.title, facts, article.language)


def _headline(before: Article, after: Article) -> ClaimChange | None:
    if (before.title or "") == (after.title or ""):
        return None
    a, b = _title_claim(before), _title_claim(after)
    if a is None or b is None:
        return ClaimChange("removed" if b is None else "added", a, b, part="headline", similarity=0.0)
    if text_key(a.text) == text_key(b.text):
        return ClaimChange("reformatted", a, b, part="headline")
    ratio, _ = _similarity(_words(a.text), _words(b.text))
    return ClaimChange(
        "changed", a, b, facts=fact_changes(a, b), edits=word_edits(a, b), similarity=round(ratio, 4), part="headline"
    )


# -- the diff ---------------------------------------------------------------------------------------------


def _around(claims: Sequence[Claim], i: int) -> str:
    return " ".join(claims[k].text for k in (i - 1, i + 1) if 0 <= k < len(claims))


def _change(m: _Match, old: Sequence[Claim], new: Sequence[Claim]) -> ClaimChange:
    a = old[m.old] if m.old is not None else None
    b = new[m.new] if m.new is not None else None
    if m.kind == "added" and b is not None:
        facts = tuple(FactChange(f.kind, "added", after=f) for f in b.facts)
        return ClaimChange("added", None, b, facts, similarity=0.0, note=note_kind(b.text))
    if m.kind == "removed" and a is not None:
        facts = tuple(FactChange(f.kind, "removed", before=f) for f in a.facts)
        return ClaimChange("removed", a, None, facts, similarity=0.0, note=note_kind(a.text))
    if m.kind != "changed" or a is None or b is None:
        return ClaimChange(m.kind, a, b, similarity=m.similarity)
    assert m.old is not None and m.new is not None
    edits = word_edits(a, b)
    if not edits:
        return ClaimChange("reformatted", a, b, similarity=m.similarity)
    facts = fact_changes(a, b, _around(old, m.old), _around(new, m.new))
    note = note_kind(b.text)
    return ClaimChange("changed", a, b, facts, edits, m.similarity, note)


def _order(m: _Match, anchors: dict[int, int]) -> tuple[float, int]:
    """Sort key in the after version's order; a removed claim sits just after the last claim before it
    that was kept."""
    if m.new is not None:
        return float(m.new), 1
    assert m.old is not None
    before = [anchors[i] for i in anchors if i < m.old]
    return (max(before) + 0.5 if before else -0.5), m.old


def diff_claims(old: Sequence[Claim], new: Sequence[Claim]) -> list[ClaimChange]:
    """The body's claim changes between two claim lists (of one article's two versions)."""
    matches = match_claims(old, new)
    anchors = {m.old: m.new for m in matches if m.old is not None and m.new is not None}
    matches.sort(key=lambda m: _order(m, anchors))
    return [_change(m, old, new) for m in matches]


def diff_versions(
    before: ArticleVersion | Article,
    after: ArticleVersion | Article,
    *,
    claims: tuple[Sequence[Claim], Sequence[Claim]] | None = None,
) -> VersionDiff:
    """What changed from ``before`` to ``after`` (two versions of one article), claim by claim.

    ``claims`` are the two versions' claims when the caller has them (the store's cache); else they are
    built from each version's sentences and facts, computed when not cached."""
    vb = before if isinstance(before, ArticleVersion) else ArticleVersion(before)
    va = after if isinstance(after, ArticleVersion) else ArticleVersion(after)
    old, new = claims if claims is not None else (version_claims(vb), version_claims(va))
    changes = diff_claims(old, new)
    headline = _headline(vb.article, va.article)
    if headline is not None:
        changes.insert(0, headline)
    return VersionDiff(vb.article.id, va.article.id, tuple(changes))
