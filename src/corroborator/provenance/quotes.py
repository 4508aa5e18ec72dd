"""Quote provenance: every direct quote in the store clustered by speaker and wording, with where it
first appeared, how each outlet worded and credited it, and what changed on the way.

Input is the typed facts the product already makes (:mod:`corroborator.text.facts`: a ``quote`` fact
with its ``speaker``); :func:`collect_quotes` turns one article's facts into :class:`QuoteItem` s and
:func:`cluster_quotes` clusters the items of many articles. Nothing here reads the store
(:mod:`corroborator.api.quotes` does).

Two quotes are one when
* their words are alike (:func:`.quote_words.likeness`, containment, so a trimmed or elided quote
  matches the whole one), or
* their sentence vectors are close (the multilingual encoder): in one language only together with
  some shared words (small rewordings); across languages when the two are each other's best match
  between their two articles (a translation of the same article quotes the same people);
and their speakers do not differ (a named speaker on both sides that is not the same person blocks a
merge, except for a long verbatim match: then outlets credit one quote to different people, which is
itself worth showing). Merging is single-link over the pairs, strongest first, with that speaker test
between whole clusters, so a chain of matches cannot join two speakers.

Within a cluster, appearances are ordered by the article's publication time (unknown last). The first
is the quote's first appearance in the store; among articles of one time, one that credits another
outlet comes after the others. Each later appearance carries its mutations against the first wording
and the outlets it credits; a credit that names an outlet of an earlier appearance points to it.

Approximate, on purpose: quotes shorter than :data:`MIN_WORDS` words are left out (scare quotes and
titles, "fake news", match far too much); a quote repeated inside one article counts once (its
longest wording).
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from corroborator.model import Article, Fact, Sentence
from corroborator.provenance.quote_credits import credit_phrases, credited_outlet, known_outlets, outlet_key
from corroborator.provenance.quote_words import (
    MutationKind,
    Token,
    Why,
    content,
    diff_translation,
    diff_wordings,
    likeness,
    tokens,
    wordlist,
)
from corroborator.text.names import clean_name

if TYPE_CHECKING:
    import numpy as np

MIN_WORDS = 5
LEXICAL_MIN = 0.6  # likeness score for a wording match
SHORT_PAIRS = 0.8  # the same for a wording of fewer than SHORT_WORDS words
LEXICAL_PAIRS = 0.5  # and this share of the shorter wording's word pairs in the other (order matters)
REWORD_COSINE = 0.85  # same language: vectors this close, with REWORD_LEXICAL of the words shared
REWORD_LEXICAL = 0.5
TRANSLATION_COSINE = 0.68  # across languages, and each the other's best match between the two articles
SHORT_TRANSLATION_COSINE = 0.75  # the same for a quote of fewer than SHORT_WORDS words
SHORT_WORDS = 7
GROUP_COSINE = 0.5  # two groups merge only when their quotes are this close on average
VERBATIM_WORDS = 8  # a match of this many words running in order outranks differing speakers
_EARLIEST_YEAR = 1990  # a published date before this is a parsing artefact (AllSides has "0001-11-30")


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """One quote of one article, as clustering reads it."""

    article_id: str
    start: int  # offsets into the article's text
    end: int
    text: str
    speaker: str | None
    source: str | None = None
    published: datetime | None = None
    language: str | None = None
    story: str | None = None
    credits: tuple[str, ...] = ()  # credit phrases read around the quote (checked against outlets later)


@dataclass(frozen=True, slots=True)
class Mutation:
    """One difference of an appearance's wording from the first appearance's."""

    kind: MutationKind  # changed | added | dropped | trimmed | extended | elided
    before: str  # the first wording's words ("" when added)
    after: str  # this wording's words ("" when dropped)
    meaning: bool  # meaning-changing: a negation, number, name or antonym differs, or a clause is gone
    why: Why  # negation | number | name | antonym | clause | filler | wording | trim
    start: int  # span in this appearance's article text; empty where words were dropped
    end: int


@dataclass(frozen=True, slots=True)
class QuoteAppearance:
    article_id: str
    start: int
    end: int
    text: str
    speaker: str | None  # as this outlet credits it
    source: str | None
    published: datetime | None
    language: str | None
    story: str | None
    credits: tuple[str, ...] = ()  # outlet keys this article credits for the quote ("bbc")
    credits_earlier: str | None = None  # the article id of an earlier appearance from a credited outlet
    translated: bool = False  # another language than the first appearance
    mutations: tuple[Mutation, ...] = ()

    @property
    def meaning_changed(self) -> bool:
        return any(m.meaning for m in self.mutations)


@dataclass(frozen=True, slots=True)
class QuoteCluster:
    key: str  # stable: made from the first appearance's article and offsets
    speaker: str | None  # the name most outlets credit
    appearances: tuple[QuoteAppearance, ...]  # first appearance first
    first_tied: bool = False  # another outlet published at the same time as the first
    credited_outside: tuple[str, ...] = ()  # outlets credited that have no appearance in the cluster

    @property
    def first(self) -> QuoteAppearance:
        return self.appearances[0]

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.source or "unknown source" for a in self.appearances))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.language or "und" for a in self.appearances))

    @property
    def speakers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.speaker for a in self.appearances if a.speaker))

    @property
    def stories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.story for a in self.appearances if a.story))

    @property
    def mutated(self) -> bool:
        return any(a.mutations for a in self.appearances)

    @property
    def meaning_changed(self) -> bool:
        return any(a.meaning_changed for a in self.appearances)


# ------------------------------------------------------------------------------------------ collecting


def collect_quotes(
    article: Article, sentences: Sequence[Sentence], facts: Iterable[Fact], story: str | None = None
) -> list[QuoteItem]:
    """The quotes of one article worth clustering (at least :data:`MIN_WORDS` words), with the credit
    phrases of their sentences. Facts out of the text's range (a corrupt cache) are skipped."""
    text = article.text
    quotes = [f for f in facts if f.kind == "quote" and 0 <= f.start < f.end <= len(text)]
    spans = [(f.start, f.end) for f in quotes]
    ordered = sorted(sentences, key=lambda s: s.start)
    out: list[QuoteItem] = []
    for f in quotes:
        if not worth_clustering(text[f.start : f.end]):
            continue
        around = [s for s in ordered if s.start < f.end and s.end > f.start] or ordered[:0]
        lo = min((s.start for s in around), default=f.start)
        hi = max((s.end for s in around), default=f.end)
        inside = [(s - lo, e - lo) for s, e in spans if s < hi and e > lo]
        credits = tuple(credit_phrases(text[lo:hi], inside))
        out.append(
            QuoteItem(article.id, f.start, f.end, text[f.start : f.end], f.speaker, article.source,
                      article.published, article.language, story, credits)
        )  # fmt: skip
    return out


def worth_clustering(quote: str) -> bool:
    """At least :data:`MIN_WORDS` words, and not a title ("Orange Is the New Black", a show's name):
    titles recur across outlets without anyone saying them."""
    toks = tokens(quote)
    if len(toks) < MIN_WORDS:
        return False
    long_words = [t.word for t in toks if len(t.word) > 3]
    capitalised = sum(w[:1].isupper() for w in long_words)
    return not (len(toks) < 9 and long_words and capitalised >= 0.75 * len(long_words))


# ------------------------------------------------------------------------------------------ clustering


@dataclass
class _Group:
    members: list[int]
    names: Counter[str] = field(default_factory=Counter)


def cluster_quotes(
    items: Sequence[QuoteItem], vectors: np.ndarray | None = None, outlets: Iterable[str] = ()
) -> list[QuoteCluster]:
    """Cluster ``items`` (of any number of articles); ``vectors``: one sentence vector per item (the
    multilingual encoder), or None for wording alone. ``outlets``: the store's outlet names, which
    credits may name besides the listed outlets. Returns every cluster, singletons included, largest first."""
    if not items:
        return []
    toks = [tokens(i.text) for i in items]
    norms = [[t.norm for t in ts] for ts in toks]
    contents = [content(ts, i.language) for ts, i in zip(toks, items, strict=True)]
    names = [_speaker_key(i.speaker) for i in items]
    edges = _lexical_edges(items, norms, contents)
    unit = None
    if vectors is not None and len(vectors) == len(items):
        unit = _unit(vectors)
        edges.update(_vector_edges(items, norms, contents, unit, edges))
    parent = list(range(len(items)))
    groups = {i: _Group([i], Counter(n for n in (names[i],) if n)) for i in range(len(items))}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (a, b), (_score, verbatim) in sorted(edges.items(), key=lambda kv: (-kv[1][0], kv[0])):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        ga, gb = groups[ra], groups[rb]
        if not verbatim and not _speakers_agree(ga.names, gb.names):
            continue
        if not verbatim and unit is not None and _mean_cosine(unit, ga.members, gb.members) < GROUP_COSINE:
            continue  # a chain through one loose match: the two groups as wholes say different things
        if len(ga.members) < len(gb.members):
            ra, rb, ga, gb = rb, ra, gb, ga
        parent[rb] = ra
        ga.members.extend(gb.members)
        ga.names.update(gb.names)
        del groups[rb]
    known = known_outlets(outlets)
    clusters = [_cluster([items[i] for i in g.members], known) for g in groups.values()]
    return sorted(clusters, key=lambda c: (-len(c.appearances), _time_key(c.first.published), c.key))


def _lexical_edges(
    items: Sequence[QuoteItem], norms: Sequence[list[str]], contents: Sequence[set[str]]
) -> dict[tuple[int, int], tuple[float, bool]]:
    """Pairs of quotes that share word pairs, scored by :func:`likeness`; word pairs that many quotes
    share ("going to") find no candidates, which keeps this near linear."""
    from corroborator.provenance.quote_words import stop_words

    index: dict[tuple[str, str], list[int]] = {}
    for i, ns in enumerate(norms):
        stops = stop_words(items[i].language)
        for pair in set(itertools.pairwise(ns)):
            if pair[0] in stops and pair[1] in stops:
                continue
            index.setdefault(pair, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    cap = max(50, len(items) // 100)
    for posting in index.values():
        if len(posting) > cap:
            continue
        for x in range(len(posting)):
            for y in range(x + 1, len(posting)):
                shared[(posting[x], posting[y])] += 1
    edges: dict[tuple[int, int], tuple[float, bool]] = {}
    for (a, b), n in shared.items():
        if n < 2 or items[a].article_id == items[b].article_id:
            continue
        like = likeness(norms[a], norms[b], contents[a], contents[b])
        # A short wording must run nearly whole inside the other: five common words match by chance.
        short = min(len(norms[a]), len(norms[b])) < SHORT_WORDS
        ok = like.score >= LEXICAL_MIN and like.pairs >= (SHORT_PAIRS if short else LEXICAL_PAIRS)
        if ok and like.shared >= MIN_WORDS and like.shared_content >= 2:
            verbatim = like.pairs >= 0.9 and min(len(norms[a]), len(norms[b])) >= VERBATIM_WORDS
            edges[(a, b)] = (like.score, verbatim)
    return edges


def _unit(vectors: np.ndarray) -> np.ndarray:
    import numpy as np

    vecs = np.asarray(vectors, dtype=np.float32)
    return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)


def _mean_cosine(unit: np.ndarray, a: Sequence[int], b: Sequence[int]) -> float:
    return float((unit[list(a)] @ unit[list(b)].T).mean())


def _vector_edges(
    items: Sequence[QuoteItem],
    norms: Sequence[list[str]],
    contents: Sequence[set[str]],
    vectors: np.ndarray,
    have: dict[tuple[int, int], tuple[float, bool]],
) -> dict[tuple[int, int], tuple[float, bool]]:
    import numpy as np

    vecs = vectors
    langs = [i.language or "und" for i in items]
    arts = [i.article_id for i in items]
    found: dict[tuple[int, int], tuple[float, bool]] = {}
    best: dict[tuple[int, str], tuple[float, int]] = {}  # (quote, other article) -> its best cross-language match
    cross: list[tuple[int, int, float]] = []
    codes = {lang: n for n, lang in enumerate(dict.fromkeys(langs))}
    lang_ids = np.array([codes[x] for x in langs])
    step = 1024
    for lo in range(0, len(items), step):
        sims = vecs[lo : lo + step] @ vecs.T
        other_language = lang_ids[lo : lo + step, None] != lang_ids[None, :]
        rows, cols = np.nonzero((sims >= REWORD_COSINE) | ((sims >= TRANSLATION_COSINE) & other_language))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            a = lo + r
            if a == c or arts[a] == arts[c]:
                continue
            cos = float(sims[r, c])
            if langs[a] != langs[c]:
                if best.get((a, arts[c]), (-1.0, -1))[0] < cos:
                    best[(a, arts[c])] = (cos, c)
                if a < c:
                    cross.append((a, c, cos))
            elif a < c and cos >= REWORD_COSINE and (a, c) not in have:
                like = likeness(norms[a], norms[c], contents[a], contents[c])
                if like.score >= REWORD_LEXICAL and like.shared_content >= 2:
                    found[(a, c)] = (like.score, False)
    for a, c, cos in cross:
        short = min(len(norms[a]), len(norms[c])) < SHORT_WORDS
        if short and cos < SHORT_TRANSLATION_COSINE:
            continue
        if best[(a, arts[c])][1] == c and best[(c, arts[a])][1] == a:
            found[(a, c)] = (cos, False)
    return found


# -------------------------------------------------------------------------------------------- speakers

_TITLES = wordlist(
    "mr mrs ms dr sen senator rep president vice prime minister secretary gov governor mayor gen general "
    "judge chief justice speaker leader former house white the"
)


def _speaker_key(speaker: str | None) -> str | None:
    """A named speaker's comparable words ("Sen. Chuck Schumer" -> "chuck schumer"); None for no name
    ("he", "officials", "a senior administration official": the rules could not name the person)."""
    if not speaker:
        return None
    clean = clean_name(speaker)
    if not clean[:1].isupper():
        return None
    parts = [w for w in clean.lower().replace(".", " ").split() if w not in _TITLES]
    return " ".join(parts) or None


def _same_speaker(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    return a == b or wa[-1] == wb[-1] or set(wa) <= set(wb) or set(wb) <= set(wa)


def _speakers_agree(a: Counter[str], b: Counter[str]) -> bool:
    if not a or not b:
        return True
    return any(_same_speaker(x, y) for x in a for y in b)


# ------------------------------------------------------------------------------------------ one cluster


def _time_key(when: datetime | None) -> tuple[int, float]:
    if when is None or when.year < _EARLIEST_YEAR:
        return (1, 0.0)
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return (0, aware.timestamp())


def _cluster(members: Sequence[QuoteItem], known: frozenset[str]) -> QuoteCluster:
    # One appearance per article: its longest wording of the quote.
    by_article: dict[str, QuoteItem] = {}
    for item in members:
        kept = by_article.get(item.article_id)
        if kept is None or len(item.text) > len(kept.text):
            by_article[item.article_id] = item
    chosen = list(by_article.values())
    credits = {i.article_id: _credits(i, known) for i in chosen}
    credited_by_others = {c for cs in credits.values() for c in cs}

    def order(i: QuoteItem) -> tuple[object, ...]:
        # At one time, an article quoting an outlet is not where the quote started; one that is
        # credited by the others is.
        key = outlet_key(i.source) if i.source else ""
        quoting = bool(credits[i.article_id])
        return (_time_key(i.published), quoting, key not in credited_by_others, i.article_id, i.start)

    chosen.sort(key=order)
    first = chosen[0]
    tied = len(chosen) > 1 and _time_key(chosen[1].published) == _time_key(first.published)
    appearances: list[QuoteAppearance] = []
    seen_sources: dict[str, str] = {}  # outlet key -> the article id of its first appearance
    for n, item in enumerate(chosen):
        own = credits[item.article_id]
        earlier = next((seen_sources[c] for c in own if c in seen_sources), None)
        translated = n > 0 and (item.language or "und") != (first.language or "und")
        mutations = () if n == 0 else _mutations(first, item, translated)
        appearances.append(
            QuoteAppearance(item.article_id, item.start, item.end, item.text, item.speaker, item.source,
                            item.published, item.language, item.story, own, earlier, translated, mutations)
        )  # fmt: skip
        if item.source:
            seen_sources.setdefault(outlet_key(item.source), item.article_id)
    present = {outlet_key(a.source) for a in appearances if a.source}
    outside = tuple(sorted(credited_by_others - present))
    digest = hashlib.sha256(f"{first.article_id}:{first.start}-{first.end}".encode()).hexdigest()[:12]
    return QuoteCluster(f"q{digest}", _main_speaker(appearances), tuple(appearances), tied, outside)


def _credits(item: QuoteItem, known: frozenset[str]) -> tuple[str, ...]:
    own = outlet_key(item.source) if item.source else None
    found = (credited_outlet(p, known) for p in item.credits)
    return tuple(dict.fromkeys(k for k in found if k and k != own))


def _mutations(first: QuoteItem, item: QuoteItem, translated: bool) -> tuple[Mutation, ...]:
    if translated:
        changes = diff_translation(first.text, first.language, item.text, item.language)
    else:
        changes = diff_wordings(first.text, item.text, item.language)
    return tuple(
        Mutation(c.kind, c.before, c.after, c.meaning, c.why, item.start + c.start, item.start + c.end) for c in changes
    )


def _main_speaker(appearances: Sequence[QuoteAppearance]) -> str | None:
    named = Counter(clean_name(a.speaker) for a in appearances if a.speaker and _speaker_key(a.speaker))
    if named:
        # The fullest form of the most credited person ("Donald Trump" over "Trump").
        top = _speaker_key(named.most_common(1)[0][0]) or ""
        same = [n for n in named if _same_speaker(_speaker_key(n) or "", top)]
        return max(same, key=lambda n: (named[n], len(n)))
    anyone = Counter(a.speaker for a in appearances if a.speaker)
    return anyone.most_common(1)[0][0] if anyone else None


# -------------------------------------------------------------------------------------------- filtering


def speaker_matches(cluster: QuoteCluster, name: str) -> bool:
    """``name`` ("Trump", "chuck schumer") is the cluster's speaker or one outlet's credited speaker."""
    want = _speaker_key(name.title() if name[:1].islower() else name) or name.lower().strip()
    for spoken in (cluster.speaker, *cluster.speakers):
        have = _speaker_key(spoken) or (spoken or "").lower()
        if have and (_same_speaker(have, want) or want in have):
            return True
    return False


def filter_clusters(
    clusters: Iterable[QuoteCluster],
    *,
    speaker: str | None = None,
    story: str | None = None,
    article: str | None = None,
    min_size: int = 1,
) -> list[QuoteCluster]:
    out = []
    for c in clusters:
        if len(c.appearances) < min_size:
            continue
        if article and all(a.article_id != article for a in c.appearances):
            continue
        if story and story not in c.stories:
            continue
        if speaker and not speaker_matches(c, speaker):
            continue
        out.append(c)
    return out


def with_stories(cluster: QuoteCluster, stories: dict[str, str | None]) -> QuoteCluster:
    """The cluster with each appearance's story as given (stories change when the store reclusters)."""
    return replace(
        cluster, appearances=tuple(replace(a, story=stories.get(a.article_id, a.story)) for a in cluster.appearances)
    )


__all__ = [
    "MIN_WORDS",
    "Mutation",
    "QuoteAppearance",
    "QuoteCluster",
    "QuoteItem",
    "Token",
    "cluster_quotes",
    "collect_quotes",
    "filter_clusters",
    "speaker_matches",
    "with_stories",
    "worth_clustering",
]
