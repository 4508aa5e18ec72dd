"""`corroborator batch` on Spark (local mode) against the single-machine pipeline, at growing volume.

    python bench/spark.py                          # 200 AllSides articles x 1, 10, 50
    python bench/spark.py --base 40 --scales 1,10  # what fits a busy 2-core machine

Real AllSides articles (shard 00, in order) are replicated to each volume: copy k of an article carries
a line "(copy k)" under its text, so it has its own id and is a near-copy of the original (as wire copies
in a crawl are). Each (engine, volume) runs in its own process, so its peak memory is its own: for the
local engine the largest resident set of the process and its analysis workers; for Spark the per-executor
peaks from Spark's event log (JVM heap, Python worker RSS) and the per-partition peak RSS of the Python
workers. Also: time, articles/s, shuffle bytes, per-partition costs (seconds and items per task of each
stage) and how far Spark's stories are from the single-machine ones (B-cubed F1; links and articles
compared too). Writes bench/results/spark.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
console = Console(stderr=True)


def write_input(shared: Path, base: int, scale: int, out: Path) -> int:
    shard = shared / "corpus" / "allsides" / "articles" / "articles-00.jsonl.xz"
    records = []
    with lzma.open(shard, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("content_original"):
                records.append(rec)
            if len(records) >= base:
                break
    n = 0
    with out.open("w", encoding="utf-8") as dst:
        for k in range(scale):
            for rec in records:
                text = rec["content_original"] + (f"\n\n(copy {k})" if k else "")
                slim = {
                    "id": f"{rec['ID']}-{k}",
                    "title": rec.get("title"),
                    "source": rec.get("source"),
                    "url": rec.get("url"),
                    "date": rec.get("date"),
                    "authors": rec.get("authors"),
                    "text": text,
                }
                dst.write(json.dumps(slim) + "\n")
                n += 1
    return n


def one(engine: str, src: Path, out: Path, master: str, partitions: int | None, compare_limit: int) -> dict[str, Any]:
    """Run one engine in this process; the parent measures memory."""
    from corroborator.scale import run_batch
    from corroborator.settings import Settings

    options: dict[str, Any] = {"partitions": partitions} if engine == "spark" else {}
    started = time.perf_counter()
    report = run_batch(
        [str(src)], out, Settings(), engine=engine, master=master, compare_limit=compare_limit, **options
    )
    d = report.as_dict()
    d["wall_s"] = round(time.perf_counter() - started, 3)
    d["errors"] = d["errors"][:5]
    return d


def _rss_sampler(pid: int) -> int:
    """Largest resident set (KB) over a process tree, from /proc (children included)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if _descends(int(entry), pid):
                with open(f"/proc/{entry}/status") as fh:
                    for line in fh:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total


def _descends(pid: int, root: int) -> bool:
    seen = 0
    while pid > 1 and seen < 64:
        if pid == root:
            return True
        try:
            with open(f"/proc/{pid}/stat") as fh:
                pid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return False
        seen += 1
    return False


def run_child(args: list[str], timeout: float) -> tuple[dict[str, Any] | None, int, float]:
    """(report, peak KB of the process tree, seconds) of one child run."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        result = Path(tmp.name)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--one", *args, "--result", str(result)])
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _rss_sampler(proc.pid))
        if time.perf_counter() - started > timeout:
            proc.kill()
            proc.wait()
            return None, peak, time.perf_counter() - started
        time.sleep(1.0)
    seconds = time.perf_counter() - started
    if proc.returncode != 0 or not result.exists() or not result.stat().st_size:
        return None, peak, seconds
    data = json.loads(result.read_text())
    result.unlink()
    return data, peak, seconds


def summarise_partitions(parts: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for stage in sorted({p["stage"] for p in parts}):
        ps = [p for p in parts if p["stage"] == stage and p["items"]]
        if not ps:
            continue
        items = sum(p["items"] for p in ps)
        secs = sum(p["seconds"] for p in ps)
        out[stage] = {
            "partitions": len(ps),
            "items": items,
            "seconds": round(secs, 2),
            "ms_per_item": round(1000 * secs / items, 1) if items else 0.0,
            "max_partition_s": round(max(p["seconds"] for p in ps), 2),
            "peak_rss_mb": max(p["peak_rss_mb"] for p in ps),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--base", type=int, default=200, help="AllSides articles at 1x")
    ap.add_argument("--scales", default="1,10,50")
    ap.add_argument("--engines", default="local,spark")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--compare-limit", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per run; a run over it is reported as such")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "spark.json")
    ap.add_argument("--one", nargs=4, metavar=("ENGINE", "SRC", "OUT", "MASTER"), help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        engine, src, out, master = args.one
        data = one(engine, Path(src), Path(out), master, args.partitions, args.compare_limit)
        args.result.write_text(json.dumps(data, default=str))
        return

    from corroborator.scale.agreement import agreement

    scales = [int(s) for s in args.scales.split(",") if s]
    engines = [e for e in args.engines.split(",") if e]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as tmp_s:
        tmp = Path(tmp_s)
        for scale in scales:
            src = tmp / f"allsides-{scale}x.jsonl"
            n = write_input(args.shared, args.base, scale, src)
            outs: dict[str, Path] = {}
            for engine in engines:
                out = tmp / f"out-{engine}-{scale}"
                console.print(f"{engine} {scale}x: {n} articles")
                extra = ["--compare-limit", str(args.compare_limit)]
                if args.partitions:
                    extra += ["--partitions", str(args.partitions)]
                report, peak_kb, secs = run_child([engine, str(src), str(out), args.master, *extra], args.timeout)
                row: dict[str, Any] = {"engine": engine, "scale": scale, "articles_in": n, "seconds": round(secs, 1)}
                row["peak_tree_rss_mb"] = round(peak_kb / 1024, 1)
                if report is None:
                    row["status"] = f"did not finish within {args.timeout:.0f}s (or failed)"
                else:
                    row["status"] = "ok"
                    row["articles_per_s"] = round(n / report["wall_s"], 2) if report["wall_s"] else 0.0
                    row["report"] = report
                    m = report.get("metrics", {})
                    row["shuffle_write_bytes"] = m.get("shuffle_write_bytes")
                    row["shuffle_read_bytes"] = m.get("shuffle_read_bytes")
                    row["executor_peaks"] = m.get("executor_peaks")
                    row["per_partition"] = summarise_partitions(m.get("partitions", []))
                    outs[engine] = out
                rows.append(row)
            if "local" in outs and "spark" in outs:
                diff = agreement(outs["local"], outs["spark"])
                rows[-1]["agreement_with_local"] = {
                    "bcubed": diff["bcubed"],
                    "identical_stories": diff["identical_stories"],
                    "stories": diff["stories"],
                    "articles_only_one_side": len(diff["only_in_a"]) + len(diff["only_in_b"]),
                    "links_differing": len(diff["links_only_in_a"]) + len(diff["links_only_in_b"]),
                    "conflicts": diff["conflicts"],
                    "conflicts_equal": diff["conflicts_equal"],
                }
    table = Table(title=f"batch: AllSides x scale ({args.master}), single machine vs Spark local mode")
    for col in ("engine", "scale", "articles", "seconds", "articles/s", "shuffle MB", "peak MB", "B-cubed vs local"):
        table.add_column(col)
    for r in rows:
        peaks = r.get("executor_peaks") or {}
        py = max((p.get("ProcessTreePythonRSSMemory", 0) for p in peaks.values()), default=0)
        jvm = max((p.get("JVMHeapMemory", 0) for p in peaks.values()), default=0)
        peak = f"{r['peak_tree_rss_mb']:.0f}" + (f" (jvm heap {jvm / 2**20:.0f}, py {py / 2**20:.0f})" if peaks else "")
        agree = r.get("agreement_with_local", {}).get("bcubed", {}).get("f1")
        table.add_row(
            r["engine"],
            f"{r['scale']}x",
            str(r["articles_in"]),
            f"{r['seconds']:.0f}" if r["status"] == "ok" else r["status"],
            str(r.get("articles_per_s", "-")),
            "-" if r.get("shuffle_write_bytes") is None else f"{r['shuffle_write_bytes'] / 2**20:.2f}",
            peak,
            "-" if agree is None else f"{agree:.3f}",
        )
    Console().print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"base": args.base, "master": args.master, "runs": rows}, indent=2, default=str))
    console.print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
