"""Article versions on real edits: CNN Lite articles saved each time their text changed.

    python bench/versions.py                     # every consecutive version pair (553)
    python bench/versions.py --limit 100         # the first 100 pairs
    python bench/versions.py sample --n 50       # reported changes to read, with their references
    python bench/versions.py --shared /path/to/shared

Data: ../shared/corpus/cnn_lite_versions.jsonl.xz (466 URLs with 2+ versions, 1,019 records; read from
there, never copied). Each consecutive pair of one URL is diffed by
:func:`corroborator.provenance.versions.diff_versions`.

* found: gold by rule from the raw texts (bench/versions_gold.py): numbers, quoted strings and
  capitalised names in one version and not the other. An item is found when a reported fact change
  covers one of its occurrences on its side (fact level), or a reported claim change does (claim level).
* precision by reading: real changes sampled by ``sample`` were read and judged; the judgments are
  references (URL hash, version indexes, claim offsets, the first 8 hex of each span's SHA-1) and a
  label in bench/devsets/versions/reading.jsonl, never the text. A claim change is right when the
  claim really was added / removed / changed (not a formatting refactor); each of its fact changes is
  right when that typed value really was added, removed or revised.
* refactors: each version edited by rule without changing a fact (bench/versions_gold.py: paragraphs
  swapped and split, commas and spaces, quote marks); the share of those pairs with no real change
  reported, and the real changes reported over all of them.
* store growth per version: bytes a SQLite store grows by per recorded version (the version rows hold
  whole texts; no sentences, facts or vectors are kept for them), beside the text size.

Writes bench/results/versions.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import pickle
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from corroborator.model import Article, Claim  # noqa: E402
from corroborator.provenance.versions import (  # noqa: E402
    ArticleVersion,
    ClaimChange,
    VersionDiff,
    diff_versions,
    version_claims,
)
from corroborator.text.facts import FACTS_ANALYSER  # noqa: E402
from versions_gold import Item, changed_items, key, refactor  # noqa: E402

DATA = ("corpus", "cnn_lite_versions.jsonl.xz")
READING = REPO / "bench" / "devsets" / "versions" / "reading.jsonl"
CACHE = REPO / "bench" / "results" / "versions_claims.pickle"
OUT = REPO / "bench" / "results" / "versions.json"


def url_ref(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:12]


def span_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def load(shared: Path) -> dict[str, list[dict[str, Any]]]:
    by_url: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with lzma.open(shared.joinpath(*DATA), "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by_url[rec["url"]].append(rec)
    return by_url


def article(rec: dict[str, Any]) -> Article:
    return Article.create(rec["text"], title=rec.get("title"), url=rec["url"], source="CNN", language="en")


class Claims:
    """Claims per version text, cached across runs (analysis is the slow part; the diff is not)."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[Claim, ...]] = {}
        if CACHE.exists():
            stored = pickle.loads(CACHE.read_bytes())
            if stored.get("analyser") == FACTS_ANALYSER:
                self.cache = stored["claims"]
        self.dirty = False

    def __call__(self, art: Article) -> tuple[Claim, ...]:
        if art.id not in self.cache:
            self.cache[art.id] = version_claims(ArticleVersion(art))
            self.dirty = True
        return self.cache[art.id]

    def save(self) -> None:
        if self.dirty:
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            CACHE.write_bytes(pickle.dumps({"analyser": FACTS_ANALYSER, "claims": self.cache}))


def pairs(by_url: dict[str, list[dict[str, Any]]], limit: int | None) -> list[tuple[str, int, dict, dict]]:
    out = [(url, i, recs[i], recs[i + 1]) for url, recs in by_url.items() for i in range(len(recs) - 1)]
    return out[:limit] if limit else out


def diff_pair(claims: Claims, a: dict[str, Any], b: dict[str, Any]) -> VersionDiff:
    x, y = article(a), article(b)
    return diff_versions(x, y, claims=(claims(x), claims(y)))


# -- found -------------------------------------------------------------------------------------------------


def _spans(diff: VersionDiff, side: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """(typed fact spans, all fact spans: the typed ones and the names and figures read by rule where no
    typed fact was, claim spans) of the body's real changes on one side."""
    typed, facts, claims = [], [], []
    for c in diff.real:
        if c.part != "body":
            continue
        claim = c.before if side == "before" else c.after
        if claim is not None:
            claims.append((claim.start, claim.end))
        for f in c.facts:
            fact = f.before if side == "before" else f.after
            if fact is not None:
                facts.append((fact.start, fact.end))
                if fact.label != "rule":
                    typed.append((fact.start, fact.end))
    return typed, facts, claims


def _covered(item: Item, spans: list[tuple[int, int]]) -> bool:
    return any(s < e2 and s2 < e for s, e in item.spans for s2, e2 in spans)


def found(diff: VersionDiff, a: str, b: str, tally: Counter[str], misses: list[dict[str, Any]], ref: dict) -> None:
    sides = {"before": _spans(diff, "before"), "after": _spans(diff, "after")}
    for item in changed_items(a, b):
        typed, facts, claims = sides[item.side]
        tally[f"{item.kind}.gold"] += 1
        tally[f"{item.kind}.typed"] += _covered(item, typed)
        fact_hit = _covered(item, facts)
        tally[f"{item.kind}.fact"] += fact_hit
        tally[f"{item.kind}.claim"] += _covered(item, claims)
        if not fact_hit:
            s, e = item.spans[0]
            misses.append({**ref, "kind": item.kind, "side": item.side, "span": [s, e]})


# -- refactors ---------------------------------------------------------------------------------------------


def refactors(claims: Claims, by_url: dict[str, list[dict[str, Any]]], n: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    recs = [recs[0] for recs in by_url.values()]
    rng.shuffle(recs)
    clean, reported, kinds = 0, 0, Counter[str]()
    for rec in track(recs[:n], description="planted refactors"):
        x = article(rec)
        text, _made = refactor(rec["text"], rng)
        y = Article.create(text, title=x.title, url=x.url, source=x.source, language="en")
        diff = diff_versions(x, y, claims=(claims(x), version_claims(ArticleVersion(y))))
        reported += len(diff.real)
        clean += not diff.real
        kinds.update(c.kind for c in diff.changes)
    return {"pairs": min(n, len(recs)), "no_change_reported": clean / max(1, min(n, len(recs))),
            "real_changes_reported": reported, "kinds": dict(kinds)}  # fmt: skip


# -- precision by reading ----------------------------------------------------------------------------------


def change_ref(url: str, i: int, c: ClaimChange) -> dict[str, Any]:
    ref: dict[str, Any] = {"url": url_ref(url), "before": i, "after": i + 1, "kind": c.kind, "part": c.part}
    for side, claim in (("before_span", c.before), ("after_span", c.after)):
        ref[side] = [claim.start, claim.end, span_hash(claim.text)] if claim is not None else None
    return ref


def _same_change(ref: dict[str, Any], label: dict[str, Any]) -> bool:
    keys = ("url", "before", "after", "part", "before_span", "after_span")
    return all(ref[k] == label[k] for k in keys)


def precision(reported: list[tuple[dict[str, Any], ClaimChange]], labels: list[dict[str, Any]]) -> dict[str, Any]:
    """Labels applied to the changes reported now; a label whose change is no longer reported is stale."""
    read = right = facts = facts_right = kinds_wrong = 0
    stale = 0
    for label in labels:
        match = next((c for ref, c in reported if _same_change(ref, label)), None)
        if match is None:
            stale += 1
            continue
        read += 1
        right += label["label"] == "right" and label["kind"] == match.kind
        wrong_facts = {tuple(s) for s in label.get("facts_wrong", [])}
        kinds_wrong += len(label.get("kinds_wrong", []))
        for f in match.facts:
            fact = f.after or f.before
            assert fact is not None
            facts += 1
            facts_right += (fact.start, fact.end) not in wrong_facts
    return {"changes_read": read, "changes_right": right, "precision": right / max(1, read),
            "facts_read": facts, "facts_right": facts_right, "fact_precision": facts_right / max(1, facts),
            "stale_labels": stale, "fact_kinds_mislabelled": kinds_wrong}  # fmt: skip


def read_labels() -> list[dict[str, Any]]:
    if not READING.exists():
        return []
    return [json.loads(line) for line in READING.read_text(encoding="utf-8").splitlines() if line.strip()]


def _nearest(claim: Claim, others: tuple[Claim, ...]) -> tuple[float, str]:
    import difflib

    scored = [(difflib.SequenceMatcher(None, claim.text.split(), o.text.split()).ratio(), o.text) for o in others]
    return max(scored, default=(0.0, ""))


def sample(args: argparse.Namespace, console: Console) -> None:
    """Print reported real changes to read (with the nearest claim of the other version for an added or
    removed one, and the edited words of a changed one), skipping those already labelled."""
    by_url = load(args.shared)
    claims = Claims()
    reported = []
    for url, i, a, b in pairs(by_url, args.limit):
        diff = diff_pair(claims, a, b)
        reported += [(url, i, c, a, b) for c in diff.real]
    claims.save()
    rng = random.Random(args.seed)
    labelled = read_labels()
    for url, i, c, a, b in rng.sample(reported, min(args.n, len(reported))):
        ref = change_ref(url, i, c)
        if any(_same_change(ref, lab) for lab in labelled):
            continue
        console.print(json.dumps(ref))
        console.print(f"[red]- {c.before.text if c.before else ''}[/red]")
        console.print(f"[green]+ {c.after.text if c.after else ''}[/green]")
        if c.before is None and c.after is not None:
            score, text = _nearest(c.after, claims(article(a)))
            console.print(f"  nearest before ({score:.2f}): {text}")
        if c.after is None and c.before is not None:
            score, text = _nearest(c.before, claims(article(b)))
            console.print(f"  nearest after ({score:.2f}): {text}")
        for e in c.edits:
            console.print(
                f"  edit: {a['text'][e.before_start : e.before_end]!r} -> {b['text'][e.after_start : e.after_end]!r}"
            )
        for f in c.facts:
            fact = f.after or f.before
            assert fact is not None
            console.print(f"    [{fact.start}, {fact.end}] {f.summary}{' (rule)' if fact.label == 'rule' else ''}")
        console.print(f"    note: {c.note}")


def measure(args: argparse.Namespace, console: Console) -> None:
    by_url = load(args.shared)
    claims = Claims()
    tally: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    reported: list[tuple[dict[str, Any], ClaimChange]] = []
    headlines = {"changed": 0, "reported": 0}
    todo = pairs(by_url, args.limit)
    for url, i, a, b in track(todo, description="version pairs"):
        diff = diff_pair(claims, a, b)
        kinds.update(c.kind for c in diff.changes)
        found(diff, a["text"], b["text"], tally, misses, {"url": url_ref(url), "before": i})
        reported += [(change_ref(url, i, c), c) for c in diff.real]
        if key(a.get("title") or "") != key(b.get("title") or ""):  # more than formatting
            headlines["changed"] += 1
            headlines["reported"] += diff.headline is not None and diff.headline.real
    claims.save()
    result: dict[str, Any] = {"pairs": len(todo), "analyser": FACTS_ANALYSER, "claim_kinds": dict(kinds)}
    result["found"] = {
        kind: {"gold": tally[f"{kind}.gold"], "fact_level": tally[f"{kind}.fact"] / max(1, tally[f"{kind}.gold"]),
               "typed_facts_only": tally[f"{kind}.typed"] / max(1, tally[f"{kind}.gold"]),
               "claim_level": tally[f"{kind}.claim"] / max(1, tally[f"{kind}.gold"])}
        for kind in ("number", "name", "quote")
    }  # fmt: skip
    result["headlines"] = {**headlines, "share": headlines["reported"] / max(1, headlines["changed"])}
    result["reading"] = precision(reported, read_labels())
    result["refactors"] = refactors(claims, by_url, args.refactors, args.seed)
    result["store_growth"] = store_growth(by_url)
    result["misses_sample"] = misses[:: max(1, len(misses) // 40)][:40]
    show(result, console)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {OUT.relative_to(REPO)}")


def store_growth(by_url: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    """Bytes a SQLite store grows by per recorded version (each first record stored as an article, every
    later one as its version), beside the mean version text size."""
    import tempfile

    from corroborator.model import AnalysedArticle
    from corroborator.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "growth.db"
        with open_store(str(path)) as store:
            firsts = {url: article(recs[0]) for url, recs in by_url.items()}
            store.add([AnalysedArticle(a, ()) for a in firsts.values()])
        before = path.stat().st_size
        texts = 0
        with open_store(str(path)) as store:
            n = 0
            for url, recs in by_url.items():
                for rec in recs[1:]:
                    n += store.add_version(firsts[url].id, article(rec)) == "version"
                    texts += len(rec["text"].encode("utf-8"))
        grown = path.stat().st_size - before
    return {"versions": n, "bytes_per_version": grown / max(1, n), "text_bytes_per_version": texts / max(1, n)}


def show(result: dict[str, Any], console: Console) -> None:
    table = Table(title=f"article versions: {result['pairs']} CNN Lite version pairs")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    for kind, row in result["found"].items():
        table.add_row(
            f"{kind}s changed, found as fact changes ({row['gold']} gold)", f"{row['fact_level']:.3f}", ">= 0.9"
        )
        table.add_row("  by typed facts alone (no rule-read names/figures)", f"{row['typed_facts_only']:.3f}", "")
        table.add_row("  inside a reported claim change", f"{row['claim_level']:.3f}", "")
    h = result["headlines"]
    table.add_row(f"headlines changed, reported ({h['changed']})", f"{h['share']:.3f}", "")
    r = result["reading"]
    table.add_row(
        f"precision of claim changes by reading ({r['changes_read']} read)", f"{r['precision']:.3f}", ">= 0.9"
    )
    table.add_row(f"precision of their fact changes ({r['facts_read']})", f"{r['fact_precision']:.3f}", ">= 0.9")
    table.add_row("  of those, right value but a wrong entity type (NER)", str(r["fact_kinds_mislabelled"]), "")
    f = result["refactors"]
    table.add_row(f"planted refactors with no change reported ({f['pairs']})", f"{f['no_change_reported']:.3f}", "1.0")
    table.add_row("real changes reported on planted refactors", str(f["real_changes_reported"]), "0")
    g = result["store_growth"]
    table.add_row(
        f"store growth per version, SQLite ({g['versions']} versions)",
        f"{g['bytes_per_version']:,.0f} B",
        f"text {g['text_bytes_per_version']:,.0f} B",
    )
    console.print(table)
    console.print(f"claim changes over all pairs: {result['claim_kinds']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="measure", choices=("measure", "sample"))
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=None, help="first N version pairs")
    parser.add_argument("--refactors", type=int, default=100, help="articles given planted refactors")
    parser.add_argument("--n", type=int, default=50, help="changes to sample for reading")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    console = Console(width=160)
    (sample if args.command == "sample" else measure)(args, console)


if __name__ == "__main__":
    main()
