"""The types of article versions and their diff (see :mod:`corroborator.provenance.versions`)."""

from __future__ import annotations

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
class ComparedVersion:
    """Which version of a stored article a comparison read (plain data for the comparison document).

    ``article`` is the stored article's id (version 0, the story member; the compared text's own id is
    the version's content hash), ``index`` the version read (0..), ``at`` when that version was published
    or seen, ``count`` how many versions the store holds."""

    article: str
    index: int
    at: datetime | None
    count: int

    @property
    def latest(self) -> bool:
        return self.index >= self.count - 1


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
