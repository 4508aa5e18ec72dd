"""The one vocabulary of corroborator, as plain frozen dataclasses.

An Article owns its text. Everything found in it (Sentence, Fact, Claim, Citation, the sides of a
Conflict) is a span ``(start, end)`` of character offsets into ``Article.text``; the ``text`` field a
span carries is a convenience copy that always equals ``article.text[start:end]``.

Pipeline stages are pure functions from these types to these types; only ingest, store, render, web
and the CLI do I/O.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

FactKind = Literal[
    "number",  # a count or measure: value + unit ("90 days", "120 people")
    "money",  # value + currency
    "percent",
    "date",  # a point or calendar interval: earliest..latest ("1999", "Tuesday", "Jan. 5")
    "period",  # an open or closed span: "since 2021", "since the 1990s", "between 2019 and 2021"
    "duration",  # a length of time, with a deadline when anchored: "within 90 days"
    "person",
    "organization",
    "place",
    "quote",  # quoted words, with speaker when one is attributed
    "attribution",  # "according to X", "X said", "X argued": speaker + verb
    "negation",
    "hedge",
    "name",  # a capitalised name of unknown type (languages analysed by rules, no NER model)
]

ENTITY_KINDS: frozenset[str] = frozenset({"person", "organization", "place"})
TEMPORAL_KINDS: frozenset[str] = frozenset({"date", "period", "duration"})
NUMERIC_KINDS: frozenset[str] = frozenset({"number", "money", "percent"})


def normalise_text(text: str) -> str:
    """The form an article's identity is computed on: NFKC, unified quotes, collapsed white space."""
    text = unicodedata.normalize("NFKC", text)
    # str.replace is several times faster than str.translate on long texts (measured on AllSides).
    for curly, straight in _QUOTES:
        if curly in text:
            text = text.replace(curly, straight)
    return _SPACE.sub(" ", text).strip().lower()


_QUOTES = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'))
_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Article identity: the first 16 hex digits of SHA-256 over the normalised text.

    64 bits keeps ids short enough to type; a collision needs ~4 billion articles in one store.
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One report as ingested. ``id`` is :func:`content_hash` of ``text``."""

    id: str
    text: str
    source: str | None = None  # the outlet ("The Washington Post"), or the host when nothing better
    url: str | None = None
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    language: str | None = None
    external_id: str | None = None  # the input's own id (a JSON record's "id", a feed entry id)
    origin: str | None = None  # where it was read from: a path, "path#record-3", "archive.warc.gz#17"

    @classmethod
    def create(cls, text: str, **meta: object) -> Article:
        """Build an Article whose id is derived from its text (the only way ids should be made)."""
        return cls(id=content_hash(text), text=text, **meta)  # type: ignore[arg-type]

    @property
    def label(self) -> str:
        """Short human name: the outlet, else the external id, else the id."""
        return self.source or self.external_id or self.id


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of one article's text."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fact:
    """A typed value found in a sentence, normalised so two articles' facts can be compared.

    ``norm`` is the canonical value as text (what a reader is shown and what equality uses);
    numeric facts fill ``number``/``unit``; temporal facts fill ``earliest``/``latest`` as ISO
    dates (either may be None for an open period such as "since 2021" with no publication date);
    entities fill ``label`` with the spaCy label; quotes and attributions fill ``speaker``.
    """

    kind: FactKind
    start: int
    end: int
    text: str
    norm: str
    sentence: int = -1
    number: float | None = None
    unit: str | None = None
    earliest: str | None = None
    latest: str | None = None
    label: str | None = None
    speaker: str | None = None
    approximate: bool = False  # "about 120", "nearly 1,000", "some 40": rounding tolerance applies


@dataclass(frozen=True, slots=True)
class AnalysedArticle:
    """What ingest produces for one article: the article, its sentences and cheap signals.

    ``facts``: every sentence's typed facts when ingest made them (the ``ingest_facts`` setting), stored
    with the article under ``facts_analyser``; None when they are left to the first comparison or read.
    ``lead_entities`` are the normalised names found in the title and lead that story assignment uses.
    """

    article: Article
    sentences: tuple[Sentence, ...]
    vector: tuple[float, ...] | None = None  # article embedding (title + lead)
    minhash: tuple[int, ...] | None = None
    lead_entities: tuple[str, ...] = ()
    facts: tuple[Fact, ...] | None = None
    facts_analyser: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """The unit compared across sources: a sentence, or a clause of one that packs several statements."""

    id: str  # "<article_id>:<start>-<end>"
    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    facts: tuple[Fact, ...] = ()
    language: str | None = None  # the article's language (ISO 639-1); None when unknown


Relation = Literal["same", "overlap", "conflict", "none"]
# "disputed": part of a contradiction between the reports; "contested": a party disputes it, as a report
# says (see Contest), which is not a contradiction between the reports.
ClaimStatus = Literal["corroborated", "single-source", "disputed", "contested"]
ConflictKind = Literal["number", "date", "entity", "attribution", "polarity", "quote", "claim"]
Stance = Literal["supports", "contradicts", "discusses", "unrelated"]


@dataclass(frozen=True, slots=True)
class Citation:
    """A span of a source cited for a brief sentence: for the whole sentence, or (``facts``, ledger fact
    ids) only for those facts of it, which the span states too."""

    article_id: str
    start: int
    end: int
    facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alignment:
    a: str  # claim id
    b: str  # claim id
    relation: Relation
    similarity: float
    model: str | None = None  # the entailment model that judged the pair (its versioned name), if one did


@dataclass(frozen=True, slots=True)
class ConflictSide:
    article: str  # article id
    text: str
    start: int
    end: int
    value: str


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: ConflictKind
    explanation: str
    sides: tuple[ConflictSide, ...]
    claims: tuple[str, ...] = ()  # claim ids
    precision_only: bool = False  # one side is merely less precise: reported, but not a contradiction
    languages: tuple[str, ...] = ()  # the sides' languages when they differ (typed facts compared across them)
    model: str | None = None  # the entailment model that found it; None: the typed-fact rules alone


@dataclass(frozen=True, slots=True)
class Contest:
    """A contested claim: ``claim`` states something; ``dispute`` (a claim of another report, or later in
    the same one) reports that ``party`` disputes it. Not a contradiction between the reports: one of
    them reports a dispute. ``sides`` are the stated span and the dispute's span, in that order;
    ``party_span`` the party's name in the dispute's article (None when resolved from a pronoun's
    antecedent elsewhere); ``outlet_voice`` when the report itself calls the claim into question
    ("falsely claimed")."""

    claim: str  # claim id
    dispute: str  # claim id
    party: str
    cue: str  # the dispute wording ("denied", "called the case politically motivated")
    sides: tuple[ConflictSide, ...]
    explanation: str
    similarity: float
    party_span: tuple[int, int] | None = None
    outlet_voice: bool = False
    model: str | None = None  # the ranker that chose the disputed claim (its versioned name)


@dataclass(frozen=True, slots=True)
class Derivation:
    """How much of article ``b`` is carried over from article ``a`` (or from a shared origin)."""

    a: str
    b: str
    carried_share: float  # share of b's claims aligned with a's
    order_kept: float  # Kendall-like agreement of the aligned claims' order, 0..1
    verbatim_runs: int  # runs of >= 8 identical words
    direction: Literal["a->b", "b->a", "shared origin"]
    evidence: str
    added_by_a: tuple[str, ...] = ()  # claim ids only a has
    added_by_b: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()  # outlets both articles credit as their source ("reported by X")


@dataclass(frozen=True, slots=True)
class FramingTerm:
    start: int
    end: int
    text: str
    category: str  # loaded | emotive | hedge | aside | intensifier ...


@dataclass(frozen=True, slots=True)
class Framing:
    article_id: str
    terms: tuple[FramingTerm, ...]
    subjectivity: float  # share of sentences carrying loaded/emotive wording or asides
    tone: float  # mean VADER compound, -1..1
    voices: dict[str, list[str]] = field(default_factory=dict)  # role -> speakers quoted


@dataclass(frozen=True, slots=True)
class BriefSentence:
    text: str
    citations: tuple[Citation, ...]
    status: ClaimStatus | Literal["timeline", "note"] = "corroborated"


@dataclass(frozen=True, slots=True)
class Brief:
    title: str
    sentences: tuple[BriefSentence, ...]
    left_out: str


@dataclass(frozen=True, slots=True)
class Corroboration:
    """One claim's standing across the compared articles."""

    claim: str
    status: ClaimStatus
    sources: tuple[str, ...]  # article ids stating it (its own first)
    disputed_by: tuple[str, ...]  # article ids contradicting it
    independent_sources: int
    contested_by: tuple[tuple[str, str], ...] = ()  # (party, article id reporting the dispute)


# "precision": two sources give one value at different precision ("about 2,000 homes", "1,950 households").
LedgerStatus = Literal["corroborated", "single-source", "contested", "contradicted", "precision"]


@dataclass(frozen=True, slots=True)
class FactMention:
    """Where one source states a ledger fact: a span of its article, inside one of its claims."""

    article_id: str
    claim: str  # claim id
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class LedgerFact:
    """One atomic fact of a story (a figure, a date, a time, a name, a quote, a detail, or a statement
    a party disputes) and its standing across the sources: every source's spans stating it."""

    id: str  # "f1", "f2"... in the order of first mention
    kind: str  # figure | date | time | name | quote | detail | statement
    label: str  # a reader's name for it: the value as first written ("cast-iron", "2,000 homes")
    status: LedgerStatus
    mentions: tuple[FactMention, ...]
    sources: tuple[str, ...]  # article ids, in the order of the comparison
    independent_sources: int
    note: str = ""  # how values written differently agree ("60-year-old in 2026: the 1960s"), or what differs


@dataclass(frozen=True, slots=True)
class Point:
    """A statement and the claims of other articles that make it too."""

    claims: tuple[str, ...]  # claim ids, the representative first
    status: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    when: str  # the date as written
    sort_key: str  # ISO-ish key ("1999", "2021-03-05"); "~" sorts undated deadlines last
    what: str  # the claim it comes from
    citation: Citation


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]
    first_published: datetime | None = None
    last_published: datetime | None = None
