"""The hand-labelled disagreement dev set: references into ../shared corpora, never their text.

    python bench/devset.py stories --corpus allsides|basil [--limit 40] [--split tune|heldout]
    python bench/devset.py show ARTICLE [--from N --to M]
    python bench/devset.py candidates STORY [--top 40]
    python bench/devset.py check

Article references: ``allsides:<ID>`` (the AllSides record's ``ID``; text = ``content_original``) and
``basil:<year>/<triplet>_<n>`` (text = paragraphs joined by a blank line, sentences by a space, as every
bench reads BASIL). Stories: ``allsides:<topic>:<date>`` (outlets of one topic on one day, only the day-topic
groups the NLI generator holds out: ``split_of(key) == "test"``) and ``basil:<triplet-uuid>``.

Records (``bench/devsets/disagreements/pairs.jsonl``, one sentence pair a line; ``articles.jsonl``, one
whole article pair a line with every real disagreement marked) carry spans as ``[start, end]`` character
offsets and the first 8 hex digits of the SHA-1 of each span's text, so a changed corpus is caught.
Each story is "tune" or "heldout" by its key's hash (:func:`story_split`): whole stories stay apart.
``judged*.jsonl`` holds readings of findings the product reported that no marked disagreement covers
(``judge``): whether each is a real disagreement (a contest or conflict the labeller did not mark).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import pickle
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEVSET = REPO / "bench" / "devsets" / "disagreements"
CACHE = REPO / "bench" / "results" / "devset_corpus.pickle"

PAIR_LABELS = ("agrees", "contested", "contradicts", "different_referent", "unrelated")
DISAGREEMENT_LABELS = ("contested", "contradicts")
KINDS = ("dispute", "number", "date", "entity", "speaker", "quote", "polarity", "claim", "none")
# The NLI generator's held-out buckets (bench/nli_news_pairs.py: TEST_BUCKETS of 100).
_NLI_TEST_BUCKETS = 20


@dataclass(frozen=True)
class Doc:
    ref: str
    story: str
    source: str
    title: str
    date: str
    text: str


def nli_split(key: str) -> str:
    bucket = int(hashlib.md5(key.encode()).hexdigest(), 16) % 100
    return "test" if bucket < _NLI_TEST_BUCKETS else "train"


def story_split(story: str) -> str:
    """Whole stories are tuned on or held out, never both: by the key's SHA-1, one in two each."""
    return "tune" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def span_sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _load_allsides() -> dict[str, Doc]:
    groups: dict[tuple[str, str], dict[str, tuple[str, dict[str, Any]]]] = defaultdict(dict)
    for path in sorted((SHARED / "corpus" / "allsides" / "articles").glob("articles-*.jsonl.xz")):
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                date, topic = row.get("date") or "", row.get("topic") or ""
                if not re.fullmatch(r"20\d\d-\d\d-\d\d", date) or not row.get("content_original"):
                    continue
                groups[(topic, date)].setdefault(row["source"], (row["ID"], row))
    out: dict[str, Doc] = {}
    for (topic, date), outlets in groups.items():
        key = f"allsides:{topic}:{date}"
        if len(outlets) < 2 or nli_split(key) != "test":
            continue
        for source, (rid, row) in list(outlets.items())[:4]:
            out[f"allsides:{rid}"] = Doc(
                f"allsides:{rid}", key, source, row.get("title") or "", date, row["content_original"]
            )
    return out


def _load_basil() -> dict[str, Doc]:
    out: dict[str, Doc] = {}
    root = SHARED / "corpus" / "basil" / "articles"
    for path in sorted(root.glob("*/*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        ref = "basil:" + str(path.relative_to(root).with_suffix(""))
        text = "\n\n".join(" ".join(p) for p in d["body-paragraphs"])
        out[ref] = Doc(ref, f"basil:{d['triplet-uuid']}", d["source"], d.get("title") or "", d.get("date") or "", text)
    return out


@cache
def corpus() -> dict[str, Doc]:
    """Every article a dev-set record may name, by reference (cached in bench/results/)."""
    if CACHE.exists():
        rows: list[tuple[str, ...]] = pickle.loads(CACHE.read_bytes())
        return {r[0]: Doc(*r) for r in rows}
    docs = {**_load_allsides(), **_load_basil()}
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    # Plain tuples: a pickled Doc would name the module it was made in (__main__ or devset).
    CACHE.write_bytes(pickle.dumps([(d.ref, d.story, d.source, d.title, d.date, d.text) for d in docs.values()]))
    return docs


def stories() -> dict[str, list[Doc]]:
    out: dict[str, list[Doc]] = defaultdict(list)
    for d in corpus().values():
        out[d.story].append(d)
    return dict(out)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by the product's own splitter (so a labelled span is a claim the product sees)."""
    sys.path.insert(0, str(REPO / "src"))
    from corroborator.model import Article
    from corroborator.text.sentences import split_sentences

    art = Article.create(text, language="en")
    return [(s.start, s.end) for s in split_sentences(art)]


def records(kind: str) -> Iterator[dict[str, Any]]:
    """The records of every ``<kind>*.jsonl`` file (``pairs``, ``articles``), each with ``_where``."""
    for path in sorted(DEVSET.glob(f"{kind}*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                row["_where"] = f"{path.name}:{n}"
                yield row


def _append(path: Path, row: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _ref_span(ref: str, start: int, end: int) -> tuple[list[int], str]:
    return [start, end], span_sha(corpus()[ref].text[start:end])


def span_text(ref: str, span: list[int]) -> str:
    return corpus()[ref].text[span[0] : span[1]]


def _check_span(where: str, ref: str, span: Any, sha: Any) -> list[str]:
    docs = corpus()
    if ref not in docs:
        return [f"{where}: unknown article {ref}"]
    if not (isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= len(docs[ref].text)):
        return [f"{where}: bad span {span} for {ref} ({len(docs[ref].text)} characters)"]
    if sha != span_sha(span_text(ref, span)):
        return [f"{where}: span {span} of {ref} does not match its sha {sha}"]
    return []


def check() -> list[str]:
    problems: list[str] = []
    docs = corpus()
    seen: set[tuple[str, tuple[int, int], str, tuple[int, int]]] = set()
    for row in records("pairs"):
        where = row["_where"]
        if row.get("label") not in PAIR_LABELS:
            problems.append(f"{where}: label {row.get('label')!r} not in {PAIR_LABELS}")
        if row.get("kind", "none") not in KINDS:
            problems.append(f"{where}: kind {row.get('kind')!r} not in {KINDS}")
        for s in ("a", "b"):
            problems += _check_span(where, row.get(s, ""), row.get(f"{s}_span"), row.get(f"{s}_sha"))
        a, b = docs.get(row.get("a", "")), docs.get(row.get("b", ""))
        if a and b and (a.story != row.get("story") or b.story != row.get("story")):
            problems.append(f"{where}: articles are not both of story {row.get('story')}")
        if a and b and a.source == b.source:
            problems.append(f"{where}: both sides from one outlet ({a.source})")
        key = (row.get("a", ""), tuple(row.get("a_span", ())), row.get("b", ""), tuple(row.get("b_span", ())))
        if key in seen:
            problems.append(f"{where}: duplicate pair")
        seen.add(key)
    for row in records("judged"):
        where = row["_where"]
        problems += _check_span(where, row.get("a", ""), row.get("a_span"), row.get("a_sha"))
        problems += _check_span(where, row.get("b", ""), row.get("b_span"), row.get("b_sha"))
    for row in records("articles"):
        where = row["_where"]
        for m in row.get("disagreements", []):
            if m.get("label") not in DISAGREEMENT_LABELS:
                problems.append(f"{where}: disagreement label {m.get('label')!r}")
            problems += _check_span(where, row["a"], m.get("a_span"), m.get("a_sha"))
            problems += _check_span(where, row["b"], m.get("b_span"), m.get("b_sha"))
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("stories")
    s.add_argument("--corpus", choices=("allsides", "basil"), default="allsides")
    s.add_argument("--limit", type=int, default=40)
    s.add_argument("--split", choices=("tune", "heldout"))
    s.add_argument("--min-words", type=int, default=250)
    sh = sub.add_parser("show")
    sh.add_argument("article")
    sh.add_argument("--from", dest="lo", type=int, default=0)
    sh.add_argument("--to", dest="hi", type=int, default=10**9)
    c = sub.add_parser("candidates")
    c.add_argument("story")
    c.add_argument("--top", type=int, default=40)
    sub.add_parser("check")
    sp = sub.add_parser("span")
    sp.add_argument("article")
    sp.add_argument("start", type=int)
    sp.add_argument("end", type=int)
    ap = sub.add_parser("add-pair", help="append one labelled sentence pair (b holds the dispute for 'contested')")
    ap.add_argument("--file", required=True, help="pairs-<name>.jsonl under bench/devsets/disagreements/")
    for x in ("a", "b"):
        ap.add_argument(x)
        ap.add_argument(f"{x}_start", type=int)
        ap.add_argument(f"{x}_end", type=int)
    ap.add_argument("label", choices=PAIR_LABELS)
    ap.add_argument("kind", choices=KINDS)
    ap.add_argument("--party", nargs=2, type=int, metavar=("START", "END"), help="the disputing party's span in b")
    aa = sub.add_parser("add-article", help="append one whole article pair; --mark adds each real disagreement")
    aa.add_argument("--file", required=True, help="articles-<name>.jsonl under bench/devsets/disagreements/")
    aa.add_argument("a")
    aa.add_argument("b")
    aa.add_argument(
        "--mark",
        nargs=6,
        action="append",
        default=[],
        metavar=("A_START", "A_END", "B_START", "B_END", "LABEL", "KIND"),
    )
    jd = sub.add_parser("judge", help="record a reading of one reported finding (right: a real disagreement)")
    jd.add_argument("--file", required=True, help="judged-<name>.jsonl under bench/devsets/disagreements/")
    for x in ("a", "b"):
        jd.add_argument(x)
        jd.add_argument(f"{x}_start", type=int)
        jd.add_argument(f"{x}_end", type=int)
    jd.add_argument("what", choices=("contest", "conflict"))
    jd.add_argument("verdict", choices=("right", "wrong"))
    args = p.parse_args(argv)

    if args.cmd == "judge":
        a_span, a_sha = _ref_span(args.a, args.a_start, args.a_end)
        b_span, b_sha = _ref_span(args.b, args.b_start, args.b_end)
        judged: dict[str, Any] = {"a": args.a, "a_span": a_span, "a_sha": a_sha, "b": args.b}
        judged |= {"b_span": b_span, "b_sha": b_sha}
        judged |= {"what": args.what, "right": args.verdict == "right", "by": "reading"}
        _append(DEVSET / args.file, judged)
        print(json.dumps(judged))
        return 0
    if args.cmd == "add-pair":
        docs = corpus()
        a_span, a_sha = _ref_span(args.a, args.a_start, args.a_end)
        b_span, b_sha = _ref_span(args.b, args.b_start, args.b_end)
        row: dict[str, Any] = {"story": docs[args.a].story, "a": args.a, "a_span": a_span, "a_sha": a_sha}
        row |= {"b": args.b, "b_span": b_span, "b_sha": b_sha, "label": args.label, "kind": args.kind}
        if args.party:
            row["party"], row["party_sha"] = _ref_span(args.b, *args.party)
        _append(DEVSET / args.file, row)
        print(json.dumps(row))
        return 0
    if args.cmd == "add-article":
        docs = corpus()
        marks = []
        for a_s, a_e, b_s, b_e, label, kind in args.mark:
            if label not in DISAGREEMENT_LABELS or kind not in KINDS:
                p.error(f"--mark label must be one of {DISAGREEMENT_LABELS} and kind one of {KINDS}")
            a_span, a_sha = _ref_span(args.a, int(a_s), int(a_e))
            b_span, b_sha = _ref_span(args.b, int(b_s), int(b_e))
            marks.append(
                {"a_span": a_span, "a_sha": a_sha, "b_span": b_span, "b_sha": b_sha, "label": label, "kind": kind}
            )
        record = {"story": docs[args.a].story, "a": args.a, "b": args.b, "disagreements": marks}
        _append(DEVSET / args.file, record)
        print(json.dumps(record))
        return 0

    if args.cmd == "stories":
        rows = []
        for key, members in sorted(stories().items()):
            if not key.startswith(args.corpus + ":") or (args.split and story_split(key) != args.split):
                continue
            if any(len(m.text.split()) < args.min_words for m in members):
                continue
            rows.append((key, members))
        # A stable spread over the corpus, not its first topics.
        rows.sort(key=lambda r: hashlib.sha1(r[0].encode()).hexdigest())
        for key, members in rows[: args.limit]:
            print(f"{key}  [{story_split(key)}]")
            for d in members:
                print(f"    {d.ref}  {d.source!r}  {len(d.text.split())} words  {d.title[:90]!r}")
        return 0
    if args.cmd == "show":
        d = corpus()[args.article]
        print(f"# {d.ref}  story {d.story}  source {d.source!r}  date {d.date}\n# title: {d.title}")
        for n, (a, b) in enumerate(sentences(d.text)):
            if args.lo <= n <= args.hi:
                print(f"[{n}] {a}-{b} sha={span_sha(d.text[a:b])}: {d.text[a:b]}")
        return 0
    if args.cmd == "span":
        d = corpus()[args.article]
        print(json.dumps({"text": d.text[args.start : args.end], "sha": span_sha(d.text[args.start : args.end])}))
        return 0
    if args.cmd == "candidates":
        sys.path.insert(0, str(REPO / "src"))
        import numpy as np

        from corroborator.embed import get_encoder

        members = stories()[args.story]
        enc = get_encoder()
        spans = {d.ref: sentences(d.text) for d in members}
        vecs = {d.ref: enc.encode([d.text[a:b] for a, b in spans[d.ref]]) for d in members}
        out = []
        for i, da in enumerate(members):
            for db in members[i + 1 :]:
                sim = np.asarray(vecs[da.ref]) @ np.asarray(vecs[db.ref]).T
                for ia, ib in zip(*np.unravel_index(np.argsort(-sim, axis=None)[: args.top], sim.shape), strict=True):
                    out.append((float(sim[ia, ib]), da, spans[da.ref][ia], db, spans[db.ref][ib]))
        out.sort(key=lambda r: -r[0])
        for sim_ab, da, sa, db, sb in out[: args.top]:
            print(f"{sim_ab:.2f}  {da.ref} {sa[0]}-{sa[1]}  ~  {db.ref} {sb[0]}-{sb[1]}")
            print(f"    A: {da.text[sa[0] : sa[1]]}\n    B: {db.text[sb[0] : sb[1]]}")
        return 0
    problems = check()
    for line in problems:
        print(line)
    n_pairs = sum(1 for _ in records("pairs"))
    n_articles = sum(1 for _ in records("articles"))
    print(f"{n_pairs} pairs, {n_articles} article pairs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
