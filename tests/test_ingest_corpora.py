"""The JSON readers on the team's real corpora (../shared/corpus): GVA, AllSides, BASIL."""

from __future__ import annotations

from collections import Counter
from itertools import islice

import pytest

from corroborator.errors import EmptyInput, InputError
from corroborator.ingest import read_paths
from corroborator.model import Article
from corroborator.settings import Settings
from tests.conftest import shared_path

SETTINGS = Settings()


@pytest.mark.slow
def test_ingest_corpus_gva_jsonl_every_record_accounted_for() -> None:
    path = shared_path("corpus", "gva", "articles.jsonl")
    items = list(read_paths([path], SETTINGS))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(items) == 3054  # one item per record (README: 3,054 articles, 54 of them empty)
    assert all(isinstance(e, EmptyInput) and "#record-" in e.path for e in errors)
    assert 54 <= len(errors) <= 100
    assert all(a.published is not None for a in articles)  # dct
    assert all(a.source and ":" not in a.source and not a.source.startswith("www.") for a in articles)
    assert all(a.external_id for a in articles)  # doc_id
    assert all(a.url and a.url.startswith("http") for a in articles)
    assert len({a.origin for a in articles}) == len(articles)


@pytest.mark.slow
def test_ingest_corpus_allsides_compressed_shard_with_junk_dates() -> None:
    path = shared_path("corpus", "allsides", "articles", "articles-00.jsonl.xz")
    items = list(islice(read_paths([path], SETTINGS), 600))
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) >= 590
    assert all(a.external_id and a.source and a.title for a in articles)  # ID, source, title
    # The text is content_original (with normal punctuation), not the tokenised `content` copy.
    assert sum(" , " in a.text for a in articles) < len(articles) * 0.05
    dated = [a.published for a in articles if a.published is not None]
    assert len(dated) >= len(articles) * 0.7  # empty and junk dates are None, not errors
    assert all(d.year >= 1900 and d.utcoffset() is not None and not d.utcoffset() for d in dated)


def test_ingest_corpus_basil_folder_of_json_files() -> None:
    folder = shared_path("corpus", "basil", "articles")
    items = list(read_paths([folder], SETTINGS))
    articles = [i for i in items if isinstance(i, Article)]
    assert len(items) == len(articles) == 150
    assert sorted(Counter((a.source or "").lower() for a in articles).values()) == [50, 50, 50]
    assert all(a.published is not None and a.title for a in articles)
    assert all("\n\n" in a.text for a in articles)  # body-paragraphs kept as paragraphs
