"""``corroborator check "CLAIM"``: stance of the stored coverage toward a claim, with evidence.

``corroborator check --pairs FILE.jsonl`` judges ``{"id", "claim", "text"}`` records in batch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

import typer

from corroborator.cli import app, err_console, fail, library_errors, out_console

DEFAULT_DB = Path("corroborator.db")
PREFILTER_POOL = 200  # articles judged when no story is given: the most similar to the claim
PROGRESS_FROM = 50  # batch size from which a progress bar is shown


@app.command("check")
@library_errors
def check_command(
    claim: str | None = typer.Argument(None, help="The claim to check against the stored coverage."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL."),
    story: str | None = typer.Option(None, "--story", help="Only the articles of this story id."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Show at most N articles."),
    show_all: bool = typer.Option(False, "--all", help="Also list articles judged unrelated."),
    pairs: Path | None = typer.Option(
        None, "--pairs", help='Batch mode: JSON lines {"id", "claim", "text"}; one result line each.'
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Batch mode: write results here."),
) -> None:
    """Which stored articles support, contradict or discuss CLAIM, with the sentences that show it."""
    if fmt not in ("text", "json"):
        raise fail(f"--format {fmt!r}: use text or json", code=2)
    if pairs is not None:
        if claim is not None:
            raise fail("give either CLAIM or --pairs FILE, not both", code=2)
        bad = run_pairs_file(pairs, output)
        if bad:
            raise typer.Exit(1)
        return
    if not claim or not claim.strip():
        raise fail('give a claim to check, e.g. corroborator check "The bridge closed in 2021"', code=2)
    _check_store(claim.strip(), db, story, fmt, limit, show_all)


# -- store mode ---------------------------------------------------------------------------------
def _check_store(claim: str, db: Path, story: str | None, fmt: str, limit: int | None, show_all: bool) -> None:
    from corroborator.check import check_claim, default_stance_model
    from corroborator.store import open_store

    model = default_stance_model()
    with open_store(str(db), create=False) as store:
        if story:
            articles = [store.get_article(a) for a in store.story(story).article_ids]
        else:
            articles = _prefilter(store, claim, model.encoder)
        sentences = {a.id: store.sentences(a.id) for a in articles}
        vectors = {}
        for a in articles:
            vecs = store.sentence_vectors(a.id, model.encoder.name)
            if vecs is None or len(vecs) != len(sentences[a.id]):
                vecs = model.encoder.encode([s.text for s in sentences[a.id]])
                store.put_sentence_vectors(a.id, model.encoder.name, vecs)
            vectors[a.id] = vecs
        duplicate_of = {link.article_id: link.original_id for link in store.duplicate_links()}
        if story and len(articles) > 1:
            # Within a story, a rewrite of another article is not a second witness either.
            from corroborator.compare import compare_story, copies

            duplicate_of = copies(compare_story(store, story), duplicate_of)
    result = check_claim(claim, articles, model=model, duplicate_of=duplicate_of, sentences=sentences, vectors=vectors)
    shown = [(a, j) for a, j in result.judgements if show_all or j.stance != "unrelated"]
    hidden = len(result.judgements) - len(shown)
    if limit is not None:
        shown = shown[:limit]
    summary = (
        f"{result.supporting_sources} independent source{'s' * (result.supporting_sources != 1)} support, "
        f"{result.disputing_sources} dispute"
    )
    if fmt == "json":
        doc = {
            "claim": claim,
            "story": story,
            "model": model.name,
            "results": [
                {
                    "article": a.id,
                    "source": a.label,
                    "title": a.title,
                    "url": a.url,
                    "stance": j.stance,
                    "score": round(j.score, 4),
                    "evidence": [
                        {"text": e.text, "start": e.start, "end": e.end, "score": round(e.score, 4)} for e in j.evidence
                    ],
                }
                for a, j in shown
            ],
            "unrelated_hidden": hidden,
            "supporting_sources": result.supporting_sources,
            "disputing_sources": result.disputing_sources,
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    from rich.markup import escape

    if not shown:
        out_console.print(f"no stored article is about this claim ({len(result.judgements)} judged)")
    colours = {"supports": "green", "contradicts": "red", "discusses": "yellow", "unrelated": "dim"}
    for a, j in shown:
        title = f" — {escape(a.title)}" if a.title else ""
        out_console.print(
            f"[bold {colours[j.stance]}]{j.stance:<11}[/] {j.score:.2f}  {escape(a.label)}{title}  [dim]{a.id}[/]"
        )
        for e in j.evidence:
            out_console.print(f"    [dim]“[/]{escape(e.text)}[dim]”[/]")
    if hidden and not show_all:
        out_console.print(f"[dim]{hidden} unrelated article{'s' * (hidden != 1)} not shown (--all lists them)[/]")
    out_console.print(f"[bold]{summary}[/]")


def _prefilter(store: Any, claim: str, encoder: Any) -> list[Any]:
    """The stored articles most likely to be about the claim: cosine of the claim to each article's
    stored vector (title + lead), falling back to shared words when an article has no vector."""
    import numpy as np

    from corroborator.check.cues import content_words

    query = encoder.encode([claim])[0]
    words = content_words(claim)
    scored: list[tuple[float, Any]] = []
    for article in store.iter_articles():
        vec = store.article_vector(article.id)
        if vec is not None and len(vec) == len(query):
            score = float(np.dot(np.asarray(vec, dtype=np.float32), query))
        else:
            shared = words & content_words(f"{article.title or ''} {article.text[:2000]}")
            score = len(shared) / max(1, len(words))
        scored.append((score, article))
    scored.sort(key=lambda sa: -sa[0])
    return [a for _, a in scored[:PREFILTER_POOL]]


# -- batch mode ---------------------------------------------------------------------------------
def run_pairs_file(path: Path, output: Path | None) -> int:
    """Judge every record of ``path``; write one JSON line each; return how many lines were bad."""
    if not path.exists():
        raise fail(f"{path}: no such file; --pairs takes a JSON-lines file of {{id, claim, text}}")
    with path.open(encoding="utf-8") as fh:
        lines = fh.readlines()
    sink: Any = output.open("w", encoding="utf-8") if output else nullcontext(sys.stdout)
    with sink as out:
        return judge_pair_lines(lines, out, name=str(path))


def judge_pair_lines(lines: Sequence[str], out: IO[str], *, name: str = "<pairs>", model: Any = None) -> int:
    """Batch-mode core (also used by bench/check.py): returns the count of malformed lines."""
    from corroborator.check import default_stance_model
    from corroborator.check.sentences import article_sentences
    from corroborator.model import Article

    model = model or default_stance_model()
    split: dict[str, tuple[Any, ...]] = {}  # a body met again (many claims, one article) is split once
    bad = 0
    for lineno, line in _progress(lines, name):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("not a JSON object")
            claim, text = rec.get("claim"), rec.get("text")
            if not isinstance(claim, str) or not claim.strip():
                raise ValueError('missing "claim" (a non-empty string)')
            if not isinstance(text, str) or not text.strip():
                raise ValueError('missing "text" (a non-empty string)')
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            bad += 1
            err_console.print(f"[bold red]error:[/] {name}:{lineno}: {exc}", markup=True, highlight=False)
            continue
        article = Article.create(text)
        if article.id not in split:
            if len(split) > 256:
                split.pop(next(iter(split)))
            split[article.id] = article_sentences(article)
        judgement = model.judge(claim, article, split[article.id])
        row = {
            "id": rec.get("id"),
            "stance": judgement.stance,
            "score": round(judgement.score, 4),
            "evidence": [e.text for e in judgement.evidence],
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return bad


def _progress(lines: Sequence[str], name: str) -> Iterator[tuple[int, str]]:
    numbered = enumerate(lines, start=1)
    if len(lines) < PROGRESS_FROM:
        yield from numbered
        return
    from rich.progress import Progress

    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task(f"checking {Path(name).name}", total=len(lines))
        for item in numbered:
            yield item
            bar.advance(task)
