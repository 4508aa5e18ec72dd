"""Benchmark the entailment model against today's judge and rules, on sets it never trained on.

    .venv/bin/python bench/nli.py [--limit N] [--models shipped,fp32,int8pc,...] [--baseline-limit N]

For each model: accuracy and macro-F1 on MNLI dev-matched and SNLI test; contradiction F1 on
breaking-nli-test, FEVER-symmetric (dev + test) and the held-out news contradiction set
(bench/results/nli_news/test.jsonl: whole stories never trained on); agreement of each exported variant
with the fp32 export (share of pairs with the same argmax, max |logit difference|); pairs per second on
one thread. The baseline is what the product used before this model: the pair judge (``same`` ->
entailment) and the typed-fact conflict rules of ``compare`` (a conflict -> contradiction), run on the
first ``--baseline-limit`` pairs of each set (it compares each pair as two one-sentence reports, so it is
slow). Stance and support (FNC-1, QAGS, SummaC) are in bench/check.py.

Writes bench/results/nli.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from corroborator.entail import LABELS, MODEL_FILE, MODEL_META, OnnxEntailment

ROOT = Path(__file__).resolve().parent.parent
NLI = ROOT.parent / "shared" / "datasets" / "nli"
EXPORT = ROOT / "bench" / "results" / "nli" / "export"
NEWS_TEST = ROOT / "bench" / "results" / "nli_news" / "test.jsonl"
console = Console(width=160)

SETS = {
    "mnli-dev-matched": NLI / "mnli-dev-matched.jsonl.xz",
    "snli-test": NLI / "snli-test.jsonl.xz",
    "breaking-nli": NLI / "breaking-nli-test.jsonl.xz",
    "fever-symmetric": (NLI / "fever-symmetric-dev.jsonl.xz", NLI / "fever-symmetric-test.jsonl.xz"),
    "news-heldout": NEWS_TEST,
}
Pair = tuple[str, str, int]


def read_set(source: Path | tuple[Path, ...], limit: int | None) -> list[Pair]:
    paths = source if isinstance(source, tuple) else (source,)
    rows: list[Pair] = []
    for path in paths:
        opener = lzma.open if path.suffix == ".xz" else open
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            for line in handle:
                r = json.loads(line)
                rows.append((r["premise"], r["hypothesis"], LABELS.index(r["label"])))
    if limit and len(rows) > limit:
        # A fixed, label-mixed sample: every k-th row.
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def f1(gold: Sequence[int], pred: Sequence[int], label: int) -> float:
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def scores(gold: Sequence[int], pred: Sequence[int]) -> dict[str, float]:
    present = sorted(set(gold))
    return {
        "accuracy": float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])),
        "macro_f1": float(np.mean([f1(gold, pred, k) for k in present])),
        "contradiction_f1": f1(gold, pred, 2),
        "n": len(gold),
    }


def baseline_predict(pairs: Sequence[tuple[str, str]]) -> list[int]:
    """Today's product before the model: pair judge for 'same', conflict rules for contradictions."""
    from corroborator.compare import compare_articles
    from corroborator.errors import CorroboratorError
    from corroborator.model import Article
    from corroborator.settings import Settings

    rules_only = Settings(compare_entailment=False)
    out = []
    for a, b in track(pairs, description="baseline", console=console):
        try:
            comparison = compare_articles(
                [Article.create(a, source="A"), Article.create(b, source="B")], settings=rules_only
            )
        except CorroboratorError:
            out.append(0)  # one text twice (up to spacing): compare refuses it as one article
            continue
        if comparison.conflicts:
            out.append(2)
        elif any(al.relation == "same" for al in comparison.alignments):
            out.append(0)
        else:
            out.append(1)
    return out


def shipped_version() -> str:
    """The shipped model's version ("v1"), from its pinned metadata."""
    return str(json.loads(MODEL_META.read_text())["name"]).rsplit(".", 1)[1]


def variants(names: Sequence[str]) -> dict[str, Callable[[], OnnxEntailment]]:
    found: dict[str, Callable[[], OnnxEntailment]] = {}
    for name in names:
        if name == "shipped":
            if MODEL_FILE.exists():
                found[name] = OnnxEntailment
        else:
            # "fp32" is a variant of the shipped version's export; "v2.fp32" names another version.
            version, _, variant = name.rpartition(".")
            path = EXPORT / f"nli_minilm_l6_{version or shipped_version()}.{variant}.onnx"
            if path.exists():
                found[name] = lambda path=path: OnnxEntailment(path)  # type: ignore[misc]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="at most N pairs per set (a fixed sample)")
    parser.add_argument(
        "--models", default="shipped,fp32", help="comma-separated: shipped, fp32, int8, int8pc, int8head"
    )
    parser.add_argument("--baseline-limit", type=int, default=150)
    parser.add_argument("--sets", default=",".join(SETS))
    args = parser.parse_args()

    data = {
        name: read_set(SETS[name], args.limit)
        for name in args.sets.split(",")
        if all(p.exists() for p in (SETS[name] if isinstance(SETS[name], tuple) else (SETS[name],)))
    }
    results: dict[str, dict[str, object]] = {}
    logits: dict[str, dict[str, np.ndarray]] = {}
    for vname, factory in variants(args.models.split(",")).items():
        model = factory()
        results[vname] = {"file": str(model.path)}
        logits[vname] = {}
        seconds = 0.0
        n = 0
        for sname, rows in data.items():
            started = time.perf_counter()
            z = np.concatenate(
                [
                    model.logits([(a, b) for a, b, _ in rows[i : i + 256]])
                    for i in track(range(0, len(rows), 256), description=f"{vname} {sname}", console=console)
                ]
            )
            seconds += time.perf_counter() - started
            n += len(rows)
            logits[vname][sname] = z
            results[vname][sname] = scores([g for *_, g in rows], list(z.argmax(axis=1)))
        results[vname]["pairs_per_second"] = n / seconds if seconds else 0.0
    if "fp32" in logits:
        for vname in logits:
            if vname == "fp32":
                continue
            same = np.concatenate([logits[vname][s].argmax(1) == logits["fp32"][s].argmax(1) for s in data])
            diff = max(float(np.abs(logits[vname][s] - logits["fp32"][s]).max()) for s in data)
            results[vname]["agreement_with_fp32"] = {"argmax_same": float(same.mean()), "max_abs_logit_diff": diff}
    if args.baseline_limit:
        results["baseline"] = {}
        started = time.perf_counter()
        n = 0
        for sname, rows in data.items():
            part = rows[: args.baseline_limit]
            pred = baseline_predict([(a, b) for a, b, _ in part])
            results["baseline"][sname] = scores([g for *_, g in part], pred)
            # The models on the same rows, so the comparison is like for like.
            for vname in logits:
                results[vname][f"{sname}@baseline_rows"] = scores(
                    [g for *_, g in part], list(logits[vname][sname][: len(part)].argmax(1))
                )
            n += len(part)
        results["baseline"]["pairs_per_second"] = n / (time.perf_counter() - started)

    table = Table(title="NLI: accuracy / macro-F1 / contradiction F1 (n)")
    table.add_column("set")
    for vname in results:
        table.add_column(vname)
    for sname in data:
        cells = []
        for vname in results:
            r = results[vname].get(sname)
            cells.append(
                "-"
                if not isinstance(r, dict)
                else f"{r['accuracy']:.3f} / {r['macro_f1']:.3f} / {r['contradiction_f1']:.3f} ({r['n']})"
            )
        table.add_row(sname, *cells)
        if "baseline" in results:
            cells = []
            for vname in results:
                key = sname if vname == "baseline" else f"{sname}@baseline_rows"
                r = results[vname].get(key)
                cells.append(
                    "-"
                    if not isinstance(r, dict)
                    else f"{r['accuracy']:.3f} / {r['macro_f1']:.3f} / {r['contradiction_f1']:.3f} ({r['n']})"
                )
            table.add_row(f"  {sname}, baseline rows", *cells)
    table.add_row("pairs/s", *[f"{results[v].get('pairs_per_second', 0):.0f}" for v in results])
    table.add_row(
        "argmax = fp32",
        *[
            f"{results[v]['agreement_with_fp32']['argmax_same']:.3f}" if "agreement_with_fp32" in results[v] else "-"
            for v in results
        ],
    )
    console.print(table)
    out = ROOT / "bench" / "results" / "nli.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    console.print(f"wrote {out}")


if __name__ == "__main__":
    main()
