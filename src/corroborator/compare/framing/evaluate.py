"""Scoring framing terms against BASIL's phrase-level lexical-bias annotations (Fan et al., 2019).

BASIL ships each article as paragraphs of sentences and each annotation as a character range inside
one sentence; :func:`load_basil` rebuilds the article text (sentences joined by a space, paragraphs
by a blank line) and maps every annotation to offsets in it. Events are split by year so that any
word list learned from annotations is scored on events it never saw: 2010-2014 train, 2015-2019
held out (:data:`HELDOUT_FROM`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from corroborator.errors import InputError, MalformedInput
from corroborator.model import Article, Framing, FramingTerm, Sentence

HELDOUT_FROM = 2015
OUTLETS = {"fox": "Fox", "nyt": "NYT", "hpo": "HuffPost"}


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    text: str
    bias: str  # "lex" | "inf"
    quote: bool


@dataclass(frozen=True, slots=True)
class BasilArticle:
    article: Article
    sentences: tuple[Sentence, ...]
    outlet: str  # Fox | NYT | HuffPost
    event: str  # triplet uuid: the three outlets' reports of one event share it
    year: int
    gold: tuple[GoldSpan, ...] = field(default=())

    @property
    def heldout(self) -> bool:
        return self.year >= HELDOUT_FROM

    @property
    def lexical(self) -> tuple[GoldSpan, ...]:
        return tuple(g for g in self.gold if g.bias == "lex")


def _read(path: Path) -> dict[str, object]:
    try:
        data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise MalformedInput(str(path), f"not valid JSON ({err.msg} at line {err.lineno})") from err
    return data


def _build(raw: dict[str, object]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    paragraphs = raw.get("body-paragraphs")
    if not isinstance(paragraphs, list):
        raise ValueError("no body-paragraphs list")
    for p, paragraph in enumerate(paragraphs):
        for s, sentence in enumerate(paragraph):
            sep = "" if not parts else (" " if s else "\n\n")
            pos += len(sep)
            parts.append(sep + sentence)
            spans.append((pos, pos + len(sentence)))
            pos += len(sentence)
        del p
    return "".join(parts), spans


def _locate(text: str, spans: Sequence[tuple[int, int]], ann: dict[str, object]) -> tuple[int, int] | None:
    """Absolute offsets of an annotation: the sentence whose [start:end] is its text, else a search."""
    phrase = str(ann.get("txt", ""))
    start, end = int(str(ann["start"])), int(str(ann["end"]))
    for s0, s1 in spans:
        if text[s0 + start : s0 + end] == phrase and s0 + end <= s1:
            return s0 + start, s0 + end
    found = text.find(phrase) if phrase else -1
    return (found, found + len(phrase)) if found >= 0 else None


def load_basil(root: Path) -> list[BasilArticle]:
    """Every BASIL article under ``root``: ``articles/<year>/*.json``, ``annotations/<year>/*_ann.json``."""
    paths = sorted((root / "articles").glob("*/*.json"))
    if not paths:
        raise InputError(str(root), "no articles/<year>/*.json here; point --shared at the team's shared folder")
    out: list[BasilArticle] = []
    for path in paths:
        raw = _read(path)
        try:
            text, spans = _build(raw)
        except ValueError as err:
            raise MalformedInput(str(path), str(err)) from err
        source = str(raw.get("source", "")).lower()
        article = Article.create(
            text,
            source=OUTLETS.get(source, source),
            title=str(raw.get("title") or "") or None,
            external_id=path.stem,
            origin=str(path),
        )
        sentences = tuple(Sentence(article.id, i, s, e, text[s:e]) for i, (s, e) in enumerate(spans))
        ann_path = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        gold: list[GoldSpan] = []
        if ann_path.exists():
            phrases = _read(ann_path).get("phrase-level-annotations", [])
            for ann in phrases if isinstance(phrases, list) else []:
                where = _locate(text, spans, ann)
                if where is not None:
                    gold.append(
                        GoldSpan(
                            where[0],
                            where[1],
                            text[where[0] : where[1]],
                            str(ann.get("bias")),
                            ann.get("quote") == "yes",
                        )
                    )
        year = int(path.parent.name) if path.parent.name.isdigit() else date.fromisoformat(str(raw["date"])).year
        out.append(
            BasilArticle(
                article=article,
                sentences=sentences,
                outlet=OUTLETS.get(source, source),
                event=str(raw.get("triplet-uuid") or path.stem.rsplit("_", 1)[0]),
                year=year,
                gold=tuple(gold),
            )
        )
    return out


@dataclass
class Score:
    """Overlap counts: gold phrases found, flagged terms that fall on a gold phrase."""

    gold: int = 0
    gold_found: int = 0
    flagged: int = 0
    flagged_hit: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.gold_found += other.gold_found
        self.flagged += other.flagged
        self.flagged_hit += other.flagged_hit

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.flagged_hit / self.flagged if self.flagged else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _hits(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def score(terms: Sequence[FramingTerm], gold: Sequence[GoldSpan], categories: Iterable[str] | None = None) -> Score:
    """Recall of gold phrases (found when a flagged term overlaps one) and precision of flagged terms."""
    wanted = set(categories) if categories is not None else None
    flagged = [(t.start, t.end) for t in terms if wanted is None or t.category in wanted]
    golds = [(g.start, g.end) for g in gold]
    return Score(
        gold=len(golds),
        gold_found=sum(_hits(g, flagged) for g in golds),
        flagged=len(flagged),
        flagged_hit=sum(_hits(f, golds) for f in flagged),
    )


def framing_score(item: BasilArticle, framing: Framing, categories: Iterable[str] | None = None) -> Score:
    return score(framing.terms, item.lexical, categories)
