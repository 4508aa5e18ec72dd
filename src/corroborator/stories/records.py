"""What goes into the story index and what comes out: an article's features, its prepared form, the
decision, and the parameters (from settings)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from corroborator.settings import Settings
from corroborator.stories.signature import Signature

NO_DAY = np.iinfo(np.int32).min
POSTINGS_SCAN = 128  # newest articles examined under each term
POSTING_TERMS = 12  # heaviest terms of an article that get postings
TOP_TERMS = 48  # terms kept per article vector
FORMAT = 3
WHEN_SCALE = float(np.log1p(365.0))  # event days apart are log-scaled: 0 same day, 1 a year or more


@dataclass(frozen=True, slots=True)
class Features:
    """What the decision needs of one article."""

    article_id: str
    text: str  # title + body
    vector: np.ndarray | None  # L2-normalised float32
    minhash: np.ndarray | None
    entities: tuple[str, ...]
    day: int | None  # proleptic ordinal of the publication date
    source: str | None = None  # the outlet, whose repeated page lines are boilerplate
    language: str | None = None  # for stop words; None reads as English


@dataclass(frozen=True, slots=True)
class Prepared:
    features: Features
    counts: Counter[int]
    term_ids: np.ndarray
    term_weights: np.ndarray
    entity_ids: tuple[int, ...]
    tokens: list[str]
    signature: Signature
    outlet_keys: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Decision:
    story: str | None  # existing story id to join, None to open one
    score: float
    duplicate_of: str | None = None
    duplicate_similarity: float = 0.0
    # Other candidate stories that also reached the threshold: the article may bridge them.
    also: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Params:
    window_days: int
    near_duplicate_jaccard: float
    threshold: float
    candidates: int
    w_words: float
    w_cosine: float
    w_entities: float
    w_date: float
    link: str
    followup_days: int = 0
    followup_threshold: float = 1.0
    decision: str = "learned"
    min_probability: float = 0.5

    @classmethod
    def from_settings(cls, s: Settings) -> Params:
        return cls(
            window_days=s.story_window_days,
            near_duplicate_jaccard=s.near_duplicate_jaccard,
            threshold=s.story_threshold,
            candidates=s.story_candidates,
            w_words=s.story_weight_words,
            w_cosine=s.story_weight_cosine,
            w_entities=s.story_weight_entities,
            w_date=s.story_weight_date,
            link=s.story_link,
            followup_days=s.story_followup_days,
            followup_threshold=s.story_followup_threshold,
            decision=s.story_decision,
            min_probability=s.story_min_probability,
        )
