"""Per-language text analysis on real non-English news: sentences, entities, dates and figures.

Spanish, Italian and Dutch: MEANTIME's translations of English Wikinews articles (shared/corpus/meantime_*).
French and German: no real news in those languages is in shared/, so the example sentences spaCy ships for
each language (``spacy.lang.<lang>.examples``, real headlines) are the texts, joined into one article.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from corroborator.model import Article
from corroborator.text.analysis import ENGLISH, FRENCH, analyser_for, supported_languages
from corroborator.text.dates import find_dates
from corroborator.text.facts import FACTS_ANALYSER, extract_facts, facts_analyser
from corroborator.text.figures import find_figures
from corroborator.text.sentences import split_sentences
from tests.conftest import shared_path

pytestmark = pytest.mark.slow

AIRBUS = "100911"  # Northrop Grumman and EADS beat Boeing for a $40 billion tanker contract, 1 March 2008


def meantime(lang: str, key: str = AIRBUS) -> Article:
    path = shared_path("corpus", f"meantime_{lang}", "articles.jsonl")
    rows: dict[str, dict[str, Any]] = {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        rows[row["id"]] = row
    row = rows[key]
    return Article.create(row["text"], title=row["title"], language=lang, published=datetime.fromisoformat(row["date"]))


def test_languages_each_supported_language_has_an_analyser() -> None:
    levels = supported_languages()
    assert levels["en"] == "model" and levels["fr"] == "model"
    assert {levels[x] for x in ("es", "de", "it", "nl")} == {"rules"}
    assert analyser_for(None).name == ENGLISH and analyser_for("fr").name == FRENCH
    assert analyser_for("es").name == "rules.pysbd-0.3.4.es"


def test_languages_english_facts_keep_their_analyser_name() -> None:
    # English facts are cached under the same name as before languages were told apart.
    assert facts_analyser(Article.create("An English report.", language="en")) == FACTS_ANALYSER
    assert facts_analyser(Article.create("An unknown one.")) == FACTS_ANALYSER
    assert facts_analyser(Article.create("Un informe.", language="es")) == "facts.rules.pysbd-0.3.4.es.v1"


@pytest.mark.parametrize("lang", ["es", "it", "nl"])
def test_languages_meantime_sentences_entities_dates_figures(lang: str) -> None:
    article = meantime(lang)
    sentences = split_sentences(article)
    lines = [line for line in article.text.splitlines() if line.strip()]
    # MEANTIME's text is one sentence a line: the splitter should find about as many.
    assert abs(len(sentences) - len(lines)) <= len(lines) // 5
    for s in sentences:
        assert article.text[s.start : s.end] == s.text and s.text == s.text.strip()
    assert sentences[0].text == article.title
    facts = extract_facts(article, sentences)
    names = {f.norm for f in facts if f.kind == "name"}
    assert {"Boeing", "EADS"} <= names
    assert any(n.startswith("Northrop Grumman") for n in names)
    dates = {f.norm for f in facts if f.kind == "date"}
    if lang != "nl":  # the Dutch dateline is written "01-Mar-08"
        assert "2008-03-01" in dates
    assert {"2003", "2010"} <= dates
    money = {f.norm for f in facts if f.kind == "money"}
    assert "USD 40000000000" in money  # "$40 billion" in the English original


def test_languages_figures_and_dates_compare_across_languages() -> None:
    en, es = meantime("en"), meantime("es")
    fe = extract_facts(en, split_sentences(en))
    fs = extract_facts(es, split_sentences(es))
    for kind in ("money", "date"):
        shared = {f.norm for f in fe if f.kind == kind} & {f.norm for f in fs if f.kind == kind}
        assert shared, f"no {kind} in common between the English article and its Spanish translation"
    assert "USD 40000000000" in {f.norm for f in fe if f.kind == "money"}


def test_languages_french_model_sentences_and_typed_entities() -> None:
    from spacy.lang.fr.examples import sentences as examples

    text = ".\n".join(examples[:6]) + "."
    article = Article.create(text, language="fr")
    sentences = split_sentences(article)
    assert len(sentences) == 6
    facts = extract_facts(article, sentences)
    kinds = {(f.kind, f.norm) for f in facts}
    assert ("organization", "Apple") in kinds
    assert ("place", "San Francisco") in kinds or ("place", "Londres") in kinds
    assert ("money", "USD 1000000000") in kinds  # "1 milliard de dollars"


def test_languages_german_rules_sentences_names_dates() -> None:
    from spacy.lang.de.examples import sentences as examples

    text = ".\n".join(examples) + ". Die Anklage wurde am 1. März 2008 erhoben."
    article = Article.create(text, language="de", published=datetime(2008, 3, 2))
    sentences = split_sentences(article)
    assert len(sentences) == len(examples) + 1
    facts = extract_facts(article, sentences)
    names = {f.norm for f in facts if f.kind == "name"}
    # German capitalises every noun, so "names" are noisy here; the real names must be among them.
    assert {"Silicon Valley", "Deutschland"} <= names
    assert "2008-03-01" in {f.norm for f in facts if f.kind == "date"}


@pytest.mark.parametrize(
    ("lang", "text", "norms"),
    [
        ("es", "el 1 de marzo de 2008 y en mayo de 2009", ["2008-03-01", "2009-05"]),
        ("fr", "le 1er mars 2008 et en mai 2009", ["2008-03-01", "2009-05"]),
        ("de", "am 1. März 2008 und im Mai 2009", ["2008-03-01", "2009-05"]),
        ("it", "il 1º marzo 2008 e a maggio 2009", ["2008-03-01", "2009-05"]),
        ("nl", "op 1 maart 2008 en in mei 2009", ["2008-03-01", "2009-05"]),
    ],
)
def test_languages_dates_rules(lang: str, text: str, norms: list[str]) -> None:
    assert [v.norm for v in find_dates(text, lang)] == norms


@pytest.mark.parametrize(
    ("lang", "text", "norms"),
    [
        ("es", "un contrato de 40.000 millones de US$ y un 3,5 por ciento", ["USD 40000000000", "3.5%"]),
        ("fr", "un contrat de 40 milliards de dollars, soit 12,5 %", ["USD 40000000000", "12.5%"]),
        ("de", "20,1 Milliarden Euro und 45 Prozent", ["EUR 20100000000", "45%"]),
        ("it", "40 miliardi di dollari e il 45 per cento", ["USD 40000000000", "45%"]),
        ("nl", "US $40 miljard en 15 tankers", ["USD 40000000000", "15"]),
    ],
)
def test_languages_figures_rules(lang: str, text: str, norms: list[str]) -> None:
    assert [v.norm for v in find_figures(text, lang)] == norms
