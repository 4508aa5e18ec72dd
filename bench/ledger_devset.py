"""The hand-labelled fact-ledger dev set: which facts two reports of one story share, by reading.

References into ``../shared`` corpora only, never their text (the article loaders are bench/devset.py's,
plus GVA here):

    python bench/ledger_devset.py stories --corpus allsides|basil|gva [--limit 30] [--split tune|heldout]
    python bench/ledger_devset.py show ARTICLE [--from N --to M]       # sentences with their offsets
    python bench/ledger_devset.py find ARTICLE "words"                  # offsets of each occurrence
    python bench/ledger_devset.py add-story --file F STORY A B         # an article pair to label
    python bench/ledger_devset.py add-fact --file F A B --kind K --status S --a-span S E [--b-span S E] \
        --note "the labeller's own short words"
    python bench/ledger_devset.py check

GVA references are ``gva:<doc_id>`` (text = ``content``), stories ``gva:<incident_id>``.

Files under ``bench/devsets/ledger/``: ``pairs-<name>.jsonl`` (one labelled article pair a line: story,
a, b, split) and ``facts-<name>.jsonl`` (one fact a line: the pair, ``kind``, ``status``, each side's span
as ``[start, end]`` offsets with the first 8 hex digits of the SHA-1 of its text, and a note in the
labeller's words). A fact's span is the shortest phrase carrying it ("cast-iron", "2,000 homes",
"closed to traffic"); a fact both report has both spans. Every fact two reports share is marked
(exhaustive per pair), so an unmarked shared fact the product reports is a false one.

Statuses: ``corroborated`` (both state it, consistently), ``precision`` (both, one less precise: "about
2,000" / "1,950"), ``contradicted`` (a different value for the same referent), ``contested`` (one
reports a party disputing what the other states), ``single-source`` (only a: marked sparingly, for facts
a careless ledger would wrongly call shared).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devset
from devset import SHARED, Doc, span_sha, story_split

REPO = Path(__file__).resolve().parents[1]
DEVSET = REPO / "bench" / "devsets" / "ledger"
KINDS = ("event", "who", "number", "date", "time", "place", "quote", "attribution", "cause", "detail")
STATUSES = ("corroborated", "precision", "contradicted", "contested", "single-source")
SHARED_STATUSES = ("corroborated", "precision", "contradicted", "contested")
_MIN_GVA_WORDS = 120


def _load_gva() -> dict[str, Doc]:
    out: dict[str, Doc] = {}
    path = SHARED / "corpus" / "gva" / "articles.jsonl"
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row.get("content") or ""
        if len(text.split()) < _MIN_GVA_WORDS:
            continue
        ref = f"gva:{row['doc_id']}"
        source = str(row.get("outlet_host") or "").split(":")[0]
        out[ref] = Doc(ref, f"gva:{row['incident_id']}", source, row.get("title") or "", row.get("dct") or "", text)
    return out


@cache
def corpus() -> dict[str, Doc]:
    return {**devset.corpus(), **_load_gva()}


def stories() -> dict[str, list[Doc]]:
    out: dict[str, list[Doc]] = defaultdict(list)
    for d in corpus().values():
        out[d.story].append(d)
    # Two reports of one outlet are no corroboration: keep each outlet's first.
    return {k: list({d.source: d for d in reversed(v)}.values())[::-1] for k, v in out.items()}


def records(kind: str) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(DEVSET.glob(f"{kind}-*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                row["_where"] = f"{path.name}:{n}"
                rows.append(row)
    return rows


def _append(path: Path, row: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _span(ref: str, start: int, end: int) -> dict[str, Any]:
    text = corpus()[ref].text
    if not 0 <= start < end <= len(text):
        raise SystemExit(f"{ref}: span {start}-{end} outside its {len(text)} characters")
    return {"span": [start, end], "sha": span_sha(text[start:end])}


def check() -> list[str]:
    docs = corpus()
    problems: list[str] = []
    pairs = {(r["a"], r["b"]) for r in records("pairs")}
    for r in records("pairs"):
        for x in ("a", "b"):
            if r[x] not in docs:
                problems.append(f"{r['_where']}: unknown article {r[x]}")
        if r["a"] in docs and r["b"] in docs and docs[r["a"]].source == docs[r["b"]].source:
            problems.append(f"{r['_where']}: both articles from {docs[r['a']].source}")
    for r in records("facts"):
        where = r["_where"]
        if (r["a"], r["b"]) not in pairs:
            problems.append(f"{where}: pair {r['a']} {r['b']} not in any pairs-*.jsonl")
        if r.get("kind") not in KINDS:
            problems.append(f"{where}: kind {r.get('kind')!r} not in {KINDS}")
        if r.get("status") not in STATUSES:
            problems.append(f"{where}: status {r.get('status')!r} not in {STATUSES}")
        if (r.get("b_span") is None) != (r.get("status") == "single-source"):
            problems.append(f"{where}: a shared fact needs b_span, a single-source one none")
        for x in ("a", "b"):
            span, sha = r.get(f"{x}_span"), r.get(f"{x}_sha")
            if span is None:
                continue
            text = docs[r[x]].text if r[x] in docs else ""
            if not (0 <= span[0] < span[1] <= len(text)) or span_sha(text[span[0] : span[1]]) != sha:
                problems.append(f"{where}: {x} span {span} does not match its sha {sha}")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("stories")
    s.add_argument("--corpus", choices=("allsides", "basil", "gva"), default="allsides")
    s.add_argument("--limit", type=int, default=30)
    s.add_argument("--split", choices=("tune", "heldout"))
    s.add_argument("--min-words", type=int, default=200)
    sh = sub.add_parser("show")
    sh.add_argument("article")
    sh.add_argument("--from", dest="lo", type=int, default=0)
    sh.add_argument("--to", dest="hi", type=int, default=10**9)
    f = sub.add_parser("find")
    f.add_argument("article")
    f.add_argument("words")
    ast = sub.add_parser("add-story")
    ast.add_argument("--file", required=True, help="pairs-<name>.jsonl under bench/devsets/ledger/")
    ast.add_argument("story")
    ast.add_argument("a")
    ast.add_argument("b")
    af = sub.add_parser("add-fact")
    af.add_argument("--file", required=True, help="facts-<name>.jsonl under bench/devsets/ledger/")
    af.add_argument("a")
    af.add_argument("b")
    af.add_argument("--kind", required=True, choices=KINDS)
    af.add_argument("--status", required=True, choices=STATUSES)
    af.add_argument("--a-span", nargs=2, type=int, required=True, metavar=("START", "END"))
    af.add_argument("--b-span", nargs=2, type=int, metavar=("START", "END"))
    af.add_argument("--note", required=True, help="a few words of the labeller's own, never the article's")
    sub.add_parser("check")
    args = p.parse_args(argv)

    if args.cmd == "stories":
        rows = []
        for key, members in stories().items():
            if not key.startswith(args.corpus + ":") or len(members) < 2:
                continue
            if args.split and story_split(key) != args.split:
                continue
            members = [m for m in members if len(m.text.split()) >= args.min_words]
            if len(members) >= 2:
                rows.append((key, members))
        rows.sort(key=lambda r: span_sha(r[0]))  # a stable spread over the corpus
        for key, members in rows[: args.limit]:
            print(f"{key}  [{story_split(key)}]")
            for d in members:
                print(f"    {d.ref}  {d.source!r}  {d.date}  {len(d.text.split())} words  {d.title[:80]!r}")
        return 0
    if args.cmd == "show":
        d = corpus()[args.article]
        print(f"# {d.ref}  story {d.story}  source {d.source!r}  date {d.date}\n# title: {d.title}")
        for n, (a, b) in enumerate(devset.sentences(d.text)):
            if args.lo <= n <= args.hi:
                print(f"[{n}] {a}-{b}: {d.text[a:b]}")
        return 0
    if args.cmd == "find":
        text = corpus()[args.article].text
        for m in re.finditer(re.escape(args.words), text, re.IGNORECASE):
            print(f"{m.start()} {m.end()}  …{text[max(0, m.start() - 40) : m.end() + 40]!r}…")
        return 0
    if args.cmd == "add-story":
        docs = corpus()
        for ref in (args.a, args.b):
            if docs[ref].story != args.story:
                p.error(f"{ref} is of story {docs[ref].story}, not {args.story}")
        row = {"story": args.story, "a": args.a, "b": args.b, "split": story_split(args.story)}
        _append(DEVSET / args.file, row)
        print(json.dumps(row))
        return 0
    if args.cmd == "add-fact":
        if (args.b_span is None) != (args.status == "single-source"):
            p.error("a shared fact needs --b-span; a single-source one none")
        a_side = _span(args.a, *args.a_span)
        row = {"story": corpus()[args.a].story, "a": args.a, "b": args.b, "kind": args.kind, "status": args.status}
        row |= {"a_span": a_side["span"], "a_sha": a_side["sha"]}
        if args.b_span:
            b_side = _span(args.b, *args.b_span)
            row |= {"b_span": b_side["span"], "b_sha": b_side["sha"]}
        row["note"] = args.note
        _append(DEVSET / args.file, row)
        print(json.dumps(row))
        return 0
    problems = check()
    for problem in problems:
        print(problem)
    print(f"{len(records('pairs'))} pairs, {len(records('facts'))} facts, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
