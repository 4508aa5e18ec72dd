"""Ingest throughput on real articles: AllSides (37,554 articles from 491 outlets).

    python bench/ingest.py                 # 5,000-article slice into a fresh SQLite store
    python bench/ingest.py --all           # every article
    python bench/ingest.py --limit 1000 --workers 1

End to end through the real reader (a JSONL slice on disk), the analysis workers, the store and story
assignment. Ingest times its own stages as it runs (``IngestReport.stage_seconds``: each analysis stage in
the workers, reading, store writes and story assignment in this process); the run's core time (wall x
cores) is split into those, the rest of the workers' and this process's CPU, and idle cores, so all of
the time is accounted for. ``--no-facts`` runs with ``ingest_facts`` off (facts left to the first read).
Peak memory is the largest sum of resident memory over this process and its workers, sampled.
Writes bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.pipeline import STAGES, IngestReport, ingest  # noqa: E402
from corroborator.settings import Settings  # noqa: E402
from corroborator.store import open_store  # noqa: E402
from corroborator.text.facts import FACTS_ANALYSER  # noqa: E402


def _proc_kb(pid: int, file: str, field: str) -> int:
    """A kB figure from /proc/PID/<file> (0 once the process is gone)."""
    try:
        with open(f"/proc/{pid}/{file}") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return _proc_kb(pid, "status", "VmRSS:")


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (libraries, the interpreter) split among the processes mapping
    them, so a sum over processes is the memory they use together, where a sum of RSS counts them twice."""
    return _proc_kb(pid, "smaps_rollup", "Pss:")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(x) for x in fh.read().split()]
    except OSError:
        return []
    out = list(kids)
    for k in kids:
        out.extend(_children(k))
    return out


class TreeMemory:
    """Samples the resident memory of this process plus its descendants every 50 ms (the sum, and this
    process and the workers apart, so growth per article can be told from the models' fixed cost), and
    their summed proportional set size every 250 ms (smaps_rollup costs more to read)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self.parent_kb = 0
        self.workers_kb = 0
        self.peak_parent_kb = 0
        self.peak_workers_kb = 0
        self.peak_pss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        tick = 0
        while not self._stop.is_set():
            kids = _children(me)
            self.parent_kb = _rss_kb(me)
            self.workers_kb = sum(_rss_kb(p) for p in kids)
            if tick % 5 == 0:
                self.peak_pss_kb = max(self.peak_pss_kb, _pss_kb(me) + sum(_pss_kb(p) for p in kids))
            tick += 1
            self.peak_kb = max(self.peak_kb, self.parent_kb + self.workers_kb)
            self.peak_parent_kb = max(self.peak_parent_kb, self.parent_kb)
            self.peak_workers_kb = max(self.peak_workers_kb, self.workers_kb)
            time.sleep(0.05)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


PART_RECORDS = 5000  # records per JSONL file: the whole corpus in one file is over the reader's file-size limit


def write_slice(shared: Path, limit: int | None, out: Path) -> list[Path]:
    """The first ``limit`` AllSides articles (all when None) as slim JSONL files of PART_RECORDS each."""
    shards = sorted((shared / "corpus" / "allsides" / "articles").glob("articles-*.jsonl.xz"))
    if not shards:
        raise SystemExit(f"no AllSides shards under {shared}/corpus/allsides/articles")
    out.mkdir(parents=True, exist_ok=True)
    parts: list[Path] = []
    n = 0
    dst = None
    try:
        for shard in shards:
            with lzma.open(shard, "rt", encoding="utf-8") as src:
                for line in src:
                    if n % PART_RECORDS == 0:
                        if dst is not None:
                            dst.close()
                        parts.append(out / f"allsides-{len(parts):03d}.jsonl")
                        dst = parts[-1].open("w", encoding="utf-8")
                    rec = json.loads(line)
                    slim = {
                        "id": rec.get("ID"),
                        "title": rec.get("title"),
                        "source": rec.get("source"),
                        "url": rec.get("url"),
                        "date": rec.get("date"),
                        "authors": rec.get("authors"),
                        "text": rec.get("content_original"),
                    }
                    assert dst is not None
                    dst.write(json.dumps(slim) + "\n")
                    n += 1
                    if limit is not None and n >= limit:
                        return parts
    finally:
        if dst is not None:
            dst.close()
    return parts


def _cpu() -> tuple[float, float]:
    """CPU seconds so far of this process and of its reaped children (the workers, once the pool ends)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


PARENT_STAGES = ("read", "store", "stories")  # timed in this process by ingest itself


def account(
    stages: dict[str, float],
    articles: int,
    wall: float,
    before: tuple[float, float],
    after: tuple[float, float],
    cores: int,
) -> dict[str, float]:
    """Where the run's core time went, in ms per article: the analysis stages as the workers timed them
    during the run (``IngestReport.stage_seconds``), the rest of the workers' CPU, this process's timed
    parts (reading, store writes, story assignment) and the rest of its CPU, and idle cores.
    ``limit_articles_per_s`` is what the cores would give if the timed parts were the only work."""
    n = max(1, articles)
    core_ms = wall * cores * 1000 / n
    workers_ms = (after[1] - before[1]) * 1000 / n
    parent_ms = (after[0] - before[0]) * 1000 / n
    in_workers = sum(v for k, v in stages.items() if k in STAGES)
    in_parent = sum(v for k, v in stages.items() if k in PARENT_STAGES)
    if not workers_ms:  # analysed in this process (ingest_workers = 0 or a small input)
        parent_ms, workers_ms = parent_ms - in_workers, in_workers
    staged = in_workers + in_parent
    out = {
        "core_ms": core_ms,
        "worker_stages_ms": in_workers,
        "workers_other_ms": workers_ms - in_workers,
        "parent_stages_ms": in_parent,
        "parent_other_ms": parent_ms - in_parent,
        "idle_ms": core_ms - workers_ms - parent_ms,
        "limit_articles_per_s": cores * 1000 / staged if staged else 0.0,
        "unaccounted_share": 1 - staged / core_ms if core_ms else 0.0,
    }
    return {k: round(v, 3) for k, v in out.items()}


def print_accounting(acc: dict[str, float]) -> None:
    t = Table(title="Where the cores' time went (ms per article; wall x cores = the rows above 'limit')")
    t.add_column("part")
    t.add_column("ms/article", justify="right")
    t.add_column("share", justify="right")
    for key, label in (
        ("worker_stages_ms", "analysis stages (timed in the workers, during the run)"),
        ("workers_other_ms", "workers, beyond the stages (pickling, batching, start-up)"),
        ("parent_stages_ms", "parent: reading, store writes, story assignment (timed)"),
        ("parent_other_ms", "parent: the rest of its CPU"),
        ("idle_ms", "cores idle (waiting), or used by other processes"),
    ):
        t.add_row(label, f"{acc[key]:.2f}", f"{acc[key] / acc['core_ms']:.0%}" if acc["core_ms"] else "")
    t.add_row("limit from the timed parts alone (articles/s)", f"{acc['limit_articles_per_s']:.1f}", "")
    t.add_row("unaccounted by the timed parts (target < 20%)", "", f"{acc['unaccounted_share']:.0%}")
    Console().print(t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--all", action="store_true", help="every AllSides article (37,554)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--no-facts", action="store_true", help="setting ingest_facts=false: facts left to the first read"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "ingest.json")
    args = parser.parse_args()

    console = Console(stderr=True)
    settings = Settings.from_env()
    if args.workers is not None:
        settings = settings.with_overrides({"ingest_workers": str(args.workers)})
    if args.no_facts:
        settings = settings.with_overrides({"ingest_facts": "false"})
    with tempfile.TemporaryDirectory() as tmp:
        parts = write_slice(args.shared, None if args.all else args.limit, Path(tmp) / "slice")
        console.print(f"AllSides articles in {len(parts)} files -> fresh store, {settings.ingest_workers} workers")
        db = Path(tmp) / "bench.db"
        with TreeMemory() as mem, open_store(db) as store:
            cpu0 = _cpu()
            t0 = time.perf_counter()
            last = [0.0]
            growth: list[tuple[int, float, float]] = []  # (articles read, this process MB, workers MB)

            def hook(r: IngestReport, error: str | None) -> None:
                now = time.perf_counter()
                if now - last[0] > 5:
                    last[0] = now
                    growth.append((r.read, round(mem.parent_kb / 1024, 1), round(mem.workers_kb / 1024, 1)))
                    console.print(
                        f"  {r.read} read, {r.new} new, {r.failed} failed, "
                        f"{r.read / (now - t0):.1f} articles/s, "
                        f"memory: this process {growth[-1][1]:.0f} MB, workers {growth[-1][2]:.0f} MB"
                    )

            report = ingest(parts, store, settings, on_progress=hook)
            wall = time.perf_counter() - t0
            cpu1 = _cpu()
            stories = store.count_stories()
            with_facts = sum(1 for a in store.iter_articles() if store.facts(a.id, FACTS_ANALYSER) is not None)
    stages = {k: v * 1000 / max(1, report.read) for k, v in report.stage_seconds.items()}
    accounting = account(stages, report.read, wall, cpu0, cpu1, os.cpu_count() or 1)

    result = {
        "articles": report.read,
        "new": report.new,
        "duplicates": report.duplicates,
        "near_duplicates": report.near_duplicates,
        "failed": report.failed,
        "stories": stories,
        "sentences": report.sentences,
        "seconds": round(wall, 2),
        "articles_per_s": round(report.read / wall, 2),
        "sentences_per_s": round(report.sentences / wall, 1),
        "peak_memory_mb": round(mem.peak_kb / 1024, 1),
        "peak_parent_mb": round(mem.peak_parent_kb / 1024, 1),
        "peak_workers_mb": round(mem.peak_workers_kb / 1024, 1),
        "peak_pss_mb": round(mem.peak_pss_kb / 1024, 1),
        "memory_growth": growth,
        "workers": settings.ingest_workers,
        "ingest_facts": settings.ingest_facts,
        "articles_with_facts": with_facts,
        "stage_ms_per_article": {k: round(v, 2) for k, v in stages.items()},
        "accounting_ms_per_article": accounting,
        "targets": {"sentences_per_s": 600, "peak_memory_mb": 1024},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))

    table = Table(title="ingest: AllSides, end to end into a fresh SQLite store")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_row("articles", str(report.read), "")
    table.add_row("sentences", str(report.sentences), "")
    table.add_row(
        "new / duplicates / near-copies / failed",
        f"{report.new} / {report.duplicates} / {report.near_duplicates} / {report.failed}",
        "",
    )
    table.add_row("stories", str(stories), "")
    table.add_row("articles stored with their facts (ingest_facts)", f"{with_facts} ({settings.ingest_facts})", "")
    table.add_row("articles/s", f"{result['articles_per_s']}", "14")
    table.add_row("sentences/s", f"{result['sentences_per_s']}", "600")
    table.add_row("peak memory (MB, all processes)", f"{result['peak_memory_mb']}", "1024")
    table.add_row("  of which this process (peak)", f"{result['peak_parent_mb']}", "")
    table.add_row("  of which workers (peak, summed)", f"{result['peak_workers_mb']}", "")
    table.add_row("peak proportional set size (MB, all processes)", f"{result['peak_pss_mb']}", "1024")
    for k, v in stages.items():
        table.add_row(f"stage: {k} (ms/article, timed during the run)", f"{v:.2f}", "")
    Console().print(table)
    print_accounting(accounting)


if __name__ == "__main__":
    main()
