"""``batch --engine spark``: the same stages as the single-machine pipeline, mapped over Spark partitions.

The job, stage by stage (every arrow marked "shuffle" moves data between executors):

1. files -> (seq, Article): each task reads whole files with ingest's own readers (``read_bytes``); a
   folder is walked as ``ingest`` walks it, object-store paths are listed by Hadoop's file system.
2. exact copies: key by content hash, keep the first in read order (shuffle: article texts). Later
   versions: the distinct texts read at one identity (canonical URL, else outlet + external id) are grouped
   by it (shuffle: (identity, seq, id) tuples); the first is the article, the later ones (rare: only those
   groups come to the driver) are its versions, kept out of the stages below and written, with the claim
   diff from the version before, as the ``versions`` table (shuffle: the versioned articles' texts).
3. analysis: ``pipeline.analyse_many`` over each partition in batches; models load once per Python worker.
4. near-copies: every article files (band key, (seq, id)) for each LSH band the story index uses
   (shuffle: ~16 small tuples an article); each bucket yields its pairs, the pairs are joined with the
   signatures (shuffle: only candidate pairs) and checked against ``near_duplicate_jaccard``; the best
   earlier original per copy, chased to the first of its chain, as the story index links them.
5. stories: each article goes to its time block (``block_days``) and, within ``context_days`` of a
   boundary, to the neighbouring block as context (shuffle: the article rows). Inside a block the
   single-machine decision (``StoryIndex``) runs in read order; a block's story that took in a context
   article (or a copy whose original lives elsewhere) is united with that article's story in its own
   block. Only those boundary edges come to the driver (union-find), never the articles.
6. comparison: stories with two or more independent sources are grouped with their member rows
   (shuffle: article texts again) and compared with ``compare_articles``, one story per call.
7. every table is written as Parquet by Spark (scale/schema.py).
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corroborator.errors import CorroboratorError, InputError
from corroborator.model import Article
from corroborator.scale import stages
from corroborator.scale.inputs import is_uri, list_local, read_local, read_one, skip_name
from corroborator.scale.parquet import story_id_for
from corroborator.scale.report import BatchReport
from corroborator.scale.rows import Row, story_row
from corroborator.scale.schema import TABLES, columns, ddl
from corroborator.scale.session import make_session, stop_session
from corroborator.scale.versions import identity_key, version_map, version_rows
from corroborator.settings import Settings


def list_uris(spark: Any, uris: Sequence[str]) -> list[str]:
    """Files under object-store or Hadoop paths, in name order, skipping what the ingest walk skips."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    out: list[str] = []
    for uri in uris:
        path = jvm.org.apache.hadoop.fs.Path(uri)
        fs = path.getFileSystem(conf)
        found = []
        it = fs.listFiles(path, True)
        while it.hasNext():
            name = it.next().getPath().toString()
            rel = name[len(uri) :] if name.startswith(uri) else name.rsplit("/", 1)[-1]
            if not any(skip_name(part) for part in rel.split("/") if part):
                found.append(name)
        out.extend(sorted(found))
    return out


def run_spark(
    inputs: Sequence[str | Path],
    out: str | Path,
    settings: Settings,
    *,
    master: str = "local[*]",
    partitions: int | None = None,
    block_days: int = 90,
    context_days: int | None = None,
    compare: bool = True,
    compare_limit: int = 8,
    spark: Any = None,
    metrics: bool = True,
    on_stage: Callable[[str], None] | None = None,
) -> BatchReport:
    """Run the batch on Spark; ``spark`` reuses a session (tests, bench), else one is made and stopped."""
    from corroborator.embed import get_encoder

    report = BatchReport(engine="spark")
    started = time.perf_counter()
    event_dir = tempfile.mkdtemp(prefix="corroborator-spark-events-") if metrics and spark is None else None
    own_session = spark is None
    if spark is None:
        spark = make_session(master, event_dir)
    sc = spark.sparkContext
    context_days = settings.story_window_days if context_days is None else context_days
    if block_days < 1 or context_days < 0 or context_days > block_days:
        raise CorroboratorError(f"block_days={block_days}, context_days={context_days}: need 0 <= context <= block")
    n_parts = partitions or max(2, sc.defaultParallelism * 2)
    encoder = get_encoder().name
    out_str = str(out)
    clock = _Clock(report, on_stage)
    try:
        # 1. files -> (seq, Article) | InputError
        articles, failures = _read_inputs(spark, inputs, settings, n_parts, report)

        # 2. exact copies: first in read order per content hash; 3. analysis
        unique = articles.map(lambda sa: (sa[1].id, sa)).reduceByKey(_earlier, n_parts).values().persist()
        firsts, versions, report.versions = _split_versions(unique, n_parts)
        analysed = firsts.mapPartitions(lambda it: _analyse(it, settings, encoder)).persist()
        rows = analysed.filter(lambda kr: kr[0] == "article").map(lambda kr: kr[1]).persist()
        failures = failures.union(analysed.filter(lambda kr: kr[0] == "failure").map(lambda kr: kr[1]))
        stats = analysed.filter(lambda kr: kr[0] == "stats").map(lambda kr: kr[1])
        report.read = articles.count()
        report.articles = rows.count()
        failed = analysed.filter(lambda kr: kr[0] == "failure").count()
        report.exact_duplicates = report.read - report.articles - report.versions - failed
        clock.lap("read+analyse")

        # 4. near-copies by banded LSH with a shuffle on band keys
        best = _near_copies(rows, settings, n_parts)
        roots = stages.resolve_roots(best)
        report.near_duplicates = len(roots)
        clock.lap("near-duplicates")

        # 5. stories in time blocks, stitched at the boundaries
        members, placed_stats, boundary_edges = _stories_in_blocks(
            sc, rows, roots, settings, n_parts, block_days, context_days
        )
        stats = stats.union(placed_stats)
        copies = sc.broadcast(set(roots))
        story_rows = members.map(lambda ms: _story(ms, copies.value, compare, compare_limit)).persist()
        report.stories = story_rows.count()
        clock.lap("stories")

        # 6. comparison of stories with 2+ independent sources
        compared: Any = sc.emptyRDD()
        if compare:
            todo = members.map(
                lambda ms: (story_id_for(ms[0]["id"]), stages.to_compare(ms, copies.value, compare_limit))
            )
            todo = todo.filter(lambda kv: len(kv[1]) >= 2)
            compared = todo.repartition(n_parts).mapPartitions(lambda it: _compare(it, settings)).persist()
            report.compared = todo.count()
            stats = stats.union(compared.filter(lambda kr: kr[0] == "stats").map(lambda kr: kr[1]))
            failures = failures.union(compared.filter(lambda kr: kr[0] == "failures").map(lambda kr: kr[1]))

        # 7. tables
        failure_list = _write_tables(spark, out_str, members, roots, story_rows, compared, failures, versions)
        report.conflicts = compared.filter(lambda kr: kr[0] == "conflicts").count() if compare else 0
        report.failed = len(failure_list)
        report.errors = [f["message"] for f in failure_list]
        clock.lap("compare+write")
        report.metrics["partitions"] = stats.collect()
        report.metrics["partitions_setting"] = n_parts
        report.metrics["block_days"] = block_days
        report.metrics["context_days"] = context_days
        report.metrics["boundary_edges"] = boundary_edges
    finally:
        if own_session:
            stop_session(spark)
    if event_dir:
        import shutil

        report.metrics.update(event_log_metrics(event_dir))
        shutil.rmtree(event_dir, ignore_errors=True)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _read_inputs(
    spark: Any, inputs: Sequence[str | Path], settings: Settings, n_parts: int, report: BatchReport
) -> tuple[Any, Any]:
    """Files and URIs read on the executors: the RDDs of (seq, Article) and of failure rows."""
    sc = spark.sparkContext
    local = [str(p) for p in inputs if not is_uri(str(p))]
    remote = [str(p) for p in inputs if is_uri(str(p))]
    files, list_errors = list_local(local)
    uris = list_uris(spark, remote) if remote else []
    report.files = len(files) + len(uris)
    read_parts = max(1, min(report.files, n_parts))
    read = sc.parallelize(list(enumerate(files)), read_parts).flatMap(lambda fp: read_local(fp[0], fp[1], settings))
    if uris:
        numbers = sc.broadcast({u: len(files) + i for i, u in enumerate(uris)})
        remote_read = sc.binaryFiles(",".join(uris), read_parts).flatMap(
            lambda nd: read_one(numbers.value.get(nd[0], -1), nd[0], nd[1], settings)
        )
        read = read.union(remote_read)
    read = read.persist()
    failures = read.filter(lambda x: isinstance(x, InputError)).map(stages.failure_row)
    failures = failures.union(sc.parallelize([stages.failure_row(e) for e in list_errors], 1))
    articles = read.filter(lambda x: not isinstance(x, InputError))
    return articles, failures


def _split_versions(unique: Any, n_parts: int) -> tuple[Any, Any, int]:
    """(the articles: first reads of their identity, the ``versions`` rows RDD, how many versions)."""
    later = unique.context.broadcast(_later_versions(unique, n_parts))
    versions = _versions(unique, later, n_parts, datetime.now(UTC))
    return unique.filter(lambda sa: sa[1].id not in later.value), versions, len(later.value)


def _later_versions(unique: Any, n_parts: int) -> dict[str, str]:
    """Version id -> its article's id: the distinct texts read at one identity, grouped by it (only the
    (identity, seq, id) tuples move; only identities read more than once come to the driver)."""
    keyed = unique.map(lambda sa: (identity_key(sa[1]), (sa[0], sa[1].id))).filter(lambda kv: kv[0] is not None)
    groups = keyed.groupByKey(n_parts).mapValues(list).filter(lambda kv: len(kv[1]) > 1).values().collect()
    return version_map(groups)


def _versions(unique: Any, later: Any, n_parts: int, seen: datetime) -> Any:
    """The ``versions`` rows: each versioned article's reads grouped under its id, diffed in read order."""
    if not later.value:
        return unique.context.emptyRDD()
    bases = unique.context.broadcast(set(later.value.values()))
    return (
        unique.filter(lambda sa: sa[1].id in later.value or sa[1].id in bases.value)
        .map(lambda sa: (later.value.get(sa[1].id, sa[1].id), sa))
        .groupByKey(n_parts)
        .flatMap(lambda kv: version_rows(kv[0], list(kv[1]), seen))
    )


def _stories_in_blocks(
    sc: Any,
    rows: Any,
    roots: dict[str, tuple[str, float]],
    settings: Settings,
    n_parts: int,
    block_days: int,
    context_days: int,
) -> tuple[Any, Any, int]:
    """Stories assigned per time block (with ``context_days`` of the block before), joined where an article
    of a block's context and the same article in its own block carry different labels, and where a
    near-copy's original is elsewhere: (story members RDD, the blocks' stats RDD, boundary edges)."""
    root_ids = sc.broadcast({c: r for c, (r, _) in roots.items()})
    blocked = rows.flatMap(
        lambda r: [(b, (own, r)) for b, own in stages.blocks_of(r, block_days, context_days)]
    ).groupByKey(n_parts)
    placed = blocked.flatMap(lambda kv: _assign(kv[0], kv[1], root_ids.value, settings)).persist()
    own = placed.filter(lambda p: p[0] == "placed" and p[1].own).map(lambda p: (p[1].article_id, p[1].label))
    ctx = placed.filter(lambda p: p[0] == "placed" and not p[1].own).map(lambda p: (p[1].article_id, p[1].label))
    edges = ctx.join(own).values().collect()
    copy_edges = (
        placed.filter(lambda p: p[0] == "placed" and p[1].own and p[1].root is not None)
        .map(lambda p: (p[1].root, p[1].label))
        .join(own)
        .values()
        .collect()
    )
    placed_stats = placed.filter(lambda p: p[0] == "stats").map(lambda p: p[1])
    uf = stages.UnionFind()
    for a, b in [*edges, *copy_edges]:
        uf.union(a, b)
    merged = sc.broadcast({label: uf.find(label) for label in list(uf.parent)})
    labelled = own.mapValues(lambda label: merged.value.get(label, label))
    members = (
        rows.map(lambda r: (r["id"], r))
        .join(labelled)
        .map(lambda kv: (kv[1][1], kv[1][0]))
        .groupByKey(n_parts)
        .map(lambda kv: stages.story_members_order(kv[1]))
        .persist()
    )
    return members, placed_stats, len(edges) + len(copy_edges)


def _write_tables(
    spark: Any,
    out_str: str,
    members: Any,
    roots: dict[str, tuple[str, float]],
    story_rows: Any,
    compared: Any,
    failures: Any,
    versions: Any,
) -> list[dict[str, Any]]:
    """Every output table as Parquet under ``out_str``; returns the failure rows (collected once)."""
    sc = spark.sparkContext
    article_rows = members.flatMap(lambda ms: [{**m, "story_id": story_id_for(ms[0]["id"])} for m in ms])
    dup_rows = sc.parallelize(
        [{"article_id": c, "original_id": r, "kind": "near", "similarity": s} for c, (r, s) in roots.items()], 1
    )
    _write(spark, out_str, "articles", article_rows)
    _write(spark, out_str, "duplicates", dup_rows)
    _write(spark, out_str, "versions", versions)
    _write(spark, out_str, "stories", story_rows)
    for table in ("claims", "conflicts", "rewrites", "briefs"):
        _write(spark, out_str, table, compared.filter(lambda kr, t=table: kr[0] == t).map(lambda kr: kr[1]))
    failure_list = failures.collect()
    _write(spark, out_str, "failures", sc.parallelize(failure_list, 1))
    return failure_list


class _Clock:
    def __init__(self, report: BatchReport, on_stage: Callable[[str], None] | None) -> None:
        self.report = report
        self.on_stage = on_stage
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.report.stages[name] = round(now - self.last, 3)
        self.last = now
        if self.on_stage is not None:
            self.on_stage(f"{name} done in {self.report.stages[name]:.1f}s")


def _earlier(a: tuple[int, Article], b: tuple[int, Article]) -> tuple[int, Article]:
    return a if a[0] <= b[0] else b


def _analyse(items: Iterable[tuple[int, Article]], settings: Settings, encoder: str) -> Iterator[tuple[str, Row]]:
    t0 = time.perf_counter()
    n = 0
    for kind, row in stages.analyse_partition(items, settings, encoder):
        n += 1
        yield kind, row
    yield "stats", stages.partition_stats("analyse", n, t0)


def _assign(block: int, rows: Iterable[tuple[bool, Row]], roots: dict[str, str], settings: Settings) -> list[Any]:
    t0 = time.perf_counter()
    placed = stages.assign_block(block, rows, roots, settings)
    out: list[Any] = [("placed", p) for p in placed]
    out.append(("stats", {**stages.partition_stats("stories", len(placed), t0), "block": block}))
    return out


def _compare(stories: Iterable[tuple[str, list[Row]]], settings: Settings) -> Iterator[tuple[str, Row]]:
    t0 = time.perf_counter()
    seen: list[str] = []

    def counted() -> Iterator[tuple[str, list[Row]]]:
        for item in stories:
            seen.append(item[0])
            yield item

    yield from stages.compare_partition(counted(), settings)
    yield "stats", stages.partition_stats("compare", len(seen), t0)


def _story(members: list[Row], copies: set[str], compare: bool, compare_limit: int) -> Row:
    from corroborator.scale.rows import article_from_row
    from corroborator.stories.assigner import story_title

    independent = sum(1 for m in members if m["id"] not in copies)
    chosen = stages.to_compare(members, copies, compare_limit)
    title = story_title(article_from_row(members[0]))
    return story_row(story_id_for(members[0]["id"]), title, members, independent, compare and len(chosen) >= 2)


def _near_copies(rows: Any, settings: Settings, n_parts: int) -> dict[str, tuple[str, float]]:
    """copy id -> (best earlier original, Jaccard), from the band-key shuffle."""
    perm = settings.minhash_perm
    threshold = settings.near_duplicate_jaccard
    pairs = (
        rows.flatMap(lambda r: stages.band_entries(r, settings))
        .groupByKey(n_parts)
        .flatMap(lambda kv: stages.bucket_pairs(kv[1]))
        .distinct(n_parts)
    )
    sigs = rows.filter(lambda r: r.get("minhash") is not None).map(lambda r: (r["id"], r["minhash"]))
    scored = (
        pairs.join(sigs)  # (later, ((eseq, eid), later_sig))
        .map(lambda kv: (kv[1][0][1], (kv[0], kv[1][0][0], kv[1][1])))
        .join(sigs)  # (eid, ((later, eseq, later_sig), earlier_sig))
        .map(lambda kv: (kv[1][0][0], (kv[1][0][1], kv[0], stages.jaccard(kv[1][0][2], kv[1][1], perm))))
        .filter(lambda kv: kv[1][2] >= threshold)
        .groupByKey()
        .mapValues(lambda cands: stages.best_original(cands, threshold))
        .filter(lambda kv: kv[1] is not None)
    )
    return dict(scored.collect())


def _write(spark: Any, out: str, table: str, rdd: Any) -> None:
    names = columns(table)
    tuples = rdd.map(lambda r: tuple(r.get(n) for n in names))
    spark.createDataFrame(tuples, schema=ddl(table)).write.mode("overwrite").parquet(f"{out.rstrip('/')}/{table}")


def event_log_metrics(event_dir: str) -> dict[str, Any]:
    """Shuffle bytes, task times and peak memory per executor from Spark's event log (JSON lines)."""
    stage_names: dict[int, str] = {}
    per_stage: dict[int, dict[str, float]] = {}
    peaks: dict[str, dict[str, int]] = {}
    # Spark 4 writes a folder per application (rolling event log files); Spark 3 one file.
    paths = [p for p in glob.glob(os.path.join(event_dir, "**", "*"), recursive=True) if os.path.isfile(p)]
    for path in paths:
        if os.path.basename(path).startswith("appstatus"):
            continue
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                ev = json.loads(line)
                kind = ev.get("Event")
                if kind == "SparkListenerStageCompleted":
                    info = ev["Stage Info"]
                    stage_names[info["Stage ID"]] = info["Stage Name"]
                elif kind == "SparkListenerTaskEnd":
                    m = ev.get("Task Metrics") or {}
                    s = per_stage.setdefault(
                        ev["Stage ID"], {"tasks": 0, "run_s": 0.0, "shuffle_write": 0, "shuffle_read": 0}
                    )
                    s["tasks"] += 1
                    s["run_s"] += m.get("Executor Run Time", 0) / 1000.0
                    s["shuffle_write"] += (m.get("Shuffle Write Metrics") or {}).get("Shuffle Bytes Written", 0)
                    rd = m.get("Shuffle Read Metrics") or {}
                    s["shuffle_read"] += rd.get("Remote Bytes Read", 0) + rd.get("Local Bytes Read", 0)
                    execu = ev.get("Task Info", {}).get("Executor ID", "?")
                    _peak(peaks, execu, ev.get("Task Executor Metrics") or {})
                elif kind == "SparkListenerStageExecutorMetrics":
                    _peak(peaks, ev.get("Executor ID", "?"), ev.get("Executor Metrics") or {})
    stages_out = [
        {"stage": sid, "name": stage_names.get(sid, "?"), **{k: round(v, 3) for k, v in s.items()}}
        for sid, s in sorted(per_stage.items())
    ]
    return {
        "shuffle_write_bytes": int(sum(s["shuffle_write"] for s in per_stage.values())),
        "shuffle_read_bytes": int(sum(s["shuffle_read"] for s in per_stage.values())),
        "spark_stages": stages_out,
        "executor_peaks": peaks,
    }


_PEAK_KEYS = ("JVMHeapMemory", "JVMOffHeapMemory", "ProcessTreeJVMRSSMemory", "ProcessTreePythonRSSMemory")


def _peak(peaks: dict[str, dict[str, int]], executor: str, metrics: dict[str, Any]) -> None:
    p = peaks.setdefault(executor, {})
    for key in _PEAK_KEYS:
        if key in metrics:
            p[key] = max(p.get(key, 0), int(metrics[key]))


__all__ = ["TABLES", "event_log_metrics", "make_session", "run_spark"]
