"""Build the contest ranker shipped as ``src/corroborator/data/contest_ranker.json``.

    python training/contest_ranker.py [--split tune] [--min-precision 0.6] [--out FILE]

The ranker says which claim a reported dispute disputes ("Stone denied wrongdoing" -> "Stone was
convicted of lying"): a logistic regression over the features of
:func:`corroborator.compare.contested.contest_candidates`. Its data is the hand-labelled dev set
(``bench/devsets/disagreements/``, references into ../shared), **tune stories only**; the held-out
stories are scored by bench/disagreements.py and never read here.

Examples: every candidate (dispute, claim) of a labelled article pair. Positive when a contested label
(a sentence pair, or a mark on a whole article pair) links the claim (its "a" side) and the dispute (its
"b" side); negative when the dispute is labelled for that pair and the claim is not, or when the pair
is a whole article pair with every disagreement marked. The threshold is the lowest at which the top
candidate of each (dispute, article) is right at least ``--min-precision`` of the time, in-sample.
Writes the weights with a record of the data and the in-sample figures (``training`` key).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

import devset  # noqa: E402
from corroborator.compare.claims import build_claims  # noqa: E402
from corroborator.compare.contested import FEATURES, Candidate, contest_candidates  # noqa: E402
from corroborator.embed import get_encoder  # noqa: E402
from corroborator.model import Article  # noqa: E402
from corroborator.settings import Settings  # noqa: E402
from corroborator.text.facts import extract_facts  # noqa: E402
from corroborator.text.sentences import split_sentences  # noqa: E402

OUT = REPO / "src" / "corroborator" / "data" / "contest_ranker.json"
NAME = "contest.ranker.v1"


def _overlaps(span: list[int], s: int, e: int) -> bool:
    return s < span[1] and span[0] < e


def labelled_pairs(split: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(article ref, article ref) -> the contested links labelled between them and whether every
    disagreement of the pair is marked."""
    out: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"links": [], "complete": False})
    for r in devset.records("pairs"):
        if devset.story_split(r["story"]) != split:
            continue
        entry = out[(r["a"], r["b"])]
        if r["label"] == "contested":
            entry["links"].append((r["a_span"], r["b_span"]))
        else:
            entry.setdefault("others", []).append(r["b_span"])
    for r in devset.records("articles"):
        if devset.story_split(r["story"]) != split:
            continue
        entry = out[(r["a"], r["b"])]
        entry["complete"] = True
        for m in r.get("disagreements", []):
            if m["label"] == "contested":
                entry["links"].append((m["a_span"], m["b_span"]))
    return dict(out)


def examples(split: str) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Feature rows, labels, and the (dispute, article) group of each row."""
    docs = devset.corpus()
    encoder = get_encoder()
    settings = Settings()
    xs: list[tuple[float, ...]] = []
    ys: list[int] = []
    groups: list[int] = []
    pairs = labelled_pairs(split)
    for n_pair, ((ra, rb), entry) in enumerate(sorted(pairs.items())):
        arts = [Article.create(docs[r].text, source=docs[r].source, language="en") for r in (ra, rb)]
        claims = {}
        vectors = {}
        for a in arts:
            sents = split_sentences(a)
            claims[a.id] = build_claims(a, sents, extract_facts(a, sents))
            vectors[a.id] = encoder.encode([c.text for c in claims[a.id]])
        for g, group in enumerate(contest_candidates(arts, claims, vectors, settings, encoder)):
            cand: Candidate = group[0]
            d = cand.dispute.claim
            # only disputes in B about claims of A: the direction the labels are written in
            if d.article_id != arts[1].id or cand.claim.article_id != arts[0].id:
                continue
            linked = [a for a, b in entry["links"] if _overlaps(b, d.start, d.end)]
            if not linked and not entry["complete"]:
                continue  # a dispute nobody labelled for this pair: no negatives known
            for c in group:
                xs.append(c.features)
                ys.append(int(any(_overlaps(a, c.claim.start, c.claim.end) for a in linked)))
                groups.append(n_pair * 10_000 + g)
    return np.array(xs, dtype=float), np.array(ys), groups


def top1(p: np.ndarray, y: np.ndarray, groups: list[int]) -> list[tuple[float, int, bool]]:
    """Per group: the top candidate's probability, whether it is right, whether the group has a positive."""
    best: dict[int, tuple[float, int]] = {}
    has: dict[int, bool] = defaultdict(bool)
    for k, g in enumerate(groups):
        has[g] |= bool(y[k])
        if g not in best or p[k] > best[g][0]:
            best[g] = (float(p[k]), int(y[k]))
    return [(pb, yb, has[g]) for g, (pb, yb) in best.items()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="tune")
    ap.add_argument("--min-precision", type=float, default=0.6)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--threshold",
        type=float,
        help="ship this threshold instead of the lowest that reaches --min-precision in-sample (the labels of "
        "whole article pairs miss real disputes a reader would accept, so in-sample precision is a floor)",
    )
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    x, y, groups = examples(args.split)
    print(f"{len(y)} candidates, {int(y.sum())} positive, {len(set(groups))} (dispute, article) groups")
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(x, y)
    p = model.predict_proba(x)[:, 1]
    tops = top1(p, y, groups)
    positives = sum(1 for _, _, h in tops if h)
    threshold, best = 0.5, (0.0, 0.0, 0)
    for t in sorted({round(pb, 3) for pb, _, _ in tops}):
        chosen = [(yb, h) for pb, yb, h in tops if pb >= t]
        if not chosen:
            continue
        precision = sum(yb for yb, _ in chosen) / len(chosen)
        recall = sum(yb for yb, _ in chosen) / max(1, positives)
        if precision >= args.min_precision and recall > best[1]:
            threshold, best = t, (precision, recall, len(chosen))
    if args.threshold is not None:
        chosen = [(yb, h) for pb, yb, h in tops if pb >= args.threshold]
        right = sum(yb for yb, _ in chosen)
        threshold, best = args.threshold, (right / max(1, len(chosen)), right / max(1, positives), len(chosen))
    record = {
        "name": NAME,
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "training": {
            "data": f"bench/devsets/disagreements, {args.split} stories only (references into ../shared)",
            "candidates": len(y),
            "positives": int(y.sum()),
            "groups": len(set(groups)),
            "in_sample_top1_precision": round(best[0], 3),
            "in_sample_top1_recall": round(best[1], 3),
            "reported_groups": best[2],
            "min_precision": args.min_precision,
        },
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
