"""The ingest pipeline end to end: real readers, real models, a real SQLite store, both execution paths."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborator.cli import app
from corroborator.model import Article
from corroborator.pipeline import StageError, analyse, analyse_many, ingest
from corroborator.settings import Settings
from corroborator.store import open_store
from tests.conftest import EXAMPLES, shared_path

pytestmark = pytest.mark.slow

IN_PROCESS = Settings().with_overrides({"ingest_workers": "0"})


def test_pipeline_analyse_gives_cheap_signals_only() -> None:
    article = Article.create(
        "Defense Secretary Peter Hegseth signed a memo on Friday. The memo ends a ban on mines.\n\n"
        "Critics said the decision risks civilian lives.",
        title="Pentagon lifts ban on mines",
    )
    done = analyse(article, IN_PROCESS)
    assert done.sentences[0].text.startswith("Defense Secretary")
    assert all(article.text[s.start : s.end] == s.text for s in done.sentences)
    assert done.vector is not None and len(done.vector) == 512
    assert abs(sum(x * x for x in done.vector) - 1.0) < 1e-3
    assert done.minhash is not None and len(done.minhash) == IN_PROCESS.minhash_perm
    assert any("hegseth" in e for e in done.lead_entities)
    assert done.facts is None  # not asked for: made when claims are compared or the article is read
    assert done.article.language == "en"


def test_pipeline_facts_at_ingest_are_the_facts_a_read_makes() -> None:
    from corroborator.text.facts import FACTS_ANALYSER, extract_facts

    article = Article.create(
        'Defense Secretary Peter Hegseth signed a memo on Friday, aides said. "It ends the ban," he said.\n\n'
        "Critics said the decision, which affects 3,000 mines, risks civilian lives.",
        title="Pentagon lifts ban on mines",
    )
    plain = analyse(article, IN_PROCESS)
    done = analyse(article, IN_PROCESS, facts=True)
    assert done.facts_analyser == FACTS_ANALYSER
    assert done.facts == extract_facts(done.article, done.sentences)
    kinds = {f.kind for f in done.facts}
    assert {"person", "date", "quote", "attribution"} <= kinds, kinds
    # The lead's entities come from the same NER pass, and equal those of a separate one.
    assert done.lead_entities == plain.lead_entities and done.sentences == plain.sentences


def test_pipeline_stage_error_names_article_and_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    import corroborator.text.sentences as sentences

    good = Article.create("A normal article about a harbour vote. It has two sentences.", origin="good.txt")
    bad = Article.create("This one will fail in the sentence stage. Badly.", origin="bad.txt")
    real = sentences.split_sentences

    def flaky(article: Article):  # type: ignore[no-untyped-def]
        if article.origin == "bad.txt":
            raise ValueError("boom")
        return real(article)

    monkeypatch.setattr(sentences, "split_sentences", flaky)
    out = analyse_many([good, bad], IN_PROCESS)
    assert not isinstance(out[0], StageError)
    assert isinstance(out[1], StageError)
    assert str(out[1]) == "bad.txt: stage 'sentences' failed: ValueError: boom"
    # Worker processes send it back pickled: the parent must get the same error, not a broken pool.
    back = pickle.loads(pickle.dumps(out[1]))
    assert isinstance(back, StageError) and str(back) == str(out[1]) and back.stage == "sentences"


def test_pipeline_facts_at_ingest_on_real_pages_in_many_languages() -> None:
    """The WARC fixture's pages (Chinese, Russian, Japanese ... beside English): every one gets its facts;
    a language without number words once broke the figures pattern on each of them."""
    from corroborator.ingest import read_paths

    warc = shared_path("fixtures", "warc", "resiliparse", "warcfile.warc.gz")
    pages = [a for a in read_paths([warc], IN_PROCESS) if isinstance(a, Article)]
    out = analyse_many(pages, IN_PROCESS, facts=True)
    assert [str(r) for r in out if isinstance(r, StageError)] == []
    languages = {r.article.language for r in out if not isinstance(r, StageError)}
    assert len(languages) >= 3, languages
    assert sum(len(r.facts or ()) for r in out if not isinstance(r, StageError)) > len(pages)


@pytest.mark.parametrize("workers", [0, 2])
def test_pipeline_ingest_examples_and_seeds(tmp_path: Path, workers: int) -> None:
    seeds = sorted(shared_path("corpus", "seeds").glob("*.txt"))
    settings = Settings().with_overrides({"ingest_workers": str(workers), "ingest_batch": "3"})
    with open_store(tmp_path / "s.db") as store:
        report = ingest([EXAMPLES, *seeds], store, settings)
        assert report.failed == 0, report.errors
        stored = store.count_articles()
        # examples/html repeats the wire story: same text, same id, stored once.
        assert report.duplicates >= 1
        assert report.new == stored == report.read - report.duplicates
        assert report.sentences == sum(len(store.sentences(a.id)) for a in store.articles())
        again = ingest([EXAMPLES, *seeds], store, settings)
        assert again.new == 0 and again.duplicates == again.read == report.read
        assert store.count_articles() == stored


def test_pipeline_bad_inputs_do_not_stop_the_batch(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(EXAMPLES / "dunmere-water", folder)
    (folder / "empty.txt").write_text("")
    (folder / "broken.json").write_text('{"text": "cut off')
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    with open_store(tmp_path / "s.db") as store:
        report = ingest([folder, tmp_path / "missing.md"], store, IN_PROCESS)
        assert report.new == 2
        assert report.failed == 4
        assert any("empty.txt" in e for e in report.errors)
        assert any("broken.json" in e for e in report.errors)
        assert any("binary.txt" in e for e in report.errors)
        assert any("missing.md" in e for e in report.errors)
        assert all("\n" not in e for e in report.errors)
        assert len(store.failures()) == 4


def test_cli_ingest_summary_and_exit_code(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    runner = CliRunner()
    ok = runner.invoke(app, ["ingest", str(EXAMPLES / "dunmere-water"), "--db", str(db), "--quiet", "--json"])
    assert ok.exit_code == 0, ok.output
    summary = json.loads(ok.stdout)
    assert summary["new"] == 2 and summary["failed"] == 0 and summary["read"] == 2
    (tmp_path / "bad.jsonl").write_text(
        '{"text": "A fine record about a bridge closing for repairs in Dunmere."}\nnot json\n'
    )
    bad = runner.invoke(app, ["ingest", str(tmp_path / "bad.jsonl"), "--db", str(db), "--quiet"])
    assert bad.exit_code == 1
    assert "failed 1" in bad.stdout
    assert "bad.jsonl" in bad.output


def test_cli_set_rejects_unknown_setting(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "x.db"), "--set", "nope=1"])
    assert result.exit_code == 2
    assert "unknown setting 'nope'" in result.output
