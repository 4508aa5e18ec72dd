"""Soak: the web app's JSON API read by concurrent clients while a separate process ingests real articles.

    python bench/soak.py                                  # SQLite: 3,000 AllSides articles, 4 readers
    python bench/soak.py --articles 1000 --seconds 120
    eval "$(bash .ci/postgres.sh)"; python bench/soak.py --backend both   # also PostgreSQL (own schema)

Three processes on loopback only (127.0.0.1): ``corroborator serve`` over the store, ``corroborator
ingest`` writing AllSides articles (../shared/corpus/allsides) into the same store, and this process
sending reads from ``--readers`` threads: the stories list (with filters and pages), a story's
comparison (``wait=0``: a story never compared answers 202 "pending" at once, counted apart, not as an
error), an article (``wait=0``: facts not made yet come back as ``facts_state: "pending"``, counted
apart), and now and then a claim check (``wait=0``: a check still running answers 202 "pending"; a 503
"busy", the server shedding checks beyond one running and two waiting; both counted apart). A timeout
(60 s) or any other status is an error.
The run is bounded by ``--seconds`` and ``--max-requests``. After the ingest ends, the same reads run
for ``--idle-seconds`` with no writer: the baseline. Articles lost: the ids of every article the input
holds (read with ingest's own readers) against what the soaked store holds. Writes
bench/results/soak.json (soak-postgres.json, soak-both.json).
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
SHARDS = REPO.parent / "shared" / "corpus" / "allsides" / "articles"
RESULTS = REPO / "bench" / "results"  # soak.json (SQLite), soak-postgres.json, soak-both.json
KINDS = ("list", "story", "article", "check")
WEIGHTS = (0.35, 0.3, 0.3, 0.05)  # a check judges up to 200 articles: rarer, as in a newsroom
console = Console(width=150)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_input(folder: Path, articles: int, files: int, seed: int) -> list[Path]:
    """The first ``articles`` AllSides records: ``seed`` of them in a first file (stored before the reads
    start), the rest as ``files`` JSONL files that ingest reads in turn."""
    lines: list[str] = []
    for shard in sorted(SHARDS.glob("articles-*.jsonl.xz")):
        with lzma.open(shard, "rt", encoding="utf-8") as fh:
            for line in fh:
                lines.append(line)
                if len(lines) >= articles:
                    break
        if len(lines) >= articles:
            break
    first = folder / "allsides-seed.jsonl"
    first.write_text("".join(lines[:seed]), encoding="utf-8")
    rest = lines[seed:]
    per = max(1, -(-len(rest) // files))
    paths = [first]
    for i in range(0, len(rest), per):
        path = folder / f"allsides-{i // per:02d}.jsonl"
        path.write_text("".join(rest[i : i + per]), encoding="utf-8")
        paths.append(path)
    return paths


def expected_ids(paths: list[Path]) -> set[str]:
    """Ids of the articles the input holds, by the same readers ingest uses (no analysis needed)."""
    from corroborator.errors import InputError
    from corroborator.ingest import read_paths
    from corroborator.settings import Settings

    return {a.id for a in read_paths(paths, Settings()) if not isinstance(a, InputError)}


@contextmanager
def location(backend: str, folder: Path, name: str) -> Iterator[str]:
    if backend == "sqlite":
        yield str(folder / f"{name}.db")
        return
    import psycopg

    url = os.environ.get("CORROBORATOR_TEST_PG", "")
    if not url:
        raise SystemExit('PostgreSQL needs CORROBORATOR_TEST_PG: eval "$(bash .ci/postgres.sh)"')
    schema = f"soak_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def corroborator(*args: str) -> list[str]:
    return [sys.executable, "-m", "corroborator", *args]


def ingest(db: str, paths: list[Path], workers: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = corroborator("ingest", *map(str, paths), "--db", db, "--quiet", "--workers", str(workers))
    return subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT)


@contextmanager
def server(db: str, log: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        corroborator("serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.time() > deadline:
                    raise SystemExit(f"serve did not start; see {log}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    pending: int = 0
    check_pending: int = 0  # checks answered 202 while the worker process runs them
    facts_pending: int = 0  # article reads answered before the worker made the article's facts
    load: list[float] = field(default_factory=list)  # 1-minute load average, sampled every 5 s
    shed: int = 0  # checks the server refused with 503 because enough were running or waiting
    samples: list[str] = field(default_factory=list)  # the first few error lines, for the report
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {error}")

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())


@dataclass
class Targets:
    """Ids seen in list responses, for the story, article and check reads."""

    stories: list[str] = field(default_factory=list)
    articles: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def learn(self, items: list[dict[str, object]]) -> None:
        with self.lock:
            for s in items:
                if int(s["size"]) >= 2 and s["id"] not in self.stories:  # type: ignore[call-overload]
                    self.stories.append(str(s["id"]))
                for a in s["articles"]:  # type: ignore[attr-defined]
                    self.articles.append((a["id"], a["title"] or ""))
            del self.articles[:-2000]
            del self.stories[:-500]


def reader(base: str, tally: Tally, targets: Targets, stop: threading.Event, seed: int, budget: list[int]) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as client:
        while not stop.is_set():
            with tally.lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            kind = rng.choices(KINDS, WEIGHTS)[0]
            with targets.lock:
                story = rng.choice(targets.stories) if targets.stories else None
                article = rng.choice(targets.articles) if targets.articles else None
            if kind == "list" or (kind == "story" and story is None) or (kind != "list" and article is None):
                kind = "list"
                params: dict[str, int | str] = {"limit": 20, "offset": rng.choice([0, 0, 20, 40])}
                if rng.random() < 0.3:
                    params["min_size"] = 2
                if rng.random() < 0.2:
                    params["disputed"] = "true"
                request = ("/api/stories", params)
            elif kind == "story":
                request = (f"/api/stories/{story}", {"wait": 0})
            elif kind == "article":
                assert article is not None
                request = (f"/api/articles/{article[0]}", {"wait": 0})
            else:
                assert article is not None
                request = ("/api/check", {"claim": (article[1] or "the president said")[:200], "limit": 20, "wait": 0})
            started = time.perf_counter()
            error = None
            try:
                resp = client.get(request[0], params=request[1])
                if resp.status_code == 202 and kind == "story":
                    with tally.lock:
                        tally.pending += 1
                elif resp.status_code == 202 and kind == "check":
                    with tally.lock:
                        tally.check_pending += 1
                elif resp.status_code == 503 and kind == "check":
                    with tally.lock:
                        tally.shed += 1
                elif resp.status_code != 200:
                    error = f"{resp.status_code} {request[0]}: {resp.text[:200]}"
                elif kind == "list":
                    targets.learn(resp.json()["items"])
                elif kind == "article" and resp.json()["facts_state"] == "pending":
                    with tally.lock:
                        tally.facts_pending += 1
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__} {request[0]}: {exc}"
            tally.add(kind, time.perf_counter() - started, error)


def read_phase(
    base: str, readers: int, until: threading.Event, seconds: float, budget: int, targets: Targets
) -> tuple[Tally, float]:
    tally = Tally()
    stop = threading.Event()
    left = [budget]
    threads = [
        threading.Thread(target=reader, args=(base, tally, targets, stop, i, left), daemon=True) for i in range(readers)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    deadline = started + seconds
    sampled = 0.0
    while time.perf_counter() < deadline and not until.is_set() and any(t.is_alive() for t in threads):
        if time.perf_counter() - sampled >= 5:
            sampled = time.perf_counter()
            tally.load.append(os.getloadavg()[0])
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    return tally, time.perf_counter() - started


def summarise(tally: Tally, seconds: float) -> dict[str, object]:
    rows: dict[str, object] = {}
    for kind in KINDS:
        lat = np.asarray(tally.latencies[kind]) * 1000
        rows[kind] = {
            "requests": int(lat.size),
            "per_s": round(lat.size / seconds, 1) if seconds else 0.0,
            "p50_ms": round(float(np.percentile(lat, 50)), 1) if lat.size else None,
            "p99_ms": round(float(np.percentile(lat, 99)), 1) if lat.size else None,
            "errors": tally.errors[kind],
        }
    return {
        "seconds": round(seconds, 1),
        "requests": tally.count(),
        "per_s": round(tally.count() / seconds, 1) if seconds else 0.0,
        "errors": sum(tally.errors.values()),
        "story_pending": tally.pending,
        "article_facts_pending": tally.facts_pending,
        "check_pending_202": tally.check_pending,
        "load_avg_1m": {
            "mean": round(float(np.mean(tally.load)), 2) if tally.load else None,
            "max": round(max(tally.load), 2) if tally.load else None,
        },
        "check_shed_503": tally.shed,
        "error_samples": tally.samples,
        "by_kind": rows,
    }


def stored_ids(db: str) -> set[str]:
    from corroborator.api import open_store

    with open_store(db, create=False) as store:
        return {a.id for a in store.iter_articles()}


def run_backend(backend: str, args: argparse.Namespace, folder: Path) -> dict[str, object]:
    paths = write_input(folder, args.articles, args.files, args.seed)
    seed, rest = paths[:1], paths[1:]
    out: dict[str, object] = {"backend": backend, "articles_in": args.articles, "seeded": args.seed}
    with location(backend, folder, "soak") as db:
        # The store starts with the first file, so readers have stories from the first second.
        subprocess.run(corroborator("ingest", *map(str, seed), "--db", db, "--quiet"), check=False)
        with server(db, folder / f"serve-{backend}.log") as base:
            targets = Targets()
            done = threading.Event()
            started = time.perf_counter()
            proc = ingest(db, rest, args.workers, folder / f"ingest-{backend}.log")

            def finished() -> None:
                proc.wait()
                done.set()

            watcher = threading.Thread(target=finished, daemon=True)
            watcher.start()
            busy, busy_s = read_phase(base, args.readers, done, args.seconds, args.max_requests, targets)
            if proc.poll() is None:
                console.print(f"[yellow]{backend}: reads ended (--seconds/--max-requests) before the ingest; waiting")
                proc.wait()
            out["ingest_seconds"] = round(time.perf_counter() - started, 1)
            out["ingest_exit"] = proc.returncode
            idle, idle_s = read_phase(
                base, args.readers, threading.Event(), args.idle_seconds, args.max_requests, targets
            )
            health = httpx.get(f"{base}/api/health", timeout=30).json()
        out["during_ingest"] = summarise(busy, busy_s)
        out["idle"] = summarise(idle, idle_s)
        out["comparisons_pending_at_end"] = health.get("comparisons_pending")
        RESULTS.mkdir(parents=True, exist_ok=True)  # the logs, for what went wrong (git-ignored like results)
        for name in (f"serve-{backend}.log", f"ingest-{backend}.log"):
            if (folder / name).exists():
                shutil.copy(folder / name, RESULTS / f"soak-{name}")
        # Articles lost: every article the input holds (read by ingest's own readers) must be stored.
        soaked, expected = stored_ids(db), expected_ids(paths)
        out["articles_stored"] = len(soaked)
        out["articles_expected"] = len(expected)
        out["articles_lost"] = len(expected - soaked)
        out["articles_extra"] = len(soaked - expected)
    return out


def table(results: list[dict[str, object]]) -> Table:
    t = Table(title="soak: JSON API reads while ingest writes (127.0.0.1)")
    for col in ("backend", "phase", "endpoint", "requests", "req/s", "p50 ms", "p99 ms", "errors"):
        t.add_column(col, justify="right" if col not in ("backend", "phase", "endpoint") else "left")
    for r in results:
        for phase in ("during_ingest", "idle"):
            summary = r[phase]
            assert isinstance(summary, dict)
            for kind, row in summary["by_kind"].items():
                t.add_row(
                    str(r["backend"]),
                    "ingesting" if phase == "during_ingest" else "idle (baseline)",
                    kind,
                    str(row["requests"]),
                    str(row["per_s"]),
                    str(row["p50_ms"]),
                    str(row["p99_ms"]),
                    str(row["errors"]),
                )
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=200, help="articles stored before the reads start")
    ap.add_argument("--files", type=int, default=10, help="input files the rest is split into")
    ap.add_argument("--readers", type=int, default=4, help="concurrent reader threads")
    ap.add_argument("--workers", type=int, default=1, help="ingest analysis processes")
    ap.add_argument("--seconds", type=float, default=300, help="most seconds of reads during the ingest")
    ap.add_argument("--idle-seconds", type=float, default=20, help="seconds of reads after it (baseline)")
    ap.add_argument("--max-requests", type=int, default=50_000, help="most requests per phase")
    args = ap.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = []
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        for backend in backends:
            folder = Path(tmp) / backend
            folder.mkdir()
            results.append(run_backend(backend, args, folder))
    console.print(table(results))
    for r in results:
        console.print(
            f"{r['backend']}: ingest {r['ingest_seconds']} s (exit {r['ingest_exit']}), "
            f"stored {r['articles_stored']} of {r['articles_expected']} in the input: lost {r['articles_lost']}, "
            f"extra {r['articles_extra']}; story reads answered 202 pending: "
            f"{r['during_ingest']['story_pending']} during ingest, {r['idle']['story_pending']} idle; "  # type: ignore[index]
            f"article reads with facts pending: {r['during_ingest']['article_facts_pending']}; "  # type: ignore[index]
            f"load average (1 min) while ingesting: {r['during_ingest']['load_avg_1m']}; "  # type: ignore[index]
            f"checks answered 202 pending: {r['during_ingest']['check_pending_202']}, "  # type: ignore[index]
            f"refused 503 (busy): {r['during_ingest']['check_shed_503']}; "  # type: ignore[index]
            f"errors {r['during_ingest']['errors']} + {r['idle']['errors']}"  # type: ignore[index]
        )
        for line in r["during_ingest"]["error_samples"]:  # type: ignore[index]
            console.print(f"  [red]{line}")
    out = RESULTS / ("soak.json" if args.backend == "sqlite" else f"soak-{args.backend}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "results": results}, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
