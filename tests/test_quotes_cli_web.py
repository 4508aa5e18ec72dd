"""``corroborator quotes`` and the quote pages over a real store: three outlets quote one governor, one
drops a negation and one credits another outlet; a hostile article puts markup inside its quotes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corroborator.cli import app

pytestmark = pytest.mark.slow

ARTICLES = {
    "wire.md": """---
source: Example Wire
title: Governor rules out tax rise
published: 2024-05-01T08:00:00Z
---
Governor Maria Lopez spoke to lawmakers in the capital on Tuesday about the state budget.

"We will not raise taxes on working families, and we will protect every job in this state," Lopez said.

The budget goes to a vote next week.
""",
    "courier.md": """---
source: Kessmoor Courier
title: Lopez vows to protect jobs
published: 2024-05-01T15:00:00Z
---
Governor Maria Lopez addressed the budget on Tuesday, the Example Wire reported.

"We will raise taxes on working families, and we will protect every job in this state," Lopez told the Example Wire.

Opposition leaders called the plan vague.
""",
    "gazette.md": """---
source: Harbour Gazette
title: Budget fight looms
published: 2024-05-02T07:00:00Z
---
The governor defended her plan on Wednesday.

"We will not raise taxes on working families ... we will protect every job," Governor Maria Lopez said.

Lawmakers return on Monday.
""",
    "hostile.md": """---
source: Hostile <b>Desk</b>
title: Harbour quay vote
published: 2024-05-03T07:00:00Z
---
The harbour council met on Thursday.

"The quay <script>window.__pwned='q1'</script> will open in April for every boat," council chair Anna Berg said.

"The quay <img src=x onerror=window.__pwned='q2'> will open in April for every ship," Berg said later.
""",
    "echo.md": """---
source: Echo Daily
title: Quay to open
published: 2024-05-04T07:00:00Z
---
The council chair spoke again on Friday.

"The quay <script>window.__pwned='q3'</script> will open in April for every boat," Anna Berg said.
""",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from corroborator.pipeline import ingest
    from corroborator.settings import Settings
    from corroborator.store import open_store

    tmp = tmp_path_factory.mktemp("quotes")
    for name, text in ARTICLES.items():
        (tmp / name).write_text(text, encoding="utf-8")
    path = tmp / "quotes.db"
    with open_store(path) as store:
        report = ingest(sorted(tmp.glob("*.md")), store, Settings().with_overrides({"ingest_workers": "0"}))
        assert report.failed == 0, report.errors
    return path


def run(*args: str) -> Any:
    res = CliRunner().invoke(app, ["quotes", *args])
    return res


def governor(doc: dict[str, Any]) -> dict[str, Any]:
    (c,) = [c for c in doc["clusters"] if c["speaker"] and "Lopez" in c["speaker"]]
    return c


def test_quotes_cli_json_first_appearance_mutations_and_credits(db: Path) -> None:
    res = run("--db", str(db), "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "corroborator.quotes/1" and doc["articles"] == 5
    c = governor(doc)
    assert [a["source"] for a in c["appearances"]] == ["Example Wire", "Kessmoor Courier", "Harbour Gazette"]
    assert c["first"]["source"] == "Example Wire" and not c["first_tied"]
    courier, gazette = c["appearances"][1], c["appearances"][2]
    assert courier["meaning_changed"] and [m["why"] for m in courier["mutations"]] == ["negation"]
    assert courier["credits"] == ["example wire"] and courier["credits_earlier"] == c["first"]["article"]
    assert not gazette["meaning_changed"] and {m["kind"] for m in gazette["mutations"]} <= {"elided", "trimmed"}


def test_quotes_cli_filters_and_formats(db: Path) -> None:
    doc = json.loads(run("--db", str(db), "--format", "json", "--speaker", "maria lopez").output)
    assert [c["speaker"] for c in doc["clusters"]] == ["Maria Lopez"]
    assert json.loads(run("--db", str(db), "--format", "json", "--speaker", "Nobody Here").output)["clusters"] == []
    text = run("--db", str(db)).output
    assert "Example Wire" in text and "negation" in text
    md = run("--db", str(db), "--format", "md").output
    assert md.startswith("# Quotes") and "<script>" not in md
    bad = run("--db", str(db), "--story", "nope")
    assert bad.exit_code == 1 and "error:" in bad.output


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[Any]:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from corroborator.store import open_store
    from corroborator.web.app import create_app

    store = open_store(db)
    with TestClient(create_app(store, token=None, background=False), raise_server_exceptions=False) as c:
        yield c
    store.close()


def test_quotes_web_pages_and_json_twins(client: Any) -> None:
    doc = client.get("/api/quotes").json()
    key = governor(doc)["key"]
    one = client.get(f"/api/quotes/{key}").json()
    assert one["schema"] == "corroborator.quotes/1" and one["key"] == key and one["size"] == 3
    listing = client.get("/quotes?speaker=Lopez")
    assert listing.status_code == 200 and f'href="/quotes/{key}"' in listing.text
    assert 'type="application/json" href="http://testserver/api/quotes?speaker=Lopez"' in listing.text
    page = client.get(f"/quotes/{key}").text
    assert 'class="mut mut-meaning"' in page and "Example Wire" in page and 'href="/api/quotes/' in page
    missing = client.get("/api/quotes/qnope")
    assert missing.status_code == 404 and "corroborator quotes" in missing.json()["error"]["message"]
    article = client.get(f"/articles/{one['first']['article']}").text
    assert f'href="/quotes?article={one["first"]["article"]}' in article


def test_quotes_web_escapes_quote_text(client: Any) -> None:
    doc = client.get("/api/quotes").json()
    (berg,) = [c for c in doc["clusters"] if c["speaker"] and "Berg" in c["speaker"]]
    for url in ("/quotes", f"/quotes/{berg['key']}"):
        html = client.get(url).text
        assert "<script>window" not in html and "<img src=x" not in html and "<b>Desk" not in html
        assert "&lt;img" in html or "&lt;script&gt;" in html
