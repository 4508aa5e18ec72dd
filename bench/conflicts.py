"""Planted contradictions in sentences two real reports of one story share in their own words.

    python bench/conflicts.py [--allsides 40] [--per-story 3] [--real 5] [--seed 11]

Stories: BASIL's even half (its 50 events sorted by triplet id, every other one from the first: the half
kept for this bench; training/nli_news_pairs.py never reads BASIL) and AllSides day-topic stories that the
entailment model never trained on (their key hashes into the generator's held-out buckets and is not in
``bench/results/nli_news/stories.json``'s "train" list). For each story, sentences of two outlets that
the pair judge calls the same statement are the shared pairs. Into each pair, one fact of one side is
changed with the generator's own perturbations (a figure, a date or weekday, a named entity or speaker,
a negation added or removed, an antonym), only where both sentences state it.

Each pair is compared as the product compares (claims, facts, alignment, the conflict checks) twice: with
the entailment step off (``compare_entailment=false``: today's rules, the baseline) and on. Per kind: the
share of planted contradictions found (a conflict that is not a precision note between the two sides),
and the false conflicts on the same pairs unplanted.

Thresholds are tuned on the "tune" half of the stories (key hash even) and reported on the "report" half;
the table shows both. Last, a few real BASIL triplets of the report half are compared end to end with the
entailment step off and on: conflicts per story before and after, and the new ones listed for reading.
Writes bench/results/conflicts.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from common import REPO, SHARED
from corroborator.model import Article, Claim, Conflict
from corroborator.settings import Settings
from news_perturb import (
    _antonym,
    _negate,
    _swap_date,
    _swap_entity,
    _swap_number,
    split_of,
)
from news_perturb import allsides_stories as news_stories

OUT = REPO / "bench" / "results" / "conflicts.json"
KINDS = ("number", "date", "entity/speaker", "negation", "antonym")
console = Console(width=150)


class CachedModel:
    """The entailment model with its answers remembered, so a threshold grid costs no inference;
    ``asked`` counts the pairs the product asked it about (the cost of the entailment step)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.name = model.name
        self.cache: dict[tuple[str, str], np.ndarray] = {}
        self.asked = 0

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.asked += len(pairs)
        todo = sorted({p for p in pairs if p not in self.cache})
        if todo:
            for p, row in zip(todo, self.model.predict(todo), strict=True):
                self.cache[p] = row
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        return np.stack([self.cache[p] for p in pairs])


class CachedJudge:
    """The pair judge with its verdicts remembered by text pair (the grid re-aligns the same pairs)."""

    def __init__(self, judge: Any) -> None:
        self.judge = judge
        self.cache: dict[tuple[str, str], Any] = {}

    def judge_many(self, pairs: Sequence[tuple[str, str]], va: Any = None, vb: Any = None) -> list[Any]:
        todo = [p for p in dict.fromkeys(pairs) if p not in self.cache]
        if todo:
            for p, v in zip(todo, self.judge.judge_many(todo), strict=True):
                self.cache[p] = v
        return [self.cache[p] for p in pairs]


_VECTORS: dict[str, np.ndarray] = {}


def vectors(encoder: Any, texts: Sequence[str]) -> np.ndarray:
    todo = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if todo:
        for t, v in zip(todo, encoder.encode(todo), strict=True):
            _VECTORS[t] = v
    return np.stack([_VECTORS[t] for t in texts])


def half(key: str) -> str:
    return "tune" if int(hashlib.md5(key.encode()).hexdigest(), 16) % 2 == 0 else "report"


def basil_stories() -> list[tuple[str, str, dict[str, str]]]:
    """(key, date, outlet -> text) for the even half of BASIL's events."""
    events: dict[str, dict[str, str]] = defaultdict(dict)
    dates: dict[str, str] = {}
    for path in sorted((SHARED / "corpus" / "basil" / "articles").glob("*/*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        events[d["triplet-uuid"]][d["source"]] = "\n\n".join(" ".join(p) for p in d["body-paragraphs"])
        dates[d["triplet-uuid"]] = d.get("date") or ""
    keys = sorted(events)[::2]
    return [(f"basil:{k}", dates[k], events[k]) for k in keys]


def allsides_stories(limit: int, rng: random.Random, shards: int) -> list[tuple[str, str, dict[str, str]]]:
    """Day-topic AllSides stories the entailment model never trained on (grouped as the generator does)."""
    listed = REPO / "bench" / "results" / "nli_news" / "stories.json"
    train = set(json.loads(listed.read_text())["train"]) if listed.exists() else set()
    out = []
    for key, outlets in news_stories(shards):
        if split_of(key) == "test" and key not in train:
            out.append((key, key.rsplit(":", 1)[1], dict(list(outlets.items())[:3])))
    rng.shuffle(out)
    return out[:limit]


def sentences(text: str) -> list[str]:
    from corroborator.text.sentences import split_sentences

    out = []
    for s in split_sentences(Article.create(re.sub(r"\s+", " ", text)[:20_000])):
        if 8 <= len(s.text.split()) <= 60 and not s.text.endswith("?"):
            out.append(s.text)
    return out[:40]


def shared_pairs(story: dict[str, str], per_story: int, encoder: Any, judge: Any) -> list[tuple[str, str]]:
    """Sentences of two outlets that the pair judge calls the same statement (not identical)."""
    outlets = list(story)
    found: list[tuple[str, str]] = []
    for x in range(len(outlets)):
        for y in range(x + 1, len(outlets)):
            s1, s2 = sentences(story[outlets[x]]), sentences(story[outlets[y]])
            if not s1 or not s2:
                continue
            sims = encoder.encode(s1) @ encoder.encode(s2).T
            cand = sorted(
                ((float(sims[i, j]), i, j) for i in range(len(s1)) for j in range(len(s2)) if sims[i, j] >= 0.7),
                reverse=True,
            )[: per_story * 2]
            if not cand:
                continue
            verdicts = judge.judge_many([(s1[i], s2[j]) for _, i, j in cand])
            for (_, i, j), v in zip(cand, verdicts, strict=True):
                if v.relation == "same" and s1[i] != s2[j] and len(found) < per_story:
                    found.append((s1[i], s2[j]))
    return found


def plant(a: str, b: str, doc: Any, pool: dict[str, list[str]], rng: random.Random) -> dict[str, str]:
    """kind -> b with one fact changed that a states too."""
    out: dict[str, str] = {}
    tries = {
        "number": lambda: _swap_number(a, b, rng, doc),
        "date": lambda: _swap_date(a, b, rng, doc),
        "entity/speaker": lambda: _swap_entity(a, b, rng, doc, pool),
        "negation": lambda: _negate(a, b, rng, doc),
        "antonym": lambda: _antonym(a, b, rng, doc),
    }
    for kind, make in tries.items():
        new = make()
        if new and new != b:
            out[kind] = new
    return out


class Unit:
    """One shared pair and its planted variants, with claims built as the product builds them."""

    def __init__(self, story: str, date: str, a: str, b: str, planted: dict[str, str]) -> None:
        self.story, self.date, self.a, self.b, self.planted = story, date, a, b, planted


def claims_of(text: str, date: str, source: str) -> tuple[Claim, ...]:
    from corroborator.compare.claims import build_claims
    from corroborator.text.facts import extract_facts
    from corroborator.text.sentences import split_sentences

    published = datetime.fromisoformat(date) if re.fullmatch(r"\d{4}-\d\d-\d\d", date or "") else None
    art = Article.create(text, source=source, published=published)
    sents = split_sentences(art)
    return build_claims(art, sents, extract_facts(art, sents))


def conflicts_between(
    ca: Sequence[Claim], cb: Sequence[Claim], encoder: Any, judge: Any, settings: Settings, model: Any
) -> tuple[list[Conflict], bool]:
    """Contradictions (not precision notes) between two sides' claims, and whether any claim of one
    is aligned as the same or an overlapping statement of the other (corroboration)."""
    from corroborator.compare.alignment.align import align_pair

    if not ca or not cb:
        return [], False
    va = vectors(encoder, [c.text for c in ca])
    vb = vectors(encoder, [c.text for c in cb])
    entail = model if settings.compare_entailment else None
    result = align_pair(ca, cb, va, vb, judge, settings, entailment=entail)
    supported = any(al.relation in ("same", "overlap") for al in result.alignments)
    return [c for c in result.conflicts if not c.precision_only], supported


def score(
    units: list[tuple[Unit, dict[str, tuple[Claim, ...]]]],
    encoder: Any,
    judge: Any,
    settings: Settings,
    model: Any,
) -> dict[str, Any]:
    found: dict[str, list[int]] = {k: [] for k in KINDS}
    false: list[int] = []
    corroborated: list[int] = []  # unplanted pairs: the shared statement corroborated
    planted_support: list[int] = []  # planted pairs: still aligned as corroborating, with no conflict
    for unit, claims in units:
        cf, supported = conflicts_between(claims["a"], claims["b"], encoder, judge, settings, model)
        false.append(int(bool(cf)))
        corroborated.append(int(supported and not cf))
        for kind in unit.planted:
            hit, supported = conflicts_between(claims["a"], claims[kind], encoder, judge, settings, model)
            found[kind].append(int(bool(hit)))
            planted_support.append(int(supported and not hit))
    per_kind = {k: (sum(v) / len(v) if v else None, len(v)) for k, v in found.items()}
    total = [x for v in found.values() for x in v]
    return {
        "per_kind": {k: {"recall": r, "n": n} for k, (r, n) in per_kind.items()},
        "recall": sum(total) / len(total) if total else None,
        "planted": len(total),
        "false_conflicts": sum(false) / len(false) if false else None,
        "pairs": len(false),
        "corroborated_unplanted": sum(corroborated) / len(corroborated) if corroborated else None,
        "corroborated_planted_missed": sum(planted_support) / len(planted_support) if planted_support else None,
    }


def build_units(
    args: argparse.Namespace, rng: random.Random, encoder: Any, judge: Any
) -> list[tuple[Unit, dict[str, tuple[Claim, ...]]]]:
    from corroborator.text.nlp import get_nlp

    nlp = get_nlp("ner,parser,lemmatizer")
    stories = basil_stories() + allsides_stories(args.allsides, rng, args.shards)
    units: list[Unit] = []
    for key, date, story in track(stories, description="shared pairs", console=console):
        pairs = shared_pairs(story, args.per_story, encoder, judge)
        if not pairs:
            continue
        pool: dict[str, list[str]] = defaultdict(list)
        for doc in nlp.pipe([a for a, _ in pairs] + [b for _, b in pairs]):
            for e in doc.ents:
                if e.label_ in {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}:
                    pool[e.label_].append(e.text)
        for (a, b), doc in zip(pairs, nlp.pipe([b for _, b in pairs]), strict=True):
            units.append(Unit(key, date, a, b, plant(a, b, doc, pool, rng)))

    built: list[tuple[Unit, dict[str, tuple[Claim, ...]]]] = []
    for u in track(units, description="claims", console=console):
        claims = {"a": claims_of(u.a, u.date, "A"), "b": claims_of(u.b, u.date, "B")}
        for kind, text in u.planted.items():
            claims[kind] = claims_of(text, u.date, "B")
        built.append((u, claims))
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--allsides", type=int, default=60, help="held-out AllSides stories to use")
    parser.add_argument("--per-story", type=int, default=4, help="shared sentence pairs per story")
    parser.add_argument("--real", type=int, default=3, help="BASIL triplets compared end to end before/after")
    parser.add_argument("--shards", type=int, default=3, help="AllSides shards read (2,500 articles each)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--build-only", action="store_true", help="build and cache the planted pairs, then stop")
    parser.add_argument("--model", type=Path, default=None, help="an exported ONNX file instead of the shipped model")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.time()

    from corroborator.compare.alignment.judge import default_judge
    from corroborator.embed import get_encoder
    from corroborator.entail import OnnxEntailment, default_entailment_model

    encoder, judge = get_encoder(), CachedJudge(default_judge())
    model = CachedModel(OnnxEntailment(args.model) if args.model else default_entailment_model())

    cache = (
        REPO
        / "bench"
        / "results"
        / ".cache-conflicts"
        / f"units-{args.allsides}-{args.shards}-{args.per_story}-{args.seed}.pkl"
    )
    built: list[tuple[Unit, dict[str, tuple[Claim, ...]]]] = []
    if cache.exists():
        # The planted pairs and their claims do not depend on the entailment model: rerunning after a
        # new model costs only its inference.
        built = pickle.loads(cache.read_bytes())
    else:
        built = build_units(args, rng, encoder, judge)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(built))
    if args.build_only:
        console.print(f"{len(built)} shared pairs, {sum(len(u.planted) for u, _ in built)} planted: {cache}")
        return
    halves = {h: [x for x in built if half(x[0].story) == h] for h in ("tune", "report")}

    base = Settings.from_env()  # CORROBORATOR_<NAME> variables try other settings
    runs: dict[str, dict[str, Any]] = {}
    for h, items in halves.items():
        runs[f"{h}:rules"] = score(items, encoder, judge, replace(base, compare_entailment=False), model)
        runs[f"{h}:model"] = score(items, encoder, judge, base, model)

    # Thresholds chosen on the tune half only: most recall with false conflicts <= 0.05.
    grid = []
    for c in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for claim in (0.6, 0.7, 0.8, 0.9, 0.95):
            if claim < c:
                continue
            s = replace(base, compare_contradiction=c, compare_claim_contradiction=claim)
            r = score(halves["tune"], encoder, judge, s, model)
            grid.append({"contradiction": c, "claim_contradiction": claim, **r})
    ok = [g for g in grid if g["false_conflicts"] is not None and g["false_conflicts"] <= 0.05]
    best = max(ok or grid, key=lambda g: (g["recall"] or 0, -(g["false_conflicts"] or 0)))
    # Agreement (corroboration by entailment) at the best thresholds: unplanted pairs corroborated vs
    # planted contradictions left corroborating.
    agreement = []
    for ag in (0.5, 0.6, 0.7, 0.8, 0.9):
        s = replace(
            base,
            compare_contradiction=best["contradiction"],
            compare_claim_contradiction=best["claim_contradiction"],
            compare_agreement=ag,
        )
        agreement.append({"agreement": ag, **score(halves["tune"], encoder, judge, s, model)})

    table = Table(
        title=f"Planted contradictions ({model.name}; thresholds: {base.compare_contradiction} / "
        f"{base.compare_claim_contradiction})"
    )
    table.add_column("half / method")
    for k in KINDS:
        table.add_column(k, justify="right")
    table.add_column("recall", justify="right")
    table.add_column("false conflicts", justify="right")
    table.add_column("unplanted corroborated", justify="right")
    table.add_column("planted missed, still corroborated", justify="right")
    for name, r in runs.items():
        cells = [f"{v['recall']:.2f} ({v['n']})" if v["recall"] is not None else "-" for v in r["per_kind"].values()]
        table.add_row(
            name,
            *cells,
            f"{r['recall']:.2f} ({r['planted']})" if r["recall"] is not None else "-",
            f"{r['false_conflicts']:.3f} ({r['pairs']})" if r["false_conflicts"] is not None else "-",
            f"{r['corroborated_unplanted']:.2f}" if r["corroborated_unplanted"] is not None else "-",
            f"{r['corroborated_planted_missed']:.2f}" if r["corroborated_planted_missed"] is not None else "-",
        )
    console.print(table)
    for g in agreement:
        console.print(
            f"tune half, agreement {g['agreement']}: unplanted corroborated {g['corroborated_unplanted']:.2f}, "
            f"planted still corroborated {g['corroborated_planted_missed']:.2f}, recall {g['recall']:.2f}"
        )
    console.print(
        f"best on the tune half (false <= 0.05): contradiction {best['contradiction']}, claim "
        f"{best['claim_contradiction']}: recall {best['recall']:.2f}, false {best['false_conflicts']:.3f}"
    )

    # Real stories end to end: conflicts before (rules) and after (rules + model).
    from corroborator.compare import compare_articles

    real = []
    new_conflicts: list[dict[str, Any]] = []
    report_basil = [s for s in basil_stories() if half(s[0]) == "report"][: args.real]
    from corroborator.entail import register_entailment_model

    # The product's own entailment step, through the cached model (counts the pairs it is asked about).
    register_entailment_model("bench.cached", lambda: model)
    for key, date, story in track(report_basil, description="real stories", console=console):
        published = datetime.fromisoformat(date) if date else None
        arts = [Article.create(t, source=o, published=published) for o, t in story.items()]
        counts: dict[str, Any] = {"words": [len(a.text.split()) for a in arts]}
        seen: dict[str, set[tuple[str, ...]]] = {}
        for name, s in (
            ("before", replace(base, compare_entailment=False)),
            ("after", replace(base, entailment_model="bench.cached")),
        ):
            asked = model.asked
            done = compare_articles(arts, settings=s)
            counts[f"{name}_entailment_pairs"] = model.asked - asked
            counts[f"{name}_claims"] = len(done.claims)
            counts[f"{name}_timings"] = done.timings
            real_conflicts = [x for x in done.conflicts if not x.precision_only]
            counts[name] = len(real_conflicts)
            seen[name] = {tuple(side.text for side in x.sides) for x in real_conflicts}
            if name == "after":
                for x in real_conflicts:
                    if tuple(side.text for side in x.sides) not in seen["before"]:
                        new_conflicts.append(
                            {
                                "story": key,
                                "kind": x.kind,
                                "explanation": x.explanation,
                                "sides": [side.text for side in x.sides],
                            }
                        )
        real.append({"story": key, **counts})
    t2 = Table(title="Conflicts per real story (BASIL report half), rules vs rules + model")
    t2.add_column("story")
    t2.add_column("before", justify="right")
    t2.add_column("after", justify="right")
    t2.add_column("words", justify="right")
    t2.add_column("claims", justify="right")
    t2.add_column("pairs the model judged", justify="right")
    for r in real:
        t2.add_row(
            r["story"],
            str(r["before"]),
            str(r["after"]),
            "/".join(map(str, r["words"])),
            str(r["after_claims"]),
            str(r["after_entailment_pairs"]),
        )
    console.print(t2)
    for n in new_conflicts[:20]:
        console.print(f"[bold]{n['kind']}[/] {n['story']}: {n['explanation']}")
        for s in n["sides"]:
            console.print(f"   | {s}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "model": model.name,
                "settings": {
                    "compare_contradiction": base.compare_contradiction,
                    "compare_claim_contradiction": base.compare_claim_contradiction,
                    "compare_agreement": base.compare_agreement,
                },
                "stories": {h: sorted({u.story for u, _ in items}) for h, items in halves.items()},
                "runs": runs,
                "grid_tune_half": grid,
                "best_tune_half": best,
                "agreement_tune_half": agreement,
                "real_stories": real,
                "new_conflicts": new_conflicts,
                "examples": [{"story": u.story, "a": u.a, "b": u.b, "planted": u.planted} for u, _ in built[:30]],
                "seconds": round(time.time() - started, 1),
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
