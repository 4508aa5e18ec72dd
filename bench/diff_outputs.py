"""Same outputs before and after a restructuring: the comparison JSON of fixed inputs, diffed.

    python bench/diff_outputs.py record --out bench/results/outputs_before.json   # snapshot the code at hand
    python bench/diff_outputs.py                                                  # regenerate now and diff
    PYTHONPATH=/tmp/before/src python bench/diff_outputs.py record --src /tmp/before/src --out ...

The inputs are the two seed reports (../shared/corpus/seeds), each example story in examples/ and the
first few BASIL triplets (Fox, NYT, HuffPost on one event). Each is compared with default settings and
rendered as the versioned JSON document; the `schema` field is ignored (its version may change on
purpose) and the document holds no timings. `record` writes the documents; the default command
regenerates them with the code at hand and reports, per input, how many JSON leaves differ and the
first few paths. A difference is reported, not fatal: some changes are intended (a better entailment
model changes conflicts). The baseline in the same run is the current code run twice on the seeds,
which must give zero differences (the comparison is deterministic).

Writes bench/results/diff_outputs.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
IGNORED_KEYS = frozenset({"schema"})


def _load_bench_compare() -> Any:
    # bench/compare.py owns the BASIL triplet loader; load it by path (bench is not a package).
    spec = importlib.util.spec_from_file_location("bench_compare", REPO / "bench" / "compare.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inputs(shared: Path, basil_triplets: int) -> dict[str, list[Any]]:
    """Input name -> its articles, read with the library's own readers."""
    from corroborator.errors import InputError
    from corroborator.ingest import read_paths
    from corroborator.settings import Settings

    settings = Settings()
    groups: dict[str, list[Path]] = {}
    seeds = shared / "corpus" / "seeds"
    if seeds.is_dir():
        groups["seeds"] = sorted(seeds.glob("*.txt"))
    for story in sorted(p for p in (REPO / "examples").iterdir() if p.is_dir()):
        files = sorted(f for f in story.iterdir() if f.suffix in {".md", ".txt", ".html", ".json"})
        if len(files) >= 2:
            groups[f"examples/{story.name}"] = files
    out: dict[str, list[Any]] = {}
    for name, files in groups.items():
        articles = []
        for item in read_paths(files, settings):
            if isinstance(item, InputError):
                print(f"skipped: {item}", file=sys.stderr)
            else:
                articles.append(item)
        out[name] = articles
    basil = shared / "corpus" / "basil"
    if basil.is_dir() and basil_triplets:
        triplets = _load_bench_compare().load_triplets(basil)
        for key in sorted(triplets)[:basil_triplets]:
            out[f"basil/{key}"] = triplets[key]
    return out


def documents(named: dict[str, list[Any]], overrides: dict[str, str] | None = None) -> dict[str, Any]:
    from rich.progress import track

    from corroborator.compare import compare_articles
    from corroborator.render import render_json
    from corroborator.settings import Settings

    # Overrides only when given: the code being recorded may predate a setting.
    settings = Settings().with_overrides(overrides) if overrides else None
    docs: dict[str, Any] = {}
    for name in track(list(named), description="comparing"):
        docs[name] = json.loads(render_json(compare_articles(named[name], settings=settings)))
    return docs


def diff(a: Any, b: Any, path: str = "$") -> list[str]:
    """JSON paths where two documents differ (keys in IGNORED_KEYS skipped at every level)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            if key in IGNORED_KEYS:
                continue
            if key not in a or key not in b:
                out.append(f"{path}.{key} ({'added' if key not in a else 'removed'})")
            else:
                out.extend(diff(a[key], b[key], f"{path}.{key}"))
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = [] if len(a) == len(b) else [f"{path} (length {len(a)} -> {len(b)})"]
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            out.extend(diff(x, y, f"{path}[{i}]"))
        return out
    if isinstance(a, float) and isinstance(b, float) and abs(a - b) <= 1e-9 * max(1.0, abs(a)):
        return []
    return [] if a == b else [f"{path}: {json.dumps(a)[:60]} -> {json.dumps(b)[:60]}"]


def _commit(src: Path) -> str:
    """The commit of the checkout that holds ``src`` (uncommitted edits not counted)."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=src, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="diff the comparison JSON of fixed inputs before/after a change")
    parser.add_argument("command", nargs="?", choices=("diff", "record"), default="diff")
    parser.add_argument("--src", type=Path, default=REPO / "src", help="package source to import (record)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--basil", type=int, default=4, help="BASIL triplets to include")
    parser.add_argument("--before", type=Path, default=REPO / "bench" / "results" / "outputs_before.json")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        help="setting override name=value for the run now (e.g. compare_entailment=false to leave out the "
        "entailment model and see what the restructuring alone changed)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.src))
    from rich.console import Console
    from rich.table import Table

    import corroborator

    console = Console(width=120)
    console.print(f"package: {Path(corroborator.__file__).parent}")
    started = time.perf_counter()
    named = inputs(args.shared, args.basil)
    if args.command == "record":
        docs = documents(named)
        out = args.out or args.before
        out.parent.mkdir(parents=True, exist_ok=True)
        record = {"package": str(Path(corroborator.__file__).parent), "commit": _commit(args.src), "documents": docs}
        out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        console.print(f"recorded {len(docs)} documents in {out} ({time.perf_counter() - started:.0f} s)")
        return 0

    if not args.before.exists():
        console.print(f"[red]{args.before}: no recorded outputs; run `record` first[/]")
        return 2
    before = json.loads(args.before.read_text(encoding="utf-8"))
    overrides = dict(pair.split("=", 1) for pair in args.overrides)
    docs = documents(named, overrides)
    # Baseline: the same code twice on the seeds must agree with itself.
    baseline_name = "seeds" if "seeds" in named else next(iter(named))
    again = documents({baseline_name: named[baseline_name]}, overrides)[baseline_name]
    baseline = diff(docs[baseline_name], again)
    settings_note = f", now with {', '.join(args.overrides)}" if args.overrides else ""
    table = Table(title=f"comparison JSON: {before.get('commit', '?')} (before) vs working tree (now{settings_note})")
    for col in ("input", "claims before", "claims now", "conflicts before", "conflicts now", "differing leaves"):
        table.add_column(col, justify="left" if col == "input" else "right")
    rows: dict[str, Any] = {}
    for name in sorted(set(docs) | set(before["documents"])):
        old, new = before["documents"].get(name), docs.get(name)
        if old is None or new is None:
            rows[name] = {"missing": "before" if old is None else "now"}
            table.add_row(name, "-", "-", "-", "-", f"only {'now' if old is None else 'before'}")
            continue
        paths = diff(old, new)
        rows[name] = {
            "claims": [len(old["claims"]), len(new["claims"])],
            "conflicts": [len(old["conflicts"]), len(new["conflicts"])],
            "differences": len(paths),
            "first_differences": paths[:20],
        }
        table.add_row(
            name,
            str(len(old["claims"])),
            str(len(new["claims"])),
            str(len(old["conflicts"])),
            str(len(new["conflicts"])),
            str(len(paths)),
        )
    table.add_row(f"baseline: {baseline_name} twice", "", "", "", "", str(len(baseline)))
    console.print(table)
    for name, row in rows.items():
        for line in row.get("first_differences", [])[:5]:
            console.print(f"  {name}: {line}", highlight=False, markup=False)
    result = {
        "before_commit": before.get("commit"),
        "now_commit": _commit(args.src),
        "overrides": overrides,
        "inputs": rows,
        "baseline_self_differences": len(baseline),
        "identical": all(r.get("differences", 1) == 0 for r in rows.values()),
        "seconds": round(time.perf_counter() - started, 1),
    }
    suffix = "_" + "_".join(p.replace("=", "-") for p in args.overrides) if args.overrides else ""
    out = args.out or REPO / "bench" / "results" / f"diff_outputs{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
