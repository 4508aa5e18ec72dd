"""Across languages: an English MEANTIME article compared with its Spanish translation, then with planted changes.

    python bench/languages.py                  # 6 article pairs (spread over the 4 topics)
    python bench/languages.py --pairs 20 --lang es
    python bench/languages.py --shared /path/to/shared

MEANTIME (``shared/corpus/meantime_en``, ``_es``, ``_it``, ``_nl``) holds the same Wikinews articles in four
languages, paired by id. For each picked pair the English article and its translation are compared with
``compare_articles`` (the whole pipeline: sentences, facts, claims, alignment, conflicts), and reported:

* aligned: the share of claims, on both sides, that come out corroborated (a translation says the
  same thing: this should be close to 1);
* false conflicts: conflicts between the two (not merely "less precise" ones): every one is false;
* planted: in the translation one figure is doubled and one date's year moved back two years (in two
  different sentences of the body); found = a conflict with a side on the planted span.

Baseline, in the same run: the same comparisons with the translation taken for English (``language="en"``),
which is what the system did before per-language analysis: English sentence rules, English spaCy and English
date and figure rules on the translated text.

Writes bench/results/languages.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.compare import compare_articles  # noqa: E402
from corroborator.model import Article, Fact  # noqa: E402
from corroborator.text.facts import extract_facts  # noqa: E402
from corroborator.text.sentences import split_sentences  # noqa: E402

_DIGITS = re.compile(r"\d[\d.,]*")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def load(shared: Path, lang: str) -> dict[str, dict[str, Any]]:
    path = shared / "corpus" / f"meantime_{lang}" / "articles.jsonl"
    return {row["id"]: row for row in (json.loads(line) for line in path.open(encoding="utf-8"))}


def article(row: dict[str, Any], language: str | None) -> Article:
    return Article.create(
        row["text"],
        title=row["title"],
        language=language,
        published=datetime.fromisoformat(row["date"]),
        source=f"wikinews-{row['language']}",
        external_id=f"{row['id']}-{row['language']}",
    )


def pick(en: dict[str, dict[str, Any]], other: dict[str, dict[str, Any]], n: int) -> list[str]:
    """The first ids of each topic in id order, round-robin over topics, so every topic is present."""
    by_topic: dict[str, list[str]] = {}
    for key in sorted(set(en) & set(other), key=lambda k: (len(k), k)):
        by_topic.setdefault(en[key]["topic"], []).append(key)
    out: list[str] = []
    while len(out) < n and any(by_topic.values()):
        for ids in by_topic.values():
            if ids and len(out) < n:
                out.append(ids.pop(0))
    return out


def _double(raw: str) -> str:
    """The figure ``raw`` ("40.000", "179", "20,1") with its leading number doubled, written alike."""
    m = _DIGITS.search(raw)
    assert m is not None
    digits = m.group().rstrip(".,")
    if "," in digits:  # a decimal comma: double the integer part
        whole, _, frac = digits.partition(",")
        new = f"{int(whole.replace('.', '')) * 2:,}".replace(",", ".") + "," + frac
    else:
        value = int(digits.replace(".", ""))
        new = f"{value * 2:,}".replace(",", ".") if "." in digits else str(value * 2)
    return raw[: m.start()] + new + raw[m.start() + len(digits) :]


def plant(a: Article) -> tuple[Article, list[tuple[str, int, int]]]:
    """The article with one figure doubled and one date's year moved back two years, in two different body
    sentences (after the title and dateline); returns the new article and the planted (kind, start, end)."""
    sentences = split_sentences(a)
    facts = extract_facts(a, sentences)
    body_start = sentences[2].start if len(sentences) > 2 else 0
    figure = next(
        (f for f in facts if f.kind in ("money", "number") and f.start >= body_start and (f.number or 0) >= 2), None
    )
    date = next(
        (
            f
            for f in facts
            if f.kind == "date"
            and f.start >= body_start
            and _YEAR.search(f.text)
            and (figure is None or f.sentence != figure.sentence)
        ),
        None,
    )
    edits: list[tuple[str, Fact, str]] = []
    if figure is not None:
        edits.append(("figure", figure, _double(figure.text)))
    if date is not None:
        y = _YEAR.search(date.text)
        assert y is not None
        edits.append(("date", date, date.text[: y.start()] + str(int(y.group()) - 2) + date.text[y.end() :]))
    text = a.text
    planted: list[tuple[str, int, int]] = []
    shift = 0
    for kind, f, new in sorted(edits, key=lambda e: e[1].start):
        start = f.start + shift
        text = text[:start] + new + text[f.end + shift :]
        planted.append((kind, start, start + len(new)))
        shift += len(new) - (f.end - f.start)
    changed = Article.create(
        text,
        title=a.title,
        language=a.language,
        published=a.published,
        source=a.source,
        external_id=f"{a.external_id}-planted",
    )
    return changed, planted


def measure(en: Article, other: Article) -> dict[str, Any]:
    comparison = compare_articles([en, other])
    claims = comparison.claims
    corroborated = sum(comparison.statuses[c.id].status == "corroborated" for c in claims)
    false_conflicts = [c for c in comparison.conflicts if not c.precision_only]
    return {
        "claims": len(claims),
        "corroborated": corroborated,
        "conflicts": len(false_conflicts),
        "conflict_kinds": [c.kind for c in false_conflicts],
        "comparison": comparison,
    }


def found_planted(comparison: Any, article_id: str, planted: list[tuple[str, int, int]]) -> list[str]:
    hits = []
    for kind, start, end in planted:
        for cf in comparison.conflicts:
            if any(s.article == article_id and s.start < end and start < s.end for s in cf.sides):
                hits.append(kind)
                break
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--lang", default="es", choices=("es", "it", "nl"))
    parser.add_argument("--pairs", type=int, default=6)
    args = parser.parse_args()
    console = Console()
    en_rows, other_rows = load(args.shared, "en"), load(args.shared, args.lang)
    ids = pick(en_rows, other_rows, args.pairs)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for key in track(ids, description=f"en-{args.lang} pairs", console=console):
        en = article(en_rows[key], "en")
        translated = article(other_rows[key], args.lang)
        row: dict[str, Any] = {"id": key, "topic": en_rows[key]["topic"]}
        for name, other in (("per-language", translated), ("baseline", replace(translated, language="en"))):
            m = measure(en, other)
            changed, planted = plant(other)
            p = measure(en, changed)
            hits = found_planted(p["comparison"], changed.id, planted)
            row[name] = {
                "claims": m["claims"],
                "corroborated": m["corroborated"],
                "false_conflicts": m["conflicts"],
                "false_conflict_kinds": m["conflict_kinds"],
                "planted": [k for k, _, _ in planted],
                "planted_found": hits,
                "planted_run_conflicts": p["conflicts"],
            }
        rows.append(row)
    seconds = time.perf_counter() - started

    summary: dict[str, dict[str, Any]] = {}
    for name in ("per-language", "baseline"):
        claims = sum(r[name]["claims"] for r in rows)
        summary[name] = {
            "aligned_share": round(sum(r[name]["corroborated"] for r in rows) / max(claims, 1), 3),
            "false_conflicts": sum(r[name]["false_conflicts"] for r in rows),
            "planted": sum(len(r[name]["planted"]) for r in rows),
            "planted_found": sum(len(r[name]["planted_found"]) for r in rows),
            "planted_figures_found": sum(r[name]["planted_found"].count("figure") for r in rows),
            "planted_figures": sum(r[name]["planted"].count("figure") for r in rows),
            "planted_dates_found": sum(r[name]["planted_found"].count("date") for r in rows),
            "planted_dates": sum(r[name]["planted"].count("date") for r in rows),
        }
    table = Table(title=f"MEANTIME en vs {args.lang}: {len(rows)} article pairs ({seconds:.0f} s)")
    for col in ("analysis", "claims aligned", "false conflicts", "planted found", "figures", "dates"):
        table.add_column(col)
    for name, s in summary.items():
        table.add_row(
            name,
            f"{s['aligned_share']:.1%}",
            str(s["false_conflicts"]),
            f"{s['planted_found']}/{s['planted']}",
            f"{s['planted_figures_found']}/{s['planted_figures']}",
            f"{s['planted_dates_found']}/{s['planted_dates']}",
        )
    console.print(table)
    out = REPO / "bench" / "results" / "languages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"lang": args.lang, "pairs": len(rows), "seconds": round(seconds, 1), "summary": summary, "rows": rows},
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    console.print(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
