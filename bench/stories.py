"""Story clustering at corpus scale: quality on ECB+ and GVA, throughput and memory from 1x to 50x.

    python bench/stories.py                      # ECB+ and GVA at 1x and 10x, plus the MinHash baseline
    python bench/stories.py --scales 1,10,50     # add the 50x run (about 190k articles; slow on 2 cores)
    python bench/stories.py --tune               # grid search of the story settings on ECB+ (and dates on GVA)
    python bench/stories.py --datasets ecb --scales 1

Articles go through the real path: ``pipeline.analyse_many`` (cached per article under
bench/results/.cache-stories, since analysis is not what is measured here), then a fresh SQLite store
(``store.add`` in batches of 64) and ``StoryAssigner.assign`` for each new article, as ingest does.
Gold: ECB+ ``event`` (and ``topic``), GVA ``incident_id``; B-cubed precision, recall and F1.

Volume for the growth table: each real article is replicated with small perturbations (sentence order
shuffled after the lead, ~5% of words dropped and ~2% replaced, the date shifted by up to 2 days, a new
id; embedding perturbed with noise, lead entities kept with one sometimes dropped, MinHash recomputed
on the new text); a replica keeps its original's gold event. Each scale runs in its own process so its
peak memory (ru_maxrss) is its own. Writes bench/results/stories.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from corroborator.fingerprint import minhash_signature  # noqa: E402
from corroborator.model import AnalysedArticle, Article, Sentence  # noqa: E402
from corroborator.settings import Settings  # noqa: E402

console = Console(stderr=True)
CACHE = REPO / "bench" / "results" / ".cache-stories"
RESULTS = REPO / "bench" / "results" / "stories.json"

Gold = dict[str, str]


# -- data -------------------------------------------------------------------------------------------


def load_ecb(shared: Path) -> tuple[list[Article], Gold, Gold]:
    path = shared / "datasets" / "ecbplus" / "ecbplus_topics_1-35.jsonl"
    arts: list[Article] = []
    event: Gold = {}
    topic: Gold = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            art = Article.create(rec["text"], external_id=rec["id"], origin=f"{path.name}#{rec['id']}")
            arts.append(art)
            event.setdefault(art.id, rec["event"])
            topic.setdefault(art.id, str(rec["topic"]))
    return arts, event, topic


def load_gva(shared: Path) -> tuple[list[Article], Gold, int]:
    path = shared / "corpus" / "gva" / "articles.jsonl"
    arts: list[Article] = []
    gold: Gold = {}
    empty = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if not rec["content"].strip():
                empty += 1
                continue
            published = datetime.fromisoformat(rec["dct"]) if rec.get("dct") else None
            art = Article.create(
                rec["content"],
                title=rec.get("title") or None,
                published=published,
                source=rec.get("outlet_host"),
                url=rec.get("original_url"),
                external_id=rec["doc_id"],
            )
            arts.append(art)
            gold.setdefault(art.id, rec["incident_id"])
    # Newswire arrives in time order; ingest it that way.
    arts.sort(key=lambda a: (a.published or datetime.max, a.id))
    return arts, gold, empty


def analysed(name: str, arts: Sequence[Article], settings: Settings) -> tuple[list[AnalysedArticle], float]:
    """Analysed articles via the real pipeline, cached; returns them and the analysis rate (articles/s)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    meta_path, arr_path = CACHE / f"{name}.json", CACHE / f"{name}.npz"
    if meta_path.exists() and arr_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta["ids"] == [a.id for a in arts]:
            z = np.load(arr_path)
            out = [
                AnalysedArticle(
                    article=a,
                    sentences=tuple(Sentence(a.id, i, s, e, a.text[s:e]) for i, (s, e) in enumerate(meta["spans"][k])),
                    vector=tuple(float(x) for x in z["V"][k]),
                    minhash=tuple(int(x) for x in z["M"][k]),
                    lead_entities=tuple(meta["ents"][k]),
                )
                for k, a in enumerate(arts)
            ]
            return out, float(meta["rate"])
    from corroborator.pipeline import StageError, analyse_many

    out = []
    started = time.perf_counter()
    with Progress(console=console, transient=True) as prog:
        task = prog.add_task(f"analysing {name}", total=len(arts))
        for i in range(0, len(arts), 64):
            for a, res in zip(arts[i : i + 64], analyse_many(arts[i : i + 64], settings), strict=True):
                if isinstance(res, StageError):
                    # Keep the article with empty signals so gold and counts stay aligned.
                    res = AnalysedArticle(a, (), None, None, ())
                out.append(res)
            prog.update(task, advance=len(arts[i : i + 64]))
    rate = len(arts) / (time.perf_counter() - started)
    dim = next((len(x.vector) for x in out if x.vector), 512)
    perm = settings.minhash_perm
    np.savez(
        arr_path,
        V=np.asarray([x.vector or (0.0,) * dim for x in out], dtype=np.float32),
        M=np.asarray([x.minhash or (0,) * perm for x in out], dtype=np.uint64),
    )
    meta_path.write_text(
        json.dumps(
            {
                "ids": [a.id for a in arts],
                "spans": [[(s.start, s.end) for s in x.sentences] for x in out],
                "ents": [list(x.lead_entities) for x in out],
                "rate": rate,
            }
        )
    )
    return out, rate


# -- replicas -----------------------------------------------------------------------------------------


def perturb(item: AnalysedArticle, rng: random.Random, copy: int, settings: Settings) -> AnalysedArticle:
    """Another report of the same event: reordered, a few words dropped or replaced, date shifted."""
    art = item.article
    sents = [s.text for s in item.sentences] or [art.text]
    head, tail = sents[:2], sents[2:]
    rng.shuffle(tail)
    new_sents: list[str] = []
    for s in head + tail:
        words = s.split()
        kept = []
        for w in words:
            r = rng.random()
            if r < 0.05:
                continue
            kept.append(rng.choice(words) if r < 0.07 else w)
        new_sents.append(" ".join(kept) or s)
    text = f"{' '.join(new_sents)} [{copy}]"
    spans: list[Sentence] = []
    pos = 0
    for i, s in enumerate(new_sents):
        spans.append(Sentence("", i, pos, pos + len(s), s))
        pos += len(s) + 1
    published = art.published + timedelta(days=rng.randint(-2, 2)) if art.published else None
    new = Article.create(
        text,
        title=art.title,
        published=published,
        source=art.source,
        external_id=f"{art.external_id}~{copy}",
    )
    vec = None
    if item.vector is not None:
        v = np.asarray(item.vector, dtype=np.float32)
        v = v + np.asarray([rng.gauss(0.0, 0.02) for _ in range(v.shape[0])], dtype=np.float32)
        vec = tuple(float(x) for x in v / np.linalg.norm(v))
    ents = list(item.lead_entities)
    if ents and rng.random() < 0.3:
        ents.pop(rng.randrange(len(ents)))
    sig = minhash_signature(text, settings.minhash_perm, settings.shingle_words)
    return AnalysedArticle(
        article=new,
        sentences=tuple(replace(s, article_id=new.id) for s in spans),
        vector=vec,
        minhash=tuple(int(x) for x in sig),
        lead_entities=tuple(ents),
    )


def scaled(
    items: Sequence[AnalysedArticle], gold: Gold, scale: int, settings: Settings
) -> Iterator[tuple[AnalysedArticle, str]]:
    """The real articles, then ``scale - 1`` perturbed copies of each, interleaved in date order."""
    rng = random.Random(scale)
    for item in items:
        yield item, gold[item.article.id]
        for c in range(1, scale):
            yield perturb(item, rng, c, settings), gold[item.article.id]


# -- runs ---------------------------------------------------------------------------------------------


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    pc, gc, both = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    n = len(pred)
    p = sum(both[(a, b)] / pc[a] for a, b in zip(pred, gold, strict=True)) / n
    r = sum(both[(a, b)] / gc[b] for a, b in zip(pred, gold, strict=True)) / n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def ingest_run(
    pairs: Iterable[tuple[AnalysedArticle, str]], settings: Settings, total: int, label: str
) -> dict[str, object]:
    """Store + assign as ingest does; returns quality against gold, throughput and memory."""
    from corroborator.store import open_store
    from corroborator.stories import StoryAssigner

    rss_before = _rss_mb()
    pred: list[str] = []
    gold: list[str] = []
    dups = near = 0
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        assigner = StoryAssigner(store, settings)
        started = time.perf_counter()
        assign_s = 0.0
        assign_cpu = 0.0
        with Progress(console=console, transient=True) as prog:
            task = prog.add_task(label, total=total)
            it = iter(pairs)
            while True:
                batch = list(itertools.islice(it, 64))
                if not batch:
                    break
                outcomes = store.add([b[0] for b in batch])
                for (item, g), outcome in zip(batch, outcomes, strict=True):
                    if outcome == "duplicate":
                        dups += 1
                        continue
                    t0, c0 = time.perf_counter(), time.process_time()
                    a = assigner.assign(item)
                    assign_s += time.perf_counter() - t0
                    assign_cpu += time.process_time() - c0
                    near += int(a.duplicate_kind == "near")
                    pred.append(a.story_id)
                    gold.append(g)
                prog.update(task, advance=len(batch))
        t0 = time.perf_counter()
        assigner.save()
        save_s = time.perf_counter() - t0
        seconds = time.perf_counter() - started
        stories = store.count_stories()
    n = len(pred)
    console.print(f"{label}: {n} articles, {stories} stories, {n / seconds:.0f} articles/s", highlight=False)
    return {
        "articles": n,
        "exact_duplicates": dups,
        "near_duplicates": near,
        "stories": stories,
        "bcubed": bcubed(pred, gold),
        "seconds": seconds,
        "articles_per_s": n / seconds if seconds else 0.0,
        "assign_articles_per_s": n / assign_s if assign_s else 0.0,
        # CPU time is what the assigner costs; wall time on a shared 2-core machine swings 4x.
        "assign_articles_per_cpu_s": n / assign_cpu if assign_cpu else 0.0,
        "save_seconds": save_s,
        "peak_rss_mb": _rss_mb(),
        "rss_before_mb": rss_before,
        "pred": pred,
        "gold": gold,
    }


def _scale_worker(args: tuple[str, str, int, Settings]) -> dict[str, object]:
    name, shared, scale, settings = args
    items, gold, _ = _dataset(name, Path(shared), settings)
    res = ingest_run(scaled(items, gold, scale, settings), settings, len(items) * scale, f"{name} {scale}x")
    res.pop("pred")
    res.pop("gold")
    res["scale"] = scale
    return res


def _dataset(name: str, shared: Path, settings: Settings) -> tuple[list[AnalysedArticle], Gold, dict]:
    if name == "ecb":
        arts, event, topic = load_ecb(shared)
        items, rate = analysed("ecb", arts, settings)
        return items, event, {"topic": topic, "analysis_rate": rate, "empty_skipped": 0}
    arts, gold, empty = load_gva(shared)
    items, rate = analysed("gva", arts, settings)
    return items, gold, {"analysis_rate": rate, "empty_skipped": empty}


def minhash_baseline(items: Sequence[AnalysedArticle], gold: Gold, threshold: float) -> dict[str, object]:
    """datasketch only: MinHash of each article's word set, MinHashLSH, join the best match's cluster."""
    from datasketch import MinHash, MinHashLSH

    from corroborator.stories.terms import tokens

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    sigs: dict[str, MinHash] = {}
    cluster: dict[str, str] = {}
    pred, gl = [], []
    seen: set[str] = set()
    for item in items:
        aid = item.article.id
        if aid in seen:
            continue
        seen.add(aid)
        mh = MinHash(num_perm=128, seed=1)
        mh.update_batch([t.encode("utf-8") for t in set(tokens(item.article.text))])
        best, best_j = None, threshold
        for other in lsh.query(mh):
            j = mh.jaccard(sigs[other])
            if j >= best_j:
                best, best_j = other, j
        cluster[aid] = cluster[best] if best is not None else aid
        lsh.insert(aid, mh)
        sigs[aid] = mh
        pred.append(cluster[aid])
        gl.append(gold[aid])
    seconds = time.perf_counter() - started
    return {"threshold": threshold, "bcubed": bcubed(pred, gl), "articles_per_s": len(pred) / seconds}


# -- tuning -------------------------------------------------------------------------------------------


def record(items: Sequence[AnalysedArticle], settings: Settings) -> list[tuple[int | None, list[tuple]]]:
    """One pass of the index; per article its near-copy original or its candidates' pair features."""
    from corroborator.stories.assigner import features_of
    from corroborator.stories.index import NO_DAY, Params, StoryIndex

    idx = StoryIndex(Params.from_settings(settings), settings.minhash_perm)
    out: list[tuple[int | None, list[tuple]]] = []
    seen: set[str] = set()
    for item in items:
        if item.article.id in seen:
            continue
        seen.add(item.article.id)
        f = features_of(item.article, item.vector, item.minhash, item.lead_entities)
        p = idx.prepare(f)
        dup, cands = idx.candidate_features(p)
        rows = []
        for j, (w, c, e, _, _) in cands:
            other = int(idx.days.view[j])
            gap = None if f.day is None or other == NO_DAY else abs(f.day - other)
            rows.append((j, w, c, e, gap))
        out.append((None if dup is None else dup[0], rows))
        idx.add(p, str(len(out) - 1), idx.ids[dup[0]] if dup else None)
    return out


def replay(rec: list[tuple[int | None, list[tuple]]], s: Settings) -> list[int]:
    """The decisions StoryIndex.decide would make under settings ``s`` (follow-up days <= the recorded)."""
    story: list[int] = []
    for i, (dup, rows) in enumerate(rec):
        if dup is not None:
            story.append(story[dup])
            continue
        scores: dict[int, list[float]] = {}
        for j, w, c, e, gap in rows:
            sc = s.story_weight_words * w + s.story_weight_cosine * c + s.story_weight_entities * e
            if gap is not None:
                if gap > max(s.story_window_days, s.story_followup_days):
                    continue
                sc -= s.story_weight_date * min(gap, s.story_window_days) / s.story_window_days
                if gap > s.story_window_days:
                    sc -= max(s.story_followup_threshold - s.story_threshold, 0.0)
            scores.setdefault(story[j], []).append(sc)
        best, best_s = -1, -1e9
        for st, vals in scores.items():
            vals.sort(reverse=True)
            v = (vals[0] + vals[1]) / 2 if s.story_link == "mean2" and len(vals) > 1 else vals[0]
            if v > best_s:
                best, best_s = st, v
        story.append(best if best >= 0 and best_s >= s.story_threshold else i)
    return story


def tune(shared: Path, base: Settings) -> dict[str, object]:
    ecb_items, ecb_gold, _ = _dataset("ecb", shared, base)
    gva_items, gva_gold, _ = _dataset("gva", shared, base)
    wide = replace(base, story_followup_days=365)
    ecb_rec = record(ecb_items, wide)
    ecb_g = [ecb_gold[i.article.id] for i in _unique(ecb_items)]
    grid = []
    for link, wc, we, th in itertools.product(
        ("max", "mean2"),
        (0.0, 0.1, 0.2, 0.3, 0.5),
        (0.0, 0.1, 0.2, 0.3, 0.5),
        [round(0.15 + 0.025 * k, 3) for k in range(19)],
    ):
        s = replace(base, story_link=link, story_weight_cosine=wc, story_weight_entities=we, story_threshold=th)
        f1 = bcubed([str(x) for x in replay(ecb_rec, s)], ecb_g)["f1"]
        grid.append({"link": link, "w_cosine": wc, "w_entities": we, "threshold": th, "ecb_f1": f1})
    grid.sort(key=lambda r: -float(r["ecb_f1"]))  # type: ignore[arg-type]
    top = grid[0]
    chosen = replace(
        base,
        story_link=str(top["link"]),
        story_weight_cosine=float(top["w_cosine"]),  # type: ignore[arg-type]
        story_weight_entities=float(top["w_entities"]),  # type: ignore[arg-type]
        story_threshold=float(top["threshold"]),  # type: ignore[arg-type]
    )
    # ECB+ has no dates, so the date terms are set on GVA with the text weights fixed from ECB+.
    gva_rec = record(gva_items, wide)
    gva_g = [gva_gold[i.article.id] for i in _unique(gva_items)]
    dates = []
    for window, wd, fth in itertools.product((7, 14, 30), (0.0, 0.1, 0.2, 0.3), (0.5, 0.6, 0.7, 0.8, 10.0)):
        s = replace(chosen, story_window_days=window, story_weight_date=wd, story_followup_threshold=fth)
        f1 = bcubed([str(x) for x in replay(gva_rec, s)], gva_g)["f1"]
        dates.append({"window_days": window, "w_date": wd, "followup_threshold": fth, "gva_f1": f1})
    dates.sort(key=lambda r: -float(r["gva_f1"]))  # type: ignore[arg-type]
    return {"ecb_grid_top": grid[:15], "gva_dates": dates[:10], "ecb_grid_size": len(grid)}


def _unique(items: Sequence[AnalysedArticle]) -> list[AnalysedArticle]:
    seen: set[str] = set()
    out = []
    for i in items:
        if i.article.id not in seen:
            seen.add(i.article.id)
            out.append(i)
    return out


# -- main ---------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--datasets", default="ecb,gva", help="comma list of ecb, gva")
    ap.add_argument("--scales", default="1,10", help="comma list of replication factors (1 = the real corpus)")
    ap.add_argument("--tune", action="store_true", help="grid-search story settings instead of benchmarking")
    ap.add_argument("--set", action="append", default=[], help="override a setting: name=value")
    args = ap.parse_args()
    settings = Settings().with_overrides(dict(p.split("=", 1) for p in args.set))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)

    if args.tune:
        result = tune(args.shared, settings)
        table = Table("link", "w_cosine", "w_entities", "threshold", "ECB+ B3 F1", title="story tuning (ECB+)")
        for r in result["ecb_grid_top"]:  # type: ignore[attr-defined]
            table.add_row(
                r["link"], str(r["w_cosine"]), str(r["w_entities"]), str(r["threshold"]), f"{r['ecb_f1']:.4f}"
            )
        Console().print(table)
        t2 = Table("window_days", "w_date", "followup_threshold", "GVA B3 F1", title="date terms (GVA)")
        for r in result["gva_dates"]:  # type: ignore[attr-defined]
            t2.add_row(str(r["window_days"]), str(r["w_date"]), str(r["followup_threshold"]), f"{r['gva_f1']:.4f}")
        Console().print(t2)
        (RESULTS.parent / "stories_tune.json").write_text(json.dumps(result, indent=2))
        return

    scales = [int(x) for x in args.scales.split(",")]
    out: dict[str, object] = {"settings": {f.name: getattr(settings, f.name) for f in fields(settings)}}
    quality = Table(
        "dataset",
        "system",
        "articles",
        "stories",
        "B3 P",
        "B3 R",
        "B3 F1",
        "topic F1",
        "articles/s",
        title="story quality (1x)",
    )
    growth = Table(
        "dataset", "scale", "articles", "articles/s", "assign/s", "assign/CPU-s", "peak MB", "B3 F1", title="growth"
    )
    ctx = mp.get_context("spawn")
    for name in args.datasets.split(","):
        items, gold, extra = _dataset(name, args.shared, settings)
        res = ingest_run(((i, gold[i.article.id]) for i in items), settings, len(items), f"{name} 1x")
        entry: dict[str, object] = {
            "analysis_articles_per_s": extra["analysis_rate"],
            "empty_skipped": extra["empty_skipped"],
        }
        topic_f1 = ""
        if "topic" in extra:
            topic = extra["topic"]
            # Stories against topics: how often the two same-kind events of a topic were merged.
            tb = bcubed(res["pred"], [topic[i] for i in _ids_in_order(items)])  # type: ignore[arg-type,index]
            entry["topic_bcubed"] = tb
            topic_f1 = f"{tb['f1']:.3f}"
        b = res["bcubed"]
        quality.add_row(
            name,
            "corroborator",
            str(res["articles"]),
            str(res["stories"]),
            f"{b['precision']:.3f}",  # type: ignore[index]
            f"{b['recall']:.3f}",
            f"{b['f1']:.3f}",
            topic_f1,
            f"{res['articles_per_s']:.0f}",  # type: ignore[index]
        )
        res.pop("pred")
        res.pop("gold")
        entry["corroborator"] = res
        baselines = [minhash_baseline(items, gold, t) for t in (0.2, 0.3, 0.5)]
        best = max(baselines, key=lambda r: r["bcubed"]["f1"])  # type: ignore[index]
        bb = best["bcubed"]
        quality.add_row(
            name,
            f"MinHash LSH baseline (t={best['threshold']})",
            str(res["articles"]),
            "",
            f"{bb['precision']:.3f}",
            f"{bb['recall']:.3f}",
            f"{bb['f1']:.3f}",
            "",  # type: ignore[index]
            f"{best['articles_per_s']:.0f}",
        )
        singles = bcubed([i.article.id for i in _unique(items)], [gold[i] for i in _ids_in_order(items)])
        quality.add_row(
            name,
            "all singletons",
            "",
            "",
            f"{singles['precision']:.3f}",
            f"{singles['recall']:.3f}",
            f"{singles['f1']:.3f}",
            "",
            "",
        )
        entry["minhash_baseline"] = baselines
        entry["singletons"] = singles
        runs = []
        for scale in scales:
            with ctx.Pool(1) as pool:
                r = pool.map(_scale_worker, [(name, str(args.shared), scale, settings)])[0]
            runs.append(r)
            growth.add_row(
                name,
                f"{scale}x",
                str(r["articles"]),
                f"{r['articles_per_s']:.0f}",
                f"{r['assign_articles_per_s']:.0f}",
                f"{r['assign_articles_per_cpu_s']:.0f}",
                f"{r['peak_rss_mb']:.0f}",
                f"{r['bcubed']['f1']:.3f}",  # type: ignore[index]
            )
        entry["growth"] = runs
        out[name] = entry
    Console().print(quality)
    Console().print(growth)
    # Runs of other datasets (e.g. a 50x run of one dataset alone) stay in the file.
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name, entry in out.items():
        if name in previous and isinstance(entry, dict) and "growth" in entry:
            kept = [g for g in previous[name].get("growth", []) if g["scale"] not in scales]
            entry["growth"] = sorted(kept + entry["growth"], key=lambda g: g["scale"])  # type: ignore[operator]
        previous[name] = entry
    RESULTS.write_text(json.dumps(previous, indent=2, default=str))
    console.print(f"wrote {RESULTS}")


def _ids_in_order(items: Sequence[AnalysedArticle]) -> list[str]:
    return [i.article.id for i in _unique(items)]


if __name__ == "__main__":
    main()
