"""Speed and quality of the text stage: sentences, lead entities and full facts, on real news.

    python bench/facts.py                      # 200 AllSides articles, all 150 BASIL, 300 GVA articles
    python bench/facts.py --articles 1000 --gva 1000
    python bench/facts.py --shared /path/to/shared

Speed (one process): split_sentences, lead_entities (title + 5 sentences) and extract_facts per
article, on AllSides ``content_original`` with its publication dates. Each rate is given per wall
second and per CPU second of this process; on a shared machine the CPU-second rate is the one-core
speed. Quality:

* sentences: boundary precision/recall/F1 against BASIL's sentence lists (``body-paragraphs``, split by
  its annotators), for our splitter (spaCy senter + repairs) and for pysbd, the alternative;
* dates: on GVA local news, the share of articles where a date fact, resolved against the article's
  publication date (``dct``), covers the gold incident date within a week-wide interval (recall of
  the event date: "Friday", "last night", "Jan. 5" all need the publication date to resolve); the
  same without the publication date shows how much the anchoring adds. Part of the misses is the
  data: some articles were published months after the incident or their ``dct`` is a day off.
* counts: on the same GVA articles, how often the gold number killed / injured (when > 1) appears
  among the number facts ("two men were killed" -> 2 men).

Writes bench/results/facts.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.model import Article  # noqa: E402
from corroborator.text.facts import FACTS_ANALYSER, extract_facts  # noqa: E402
from corroborator.text.lead import lead_entities  # noqa: E402
from corroborator.text.nlp import get_nlp  # noqa: E402
from corroborator.text.sentences import split_sentences  # noqa: E402


def allsides(shared: Path, limit: int) -> list[Article]:
    out: list[Article] = []
    for shard in sorted((shared / "corpus" / "allsides" / "articles").glob("articles-*.jsonl.xz")):
        with lzma.open(shard, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                text = rec.get("content_original") or ""
                if text.strip():
                    out.append(Article.create(text, title=rec.get("title") or None, published=_date(rec)))
                if len(out) >= limit:
                    return out
    return out


def _date(rec: dict[str, object]) -> datetime | None:
    """AllSides dates are mostly ISO; empty, "M/D/YYYY" and junk like "0001-11-30" count as unknown."""
    try:
        when = datetime.fromisoformat(str(rec.get("date") or "")[:10])
    except ValueError:
        return None
    return when if when.year >= 1990 else None


def speed(articles: list[Article]) -> dict[str, float]:
    """Rates per wall second and per CPU second of this process (the one-core rate on a shared box)."""
    get_nlp("senter"), get_nlp("ner")  # load outside the timings
    clocks: dict[str, tuple[float, float]] = {}

    def timed(name: str, fn: object) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()  # type: ignore[operator]
        clocks[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        return out

    split = timed("split", lambda: [split_sentences(a) for a in track(articles, description="sentences")])
    pairs = list(zip(articles, split, strict=True))  # type: ignore[call-overload]
    timed("lead", lambda: [lead_entities(a, s, 5) for a, s in track(pairs, description="lead entities")])
    kinds: Counter[str] = Counter()
    timed(
        "facts",
        lambda: [kinds.update(f.kind for f in extract_facts(a, s)) for a, s in track(pairs, description="facts")],
    )
    n_sent = sum(len(s) for s in split)  # type: ignore[attr-defined]
    n = len(articles)
    out: dict[str, float] = {"articles": n, "sentences": n_sent}
    for name, unit, count in (("split", "sentences", n_sent), ("lead", "articles", n), ("facts", "sentences", n_sent)):
        wall, cpu = clocks[name]
        out[f"{name}_{unit}_per_s"] = count / wall
        out[f"{name}_{unit}_per_cpu_s"] = count / cpu
    out["facts_articles_per_cpu_s"] = n / clocks["facts"][1]
    out["facts_per_article"] = sum(kinds.values()) / n
    out.update({f"facts_{k}": v for k, v in sorted(kinds.items())})
    return out


def _boundaries(spans: list[tuple[int, int]]) -> set[int]:
    return {e for _, e in spans[:-1]}


def sentence_quality(shared: Path) -> dict[str, float]:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    counts = {"ours": [0, 0, 0], "pysbd": [0, 0, 0]}  # true positives, predicted, gold
    files = sorted((shared / "corpus" / "basil" / "articles").glob("*/*.json"))
    for path in track(files, description="BASIL sentences"):
        rec = json.loads(path.read_text(encoding="utf-8"))
        for para in rec.get("body-paragraphs") or []:
            sents = [s.strip() for s in para if s and s.strip()]
            if not sents:
                continue
            text = " ".join(sents)
            gold, pos = set(), 0
            for s in sents[:-1]:
                pos += len(s)
                gold.add(pos)
                pos += 1
            ours = _boundaries([(s.start, s.end) for s in split_sentences(Article.create(text))])
            theirs = set()
            for span in seg.segment(text)[:-1]:
                end = span.end
                while end > 0 and text[end - 1].isspace():
                    end -= 1
                theirs.add(end)
            for name, pred in (("ours", ours), ("pysbd", theirs)):
                counts[name][0] += len(pred & gold)
                counts[name][1] += len(pred)
                counts[name][2] += len(gold)
    out: dict[str, float] = {}
    for name, (tp, pred, gold) in counts.items():
        p, r = tp / max(pred, 1), tp / max(gold, 1)
        out[f"{name}_precision"], out[f"{name}_recall"] = p, r
        out[f"{name}_f1"] = 2 * p * r / max(p + r, 1e-9)
    out["gold_boundaries"] = counts["ours"][2]
    return out


def _gold_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%B %d, %Y").date()
    except ValueError:
        return None


def gva_quality(shared: Path, limit: int) -> dict[str, float]:
    """Event-date recall (dated and undated) and how often gold death/injury counts (> 1) are number facts."""
    gva = shared / "corpus" / "gva"
    gold: dict[str, tuple[date, int, int]] = {}
    with open(gva / "incidents_gva_frames.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            d = _gold_date(rec.get("date") or "")
            if d:
                gold[str(rec["incident_id"])] = (d, int(rec.get("num_killed") or 0), int(rec.get("num_injured") or 0))
    rows = []
    with open(gva / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text, dct = rec.get("content") or "", rec.get("dct") or ""
            if str(rec.get("incident_id")) in gold and text.strip() and len(dct) >= 10:
                rows.append((text, datetime.fromisoformat(dct[:10]), gold[str(rec["incident_id"])]))
            if len(rows) >= limit:
                break
    hits: Counter[str] = Counter()
    for text, published, (when, killed, injured) in track(rows, description="GVA dates and counts"):
        for pub, name in ((published, "dated"), (None, "undated")):
            article = Article.create(text, published=pub)
            facts = extract_facts(article, split_sentences(article))
            hits[name] += any(
                f.kind == "date"
                and f.earliest
                and f.latest
                and date.fromisoformat(f.earliest) <= when <= date.fromisoformat(f.latest)
                and (date.fromisoformat(f.latest) - date.fromisoformat(f.earliest)).days <= 7
                for f in facts
            )
        numbers = {f.number for f in facts if f.kind == "number"}
        for count, name in ((killed, "killed"), (injured, "injured")):
            if count > 1:  # one victim is "a man", hardly ever "1"
                hits[f"{name}_articles"] += 1
                hits[name] += count in numbers
    n = max(len(rows), 1)
    return {
        "gva_articles": len(rows),
        "event_date_recall": hits["dated"] / n,
        "event_date_recall_undated": hits["undated"] / n,
        "killed_count_recall": hits["killed"] / max(hits["killed_articles"], 1),
        "injured_count_recall": hits["injured"] / max(hits["injured_articles"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--articles", type=int, default=200, help="AllSides articles timed")
    parser.add_argument("--gva", type=int, default=300, help="GVA articles for the date and count recall")
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    console = Console()

    result: dict[str, object] = {"analyser": FACTS_ANALYSER}
    result["speed"] = speed(allsides(args.shared, args.articles))
    if not args.skip_quality:
        result["sentences"] = sentence_quality(args.shared)
        result["gva"] = gva_quality(args.shared, args.gva)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    table = Table(title=f"text stage ({FACTS_ANALYSER})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for section in ("speed", "sentences", "gva"):
        for key, value in (result.get(section) or {}).items():  # type: ignore[union-attr]
            shown = f"{value:,.3f}" if isinstance(value, float) and value < 10 else f"{value:,.0f}"
            table.add_row(f"{section}.{key}", shown)
    table.add_row("peak RSS (MB)", f"{result['peak_rss_mb']:,.0f}")
    console.print(table)
    out = REPO / "bench" / "results" / "facts.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
