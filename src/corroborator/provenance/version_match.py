"""Matching the claims of two versions of one article: the same words, a resegmentation, the most similar
pair (see :mod:`corroborator.provenance.versions` for the passes and why)."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from corroborator.model import Claim
from corroborator.versioning import ChangeKind

# -- keys -------------------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+")
WORDS = re.compile(r"\w+")


def text_key(text: str) -> str:
    """What stays of a text without case, white space or punctuation: two texts with one key differ only
    in formatting."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def words(text: str) -> list[str]:
    return WORDS.findall(unicodedata.normalize("NFKC", text).casefold())


# -- claim matching --------------------------------------------------------------------------------------

# Fitted by reading the CNN Lite version pairs (bench/versions.py): below these, a "pair" was two
# different statements about one subject more often than one statement edited.
_MIN_RATIO = 0.5
_MIN_CONTAINED = 0.75
_MIN_CONTAINED_WORDS = 4
# A resegmentation joins at most this many claims (a guard on the search, not a tuning knob).
_MAX_JOIN = 4


@dataclass(slots=True)
class Match:
    old: int | None
    new: int | None
    kind: ChangeKind
    similarity: float = 1.0
    # Claims of the same sentence next to a changed pair, cut there on one side only (a clause cut that
    # a glued ",but" hid): compared together with the pair, so their words are not an edit.
    with_old: list[int] = field(default_factory=list)
    with_new: list[int] = field(default_factory=list)


_Joined = Callable[[int, int], str]
# The words compare/claims.py drops where it cuts a sentence into clauses.
CUT_WORDS = frozenset({"while", "although", "though", "whereas", "but"})
_CUT_LEAD = re.compile(r"^(?:while|although|though|whereas)")
# The share of a leftover clause's words its neighbour's partner must hold for the clause to be the
# same words cut differently (read on the planted refactors of bench/versions.py).
_ABSORBED = 0.9
# A sentence split off needs this many words to be absorbed ("He said." is held by any claim).
_SPLIT_WORDS = 5


def _exact(ko: list[str], kn: list[str]) -> list[Match]:
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for j, k in enumerate(kn):
        waiting[k].append(j)
    pairs = []
    for i, k in enumerate(ko):
        if waiting[k]:
            pairs.append((i, waiting[k].popleft()))
    kept = _increasing(pairs)
    return [Match(i, j, "unchanged" if (i, j) in kept else "moved") for i, j in pairs]


def _increasing(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of pairs whose new index increases with the old one: the claims that kept their
    order; the others moved."""
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


def _runs(n: int, taken: set[int], join: _Joined) -> dict[str, list[tuple[int, int]]]:
    """The key of every run of up to ``_MAX_JOIN`` consecutive unmatched claims -> those runs (also under
    the key without a leading "while": "While A, B" is one claim on one side, "A" | "B" on the other, and
    the cut drops the "While")."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start in range(n):
        for end in range(start, min(start + _MAX_JOIN, n)):
            if end in taken:
                break
            k = join(start, end)
            for variant in {k, _CUT_LEAD.sub("", k)}:
                if variant:
                    out[variant].append((start, end))
    return out


def _resegmented(
    old: Sequence[Claim],
    new: Sequence[Claim],
    taken_old: set[int],
    taken_new: set[int],
    joins: tuple[_Joined, _Joined],
) -> list[Match]:
    """Runs of consecutive unmatched claims, one on each side, with one key: the same words cut into claims
    at other places (a glued ",but" hides a clause cut; a lost full stop joins two sentences)."""
    runs_old = _runs(len(old), taken_old, joins[0])
    runs_new = _runs(len(new), taken_new, joins[1])
    found = [(len(k), ro, rn) for k in runs_old.keys() & runs_new.keys() for ro in runs_old[k] for rn in runs_new[k]]
    out: list[Match] = []
    # The longest first: a whole regrouped passage, not a piece of it.
    for _, (i0, i1), (j0, j1) in sorted(found, reverse=True):
        olds, news = range(i0, i1 + 1), range(j0, j1 + 1)
        if len(olds) == len(news) == 1 or any(i in taken_old for i in olds) or any(j in taken_new for j in news):
            continue
        taken_old.update(olds)
        taken_new.update(news)
        pairs = {(i, _closest(old[i], new, news)) for i in olds} | {(_closest(new[j], old, olds), j) for j in news}
        out += [Match(i, j, "reformatted") for i, j in sorted(pairs)]
    return out


def _closest(claim: Claim, others: Sequence[Claim], among: range) -> int:
    """The claim of ``among`` sharing most words with ``claim``."""
    own = set(words(claim.text))
    return max(among, key=lambda k: len(own & set(words(others[k].text))))


def similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """(difflib ratio, share of the shorter side's words found in order in the longer)."""
    if not a or not b:
        return 0.0, 0.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(m.size for m in sm.get_matching_blocks())
    return 2 * matched / (len(a) + len(b)), matched / min(len(a), len(b))


def _fuzzy(wo: list[list[str]], wn: list[list[str]], taken_old: set[int], taken_new: set[int]) -> list[Match]:
    """The most similar remaining pairs first, each claim in one pair at most."""
    scored = []
    for i, a in enumerate(wo):
        if i in taken_old:
            continue
        sa = set(a)
        for j, b in enumerate(wn):
            if j in taken_new or not sa & set(b):
                continue
            ratio, contained = similarity(a, b)
            long_enough = min(len(a), len(b)) >= _MIN_CONTAINED_WORDS
            if ratio >= _MIN_RATIO or (contained >= _MIN_CONTAINED and long_enough):
                # By ratio first: a claim split in two holds each half, but is the half it shares most with.
                scored.append((ratio, contained, -abs(i - j), i, j))
    out = []
    for ratio, _, _, i, j in sorted(scored, reverse=True):
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        out.append(Match(i, j, "changed", round(ratio, 4)))
    return out


def _joiner(claims: Sequence[Claim], keys: list[str], text: str | None) -> _Joined:
    """The key of claims ``start..end`` together: of the text they span when it is known, else of their
    texts joined."""

    def joined(start: int, end: int) -> str:
        if text is not None:
            return text_key(text[claims[start].start : claims[end].end])
        return "".join(keys[start : end + 1])

    return joined


def _absorb(
    pairs: list[Match],
    old: Sequence[Claim],
    new: Sequence[Claim],
    wo: list[list[str]],
    wn: list[list[str]],
    taken_old: set[int],
    taken_new: set[int],
) -> list[Match]:
    """Leftover claims next to a changed pair whose words its partner holds: a clause of its sentence (its
    words in order), or a sentence split off (its words in any order, long enough to say something)."""
    out = []
    for m in pairs:
        assert m.old is not None and m.new is not None
        for side, partner, claims, own, other, taken, into in (
            (m.old, m.new, old, wo, wn, taken_old, m.with_old),
            (m.new, m.old, new, wn, wo, taken_new, m.with_new),
        ):
            for k in (side - 1, side + 1):
                if not 0 <= k < len(claims) or k in taken:
                    continue
                if claims[k].sentence == claims[side].sentence:
                    held = similarity(own[k], other[partner])[1]
                else:
                    bag = set(other[partner])
                    held = sum(w in bag for w in own[k]) / len(own[k]) if len(own[k]) >= _SPLIT_WORDS else 0.0
                if held >= _ABSORBED:
                    taken.add(k)
                    into.append(k)
                    is_old = claims is old
                    out.append(Match(k if is_old else partner, partner if is_old else k, "reformatted"))
    return out


def match_claims(
    old: Sequence[Claim], new: Sequence[Claim], old_text: str | None = None, new_text: str | None = None
) -> list[Match]:
    """Every claim of both sides in one match: pairs (exact, resegmented, fuzzy) and leftovers.
    ``old_text``/``new_text`` are the versions' texts the claims point into."""
    ko, kn = [text_key(c.text) for c in old], [text_key(c.text) for c in new]
    matches = _exact(ko, kn)
    taken_old = {m.old for m in matches if m.old is not None}
    taken_new = {m.new for m in matches if m.new is not None}
    joins = (_joiner(old, ko, old_text), _joiner(new, kn, new_text))
    matches += _resegmented(old, new, taken_old, taken_new, joins)
    wo, wn = [words(c.text) for c in old], [words(c.text) for c in new]
    fuzzy = _fuzzy(wo, wn, taken_old, taken_new)
    matches += fuzzy
    if old_text is not None and new_text is not None:
        matches += _absorb(fuzzy, old, new, wo, wn, taken_old, taken_new)
    matches += [Match(i, None, "removed", 0.0) for i in range(len(old)) if i not in taken_old]
    matches += [Match(None, j, "added", 0.0) for j in range(len(new)) if j not in taken_new]
    return matches
