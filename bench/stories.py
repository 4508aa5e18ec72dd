"""Story clustering at corpus scale: quality on ECB+ and GVA, throughput and memory from 1x to 50x.

    python bench/stories.py                      # everything below, growth at 1x and 10x
    python bench/stories.py --scales 1,10,50     # add the 50x run (about 190k articles; slow on 2 cores)
    python bench/stories.py --datasets ecb --scales 1 --skip cv,tfidf,meantime,examples

One run reports, on ECB+ and GVA (B-cubed P / R / F1 against the gold event): the learned decision with
and without self-correction, the hand-weighted score it replaces (same index, today's weights), the
learned decision replayed in-sample and cross-validated by topic / incident (training/train_stories.py's
protocol), an all-pairs TF-IDF reference (average-link over the whole corpus, threshold best of a grid:
optimistic), a MinHash baseline and all-singletons. Then MEANTIME: the 120 English articles against
their four topics, and all 480 articles in four languages in one store (issue 14): how often an
article and its translation share a story, B-cubed against the topic and against the article (the four
versions of one article as one gold story). Then the repository's examples: does the opinion column
join its fire story.

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
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from common import REPO
from corroborator.fingerprint import minhash_signature
from corroborator.model import AnalysedArticle, Article, Sentence
from corroborator.settings import Settings
from story_data import (
    Gold,
    _dataset,
    _unique,
    analysed,
    bcubed,
    fit,
    load,
    pairs,
    per_article,
    replay,
    weighted_scores,
)

console = Console(stderr=True)
RESULTS = REPO / "bench" / "results" / "stories.json"


# -- data -------------------------------------------------------------------------------------------


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


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _status_mb(key: str) -> float:
    """A memory line of /proc/self/status (VmRSS: now, VmHWM: peak since the last reset) in MB, or -1."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return float(line.split()[1]) / 1024.0
    except OSError:
        pass
    return -1.0


def _reset_peak() -> float:
    """Reset the process's peak RSS (Linux: clear_refs 5) and return the RSS now, in MB.

    ru_maxrss cannot be reset, so a peak reached while loading the data hides the run's own growth
    (the last round's KB/article read 0). Falls back to ru_maxrss where /proc is absent.
    """
    import gc

    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return _rss_mb()
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    hwm = _status_mb("VmHWM")
    return hwm if hwm >= 0 else _rss_mb()


def ingest_run(
    pairs: Iterable[tuple[AnalysedArticle, str]],
    settings: Settings,
    total: int,
    label: str,
    max_seconds: float | None = None,
) -> dict[str, Any]:
    """Store + assign as ingest does; returns quality against gold (final stories, after any
    self-correction), throughput and memory. With ``max_seconds`` the run stops after the batch that
    passes it (``stopped_early``; the numbers are then those of the articles done)."""
    from corroborator.store import open_store
    from corroborator.stories import StoryAssigner

    rss_before = _reset_peak()
    order: list[str] = []
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
            stopped = False
            while True:
                if max_seconds is not None and time.perf_counter() - started > max_seconds:
                    stopped = True
                    break
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
                    order.append(item.article.id)
                    gold.append(g)
                prog.update(task, advance=len(batch))
        t0 = time.perf_counter()
        assigner.save()
        save_s = time.perf_counter() - t0
        seconds = time.perf_counter() - started
        stories = store.count_stories()
        idx = assigner.index
        pred = [idx.story_of[idx.pos[a]] for a in order]
        events = Counter(e.kind for e in assigner.events)
    n = len(pred)
    console.print(f"{label}: {n} articles, {stories} stories, {n / seconds:.0f} articles/s", highlight=False)
    peak = _peak_mb()
    return {
        "articles": n,
        "stopped_early": stopped,
        "exact_duplicates": dups,
        "near_duplicates": near,
        "stories": stories,
        "merges": events.get("merge", 0),
        "splits": events.get("split", 0),
        "bcubed": bcubed(pred, gold),
        "seconds": seconds,
        "articles_per_s": n / seconds if seconds else 0.0,
        "assign_articles_per_s": n / assign_s if assign_s else 0.0,
        # CPU time is what the assigner costs; wall time on a shared 2-core machine swings 4x.
        "assign_articles_per_cpu_s": n / assign_cpu if assign_cpu else 0.0,
        "assign_cpu_ms_per_article": 1000.0 * assign_cpu / n if n else 0.0,
        "save_seconds": save_s,
        "peak_rss_mb": peak,
        "rss_before_mb": rss_before,
        # Peak growth over the RSS at the run's start (peak reset there), per article: the index, the
        # store's caches and Python objects.
        "kb_per_article": 1024.0 * (peak - rss_before) / n if n else 0.0,
        "pred": pred,
        "gold": gold,
    }


def _scale_worker(args: tuple) -> dict[str, Any]:
    name, shared, scale, settings, *rest = args
    budget = rest[0] if rest else None
    items, gold, _ = _dataset(name, Path(shared), settings)
    res = ingest_run(scaled(items, gold, scale, settings), settings, len(items) * scale, f"{name} {scale}x", budget)
    res.pop("pred")
    res.pop("gold")
    res["scale"] = scale
    return res


def minhash_baseline(items: Sequence[AnalysedArticle], gold: Gold, threshold: float) -> dict[str, Any]:
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


# -- references and other corpora ----------------------------------------------------------------------


def tfidf_reference(items: Sequence[AnalysedArticle], gold: Gold) -> dict[str, Any]:
    """All-pairs TF-IDF + average-link clustering over the whole corpus at once (sees every document;
    no incremental decision). Its distance threshold is the best of a grid on the data itself, so this
    is an optimistic reference, not a fair competitor."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    uniq = _unique(items)
    texts = [f"{i.article.title or ''}\n{i.article.text}" for i in uniq]
    g = [gold[i.article.id] for i in uniq]
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(texts)
    dist = np.clip(1.0 - (X @ X.T).toarray(), 0.0, 2.0)  # rows are L2-normalised: cosine distances
    best: dict[str, Any] = {}
    for t in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=t
        ).fit_predict(dist)
        b = bcubed([str(x) for x in labels], g)
        if not best or b["f1"] > best["bcubed"]["f1"]:
            best = {"distance_threshold": t, "bcubed": b}
    return best


def load_meantime(shared: Path, lang: str) -> list[tuple[Article, str, str]]:
    """(article, topic, Wikinews id) per MEANTIME article of one language; title separate from the text."""
    path = shared / "corpus" / f"meantime_{lang}" / "articles.jsonl"
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            lines = rec["text"].split("\n")
            body = "\n".join(lines[1:]) if len(lines) > 1 else rec["text"]
            art = Article.create(
                body,
                title=rec.get("title") or None,
                published=datetime.fromisoformat(rec["date"]) if rec.get("date") else None,
                language=lang,
                source=f"wikinews-{lang}",
                external_id=f"{lang}:{rec['id']}",
            )
            out.append((art, rec["topic"], str(rec["id"])))
    return out


def meantime_runs(shared: Path, settings: Settings) -> dict[str, Any]:
    """English alone against the four topics; then all four languages in one store (issue 14)."""
    langs = ("en", "es", "it", "nl")
    per: dict[str, list[tuple[AnalysedArticle, str, str]]] = {}
    for lang in langs:
        rows = load_meantime(shared, lang)
        items, _ = analysed(f"meantime_{lang}", [r[0] for r in rows], settings)
        per[lang] = [(it, r[1], r[2]) for it, r in zip(items, rows, strict=True)]
    out: dict[str, Any] = {}
    en = sorted(per["en"], key=lambda r: (r[0].article.published or datetime.max, r[0].article.id))
    res = ingest_run(((it, topic) for it, topic, _ in en), settings, len(en), "meantime en")
    out["en_topics"] = {"articles": res["articles"], "stories": res["stories"], "bcubed": res["bcubed"]}
    # All languages, by date; the same article's four versions arrive one after another.
    allrows = sorted(
        (r for lang in langs for r in per[lang]),
        key=lambda r: (r[0].article.published or datetime.max, r[2], langs.index(r[0].article.language or "en")),
    )
    res = ingest_run(((it, f"{wid}|{topic}") for it, topic, wid in allrows), settings, len(allrows), "meantime x4")
    pred, gold = res["pred"], res["gold"]
    story_of = {(g.split("|")[0], r[0].article.language): p for p, g, r in zip(pred, gold, allrows, strict=True)}
    together: dict[str, float] = {}
    for lang in langs[1:]:
        ids = [wid for (wid, lg) in story_of if lg == lang and (wid, "en") in story_of]
        same = sum(story_of[(wid, "en")] == story_of[(wid, lang)] for wid in ids)
        together[f"en-{lang}"] = same / len(ids) if ids else 0.0
    out["all_languages"] = {
        "articles": res["articles"],
        "stories": res["stories"],
        "translation_with_english": together,
        "bcubed_topic": bcubed(pred, [g.split("|")[1] for g in gold]),
        "bcubed_article": bcubed(pred, [g.split("|")[0] for g in gold]),
    }
    return out


def examples_run(settings: Settings) -> dict[str, Any]:
    """The repository's fictional examples through the real ingest: does the opinion column join its fire?"""
    from corroborator.pipeline import ingest
    from corroborator.store import open_store

    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "ex.db") as store:
        dirs = [REPO / "examples" / "port-elvan-fire", REPO / "examples" / "dunmere-water"]
        ingest(dirs, store, replace(settings, ingest_workers=0))
        stories = {}
        for st in store.stories():
            stories[st.id] = sorted(store.get_article(a).external_id or a for a in st.article_ids)
        fire = {store.story_of(a.id) for a in store.iter_articles() if "port-elvan" in (a.origin or "")}
        column = [a for a in store.iter_articles() if "northern-sentinel-column" in (a.origin or "")]
        joined = bool(column) and len(fire) == 1 and store.story_of(column[0].id) in fire
    return {"stories": stories, "opinion_column_joins_fire": joined}


def cross_validated(shared: Path, settings: Settings) -> dict[str, Any]:
    """The learned decision's in-sample and cross-validated replay (training/train_stories.py's protocol)."""
    from sklearn.model_selection import GroupKFold

    from corroborator.stories.decision import default_story_model

    shipped = default_story_model()
    assert shipped is not None, "no data/story_model.json: run training/train_stories.py"
    data = pairs(shared, replace(settings, story_decision="weights"))
    X = np.concatenate([d["X"] for d in data.values()])
    y = np.concatenate([d["y"] for d in data.values()])
    groups = np.asarray([g for d in data.values() for g in d["groups"]])
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(X, y, groups):
        oof[test] = load(fit(X[train], y[train], shipped.kind)).probability(X[test])
    threshold = settings.story_min_probability
    out: dict[str, Any] = {}
    off = 0
    for name, d in data.items():
        n = len(d["y"])
        out[name] = {
            label: bcubed([str(x) for x in replay(d["rec"], per_article(d, probs), threshold)], d["gold"])
            for label, probs in (("in_sample", shipped.probability(d["X"])), ("cross_validated", oof[off : off + n]))
        }
        out[name]["weights_replay"] = bcubed(
            [str(x) for x in replay(d["rec"], weighted_scores(d["rec"], settings), settings.story_threshold)], d["gold"]
        )
        off += n
    return out


# -- main ---------------------------------------------------------------------------------------------

REPLAY_LABEL = {
    "in_sample": "learned, in-sample",
    "cross_validated": "learned, cross-validated (by topic / incident)",
    "weights_replay": "hand weights (today's scorer and settings, new index)",
}


def _row(table: Table, dataset: str, system: str, b: dict, stories: object = "", extra: str = "") -> None:
    table.add_row(dataset, system, str(stories), f"{b['precision']:.3f}", f"{b['recall']:.3f}", f"{b['f1']:.3f}", extra)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--datasets", default="ecb,gva", help="comma list of ecb, gva")
    ap.add_argument("--scales", default="1,10", help="comma list of replication factors for the growth table")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: cv, tfidf, meantime, examples")
    ap.add_argument("--set", action="append", default=[], help="override a setting: name=value")
    ap.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="stop each growth run after this long; its row then covers the articles done (marked partial)",
    )
    ap.add_argument(
        "--all-systems",
        action="store_true",
        help="also ingest without self-correction and with the hand weights (the replays below show both)",
    )
    args = ap.parse_args()
    settings = Settings().with_overrides(dict(p.split("=", 1) for p in args.set))
    skip = set(args.skip.split(",")) - {""}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    scales = [int(x) for x in args.scales.split(",") if x]
    out: dict[str, Any] = {"settings": {f.name: getattr(settings, f.name) for f in fields(settings)}}
    quality = Table("dataset", "system", "stories", "B3 P", "B3 R", "B3 F1", "note", title="story quality (1x)")
    growth = Table(
        "dataset",
        "scale",
        "articles",
        "assign/CPU-s",
        "CPU ms/article",
        "peak MB",
        "KB/article",
        "B3 F1",
        title="growth",
    )
    systems = {"learned" + (" + self-correction" if settings.story_self_correct else ""): settings}
    if args.all_systems:
        flip = not settings.story_self_correct
        systems["learned" + (" + self-correction" if flip else ", no self-correction")] = replace(
            settings, story_self_correct=flip
        )
        systems["hand weights, no self-correction"] = replace(
            settings, story_decision="weights", story_self_correct=False
        )
    cv = {} if "cv" in skip else cross_validated(args.shared, settings)
    out["cross_validation"] = cv
    ctx = mp.get_context("spawn")
    for name in args.datasets.split(","):
        items, gold, extra = _dataset(name, args.shared, settings)
        entry: dict[str, Any] = {
            "analysis_articles_per_s": extra["analysis_rate"],
            "empty_skipped": extra["empty_skipped"],
        }
        for system, s in systems.items():
            res = ingest_run(((i, gold[i.article.id]) for i in items), s, len(items), f"{name} {system}")
            note = f"merges {res['merges']}, splits {res['splits']}"
            if "topic" in extra:
                topic = extra["topic"]
                tb = bcubed(res["pred"], [topic[i] for i in _ids_in_order(items)])
                res["topic_bcubed"] = tb
                note += f"; topic F1 {tb['f1']:.3f}"
            _row(quality, name, system, res["bcubed"], res["stories"], note)
            res.pop("pred")
            res.pop("gold")
            entry[system] = res
        if name in cv:
            for label in ("in_sample", "cross_validated", "weights_replay"):
                _row(quality, name, f"replayed: {REPLAY_LABEL[label]}", cv[name][label], "", "no self-correction")
        if "tfidf" not in skip:
            ref = tfidf_reference(items, gold)
            entry["tfidf_all_pairs"] = ref
            _row(
                quality,
                name,
                "all-pairs TF-IDF reference",
                ref["bcubed"],
                "",
                f"threshold {ref['distance_threshold']} (best of grid)",
            )
        baselines = [minhash_baseline(items, gold, t) for t in (0.2, 0.3, 0.5)]
        best = max(baselines, key=lambda r: r["bcubed"]["f1"])
        _row(quality, name, f"MinHash LSH baseline (t={best['threshold']})", best["bcubed"])
        singles = bcubed([i.article.id for i in _unique(items)], [gold[i] for i in _ids_in_order(items)])
        _row(quality, name, "all singletons", singles)
        entry["minhash_baseline"] = baselines
        entry["singletons"] = singles
        runs = []
        for scale in scales:
            with ctx.Pool(1) as pool:
                r = pool.map(_scale_worker, [(name, str(args.shared), scale, settings, args.max_seconds)])[0]
            r["planned_articles"] = len(items) * scale
            runs.append(r)
            growth.add_row(
                name,
                f"{scale}x",
                f"{r['articles']}" + (f" of {len(items) * scale} (partial)" if r["stopped_early"] else ""),
                f"{r['assign_articles_per_cpu_s']:.0f}",
                f"{r['assign_cpu_ms_per_article']:.2f}",
                f"{r['peak_rss_mb']:.0f}",
                f"{r['kb_per_article']:.1f}",
                f"{r['bcubed']['f1']:.3f}",
            )
        entry["growth"] = runs
        out[name] = entry
    if "meantime" not in skip:
        mt = meantime_runs(args.shared, settings)
        out["meantime"] = mt
        _row(
            quality,
            "meantime en",
            "learned vs 4 topics",
            mt["en_topics"]["bcubed"],
            mt["en_topics"]["stories"],
        )
        al = mt["all_languages"]
        together = ", ".join(f"{k} {v:.2f}" for k, v in al["translation_with_english"].items())
        _row(
            quality,
            "meantime x4",
            "vs topic",
            al["bcubed_topic"],
            al["stories"],
            f"translation with English: {together}",
        )
        _row(quality, "meantime x4", "vs article (translations one story)", al["bcubed_article"], al["stories"])
    if "examples" not in skip:
        ex = examples_run(settings)
        out["examples"] = ex
        quality.add_row(
            "examples",
            "opinion column joins its fire story",
            str(len(ex["stories"])),
            "",
            "",
            "",
            str(ex["opinion_column_joins_fire"]),
        )
    Console().print(quality)
    Console().print(growth)
    # Growth runs of other invocations (e.g. a 50x run of one dataset alone) stay in the file.
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name, entry in out.items():
        if name in previous and isinstance(entry, dict) and "growth" in entry:
            kept = [g for g in previous[name].get("growth", []) if g["scale"] not in scales]
            entry["growth"] = sorted(kept + entry["growth"], key=lambda g: g["scale"])
        previous[name] = entry
    RESULTS.write_text(json.dumps(previous, indent=2, default=str))
    console.print(f"wrote {RESULTS}")


def _ids_in_order(items: Sequence[AnalysedArticle]) -> list[str]:
    return [i.article.id for i in _unique(items)]


if __name__ == "__main__":
    main()
