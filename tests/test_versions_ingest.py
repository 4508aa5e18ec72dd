"""Versions end to end: ``ingest`` of a changed copy at a known URL records a version (one article, two
versions, no new story member), an identical re-ingest records nothing, and ``history`` shows each changed
fact, on both stores."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corroborator.api.history import article_history, as_of, history_json
from corroborator.cli import app
from corroborator.model import Article
from corroborator.pipeline import ingest_articles
from corroborator.settings import Settings
from corroborator.store import open_store
from test_store_support import fresh_location

pytest_plugins = ["test_store_support"]

URL = "https://news.example.com/2026/03/01/millbrook-flood"
BODY = (
    "Floodwaters swept through the river town of Millbrook on Monday, officials said.\n\n"
    "At least 12 people died and 40 were injured, according to the county sheriff, Dana Ortiz.\n\n"
    "“We have never seen water rise this fast,” Ortiz told reporters at a briefing.\n\n"
    "The National Weather Service had issued a flood warning for the region on Sunday evening."
)
CHANGED = BODY.replace("At least 12 people", "At least 15 people") + (
    "\n\nCorrection: An earlier version of this story misstated the number of deaths."
)


def record(text: str, title: str = "Floods kill 12 in Millbrook") -> dict[str, str]:
    return {"text": text, "url": URL, "source": "Example News", "title": title}


def write(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_versions_ingest_a_changed_copy_is_a_version_not_an_article(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    runner = CliRunner()
    first = runner.invoke(
        app, ["ingest", str(write(tmp_path / "a.jsonl", record(BODY))), "--db", db, "--json", "--quiet"]
    )
    assert first.exit_code == 0, first.output
    changed = write(tmp_path / "b.jsonl", record(CHANGED, "Floods kill 15 in Millbrook"))
    second = runner.invoke(app, ["ingest", str(changed), "--db", db, "--json", "--quiet"])
    assert second.exit_code == 0, second.output
    summary = json.loads(second.stdout)
    assert summary["versions"] == 1 and summary["new"] == 0 and summary["stories_opened"] == 0
    again = json.loads(runner.invoke(app, ["ingest", str(changed), "--db", db, "--json", "--quiet"]).stdout)
    assert again["versions"] == 0 and again["new"] == 0  # an identical re-fetch records nothing
    with open_store(db) as store:
        (article,) = store.articles()
        assert len(store.versions(article.id)) == 2
        story = store.story(store.story_of(article.id) or "")
        assert story.article_ids == (article.id,)  # no new story member
    shown = runner.invoke(app, ["history", URL, "--db", db, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    doc = json.loads(shown.stdout)
    assert doc["schema"] == "corroborator.history/1" and len(doc["versions"]) == 2
    summaries = [f["summary"] for c in doc["diffs"][0]["changes"] for f in c["facts"]]
    assert 'number: "12 people" -> "15 people"' in summaries
    assert any(c["note"] == "correction" for c in doc["diffs"][0]["changes"])
    assert any(c["part"] == "headline" for c in doc["diffs"][0]["changes"])
    for fmt in ("text", "md", "html"):
        out = runner.invoke(app, ["history", article.id, "--db", db, "--format", fmt])
        assert out.exit_code == 0 and "15 people" in out.stdout
    missing = runner.invoke(app, ["history", URL + "-nope", "--db", db])
    assert missing.exit_code != 0 and "no article at" in missing.output


def test_versions_ingest_both_versions_in_one_batch_and_both_stores(tmp_path: Path) -> None:
    for backend in ("sqlite", "postgres"):
        try:
            with fresh_location(backend, tmp_path / backend) as where:
                (tmp_path / backend).mkdir(exist_ok=True)
                items = [Article.create(BODY, url=URL, source="Example News", language="en"),
                         Article.create(CHANGED, url=URL + "/", source="Example News", language="en")]  # fmt: skip
                with open_store(where) as store:
                    report = ingest_articles(items, store, Settings(ingest_workers=0))
                    assert (report.new, report.versions) == (1, 1)
                    history = article_history(store, items[1].id)  # a version's id names its article
                    assert [v.article.id for v in history.versions] == [items[0].id, items[1].id]
                    assert history_json(history)["diffs"][0]["changes"]
                    assert [a.id for a in as_of(store, [items[0].id])] == [items[1].id]  # latest by default
                    first_at = history.versions[1].at
                    assert first_at is not None
                    early = as_of(store, [items[0].id], first_at.replace(year=first_at.year - 1))
                    assert [a.id for a in early] == [items[0].id]
        except BaseException as exc:  # the PostgreSQL half skips without CORROBORATOR_TEST_PG
            if type(exc).__name__ == "Skipped" and backend == "postgres":
                continue
            raise


def test_versions_story_comparison_reads_the_latest_version_or_as_of(tmp_path: Path) -> None:
    from dataclasses import replace

    from corroborator.api.comparisons import compare_story, kept_comparison
    from corroborator.store.base import StoryFilter
    from tests.test_compare_support import CosineJudge, FakeEncoder

    examples = Path(__file__).resolve().parents[1] / "examples" / "port-elvan-fire"
    with open_store(tmp_path / "s.db") as store:
        from corroborator.pipeline import ingest

        ingest([examples], store, Settings(ingest_workers=0))
        story = store.stories(StoryFilter(min_size=2))[0]
        member = store.get_article(story.article_ids[0])
        kw = {"judge": CosineJudge(), "encoder": FakeEncoder()}
        before = compare_story(store, story.id, **kw)
        assert kept_comparison(store, story.id).fresh  # type: ignore[union-attr]
        edited = member.text + "\n\nThis story has been updated with a statement from the fire service."
        changed = replace(Article.create(edited), url=member.url or "https://x.example/a", source=member.source)
        assert store.add_version(member.id, changed) == "version"
        assert not kept_comparison(store, story.id).fresh  # type: ignore[union-attr]  # a new version: stale
        latest = compare_story(store, story.id, **kw)
        assert changed.id in {a.id for a in latest.articles} and member.id not in {a.id for a in latest.articles}
        then = store.versions(member.id)[1].at
        assert then is not None
        old = compare_story(store, story.id, as_of=then.replace(year=then.year - 1), **kw)
        assert {a.id for a in old.articles} == {a.id for a in before.articles}
        assert kept_comparison(store, story.id).fresh  # type: ignore[union-attr]  # as-of is not kept


def test_versions_web_history_page_and_json(tmp_path: Path) -> None:
    """The article page links its history when it has versions; the history page shows the changed
    figure with old text struck and new text marked, escaped; the JSON twin is corroborator.history/1."""
    from fastapi.testclient import TestClient

    from corroborator.web.app import create_app

    runner = CliRunner()
    db = str(tmp_path / "w.db")
    for name, rec in (("a.jsonl", record(BODY)), ("b.jsonl", record(CHANGED + "\n\n<script>x</script>"))):
        assert runner.invoke(app, ["ingest", str(write(tmp_path / name, rec)), "--db", db, "--quiet"]).exit_code == 0
    with open_store(db) as store:
        article = article_history(store, URL).article
        with TestClient(create_app(store, token=None, background=False), raise_server_exceptions=False) as c:
            page = c.get(f"/articles/{article.id}").text
            assert f'href="/articles/{article.id}/history"' in page and "2 versions" in page
            history = c.get(f"/articles/{article.id}/history")
            assert history.status_code == 200
            assert '<del class="removed">' in history.text and "15 people" in history.text
            assert "<script>x</script>" not in history.text and "&lt;script&gt;" in history.text
            doc = c.get(f"/api/articles/{article.id}/history").json()
            assert doc["schema"] == "corroborator.history/1" and len(doc["versions"]) == 2
            assert c.get("/api/articles/nope/history").status_code == 404
