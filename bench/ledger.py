"""The fact ledger against facts labelled by reading (bench/devsets/ledger/, bench/ledger_devset.py).

    python bench/ledger.py [--split heldout|tune|all] [--baseline REV] [--no-baseline]

Each labelled article pair is compared by this checkout's code and by ``--baseline`` (default: the code
before the ledger, extracted with ``git archive`` and run in a subprocess), and scored:

* shared-fact recall: labelled shared facts (corroborated, precision, contradicted, contested) that a
  reported shared fact covers (a mention overlapping the labelled span in each article, or another place
  the article writes the span's words: labellers marked a fact's first clear statement);
* shared-fact precision: reported shared facts that cover a labelled one (labelling is exhaustive per
  pair, so an unlabelled one is false);
* status accuracy: of the covered labelled facts, the share whose reported status is the labelled one;
* single-source facts wrongly reported as shared (the labellers marked look-alikes);
* citation precision: the brief's citations of another source (not the claim the sentence tells) whose
  span and the told claim share a labelled fact; and with the citations no label covers read and judged
  (``bench/devsets/ledger/citations-judged.jsonl``), the share right by labels and reading;
* the brief's first three points, judged informative or not by reading
  (``bench/devsets/ledger/brief-judged.jsonl``; unread ones are listed in the JSON to read).

The baseline has no ledger: a fact counts as shared there when the two claims holding its spans are
aligned (the sentence-level corroboration it had), and its "shared facts" are its aligned claim pairs.
Writes bench/results/ledger.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from rich.console import Console
from rich.table import Table

import baseline
import ledger_devset

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "results" / "ledger.json"
CACHE = REPO / "build" / "ledger-cache"
BASELINE = "796be82"  # main before the ledger (the merge of article versions)
JUDGED = ledger_devset.DEVSET / "brief-judged.jsonl"
# Cross-source citations no labelled fact covers, read and judged (does the cited span state what the
# sentence tells, or the facts the citation is for?): the labels are one statement of each fact a pair.
CITES_JUDGED = ledger_devset.DEVSET / "citations-judged.jsonl"


def _article(ref: str) -> Any:
    from corroborator.model import Article

    d = ledger_devset.corpus()[ref]
    published = None
    with contextlib.suppress(ValueError):
        published = datetime.fromisoformat(d.date[:10]) if d.date else None
    return Article.create(d.text, source=d.source or ref, title=d.title or None, published=published, language="en")


def run_docs(spec: Path, out: Path) -> None:
    """In a subprocess (PYTHONPATH = the code under test): each pair's comparison, as the parts scored."""
    from rich.progress import track

    from corroborator.compare import compare_articles
    from corroborator.render.document import to_document

    job = json.loads(spec.read_text(encoding="utf-8"))
    result: dict[str, Any] = {}
    for key, a, b in track(job["pairs"], description=job["label"]):
        arts = [_article(a), _article(b)]
        doc = to_document(compare_articles(arts))
        index = {x.id: k for k, x in enumerate(arts)}
        result[key] = {
            "claims": {c["id"]: [index[c["article"]], c["start"], c["end"]] for c in doc["claims"]},
            "alignments": [[al["a"], al["b"]] for al in doc["alignments"] if al["relation"] in ("same", "overlap")],
            "ledger": [
                {
                    "status": f["status"],
                    "kind": f["kind"],
                    "mentions": [[index[m["article"]], m["start"], m["end"]] for m in f["mentions"]],
                }
                for f in doc.get("ledger", [])
            ],
            "brief": [
                {
                    "text": s["text"],
                    "status": s["status"],
                    "citations": [[index[c["article"]], c["start"], c["end"]] for c in s["citations"]],
                }
                for s in doc["brief"]["sentences"]
            ],
        }
    out.write_text(json.dumps(result), encoding="utf-8")


def docs(label: str, src: Path, pairs: dict[str, tuple[str, str]]) -> dict[str, Any]:
    cache_file = CACHE / f"{baseline.code_key(src)}.json"
    cached: dict[str, Any] = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    todo = {k: v for k, v in pairs.items() if k not in cached}
    if todo:
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            spec, out = Path(tmp) / "spec.json", Path(tmp) / "out.json"
            spec.write_text(json.dumps({"label": label, "pairs": [(k, a, b) for k, (a, b) in todo.items()]}))
            env = {**os.environ, "PYTHONPATH": str(src)}
            subprocess.run(
                [sys.executable, __file__, "--docs-only", str(spec), str(out)], check=True, env=env, cwd=REPO
            )
            cached.update(json.loads(out.read_text(encoding="utf-8")))
        cache_file.write_text(json.dumps(cached), encoding="utf-8")
    return {k: cached[k] for k in pairs}


# -- scoring ----------------------------------------------------------------------------------------------


def _hit(span: list[int], s: int, e: int) -> bool:
    return s < span[1] and span[0] < e


def _inside_claim(doc: dict[str, Any], side: int, span: list[int]) -> set[str]:
    return {cid for cid, (k, s, e) in doc["claims"].items() if k == side and _hit(span, s, e)}


def _reported(doc: dict[str, Any], before_ledger: bool) -> list[dict[str, Any]]:
    """Reported shared facts as {status, a: [[s, e]...], b: [[s, e]...]}."""
    out = []
    if not before_ledger and doc["ledger"]:
        for f in doc["ledger"]:
            a = [[s, e] for k, s, e in f["mentions"] if k == 0]
            b = [[s, e] for k, s, e in f["mentions"] if k == 1]
            if a and b:
                out.append({"status": f["status"], "a": a, "b": b})
        return out
    for x, y in doc["alignments"]:
        cx, cy = doc["claims"][x], doc["claims"][y]
        if cx[0] == cy[0]:
            continue
        ca, cb = (cx, cy) if cx[0] == 0 else (cy, cx)
        out.append({"status": "corroborated", "a": [ca[1:]], "b": [cb[1:]]})
    return out


def _occurrences(ref: str, span: list[int]) -> list[list[int]]:
    """The labelled span and every other place its article writes the same words (case aside): the
    labellers marked a fact's first clear statement only, and a later one states it as much."""
    text = ledger_devset.corpus()[ref].text
    words = text[span[0] : span[1]].lower()
    out, low, at = [span], text.lower(), 0
    while len(words) >= 4 and (at := low.find(words, at)) >= 0:
        if at != span[0]:
            out.append([at, at + len(words)])
        at += 1
    return out


def _spans(fact: dict[str, Any], side: str) -> list[list[int]]:
    key = f"_{side}_all"
    if key not in fact:
        fact[key] = _occurrences(fact[side], fact[f"{side}_span"])
    spans: list[list[int]] = fact[key]
    return spans


def _covers(r: dict[str, Any], fact: dict[str, Any]) -> bool:
    return any(_hit(x, s, e) for x in _spans(fact, "a") for s, e in r["a"]) and any(
        _hit(x, s, e) for x in _spans(fact, "b") for s, e in r["b"]
    )


def _judged(path: Path = JUDGED, field: str = "informative") -> dict[str, bool]:
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out[row["sha"]] = bool(row[field])
    return out


def cite_key(pair: str, told: list[int], cited: list[int]) -> str:
    return hashlib.sha1(json.dumps([pair, told, cited]).encode()).hexdigest()[:12]


def score(
    pairs: list[dict[str, Any]], facts: list[dict[str, Any]], found: dict[str, Any], before_ledger: bool
) -> dict[str, Any]:
    shared_total = shared_hit = reported_total = reported_right = status_right = status_n = 0
    single_total = single_false = cite_total = cite_right = 0
    judged, unread, first_three = _judged(), [], [0, 0]
    cites_judged, cites_unread, cite_read_right, cite_read = _judged(CITES_JUDGED, "right"), [], 0, 0
    for p in pairs:
        key = f"{p['a']}|{p['b']}"
        doc = found[key]
        mine = [f for f in facts if f["a"] == p["a"] and f["b"] == p["b"]]
        shared = [f for f in mine if f["status"] in ledger_devset.SHARED_STATUSES]
        reported = _reported(doc, before_ledger)
        for f in shared:
            covering = [r for r in reported if _covers(r, f)]
            shared_hit += bool(covering)
            if covering:
                status_n += 1
                status_right += any(r["status"] == f["status"] for r in covering)
        shared_total += len(shared)
        reported_total += len(reported)
        reported_right += sum(any(_covers(r, f) for f in shared) for r in reported)
        for f in (f for f in mine if f["status"] == "single-source"):
            single_total += 1
            single_false += any(any(_hit(x, s, e) for x in _spans(f, "a") for s, e in r["a"]) for r in reported)
        for s in doc["brief"]:
            if s["status"] not in ("corroborated", "single-source", "timeline") or not s["citations"]:
                continue
            told = s["citations"][0]
            for c in s["citations"][1:]:
                if c[0] == told[0]:
                    continue
                cite_total += 1
                a_span, b_span = (told[1:], c[1:]) if told[0] == 0 else (c[1:], told[1:])
                labelled = any(
                    any(_hit(x, *a_span) for x in _spans(f, "a")) and any(_hit(x, *b_span) for x in _spans(f, "b"))
                    for f in shared
                )
                cite_right += labelled
                ck = cite_key(key, told, c)
                if labelled:
                    cite_read_right, cite_read = cite_read_right + 1, cite_read + 1
                elif ck in cites_judged:
                    cite_read_right, cite_read = cite_read_right + cites_judged[ck], cite_read + 1
                else:
                    cites_unread.append({"pair": key, "sha": ck, "told": told, "cited": c, "text": s["text"][:300]})
        points = [s for s in doc["brief"] if s["status"] == "corroborated"][:3]
        for s in points:
            sha = hashlib.sha1(f"{key}|{s['text']}".encode()).hexdigest()[:12]
            if sha in judged:
                first_three[0] += judged[sha]
                first_three[1] += 1
            else:
                unread.append({"pair": key, "sha": sha, "text": s["text"][:300]})
    return {
        "pairs": len(pairs),
        "shared_facts": shared_total,
        "recall": shared_hit / max(1, shared_total),
        "reported": reported_total,
        "precision": reported_right / max(1, reported_total),
        "status_accuracy": status_right / max(1, status_n),
        "single_source_marked": single_total,
        "single_source_reported_shared": single_false,
        "cross_citations": cite_total,
        "citation_precision": cite_right / max(1, cite_total),
        "citation_precision_read": [cite_read_right, cite_read],
        "unread_citations": cites_unread,
        "first_three_informative": first_three,
        "unread_points": unread,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("heldout", "tune", "all"), default="heldout")
    p.add_argument("--baseline", default=BASELINE)
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--docs-only", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.docs_only:
        run_docs(Path(args.docs_only[0]), Path(args.docs_only[1]))
        return 0
    console = Console()
    pairs = [r for r in ledger_devset.records("pairs") if args.split == "all" or r["split"] == args.split]
    facts = ledger_devset.records("facts")
    if not pairs:
        console.print("no labelled pairs: label some with bench/ledger_devset.py")
        return 1
    keyed = {f"{r['a']}|{r['b']}": (r["a"], r["b"]) for r in pairs}
    versions = {"this code": REPO / "src"}
    if not args.no_baseline:
        versions = {f"baseline {args.baseline}": baseline.extract(args.baseline), **versions}
    results = {}
    for label, src in versions.items():
        found = docs(label, src, keyed)
        results[label] = score(pairs, facts, found, before_ledger=label.startswith("baseline"))
    show(results, args.split, console)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"split": args.split, "results": results}, indent=2), encoding="utf-8")
    console.print(f"wrote {OUT.relative_to(REPO)}")
    return 0


def show(results: dict[str, dict[str, Any]], split: str, console: Console) -> None:
    first = next(iter(results.values()))
    table = Table(
        title=f"fact ledger: {first['pairs']} labelled article pairs ({split}), {first['shared_facts']} shared facts"
    )
    table.add_column("measure")
    for label in results:
        table.add_column(label, justify="right")
    table.add_column("aim", justify="right")
    rows = [
        ("shared-fact recall", "recall", "{:.3f}", ">= 0.8"),
        ("shared-fact precision", "precision", "{:.3f}", ">= 0.9"),
        ("shared facts reported", "reported", "{}", ""),
        ("status accuracy (covered facts)", "status_accuracy", "{:.3f}", ""),
        ("look-alike single-source facts reported shared", "single_source_reported_shared", "{}", "0"),
        ("citation precision (cross-source citations)", "citation_precision", "{:.3f}", "1.0"),
        ("cross-source citations", "cross_citations", "{}", ""),
    ]
    for name, key, fmt, aim in rows:
        table.add_row(name, *(fmt.format(r[key]) for r in results.values()), aim)
    table.add_row(
        "citations right, labels + reading",
        *(
            f"{r['citation_precision_read'][0]}/{r['citation_precision_read'][1]} ({len(r['unread_citations'])} unread)"
            for r in results.values()
        ),
        "all",
    )
    table.add_row(
        "first three points informative (read)",
        *(
            f"{r['first_three_informative'][0]}/{r['first_three_informative'][1]} ({len(r['unread_points'])} unread)"
            for r in results.values()
        ),
        ">= 90%",
    )
    console.print(table)


if __name__ == "__main__":
    raise SystemExit(main())
