"""Quote provenance on real data: MEANTIME's 120 Wikinews articles in four languages (translated quotes
of one article cluster together, and only together), and AllSides quotes edited by rule (each edit lands
in its quote's cluster with the mutation found and classified)."""

from __future__ import annotations

import json
import lzma
import random
from dataclasses import replace
from datetime import datetime

import pytest

from corroborator.model import Article
from corroborator.provenance.quote_words import tokens
from corroborator.provenance.quotes import QuoteItem, cluster_quotes, collect_quotes
from corroborator.text.facts import extract_facts
from corroborator.text.sentences import split_sentences
from tests.conftest import shared_path

pytestmark = pytest.mark.slow


def _items(articles: list[Article]) -> list[QuoteItem]:
    out: list[QuoteItem] = []
    for a in articles:
        sents = split_sentences(a)
        out.extend(collect_quotes(a, sents, extract_facts(a, sents), story=a.external_id))
    return out


def _cluster(items: list[QuoteItem]) -> list:  # type: ignore[type-arg]
    from corroborator.embed import get_encoder

    return cluster_quotes(items, get_encoder().encode([i.text for i in items]))


def test_provenance_quotes_meantime_translations_cluster() -> None:
    articles = []
    for lang in ("en", "es", "it", "nl"):
        path = shared_path("corpus", f"meantime_{lang}", "articles.jsonl")
        for line in path.open(encoding="utf-8"):
            rec = json.loads(line)
            articles.append(Article(id=f"{lang}:{rec['id']}", text=rec["text"], source=f"Wikinews ({lang})",
                                    published=datetime.fromisoformat(rec["date"]), language=lang,
                                    external_id=rec["id"]))  # fmt: skip
    clusters = _cluster(_items(articles))
    multi = [c for c in clusters if len(c.appearances) > 1]
    pure = sum(len({a.story for a in c.appearances}) == 1 for c in multi) / len(multi)
    en = [(a, c) for c in clusters for a in c.appearances if a.language == "en"]
    matched = sum(any(b.language != "en" and b.story == a.story for b in c.appearances) for a, c in en) / len(en)
    assert len(multi) >= 150 and pure >= 0.97 and matched >= 0.85, (len(multi), pure, matched)
    assert sum(len(c.languages) == 4 for c in multi) >= 100
    # Translations are compared on what survives translation: no word-level mutations across languages.
    assert all(m.why in ("number", "negation") for c in multi for a in c.appearances if a.translated
               for m in a.mutations)  # fmt: skip


def test_provenance_quotes_allsides_planted_mutations() -> None:
    shard = shared_path("corpus", "allsides", "articles", "articles-03.jsonl.xz")
    articles = []
    with lzma.open(shard, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["date"].startswith("2020-05") and rec.get("content_original"):
                articles.append(Article(id=rec["ID"], text=rec["content_original"], source=rec["source"],
                                        published=datetime.fromisoformat(rec["date"][:10]), language="en"))  # fmt: skip
            if len(articles) >= 60:
                break
    items = _items(articles)
    long_items = [i for i in items if len(tokens(i.text)) >= 10 and " is " in i.text and "not" not in i.text]
    random.Random(3).shuffle(long_items)
    planted = []
    for n, item in enumerate(long_items[:12]):
        rule = n % 3
        if rule == 0:  # a negation added
            text, meaning = item.text.replace(" is ", " is not ", 1), True
        elif rule == 1:  # a word swapped
            w = next(t for t in tokens(item.text) if len(t.word) > 4 and t.word.islower() and t.start > 0)
            text, meaning = item.text[: w.start] + "something" + item.text[w.end :], False
        else:  # a clause dropped: the quote's tail after its first third
            cut = item.text.find(" ", len(item.text) // 3)
            text, meaning = item.text[:cut] + " ... " + item.text[cut:].split(" ", 6)[-1], None
        planted.append((item, replace(item, article_id=f"planted-{n}", text=text, source="Planted"), meaning))
    clusters = _cluster(items + [p[1] for p in planted])
    home = {a.article_id: c for c in clusters for a in c.appearances}
    found = 0
    for original, copy, meaning in planted:
        c = home[copy.article_id]
        mine = [a for a in c.appearances if a.article_id == copy.article_id]
        if original.article_id in {a.article_id for a in c.appearances} and mine and mine[0].mutations:
            found += 1
            if meaning is not None:
                assert mine[0].meaning_changed == meaning, (copy.text, mine[0].mutations)
    assert found >= 0.9 * len(planted), (found, len(planted))
