"""``batch --engine local``: the single-machine pipeline itself, its results written as the batch tables.

Articles go through ``pipeline.ingest_articles`` into a temporary SQLite store (worker processes for the
analysis, the ``StoryAssigner`` for stories, exactly as ``corroborator ingest``), then the store's
articles, near-copy links and stories are exported and each story with two or more independent sources
is compared with ``compare_articles``. It is the reference the Spark engine is measured against.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corroborator.errors import InputError
from corroborator.model import AnalysedArticle, Article
from corroborator.scale.inputs import list_local, read_local
from corroborator.scale.parquet import story_id_for, write_table
from corroborator.scale.report import BatchReport
from corroborator.scale.rows import Row, article_row, story_row
from corroborator.scale.stages import compare_rows, to_compare
from corroborator.scale.versions import version_rows
from corroborator.settings import Settings


def run_local(
    inputs: Sequence[str | Path],
    out: Path,
    settings: Settings,
    *,
    compare: bool = True,
    compare_limit: int = 8,
) -> BatchReport:
    from corroborator.embed import get_encoder
    from corroborator.pipeline import ingest_articles
    from corroborator.store import open_store

    report = BatchReport(engine="local")
    started = time.perf_counter()
    seen = datetime.now(UTC)  # a version's time when it has no later publication time of its own
    files, list_errors = list_local(inputs)
    report.files = len(files)
    seqs: dict[str, int] = {}
    published: dict[str, datetime | None] = {}  # as read: a stored version carries its article's when it has none
    failures: list[Row] = []  # InputErrors come back in the ingest report's errors

    def items() -> Iterator[Article | InputError]:
        yield from list_errors
        for file_no, path in enumerate(files):
            for item in read_local(file_no, path, settings):
                if isinstance(item, InputError):
                    yield item
                    continue
                seq, article = item
                report.read += 1
                seqs.setdefault(article.id, seq)
                published.setdefault(article.id, article.published)
                yield article

    encoder = get_encoder().name
    with tempfile.TemporaryDirectory(prefix="corroborator-batch-") as tmp, open_store(Path(tmp) / "b.db") as store:
        ingest_report = ingest_articles(items(), store, settings)
        report.stages["ingest"] = round(time.perf_counter() - started, 3)
        report.exact_duplicates = ingest_report.duplicates
        for message in ingest_report.errors:
            origin, _, _ = message.partition(": ")
            failures.append({"origin": origin, "message": message})

        rows: dict[str, Row] = {}
        versioned: list[Row] = []
        for article in store.iter_articles():
            item = AnalysedArticle(
                article=article,
                sentences=tuple(store.sentences(article.id)),
                vector=_tuple(store.article_vector(article.id)),
                minhash=_tuple(store.article_minhash(article.id)),
                lead_entities=tuple(store.lead_entities(article.id)),
            )
            rows[article.id] = article_row(item, seqs[article.id], encoder)
            versions = store.versions(article.id)
            if len(versions) > 1:
                reads = [(seqs[v.article.id], replace(v.article, published=published[v.article.id])) for v in versions]
                versioned.extend(version_rows(article.id, reads, seen))
        links = [link for link in store.duplicate_links() if link.kind == "near"]
        duplicates = [
            {"article_id": k.article_id, "original_id": k.original_id, "kind": k.kind, "similarity": k.similarity}
            for k in links
        ]
        copies = {k.article_id for k in links}
        members_of: dict[str, list[Row]] = {}
        for story in store.stories():
            members = sorted((rows[a] for a in story.article_ids), key=lambda r: int(r["seq"]))
            members_of[story_id_for(members[0]["id"])] = members
    write_table(Path(out), "versions", sorted(versioned, key=lambda r: int(r["seq"])))
    report.versions = len(versioned)
    return finish(
        out, report, rows, duplicates, members_of, copies, failures, settings, compare, compare_limit, started
    )


def _tuple(values: Iterable[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(values)


def finish(
    out: Path,
    report: BatchReport,
    rows: dict[str, Row],
    duplicates: list[Row],
    members_of: dict[str, list[Row]],
    copies: set[str],
    failures: list[Row],
    settings: Settings,
    compare: bool,
    compare_limit: int,
    started: float,
) -> BatchReport:
    """Story rows, comparisons and every table written (the local engine's tail; stories as given)."""
    from corroborator.scale.rows import article_from_row
    from corroborator.stories.assigner import story_title

    t0 = time.perf_counter()
    stories: list[Row] = []
    tables: dict[str, list[Row]] = {"claims": [], "conflicts": [], "rewrites": [], "briefs": []}
    for sid, members in sorted(members_of.items(), key=lambda kv: int(kv[1][0]["seq"])):
        for m in members:
            m["story_id"] = sid
        chosen = to_compare(members, copies, compare_limit)
        do = compare and len(chosen) >= 2
        title = story_title(article_from_row(members[0]))
        independent = sum(1 for m in members if m["id"] not in copies)
        stories.append(story_row(sid, title, members, independent, do))
        if do:
            try:
                for table, trs in compare_rows(sid, chosen, settings).items():
                    tables[table].extend(trs)
            except Exception as exc:  # one story must not stop the batch
                failures.append({"origin": f"story {sid}", "message": f"compare failed: {type(exc).__name__}: {exc}"})
            report.compared += 1
    report.stages["compare"] = round(time.perf_counter() - t0, 3)
    out.mkdir(parents=True, exist_ok=True)
    write_table(out, "articles", sorted(rows.values(), key=lambda r: int(r["seq"])))
    write_table(out, "duplicates", duplicates)
    write_table(out, "stories", stories)
    for table, trs in tables.items():
        write_table(out, table, trs)
    write_table(out, "failures", failures)
    report.articles = len(rows)
    report.near_duplicates = len(duplicates)
    report.stories = len(stories)
    report.conflicts = len(tables["conflicts"])
    report.failed = len(failures)
    report.errors = [f["message"] for f in failures]
    report.seconds = round(time.perf_counter() - started, 3)
    return report
