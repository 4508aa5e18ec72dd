"""Rewrites: how much of one article is carried over from another.

For a pair of articles: the share of the later one's claims aligned with the earlier one's, whether the
aligned claims keep their order, how many runs of >= 8 identical words they share, and what each adds.
Direction needs evidence: publication times (earlier -> later). Without it the pair is a "shared
origin", never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from corroborator.independence import source_groups as source_groups  # the one definition, re-exported
from corroborator.model import Alignment, Article, Claim, Derivation

VERBATIM_WORDS = 8
_TOKEN = re.compile(r"\w+")
# A pair is a rewrite (one report is not an independent witness of the other) when this much of the
# shorter one is carried over in order, or when it shares several verbatim runs. Not settings: these
# thresholds are the published meaning of `rewrite` in corroborator.comparison/1 (docs/schema.md), and
# independence counts in check and stories depend on them.
REWRITE_SHARE = 0.5
REWRITE_ORDER = 0.75
REWRITE_RUNS = 3


_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def verbatim_runs(a: str, b: str, min_words: int = VERBATIM_WORDS) -> int:
    """Runs of at least ``min_words`` identical consecutive words shared by two texts, outside
    quotation marks (two reports quoting the same speech is not one copying the other)."""
    wa = [w.lower() for w in _TOKEN.findall(_QUOTED.sub(" zzquoteda ", a))]
    wb = [w.lower() for w in _TOKEN.findall(_QUOTED.sub(" zzquotedb ", b))]
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    return sum(1 for block in matcher.get_matching_blocks() if block.size >= min_words)


def order_agreement(pairs: Sequence[tuple[int, int]]) -> float:
    """Share of concordant pairs among aligned (position in a, position in b): 1 = same order."""
    if len(pairs) < 2:
        return 1.0 if pairs else 0.0
    concordant = total = 0
    for i in range(len(pairs)):
        for j in range(i + 1, len(pairs)):
            da = pairs[i][0] - pairs[j][0]
            db = pairs[i][1] - pairs[j][1]
            if da == 0 or db == 0:
                continue
            total += 1
            concordant += (da > 0) == (db > 0)
    return concordant / total if total else 1.0


# Two reports that both credit the same outlet for the story and share this much are one source.
CREDITED_SHARE = 0.3

_OUTLET_WORDS = (
    r"Post|Times|Journal|News|Press|Reuters|Agency|Telegraph|Guardian|BBC|CNN|Bloomberg|Axios|Politico|"
    r"Tribune|Herald|Gazette|Chronicle|Wire|Radio|Television|TV|Magazine|Daily|Courier|Sentinel|Lantern"
)
_NAME = r"((?:The\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})"
_CREDIT = re.compile(
    r"(?i:reported by|first reported by|as reported by|according to (?:a |an )?(?:report|story|article|"
    r"investigation|analysis)s?\s+(?:by|in|from)|citing (?:a report (?:by|in|from) )?|report(?:ed)? in)\s+" + _NAME
)
_REPORTED = re.compile(
    r"(?:^|[.,;]\s+|\s)" + r"((?:The\s+)?(?:[A-Z][\w.&'’-]*\s+){0,3}(?:" + _OUTLET_WORDS + r"))\s+"
    r"(?:reported|first reported|revealed|obtained)\b"
)


def credited_outlets(text: str) -> set[str]:
    """Outlets a report credits as its source: "reported by The Washington Post", "according to a
    report in the Times", "Reuters reported"."""
    out = set()
    for m in (*_CREDIT.finditer(text), *_REPORTED.finditer(text)):
        name = re.sub(r"^The\s+", "", m.group(1).strip()).rstrip(".,")
        if name:
            out.add(name)
    return out


def _label(article: Article) -> str:
    from corroborator.compare.brief import label_of

    return label_of(article)


def is_rewrite(d: Derivation) -> bool:
    """Whether the pair counts as one source: carried over in order, verbatim runs, or the same
    credited origin with a fair share in common."""
    return (
        (d.carried_share >= REWRITE_SHARE and d.order_kept >= REWRITE_ORDER and d.verbatim_runs >= 1)
        or d.verbatim_runs >= REWRITE_RUNS
        or (bool(d.credited) and d.carried_share >= CREDITED_SHARE)
    )


def derive(
    a: Article,
    b: Article,
    claims_a: Sequence[Claim],
    claims_b: Sequence[Claim],
    alignments: Iterable[Alignment],
) -> Derivation:
    """The Derivation between two articles.

    ``a``/``b`` are swapped so that ``a`` is the earlier when publication times say so; without them,
    ``b`` is the article more of whose claims the other carries (the one that looks derived from, or
    summarised by, the other is undecidable, so the direction stays "shared origin").
    """
    alignments = list(alignments)
    dated = bool(a.published and b.published and a.published != b.published)
    if (dated and b.published and a.published and b.published < a.published) or (
        not dated and _covered(claims_a, claims_b, alignments) > _covered(claims_b, claims_a, alignments)
    ):
        a, b, claims_a, claims_b = b, a, claims_b, claims_a
    pos_a = {c.id: i for i, c in enumerate(claims_a)}
    pos_b = {c.id: i for i, c in enumerate(claims_b)}
    best: dict[str, tuple[float, str]] = {}  # b claim -> (similarity, a claim)
    linked_a: set[str] = set()
    for al in alignments:
        if al.relation == "none":
            continue
        x, y = (al.a, al.b) if al.a in pos_a else (al.b, al.a)
        if x not in pos_a or y not in pos_b:
            continue
        linked_a.add(x)
        if y not in best or al.similarity > best[y][0]:
            best[y] = (al.similarity, x)
    pairs = sorted((pos_a[x], pos_b[y]) for y, (_, x) in best.items())
    carried = len(best) / len(claims_b) if claims_b else 0.0
    runs = verbatim_runs(a.text, b.text)
    order = order_agreement(pairs)
    if dated and a.published and b.published:
        direction = "a->b"
        gap = b.published - a.published
        hours = gap.total_seconds() / 3600
        minutes = round(gap.total_seconds() / 60)
        when = f"{minutes // 60} h {minutes % 60:02d} min" if hours < 48 else f"{gap.days} days"
        evidence = f"{_label(a)} was published {when} before {_label(b)}"
    else:
        direction = "shared origin"
        evidence = "no publication times to order them" if not (a.published and b.published) else "published together"
    evidence += f"; {len(best)} of {len(claims_b)} claims carried over, {runs} verbatim runs"
    credited = tuple(sorted(credited_outlets(a.text) & credited_outlets(b.text)))
    if credited:
        evidence += f"; both credit {' and '.join(credited)}"
    return Derivation(
        a=a.id,
        b=b.id,
        carried_share=round(carried, 3),
        order_kept=round(order, 3),
        verbatim_runs=runs,
        direction=direction,  # type: ignore[arg-type]
        evidence=evidence,
        added_by_a=tuple(c.id for c in claims_a if c.id not in linked_a),
        added_by_b=tuple(c.id for c in claims_b if c.id not in best),
        credited=credited,
    )


def _covered(claims_x: Sequence[Claim], claims_y: Sequence[Claim], alignments: Sequence[Alignment]) -> float:
    """Share of ``claims_x`` aligned with some claim of ``claims_y``."""
    ids_x = {c.id for c in claims_x}
    ids_y = {c.id for c in claims_y}
    hit = set()
    for al in alignments:
        if al.relation == "none":
            continue
        if al.a in ids_x and al.b in ids_y:
            hit.add(al.a)
        elif al.b in ids_x and al.a in ids_y:
            hit.add(al.b)
    return len(hit) / len(ids_x) if ids_x else 0.0
