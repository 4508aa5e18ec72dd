"""Benchmark the pair judgement against plain cosine over the default encoder.

* MRPC: F1 and accuracy of ``same`` on the held-out fifth of ``msr_paraphrase_train.txt`` (the pairs
  that :func:`pairs_data.mrpc_heldout` keeps out of training; the official test file is not in shared).
  The cosine baseline's threshold is the one maximising F1 on the training part (the other four fifths).
* STS-B: Spearman of ``similarity`` against the gold score on ``sts-dev.csv`` (never used to train the
  weights), over all genres and over ``main-news``.
* Throughput (pairs/s, encoding included, cold caches) and peak RSS (ru_maxrss) after each system.

Default: the first 300 pairs of each evaluation set (a quick check); ``--full`` scores them all.

    .venv/bin/python bench/pairs.py [--full] [--limit N] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np

from common import REPO
from pairs_data import Pair, load_mrpc, load_sts, mrpc_heldout


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def scores(pred_same: np.ndarray, gold: np.ndarray, sim: np.ndarray, sts: list[Pair]) -> dict[str, float]:
    from scipy.stats import spearmanr
    from sklearn.metrics import accuracy_score, f1_score

    gold_sts = np.array([p.label for p in sts])
    news = np.array([p.genre == "main-news" for p in sts])
    return {
        "mrpc_f1": float(f1_score(gold, pred_same)),
        "mrpc_accuracy": float(accuracy_score(gold, pred_same)),
        "stsb_spearman": float(spearmanr(sim, gold_sts)[0]),
        "stsb_news_spearman": float(spearmanr(sim[news], gold_sts[news])[0]) if news.sum() > 2 else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--full", action="store_true", help="Score every pair of both evaluation sets.")
    parser.add_argument("--limit", type=int, default=300, help="Pairs per evaluation set without --full.")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "pairs.json")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    from corroborator.compare.alignment.judge import PairJudge
    from corroborator.embed import get_encoder
    from corroborator.errors import CorroboratorError

    console = Console(width=max(Console().width, 110))
    mrpc_all = load_mrpc(args.shared)
    mrpc_test = [p for p in mrpc_all if mrpc_heldout(p.id)]
    mrpc_train = [p for p in mrpc_all if not mrpc_heldout(p.id)]
    sts_dev = load_sts(args.shared, "dev")
    if not args.full:
        # A spread-out slice keeps every genre of sts-dev (the file is ordered by genre).
        def pick(rows: list[Pair], n: int) -> list[Pair]:
            step = max(len(rows) // n, 1)
            return rows[::step][:n]

        mrpc_test, sts_dev, mrpc_train = (
            pick(mrpc_test, args.limit),
            pick(sts_dev, args.limit),
            pick(mrpc_train, args.limit * 2),
        )
    eval_pairs = [(p.a, p.b) for p in mrpc_test + sts_dev]
    gold = np.array([int(p.label) for p in mrpc_test])
    n_mrpc = len(mrpc_test)
    results: dict[str, dict[str, float | str]] = {}

    # Baseline: cosine of the default encoder; MRPC threshold chosen on the training part.
    encoder = get_encoder()
    from sklearn.metrics import f1_score

    train_a = encoder.encode([p.a for p in mrpc_train])
    train_b = encoder.encode([p.b for p in mrpc_train])
    train_cos = np.sum(train_a * train_b, axis=1)
    train_gold = np.array([int(p.label) for p in mrpc_train])
    grid = np.arange(0.3, 0.95, 0.005)
    threshold = float(grid[int(np.argmax([f1_score(train_gold, train_cos >= t) for t in grid]))])
    started = time.perf_counter()
    va = encoder.encode([a for a, _ in eval_pairs])
    vb = encoder.encode([b for _, b in eval_pairs])
    cos = np.sum(va * vb, axis=1)
    elapsed = time.perf_counter() - started
    results["cosine"] = {
        "system": f"cosine {encoder.name}",
        "note": f"MRPC threshold {threshold:.3f}: best F1 on the MRPC training part",
        **scores(cos[:n_mrpc] >= threshold, gold, cos[n_mrpc:], sts_dev),
        "pairs_per_s": len(eval_pairs) / elapsed,
        "peak_rss_mb": peak_mb(),
    }

    try:
        judge = PairJudge()
    except CorroboratorError as exc:
        raise SystemExit(f"error: {exc}") from None
    judge.judge_many(eval_pairs[:4])  # load the models before timing
    started = time.perf_counter()
    judged = []
    for i in range(0, len(eval_pairs), 256):
        judged.extend(judge.judge_many(eval_pairs[i : i + 256]))
    elapsed = time.perf_counter() - started
    same = np.array([j.same for j in judged])
    sim = np.array([j.similarity for j in judged])
    results["judge"] = {
        "system": judge.name,
        **scores(same[:n_mrpc], gold, sim[n_mrpc:], sts_dev),
        "pairs_per_s": len(eval_pairs) / elapsed,
        "peak_rss_mb": peak_mb(),
    }

    table = Table(title=f"pair judgement: MRPC held-out fifth ({n_mrpc} pairs), STS-B dev ({len(sts_dev)} pairs)")
    for column in ("system", "MRPC F1", "MRPC acc", "STS-B ρ", "STS-B news ρ", "pairs/s", "peak RSS MB"):
        table.add_column(column)
    for row in results.values():
        table.add_row(
            str(row["system"]),
            f"{100 * float(row['mrpc_f1']):.1f}",
            f"{100 * float(row['mrpc_accuracy']):.1f}",
            f"{100 * float(row['stsb_spearman']):.1f}",
            f"{100 * float(row['stsb_news_spearman']):.1f}",
            f"{float(row['pairs_per_s']):.0f}",
            f"{float(row['peak_rss_mb']):.0f}",
        )
    console.print(table)
    console.print(f"cosine baseline: {results['cosine']['note']}; pairs/s include encoding both sides")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": "pairs",
        "full": args.full,
        "mrpc_pairs": n_mrpc,
        "mrpc_split": "held-out fifth of msr_paraphrase_train.txt by sha256('<id1>-<id2>') % 5 == 0",
        "stsb_pairs": len(sts_dev),
        "stsb_split": "sts-dev.csv",
        "results": results,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
