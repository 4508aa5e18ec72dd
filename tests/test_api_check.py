"""The library API under the skins: the CLI and the web app check a claim the same way, and independence
is one function whether a comparison, a check or the stories list asks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corroborator import api
from corroborator.cli import app
from corroborator.compare import copies
from corroborator.independence import source_groups
from corroborator.pipeline import ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from corroborator.store.base import Store, StoryFilter
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

FIRE = EXAMPLES / "port-elvan-fire"
CLAIM = "Residents were evacuated from their homes after the depot fire"


def near_copy(path: Path, out: Path) -> Path:
    """The Daily Lantern's report republished by another outlet with its last paragraph cut."""
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    head = head.replace("id: elvan-fire-02-lantern", "id: elvan-fire-02-lantern-syndicated")
    head = head.replace("source: The Daily Lantern", "source: Bayside Syndicate")
    # its own address: a changed body at the Lantern's own URL would be a new version of the Lantern's report
    head = head.replace("url: https://daily-lantern.test/", "url: https://bayside-syndicate.test/")
    paragraphs = body.strip().split("\n\n")
    out.write_text(head + "\n---\n\n" + "\n\n".join(paragraphs[:-1]) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def stocked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store]]:
    tmp = tmp_path_factory.mktemp("api")
    copy = near_copy(FIRE / "02-daily-lantern.md", tmp / "bayside.md")
    store = open_store(tmp / "api.db")
    report = ingest([EXAMPLES, copy], store, Settings(ingest_workers=0))
    assert report.failed == 0 and report.near_duplicates >= 1
    yield tmp / "api.db", store
    store.close()


def web_check(store: Store, claim: str, story: str | None = None) -> dict[str, Any]:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from corroborator.web.app import create_app

    params = {"claim": claim, "limit": "200"} | ({"story": story} if story else {})
    with TestClient(create_app(store, token=None, background=False)) as client:
        resp = client.get("/api/check", params=params)
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def cli_check(db: Path, claim: str, story: str | None = None) -> dict[str, Any]:
    args = ["check", claim, "--db", str(db), "--format", "json", "--all"] + (["--story", story] if story else [])
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    doc: dict[str, Any] = json.loads(out.stdout)
    return doc


def answer(doc: dict[str, Any]) -> tuple[object, object, list[tuple[str, str, float]]]:
    rows = doc["results"]
    assert isinstance(rows, list)
    return (
        doc["supporting_sources"],
        doc["disputing_sources"],
        [(r["article"], r["stance"], r["score"]) for r in rows],
    )


@pytest.mark.parametrize("scope", ["store", "story"])
def test_api_cli_and_web_check_agree(stocked: tuple[Path, Store], scope: str) -> None:
    db, store = stocked
    story = api.list_stories(store, StoryFilter(min_size=3))[0][0]["id"] if scope == "story" else None
    web = web_check(store, CLAIM, story)
    cli = cli_check(db, CLAIM, story)
    assert answer(web) == answer(cli)
    assert web["total"] == len(cli["results"])
    supporting = [r for r in cli["results"] if r["stance"] == "supports"]
    assert supporting, "the fire reports support that residents were evacuated"


def test_api_check_searches_the_whole_store(stocked: tuple[Path, Store]) -> None:
    """Candidates come from the vector search over every article, not the most recent ones."""
    _, store = stocked
    total = api.store_summary(store)["articles"]
    near = api.candidates(store, CLAIM, k=3)
    assert len(near) == 3 and len(set(near)) == 3
    everyone = api.candidates(store, CLAIM, k=total + 5)
    assert sorted(everyone) == sorted(a.id for a in store.articles())
    fire = {store.get_article(a).id for a in store.story(store.story_of(near[0]) or "").article_ids}
    assert set(near) <= fire, "the three nearest articles to a depot-fire claim are depot-fire reports"


def test_api_independence_one_function_on_a_chain(stocked: tuple[Path, Store]) -> None:
    """Example Wire <- The Daily Lantern (a rewrite the comparison finds) <- Bayside Syndicate (a stored
    near-copy of the Lantern): one source, whoever counts."""
    _, store = stocked
    lantern = store.get_article("elvan-fire-02-lantern").id
    bayside = store.get_article("elvan-fire-02-lantern-syndicated").id
    story_id = store.story_of(lantern)
    assert story_id and store.story_of(bayside) == story_id
    # examples/ holds the wire report twice (Markdown and HTML, one text): it is stored once.
    wire = next(a for a in store.story(story_id).article_ids if store.get_article(a).source == "Example Wire")
    comparison = api.compare_story(store, story_id)
    links = copies(comparison, [(d.article_id, d.original_id) for d in store.duplicate_links()])
    groups = source_groups([a.id for a in comparison.articles], links)
    assert groups[wire] == groups[lantern] == groups[bayside]
    assert comparison.groups == groups, "the comparison groups sources with the same one function"
    # The same groups whatever order or direction the links come in.
    assert source_groups(list(groups), [(b, a) for a, b in reversed(links)]) == groups
    kept = api.kept_comparison(store, story_id)
    assert kept is not None and {a["id"]: a["group"] for a in kept.document["articles"]} == groups
    result = api.check_claim(store, CLAIM, story_id)
    supporting = {a.id for a, j in result.judgements if j.stance == "supports"}
    assert {wire, lantern, bayside} <= supporting
    assert result.supporting_sources == len({groups[a] for a in supporting})
    listed = next(r for r in api.list_stories(store, StoryFilter())[0] if r["id"] == story_id)
    # The list knows only the stored near-copy link (rewrites need the comparison): one fewer than the size.
    assert listed["independent"] == listed["size"] - 1
