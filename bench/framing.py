"""Framing analysis on BASIL (Fan et al., EMNLP 2019): 50 events x Fox / NYT / HuffPost.

    python bench/framing.py                    # held-out events (2015-2019), the reported numbers
    python bench/framing.py --split all        # every event (training events included: optimistic)
    python bench/framing.py --limit 30         # a quick slice

Quality: recall of annotated LEXICAL-bias phrases (a gold phrase is found when a flagged term overlaps
it) and precision (share of flagged terms that overlap one), for the biased-wording categories
(loaded, emotive, intensifier, aside), for every category including hedges, per category and per
outlet; with and without the learned adjustments (data/framing_weights.json, trained on events
before 2015 by training/train_framing.py, so only the held-out split is a fair score for them).
Also mean subjectivity / tone / terms per 1,000 words per outlet, how often HuffPost's article is
more subjective than Fox's on the same event, voices found, throughput and peak memory.
Writes bench/results/framing.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean

from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.compare.framing import CATEGORIES, SUBJECTIVE, analyse_framing  # noqa: E402
from corroborator.compare.framing.evaluate import (  # noqa: E402
    HELDOUT_FROM,
    BasilArticle,
    Score,
    framing_score,
    load_basil,
)
from corroborator.compare.framing.lexicon import (  # noqa: E402
    build_lexicon,
    hand_lists,
    learned_adjustments,
    tokens,
)
from corroborator.model import Framing  # noqa: E402

BIASED = tuple(sorted(SUBJECTIVE))


def _fmt(s: Score) -> dict[str, float | int]:
    return {
        "gold": s.gold,
        "gold_found": s.gold_found,
        "flagged": s.flagged,
        "flagged_on_gold": s.flagged_hit,
        "recall": round(s.recall, 4),
        "precision": round(s.precision, 4),
        "f1": round(s.f1, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Framing terms vs BASIL lexical-bias annotations")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--split", choices=("heldout", "train", "all"), default="heldout")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles of the split")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "framing.json")
    args = parser.parse_args(argv)
    console = Console()

    items = load_basil(args.shared / "corpus" / "basil")
    if args.split != "all":
        items = [i for i in items if i.heldout == (args.split == "heldout")]
    if args.limit:
        items = items[: args.limit]

    learned = build_lexicon(hand_lists(), learned_adjustments())
    hand = build_lexicon(hand_lists(), {})
    framings: list[tuple[BasilArticle, Framing]] = []
    started = time.perf_counter()
    for item in track(items, description="framing", console=console, transient=True):
        framings.append((item, analyse_framing(item.article, item.sentences, lexicon=learned)))
    elapsed = time.perf_counter() - started
    hand_framings = [analyse_framing(i.article, i.sentences, lexicon=hand) for i in items]

    overall = {"biased": Score(), "all": Score(), "hand_biased": Score()}
    by_category = {c: Score() for c in CATEGORIES}
    by_outlet: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    outlet_score: dict[str, Score] = defaultdict(Score)
    for (item, framing), hand_framing in zip(framings, hand_framings, strict=True):
        biased = framing_score(item, framing, BIASED)
        overall["biased"].add(biased)
        overall["all"].add(framing_score(item, framing))
        overall["hand_biased"].add(framing_score(item, hand_framing, BIASED))
        for c in CATEGORIES:
            by_category[c].add(framing_score(item, framing, [c]))
        outlet_score[item.outlet].add(biased)
        words = max(1, len(item.article.text.split()))
        row = by_outlet[item.outlet]
        row["subjectivity"].append(framing.subjectivity)
        row["tone"].append(framing.tone)
        row["terms_per_1000_words"].append(1000 * sum(t.category in SUBJECTIVE for t in framing.terms) / words)
        row["voices"].append(sum(len(v) for v in framing.voices.values()))

    # Chance level for precision: the share of word tokens that lie on an annotated phrase.
    all_tokens = on_gold = 0
    for item in items:
        spans = [(g.start, g.end) for g in item.lexical]
        for tok in tokens(item.article.text):
            all_tokens += 1
            on_gold += any(tok.start < e and s < tok.end for s, e in spans)
    chance = on_gold / all_tokens if all_tokens else 0.0

    # Same event, two outlets: is HuffPost's report more subjective than Fox's?
    per_event: dict[str, dict[str, float]] = defaultdict(dict)
    for item, framing in framings:
        per_event[item.event][item.outlet] = framing.subjectivity
    pairs = [(e["HuffPost"], e["Fox"]) for e in per_event.values() if "HuffPost" in e and "Fox" in e]
    hpo_more = sum(h > f for h, f in pairs)

    split_name = {
        "heldout": f"held-out events ({HELDOUT_FROM}-2019)",
        "train": f"training events (<{HELDOUT_FROM})",
        "all": "all events (training included)",
    }[args.split]
    table = Table(title=f"BASIL lexical-bias phrases, {split_name}: {len(items)} articles")
    for col in ("terms scored", "gold found", "recall", "flagged", "precision", "F1"):
        table.add_column(col, justify="right" if col != "terms scored" else "left")
    rows = [
        ("biased wording (hand+learned)", overall["biased"]),
        ("biased wording (hand only)", overall["hand_biased"]),
        ("every category (with hedges)", overall["all"]),
        *((f"  {c}", s) for c, s in by_category.items()),
        *((f"  outlet {o}", s) for o, s in sorted(outlet_score.items())),
    ]
    for name, s in rows:
        table.add_row(
            name,
            f"{s.gold_found}/{s.gold}",
            f"{s.recall:.3f}",
            str(s.flagged),
            f"{s.precision:.3f}",
            f"{s.f1:.3f}",
        )
    console.print(table)

    outlets = Table(title="per outlet (means over articles)")
    for col in ("outlet", "articles", "subjectivity", "tone", "biased terms / 1000 words", "voices"):
        outlets.add_column(col, justify="right" if col != "outlet" else "left")
    outlet_json: dict[str, dict[str, float]] = {}
    for outlet, row in sorted(by_outlet.items()):
        means = {k: round(mean(v), 4) for k, v in row.items()}
        outlet_json[outlet] = {"articles": len(row["tone"]), **means}
        outlets.add_row(
            outlet,
            str(len(row["tone"])),
            f"{means['subjectivity']:.3f}",
            f"{means['tone']:+.3f}",
            f"{means['terms_per_1000_words']:.1f}",
            f"{means['voices']:.1f}",
        )
    console.print(outlets)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = len(items) / elapsed if elapsed else 0.0
    console.print(
        f"chance precision (a random word lies on an annotated phrase): {chance:.4f}; "
        f"biased-wording precision is {overall['biased'].precision / chance if chance else 0:.1f}x that"
    )
    console.print(
        f"HuffPost more subjective than Fox on {hpo_more}/{len(pairs)} events; "
        f"throughput {rate:.1f} articles/s ({elapsed:.2f} s, one core); peak RSS {peak_mb:.0f} MB"
    )

    result = {
        "bench": "framing",
        "command": "python bench/framing.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "corpus": "BASIL (shared/corpus/basil)",
        "split": split_name,
        "articles": len(items),
        "learned_weights": "src/corroborator/data/framing_weights.json (trained on events before "
        f"{HELDOUT_FROM}; only held-out numbers are fair for it)",
        "biased_categories": list(BIASED),
        "lexical_bias": {
            "biased_wording": _fmt(overall["biased"]),
            "biased_wording_hand_only": _fmt(overall["hand_biased"]),
            "every_category": _fmt(overall["all"]),
            "by_category": {c: _fmt(s) for c, s in by_category.items()},
            "by_outlet": {o: _fmt(s) for o, s in sorted(outlet_score.items())},
        },
        "chance_precision": round(chance, 4),
        "outlets": outlet_json,
        "huffpost_more_subjective_than_fox": {"events": len(pairs), "count": hpo_more},
        "throughput_articles_per_s": round(rate, 2),
        "seconds": round(elapsed, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
