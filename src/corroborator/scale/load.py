"""``corroborator load``: a batch's Parquet tables into the store, as if the articles had been ingested.

Articles (with their sentences, vectors, MinHash and lead entities), their later versions (each with the
time the batch gave it, so ``corroborator history`` reads them), stories, near-copy links and the
``disputed`` flag of stories whose comparison found a conflict. A story keeps its batch id (the store
names a story after its first article in the same way). Claims, conflicts and briefs are not tables of
the store: ``story`` and the web app compute a story's comparison on demand, as after an ingest. The story
index is not written: the next ``ingest`` rebuilds it from the stored articles and their stories.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corroborator.errors import CorroboratorError
from corroborator.scale.parquet import has_table, read_table
from corroborator.scale.rows import analysed_from_row

if TYPE_CHECKING:
    from corroborator.store.base import Store


@dataclass
class LoadReport:
    articles: int = 0
    duplicates: int = 0  # already in the store
    failed: int = 0
    stories: int = 0
    links: int = 0
    disputed: int = 0
    versions: int = 0  # later versions of articles written
    version_duplicates: int = 0  # already stored
    errors: list[str] = field(default_factory=list)


def load_batch(
    out: Path, store: Store, *, batch: int = 200, on_progress: Callable[[int, int], None] | None = None
) -> LoadReport:
    from corroborator.store.base import DuplicateLink

    report = LoadReport()
    rows = sorted(read_table(out, "articles"), key=lambda r: int(r["seq"]))
    stories = read_table(out, "stories")
    encoders = {r["encoder"] for r in rows if r.get("encoder")}
    if len(encoders) > 1:
        raise CorroboratorError(f"{out}: articles embedded by several encoders ({', '.join(sorted(encoders))})")
    encoder = encoders.pop() if encoders else None
    added: set[str] = set()
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        items = [analysed_from_row(r) for r in chunk]
        outcomes = store.add(items, encoder=encoder) if encoder else store.add(items)
        for row, outcome in zip(chunk, outcomes, strict=True):
            if outcome == "new":
                report.articles += 1
                added.add(row["id"])
            elif outcome == "duplicate":
                report.duplicates += 1
            else:
                report.failed += 1
                report.errors.append(f"{row.get('origin') or row['id']}: the store refused it")
        if on_progress:
            on_progress(min(start + batch, len(rows)), len(rows))
    disputed = _disputed(out)
    for s in stories:
        members = [a for a in s["article_ids"] if a in added]
        if not members:
            continue  # every member was already stored: its story stays as it is
        sid = store.new_story(s["title"], members[0], 1.0)
        for aid in members[1:]:
            store.assign(aid, sid, 1.0)
        report.stories += 1
        if s["story_id"] in disputed:
            store.set_story_flag(sid, "disputed", "1")
            report.disputed += 1
    for link in read_table(out, "duplicates"):
        if link["article_id"] in added:
            store.link_duplicate(
                DuplicateLink(link["article_id"], link["original_id"], "near", float(link["similarity"]))
            )
            report.links += 1
    _load_versions(out, store, report)
    return report


def _load_versions(out: Path, store: Store, report: LoadReport) -> None:
    """Each ``versions`` row as the next version of its article, in version order, with the batch's time.
    Rows are checked before anything is written: a bad row stops the load with its file and problem."""
    from corroborator.scale.versions import version_from_row

    if not has_table(out, "versions"):
        return  # written before batches carried versions
    where = str(Path(out) / "versions")
    rows = sorted(read_table(out, "versions"), key=lambda r: (str(r.get("article_id")), int(r.get("version") or 0)))
    parsed = [version_from_row(r, where) for r in rows]
    for article_id, article, at, seen in parsed:
        if not store.has_article(article_id):
            report.failed += 1
            report.errors.append(f"{where}: version {article.id} of article {article_id}: the article is not stored")
            continue
        if store.add_version(article_id, article, seen=seen, at=at) == "version":
            report.versions += 1
        else:
            report.version_duplicates += 1


def _disputed(out: Path) -> set[str]:
    return {c["story_id"] for c in read_table(out, "conflicts") if not c["precision_only"]}
