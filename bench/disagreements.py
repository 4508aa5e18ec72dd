"""Real disagreement between outlets, on the hand-labelled dev set, beside last round's code.

    python bench/disagreements.py [--split heldout|tune|all] [--baseline REV] [--no-baseline]
                                  [--set name=value ...] [--planted FILE] [--out FILE]

The dev set (``bench/devsets/disagreements/``, built by reading; references only, see bench/devset.py)
has sentence pairs of two outlets of one story labelled agrees / contested / contradicts /
different_referent / unrelated, and whole article pairs with every real disagreement marked. Each
article pair is compared as the product compares (``compare_articles`` on the two articles), by this
checkout's code and by ``--baseline`` (default: the last round's head, extracted with ``git archive``
and run in a subprocess), and the findings are matched to the labels by span overlap:

- a labelled pair is **flagged** when a finding (a contested claim, or a conflict that is not a precision
  note) has one side overlapping each labelled sentence; recall is over contested + contradicts pairs,
  the false rate over agrees + different_referent pairs;
- on whole article pairs, a finding is **right** when it overlaps a marked disagreement; precision is
  right / reported; a finding with a side in page furniture (this bench's own rule list, below) is
  counted apart;
- the seeds pair: C1 (signed vs in force, 1999), C2 (since the 1990s vs since 2021), C3 (one quote, two
  mouths) and Biden/Obama must be found; any other non-precision conflict is counted;
- planted contradictions: the figures of ``bench/results/conflicts.json`` (``python bench/conflicts.py``),
  when present.

Stories are "tune" or "heldout" by key hash (bench/devset.py); thresholds were set on "tune" only.
Writes bench/results/disagreements.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "bench"))

import baseline  # noqa: E402
import devset  # noqa: E402

OUT = REPO / "bench" / "results" / "disagreements.json"
CACHE = REPO / "bench" / "results" / "disagreements_cache"
BASELINE = "aebf0e6"  # last round's head (the code before this round's conflict work)
console = Console(width=160)

# Page furniture, by this bench's own rules (independent of the product's): credit lines, bylines,
# datelines alone, captions, related links, corrections boilerplate, social prompts.
FURNITURE = re.compile(
    r"contributed (?:to )?(?:this|the) (?:report|story)|contributed reporting|"
    r"^\s*by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}\s*$|"
    r"^\s*(?:photo|image|video|file|caption)\b|getty images|\bap photo\b|"
    r"^\s*(?:related|read more|see also|watch|listen)\b|"
    r"follow (?:him|her|them|us|@)|@\w+\s*$|^\s*\d+ (?:years?|months?|days?|hours?) ago\s*$|"
    r"(?:an earlier version of this|this (?:story|article) has been (?:updated|corrected))|all rights reserved|"
    r"^\s*[A-Z][A-Z .,'-]{2,40}(?:\([A-Za-z .]+\))?\s*[-—–]+\s*$",
    re.IGNORECASE,
)


# -- findings: what one version of the product reports on one article pair ----------------------------


def _findings_of(texts: tuple[str, str], settings_over: dict[str, str]) -> list[dict[str, Any]]:
    """Run in the code under test: compare two articles, return its disagreement findings as spans."""
    from corroborator.compare import compare_articles
    from corroborator.model import Article
    from corroborator.settings import Settings

    arts = [Article.create(t, source=f"outlet-{k}") for k, t in enumerate(texts)]
    settings = Settings().with_overrides(settings_over) if settings_over else Settings()
    c = compare_articles(arts, settings=settings)
    side_of = {a.id: k for k, a in enumerate(arts)}
    out: list[dict[str, Any]] = []
    for cf in c.conflicts:
        out.append(
            {
                "what": "conflict",
                "kind": cf.kind,
                "precision_only": cf.precision_only,
                "sides": [[side_of[s.article], s.start, s.end] for s in cf.sides],
                "model": cf.model,
            }
        )
    claims = {x.id: x for x in c.claims}
    for k in getattr(c, "contests", ()):
        a, d = claims[k.claim], claims[k.dispute]
        out.append(
            {
                "what": "contest",
                "kind": "dispute",
                "precision_only": False,
                "sides": [[side_of[a.article_id], a.start, a.end], [side_of[d.article_id], d.start, d.end]],
                "party": k.party,
                "cue": k.cue,
            }
        )
    return out


def _findings_main(spec: Path, out: Path) -> int:
    """``--findings-only``: read [(key, text_a, text_b)], write {key: findings} (runs under any code)."""
    job = json.loads(spec.read_text(encoding="utf-8"))
    results: dict[str, Any] = {}
    for key, ta, tb in track(job["pairs"], description=f"compare ({job['label']})", console=console):
        results[key] = _findings_of((ta, tb), job.get("settings", {}))
    out.write_text(json.dumps(results), encoding="utf-8")
    return 0


def findings(
    label: str, src: Path, pairs: dict[str, tuple[str, str]], settings_over: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """Findings of the code in ``src`` on every pair, cached by the code's hash and the settings."""
    tag = (
        baseline.code_key(src) + "-" + hashlib.sha1(json.dumps(settings_over, sort_keys=True).encode()).hexdigest()[:8]
    )
    cache_file = CACHE / f"{tag}.json"
    cached: dict[str, Any] = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    todo = {k: v for k, v in pairs.items() if k not in cached}
    if todo:
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            spec, out = Path(tmp) / "spec.json", Path(tmp) / "out.json"
            job = {"label": label, "settings": settings_over, "pairs": [(k, a, b) for k, (a, b) in todo.items()]}
            spec.write_text(json.dumps(job), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(src)}
            subprocess.run(
                [sys.executable, __file__, "--findings-only", str(spec), str(out)], check=True, env=env, cwd=REPO
            )
            cached.update(json.loads(out.read_text(encoding="utf-8")))
        cache_file.write_text(json.dumps(cached), encoding="utf-8")
    return {k: cached[k] for k in pairs}


# -- scoring ----------------------------------------------------------------------------------------------


def _overlaps(span: list[int], s: int, e: int) -> bool:
    return s < span[1] and span[0] < e


def _links(f: dict[str, Any], ka: int, sa: list[int], kb: int, sb: list[int]) -> bool:
    sides = f["sides"]
    hit_a = any(k == ka and _overlaps(sa, s, e) for k, s, e in sides)
    hit_b = any(k == kb and _overlaps(sb, s, e) for k, s, e in sides)
    return hit_a and hit_b


def _disagreeing(fs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in fs if not f["precision_only"]]


def _readings() -> dict[tuple[str, frozenset[tuple[str, int, int]]], bool]:
    """Findings read and judged (bench/devset.py judge): (what, its two sides) -> a real disagreement?"""
    out = {}
    for r in devset.records("judged"):
        key = frozenset(((r["a"], *r["a_span"]), (r["b"], *r["b_span"])))
        out[(r["what"], key)] = bool(r["right"])
    return out


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def score(split: str, found: dict[str, list[dict[str, Any]]], keys: dict[tuple[str, str], str]) -> dict[str, Any]:
    """Pair-level recall / false rate by label and kind, and whole-article precision."""
    docs = devset.corpus()
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    typed_right = [0, 0]
    missed: list[dict[str, Any]] = []
    false: list[dict[str, Any]] = []
    for row in devset.records("pairs"):
        if split != "all" and devset.story_split(row["story"]) != split:
            continue
        a, b = row["a"], row["b"]
        pk = pair_key(a, b)
        if pk not in keys:
            continue  # labelled after this run read the dev set
        fs = _disagreeing(found.get(keys[pk], []))
        ka, kb = (0, 1) if pk == (a, b) else (1, 0)
        hits = [f for f in fs if _links(f, ka, row["a_span"], kb, row["b_span"])]
        by_label[row["label"]][0] += 1
        by_label[row["label"]][1] += bool(hits)
        if row["label"] in devset.DISAGREEMENT_LABELS:
            kind = "contested" if row["label"] == "contested" else f"contradicts/{row.get('kind', 'claim')}"
            by_kind[kind][0] += 1
            by_kind[kind][1] += bool(hits)
            want = "contest" if row["label"] == "contested" else "conflict"
            typed_right[0] += 1
            typed_right[1] += any(f["what"] == want for f in hits)
            if not hits:
                missed.append({"where": row["_where"], "label": row["label"], "kind": row.get("kind")})
        elif row["label"] in ("agrees", "different_referent") and hits:
            false.append(
                {
                    "where": row["_where"],
                    "label": row["label"],
                    "found": [(f["what"], f["kind"]) for f in hits],
                    "sides": [f["sides"] for f in hits],
                }
            )
    pos = [by_label[x] for x in devset.DISAGREEMENT_LABELS]
    neg = [by_label[x] for x in ("agrees", "different_referent")]
    recall = sum(h for _, h in pos) / max(1, sum(n for n, _ in pos))
    false_rate = sum(h for _, h in neg) / max(1, sum(n for n, _ in neg))
    # Whole article pairs: every finding read against the marked disagreements.
    reported = right = furniture = marked = marked_found = within = judged_right = unjudged = 0
    wrong: list[dict[str, Any]] = []
    readings = _readings()
    for row in devset.records("articles"):
        if split != "all" and devset.story_split(row["story"]) != split:
            continue
        pk = pair_key(row["a"], row["b"])
        if pk not in keys:
            continue
        ka, kb = (0, 1) if pk == (row["a"], row["b"]) else (1, 0)
        fs = _disagreeing(found.get(keys[pk], []))
        marks = row.get("disagreements", [])
        marked += len(marks)
        marked_found += sum(any(_links(f, ka, m["a_span"], kb, m["b_span"]) for f in fs) for m in marks)
        texts = {ka: docs[row["a"]].text, kb: docs[row["b"]].text}
        for f in fs:
            if len({k for k, _, _ in f["sides"]}) < 2:
                within += 1  # a report's own dispute of its own claim: no cross-outlet label to read it by
                continue
            reported += 1
            ok = any(_links(f, ka, m["a_span"], kb, m["b_span"]) for m in marks)
            verdict: bool | None = None
            if not ok:
                refs = {ka: row["a"], kb: row["b"]}
                key = frozenset((refs[k], s, e) for k, s, e in f["sides"])
                verdict = readings.get((f["what"], key))
                if verdict is None:
                    unjudged += 1
                ok = bool(verdict)
                judged_right += ok
            right += ok
            if any(FURNITURE.search(texts[k][s:e]) for k, s, e in f["sides"]):
                furniture += 1
            if not ok:
                refs = {ka: row["a"], kb: row["b"]}
                wrong.append(
                    {
                        "where": row["_where"],
                        "what": f["what"],
                        "kind": f["kind"],
                        "sides": [[refs[k], s, e] for k, s, e in f["sides"]],
                        "judged": verdict is not None,
                    }
                )
    return {
        "pairs": {k: {"n": n, "flagged": h} for k, (n, h) in sorted(by_label.items())},
        "kinds": {k: {"n": n, "found": h} for k, (n, h) in sorted(by_kind.items())},
        "recall": round(recall, 3),
        "false_rate": round(false_rate, 3),
        "typed_right": round(typed_right[1] / max(1, typed_right[0]), 3),
        "articles": {
            "reported": reported,
            "right": right,
            "precision": round(right / reported, 3) if reported else None,
            "furniture": furniture,
            "marked": marked,
            "marked_found": marked_found,
            "within_article": within,
            "right_by_reading": judged_right,
            "unjudged": unjudged,
        },
        "missed": missed,
        "false": false,
        "wrong": wrong,
    }


def seeds(src: Path) -> dict[str, Any]:
    folder = SHARED / "corpus" / "seeds"
    texts = tuple(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    fs = findings("seeds", src, {"seeds": (texts[0], texts[1])}, {})["seeds"]
    wanted = {
        "C1 signed vs in force": ("date", "signed in 1999", "came into force in 1999"),
        "C2 1990s vs 2021": ("date", "since the 1990s", "since 2021"),
        "C3 one quote, two mouths": ("attribution", "force multiplier", "force multiplier"),
        "Biden/Obama": ("entity", "sharp departure", "sharp departure"),
    }
    got: dict[str, bool] = {}
    used: set[int] = set()
    for name, (kind, pa, pb) in wanted.items():
        for n, f in enumerate(fs):
            if f["kind"] != kind or f["precision_only"]:
                continue
            t = {k: texts[k][s:e] for k, s, e in f["sides"]}
            if pa in t.get(0, "") and pb in t.get(1, ""):
                got[name] = True
                used.add(n)
                break
        else:
            got[name] = False
    others = [f for n, f in enumerate(_disagreeing(fs)) if n not in used and f not in [fs[u] for u in used]]
    return {"found": got, "other_findings": [(f["what"], f["kind"]) for f in others]}


def unseen_pairs(n: int) -> list[tuple[str, str]]:
    """``n`` article pairs of held-out stories with no dev-set record, one pair per story, whose title and
    lead read as one event (cosine of the default encoder >= 0.6), in a fixed order by key hash."""
    sys.path.insert(0, str(REPO / "src"))
    from corroborator.embed import get_encoder

    labelled = {r["story"] for kind in ("pairs", "articles", "judged") for r in devset.records(kind) if "story" in r}
    encoder = get_encoder()
    out: list[tuple[str, str]] = []
    stories = devset.stories()
    for key in sorted(stories, key=lambda k: hashlib.sha1(f"unseen:{k}".encode()).hexdigest()):
        if key in labelled or devset.story_split(key) != "heldout":
            continue
        members = [d for d in stories[key] if len(d.text.split()) >= 250]
        if len(members) < 2:
            continue
        x, y = members[0], members[1]
        leads = encoder.encode([f"{d.title}. {d.text[:400]}" for d in (x, y)])
        if float(leads[0] @ leads[1]) < 0.6:
            continue
        out.append(pair_key(x.ref, y.ref))
        if len(out) >= n:
            break
    return out


def unseen(n: int, settings_over: dict[str, str], unread: bool, out: Path) -> int:
    """Precision by reading of every finding on ``n`` unlabelled article pairs (see --unseen)."""
    docs = devset.corpus()
    # Chosen once and kept, so that later labelling cannot move the set under its readings.
    fixed = devset.DEVSET / "unseen-pairs.json"
    if fixed.exists():
        chosen = [pair_key(a, b) for a, b in json.loads(fixed.read_text(encoding="utf-8"))["pairs"]][:n]
    else:
        chosen = unseen_pairs(n)
        fixed.write_text(json.dumps({"about": "article pairs for --unseen", "pairs": chosen}, indent=1) + "\n")
    pairs = {f"{a}|{b}": (docs[a].text, docs[b].text) for a, b in chosen}
    found = findings("this code", REPO / "src", pairs, settings_over)
    readings = _readings()
    counts = {"pairs": len(chosen), "reported": 0, "read": 0, "right": 0, "furniture": 0, "within_article": 0}
    todo = []
    for (a, b), key in zip(chosen, pairs, strict=True):
        refs = {0: a, 1: b}
        for f in _disagreeing(found[key]):
            if len({k for k, _, _ in f["sides"]}) < 2:
                counts["within_article"] += 1
                continue
            counts["reported"] += 1
            if any(FURNITURE.search(docs[refs[k]].text[s:e]) for k, s, e in f["sides"]):
                counts["furniture"] += 1
            sides = [(refs[k], s, e) for k, s, e in f["sides"]]
            verdict = readings.get((f["what"], frozenset(sides)))
            if verdict is None:
                todo.append((f, sides))
                continue
            counts["read"] += 1
            counts["right"] += verdict
    table = Table(title=f"Findings on {len(chosen)} unlabelled article pairs of held-out stories, judged by reading")
    for k in counts:
        table.add_column(k, justify="right")
    table.add_column("precision", justify="right")
    table.add_row(*(str(v) for v in counts.values()), f"{counts['right'] / max(1, counts['read']):.3f}")
    console.print(table)
    if unread:
        for f, sides in todo:
            (ra, sa, ea), (rb, sb, eb) = sides[:2]
            console.print(f"[bold]{f['what']} {f['kind']}[/bold]", markup=True)
            console.print(f"  A {docs[ra].source}: {docs[ra].text[sa:ea]}", markup=False)
            console.print(f"  B {docs[rb].source}: {docs[rb].text[sb:eb]}", markup=False)
            judge = f"python bench/devset.py judge --file judged-NAME.jsonl {ra} {sa} {ea} {rb} {sb} {eb}"
            console.print(f"  {judge} {f['what']} right|wrong", markup=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"unseen": counts, "pairs": chosen}, indent=1), encoding="utf-8")
    console.print(f"wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--findings-only":
        return _findings_main(Path(sys.argv[2]), Path(sys.argv[3]))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("heldout", "tune", "all"), default="heldout")
    p.add_argument("--baseline", default=BASELINE, help="git revision of the code to compare with")
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a setting for this code")
    p.add_argument("--planted", type=Path, default=REPO / "bench" / "results" / "conflicts.json")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--show", type=int, default=0, help="list this many misses and false flags")
    p.add_argument(
        "--unread",
        action="store_true",
        help="print the reported findings no label covers and nobody has read yet, to judge them by reading",
    )
    p.add_argument(
        "--unseen",
        type=int,
        default=0,
        metavar="N",
        help="instead of the dev set: N article pairs of held-out stories nobody labelled (the same event by "
        "their leads' cosine), every finding judged by reading (judged*.jsonl); --unread lists what to read",
    )
    args = p.parse_args(argv)
    settings_over = dict(s.split("=", 1) for s in args.set)
    if args.unseen:
        return unseen(args.unseen, settings_over, args.unread, args.out)

    docs = devset.corpus()
    pairs: dict[str, tuple[str, str]] = {}
    keys: dict[tuple[str, str], str] = {}
    for row in [*devset.records("pairs"), *devset.records("articles")]:
        if args.split != "all" and devset.story_split(row["story"]) != args.split:
            continue
        pk = pair_key(row["a"], row["b"])
        key = f"{pk[0]}|{pk[1]}"
        keys[pk] = key
        pairs[key] = (docs[pk[0]].text, docs[pk[1]].text)
    if not pairs:
        console.print("no labelled pairs in this split yet: label with bench/devset.py")
        return 1
    versions = {"this code": REPO / "src"}
    if not args.no_baseline:
        versions = {f"baseline {args.baseline}": baseline.extract(args.baseline), **versions}
    report: dict[str, Any] = {"split": args.split, "article_pairs": len(pairs), "settings": settings_over}
    for label, src in versions.items():
        over = settings_over if label == "this code" else {}
        found = findings(label, src, pairs, over)
        report[label] = {"dev": score(args.split, found, keys), "seeds": seeds(src)}

    planted = json.loads(args.planted.read_text()) if args.planted.exists() else None
    report["planted"] = planted
    table = Table(
        title=f"Disagreements on the hand-labelled dev set ({args.split} stories, {len(pairs)} article pairs)"
    )
    table.add_column("measure")
    for label in versions:
        table.add_column(label, justify="right")
    rows: list[tuple[str, list[str]]] = []

    def cell(label: str, fn: Any) -> str:
        try:
            return str(fn(report[label]))
        except (KeyError, TypeError, ZeroDivisionError):
            return "-"

    rows.append(("contested + contradicts recall", [cell(v, lambda r: r["dev"]["recall"]) for v in versions]))
    rows.append(
        ("false flags (agrees + different referent)", [cell(v, lambda r: r["dev"]["false_rate"]) for v in versions])
    )
    rows.append(("found as the right type", [cell(v, lambda r: r["dev"]["typed_right"]) for v in versions]))
    labels = sorted({k for v in versions for k in report[v]["dev"]["pairs"]})
    for lab in labels:
        rows.append(
            (
                f"  {lab}: flagged / n",
                [
                    cell(v, lambda r, lab=lab: f"{r['dev']['pairs'][lab]['flagged']}/{r['dev']['pairs'][lab]['n']}")
                    for v in versions
                ],
            )
        )
    kinds = sorted({k for v in versions for k in report[v]["dev"]["kinds"]})
    for kind in kinds:
        rows.append(
            (
                f"  {kind}: found / n",
                [
                    cell(v, lambda r, kind=kind: f"{r['dev']['kinds'][kind]['found']}/{r['dev']['kinds'][kind]['n']}")
                    for v in versions
                ],
            )
        )
    rows.append(
        (
            "article pairs: reported findings right",
            [
                cell(
                    v,
                    lambda r: "{right}/{reported} = {precision}".format(**r["dev"]["articles"]),
                )
                for v in versions
            ],
        )
    )
    rows.append(
        (
            "  of which right by reading / not yet read",
            [cell(v, lambda r: "{right_by_reading} / {unjudged}".format(**r["dev"]["articles"])) for v in versions],
        )
    )
    rows.append(
        (
            "article pairs: marked disagreements found",
            [
                cell(v, lambda r: f"{r['dev']['articles']['marked_found']}/{r['dev']['articles']['marked']}")
                for v in versions
            ],
        )
    )
    rows.append(
        (
            "article pairs: findings on page furniture",
            [cell(v, lambda r: r["dev"]["articles"]["furniture"]) for v in versions],
        )
    )
    for name in ("C1 signed vs in force", "C2 1990s vs 2021", "C3 one quote, two mouths", "Biden/Obama"):
        rows.append(
            (
                f"seeds: {name}",
                [cell(v, lambda r, name=name: "yes" if r["seeds"]["found"][name] else "NO") for v in versions],
            )
        )
    if planted:
        best = planted.get("runs", {}).get("report:model", {})
        rows.append(
            (
                "planted (bench/conflicts.py, report half): recall / false",
                ["see last round's note"] * (len(versions) - 1)
                + [f"{best.get('recall', 0):.2f} / {best.get('false_conflicts', 0):.3f}"],
            )
        )
    rows.append(("seeds: other findings", [cell(v, lambda r: len(r["seeds"]["other_findings"])) for v in versions]))
    for name, values in rows:
        table.add_row(name, *values)
    console.print(table)
    if planted:
        console.print(f"planted contradictions: see {args.planted} (python bench/conflicts.py)")
    if args.show:
        dev = report["this code"]["dev"]
        for kind in ("missed", "false", "wrong"):
            console.print(f"[bold]{kind}[/bold]: {dev[kind][: args.show]}")
    if args.unread:
        for w in report["this code"]["dev"]["wrong"]:
            if w["judged"]:
                continue
            (ra, sa, ea), (rb, sb, eb) = w["sides"][:2]
            console.print(f"[bold]{w['what']} {w['kind']}[/bold] ({w['where']})", markup=True)
            console.print(f"  A {docs[ra].source}: {docs[ra].text[sa:ea]}", markup=False)
            console.print(f"  B {docs[rb].source}: {docs[rb].text[sb:eb]}", markup=False)
            judge = f"python bench/devset.py judge --file judged-NAME.jsonl {ra} {sa} {ea} {rb} {sb} {eb}"
            console.print(f"  {judge} {w['what']} right|wrong", markup=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    console.print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
