"""Comparison speed, memory and robustness on real reports, beside the last release's code.

    python bench/compare.py                      # cold + warm timing (5 runs each, both revisions) + 50 BASIL triplets
    python bench/compare.py --repeat 3 --limit 5 # a quicker run
    python bench/compare.py --baseline none      # this checkout only

1. Cold: ``corroborator compare A B -f json`` as a user runs it, a fresh process each time (interpreter,
   imports, model loads, the comparison, rendering): wall seconds, CPU seconds and the child's peak RSS
   (``os.wait4``), median of ``--repeat`` runs. A and B are two real BASIL articles on one event, the pair
   whose lengths are closest to ~1,000 words each. Targets: 1.5 s wall, 400 MB.
2. Warm: the same pair through the Python API in one process whose models are loaded (sentences, facts
   and vectors computed anew each time), median of ``--repeat`` runs. Target: 0.3 s.
   Both run for this checkout and for ``--baseline`` (default: the last release, the previous round's
   head), their runs interleaved so machine load drifts over both alike; the JSON keeps every run.
3. Profile: where a cold run's time goes (imports, each model's load, each stage), this checkout only.
4. Robustness: all 50 BASIL triplets compared end to end in one process (models warm): errors, seconds per
   triplet, and what the comparisons found.

Writes bench/results/compare.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
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

import baseline as baseline_code  # noqa: E402
from corroborator.model import Article  # noqa: E402

RELEASE = "aebf0e6"  # the last release: the previous round's head
COLD_TARGET_S, COLD_TARGET_MB, WARM_TARGET_S = 1.5, 400.0, 0.3


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


def _env(src: Path) -> dict[str, str]:
    # PYTHONPATH comes before the editable install's path entry: the child runs ``src``'s code.
    return {**os.environ, "PYTHONPATH": str(src), "HF_HUB_OFFLINE": "1"}


def cold_run(src: Path, files: list[Path], out: Path) -> dict[str, float]:
    """One ``corroborator compare A B -f json`` in a fresh process: wall, CPU and peak RSS of the child."""
    cmd = [sys.executable, "-m", "corroborator", "compare", *map(str, files), "-f", "json", "-o", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=_env(src), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{src}: compare failed: {err.strip().splitlines()[-1:]}")
    doc = json.loads(out.read_text(encoding="utf-8"))
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "claims": len(doc.get("claims", [])),
        "conflicts": len(doc.get("conflicts", [])),
    }


_WARM = """
import json, resource, statistics, sys, time
t0 = time.perf_counter()
from pathlib import Path
from corroborator.model import Article
from corroborator.compare import compare_articles
t_import = time.perf_counter() - t0
files, repeat = sys.argv[1:-1], int(sys.argv[-1])
arts = [Article.create(Path(f).read_text(encoding="utf-8"), source=Path(f).stem) for f in files]
t = time.perf_counter()
first = compare_articles(arts)
first_s = time.perf_counter() - t
runs, stages = [], []
for _ in range(repeat):
    t = time.perf_counter()
    c = compare_articles(arts)
    runs.append(time.perf_counter() - t)
    stages.append(c.timings)
print(json.dumps({
    "import_s": t_import, "first_s": first_s, "first_stages_s": first.timings,
    "runs_s": runs, "stages_s": stages, "median_s": statistics.median(runs),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def warm_runs(src: Path, files: list[Path], repeat: int) -> dict[str, Any]:
    """The pair compared ``repeat`` times through the Python API in one process, after a first comparison."""
    proc = subprocess.run(
        [sys.executable, "-c", _WARM, *map(str, files), str(repeat)],
        env=_env(src),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{src}: warm run failed: {proc.stderr.strip().splitlines()[-1:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


_PROFILE = """
import json, sys, time
laps = {}
t = time.perf_counter()
def lap(name):
    global t
    now = time.perf_counter()
    laps[name] = round(now - t, 3)
    t = now
import numpy
lap("import numpy")
import spacy
lap("import spacy")
import corroborator.cli
lap("import corroborator (cli, compare, text)")
from pathlib import Path
from corroborator.model import Article
from corroborator.compare import compare_articles
from corroborator.text import nlp
nlp._load(nlp._SHARED)
lap("load spaCy pipeline (senter + NER)")
from corroborator.embed import get_encoder
enc = get_encoder(); enc.encode(["warm up"])
lap("load sentence encoder (USE)")
from corroborator.compare.alignment.judge import default_judge
judge = default_judge()
lap("load pair judge (MiniLM ONNX + heads)")
from corroborator.entail import default_entailment_model
default_entailment_model()
lap("load entailment model (ONNX)")
arts = [Article.create(Path(f).read_text(encoding="utf-8"), source=Path(f).stem) for f in sys.argv[1:]]
c = compare_articles(arts)
lap("compare, models loaded")
print(json.dumps({"laps": laps, "stages": c.timings}))
"""


def profile_run(src: Path, files: list[Path]) -> dict[str, Any]:
    """A cold process's time, step by step: imports, each model's load (one after another), each stage."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROFILE, *map(str, files)], env=_env(src), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"profile run failed: {proc.stderr.strip().splitlines()[-1:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def latency(a: Article, b: Article, revisions: dict[str, Path], repeat: int, console: Console) -> dict[str, Any]:
    """Cold and warm runs of every revision, interleaved, with their medians against the targets."""
    with tempfile.TemporaryDirectory(prefix="corroborator-bench-") as folder:
        return _latency_in(Path(folder), a, b, revisions, repeat, console)


def _latency_in(
    tmp: Path, a: Article, b: Article, revisions: dict[str, Path], repeat: int, console: Console
) -> dict[str, Any]:
    files = []
    for art, name in ((a, "a"), (b, "b")):
        path = tmp / f"{name}.txt"
        # The title as the first line: the reader takes it as the title, as from any text file.
        path.write_text(f"{art.title or ''}\n\n{art.text}", encoding="utf-8")
        files.append(path)
    cold: dict[str, list[dict[str, float]]] = {label: [] for label in revisions}
    for _ in track(range(repeat), description="cold compares (fresh processes)", console=console):
        for label, src in revisions.items():
            cold[label].append(cold_run(src, files, tmp / f"{label}.json"))
    warm = {label: warm_runs(src, files, repeat) for label, src in revisions.items()}
    out: dict[str, Any] = {"articles": [a.external_id, b.external_id], "words": [words(a), words(b)]}
    for label in revisions:
        runs = cold[label]
        out[label] = {
            "cold_runs": runs,
            "cold_wall_s": statistics.median(r["wall_s"] for r in runs),
            "cold_cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "cold_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
            "warm": warm[label],
            "warm_s": round(warm[label]["median_s"], 3),
            "claims": runs[0]["claims"],
            "conflicts": runs[0]["conflicts"],
        }
    out["targets"] = {"cold_wall_s": COLD_TARGET_S, "cold_peak_rss_mb": COLD_TARGET_MB, "warm_s": WARM_TARGET_S}
    out["profile"] = profile_run(revisions["this checkout"], files)
    out["load_average_1min"] = round(os.getloadavg()[0], 2)
    return out


def print_latency(result: dict[str, Any], labels: list[str], console: Console) -> None:
    t = Table(
        title=f"corroborator compare A B ({result['words'][0]} + {result['words'][1]} words, BASIL), "
        f"median of {len(result[labels[0]]['cold_runs'])} runs"
    )
    for col in ("code", "cold wall s", "cold CPU s", "cold peak MB", "warm s", "claims", "conflicts"):
        t.add_column(col, justify="left" if col == "code" else "right")
    for label in labels:
        r = result[label]
        t.add_row(
            label,
            f"{r['cold_wall_s']:.2f}",
            f"{r['cold_cpu_s']:.2f}",
            f"{r['cold_peak_rss_mb']:.0f}",
            f"{r['warm_s']:.2f}",
            str(r["claims"]),
            str(r["conflicts"]),
        )
    t.add_row("target", f"{COLD_TARGET_S}", "", f"{COLD_TARGET_MB:.0f}", f"{WARM_TARGET_S}", "", "")
    console.print(t)
    prof = result["profile"]
    p = Table(title="Where a cold run's time goes (this checkout; loads one after another, s)")
    p.add_column("step")
    p.add_column("s", justify="right")
    for name, sec in prof["laps"].items():
        p.add_row(name, f"{sec:.2f}")
    for name, sec in prof["stages"].items():
        p.add_row(f"  stage: {name}", f"{sec:.2f}")
    console.print(p)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="corroborator compare: latency and BASIL robustness")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=0, help="only the first N BASIL triplets")
    parser.add_argument("--repeat", type=int, default=5, help="cold runs and warm runs per revision (medians)")
    parser.add_argument("--baseline", default=RELEASE, help="git revision to time beside this checkout, or none")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-basil", action="store_true", help="timings only, no BASIL robustness run")
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
        revisions = {"this checkout": REPO / "src"}
        if args.baseline != "none":
            revisions = {f"release {args.baseline}": baseline_code.extract(args.baseline), **revisions}
        result["latency"] = latency(a, b, revisions, args.repeat, console)
        print_latency(result["latency"], list(revisions), console)
    if args.skip_basil:
        return _write(result, args.out, console, errors=0)

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
    return _write(result, args.out, console, errors=len(errors))


def _write(result: dict[str, Any], out: Path, console: Console, errors: int) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    console.print(f"wrote {out}")
    return 1 if errors else 0


def _cores() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    raise SystemExit(main())
