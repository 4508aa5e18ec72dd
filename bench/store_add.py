"""Store write throughput: how many articles/s ``Store.add`` sustains, SQLite and PostgreSQL.

    python bench/store_add.py                         # 2,000 AllSides articles, batches of 64
    python bench/store_add.py --limit 10000 --batch 256
    CORROBORATOR_TEST_PG=postgresql://... python bench/store_add.py   # also PostgreSQL (or --pg URL)

Real AllSides texts (../shared/corpus/allsides), split into sentences with a plain regex (the store does
not care how spans were found), each with a 512-d float32 vector and a 128-value MinHash: what ingest
hands the store. Only ``add`` is timed; building the items is not. PostgreSQL runs in a fresh schema
that is dropped afterwards. Writes bench/results/store_add.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import re
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.model import AnalysedArticle, Article, Sentence  # noqa: E402
from corroborator.store import open_store  # noqa: E402

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def load_items(shared: Path, limit: int) -> list[AnalysedArticle]:
    shards = sorted((shared / "corpus" / "allsides" / "articles").glob("articles-*.jsonl.xz"))
    if not shards:
        raise SystemExit(f"no AllSides shards under {shared}/corpus/allsides/articles")
    rng = np.random.default_rng(0)
    items: list[AnalysedArticle] = []
    seen: set[str] = set()
    for shard in shards:
        with lzma.open(shard, "rt", encoding="utf-8") as src:
            for line in src:
                rec = json.loads(line)
                text = (rec.get("content_original") or "").replace("\x00", "")
                if len(text) < 200:
                    continue
                art = Article.create(text, source=rec.get("source"), title=rec.get("title"), url=rec.get("url"))
                if art.id in seen:
                    continue
                seen.add(art.id)
                sents = tuple(
                    Sentence(art.id, i, m.start(), m.end(), m.group())
                    for i, m in enumerate(m for m in _SENTENCE.finditer(text) if m.group().strip())
                )
                vec = rng.standard_normal(512).astype(np.float32)
                vec /= np.linalg.norm(vec)
                items.append(
                    AnalysedArticle(
                        art,
                        sents,
                        vector=tuple(vec.tolist()),
                        minhash=tuple(rng.integers(0, 2**32 - 1, 128).tolist()),
                        lead_entities=("Example Entity",),
                    )
                )
                if len(items) >= limit:
                    return items
    return items


def _server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by a local PostgreSQL backend process (0 when it cannot be read)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(location: str, items: list[AnalysedArticle], batch: int) -> dict[str, float]:
    with open_store(location) as store:
        writer = getattr(store, "_writer", None)
        pid = writer.info.backend_pid if store.backend == "postgres" and writer is not None else None
        server_before = _server_cpu(pid)
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in track(range(0, len(items), batch), description=f"add -> {store.backend}", transient=True):
            outcomes = store.add(items[i : i + batch])
            assert all(o == "new" for o in outcomes), outcomes
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started + _server_cpu(pid) - server_before
        assert store.count_articles() == len(items)
        backend = store.backend
    sentences = sum(len(i.sentences) for i in items)
    return {
        "backend": backend,
        "articles": len(items),
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(items) / seconds, 1),
        "sentences_per_s": round(sentences / seconds, 1),
        # Client + server CPU: what one free core would sustain, independent of how loaded the machine is.
        "cpu_seconds": round(cpu, 3),
        "articles_per_cpu_s": round(len(items) / cpu, 1) if cpu else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64, help="articles per add() call (ingest_batch)")
    parser.add_argument("--pg", default=os.environ.get("CORROBORATOR_TEST_PG", ""), help="PostgreSQL URL")
    args = parser.parse_args()

    console = Console()
    items = load_items(args.shared, args.limit)
    mean_sentences = sum(len(i.sentences) for i in items) / max(1, len(items))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run(str(Path(tmp) / "bench.db"), items, args.batch))
    if args.pg:
        import psycopg

        schema = "bench_" + uuid.uuid4().hex[:10]
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            joiner = "&" if "?" in args.pg else "?"
            results.append(run(f"{args.pg}{joiner}options=-csearch_path%3D{schema}", items, args.batch))
        finally:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")

    table = Table(
        title=f"Store.add: {len(items)} AllSides articles, {mean_sentences:.1f} sentences each, "
        f"512-d vectors, batches of {args.batch}"
    )
    for col in ("backend", "articles/s", "sentences/s", "seconds", "CPU s (client+server)", "articles/CPU-s"):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(
            r["backend"],
            f"{r['articles_per_s']:,.0f}",
            f"{r['sentences_per_s']:,.0f}",
            f"{r['seconds']}",
            f"{r['cpu_seconds']}",
            f"{r['articles_per_cpu_s']:,.0f}",
        )
    console.print(table)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = REPO / "bench" / "results" / "store_add.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "articles": len(items),
                "mean_sentences": round(mean_sentences, 1),
                "batch": args.batch,
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg()[0],
                "peak_rss_mb": round(peak_mb, 1),
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"wrote {out.relative_to(REPO)} (peak RSS {peak_mb:.0f} MB)")


if __name__ == "__main__":
    main()
