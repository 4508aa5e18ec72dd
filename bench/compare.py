"""Comparison speed and robustness on real reports.

    python bench/compare.py                 # fresh-process timing + the 50 BASIL triplets
    python bench/compare.py --limit 5       # a quick slice of triplets
    python bench/compare.py --repeat 3      # fresh-process timing repeated, median reported

1. Latency: two real BASIL articles on one event, the pair whose lengths are closest to ~1,000 words
   each (Fox / NYT / HuffPost), compared in a FRESH Python process: interpreter start, imports, model
   loading (spaCy for facts, the sentence encoder, the pair judge) and the comparison itself, all
   counted. Target: under 2 s on the development machine. Then the same pair again in that process with
   the models warm (sentences, facts and vectors recomputed): target under 1.5 s.
2. Robustness: all 50 BASIL triplets (Fox, NYT, HuffPost on one event) compared end to end in one
   process (models warm): errors counted, seconds per triplet, and what the comparisons found (claims,
   corroborated share, contradictions, precision-only differences, rewrites flagged).

Writes bench/results/compare.json; peak memory is ru_maxrss of this process and of the child.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import traceback
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.model import Article  # noqa: E402


def load_triplets(basil: Path) -> dict[str, list[Article]]:
    """BASIL events -> their articles (Fox, NYT, HuffPost), text = body paragraphs."""
    triplets: dict[str, list[Article]] = defaultdict(list)
    for path in sorted((basil / "articles").glob("*/*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        text = "\n\n".join(" ".join(p) for p in d["body-paragraphs"])
        published = datetime.fromisoformat(d["date"]) if d.get("date") else None
        triplets[d["triplet-uuid"]].append(
            Article.create(
                text,
                source={"fox": "Fox News", "nyt": "New York Times", "hpo": "HuffPost"}.get(d["source"], d["source"]),
                title=d.get("title"),
                url=d.get("url"),
                published=published,
                external_id=path.stem,
                origin=str(path),
            )
        )
    return dict(triplets)


def words(a: Article) -> int:
    return len(a.text.split())


def pick_pair(triplets: dict[str, list[Article]], target: int = 1000) -> tuple[Article, Article]:
    best: tuple[float, Article, Article] | None = None
    for arts in triplets.values():
        for i in range(len(arts)):
            for j in range(i + 1, len(arts)):
                cost = abs(words(arts[i]) - target) + abs(words(arts[j]) - target)
                if best is None or cost < best[0]:
                    best = (cost, arts[i], arts[j])
    assert best is not None
    return best[1], best[2]


_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {src!r})
from corroborator.model import Article
from corroborator.compare import compare_articles
t_import = time.perf_counter()
docs = json.loads(sys.stdin.read())
arts = [Article.create(d["text"], source=d["source"]) for d in docs]
c = compare_articles(arts)
t_done = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
cold_cpu = usage.ru_utime + usage.ru_stime
# The same pair again in this process: models warm, sentences, facts and vectors computed anew.
warm = compare_articles(arts)
t_warm = time.perf_counter()
print(json.dumps({{
    "warm_s": t_warm - t_done,
    "cold_cpu_s": cold_cpu,
    "warm_stages_s": warm.timings,
    "import_s": t_import - t0,
    "compare_s": t_done - t_import,
    "in_process_s": t_done - t0,
    "claims": len(c.claims),
    "conflicts": len(c.conflicts),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "stages_s": c.timings,
}}))
"""


def fresh_process_run(a: Article, b: Article) -> dict[str, Any]:
    payload = json.dumps([{"text": a.text, "source": a.source}, {"text": b.text, "source": b.source}])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD.format(src=str(REPO / "src"))],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"child failed: {proc.stderr.strip().splitlines()[-1:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The child compares the pair twice (cold, then warm): the cold figures stop before the warm run.
    out["wall_s"] = wall - out["warm_s"]
    # CPU seconds of the cold run: on a shared, loaded machine a steadier measure than wall time.
    out["cpu_s"] = out.pop("cold_cpu_s")
    out["child_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="corroborator compare: latency and BASIL robustness")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=0, help="only the first N BASIL triplets")
    parser.add_argument("--repeat", type=int, default=1, help="fresh-process runs (median reported)")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "compare.json")
    args = parser.parse_args(argv)
    console = Console()
    basil = args.shared / "corpus" / "basil"
    if not basil.exists():
        console.print(f"[red]needs {basil} (the team's shared data)[/]")
        return 2
    triplets = load_triplets(basil)
    result: dict[str, Any] = {"machine_cores": _cores()}

    if not args.skip_latency:
        a, b = pick_pair(triplets)
        runs = [fresh_process_run(a, b) for _ in track(range(args.repeat), description="fresh-process runs")]
        wall = statistics.median(r["wall_s"] for r in runs)
        result["latency"] = {
            "articles": [a.external_id, b.external_id],
            "words": [words(a), words(b)],
            "runs": runs,
            "median_wall_s": round(wall, 3),
            "median_cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 3),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "target_s": 2.0,
            "meets_target": wall < 2.0,
            "median_warm_s": round(statistics.median(r["warm_s"] for r in runs), 3),
            "warm_target_s": 1.5,
        }
        t = Table(
            title=f"Two ~1,000-word BASIL articles ({a.source} / {b.source}), fresh process, model loading included"
        )
        for col in (
            "words",
            "wall s",
            "CPU s",
            "import s",
            "compare s",
            "warm s",
            "claims",
            "conflicts",
            "child RSS MB",
        ):
            t.add_column(col)
        for r in runs:
            t.add_row(
                f"{words(a)} + {words(b)}",
                f"{r['wall_s']:.2f}",
                f"{r['cpu_s']:.2f}",
                f"{r['import_s']:.2f}",
                f"{r['compare_s']:.2f}",
                f"{r['warm_s']:.2f}",
                str(r["claims"]),
                str(r["conflicts"]),
                f"{r['peak_rss_mb']:.0f}",
            )
        console.print(t)
        stages = Table(
            title="Fresh-process time by stage (s, first run; a model loads in the stage that first needs it)"
        )
        stages.add_column("stage")
        stages.add_column("cold s", justify="right")
        stages.add_column("warm s", justify="right")
        stages.add_row("interpreter + imports", f"{runs[0]['import_s']:.2f}", "")
        for name, sec in runs[0]["stages_s"].items():
            stages.add_row(name, f"{sec:.2f}", f"{runs[0]['warm_stages_s'].get(name, 0.0):.2f}")
        console.print(stages)

    from corroborator.compare import compare_articles
    from corroborator.compare.lineage import is_rewrite

    keys = sorted(triplets)
    if args.limit:
        keys = keys[: args.limit]
    # Load the models before timing so per-triplet times are the steady state.
    warm = time.perf_counter()
    first = triplets[keys[0]]
    compare_articles(first[:2])
    warm_s = time.perf_counter() - warm
    rows = []
    errors = []
    for key in track(keys, description="BASIL triplets"):
        arts = triplets[key]
        t0 = time.perf_counter()
        try:
            c = compare_articles(arts)
        except Exception as exc:  # the bench counts failures instead of stopping
            errors.append({"triplet": key, "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()})
            continue
        dt = time.perf_counter() - t0
        statuses = [s.status for s in c.statuses.values()]
        rows.append(
            {
                "triplet": key,
                "seconds": round(dt, 3),
                "words": sum(words(a) for a in arts),
                "claims": len(c.claims),
                "corroborated": statuses.count("corroborated"),
                "disputed": statuses.count("disputed"),
                "single_source": statuses.count("single-source"),
                "contradictions": sum(1 for x in c.conflicts if not x.precision_only),
                "precision_only": sum(1 for x in c.conflicts if x.precision_only),
                "conflict_kinds": sorted({x.kind for x in c.conflicts}),
                "rewrites": sum(1 for d in c.derivations if is_rewrite(d)),
                "brief_sentences": len(c.brief.sentences),
                "uncited_brief_sentences": sum(1 for s in c.brief.sentences if not s.citations),
            }
        )
    secs = [r["seconds"] for r in rows]
    result["basil"] = {
        "triplets": len(keys),
        "errors": len(errors),
        "error_details": errors,
        "model_warmup_s": round(warm_s, 3),
        "seconds_per_triplet_mean": round(statistics.mean(secs), 3) if secs else None,
        "seconds_per_triplet_median": round(statistics.median(secs), 3) if secs else None,
        "seconds_per_triplet_max": round(max(secs), 3) if secs else None,
        "words_per_second": round(sum(r["words"] for r in rows) / sum(secs), 1) if secs else None,
        "claims_mean": round(statistics.mean(r["claims"] for r in rows), 1) if rows else None,
        "corroborated_share": round(sum(r["corroborated"] for r in rows) / max(1, sum(r["claims"] for r in rows)), 4),
        "contradictions_per_triplet": round(statistics.mean(r["contradictions"] for r in rows), 2) if rows else None,
        "precision_only_per_triplet": round(statistics.mean(r["precision_only"] for r in rows), 2) if rows else None,
        "rewrites_flagged": sum(r["rewrites"] for r in rows),
        "uncited_brief_sentences": sum(r["uncited_brief_sentences"] for r in rows),
        "rows": rows,
    }
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    b = result["basil"]
    t = Table(title=f"BASIL triplets (Fox / NYT / HuffPost), {len(keys)} events, models warm")
    t.add_column("measure")
    t.add_column("value", justify="right")
    for label, value in (
        ("errors", b["errors"]),
        ("seconds per triplet, mean", b["seconds_per_triplet_mean"]),
        ("seconds per triplet, median", b["seconds_per_triplet_median"]),
        ("seconds per triplet, max", b["seconds_per_triplet_max"]),
        ("words per second", b["words_per_second"]),
        ("claims per triplet", b["claims_mean"]),
        ("corroborated share of claims", f"{b['corroborated_share']:.1%}"),
        ("contradictions per triplet", b["contradictions_per_triplet"]),
        ("precision-only differences per triplet", b["precision_only_per_triplet"]),
        ("article pairs flagged as rewrites", b["rewrites_flagged"]),
        ("brief sentences without a citation", b["uncited_brief_sentences"]),
        ("model warm-up (first comparison) s", b["model_warmup_s"]),
        ("peak RSS MB", result["peak_rss_mb"]),
    ):
        t.add_row(label, str(value))
    console.print(t)
    for err in errors[:5]:
        console.print(f"[red]error[/] {err['triplet']}: {err['error']}", markup=True, highlight=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    console.print(f"wrote {args.out}")
    return 1 if errors else 0


def _cores() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main())
