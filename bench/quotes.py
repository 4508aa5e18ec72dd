"""Quote provenance on real news: clusters on AllSides and MEANTIME, their precision by reading, and
mutations planted by rule.

    python bench/quotes.py                          # AllSides 2020-05-01..2020-06-30 (<= 1500 articles), MEANTIME
    python bench/quotes.py --limit 3000 --since 2020-03-01 --until 2020-06-30
    python bench/quotes.py --show 60                # print clusters to read (for the dev set)
    python bench/quotes.py --reuse                  # reuse the quotes found last run (bench/results/)

* AllSides: the articles of a dense window of dates (outlets covering the same events), facts made as
  the product makes them, quotes clustered with the multilingual encoder. Reported: quotes, clusters of
  2+ outlets, their sizes, time.
* Reading (``bench/devsets/quotes/allsides.jsonl``): one line per cluster read, naming the cluster by
  its key, its first appearance (AllSides ``ID`` + offsets) and its members (IDs + offsets), never the
  quote text, with the reader's labels: ``cluster`` ("right": every member is the same quote of the
  same speaker; "wrong") and ``first`` ("right": no member is dated earlier and the first is not
  crediting another member; "wrong"; "tied": dates tie and nothing tells them apart). A label is
  scored only when the cluster's members as clustered now are the ones read (else "stale").
* MEANTIME: the 120 English Wikinews articles and their es/it/nl translations; a cluster is pure when
  all its members are of one article id, and an English quote is matched when its cluster holds the
  same article in another language.
* Planted mutations: AllSides quotes of 8+ words edited by rule (a word swapped, a clause dropped, a
  negation added, a number changed, a filler dropped); recall = the edited copy lands in the quote's
  cluster and the mutation is found; classification = meaning-changing as the rule says.

Writes bench/results/quotes.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import pickle
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.embed import get_encoder  # noqa: E402
from corroborator.model import Article  # noqa: E402
from corroborator.provenance.quote_words import tokens  # noqa: E402
from corroborator.provenance.quotes import (  # noqa: E402
    QuoteCluster,
    QuoteItem,
    cluster_quotes,
    collect_quotes,
    worth_clustering,
)
from corroborator.text.facts import extract_facts  # noqa: E402
from corroborator.text.sentences import split_sentences  # noqa: E402

SHARED = REPO.parent / "shared"
DEVSET = REPO / "bench" / "devsets" / "quotes"
RESULTS = REPO / "bench" / "results"
console = Console()


def _date(value: str) -> datetime | None:
    try:
        when = datetime.fromisoformat((value or "")[:10])
    except ValueError:
        return None
    return when if when.year >= 1990 else None


def allsides(shared: Path, since: str, until: str, limit: int) -> list[Article]:
    out: list[Article] = []
    for shard in sorted((shared / "corpus" / "allsides" / "articles").glob("articles-*.jsonl.xz")):
        with lzma.open(shard, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                day = (rec.get("date") or "")[:10]
                text = rec.get("content_original") or ""
                if since <= day <= until and text.strip():
                    out.append(
                        Article(id=rec["ID"], text=text, source=rec.get("source"), title=rec.get("title"),
                                published=_date(day), language="en", external_id=rec["ID"])
                    )  # fmt: skip
    out.sort(key=lambda a: a.id)
    random.Random(24).shuffle(out)
    return out[:limit]


def meantime(shared: Path) -> list[Article]:
    out = []
    for lang in ("en", "es", "it", "nl"):
        for line in (shared / "corpus" / f"meantime_{lang}" / "articles.jsonl").open(encoding="utf-8"):
            rec = json.loads(line)
            out.append(
                Article(id=f"{lang}:{rec['id']}", text=rec["text"], source=f"Wikinews ({lang})", title=rec["title"],
                        published=_date(rec["date"]), language=lang, external_id=rec["id"])
            )  # fmt: skip
    return out


def quote_items(articles: list[Article], label: str) -> list[QuoteItem]:
    items: list[QuoteItem] = []
    for a in track(articles, description=f"{label}: facts"):
        sents = split_sentences(a)
        items.extend(collect_quotes(a, sents, extract_facts(a, sents), story=a.external_id))
    return items


def cluster(items: list[QuoteItem], outlets: set[str]) -> tuple[list[QuoteCluster], float]:
    t = time.perf_counter()
    vectors = get_encoder().encode([i.text for i in items]) if items else None
    return cluster_quotes(items, vectors, outlets), time.perf_counter() - t


# ------------------------------------------------------------------------------------------ reading


def members(c: QuoteCluster) -> list[list[Any]]:
    return sorted([a.article_id, a.start, a.end] for a in c.appearances)


def reading(clusters: list[QuoteCluster]) -> dict[str, Any]:
    path = DEVSET / "allsides.jsonl"
    if not path.exists():
        return {"read": 0}
    by_key = {c.key: c for c in clusters}
    n = right = first_n = first_right = stale = tied = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        c = by_key.get(rec["key"])
        if c is None or members(c) != rec["members"]:
            stale += 1
            continue
        n += 1
        right += rec["cluster"] == "right"
        if rec["first"] == "tied":
            tied += 1
        else:
            first_n += 1
            first_right += rec["first"] == "right"
    return {
        "read": n,
        "stale": stale,
        "cluster_precision": right / n if n else None,
        "first_right": first_right / first_n if first_n else None,
        "first_tied": tied,
    }


def show(clusters: list[QuoteCluster], count: int) -> None:
    """Clusters of 2+ outlets, sampled evenly, for a person to read and label."""
    multi = [c for c in clusters if len(c.appearances) > 1]
    rng = random.Random(50)
    for c in sorted(rng.sample(multi, min(count, len(multi))), key=lambda c: c.key):
        print(json.dumps({"key": c.key, "members": members(c)}))
        print(f"  speaker={c.speaker!r} tied={c.first_tied} outside={c.credited_outside}")
        for a in c.appearances:
            when = a.published.date() if a.published else None
            print(f"  {when} {a.source!r:28} {a.speaker!r:24} credits={a.credits} {a.text[:160]!r}")
            for m in a.mutations:
                print(f"      {m.kind} {m.why} meaning={m.meaning} {m.before!r} -> {m.after!r}")


# ------------------------------------------------------------------------------------ planted edits

FILLERS = ("really", "just", "very", "actually")


def plant(text: str, rule: str, rng: random.Random) -> tuple[str, bool] | None:
    """``text`` edited by ``rule``, and whether the edit changes the meaning; None when it does not apply."""
    toks = tokens(text)
    words = [t for t in toks if t.word.isalpha() and len(t.word) > 3 and t.start > 0]
    if rule == "swap" and words:
        w = rng.choice(words)
        return text[: w.start] + "something" + text[w.end :], False
    if rule == "drop_clause":
        for sep in (", ", " and ", " but ", " because "):
            cut = text.find(sep, len(text) // 4)
            if cut != -1:
                nxt = text.find(",", cut + len(sep))
                end = nxt if nxt != -1 else len(text)
                dropped = tokens(text[cut:end])
                if len(dropped) >= 5 and end < len(text):
                    return text[:cut] + text[end:], True
        return None
    if rule == "negate":
        for aux in (" is ", " are ", " was ", " were ", " will ", " can ", " would ", " should "):
            pos = text.find(aux)
            if pos != -1 and " not " not in text and "n't" not in text:
                return text[: pos + len(aux)] + "not " + text[pos + len(aux) :], True
        return None
    if rule == "number":
        for t in toks:
            if t.word.isdigit():
                return text[: t.start] + str(int(t.word) + 7) + text[t.end :], True
        return None
    if rule == "filler":
        for f in FILLERS:
            pos = text.find(f" {f} ")
            if pos != -1:
                return text[:pos] + text[pos + len(f) + 1 :], False
        return None
    raise ValueError(rule)


RULES = ("swap", "drop_clause", "negate", "number", "filler")


def planted(items: list[QuoteItem], per_rule: int) -> dict[str, Any]:
    rng = random.Random(7)
    long_items = [i for i in items if len(tokens(i.text)) >= 8]
    rng.shuffle(long_items)
    edits: list[tuple[str, QuoteItem, QuoteItem, bool]] = []
    for rule in RULES:
        taken = 0
        for item in long_items:
            done = plant(item.text, rule, rng)
            if done is None:
                continue
            text, meaning = done
            # The edited copy is a later article of another outlet quoting the same words.
            later = replace(item, article_id=f"planted-{rule}-{taken}", text=text, source="Planted Desk",
                            published=(item.published or datetime(2020, 1, 1)).replace(year=2021))  # fmt: skip
            edits.append((rule, item, later, meaning))
            taken += 1
            if taken >= per_rule:
                break
    out: dict[str, Any] = {}
    # The edited copies among all the quotes, so each competes with every other quote for its cluster.
    pool = list(items) + [e[2] for e in edits]
    vectors = get_encoder().encode([i.text for i in pool])
    clusters = cluster_quotes(pool, vectors)
    home = {(a.article_id, a.start): c for c in clusters for a in c.appearances}
    for rule in RULES:
        found = classified = n = 0
        for r, original, later, meaning in edits:
            if r != rule:
                continue
            n += 1
            c = home.get((later.article_id, later.start))
            if c is None or (original.article_id, original.start) not in {
                (a.article_id, a.start) for a in c.appearances
            }:
                continue
            mine = next(a for a in c.appearances if a.article_id == later.article_id)
            if mine.mutations:
                found += 1
                classified += mine.meaning_changed == meaning
        out[rule] = {"planted": n, "found": found, "classified": classified}
    total = sum(v["planted"] for v in out.values())
    out["recall"] = sum(v["found"] for v in out.values() if isinstance(v, dict)) / total if total else None
    out["classified"] = sum(v["classified"] for v in out.values() if isinstance(v, dict)) / total if total else None
    return out


# ------------------------------------------------------------------------------------------ MEANTIME


def meantime_scores(clusters: list[QuoteCluster]) -> dict[str, Any]:
    multi = [c for c in clusters if len(c.appearances) > 1]
    pure = sum(len({a.story for a in c.appearances}) == 1 for c in multi)
    en = matched = 0
    for c in clusters:
        for a in c.appearances:
            if a.language == "en":
                en += 1
                matched += any(b.language != "en" and b.story == a.story for b in c.appearances)
    four = sum(len(c.languages) == 4 for c in multi)
    return {
        "clusters_2plus": len(multi),
        "purity": pure / len(multi) if multi else None,
        "en_quotes": en,
        "en_matched_translation": matched / en if en else None,
        "clusters_4_languages": four,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--since", default="2020-05-01")
    ap.add_argument("--until", default="2020-06-30")
    ap.add_argument("--limit", type=int, default=1500)
    ap.add_argument("--planted", type=int, default=40, help="edits per rule")
    ap.add_argument("--show", type=int, default=0, help="print N clusters to read, then stop")
    ap.add_argument("--reuse", action="store_true", help="reuse the quotes found by the last run")
    args = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    cache = RESULTS / "quotes_items.pickle"  # our own file in a gitignored folder
    t0 = time.perf_counter()
    if args.reuse and cache.exists():
        as_items, mt_items, n_as, n_mt, outlets = pickle.loads(cache.read_bytes())
        as_items = [i for i in as_items if worth_clustering(i.text)]
        mt_items = [i for i in mt_items if worth_clustering(i.text)]
    else:
        arts = allsides(args.shared, args.since, args.until, args.limit)
        mt = meantime(args.shared)
        as_items, mt_items = quote_items(arts, "AllSides"), quote_items(mt, "MEANTIME")
        n_as, n_mt, outlets = len(arts), len(mt), {a.source for a in arts if a.source}
        cache.write_bytes(pickle.dumps((as_items, mt_items, n_as, n_mt, outlets)))
    facts_s = time.perf_counter() - t0
    as_clusters, as_s = cluster(as_items, outlets)
    if args.show:
        show(as_clusters, args.show)
        return
    mt_clusters, mt_s = cluster(mt_items, set())
    sizes = Counter(min(len(c.appearances), 5) for c in as_clusters)
    multi = [c for c in as_clusters if len(c.appearances) > 1]
    results: dict[str, Any] = {
        "allsides": {
            "articles": n_as,
            "window": [args.since, args.until],
            "quotes": len(as_items),
            "clusters": len(as_clusters),
            "clusters_2plus": len(multi),
            "sizes": {("5+" if k == 5 else str(k)): v for k, v in sorted(sizes.items())},
            "with_mutations": sum(c.mutated for c in multi),
            "meaning_changed": sum(c.meaning_changed for c in multi),
            "credit_earlier": sum(any(a.credits_earlier for a in c.appearances) for c in multi),
            "credited_outside": sum(bool(c.credited_outside) for c in multi),
            "cluster_s": as_s,
            **reading(as_clusters),
        },
        "meantime": {"articles": n_mt, "quotes": len(mt_items), "cluster_s": mt_s, **meantime_scores(mt_clusters)},
        "planted": planted(as_items, args.planted),
        "facts_s": facts_s,
    }
    (RESULTS / "quotes.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = Table("measure", "value", "target", title="quote provenance (bench/quotes.py)")
    a, m, p = results["allsides"], results["meantime"], results["planted"]

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    table.add_row("AllSides articles / quotes", f"{a['articles']} / {a['quotes']}", "")
    table.add_row("AllSides clusters of 2+ articles", str(a["clusters_2plus"]), "")
    table.add_row("  with mutations / meaning-changing", f"{a['with_mutations']} / {a['meaning_changed']}", "")
    table.add_row(
        "  crediting an earlier outlet / one not in the store", f"{a['credit_earlier']} / {a['credited_outside']}", ""
    )
    table.add_row(f"cluster precision (read {a.get('read', 0)}, stale {a.get('stale', 0)})",
                  pct(a.get("cluster_precision")), ">= 0.9")  # fmt: skip
    table.add_row(
        f"first appearance right ({a.get('first_tied', 0)} tied left out)", pct(a.get("first_right")), ">= 0.9"
    )
    table.add_row("MEANTIME clusters of 2+ / pure (one article id)", f"{m['clusters_2plus']} / {pct(m['purity'])}", "")
    table.add_row("MEANTIME English quotes matched to a translation", pct(m["en_matched_translation"]), "")
    table.add_row("MEANTIME clusters in all 4 languages", str(m["clusters_4_languages"]), "")
    for rule in RULES:
        r = p[rule]
        table.add_row(f"planted {rule}: found / classified", f"{r['found']}/{r['planted']} / {r['classified']}", "")
    table.add_row("planted mutation recall", pct(p["recall"]), ">= 0.9")
    table.add_row("planted meaning classified right", pct(p["classified"]), "")
    table.add_row("time: facts / cluster AllSides (s)", f"{facts_s:.0f} / {a['cluster_s']:.1f}", "")
    console.print(table)


if __name__ == "__main__":
    main()
