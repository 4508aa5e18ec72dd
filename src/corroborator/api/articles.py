"""One article for a reader: its text, sentences, facts and story, read from the store.

Typed facts cost ~120 ms of CPU per article (spaCy NER over every sentence). Ingest makes them and stores
them with the article (setting ``ingest_facts``, on by default). Where they are missing (a store ingested
with it off, or by an earlier version) they are made by the background worker
(:class:`corroborator.api.refresher.Refresher`) when a story is compared or when someone opens the
article, and kept in the store. A reader never waits for them: an article whose facts are not kept yet
is shown at once with ``facts_state = "pending"``, and its facts are queued in front of the worker's
background work. Without a running worker (the CLI, a
web app built with ``background=False``) they are made in place, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from corroborator.model import Article, Fact, Sentence

if TYPE_CHECKING:
    from corroborator.api.comparisons import RefreshQueue
    from corroborator.store.base import Store

FactsState = Literal["ready", "pending"]


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    article: Article
    sentences: list[Sentence]
    facts: list[Fact]
    story: str | None
    facts_state: FactsState = "ready"  # "pending": not kept yet, being made by the background worker
    versions: int = 1  # how many versions the store keeps of it (see api.history)

    def as_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": a.id,
            "external_id": a.external_id,
            "source": a.source,
            "url": a.url,
            "title": a.title,
            "byline": a.byline,
            "published": _iso(a.published),
            "language": a.language,
            "story": self.story,
            "story_url": f"/api/stories/{self.story}" if self.story else None,
            "text": a.text,
            "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in self.sentences],
            "facts_state": self.facts_state,
            "facts": [
                {"kind": f.kind, "start": f.start, "end": f.end, "text": f.text, "norm": f.norm, "speaker": f.speaker}
                for f in self.facts
            ],
        }


def make_facts(store: Store, article_id: str) -> int:
    """Extract an article's typed facts and keep them in the store (nothing to do when kept already);
    returns how many it has. The one place facts of a stored article are made (worker and in place)."""
    from corroborator.text.facts import FACTS_ANALYSER, extract_facts

    kept = store.facts(article_id, FACTS_ANALYSER)
    if kept is not None:
        return len(kept)
    article = store.get_article(article_id)
    facts = list(extract_facts(article, store.sentences(article.id)))
    store.put_facts(article.id, FACTS_ANALYSER, facts)
    return len(facts)


def article_detail(
    store: Store, ref: str, refresher: RefreshQueue | None = None, *, wait: float = 0.0
) -> ArticleDetail:
    """One article (by id, id prefix or external id) with its sentences, facts and story.

    With a running ``refresher`` this only reads: facts not kept yet are asked of the worker (in front
    of its queue), waited for up to ``wait`` seconds, and otherwise shown as pending. Without one they
    are made here and kept.
    """
    from corroborator.text.facts import FACTS_ANALYSER

    article = store.get_article(ref)
    sentences = store.sentences(article.id)
    facts = store.facts(article.id, FACTS_ANALYSER)
    state: FactsState = "ready"
    if facts is None and refresher is not None and refresher.running:
        event = refresher.request_facts(article.id)
        if event is not None and wait > 0 and event.wait(wait):
            facts = store.facts(article.id, FACTS_ANALYSER)
        if facts is None:
            facts, state = [], "pending"
    elif facts is None:
        make_facts(store, article.id)
        facts = store.facts(article.id, FACTS_ANALYSER) or []
    versions = store.version_counts([article.id]).get(article.id, 1)
    return ArticleDetail(article, sentences, facts, store.story_of(article.id), state, versions)
